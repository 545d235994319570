"""Looking inside a network while it trains: per-layer activations, gradients and update sizes.

Notebook 10 uses these to show what initialisation does to the signal on its way forward
(shrinking to zero, exploding, or staying steady), what saturated sigmoids and dead ReLUs look
like, how gradients vanish on the way back, and the "update / weight ~ 1e-3" rule of thumb.
`layer_stats` probes a model with one forward and backward pass on a fixed batch and returns
*copies* (inside `fit` layers reuse their buffers); `LayerStats` is the callback that calls it
after every epoch. Clarity over speed: every statistic is a line or two of NumPy.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle

from ..core import Module
from ..layers import Activation, Linear
from ..train import Callback
from .style import COLORS, LINESTYLES, figure

__all__ = [
    "chain_values", "plot_chain", "layer_stats", "LayerStats", "dead_fraction", "saturated_fraction", "update_ratios",
    "plot_activation_grid", "plot_layer_histograms", "plot_grad_norms", "plot_update_ratios",
    "plot_layer_fractions",
]


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


# ---------------------------------------------------------------------------------- figures
_LINE_COLORS = [c for c in COLORS if c != "#F0E442"]   # yellow is too faint for thin lines


def _finite(values) -> np.ndarray:
    v = np.asarray(values, dtype=float).ravel()
    return v[np.isfinite(v)]


def _sigma(values) -> str:
    v = _finite(values)
    if v.size == 0:
        return "σ=?"
    std = float(np.std(v))
    return "σ=0" if std == 0 else f"σ={std:.2g}"


def _edge_ticks(ax, ticks, labels, fontsize=7) -> None:
    """Ticks at both ends and the middle, end labels turned inwards so neighbours never touch."""
    ax.set_xticks(ticks, labels, fontsize=fontsize)
    texts = ax.get_xticklabels()
    texts[0].set_horizontalalignment("left")
    texts[-1].set_horizontalalignment("right")


def _panel(ax, values, color, bins, lo, hi, relu: bool = False) -> None:
    """One small histogram on [lo, hi] with σ (and, for ReLU, the share of zeros) written on it.

    ReLU outputs are exactly 0 for about half of the inputs; that spike would flatten the rest
    of the histogram, so it is left out and reported as a percentage instead.
    """
    v = _finite(values)
    label = _sigma(v)
    if relu and v.size:
        label += f"\n{np.mean(v == 0):.0%} = 0"
        v = v[v != 0]
    if v.size:
        counts, edges = np.histogram(np.clip(v, lo, hi), bins=bins, range=(lo, hi))
        ax.stairs(counts, edges, fill=True, color=color, alpha=0.85)   # one patch: fast to draw
        ax.set_ylim(0, max(counts.max(), 1) * (1.6 if relu else 1.35))   # room for the label
    elif not _finite(values).size:
        label = "no finite\nvalues"
    ax.text(0.97, 0.95, label, ha="right", va="top", transform=ax.transAxes, fontsize=7,
            linespacing=1.1)
    ax.set_xlim(lo, hi)
    _edge_ticks(ax, [lo, (lo + hi) / 2, hi], [f"{t:.2g}" for t in (lo, (lo + hi) / 2, hi)])
    ax.set_yticks([])
    ax.grid(False)
    ax.tick_params(labelsize=7)


def _act_range(kind: str, acts) -> tuple[float, float]:
    if kind == "Sigmoid":
        return (0.0, 1.0)
    if kind == "Tanh":
        return (-1.0, 1.0)
    top = max((float(np.percentile(_finite(a), 99)) if _finite(a).size else 0.0 for a in acts),
              default=0.0)
    return (0.0, top if top > 0 else 1.0)


def _grad_range(arrays) -> tuple[float, float]:
    top = max((float(np.percentile(np.abs(_finite(a)), 99)) if _finite(a).size else 0.0
               for a in arrays), default=0.0)
    return (-top, top) if top > 0 else (-1.0, 1.0)


def plot_activation_grid(stats_by_label: dict, what: str = "act", bins: int = 30,
                         width: float = 9.0):
    """Grid of small histograms: one row per setting (e.g. an init), one column per layer.

    `stats_by_label` maps a row label to a `layer_stats` dict. `what="act"` draws the hidden
    activations, `what="dact"` the gradients dL/da. Every row shares one x-range, so a signal
    that shrinks (or grows) from layer to layer is visible as a narrowing (widening) shape;
    the standard deviation σ is written in each panel. The counts are hidden: the *shape*
    is the message.
    """
    if what not in ("act", "dact"):
        raise ValueError(f"plot_activation_grid: what must be 'act' or 'dact', got {what!r}")
    labels = list(stats_by_label)
    n_layers = max(len(s[what]) for s in stats_by_label.values())
    fig = figure(figsize=(width, 0.95 * len(labels) + 0.7))
    axes = fig.subplots(len(labels), n_layers, squeeze=False)
    for r, label in enumerate(labels):
        s = stats_by_label[label]
        kind = s["act_kind"][0] if s["act_kind"] else "ReLU"
        arrays = s[what]
        lo, hi = _act_range(kind, arrays) if what == "act" else _grad_range(arrays)
        for c in range(n_layers):
            ax = axes[r, c]
            if c < len(arrays):
                _panel(ax, arrays[c], COLORS[r % len(COLORS)], bins, lo, hi,
                       relu=(what == "act" and kind == "ReLU"))
            else:
                ax.axis("off")
            if r == 0:
                ax.set_title(f"layer {c + 1}", fontsize=9)
            if c == 0:
                ax.set_ylabel(label, fontsize=9, rotation=0, ha="right", va="center")
    name = "activations a" if what == "act" else "gradients dL/da"
    fig.suptitle(f"Hidden-layer {name}, one histogram per layer (rows: settings)", fontsize=10)
    return fig


def plot_layer_histograms(stats: dict, title: str = "", bins: int = 25):
    """Two rows of histograms for one network: activations (top) and dL/da (bottom), per layer.

    The widget `inside_explorer` draws this after every button press. Each row shares one
    x-range, so gradients that vanish towards layer 1 show up as ever narrower spikes; σ in
    every panel gives the size.
    """
    n = len(stats["act"])
    width = min(1.45 * n + 0.8, 11)
    fig = figure(figsize=(width, 3.3), layout="none")    # fixed margins: constrained layout
    fig.subplots_adjust(left=0.75 / width, right=1 - 0.1 / width, top=0.82, bottom=0.1,
                        wspace=0.15, hspace=0.45)       # would double the widget's draw time
    axes = fig.subplots(2, max(n, 1), squeeze=False)
    kind = stats["act_kind"][0] if stats["act_kind"] else "ReLU"
    lo, hi = _act_range(kind, stats["act"])
    glo, ghi = _grad_range(stats["dact"])
    for c in range(n):
        _panel(axes[0, c], stats["act"][c], COLORS[0], bins, lo, hi, relu=(kind == "ReLU"))
        axes[0, c].set_title(f"layer {c + 1}", fontsize=9)
        _panel(axes[1, c], stats["dact"][c], COLORS[3], bins, glo, ghi)
        _edge_ticks(axes[1, c], [glo, 0, ghi], [f"{glo:.0e}", "0", f"{ghi:.0e}"], fontsize=6)
        if c > 0:                                        # shared ranges: label the first only
            axes[0, c].set_xticklabels([])
            axes[1, c].set_xticklabels([])
    axes[0, 0].set_ylabel(f"{kind}\noutput a", fontsize=9)
    axes[1, 0].set_ylabel("gradient\ndL/da", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_grad_norms(stats_by_label: dict, key: str = "grad_norm", ax=None):
    """Lines across layers of ||dW|| (log scale), one line per setting, markers on the layers.

    A line falling steeply towards layer 1 is a *vanishing* gradient (the first layers learn
    nothing); a rising one is exploding. Healthy: roughly flat.
    """
    if ax is None:
        fig = figure(figsize=(6, 3.5))
        ax = fig.subplots()
    else:
        fig = ax.figure
    markers = ["o", "s", "^", "D", "v", "P"]
    for i, (label, s) in enumerate(stats_by_label.items()):
        v = np.asarray(s[key], dtype=float)
        v = np.where(v > 0, v, np.nan)                       # log scale: zeros are not drawn
        ax.plot(np.arange(1, len(v) + 1), v, color=_LINE_COLORS[i % len(_LINE_COLORS)],
                linestyle=LINESTYLES[i % len(LINESTYLES)], marker=markers[i % 6], label=label)
    ax.set_yscale("log")
    ax.set_xlabel("Linear layer (1 = next to the input)")
    ax.set_ylabel("||dW||" if key == "grad_norm" else key)
    ax.legend(fontsize=8)
    return fig


def plot_update_ratios(step_ratios, ax=None, smooth: int = 10):
    """lr*||dW||/||W|| per layer over training steps (log scale), with the 1e-3 guide line.

    `step_ratios` is `LayerStats.step_ratios` (a list of per-layer arrays). A running mean over
    `smooth` steps keeps the lines readable; the grey band marks 1e-4 .. 1e-2.
    """
    R = np.array(step_ratios, dtype=float)                  # (steps, layers)
    if ax is None:
        fig = figure(figsize=(6, 3.5))
        ax = fig.subplots()
    else:
        fig = ax.figure
    ax.axhspan(1e-4, 1e-2, color="0.85", alpha=0.5, lw=0)
    ax.axhline(1e-3, color="0.3", lw=1, ls=":")
    k = max(1, min(smooth, len(R)))
    kernel = np.ones(k) / k
    for j in range(R.shape[1] if R.ndim == 2 else 0):
        r = np.where(np.isfinite(R[:, j]) & (R[:, j] > 0), R[:, j], np.nan)
        sm = np.convolve(np.nan_to_num(r, nan=0.0), kernel, mode="valid")
        ax.plot(np.arange(k, len(r) + 1), sm, color=_LINE_COLORS[j % len(_LINE_COLORS)],
                linestyle=LINESTYLES[j % len(LINESTYLES)], label=f"layer {j + 1}")
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("lr·||dW|| / ||W||")
    ax.legend(fontsize=7, ncol=2)
    return fig


def plot_layer_fractions(fracs_by_label: dict, ylabel: str, ax=None):
    """Grouped bars: a fraction (dead units, saturated activations) per layer, per setting."""
    if ax is None:
        fig = figure(figsize=(6, 3.2))
        ax = fig.subplots()
    else:
        fig = ax.figure
    n_set = len(fracs_by_label)
    w = 0.8 / max(n_set, 1)
    hatches = ["", "//", "..", "xx", "\\\\", "++"]
    for i, (label, f) in enumerate(fracs_by_label.items()):
        x = np.arange(1, len(f) + 1) + (i - (n_set - 1) / 2) * w
        pct = 100 * np.asarray(f, dtype=float)
        ax.bar(x, pct, width=w, color=COLORS[i % len(COLORS)],
               hatch=hatches[i % 6], edgecolor="white", label=label)
        for xi, p in zip(x, pct):
            ax.text(xi, p + 1.5, f"{p:.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, 110)
    ax.set_xlabel("hidden layer")
    ax.set_ylabel(ylabel)
    ax.set_xticks(np.arange(1, max(len(f) for f in fracs_by_label.values()) + 1))
    ax.legend(fontsize=8)
    return fig



_CHAIN_ACTS = {
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda a: a * (1 - a)),
    "tanh": (np.tanh, lambda a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: float(a > 0)),
}


def chain_values(x: float, weights, act: str = "sigmoid") -> dict:
    """Forward and backward through a chain of one-neuron layers a_k = f(w_k a_(k-1)).

    The backward pass starts from dL/da_L = 1 and multiplies, layer by layer, by the slope
    f'(z_k) and by the weight w_k: dL/da_(k-1) = dL/da_k f'(z_k) w_k. Returns lists `z`, `a`
    (a[0] = x), `slope` and `grad` (grad[k] = dL/da_k, grad[0] for the input).
    """
    if act not in _CHAIN_ACTS:
        raise ValueError(f"chain_values: act must be one of {sorted(_CHAIN_ACTS)}, got {act!r}")
    f, df = _CHAIN_ACTS[act]
    a, z, slope = [float(x)], [], []
    for w in weights:
        z.append(float(w) * a[-1])
        a.append(float(f(z[-1])))
        slope.append(float(df(a[-1])))
    grad = [1.0]
    for w, s in zip(reversed(list(weights)), reversed(slope)):
        grad.append(grad[-1] * s * float(w))
    return {"z": z, "a": a, "slope": slope, "grad": grad[::-1]}


def plot_chain(x: float = 1.0, weights=(0.5, 0.5, 0.5, 0.5, 0.5), act: str = "sigmoid"):
    """A chain of one-neuron layers drawn with every number: weights on the edges, the
    activation a in each circle, the slope f'(z) under it and dL/da (vermillion) below.

    The product of slopes times weights is the whole story of vanishing gradients: with
    sigmoid each slope is at most 1/4, so five layers multiply the gradient by < 1/1000.
    """
    v = chain_values(x, weights, act)
    n = len(weights)
    fig = figure(figsize=(1.35 * (n + 1) + 0.6, 2.5))
    ax = fig.subplots()
    ax.set_xlim(-0.7, n + 0.7)
    ax.set_ylim(-1.55, 0.75)
    ax.set_aspect("equal")
    ax.axis("off")
    for k in range(n + 1):
        if k < n:
            ax.annotate("", xy=(k + 1 - 0.3, 0), xytext=(k + 0.3, 0),
                        arrowprops=dict(arrowstyle="->", color="0.4"))
            ax.text(k + 0.5, 0.1, f"w={weights[k]:g}", ha="center", va="bottom", fontsize=8,
                    color=COLORS[0])
        circle_color = "#f0f0f0" if k == 0 else "white"
        ax.add_patch(Circle((k, 0), 0.28, facecolor=circle_color, edgecolor="0.3"))
        ax.text(k, 0, f"{v['a'][k]:.3g}", ha="center", va="center", fontsize=8)
        ax.text(k, 0.38, "x" if k == 0 else f"a{k}", ha="center", va="bottom", fontsize=8)
        if k > 0:
            ax.text(k, -0.5, f"f'={v['slope'][k - 1]:.3g}", ha="center", va="center", fontsize=7.5)
        g = v["grad"][k]
        ax.text(k, -1.0, f"{g:.2e}" if abs(g) < 1e-2 and g != 0 else f"{g:.3g}", ha="center",
                va="center", fontsize=8, color=COLORS[3], fontweight="bold")
    ax.text(-0.65, -1.0, "dL/da", ha="left", va="center", fontsize=8, color=COLORS[3])
    ax.text(n / 2, -1.45, f"{act}: gradient at the input = {v['grad'][0]:.2e} "
            f"(starts at 1 at the output)", ha="center", va="center", fontsize=8.5)
    return fig

