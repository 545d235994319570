"""Figures many notebooks share: 2-D data with its classes, a model's decision map, loss curves."""

from __future__ import annotations

import numpy as np

from ..layers import sigmoid
from .style import (
    CLASS_COLORS,
    CLASS_MARKERS,
    COLORS,
    INK,
    LINESTYLES,
    class_cmap,
    new_axes,
    sign_cmap,
)

__all__ = ["plot_data", "plot_decision_map", "decision_grid", "plot_history"]


def plot_data(X, y, ax=None, *, s: float = 18, alpha: float = 0.9, edge: str = "white",
              label_prefix: str = "class"):
    """Scatter 2-D points, one colour *and* marker per class; returns the Figure.

    Regression targets (float y) are drawn with the sign colour map instead (blue > 0, orange < 0).
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_data: X must have shape (N, 2), got {X.shape}")
    fig, ax = new_axes(ax)
    if y.dtype.kind == "f":
        lim = float(np.max(np.abs(y))) or 1.0
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap=sign_cmap(), vmin=-lim, vmax=lim, s=s,
                   edgecolors=edge, linewidths=0.5)
    else:
        for c in np.unique(y):
            m = y == c
            ax.scatter(X[m, 0], X[m, 1], s=s, alpha=alpha, color=CLASS_COLORS[c % len(CLASS_COLORS)],
                       marker=CLASS_MARKERS[c % len(CLASS_MARKERS)], edgecolors=edge,
                       linewidths=0.5, label=f"{label_prefix} {c}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal", adjustable="datalim")
    return fig


def decision_grid(X, resolution: int = 80, margin: float = 0.3):
    """A (resolution x resolution) grid covering X plus a margin: returns (xx, yy, points (R*R, 2))."""
    X = np.asarray(X)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_decision_map(predict, X, y=None, ax=None, *, resolution: int = 80, margin: float = 0.3,
                      levels: int = 11, show_boundary: bool = True):
    """Shade the plane by a model's output and draw the data on top; returns the Figure.

    `predict(points (M, 2)) -> scores`: for 2-class scores (M, 2) the map shows
    P(class 1) (softmax) from blue (class 0) through white to vermillion (class 1), for one column it shows sigmoid(score); more classes show the argmax.
    The 0.5 contour is the decision boundary.
    """
    xx, yy, pts = decision_grid(X, resolution, margin)
    scores = np.asarray(predict(pts), dtype=float)
    fig, ax = new_axes(ax)
    if scores.ndim == 2 and scores.shape[1] > 2:
        cls = scores.argmax(axis=1).reshape(xx.shape)
        from matplotlib.colors import ListedColormap
        k = scores.shape[1]
        ax.contourf(xx, yy, cls, levels=np.arange(k + 1) - 0.5,
                    cmap=ListedColormap(CLASS_COLORS[:k]), alpha=0.25)
    else:
        if scores.ndim == 2 and scores.shape[1] == 2:
            z = scores[:, 1] - scores[:, 0]
        else:
            z = scores.reshape(-1)
        p = np.nan_to_num(sigmoid(z), nan=0.5).reshape(xx.shape)
        ax.contourf(xx, yy, p, levels=np.linspace(0, 1, levels), cmap=class_cmap(), alpha=0.45,
                    vmin=0, vmax=1)
        if show_boundary and p.min() < 0.5 < p.max():
            ax.contour(xx, yy, p, levels=[0.5], colors=INK, linewidths=1.2)
    if y is not None:
        plot_data(X, y, ax=ax)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    return fig


def plot_history(history, ax=None, *, keys=("loss", "val_loss"), steps: bool = False):
    """Loss (and any other metric) per epoch from a `History`; with steps=True, per step."""
    fig, ax = new_axes(ax, figsize=(5.0, 3.2))
    if steps:
        ax.plot(np.arange(1, len(history.step_loss) + 1), history.step_loss, color=COLORS[0],
                linestyle=LINESTYLES[0], linewidth=0.8, label="loss per step")
        ax.set_xlabel("step")
    else:
        epochs = np.arange(1, len(history) + 1)
        for i, key in enumerate(k for k in keys if history.epochs and k in history.epochs[-1]):
            ax.plot(epochs, history[key], color=COLORS[i], linestyle=LINESTYLES[i], marker="o",
                    markersize=3, label=key)
        ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    return fig
