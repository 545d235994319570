"""Live control for notebook 07 (backprop in matrix form): train a small network step by step.

`train_step_explorer` builds an MLP (Linear-Tanh-Linear) on XOR or moons and runs the same
hand-written loop as the notebook -- forward, loss, backward, SGD step -- one or fifty steps per
button click, redrawing the decision map and the loss curve. Buttons, not a blocking loop,
because the kernel cannot handle widget events while a callback runs.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..core import make_rng
from ..datasets.synthetic import make_moons, make_xor
from ..layers import mlp
from ..losses import SoftmaxCrossEntropy
from ..metrics import accuracy
from ..viz.backprop_plots import plot_training_state
from .base import Demo

__all__ = ["train_step_explorer"]

_DATA = {"xor": make_xor, "moons": make_moons}


class TrainStepExplorer(Demo):
    """Full-batch gradient descent on a 2-H-2 tanh network, driven by buttons.

    Changing the data set or the number of hidden units starts a fresh network (same seed);
    the learning rate applies from the next step on. A loss that turns NaN or infinite stops
    the run with a "diverged" message instead of drawing nonsense.
    """

    def __init__(self, seed: int = 0):
        super().__init__("Train a 2-H-2 network by hand: forward, loss, backward, step")
        self.seed = seed
        self.add_control("data", widgets.Dropdown(options=list(_DATA), value="xor",
                                                  description="data",
                                                  layout=widgets.Layout(width="170px")))
        self.add_control("hidden", widgets.IntSlider(value=8, min=1, max=32, step=1,
                                                     description="hidden H",
                                                     continuous_update=False))
        self.add_control("lr", widgets.FloatLogSlider(value=0.5, base=10, min=-3, max=2, step=0.1,
                                                      description="lr", continuous_update=False))
        self.add_button("step1", widgets.Button(description="1 step"), lambda: self.train(1))
        self.add_button("step50", widgets.Button(description="50 steps"), lambda: self.train(50))
        self.add_button("reset", widgets.Button(description="reset", icon="undo"), self.reset)
        self.loss_fn = SoftmaxCrossEntropy()
        self._key = None
        self.diverged = False

    def reset(self):
        """A fresh network (same seed) on fresh data; the loss curve starts empty."""
        v = self.values()
        rng = make_rng(self.seed)
        self.X, self.y = _DATA[v["data"]](200, 0.1 if v["data"] == "moons" else 0.05, rng=rng)
        self.model = mlp([2, v["hidden"], 2], act="tanh", rng=rng)
        self.losses: list[float] = []
        self.diverged = False
        self._key = (v["data"], v["hidden"])
        self.refresh()

    def _ensure_model(self):
        v = self.values()
        if self._key != (v["data"], v["hidden"]):
            self.reset()

    def train(self, n: int):
        """n full-batch steps of plain gradient descent, exactly the notebook's loop."""
        self._ensure_model()
        lr = self.controls["lr"].value
        for _ in range(n):
            if self.diverged:
                break
            self.model.zero_grad()
            with np.errstate(all="ignore"):
                loss = self.loss_fn(self.model.forward(self.X), self.y)      # forward + loss
                self.model.backward(self.loss_fn.backward())                 # backward
                for p in self.model.parameters():                            # SGD step
                    p.data -= lr * p.grad
            self.losses.append(loss)
            params_ok = all(np.all(np.isfinite(p.data)) for p in self.model.parameters())
            if not (np.isfinite(loss) and params_ok):
                self.diverged = True
        self.refresh()

    def draw(self, data, hidden, lr):
        if self._key != (data, hidden):
            self.reset()           # reset() calls refresh(), which drew already
            return None
        message = ""
        if self.diverged:
            message = "diverged: the loss became NaN/inf.\nLower lr and press reset."
            acc_text = "accuracy: n/a (diverged)"
            predict = lambda pts: np.zeros((len(pts), 2))
        else:
            predict = self.model.forward
            with np.errstate(all="ignore"):
                acc_text = f"train accuracy {accuracy(self.model.forward(self.X), self.y):.1%}"
        last = f"loss {self.losses[-1]:.4f}" if self.losses and np.isfinite(self.losses[-1]) else (
            "loss: not finite (diverged)" if self.losses else "no steps yet")
        finite = [v for v in self.losses if np.isfinite(v)]
        if not self.diverged and len(finite) > 1 and finite[-1] > 2 * finite[0]:
            last += " (growing: lr too large?)"
        self.readout.value = f"steps: {len(self.losses)} &nbsp;|&nbsp; {last} &nbsp;|&nbsp; {acc_text}"
        return plot_training_state(predict, self.X, self.y, self.losses, message=message,
                                   title=f"{data}, 2-{hidden}-2 tanh, after {len(self.losses)} step{'' if len(self.losses) == 1 else 's'}",
                                   resolution=50)


def train_step_explorer() -> TrainStepExplorer:
    """Step-by-step training of a small MLP on XOR or moons with a visible decision map."""
    return TrainStepExplorer()
