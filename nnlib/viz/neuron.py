"""Figures of one neuron (notebook 01): the neuron drawn with its numbers, and its line in the plane.

`draw_neuron` is the "illustrated" picture: inputs, weights, bias, weighted sum and activation,
each written out as a number, so a learner can redo the arithmetic by hand. `plot_neuron_plane`
shows the same neuron as a classifier: sigmoid(z) shaded over the plane, the line z = 0, the data.
`plot_neuron` puts the two side by side; it is the static twin of `nl.widgets.neuron_explorer`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from ..layers import sigmoid
from ..metrics import count_correct
from .style import (
    CLASS_COLORS,
    FILL,
    INK,
    NEGATIVE,
    WHITE,
    YELLOW,
    class_cmap,
    figure,
    new_axes,
    sign_legend,
    sign_style,
)

__all__ = ["draw_neuron", "plot_neuron_plane", "plot_neuron"]


def decision_line(w, b, xlim, ylim):
    """The two end points of the line w1*x1 + w2*x2 + b = 0 inside the box xlim x ylim, or None.

    None means there is no line to draw: either w1 = w2 = 0 (z is the constant b everywhere),
    or the line lies entirely outside the box (every visible point is on the same side).
    """
    w1, w2 = float(w[0]), float(w[1])
    corners = np.array([[x, yy] for x in xlim for yy in ylim])
    z = corners @ np.array([w1, w2]) + b
    if w1 == 0 and w2 == 0 or np.all(z > 0) or np.all(z < 0):
        return None
    if abs(w2) >= abs(w1):                                 # steep in x2: solve for x2
        xs = np.array(xlim, dtype=float)
        return np.column_stack([xs, -(w1 * xs + b) / w2])
    ys = np.array(ylim, dtype=float)
    return np.column_stack([-(w2 * ys + b) / w1, ys])


def neuron_message(w, b, xlim=None, ylim=None) -> str:
    """A sentence for the cases where the picture has no decision line ("" when it has one)."""
    w1, w2 = float(w[0]), float(w[1])
    if w1 == 0 and w2 == 0:
        return (f"w1 = w2 = 0: no decision line — every point gets the same output "
                f"a = σ(b) = {float(sigmoid(np.float64(b))):.3f}")
    if xlim is not None and ylim is not None and decision_line(w, b, xlim, ylim) is None:
        side = "1" if b > 0 else "0"
        return (f"the line z = 0 is outside the picture (b = {b:g} dominates): all points "
                f"are on the class-{side} side")
    return ""


def _fmt(v: float) -> str:
    """Numbers on the diagram: 2 decimals, a real minus sign, brackets around negatives in sums."""
    return f"{v:.2f}".replace("-", "−")


def _p(v: float) -> str:
    return f"({_fmt(v)})" if v < 0 else _fmt(v)


def draw_neuron(x=(0.5, -1.0), w=(0.8, -0.6), b=0.3, ax=None, *, title: str | None = None):
    """Draw one neuron with two inputs and every number on it; returns the Figure.

    The picture follows the computation left to right: inputs x1, x2; edges labelled with the
    weights w1, w2 (blue solid = positive, orange dashed = negative, thicker = larger |w|);
    the bias b entering the sum node; the weighted sum z = w1 x1 + w2 x2 + b written out with
    the actual numbers; and the activation a = sigmoid(z), with the class it predicts.
    """
    x1, x2 = (float(v) for v in x)
    w1, w2 = (float(v) for v in w)
    b = float(b)
    z = w1 * x1 + w2 * x2 + b
    a = float(sigmoid(np.float64(z)))
    fig, ax = new_axes(ax, figsize=(6.0, 3.4))
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.9, 6.2)
    ax.set_aspect("equal")
    ax.axis("off")

    inputs = {"x₁": ((1.0, 4.6), x1, w1, "w₁"), "x₂": ((1.0, 1.4), x2, w2, "w₂")}
    s_pos, a_pos, r = (5.0, 3.0), (8.0, 3.0), 0.55
    for name, (pos, val, wt, wname) in inputs.items():
        ax.add_patch(Circle(pos, r, facecolor=FILL["node"], edgecolor=INK, lw=1.2, zorder=3))
        ax.text(pos[0], pos[1], name, ha="center", va="center", fontsize=12, zorder=4)
        ax.text(pos[0], pos[1] - r - 0.3, f"{name} = {_fmt(val)}", ha="center", va="top",
                fontsize=10)
        color, style = sign_style(wt)
        ax.add_patch(FancyArrowPatch(pos, s_pos, arrowstyle="-|>", mutation_scale=12,
                                     shrinkA=r * 28, shrinkB=r * 28, color=color, linestyle=style,
                                     lw=0.8 + 0.8 * min(abs(wt), 5.0)))
        mid = (0.45 * pos[0] + 0.55 * s_pos[0], 0.45 * pos[1] + 0.55 * s_pos[1])
        ax.text(mid[0], mid[1] + (0.45 if pos[1] > s_pos[1] else -0.45), f"{wname} = {_fmt(wt)}",
                ha="center", va="center", fontsize=10, color=color, fontweight="bold",
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    # bias: a small arrow from above into the sum node
    ax.annotate("", xy=(s_pos[0], s_pos[1] + r), xytext=(s_pos[0], s_pos[1] + 2.0),
                arrowprops=dict(arrowstyle="-|>", color=INK, lw=1.2))
    ax.text(s_pos[0], s_pos[1] + 2.15, f"b = {_fmt(b)}", ha="center", va="bottom", fontsize=10,
            fontweight="bold")
    # sum node and activation node
    ax.add_patch(Circle(s_pos, r, facecolor="white", edgecolor="black", lw=1.4, zorder=3))
    ax.text(*s_pos, "Σ", ha="center", va="center", fontsize=15, zorder=4)
    ax.add_patch(Circle(a_pos, r, facecolor="white", edgecolor="black", lw=1.4, zorder=3))
    ax.text(*a_pos, "σ", ha="center", va="center", fontsize=15, zorder=4)
    ax.add_patch(FancyArrowPatch(s_pos, a_pos, arrowstyle="-|>", mutation_scale=12,
                                 shrinkA=r * 28, shrinkB=r * 28, color="black", lw=1.2))
    ax.text(6.5, 3.2, f"z = {_fmt(z)}", ha="center", va="bottom", fontsize=9)
    ax.add_patch(FancyArrowPatch(a_pos, (9.9, 3.0), arrowstyle="-|>", mutation_scale=12,
                                 shrinkA=r * 28, color="black", lw=1.2))
    ax.text(8.0, 3.0 + r + 0.2, f"a = σ(z)\n= {a:.3f}", ha="center", va="bottom", fontsize=10,
            fontweight="bold")
    ax.text(8.0, 3.0 - r - 0.2, f"class {int(z > 0)}\n(a {'>' if z > 0 else '≤'} 0.5)",
            ha="center", va="top", fontsize=9, color=CLASS_COLORS[int(z > 0)])
    # the weighted sum, written out with the numbers
    ax.text(5.0, -0.85, f"z = w₁x₁ + w₂x₂ + b = {_p(w1)}·{_p(x1)} + {_p(w2)}·{_p(x2)} "
            f"+ {_p(b)} = {_fmt(z)}", ha="center", va="bottom", fontsize=9.5,
            bbox=dict(boxstyle="round,pad=0.3", fc=FILL["note"], ec=NEGATIVE, lw=0.8))
    sign_legend(ax, what="w", loc="upper right")
    if title:
        ax.set_title(title)
    return fig


def plot_neuron_plane(X, y, w=(1.0, 1.0), b=0.0, ax=None, *, highlight: int | None = None,
                      resolution: int = 90, margin: float = 0.5, colorbar: bool = True, cax=None):
    """The neuron as a classifier: sigmoid(w.x + b) shaded over the plane, its line z = 0, the data.

    The shading shows the neuron's output a everywhere (blue = near 0, vermillion = near 1);
    the black line is z = 0 (a = 0.5), the decision line; the arrow from the line points
    along w, the direction in which z grows. Misclassified points get a black ring. If there
    is no line in view (w = 0, or b so large that the line left the picture) the title says so.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    w = np.asarray(w, dtype=float).reshape(-1)
    fig, ax = new_axes(ax, figsize=(4.6, 3.8))
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xlim, ylim = (lo[0], hi[0]), (lo[1], hi[1])
    g1, g2 = np.linspace(*xlim, resolution), np.linspace(*ylim, resolution)
    xx, yy = np.meshgrid(g1, g2)
    a = sigmoid(w[0] * xx + w[1] * yy + b)
    im = ax.imshow(a, origin="lower", extent=(*xlim, *ylim), cmap=class_cmap(), vmin=0, vmax=1,
                   alpha=0.4, aspect="auto", interpolation="bilinear")
    if colorbar:
        cb = (fig.colorbar(im, cax=cax) if cax is not None
              else fig.colorbar(im, ax=ax, shrink=0.8, pad=0.02))
        cb.set_label("a = σ(z)")
    seg = decision_line(w, b, xlim, ylim)
    if seg is not None:
        ax.plot(seg[:, 0], seg[:, 1], color="black", lw=1.8, label="z = 0")
        # an arrow along w from the point of the line nearest the middle of the picture
        c = np.array([(xlim[0] + xlim[1]) / 2, (ylim[0] + ylim[1]) / 2])
        foot = c - (c @ w + b) / (w @ w) * w
        step = 0.18 * (hi - lo).min() * w / np.linalg.norm(w)
        ax.annotate("", xy=foot + step, xytext=foot,
                    arrowprops=dict(arrowstyle="-|>", color="black", lw=1.4))
        ax.text(*(foot + 1.35 * step), "w", fontsize=10, ha="center", va="center",
                fontweight="bold")
    pred = (X @ w + b > 0).astype(np.int64)
    wrong = pred != y
    for c in (0, 1):
        m = y == c
        ax.scatter(X[m, 0], X[m, 1], s=22, color=CLASS_COLORS[c], marker="os"[c],
                   edgecolors=WHITE, linewidths=0.5, label=f"class {c}", zorder=3)
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=70, facecolors="none", edgecolors="black",
                   linewidths=1.0, label="wrong", zorder=4)
    if highlight is not None:
        ax.scatter(*X[highlight], s=230, marker="*", color=YELLOW, edgecolors=INK,
                   linewidths=0.8, zorder=5, label="drawn point")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    n_ok = count_correct(X, y, w, b)
    msg = neuron_message(w, b, xlim, ylim)
    ax.set_title(f"{n_ok} / {len(y)} correct" + ("\n" + _wrap(msg) if msg else ""),
                 fontsize=10 if msg else 11)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=5, fontsize=8,
              handletextpad=0.1, columnspacing=0.8, borderaxespad=0.0)
    return fig


def _wrap(text: str, width: int = 52) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def plot_neuron(X, y, w=(1.0, 1.0), b=0.0, point: int = 0):
    """Diagram of the neuron computing point X[point] (left) and its decision map (right).

    The static twin of `nl.widgets.neuron_explorer`: the same figure, for fixed w and b.
    The axes are placed by hand (no constrained layout): that halves the drawing time, which
    matters when a slider redraws the figure many times a second.
    """
    X = np.asarray(X, dtype=float)
    if not 0 <= point < len(X):
        raise ValueError(f"plot_neuron: point must be in [0, {len(X) - 1}], got {point}")
    fig = figure(figsize=(10.0, 3.9), layout="none")
    left = fig.add_axes((0.0, 0.02, 0.53, 0.86))
    right = fig.add_axes((0.585, 0.2, 0.33, 0.6))
    cax = fig.add_axes((0.93, 0.25, 0.012, 0.5))
    draw_neuron(X[point], w, b, ax=left, title=f"the neuron on point #{point} (the star)")
    plot_neuron_plane(X, y, w, b, ax=right, highlight=point, cax=cax)
    return fig
