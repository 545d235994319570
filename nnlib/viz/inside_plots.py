"""Figures of a network's insides while it trains (notebooks 10 and 12): histograms, norms, ratios.

Notebook 10 uses these to show what initialisation does to the signal on its way forward
(shrinking to zero, exploding, or staying steady), what saturated sigmoids and dead ReLUs look
like, how gradients vanish on the way back, and the "update / weight ~ 1e-3" rule of thumb.
The numbers come from `nnlib.course.probes` (`layer_stats`, `LayerStats`, `chain_values`, ...); this
module only draws them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle

from ..course.worked_examples import chain_values
from .style import (
    COLORS,
    FILL,
    HATCHES,
    LINE_COLORS,
    LINESTYLES,
    POSITIVE,
    TEXT,
    WARNING,
    figure,
    new_axes,
    share_text,
    sign_color,
)

__all__ = ["plot_chain", "plot_activation_grid", "plot_layer_histograms", "plot_grad_norms",
           "plot_update_ratios", "plot_layer_fractions"]


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
        label += f"\n{share_text(np.mean(v == 0))} = 0"
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
        _panel(axes[0, c], stats["act"][c], POSITIVE, bins, lo, hi, relu=(kind == "ReLU"))
        axes[0, c].set_title(f"layer {c + 1}", fontsize=9)
        _panel(axes[1, c], stats["dact"][c], WARNING, bins, glo, ghi)
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
    fig, ax = new_axes(ax, figsize=(6, 3.5))
    markers = ["o", "s", "^", "D", "v", "P"]
    for i, (label, s) in enumerate(stats_by_label.items()):
        v = np.asarray(s[key], dtype=float)
        v = np.where(v > 0, v, np.nan)                       # log scale: zeros are not drawn
        ax.plot(np.arange(1, len(v) + 1), v, color=LINE_COLORS[i % len(LINE_COLORS)],
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
    fig, ax = new_axes(ax, figsize=(6, 3.5))
    ax.axhspan(1e-4, 1e-2, color="0.85", alpha=0.5, lw=0)
    ax.axhline(1e-3, color="0.3", lw=1, ls=":")
    k = max(1, min(smooth, len(R)))
    kernel = np.ones(k) / k
    for j in range(R.shape[1] if R.ndim == 2 else 0):
        r = np.where(np.isfinite(R[:, j]) & (R[:, j] > 0), R[:, j], np.nan)
        sm = np.convolve(np.nan_to_num(r, nan=0.0), kernel, mode="valid")
        ax.plot(np.arange(k, len(r) + 1), sm, color=LINE_COLORS[j % len(LINE_COLORS)],
                linestyle=LINESTYLES[j % len(LINESTYLES)], label=f"layer {j + 1}")
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("lr·||dW|| / ||W||")
    ax.legend(fontsize=7, ncol=2)
    return fig


def plot_layer_fractions(fracs_by_label: dict, ylabel: str, ax=None):
    """Grouped bars: a fraction (dead units, saturated activations) per layer, per setting."""
    fig, ax = new_axes(ax, figsize=(6, 3.2))
    n_set = len(fracs_by_label)
    w = 0.8 / max(n_set, 1)
    for i, (label, f) in enumerate(fracs_by_label.items()):
        x = np.arange(1, len(f) + 1) + (i - (n_set - 1) / 2) * w
        pct = 100 * np.asarray(f, dtype=float)
        ax.bar(x, pct, width=w, color=COLORS[i % len(COLORS)],
               hatch=HATCHES[i % len(HATCHES)], edgecolor="white", label=label)
        for xi, p in zip(x, pct):
            ax.text(xi, p + 1.5, f"{p:.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, 110)
    ax.set_xlabel("hidden layer")
    ax.set_ylabel(ylabel)
    ax.set_xticks(np.arange(1, max(len(f) for f in fracs_by_label.values()) + 1))
    ax.legend(fontsize=8)
    return fig


def plot_chain(x: float = 1.0, weights=(0.5, 0.5, 0.5, 0.5, 0.5), act: str = "sigmoid"):
    """A chain of one-neuron layers drawn with every number: weights on the edges, the
    activation a in each circle, the slope f'(z) under it and dL/da below; weights and
    gradients in the sign colours (blue > 0, orange < 0).

    The product of slopes times weights is the whole story of vanishing gradients: with
    sigmoid each slope is at most 1/4, so five layers multiply the gradient by < 1/1000.
    """
    v = chain_values(x, weights, act)
    n = len(weights)
    fig, ax = new_axes(figsize=(1.35 * (n + 1) + 0.6, 2.5))
    ax.set_xlim(-0.7, n + 0.7)
    ax.set_ylim(-1.55, 0.75)
    ax.set_aspect("equal")
    ax.axis("off")
    for k in range(n + 1):
        if k < n:
            ax.annotate("", xy=(k + 1 - 0.3, 0), xytext=(k + 0.3, 0),
                        arrowprops=dict(arrowstyle="->", color="0.4"))
            ax.text(k + 0.5, 0.1, f"w={weights[k]:g}", ha="center", va="bottom", fontsize=8,
                    color=sign_color(weights[k]))
        circle_color = FILL["node"] if k == 0 else "white"
        ax.add_patch(Circle((k, 0), 0.28, facecolor=circle_color, edgecolor="0.3"))
        ax.text(k, 0, f"{v['a'][k]:.3g}", ha="center", va="center", fontsize=8)
        ax.text(k, 0.38, "x" if k == 0 else f"a{k}", ha="center", va="bottom", fontsize=8)
        if k > 0:
            ax.text(k, -0.5, f"f'={v['slope'][k - 1]:.3g}", ha="center", va="center", fontsize=7.5)
        g = v["grad"][k]
        ax.text(k, -1.0, f"{g:.2e}" if abs(g) < 1e-2 and g != 0 else f"{g:.3g}", ha="center",
                va="center", fontsize=8, color=sign_color(g), fontweight="bold")
    ax.text(-0.65, -1.0, "dL/da", ha="left", va="center", fontsize=8, color=TEXT)
    ax.text(n / 2, -1.45, f"{act}: gradient at the input = {v['grad'][0]:.2e} "
            f"(starts at 1 at the output)", ha="center", va="center", fontsize=8.5)
    return fig

