"""Tests for nnlib.autograd: every gradient against central finite differences, plus drawing."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from nnlib.autograd import Value, topo_order
from nnlib.viz import draw_graph


def fd_grads(f, xs, eps=1e-6):
    """Central differences of the scalar f(*floats) -> Value with respect to each input."""
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += eps
        down[i] -= eps
        grads.append((f(*map(Value, up)).data - f(*map(Value, down)).data) / (2 * eps))
    return np.array(grads)


def autograd_grads(f, xs):
    vals = [Value(x) for x in xs]
    out = f(*vals)
    out.backward()
    return out, np.array([v.grad for v in vals])


def rel_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


OPS = {
    "add": (lambda a, b: a + b, (0.7, -1.3)),
    "sub": (lambda a, b: a - b, (0.7, -1.3)),
    "mul": (lambda a, b: a * b, (0.7, -1.3)),
    "div": (lambda a, b: a / b, (0.7, -1.3)),
    "pow_int": (lambda a: a**3, (-1.2,)),
    "pow_neg": (lambda a: a**-2, (0.8,)),
    "pow_float": (lambda a: a**0.5, (2.3,)),
    "neg": (lambda a: -a, (0.4,)),
    "radd": (lambda a: 2 + a, (0.4,)),
    "rsub": (lambda a: 2 - a, (0.4,)),
    "rmul": (lambda a: 3 * a, (0.4,)),
    "rtruediv": (lambda a: 2 / a, (0.4,)),
    "exp": (lambda a: a.exp(), (0.9,)),
    "log": (lambda a: a.log(), (0.9,)),
    "tanh": (lambda a: a.tanh(), (0.9,)),
    "relu_pos": (lambda a: a.relu(), (0.9,)),
    "relu_neg": (lambda a: a.relu(), (-0.9,)),
    "sigmoid_pos": (lambda a: a.sigmoid(), (0.9,)),
    "sigmoid_neg": (lambda a: a.sigmoid(), (-2.5,)),
}


@pytest.mark.parametrize("name", OPS)
def test_op_gradient_matches_finite_differences(name):
    f, xs = OPS[name]
    _, grads = autograd_grads(f, xs)
    numeric = fd_grads(f, xs)
    assert rel_error(grads, numeric) < 1e-6, (name, grads, numeric)


def test_values_match_python_math():
    a, b = Value(0.7), Value(-1.3)
    assert (a / b).data == pytest.approx(0.7 / -1.3)
    assert (a**3).data == pytest.approx(0.343)
    assert a.sigmoid().data == pytest.approx(1 / (1 + math.exp(-0.7)))
    assert (-a).relu().data == 0.0


def test_fd_check_catches_a_wrong_gradient():
    """The checker itself must be able to fail: a gradient off by a factor of 2 is flagged."""
    f, xs = OPS["mul"]
    _, grads = autograd_grads(f, xs)
    assert rel_error(2 * grads, fd_grads(f, xs)) > 0.1


def test_sigmoid_is_stable_for_large_inputs():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


def tiny_net(params, x1, x2):
    """2-2-1 tanh network on Values; params = W (2x2, row-major), b (2), v (2), c."""
    w11, w12, w21, w22, b1, b2, v1, v2, c = params
    h1 = (x1 * w11 + x2 * w21 + b1).tanh()
    h2 = (x1 * w12 + x2 * w22 + b2).tanh()
    return (h1 * v1 + h2 * v2 + c).tanh()


def test_two_two_one_network_matches_numpy_and_finite_differences():
    rng = np.random.default_rng(0)
    p = rng.normal(size=9)
    x = np.array([0.5, -1.5])
    out, grads = autograd_grads(lambda *ps: tiny_net(ps, *x), p)
    W, b, v, c = p[:4].reshape(2, 2), p[4:6], p[6:8], p[8]
    expected = np.tanh(np.tanh(x @ W + b) @ v + c)  # NumPy reference forward pass
    assert out.data == pytest.approx(expected, rel=1e-12)
    numeric = fd_grads(lambda *ps: tiny_net(ps, *x), p)
    assert rel_error(grads, numeric) < 1e-6


def test_node_used_twice_gets_both_contributions():
    a, b = Value(3.0), Value(-2.0)
    (a * a).backward()
    assert a.grad == pytest.approx(6.0)  # d/da a**2 = 2a
    a.grad = 0.0
    e = a * b + a  # de/da = b + 1
    e.backward()
    assert a.grad == pytest.approx(-1.0)
    assert b.grad == pytest.approx(3.0)


def test_zero_grad_resets_whole_graph():
    a, b = Value(1.5), Value(0.5)
    e = (a * b).tanh()
    e.backward()
    first = a.grad
    e.backward()  # leaf grads accumulate without zeroing; intermediate ones are recomputed
    assert a.grad == pytest.approx(2 * first)
    assert e._prev[0].grad == pytest.approx(1 - e.data**2)
    e.zero_grad()
    assert all(n.grad == 0.0 for n in topo_order(e))
    e.backward()
    assert a.grad == pytest.approx(first)


def test_topo_order_inputs_before_outputs_and_long_chain():
    x = Value(1.0)
    total = x
    for _ in range(3000):  # deeper than Python's recursion limit
        total = total + 1
    order = topo_order(total)
    assert order[-1] is total and order[0] is x
    total.backward()
    assert x.grad == 1.0


finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(finite, finite)
def test_rational_expression_gradients(a, b):
    f = lambda a, b: (a * b + a.tanh()) / (1 + b**2) - 0.5 * a
    _, grads = autograd_grads(f, (a, b))
    assert np.allclose(grads, fd_grads(f, (a, b)), rtol=1e-5, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(finite, st.floats(0.1, 3))
def test_exp_log_sigmoid_expression_gradients(a, b):
    f = lambda a, b: a.sigmoid() * (-(b**2)).exp() + (b * 2).log() * a
    _, grads = autograd_grads(f, (a, b))
    assert np.allclose(grads, fd_grads(f, (a, b)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_of_non_positive_raises(x):
    with pytest.raises(ValueError, match="log"):
        Value(x).log()


@pytest.mark.parametrize(
    "op, symbol",
    [
        (lambda v: v + "a", r"\+"),
        (lambda v: v * [1.0], r"\*"),
        (lambda v: "a" - v, "-"),
        (lambda v: v / None, "/"),
        (lambda v: v ** Value(2.0), r"\*\*"),
        (lambda v: v * np.ones(2), r"\*"),
        (lambda v: np.ones(2) + v, r"\+"),
    ],
)
def test_bad_operand_type_raises_naming_the_operation(op, symbol):
    with pytest.raises(TypeError, match=symbol):
        op(Value(2.0))


def test_bad_constructor_and_math_domain_errors():
    with pytest.raises(TypeError, match="Value"):
        Value("1.0")
    with pytest.raises(ValueError, match=r"\*\*"):
        Value(-2.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match="/"):
        Value(1.0) / 0


# -- drawing ---------------------------------------------------------------------------------
def count_nodes(root):
    nodes = topo_order(root)
    return len(nodes) + sum(1 for n in nodes if n._op)  # value boxes + op circles


def texts_of(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_draw_graph_has_text_for_every_node():
    rng = np.random.default_rng(1)
    params = [Value(p, label=f"p{i}") for i, p in enumerate(rng.normal(size=9))]
    y = tiny_net(params, Value(0.5, label="x1"), Value(-1.5, label="x2"))
    y.backward()
    fig = draw_graph(y)
    try:
        assert isinstance(fig, Figure)
        texts = texts_of(fig)
        assert len(texts) >= count_nodes(y)
        assert f"grad {params[0].grad:.4g}" in texts
        assert "tanh" in texts and "p8" in texts
        fig.savefig("/tmp/autograd_graph.png", dpi=80)
    finally:
        plt.close(fig)


def test_draw_graph_single_leaf_and_options():
    fig = draw_graph(Value(2.0, label="x"), rankdir="TB", show_grad=False)
    try:
        texts = texts_of(fig)
        assert "x" in texts and "data 2" in texts
        assert not any(t.startswith("grad") for t in texts)
    finally:
        plt.close(fig)


def test_draw_graph_25_nodes_into_given_axes():
    x = Value(0.3, label="x")
    y = x
    for i in range(6):  # each step adds a constant leaf, an op and a result: 1 + 6 * 4 nodes
        y = (y * (1 + 0.1 * i)).tanh() if i % 2 else y + Value(0.1 * i, label=f"k{i}")
    y.backward()
    assert 15 <= count_nodes(y) <= 40
    fig, ax = plt.subplots(figsize=(6, 3))
    try:
        assert draw_graph(y, ax=ax) is fig
        assert len(ax.texts) >= count_nodes(y)
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_draw_graph_rejects_bad_arguments():
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(Value(1.0), rankdir="RL")
    with pytest.raises(TypeError, match="draw_graph"):
        draw_graph(1.0)
