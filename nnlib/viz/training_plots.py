"""Loss curves of a training run: per step, smoothed, and per epoch with validation metrics.

`plot_training(history)` is the static twin of the `TrainingDashboard` callback (notebooks 08
and 12): the raw loss of every mini-batch step (thin, noisy), its running average (thick), and
-- when `fit` was given validation data -- val_loss and val_acc at the end of every epoch.
`plot_batch_sizes` compares runs with different batch sizes on an axis of epochs.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FormatStrFormatter

from ..metrics import smooth
from .style import COLORS, LINESTYLES, TEXT_SOFT, WARNING, figure, new_axes

__all__ = ["plot_training", "plot_batch_sizes"]


def _epoch_ends(history) -> np.ndarray:
    """The step count at the end of every epoch (from the logs' "end_step", else even spacing)."""
    n_ep, n_steps = len(history.epochs), len(history.step_loss)
    ends = [e.get("end_step") for e in history.epochs]
    if n_ep and all(s is not None for s in ends):
        return np.asarray(ends, float)
    return np.arange(1, n_ep + 1) * (n_steps / n_ep if n_ep else 0)


def plot_training(history, axes=None, *, beta: float | None = None, title: str | None = None,
                  val_label: str = "val_loss (per epoch)", acc_label: str = "val_acc"):
    """Loss per step (raw and smoothed) with val_loss per epoch; val_acc in a second panel.

    `history` is an `nl.History` from `fit` (or anything with `step_loss` and `epochs`).
    The smoothing `beta` defaults to an average over about 1/15 of all steps (at most 50),
    so the smoothed line follows the trend for long and short runs alike. `val_label` and
    `acc_label` rename the per-epoch curves (e.g. when "val" is the training set itself).
    Returns the Figure; `axes` (one Axes, or two when val_acc is recorded) draws into yours.
    """
    losses = np.asarray(history.step_loss, dtype=float)
    epochs = history.epochs
    has_acc = bool(epochs) and "val_acc" in epochs[-1]
    if axes is None:
        fig = figure(figsize=(7.0 if has_acc else 5.2, 3.2))
        axes = fig.subplots(1, 2, width_ratios=[1.6, 1]) if has_acc else [fig.add_subplot()]
    axes = list(np.atleast_1d(axes))
    ax = axes[0]
    fig = ax.figure
    steps = np.arange(1, len(losses) + 1)
    if beta is None:
        window = float(np.clip(len(losses) / 15, 1, 50))
        beta = 1 - 1 / window
    if len(losses):
        ax.plot(steps, losses, color=COLORS[5], linestyle=LINESTYLES[0], linewidth=0.6,
                alpha=0.7, label="loss per step")
        ax.plot(steps, smooth(losses, beta), color=COLORS[0], linestyle=LINESTYLES[0],
                linewidth=2, label="smoothed")
    ends = _epoch_ends(history)
    if epochs and "val_loss" in epochs[-1]:
        ax.plot(ends, [e.get("val_loss", np.nan) for e in epochs], color=WARNING,
                linestyle=LINESTYLES[1], marker="o", markersize=4, label=val_label)
    ax.set_xlabel("step (one mini-batch)")
    ax.set_ylabel("loss")
    if len(losses) and np.nanmin(losses) > 0 and np.nanmax(losses) / np.nanmin(losses) > 30:
        ax.set_yscale("log")
    if len(losses) or epochs:
        ax.legend(loc="upper right")
    else:
        ax.text(0.5, 0.5, "no steps yet: press Train", transform=ax.transAxes, ha="center",
                va="center", color=TEXT_SOFT)
    ax.set_title(title or f"{len(epochs)} epochs, {len(losses)} steps", fontsize=10)
    if has_acc and len(axes) > 1:
        ax2 = axes[1]
        ax2.plot(np.arange(1, len(epochs) + 1), [e.get("val_acc", np.nan) for e in epochs],
                 color=COLORS[2], linestyle=LINESTYLES[2], marker="s", markersize=4)
        ax2.set_xlabel("epoch")
        ax2.set_ylabel(acc_label)
        ax2.set_ylim(min(0.5, min(e.get("val_acc", 1) for e in epochs) - 0.05), 1.0)
        ax2.set_title(f"{acc_label} {epochs[-1]['val_acc']:.1%}", fontsize=10)
    return fig


def plot_batch_sizes(runs: dict, ax=None, *, beta: float | None = None):
    """Loss against *epochs* for several runs, e.g. `{"batch 1": history, "batch 16": ...}`.

    Each run's per-step losses are spread over its epochs (step k of an epoch with S steps
    sits at k/S), so small batches show many noisy points and the full batch a few smooth
    ones. Where a run recorded val_loss (the loss on a fixed set, measured the same way for
    every run) it is drawn as markers at the end of each epoch: the fair comparison.
    The thin lines are moving averages over about a fifth of an epoch (`beta=None`), else
    batch size 1 would cover the whole plot with its noise; pass `beta=0` for raw losses.
    """
    fig, ax = new_axes(ax, figsize=(6.0, 3.5))
    for i, (label, h) in enumerate(runs.items()):
        color, ls = COLORS[i % len(COLORS)], LINESTYLES[i % len(LINESTYLES)]
        losses = np.asarray(h.step_loss, float)
        x = np.arange(1, len(losses) + 1) / (len(losses) / max(len(h.epochs), 1))
        per_epoch = len(losses) / max(len(h.epochs), 1)
        b = float(np.clip(1 - 5 / max(per_epoch, 1), 0, 0.98)) if beta is None else beta
        y = smooth(losses, b) if b else losses
        ax.plot(x, y, color=color, linestyle=ls, linewidth=0.9, alpha=0.6)
        if h.epochs and "val_loss" in h.epochs[-1]:
            ax.plot(np.arange(1, len(h.epochs) + 1), h["val_loss"], color=color, linestyle=ls,
                    marker="os^Dv"[i % 5], markersize=5, linewidth=2, label=label)
        else:
            ax.plot([], [], color=color, linestyle=ls, label=label)
    ax.set_yscale("log")
    plain = FormatStrFormatter("%.2g")                       # 0.3, not 3 x 10^-1
    ax.yaxis.set_major_formatter(plain)
    ax.yaxis.set_minor_formatter(plain)
    ax.set_xlabel("epoch (passes over the training set)")
    ax.set_ylabel("loss (log scale)")
    ax.legend(title="thin: per step (averaged)\nthick: whole set per epoch", fontsize=8,
              title_fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig
