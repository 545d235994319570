"""Figures for notebook 05 (backprop on a graph): a 2-2-1 network with every number written on it.

`plot_network_numbers` draws the tiny sigmoid network of `nl.course.network_numbers` (2 inputs,
2 hidden neurons, 1 output, squared error) as circles and arrows with the weights, each z and a
(forward) or each gradient (backward) written on it, in the style of the illustrated
tutorials. Its labels never collide: when the figure is drawn, each neuron's numbers shrink
until they fit inside it (then are written short) and each weight takes the first free spot
along its own arrow (`_PanelLabels`, with the placement of `labels.py`).
`plot_expression_graph` draws the graph of `nl.course.tiny_expression` with
`draw_graph` (in `value_graph.py`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from ..course.surfaces import tiny_expression
from ..course.worked_examples import network_numbers
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
from .style import EDGE, FILL, INK, TEXT, WHITE, figure, new_axes, sign_legend, sign_style
from .value_graph import draw_graph

__all__ = ["plot_network_numbers", "plot_expression_graph"]

def _fmt(v: float) -> str:
    """Numbers as the diagram shows them: 4 decimals, or scientific when tiny or huge."""
    v = float(v) + 0.0                                  # -0.0 -> 0.0: no "-0.0000"
    if not np.isfinite(v):
        return "nan"
    if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e4):
        return f"{v:.2e}"
    return f"{v:.4f}"


def _short(prefix: str, v: float) -> str:
    """The short wording of a number that does not fit at 4 decimals: w12=-0.3, z=1.2e6."""
    return prefix + short_number(v, minus="-")


_POS = {"x1": (0.0, 1.1), "x2": (0.0, -1.1), "h1": (3.0, 1.1), "h2": (3.0, -1.1),
        "o": (6.0, 0.0), "L": (8.1, 0.0)}
_R = 0.55      # node radius
_LOSS_W, _LOSS_H = 1.7, 1.0
MIN_FONT = 5.5          # edge labels are never shrunk below this (points)


def _edge(ax, a, b, prefix, value, frac, labels):
    """An arrow from node a to node b, coloured and dashed by the sign of `value`, labelled.

    The label is placed when the figure is drawn (`_PanelLabels`), along its own arrow."""
    (x0, y0), (x1, y1) = _POS[a], _POS[b]
    d = np.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / d, (y1 - y0) / d
    start, end = (x0 + _R * ux, y0 + _R * uy), (x1 - _R * ux, y1 - _R * uy)
    color, linestyle = sign_style(value)
    ax.annotate("", xy=end, xytext=start, zorder=1, arrowprops=dict(
        arrowstyle="-|>", color=color, mutation_scale=12,
        lw=1.0 + 1.5 * min(abs(value), 1.0) if np.isfinite(value) else 1.0,
        linestyle=linestyle, shrinkA=0, shrinkB=0))
    text = ax.text(*start, f"{prefix}={_fmt(value)}", ha="center", va="center", fontsize=8.5,
                   zorder=3, bbox=dict(boxstyle="round,pad=0.15", fc=WHITE, ec="none", alpha=0.9))
    labels.edges.append((text, start, end, frac, [text.get_text(), _short(f"{prefix}=", value)]))


def _node(ax, name, lines, fc, title, labels):
    """A circle with its lines of numbers inside (fitted when drawn) and its name above."""
    x, y = _POS[name]
    ax.add_patch(Circle((x, y), _R, fc=fc, ec=INK, lw=1.0, zorder=2))
    labels.fixed.append(ax.text(x, y + _R + 0.08, title, ha="center", va="bottom", fontsize=9,
                                weight="bold"))
    texts = [ax.text(x, y, text, ha="center", va="center", fontsize=8, family="monospace",
                     zorder=4) for text, _ in lines]
    labels.nodes.append((texts, (x, y), [[text for text, _ in lines],
                                         [short for _, short in lines]]))


class _PanelLabels:
    """The placement of one panel's labels (`labels.py`), run each time the figure is drawn.

    Each neuron's lines get the largest font size up to 8 pt at which they lie inside its
    circle (at 4 decimals if they fit from 6 pt on, else in their short form); the loss box's
    lines shrink to its width. The names, biases and headings stay where they are. Each edge's
    label takes the first free spot along its own arrow -- off the circles, the other labels
    and the crossings with other arrows, as near to its preferred spot as it can -- the most
    constrained label first; if one finds no free spot, every edge label is shrunk by 10 % and
    placed again (down to `MIN_FONT`), then written short.
    """

    def __init__(self, ax):
        self.ax = ax
        self.nodes = []      # [(texts, centre, [long lines, short lines])]
        self.edges = []      # [(text, start, end, preferred t, [long, short])]
        self.fixed = []      # names, biases, headings: obstacles
        self.boxed = []      # [(texts, (x0, y0, x1, y1))] inside the loss box

    def __call__(self, renderer):
        ax = self.ax
        to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
        r_px = abs(to_px((_R, 0.0))[0] - to_px((0.0, 0.0))[0])
        space = Space(circle_margin=1.0)
        for texts, centre, variants in self.nodes:
            c = to_px(centre)
            space.add_circle(c[0], c[1], r_px)
            if not fit_in_circle(texts, c, r_px - 1.5, renderer, size=8, min_size=6,
                                 variants=variants[:1], gap=3.0, to_data=to_data):
                fit_in_circle(texts, c, r_px - 1.5, renderer, size=8, min_size=1.0,
                              variants=variants[1:], gap=3.0, to_data=to_data)
        for texts, rect in self.boxed:
            (x0, y0), (x1, y1) = to_px([rect[:2], rect[2:]])
            for t in texts:
                fit_in_box(t, renderer, 0.92 * abs(x1 - x0), size=8)
            space.add_rect([x0, y0, x1, y1])
        for t in self.fixed:
            space.add_rect(text_rect(t, renderer, 1.0))
        if ax.get_legend() is not None:                    # the sign legend of the first panel
            b = ax.get_legend().get_window_extent(renderer)
            space.add_rect([b.x0, b.y0, b.x1, b.y1])
        for texts, _, _ in self.nodes:
            for t in texts:
                space.add_rect(text_rect(t, renderer, 0.5))
        base = space.rects
        segments = np.array([to_px([a, b]) for _, a, b, _, _ in self.edges]).reshape(-1, 2, 2)
        segments = np.concatenate([segments, to_px(self.loss_arrow).reshape(1, 2, 2)])
        for wording in (0, 1):
            scale = 1.0
            while True:
                space.rects = base
                placer = Placer(space, to_data, renderer)
                for n, (t, _, _, frac, variants) in enumerate(self.edges):
                    t.set_text(variants[wording])
                    t.set_fontsize(8.5 * scale)
                    w, h = text_size(t, renderer, 1.5)
                    centers = along_edge(*segments[n], w, h, prefer=frac, t_range=(0.04, 0.86),
                                         steps=41, slide=0.5,
                                         others=np.delete(segments, n, axis=0))
                    placer.add([t], centers, margin=1.5)
                failed = placer.place(stop=wording == 0)
                if not failed or 8.5 * scale * 0.9 < MIN_FONT:
                    break
                scale *= 0.9
            if not failed:
                return


def _draw_panel(ax, n: dict, grads: bool) -> None:
    ax.set_xlim(-0.75, 9.0)
    ax.set_ylim(-2.2, 2.05)
    ax.set_aspect("equal")
    ax.axis("off")
    labels = _PanelLabels(ax)
    in_fc, hid_fc, out_fc = FILL["input"], FILL["node"], FILL["param"]
    # edges: weights (forward) or dL/dw (backward); labels near the source so crossing edges stay apart
    W1, W2 = (n["dW1"], n["dW2"]) if grads else (n["W1"], n["W2"])
    pre = "∂w" if grads else "w"
    for i in range(2):
        for j in range(2):
            frac = 0.5 if i == j else 0.3
            _edge(ax, f"x{i + 1}", f"h{j + 1}", f"{pre}{i + 1}{j + 1}", W1[i, j], frac, labels)
        _edge(ax, f"h{i + 1}", "o", f"{'∂v' if grads else 'v'}{i + 1}", W2[i], 0.45, labels)
    # the loss box
    lx, ly = _POS["L"]
    labels.loss_arrow = [(_POS["o"][0] + _R, 0), (lx - _LOSS_W / 2, ly)]
    ax.annotate("", xy=labels.loss_arrow[1], xytext=labels.loss_arrow[0], zorder=1,
                arrowprops=dict(arrowstyle="-|>", color=EDGE, lw=1.0, mutation_scale=12))
    ax.add_patch(FancyBboxPatch((lx - _LOSS_W / 2, ly - _LOSS_H / 2), _LOSS_W, _LOSS_H,
                                boxstyle="round,pad=0.05", fc=WHITE, ec=INK, lw=1.6, zorder=2))
    if grads:
        box = ["∂L/∂L = 1", f"∂L/∂a={_fmt(n['dL_da2'])}", "= 2(a−t)"]
    else:
        box = [f"t = {_fmt(n['target'])}", f"L={_fmt(n['L'])}", "= (a−t)²"]
    labels.fixed.append(ax.text(lx, ly + 0.5 + 0.12, "loss", ha="center", va="bottom",
                                fontsize=9, weight="bold"))
    texts = [ax.text(lx, ly + (1 - i) * 0.28, text, ha="center", va="center", fontsize=8,
                     family="monospace", zorder=4) for i, text in enumerate(box)]
    labels.boxed.append((texts, (lx - _LOSS_W / 2, ly - _LOSS_H / 2, lx + _LOSS_W / 2,
                                 ly + _LOSS_H / 2)))
    # nodes
    for i in range(2):
        xi = n["x"][i]
        _node(ax, f"x{i + 1}", [(f"x{i + 1}", f"x{i + 1}"), (_fmt(xi), _short("", xi))], in_fc,
              f"input {i + 1}", labels)
        if grads:
            lines = [("∂a=", n["dL_da1"][i]), ("∂z=", n["dL_dz1"][i])]
            bias = f"∂b{i + 1} = {_fmt(n['db1'][i])}"
        else:
            lines = [("z=", n["z1"][i]), ("a=", n["a1"][i])]
            bias = f"b{i + 1} = {_fmt(n['b1'][i])}"
        _node(ax, f"h{i + 1}", [(p + _fmt(v), _short(p, v)) for p, v in lines], hid_fc,
              f"hidden {i + 1}", labels)
        hx, hy = _POS[f"h{i + 1}"]
        labels.fixed.append(ax.text(hx, hy - _R - 0.1, bias, ha="center", va="top", fontsize=8,
                                    color=TEXT))
    if grads:
        lines, bias = [("∂a=", n["dL_da2"]), ("∂z=", n["dL_dz2"])], f"∂c = {_fmt(n['db2'])}"
    else:
        lines, bias = [("z=", n["z2"]), ("a=", n["a2"])], f"c = {_fmt(n['b2'])}"
    _node(ax, "o", [(p + _fmt(v), _short(p, v)) for p, v in lines], out_fc, "output", labels)
    labels.fixed.append(ax.text(_POS["o"][0], -_R - 0.1, bias, ha="center", va="top",
                                fontsize=8, color=TEXT))
    title = ("Backward: every ∂ is ∂L/∂(that quantity)" if grads
             else "Forward: z = Σ w·input + b,  a = σ(z)")
    ax.set_title(title, fontsize=10, loc="left")
    ax.add_artist(LabelLayout(labels))


def plot_network_numbers(x=None, target=None, W1=None, b1=None, W2=None, b2=None, *,
                         show: str = "both", axes=None):
    """Draw the 2-2-1 network with every number of its forward and/or backward pass on it.

    Forward panel: each edge carries its weight (w_ij from input i to hidden j, v_j from
    hidden j to the output), each neuron its z and a = sigmoid(z), each bias is written below
    its neuron, and the loss box shows t and L. Backward panel: the same places carry
    dL/d(that quantity). Edge colour *and* dash show the sign (blue solid >= 0, orange
    dashed < 0, as in every figure of the series); width grows with the size. Values default
    to `nl.course.TINY_NET`.

    show : "forward", "backward" or "both" (forward above backward).
    axes : optional Axes (one per panel) to draw into; otherwise a new Figure is made.
    Returns the Figure.
    """
    if show not in ("forward", "backward", "both"):
        raise ValueError(f"plot_network_numbers: show must be 'forward', 'backward' or 'both', "
                         f"got {show!r}")
    n = network_numbers(x, target, W1, b1, W2, b2)
    panels = [False, True] if show == "both" else [show == "backward"]
    if axes is None:
        fig = figure(figsize=(7.2, 3.3 * len(panels)))
        axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    axes = list(np.atleast_1d(axes))
    if len(axes) != len(panels):
        raise ValueError(f"plot_network_numbers: need {len(panels)} axes for show={show!r}, "
                         f"got {len(axes)}")
    for ax, grads in zip(axes, panels):
        _draw_panel(ax, n, grads)
    sign_legend(axes[0], what="w" if not panels[0] else "∂w", loc="lower right")
    return axes[0].figure


def plot_expression_graph(a: float = 2.0, b: float = -3.0, c: float = 10.0, f: float = -2.0, *,
                          show_grad: bool = True, ax=None):
    """Draw the graph of L = (a*b + c) * f with data (and, after backward, grad) on every node.

    The static twin of `nl.widgets.expression_explorer`; `draw_graph` does the drawing, in an
    untracked Figure so widgets can redraw it without piling up pyplot figures (or into `ax`,
    about 8.6 x 2.8 in). Returns the Figure.
    """
    L = tiny_expression(a, b, c, f)
    if show_grad:
        L.backward()
    _, ax = new_axes(ax, figsize=(8.6, 2.8), layout="none", rect=(0, 0, 1, 1))
    return draw_graph(L, ax=ax, show_grad=show_grad)
