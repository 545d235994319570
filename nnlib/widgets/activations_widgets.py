"""Live activation functions for notebook 02: a point sliding along a curve, and softmax bars.

`activation_explorer`: pick an activation, move z, read f(z) and f'(z) and see the tangent.
`softmax_explorer`: move four logits and a temperature, watch the probabilities. Both draw the
figures of `nnlib.viz.activations_plots` (their static twins), which are cheap: sliders update live.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..course.activation_curves import ACTIVATION_FUNCTIONS, KINKED, activation_and_slope
from ..losses import softmax
from ..viz.activations_plots import plot_activation_slope, plot_softmax
from .base import Demo
from .inplace import InPlaceFigure

__all__ = ["activation_explorer", "softmax_explorer"]

_SLIDER = dict(continuous_update=True, layout=widgets.Layout(width="280px"))


class ActivationExplorer(InPlaceFigure, Demo):
    """Dropdown (which activation) + slider (z) -> curve with tangent, slope curve, readout."""

    def __init__(self, name: str = "sigmoid", z: float = 1.0):
        super().__init__("Activation functions: value and slope")
        self.add_control("name", widgets.Dropdown(options=list(ACTIVATION_FUNCTIONS), value=name,
                                                  description="f"))
        self.add_control("z", widgets.FloatSlider(value=z, min=-6.0, max=6.0, step=0.1,
                                                  description="z", readout_format=".1f",
                                                  **_SLIDER))

    def draw(self, name, z):
        f0, d0 = (float(v) for v in activation_and_slope(name, z))
        note = ""
        if name in KINKED and abs(z) < 1e-9:
            where = "a jump" if name == "step" else "a kink"
            note = f" — f is not differentiable at z = 0 ({where}); we use the left slope, {d0:g}"
        elif d0 == 0:
            note = " — flat (slope exactly 0): no gradient passes back through this unit"
        elif abs(d0) < 0.01:
            note = " — almost flat here: hardly any gradient passes back through this unit"
        slope = f"{d0:.2e}" if 0 < abs(d0) < 1e-3 else f"{d0:.4f}"   # never 0.0000 for a slope > 0
        self.readout.value = (f"<b>f(z) = {f0:.4f}</b> &nbsp; <b>f′(z) = {slope}</b>"
                              f"<i>{note}</i>")
        return plot_activation_slope(name, z)


class SoftmaxExplorer(InPlaceFigure, Demo):
    """Four logit sliders and a temperature -> logits and softmax probabilities as bars."""

    def __init__(self, logits=(2.0, 1.0, 0.1, -1.0), temperature: float = 1.0):
        super().__init__("Softmax: scores in, probabilities out")
        for i, v in enumerate(logits):
            self.add_control(f"z{i}", widgets.FloatSlider(value=v, min=-10, max=10, step=0.1,
                                                          description=f"z{i}", **_SLIDER))
        self.add_control("T", widgets.FloatLogSlider(value=temperature, base=10, min=-1.5,
                                                     max=1.5, step=0.05, description="T",
                                                     **_SLIDER))

    def draw(self, T, **logits):
        z = np.array([logits[k] for k in sorted(logits)])
        p = softmax(z / T)
        top = np.flatnonzero(z == z.max())         # equal logits, equal probabilities: a tie
        if len(top) == 1:
            largest = f"largest: class {int(top[0])}"
        else:
            names = [str(int(k)) for k in top]
            largest = f"a tie between classes {', '.join(names[:-1])} and {names[-1]}"
        self.readout.value = ("probabilities: " + ", ".join(f"{v:.3f}" for v in p)
                              + f" &nbsp; (sum {p.sum():.3f}; {largest})")
        return plot_softmax(z, T)


def activation_explorer(name: str = "sigmoid", z: float = 1.0) -> ActivationExplorer:
    """Live: choose an activation and a pre-activation z; see f(z), f'(z) and the tangent."""
    return ActivationExplorer(name, z)


def softmax_explorer(logits=(2.0, 1.0, 0.1, -1.0), temperature: float = 1.0) -> SoftmaxExplorer:
    """Live: four logits and a temperature T; see softmax(z / T) as a bar chart."""
    if len(logits) != 4:
        raise ValueError(f"softmax_explorer: expected 4 logits, got {len(logits)}")
    return SoftmaxExplorer(logits, temperature)
