"""A tiny scalar autograd engine: `Value` and the topological order `backward` walks.

Notebook 05 (the chain rule) uses it: every arithmetic step on `Value`s records its inputs
and the *local* derivative of its output with respect to each input; `backward()` then
walks the graph from the output back to the leaves and multiplies local derivatives
together (the chain rule). One number per node, written for clarity, not speed: the
layers in `nnlib.layers` do the same thing on whole arrays. Inspired by micrograd.
The picture of a graph, `nl.viz.draw_graph`, lives in `nnlib/viz/value_graph.py`.
"""

from __future__ import annotations

import math
import numbers


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
