"""The convolution and softmax steppers of notebook 14 and their figures, driven headless.

The figures write numbers: every label must sit where no other label is and inside the figure
(extents measured with the renderer), on random images and kernels of several sizes. The
widgets step within 200 ms (median, kernel side), and their readouts say the numbers the core
computed.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

import nnlib as nl
from nnlib.course import conv_steps as cs
from nnlib.viz import conv_stepper_plots as csp

pytest.importorskip("ipywidgets")

RNG = np.random.default_rng(22)
KERNEL = np.array(nl.conv.KERNELS["edge (vertical)"])


def _boxes(fig):
    """(text, extent in pixels) of every visible, non-empty Text of the figure."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()]


def assert_no_collisions(fig, what=""):
    """No two labels overlap (beyond half a pixel) and every label is inside the figure."""
    boxes = _boxes(fig)
    page = fig.bbox
    for t, b in boxes:
        assert (b.x0 >= page.x0 - 0.5 and b.x1 <= page.x1 + 0.5 and b.y0 >= page.y0 - 0.5
                and b.y1 <= page.y1 + 0.5), f"{what}: {t.get_text()!r} leaves the figure"
    e = np.array([[b.x0, b.y0, b.x1, b.y1] for _, b in boxes])          # every pair at once
    over_x = np.minimum(e[:, None, 2], e[None, :, 2]) - np.maximum(e[:, None, 0], e[None, :, 0])
    over_y = np.minimum(e[:, None, 3], e[None, :, 3]) - np.maximum(e[:, None, 1], e[None, :, 1])
    clash = np.triu((over_x > 0.5) & (over_y > 0.5), k=1)
    for a, b in zip(*np.nonzero(clash)):
        raise AssertionError(f"{what}: {boxes[a][0].get_text()!r} and {boxes[b][0].get_text()!r} "
                             "overlap")


def assert_numbers_in_cells(fig, what=""):
    """Every number written in an image cell stays inside that cell (after a draw)."""
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for t in ax.texts:
            if not t.get_visible():
                continue
            x, y = t.get_position()
            corners = ax.transData.transform([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)])
            b = t.get_window_extent(renderer)
            assert b.width < abs(corners[1, 0] - corners[0, 0]) and \
                b.height < abs(corners[1, 1] - corners[0, 1]), \
                f"{what}: {t.get_text()!r} is wider than its cell"


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _images():
    """Images a notebook or a learner might step over: digits, patterns, signed noise."""
    yield "uniform 8x8", np.round(RNG.uniform(0, 1, (8, 8)), 1), 1, 0
    yield "signed 6x7", RNG.standard_normal((6, 7)) * 3, 1, 1
    yield "5x5 stride 2", RNG.uniform(0, 1, (5, 5)), 2, 1
    yield "12x12", RNG.uniform(-1, 1, (12, 12)), 1, 0
    yield "16x10 stride 2", RNG.uniform(0, 1, (16, 10)), 2, 1


# -- the figures ---------------------------------------------------------------------------

def test_conv_step_writes_the_cell_and_fills_the_map_up_to_it():
    image = np.round(RNG.uniform(0, 1, (7, 7)), 1)
    cells = cs.conv_cell_steps(image, KERNEL)
    fig = nl.viz.plot_conv_step(image, KERNEL, 12, term=4)
    texts = _texts(fig)
    cell = cells[12]
    for term in cell.terms:                              # the nine products, as the core wrote them
        assert term.replace("-", "−") in texts
    assert "= " + cs.number(cell.value).replace("-", "−") in texts
    assert f"out({cell.i}, {cell.j}) =" in texts
    assert any(t.startswith("cell 13 of 25") for t in texts)
    ax_out = fig.axes[2]
    shown = [t for t in ax_out.texts if t.get_visible()]
    assert len(shown) == 13                              # cells 0..12 written, the rest blank
    assert np.ma.count(ax_out.images[0].get_array()) == 13
    framed = [t for t in fig.texts if t.get_visible() and t.get_bbox_patch() is not None]
    assert [t.get_text() for t in framed] == [cell.terms[4].replace("-", "−")]
    # the window frame sits on the cell's window
    (window,) = [p for p in fig.axes[0].patches if p.get_width() == 3 and p.get_height() == 3]
    assert window.get_xy() == (cell.left - 0.5, cell.top - 0.5)
    with pytest.raises(ValueError, match="0..24"):
        nl.viz.plot_conv_step(image, KERNEL, 25)
    with pytest.raises(ValueError, match="term"):
        nl.viz.plot_conv_step(image, KERNEL, 0, term=9)


def test_conv_step_colours_products_by_sign():
    from nnlib.viz.style import NEGATIVE, POSITIVE, TEXT_SOFT
    image = np.ones((3, 3))
    fig = nl.viz.plot_conv_step(image, KERNEL, 0)
    colours = {t.get_text(): t.get_color() for t in fig.texts if "·" in t.get_text()}
    assert colours["1.00·(−1.00)"] == NEGATIVE and colours["1.00·2.00"] == POSITIVE
    assert colours["1.00·0.00"] == TEXT_SOFT


@pytest.mark.parametrize("name, image, stride, padding", list(_images()),
                         ids=[x[0] for x in _images()])
def test_conv_step_labels_never_collide(name, image, stride, padding):
    kernels = [np.array(nl.conv.KERNELS[name]) for name in ("edge (vertical)", "blur")] + [
        RNG.standard_normal((3, 3)) * 2, RNG.uniform(-1, 1, (2, 4))]
    for n, kernel in enumerate(kernels):
        cells = cs.conv_cell_steps(image, kernel, stride, padding)
        for k in sorted({0, len(cells) - 1}):
            fig = nl.viz.plot_conv_step(image, kernel, k, stride=stride, padding=padding,
                                        term=(k % kernel.size) if n % 2 else None)
            assert_no_collisions(fig, f"{name}, kernel {n}, cell {k}")
            assert_numbers_in_cells(fig, f"{name}, kernel {n}, cell {k}")
            w, h = fig.get_size_inches()
            assert w <= 8.5 and h <= 6.5, f"{name}: figure {w:.1f}x{h:.1f} in"


def test_update_in_place_shows_what_a_fresh_figure_shows():
    image = np.round(RNG.uniform(0, 1, (8, 8)), 1)
    view = csp.ConvStepFigure(image, KERNEL, padding=1)
    view.render_png()                                    # the background is cached here
    for k, term in ((5, None), (40, 3), (0, None), (63, 8)):
        view.update(k, term)
        fresh = nl.viz.plot_conv_step(image, KERNEL, k, padding=1, term=term)
        assert sorted(_texts(view.fig)) == sorted(_texts(fresh))
        png = view.render_png()
        assert png.startswith(b"\x89PNG")
        canvas = FigureCanvasAgg(fresh)
        canvas.draw()
        a = np.asarray(canvas.buffer_rgba(), dtype=float)
        b = np.asarray(view.fig.canvas.buffer_rgba(), dtype=float)
        assert a.shape == b.shape
        assert (np.abs(a - b).max(axis=-1) > 40).mean() < 0.01, f"cell {k}: the pictures differ"


def test_multichannel_figure_writes_both_sums_and_the_total():
    image_c = np.round(RNG.uniform(0, 1, (2, 6, 6)), 1)
    kernels_c = np.stack([KERNEL, np.array(nl.conv.KERNELS["sharpen"])])
    for i, j, bias in ((0, 0, 0.1), (2, 3, -0.5), (3, 3, 0.0)):
        res = cs.multichannel_cell(image_c, kernels_c, bias, i, j)
        fig = nl.viz.plot_multichannel_cell(image_c, kernels_c, bias, i, j)
        texts = _texts(fig)
        for cell in res.channels:
            for term in cell.terms:
                assert term.replace("-", "−") in texts
        assert cs.number(res.value).replace("-", "−") in texts
        assert cs.factor(bias).replace("-", "−") in texts
        assert {"channel 0", "channel 1", "bias"} <= {t.strip() for t in texts}
        assert_no_collisions(fig, f"multichannel ({i}, {j})")
        assert_numbers_in_cells(fig, f"multichannel ({i}, {j})")
    padded = nl.viz.plot_multichannel_cell(RNG.standard_normal((3, 5, 5)),
                                           RNG.standard_normal((3, 3, 3)), 1.5, 2, 1, padding=1)
    assert_no_collisions(padded, "three channels, padded")


@pytest.mark.parametrize("scores", [RNG.standard_normal(10) * 3, np.arange(3.0),
                                    np.array([1.2, -0.8, 0.3, 4.1, -2.0, 0.9, 0.0, 2.2, -1.1, 0.5])
                                    * 100], ids=["random 10", "three", "large"])
def test_softmax_figure_every_step(scores):
    steps = cs.softmax_steps(scores)
    view = csp.SoftmaxFigure(scores)
    view.render_png()
    sizes = set()
    for k, step in enumerate(steps):
        fig = nl.viz.plot_softmax_steps(scores, k)
        sizes.add(tuple(fig.get_size_inches()))
        texts = _texts(fig)
        assert any(t.startswith(f"step {k + 1} of {len(steps)}") for t in texts)
        framed = [t.get_text() for t in fig.findobj(Text)
                  if t.get_visible() and t.get_bbox_patch() is not None]
        assert framed, f"step {k}: nothing framed"
        assert cs.number(step.value, 3).replace("-", "−") in " ".join(texts + framed)
        if k in (0, len(scores), len(scores) + 1, len(steps) - 1):
            assert_no_collisions(fig, f"softmax step {k}")
        view.update(k)
        assert sorted(_texts(view.fig)) == sorted(texts)
    assert len(sizes) == 1                               # the picture never changes size
    bars = fig.axes[0].patches[len(scores):]
    np.testing.assert_allclose([b.get_width() for b in bars], nl.softmax(scores), atol=1e-12)
    with pytest.raises(ValueError, match="step number"):
        nl.viz.plot_softmax_steps(scores, len(steps))


def test_filmstrip_shows_the_key_cells():
    image = np.round(RNG.uniform(0, 1, (8, 8)), 1)
    cells = cs.conv_cell_steps(image, KERNEL)
    fig = nl.viz.plot_conv_filmstrip(image, KERNEL)
    texts = _texts(fig)
    for k in (0, 1, 6, 35):
        assert f"step {k + 1} of 36" in texts
        assert f"out({cells[k].i}, {cells[k].j}) = {cs.number(cells[k].value)}".replace(
            "-", "−") in texts
    assert_no_collisions(fig, "filmstrip")
    assert fig.get_size_inches()[0] <= 8.5
    assert_no_collisions(nl.viz.plot_conv_filmstrip(image, KERNEL, [0, 8], stride=2, padding=1))
    with pytest.raises(ValueError, match="0..35"):
        nl.viz.plot_conv_filmstrip(image, KERNEL, [36])


# -- the widgets ---------------------------------------------------------------------------

def test_factories_are_registered():
    assert nl.widgets.FACTORIES["conv_stepper"] is nl.widgets.conv_stepper
    assert nl.widgets.FACTORIES["softmax_stepper"] is nl.widgets.softmax_stepper
    for name in ("plot_conv_step", "plot_multichannel_cell", "plot_softmax_steps",
                 "plot_conv_filmstrip"):
        assert callable(getattr(nl.viz, name))


def test_conv_stepper_steps_cell_by_cell():
    demo = nl.widgets.conv_stepper()
    assert demo.widget is not None and demo.errors == [] and demo.last_png
    step = demo.controls["step"]
    assert step.min == 0 and step.max == 35                  # an 8x8 digit, a 3x3 kernel
    image = demo.images[demo.controls["image"].value]
    cells = cs.conv_cell_steps(image, KERNEL)
    for _ in range(3):
        demo.buttons["next"].click()
    assert step.value == 3 and "cell 4 of 36" in demo.readout.value
    assert cs.number(cells[3].value).replace("-", "−") in demo.readout.value
    demo.buttons["back"].click()
    assert step.value == 2
    step.value = 35
    demo.buttons["next"].click()                             # stays at the last cell
    assert step.value == 35
    step.value = 0
    demo.buttons["back"].click()
    assert step.value == 0
    # by product: the same cell, nine steps each; back by cell: the same cell again
    step.value = 7
    demo.controls["by"].value = "product"
    assert step.max == 36 * 9 - 1 and step.value == 7 * 9
    demo.buttons["next"].click()
    assert "cell 8 of 36, product 2 of 9" in demo.readout.value
    assert cells[7].terms[1].replace("-", "−") in demo.readout.value
    demo.controls["by"].value = "output cell"
    assert step.max == 35 and step.value == 7
    # padding and stride change the number of cells; the step stays in range
    step.value = 35
    demo.controls["stride"].value = 2
    assert step.max == 8 and step.value <= 8                 # (8 - 3) // 2 + 1 = 3 -> 3x3
    demo.controls["padding"].value = 1
    assert step.max == 15                                    # (10 - 3) // 2 + 1 = 4 -> 4x4
    for name in nl.conv.KERNELS:
        demo.controls["kernel"].value = name
    for name in demo.controls["image"].options:
        demo.controls["image"].value = name
    assert demo.errors == []


def test_conv_stepper_takes_an_image_and_refuses_bad_ones():
    demo = nl.widgets.conv_stepper(np.eye(5), kernel="blur")
    assert demo.widget is not None and demo.errors == []
    assert list(demo.controls["image"].options) == ["your image"]
    assert demo.controls["step"].max == 8
    for bad in (np.zeros((2, 5)), np.zeros((20, 20)), np.zeros((3, 3, 3)), [["a"] * 4] * 4,
                np.full((4, 4), np.nan)):
        with pytest.raises(ValueError, match="conv_stepper"):
            nl.widgets.conv_stepper(bad)
    with pytest.raises(ValueError, match="kernel"):
        nl.widgets.conv_stepper(kernel="nope")


def _median_step_time(demo, n=15) -> float:
    step = demo.controls["step"]
    step.value = 1                                           # warm up: background cached
    times = []
    for k in range(2, 2 + n):
        t = time.perf_counter()
        step.value = k % (step.max + 1)
        times.append(time.perf_counter() - t)
    assert demo.errors == []
    return float(np.median(times))


def test_steppers_redraw_within_200_ms():
    conv = nl.widgets.conv_stepper()
    assert conv.widget is not None
    softmax = nl.widgets.softmax_stepper()
    assert softmax.widget is not None
    t_conv, t_softmax = _median_step_time(conv), _median_step_time(softmax)
    assert t_conv < 0.2, f"conv_stepper: median step {1000 * t_conv:.0f} ms"
    assert t_softmax < 0.2, f"softmax_stepper: median step {1000 * t_softmax:.0f} ms"


def test_softmax_stepper_steps_and_refuses_bad_scores():
    demo = nl.widgets.softmax_stepper()
    assert demo.widget is not None and demo.errors == []
    step = demo.controls["step"]
    assert step.max == 21
    for name in demo.controls["scores"].options:
        demo.controls["scores"].value = name
        steps = cs.softmax_steps(demo.scores[name])
        for k in (0, 1, 11, 21):
            step.value = k
            assert steps[k].formula.replace("-", "−") in demo.readout.value
    assert demo.errors == []
    own = nl.widgets.softmax_stepper([2.0, 1.0, 0.1])
    assert own.widget is not None and own.controls["step"].max == 7
    for bad in ([1.0], [[1.0, 2.0]], ["a", "b"], [1.0, np.inf], list(range(13))):
        with pytest.raises(ValueError, match="softmax_stepper"):
            nl.widgets.softmax_stepper(bad)
