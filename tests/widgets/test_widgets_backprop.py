"""Headless tests of notebook 07's figures and widget (nnlib.viz.backprop_plots, nnlib.widgets.backprop_widgets)."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl


def test_plot_backward_shapes_labels_and_validation():
    fig = nl.viz.plot_backward_shapes(N=5, D_in=3, D_out=2)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "(5, 2)" in texts and "(3, 2)" in texts and "(3, 5)" in texts and "(2,)" in texts
    with pytest.raises(ValueError, match="D_in"):
        nl.viz.plot_backward_shapes(D_in=0)


def test_plot_backward_shapes_shows_the_widest_grids_whole():
    """At the largest sizes every cell lies inside the axes (none clipped at the right)."""
    ax = nl.viz.plot_backward_shapes(N=8, D_in=8, D_out=8).axes[0]
    right = max(p.get_x() + p.get_width() for p in ax.patches)
    assert right <= ax.get_xlim()[1]


def test_plot_training_state_skips_nonfinite_losses():
    X, y = nl.make_xor(40, rng=0)
    fig = nl.viz.plot_training_state(lambda p: np.zeros((len(p), 2)), X, y,
                                     [0.7, 0.6, np.nan], message="diverged")
    line = fig.axes[1].lines[0]
    assert len(line.get_xdata()) == 2
    assert any("diverged" in t.get_text() for t in fig.axes[1].texts)


def test_train_step_explorer_learns_xor():
    demo = nl.widgets.train_step_explorer()
    demo.widget  # noqa: B018
    first = demo.last_png
    for _ in range(4):
        demo.buttons["step50"].click()
    assert demo.errors == []
    assert len(demo.losses) == 200 and demo.losses[-1] < 0.5 * demo.losses[0]
    assert demo.last_png != first
    assert "accuracy" in demo.readout.value


def test_train_step_explorer_controls_at_extremes():
    demo = nl.widgets.train_step_explorer()
    demo.widget  # noqa: B018
    for name in ("hidden", "lr"):
        c = demo.controls[name]
        for v in (c.min, c.max, (c.min + c.max) / 2 if name == "lr" else (c.min + c.max) // 2):
            c.value = v
            demo.buttons["step1"].click()
            demo.buttons["step50"].click()
    for option in ("moons", "xor"):             # each differs from the current value
        demo.controls["data"].value = option
        demo.buttons["step1"].click()
        assert len(demo.losses) == 1                # a new data set starts a fresh run
    demo.controls["lr"].value = demo.controls["lr"].max
    for _ in range(3):
        demo.buttons["step50"].click()
    assert demo.errors == []
    assert "nan" not in demo.readout.value.lower()
    demo.buttons["reset"].click()
    assert demo.losses == [] and "no steps yet" in demo.readout.value


def test_train_step_explorer_diverged_message():
    demo = nl.widgets.train_step_explorer()
    demo.widget  # noqa: B018
    demo.buttons["step1"].click()
    demo.model.parameters()[0].data[...] = np.inf     # force a blow-up
    demo.buttons["step1"].click()
    assert demo.diverged and "diverged" in demo.readout.value
    assert demo.errors == []
