"""Figures for notebook 05 (backprop on a graph): a 2-2-1 network with every number written on it.

`plot_network_numbers` draws the tiny sigmoid network of `nl.course.network_numbers` (2 inputs,
2 hidden neurons, 1 output, squared error) as circles and arrows with the weights, each z and a
(forward) or each gradient (backward) written on it, in the style of the illustrated
tutorials. `plot_expression_graph` draws the graph of `nl.course.tiny_expression` with
`draw_graph` (in `value_graph.py`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from ..course.surfaces import tiny_expression
from ..course.worked_examples import network_numbers
from .style import EDGE, FILL, INK, TEXT, WHITE, figure, new_axes, sign_legend, sign_style
from .value_graph import draw_graph

__all__ = ["plot_network_numbers", "plot_expression_graph"]

def _fmt(v: float) -> str:
    """Numbers as the diagram shows them: 4 decimals, or scientific when tiny or huge."""
    v = float(v)
    if not np.isfinite(v):
        return "nan"
    if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e4):
        return f"{v:.2e}"
    return f"{v:.4f}"


_POS = {"x1": (0.0, 1.1), "x2": (0.0, -1.1), "h1": (3.0, 1.1), "h2": (3.0, -1.1),
        "o": (6.0, 0.0), "L": (8.1, 0.0)}
_R = 0.55      # node radius


def _edge(ax, a, b, label, value, frac):
    """An arrow from node a to node b, coloured and dashed by the sign of `value`, labelled."""
    (x0, y0), (x1, y1) = _POS[a], _POS[b]
    d = np.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / d, (y1 - y0) / d
    start, end = (x0 + _R * ux, y0 + _R * uy), (x1 - _R * ux, y1 - _R * uy)
    color, linestyle = sign_style(value)
    ax.annotate("", xy=end, xytext=start, zorder=1, arrowprops=dict(
        arrowstyle="-|>", color=color, mutation_scale=12,
        lw=1.0 + 1.5 * min(abs(value), 1.0) if np.isfinite(value) else 1.0,
        linestyle=linestyle, shrinkA=0, shrinkB=0))
    lx, ly = start[0] + frac * (end[0] - start[0]), start[1] + frac * (end[1] - start[1])
    ax.text(lx, ly, label, ha="center", va="center", fontsize=8.5, zorder=3,
            bbox=dict(boxstyle="round,pad=0.15", fc=WHITE, ec="none", alpha=0.9))


def _node(ax, name, lines, fc, title):
    x, y = _POS[name]
    ax.add_patch(Circle((x, y), _R, fc=fc, ec=INK, lw=1.0, zorder=2))
    ax.text(x, y + _R + 0.08, title, ha="center", va="bottom", fontsize=9, weight="bold")
    step = 0.26
    for i, text in enumerate(lines):
        ax.text(x, y + ((len(lines) - 1) / 2 - i) * step, text, ha="center", va="center",
                fontsize=8, family="monospace", zorder=4)


def _draw_panel(ax, n: dict, grads: bool) -> None:
    ax.set_xlim(-0.75, 9.0)
    ax.set_ylim(-2.2, 2.05)
    ax.set_aspect("equal")
    ax.axis("off")
    in_fc, hid_fc, out_fc = FILL["input"], FILL["node"], FILL["param"]
    # edges: weights (forward) or dL/dw (backward); labels near the source so crossing edges stay apart
    W1, W2 = (n["dW1"], n["dW2"]) if grads else (n["W1"], n["W2"])
    pre = "∂w" if grads else "w"
    for i in range(2):
        for j in range(2):
            frac = 0.5 if i == j else 0.3
            _edge(ax, f"x{i + 1}", f"h{j + 1}", f"{pre}{i + 1}{j + 1}={_fmt(W1[i, j])}",
                  W1[i, j], frac)
        _edge(ax, f"h{i + 1}", "o", f"{'∂v' if grads else 'v'}{i + 1}={_fmt(W2[i])}", W2[i], 0.45)
    # the loss box
    lx, ly = _POS["L"]
    ax.annotate("", xy=(lx - 0.85, ly), xytext=(_POS["o"][0] + _R, 0), zorder=1,
                arrowprops=dict(arrowstyle="-|>", color=EDGE, lw=1.0, mutation_scale=12))
    ax.add_patch(FancyBboxPatch((lx - 0.85, ly - 0.5), 1.7, 1.0, boxstyle="round,pad=0.05",
                                fc=WHITE, ec=INK, lw=1.6, zorder=2))
    if grads:
        box = ["∂L/∂L = 1", f"∂L/∂a={_fmt(n['dL_da2'])}", "= 2(a−t)"]
    else:
        box = [f"t = {_fmt(n['target'])}", f"L={_fmt(n['L'])}", "= (a−t)²"]
    ax.text(lx, ly + 0.5 + 0.12, "loss", ha="center", va="bottom", fontsize=9, weight="bold")
    for i, text in enumerate(box):
        ax.text(lx, ly + (1 - i) * 0.28, text, ha="center", va="center", fontsize=8,
                family="monospace", zorder=4)
    # nodes
    for i in range(2):
        _node(ax, f"x{i + 1}", [f"x{i + 1}", _fmt(n["x"][i])], in_fc, f"input {i + 1}")
        if grads:
            lines = [f"∂a={_fmt(n['dL_da1'][i])}", f"∂z={_fmt(n['dL_dz1'][i])}"]
            bias = f"∂b{i + 1} = {_fmt(n['db1'][i])}"
        else:
            lines = [f"z={_fmt(n['z1'][i])}", f"a={_fmt(n['a1'][i])}"]
            bias = f"b{i + 1} = {_fmt(n['b1'][i])}"
        _node(ax, f"h{i + 1}", lines, hid_fc, f"hidden {i + 1}")
        hx, hy = _POS[f"h{i + 1}"]
        ax.text(hx, hy - _R - 0.1, bias, ha="center", va="top", fontsize=8, color=TEXT)
    if grads:
        lines, bias = [f"∂a={_fmt(n['dL_da2'])}", f"∂z={_fmt(n['dL_dz2'])}"], f"∂c = {_fmt(n['db2'])}"
    else:
        lines, bias = [f"z={_fmt(n['z2'])}", f"a={_fmt(n['a2'])}"], f"c = {_fmt(n['b2'])}"
    _node(ax, "o", lines, out_fc, "output")
    ax.text(_POS["o"][0], -_R - 0.1, bias, ha="center", va="top", fontsize=8, color=TEXT)
    title = ("Backward: every ∂ is ∂L/∂(that quantity)" if grads
             else "Forward: z = Σ w·input + b,  a = σ(z)")
    ax.set_title(title, fontsize=10, loc="left")


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
