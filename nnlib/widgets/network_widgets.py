"""Live controls for notebook 06 (layers and the forward pass): edit one weight, see everything move.

`network_editor()` shows a tiny network (2-2-1 by default), its diagram with every number on
it and its decision map. A dropdown picks one weight or bias, a slider sets its value, and the
diagram, the output for a chosen input and the decision map are redrawn at once. Static twin:
`nl.viz.plot_network_map`.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..course.probes import list_weights
from ..datasets import make_moons, make_xor
from ..layers import mlp, sigmoid
from ..losses import softmax
from ..metrics import accuracy
from ..viz.network_plots import plot_network_map
from .base import Demo, PicksAWeight
from .inplace import InPlaceFigure

__all__ = ["network_editor"]

# A hand-made 2-2-1 tanh network for the XOR data: h1 says "not both negative"
# (x1 + x2 > -1), h2 says "not both positive" (x1 + x2 < 1); the output fires when both agree.
XOR_WEIGHTS = {"W1": [[2.0, -2.0], [2.0, -2.0]], "b1": [2.0, 2.0], "W2": [[3.0], [3.0]], "b2": [-3.0]}
PROBES = {"x = (0.6, 0.6)": (0.6, 0.6), "x = (-0.6, 0.6)": (-0.6, 0.6),
          "x = (0.6, -0.6)": (0.6, -0.6), "x = (-0.6, -0.6)": (-0.6, -0.6)}


def hand_set_xor(net) -> None:
    """Write `XOR_WEIGHTS` into a 2-2-1 network built by `nl.mlp([2, 2, 1], ...)`."""
    net[0].W.data[...] = XOR_WEIGHTS["W1"]
    net[0].b.data[...] = XOR_WEIGHTS["b1"]
    net[2].W.data[...] = XOR_WEIGHTS["W2"]
    net[2].b.data[...] = XOR_WEIGHTS["b2"]


class NetworkEditor(InPlaceFigure, Demo, PicksAWeight):
    """Pick a weight, move its slider; the diagram, the output and the decision map follow.

    The dropdown only *selects* (the slider jumps to the selected weight's value); the slider
    only *writes* that one number. A redraw (diagram + decision map + PNG) takes ~0.15-0.2 s,
    too slow to follow the mouse smoothly, so the slider redraws when it is released.
    """

    def __init__(self, sizes=(2, 2, 1), act="tanh", data="xor", seed=0, limit=4.0):
        super().__init__("Edit one weight at a time")
        self.sizes, self.act, self.seed, self.limit = tuple(sizes), act, seed, float(limit)
        self.weight_limit = self.limit
        maker = make_xor if data == "xor" else make_moons
        self.X, self.y = maker(200, rng=seed)
        self.net = self._fresh()
        self.keys = list_weights(self.net)
        self.wmax = self.limit
        self._syncing = False
        pick = widgets.Dropdown(options=[(label, k) for k, (label, _) in enumerate(self.keys)],
                                value=0, description="weight",
                                layout=widgets.Layout(width="300px"))
        value = widgets.FloatSlider(value=self._get(0), min=-self.limit, max=self.limit,
                                    step=0.1, description="value", continuous_update=False,
                                    readout_format="+.1f")
        probe = widgets.Dropdown(options=list(PROBES), value=list(PROBES)[0], description="input")
        pick.observe(lambda ch: self.run_safely(lambda: self._on_pick(ch["new"])), names="value")
        value.observe(lambda ch: self.run_safely(lambda: self._on_value(ch["new"])), names="value")
        self.add_control("weight", pick)
        self.add_control("value", value)
        self.add_control("probe", probe)
        self.add_button("reset", widgets.Button(description="Reset weights", icon="undo"),
                        self._reset)

    def _fresh(self):
        net = mlp(list(self.sizes), act=self.act, rng=self.seed)
        if self.sizes == (2, 2, 1) and self.act == "tanh":
            hand_set_xor(net)
        return net

    def _linear(self, layer):
        return self.net[2 * layer]

    def _on_value(self, v):
        if not self._syncing:
            arr, where = self._param(self.controls["weight"].value)
            arr[where] = v

    def _reset(self):
        self.net = self._fresh()
        self._on_pick(self.controls["weight"].value)
        self.refresh()

    def refresh(self):
        if not self._syncing:                     # one redraw per user action
            super().refresh()

    def draw(self, weight, value, probe):
        x = np.array(PROBES[probe])
        fig = plot_network_map(self.net, self.X, self.y, x=x, highlight=self.keys[weight][1],
                               wmax=self.wmax)
        scores = self.net.forward(x[None, :])
        p1 = softmax(scores)[0, 1] if scores.shape[1] == 2 else float(sigmoid(scores[0, 0]))
        acc = accuracy(self.net.forward(self.X), self.y)
        out = ", ".join(f"{s:+.2f}" for s in scores[0])
        self.readout.value = (f"output for {probe}: <b>{out}</b> → P(class 1) = <b>{p1:.2f}</b>"
                              f" &nbsp;·&nbsp; accuracy on the {len(self.y)} points: "
                              f"<b>{acc:.0%}</b>")
        return fig


def network_editor(sizes=(2, 2, 1), act: str = "tanh", data: str = "xor", seed: int = 0,
                   limit: float = 4.0) -> NetworkEditor:
    """A tiny network whose weights you set by hand (notebook 06).

    Defaults: the hand-made 2-2-1 tanh network for XOR (`XOR_WEIGHTS`); other `sizes` start
    from `nl.mlp(sizes, act, rng=seed)`. `data` is "xor" or "moons"; sliders span +-`limit`.
    """
    return NetworkEditor(sizes, act, data, seed, limit)
