"""One forward and backward pass of a small network, written out one neuron at a time.

`pass_steps(model, x, y, loss_fn)` returns the steps of one pass through a small `Sequential`
(Linear layers and element-wise activations, at most 4 units a layer and 3 Linear layers), the
way an illustrated tutorial writes them beside the picture:

- forward, for each neuron: its weighted sum with the numbers, "z₁⁽¹⁾ = 0.50·1.00 +
  0.80·(−0.50) + 0.10 = 0.20", then its activation, "a₁⁽¹⁾ = σ(0.20) = 0.55";
- the loss with its numbers;
- backward, from the output to the inputs, for each neuron: ∂L/∂a (from the loss, or the sum
  over the next layer's neurons), ∂L/∂z = ∂L/∂a·f′(z), then ∂L/∂w = ∂L/∂z·(its input) for every
  weight into the neuron, and ∂L/∂b = ∂L/∂z.

Every value is read from the model's own `forward` and `backward` (and the loss's), so a step
is exactly what the layers compute; the formula writes the same numbers with plain arithmetic.
`nl.viz.plot_pass` draws step k on the network, `nl.widgets.pass_stepper` steps through them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..layers import Identity, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Tanh, sigmoid
from ..losses import BinaryCrossEntropy, MSELoss, SoftmaxCrossEntropy

__all__ = ["pass_steps", "PassStep", "PassSteps", "format_number", "MAX_WIDTH", "MAX_LINEAR"]

MAX_WIDTH = 4          # units per layer (inputs included): more and the formulas stop fitting
MAX_LINEAR = 3         # Linear layers
ACTIVATIONS = (Sigmoid, Tanh, ReLU, LeakyReLU, Identity)
LOSSES = {"mse": MSELoss, "cross_entropy": SoftmaxCrossEntropy, "bce": BinaryCrossEntropy}
PHASES = ("forward", "loss", "backward")
KINDS = ("z", "a", "loss", "dL/da", "dL/dz", "dL/dW", "dL/db")

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class PassStep:
    """One step of a pass: what is computed, where, with which arithmetic, and its value.

    phase : "forward", "loss" or "backward".
    layer : the column of the picture: 1 for the first Linear layer's neurons, 2 for the next,
            ...; None for the loss.
    unit  : the neuron (0-based) in that layer; None for the loss.
    edge  : (i, j) for a weight step: W[i, j] joins unit i of the layer before to unit j;
            None otherwise.
    kind  : "z", "a", "loss", "dL/da", "dL/dz", "dL/dW" or "dL/db".
    formula : the arithmetic with its numbers, e.g. "a₁⁽¹⁾ = σ(0.20) = 0.55".
    value : the result, as the model computes it (float).
    symbol : the name on the left of the formula, e.g. "a₁⁽¹⁾" or "∂L/∂w₁₂⁽²⁾".
    """

    phase: str
    layer: int | None
    unit: int | None
    edge: tuple[int, int] | None
    kind: str
    formula: str
    value: float
    symbol: str = ""


class PassSteps(list):
    """The list of `PassStep`s of one pass, with the network's numbers as attributes.

    sizes : units per column, inputs first, e.g. [2, 2, 1].
    weights, biases : copies of every Linear layer's W (D_in, D_out) and b (D_out,).
    activations : per Linear layer the activation's name ("Sigmoid", ...) or None.
    x : the input (D,); target : the target as the loss saw it (None for a forward-only pass).
    loss : "mse", "cross_entropy", "bce" or None; loss_value : L (None without a loss).
    z, a : per layer the weighted sums and the activations (a is z where no activation follows).
    dL_da, dL_dz, dW, db : per layer the gradients (None without a loss).
    """

    sizes: list
    weights: list
    biases: list
    activations: list
    x: np.ndarray
    target: np.ndarray | None = None
    loss: str | None = None
    loss_value: float | None = None
    probs: np.ndarray | None = None

    def first(self, phase: str) -> int | None:
        """Index of the first step of `phase` ("forward", "loss", "backward"), None if absent."""
        if phase not in PHASES:
            raise ValueError(f"PassSteps.first: phase must be one of {PHASES}, got {phase!r}")
        return next((k for k, s in enumerate(self) if s.phase == phase), None)

    def key_steps(self) -> list[tuple[int, str]]:
        """(index, caption) of the steps worth a picture: after each layer forward, the loss,
        after each layer backward (the panels of `nl.viz.plot_pass_filmstrip`)."""
        keys = []
        n_layers = len(self.weights)
        for layer in range(1, n_layers + 1):
            last = max(k for k, s in enumerate(self) if s.phase == "forward" and s.layer == layer)
            keys.append((last, f"layer {layer} forward"))
        if self.loss is not None:
            keys.append((self.first("loss"), "the loss"))
            for layer in range(n_layers, 0, -1):
                last = max(k for k, s in enumerate(self)
                           if s.phase == "backward" and s.layer == layer)
                keys.append((last, f"layer {layer} backward"))
        return keys


def format_number(v, digits: int = 2) -> str:
    """A number as the formulas write it: `digits` decimals, more for small numbers, short
    scientific when tiny or huge.

    At least `digits` decimals and at least `digits` significant digits: 0.2 -> "0.20", -0.5 ->
    "−0.50", 0.0345 -> "0.035", 12.345 -> "12.35"; below 10^-(digits+1) or from 10^4 on,
    scientific: 0.0004 -> "4.0e−4", -1234567 -> "−1.2e6". The minus sign is the typographic "−";
    zero (also -0.0) is "0.00".
    """
    v = float(v)
    if not np.isfinite(v):
        return "nan" if np.isnan(v) else ("∞" if v > 0 else "−∞")
    if v == 0:
        return f"{0.0:.{digits}f}"
    if 10.0 ** -(digits + 1) <= abs(v) < 1e4:
        decimals = max(digits, digits - 1 - int(np.floor(np.log10(abs(v)))))
        text = f"{v:.{decimals}f}"
    else:
        mantissa, exponent = f"{v:.{max(digits - 1, 0)}e}".split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


# -- checking what we are given -------------------------------------------------------------
def _structure(model) -> list[tuple[Linear, object]]:
    """[(Linear, activation or None), ...] or a ValueError naming pass_steps."""
    if isinstance(model, Linear):
        layers = [model]
    elif isinstance(model, Sequential):
        layers = list(model.layers)
    else:
        raise ValueError(f"pass_steps: expected a Linear or a Sequential of Linear layers and "
                         f"activations, got {type(model).__name__}")
    out: list[list] = []
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            out.append([layer, None])
        elif type(layer) in ACTIVATIONS:
            if not out:
                raise ValueError(f"pass_steps: layer {i} ({type(layer).__name__}) comes before "
                                 "any Linear layer; the steps start with a weighted sum")
            if out[-1][1] is not None:
                raise ValueError(f"pass_steps: two activations in a row (layers {i - 1} and {i}); "
                                 "write one activation after each Linear layer")
            out[-1][1] = layer
        else:
            names = ", ".join(c.__name__ for c in ACTIVATIONS)
            raise ValueError(f"pass_steps: cannot write out a {type(layer).__name__} layer (layer "
                             f"{i}) step by step; it handles Linear layers and the element-wise "
                             f"activations {names}")
    if not out:
        raise ValueError("pass_steps: the model has no Linear layer")
    sizes = [out[0][0].in_features] + [lin.out_features for lin, _ in out]
    for (lin, _), (nxt, _) in zip(out[:-1], out[1:]):
        if lin.out_features != nxt.in_features:
            raise ValueError(f"pass_steps: a Linear layer with {lin.out_features} outputs feeds one "
                             f"with {nxt.in_features} inputs")
    if max(sizes) > MAX_WIDTH or len(out) > MAX_LINEAR:
        raise ValueError(f"pass_steps: the network {'-'.join(map(str, sizes))} is too large to "
                         f"write out step by step (at most {MAX_WIDTH} units per layer and "
                         f"{MAX_LINEAR} Linear layers)")
    return [(lin, act) for lin, act in out]


def _input(x, width: int) -> np.ndarray:
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        raise ValueError(f"pass_steps: x must be numeric, got dtype {x.dtype}")
    x = x.astype(np.float64)
    if x.shape == (1, width):
        x = x[0]
    if x.shape != (width,):
        raise ValueError(f"pass_steps: x must be one example of shape ({width},) or (1, {width}), "
                         f"got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"pass_steps: x must be finite, got {x}")
    return x


def _loss(loss_fn):
    if isinstance(loss_fn, str):
        if loss_fn not in LOSSES:
            raise ValueError(f"pass_steps: loss_fn must be one of {sorted(LOSSES)} or a loss "
                             f"object, got {loss_fn!r}")
        return LOSSES[loss_fn](), loss_fn
    for name, cls in LOSSES.items():
        if type(loss_fn) is cls:
            return loss_fn, name
    raise ValueError(f"pass_steps: loss_fn must be MSELoss, SoftmaxCrossEntropy or "
                     f"BinaryCrossEntropy (or 'mse', 'cross_entropy', 'bce'), got "
                     f"{type(loss_fn).__name__}")


def _target(y, name: str, C: int) -> np.ndarray:
    """The target as a (1, C) row for the loss (an int label for cross-entropy becomes one-hot)."""
    y = np.asarray(y)
    if y.dtype.kind not in "fiub":
        raise ValueError(f"pass_steps: y must be numeric, got dtype {y.dtype}")
    if name == "cross_entropy" and y.size == 1:                  # a class label
        v = float(y.reshape(()))
        if not np.isfinite(v) or v != int(v) or not 0 <= v < C:
            raise ValueError(f"pass_steps: a class label must be an int in [0, {C - 1}], got "
                             f"{y.reshape(())}")
        row = np.zeros((1, C))
        row[0, int(v)] = 1.0
        return row
    y = y.astype(np.float64).reshape(1, -1) if y.size == C else y
    if y.shape != (1, C):
        raise ValueError(f"pass_steps: y must have one value per output ({C}), got shape "
                         f"{np.shape(y)}")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"pass_steps: y must be finite, got {y[0]}")
    if name in ("bce", "cross_entropy") and (y.min() < 0 or y.max() > 1):
        raise ValueError(f"pass_steps: the {name} targets must be in [0, 1], got {y[0]}")
    return y


# -- writing the numbers ---------------------------------------------------------------------
def _sub(n: int) -> str:
    return str(n).translate(_SUB)


def _sup(n: int) -> str:
    return "⁽" + str(n).translate(_SUP) + "⁾"


class _Writer:
    """Names and numbers in the formulas' notation (layer l, unit j counted from 1 as in z_j^(l))."""

    def __init__(self, digits: int):
        self.digits = digits

    def n(self, v) -> str:
        return format_number(v, self.digits)

    def f(self, v) -> str:
        """A factor: negative numbers in parentheses, "0.80·(−0.50)"."""
        text = self.n(v)
        return f"({text})" if text.startswith("−") else text

    def total(self, terms: list[str]) -> str:
        """Terms joined by +, a leading minus written as a subtraction: "0.50·1.00 − 0.30·0.20"."""
        out = terms[0]
        for t in terms[1:]:
            out += f" − {t[1:]}" if t.startswith("−") else f" + {t}"
        return out

    @staticmethod
    def unit(letter: str, layer: int, j: int) -> str:
        if layer == 0:
            return f"x{_sub(j + 1)}"
        return f"{letter}{_sub(j + 1)}{_sup(layer)}"

    @staticmethod
    def weight(layer: int, i: int, j: int) -> str:
        return f"w{_sub(i + 1)}{_sub(j + 1)}{_sup(layer)}"


def _act_formula(w: _Writer, act, z: float, a: float) -> str:
    if isinstance(act, Sigmoid):
        return f"σ({w.n(z)}) = {w.n(a)}"
    if isinstance(act, Tanh):
        return f"tanh({w.n(z)}) = {w.n(a)}"
    if isinstance(act, ReLU):
        return f"max(0, {w.n(z)}) = {w.n(a)}"
    if isinstance(act, LeakyReLU):
        if z > 0:
            return f"{w.n(z)}  (z > 0: a = z)"
        return f"{w.n(act.negative_slope)}·{w.f(z)} = {w.n(a)}"
    return f"z = {w.n(a)}"                                       # Identity


def _slope_formula(w: _Writer, act, z: float, a: float, dL_da: float) -> tuple[str, str]:
    """("f′(z) written as a rule", "the product with its numbers") for ∂L/∂z = ∂L/∂a·f′(z)."""
    g = w.f(dL_da)
    if isinstance(act, Sigmoid):
        return "σ′(z)", f"{g}·{w.f(a)}·(1 − {w.f(a)})"
    if isinstance(act, Tanh):
        return "(1 − a²)", f"{g}·(1 − {w.f(a)}²)"
    if isinstance(act, ReLU):
        return "[z > 0]", f"{g}·{1 if z > 0 else 0}"
    if isinstance(act, LeakyReLU):
        return "f′(z)", f"{g}·{1 if z > 0 else w.n(act.negative_slope)}"
    return "1", f"{g}·1"                                         # Identity


def _loss_formula(w: _Writer, name: str, out: np.ndarray, t: np.ndarray, probs, L: float) -> str:
    C = out.size
    if name == "mse":
        sq = [f"({w.n(o)} − {w.f(ti)})²" for o, ti in zip(out, t)]
        body = sq[0] if C == 1 else f"({' + '.join(sq)})/{C}"
        return f"L = {body} = {w.n(L)}"
    if name == "cross_entropy":
        p_text = ", ".join(w.n(p) for p in probs)
        softmax = f"p = softmax({', '.join(w.n(o) for o in out)}) = ({p_text})"
        if np.count_nonzero(t) == 1 and t.max() == 1.0:
            c = int(np.argmax(t))
            return f"L = −log p{_sub(c + 1)} = −log({w.n(probs[c])}) = {w.n(L)},  {softmax}"
        terms = [f"{w.n(ti)}·log {w.n(p)}" for ti, p in zip(t, probs)]
        return f"L = −({' + '.join(terms)}) = {w.n(L)},  {softmax}"
    terms = [f"[{w.n(ti)}·log σ({w.n(o)}) + {w.n(1 - ti)}·log(1 − σ({w.n(o)}))]"
             for o, ti in zip(out, t)]
    body = f"−{terms[0]}" if C == 1 else f"−({' + '.join(terms)})/{C}"
    return f"L = {body} = {w.n(L)}"


def _loss_grad_formula(w: _Writer, name: str, j: int, o: float, t: float, p, C: int) -> str:
    """∂L/∂(output j) from the loss, with its numbers (the right-hand side)."""
    scale = "" if C == 1 else f"/{C}"
    if name == "mse":
        return f"2·({w.n(o)} − {w.f(t)}){scale}"
    if name == "cross_entropy":
        return f"p{_sub(j + 1)} − y{_sub(j + 1)} = {w.n(p)} − {w.n(t)}"
    if C == 1:
        return f"σ({w.n(o)}) − {w.n(t)} = {w.n(sigmoid(np.float64(o)))} − {w.n(t)}"
    return f"(σ({w.n(o)}) − {w.n(t)}){scale}"


# -- the pass ------------------------------------------------------------------------------
def pass_steps(model, x, y=None, loss_fn=None, *, digits: int = 2) -> PassSteps:
    """The ordered steps of one forward and backward pass of a small network on one example.

    Parameters
    ----------
    model : a `Linear` or a `Sequential` of Linear layers, each followed by at most one of the
        element-wise activations Sigmoid, Tanh, ReLU, LeakyReLU, Identity; at most 4 units per
        layer (inputs included) and 3 Linear layers.
    x : one example, shape (D,) or (1, D).
    y : the target: one value per output for MSELoss and BinaryCrossEntropy; a class label (or a
        one-hot row) for SoftmaxCrossEntropy. None (with loss_fn None): the forward steps only.
    loss_fn : MSELoss, SoftmaxCrossEntropy or BinaryCrossEntropy (an object, or "mse",
        "cross_entropy", "bce").
    digits : decimals of the numbers in the formulas.

    Returns a `PassSteps` (a list of `PassStep`, with the network's numbers as attributes). The
    values come from the layers' own `forward` and `backward` and the loss's, run on x; the
    model's parameter gradients are put back as they were.
    """
    layers = _structure(model)
    sizes = [layers[0][0].in_features] + [lin.out_features for lin, _ in layers]
    x = _input(x, sizes[0])
    if (y is None) != (loss_fn is None):
        raise ValueError("pass_steps: give both y and loss_fn (or neither, for the forward steps "
                         "only)")
    if not isinstance(digits, (int, np.integer)) or isinstance(digits, bool) or not 0 < digits <= 8:
        raise ValueError(f"pass_steps: digits must be an int in [1, 8], got {digits!r}")
    w = _Writer(int(digits))
    steps = PassSteps()
    steps.sizes = sizes
    steps.weights = [np.array(lin.W.data, dtype=np.float64) for lin, _ in layers]
    steps.biases = [np.array(lin.b.data, dtype=np.float64) for lin, _ in layers]
    steps.activations = [type(act).__name__ if act is not None else None for _, act in layers]
    steps.x = x

    # forward: the model's own layers, one after the other (exactly Sequential.forward)
    h = x.reshape(1, -1)
    zs, as_ = [], []
    with np.errstate(over="ignore", under="ignore"):
        for lin, act in layers:
            z = lin.forward(h)
            a = act.forward(z) if act is not None else z
            zs.append(np.array(z[0], dtype=np.float64))
            as_.append(np.array(a[0], dtype=np.float64))
            h = a
    steps.z, steps.a = zs, as_
    inputs = [x] + as_[:-1]                     # what each layer multiplies by its weights
    for l, (_lin, act) in enumerate(layers, start=1):
        W, b = steps.weights[l - 1], steps.biases[l - 1]
        for j in range(sizes[l]):
            terms = [f"{w.n(W[i, j])}·{w.f(inputs[l - 1][i])}" for i in range(sizes[l - 1])]
            zj = zs[l - 1][j]
            sym = w.unit("z", l, j)
            steps.append(PassStep("forward", l, j, None, "z",
                                  f"{sym} = {w.total(terms + [w.n(b[j])])} = {w.n(zj)}",
                                  float(zj), sym))
            if act is not None:
                sym = w.unit("a", l, j)
                steps.append(PassStep("forward", l, j, None, "a",
                                      f"{sym} = {_act_formula(w, act, zj, as_[l - 1][j])}",
                                      float(as_[l - 1][j]), sym))
    if loss_fn is None:
        return steps

    loss_obj, name = _loss(loss_fn)
    C = sizes[-1]
    if name == "cross_entropy" and C < 2:
        raise ValueError("pass_steps: softmax cross-entropy needs at least 2 outputs (classes); "
                         "use 'bce' for one output")
    target = _target(y, name, C)
    out = h                                                         # the model's output, (1, C)
    saved = [p.grad.copy() for p in model.parameters()]
    try:
        model.zero_grad()
        with np.errstate(over="ignore", under="ignore"):
            L = float(loss_obj(out, target))
            dout = loss_obj.backward()                              # ∂L/∂output, (1, C)
            da, dz = [None] * len(layers), [None] * len(layers)
            for l in range(len(layers), 0, -1):                     # Sequential.backward
                lin, act = layers[l - 1]
                da[l - 1] = np.array(dout[0], dtype=np.float64)
                if act is not None:
                    dout = act.backward(dout)
                dz[l - 1] = np.array(dout[0], dtype=np.float64)
                dout = lin.backward(dout)
        dW = [np.array(lin.W.grad, dtype=np.float64) for lin, _ in layers]
        db = [np.array(lin.b.grad, dtype=np.float64) for lin, _ in layers]
    finally:
        for p, g in zip(model.parameters(), saved):
            p.grad[...] = g
    probs = np.array(loss_obj.probs[0], dtype=np.float64) if name == "cross_entropy" else None
    steps.target, steps.loss, steps.loss_value, steps.probs = target[0], name, L, probs
    steps.dL_da, steps.dL_dz, steps.dW, steps.db = da, dz, dW, db
    steps.append(PassStep("loss", None, None, None, "loss",
                          _loss_formula(w, name, out[0], target[0], probs, L), L, "L"))

    # backward, from the output layer to the first, one neuron at a time
    n = len(layers)
    for l in range(n, 0, -1):
        lin, act = layers[l - 1]
        W_next = steps.weights[l] if l < n else None
        for j in range(sizes[l]):
            dz_sym, a_sym = f"∂L/∂{w.unit('z', l, j)}", f"∂L/∂{w.unit('a', l, j)}"
            first_sym = a_sym if act is not None else dz_sym        # ∂L/∂(what leaves the neuron)
            if l == n:
                p = probs[j] if probs is not None else None
                rhs = _loss_grad_formula(w, name, j, out[0, j], target[0, j], p, C)
            else:
                terms = [f"{w.n(W_next[j, k])}·{w.f(dz[l][k])}" for k in range(sizes[l + 1])]
                rhs = w.total(terms)
            value = da[l - 1][j]
            steps.append(PassStep("backward", l, j, None, "dL/da" if act is not None else "dL/dz",
                                  f"{first_sym} = {rhs} = {w.n(value)}", float(value), first_sym))
            if act is not None:
                rule, product = _slope_formula(w, act, zs[l - 1][j], as_[l - 1][j], da[l - 1][j])
                steps.append(PassStep("backward", l, j, None, "dL/dz",
                                      f"{dz_sym} = ∂L/∂a·{rule} = {product} = "
                                      f"{w.n(dz[l - 1][j])}", float(dz[l - 1][j]), dz_sym))
            for i in range(sizes[l - 1]):
                sym = f"∂L/∂{w.weight(l, i, j)}"
                src = w.unit("a", l - 1, i)
                steps.append(PassStep("backward", l, j, (i, j), "dL/dW",
                                      f"{sym} = ∂L/∂{w.unit('z', l, j)}·{src} = "
                                      f"{w.f(dz[l - 1][j])}·{w.f(inputs[l - 1][i])} = "
                                      f"{w.n(dW[l - 1][i, j])}", float(dW[l - 1][i, j]), sym))
            sym = f"∂L/∂b{_sub(j + 1)}{_sup(l)}"
            steps.append(PassStep("backward", l, j, None, "dL/db",
                                  f"{sym} = ∂L/∂{w.unit('z', l, j)} = {w.n(db[l - 1][j])}",
                                  float(db[l - 1][j]), sym))
    return steps
