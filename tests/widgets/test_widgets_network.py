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


# -- labels never collide (house style, third round) ------------------------------------------
def text_boxes_apart(fig, *, margin: float = 0.0):
    """Draw `fig` and check every axes' labels with the renderer; return a list of problems.

    Two checks, on the text extents the renderer measures (`Text.get_window_extent`):
    no two visible texts of one axes overlap (boxes closer than `margin` pixels count), and a
    text centred on a circle (a node's name or value) lies inside that circle (all four corners
    of its box within the radius). Each problem names the texts and where they are.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Circle
    from matplotlib.text import Text

    if not hasattr(fig.canvas, "get_renderer"):                 # an untracked Figure: give it Agg
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    problems = []
    for ax in fig.axes:
        texts = [t for t in ax.findobj(Text) if t.get_visible() and t.get_text().strip()
                 and t.axes is ax and t is not ax.title and t not in (ax._left_title, ax._right_title)
                 and not any(t in a.get_xticklabels() + a.get_yticklabels() for a in [ax])
                 and t not in (ax.xaxis.label, ax.yaxis.label)
                 and (ax.get_legend() is None or t not in ax.get_legend().get_texts())]
        boxes = [t.get_window_extent(renderer) for t in texts]
        for a in range(len(texts)):
            for b in range(a + 1, len(texts)):
                A, B = boxes[a], boxes[b]
                if A.x0 < B.x1 + margin and B.x0 < A.x1 + margin and A.y0 < B.y1 + margin \
                        and B.y0 < A.y1 + margin:
                    problems.append(f"{texts[a].get_text()!r} at {A.bounds} overlaps "
                                    f"{texts[b].get_text()!r} at {B.bounds}")
        for c in [p for p in ax.patches if isinstance(p, Circle)]:
            (cx, cy), (xr, _) = ax.transData.transform([c.center, (c.center[0] + c.radius, c.center[1])])
            r = abs(xr - cx)
            for t, box in zip(texts, boxes):
                tx, ty = ax.transData.transform(t.get_position())
                if np.hypot(tx - cx, ty - cy) > 1e-6 * max(1.0, r):
                    continue                                    # not this circle's label
                corners = [(x, y) for x in (box.x0, box.x1) for y in (box.y0, box.y1)]
                far = max(np.hypot(x - cx, y - cy) for x, y in corners)
                if far > r:
                    problems.append(f"node label {t.get_text()!r} (box {box.bounds}) leaves its "
                                    f"circle of radius {r:.1f} px at ({cx:.1f}, {cy:.1f}): corner "
                                    f"at {far:.1f} px")
    return problems


def _random_net(sizes, rng, act="tanh"):
    net = nl.mlp(list(sizes), act=act, rng=int(rng.integers(1000)))
    for lay in net.layers:
        if isinstance(lay, nl.Linear):                      # weights and biases of any size
            lay.W.data[...] = rng.normal(size=lay.W.shape) * 10 ** rng.uniform(-3, 3, lay.W.shape)
            lay.b.data[...] = rng.normal(size=lay.b.shape) * 10 ** rng.uniform(-3, 3, lay.b.shape)
    return net


@pytest.mark.parametrize("sizes", [(2, 3, 2), (2, 4, 3), (2, 2, 1), (3, 4, 2), (2, 4, 4, 2)])
def test_plot_network_labels_never_collide(sizes):
    """Every weight, bias, value, name and heading has its own spot, on random networks of
    several sizes, with random weights from 1e-3 to 1e3, with and without an input, in a figure
    of its own, in the notebook's figure and in the widget's smaller axes."""
    import matplotlib.pyplot as plt

    rng = nl.make_rng(sum(sizes))
    for trial in range(3):
        net = _random_net(sizes, rng, act=["tanh", "relu", "sigmoid"][trial])
        x = None if trial == 0 else rng.normal(size=sizes[0]) * 10 ** rng.uniform(-4, 4)
        figs = [nl.viz.plot_network(net, x=x)]
        fig, ax = plt.subplots(figsize=(4.2, 4.6))               # notebook 06's figure
        figs.append(nl.viz.plot_network(net, x=x, ax=ax))
        if sizes[0] == 2:                                         # the widget's diagram and map
            X, y = nl.make_xor(50, rng=0)
            figs.append(nl.viz.plot_network_map(net, X, y, x=x if x is not None else (0.6, 0.6),
                                                highlight=("W", 0, 0, 0), resolution=10))
        for fig in figs:
            edge_labels = [t for t in fig.axes[0].texts                 # boxed, and not "b=..."
                           if t.get_bbox_patch() is not None and not t.get_text().startswith("b=")]
            assert len(edge_labels) == sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
            problems = text_boxes_apart(fig)
            assert not problems, f"network {sizes}, trial {trial}, x = {x}:\n" + "\n".join(problems)
            plt.close(fig)


def test_the_notebook_232_network_labels_apart():
    """Notebook 06 §4: the 2-3-2 network of nl.mlp([2, 3, 2], rng=0), whose labels -0.45, -0.39
    and -0.8 used to sit on the crossings on top of each other."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 4.6))
    nl.viz.plot_network(nl.mlp([2, 3, 2], act="tanh", rng=0), ax=ax)
    assert not text_boxes_apart(fig, margin=1.0)
    plt.close(fig)
