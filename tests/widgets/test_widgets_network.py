"""Headless tests of notebook 06's network diagram and the `network_editor` widget."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.widgets.network_widgets import XOR_WEIGHTS, hand_set_xor


def _xor_net():
    net = nl.mlp([2, 2, 1], act="tanh", rng=0)
    hand_set_xor(net)
    return net


def test_list_weights_covers_every_number_in_matmul_order():
    net = nl.mlp([2, 3, 2], rng=0)
    items = nl.probes.list_weights(net)
    assert len(items) == net.num_parameters() == 2 * 3 + 3 + 3 * 2 + 2
    assert items[0] == ("W1[0,0]: x1 → h1", ("W", 0, 0, 0))
    assert ("W", 1, 2, 1) in [k for _, k in items]          # h3 -> y2 lives in W2[2, 1]


def test_dense_layers_pairs_activations_and_rejects_non_networks():
    pairs = nl.probes.dense_layers(nl.mlp([2, 4, 4, 1], act="relu", dropout=0.2, rng=0))
    assert [act for _, act in pairs] == ["ReLU", "ReLU", None]
    with pytest.raises(ValueError, match="Linear or a Sequential"):
        nl.probes.dense_layers(nl.ReLU())


def test_plot_network_draws_one_line_per_weight_and_labels_small_nets():
    net = _xor_net()
    fig = nl.viz.plot_network(net, x=[0.5, -0.5])
    ax = fig.axes[0]
    assert len(ax.lines) == 4 + 2
    texts = [t.get_text() for t in ax.texts]
    assert "-2" in texts and "+3" in texts and "b=-3" in texts
    h1 = np.tanh(0.5 * 2 + -0.5 * 2 + 2)                      # value printed in node h1
    assert f"{h1:.2g}" in texts
    big = nl.viz.plot_network(nl.mlp([2, 8, 8, 2], rng=0))
    assert not any(t.get_text().startswith(("+", "b=")) for t in big.axes[0].texts)


def test_plot_network_edge_style_encodes_sign_twice():
    net = _xor_net()
    ax = nl.viz.plot_network(net).axes[0]
    styles = {line.get_linestyle() for line in ax.lines}
    assert styles == {"-", "--"}                               # positive solid, negative dashed


def test_plot_matmul_checks_shapes_and_writes_z():
    x, W, b = np.array([[1.0, 2.0]]), np.array([[1.0, 0.0, -1.0], [0.5, 1.0, 0.0]]), np.ones(3)
    fig = nl.viz.plot_matmul(x, W, b)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert ["3", "3", "0"] == texts[-4:-1]               # z = x @ W + b, row by row
    with pytest.raises(ValueError, match="shapes do not fit"):
        nl.viz.plot_matmul(np.ones((1, 3)), W, b)


def test_network_editor_defaults_to_hand_set_xor_and_reports_accuracy():
    demo = nl.widgets.network_editor()
    assert demo.widget is not None
    assert demo.net[0].W.data.tolist() == XOR_WEIGHTS["W1"]
    assert "accuracy" in demo.readout.value and demo.last_png
    assert demo.errors == []


def test_picking_a_weight_moves_the_slider_without_changing_any_weight():
    demo = nl.widgets.network_editor()
    assert demo.widget is not None
    before = [p.data.copy() for p in demo.net.parameters()]
    demo.controls["weight"].value = 1                          # W1[1,0] = 2
    assert demo.controls["value"].value == 2.0
    demo.controls["weight"].value = 2                          # b1[0] = 2
    assert all(np.array_equal(a, p.data) for a, p in zip(before, demo.net.parameters()))


def test_every_control_at_its_extremes_changes_the_picture():
    demo = nl.widgets.network_editor()
    assert demo.widget is not None
    for k in (0, len(demo.keys) // 2, len(demo.keys) - 1):   # first, middle, last number
        demo.controls["weight"].value = k
        for v in (demo.controls["value"].min, demo.controls["value"].max, 0.3):
            png, readout = demo.last_png, demo.readout.value
            demo.controls["value"].value = v
            assert demo.last_png != png or demo.controls["value"].value == v
        assert readout
    for probe in demo.controls["probe"].options:
        demo.controls["probe"].value = probe
    png = demo.last_png
    demo.buttons["reset"].click()
    demo.buttons["reset"].click()
    assert demo.last_png != png
    assert demo.net[0].W.data.tolist() == XOR_WEIGHTS["W1"]
    assert demo.errors == []


def test_slider_writes_only_the_selected_weight():
    demo = nl.widgets.network_editor()
    assert demo.widget is not None
    demo.controls["weight"].value = 5                          # b1[1], see list_weights
    key = demo.keys[5][1]
    demo.controls["value"].value = -4.0
    lin = demo.net[2 * key[1]]
    arr = lin.W.data if key[0] == "W" else lin.b.data
    assert arr[key[2:]] == -4.0
    assert "accuracy" in demo.readout.value


def test_other_sizes_and_data():
    demo = nl.widgets.network_editor(sizes=(2, 3, 2), act="relu", data="moons")
    assert demo.widget is not None
    demo.controls["weight"].value = len(demo.keys) - 1
    demo.controls["value"].value = 4.0
    assert demo.errors == [] and demo.net[2].b.data[1] == 4.0


# The labels of plot_network (never colliding, on random networks) are tested with every other
# network figure in tests/viz/test_label_placement.py.
