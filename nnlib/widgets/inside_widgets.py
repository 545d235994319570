"""Live look inside a deep MLP for notebook 10: pick activation, init, depth and learning rate,
train one epoch at a time, and watch every layer's activation and gradient histograms.

The figure is `nl.viz.plot_layer_histograms` (its static twin in the notebook). The data set is
small (300 points of the two-class spiral) and the layers narrow (32 units), so one epoch plus
the redraw takes well under a second; changing activation, init or depth rebuilds the network,
changing the learning rate only affects the next epochs. A diverged run (NaN loss) is reported
in the readout and the figure keeps the last finite state until you press reset.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..course.probes import dead_fraction, layer_stats, saturated_fraction
from ..data import DataLoader
from ..datasets import make_spiral
from ..layers import Linear, mlp
from ..losses import SoftmaxCrossEntropy
from ..metrics import accuracy
from ..optim import SGD
from ..train import TrainingDiverged, fit
from ..viz.inside_plots import plot_layer_histograms
from .base import Demo, warning_html

__all__ = ["inside_explorer"]

INIT_CHOICES = [("zeros", "zeros"), ("0.01 (too small)", 0.01), ("xavier", "xavier"),
                ("he", "he"), ("1.0 (too large)", 1.0)]


class InsideExplorer(Demo):
    """Dropdowns/sliders define a deep MLP; buttons train it; the figure shows every layer."""

    def __init__(self, X, y, act="tanh", init="xavier", depth=6, lr=0.1, width=32, seed=0):
        super().__init__("Inside a deep network: activations (top) and gradients (bottom) per layer")
        self.X, self.y, self.width, self.seed = X, y, width, seed
        self.loss_fn = SoftmaxCrossEntropy()
        self.add_control("act", widgets.Dropdown(options=["relu", "tanh", "sigmoid"], value=act,
                                                 description="activation"))
        self.add_control("init", widgets.Dropdown(options=INIT_CHOICES, value=init,
                                                  description="init"))
        self.add_control("depth", widgets.IntSlider(value=depth, min=2, max=10,
                                                    description="hidden layers",
                                                    continuous_update=False))
        self.add_control("lr", widgets.FloatLogSlider(value=lr, base=10, min=-4, max=1, step=0.25,
                                                      description="learning rate",
                                                      readout_format=".0e",
                                                      continuous_update=False))
        self.add_button("train", widgets.Button(description="train 1 epoch", icon="play"),
                        self.train_epoch)
        self.add_button("reset", widgets.Button(description="reset"), self.reset)
        self._key = None
        self.epochs = 0
        self.diverged = ""

    def _build(self, act, init, depth):
        self.model = mlp([2] + [self.width] * depth + [2], act, init=init, rng=self.seed)
        self.loader = DataLoader(self.X, self.y, batch_size=32, rng=self.seed)
        self.epochs, self.diverged, self._key = 0, "", (act, init, depth)

    def reset(self):
        """Rebuild the network from the current controls (fresh weights, epoch 0)."""
        v = self.values()
        self._build(v["act"], v["init"], v["depth"])
        self.refresh()

    def train_epoch(self):
        """One pass over the 300 points with plain SGD at the chosen learning rate."""
        v = self.values()
        if self._key != (v["act"], v["init"], v["depth"]):
            self._build(v["act"], v["init"], v["depth"])
        if not self.diverged:
            saved = [p.data.copy() for p in self.model.parameters()]
            try:
                fit(self.model, self.loss_fn, SGD(self.model.parameters(), lr=v["lr"]),
                    self.loader, epochs=1, progress=False)
                self.epochs += 1
            except TrainingDiverged:
                for p, s in zip(self.model.parameters(), saved):   # keep the last finite state
                    p.data[...] = s
                self.diverged = (f"diverged at lr = {v['lr']:.0e}: the loss became NaN/inf. "
                                 "Lower the learning rate and press reset.")
        self.refresh()

    def _symmetry_text(self, kind: str) -> str:
        """The symmetry trap (notebook 10, section 4), named for what it is, else "".

        When every hidden unit of a layer has the same incoming weights and bias as its
        neighbours (init "zeros" does this, and training keeps it so), the units are copies.
        With all weights 0 a ReLU layer outputs 0 everywhere: that is not "dead units" (negative
        inputs, section 7) but units that never became different.
        """
        hidden = [m for m in self.model.layers if isinstance(m, Linear)][:-1]
        if not all(np.all(m.W.data == m.W.data[:, :1]) and np.all(m.b.data == m.b.data[..., :1])
                   for m in hidden):
            return ""
        if any(np.any(m.W.data) for m in hidden):
            return "every unit of a layer identical to its neighbours (the symmetry trap)"
        if kind == "ReLU":
            return ("0% alive: all weights zero, every unit of a layer identical "
                    "(the symmetry trap, not dead units)")
        return "all weights zero, every unit of a layer identical (the symmetry trap)"

    def draw(self, act, init, depth, lr):
        if self._key != (act, init, depth):
            self._build(act, init, depth)
        s = layer_stats(self.model, self.X, self.y, self.loss_fn, lr=lr)
        acc = accuracy(self.model.forward(self.X), self.y)
        kind = s["act_kind"][0]
        frac = self._symmetry_text(kind) or (       # copies of one unit: not dead, not saturated
            f"dead units: {np.mean(dead_fraction(s['act'])):.0%}" if kind == "ReLU" else
            f"saturated: {np.mean(saturated_fraction(s['act'], kind)):.0%}")
        g = s["grad_norm"]
        ratio = (f"{g[0]:.1e} / {g[-1]:.1e}" if np.all(np.isfinite(g)) else "not finite")
        msg = "<br>" + warning_html(self.diverged) if self.diverged else ""
        self.readout.value = (f"epoch {self.epochs} · loss {s['loss']:.3f} · accuracy {acc:.0%} · "
                              f"{frac} · ||dW|| first / last layer: {ratio}{msg}")
        return plot_layer_histograms(s, title=f"{act}, init={init}, {depth} hidden layers "
                                               f"× {self.width}, epoch {self.epochs}")


def inside_explorer(*, act: str = "tanh", init="xavier", depth: int = 6, lr: float = 0.1,
                    seed: int = 0) -> InsideExplorer:
    """Live per-layer histograms of a deep MLP on a 300-point spiral, trained epoch by epoch.

    Start with tanh + xavier, then try init 0.01 (activations shrink to zero layer by layer),
    1.0 (saturation), sigmoid (gradients vanish towards layer 1), and relu with lr = 1.
    """
    X, y = make_spiral(300, noise=0.1, rng=seed)
    return InsideExplorer(X, y, act=act, init=init, depth=depth, lr=lr, seed=seed)
