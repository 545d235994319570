"""The conv_explorer widget of notebook 14 and its static twin, driven headless."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl

pytest.importorskip("ipywidgets")


def test_static_twin_draws_the_sum_of_the_window():
    image = np.arange(36.0).reshape(6, 6) / 36
    kernel = np.array(nl.conv.KERNELS["sharpen"])
    out = nl.conv.convolve(image, kernel)
    fig = nl.viz.plot_convolution_step(image, kernel, out, (2, 1))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [fig.axes[2].get_xlabel()]
    want = f"sum = {(image[2:5, 1:4] * kernel).sum():.2f}".replace("-", "−")
    assert want in texts
    with pytest.raises(ValueError, match="outside"):
        nl.viz.plot_convolution_step(image, kernel, out, (4, 0))


def test_explorer_presets_own_values_and_extremes():
    demo = nl.widgets.conv_explorer()
    assert demo.widget is not None                            # builds and draws once
    assert demo.errors == [] and demo.last_png
    for name in nl.conv.KERNELS:
        demo.controls["kernel"].value = name
        np.testing.assert_allclose(demo.kernel(), nl.conv.KERNELS[name], atol=1e-3)
    demo.cells[4].value = 7.0                                 # editing a weight: "your own"
    assert demo.controls["kernel"].value == "your own"
    assert "7.00" in demo.readout.value
    for r in (demo.controls["row"].min, demo.controls["row"].max):
        for c in (demo.controls["col"].min, demo.controls["col"].max):
            demo.controls["row"].value, demo.controls["col"].value = r, c
    demo.cells[0].value = 1e6
    assert demo.errors == []
    out = nl.conv.convolve(demo.image, demo.kernel())
    assert f"{out[r, c]:.2f}" in demo.readout.value


def test_explorer_rejects_bad_input():
    with pytest.raises(ValueError, match="conv_explorer"):
        nl.widgets.conv_explorer(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="kernel"):
        nl.widgets.conv_explorer(kernel="nope")


def test_other_figures_draw():
    W = np.random.default_rng(0).standard_normal((16, 1, 3, 3))
    assert nl.viz.plot_kernels(W).axes
    maps = {"conv 1": np.zeros((4, 28, 28)), "pool 1": np.ones((4, 14, 14))}
    assert nl.viz.plot_feature_maps(np.zeros((28, 28)), maps, n=4).axes
    assert nl.viz.plot_robustness({"MLP": {"a": 0.5, "b": 0.9}, "CNN": {"a": 0.8, "b": 0.99}}).axes
    x = np.arange(16.0).reshape(4, 4)
    assert nl.viz.plot_pooling(x, nl.MaxPool2d(2).forward(x[None, None])[0, 0]).axes


def _typed(demo, kernel):
    for cell, v in zip(demo.cells, np.ravel(kernel)):
        cell.value = float(v)
    return demo.kernel()


def test_14_try_it_3_a_line_kernel_finds_horizontal_strokes_sobel_their_edges():
    """14 Try it (3): typed into the explorer, the line kernel rows (-1,-1,-1), (2,2,2), (-1,-1,-1)
    gives 6 on a thin horizontal stroke and 0 along a vertical stroke or on flat ink; the
    "edge (horizontal)" preset marks the top edge of a horizontal stroke + and the bottom edge -,
    and 0 in its middle."""
    line = [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]
    horizontal = np.zeros((9, 9))
    horizontal[4, 1:8] = 1.0                                  # a stroke one pixel thick
    vertical = np.zeros((9, 9))
    vertical[:, 4] = 1.0                                      # a vertical stroke, top to bottom
    flat = np.ones((9, 9))
    demo = nl.widgets.conv_explorer(horizontal, kernel="identity", pos=(3, 3))
    _ = demo.widget
    k = _typed(demo, line)
    assert demo.controls["kernel"].value == "your own"
    out = nl.conv.convolve(horizontal, k)                     # output (i, j) is centred on (i+1, j+1)
    assert out.max() == 6 and out[3, 3] == 6 and out[2, 3] == out[4, 3] == -3
    assert "<b>6.00</b>" in demo.readout.value
    assert np.all(nl.conv.convolve(vertical, k) == 0) and np.all(nl.conv.convolve(flat, k) == 0)
    thick = np.zeros((10, 9))
    thick[4:7, :] = 1.0                                       # a horizontal stroke 3 px thick
    sobel = nl.conv.convolve(thick, nl.conv.KERNELS["edge (horizontal)"])[:, 3]
    assert sobel[2] > 0 and sobel[3] > 0                      # top edge: paper above, ink below
    assert sobel[5] < 0 and sobel[6] < 0 and sobel[4] == 0    # bottom edge; nothing in the middle
    assert demo.errors == []


def test_14_kernel_signs_counts_only_clear_weights():
    """14 section 8: a kernel counts as mixing signs with at least two weights of each sign of at
    least 10 % of its largest |w|; eight negatives and +0.02 is a one-sign kernel."""
    W = np.zeros((3, 1, 3, 3))
    W[0, 0] = -0.3
    W[0, 0, 1, 1] = 0.02                                      # the learner's kernel #1
    W[1, 0] = nl.conv.KERNELS["edge (vertical)"]              # Sobel: 3 + and 3 −, 3 zeros
    W[2, 0] = 0.1
    W[2, 0, 0, :2] = -0.05                                    # two negatives at half the largest
    n_pos, n_neg = nl.probes.kernel_signs(W)
    assert n_pos.tolist() == [0, 3, 7] and n_neg.tolist() == [8, 3, 2]
    assert nl.probes.kernel_signs(W, rel=0.0)[0].tolist() == [1, 3, 7]
    with pytest.raises(ValueError, match="kernel_signs"):
        nl.probes.kernel_signs(W[0])
