"""Figures for notebook 14 (convolutions) and the static twin of the `conv_explorer` widget.

`plot_convolution_step` draws one convolution number by number (the patch, the kernel, every
product and their sum, and where that sum lands in the output map); `plot_pooling` the same for
max pooling; `plot_kernels` and `plot_feature_maps` look inside a trained CNN;
`plot_robustness` compares models on transformed digits. Draws only: the numbers come in.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .style import INK, NEGATIVE, POSITIVE, TEXT, WARNING, WHITE, figure, sign_cmap

__all__ = ["plot_convolution_step", "plot_pooling", "plot_kernels", "plot_feature_maps",
           "plot_robustness"]


def _numbers(ax, values, *, fmt: str = "{:.1f}", fontsize: float = 6.5, dark=None) -> None:
    """Write every value of a 2-D array in its cell (white on dark cells)."""
    values = np.asarray(values)
    for (i, j), v in np.ndenumerate(values):
        light = dark is not None and dark[i, j]
        text = fmt.format(v)
        if not text.lstrip("-").strip("0."):       # "-0.00" (a zero, or a tiny negative) reads as 0.00
            text = text.lstrip("-")
        ax.text(j, i, text.replace("-", "−"), ha="center", va="center",
                fontsize=fontsize, color=WHITE if light else INK)


def _grid(ax, shape) -> None:
    ax.set_xticks(np.arange(shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color=WHITE, lw=0.6)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)


def _box(ax, row, col, h, w, color=WARNING, lw=2.2) -> None:
    ax.add_patch(Rectangle((col - 0.5, row - 0.5), w, h, fill=False, ec=color, lw=lw))


def plot_convolution_step(image, kernel, output, pos=(0, 0), *, numbers: bool = True):
    """Input, kernel, products and output map of one kernel position `pos` = (row, col).

    `output` is the whole output map (computed by the caller, e.g. `nl.conv.convolve`); the
    window the kernel covers is framed on the input, the nine products are written out with
    their sum, and that sum is framed where it lands in the output map.
    """
    image, kernel, output = (np.asarray(a, dtype=float) for a in (image, kernel, output))
    kH, kW = kernel.shape
    i, j = pos
    if not (0 <= i < output.shape[0] and 0 <= j < output.shape[1]):
        raise ValueError(f"plot_convolution_step: pos {pos} outside the output map "
                         f"{output.shape}")
    patch = image[i:i + kH, j:j + kW]
    products = patch * kernel
    fig = figure(figsize=(10.0, 3.2))
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [image.shape[1], 5, 5,
                                                           output.shape[1]]})
    ax = axes[0]
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=max(1.0, image.max()))
    _grid(ax, image.shape)
    if numbers:
        _numbers(ax, image, dark=image > 0.6 * max(1.0, image.max()), fontsize=5.5)
    _box(ax, i, j, kH, kW)
    ax.set_title(f"input {image.shape[0]}×{image.shape[1]}, window at ({i}, {j})")
    m = max(float(np.abs(kernel).max()), 1e-12)
    for ax, vals, title in ((axes[1], kernel, "kernel (weights)"),
                            (axes[2], products, "window × kernel")):
        mm = max(float(np.abs(vals).max()), 1e-12) if vals is products else m
        ax.imshow(vals, cmap=sign_cmap(), vmin=-mm, vmax=mm)
        _grid(ax, vals.shape)
        _numbers(ax, vals, fmt="{:.2f}", fontsize=8)
        ax.set_title(title)
    axes[2].set_xlabel(f"sum = {products.sum():.2f}".replace("-", "−"), color=WARNING,
                       fontsize=11)
    ax = axes[3]
    mo = max(float(np.abs(output).max()), 1e-12)
    ax.imshow(output, cmap=sign_cmap(), vmin=-mo, vmax=mo)
    _grid(ax, output.shape)
    if numbers and output.size <= 400:
        _numbers(ax, output, fontsize=5.0)
    _box(ax, i, j, 1, 1)
    ax.set_title(f"output {output.shape[0]}×{output.shape[1]}: ({i}, {j}) = "
                 f"{output[i, j]:.2f}".replace("-", "−"))
    axes[3].set_xlabel("blue > 0, orange < 0, white 0", fontsize=8, color=TEXT)
    return fig


def plot_pooling(x, out, *, size: int = 2):
    """A small map and its max pooling: each window framed, its maximum written in the output."""
    x, out = np.asarray(x, dtype=float), np.asarray(out, dtype=float)
    fig = figure(figsize=(6.0, 3.0))
    axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [x.shape[1], out.shape[1] + 0.6]})
    colors = [POSITIVE, NEGATIVE, WARNING, TEXT]
    for ax, vals, title in ((axes[0], x, f"input {x.shape[0]}×{x.shape[1]}"),
                            (axes[1], out, f"max pool {size}×{size} → "
                                           f"{out.shape[0]}×{out.shape[1]}")):
        ax.imshow(vals, cmap="gray_r", vmin=min(0.0, x.min()), vmax=max(x.max(), 1e-12) * 1.6)
        _grid(ax, vals.shape)
        _numbers(ax, vals, fmt="{:g}", fontsize=10)
        ax.set_title(title)
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            color = colors[(r * out.shape[1] + c) % len(colors)]
            _box(axes[0], r * size, c * size, size, size, color=color, lw=2.5)
            _box(axes[1], r, c, 1, 1, color=color, lw=2.5)
    return fig


def plot_kernels(W, *, ncols: int = 8, title: str | None = None):
    """The kernels of a conv layer, W (C_out, C_in, kH, kW), first input channel, signed colours."""
    W = np.asarray(W, dtype=float)
    if W.ndim != 4:
        raise ValueError(f"plot_kernels: expected W of shape (C_out, C_in, kH, kW), got {W.shape}")
    n = W.shape[0]
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig = figure(figsize=(0.85 * ncols + 0.6, 0.9 * nrows + 0.4))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    m = float(np.abs(W[:, 0]).max()) or 1.0
    for k, ax in enumerate(axes):
        ax.set_axis_off()
        if k < n:
            im = ax.imshow(W[k, 0], cmap=sign_cmap(), vmin=-m, vmax=m)
            ax.set_title(f"#{k}", fontsize=8, pad=2)
    fig.colorbar(im, ax=list(axes), shrink=0.8, label="weight")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_feature_maps(image, maps: dict, *, n: int = 8):
    """One digit and, row by row, the first `n` channels of each named layer's output (C, H, W)."""
    rows = len(maps) + 1
    fig = figure(figsize=(0.95 * n + 1.6, 1.0 * rows + 0.3))
    axes = fig.subplots(rows, n, squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    axes[0, 0].imshow(np.asarray(image).reshape(28, 28), cmap="gray_r")
    axes[0, 0].set_title("input", fontsize=8)
    for r, (name, a) in enumerate(maps.items(), start=1):
        a = np.asarray(a)
        for c in range(min(n, a.shape[0])):
            m = float(np.abs(a[c]).max()) or 1.0
            axes[r, c].imshow(a[c], cmap=sign_cmap(), vmin=-m, vmax=m)
            if c == 0:
                axes[r, c].set_title(f"{name} {a.shape[1]}×{a.shape[2]}", fontsize=8, loc="left")
    return fig


def plot_robustness(results: dict, *, title: str = "Test digits changed as a drawing would be"):
    """Grouped bars: accuracy (%) of each model (outer keys) on each kind of change (inner keys)."""
    models = list(results)
    kinds = list(results[models[0]])
    fig = figure(figsize=(7.5, 3.4))
    ax = fig.add_subplot()
    width = 0.8 / len(models)
    colors = [POSITIVE, NEGATIVE, WARNING, TEXT]
    hatches = ["", "//", "..", "xx"]
    x = np.arange(len(kinds))
    for k, name in enumerate(models):
        vals = [100 * results[name][kind] for kind in kinds]
        bars = ax.bar(x + (k - (len(models) - 1) / 2) * width, vals, width, label=name,
                      color=colors[k % 4], hatch=hatches[k % 4], edgecolor=WHITE)
        for b, v in zip(bars, vals):
            ax.text(b.get_x() + b.get_width() / 2, v + 0.5, f"{v:.0f}", ha="center",
                    va="bottom", fontsize=7)
    ax.set_xticks(x, kinds, fontsize=8)
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 109)
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    ax.set_title(title)
    return fig
