"""`draw_graph`: the computation graph behind a `Value` (notebook 05), laid out and drawn.

A box per Value (label, data, grad), a circle per operation, arrows in the direction data
flows. The layout puts nodes in columns by longest path from the leaves and orders each
column to avoid crossings (`_layers`, `_pack`); the engine itself is `nnlib/autograd.py`.
Colours follow the series: leaves (inputs, parameters) in the light input fill, operations in
the light parameter fill, each grad in the sign colours (blue > 0, orange < 0).
"""

from __future__ import annotations

from collections import defaultdict

from matplotlib.patches import Circle, FancyBboxPatch

from ..autograd import Value, topo_order
from .style import EDGE, FILL, INK, new_axes, sign_color

__all__ = ["draw_graph"]

_OP_SYMBOLS = {"*": "×", "/": "÷", "-": "−", "neg": "−x", "sigmoid": "σ"}


def _layers(nodes: list[Value]) -> tuple[list[list[Value]], dict]:
    """Group nodes into columns by longest path from the leaves and order each column.

    Then every node slides right to sit just before its first use (shorter arrows). Within a
    column, nodes are sorted by the mean position of their neighbours (the barycentre
    heuristic), neighbours are swapped where that removes crossings, and rows are packed at
    least one slot apart (`_pack`).
    """
    users = defaultdict(list)
    for v in nodes:
        for c in dict.fromkeys(v._prev):
            users[c].append(v)
    rank = {}
    for v in nodes:  # leaves first, so every input is ranked before its user
        rank[v] = 1 + max(rank[c] for c in v._prev) if v._prev else 0
    for v in reversed(nodes):  # users first: slide each node right to just before its first use
        if users[v]:
            rank[v] = min(rank[u] for u in users[v]) - 1
    layers = [[] for _ in range(max(rank.values()) + 1)]
    for v in nodes:
        layers[rank[v]].append(v)
    pos = {v: float(i) for layer in layers for i, v in enumerate(layer)}

    def neighbours(v, side):
        return v._prev if side == "in" else users[v] if side == "out" else (*v._prev, *users[v])

    def place(layer, side, reorder=True):
        wanted = {v: _mean(pos, neighbours(v, side), pos[v]) for v in layer}
        if reorder:
            layer.sort(key=wanted.get)
        pos.update(zip(layer, _pack([wanted[v] for v in layer])))

    def crossings(u, v):  # edge crossings if u sits just above v
        return sum(pos[a] > pos[b] for side in ("in", "out")
                   for a in neighbours(u, side) for b in neighbours(v, side))

    for _ in range(4):  # barycentre sweeps: align with inputs, then with users
        for layer in layers:
            place(layer, "in")
        for layer in reversed(layers):
            place(layer, "out")
    for _ in range(3):  # then swap neighbours in a column whenever that removes crossings
        for layer in layers:
            for i in range(len(layer) - 1):
                u, v = layer[i], layer[i + 1]
                if crossings(v, u) < crossings(u, v):
                    layer[i], layer[i + 1] = v, u
                    pos[u], pos[v] = pos[v], pos[u]
    for _ in range(4):  # final positions: close to both inputs and users, order kept
        for layer in [*layers, *reversed(layers)]:
            place(layer, "both", reorder=False)
    return layers, pos


def _mean(pos: dict, nodes, default: float) -> float:
    """Mean position of `nodes` (the default when there are none)."""
    return sum(pos[n] for n in nodes) / len(nodes) if nodes else default


def _pack(wanted: list[float]) -> list[float]:
    """Positions closest (least squares) to `wanted` that keep the order and are >= 1 apart.

    With z_i = p_i - i the constraint becomes "z is non-decreasing": an isotonic regression,
    solved by pooling adjacent blocks that violate the order (pool-adjacent-violators).
    """
    blocks = []  # [mean of z, count]
    for i, w in enumerate(wanted):
        blocks.append([w - i, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m1, n1), (m2, n2) = blocks.pop(-2), blocks.pop()
            blocks.append([(m1 * n1 + m2 * n2) / (n1 + n2), n1 + n2])
    z = [m for m, n in blocks for _ in range(n)]
    return [zi + i for i, zi in enumerate(z)]


def draw_graph(root: Value, *, ax=None, rankdir: str = "LR", show_grad: bool = True,
               figsize=None):
    """Draw the computation graph behind `root`: a box per Value, a circle per operation.

    Seeing the graph is what makes backpropagation concrete: data flows along the arrows,
    gradients flow back against them. Boxes show the label, `data` and (bold, blue when
    positive, orange when negative) `grad` to 4 significant digits; leaves (inputs and
    parameters) are filled light blue, the root has a thick border. Columns follow the longest path from the leaves, so every arrow points
    forward. The figure grows with the graph so the text stays a readable size.

    Parameters
    ----------
    root : Value
        The output whose graph to draw (usually after `root.backward()`).
    ax : matplotlib Axes, optional
        Draw here instead of in a new figure; the text is scaled to fit the axes.
    rankdir : {"LR", "TB"}
        Left-to-right or top-to-bottom flow.
    show_grad : bool
        Also print each node's `grad`.
    figsize : (float, float), optional
        Size of a new figure in inches; by default computed from the graph.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph: root must be a Value, got {type(root).__name__}")
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"draw_graph: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    layers, pos = _layers(topo_order(root))
    lr = rankdir == "LR"
    box_w, box_h, op_d, arrow = 1.3, (0.62 if show_grad else 0.46), 0.44, 0.28  # inches
    along = (box_w if lr else box_h) + op_d + 2 * arrow        # distance between columns
    across = (box_h if lr else box_w) + (0.22 if lr else 0.2)  # distance between rows
    lo = min(pos.values())
    width = max(1, len(layers)) * along - op_d - 2 * arrow + 0.4
    height = (max(pos.values()) - lo) * across + (box_h if lr else box_w) + 0.4
    if not lr:
        width, height = height, width

    def xy(col: float, row: float) -> tuple[float, float]:
        a, b = 0.2 + (box_w if lr else box_h) / 2 + col * along, (row - lo) * across
        b += 0.2 + (box_h if lr else box_w) / 2
        return (a, height - b) if lr else (b, height - a)

    fig, ax = new_axes(ax, figsize=figsize or (width, height), layout="none", rect=(0, 0, 1, 1))
    bbox = ax.get_position()
    fw, fh = fig.get_size_inches()
    scale = min(1.0, bbox.width * fw / width, bbox.height * fh / height)  # shrink text to fit
    fs = 8.5 * scale
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")

    centres, edges = {}, []
    for col, layer in enumerate(layers):
        for v in layer:
            x, y = xy(col, pos[v])
            leaf, is_root = not v._prev, v is root
            box = FancyBboxPatch((x - box_w / 2 + 0.05, y - box_h / 2 + 0.05), box_w - 0.1, box_h - 0.1,
                                 boxstyle="round,pad=0.05", lw=2.2 if is_root else 1.0,
                                 fc=FILL["input"] if leaf else FILL["node"],
                                 ec=INK if is_root else EDGE, zorder=2)
            ax.add_patch(box)
            centres[v] = (x, y)
            lines = [(v.label, dict(style="italic", weight="bold", color=INK))] if v.label else []
            lines.append((f"data {v.data + 0.0:.4g}", dict(family="monospace", color=INK)))
            if show_grad:
                lines.append((f"grad {v.grad + 0.0:.4g}", dict(family="monospace", weight="bold",
                                                            color=sign_color(v.grad))))
            step = 0.17
            for i, (text, style) in enumerate(lines):
                dy = ((len(lines) - 1) / 2 - i) * step
                ax.text(x, y + dy, text, ha="center", va="center", fontsize=fs, zorder=4, **style)
            if v._op:  # the operation that produced v sits just before it
                ox, oy = (x - box_w / 2 - arrow - op_d / 2, y) if lr else (x, y + box_h / 2 + arrow + op_d / 2)
                circle = Circle((ox, oy), op_d / 2, fc=FILL["param"], ec=EDGE, lw=1.2, zorder=2)
                ax.add_patch(circle)
                sym = _OP_SYMBOLS.get(v._op, v._op)
                ax.text(ox, oy, sym, ha="center", va="center", fontsize=fs * (1.1 if len(sym) < 3 else 0.85),
                        weight="bold", zorder=4)
                start = (ox + op_d / 2, oy) if lr else (ox, oy - op_d / 2)
                _arrow(ax, start, (x - box_w / 2, y) if lr else (x, y + box_h / 2))
                for i, c in enumerate(v._prev):  # an input used twice (x * x): two bent arrows
                    bend = 0.0 if v._prev.count(c) == 1 else (0.3 if v._prev.index(c) == i else -0.3)
                    edges.append((c, circle, bend))
    for c, circle, bend in edges:  # after the loop: every input's box now exists
        x, y = centres[c]
        _arrow(ax, (x + box_w / 2, y) if lr else (x, y - box_h / 2), circle.center, circle, bend)
    return fig


def _arrow(ax, start, end, patch=None, bend: float = 0.0) -> None:
    """An arrow from point `start` to point `end`, stopping at the border of `patch` if given.

    Arrows leave a box from the middle of its outgoing side, so they run in the gap between
    columns and never hide behind a neighbouring box.
    """
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(
        arrowstyle="-|>", color=EDGE, lw=1.0, shrinkA=0, shrinkB=1 if patch else 0, patchB=patch,
        mutation_scale=10, connectionstyle=f"arc3,rad={bend}"), zorder=1)
