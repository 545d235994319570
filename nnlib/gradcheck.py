"""Gradient checking: compare a backward pass with slopes measured by nudging the inputs.

The same three functions serve the unit tests and the learners' self-checks in notebooks 05
and 07. In float64, a correct backward pass agrees with centred differences to about 1e-9
relative error or better; a wrong one is off by 1e-2 or more.
"""

from __future__ import annotations

import numpy as np

from .core import make_rng


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """dF/dx by centred differences, (f(x + eps) - f(x - eps)) / (2 eps), one entry at a time.

    `f` takes no arguments and returns a scalar computed from `x`; `x` is nudged in place and
    restored after every entry, so f must read x (not a copy). Cost: 2 * x.size calls of f.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise ValueError("numerical_gradient: x must be a float ndarray that f reads, got "
                         f"{type(x).__name__}{'' if not hasattr(x, 'dtype') else ' ' + str(x.dtype)}")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = float(f())
        x[i] = old - eps
        f_minus = float(f())
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a, b) -> float:
    """How far apart two gradients are, relative to their size: max|a - b| / max(|a| + |b|).

    Measured against the largest entry rather than entry by entry, so that an entry that is
    nearly zero (where finite differences have no correct digits left) cannot raise a false
    alarm, while a wrong formula still shows up as an error near 1. Correct float64 gradients
    give about 1e-9 or less; anything above 1e-6 deserves a look.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes differ, {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-8))


def check_module(module, x: np.ndarray, *, seed=0, eps: float = 1e-5) -> dict[str, float]:
    """Relative errors of `module.backward` against numerical gradients, for x and every parameter.

    The module's output is turned into a scalar with a fixed random projection,
    L = sum(out * R), so dL/dout = R exercises every output. Returns
    `{"x": err, "W": err, "b": err, ...}` (parameter names, or p0, p1, ...).
    """
    x = np.array(x, dtype=np.float64)
    rng = make_rng(seed)
    R = rng.standard_normal(module.forward(x).shape)
    module.zero_grad()
    module.forward(x)
    dx = module.backward(R.copy())

    def loss():
        return np.sum(module.forward(x) * R)

    errors = {"x": rel_error(dx, numerical_gradient(loss, x, eps))}
    for i, p in enumerate(module.parameters()):
        key = p.name or f"p{i}"
        key = f"{key}{i}" if key in errors else key              # W, b, W2, b3, ... in a network
        errors[key] = rel_error(p.grad, numerical_gradient(loss, p.data, eps))
    return errors


def check_loss(loss_fn, pred: np.ndarray, target, *, eps: float = 1e-5) -> float:
    """Relative error of `loss_fn.backward()` against the numerical gradient w.r.t. `pred`."""
    pred = np.array(pred, dtype=np.float64)
    loss_fn(pred, target)
    analytic = loss_fn.backward().copy()
    return rel_error(analytic, numerical_gradient(lambda: loss_fn(pred, target), pred, eps))
