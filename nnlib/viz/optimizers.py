"""Figures of notebook 11: SGD, momentum, RMSProp and Adam raced on 2-D loss surfaces.

A "surface" is a function of two numbers p = (p1, p2) with a known gradient: a long narrow
valley, a curved (Rosenbrock-like) valley and a saddle. Each optimizer is nnlib's own
(`nl.SGD`, `nl.RMSProp`, `nl.Adam`) acting on one `nl.Parameter` of shape (2,), so the paths
drawn are exactly what those classes do inside a network. Also: learning-rate schedules vs step
and loss curves of several training runs. Clarity over speed.
"""

from __future__ import annotations

import numpy as np

from ..core import Parameter
from ..optim import SGD, Adam, RMSProp
from .style import COLORS, LINESTYLES, figure

__all__ = ["SURFACES", "OPTIMIZERS", "make_optimizer", "optimizer_path", "plot_surface_paths",
           "plot_optimizer_race", "plot_optimizer_grid", "plot_lr_schedules", "plot_loss_curves"]


class Surface:
    """A 2-D loss: value `f(p)`, gradient `grad(p)`, a start, plot limits and the minima."""

    def __init__(self, name, f, grad, start, xlim, ylim, minima, lowest, note, lrs):
        self.name, self.f, self.grad, self.start, self.lrs = name, f, grad, start, lrs
        self.xlim, self.ylim, self.minima, self.lowest, self.note = xlim, ylim, minima, lowest, note

    def __repr__(self):
        return f"Surface({self.name!r})"


def _valley(p):
    return 0.05 * p[..., 0] ** 2 + 2.0 * p[..., 1] ** 2


def _valley_grad(p):
    return np.array([0.1 * p[0], 4.0 * p[1]])


def _banana(p):
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 10 * (y - x ** 2) ** 2


def _banana_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 40 * x * (y - x ** 2), 20 * (y - x ** 2)])


def _saddle(p):
    x, y = p[..., 0], p[..., 1]
    return 0.5 * x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2


def _saddle_grad(p):
    x, y = p
    return np.array([x, y ** 3 - y])


SURFACES = {
    "valley": Surface("valley", _valley, _valley_grad, (-4.5, 1.2), (-5, 5), (-2, 2), [(0, 0)], 0.0,
                      "L = 0.05 p1² + 2 p2²: curvatures 0.1 and 4, a long narrow valley",
                      {"SGD": 0.1, "momentum": 0.1, "RMSProp": 0.05, "Adam": 0.1}),
    "banana": Surface("banana", _banana, _banana_grad, (-1.5, 2.0), (-2, 2), (-1, 3), [(1, 1)], 0.0,
                      "L = (1 - p1)² + 10 (p2 - p1²)²: a curved valley (Rosenbrock)",
                      {"SGD": 0.005, "momentum": 0.002, "RMSProp": 0.05, "Adam": 0.1}),
    "saddle": Surface("saddle", _saddle, _saddle_grad, (-2.0, 1e-5), (-2.5, 2.5), (-1.8, 1.8),
                      [(0, 1), (0, -1)], -0.25,
                      "L = p1²/2 + p2⁴/4 - p2²/2: a saddle at (0, 0), minima at (0, ±1)",
                      {"SGD": 0.05, "momentum": 0.05, "RMSProp": 0.05, "Adam": 0.05}),
}

OPTIMIZERS = ("SGD", "momentum", "RMSProp", "Adam")
_STYLE = {"SGD": (COLORS[0], LINESTYLES[0], "o"), "momentum": (COLORS[1], LINESTYLES[1], "s"),
          "RMSProp": (COLORS[2], LINESTYLES[2], "^"), "Adam": (COLORS[3], LINESTYLES[3], "D")}


def make_optimizer(name: str, params, lr: float, momentum: float = 0.9, beta2: float = 0.999):
    """nnlib's optimizer called `name` ("SGD", "momentum", "RMSProp" or "Adam").

    `momentum` is SGD's momentum and Adam's beta1; `beta2` is Adam's beta2. RMSProp keeps its
    usual rho = 0.9.
    """
    if name == "SGD":
        return SGD(params, lr=lr)
    if name == "momentum":
        return SGD(params, lr=lr, momentum=momentum)
    if name == "RMSProp":
        return RMSProp(params, lr=lr, rho=0.9)
    if name == "Adam":
        return Adam(params, lr=lr, betas=(momentum, beta2))
    raise ValueError(f"make_optimizer: name must be one of {OPTIMIZERS}, got {name!r}")


def optimizer_path(surface, name: str, lr: float, steps: int, momentum: float = 0.9,
                   beta2: float = 0.999, start=None, bound: float = 1e3) -> dict:
    """Run one of nnlib's optimizers for `steps` steps on a 2-D surface; record the path.

    Returns `{"p": (k+1, 2) positions, "loss": (k+1,), "diverged": step or None, ...}`. The run
    stops as soon as a coordinate leaves [-bound, bound] or the loss is not finite, so a
    diverging optimizer yields a short finite path instead of overflowing numbers.
    """
    surf = SURFACES[surface] if isinstance(surface, str) else surface
    p = Parameter(np.array(start if start is not None else surf.start, dtype=float))
    opt = make_optimizer(name, [p], lr, momentum, beta2)
    ps, losses, diverged = [p.data.copy()], [float(surf.f(p.data))], None
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(int(steps)):
            opt.zero_grad()
            p.grad += surf.grad(p.data)
            opt.step()
            loss = float(surf.f(p.data))
            if not (np.all(np.abs(p.data) < bound) and np.isfinite(loss)):
                diverged = k + 1
                break
            ps.append(p.data.copy())
            losses.append(loss)
    return {"p": np.array(ps), "loss": np.array(losses), "diverged": diverged, "name": name,
            "lr": lr, "surface": surf}


def _contour(ax, surf, res=70):
    X, Y = np.meshgrid(np.linspace(*surf.xlim, res), np.linspace(*surf.ylim, res))
    Z = surf.f(np.stack([X, Y], axis=-1)) - surf.lowest
    levels = np.geomspace(max(Z.max(), 1) * 1e-4, Z.max(), 15)
    ax.contourf(X, Y, Z, levels=np.concatenate([[Z.min() - 1], levels]), cmap="Greys_r", alpha=0.45)
    ax.contour(X, Y, Z, levels=levels, colors="white", linewidths=0.5)
    for m in surf.minima:
        ax.plot(*m, marker="*", color=COLORS[1], markersize=13, markeredgecolor="black",
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
    if ax is None:
        fig = figure(figsize=(4.5, 3.6))
        ax = fig.add_subplot()
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
    fig = figure(figsize=(7.0, 3.2))
    ax = fig.add_subplot()
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
    fig = figure(figsize=(6.0, 3.4))
    ax = fig.add_subplot()
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
