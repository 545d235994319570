"""Figures for notebook 07 (backprop in matrix form): matrix shapes and a network in training.

`plot_backward_shapes` draws the three products of a Linear layer's backward pass as grids
of cells, so the learner can see why dW = x.T @ dout is the only arrangement whose shapes
fit (the axes widen for the widest grids; each note is fitted beside its grids when drawn,
`labels.fit_in_box`). `plot_training_state` shows a 2-D classifier's decision map next to its
loss curve; it is the static twin of `nl.widgets.train_step_explorer`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .common import plot_decision_map
from .labels import LabelLayout, fit_in_box, text_width
from .style import COLORS, EDGE, FILL, LINESTYLES, TEXT, WARNING, figure, new_axes

__all__ = ["plot_backward_shapes", "plot_training_state"]

_FILL = {"x": FILL["input"], "W": FILL["param"], "dout": FILL["grad"], "dx": FILL["input"],
         "dW": FILL["param"], "db": FILL["bias"], "ones": FILL["blank"]}


def _matrix(ax, x0, y0, rows, cols, fill, label, shape_text, cell):
    """A rows x cols grid of cells centred on height y0, name above, shape below; returns width."""
    top = y0 + rows * cell / 2
    for i in range(rows):
        for j in range(cols):
            ax.add_patch(Rectangle((x0 + j * cell, top - (i + 1) * cell), cell, cell, fc=fill,
                                   ec=EDGE, lw=0.6))
    w = cols * cell
    ax.text(x0 + w / 2, top + 0.08, label, ha="center", va="bottom", fontsize=10, weight="bold")
    ax.text(x0 + w / 2, top - rows * cell - 0.08, shape_text, ha="center", va="top",
            fontsize=8.5, color=TEXT)
    return w


def _fit_notes(ax, notes, right, renderer):
    """Shrink each note (when drawn) until it fits between its grids and the axes' right edge."""
    to_px = ax.transData.transform
    for t, x0 in notes:
        width = to_px((right, 0.0))[0] - to_px((x0, 0.0))[0] - 2.0
        fit_in_box(t, renderer, width, size=9, min_size=5)


def plot_backward_shapes(N: int = 4, D_in: int = 3, D_out: int = 2, *, ax=None):
    """Draw dx = dout @ W.T, dW = x.T @ dout and db = 1ᵀ @ dout as grids of matching shapes.

    Each gradient has the shape of the thing it is the gradient of (dx like x, dW like W,
    db like b); the only way to build it from dout (N, D_out) and the cached x (N, D_in) or W
    (D_in, D_out) with one matrix product is the one drawn. Sum over the batch = product with
    a row of ones. Small sizes keep every cell visible. Draws into `ax` if given (size it about
    7 x 4.5 in), else into a new Figure; returns the Figure.
    """
    for name, v in (("N", N), ("D_in", D_in), ("D_out", D_out)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or not 1 <= v <= 8:
            raise ValueError(f"plot_backward_shapes: {name} must be an int in [1, 8], got {v!r}")
    rows = [
        ([("dx", N, D_in, "dx"), ("dout", N, D_out, "dout"), ("W", D_out, D_in, "Wᵀ")],
         "same shape as x"),
        ([("dW", D_in, D_out, "dW"), ("x", D_in, N, "xᵀ"), ("dout", N, D_out, "dout")],
         "same shape as W"),
        ([("db", 1, D_out, "db"), ("ones", 1, N, "1ᵀ"), ("dout", N, D_out, "dout")],
         "same shape as b: a row of\nones sums dout over the batch"),
    ]
    cell = 0.3
    heights = [max(r for _, r, _, _ in items) * cell + 0.75 for items, _ in rows]
    total = sum(heights)
    # the axes' width: the widest row of grids and its note (in inches on a 7 in figure), at least 8.2
    grids = [sum(c for _, _, c, _ in items) * cell + 1.2 + 0.4 for items, _ in rows]
    notes = [text_width(note, 9) / 72.0 for _, note in rows]
    right = max(8.2, max(g / max(0.3, 1.0 - n / 6.8) for g, n in zip(grids, notes)))
    _, ax = new_axes(ax, figsize=(7.0, 1.0 + min(0.8, 6.8 / right) * total))
    y = total
    texts = []
    for (items, note), h in zip(rows, heights):
        yc = y - h / 2
        x = 0.0
        for k, (kind, r, c, label) in enumerate(items):
            x += _matrix(ax, x, yc, r, c, _FILL[kind], label, f"({r}, {c})" if kind != "db"
                         else f"({c},)", cell)
            if k < 2:
                ax.text(x + 0.3, yc, "=" if k == 0 else "@", ha="center", va="center", fontsize=14)
                x += 0.6
        texts.append((ax.text(x + 0.4, yc, note, ha="left", va="center", fontsize=9, color=TEXT),
                      x + 0.4))
        y -= h
    ax.add_artist(LabelLayout(lambda renderer: _fit_notes(ax, texts, right, renderer)))
    ax.set_xlim(-0.1, right)
    ax.set_ylim(0, total + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"Backward through z = x @ W + b with N={N}, D_in={D_in}, D_out={D_out}: "
                 "each gradient has its variable's shape", fontsize=9.5, loc="left")
    return ax.figure


def plot_training_state(predict, X, y, losses, *, title: str = "", resolution: int = 60,
                        message: str = "", axes=None):
    """Decision map of `predict` on (X, y) and the loss curve `losses`, side by side.

    `losses` is the full-batch loss after each step; non-finite values (a diverged run) are
    left out of the curve and `message` is written on the plot instead. `axes`: two Axes (map,
    loss) to draw into, else a new 8 x 3.4 in Figure. Returns the Figure.
    """
    if axes is None:
        axes = figure(figsize=(8.0, 3.4)).subplots(1, 2, width_ratios=[1, 1.15])
    ax_map, ax_loss = axes
    fig = ax_map.figure
    plot_decision_map(predict, X, y, ax=ax_map, resolution=resolution)
    ax_map.set_title(title or "decision map", fontsize=10)
    ax_map.legend(loc="lower left", fontsize=7, framealpha=0.8, frameon=True)
    losses = np.asarray(losses, dtype=float)
    steps = np.arange(1, len(losses) + 1)
    ok = np.isfinite(losses)
    if ok.any():
        ax_loss.plot(steps[ok], losses[ok], color=COLORS[0], linestyle=LINESTYLES[0], lw=1.2,
                     marker="o" if ok.sum() <= 30 else None, markersize=3,  # one step is a dot
                     label="training loss")
        ax_loss.set_yscale("log" if losses[ok].max() / max(losses[ok].min(), 1e-12) > 50 else "linear")
        ax_loss.legend(loc="upper right")
    ax_loss.set_xlabel("gradient-descent step")
    ax_loss.set_ylabel("cross-entropy loss")
    ax_loss.set_xlim(0, max(10, len(losses)))
    if message:
        ax_loss.text(0.5, 0.5, message, transform=ax_loss.transAxes, ha="center", va="center",
                     fontsize=10, color=WARNING, wrap=True,
                     bbox=dict(fc="white", ec=WARNING, boxstyle="round"))
    elif not len(losses):
        ax_loss.text(0.5, 0.5, "no steps yet", transform=ax_loss.transAxes, ha="center",
                     va="center", color=EDGE)
    return fig
