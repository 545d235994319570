"""Figures of notebook 11: SGD, momentum, RMSProp and Adam raced on 2-D loss surfaces.

A "surface" is a function of two numbers p = (p1, p2) with a known gradient: a long narrow
valley, a curved (Rosenbrock-like) valley and a saddle. The surfaces and the paths of nnlib's
own optimizers on them (`SURFACES`, `optimizer_path`) are in `nnlib.course.surfaces`; this
module draws them. Also: learning-rate schedules vs step and loss curves of several runs.
"""

from __future__ import annotations

import numpy as np

from ..course.surfaces import OPTIMIZERS, SURFACES, optimizer_path
from .style import COLORS, INK, LINESTYLES, NEGATIVE, figure, new_axes

__all__ = ["plot_surface_paths", "plot_optimizer_race", "plot_optimizer_grid",
           "plot_lr_schedules", "plot_loss_curves"]


_STYLE = {"SGD": (COLORS[0], LINESTYLES[0], "o"), "momentum": (COLORS[1], LINESTYLES[1], "s"),
          "RMSProp": (COLORS[2], LINESTYLES[2], "^"), "Adam": (COLORS[3], LINESTYLES[3], "D")}


def _contour(ax, surf, res=70):
    X, Y = np.meshgrid(np.linspace(*surf.xlim, res), np.linspace(*surf.ylim, res))
    Z = surf.f(np.stack([X, Y], axis=-1)) - surf.lowest
    levels = np.geomspace(max(Z.max(), 1) * 1e-4, Z.max(), 15)
    ax.contourf(X, Y, Z, levels=np.concatenate([[Z.min() - 1], levels]), cmap="Greys_r", alpha=0.45)
    ax.contour(X, Y, Z, levels=levels, colors="white", linewidths=0.5)
    for m in surf.minima:
        ax.plot(*m, marker="*", color=NEGATIVE, markersize=13, markeredgecolor=INK,
                linestyle="none")
    ax.plot(*surf.start, marker="o", color="black", markersize=6, linestyle="none")
    ax.set_xlim(*surf.xlim)
    ax.set_ylim(*surf.ylim)
    ax.set_xlabel("$p_1$")
    ax.set_ylabel("$p_2$")
    ax.grid(False)


def _label(path):
    tag = f" diverged at step {path['diverged']}" if path["diverged"] is not None else ""
    return f"{path['name']}{tag}"


def plot_surface_paths(surface, paths, ax=None, *, legend: bool = True):
    """Draw a surface's contour map with several optimizer paths on it; returns the Figure."""
    surf = SURFACES[surface] if isinstance(surface, str) else surface
    _, ax = new_axes(ax, figsize=(4.5, 3.6))
    _contour(ax, surf)
    for path in paths:
        color, ls, marker = _STYLE[path["name"]]
        ax.plot(path["p"][:, 0], path["p"][:, 1], color=color, linestyle=ls, marker=marker,
                markersize=2.5, markevery=max(1, len(path["p"]) // 15), linewidth=1.5,
                label=_label(path))
    if legend and paths:
        ax.legend(loc="lower right", fontsize=8, framealpha=0.8, frameon=True)
    return ax.figure


def plot_optimizer_race(surface="valley", methods=OPTIMIZERS, lr: float = 0.1, steps: int = 100,
                        momentum: float = 0.9, beta2: float = 0.999):
    """The static twin of `nl.widgets.optimizer_race`: paths (left) and loss per step (right).

    The loss is drawn as L - L_min on a log scale, so "how far from the best value" can be
    compared across optimizers that end many orders of magnitude apart.
    """
    surf = SURFACES[surface]
    paths = [optimizer_path(surf, m, lr, steps, momentum, beta2) for m in methods]
    fig = figure(figsize=(9.0, 3.6))
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.2, 1])
    plot_surface_paths(surf, paths, ax, legend=False)
    ax.set_title(f"{surface}, lr = {lr:.3g}, {steps} steps", fontsize=10)
    for path in paths:
        color, ls, marker = _STYLE[path["name"]]
        gap = np.maximum(path["loss"] - surf.lowest, 1e-12)
        ax2.semilogy(gap, color=color, linestyle=ls, marker=marker, markersize=3,
                     markevery=max(1, len(gap) // 10), label=_label(path))
    ax2.set_xlim(0, max(steps, 1))
    ax2.set_xlabel("step")
    ax2.set_ylabel("loss − lowest loss (log)")
    if paths:
        ax2.legend(loc="lower left", fontsize=8)
    else:
        ax2.text(0.5, 0.5, "tick at least one optimizer", ha="center", transform=ax2.transAxes)
    return fig, paths


def plot_optimizer_grid(methods=OPTIMIZERS, lr=None, steps: int = 100, surfaces=("valley", "banana", "saddle")):
    """The four optimizers side by side on several surfaces (one panel each).

    `lr` is one rate for all, or None for each surface's own rates (`SURFACES[name].lrs`,
    chosen so that no optimizer diverges and the differences show within 100 steps).
    """
    fig = figure(figsize=(4.0 * len(surfaces), 3.8))
    axes = np.atleast_1d(fig.subplots(1, len(surfaces)))
    for ax, s in zip(axes, surfaces):
        rates = SURFACES[s].lrs if lr is None else dict.fromkeys(methods, lr)
        paths = [optimizer_path(s, m, rates[m], steps) for m in methods]
        plot_surface_paths(s, paths, ax, legend=s == surfaces[0])
        ax.set_title(s, fontsize=10)
    return fig


def plot_lr_schedules(schedules: dict, total_steps: int, steps_per_epoch: int = 1):
    """Learning rate against step for schedules `f(epoch, step, total_steps) -> lr`."""
    fig, ax = new_axes(figsize=(7.0, 3.2))
    steps = np.arange(total_steps)
    for i, (name, fn) in enumerate(schedules.items()):
        ax.plot(steps, [fn(s // steps_per_epoch, s, total_steps) for s in steps], color=COLORS[i],
                linestyle=LINESTYLES[i], linewidth=1.8, label=name)
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def plot_loss_curves(histories: dict, *, title: str = ""):
    """Training loss per epoch of several runs (a dict name -> `History`), log scale."""
    fig, ax = new_axes(figsize=(6.0, 3.4))
    for i, (name, hist) in enumerate(histories.items()):
        color, ls, marker = _STYLE.get(name, (COLORS[i], LINESTYLES[i], "o"))
        ax.semilogy(np.arange(1, len(hist) + 1), hist["loss"], color=color, linestyle=ls,
                    marker=marker, markersize=3, markevery=max(1, len(hist) // 10), label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (log)")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", ncol=2)
    return fig
