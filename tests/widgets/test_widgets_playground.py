"""Headless tests of notebook 09's playground: the NumPy engine and the widget (MPLBACKEND=Agg)."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.course.playground_engine import (
    FEATURES,
    MAX_LAYERS,
    MAX_NEURONS,
    PLAYGROUND_DATASETS,
    PlaygroundModel,
    check_data,
    make_features,
)


@pytest.fixture
def demo(tmp_path):
    d = nl.widgets.playground(export_path=str(tmp_path / "pg.nnlib.npz"))
    d.skip_late_ticks = False                     # tests tick faster than a browser would
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
    assert fig.axes[1].get_legend() is not None and fig.axes[0].get_legend() is not None


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
    done = 0
    for _ in range(3):
        tick(demo)
        done += demo.last_epochs
        assert f"epoch {demo.model.epoch} " in demo.readout.value   # readout = picture's state
    assert demo.model.epoch == epoch + done and done >= 3
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
    text = demo.readout.value
    assert f"diverged in epoch {demo.model.epoch} " in text and "lower the learning rate" in text, text
    assert "in this frame" not in text and "per tick" not in text, text     # nothing more is trained
    epoch = demo.model.epoch
    tick(demo, 2)
    demo.buttons["step"].click()
    assert demo.model.epoch == epoch and demo.last_epochs == 0
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


# -- issue 15: own data, classes, accuracy, stop, edits, export -------------------------------
@pytest.mark.parametrize(("X", "y", "match"), [
    (np.zeros((10, 3)), np.zeros(10, int), r"shape \(N, 2\)"),
    (np.zeros((10, 2)), np.zeros((10, 1), int), r"y must have shape \(10,\)"),
    (np.zeros((10, 2)), np.zeros(10, int), "only one class"),
    (np.vstack([np.zeros((9, 2)), [[np.nan, 0]]]), np.arange(10) % 2, "NaN"),
    (np.zeros((2, 2)), np.array([0, 1]), "at least 4 points"),
    (np.zeros((10, 2)), np.arange(10), "at most 6"),
])
def test_own_data_is_checked_with_clear_errors(X, y, match):
    with pytest.raises(ValueError, match=match):
        check_data(X, y)
    with pytest.raises(ValueError, match=match):
        nl.widgets.playground(X=X, y=y)


def test_own_data_relabels_and_trains():
    rng = nl.make_rng(0)
    X = rng.normal(size=(60, 2))
    y = np.where(X[:, 0] > 0, 7, 3)                        # any two labels
    m = PlaygroundModel(X=X, y=y, hidden=(), lr=0.3).train(30)
    assert m.classes == 2 and set(np.unique(m.y_train)) <= {0, 1}
    assert m.accuracy("test") > 0.9
    reg = PlaygroundModel(X=X, y=X[:, 0] * 0.5, hidden=(), lr=0.03).train(30)
    assert reg.task == "regression" and reg.history["train"][-1] < reg.history["train"][0]


@pytest.mark.parametrize("dataset", ["spiral3", "gaussians3"])
def test_three_classes_use_softmax_cross_entropy(dataset):
    m = PlaygroundModel(dataset, hidden=(8, 8), activation="relu", lr=0.1, seed=0)
    assert m.classes == 3 and isinstance(m.loss_fn, nl.SoftmaxCrossEntropy)
    assert m.net.layers[-1].W.shape[1] == 3
    m.train(150 if dataset == "spiral3" else 30)
    assert m.accuracy("test") > (0.8 if dataset == "spiral3" else 0.95)
    assert m.output(m.grid(5)).shape == (25, 3)
    assert m.neuron_maps(6)[-1].shape == (3, 6, 6)


def test_accuracy_history_and_stop_conditions():
    m = PlaygroundModel("circles", features=["x1^2", "x2^2"], hidden=(), lr=0.1).train(5)
    assert len(m.history["test_acc"]) == 6 and m.history["test_acc"][-1] == m.accuracy("test")
    assert m.stop_reason() == ""
    assert m.stop_reason(epochs=5) == "5 epochs done"
    assert "test loss" in m.stop_reason(test_loss=10.0)


def test_setting_a_weight_changes_the_loss_now():
    m = PlaygroundModel("xor", hidden=(2,))
    before = m.history["train"][-1]
    m.set_parameter(0, "W", 1, 0, 5.0)
    assert m.net.layers[0].W.data[1, 0] == 5.0 and len(m.history["train"]) == 1
    assert m.history["train"][-1] != before == pytest.approx(before)
    m.set_parameter(1, "b", 0, 0, -3.0)
    assert m.get_parameter(1, "b", 0, 0) == -3.0


@pytest.mark.parametrize("own", [False, True])
def test_exported_code_rebuilds_the_same_network(tmp_path, monkeypatch, own):
    if own:
        X = nl.make_rng(1).normal(size=(40, 2))
        m = PlaygroundModel(X=X, y=(X[:, 1] > 0).astype(int), hidden=(3,), lr=0.1, seed=2)
    else:
        m = PlaygroundModel("moons", hidden=(5, 3), activation="relu", lr=0.1, seed=2)
    m.train(4)
    monkeypatch.chdir(tmp_path)
    path = m.save("pg.nnlib.npz")
    code = m.export_code(path)
    scope: dict = {}
    exec(code, scope)                                      # the learner's copy-paste
    grid = m.grid(7)
    np.testing.assert_allclose(scope["model"].output(grid), m.output(grid))
    np.testing.assert_allclose(scope["net"].forward(make_features(grid, m.features)),
                               m.scores(grid))


def test_show_test_discretize_and_big_map_change_the_figure(demo):
    pngs = {demo.last_png}
    demo.controls["show_test"].value = False
    pngs.add(demo.last_png)
    demo.controls["discretize"].value = True
    pngs.add(demo.last_png)
    units = [v for _, v in demo.controls["big"].options]
    assert units[0] == "output" and "h1.1" in units and "x1" in units
    demo.controls["big"].value = "h1.3"
    pngs.add(demo.last_png)
    assert len(pngs) == 4 and demo.errors == []
    assert demo.view.out_title.get_text().startswith("unit h1.3")


def test_editing_a_weight_updates_model_loss_and_figure(demo):
    names = [v for _, v in demo.controls["edit"].options]
    assert len(names) == 1 + (2 * 4 + 4) + (4 * 2 + 2) + (2 * 1 + 1)   # weights and biases
    demo.controls["edit"].value = "0:W:1:2"                # x2 -> h1.3
    w = demo.model.net.layers[0].W.data[1, 2]
    assert demo.controls["edit_value"].value == pytest.approx(w)
    assert demo.model.net.layers[0].W.data[1, 2] == w      # choosing an edge changes nothing
    png, loss = demo.last_png, demo.model.history["train"][-1]
    demo.controls["edit_value"].value = 4.0
    assert demo.model.net.layers[0].W.data[1, 2] == 4.0
    assert demo.model.history["train"][-1] != loss and demo.last_png != png
    assert f"{demo.model.history['train'][-1]:.3f}" in demo.readout.value
    demo.controls["edit"].value = "2:b:0:0"                # the output bias
    assert demo.controls["edit_value"].value == pytest.approx(demo.model.net.layers[-1].b.data[0])
    assert demo.errors == []


def test_drawn_points_become_the_data(demo):
    demo.controls["dataset"].value = "draw"
    assert demo.model is None and "draw points" in demo.readout.value
    assert demo.draw_row.layout.display is None
    pts = [[x, y, "class 1" if x * y > 0 else "class 0"] for x in (-2, -1, 1, 2) for y in (-2, 1, 2)]
    demo.canvas.points = pts
    assert demo.model is not None and len(demo.model.X_train) + len(demo.model.X_test) == 12
    tick(demo, 2)
    assert demo.errors == []
    demo.canvas.points = pts + [[0.5, 0.5, "class 2"]]
    assert demo.model.classes == 3
    demo.canvas.points = [[x, y, "value +1"] for x, y, _ in pts[:6]] + \
        [[x, y, "value -1"] for x, y, _ in pts[6:]]
    assert demo.model.task == "regression"
    demo.canvas.points = pts[:2] + [[0, 0, "value +1"]]
    assert demo.model is None and "mixes" in demo.readout.value
    demo.buttons["clear"].click()
    assert demo.canvas.points == [] and demo.model is None
    demo.controls["dataset"].value = "circles"
    assert demo.draw_row.layout.display == "none"
    assert demo.controls["dataset"].layout.display is None       # each control has its own layout
    assert len({id(c.layout) for c in demo.controls.values()}) == len(demo.controls)


def test_own_data_widget_and_three_classes(tmp_path):
    X, y = nl.make_gaussians(90, 0.3, rng=0, classes=3)
    d = nl.widgets.playground(X=X, y=y, export_path=str(tmp_path / "own.nnlib.npz"))
    d.skip_late_ticks = False
    _ = d.widget
    assert d.model.dataset == "own data" and d.model.classes == 3
    assert "3 out" in " ".join(t.get_text() for t in d.view.ax_net.texts)
    d.buttons["step"].click()
    d.buttons["export"].click()
    assert (tmp_path / "own.nnlib.npz").exists() and "PlaygroundModel(X=" in d.export_text.value
    assert d.errors == []


def test_stop_conditions_pause_play(demo):
    demo.controls["stop_epochs"].value = 50
    demo.play.playing = True
    for _ in range(100):
        tick(demo)
        if not demo.play.playing:
            break
    assert demo.model.epoch == 50 and not demo.play.playing
    assert "stopped: 50 epochs done" in demo.readout.value
    demo.controls["stop_epochs"].value = 0
    demo.controls["stop_loss"].value = 0.5
    demo.play.playing = True
    for _ in range(200):
        tick(demo)
        if not demo.play.playing:
            break
    assert demo.model.history["test"][-1] <= 0.5 and "stopped: test loss" in demo.readout.value


def test_export_button_prints_code_and_saves_weights(demo, tmp_path):
    demo.buttons["step"].click()
    demo.buttons["export"].click()
    text = demo.export_text.value
    assert "nl.course.PlaygroundModel(&#x27;circles&#x27;" in text and "nl.load(" in text
    net = nl.load(str(tmp_path / "pg.nnlib.npz"))
    for p, q in zip(net.parameters(), demo.model.net.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_play_updates_one_figure_in_place(demo):
    """A tick redraws the same Figure on its cached background (speed: tests/browser)."""
    tick(demo)
    view, net_image = demo.view, demo.view.net_im
    tick(demo, 2)
    demo.controls["lr"].value = 0.1
    assert demo.view is view and view.net_im is net_image and view._background is not None
    demo.controls["layers"].value = 3                     # a new network: a new layout
    assert demo.view is not view


# -- claims of notebook 09 (its Try-it answers), driven through the widget's own settings ------
def _widget_model(demo, **values):
    """Set controls like a learner would (one redraw each) and return the widget's model."""
    for name, value in values.items():
        demo.controls[name].value = value
    return demo.model


def test_claim_q1_three_tanh_neurons_are_enough_two_are_not(demo):
    demo.controls["layers"].value = 1
    accs = {}
    for n in (2, 3):
        m = _widget_model(demo, n1=n)
        assert (m.hidden, m.activation, m.lr) == ([n], "tanh", 0.03)
        accs[n] = m.train(300).accuracy("test")
    assert accs[3] > 0.95 and accs[2] < 0.8, accs


def test_claim_q2_x1x2_alone_solves_xor():
    one = PlaygroundModel("xor", features=["x1*x2"], hidden=(), lr=0.1).train(50)
    raw = PlaygroundModel("xor", features=["x1", "x2"], hidden=(), lr=0.1).train(50)
    assert one.accuracy("test") > 0.95 and raw.accuracy("test") < 0.65


def test_claim_q4_sines_help_and_noise_hurts():
    sines = PlaygroundModel("spiral", noise=0.0, features=["x1", "x2", "sin(x1)", "sin(x2)"],
                            hidden=(8,), lr=0.03).train(400)
    assert sines.accuracy("test") >= 0.85
    noisy = PlaygroundModel("spiral", noise=0.2, hidden=(8, 8, 8), activation="relu", lr=0.1).train(400)
    assert noisy.accuracy("test") < 0.75


def test_claim_q5_overfitting_and_l2_closes_the_gap(demo):
    settings = dict(dataset="xor", noise=0.3, train_pct=10, activation="relu", lr=0.1,
                    **{f"n{i + 1}": 8 for i in range(MAX_LAYERS)}, layers=MAX_LAYERS)
    demo.refresh = lambda: None                           # set many controls, draw once
    m = _widget_model(demo, **settings)
    del demo.refresh
    demo.reset()
    m = demo.model
    assert m.hidden == [8] * 6 and len(m.X_train) == 40
    m.train(500)
    test, train = np.array(m.history["test"]), np.array(m.history["train"])
    assert train[-1] < 0.05
    assert 50 < test.argmin() < 300 and test[-1] > 2 * test.min()       # the test loss turns up
    demo.controls["regularization"].value = "L2"
    demo.controls["reg_rate"].value = 0.03
    demo.reset()
    l2 = demo.model
    assert l2 is not m and l2.regularization == "L2" and l2.reg_rate == 0.03
    l2.train(500)
    gap = test[-1] - train[-1]
    gap_l2 = l2.history["test"][-1] - l2.history["train"][-1]
    assert gap_l2 < 0.5 * gap, (gap, gap_l2)
    acc, acc_l2 = m.history["test_acc"][-1], l2.history["test_acc"][-1]   # "85 %", "84 %"
    assert (round(100 * acc), round(100 * acc_l2)) == (85, 84), (acc, acc_l2)


def test_ticks_that_waited_in_the_queue_are_dropped():
    """A browser keeps ticking while the kernel is busy: the stale ticks must not pile up."""
    d = nl.widgets.playground()
    _ = d.widget
    d.interval = 0.005                                     # a tick takes many intervals here
    d.play.value = 1                                       # anchors the clock
    epochs = d.model.epoch
    assert epochs > 0
    for v in range(2, 6):                                  # queued while the first one ran
        d.play.value = v
    assert d.model.epoch == epochs                         # all dropped: the clock is further
    d.play.value = 500                                     # the tick the clock is at now
    assert d.model.epoch > epochs and d.errors == []


# -- issue 21: what the walk-through found --------------------------------------------------
def test_engine_trains_through_the_textbook_train_step(monkeypatch):
    """Issue 19/21: PlaygroundModel.train_step is notebook 08's nl.train_step, the penalty added
    to the weights' gradients before SGD's update (biases free), as notebook 09 writes it out."""
    from nnlib.course import playground_engine as engine
    assert engine.train_step is nl.train_step
    calls = []

    def spy(*args):
        calls.append(args)
        return nl.train_step(*args)
    monkeypatch.setattr(engine, "train_step", spy)
    for reg in ("none", "L1", "L2"):
        calls.clear()
        m = PlaygroundModel("moons", hidden=(3,), regularization=reg, reg_rate=0.1, n=40, seed=1)
        ref = PlaygroundModel("moons", hidden=(3,), n=40, seed=1)      # the step by hand
        xb, yb = m.F_train[:10], m.y_train[:10]
        m.train_step(xb, yb)
        assert len(calls) == 1 and calls[0][0] is m.net and calls[0][1] is m.loss_fn
        ref.net.zero_grad()
        ref.loss_fn(ref.net.forward(xb), yb)
        ref.net.backward(ref.loss_fn.backward())
        for lin in ref.linears():
            lin.W.grad += {"none": 0.0, "L1": 0.1 * np.sign(lin.W.data), "L2": 0.1 * lin.W.data}[reg]
        ref.optimizer.step()
        for p, q in zip(m.net.parameters(), ref.net.parameters()):
            assert np.array_equal(p.data, q.data), (reg, p.data, q.data)


def test_class_k_keeps_its_colour_whatever_the_number_of_classes():
    """Issue 21: adding a third class must not swap the colours of classes 0 and 1."""
    from nnlib.viz.playground_plots import PLAYGROUND_CLASS_COLORS, class_colors
    rng = nl.make_rng(0)
    X = rng.normal(size=(60, 2))
    seen = {}
    for C in (2, 3, 6):
        m = PlaygroundModel(X=X, y=np.arange(60) % C, hidden=(2,))
        colors = class_colors(m)
        assert len(colors) == C == len(set(colors)), colors
        for k, col in enumerate(colors):
            assert seen.setdefault(k, col) == col, f"{C} classes: class {k} is {col}, else {seen[k]}"
        legend = nl.viz.plot_playground(m).axes[1].get_legend()
        shown = {t.get_text(): h.get_markerfacecolor() for t, h in zip(legend.get_texts(),
                                                                      legend.legend_handles)}
        assert all(shown[f"class {k}"] == colors[k] for k in range(C)), shown
    assert seen[0] == nl.viz.style.NEGATIVE and seen[1] == nl.viz.style.POSITIVE
    assert nl.widgets.playground_widgets.PointCanvas().colors[:3] == PLAYGROUND_CLASS_COLORS[:3]


def test_drawing_a_third_class_keeps_the_first_two_colours(demo):
    demo.controls["dataset"].value = "draw"
    pts = [[x, y, "class 1" if x * y > 0 else "class 0"] for x in (-2, -1, 1, 2) for y in (-2, 1, 2)]
    demo.canvas.points = pts
    two = [sc.get_facecolor()[0].tolist() for sc in demo.view.scatters["train"]]
    demo.canvas.points = pts + [[0.5, 0.5, "class 2"], [-0.5, 0.5, "class 2"]]
    three = [sc.get_facecolor()[0].tolist() for sc in demo.view.scatters["train"] if len(sc.get_offsets())]
    assert demo.model.classes == 3 and three[:2] == two, (two, three)
    assert demo.errors == []


def test_claim_q6_an_edited_weight_is_written_once_and_training_pulls_it_back(demo):
    """09 Try it Q6: set the thickest weight to 0; the loss jumps; training moves the weight
    again (it is not pinned to the box) and the loss falls back; reset lets go of the choice."""
    for _ in range(150):
        demo.model.train_epoch()
    demo.refresh()
    m = demo.model
    li, i, j = max(((li, *np.unravel_index(np.abs(lin.W.data).argmax(), lin.W.shape))
                    for li, lin in enumerate(m.linears())),
                   key=lambda t: abs(m.linears()[t[0]].W.data[t[1], t[2]]))
    w0, loss0 = m.get_parameter(li, "W", i, j), m.history["train"][-1]
    demo.controls["edit"].value = f"{li}:W:{i}:{j}"
    assert m.get_parameter(li, "W", i, j) == w0                       # choosing writes nothing
    demo.controls["edit_value"].value = 0.0
    jumped = m.history["train"][-1]
    assert m.get_parameter(li, "W", i, j) == 0.0 and jumped > 3 * loss0, (loss0, jumped)
    for _ in range(30):
        demo.buttons["step"].click()
    w = m.get_parameter(li, "W", i, j)
    assert np.sign(w) == np.sign(w0) and abs(w) > 0.3 * abs(w0), (w0, w)   # pulled back
    assert m.history["train"][-1] < 0.5 * jumped, (jumped, m.history["train"][-1])
    assert demo.controls["edit_value"].value == pytest.approx(w)      # the box follows, paused
    demo.play.playing = True
    tick(demo, 3)
    demo.play.playing = False
    assert m.get_parameter(li, "W", i, j) != w                        # playing: not pinned either
    demo.buttons["reset"].click()
    assert demo.controls["edit"].value == "" and demo.model is not m
    fresh = demo.model.get_parameter(li, "W", i, j)
    demo.buttons["step"].click()
    assert demo.model.get_parameter(li, "W", i, j) != fresh           # after reset: free
    assert demo.errors == []


def test_exported_model_keeps_its_epoch_and_history(tmp_path, monkeypatch):
    """Issue 21: the exported code rebuilds a model that says the epoch it was exported at."""
    m = PlaygroundModel("circles", hidden=(3,), seed=4).train(151)
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(m.export_code(m.save("pg.nnlib.npz")), scope)
    rebuilt = scope["model"]
    assert rebuilt.epoch == 151 and rebuilt.summary() == m.summary(), (rebuilt.summary(), m.summary())
    for key in m.history:
        np.testing.assert_allclose(rebuilt.history[key], m.history[key])
    assert "after 151 epochs" in m.export_code("pg.nnlib.npz")


def test_static_loss_panel_title_gives_the_accuracy():
    """09 section 5: the loss panel's title gives the train and test accuracy."""
    m = PlaygroundModel("spiral3", hidden=(8,), activation="relu", lr=0.1, n=120).train(5)
    title = nl.viz.plot_playground(m).axes[2].get_title()
    want = (f"train {m.accuracy('train'):.0%}", f"test {m.accuracy('test'):.0%}")
    assert all(w in title for w in want), (title, want)


def test_regenerate_draws_a_new_sample_of_the_same_set(demo, tmp_path):
    """TensorFlow Playground's "regenerate": new points (a new data seed), the same set, noise
    and split, a fresh network from the same initial weights; another set starts at sample 1."""
    demo.controls["dataset"].value = "moons"
    demo.controls["noise"].value = 0.2
    demo.buttons["step"].click()
    old = demo.model
    demo.play.playing = True
    demo.buttons["regenerate"].click()
    new = demo.model
    assert new is not old and new.epoch == 0 and demo.play.playing is False
    assert (new.dataset, new.noise, len(new.X_train), len(new.X_test)) == ("moons", 0.2, 200, 200)
    assert not np.allclose(new.X_train, old.X_train) and new.data_seed == demo.seed + 1
    fresh = PlaygroundModel("moons", noise=0.2, n=400, seed=demo.seed)
    for p, q in zip(new.net.parameters(), fresh.net.parameters()):
        np.testing.assert_array_equal(p.data, q.data)                  # same start, new data
    assert "data sample 2" in demo.readout.value
    demo.buttons["regenerate"].click()
    assert demo.model.data_seed == demo.seed + 2 and not np.allclose(demo.model.X_train, new.X_train)
    demo.buttons["export"].click()
    assert "data_seed=2" in demo.export_text.value
    demo.controls["dataset"].value = "circles"
    assert demo.model.data_seed is None and "data sample" not in demo.readout.value
    demo.controls["dataset"].value = "draw"
    assert demo.buttons["regenerate"].layout.display == "none"
    assert demo.errors == []
    again = PlaygroundModel("moons", noise=0.2, n=400, seed=demo.seed, data_seed=demo.seed + 1)
    np.testing.assert_array_equal(again.X_train, new.X_train)           # a seed: reproducible
    with pytest.raises(ValueError, match="data_seed"):
        PlaygroundModel("moons", data_seed=-1)
