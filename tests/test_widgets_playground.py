"""Headless tests of notebook 09's playground: the NumPy engine and the widget (MPLBACKEND=Agg)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib as nl  # noqa: E402
from nnlib.viz.playground import (  # noqa: E402
    FEATURES,
    MAX_LAYERS,
    MAX_NEURONS,
    PLAYGROUND_DATASETS,
    PlaygroundModel,
    make_features,
)


@pytest.fixture
def demo():
    d = nl.widgets.playground()
    _ = d.widget                                  # builds the layout and draws once
    return d


def tick(demo, n=1):
    for _ in range(n):
        demo.play.value += 1


# -- engine ----------------------------------------------------------------------------------
def test_make_features_by_hand():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    F = make_features(X, ["x1", "x2^2", "x1*x2", "sin(x1)"])
    expected = np.array([[1.0, 4.0, 2.0, np.sin(1.0)], [-3.0, 0.25, -1.5, np.sin(-3.0)]])
    np.testing.assert_allclose(F, expected)
    with pytest.raises(ValueError, match="at least one"):
        make_features(X, [])
    with pytest.raises(ValueError, match="unknown"):
        make_features(X, ["x3"])


def test_engine_learns_circles_with_squared_features():
    m = PlaygroundModel("circles", features=["x1^2", "x2^2"], hidden=(), lr=0.1, seed=0)
    m.train(60)
    assert m.accuracy("test") > 0.9
    assert m.history["train"][-1] < m.history["train"][0]
    raw = PlaygroundModel("circles", features=["x1", "x2"], hidden=(), lr=0.1, seed=0).train(60)
    assert raw.accuracy("test") < 0.75                    # a straight line cannot do it


def test_engine_network_shapes_and_zero_hidden():
    m = PlaygroundModel("xor", features=list(FEATURES), hidden=(8, 3))
    sizes = [(lay.W.shape) for lay in m.net.layers if isinstance(lay, nl.Linear)]
    assert sizes == [(7, 8), (8, 3), (3, 1)]
    maps = m.neuron_maps(10)
    assert [mp.shape for mp in maps] == [(7, 10, 10), (8, 10, 10), (3, 10, 10), (1, 10, 10)]
    lin = PlaygroundModel("plane", hidden=())
    assert len(lin.net.layers) == 1                       # linear regression
    lin.train(3)
    assert np.isfinite(lin.history["train"]).all()


def test_penalty_gradients():
    m = PlaygroundModel("circles", regularization="L1", reg_rate=0.1)
    W = np.array([[2.0, -0.5], [0.0, 3.0]])
    np.testing.assert_allclose(m.penalty_grad(W), 0.1 * np.sign(W))
    m.regularization = "L2"
    np.testing.assert_allclose(m.penalty_grad(W), 0.1 * W)
    m.regularization = "none"
    np.testing.assert_allclose(m.penalty_grad(W), 0.0)


def test_l1_shrinks_weights_more_than_nothing():
    kw = dict(features=list(FEATURES), hidden=(8,), lr=0.03, seed=1)
    free = PlaygroundModel("moons", **kw).train(30)
    l1 = PlaygroundModel("moons", regularization="L1", reg_rate=0.03, **kw).train(30)
    size = [sum(np.abs(p.data).sum() for p in m.net.parameters()) for m in (free, l1)]
    assert size[1] < size[0]


def test_divergence_is_flagged_and_training_stops():
    m = PlaygroundModel("plane", hidden=(8, 8), features=list(FEATURES), lr=10.0, batch_size=1)
    m.train(5)
    assert m.diverged
    assert "diverged" in m.summary() and "lower the learning rate" in m.summary()
    epochs = m.epoch
    m.train(3)
    assert m.epoch == epochs


@pytest.mark.parametrize("dataset", list(PLAYGROUND_DATASETS))
def test_every_dataset_trains_and_draws(dataset):
    m = PlaygroundModel(dataset, hidden=(3,), n=60).train(2)
    fig = nl.viz.plot_playground(m)
    assert len(fig.axes) == 3
    assert m.task == ("regression" if dataset in ("plane", "gaussian_mixture") else "classification")


def test_same_seed_same_run():
    a = PlaygroundModel("spiral", seed=3).train(3)
    b = PlaygroundModel("spiral", seed=3).train(3)
    assert a.history == b.history


# -- widget ----------------------------------------------------------------------------------
def test_factory_is_registered():
    assert nl.widgets.FACTORIES["playground"] is nl.widgets.playground


def extremes(control):
    """(min, max) of a slider, (first, last) option of a dropdown, (off, on) of a checkbox."""
    if hasattr(control, "min"):
        return [type(control.value)(v) for v in (control.min, control.max)]
    if hasattr(control, "options"):
        opts = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [opts[0], opts[-1]]
    return [False, True]


def test_every_control_at_its_extremes(demo):
    """All controls to their minimum one by one (then ticks), then all to their maximum."""
    for end in (0, 1):
        for name, control in demo.controls.items():
            control.value = extremes(control)[end]         # redraws (may rebuild the model)
            assert demo.errors == [], (name, control.value, demo.errors)
        tick(demo, 2)
        demo.buttons["step"].click()
        assert demo.errors == [], demo.errors
        assert "nan" not in demo.readout.value.lower().replace("inf/nan", ""), demo.readout.value
    assert demo.model.hidden == [MAX_NEURONS] * MAX_LAYERS  # the maximal network was built
    assert demo.model.features == list(FEATURES)


def test_play_ticks_train_and_change_the_figure(demo):
    png, epoch = demo.last_png, demo.model.epoch
    tick(demo, 3)
    assert demo.model.epoch == epoch + 3 * demo.epochs_per_tick()
    assert demo.last_png != png
    assert "epoch" in demo.readout.value
    assert demo.errors == []


def test_step_and_reset_buttons(demo):
    demo.buttons["step"].click()
    demo.buttons["step"].click()
    assert demo.model.epoch == 2
    first = demo.model
    demo.play.playing = True
    demo.buttons["reset"].click()
    assert demo.model is not first and demo.model.epoch == 0
    assert demo.play.playing is False
    assert demo.errors == []


def test_changing_architecture_resets_but_lr_does_not(demo):
    demo.buttons["step"].click()
    model = demo.model
    demo.controls["lr"].value = 0.1
    assert demo.model is model and demo.model.lr == 0.1
    demo.controls["batch"].value = 400                    # >= training set: full batch
    demo.buttons["step"].click()
    assert demo.model is model and "full batch" in demo.readout.value
    demo.controls["layers"].value = 0
    assert demo.model is not model and demo.model.hidden == []


def test_max_architecture_batch_one(demo):
    demo.refresh = lambda: None                           # set many controls, draw once
    for i in range(MAX_LAYERS):
        demo.controls[f"n{i + 1}"].value = MAX_NEURONS
    demo.controls["layers"].value = MAX_LAYERS
    for name in FEATURES:
        demo.controls[f"f:{name}"].value = True
    demo.controls["batch"].value = 1
    del demo.refresh                                      # back to the class's method
    png = demo.last_png
    tick(demo, 2)
    assert demo.model.hidden == [MAX_NEURONS] * MAX_LAYERS and demo.model.batch_size == 1
    assert demo.model.epoch == 2 and demo.last_png != png
    assert demo.errors == []


def test_huge_learning_rate_pauses_with_a_message(demo):
    demo.controls["dataset"].value = "plane"
    demo.controls["lr"].value = 10.0
    demo.controls["layers"].value = 3
    demo.play.playing = True
    tick(demo, 5)
    assert demo.model.diverged
    assert demo.play.playing is False
    assert "diverged" in demo.readout.value and "lower the learning rate" in demo.readout.value
    assert demo.errors == []


def test_no_features_gives_a_message_not_a_crash(demo):
    for name in FEATURES:
        demo.controls[f"f:{name}"].value = False
    demo.buttons["step"].click()
    tick(demo, 2)
    assert demo.model is None
    assert "at least one input feature" in demo.readout.value
    assert demo.errors == []
    demo.controls["f:x1^2"].value = True
    assert demo.model is not None and demo.model.features == ["x1^2"]


@pytest.mark.parametrize(("act", "reg"), [("relu", "L1"), ("tanh", "L2"), ("sigmoid", "L1"),
                                          ("linear", "L2")])
def test_activations_and_penalties_on_regression(demo, act, reg):
    demo.controls["dataset"].value = "gaussian_mixture"
    demo.controls["activation"].value = act
    demo.controls["regularization"].value = reg
    demo.controls["reg_rate"].value = 0.01
    tick(demo, 1)
    assert demo.model.activation == act and demo.model.regularization == reg
    assert demo.errors == []
