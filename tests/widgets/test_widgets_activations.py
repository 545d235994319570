"""Headless tests of notebook 02's activation figures and widgets (MPLBACKEND=Agg)."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl


def drive(demo):
    """Every control to min, max and middle (every option of a dropdown); no errors allowed."""
    _ = demo.widget
    for control in demo.controls.values():
        if hasattr(control, "options"):
            values = list(control.options)
        else:
            values = [control.min, control.max, (control.min + control.max) / 2]
        for v in values:
            control.value = v
            assert demo.errors == [], demo.errors
            assert "nan" not in demo.readout.value.lower()


@pytest.mark.parametrize("name", ["activation_explorer", "softmax_explorer"])
def test_factories_registered_and_survive_extremes(name):
    factory = nl.widgets.FACTORIES[name]
    demo = factory()
    drive(demo)
    assert demo.last_png is not None


def test_activation_explorer_updates_and_explains_kinks():
    demo = nl.widgets.activation_explorer()
    _ = demo.widget
    png, text = demo.last_png, demo.readout.value
    demo.controls["z"].value = -3.0
    assert demo.last_png != png and demo.readout.value != text
    demo.controls["name"].value = "relu"
    demo.controls["z"].value = 0.0
    assert "(a kink); we use the left slope, 0" in demo.readout.value
    demo.controls["z"].value = -2.0
    assert "flat (slope exactly 0)" in demo.readout.value and "almost" not in demo.readout.value


@pytest.mark.parametrize("name, z, words", [
    ("step", 0.0, "(a jump)"), ("relu", 0.0, "(a kink)"), ("leaky_relu", 0.0, "(a kink)"),
    ("step", 3.0, "flat (slope exactly 0)"), ("step", -3.0, "flat (slope exactly 0)"),
    ("relu", -0.1, "flat (slope exactly 0)"), ("sigmoid", 6.0, "almost flat"),
    ("tanh", 6.0, "almost flat"),
])
def test_activation_readout_names_jumps_kinks_and_flat_slopes(name, z, words):
    """The step jumps at 0 (never "a kink"); a slope of exactly 0 is "flat", never "almost flat"."""
    demo = nl.widgets.activation_explorer(name, z)
    _ = demo.widget
    text = demo.readout.value
    assert words in text, text
    assert ("kink" in text) == (name != "step" and z == 0) and ("jump" in text) == (name == "step" and z == 0)
    assert "f′(z) = 0.0000" not in text or nl.course.activation_and_slope(name, z)[1] == 0
    title = nl.viz.plot_activation_slope(name, z).axes[1].get_title()
    assert ("jump" in title) == (name == "step" and z == 0)


def test_softmax_readout_says_tie_for_equal_logits():
    demo = nl.widgets.softmax_explorer((1.0, 1.0, 1.0, 1.0))
    _ = demo.widget
    assert "a tie between classes 0, 1, 2 and 3" in demo.readout.value
    assert "largest" not in demo.readout.value
    demo.controls["z2"].value = 3.0
    assert "largest: class 2" in demo.readout.value
    demo.controls["z0"].value = 3.0
    assert "a tie between classes 0 and 2" in demo.readout.value


def test_softmax_explorer_readout_changes_with_temperature():
    demo = nl.widgets.softmax_explorer()
    _ = demo.widget
    text = demo.readout.value
    demo.controls["T"].value = 10.0
    assert demo.readout.value != text
    demo.controls["T"].value = demo.controls["T"].min         # tiny T: nearly one-hot, no NaN
    assert "1.000" in demo.readout.value and demo.errors == []


@pytest.mark.parametrize("name", sorted(nl.course.ACTIVATION_FUNCTIONS))
def test_slopes_match_finite_differences(name):
    z = np.concatenate([np.linspace(-4, -0.05, 20), np.linspace(0.05, 4, 20)])  # away from kinks
    f, df = nl.course.ACTIVATION_FUNCTIONS[name]
    h = 1e-6
    np.testing.assert_allclose(df(z), (f(z + h) - f(z - h)) / (2 * h), atol=1e-6)


def test_activation_and_slope_rejects_unknown_names():
    with pytest.raises(ValueError, match="activation_and_slope"):
        nl.course.activation_and_slope("swish", 0.0)


def test_static_figures():
    assert len(nl.viz.plot_activation_gallery().axes) == 6
    assert len(nl.viz.plot_activation_slope("tanh", 0.5).axes) == 2
    fig = nl.viz.plot_softmax((1.0, 2.0, 3.0), 1.0)
    labels = [t.get_text() for t in fig.axes[1].texts]
    assert labels == ["0.09", "0.24", "0.67"]
    with pytest.raises(ValueError, match="temperature"):
        nl.viz.plot_softmax((1.0, 2.0), 0.0)
    X, y = nl.make_xor(40, rng=0)
    fig = nl.viz.plot_hidden_space(lambda P: P[:, 0] * P[:, 1], lambda P: np.tanh(P), X, y)
    assert len(fig.axes) == 2
