"""Toy problems small enough to draw whole: loss surfaces, descent paths, a four-leaf expression.

- notebook 04: one linear neuron pred = w x + b on four points (`DESCENT_X`, `DESCENT_Y`); its
  mean squared error `mse_wb` over the (w, b) plane, the gradient `mse_wb_grad`, the lowest
  point `mse_wb_minimum` and `descent_path`, plain gradient descent recorded step by step;
- notebook 05: `tiny_expression`, L = (a*b + c) * f built from `Value`s;
- notebook 11: three 2-D surfaces (`SURFACES`: a narrow valley, a curved valley, a saddle) and
  `optimizer_path`, which runs nnlib's own optimizers (`make_optimizer`) on one 2-vector
  `Parameter`, so the paths are exactly what those classes do inside a network.

Computation only (no matplotlib): the figures are `nl.viz.plot_descent`, `plot_loss_surface`,
`plot_expression_graph`, `plot_optimizer_race`, ... Clarity over speed: a few lines of NumPy each.
"""

from __future__ import annotations

import numpy as np

from ..autograd import Value
from ..core import Parameter
from ..optim import SGD, Adam, RMSProp

__all__ = ["DESCENT_X", "DESCENT_Y", "DESCENT_START", "DIVERGE_LOSS", "mse_wb", "mse_wb_grad",
           "mse_wb_minimum", "descent_path", "diverged_message", "growth_message", "tiny_expression",
           "Surface",
           "SURFACES", "OPTIMIZERS", "make_optimizer", "optimizer_path"]

# The tiny data set of notebook 04: roughly y = 2x + 1 with a little noise.
DESCENT_X = np.array([0.0, 1.0, 2.0, 3.0])
DESCENT_Y = np.array([1.0, 3.0, 4.0, 7.0])
DESCENT_START = (-1.0, 5.0)        # (w0, b0): far enough from the minimum to see the path
DIVERGE_LOSS = 1e6                 # a path whose loss grows past this has diverged


def mse_wb(w, b, x=DESCENT_X, y=DESCENT_Y):
    """L(w, b) = mean((w x + b - y)^2); w and b may be arrays of the same shape (a grid).

    Broadcasting the data along a new last axis evaluates the loss at every grid point at once.
    """
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    err = w[..., None] * x + b[..., None] - y           # (..., N)
    return np.mean(err ** 2, axis=-1)


def mse_wb_grad(w, b, x=DESCENT_X, y=DESCENT_Y):
    """(dL/dw, dL/db) = (2 mean(err * x), 2 mean(err)) with err = w x + b - y."""
    err = w * x + b - y
    return float(2 * np.mean(err * x)), float(2 * np.mean(err))


def descent_path(w0: float, b0: float, lr: float, steps: int, x=DESCENT_X, y=DESCENT_Y,
                 max_loss: float = DIVERGE_LOSS) -> dict:
    """Run `steps` steps of gradient descent from (w0, b0) and record everything.

    Returns a dict of arrays `w`, `b`, `loss` (steps + 1 entries, the start included), `dw`, `db`
    (the gradient at each recorded point) and `diverged` (the step at which the loss grew past
    `max_loss`, or None). A diverging path is cut there, so no overflow or NaN ever reaches a plot.
    """
    w, b = float(w0), float(b0)
    rec = {k: [] for k in ("w", "b", "loss", "dw", "db")}
    diverged = None
    for k in range(int(steps) + 1):
        loss = float(mse_wb(w, b, x, y))
        if not np.isfinite(loss) or loss > max_loss:
            diverged = k
            break
        dw, db = mse_wb_grad(w, b, x, y)
        for key, v in zip(rec, (w, b, loss, dw, db)):
            rec[key].append(v)
        w, b = w - lr * dw, b - lr * db                  # the gradient-descent step
    out = {k: np.array(v) for k, v in rec.items()}
    out["diverged"] = diverged
    out["lr"] = lr
    return out


def mse_wb_minimum(x=DESCENT_X, y=DESCENT_Y) -> tuple[float, float]:
    """The (w, b) of the lowest loss, by least squares: where gradient descent should end."""
    A = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    return float(w), float(b)


def diverged_message(path: dict, max_loss: float = DIVERGE_LOSS) -> str:
    """The sentence shown instead of overflowing numbers when a path diverges."""
    return (f"diverged: the loss grew past {max_loss:.0e} at step {path['diverged']} "
            f"(lr = {path['lr']:.3g}) — try a smaller learning rate")


def growth_message(path: dict) -> str | None:
    """A warning when the loss of a (not cut) path went *up* at its last step, else None.

    On a quadratic bowl like notebook 04's, a learning rate below the limit 2 / (steepest
    curvature) lowers the loss at every step; above it the loss may fall for a few steps, then
    it grows at every step and never stops. Two warnings:

    - "diverged" once the loss is above where it started: the run has undone all its progress;
    - "growing" while it is still below the start but rose at the last step.
    """
    loss = path["loss"]
    if path.get("diverged") is not None or len(loss) < 2:
        return None
    if not loss[-1] > loss[-2] * (1 + 1e-9) + 1e-12:      # rounding at the bottom is no rise
        return None
    k, lr = len(loss) - 1, path["lr"]
    if loss[-1] > loss[0]:
        return (f"diverged: the loss is {loss[-1]:.4g} at step {k}, above its start {loss[0]:.4g} "
                f"(lr = {lr:.3g}) — try a smaller learning rate")
    return (f"growing: loss {loss[-1]:.4g} at step {k}, up from {loss[-2]:.4g} at step {k - 1} — "
            f"lr = {lr:.3g} overshoots more at every step")


def tiny_expression(a: float = 2.0, b: float = -3.0, c: float = 10.0, f: float = -2.0) -> Value:
    """Build L = (a*b + c) * f from labelled `Value`s (e = a*b, d = e + c) and return L.

    The four-leaf expression of notebook 05: small enough to differentiate by hand, big
    enough to show both rules that matter: + passes the gradient on unchanged, * swaps the
    other input in.
    """
    a_, b_, c_, f_ = (Value(v, label=k) for k, v in zip("abcf", (a, b, c, f)))
    e = a_ * b_
    e.label = "e"
    d = e + c_
    d.label = "d"
    L = d * f_
    L.label = "L"
    return L


class Surface:
    """A 2-D loss: value `f(p)`, gradient `grad(p)`, a start, plot limits and the minima."""

    def __init__(self, name, f, grad, start, xlim, ylim, minima, lowest, note, lrs):
        self.name, self.f, self.grad, self.start, self.lrs = name, f, grad, start, lrs
        self.xlim, self.ylim, self.minima, self.lowest, self.note = xlim, ylim, minima, lowest, note

    def __repr__(self):
        return f"Surface({self.name!r})"


def _valley(p):
    return 0.05 * p[..., 0] ** 2 + 2.0 * p[..., 1] ** 2


def _valley_grad(p):
    return np.array([0.1 * p[0], 4.0 * p[1]])


def _banana(p):
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 10 * (y - x ** 2) ** 2


def _banana_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 40 * x * (y - x ** 2), 20 * (y - x ** 2)])


def _saddle(p):
    x, y = p[..., 0], p[..., 1]
    return 0.5 * x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2


def _saddle_grad(p):
    x, y = p
    return np.array([x, y ** 3 - y])


SURFACES = {
    "valley": Surface("valley", _valley, _valley_grad, (-4.5, 1.2), (-5, 5), (-2, 2), [(0, 0)], 0.0,
                      "L = 0.05 p1² + 2 p2²: curvatures 0.1 and 4, a long narrow valley",
                      {"SGD": 0.1, "momentum": 0.1, "RMSProp": 0.05, "Adam": 0.1}),
    "banana": Surface("banana", _banana, _banana_grad, (-1.5, 2.0), (-2, 2), (-1, 3), [(1, 1)], 0.0,
                      "L = (1 - p1)² + 10 (p2 - p1²)²: a curved valley (Rosenbrock)",
                      {"SGD": 0.005, "momentum": 0.002, "RMSProp": 0.05, "Adam": 0.1}),
    "saddle": Surface("saddle", _saddle, _saddle_grad, (-2.0, 1e-5), (-2.5, 2.5), (-1.8, 1.8),
                      [(0, 1), (0, -1)], -0.25,
                      "L = p1²/2 + p2⁴/4 - p2²/2: a saddle at (0, 0), minima at (0, ±1)",
                      {"SGD": 0.05, "momentum": 0.05, "RMSProp": 0.05, "Adam": 0.05}),
}


OPTIMIZERS = ("SGD", "momentum", "RMSProp", "Adam")


def make_optimizer(name: str, params, lr: float, momentum: float = 0.9, beta2: float = 0.999):
    """nnlib's optimizer called `name` ("SGD", "momentum", "RMSProp" or "Adam").

    `momentum` is SGD's momentum and Adam's beta1; `beta2` is Adam's beta2. RMSProp keeps its
    usual rho = 0.9.
    """
    if name == "SGD":
        return SGD(params, lr=lr)
    if name == "momentum":
        return SGD(params, lr=lr, momentum=momentum)
    if name == "RMSProp":
        return RMSProp(params, lr=lr, rho=0.9)
    if name == "Adam":
        return Adam(params, lr=lr, betas=(momentum, beta2))
    raise ValueError(f"make_optimizer: name must be one of {OPTIMIZERS}, got {name!r}")


def optimizer_path(surface, name: str, lr: float, steps: int, momentum: float = 0.9,
                   beta2: float = 0.999, start=None, bound: float = 1e3) -> dict:
    """Run one of nnlib's optimizers for `steps` steps on a 2-D surface; record the path.

    Returns `{"p": (k+1, 2) positions, "loss": (k+1,), "diverged": step or None, ...}`. The run
    stops as soon as a coordinate leaves [-bound, bound] or the loss is not finite, so a
    diverging optimizer yields a short finite path instead of overflowing numbers.
    """
    surf = SURFACES[surface] if isinstance(surface, str) else surface
    p = Parameter(np.array(start if start is not None else surf.start, dtype=float))
    opt = make_optimizer(name, [p], lr, momentum, beta2)
    ps, losses, diverged = [p.data.copy()], [float(surf.f(p.data))], None
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(int(steps)):
            opt.zero_grad()
            p.grad += surf.grad(p.data)
            opt.step()
            loss = float(surf.f(p.data))
            if not (np.all(np.abs(p.data) < bound) and np.isfinite(loss)):
                diverged = k + 1
                break
            ps.append(p.data.copy())
            losses.append(loss)
    return {"p": np.array(ps), "loss": np.array(losses), "diverged": diverged, "name": name,
            "lr": lr, "surface": surf}
