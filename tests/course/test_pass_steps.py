"""`nl.probes.pass_steps`: every step's value is what the model's forward and backward compute."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nnlib as nl
from nnlib.course.pass_steps import PassStep, format_number

ACTS = {"sigmoid": nl.Sigmoid, "tanh": nl.Tanh, "relu": nl.ReLU, "leaky": lambda: nl.LeakyReLU(0.1),
        "identity": nl.Identity}


def build(sizes, act, seed=0, out_act=None):
    rng = np.random.default_rng(seed)
    layers = []
    for k, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = nl.Linear(d_in, d_out, rng=rng)
        lin.b.data[...] = rng.normal(size=d_out)
        layers.append(lin)
        if k < len(sizes) - 2:
            layers.append(ACTS[act]())
        elif out_act:
            layers.append(ACTS[out_act]())
    return nl.Sequential(*layers)


def tiny_model():
    t = nl.course.TINY_NET
    model = nl.Sequential(nl.Linear(2, 2), nl.Sigmoid(), nl.Linear(2, 1), nl.Sigmoid())
    model[0].W.data[...], model[0].b.data[...] = t["W1"], t["b1"]
    model[2].W.data[...], model[2].b.data[...] = t["W2"].reshape(2, 1), t["b2"]
    return model


def reference(model, x, target, loss_fn):
    """Per Linear layer: z, a, dL/da, dL/dz, dW, db, and L, from the model's own forward/backward.

    z and a: the forward of the model's first k layers; dL/d(output of layer k): the backward of
    the layers after k, started from the loss's backward; dW and db: the model's backward.
    """
    layers, X = model.layers, np.asarray(x, float).reshape(1, -1)
    outs = [nl.Sequential(*layers[:k + 1]).forward(X)[0].copy() for k in range(len(layers))]
    L = loss_fn(model.forward(X), target)
    g = loss_fn.backward()
    douts = []
    for k in range(len(layers)):
        douts.append(nl.Sequential(*layers[k + 1:]).backward(g)[0].copy() if k + 1 < len(layers)
                     else g[0].copy())
    model.zero_grad()
    model.backward(g)
    per_layer = []
    for k, layer in enumerate(layers):
        if isinstance(layer, nl.Linear):
            has_act = k + 1 < len(layers) and not isinstance(layers[k + 1], nl.Linear)
            kk = k + 1 if has_act else k
            per_layer.append(dict(z=outs[k], a=outs[kk], da=douts[kk], dz=douts[k],
                                  dW=layer.W.grad.copy(), db=layer.b.grad.copy()))
    return per_layer, float(L)


def expected_value(step: PassStep, ref, L):
    if step.kind == "loss":
        return L
    r = ref[step.layer - 1]
    return {"z": r["z"], "a": r["a"], "dL/da": r["da"], "dL/dz": r["dz"], "dL/db": r["db"],
            "dL/dW": r["dW"][step.edge] if step.edge else None}[step.kind][
        () if step.kind == "dL/dW" else step.unit]


CASES = [([2, 2, 1], "sigmoid"), ([2, 3, 2], "tanh"), ([2, 4, 3], "relu"), ([3, 4, 4, 2], "leaky"),
         ([2, 3, 2], "identity"), ([3, 4, 4, 2], "sigmoid"), ([1, 1], "sigmoid")]


# softmax cross-entropy needs two classes: the 1-output network is run with the other two losses only
VALUE_CASES = [(sizes, act, loss) for sizes, act in CASES for loss in ("mse", "cross_entropy", "bce")
               if not (loss == "cross_entropy" and sizes[-1] < 2)]


@pytest.mark.parametrize("sizes, act, loss", VALUE_CASES,
                         ids=["-".join(map(str, s)) + f"-{a}-{lo}" for s, a, lo in VALUE_CASES])
@pytest.mark.parametrize("out_act", [None, "sigmoid"])
def test_every_value_is_what_forward_and_backward_compute(sizes, act, loss, out_act):
    C = sizes[-1]
    model = build(sizes, act, seed=sum(sizes), out_act=out_act)
    rng = np.random.default_rng(len(sizes))
    x = rng.normal(size=sizes[0]) * 2
    y = {"mse": rng.normal(size=C), "cross_entropy": C - 1, "bce": rng.random(C)}[loss]
    loss_obj = {"mse": nl.MSELoss, "cross_entropy": nl.SoftmaxCrossEntropy,
                "bce": nl.BinaryCrossEntropy}[loss]()
    steps = nl.probes.pass_steps(model, x, y, loss_obj)
    target = np.eye(C)[[y]] if loss == "cross_entropy" else np.reshape(y, (1, C))
    ref, L = reference(model, x, target, {"mse": nl.MSELoss, "cross_entropy": nl.SoftmaxCrossEntropy,
                                          "bce": nl.BinaryCrossEntropy}[loss]())
    kinds = set()
    for step in steps:
        want = expected_value(step, ref, L)
        assert abs(step.value - want) <= 1e-12 * max(1.0, abs(want)), (step, want)
        assert isinstance(step.value, float)
        kinds.add(step.kind)
    assert {"z", "loss", "dL/dz", "dL/dW", "dL/db"} <= kinds
    # the order: forward, then the loss, then backward from the last layer to the first
    phases = [s.phase for s in steps]
    assert phases == sorted(phases, key=["forward", "loss", "backward"].index)
    back = [s.layer for s in steps if s.phase == "backward"]
    assert back == sorted(back, reverse=True)
    # one step per z, a, dL/da-or-dz, dL/dz, weight and bias
    n_act = sum(1 for m in model.layers if not isinstance(m, nl.Linear))
    acts_after = [k + 1 < len(model.layers) and not isinstance(model.layers[k + 1], nl.Linear)
                  for k, m in enumerate(model.layers) if isinstance(m, nl.Linear)]
    want_n = 1
    for l, has_act in enumerate(acts_after, start=1):
        n, d = sizes[l], sizes[l - 1]
        want_n += n * (2 if has_act else 1) + n * ((2 if has_act else 1) + d + 1)
    assert len(steps) == want_n and n_act == sum(acts_after)
    # every formula ends with its own value (the loss of cross-entropy adds the softmax after)
    for step in steps:
        head = step.formula.split(",  p = ")[0]
        if not (step.kind == "a" and "(z > 0" in head):
            assert head.endswith("= " + format_number(step.value)), step.formula
        assert step.formula.startswith(step.symbol + " = ")


def test_model_gradients_are_left_as_they_were():
    model = build([2, 3, 2], "tanh")
    for p in model.parameters():
        p.grad[...] = 7.0
    nl.probes.pass_steps(model, [0.5, -1.0], 1, "cross_entropy")
    assert all(np.all(p.grad == 7.0) for p in model.parameters())


def test_the_tiny_network_of_notebook_05():
    t = nl.course.TINY_NET
    steps = nl.probes.pass_steps(tiny_model(), t["x"], t["target"], nl.MSELoss())
    n = nl.course.network_numbers()
    assert steps[0].formula == "z₁⁽¹⁾ = 0.50·1.00 + 0.80·(−0.50) + 0.10 = 0.20"
    assert steps[1].formula == "a₁⁽¹⁾ = σ(0.20) = 0.55"
    assert steps[2].formula == "z₂⁽¹⁾ = −0.30·1.00 + 0.20·(−0.50) − 0.10 = −0.50"
    loss = steps[steps.first("loss")]
    assert loss.value == pytest.approx(n["L"], rel=1e-12)
    assert loss.formula == f"L = ({format_number(n['a2'])} − 1.00)² = {format_number(n['L'])}"
    by = {(s.kind, s.layer, s.unit, s.edge): s.value for s in steps}
    assert by[("dL/da", 2, 0, None)] == pytest.approx(n["dL_da2"], rel=1e-12)
    assert by[("dL/dz", 2, 0, None)] == pytest.approx(n["dL_dz2"], rel=1e-12)
    for i in range(2):
        assert by[("dL/da", 1, i, None)] == pytest.approx(n["dL_da1"][i], rel=1e-12)
        assert by[("dL/db", 1, i, None)] == pytest.approx(n["db1"][i], rel=1e-12)
        for j in range(2):
            assert by[("dL/dW", 1, j, (i, j))] == pytest.approx(n["dW1"][i, j], rel=1e-12)
    dz = steps[steps.first("backward") + 1]
    assert dz.formula.startswith("∂L/∂z₁⁽²⁾ = ∂L/∂a·σ′(z) = ")
    assert steps.key_steps() == [(3, "layer 1 forward"), (5, "layer 2 forward"), (6, "the loss"),
                                 (11, "layer 2 backward"), (21, "layer 1 backward")]


def test_softmax_cross_entropy_writes_p_minus_onehot():
    model = build([2, 3, 2], "tanh")
    steps = nl.probes.pass_steps(model, [1.0, -0.5], 0, nl.SoftmaxCrossEntropy())
    out = [s for s in steps if s.phase == "backward" and s.layer == 2 and s.kind == "dL/dz"]
    p = steps.probs
    assert out[0].formula == (f"∂L/∂z₁⁽²⁾ = p₁ − y₁ = {format_number(p[0])} − 1.00 = "
                              f"{format_number(p[0] - 1)}")
    assert out[1].formula.startswith(f"∂L/∂z₂⁽²⁾ = p₂ − y₂ = {format_number(p[1])} − 0.00 = ")
    assert steps[steps.first("loss")].formula.startswith(f"L = −log p₁ = −log({format_number(p[0])})")
    # a one-hot row gives the same steps as the label
    again = nl.probes.pass_steps(model, [1.0, -0.5], [1.0, 0.0], "cross_entropy")
    assert [s.value for s in again] == [s.value for s in steps]


def _arith(text: str) -> float:
    """Evaluate the middle of a formula, "0.50·1.00 + 0.80·(−0.50) + 0.10", as Python."""
    text = text.replace("·", "*").replace("−", "-").replace("²", "**2")
    text = re.sub(r"(\d)e(-?\d)", r"\1e\2", text)
    return eval(text, {"__builtins__": {}})  # noqa: S307 - our own formula of numbers


@pytest.mark.parametrize("seed", range(4))
def test_the_written_arithmetic_gives_the_value(seed):
    """Sums and products written in z, ∂L/∂a (hidden) and ∂L/∂w agree with the value up to rounding."""
    model = build([3, 4, 2], "tanh", seed=seed)
    steps = nl.probes.pass_steps(model, np.random.default_rng(seed).normal(size=3), [0.3, -0.2], "mse")
    checked = 0
    for s in steps:
        parts = s.formula.split(" = ")
        if s.kind == "z" or (s.kind == "dL/da" and s.layer < 2):
            middle = parts[1]
        elif s.kind == "dL/dW":
            middle = parts[2]
        else:
            continue
        assert _arith(middle) == pytest.approx(s.value, abs=0.02 * (1 + abs(s.value))), s.formula
        checked += 1
    assert checked > 20


def test_forward_only_and_the_attributes():
    model = build([2, 3, 2], "relu")
    steps = nl.probes.pass_steps(model, np.array([[0.5, 2.0]]))
    assert {s.phase for s in steps} == {"forward"} and steps.loss is None
    assert steps.first("loss") is None and steps.sizes == [2, 3, 2]
    np.testing.assert_array_equal(steps.a[-1], model.forward(np.array([[0.5, 2.0]]))[0])
    assert steps.activations == ["ReLU", None]
    with pytest.raises(ValueError, match="phase must be"):
        steps.first("sideways")


@pytest.mark.parametrize("v, text", [(0.2, "0.20"), (-0.5, "−0.50"), (0.0345, "0.035"),
                                     (12.345, "12.35"), (4e-4, "4.0e−4"), (-1234567, "−1.2e6"),
                                     (-0.0, "0.00"), (1e-7, "1.0e−7"), (9999.9, "9999.90")])
def test_format_number(v, text):
    assert format_number(v) == text


@pytest.mark.parametrize("model, match", [
    (nl.Sequential(nl.Linear(2, 2), nl.Dropout(0.5), nl.Linear(2, 1)), "cannot write out a Dropout"),
    (nl.Sequential(nl.Conv2d(1, 1, 3), nl.Flatten()), "cannot write out a Conv2d"),
    (nl.Sequential(nl.Linear(2, 5), nl.Linear(5, 1)), "too large"),
    (nl.mlp([2, 2, 2, 2, 2]), "too large"),
    (nl.Sequential(nl.Sigmoid(), nl.Linear(2, 1)), "before any Linear"),
    (nl.Sequential(nl.Linear(2, 2), nl.Tanh(), nl.ReLU(), nl.Linear(2, 1)), "two activations"),
    ("not a model", "expected a Linear or a Sequential"),
])
def test_refuses_what_it_cannot_write_out(model, match):
    with pytest.raises(ValueError, match=f"pass_steps: .*{match}"):
        nl.probes.pass_steps(model, [1.0, 2.0], [1.0], "mse")


@pytest.mark.parametrize("x, y, loss, match", [
    ([1.0, 2.0, 3.0], [1.0, 0.0], "mse", "x must be one example"),
    (np.ones((2, 2)), [1.0, 0.0], "mse", "x must be one example"),
    ([1.0, np.nan], [1.0, 0.0], "mse", "x must be finite"),
    ([1.0, 2.0], [1.0, 0.0, 1.0], "mse", "one value per output"),
    ([1.0, 2.0], 2, "cross_entropy", "class label must be an int in"),
    ([1.0, 2.0], [1.0, 2.0], "bce", "targets must be in"),
    ([1.0, 2.0], [1.0, 0.0], "hinge", "loss_fn must be one of"),
    ([1.0, 2.0], [1.0, 0.0], nl.SGD, "loss_fn must be"),
    ([1.0, 2.0], None, "mse", "give both y and loss_fn"),
])
def test_refuses_bad_inputs(x, y, loss, match):
    model = build([2, 3, 2], "tanh")
    with pytest.raises(ValueError, match=f"pass_steps: .*{match}"):
        nl.probes.pass_steps(model, x, y, loss)


def test_cross_entropy_needs_two_outputs():
    with pytest.raises(ValueError, match="pass_steps: softmax cross-entropy needs at least 2"):
        nl.probes.pass_steps(build([2, 2, 1], "tanh"), [1.0, 2.0], 0, "cross_entropy")


def test_a_single_linear_layer():
    lin = nl.Linear(2, 1, rng=0)
    steps = nl.probes.pass_steps(lin, [1.0, 2.0], 0.5, "mse")
    assert [s.kind for s in steps] == ["z", "loss", "dL/dz", "dL/dW", "dL/dW", "dL/db"]
