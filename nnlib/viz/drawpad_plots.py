"""Figures for notebook 13 (draw a digit): what the classifier sees, computes and answers.

`plot_digit_prediction` is the static twin of `nl.widgets.draw_a_digit()` (the widget calls
it): the raw drawing, the preprocessed 28x28 input, one heat strip per hidden layer (for a
CNN: its feature maps, side by side) and the ten class probabilities, with the "not sure" line. `plot_readings` puts several inputs side by side, each over its ten probabilities (a "5" at
three sizes, shapes that are not digits); `plot_preprocess_steps` shows the MNIST preprocessing
step by step, and
`plot_pixels` tiny images with every pixel's value written on it (the worked examples).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from ..datasets.drawings import center_of_mass, ink_bbox
from .style import COLORS, EDGE, NEUTRAL, figure

__all__ = ["plot_digit_prediction", "plot_readings", "plot_preprocess_steps", "plot_pixels"]


def _image(ax, img, title):
    ax.imshow(img, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():                       # a thin frame: where the image ends
        spine.set_visible(True)
        spine.set_color(NEUTRAL)
        spine.set_linewidth(0.8)


def _com(img):
    """Centre of mass (row, col) for the + mark, None for an empty image."""
    return center_of_mass(img) if img.sum() > 0 else None


def _tile_maps(maps, rows: int = 1):
    """(C, H, W) feature maps -> one image of the maps in `rows` rows, NaN (blank) between."""
    c, h, w = maps.shape
    cols = -(-c // rows)
    tiled = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for k in range(c):
        r, q = divmod(k, cols)
        tiled[r * (h + 1):r * (h + 1) + h, q * (w + 1):q * (w + 1) + w] = maps[k]
    return tiled


def plot_digit_prediction(raw, processed, probs, hidden=(), *, label=None, title=None,
                          threshold=None, raw_title=None):
    """Raw drawing | 28x28 input | probabilities, and below, one heat strip per hidden layer.

    raw: (H, W) in [0, 1] (white ink on black, drawn here as dark ink on white like the other
    digit figures); processed: (28, 28) or (784,); probs: (10,); hidden: what each dense layer
    reads (`nl.apps.pad_model.classify`): (H_k,) activation vectors of an MLP, or (C, H, W)
    feature maps of a CNN, drawn as C small maps side by side. `label` (if known) is marked
    under its bar; `threshold` draws the "not sure" line (and the bar is not hatched when the
    top probability is below it); `raw_title` names the first panel. Returns a Figure.
    """
    raw = np.asarray(raw, dtype=float)
    processed = np.asarray(processed, dtype=float).reshape(28, 28)
    probs = np.asarray(probs, dtype=float).reshape(-1)
    hidden = [np.asarray(h, dtype=float) for h in hidden]
    hidden = [h if h.ndim == 3 else h.reshape(-1) for h in hidden]
    heights = [1.3 if h.ndim == 3 else 0.75 for h in hidden]
    fig = figure(figsize=(7.6, 3.0 + sum(heights)))
    grid = fig.add_gridspec(1 + len(hidden), 3, width_ratios=[1, 1, 1.9],
                            height_ratios=[3.0] + heights)
    ax_raw, ax_in, ax_p = (fig.add_subplot(grid[0, k]) for k in range(3))

    _image(ax_raw, raw, raw_title or f"drawing ({raw.shape[0]}×{raw.shape[1]})")
    box = ink_bbox(raw)
    if box is not None:
        r0, r1, c0, c1 = box
        ax_raw.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0 + 1, r1 - r0 + 1, fill=False,
                                   ec=COLORS[1], lw=1.2, ls="--"))
    _image(ax_in, processed, "what the network sees (28×28)")
    ax_in.axhline(14, color=COLORS[5], lw=0.6, ls=":")
    ax_in.axvline(14, color=COLORS[5], lw=0.6, ls=":")
    com = _com(processed)
    if com is not None:
        ax_in.plot(com[1], com[0], marker="+", ms=10, mew=1.8, color=COLORS[3], ls="none")

    pred = int(probs.argmax())
    sure = threshold is None or probs[pred] >= threshold
    colors = [COLORS[3] if k == pred else NEUTRAL for k in range(len(probs))]
    bars = ax_p.bar(np.arange(len(probs)), probs, color=colors, edgecolor=EDGE, lw=0.6)
    if sure:
        bars[pred].set_hatch("//")
    ax_p.set_xticks(np.arange(len(probs)))
    ax_p.set_ylim(0, 1.12)
    ax_p.set_ylabel("probability")
    ax_p.set_xlabel("class" + ("" if label is None else f"   (▲ = true label {label})"))
    ax_p.text(pred, probs[pred] + 0.02, f"{probs[pred]:.0%}", ha="center", va="bottom",
              fontsize=9, fontweight="bold", color=COLORS[3])
    if threshold is not None:
        ax_p.axhline(threshold, color=COLORS[5], lw=1.0, ls="--")
        ax_p.annotate(f"{threshold:.0%}", (1.0, threshold), xycoords=("axes fraction", "data"),
                      xytext=(3, 0), textcoords="offset points", ha="left", va="center",
                      fontsize=7.5, color=COLORS[5], annotation_clip=False)
    if label is not None:
        ax_p.plot(label, -0.0, marker="^", ms=9, color=COLORS[2], clip_on=False, ls="none",
                  transform=ax_p.get_xaxis_transform())
    default = f"prediction: {pred}" if sure else f"not sure (top guess {pred})"
    if threshold is not None:
        ax_p.set_xlabel(ax_p.get_xlabel() + f"\n(- - below {threshold:.0%}: not sure)")
    ax_p.set_title(title or default, fontsize=10)
    ax_p.grid(axis="x", visible=False)

    n_dense = 0
    for k, h in enumerate(hidden):
        ax = fig.add_subplot(grid[1 + k, :])
        top = np.max(h) if h.size and np.max(h) > 0 else 1.0
        shown = _tile_maps(h, 2 if h.shape[0] > 8 else 1) if h.ndim == 3 else h[None, :]
        ax.imshow(shown, cmap="magma_r", vmin=min(0.0, np.min(h)), vmax=top, aspect="auto",
                  interpolation="nearest")
        ax.set_yticks([])
        ax.grid(False)
        ax.tick_params(axis="x", labelsize=8)
        active = int(np.sum(h > 0))
        if h.ndim == 3:
            ax.set_xticks([])
            what = (f"feature maps the Linear layer reads: {h.shape[0]} maps of "
                    f"{h.shape[1]}×{h.shape[2]} = {h.size} values")
        else:
            n_dense += 1
            what = f"hidden layer {n_dense}: {h.size} units"
        ax.set_title(f"{what}, {active} active (> 0), largest {np.max(h):.2f}", fontsize=8.5,
                     loc="left")
    return fig


def plot_readings(images, probs, titles=(), *, threshold=None):
    """Several 28x28 inputs in a row, each above its ten probabilities.

    images: (K, 784) or (K, 28, 28) preprocessed inputs; probs: (K, 10); titles: K names.
    Each bar chart marks the top class (hatched when at least `threshold`) and writes its
    probability; `threshold` (optional) is drawn as a dashed line. Returns a Figure.
    """
    images = np.asarray(images, dtype=float).reshape(-1, 28, 28)
    probs = np.asarray(probs, dtype=float).reshape(len(images), -1)
    titles = list(titles) + [""] * (len(images) - len(titles))
    k = len(images)
    fig = figure(figsize=(min(7.6, 1.9 * k + 0.4), 3.6))
    axes = fig.subplots(2, k, squeeze=False, height_ratios=[1.2, 1.0])
    for j in range(k):
        p = probs[j]
        top = int(p.argmax())
        sure = threshold is None or p[top] >= threshold
        _image(axes[0, j], images[j], titles[j])
        ax = axes[1, j]
        bars = ax.bar(np.arange(len(p)), p, color=[COLORS[3] if c == top else NEUTRAL
                                                    for c in range(len(p))],
                      edgecolor=EDGE, lw=0.5)
        if sure:
            bars[top].set_hatch("//")
        ax.set_ylim(0, 1.25)
        ax.set_xticks(np.arange(len(p)))
        ax.tick_params(labelsize=7)
        ax.grid(axis="x", visible=False)
        ax.text(top, p[top] + 0.03, f"{p[top]:.0%}", ha="center", va="bottom", fontsize=8,
                fontweight="bold", color=COLORS[3])
        if threshold is not None:
            ax.axhline(threshold, color=COLORS[5], lw=0.9, ls="--")
        ax.set_xlabel(f"read as {top}" if sure else f"not sure ({top}?)", fontsize=8.5)
        if j == 0:
            ax.set_ylabel("probability", fontsize=8.5)
        else:
            ax.set_yticklabels([])
    return fig


def plot_preprocess_steps(steps: dict):
    """The MNIST preprocessing, one panel per step (keys raw, cropped, scaled, placed).

    The crop is outlined on the raw drawing; the last panel marks the centre of mass (+) and
    the frame's centre (14, 14) (dotted lines), which the + should sit on.
    """
    titles = {"raw": "1. drawing", "cropped": "2. crop to the ink",
              "scaled": "3. longer side → 20 px", "placed": "4. centre of mass → (14, 14)"}
    fig = figure(figsize=(7.6, 2.4))
    axes = fig.subplots(1, 4)
    for ax, key in zip(axes, ["raw", "cropped", "scaled", "placed"]):
        img = np.asarray(steps[key], dtype=float)
        _image(ax, img, f"{titles[key]}\n{img.shape[0]}×{img.shape[1]}")
    box = ink_bbox(np.asarray(steps["raw"], dtype=float))
    if box is not None:
        r0, r1, c0, c1 = box
        axes[0].add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0 + 1, r1 - r0 + 1, fill=False,
                                    ec=COLORS[1], lw=1.2, ls="--"))
    placed = np.asarray(steps["placed"], dtype=float)
    axes[3].axhline(14, color=COLORS[5], lw=0.7, ls=":")
    axes[3].axvline(14, color=COLORS[5], lw=0.7, ls=":")
    com = _com(placed)
    if com is not None:
        axes[3].plot(com[1], com[0], marker="+", ms=11, mew=2, color=COLORS[3], ls="none")
    return fig


def plot_pixels(images, titles=(), *, mark_center_of_mass=False, block=None):
    """Small images side by side with every pixel's value written in its cell.

    For the worked examples (a 4x6 image averaged down to 2x3, a 3x3 centre of mass): the
    reader can redo each number by hand. `mark_center_of_mass` adds a + at each centre of mass;
    `block=(bh, bw)` outlines the blocks of the first image that one pixel of the next averages.
    """
    images = [np.asarray(img, dtype=float) for img in images]
    widths = [img.shape[1] for img in images]
    tallest = max(img.shape[0] for img in images)
    fig = figure(figsize=(min(7.6, 0.55 * sum(widths) + 0.8 * len(images)), 0.55 * tallest + 0.7))
    axes = fig.subplots(1, len(images), width_ratios=widths, squeeze=False)[0]
    titles = list(titles) + [""] * (len(images) - len(titles))
    for ax, img, title in zip(axes, images, titles):
        top = max(1.0, img.max())
        _image(ax, img / top, f"{title}\n{img.shape[0]}×{img.shape[1]}" if title else
               f"{img.shape[0]}×{img.shape[1]}")
        for (r, c), v in np.ndenumerate(img):
            ax.text(c, r, f"{v:.3g}", ha="center", va="center", fontsize=9,
                    color="white" if v / top > 0.5 else "black")
        if block is not None and ax is axes[0]:
            for r in np.arange(block[0], img.shape[0], block[0]):
                ax.axhline(r - 0.5, color=COLORS[1], lw=2, ls="--")
            for c in np.arange(block[1], img.shape[1], block[1]):
                ax.axvline(c - 0.5, color=COLORS[1], lw=2, ls="--")
        if mark_center_of_mass and img.sum() > 0:
            r, c = _com(img)
            ax.plot(c, r, marker="+", ms=12, mew=2, color=COLORS[3], ls="none")
            ax.annotate(f"centre of mass ({r:.3g}, {c:.3g})", (c, r), xytext=(0.5, -0.08),
                        textcoords="axes fraction", ha="center", va="top", fontsize=8.5,
                        color=COLORS[3])
    return fig
