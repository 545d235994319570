"""Labels never collide (house style, third round; issue 22 item 2), for every network figure.

Each figure family that writes numbers on a network places them with `nnlib/viz/labels.py`;
here each is drawn on random networks of several sizes, with ordinary random numbers and with
extreme ones (1e6, -1e-7, 0, ...), and checked from the renderer's text extents by the shared
`label_checks.label_problems`: no two labels overlap, a node's label stays inside its node, no
label covers a node, none leaves the figure.

Families: `plot_network` / `plot_network_map` (notebooks 06, 09), `plot_pass` (the pass stepper),
`plot_network_numbers` (05, the 2-2-1 network only), `draw_neuron` / `plot_neuron` (01, one
neuron with two inputs), `plot_backward_shapes` / `plot_training_state` (07).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from label_checks import label_problems

import nnlib as nl
from nnlib.viz.stepper_plots import PassFigure

SIZES = [(2, 2, 1), (2, 3, 2), (2, 4, 3), (3, 4, 2)]
SIZE_IDS = ["-".join(map(str, s)) for s in SIZES]
KINDS = ["random", "extreme"]
POOL = np.array([1e6, -1e6, -1e-7, 3e-5, 0.0, 123.456, -9999.9, 0.5, -1.0])


def numbers(rng, shape, kind):
    """Random numbers over six decades ("random"), or drawn from POOL ("extreme")."""
    if kind == "extreme":
        return rng.choice(POOL, size=shape)
    return rng.normal(size=shape) * 10 ** rng.uniform(-3, 3, size=shape)


def random_net(sizes, kind, rng, act="tanh"):
    net = nl.mlp(list(sizes), act=act, rng=int(rng.integers(1000)))
    for layer in net.layers:
        if isinstance(layer, nl.Linear):
            layer.W.data[...] = numbers(rng, layer.W.shape, kind)
            layer.b.data[...] = numbers(rng, layer.b.shape, kind)
    return net


def assert_apart(fig, what, **kwargs):
    problems = label_problems(fig, **kwargs)
    plt.close(fig)
    assert not problems, f"{what}:\n" + "\n".join(problems)


# -- notebooks 06 and 09: plot_network, plot_network_map ------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sizes", SIZES + [(2, 4, 4, 2)], ids=SIZE_IDS + ["2-4-4-2"])
def test_plot_network_labels_apart(sizes, kind):
    """Every weight, bias, value, name and heading has its own spot, without and with an input,
    in a figure of its own, in notebook 06's figure and in the widget's smaller axes."""
    rng = np.random.default_rng(sum(sizes) + 10 * (kind == "extreme"))
    with np.errstate(all="ignore"):
        for trial, act in enumerate(["tanh", "relu", "sigmoid"]):
            net = random_net(sizes, kind, rng, act)
            x = None if trial == 0 else numbers(rng, sizes[0], kind)
            figs = [nl.viz.plot_network(net, x=x)]
            fig, ax = plt.subplots(figsize=(4.2, 4.6))                 # notebook 06's figure
            figs.append(nl.viz.plot_network(net, x=x, ax=ax))
            if sizes[0] == 2:                                          # the widget's diagram
                X, y = nl.make_xor(50, rng=0)
                figs.append(nl.viz.plot_network_map(net, X, y, x=x if x is not None else (0.6, 0.6),
                                                    highlight=("W", 0, 0, 0), resolution=10))
            for fig in figs:
                edge_labels = [t for t in fig.axes[0].texts            # boxed, and not "b=..."
                               if t.get_bbox_patch() is not None and not t.get_text().startswith("b=")]
                assert len(edge_labels) == sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
                assert_apart(fig, f"plot_network {sizes} {kind}, trial {trial}, x = {x}")


def test_plot_network_named_features_apart():
    """Notebook 09: one Linear layer on the features x1², x2², with the input written in."""
    rng = np.random.default_rng(9)
    for kind in KINDS:
        net = random_net((2, 1), kind, rng)
        fig = nl.viz.plot_network(net, x=numbers(rng, 2, kind), input_names=["x₁²", "x₂²"],
                                  output_names=["z"])
        assert_apart(fig, f"plot_network 2-1 {kind}")


def test_the_notebook_232_network_labels_apart():
    """Notebook 06 §4: the 2-3-2 network of nl.mlp([2, 3, 2], rng=0), whose labels -0.45, -0.39
    and -0.8 used to sit on the crossings on top of each other (a pixel apart at least)."""
    fig, ax = plt.subplots(figsize=(4.2, 4.6))
    nl.viz.plot_network(nl.mlp([2, 3, 2], act="tanh", rng=0), ax=ax)
    assert_apart(fig, "notebook 06's 2-3-2 network", margin=1.0)


# -- the pass stepper: plot_pass ------------------------------------------------------------------
def random_steps(sizes, kind, rng):
    acts = [nl.Sigmoid, nl.Tanh, nl.ReLU, nl.LeakyReLU, nl.Identity]
    layers = []
    for k, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = nl.Linear(d_in, d_out, rng=rng)
        lin.W.data[...] = numbers(rng, lin.W.shape, kind)
        lin.b.data[...] = numbers(rng, d_out, kind)
        layers.append(lin)
        if k < len(sizes) - 2:
            layers.append(acts[int(rng.integers(len(acts)))]())
    x = numbers(rng, sizes[0], kind)
    loss = "mse" if sizes[-1] == 1 else ["mse", "cross_entropy"][int(rng.integers(2))]
    y = rng.normal(size=sizes[-1]) if loss == "mse" else int(rng.integers(sizes[-1]))
    with np.errstate(all="ignore"):
        return nl.probes.pass_steps(nl.Sequential(*layers), x, y, loss)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sizes", SIZES, ids=SIZE_IDS)
def test_plot_pass_labels_apart(sizes, kind):
    """Every number of the pass (and the current step's formula) has its own spot."""
    rng = np.random.default_rng(sum(sizes) + 20 * (kind == "extreme"))
    steps = random_steps(sizes, kind, rng)
    pf = PassFigure(steps, len(steps) - 1)
    assert_apart(pf.fig, f"plot_pass {sizes} {kind}, the last step")
    for k in (0, steps.first("loss"), steps.first("backward") + 1):
        assert_apart(nl.viz.plot_pass(steps, k), f"plot_pass {sizes} {kind}, step {k}")


# -- notebook 05: plot_network_numbers (the 2-2-1 network) --------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(3))
def test_plot_network_numbers_labels_apart(seed, kind):
    """Every weight, z, a, gradient, bias and loss line has its own spot, inside its neuron or
    its box, in the default figure, in notebook 05's figures and in one panel alone."""
    rng = np.random.default_rng(seed + 10 * (kind == "extreme"))
    args = dict(x=numbers(rng, 2, kind), target=float(numbers(rng, 1, kind)[0]),
                W1=numbers(rng, (2, 2), kind), b1=numbers(rng, 2, kind), W2=numbers(rng, 2, kind),
                b2=float(numbers(rng, 1, kind)[0]))
    with np.errstate(all="ignore"):
        assert_apart(nl.viz.plot_network_numbers(**args), f"plot_network_numbers {kind} {seed}")
        fig, axes = plt.subplots(2, 1, figsize=(7.2, 6.6))            # notebook 05's figures
        nl.viz.plot_network_numbers(**args, show="both", axes=axes)
        assert_apart(fig, f"plot_network_numbers {kind} {seed}, notebook figure")
        fig, ax = plt.subplots(figsize=(7.2, 3.3))
        nl.viz.plot_network_numbers(**args, show="backward", axes=[ax])
        assert_apart(fig, f"plot_network_numbers {kind} {seed}, backward panel")


def test_plot_network_numbers_default_labels_apart():
    """The figures of notebook 05 as they are: TINY_NET's numbers, at 4 decimals."""
    fig = nl.viz.plot_network_numbers()
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "w12=-0.3000" in texts and "z=-0.5000" in texts
    assert_apart(fig, "plot_network_numbers with TINY_NET", margin=1.0)
    for show in ("forward", "backward"):
        fig, ax = plt.subplots(figsize=(7.2, 3.3))
        nl.viz.plot_network_numbers(show=show, axes=[ax])
        assert_apart(fig, f"notebook 05's {show} figure", margin=1.0)


# -- notebook 01: draw_neuron, plot_neuron ----------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(3))
def test_neuron_labels_apart(seed, kind):
    """The neuron's numbers (x, w, b, z, the weighted sum) stay in their places at any value, in
    draw_neuron, notebook 01's figure, and the widget's figure before and after an update."""
    rng = np.random.default_rng(seed + 10 * (kind == "extreme"))
    x, w, b = numbers(rng, 2, kind), numbers(rng, 2, kind), float(numbers(rng, 1, kind)[0])
    assert_apart(nl.viz.draw_neuron(x, w, b), f"draw_neuron {x}, {w}, {b}")
    fig, ax = plt.subplots(figsize=(6, 3.4))                          # notebook 01's figure
    nl.viz.draw_neuron(x, w, b, ax=ax)
    assert_apart(fig, f"draw_neuron {x}, {w}, {b}, notebook figure")
    X, y = nl.make_blobs(60, noise=0.8, rng=seed)
    with np.errstate(all="ignore"):
        view = nl.viz.NeuronFigure(X, y, w, b, 3)
        assert_apart(view.fig, f"plot_neuron {w}, {b}")
        view.render_png()
        view.update(numbers(rng, 2, kind), float(numbers(rng, 1, kind)[0]), 7)
        view.render_png()
        assert_apart(view.fig, "plot_neuron after an update")


# -- notebook 07: plot_backward_shapes, plot_training_state -------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sizes", SIZES, ids=SIZE_IDS)
def test_backprop_figures_labels_apart(sizes, kind):
    """The backward shapes of every layer of the network (batches of 1 to 8) and the training
    picture of the network (losses ordinary or extreme, a diverged run's message)."""
    rng = np.random.default_rng(sum(sizes) + 30 * (kind == "extreme"))
    for d_in, d_out in zip(sizes[:-1], sizes[1:]):
        N = int(rng.integers(1, 9))
        assert_apart(nl.viz.plot_backward_shapes(N, d_in, d_out),
                     f"plot_backward_shapes({N}, {d_in}, {d_out})")
    if sizes[0] != 2:
        return                                          # the decision map needs 2-D inputs
    net = random_net(sizes, kind, rng)
    X, y = nl.make_xor(60, rng=0)
    losses = np.abs(numbers(rng, 30, kind))
    message = "diverged: the loss became NaN/inf.\nLower lr and press reset." if kind == "extreme" else ""
    with np.errstate(all="ignore"):
        fig = nl.viz.plot_training_state(net.forward, X, y, losses, message=message,
                                         title=f"xor, {'-'.join(map(str, sizes))} tanh")
        assert_apart(fig, f"plot_training_state {sizes} {kind}")
        fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.4), width_ratios=[1, 1.15])
        nl.viz.plot_training_state(net.forward, X, y, losses, axes=axes, title="after training")
        assert_apart(fig, f"plot_training_state {sizes} {kind}, notebook figure")
