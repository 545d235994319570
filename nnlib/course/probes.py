"""Probes: numbers from inside a network, for the lessons that look inside (notebooks 05, 06, 10, 12).

- `dense_layers`, `list_weights` (notebook 06): a model's `Linear` layers with the activation
  after each, and every single weight with a readable name;
- `layer_stats`, `LayerStats`, `update_ratios`, `dead_fraction`, `saturated_fraction`
  (notebooks 10 and 12): per-layer activations, gradients and update sizes, dead ReLUs and
  saturated sigmoids. `layer_stats` returns *copies* (inside `fit`, fast mode reuses buffers);
  `LayerStats` is the training callback that calls it after every epoch;
- `kernel_signs` (notebook 14): how many clearly positive and clearly negative weights each
  kernel of a conv layer has.

No plotting here: the figures of these numbers are in `nnlib.viz` (`plot_network_numbers`,
`plot_network`, `plot_layer_histograms`, `plot_chain`, ...). Clarity over speed: every
statistic is a line or two of NumPy.
"""

from __future__ import annotations

import numpy as np

from ..core import Module
from ..layers import Activation, Linear, Sequential
from ..train import Callback
from .pass_steps import pass_steps

__all__ = ["dense_layers", "list_weights", "layer_stats", "LayerStats", "update_ratios",
           "dead_fraction", "saturated_fraction", "kernel_signs", "pass_steps"]


def dense_layers(model) -> list[tuple[Linear, str | None]]:
    """The `Linear` layers of `model`, each with the name of the activation that follows it.

    Accepts a single `Linear` or a `Sequential` of Linear layers and activations (as built by
    `nl.mlp`). The activation name is None after the last layer (raw scores).
    """
    if isinstance(model, Linear):
        return [(model, None)]
    if not isinstance(model, Sequential):
        raise ValueError(f"dense_layers: expected a Linear or a Sequential, got {type(model).__name__}")
    out: list[list] = []
    for layer in model.layers:
        if isinstance(layer, Linear):
            out.append([layer, None])
        elif out and out[-1][1] is None and isinstance(layer, Activation):
            out[-1][1] = type(layer).__name__          # its name, for the figure's label
    if not out:
        raise ValueError("dense_layers: the model has no Linear layer to draw")
    return [(lin, act) for lin, act in out]


def list_weights(model) -> list[tuple[str, tuple]]:
    """Every single number of the network with a readable name, in order.

    Returns `[(label, key), ...]` with labels like "W1[0,1]: x1 -> h2" and keys
    `("W", layer, i, j)` or `("b", layer, j)` (layer counted from 0). Layer k's W has shape
    (inputs, neurons), so W[i, j] connects input i to neuron j -- the same order as `x @ W`.
    """
    layers = dense_layers(model)
    names = _node_names([layers[0][0].in_features] + [lin.out_features for lin, _ in layers])
    items = []
    for k, (lin, _) in enumerate(layers):
        for j in range(lin.out_features):
            for i in range(lin.in_features):
                items.append((f"W{k + 1}[{i},{j}]: {names[k][i]} → {names[k + 1][j]}",
                              ("W", k, i, j)))
            items.append((f"b{k + 1}[{j}]: bias of {names[k + 1][j]}", ("b", k, j)))
    return items


def _node_names(sizes):
    names = [[f"x{i + 1}" for i in range(sizes[0])]]
    for k, n in enumerate(sizes[1:-1]):
        prefix = "h" if len(sizes) == 3 else f"h{k + 1}_"
        names.append([f"{prefix}{j + 1}" for j in range(n)])
    names.append([f"y{j + 1}" for j in range(sizes[-1])] if len(sizes) > 1 else [])
    return names


# -- looking inside while it trains ---------------------------------------------------------
def _blocks(model: Module) -> list[Module]:
    layers = getattr(model, "layers", None)
    if layers is None:
        raise ValueError(f"layer_stats: expected a Sequential model, got {type(model).__name__}")
    return list(layers)


def layer_stats(model: Module, X: np.ndarray, y, loss_fn, lr: float | None = None) -> dict:
    """One forward + backward pass on a probe batch; per-layer copies of what happened.

    The forward pass runs layer by layer so that every hidden activation can be kept; the
    backward pass then fills every gradient. Everything returned is a copy, and the model's
    gradients are put back as they were, so this is safe between steps of `fit` (where arrays
    are reused buffers). Returns a dict with

    - ``act``: list of arrays (N, width), the output of every activation layer (hidden layers);
    - ``act_kind``: the activation class names, e.g. ``"ReLU"``;
    - ``dW``: list of weight gradients, one per `Linear` (first to last);
    - ``dact``: list of dL/da arrays (N, width), the gradient arriving at each hidden activation;
    - ``grad_norm``, ``weight_norm``: arrays, ||dW|| and ||W|| per `Linear`;
    - ``ratio``: lr * ||dW|| / ||W|| per `Linear` (NaN without `lr`; inf where W = 0);
    - ``loss``: the probe loss.
    """
    blocks = _blocks(model)
    linears = [m for m in blocks if isinstance(m, Linear)]
    saved = [p.grad.copy() for p in model.parameters()]
    try:
        model.zero_grad()
        acts, kinds, a = [], [], X
        with np.errstate(over="ignore", invalid="ignore"):
            for m in blocks:
                a = m.forward(a)
                if isinstance(m, Activation):
                    acts.append(np.array(a, copy=True))
                    kinds.append(type(m).__name__)
            loss = float(loss_fn(a, y))
            dout, dacts = loss_fn.backward(), []
            for m in reversed(blocks):
                if isinstance(m, Activation):
                    dacts.append(np.array(dout, copy=True))
                dout = m.backward(dout)
                if dout is None:
                    break
        dW = [np.array(m.W.grad, copy=True) for m in linears]
    finally:
        for p, g in zip(model.parameters(), saved):
            p.grad[...] = g
    grad_norm = np.array([np.linalg.norm(g) for g in dW])
    weight_norm = np.array([np.linalg.norm(m.W.data) for m in linears])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (lr * grad_norm / weight_norm) if lr is not None else np.full(len(dW), np.nan)
    return {"act": acts, "act_kind": kinds, "dW": dW, "dact": dacts[::-1],
            "grad_norm": grad_norm, "weight_norm": weight_norm, "ratio": ratio, "loss": loss}


def update_ratios(model: Module, lr: float) -> np.ndarray:
    """lr * ||dW|| / ||W|| for every `Linear`, from the gradients the model holds right now.

    For plain SGD, lr * dW is exactly the step, so this is "how much of each weight matrix one
    step changes". Around 1e-3 is the classic healthy value (CS231n); 1e-1 means the weights are
    being thrown around, 1e-6 that the layer hardly learns.
    """
    out = []
    for m in _blocks(model):
        if isinstance(m, Linear):
            w = np.linalg.norm(m.W.data)
            out.append(np.inf if w == 0 else lr * np.linalg.norm(m.W.grad) / w)
    return np.array(out)


def dead_fraction(acts) -> np.ndarray:
    """Per layer, the fraction of ReLU units that output 0 for *every* example of the probe.

    Such a unit passes no gradient (ReLU's slope is 0 there), so its incoming weights never
    change again: it is dead. `acts` is a list of (N, width) arrays, e.g. `layer_stats(...)["act"]`.
    """
    return np.array([float(np.mean(np.all(a <= 0, axis=0))) for a in acts])


def saturated_fraction(acts, kind: str = "Sigmoid", tol: float = 0.49) -> np.ndarray:
    """Per layer, the fraction of activations stuck near a flat end of a squashing function.

    Sigmoid: |a - 0.5| > tol (a within 0.01 of 0 or 1, slope a(1-a) < 0.01). Tanh: |a| > 2 tol.
    A saturated unit passes almost no gradient back.
    """
    if kind not in ("Sigmoid", "Tanh"):
        raise ValueError(f"saturated_fraction: kind must be 'Sigmoid' or 'Tanh', got {kind!r}")
    centre, limit = (0.5, tol) if kind == "Sigmoid" else (0.0, 2 * tol)
    return np.array([float(np.mean(np.abs(a - centre) > limit)) for a in acts])


class LayerStats(Callback):
    """Callback: `layer_stats` on a fixed probe batch before training and after every epoch.

    `records[k]` is the stats dict after k epochs (0 = before training). With
    `every_step=True` it also keeps `step_ratios`, one array of lr*||dW||/||W|| per step (the
    gradients of that step's own batch; no extra pass), for plots of update ratios over time.
    """

    def __init__(self, X_probe, y_probe, loss_fn, every_step: bool = True):
        self.X, self.y, self.loss_fn, self.every_step = X_probe, y_probe, loss_fn, every_step
        self.records: list[dict] = []
        self.step_ratios: list[np.ndarray] = []

    def on_train_begin(self, model, history):
        self.model = model
        self.records.append(layer_stats(model, self.X, self.y, self.loss_fn))

    def on_step_end(self, step, logs):
        if self.every_step:
            self.step_ratios.append(update_ratios(self.model, logs["lr"]))

    def on_epoch_end(self, epoch, logs):
        self.records.append(layer_stats(self.model, self.X, self.y, self.loss_fn, lr=logs["lr"]))


def kernel_signs(W, rel: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """(n_pos, n_neg): per kernel of W (C_out, C_in, kH, kW), its clearly positive and clearly
    negative weights, where clearly means |w| >= `rel` x the kernel's largest |w|.

    A kernel with eight weights near -0.3 and one of +0.02 has n_pos = 0: the tiny positive
    weight does not make it compare neighbouring pixels.
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 4:
        raise ValueError(f"kernel_signs: expected W of shape (C_out, C_in, kH, kW), got {W.shape}")
    if isinstance(rel, (bool, np.bool_)) or not isinstance(rel, (int, float)) or not 0 <= rel <= 1:
        raise ValueError(f"kernel_signs: rel must be a fraction in [0, 1], got {rel!r}")
    w = W.reshape(W.shape[0], -1)
    clear = np.abs(w) >= rel * np.abs(w).max(axis=1, keepdims=True)
    return ((w > 0) & clear).sum(axis=1), ((w < 0) & clear).sum(axis=1)
