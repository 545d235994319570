"""The playground's figure (notebook 09): every neuron's map, the output map, the loss.

`PlaygroundFigure` draws the state of a `nl.course.PlaygroundModel` (the engine: data, features,
network, training) -- what every unit computes over the input plane, a big map of the output
(or of one chosen unit) with the train and test points, the train and test loss curves (the
static figure's loss panel gives the accuracy in its title; the widget's readout gives it) -- and
updates the same artists in place on every redraw, which is what lets `nl.widgets.playground`
animate training. `plot_playground` is its static twin. Colours follow the series: blue
positive, orange negative (weights, values, and class 1 / class 0), with legends.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..course.playground_engine import PlaygroundModel
from .live import LiveFigure
from .style import (
    CLASS_COLORS,
    CLASS_MARKERS,
    EDGE,
    GREEN,
    INK,
    LINESTYLES,
    NEGATIVE,
    NEUTRAL,
    PINK,
    POSITIVE,
    SKY,
    TEXT,
    WARNING,
    WHITE,
    figure,
    sign_cmap,
    sign_legend,
)

# The engine (PlaygroundModel, make_features, FEATURES) lives in nnlib.course.playground_engine.
__all__ = ["plot_playground", "plot_output_map", "PlaygroundFigure", "class_colors",
           "FEATURE_LABELS", "PLAYGROUND_CLASS_COLORS"]

# Plain Unicode, not mathtext: parsing TeX labels would cost a third of every redraw.
FEATURE_LABELS = {"x1": "x\u2081", "x2": "x\u2082", "x1^2": "x\u2081\u00b2", "x2^2": "x\u2082\u00b2",
                  "x1*x2": "x\u2081x\u2082", "sin(x1)": "sin x\u2081", "sin(x2)": "sin x\u2082"}
_TRANSPARENT = (1.0, 1.0, 1.0, 0.0)


# Class k has one colour however many classes there are: class 0 orange and class 1 blue (the
# sign convention, as TensorFlow Playground's -1 and +1), class 2 green, then the rest of the
# series' class palette (vermillion, far from orange, only from class 4 on).
PLAYGROUND_CLASS_COLORS = [NEGATIVE, POSITIVE, GREEN, PINK, WARNING, SKY]
assert sorted(PLAYGROUND_CLASS_COLORS) == sorted(CLASS_COLORS)     # the same six colours


def class_colors(model: PlaygroundModel) -> list[str]:
    """Colour of each class of `model`: class k is `PLAYGROUND_CLASS_COLORS[k]`, the same with
    two classes or six (class 0 orange, class 1 blue, class 2 green, ...)."""
    return list(PLAYGROUND_CLASS_COLORS[:model.classes])


def _rgb(color) -> np.ndarray:
    from matplotlib.colors import to_rgb
    return np.array(to_rgb(color))


def _sign_rgba(values: np.ndarray, lim: float) -> np.ndarray:
    """Signed values -> RGBA with the sign map (orange < 0, white 0, blue > 0); NaN transparent."""
    v = np.asarray(values, float)
    rgba = sign_cmap()(np.clip(0.5 + 0.5 * np.nan_to_num(v) / (lim or 1.0), 0.0, 1.0))
    rgba[~np.isfinite(v)] = _TRANSPARENT
    return rgba


def _class_rgba(probs: np.ndarray, colors, discrete: bool) -> np.ndarray:
    """Class probabilities (..., C) -> RGBA: the class colours mixed by probability, paler
    where the network is unsure (white = all classes equally likely); discrete: the argmax."""
    p = np.nan_to_num(np.asarray(probs, float), nan=1.0 / probs.shape[-1])
    C = p.shape[-1]
    cols = np.stack([_rgb(c) for c in colors])                          # (C, 3)
    if discrete:
        rgb = cols[p.argmax(axis=-1)]
    else:
        conf = np.clip((p.max(axis=-1, keepdims=True) - 1.0 / C) / (1.0 - 1.0 / C), 0.0, 1.0)
        rgb = 1.0 - conf * (1.0 - p @ cols / p.sum(axis=-1, keepdims=True).clip(1e-12))
    return np.concatenate([rgb, np.ones(rgb.shape[:-1] + (1,))], axis=-1)


def _unit_rgba(model: PlaygroundModel, column: int, unit: int, m: np.ndarray, discrete=False):
    """One unit's map as RGBA: output tiles in class colours, every other unit by sign."""
    last = column == len(model.hidden) + 1
    if last and model.task == "classification":
        if model.classes == 2:
            p = np.stack([1 - m, m], axis=-1)
        else:
            p = np.stack([1 - m, m], axis=-1)
            return _class_rgba(p, [WHITE, class_colors(model)[unit]], discrete)
        return _class_rgba(p, class_colors(model), discrete)
    m = np.nan_to_num(np.asarray(m, float), nan=0.0, posinf=0.0, neginf=0.0)
    if last and model.task == "regression":
        lim = _target_lim(model)
    else:
        lim = float(np.abs(m).max())          # each tile by its own |max|: shape, not size
    if discrete:
        m = np.sign(m) * (lim or 1.0)
    return _sign_rgba(m, lim)


def _target_lim(model: PlaygroundModel) -> float:
    return float(np.abs(np.concatenate([model.y_train, model.y_test])).max()) or 1.0


class PlaygroundFigure(LiveFigure):
    """The playground view, built once and updated in place: neuron maps | big map | loss.

    `update()` recomputes the images, the edges, the curves and the texts of the artists it
    made, instead of building a new figure, so a live widget redraws several times a second.
    A new model (other data, features or network) rebuilds the axes. With `live=True` the
    loss axes grow in steps of 1, 2, 5 x 10^k epochs, so their ticks are redrawn rarely.

    Options: `show_test` (draw the test points), `discretize` (the big map shows the class or
    sign only), `big` (the unit whose map fills the big panel: "output", a feature name or
    "h2.3"), `edit` (the parameter to highlight: (layer, "W", i, j) or (layer, "b", 0, j)).
    """

    def __init__(self, model: PlaygroundModel, *, resolution: int = 40, dpi: int = 100,
                 show_test: bool = True, discretize: bool = False, big: str = "output",
                 edit=None, live: bool = False):
        self.resolution, self.tile, self.live = resolution, 16, live
        self.options = dict(show_test=show_test, discretize=discretize, big=big, edit=edit)
        self.fig = figure(figsize=(9.0, 3.7), dpi=dpi, layout="none")
        self.model = None
        self.update(model)

    # -- building --------------------------------------------------------------------------
    def _build(self, model: PlaygroundModel) -> None:
        fig = self.fig
        fig.clear()
        self.model = model
        self.ax_net = fig.add_axes((0.0, 0.1, 0.42, 0.74))
        self.ax_out = fig.add_axes((0.455, 0.22, 0.29, 0.63))
        self.ax_loss = fig.add_axes((0.82, 0.22, 0.165, 0.6))
        self._build_network(model)
        self._build_output(model)
        self._build_loss(model)
        self.title = fig.suptitle("", fontsize=10, y=0.985)
        self.forget_background()               # the static pixels, for `render_png`
        self._loss_limits = None

    def _build_network(self, model) -> None:
        ax, t = self.ax_net, self.tile
        names = model.unit_names()
        gx, gy = 1.4 * t, 0.3 * t
        rows = max(len(col) for col in names)
        H = int(np.ceil(rows * t + (rows - 1) * gy))
        W = int(np.ceil(len(names) * t + (len(names) - 1) * gx))
        self.canvas = np.zeros((H, W, 4))
        self.slots, centres = [], []                 # (row, col) of each tile; edge anchors
        for c, col in enumerate(names):
            x0 = c * (t + gx)
            top = (H - (len(col) * t + (len(col) - 1) * gy)) / 2
            slots, cents = [], []
            for r in range(len(col)):
                i, j = int(round(top + r * (t + gy))), int(round(x0))
                slots.append((i, j))
                cents.append((j, i + t / 2))
            self.slots.append(slots)
            centres.append(cents)
        self.centres = centres
        segs = [[(xa + t, ya), (xb, yb)] for c in range(len(names) - 1)
                for (xa, ya) in centres[c] for (xb, yb) in centres[c + 1]]
        self.edges = LineCollection(segs, colors=POSITIVE, linewidths=1.0, alpha=0.65, zorder=1)
        ax.add_collection(self.edges)
        self.net_im = ax.imshow(self.canvas, interpolation="nearest", zorder=2,
                                extent=(-0.5, W - 0.5, H - 0.5, -0.5))
        frames = [Rectangle((j - 0.5, i - 0.5), t, t) for col in self.slots for i, j in col]
        self.frames = ax.add_collection(PatchCollection(frames, facecolor="none", zorder=3,
                                                        edgecolor=NEUTRAL, linewidth=0.6))
        self.big_frame = Rectangle((0, 0), t, t, fill=False, edgecolor=WARNING, linewidth=2.0,
                                   zorder=4, visible=False)
        ax.add_patch(self.big_frame)
        (self.edit_line,) = ax.plot([], [], color=INK, lw=3.0, zorder=4, solid_capstyle="round")
        self.edit_box = Rectangle((0, 0), t, t, fill=False, edgecolor=INK, linewidth=2.0,
                                  linestyle="--", zorder=4, visible=False)
        ax.add_patch(self.edit_box)
        for r, name in enumerate(model.features):
            xa, ya = centres[0][r]
            ax.text(xa - 2, ya, FEATURE_LABELS[name], ha="right", va="center", fontsize=8)
        n_out = len(names[-1])
        heads = ["inputs", *[f"{h}" for h in model.hidden], "out" if n_out == 1 else f"{n_out} out"]
        for c, head in enumerate(heads):
            ax.text(centres[c][0][0] + t / 2, -1.5, head, ha="center", va="bottom", fontsize=8)
        ax.set_xlim(-0.5 - 2.1 * t, W + 0.5)
        ax.set_ylim(H + 0.5, -0.5)
        ax.set_aspect("equal")
        ax.set_anchor("N")
        ax.axis("off")
        n_hidden = len(model.hidden)
        ax.set_title(f"{n_hidden} hidden layer{'s' if n_hidden != 1 else ''}: what each unit "
                     "computes", fontsize=9, pad=14)
        sign_legend(ax, what="weight / value", loc="upper center", bbox_to_anchor=(0.5, 0.0),
                    ncol=2, frameon=False, borderaxespad=0)

    def _build_output(self, model) -> None:
        ax, e = self.ax_out, model.extent
        self.out_im = ax.imshow(np.ones((2, 2, 4)), origin="lower", extent=(-e, e, -e, e),
                                alpha=0.8, interpolation="bilinear", zorder=1)
        self.contour = None
        self.scatters = {"train": [], "test": []}
        handles = []
        for split, X, y, edge in (("train", model.X_train, model.y_train, WHITE),
                                  ("test", model.X_test, model.y_test, INK)):
            if model.task == "classification":
                for c, color in enumerate(class_colors(model)):
                    m = y == c
                    self.scatters[split].append(ax.scatter(
                        X[m, 0], X[m, 1], s=14, color=color, marker=CLASS_MARKERS[c],
                        edgecolors=edge, linewidths=0.7, zorder=3))
            else:
                lim = _target_lim(model)
                self.scatters[split].append(ax.scatter(
                    X[:, 0], X[:, 1], c=y, s=14, cmap=sign_cmap(), vmin=-lim, vmax=lim,
                    edgecolors=NEUTRAL if edge == WHITE else edge, linewidths=0.7, zorder=3))
        if model.task == "classification":
            handles += [Line2D([], [], ls="", marker=CLASS_MARKERS[c], mfc=col, mec=EDGE,
                               label=f"class {c}") for c, col in enumerate(class_colors(model))]
        else:
            handles += [Line2D([], [], ls="", marker="o", mfc=col, mec=EDGE, label=lab)
                        for col, lab in ((POSITIVE, "value > 0"), (NEGATIVE, "value < 0"))]
        handles += [Line2D([], [], ls="", marker="o", mfc=NEUTRAL, mec=edge, mew=1, label=lab)
                    for edge, lab in ((WHITE, "train"), (INK, "test"))]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13),
                  ncol=min(4, len(handles)), fontsize=7.5, frameon=False, handletextpad=0.1,
                  columnspacing=0.8, borderaxespad=0)
        self.diverged_text = ax.text(0, 0, "diverged:\nno map to show", ha="center", va="center",
                                     fontsize=10, color=WARNING, zorder=5, visible=False,
                                     bbox=dict(fc=WHITE, ec=WARNING, alpha=0.9))
        ax.set_xlim(-e, e)
        ax.set_ylim(-e, e)
        ax.set_aspect("equal")
        ax.grid(False)
        ax.set_xlabel("x\u2081", labelpad=1)
        ax.set_ylabel("x\u2082", labelpad=1)
        ax.tick_params(labelsize=8)
        self.out_title = ax.set_title("", fontsize=9)

    def _build_loss(self, model) -> None:
        ax = self.ax_loss
        self.loss_lines = [ax.plot([], [], color=c, linestyle=ls, lw=1.4, label=key,
                                   marker="o", markersize=3)[0]
                           for key, c, ls in (("train", POSITIVE, LINESTYLES[0]),
                                              ("test", NEGATIVE, LINESTYLES[1]))]
        ax.set_xlabel("epoch", labelpad=1)
        ax.set_ylabel("BCE loss" if model.task == "classification" and model.classes == 2 else
                      "cross-entropy" if model.task == "classification" else "MSE loss", labelpad=1)
        ax.legend(loc="upper right", fontsize=8)
        ax.tick_params(labelsize=8)
        self.loss_title = ax.set_title("", fontsize=9)

    # -- updating --------------------------------------------------------------------------
    def update(self, model: PlaygroundModel | None = None, **options):
        """Redraw for `model` (default: the same one) with new options; returns the Figure."""
        self.options.update(options)
        if model is not None and model is not self.model:
            self._build(model)
        m = self.model
        self._update_network(m)
        self._update_output(m)
        self._update_loss(m)
        self.title.set_text("" if self.live else m.summary())   # live: the widget's readout says it
        self.title.set_color(WARNING if m.diverged else TEXT)
        return self.fig

    # -- fast rendering for the widget (LiveFigure.render_png) ---------------------------------
    def _dynamic(self) -> list:
        """The artists `update` changes, in drawing order (the rest is a fixed background)."""
        contour = [self.contour] if self.contour is not None else []
        return [self.edges, self.net_im, self.frames, self.big_frame, self.edit_line,
                self.edit_box, self.out_im, *contour, *self.scatters["train"],
                *self.scatters["test"], self.diverged_text, *self.ax_out.spines.values(),
                *self.loss_lines, self.title]

    def _background_key(self):
        return (self.out_title.get_text(), self.loss_title.get_text())   # drawn in the background

    def _update_network(self, m) -> None:
        t = self.tile
        maps = m.neuron_maps(t)
        self.canvas[...] = 0.0
        for c, layer in enumerate(maps):
            for r, mp in enumerate(layer):
                i, j = self.slots[c][r]
                self.canvas[i:i + t, j:j + t] = _unit_rgba(m, c, r, mp)[::-1]   # rows go down
        self.net_im.set_data(self.canvas)
        colors, widths = [], []
        for lin in m.linears():
            Wm = np.nan_to_num(lin.W.data)
            peak = np.abs(Wm).max() or 1.0
            colors += [POSITIVE if w >= 0 else NEGATIVE for w in Wm.ravel()]
            widths += list(0.3 + 2.2 * np.abs(Wm.ravel()) / peak)
        self.edges.set_color(colors)
        self.edges.set_linewidth(widths)
        self.edges.set_linestyle(["-" if c == POSITIVE else (0, (3, 1)) for c in colors])
        c, r = self._big_index(m)
        if (c, r) != (len(maps) - 1, 0):
            i, j = self.slots[c][r]
            self.big_frame.set_xy((j - 0.5, i - 0.5))
            self.big_frame.set_visible(True)
        else:
            self.big_frame.set_visible(False)
        edit = self.options["edit"]
        self.edit_line.set_data([], [])
        self.edit_box.set_visible(False)
        if edit is not None:
            layer, kind, i, j = edit
            if layer < len(self.centres) - 1 and j < len(self.centres[layer + 1]):
                xb, yb = self.centres[layer + 1][j]
                if kind == "W" and i < len(self.centres[layer]):
                    xa, ya = self.centres[layer][i]
                    self.edit_line.set_data([xa + t, xb], [ya, yb])
                elif kind == "b":
                    self.edit_box.set_xy((xb - 0.5, yb - t / 2 - 0.5))
                    self.edit_box.set_visible(True)

    def _big_index(self, m) -> tuple[int, int]:
        """(column, row) of the unit shown large; the output if the name is unknown."""
        big = self.options["big"]
        for c, col in enumerate(m.unit_names()):
            if big in col:
                return c, col.index(big)
        return len(m.hidden) + 1, 0

    def _update_output(self, m) -> None:
        ax, res = self.ax_out, self.resolution
        discrete = self.options["discretize"]
        c, r = self._big_index(m)
        last = c == len(m.hidden) + 1
        ok = not m.diverged
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        if last:
            out = m.output(m.grid(res))
            ok = ok and bool(np.all(np.isfinite(out)))
            if m.task == "classification":
                probs = out if m.classes > 2 else np.column_stack([1 - out, out])
                rgba = _class_rgba(probs.reshape(res, res, -1), class_colors(m), discrete)
                what = "class" if discrete else ("P(class 1)" if m.classes == 2 else
                                                 "P(class), coloured by class")
                if m.classes == 2 and ok and not discrete and out.min() < 0.5 < out.max():
                    tt = np.linspace(-m.extent, m.extent, res)
                    self.contour = ax.contour(tt, tt, out.reshape(res, res), levels=[0.5],
                                              colors=INK, linewidths=1.0)
            else:
                lim = _target_lim(m)
                v = out.reshape(res, res)
                rgba = _sign_rgba(np.sign(v) * lim if discrete else v, lim)
                what = "sign of the prediction" if discrete else "prediction"
            title = f"output: {what}"
        else:
            mp = m.neuron_maps(res)[c][r]
            rgba = _unit_rgba(m, c, r, mp, discrete)
            name = m.unit_names()[c][r]
            title = f"unit {FEATURE_LABELS.get(name, name)}" + (": sign" if discrete else
                                                               " (scaled to its max |value|)")
        self.out_im.set_data(rgba if ok else np.ones((2, 2, 4)))
        self.diverged_text.set_visible(not ok)
        for sc in self.scatters["test"]:
            sc.set_visible(bool(self.options["show_test"]))
        self.out_title.set_text(title)

    def _update_loss(self, m) -> None:
        ax = self.ax_loss
        peak = 0.0
        for line, key in zip(self.loss_lines, ("train", "test")):
            h = np.asarray(m.history[key], float)
            ep = np.arange(len(h))
            ok = np.isfinite(h)
            line.set_data(ep[ok], h[ok])
            line.set_marker("o" if len(h) <= 20 else "")     # epoch 0 is one dot
            peak = max(peak, float(h[ok].max()) if ok.any() else 0.0)
        low = min((float(np.nanmin(np.asarray(m.history[k], float)[np.isfinite(m.history[k])]))
                   for k in ("train", "test") if np.isfinite(m.history[k]).any()), default=1.0)
        # Limits move in "nice" steps, so the axes (ticks, labels) stay in the cached background
        # for most frames and only the curves are drawn again.
        steps = (1, 2, 5) if self.live else None
        right = _nice(max(1, m.epoch), steps) if self.live else max(1, m.epoch)
        if peak > 10:                                   # a blow-up: a log axis keeps it readable
            limits = ("log", max(low, 1e-6) * 0.8, _nice(peak * 1.25), right)
        else:
            limits = ("linear", 0.0, _nice(max(peak, 1e-3) * 1.05), right)
        if limits != getattr(self, "_loss_limits", None):
            self._loss_limits = limits
            ax.set_yscale(limits[0])
            ax.set_ylim(limits[1], limits[2])
            ax.set_xlim(-0.03 * limits[3], limits[3])  # epoch-0 dots not cut
            self.forget_background()                    # the axes changed: a full draw
        if m.task == "classification" and m.history["test_acc"] and not self.live:
            self.loss_title.set_text(f"loss · accuracy: train {m.history['train_acc'][-1]:.0%},"
                                     f"\ntest {m.history['test_acc'][-1]:.0%}")
        else:
            self.loss_title.set_text("loss")


def _nice(x: float, steps=None) -> float:
    """The smallest of `steps` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8), times a power of 10, >= x."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    k = 10.0 ** np.floor(np.log10(x))
    for m in (*(steps or (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)), 10):
        if m * k >= x * (1 - 1e-12):
            return float(m * k)
    return float(10 * k)


def plot_output_map(model: PlaygroundModel, ax=None, *, resolution: int = 40, legend: bool = True,
                    show_test: bool = True, discretize: bool = False):
    """The network's output over the plane with train (white edge) and test (black edge) points.

    Two classes: P(class 1) from orange (class 0) through white to blue (class 1), the 0.5
    boundary in black; three or more: the class colours mixed by probability; regression:
    the prediction by sign. Returns the Figure.
    """
    if ax is None:
        fig = figure(figsize=(3.6, 3.6))
        ax = fig.add_subplot()
    view = PlaygroundFigure.__new__(PlaygroundFigure)
    view.resolution, view.model, view.ax_out = resolution, model, ax
    view.options = dict(show_test=show_test, discretize=discretize, big="output", edit=None)
    view._build_output(model)
    view._update_output(model)
    if not legend:
        ax.get_legend().remove()
    return ax.figure


def plot_playground(model: PlaygroundModel, *, resolution: int = 40, dpi: int = 100,
                    show_test: bool = True, discretize: bool = False, big: str = "output",
                    edit=None):
    """The whole playground view: neuron maps | output (or one unit) map | loss (accuracy in its title).

    The static twin of `nl.widgets.playground`, which keeps one `PlaygroundFigure` and updates
    it in place on every tick. Options as in `PlaygroundFigure`.
    """
    return PlaygroundFigure(model, resolution=resolution, dpi=dpi, show_test=show_test,
                            discretize=discretize, big=big, edit=edit).fig
