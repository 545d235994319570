"""Headless tests of notebook 10's widget `inside_explorer` (MPLBACKEND=Agg)."""

from __future__ import annotations

import nnlib as nl


def test_factory_is_registered():
    assert nl.widgets.FACTORIES["inside_explorer"] is nl.widgets.inside_explorer


def test_every_control_at_extremes_and_buttons():
    demo = nl.widgets.inside_explorer()
    _ = demo.widget
    assert demo.last_png is not None
    for name, control in demo.controls.items():
        if hasattr(control, "options"):
            opts = [o[1] if isinstance(o, tuple) else o for o in control.options]
            values = [opts[-1], opts[0]]                   # first and last choice
        else:
            values = [control.min, control.max, (control.min + control.max) / 2]
        for value in values:
            if not hasattr(control, "options"):
                value = type(control.value)(value)
            control.value = value
            assert demo.errors == [], (name, value, demo.errors)
    demo.buttons["train"].click()
    assert demo.errors == [], demo.errors
    assert "nan" not in demo.readout.value.lower()


def test_train_changes_figure_and_readout_reset_restarts():
    demo = nl.widgets.inside_explorer(depth=3)
    _ = demo.widget
    png, text = demo.last_png, demo.readout.value
    assert "epoch 0" in text
    for _ in range(2):
        demo.buttons["train"].click()
    assert demo.errors == []
    assert demo.last_png != png and "epoch 2" in demo.readout.value
    demo.buttons["reset"].click()
    assert "epoch 0" in demo.readout.value


def test_huge_learning_rate_reports_divergence_not_nan():
    demo = nl.widgets.inside_explorer(act="relu", init=1.0, depth=6)
    _ = demo.widget
    demo.controls["lr"].value = 10.0
    for _ in range(2):
        demo.buttons["train"].click()
    assert demo.errors == []
    text = demo.readout.value.lower()
    assert "diverged" in text or "dead units" in text
    assert "nan " not in text.replace("nan/inf", "")
    demo.buttons["reset"].click()
    assert "diverged" not in demo.readout.value


def test_sigmoid_readout_reports_saturation_and_vanishing():
    demo = nl.widgets.inside_explorer(act="sigmoid", depth=10)
    _ = demo.widget
    assert "saturated" in demo.readout.value and demo.errors == []


def test_zeros_init_is_named_the_symmetry_trap_not_dead_units():
    """Issue 21: ReLU + zeros read "dead units: 100%"; all weights are 0, every unit is a copy."""
    demo = nl.widgets.inside_explorer(act="relu", init="zeros", depth=4)
    _ = demo.widget
    for _ in range(2):                                   # training keeps the weights at 0
        assert "0% alive: all weights zero, every unit of a layer identical" in demo.readout.value
        assert "dead units:" not in demo.readout.value
        demo.buttons["train"].click()
    for act in ("tanh", "sigmoid"):                      # sigmoid's weights move, but stay copies
        demo = nl.widgets.inside_explorer(act=act, init="zeros", depth=4)
        _ = demo.widget
        assert "all weights zero, every unit of a layer identical" in demo.readout.value
        demo.buttons["train"].click()
        assert "identical" in demo.readout.value and "symmetry trap" in demo.readout.value
        assert "saturated" not in demo.readout.value
    for init in ("xavier", "he", 0.01):                  # random starts: no trap
        demo = nl.widgets.inside_explorer(act="relu", init=init, depth=4)
        _ = demo.widget
        assert "symmetry" not in demo.readout.value and "dead units:" in demo.readout.value
    assert demo.errors == []
