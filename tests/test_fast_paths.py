"""The fast paths give the same numbers as the simple ones.

`fit` runs the network in fast mode (reused buffers, overwritten gradients, no dL/dx for the
first layer, no zeroing of what is overwritten) and the optimizers fold constants to save
passes over the weights. None of that may change a single result beyond rounding: here every
fast path is compared with the plain code or the textbook formula, in float64. No timing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nnlib as nl
from nnlib.core import Module, Parameter


def make_data(n=96, d=12, classes=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.integers(0, classes, n)
    return X, y


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
    """A custom module with a parameter that accumulates its gradient (no fast mode)."""

    def __init__(self, d):
        self.s = Parameter(np.ones(d), "s")

    def forward(self, x):
        self._x = x
        return x * self.s.data

    def backward(self, dout):
        self.s.grad += (dout * self._x).sum(axis=0)
        return dout * self.s.data


# --------------------------------------------------------------- fit == plain train_step
@pytest.mark.parametrize("opt", ["sgd", "momentum", "sgd_wd", "rmsprop", "adam", "adam_wd"])
@pytest.mark.parametrize("batch_size", [16, 20])         # 20: a short last batch
def test_fit_equals_plain_train_step_loop(opt, batch_size):
    X, y = make_data()
    schedule = nl.cosine_lr(0.1 if opt.startswith(("sgd", "momentum")) else 1e-2, warmup=0.1)
    epochs = 3

    fast_model = nl.mlp([12, 10, 8, 4], rng=1)
    fast_opt = make_optimizer(opt, fast_model.parameters())
    loader = nl.DataLoader(X, y, batch_size=batch_size, rng=2)
    history = nl.fit(fast_model, nl.SoftmaxCrossEntropy(), fast_opt, loader, epochs=epochs,
                     progress=False, lr_schedule=schedule)

    plain_model = nl.mlp([12, 10, 8, 4], rng=1)
    plain_opt = make_optimizer(opt, plain_model.parameters())
    loader = nl.DataLoader(X, y, batch_size=batch_size, rng=2)
    loss_fn, losses, step = nl.SoftmaxCrossEntropy(), [], 0
    total = epochs * len(loader)
    for epoch in range(epochs):
        for xb, yb in loader:                                   # fresh arrays, no fast mode
            plain_opt.lr = schedule(epoch, step, total)
            losses.append(nl.train_step(plain_model, loss_fn, plain_opt, xb, yb))
            step += 1

    np.testing.assert_allclose(history.step_loss, losses, rtol=1e-12, atol=1e-14)
    for p, q in zip(fast_model.parameters(), plain_model.parameters()):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-11, atol=1e-13)


def test_fit_still_zeroes_grads_of_modules_that_accumulate():
    X, y = make_data()
    models = []
    for _ in range(2):
        models.append(nl.Sequential(nl.Linear(12, 8, rng=3), Scale(8), nl.ReLU(),
                                    nl.Linear(8, 4, rng=4)))
    opt = nl.SGD(models[0].parameters(), lr=0.1, momentum=0.5)
    nl.fit(models[0], nl.SoftmaxCrossEntropy(), opt, nl.DataLoader(X, y, batch_size=16, rng=5),
           epochs=2, progress=False)
    opt = nl.SGD(models[1].parameters(), lr=0.1, momentum=0.5)
    loss_fn = nl.SoftmaxCrossEntropy()
    loader = nl.DataLoader(X, y, batch_size=16, rng=5)
    for _ in range(2):
        for xb, yb in loader:
            nl.train_step(models[1], loss_fn, opt, xb, yb)
    for p, q in zip(models[0].parameters(), models[1].parameters()):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-11, atol=1e-13)


def test_fit_detects_nan_and_restores_plain_mode():
    X, y = make_data()
    X[5] = np.nan
    model = nl.mlp([12, 8, 4], rng=0)
    with pytest.raises(nl.TrainingDiverged, match="step"):
        nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), lr=0.1),
               nl.DataLoader(X, y, batch_size=96, shuffle=False), epochs=1, progress=False)
    X1, X2 = make_data(seed=1)[0], make_data(seed=2)[0]
    a = model(X1)
    a_copy = a.copy()
    model(X2)
    np.testing.assert_array_equal(a, a_copy)             # outside fit: fresh arrays
    assert all(not layer.fast for layer in model.layers)
    assert model.layers[0].needs_input_grad


# ----------------------------------------------------------------------------- layers
def test_linear_fast_backward_equals_accumulating_backward():
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((7, 5)), rng.standard_normal((7, 3))
    plain = nl.Linear(5, 3, rng=1)
    plain.zero_grad()
    plain.forward(x)
    dx_plain = plain.backward(dout)

    fast = nl.Linear(5, 3, rng=1)
    fast.W.grad[...] = 123.0                              # overwritten, not added to
    fast.b.grad[...] = -7.0
    with nl.fast_mode(fast):
        z = fast.forward(x)
        np.testing.assert_allclose(z, x @ fast.W.data + fast.b.data, rtol=1e-14)
        dx_fast = fast.backward(dout)
    np.testing.assert_allclose(fast.W.grad, plain.W.grad, rtol=1e-14)
    np.testing.assert_allclose(fast.b.grad, plain.b.grad, rtol=1e-14)
    np.testing.assert_allclose(dx_fast, dx_plain, rtol=1e-14)
    np.testing.assert_allclose(plain.W.grad, x.T @ dout, rtol=1e-14)

    plain.forward(x)
    plain.backward(dout)                                  # outside fast mode: grads accumulate
    np.testing.assert_allclose(plain.W.grad, 2 * (x.T @ dout), rtol=1e-14)


def test_first_layer_skips_dx_only_in_fast_mode():
    x = np.random.default_rng(0).standard_normal((4, 6))
    model = nl.mlp([6, 5, 3], rng=0)
    dout = np.ones((4, 3))
    with nl.fast_mode(model):
        model.forward(x)
        assert model.backward(dout) is None
    model.forward(x)
    assert model.backward(dout).shape == (4, 6)


@pytest.mark.parametrize("act", [nl.ReLU, nl.Tanh, nl.Sigmoid, nl.LeakyReLU, nl.Identity])
def test_activation_fast_equals_plain(act):
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((6, 5)), rng.standard_normal((6, 5))
    plain = act()
    a_plain = plain.forward(x).copy()
    dx_plain = plain.backward(dout).copy()
    fast = act()
    with nl.fast_mode(fast):
        for _ in range(2):                                # the second call reuses buffers
            a_fast = fast.forward(x)
            dx_fast = fast.backward(dout)
            np.testing.assert_array_equal(a_fast, a_plain)
            np.testing.assert_array_equal(dx_fast, dx_plain)
    if act is nl.ReLU:
        np.testing.assert_array_equal(a_plain, np.maximum(x, 0))
        np.testing.assert_array_equal(dx_plain, dout * (x > 0))


# ----------------------------------------------------------------------------- losses
def test_softmax_cross_entropy_matches_textbook_formula():
    rng = np.random.default_rng(0)
    z, y = rng.standard_normal((9, 5)) * 4, rng.integers(0, 5, 9)
    loss_fn = nl.SoftmaxCrossEntropy()
    loss = loss_fn(z, y)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    onehot = np.eye(5)[y]
    assert isinstance(loss, float)
    assert math.isclose(loss, -np.mean(np.log(p[np.arange(9), y])), rel_tol=1e-13)
    np.testing.assert_allclose(loss_fn.backward(), (p - onehot) / 9, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(loss_fn.probs, p, rtol=1e-13)      # backward leaves probs alone
    assert math.isclose(loss_fn(z, onehot), loss, rel_tol=1e-13)   # one-hot targets
    np.testing.assert_allclose(loss_fn.backward(), (p - onehot) / 9, rtol=1e-12, atol=1e-16)
    assert loss_fn(z[:4], y[:4]) == pytest.approx(-np.mean(np.log(p[np.arange(4), y[:4]])))


@pytest.mark.parametrize("bad", [[0, 1, -1], [0, 5, 1], np.array([0, 1, 2], np.uint8) + 7])
def test_softmax_cross_entropy_still_rejects_bad_labels(bad):
    z = np.zeros((3, 5))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 4\]"):
        nl.SoftmaxCrossEntropy()(z, np.asarray(bad))


# ------------------------------------------------------------------------- optimizers
def textbook(name, steps=5, seed=0):
    """Run `steps` updates of optimizer `name` with random gradients; return (nnlib, formula)."""
    rng = np.random.default_rng(seed)
    w0 = rng.standard_normal((4, 3))
    grads = [rng.standard_normal((4, 3)) for _ in range(steps)]
    p = Parameter(w0.copy())
    opt = make_optimizer(name, [p])
    ref = w0.copy()
    m, v = np.zeros_like(w0), np.zeros_like(w0)
    for t, g in enumerate(grads, start=1):
        p.grad[...] = g
        opt.step()
        if name == "sgd":
            ref = ref - 0.1 * g
        elif name == "sgd_wd":
            ref = ref - 0.1 * (g + 1e-2 * ref)
        elif name == "momentum":
            v = 0.9 * v - 0.05 * (g + 1e-3 * ref)
            ref = ref + v
        elif name == "rmsprop":
            v = 0.9 * v + 0.1 * g ** 2
            ref = ref - 1e-3 * g / (np.sqrt(v) + 1e-8)
        elif name in ("adam", "adam_wd"):
            if name == "adam_wd":
                g = g + 1e-2 * ref
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g ** 2
            m_hat, v_hat = m / (1 - 0.9 ** t), v / (1 - 0.999 ** t)
            ref = ref - 1e-2 * m_hat / (np.sqrt(v_hat) + 1e-8)
    return p.data, ref


@pytest.mark.parametrize("name", ["sgd", "sgd_wd", "momentum", "rmsprop", "adam", "adam_wd"])
def test_optimizer_updates_equal_textbook_formulas(name):
    got, want = textbook(name)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_optimizers_update_in_place_and_keep_grads():
    p = Parameter(np.ones((3, 2)))
    data, grad = p.data, p.grad
    grad[...] = 0.5
    for opt in (nl.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.1), nl.Adam([p], weight_decay=0.1),
                nl.RMSProp([p])):
        opt.step()
        assert p.data is data and p.grad is grad
        np.testing.assert_array_equal(grad, 0.5)


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


def test_validation_inside_fit_sees_every_batch():
    """evaluate/predict inside fit (fast mode) must not mix up batches of the reused buffer."""
    X, y = make_data(n=300)
    model = nl.mlp([12, 8, 4], rng=0)
    history = nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), lr=0.1),
                     nl.DataLoader(X, y, batch_size=32, rng=1), epochs=2, progress=False,
                     val=(X, y))
    with nl.fast_mode(model):
        inside = nl.predict(model, X, batch_size=64)
    outside = nl.predict(model, X, batch_size=64)
    np.testing.assert_allclose(inside, outside, rtol=1e-13)
    np.testing.assert_allclose(outside, model(X), rtol=1e-13)
    assert history["val_acc"][-1] == pytest.approx(nl.accuracy(outside, y))
