"""A tiny scalar autograd engine, `Value`, and `draw_graph` to look at what it builds.

Notebook 05 (the chain rule) uses it: every arithmetic step on `Value`s records its inputs
and the *local* derivative of its output with respect to each input; `backward()` then
walks the graph from the output back to the leaves and multiplies local derivatives
together (the chain rule). One number per node, written for clarity, not speed: the
layers in `nnlib.layers` do the same thing on whole arrays. Inspired by micrograd.
"""

from __future__ import annotations

import math
import numbers
from collections import defaultdict

# Okabe–Ito colours (colour-blind safe), lightened where used as fills.
_BLUE, _SKY, _ORANGE, _VERMILLION, _GREY = "#0072B2", "#D3ECFA", "#E69F00", "#D55E00", "#555555"
_OP_SYMBOLS = {"*": "×", "/": "÷", "-": "−", "neg": "−x", "sigmoid": "σ"}


def _check_operand(other, op: str) -> Value:
    """Turn a plain number into a constant `Value`; refuse anything else, naming `op`."""
    if isinstance(other, Value):
        return other
    if isinstance(other, numbers.Real):
        return Value(float(other))
    raise TypeError(
        f"Value {op}: expected a Value or a real number, got {type(other).__name__}"
    )


class Value:
    """One number in a computation, plus the gradient of the final output with respect to it.

    `data` is the number; `grad` is d(output)/d(this), filled in by `backward()` on the output.
    Each `Value` made by an operation remembers its inputs (`_prev`), the operation's name
    (`_op`) and the local derivatives d(this)/d(input) (`_local_grads`), which is all the
    chain rule needs. Leaves (inputs, parameters) have no inputs.
    """

    __array_ufunc__ = None  # make `ndarray * Value` call Value.__rmul__ (and fail clearly)

    def __init__(self, data, _children=(), _op: str = "", label: str = "", _local_grads=()):
        if isinstance(data, Value) or not isinstance(data, numbers.Real):
            raise TypeError(f"Value: data must be a real number, got {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._prev = tuple(_children)
        self._op = _op
        self._local_grads = tuple(_local_grads)

    def __repr__(self) -> str:
        label = f"{self.label!r}, " if self.label else ""
        return f"Value({label}data={self.data:.4g}, grad={self.grad:.4g})"

    # -- binary operations: result, inputs, and d(result)/d(each input) ---------------------
    def __add__(self, other) -> Value:
        other = _check_operand(other, "+")
        # d/dx (x + y) = 1,  d/dy (x + y) = 1
        return Value(self.data + other.data, (self, other), "+", _local_grads=(1.0, 1.0))

    def __sub__(self, other) -> Value:
        other = _check_operand(other, "-")
        # d/dx (x - y) = 1,  d/dy (x - y) = -1
        return Value(self.data - other.data, (self, other), "-", _local_grads=(1.0, -1.0))

    def __mul__(self, other) -> Value:
        other = _check_operand(other, "*")
        # d/dx (x * y) = y,  d/dy (x * y) = x
        return Value(self.data * other.data, (self, other), "*",
                     _local_grads=(other.data, self.data))

    def __truediv__(self, other) -> Value:
        other = _check_operand(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"Value /: division by zero ({self.data:.4g} / 0)")
        x, y = self.data, other.data
        # d/dx (x / y) = 1 / y,  d/dy (x / y) = -x / y**2
        return Value(x / y, (self, other), "/", _local_grads=(1 / y, -x / y**2))

    def __pow__(self, n) -> Value:
        if isinstance(n, Value) or not isinstance(n, numbers.Real):
            raise TypeError(f"Value **: exponent must be an int or float constant, got {type(n).__name__}")
        x, n = self.data, float(n)
        if x == 0 and n < 0:
            raise ZeroDivisionError(f"Value **: 0 cannot be raised to a negative power ({n:g})")
        if x < 0 and not n.is_integer():
            raise ValueError(f"Value **: a negative base ({x:.4g}) needs an integer exponent, got {n:g}")
        # d/dx x**n = n * x**(n-1); infinite at x = 0 when 0 < n < 1 (the slope of sqrt at 0)
        if n == 0:
            local = 0.0  # x**0 = 1 is a constant
        elif x == 0 and n < 1:
            local = math.inf
        else:
            local = n * x ** (n - 1)
        return Value(x**n, (self,), f"**{n:g}", _local_grads=(local,))

    def __neg__(self) -> Value:
        # d/dx (-x) = -1
        return Value(-self.data, (self,), "neg", _local_grads=(-1.0,))

    # `2 + x`, `2 * x`, `2 - x`, `2 / x`: turn the number into a Value and reuse the above.
    def __radd__(self, other) -> Value:
        return _check_operand(other, "+") + self

    def __rmul__(self, other) -> Value:
        return _check_operand(other, "*") * self

    def __rsub__(self, other) -> Value:
        return _check_operand(other, "-") - self

    def __rtruediv__(self, other) -> Value:
        return _check_operand(other, "/") / self

    # -- functions of one input --------------------------------------------------------------
    def exp(self) -> Value:
        """e**x; its derivative is itself."""
        e = math.exp(self.data)
        return Value(e, (self,), "exp", _local_grads=(e,))  # d/dx e**x = e**x

    def log(self) -> Value:
        """Natural log, defined for x > 0 only."""
        if self.data <= 0:
            raise ValueError(f"Value.log: log is only defined for data > 0, got data={self.data:.4g}")
        return Value(math.log(self.data), (self,), "log", _local_grads=(1 / self.data,))  # d/dx ln x = 1/x

    def tanh(self) -> Value:
        """tanh(x); the slope 1 - tanh(x)**2 reuses the output, no second tanh needed."""
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", _local_grads=(1 - t**2,))  # d/dx tanh x = 1 - tanh(x)**2

    def relu(self) -> Value:
        """max(0, x). At exactly 0 we use slope 0, the usual convention."""
        out = self.data if self.data > 0 else 0.0
        return Value(out, (self,), "relu", _local_grads=(1.0 if self.data > 0 else 0.0,))  # 1 if x > 0 else 0

    def sigmoid(self) -> Value:
        """1 / (1 + e**-x), computed so that e**(large) never appears (no overflow)."""
        if self.data >= 0:
            s = 1 / (1 + math.exp(-self.data))
        else:  # same value, rewritten as e**x / (1 + e**x) so exp sees a negative number
            e = math.exp(self.data)
            s = e / (1 + e)
        return Value(s, (self,), "sigmoid", _local_grads=(s * (1 - s),))  # d/dx s(x) = s(1 - s)

    # -- backpropagation ---------------------------------------------------------------------
    def backward(self) -> None:
        """Fill `grad` of every node in the graph with d(self)/d(node).

        Start from d(self)/d(self) = 1 and visit nodes outputs-first (reverse topological
        order), so a node's grad is complete before it is passed on. Each input receives
        `local derivative * grad of the output`; the `+=` adds up the contributions of a node
        used more than once. Intermediate grads are reset first, but leaf grads (inputs,
        parameters) keep accumulating across calls, as in PyTorch: call `zero_grad()` first.
        """
        order = topo_order(self)
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for child, local in zip(node._prev, node._local_grads):
                child.grad += local * node.grad  # chain rule

    def zero_grad(self) -> None:
        """Set `grad` to 0 on this node and every node it was computed from."""
        for node in topo_order(self):
            node.grad = 0.0


def topo_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its inputs (leaves first, root last).

    A depth-first search that emits a node once all its inputs are emitted. It uses an
    explicit stack rather than recursion so long chains (a sum of 5000 terms) do not hit
    Python's recursion limit.
    """
    if not isinstance(root, Value):
        raise TypeError(f"topo_order: expected a Value, got {type(root).__name__}")
    order, done, stack = [], set(), [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if node in done:
            continue
        if inputs_done:
            done.add(node)
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node._prev) if child not in done)
    return order


# -- drawing -------------------------------------------------------------------------------
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
    gradients flow back against them. Boxes show the label, `data` and (in vermillion, bold)
    `grad` to 4 significant digits; leaves (inputs and parameters) are blue, the root has a
    thick border. Columns follow the longest path from the leaves, so every arrow points
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
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyBboxPatch

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

    if ax is None:
        fig = plt.figure(figsize=figsize or (width, height), layout="none")  # axes fill it
        ax = fig.add_axes((0, 0, 1, 1))
    fig = ax.figure
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
                                 fc=_SKY if leaf else "#F4F4F4",
                                 ec="black" if is_root else (_BLUE if leaf else _GREY), zorder=2)
            ax.add_patch(box)
            centres[v] = (x, y)
            lines = [(v.label, dict(style="italic", weight="bold", color="black"))] if v.label else []
            lines.append((f"data {v.data:.4g}", dict(family="monospace", color="black")))
            if show_grad:
                lines.append((f"grad {v.grad:.4g}", dict(family="monospace", weight="bold", color=_VERMILLION)))
            step = 0.17
            for i, (text, style) in enumerate(lines):
                dy = ((len(lines) - 1) / 2 - i) * step
                ax.text(x, y + dy, text, ha="center", va="center", fontsize=fs, zorder=4, **style)
            if v._op:  # the operation that produced v sits just before it
                ox, oy = (x - box_w / 2 - arrow - op_d / 2, y) if lr else (x, y + box_h / 2 + arrow + op_d / 2)
                circle = Circle((ox, oy), op_d / 2, fc="#FBE5B6", ec=_ORANGE, lw=1.2, zorder=2)
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
        arrowstyle="-|>", color=_GREY, lw=1.0, shrinkA=0, shrinkB=1 if patch else 0, patchB=patch,
        mutation_scale=10, connectionstyle=f"arc3,rad={bend}"), zorder=1)
