"""Pictures of a small dense network: every weight an edge, every number written on it.

`plot_network` draws a `Sequential` of `Linear` layers (and activations) as circles and edges:
an edge's colour *and* line style give the weight's sign, its width the weight's size, and for
small networks the value itself is printed on it. With an input `x` the nodes show what each
neuron computes. `plot_matmul` draws the same layer as the matrix product `x @ W + b`.

Labels never collide: the numbers are placed when the figure is drawn (`_NetworkLabels`, with
the placement of `labels.py`), with the text sizes the renderer measures. Each weight's label slides along its own edge to the first spot
where it touches no node, no other label and no bias; each node's value shrinks until it fits
inside its circle, whatever the value.
Used by notebook 06 (layers and the forward pass) and the `network_editor` widget.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, Rectangle

from ..course.probes import _node_names, dense_layers
from ..layers import sigmoid
from .labels import (
    LabelLayout,
    Placer,
    Space,
    along_edge,
    fit_in_box,
    fit_in_circle,
    short_number,
    text_rect,
    text_size,
)
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


def _short_number(v: float, plus: bool = False) -> str:
    """`v` in two significant digits, the exponent written short: 0.96, -0.084, 1.2e3."""
    return short_number(v, plus=plus, minus="-")


class _NetworkLabels:
    """The placement of a network's labels (`labels.py`), run each time the figure is drawn.

    - each node label (value or name) gets the largest font size up to its own at which it
      lies inside its circle, and each layer's heading the largest that fits its column;
    - each edge label may sit anywhere along its own edge between the two circles: it takes
      the first *free* spot (its box, with a margin, meets no circle, no fixed label -- biases,
      names, headings -- and no edge label placed before it) in the order: crossed by the fewest
      other edges (a label on a crossing would be ambiguous), then nearest to its preferred
      spot (staggered by source node). The labels of one pair of layers are placed together,
      the most constrained first; if one finds no free spot, all of that pair are shrunk by
      10 % and placed again (down to `MIN_FONT`).
    """

    MIN_FONT = 4.5          # edge labels are never shrunk below this (points)
    STEPS = 41              # candidate positions along each edge

    def __init__(self, ax, circles, node_texts, edge_labels, fixed_texts, headers=(), column=1.0):
        self.ax = ax
        self.headers, self.column = list(headers), column   # headings share the column spacing
        self.circles = circles                # [(cx, cy, r)] in data units
        self.node_texts = node_texts          # [(Text, circle index)]
        self.edge_labels = edge_labels        # [(Text, (x0, y0), (x1, y1), preferred t, group)]
        self.fixed_texts = fixed_texts        # [Text]
        self.base_sizes = {id(t): t.get_fontsize()
                           for t in [t for t, *_ in node_texts + edge_labels] + self.headers}

    def __call__(self, renderer):
        to_px, to_data = self.ax.transData.transform, self.ax.transData.inverted().transform
        pt = renderer.points_to_pixels(1.0)                       # pixels per point
        circles = np.array([[*to_px((cx, cy)), abs(to_px((cx + r, cy))[0] - to_px((cx, cy))[0])]
                            for cx, cy, r in self.circles]).reshape(-1, 3)
        for t, c in self.node_texts:                              # values inside their circles
            fit_in_circle([t], circles[c][:2], 0.86 * circles[c][2] - 1.0, renderer,
                          size=self.base_sizes[id(t)], min_size=1.0, to_data=to_data)
        column = abs(to_px((self.column, 0.0))[0] - to_px((0.0, 0.0))[0])
        for t in self.headers:                                    # headings narrower than a column
            fit_in_box(t, renderer, 0.92 * column, size=self.base_sizes[id(t)])
        space = Space(circle_margin=0.5 * pt)
        for x, y, r in circles:
            space.add_circle(x, y, r)
        for t in self.fixed_texts:
            if t.get_visible() and t.get_text():
                space.add_rect(text_rect(t, renderer, 1.0 * pt))
        for t, _ in self.node_texts:
            space.add_rect(text_rect(t, renderer, 0.5 * pt))
        lines = np.array([to_px([p0, p1]) for _, p0, p1, _, _ in self.edge_labels]).reshape(-1, 2, 2)
        groups = {}
        for n, label in enumerate(self.edge_labels):
            groups.setdefault(label[4], []).append(n)
        for members in groups.values():
            self._place_group(members, renderer, space, lines, to_data, pt)

    def _place_group(self, members, renderer, space, lines, to_data, pt):
        base = space.rects
        scale = 1.0
        while True:
            space.rects = base
            placer = Placer(space, to_data, renderer)
            for n in members:
                t, _p0, _p1, t_pref, _ = self.edge_labels[n]
                t.set_fontsize(self.base_sizes[id(t)] * scale)
                margin = 0.2 * t.get_fontsize() * pt
                w, h = text_size(t, renderer, margin)
                centers = along_edge(lines[n, 0], lines[n, 1], w, h, prefer=t_pref,
                                     steps=self.STEPS, others=np.delete(lines, n, axis=0))
                placer.add([t], centers, margin=margin)
            failed = placer.place()
            if not failed or self.base_sizes[id(self.edge_labels[members[0]][0])] * scale * 0.9 \
                    < self.MIN_FONT:
                return
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
                if show_values:                                # placed at draw time: _NetworkLabels
                    t_pref = 0.27 + 0.46 * (i / (W.shape[0] - 1) if W.shape[0] > 1 else 0.5)
                    text = ax.text(x0, y0, _short_number(W[i, j], plus=True),
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
                    k * dx, y - r - 0.1, f"b={_short_number(b, plus=True)}", ha="center", va="top",
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
    ax.add_artist(LabelLayout(_NetworkLabels(ax, circles, node_texts, edge_labels,
                                             fixed_texts + headers, headers, dx)))
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
