"""Pictures of a small dense network: every weight an edge, every number written on it.

`plot_network` draws a `Sequential` of `Linear` layers (and activations) as circles and edges:
an edge's colour *and* line style give the weight's sign, its width the weight's size, and for
small networks the value itself is printed on it. With an input `x` the nodes show what each
neuron computes. `plot_matmul` draws the same layer as the matrix product `x @ W + b`.

Labels never collide: the numbers are placed when the figure is drawn (`_LabelPlacer`), with the
text sizes the renderer measures. Each weight's label slides along its own edge to the first spot
where it touches no node, no other label and no bias; each node's value shrinks until it fits
inside its circle, whatever the value.
Used by notebook 06 (layers and the forward pass) and the `network_editor` widget.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.patches import Circle, Rectangle

from ..course.probes import _node_names, dense_layers
from ..layers import sigmoid
from .style import (
    INK,
    NEUTRAL,
    TEXT,
    WHITE,
    YELLOW,
    figure,
    new_axes,
    sign_cmap,
    sign_legend,
    sign_style,
)

__all__ = ["plot_network", "plot_network_map", "plot_matmul"]

MAX_LABELLED_EDGES = 16          # per pair of layers; above that the numbers would collide


def _forward_values(layers, x):
    """Node values for one input: inputs, each hidden layer after its activation, raw outputs."""
    a = np.asarray(x, dtype=float).reshape(1, -1)
    values = [a[0]]
    for lin, act in layers:
        z = a @ lin.W.data + lin.b.data                     # (1, D_out)
        a = _ACT[act](z) if act else z
        values.append(a[0])
    return values


def _short_number(v: float, fmt: str = ".2g") -> str:
    """`v` in two significant digits, the exponent written short: 0.96, -0.084, 1.2e3."""
    text = format(float(v), fmt)
    mant, e, exp = text.partition("e")
    return f"{mant}e{int(exp)}" if e else text


class _LabelPlacer(Artist):
    """An invisible artist that lays out a network's labels each time the figure is drawn.

    It is drawn first (lowest zorder), when the axes' final size is known, and moves the
    `Text`s it was given before they are drawn:

    - each node label (value or name) gets the largest font size up to its own that fits inside
      its circle (the corners of its text box within the radius), and each layer's heading the
      largest that fits between the neighbouring columns;
    - each edge label may sit anywhere along its own edge between the two circles. Among the
      *free* positions -- its box, with a margin, meets no circle, no fixed label (biases, names,
      headings) and no edge label placed before it -- it takes the one crossed by the fewest
      other edges (a label on a crossing would be ambiguous), then the one nearest to its
      preferred position (staggered by source node). If some label finds no free position, all
      labels of that pair of layers are shrunk by 10 % and placed again.
    """

    MIN_FONT = 4.5          # edge labels are never shrunk below this (points)
    STEPS = 41              # candidate positions along each edge

    def __init__(self, ax, circles, node_texts, edge_labels, fixed_texts, headers=(), column=1.0):
        super().__init__()
        self.ax = ax
        self.headers, self.column = list(headers), column   # headings share the column spacing
        self.circles = circles                # [(cx, cy, r)] in data units
        self.node_texts = node_texts          # [(Text, circle index)]
        self.edge_labels = edge_labels        # [(Text, (x0, y0), (x1, y1), preferred t, group)]
        self.fixed_texts = fixed_texts        # [Text]
        self.base_sizes = {id(t): t.get_fontsize()
                           for t in [t for t, *_ in node_texts + edge_labels] + self.headers}
        self.set_zorder(-100)
        self.set_in_layout(False)

    @staticmethod
    def _box(t, renderer, pad_px):
        b = t.get_window_extent(renderer)
        return np.array([b.x0 - pad_px, b.y0 - pad_px, b.x1 + pad_px, b.y1 + pad_px])

    def draw(self, renderer):
        if not self.get_visible():
            return
        to_px = self.ax.transData.transform
        pt = renderer.points_to_pixels(1.0)                       # pixels per point
        circles = []
        for cx, cy, r in self.circles:
            (x, y), (xr, _) = to_px([(cx, cy), (cx + r, cy)])
            circles.append((x, y, abs(xr - x)))
        circles = np.array(circles).reshape(-1, 3)
        for t, c in self.node_texts:                              # values inside their circles
            size = self.base_sizes[id(t)]
            t.set_fontsize(size)
            r_in = 0.86 * circles[c][2] - 1.0                     # leave the rim's line free
            for _ in range(12):
                b = t.get_window_extent(renderer)
                half_diag = 0.5 * np.hypot(b.width, b.height)
                if half_diag <= r_in or size < 1.0:
                    break
                size *= max(0.5, 0.97 * r_in / half_diag)
                t.set_fontsize(size)
        (c0, _), (c1, _) = to_px([(0.0, 0.0), (self.column, 0.0)])
        for t in self.headers:                                    # headings narrower than a column
            t.set_fontsize(self.base_sizes[id(t)])
            width = t.get_window_extent(renderer).width
            if width > 0.92 * abs(c1 - c0):
                t.set_fontsize(self.base_sizes[id(t)] * 0.92 * abs(c1 - c0) / width)
        obstacles = [self._box(t, renderer, 1.0 * pt) for t in self.fixed_texts
                     if t.get_visible() and t.get_text()]
        obstacles += [self._box(t, renderer, 0.5 * pt) for t, _ in self.node_texts]
        lines = np.array([to_px([p0, p1]) for _, p0, p1, _, _ in self.edge_labels]).reshape(-1, 2, 2)
        samples = lines[:, :1] + np.linspace(0, 1, 40)[None, :, None] * (lines[:, 1:] - lines[:, :1])
        groups = {}
        for n, label in enumerate(self.edge_labels):
            groups.setdefault(label[4], []).append(n)
        for members in groups.values():
            obstacles += self._place_group(members, renderer, circles, obstacles, samples, pt)

    def _place_group(self, members, renderer, circles, obstacles, samples, pt):
        ts = np.linspace(0.0, 1.0, self.STEPS)
        scale = 1.0
        while True:
            boxes, stuck = [], False
            for n in members:
                t, p0, p1, t_pref, _ = self.edge_labels[n]
                t.set_fontsize(self.base_sizes[id(t)] * scale)
                t.set_position(p0)
                (x0, y0), (x1, y1) = samples[n, 0], samples[n, -1]
                pad = (0.12 + 0.2) * t.get_fontsize() * pt          # the white box + a margin
                box0 = self._box(t, renderer, pad) - [x0, y0, x0, y0]
                centres = np.column_stack([x0 + ts * (x1 - x0), y0 + ts * (y1 - y0)])
                cand = box0 + np.tile(centres, 2)                   # (STEPS, 4): x0, y0, x1, y1
                near = np.clip(circles[None, :, :2], cand[:, None, :2], cand[:, None, 2:])
                hits_circle = (((near - circles[None, :, :2]) ** 2).sum(-1)
                               < circles[None, :, 2] ** 2).any(1)
                others = np.array(obstacles + boxes).reshape(-1, 4)
                hits = ((cand[:, None, 0] < others[None, :, 2]) & (others[None, :, 0] < cand[:, None, 2])
                        & (cand[:, None, 1] < others[None, :, 3]) & (others[None, :, 1] < cand[:, None, 3])
                        ).sum(1)
                pts = np.delete(samples, n, axis=0).reshape(-1, 40, 2)
                inside = ((pts[None, :, :, 0] > cand[:, None, None, 0]) & (pts[None, :, :, 0] < cand[:, None, None, 2])
                          & (pts[None, :, :, 1] > cand[:, None, None, 1]) & (pts[None, :, :, 1] < cand[:, None, None, 3]))
                crossings = inside.any(2).sum(1)
                ok = ~hits_circle & (hits == 0)
                if ok.any():
                    key = np.where(ok, crossings * 10.0 + np.abs(ts - t_pref), np.inf)
                else:                                               # no free spot at this size
                    stuck = True
                    key = np.where(hits_circle, np.inf, hits * 100.0 + np.abs(ts - t_pref))
                    if np.isinf(key).all():
                        key = np.abs(ts - t_pref)
                k = int(np.argmin(key))
                boxes.append(cand[k])
                t.set_position((p0[0] + ts[k] * (p1[0] - p0[0]), p0[1] + ts[k] * (p1[1] - p0[1])))
            if not stuck or self.base_sizes[id(self.edge_labels[members[0]][0])] * scale * 0.9 < self.MIN_FONT:
                return boxes
            scale *= 0.9


_ACT = {
    "ReLU": lambda z: np.maximum(z, 0), "Tanh": np.tanh, "Identity": lambda z: z,
    "Sigmoid": sigmoid,
    "LeakyReLU": lambda z: np.where(z > 0, z, 0.01 * z),
}


def _edge_style(w, wmax):
    """Sign shown twice (colour and line style), so the picture survives grey-scale printing."""
    color, ls = (NEUTRAL, ":") if abs(w) < 1e-12 else sign_style(w)
    width = 0.6 + 4.0 * min(abs(w) / wmax, 1.0)
    return color, ls, width


def plot_network(model, ax=None, *, x=None, show_values: bool = True, highlight=None,
                 wmax: float | None = None, title: str | None = None,
                 input_names=None, output_names=None):
    """Draw a small dense network; returns the Figure.

    Parameters
    ----------
    model : a `Linear` or a `Sequential` of Linear layers and activations.
    x : optional single input (D_in,); the nodes then show its value at every neuron
        (hidden neurons after their activation, outputs as raw scores).
    show_values : print each weight on its edge and each bias under its neuron (only when every
        pair of layers has at most 16 edges; bigger networks show sign and size only).
    highlight : a key from `list_weights` to mark (the widget's selected weight).
    wmax : the |weight| drawn with the widest line (default: the largest in the model); fix it
        when comparing pictures, so a line's width means the same in all of them.
    input_names, output_names : what the inputs and outputs are (e.g. ["x1²", "x2²"] when the
        inputs are features, ["z"] for a raw score); default x1, x2, ... and y1, y2, ...
    """
    layers = dense_layers(model)
    sizes = [layers[0][0].in_features] + [lin.out_features for lin, _ in layers]
    if wmax is None:
        wmax = max(float(np.max(np.abs(lin.W.data))) for lin, _ in layers) or 1.0
    values = _forward_values(layers, x) if x is not None else None
    names = _node_names(sizes)
    for k, given in ((0, input_names), (len(sizes) - 1, output_names)):
        if given is not None:
            if len(given) != sizes[k]:
                raise ValueError(f"plot_network: {len(given)} {'input' if k == 0 else 'output'} "
                                 f"name(s) {list(given)} for {sizes[k]} node(s)")
            names[k] = [str(n) for n in given]
    small = max(a * b for a, b in zip(sizes[:-1], sizes[1:])) <= MAX_LABELLED_EDGES
    show_values = show_values and small
    gap = 1.25 if show_values else 1.0                       # vertical distance of neurons
    dx = max(1.0, 0.3 * max(sizes))                           # horizontal distance of layers
    ys = [gap * (np.arange(n)[::-1] - (n - 1) / 2) for n in sizes]  # node heights, centred at 0
    top = gap * (max(sizes) - 1) / 2 + 0.45
    bottom = -gap * (max(sizes) - 1) / 2 - 0.6
    inch = 1.2 if max(sizes) <= 4 else 3.6 / (top - bottom)
    fig, ax = new_axes(ax, figsize=(inch * (dx * (len(sizes) - 1) + 1.2),
                                    inch * (top + 0.55 - bottom) + 0.3))
    r = 0.2
    circles, node_texts, edge_labels, fixed_texts, headers = [], [], [], [], []
    for k, (lin, _act) in enumerate(layers):
        W = lin.W.data
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                color, ls, lw = _edge_style(W[i, j], wmax)
                x0, y0, x1, y1 = k * dx, ys[k][i], (k + 1) * dx, ys[k + 1][j]
                hl = highlight == ("W", k, i, j)
                if hl:
                    ax.plot([x0, x1], [y0, y1], color=YELLOW, lw=lw + 7, alpha=0.8,
                            solid_capstyle="round", zorder=1)
                ax.plot([x0, x1], [y0, y1], color=color, ls=ls, lw=lw, zorder=2)
                if show_values:                                # placed at draw time: _LabelPlacer
                    t_pref = 0.27 + 0.46 * (i / (W.shape[0] - 1) if W.shape[0] > 1 else 0.5)
                    text = ax.text(x0, y0, _short_number(W[i, j], "+.2g"),
                                   ha="center", va="center", fontsize=8, color=color,
                                   fontweight="bold" if hl else "normal", zorder=4,
                                   bbox=dict(boxstyle="round,pad=0.12", fc="white",
                                             ec="black" if hl else "none", lw=0.8))
                    edge_labels.append((text, (x0, y0), (x1, y1), t_pref, k))
    for k, n in enumerate(sizes):
        for i in range(n):
            y = ys[k][i]
            ax.add_patch(Circle((k * dx, y), r, fc=WHITE, ec=INK, lw=1.2, zorder=5))
            circles.append((k * dx, y, r))
            inside = names[k][i] if values is None else _short_number(values[k][i])
            if not small and values is None:
                continue                                       # too crowded for names
            text = ax.text(k * dx, y, inside, ha="center", va="center",
                           fontsize=8 if values is None else 7.5, zorder=6)
            node_texts.append((text, len(circles) - 1))
            if values is not None and (k == 0 or k == len(sizes) - 1):
                side = -1 if k == 0 else 1
                fixed_texts.append(ax.text(k * dx + side * (r + 0.06), y, names[k][i],
                                           ha="right" if k == 0 else "left", va="center",
                                           fontsize=8, color=TEXT, zorder=6))
            if k > 0 and show_values:
                b = layers[k - 1][0].b.data[i]
                hl = highlight == ("b", k - 1, i)
                fixed_texts.append(ax.text(
                    k * dx, y - r - 0.1, f"b={_short_number(b, '+.2g')}", ha="center", va="top",
                    fontsize=7.5, color=TEXT, zorder=6, fontweight="bold" if hl else "normal",
                    bbox=dict(boxstyle="round,pad=0.12", fc=YELLOW if hl else WHITE, ec="none",
                              alpha=0.9)))
    for k in range(len(sizes)):
        if k == 0:
            head = f"input ({sizes[0]})"
        elif k == len(sizes) - 1:
            head = f"output ({sizes[k]})"
        else:
            head = f"hidden {k} ({sizes[k]})\n{layers[k - 1][1] or 'linear'}"
        headers.append(ax.text(k * dx, top, head, ha="center", va="bottom", fontsize=8.5))
    ax.add_artist(_LabelPlacer(ax, circles, node_texts, edge_labels, fixed_texts + headers,
                               headers, dx))
    ax.set_xlim(-0.6, dx * (len(sizes) - 1) + 0.6)
    ax.set_ylim(bottom, top + 0.55)
    ax.set_aspect("equal")
    ax.axis("off")
    sign_legend(ax, what="weight", loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2)
    if title:
        ax.set_title(title)
    return fig


def plot_matmul(x, W, b, ax=None, *, decimals: int = 2):
    """Draw z = x @ W + b as coloured grids with every entry written in; returns the Figure.

    Each row of x is one example, each column of W one neuron, so z[n, j] is the weighted sum
    of row n of x with column j of W, plus b[j]. The shapes under the grids show why the inner
    sizes must agree: (N, D_in) @ (D_in, D_out) -> (N, D_out). Colours use the sign map
    centred at 0 (blue positive, orange negative, like the edges of `plot_network`).
    """
    x, W, b = np.atleast_2d(x), np.asarray(W, float), np.asarray(b, float).reshape(1, -1)
    if x.shape[1] != W.shape[0] or b.shape[1] != W.shape[1]:
        raise ValueError(f"plot_matmul: shapes do not fit: x {x.shape}, W {W.shape}, b {b.shape}")
    z = x @ W + b
    mats = [("x", x), ("@", None), ("W", W), ("+", None), ("b", b), ("=", None), ("z", z)]
    vmax = max(float(np.max(np.abs(m))) for _, m in mats if m is not None) or 1.0
    cmap = sign_cmap()                                       # positive = blue side
    height = max(x.shape[0], W.shape[0])
    width = sum(m.shape[1] if m is not None else 0.8 for _, m in mats)
    fig, ax = new_axes(ax, figsize=(min(0.55 * width + 0.6, 9.0), 0.5 * height + 1.0))
    left = 0.0
    for name, m in mats:
        if m is None:
            ax.text(left + 0.4, height / 2, name, ha="center", va="center", fontsize=14)
            left += 0.8
            continue
        rows, cols = m.shape
        top = (height + rows) / 2
        for r in range(rows):
            for c in range(cols):
                v = m[r, c]
                ax.add_patch(Rectangle((left + c, top - r - 1), 1, 1, fc=cmap(0.5 + 0.5 * v / vmax),
                                       ec="white", lw=1.5))
                ax.text(left + c + 0.5, top - r - 0.5, f"{round(v, decimals):g}", ha="center",
                        va="center", fontsize=8, color="white" if abs(v) > 0.6 * vmax else "black")
        shape = f"({cols},)" if name == "b" else f"({rows}, {cols})"
        ax.text(left + cols / 2, (height - rows) / 2 - 0.15, f"{name}\n{shape}", ha="center",
                va="top", fontsize=9)
        left += cols
    ax.set_xlim(-0.1, left + 0.1)
    ax.set_ylim(-1.1, height + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def plot_network_map(model, X, y=None, *, x=None, highlight=None, wmax: float | None = None,
                     resolution: int = 50, axes=None):
    """The diagram of `model` next to its decision map: what the weights are, and what they do.

    Left: `plot_network` (with input `x` pushed through it, if given). Right: the model's
    output over the plane (`plot_decision_map`) with the data and `x` marked by a star. The
    static twin of the `network_editor` widget of notebook 06; returns the Figure. Pass
    `axes=(ax_net, ax_map)` to draw into a figure of your own (e.g. from `plt.subplots`).
    """
    from .common import plot_decision_map

    if axes is None:
        layers = dense_layers(model)
        tallest = max([layers[0][0].in_features] + [lin.out_features for lin, _ in layers])
        height = 3.4 + 1.1 * max(0, tallest - 2)               # 3 or 4 neurons a layer: taller
        fig = figure(figsize=(7.6, height), layout="none")    # fixed margins: redraws in ~0.15 s
        ax_net, ax_map = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
        fig.subplots_adjust(left=0.01, right=0.98, top=1 - 0.27 / height,
                            bottom=0.75 / height, wspace=0.12)
    else:
        ax_net, ax_map = axes
        fig = ax_net.figure
    plot_network(model, ax=ax_net, x=x, highlight=highlight, wmax=wmax)
    with np.errstate(over="ignore", invalid="ignore"):
        plot_decision_map(model.forward, X, y, ax=ax_map, resolution=resolution)
    if x is not None:
        ax_map.plot(*np.asarray(x, float).reshape(2), marker="*", markersize=15, color=YELLOW,
                    markeredgecolor="black", linestyle="none", label="input x", zorder=5)
    ax_map.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8,
                  handletextpad=0.2, columnspacing=0.8)
    ax_map.set_title("decision map: P(class 1)", fontsize=10)
    return fig
