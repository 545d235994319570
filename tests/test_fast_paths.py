"""The fast twins of `nnlib/fast.py` give the same numbers as the textbook code.

`fit(fast=True)` (the default) runs the network, the loss and the optimizer with their twins:
reused arrays, gradients written instead of added, no dL/dx for the first layer, fused
optimizer updates. None of that may change a result beyond rounding: here every layer, loss
and optimizer is run both ways in float64 and compared to 1e-12, and so is a whole `fit`.
No timing (that is `benchmarks/bench_epoch.py`).
"""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib import fast
from nnlib.core import Module, Parameter

RTOL, ATOL = 1e-12, 1e-14


def close(a, b, rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def make_data(n=96, d=12, classes=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.integers(0, classes, n)
    return X, y


OPTIMIZERS = ["sgd", "momentum", "sgd_wd", "rmsprop", "adam", "adam_wd"]


def make_optimizer(name, params):
    if name == "sgd":
        return nl.SGD(params, lr=0.1)
    if name == "momentum":
        return nl.SGD(params, lr=0.05, momentum=0.9, weight_decay=1e-3)
    if name == "sgd_wd":
        return nl.SGD(params, lr=0.1, weight_decay=1e-2)
    if name == "rmsprop":
        return nl.RMSProp(params, lr=1e-3)
    if name == "adam":
        return nl.Adam(params, lr=1e-2)
    if name == "adam_wd":
        return nl.Adam(params, lr=1e-2, weight_decay=1e-2)
    raise AssertionError(name)


class Scale(Module):
    """A custom module without a twin: it adds to its gradient, so fit must zero it."""

    def __init__(self, d):
        self.s = Parameter(np.ones(d), "s")

    def forward(self, x):
        self._x = x
        return x * self.s.data

    def backward(self, dout):
        self.s.grad += (dout * self._x).sum(axis=0)
        return dout * self.s.data


def no_twins_left(*objs):
    """After fast mode, no instance attribute shadows a class method any more."""
    for obj in objs:
        for layer in [obj, *getattr(obj, "layers", [])]:
            assert not {"forward", "backward", "step", "zero_grad"} & set(vars(layer)), layer


# ------------------------------------------------------------------- fit: fast == textbook
def run_fit(opt_name, batch_size, fast_on, epochs=3, act="relu"):
    X, y = make_data()
    model = nl.mlp([12, 10, 8, 4], act=act, rng=1)
    opt = make_optimizer(opt_name, model.parameters())
    schedule = nl.cosine_lr(0.1 if opt_name.startswith(("sgd", "momentum")) else 1e-2, warmup=0.1)
    history = nl.fit(model, nl.SoftmaxCrossEntropy(), opt,
                     nl.DataLoader(X, y, batch_size=batch_size, rng=2), epochs=epochs,
                     progress=False, lr_schedule=schedule, fast=fast_on)
    return model, opt, history


@pytest.mark.parametrize("opt", OPTIMIZERS)
@pytest.mark.parametrize("batch_size", [16, 20])         # 20: a short last batch
def test_fit_fast_equals_fit_textbook(opt, batch_size):
    fast_model, fast_opt, fast_hist = run_fit(opt, batch_size, True)
    plain_model, plain_opt, plain_hist = run_fit(opt, batch_size, False)
    close(fast_hist.step_loss, plain_hist.step_loss)
    for p, q in zip(fast_model.parameters(), plain_model.parameters()):
        close(p.data, q.data, rtol=1e-11, atol=1e-13)
    for p, q in zip(fast_model.parameters(), plain_model.parameters()):
        close(p.grad, q.grad, rtol=1e-9, atol=1e-12)     # the last step's true gradient
    for name in ("v", "s", "m"):                          # optimizer state written back
        for a, b in zip(getattr(fast_opt, name, []), getattr(plain_opt, name, [])):
            close(a, b, rtol=1e-11, atol=1e-13)
    assert fast_opt.t == plain_opt.t
    no_twins_left(fast_model, fast_opt)


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "leaky_relu", "identity"])
def test_fit_fast_equals_textbook_for_every_activation(act):
    fast_model, _, fast_hist = run_fit("momentum", 16, True, epochs=2, act=act)
    plain_model, _, plain_hist = run_fit("momentum", 16, False, epochs=2, act=act)
    close(fast_hist.step_loss, plain_hist.step_loss)
    for p, q in zip(fast_model.parameters(), plain_model.parameters()):
        close(p.data, q.data, rtol=1e-11, atol=1e-13)


class GradRecorder(nl.Callback):
    """Copies of every gradient after every step (a callback sees the true gradients)."""

    def __init__(self):
        self.grads = []

    def on_train_begin(self, model, history):
        self.model = model

    def on_step_end(self, step, logs):
        self.grads.append([p.grad.copy() for p in self.model.parameters()])


@pytest.mark.parametrize("opt", ["sgd", "momentum", "sgd_wd", "adam"])
@pytest.mark.parametrize("one_hot", [False, True])
def test_callbacks_see_the_textbook_gradients(opt, one_hot):
    """With a callback, SGD does not fold lr into the gradients; one-hot targets either way."""
    X, y = make_data()
    Y = nl.one_hot(y, 4) if one_hot else y
    runs = []
    for fast_on, with_cb in ((True, True), (True, False), (False, True)):
        model = nl.mlp([12, 10, 4], rng=1)
        rec = GradRecorder()
        nl.fit(model, nl.SoftmaxCrossEntropy(), make_optimizer(opt, model.parameters()),
               nl.DataLoader(X, Y, batch_size=16, rng=2), epochs=2, progress=False,
               callbacks=[rec] if with_cb else [], fast=fast_on)
        runs.append((model, rec))
    (fast_model, fast_rec), (folded_model, _), (plain_model, plain_rec) = runs
    for a, b in zip(fast_rec.grads, plain_rec.grads):
        for g, h in zip(a, b):
            close(g, h, rtol=1e-10, atol=1e-13)
    for m in (fast_model, folded_model):
        for p, q in zip(m.parameters(), plain_model.parameters()):
            close(p.data, q.data, rtol=1e-11, atol=1e-13)
            close(p.grad, q.grad, rtol=1e-9, atol=1e-12)


def test_fit_textbook_is_the_train_step_loop():
    """fit(fast=False) is nothing but train_step over the loader's batches."""
    X, y = make_data()
    model = nl.mlp([12, 8, 4], rng=1)
    hist = nl.fit(model, nl.SoftmaxCrossEntropy(), nl.Adam(model.parameters(), lr=1e-2),
                  nl.DataLoader(X, y, batch_size=16, rng=2), epochs=2, progress=False, fast=False)
    ref = nl.mlp([12, 8, 4], rng=1)
    opt, loss_fn = nl.Adam(ref.parameters(), lr=1e-2), nl.SoftmaxCrossEntropy()
    loader = nl.DataLoader(X, y, batch_size=16, rng=2)
    losses = [nl.train_step(ref, loss_fn, opt, xb, yb) for _ in range(2) for xb, yb in loader]
    assert hist.step_loss == losses
    for p, q in zip(model.parameters(), ref.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_fit_with_dropout_and_mse_fast_equals_textbook():
    X, _ = make_data()
    Y = np.random.default_rng(3).standard_normal((96, 2))
    runs = []
    for fast_on in (True, False):
        model = nl.mlp([12, 16, 2], act="tanh", dropout=0.3, rng=4)
        nl.fit(model, nl.MSELoss(), nl.SGD(model.parameters(), lr=0.05, momentum=0.5),
               nl.DataLoader(X, Y, batch_size=32, rng=5), epochs=2, progress=False, fast=fast_on)
        runs.append(model.parameters())
    for p, q in zip(*runs):
        close(p.data, q.data, rtol=1e-11, atol=1e-13)


def test_fit_still_zeroes_grads_of_modules_without_twins():
    X, y = make_data()
    runs = []
    for fast_on in (True, False):
        model = nl.Sequential(nl.Linear(12, 8, rng=3), Scale(8), nl.ReLU(), nl.Linear(8, 4, rng=4))
        nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), lr=0.1, momentum=0.5),
               nl.DataLoader(X, y, batch_size=16, rng=5), epochs=2, progress=False, fast=fast_on)
        runs.append(model.parameters())
    for p, q in zip(*runs):
        close(p.data, q.data, rtol=1e-11, atol=1e-13)


def test_a_layer_used_twice_keeps_adding_its_gradients():
    X, _ = make_data(d=6)
    y = np.random.default_rng(0).integers(0, 6, 96)
    runs = []
    for fast_on in (True, False):
        shared = nl.Linear(6, 6, rng=7)
        model = nl.Sequential(shared, nl.Tanh(), shared)
        nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), lr=0.1),
               nl.DataLoader(X, y, batch_size=16, rng=5), epochs=2, progress=False, fast=fast_on)
        runs.append(shared.W.data.copy())
    close(runs[0], runs[1], rtol=1e-11, atol=1e-13)


def test_fit_detects_nan_and_restores_the_textbook_code():
    X, y = make_data()
    X[5] = np.nan
    model = nl.mlp([12, 8, 4], rng=0)
    opt = nl.Adam(model.parameters())
    with pytest.raises(nl.TrainingDiverged, match="not finite"):
        nl.fit(model, nl.SoftmaxCrossEntropy(), opt,
               nl.DataLoader(X, y, batch_size=96, shuffle=False), epochs=1, progress=False)
    no_twins_left(model, opt)
    X1, X2 = make_data(seed=1)[0], make_data(seed=2)[0]
    a = model(X1)
    a_copy = a.copy()
    model(X2)
    np.testing.assert_array_equal(a, a_copy)             # outside fit: fresh arrays
    assert model.backward(np.ones((96, 4))).shape == (96, 12)


# ----------------------------------------------------------------------------- layers
LAYERS = {
    "linear": lambda: nl.Linear(5, 3, rng=1),
    "relu": nl.ReLU, "tanh": nl.Tanh, "sigmoid": nl.Sigmoid, "identity": nl.Identity,
    "leaky_relu": lambda: nl.LeakyReLU(0.1),
    "dropout": lambda: nl.Dropout(0.4, rng=3),
    "sequential": lambda: nl.Sequential(nl.Linear(5, 4, rng=1), nl.ReLU(), nl.Linear(4, 3, rng=2),
                                        nl.Tanh()),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_every_layer_fast_equals_textbook(name):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((7, 5))
    plain = LAYERS[name]()
    dout = rng.standard_normal(plain.forward(x).shape)
    plain, twin = LAYERS[name](), LAYERS[name]()
    a_plain = plain.forward(x)
    dx_plain = plain.backward(dout)
    for p in twin.parameters():                           # written, not added to
        p.grad[...] = 123.0
    with fast.fast_mode(twin, input_grad=True):
        for _ in range(2):                                # the second call reuses arrays
            if isinstance(twin, nl.Dropout):
                twin.rng = nl.make_rng(3)                 # the same mask again
            close(twin.forward(x), a_plain)
            close(twin.backward(dout), dx_plain)
        for p, q in zip(twin.parameters(), plain.parameters()):
            close(p.grad, q.grad)
    no_twins_left(twin)
    twin.forward(x)
    assert twin.backward(dout).shape == x.shape           # the textbook again: dL/dx


def test_linear_twin_writes_grads_and_skips_dx_only_as_first_layer():
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((7, 5)), rng.standard_normal((7, 3))
    layer = nl.Linear(5, 3, rng=1)
    with fast.fast_mode(layer):                           # the model itself: no dL/dx
        layer.forward(x)
        assert layer.backward(dout) is None
        layer.forward(x)
        layer.backward(dout)
        close(layer.W.grad, x.T @ dout)                   # twice, still written once
        close(layer.b.grad, dout.sum(axis=0))
    layer.forward(x)
    close(layer.backward(dout), dout @ layer.W.data.T)
    close(layer.W.grad, 2 * (x.T @ dout))                 # textbook: adds


def test_first_layer_skips_dx_only_in_fast_mode():
    x = np.random.default_rng(0).standard_normal((4, 6))
    model = nl.mlp([6, 5, 3], rng=0)
    dout = np.ones((4, 3))
    with fast.fast_mode(model):
        model.forward(x)
        assert model.backward(dout) is None
        assert model.layers[2].backward(dout).shape == (4, 5)   # inner layers keep dL/dx
    model.forward(x)
    assert model.backward(dout).shape == (4, 6)


def test_evaluation_mode_returns_fresh_arrays_inside_fast_mode():
    model = nl.mlp([6, 5, 3], act="tanh", rng=0)
    x1, x2 = np.ones((4, 6)), np.zeros((4, 6))
    with fast.fast_mode(model):
        a = model.forward(x1)
        b = model.forward(x2)
        assert np.shares_memory(a, b)                     # training: one array per shape
        model.eval()
        a = model.forward(x1)
        b = model.forward(x2)
        assert not np.shares_memory(a, b)
        model.train()


def test_validation_inside_fit_sees_every_batch():
    X, y = make_data(n=300)
    model = nl.mlp([12, 8, 4], rng=0)
    history = nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), lr=0.1),
                     nl.DataLoader(X, y, batch_size=32, rng=1), epochs=2, progress=False,
                     val=(X, y))
    with fast.fast_mode(model):
        inside = nl.predict(model, X, batch_size=64)
    outside = nl.predict(model, X, batch_size=64)
    close(inside, outside)
    close(outside, model(X))
    assert history["val_acc"][-1] == pytest.approx(nl.accuracy(outside, y))


def test_registry_is_keyed_by_exact_type():
    class WrongTanh(nl.Tanh):
        def df(self):
            return 1.0 - self._a                          # a subclass must not run Tanh's twin
    assert fast.twin_for(nl.Tanh) is not None and fast.twin_for(WrongTanh) is None
    x, dout = np.full((2, 3), 0.5), np.ones((2, 3))
    layer = WrongTanh()
    with fast.fast_mode(layer, input_grad=True):
        layer.forward(x)
        close(layer.backward(dout), 1.0 - np.tanh(x))


def test_batches_are_the_loaders_batches():
    X, y = make_data(n=50)
    for drop_last in (False, True):
        plain = [(xb.copy(), yb.copy()) for xb, yb in nl.DataLoader(X, y, 16, drop_last=drop_last,
                                                                      rng=3)]
        reused = [(xb.copy(), yb.copy())
                  for xb, yb in fast.batches(nl.DataLoader(X, y, 16, drop_last=drop_last, rng=3))]
        assert len(plain) == len(reused)
        for (a, b), (c, d) in zip(plain, reused):
            np.testing.assert_array_equal(a, c)
            np.testing.assert_array_equal(b, d)
    assert [xb.tolist() for xb in fast.batches(nl.DataLoader(X[:3], None, 2, shuffle=False))] \
        == [X[:2].tolist(), X[2:3].tolist()]
    assert list(fast.batches([(1, 2)])) == [(1, 2)]      # other iterables as they are


# ----------------------------------------------------------------------------- losses
def loss_cases():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((9, 5)) * 4
    y = rng.integers(0, 5, 9)
    yield "softmax_ce labels", nl.SoftmaxCrossEntropy, z, y
    yield "softmax_ce one-hot", nl.SoftmaxCrossEntropy, z, np.eye(5)[y]
    yield "mse", nl.MSELoss, z, rng.standard_normal((9, 5))
    yield "bce", nl.BinaryCrossEntropy, z[:, :1], rng.integers(0, 2, (9, 1))


@pytest.mark.parametrize("case", list(loss_cases()), ids=lambda c: c[0])
def test_every_loss_fast_equals_textbook(case):
    _, make, z, y = case
    plain, twin = make(), make()
    loss = plain(z, y)
    grad = plain.backward()
    with fast.fast_mode(None, twin):
        for _ in range(2):
            assert twin(z, y) == pytest.approx(loss, rel=RTOL)
            close(twin.backward(), grad)
        if make is nl.SoftmaxCrossEntropy:
            close(twin.probs, plain.probs)
            close(twin(z[:4], y[:4]), make()(z[:4], y[:4]))   # another batch size
    assert "forward" not in vars(twin)


def test_softmax_cross_entropy_matches_the_formula():
    rng = np.random.default_rng(0)
    z, y = rng.standard_normal((9, 5)) * 4, rng.integers(0, 5, 9)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    onehot = np.eye(5)[y]
    loss_fn = nl.SoftmaxCrossEntropy()
    assert loss_fn(z, y) == pytest.approx(-np.mean(np.log(p[np.arange(9), y])), rel=1e-13)
    close(loss_fn.backward(), (p - onehot) / 9)
    close(loss_fn.probs, p)


@pytest.mark.parametrize("bad", [[0, 1, -1], [0, 5, 1], np.array([0, 1, 2], np.uint8) + 7])
def test_softmax_cross_entropy_rejects_bad_labels_both_ways(bad):
    z = np.zeros((3, 5))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 4\]"):
        nl.SoftmaxCrossEntropy()(z, np.asarray(bad))
    twin = nl.SoftmaxCrossEntropy()
    with fast.fast_mode(None, twin), pytest.raises(ValueError, match=r"labels must be in \[0, 4\]"):
        twin(z, np.asarray(bad))


# ------------------------------------------------------------------------- optimizers
def textbook(name, w0, grads):
    """The formulas of notebook 11, written out for one array."""
    w, m, v = w0.copy(), np.zeros_like(w0), np.zeros_like(w0)
    for t, g in enumerate(grads, start=1):
        if name == "sgd":
            w = w - 0.1 * g
        elif name == "sgd_wd":
            w = w - 0.1 * (g + 1e-2 * w)
        elif name == "momentum":
            v = 0.9 * v - 0.05 * (g + 1e-3 * w)
            w = w + v
        elif name == "rmsprop":
            v = 0.9 * v + 0.1 * g ** 2
            w = w - 1e-3 * g / (np.sqrt(v) + 1e-8)
        else:
            if name == "adam_wd":
                g = g + 1e-2 * w
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g ** 2
            m_hat, v_hat = m / (1 - 0.9 ** t), v / (1 - 0.999 ** t)
            w = w - 1e-2 * m_hat / (np.sqrt(v_hat) + 1e-8)
    return w


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_textbook_and_fast_equal_the_formula(name):
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((4, 3))
    grads = [rng.standard_normal((4, 3)) for _ in range(6)]
    want = textbook(name, w0, grads)
    plain, twin, mixed = (Parameter(w0.copy()) for _ in range(3))
    opts = [make_optimizer(name, [p]) for p in (plain, twin, mixed)]
    for g in grads:
        plain.grad[...] = g
        opts[0].step()
    with fast.fast_mode(None, None, opts[1]):
        for g in grads:
            twin.grad[...] = g
            opts[1].step()
    for k, g in enumerate(grads):                         # fast for 3 steps, then textbook
        mixed.grad[...] = g
        if k < 3:
            with fast.fast_mode(None, None, opts[2]):
                opts[2].step()
        else:
            opts[2].step()
    for p in (plain, twin, mixed):
        close(p.data, want)
    assert opts[0].t == opts[1].t == opts[2].t == len(grads)


def test_optimizers_update_in_place_and_keep_grads():
    for make in (lambda ps: nl.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
                 lambda ps: nl.Adam(ps, weight_decay=0.1), nl.RMSProp):
        for fast_on in (False, True):
            p = Parameter(np.ones((3, 2)))
            data, grad = p.data, p.grad
            grad[...] = 0.5
            opt = make([p])
            with fast.fast_mode(None, None, opt) if fast_on else np.errstate():
                opt.step()
            assert p.data is data and p.grad is grad
            np.testing.assert_array_equal(grad, 0.5)


def test_zero_grad_in_fast_mode_skips_only_written_gradients():
    model = nl.Sequential(nl.Linear(3, 2, rng=0), Scale(2))
    opt = nl.SGD(model.parameters(), lr=0.1)
    for p in model.parameters():
        p.grad[...] = 1.0
    with fast.fast_mode(model, None, opt):
        opt.zero_grad()
        assert model[0].W.grad.all() and not model[1].s.grad.any()
    opt.zero_grad()
    assert not any(p.grad.any() for p in model.parameters())


# ------------------------------------------------------------------------ MNIST recipe
def test_mnist_recipe_fast_mode_trains_and_saves(tmp_path, capsys):
    from nnlib import mnist

    model, history, acc = mnist.train_mnist(fast=True, epochs=1, progress=False)
    assert len(history) == 1 and 0.5 < acc <= 1.0
    assert history.train_time > 0 and len(history["val_acc"]) == 1
    assert mnist.main(["--fast", "--epochs", "1", "--no-progress", "--save",
                       str(tmp_path / "m.npz")]) == 0
    out = capsys.readouterr().out
    assert "test accuracy" in out and (tmp_path / "m.npz").exists()
    loaded, meta = nl.load(tmp_path / "m.npz", with_metadata=True)
    assert meta["recipe"]["sizes"] == list(mnist.RECIPE.sizes)
    with pytest.raises(SystemExit):
        mnist.main(["--epochs", "0"])
