"""Figures of activation functions (notebook 02): shapes, slopes, softmax, and XOR's hidden space.

`nl.course.ACTIVATION_FUNCTIONS` maps a name to the pair (f, f') the figures draw; `plot_activation_slope`
is the static twin of `nl.widgets.activation_explorer` (a curve, a point on it and its tangent),
`plot_softmax` the twin of `nl.widgets.softmax_explorer`. `plot_hidden_space` shows why a hidden
layer helps: it moves the XOR points to where one straight line separates them.
"""

from __future__ import annotations

import numpy as np

from ..course.activation_curves import KINKED, LEAKY_SLOPE, activation_and_slope
from ..losses import softmax
from .style import CLASS_COLORS, CLASS_MARKERS, COLORS, HATCHES, LINESTYLES, WHITE, figure

__all__ = ["plot_activation_gallery", "plot_activation_slope", "plot_softmax", "plot_hidden_space"]

_TITLES = {"step": "step", "sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU",
           "leaky_relu": f"leaky ReLU (slope {LEAKY_SLOPE})", "identity": "identity (no activation)"}


def plot_activation_gallery(names=("step", "sigmoid", "tanh", "relu", "leaky_relu", "identity"),
                            zlim: float = 4.0):
    """One small panel per activation: f(z) solid, its slope f'(z) dashed, same axes for all."""
    names = list(names)
    cols = 3
    rows = -(-len(names) // cols)
    fig = figure(figsize=(9.0, 2.6 * rows))
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True)).ravel()
    z = np.linspace(-zlim, zlim, 401)
    for ax, name in zip(axes, names):
        f, df = activation_and_slope(name, z)
        if name in KINKED:                       # no vertical segment at the jump of the step
            f = np.where(np.abs(z) < 1e-9, np.nan, f)
            df = np.where(np.abs(z) < 1e-9, np.nan, df)
        ax.axhline(0, color="gray", lw=0.6)
        ax.axvline(0, color="gray", lw=0.6)
        ax.plot(z, f, color=COLORS[0], ls=LINESTYLES[0], lw=2, label="f(z)")
        ax.plot(z, df, color=COLORS[3], ls=LINESTYLES[1], lw=1.6, label="f′(z)")
        ax.set_title(_TITLES[name])
        ax.set_ylim(-1.6, 2.6)
    for ax in axes[len(names):]:
        ax.axis("off")
    for ax in axes[(rows - 1) * cols:]:
        ax.set_xlabel("z")
    axes[0].legend(loc="upper left")
    return fig


def plot_activation_slope(name: str = "sigmoid", z0: float = 1.0, zlim: float = 6.0):
    """The activation with the point (z0, f(z0)) and its tangent (left), and f' with f'(z0) (right).

    The tangent is the straight line that best matches f near z0; its slope f'(z0) is what
    backpropagation multiplies by. Where the slope is ~0 (saturated sigmoid/tanh, ReLU for z < 0)
    almost no gradient gets through. At z0 = 0 f' is not defined for ReLU and leaky ReLU (a
    kink) nor for the step (a jump); we use the left slope, as nnlib's layers do, and say so in
    the title.
    """
    if not np.isfinite(z0):
        raise ValueError(f"plot_activation_slope: z0 must be finite, got {z0}")
    z = np.linspace(-zlim, zlim, 301)
    f, df = activation_and_slope(name, z)
    f0, d0 = (float(v) for v in activation_and_slope(name, z0))
    if name in KINKED:                           # break the curves at the kink, no vertical jump
        df = np.where(np.abs(z) < 1e-9, np.nan, df)
        if name == "step":
            f = np.where(np.abs(z) < 1e-9, np.nan, f)
    fig = figure(figsize=(8.0, 3.2))
    ax, ax2 = fig.subplots(1, 2)
    for a in (ax, ax2):
        a.axhline(0, color="gray", lw=0.6)
        a.axvline(0, color="gray", lw=0.6)
        a.set_xlabel("z")
    ax.plot(z, f, color=COLORS[0], lw=2, label="f(z)")
    zt = np.array([z0 - 1.5, z0 + 1.5])
    ax.plot(zt, f0 + d0 * (zt - z0), color=COLORS[3], ls="--", lw=1.8, label="tangent")
    ax.plot([z0], [f0], "o", color=COLORS[3], markersize=8, zorder=3)
    lo = min(-1.3, np.nanmin(f) - 0.2)
    hi = max(1.3, min(np.nanmax(f), 4.0) + 0.3)
    ax.set_ylim(lo, hi)
    ax.set_xlim(-zlim, zlim)
    kink = name in KINKED and abs(z0) < 1e-9
    ax.set_title(f"{_TITLES[name]}: f({z0:.2f}) = {f0:.3f}")
    ax.legend(loc="upper left")
    ax2.plot(z, df, color=COLORS[2], ls=LINESTYLES[2], lw=2, label="f′(z)")
    ax2.plot([z0], [d0], "s", color=COLORS[3], markersize=8, zorder=3)
    ax2.set_ylim(-0.15, 1.25)
    where = "jump" if name == "step" else "kink"
    ax2.set_title(f"slope f′({z0:.2f}) = {d0:.3f}" + (f" ({where}: left slope)" if kink else ""))
    ax2.legend(loc="upper left")
    return fig


def plot_softmax(logits=(2.0, 1.0, 0.1, -1.0), temperature: float = 1.0):
    """Bar charts of the logits z (left) and of softmax(z / T) (right), every bar labelled.

    Softmax turns any scores into positive numbers that sum to 1. Dividing by a temperature T
    first sharpens (T < 1: towards all-or-nothing) or flattens (T > 1: towards uniform) them;
    the order of the classes never changes.
    """
    z = np.asarray(logits, dtype=float)
    if temperature <= 0 or not np.isfinite(temperature):
        raise ValueError(f"plot_softmax: temperature must be > 0, got {temperature}")
    p = softmax(z / temperature)
    k = np.arange(len(z))
    fig = figure(figsize=(8.0, 3.0))
    ax, ax2 = fig.subplots(1, 2)
    colors = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in k]
    ax.bar(k, z, color=colors, edgecolor="black", lw=0.6)
    ax.axhline(0, color="gray", lw=0.8)
    top = max(1.0, float(np.abs(z).max()))
    ax.set_ylim(-1.3 * top, 1.3 * top)
    for i, v in zip(k, z):
        ax.text(i, v + (0.05 if v >= 0 else -0.05) * top, f"{v:.1f}", ha="center",
                va="bottom" if v >= 0 else "top", fontsize=9)
    ax.set_title("logits z (any real numbers)")
    bars = ax2.bar(k, p, color=colors, edgecolor="black", lw=0.6)
    for bar, hatch in zip(bars, HATCHES):
        bar.set_hatch(hatch)
    for i, v in zip(k, p):
        ax2.text(i, v + 0.02, f"{v:.2f}", ha="center", va="bottom", fontsize=9)
    ax2.set_ylim(0, 1.15)
    ax2.set_title(f"softmax(z / T), T = {temperature:g}: sum = {p.sum():.2f}")
    for a in (ax, ax2):
        a.set_xticks(k, [f"class {i}" for i in k])
        a.grid(axis="x", visible=False)
    return fig


def plot_hidden_space(predict, hidden, X, y, *, title_in: str = "input space",
                      title_hidden: str = "hidden space", resolution: int = 60):
    """Left: the data and a network's decision map in input space. Right: the same points after
    the hidden layer, `hidden(X) -> (N, 2)`, where the output neuron only has to draw a line.

    `predict(points) -> (M, 2)` scores or (M,) logits, as for `plot_decision_map`.
    """
    from .common import plot_decision_map
    fig = figure(figsize=(8.0, 3.6))
    ax, ax2 = fig.subplots(1, 2)
    plot_decision_map(predict, X, y, ax=ax, resolution=resolution)
    ax.set_title(title_in)
    H = np.asarray(hidden(X), dtype=float)
    for c in np.unique(y):
        m = y == c
        ax2.scatter(H[m, 0], H[m, 1], s=70 if len(X) < 20 else 30, color=CLASS_COLORS[c], marker=CLASS_MARKERS[c],
                    edgecolors=WHITE, linewidths=0.5, label=f"class {c}", alpha=0.8)
    ax2.set_xlabel("$h_1$")
    ax2.set_ylabel("$h_2$")
    ax2.set_title(title_hidden)
    ax2.legend(loc="best")
    return fig
