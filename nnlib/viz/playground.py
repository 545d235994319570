"""TensorFlow Playground in NumPy: the training engine and its figure (notebook 09).

`PlaygroundModel` is the engine, plain NumPy and nnlib with no widgets: it makes one of the
playground's data sets, turns the two coordinates into the chosen input features, builds an
nnlib network (Linear + activation layers), and trains it with SGD plus an optional L1/L2
penalty. `plot_playground` draws its state -- what every neuron computes over the input plane,
the output map with train and test points, the loss curves -- and is the static twin of
`nl.widgets.playground`, which calls it on every redraw. Clarity over speed, but each epoch
and each redraw are cheap enough (tens of milliseconds) for a live demo.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..layers import Linear
from ..toys.playground import (  # noqa: F401 - FEATURES/make_features/PlaygroundModel: see below
    FEATURES,
    LEARNING_RATES,
    MAX_LAYERS,
    MAX_NEURONS,
    PLAYGROUND_DATASETS,
    REG_RATES,
    PlaygroundModel,
    make_features,
)
from .style import CLASS_COLORS, CLASS_MARKERS, COLORS, LINESTYLES, figure

# The engine lives in nnlib.toys.playground; make_features, PlaygroundModel and FEATURES stay
# reachable as nl.viz.<name> until every caller uses nl.toys.<name>.
__all__ = ["plot_playground", "plot_output_map", "PLAYGROUND_CMAP", "FEATURE_LABELS",
           "PlaygroundModel", "make_features", "FEATURES"]

# Plain Unicode, not mathtext: parsing TeX labels would cost a third of every redraw.
FEATURE_LABELS = {"x1": "x\u2081", "x2": "x\u2082", "x1^2": "x\u2081\u00b2", "x2^2": "x\u2082\u00b2",
                  "x1*x2": "x\u2081x\u2082", "sin(x1)": "sin x\u2081", "sin(x2)": "sin x\u2082"}
# One map for everything: blue = low / class 0 / negative weight, vermillion = high / class 1.
PLAYGROUND_CMAP = LinearSegmentedColormap.from_list(
    "playground", [CLASS_COLORS[0], "#FFFFFF", CLASS_COLORS[1]]).with_extremes(
    bad=(1.0, 1.0, 1.0, 0.0))                     # NaN = gaps between neuron tiles: transparent


# -- figures ----------------------------------------------------------------------------------
def _tile(m: np.ndarray) -> np.ndarray:
    """Scale one neuron's map to [-1, 1] by its largest |value| (shape, not size, is shown)."""
    m = np.nan_to_num(np.asarray(m, float), nan=0.0, posinf=0.0, neginf=0.0)
    peak = np.abs(m).max()
    return m / peak if peak > 0 else m


def plot_network_maps(model: PlaygroundModel, ax, *, resolution: int = 16) -> None:
    """Columns of tiny heat maps, one per unit (inputs, hidden layers, output), joined by
    lines whose colour is the weight's sign and whose width is its size."""
    maps = model.neuron_maps(resolution)
    maps[-1] = 2 * maps[-1] - 1 if model.task == "classification" else maps[-1]
    t, gx, gy = resolution, 1.4 * resolution, 0.3 * resolution
    rows = max(len(m) for m in maps)
    H = rows * t + (rows - 1) * gy
    W = len(maps) * t + (len(maps) - 1) * gx
    img = np.full((int(np.ceil(H)), int(np.ceil(W))), np.nan)
    centres = []
    for c, layer in enumerate(maps):
        x0 = c * (t + gx)
        top = (H - (len(layer) * t + (len(layer) - 1) * gy)) / 2
        col = []
        for r, m in enumerate(layer):
            y0 = top + r * (t + gy)
            i, j = int(round(y0)), int(round(x0))
            img[i:i + t, j:j + t] = _tile(m)[::-1]          # image rows go downwards
            col.append((j, i + t / 2))
        centres.append(col)
    segs, colors, widths = [], [], []
    linears = [layer for layer in model.net.layers if isinstance(layer, Linear)]
    for c, lin in enumerate(linears):
        Wm = np.nan_to_num(lin.W.data)
        peak = np.abs(Wm).max() or 1.0
        for i, (xa, ya) in enumerate(centres[c]):
            for j, (xb, yb) in enumerate(centres[c + 1]):
                segs.append([(xa + t, ya), (xb, yb)])
                colors.append(CLASS_COLORS[1] if Wm[i, j] > 0 else CLASS_COLORS[0])
                widths.append(0.3 + 2.2 * abs(Wm[i, j]) / peak)
    ax.add_collection(LineCollection(segs, colors=colors, linewidths=widths, alpha=0.6, zorder=1))
    ax.imshow(img, cmap=PLAYGROUND_CMAP, vmin=-1, vmax=1, interpolation="nearest", zorder=2,
              extent=(-0.5, img.shape[1] - 0.5, img.shape[0] - 0.5, -0.5))
    frames = [Rectangle((x - 0.5, y - t / 2 - 0.5), t, t) for col in centres for x, y in col]
    ax.add_collection(PatchCollection(frames, facecolor="none", edgecolor="#888888",
                                      linewidth=0.6, zorder=3))     # a frame: white tiles show
    for r, name in enumerate(model.features):
        xa, ya = centres[0][r]
        ax.text(xa - 2, ya, FEATURE_LABELS[name], ha="right", va="center", fontsize=8)
    heads = ["inputs", *[f"{h}" for h in model.hidden], "out"]
    for c, head in enumerate(heads):
        ax.text(centres[c][0][0] + t / 2, -1.5, head, ha="center", va="bottom", fontsize=8)
    ax.set_xlim(-0.5 - 2.1 * t, img.shape[1] + 0.5)
    ax.set_ylim(img.shape[0] + 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_anchor("N")                              # top-aligned, like the other panels
    ax.axis("off")
    n_hidden = len(model.hidden)
    ax.set_title(f"{n_hidden} hidden layer{'s' if n_hidden != 1 else ''}: what each unit computes",
                 fontsize=9, pad=14)


def plot_output_map(model: PlaygroundModel, ax=None, *, resolution: int = 40, legend: bool = True):
    """The network's output over the plane with train (white edge) and test (black edge) points."""
    if ax is None:
        fig = figure(figsize=(3.6, 3.4))
        ax = fig.add_subplot()
    e = model.extent
    out = model.output(model.grid(resolution)).reshape(resolution, resolution)
    ok = np.all(np.isfinite(out)) and not model.diverged
    if model.task == "classification":
        vmin, vmax = 0.0, 1.0
    else:
        lim = float(np.abs(np.concatenate([model.y_train, model.y_test])).max()) or 1.0
        vmin, vmax = -lim, lim
    if ok:
        ax.imshow(out, origin="lower", extent=(-e, e, -e, e), cmap=PLAYGROUND_CMAP, vmin=vmin,
                  vmax=vmax, alpha=0.75, interpolation="bilinear")
        if model.task == "classification" and out.min() < 0.5 < out.max():
            t = np.linspace(-e, e, resolution)
            ax.contour(t, t, out, levels=[0.5], colors=COLORS[7], linewidths=1.0)
    else:
        ax.text(0, 0, "diverged:\nno map to show", ha="center", va="center", fontsize=10,
                color=COLORS[3], zorder=5, bbox=dict(fc="white", ec=COLORS[3], alpha=0.9))
    for X, y, edge in ((model.X_train, model.y_train, "white"), (model.X_test, model.y_test, "black")):
        if model.task == "classification":
            for c in (0, 1):
                m = y == c
                ax.scatter(X[m, 0], X[m, 1], s=14, color=CLASS_COLORS[c], marker=CLASS_MARKERS[c],
                           edgecolors=edge, linewidths=0.7, zorder=3)
        else:
            ax.scatter(X[:, 0], X[:, 1], c=y, s=14, cmap=PLAYGROUND_CMAP, vmin=vmin, vmax=vmax,
                       edgecolors="#888888" if edge == "white" else edge, linewidths=0.7, zorder=3)
    ax.set_xlim(-e, e)
    ax.set_ylim(-e, e)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlabel("x\u2081", labelpad=1)
    ax.set_ylabel("x\u2082", labelpad=1)
    what = "P(class 1)" if model.task == "classification" else "prediction"
    ax.set_title(f"output: {what}", fontsize=9)
    if legend:
        handles = [Line2D([], [], ls="", marker="o", mfc="#999999", mec=edge, mew=1, label=lab)
                   for edge, lab in (("white", "train"), ("black", "test"))]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2,
                  fontsize=8, frameon=False, handletextpad=0.2, columnspacing=1.0, borderaxespad=0)
    return ax.figure


def plot_loss_curves(model: PlaygroundModel, ax) -> None:
    """Train (solid) and test (dashed) loss per epoch; non-finite values are left out."""
    peak = 0.0
    for i, key in enumerate(("train", "test")):
        h = np.asarray(model.history[key], float)
        ep = np.arange(len(h))
        ok = np.isfinite(h)
        ax.plot(ep[ok], h[ok], color=COLORS[i], linestyle=LINESTYLES[i], lw=1.4, label=key,
                marker="o" if len(h) <= 20 else None, markersize=3)     # epoch 0 is one dot
        peak = max(peak, float(h[ok].max()) if ok.any() else 0.0)
    if peak > 10:                                   # a blow-up: a log axis keeps it readable
        ax.set_yscale("log")
    ax.set_xlabel("epoch", labelpad=1)
    ax.set_ylabel("BCE loss" if model.task == "classification" else "MSE loss", labelpad=1)
    ax.set_xlim(-0.03 * max(1, model.epoch), max(1, model.epoch))     # epoch-0 dots not cut
    if ax.get_yscale() == "linear":
        ax.set_ylim(bottom=0)
    ax.legend(loc="best", fontsize=8)
    ax.set_title("loss", fontsize=9)
    ax.tick_params(labelsize=8)


def plot_playground(model: PlaygroundModel, *, resolution: int = 40, dpi: int = 100):
    """The whole playground view: neuron maps | output map with points | loss curves + readout.

    The static twin of `nl.widgets.playground` (which calls it after every tick). Fixed axes
    positions instead of constrained layout, a 40x40 output grid and 16x16 neuron tiles keep
    one redraw near 100 ms.
    """
    fig = figure(figsize=(9.0, 3.6), dpi=dpi, layout="none")
    plot_network_maps(model, fig.add_axes((0.0, 0.02, 0.42, 0.81)))
    plot_output_map(model, fig.add_axes((0.455, 0.19, 0.29, 0.66)), resolution=resolution)
    plot_loss_curves(model, fig.add_axes((0.82, 0.19, 0.165, 0.66)))
    color = COLORS[3] if model.diverged else "#222222"
    fig.suptitle(model.summary(), fontsize=10, color=color, y=0.98)
    return fig
