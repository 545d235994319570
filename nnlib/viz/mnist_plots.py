"""Figures for notebook 12 (an MLP that reads MNIST digits) and the `mnist_trainer` widget.

Looking at the data (`plot_digits`, `plot_class_counts`), at the errors (`plot_confusion` of
`nl.confusion_matrix`, `plot_mistakes` of `nl.top_confident_mistakes`), inside the network
(`plot_first_layer_weights`, `plot_mnist_training` = curves plus per-layer histograms) and at
regularisation (`plot_train_vs_test`). Clarity over speed: each helper is a few lines of NumPy.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .style import (
    COLORS,
    HATCHES,
    POSITIVE,
    TEXT_SOFT,
    WARNING,
    figure,
    new_axes,
    share_text,
    sign_cmap,
)
from .training_plots import plot_training

__all__ = [
    "plot_digits", "plot_class_counts", "plot_confusion", "plot_mistakes",
    "plot_first_layer_weights", "plot_mnist_training", "plot_train_vs_test",
]


def _image(x) -> np.ndarray:
    x = np.asarray(x)
    if x.size != 784:
        raise ValueError(f"plot_digits: each image must have 784 pixels (28x28), got {x.shape}")
    return x.reshape(28, 28)


def plot_digits(X, y=None, *, n: int = 30, ncols: int = 10, pred=None, title: str | None = None,
                scale: float = 0.62):
    """A grid of the first `n` digits with their label above each (and the prediction, if given).

    `X` is (N, 784) or (N, 28, 28); pixels are drawn dark on light (`gray_r`), as ink on paper.
    With `pred`, a wrong prediction is written in vermillion as "label→pred".
    """
    X = np.asarray(X)
    n = min(n, len(X))
    if n == 0:
        raise ValueError("plot_digits: no images to show")
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig = figure(figsize=(scale * ncols + 0.2, (scale + 0.18) * nrows + (0.3 if title else 0.05)))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= n:
            continue
        ax.imshow(_image(X[i]), cmap="gray_r", vmin=0, vmax=float(max(X.max(), 1e-12)))
        if y is not None:
            text, color = f"{y[i]}", "black"
            if pred is not None and pred[i] != y[i]:
                text, color = f"{y[i]}→{pred[i]}", WARNING
            ax.set_title(text, fontsize=9, color=color, pad=2)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_class_counts(y_train, y_test=None, *, k: int = 10):
    """Bars of how many examples each digit has (train, and test side by side if given)."""
    fig, ax = new_axes(figsize=(6.0, 2.8))
    digits = np.arange(k)
    sets = [("train", y_train)] + ([("test", y_test)] if y_test is not None else [])
    width = 0.8 / len(sets)
    for i, (name, y) in enumerate(sets):
        counts = np.bincount(np.asarray(y), minlength=k)[:k]
        ax.bar(digits + (i - (len(sets) - 1) / 2) * width, counts, width, color=COLORS[i],
               hatch=HATCHES[i], edgecolor="white", label=f"{name} (N = {len(y):,})")
    ax.set_xticks(digits)
    ax.set_xlabel("digit")
    ax.set_ylabel("number of images")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(sets))
    return fig


def plot_confusion(C, *, title: str | None = None):
    """The confusion matrix with every count written in its cell.

    The colour is on a log scale of the off-diagonal counts (the diagonal, ~1000 per class,
    would otherwise wash everything out); diagonal cells are outlined and drawn in blue.
    """
    C = np.asarray(C)
    k = len(C)
    fig, ax = new_axes(figsize=(5.6, 4.8))
    off = C.astype(float).copy()
    np.fill_diagonal(off, np.nan)
    top = np.nanmax(off) if np.any(off > 0) else 1.0
    im = ax.imshow(np.log1p(off), cmap="Oranges", vmin=0, vmax=np.log1p(top))
    for i in range(k):
        ax.add_patch(_square(i, i, POSITIVE))
        for j in range(k):
            dark = i != j and C[i, j] > 0.6 * top
            ax.text(j, i, str(C[i, j]), ha="center", va="center",
                    fontsize=7 if C[i, j] >= 1000 else 8,
                    color=POSITIVE if i == j else ("white" if dark else "black"),
                    fontweight="bold" if i == j else "normal")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.grid(False)
    errors = int(C.sum() - np.trace(C))
    ax.set_title(title or f"{errors} mistakes out of {int(C.sum()):,}", fontsize=10)
    cb = fig.colorbar(im, ax=ax, shrink=0.8)
    ticks = [t for t in (0, 1, 3, 10, 30, 100, 300) if t <= top]
    cb.set_ticks(np.log1p(ticks))
    cb.set_ticklabels([str(t) for t in ticks])
    cb.set_label("mistakes (off-diagonal)")
    return fig


def _square(i, j, color):
    from matplotlib.patches import Rectangle
    return Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=color, linewidth=1.2)


def plot_mistakes(X, y, probs, idx, *, ncols: int = 6):
    """The images at `idx` with "true t / pred p" and the predicted probability above each."""
    idx = np.asarray(idx)
    if idx.size == 0:
        fig = figure(figsize=(4, 1))
        fig.text(0.5, 0.5, "no mistakes to show", ha="center", va="center")
        return fig
    ncols = min(ncols, len(idx))
    nrows = int(np.ceil(len(idx) / ncols))
    fig = figure(figsize=(1.05 * ncols + 0.2, 1.3 * nrows + 0.1))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    pred = np.asarray(probs).argmax(axis=1)
    for ax, i in zip(axes, list(idx) + [None] * (len(axes) - len(idx))):
        ax.set_axis_off()
        if i is None:
            continue
        ax.imshow(_image(X[i]), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"true {y[i]} / pred {pred[i]}\np = {probs[i, pred[i]]:.3f}",
                     fontsize=8, color=WARNING, pad=2)
    return fig


def plot_first_layer_weights(W, *, n: int = 32, ncols: int = 8):
    """Columns of the first weight matrix W (784, H) as 28x28 images, blue (+) - white - orange (-).

    Each hidden unit computes a weighted sum of the pixels; its weight image shows which pixels
    push it up (blue) and down (orange), the series' sign colours. The colour range is symmetric around 0 per image.
    """
    W = np.asarray(W)
    if W.ndim != 2 or W.shape[0] != 784:
        raise ValueError(f"plot_first_layer_weights: W must be (784, H), got {W.shape}")
    n = min(n, W.shape[1])
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig = figure(figsize=(0.8 * ncols + 0.9, 0.85 * nrows + 0.35))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    im = None
    for c, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if c >= n:
            continue
        w = W[:, c].reshape(28, 28)
        top = float(np.max(np.abs(w))) or 1.0
        im = ax.imshow(w / top, cmap=sign_cmap(), vmin=-1, vmax=1)
        ax.set_title(f"unit {c}", fontsize=7, pad=1)
    cb = fig.colorbar(im, ax=axes, shrink=0.8, ticks=[-1, 0, 1])
    cb.set_label("weight / max|weight|", fontsize=8)
    fig.suptitle(f"First-layer weights of {n} hidden units (each a 28×28 image)", fontsize=10)
    return fig


def _hist_row(axes, arrays, color, label, symmetric: bool):
    for c, ax in enumerate(axes):
        ax.set_yticks([])
        ax.grid(False)
        ax.tick_params(labelsize=7)
        if c >= len(arrays):
            ax.set_axis_off()
            continue
        v = np.asarray(arrays[c], dtype=float).ravel()
        v = v[np.isfinite(v)]
        if v.size == 0:
            ax.text(0.5, 0.5, "no finite values", ha="center", va="center",
                    transform=ax.transAxes, fontsize=7)
            continue
        note = f"σ={np.std(v):.1e}" if np.std(v) < 1e-2 else f"σ={np.std(v):.2f}"
        if not symmetric:                       # ReLU: the exact zeros would dwarf the rest
            zero = np.mean(v == 0)
            note = (f"a = 0: all {v.size} values\n(nothing else to draw)\n" if zero == 1 else
                    f"a = 0: {share_text(zero)} (not drawn)\n") + note
            v = v[v != 0]
        top = float(np.percentile(np.abs(v), 99.5)) if v.size else 0.0
        top = top or 1.0
        rng = (-top, top) if symmetric else (0.0, top)
        ax.hist(v, bins=30, range=rng, color=color, alpha=0.85)
        ax.xaxis.set_major_locator(MaxNLocator(4, symmetric=symmetric))
        if symmetric:
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-2, 3))
            ax.xaxis.get_offset_text().set_fontsize(7)
        ax.text(0.97, 0.92, note, ha="right", va="top", transform=ax.transAxes, fontsize=7)
    axes[0].set_ylabel(label, fontsize=8)


def plot_mnist_training(history, stats=None, *, title: str | None = None, val_name: str = "test"):
    """Loss and accuracy curves (top) and, from a `layer_stats` probe, per-layer histograms (bottom).

    The static twin of `mnist_trainer`: the curves say *how well* it learns, the histograms
    *how healthy* each layer is (ReLU outputs: the share of exact zeros is written on the panel
    and left out of the bars, a share near 100 % means dead units; gradients dL/da: a shrinking
    width towards layer 1 means vanishing gradients). `val_name` names the per-epoch set
    ("test" in the widget, "validation" for a run that held out a validation set).
    """
    fig = figure(figsize=(7.6, 5.4))
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.1, 1])
    has_acc = bool(history.epochs) and "val_acc" in history.epochs[-1]
    axes = top.subplots(1, 2, width_ratios=[1.6, 1]) if has_acc else [top.add_subplot()]
    plot_training(history, axes=axes, title=title, val_label=f"{val_name} loss (per epoch)",
                  acc_label=f"{val_name} accuracy")
    if stats is None or not stats.get("act"):
        ax = bottom.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no layer statistics yet", ha="center", va="center", color=TEXT_SOFT)
        return fig
    n = len(stats["act"])
    axes = bottom.subplots(2, n, squeeze=False)
    _hist_row(axes[0], stats["act"], POSITIVE, "activation a\n(ReLU output)", symmetric=False)
    _hist_row(axes[1], stats["dact"], WARNING, "gradient\ndL/da", symmetric=True)
    for c in range(n):
        axes[0, c].set_title(f"hidden layer {c + 1} ({stats['act'][c].shape[1]} units)",
                             fontsize=8)
    bottom.suptitle("Per-layer histograms on a fixed probe batch", fontsize=9)
    return fig


def plot_train_vs_test(results: dict):
    """Grouped bars of train and test accuracy for several runs `{name: (train_acc, test_acc)}`.

    The gap between the two bars of a run is how much it overfits; the numbers are written on
    the bars so that differences of a tenth of a percent stay readable.
    """
    names = list(results)
    fig, ax = new_axes(figsize=(6.2, 3.2))
    x = np.arange(len(names))
    for i, (label, hatch) in enumerate((("train", ""), ("test", "//"))):
        vals = [results[n][i] for n in names]
        bars = ax.bar(x + (i - 0.5) * 0.38, vals, 0.38, color=COLORS[i], hatch=hatch,
                      edgecolor="white", label=label)
        for b, v in zip(bars, vals):
            ax.text(b.get_x() + b.get_width() / 2, v, f"{v:.1%}", ha="center", va="bottom",
                    fontsize=7)
    lo = min(min(v) for v in results.values())
    ax.set_ylim(max(0.0, lo - 0.03), 1.02)
    ax.set_xticks(x, names, fontsize=8)
    ax.set_ylabel("accuracy")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    return fig
