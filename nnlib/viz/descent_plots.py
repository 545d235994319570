"""Figures of notebook 04: the loss as a surface over (w, b), slopes, and gradient descent on it.

The model is one linear neuron, pred = w * x + b, fitted with the mean squared error to a tiny
1-D data set (four points by default). With only two parameters the whole loss is a picture:
a bowl over the (w, b) plane, and gradient descent is a path drawn on it. The numbers (the
data, `mse_wb`, `descent_path`) are in `nnlib.course.surfaces`; this module draws them.
"""

from __future__ import annotations

import numpy as np

from ..course.surfaces import (
    DESCENT_X,
    DESCENT_Y,
    diverged_message,
    growth_message,
    mse_wb,
    mse_wb_minimum,
)
from .style import COLORS, INK, LINESTYLES, NEGATIVE, WARNING, figure, new_axes

__all__ = ["plot_loss_surface", "plot_slope", "plot_descent_steps", "plot_descent"]

W_RANGE, B_RANGE = (-2.0, 5.0), (-3.0, 7.0)      # the part of the (w, b) plane drawn


def _grid(x, y, res=80):
    W, B = np.meshgrid(np.linspace(*W_RANGE, res), np.linspace(*B_RANGE, res))
    return W, B, mse_wb(W, B, x, y)


def _contour(ax, x, y, res=60):
    W, B, L = _grid(x, y, res)
    levels = np.geomspace(max(L.min(), 1e-2), L.max(), 14)
    cs = ax.contourf(W, B, L, levels=levels, cmap="Blues_r", norm=_lognorm(levels), alpha=0.85)
    ax.contour(W, B, L, levels=levels, colors="white", linewidths=0.4)
    ax.set_xlim(*W_RANGE)
    ax.set_ylim(*B_RANGE)
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("bias $b$")
    ax.grid(False)
    return cs


def _lognorm(levels):
    from matplotlib.colors import LogNorm
    return LogNorm(vmin=levels[0], vmax=levels[-1])


def plot_loss_surface(x=DESCENT_X, y=DESCENT_Y, *, path: dict | None = None):
    """The loss over the (w, b) plane twice: as a 3-D bowl and as a contour map (a map from above).

    Each contour line joins (w, b) pairs with the same loss; the star marks the lowest point,
    found here by least squares so we know where descent should end.
    """
    fig = figure(figsize=(9.0, 3.8))
    ax3 = fig.add_subplot(1, 2, 1, projection="3d")
    W, B, L = _grid(x, y, 40)
    ax3.plot_surface(W, B, L, cmap="Blues_r", linewidth=0, antialiased=True, alpha=0.9)
    ax3.set_xlabel("$w$")
    ax3.set_ylabel("$b$")
    ax3.set_zlabel("loss")
    ax3.view_init(elev=30, azim=-125)
    ax3.set_box_aspect(None, zoom=0.85)
    ax3.set_title("the loss as a surface")
    ax = fig.add_subplot(1, 2, 2)
    cs = _contour(ax, x, y)
    fig.colorbar(cs, ax=ax, label="MSE loss (log colour scale)", format="%.3g")
    wm, bm = mse_wb_minimum(x, y)
    ax.plot(wm, bm, marker="*", color=NEGATIVE, markersize=14, markeredgecolor=INK,
            linestyle="none", label=f"minimum ({wm:.2f}, {bm:.2f})")
    if path is not None:
        _draw_path(ax, path)
    ax.legend(loc="upper right")
    ax.set_title("seen from above: contour lines")
    return fig


def plot_slope(f, w0: float, h: float = 0.5, *, span: float = 2.0, label: str = "$L(w)$"):
    """A 1-D loss curve with its tangent at w0 and the secant through w0 - h and w0 + h.

    The secant's slope is the centred finite difference (f(w0 + h) - f(w0 - h)) / 2h; as h
    shrinks it turns into the tangent, whose slope is the derivative.
    """
    ws = np.linspace(w0 - span, w0 + span, 200)
    fs = np.array([f(w) for w in ws])
    eps = 1e-6
    slope = (f(w0 + eps) - f(w0 - eps)) / (2 * eps)
    secant = (f(w0 + h) - f(w0 - h)) / (2 * h)
    fig, ax = new_axes(figsize=(6.0, 3.6))
    ax.plot(ws, fs, color=COLORS[0], linestyle=LINESTYLES[0], label=label)
    ax.plot(ws, f(w0) + slope * (ws - w0), color=COLORS[3], linestyle="--",
            label=f"tangent, slope {slope:.3f}")
    ax.plot(ws, f(w0) + secant * (ws - w0), color=COLORS[2], linestyle=":", linewidth=2,
            label=f"secant (h = {h:g}), slope {secant:.3f}")
    for wp in (w0 - h, w0 + h):
        ax.plot(wp, f(wp), "s", color=COLORS[2], markersize=6)
    ax.plot(w0, f(w0), "o", color=COLORS[3], markersize=7)
    ax.annotate(f"$w_0$ = {w0:g}\nL = {f(w0):.3f}", (w0, f(w0)), xytext=(14, 10),
                textcoords="offset points")
    ax.set_ylim(min(fs.min(), 0) - 0.5, fs.max() * 1.05)
    ax.set_xlabel("weight $w$ (bias held fixed)")
    ax.set_ylabel("loss")
    ax.legend(loc="upper center")
    return fig


def _draw_path(ax, path, color=WARNING, annotate=0):
    ax.plot(path["w"], path["b"], color=color, marker="o", markersize=3.5, linewidth=1.2,
            label=f"path, lr = {path['lr']:.3g}")
    ax.plot(path["w"][:1], path["b"][:1], marker="o", color="black", markersize=6, linestyle="none")
    for k in range(min(annotate, len(path["w"]) - 1)):
        ax.annotate("", (path["w"][k + 1], path["b"][k + 1]), (path["w"][k], path["b"][k]),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 1.6})


def plot_descent_steps(path: dict, n: int = 3, x=DESCENT_X, y=DESCENT_Y):
    """The first `n` steps of a descent: numbered points and arrows on the contour map (left)
    and every number of every step beside it (right).

    The arrow from point k to point k + 1 is -lr times the gradient at point k; the table
    lists that gradient, so each step can be checked by hand: w_next = w - lr * dL/dw.
    """
    fig = figure(figsize=(9.0, 3.8))
    ax, axt = fig.subplots(1, 2, width_ratios=[1.0, 1.25])
    _contour(ax, x, y)
    n = min(n, len(path["w"]) - 1)
    short = {k: (v[:n + 1] if isinstance(v, np.ndarray) else v) for k, v in path.items()}
    _draw_path(ax, short, annotate=n)
    for k in range(n + 1):
        ax.annotate(str(k), (path["w"][k], path["b"][k]), xytext=(-3, 8 if k % 2 else -16),
                    textcoords="offset points", fontsize=10, fontweight="bold", color="black")
    ws, bs = short["w"], short["b"]
    pad = 0.25 * max(np.ptp(ws), np.ptp(bs), 0.5)
    ax.set_xlim(max(ws.min() - pad, W_RANGE[0]), min(ws.max() + pad, W_RANGE[1]))
    ax.set_ylim(max(bs.min() - pad, B_RANGE[0]), min(bs.max() + pad, B_RANGE[1]))
    ax.legend(loc="lower left")
    ax.set_title(f"the first {n} steps, lr = {path['lr']:g} (zoomed in)")
    axt.axis("off")
    lr = path["lr"]
    head = ["step", "$w$", "$b$", "loss", "$dL/dw$", "$dL/db$"]
    rows = [[str(k), f"{path['w'][k]:.3f}", f"{path['b'][k]:.3f}", f"{path['loss'][k]:.3f}",
             f"{path['dw'][k]:.3f}", f"{path['db'][k]:.3f}"] for k in range(n + 1)]
    table = axt.table(cellText=rows, colLabels=head, loc="upper center", cellLoc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1.0, 1.5)
    w0, b0, dw0, db0 = path["w"][0], path["b"][0], path["dw"][0], path["db"][0]
    axt.text(0.0, 0.3,
             "step 0 → 1, by hand:\n"
             f"$w_1 = w_0 - lr\\cdot dL/dw$ = {w0:.3f} − {lr:g} × ({dw0:.3f}) = {w0 - lr * dw0:.3f}\n"
             f"$b_1 = b_0 - lr\\cdot dL/db$ = {b0:.3f} − {lr:g} × ({db0:.3f}) = {b0 - lr * db0:.3f}",
             transform=axt.transAxes, fontsize=9, va="top")
    return fig


def plot_descent(path: dict, x=DESCENT_X, y=DESCENT_Y):
    """A descent path on the contour map (left) and its loss per step (right, log scale).

    The static twin of `nl.widgets.descent_explorer`. A diverged path is drawn up to the last
    finite point and the figure says so in red instead of plotting overflowed values; a path whose
    loss went up at its last step gets the warning of `growth_message` as its heading.
    """
    fig = figure(figsize=(9.0, 3.6), layout="none")     # fixed margins: the widget redraws
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.88, wspace=0.3)  # 45 % faster
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.15, 1])
    _contour(ax, x, y)
    wm, bm = mse_wb_minimum(x, y)
    ax.plot(wm, bm, marker="*", color=NEGATIVE, markersize=13, markeredgecolor=INK,
            linestyle="none", label="minimum")
    _draw_path(ax, path)
    ax.legend(loc="upper right")
    steps = np.arange(len(path["loss"]))
    ax2.semilogy(steps, path["loss"], color=COLORS[3], marker="o", markersize=3,
                 linestyle=LINESTYLES[0], label="loss")
    ax2.axhline(float(mse_wb(wm, bm, x, y)), color=COLORS[1], linestyle="--", label="lowest possible")
    ax2.set_xlabel("step")
    ax2.set_ylabel("MSE loss (log scale)")
    ax2.set_xlim(0, max(10, len(steps) - 1))
    ax2.legend(loc="upper right")
    if path["diverged"] is not None:
        fig.suptitle(diverged_message(path), color=WARNING, fontsize=10)
    else:
        if growth_message(path):
            fig.suptitle(growth_message(path), color=WARNING, fontsize=10)
        ax.set_title(f"{len(steps) - 1} steps, w = {path['w'][-1]:.3f}, b = {path['b'][-1]:.3f}")
        ax2.set_title(f"loss now {path['loss'][-1]:.4f}")
    return fig
