"""The instrumentation of notebook 10: layer_stats, LayerStats, dead/saturated fractions, ratios."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl

SIZES = [2] + [16] * 4 + [2]


def data():
    return nl.make_moons(120, rng=0)


def test_layer_stats_matches_manual_pass_and_restores_grads():
    X, y = data()
    model = nl.mlp(SIZES, "tanh", rng=0)
    for p in model.parameters():
        p.grad[...] = 7.0                                   # must survive the probe
    loss_fn = nl.SoftmaxCrossEntropy()
    s = nl.probes.layer_stats(model, X, y, loss_fn, lr=0.1)
    assert all(np.all(p.grad == 7.0) for p in model.parameters())
    assert len(s["act"]) == 4 and len(s["dW"]) == 5 and len(s["dact"]) == 4
    a = X
    for layer, act in zip(model.layers[0::2], s["act"]):
        a = np.tanh(a @ layer.W.data + layer.b.data)
        np.testing.assert_allclose(act, a)
    model.zero_grad()
    loss = loss_fn(model.forward(X), y)
    model.backward(loss_fn.backward())
    linears = [m for m in model.layers if isinstance(m, nl.Linear)]
    for m, dW in zip(linears, s["dW"]):
        np.testing.assert_allclose(dW, m.W.grad)
    assert np.isclose(loss, s["loss"])
    want = 0.1 * np.array([np.linalg.norm(m.W.grad) / np.linalg.norm(m.W.data) for m in linears])
    np.testing.assert_allclose(s["ratio"], want)
    np.testing.assert_allclose(nl.probes.update_ratios(model, 0.1), want)


def test_layer_stats_returns_copies():
    X, y = data()
    model = nl.mlp(SIZES, "relu", rng=0)
    s = nl.probes.layer_stats(model, X, y, nl.SoftmaxCrossEntropy())
    keep = s["act"][0].copy()
    model.forward(X * 3)
    np.testing.assert_array_equal(s["act"][0], keep)


def test_callback_records_every_epoch_inside_fit():
    X, y = data()
    model = nl.mlp(SIZES, "relu", rng=0)
    cb = nl.probes.LayerStats(X[:50], y[:50], nl.SoftmaxCrossEntropy())
    nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), lr=0.1),
           nl.DataLoader(X, y, batch_size=30, rng=0), epochs=3, callbacks=[cb], progress=False)
    assert len(cb.records) == 4 and len(cb.step_ratios) == 12
    assert np.all(np.isnan(cb.records[0]["ratio"])) and np.all(cb.records[-1]["ratio"] > 0)
    assert not np.allclose(cb.records[0]["act"][0], cb.records[-1]["act"][0])
    # the final record equals a fresh probe of the trained model (no stale buffers)
    fresh = nl.probes.layer_stats(model, X[:50], y[:50], nl.SoftmaxCrossEntropy())
    np.testing.assert_allclose(fresh["act"][-1], cb.records[-1]["act"][-1])


def test_dead_and_saturated_fractions_by_hand():
    acts = [np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]), np.zeros((4, 2))]
    np.testing.assert_allclose(nl.probes.dead_fraction(acts), [1 / 3, 1.0])
    sig = [np.array([[0.995, 0.5], [0.001, 0.6]])]
    np.testing.assert_allclose(nl.probes.saturated_fraction(sig, "Sigmoid"), [0.5])
    np.testing.assert_allclose(nl.probes.saturated_fraction([np.array([[0.99, -0.5]])], "Tanh"), [0.5])
    with pytest.raises(ValueError, match="saturated_fraction"):
        nl.probes.saturated_fraction(sig, "ReLU")


def test_init_facts_on_a_deep_relu_net():
    X = nl.make_rng(0).normal(size=(300, 64))
    y = np.zeros(300, dtype=np.int64)
    sizes = [64] + [64] * 6 + [2]
    std = {init: np.array([a.std() for a in nl.probes.layer_stats(
        nl.mlp(sizes, "relu", init=init, rng=0), X, y, nl.SoftmaxCrossEntropy())["act"]])
        for init in ("he", 0.01)}
    assert std["he"].max() / std["he"].min() < 3
    assert std[0.01][-1] < std[0.01][0] / 100


def test_chain_values_gradient_is_a_product():
    v = nl.course.chain_values(1.0, [0.5] * 5, "sigmoid")
    assert np.isclose(v["grad"][0], np.prod(np.array(v["slope"]) * 0.5))
    assert nl.course.chain_values(1.0, [1.0] * 3, "relu")["grad"] == [1.0] * 4
    with pytest.raises(ValueError, match="chain_values"):
        nl.course.chain_values(1.0, [1.0], "swish")


def test_figures_build_and_survive_non_finite_values():
    X, y = data()
    s = nl.probes.layer_stats(nl.mlp(SIZES, "sigmoid", rng=0), X, y, nl.SoftmaxCrossEntropy())
    assert len(nl.viz.plot_layer_histograms(s).axes) == 8
    assert len(nl.viz.plot_activation_grid({"a": s, "b": s}).axes) == 8
    assert len(nl.viz.plot_activation_grid({"a": s}, what="dact").axes) == 4
    bad = dict(s, act=[np.full((3, 2), np.nan)] * 4, dact=[np.full((3, 2), np.inf)] * 4)
    nl.viz.plot_layer_histograms(bad)
    nl.viz.plot_grad_norms({"a": s, "zeros": dict(s, grad_norm=np.zeros(5))})
    nl.viz.plot_update_ratios([np.array([1e-3, np.inf, 0.0])] * 5)
    nl.viz.plot_layer_fractions({"a": np.array([0.1, 0.5])}, "dead (%)")
    nl.viz.plot_chain(1.0, [0.5] * 3, "tanh")
