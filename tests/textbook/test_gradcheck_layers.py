"""Gradient checks of every layer and loss (inputs and parameters), float64, shapes from hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnlib as nl

TOL = 1e-6
shapes = st.tuples(st.integers(1, 6), st.integers(1, 6))
settings.register_profile("nnlib", max_examples=15, deadline=None)
settings.load_profile("nnlib")


def _away_from_kinks(x, margin=1e-3):
    """Move inputs off 0, where ReLU-like functions have no derivative."""
    x = x.copy()
    x[np.abs(x) < margin] = margin
    return x


@given(shape=shapes, d_out=st.integers(1, 5), seed=st.integers(0, 2**16),
       init=st.sampled_from(["he", "xavier", "normal"]))
def test_linear_gradients(shape, d_out, seed, init):
    rng = np.random.default_rng(seed)
    layer = nl.Linear(shape[1], d_out, init=init, rng=rng)
    layer.b.data[:] = rng.standard_normal(d_out)
    errs = nl.check_module(layer, rng.standard_normal(shape), seed=seed)
    assert set(errs) == {"x", "W", "b"}
    assert max(errs.values()) < TOL, errs


@pytest.mark.parametrize("make", [nl.ReLU, nl.Sigmoid, nl.Tanh, nl.Identity,
                                  lambda: nl.LeakyReLU(0.1)], ids=["relu", "sigmoid", "tanh",
                                                                   "identity", "leaky"])
@given(shape=shapes, seed=st.integers(0, 2**16))
def test_activation_gradients(make, shape, seed):
    x = _away_from_kinks(np.random.default_rng(seed).standard_normal(shape) * 1.5)
    errs = nl.check_module(make(), x, seed=seed)
    assert errs["x"] < TOL, errs


@given(shape=shapes, seed=st.integers(0, 2**16), p=st.floats(0.0, 0.9))
def test_dropout_gradients_with_fixed_mask(shape, seed, p):
    layer = nl.Dropout(p)

    class FixedMask(nl.Module):                 # same mask on every forward call
        def forward(self, x):
            layer.rng = np.random.default_rng(seed)
            return layer.forward(x)

        def backward(self, dout):
            return layer.backward(dout)

    errs = nl.check_module(FixedMask(), np.random.default_rng(seed).standard_normal(shape), seed=seed)
    assert errs["x"] < TOL, errs


@given(seed=st.integers(0, 2**16), act=st.sampled_from(["tanh", "sigmoid", "relu", "leaky_relu"]))
def test_sequential_mlp_gradients(seed, act):
    rng = np.random.default_rng(seed)
    model = nl.mlp([3, 5, 4, 2], act=act, rng=rng)
    x = rng.standard_normal((4, 3))
    # Finite differences are meaningless across a ReLU kink: skip draws with a hidden
    # pre-activation within 1e-3 of zero.
    h = x
    for layer in model.layers:
        h = layer.forward(h)
        if isinstance(layer, nl.Linear) and layer is not model.layers[-1]:
            assume(np.abs(h).min() > 1e-3)
    errs = nl.check_module(model, x, seed=seed)
    assert len(errs) == 1 + 6
    assert max(errs.values()) < TOL, errs


# Moderate logits: where softmax saturates, gradient entries shrink to ~1e-6 and any finite
# difference loses relative precision there (the huge-logit case is tested separately below).
@given(n=st.integers(1, 6), c=st.integers(2, 6), seed=st.integers(0, 2**16),
       scale=st.floats(0.1, 2.0))
def test_softmax_cross_entropy_gradient_labels_and_onehot(n, c, seed, scale):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, c)) * scale
    y = rng.integers(0, c, n)
    loss = nl.SoftmaxCrossEntropy()
    assert nl.check_loss(loss, z, y) < TOL
    assert nl.check_loss(loss, z, nl.one_hot(y, c)) < TOL
    # int labels and one-hot give the same loss and gradient
    a = loss(z, y)
    ga = loss.backward()
    b = loss(z, nl.one_hot(y, c))
    assert np.isclose(a, b) and np.allclose(ga, loss.backward())
    # the fused gradient is (softmax - onehot) / N
    assert np.allclose(ga, (nl.softmax(z) - nl.one_hot(y, c)) / n)


@given(shape=shapes, seed=st.integers(0, 2**16))
def test_mse_gradient(shape, seed):
    rng = np.random.default_rng(seed)
    assert nl.check_loss(nl.MSELoss(), rng.standard_normal(shape), rng.standard_normal(shape)) < TOL


@given(n=st.integers(1, 8), seed=st.integers(0, 2**16), scale=st.floats(0.1, 4.0))
def test_binary_cross_entropy_gradient(n, seed, scale):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 1)) * scale
    y = rng.integers(0, 2, (n, 1))
    assert nl.check_loss(nl.BinaryCrossEntropy(), z, y) < TOL


def test_gradcheck_catches_a_wrong_backward():
    class WrongTanh(nl.Tanh):
        def df(self):
            return 1.0 - self._a          # missing the square
    x = np.random.default_rng(0).standard_normal((3, 4))
    assert nl.check_module(WrongTanh(), x)["x"] > 1e-3


def test_losses_are_stable_for_huge_logits():
    z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    loss = nl.SoftmaxCrossEntropy()
    assert np.isclose(loss(z, np.array([0, 1])), 0.0)
    assert np.isclose(loss(z, np.array([1, 0])), 2000.0)
    assert np.all(np.isfinite(loss.backward()))
    bce = nl.BinaryCrossEntropy()
    assert np.isclose(bce(np.array([[800.0]]), np.array([[0]])), 800.0)
    assert np.all(np.isfinite(nl.softmax(z))) and np.allclose(nl.softmax(z).sum(1), 1)
    assert np.allclose(nl.log_softmax(z), [[0.0, -2000.0], [-2000.0, 0.0]])   # exact, no log(0)


def test_backward_accumulates_outside_fit():
    rng = np.random.default_rng(1)
    layer = nl.Linear(3, 2, rng=rng)
    x, dout = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    layer.forward(x)
    layer.backward(dout)
    once = layer.W.grad.copy()
    layer.forward(x)
    layer.backward(dout)
    assert np.allclose(layer.W.grad, 2 * once)
    layer.zero_grad()
    assert not layer.W.grad.any() and not layer.b.grad.any()
