"""DataLoader, toy data sets, the training loop, save/load, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib as nl
from nnlib import fast


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 60), bs=st.integers(1, 70), shuffle=st.booleans(), drop=st.booleans(),
       seed=st.integers(0, 1000))
def test_dataloader_visits_every_sample_once(n, bs, shuffle, drop, seed):
    X = np.arange(n, dtype=float)[:, None] * np.ones((1, 3))
    y = np.arange(n)
    if drop and bs > n:
        with pytest.raises(ValueError, match="no batches"):
            nl.DataLoader(X, y, bs, shuffle=shuffle, drop_last=drop, rng=seed)
        return
    loader = nl.DataLoader(X, y, bs, shuffle=shuffle, drop_last=drop, rng=seed)
    for iterate in (iter, fast.KeptBatches):
        seen = []
        for xb, yb in iterate(loader):
            assert np.array_equal(xb[:, 0], yb) and len(yb) <= bs
            seen.extend(yb.tolist())
        assert len(seen) == len(loader) * bs if drop else len(seen) == n
        assert len(set(seen)) == len(seen)                   # no sample twice
        if not drop:
            assert sorted(seen) == list(range(n))            # every sample once


def test_dataloader_same_seed_same_batches_and_reshuffles():
    X, y = nl.make_moons(50, rng=0)
    a = [yb.tolist() for _, yb in nl.DataLoader(X, y, 8, rng=3)]
    b = [yb.tolist() for _, yb in nl.DataLoader(X, y, 8, rng=3)]
    assert a == b
    loader = nl.DataLoader(X, y, 8, rng=3)
    first, second = [[yb.tolist() for _, yb in loader] for _ in range(2)]
    assert first != second                                   # a new order every epoch


def _train(seed, epochs=3):
    X, y = nl.make_moons(200, noise=0.1, rng=seed)
    model = nl.mlp([2, 16, 2], rng=seed)
    loader = nl.DataLoader(X, y, 16, rng=seed)
    nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), 0.3), loader,
           epochs=epochs, progress=False)
    return [p.data.copy() for p in model.parameters()]


def test_same_seed_identical_trained_weights():
    a, b, c = _train(5), _train(5), _train(6)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not all(np.array_equal(p, q) for p, q in zip(a, c))


def test_moons_2_16_2_reaches_97_percent():
    X, y = nl.make_moons(400, noise=0.1, rng=0)
    model = nl.mlp([2, 16, 2], act="tanh", rng=0)
    hist = nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), 0.5, momentum=0.9),
                  nl.DataLoader(X, y, 32, rng=0), epochs=60, val=(X, y), progress=False)
    assert hist["val_acc"][-1] > 0.97
    assert hist["loss"][-1] < hist["loss"][0] / 5


def test_small_mnist_mlp_reaches_90_percent():
    Xtr, ytr, Xte, yte = nl.load_mnist(subset="small")
    model = nl.mlp([784, 64, 10], rng=0, dtype=np.float32)
    nl.fit(model, nl.SoftmaxCrossEntropy(), nl.Adam(model.parameters(), 2e-3),
           nl.DataLoader(Xtr, ytr, 64, rng=0), epochs=4, progress=False)
    assert nl.evaluate(model, nl.SoftmaxCrossEntropy(), Xte, yte)["acc"] > 0.90


def test_fit_stops_on_divergence_naming_the_step():
    X, y = nl.make_moons(100, rng=0)
    model = nl.mlp([2, 32, 2], rng=0)
    with pytest.raises(nl.TrainingDiverged, match=r"at step \d+ .*smaller learning rate"):
        nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), 1e6),
               nl.DataLoader(X * 1e3, y, 10, rng=0), epochs=5, progress=False)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("fast_on", [True, False])
def test_fit_says_the_data_is_not_finite(bad, fast_on):
    X, y = nl.make_moons(100, rng=0)
    X[37, 1] = bad
    model = nl.mlp([2, 8, 2], rng=0)
    with pytest.raises(nl.TrainingDiverged, match="not finite") as info:
        nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), 0.1),
               nl.DataLoader(X, y, 10, rng=0), epochs=1, progress=False, fast=fast_on)
    assert "inputs" in str(info.value) and "learning rate" not in str(info.value)
    Y = np.zeros((100, 1))
    Y[3] = np.nan                                            # regression targets
    model = nl.mlp([2, 8, 1], rng=0)
    with pytest.raises(nl.TrainingDiverged, match="targets are not finite"):
        nl.fit(model, nl.MSELoss(), nl.SGD(model.parameters(), 0.1),
               nl.DataLoader(np.zeros((100, 2)), Y, 10, rng=0), epochs=1, progress=False,
               fast=fast_on)


LAYER_MAKERS = {"Linear": lambda: nl.Linear(3, 2, rng=0), "ReLU": nl.ReLU, "Sigmoid": nl.Sigmoid,
                "Tanh": nl.Tanh, "LeakyReLU": nl.LeakyReLU, "Identity": nl.Identity,
                "Dropout": lambda: nl.Dropout(0.5, rng=0)}


@pytest.mark.parametrize("name", list(LAYER_MAKERS))
def test_backward_before_forward_says_call_forward_first(name):
    layer = LAYER_MAKERS[name]()
    with pytest.raises(RuntimeError, match=rf"{name}\.backward: call {name}\.forward\(x\) first"):
        layer.backward(np.ones((4, 2)))
    with pytest.raises(RuntimeError, match=r"Linear\.backward: call Linear\.forward"):
        nl.mlp([3, 4, 2], rng=0).backward(np.ones((4, 2)))   # the last layer of a network says it


@pytest.mark.parametrize("name", list(LAYER_MAKERS))
def test_backward_with_a_wrong_dout_names_the_layer_and_both_shapes(name):
    layer = LAYER_MAKERS[name]()
    x = np.ones((4, 3))
    out_shape = layer.forward(x).shape
    bad = np.ones((4, 5))
    layer.forward(x)
    with pytest.raises(ValueError, match=rf"{name}\.backward: dout has shape \(4, 5\), "
                                         rf"expected \({out_shape[0]}, {out_shape[1]}\)"):
        layer.backward(bad)


@pytest.mark.parametrize("damage", ["half", "last bytes", "flipped bytes", "not a zip", "empty"])
def test_load_of_a_damaged_file_says_it_is_not_a_complete_model(tmp_path, damage):
    path = nl.save(nl.mlp([4, 5, 3], rng=0), tmp_path / "m.npz", note="x")
    raw = open(path, "rb").read()
    damaged = {"half": raw[: len(raw) // 2], "last bytes": raw[:-10],
               "flipped bytes": raw[:200] + bytes(b ^ 0xFF for b in raw[200:260]) + raw[260:],
               "not a zip": b"hello, world", "empty": b""}[damage]
    bad = tmp_path / "bad.npz"
    bad.write_bytes(damaged)
    with pytest.raises(ValueError, match=r"bad\.npz' is not a complete nnlib model"):
        nl.load(bad)


def test_callbacks_see_every_step_and_epoch_and_early_stopping_restores_best():
    X, y = nl.make_spiral(200, noise=0.2, rng=0)
    Xv, yv = nl.make_spiral(100, noise=0.2, rng=1)
    model = nl.mlp([2, 32, 2], rng=0)
    events = []

    class Recorder(nl.Callback):
        def on_step_end(self, step, logs):
            events.append(("step", step, logs["loss"]))

        def on_epoch_end(self, epoch, logs):
            events.append(("epoch", epoch, logs["val_loss"]))

        def on_train_end(self, history):
            events.append(("end", len(history)))

    stopper = nl.EarlyStopping("val_loss", patience=0)
    loader = nl.DataLoader(X, y, 20, rng=0)
    hist = nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), 2.0, momentum=0.9),
                  loader, epochs=40, val=(Xv, yv), callbacks=[Recorder(), stopper], progress=False)
    steps = [e for e in events if e[0] == "step"]
    epochs = [e for e in events if e[0] == "epoch"]
    assert len(steps) == len(hist.step_loss) == len(epochs) * len(loader)
    assert events[-1] == ("end", len(hist))
    assert len(hist) < 40                                   # stopped early
    best = nl.evaluate(model, nl.SoftmaxCrossEntropy(), Xv, yv)["loss"]
    assert np.isclose(best, min(hist["val_loss"]))          # best weights restored


def test_callbacks_count_steps_and_epochs_from_1():
    """Notebook 08 section 4: step, logs["epoch"] in on_step_end and on_epoch_end's epoch all
    count from 1, and a step's logs["epoch"] is the number on_epoch_end then reports."""
    X, y = nl.make_moons(40, rng=0)
    seen = []

    class Record(nl.Callback):
        def on_step_end(self, step, logs):
            seen.append(("step", step, logs["epoch"], logs["step"]))

        def on_epoch_end(self, epoch, logs):
            seen.append(("end", epoch, logs["epoch"]))

    net = nl.mlp([2, 4, 2], rng=0)
    nl.fit(net, nl.SoftmaxCrossEntropy(), nl.SGD(net.parameters(), lr=0.1),
           nl.DataLoader(X, y, batch_size=16, rng=0), epochs=2, callbacks=[Record()], progress=False)
    want = [("step", 1, 1, 1), ("step", 2, 1, 2), ("step", 3, 1, 3), ("end", 1, 1),
            ("step", 4, 2, 4), ("step", 5, 2, 5), ("step", 6, 2, 6), ("end", 2, 2)]
    assert seen == want, f"events {seen}, expected {want}"


def test_save_load_round_trip(tmp_path):
    model = nl.Sequential(nl.Linear(4, 5, rng=0, dtype=np.float32), nl.LeakyReLU(0.2),
                          nl.Dropout(0.3), nl.Linear(5, 3, rng=1, dtype=np.float32), nl.Tanh())
    path = nl.save(model, tmp_path / "m", test_acc=0.5)
    loaded, meta = nl.load(path, with_metadata=True)
    assert meta == {"test_acc": 0.5}
    assert [type(m) for m in loaded.layers] == [type(m) for m in model.layers]
    for p, q in zip(model.parameters(), loaded.parameters()):
        assert p.data.dtype == q.data.dtype and np.array_equal(p.data, q.data)
    x = np.random.default_rng(0).standard_normal((2, 4)).astype(np.float32)
    assert np.array_equal(model.eval()(x), loaded.eval()(x))
    with pytest.raises(FileNotFoundError):
        nl.load(tmp_path / "missing.npz")


@pytest.mark.parametrize("make", [nl.make_blobs, nl.make_linear, nl.make_xor, nl.make_circles,
                                  nl.make_moons, nl.make_spiral, nl.make_gaussians, nl.make_plane,
                                  nl.make_gaussian_mixture])
def test_toy_datasets(make):
    X, y = make(101, noise=0.1, rng=0)
    assert X.shape == (101, 2) and y.shape == (101,) and np.all(np.isfinite(X))
    X2, y2 = make(101, noise=0.1, rng=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    if y.dtype.kind == "i":
        counts = np.bincount(y)
        assert counts.min() >= 101 // len(counts) - 1        # balanced classes
    with pytest.raises(ValueError, match=make.__name__):
        make(0, noise=0.1)
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=-1)


@pytest.mark.parametrize("call, match", [
    (lambda: nl.Linear(3, 2)(np.zeros((4, 5))), r"Linear: expected input of shape \(N, 3\), got shape \(4, 5\)"),
    (lambda: nl.Linear(3, 2)(np.zeros(3)), r"Linear: expected input of shape \(N, 3\)"),
    (lambda: nl.Linear(0, 2), "in_features must be a positive int"),
    (lambda: nl.Linear(2, 2, init="bogus"), "init must be one of"),
    (lambda: nl.Linear(2, 2, dtype=np.int32), "dtype must be a float"),
    (lambda: nl.Linear(3, 2)(np.array([["a", "b", "c"]])), "numeric"),
    (lambda: nl.SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0, 3])), r"labels must be in \[0, 2\]"),
    (lambda: nl.SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0.0, 1.0])), "integer class labels"),
    (lambda: nl.SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0, 1, 2])), "2 predictions but 3 labels"),
    (lambda: nl.SoftmaxCrossEntropy()(np.zeros((0, 3)), np.array([], int)), "empty"),
    (lambda: nl.MSELoss()(np.zeros((2, 2)), np.zeros((3, 2))), "must match"),
    (lambda: nl.BinaryCrossEntropy()(np.zeros((2, 1)), np.array([[0], [2]])), r"in \[0, 1\]"),
    (lambda: nl.DataLoader(np.zeros((0, 2)), np.zeros(0)), "DataLoader: X is empty"),
    (lambda: nl.DataLoader(np.zeros((3, 2)), np.zeros(2)), "3 examples but y has 2"),
    (lambda: nl.DataLoader(np.zeros((3, 2)), np.zeros(3), batch_size=-1), "batch_size must be a positive"),
    (lambda: nl.one_hot(np.array([0, 5]), 3), r"one_hot: labels must be in \[0, 2\]"),
    (lambda: nl.mlp([3]), "at least"),
    (lambda: nl.mlp([3, 2], act="swish"), "act must be one of"),
    (lambda: nl.Dropout(1.0), r"p must be in \[0, 1\)"),
    (lambda: nl.Sequential(nl.ReLU(), "relu"), "item 1 is a str"),
    (lambda: nl.fit(nl.mlp([2, 2]), nl.MSELoss(), nl.SGD(nl.mlp([2, 2]).parameters(), 0.1),
                    [], epochs=-1), "epochs must be"),
    (lambda: nl.accuracy(np.zeros((3, 2)), np.zeros(2)), "3 predictions but 2 labels"),
    (lambda: nl.make_rng("seed"), "rng: expected None, an int seed"),
])
def test_bad_inputs_raise_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_outside_fit_outputs_are_fresh_arrays():
    model = nl.mlp([2, 4, 2], rng=0)
    a = model(np.ones((3, 2)))
    b = model(np.zeros((3, 2)))
    assert not np.shares_memory(a, b) and not np.allclose(a, b)


def test_accuracy_and_one_hot():
    assert nl.accuracy(np.array([[0.1, 0.9], [2.0, 1.0]]), np.array([1, 1])) == 0.5
    assert nl.accuracy(np.array([[3.0], [-1.0]]), np.array([1, 0])) == 1.0
    assert np.array_equal(nl.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
