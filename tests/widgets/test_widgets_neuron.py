"""Headless tests of notebook 01's neuron figures and widget (MPLBACKEND=Agg)."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.metrics import count_correct
from nnlib.viz.neuron_plots import decision_line, neuron_message


def test_factory_is_registered():
    assert nl.widgets.FACTORIES["neuron_explorer"] is nl.widgets.neuron_explorer


def test_every_control_at_min_max_and_middle():
    demo = nl.widgets.neuron_explorer()
    _ = demo.widget                                        # builds the layout and draws once
    for name, control in demo.controls.items():
        for value in (control.min, control.max, (control.min + control.max) / 2):
            before = demo.last_png
            control.value = type(control.value)(value)
            assert demo.errors == [], demo.errors
            if control.value != value or before is None:
                continue
        assert demo.last_png is not None, name
    assert "nan" not in demo.readout.value.lower()


def test_sliders_change_figure_and_readout():
    demo = nl.widgets.neuron_explorer()
    _ = demo.widget
    png, text = demo.last_png, demo.readout.value
    demo.controls["w1"].value = 2.0
    assert demo.last_png != png
    assert demo.readout.value != text


def test_zero_weights_show_message_not_crash():
    demo = nl.widgets.neuron_explorer()
    _ = demo.widget
    demo.controls["w1"].value = 0.0
    demo.controls["w2"].value = 0.0
    assert demo.errors == []
    assert "no decision line" in demo.readout.value
    demo.controls["b"].value = 10.0
    demo.controls["w1"].value = 0.1
    assert demo.errors == []
    assert "outside the picture" in demo.readout.value


def test_count_correct_by_hand():
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 2.0]])
    y = np.array([1, 0, 1])
    assert count_correct(X, y, (1.0, 0.0), 0.0) == 2      # z = x1: the last point has z = 0
    assert count_correct(X, y, (1.0, 1.0), 0.0) == 3
    assert count_correct(X, y, (0.0, 0.0), 0.0) == 1      # everything predicted class 0
    with pytest.raises(ValueError, match="count_correct"):
        count_correct(X[:, :1], y, (1.0, 0.0), 0.0)


def test_decision_line_lies_on_z_equals_zero():
    for w, b in [((1.0, 2.0), 0.5), ((3.0, -0.1), -1.0), ((0.0, 1.0), 0.2)]:
        seg = decision_line(w, b, (-3, 3), (-3, 3))
        assert seg is not None
        np.testing.assert_allclose(seg @ np.array(w) + b, 0.0, atol=1e-12)
    assert decision_line((0.0, 0.0), 1.0, (-3, 3), (-3, 3)) is None
    assert decision_line((0.1, 0.0), -10.0, (-3, 3), (-3, 3)) is None
    assert neuron_message((1.0, 1.0), 0.0, (-3, 3), (-3, 3)) == ""
    assert "w1 = w2 = 0" in neuron_message((0.0, 0.0), 0.0)


def test_static_figures():
    X, y = nl.make_blobs(40, noise=0.5, rng=1)
    fig = nl.viz.plot_neuron(X, y, (1.0, 1.0), 0.0, point=5)
    assert len(fig.axes) == 3                              # diagram, plane, colour bar
    fig = nl.viz.draw_neuron((0.5, -1.0), (0.8, -0.6), 0.3)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "0.80" in texts and "−0.60" in texts and "1.30" in texts   # z = 0.4 + 0.6 + 0.3
    with pytest.raises(ValueError, match="plot_neuron"):
        nl.viz.plot_neuron(X, y, point=40)


def test_live_frames_match_the_static_twin():
    """The widget's in-place frames (cached background + changed artists) show what a freshly
    drawn `plot_neuron` shows, for ordinary settings and for the no-line messages."""
    import io

    from PIL import Image

    from nnlib.widgets.inplace import fast_png

    def pixels(png):
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)

    X, y = nl.make_blobs(100, noise=0.8, rng=nl.make_rng(0))
    view = nl.viz.NeuronFigure(X, y, (0.5, -0.5), 0.0, 0)
    view.render_png()
    for w, b, point in [((2.0, 1.0), 0.5, 3), ((0.0, 0.0), 0.0, 5), ((0.1, 0.0), 10.0, 99),
                        ((-5.0, 5.0), -10.0, 0)]:
        view.update(w, b, point)
        live, static = pixels(view.render_png()), pixels(fast_png(nl.viz.plot_neuron(X, y, w, b, point)))
        assert live.shape == static.shape
        differ = (np.abs(live - static).max(axis=-1) > 40).mean()
        assert differ < 0.001, (w, b, point, differ)        # a few antialiased edge pixels at most
    assert view.plane.title.get_text().startswith(f"{int(count_correct(X, y, (-5.0, 5.0), -10.0))} / 100")
