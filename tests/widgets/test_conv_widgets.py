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
