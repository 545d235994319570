"""Live gradient descent on the loss surface of notebook 04 (one neuron, four points).

`descent_explorer()` has a log-scale learning-rate slider and step / 10 steps / reset buttons.
The path is recomputed from the start for the current number of steps whenever the rate
changes, so sliding the rate shows at once how the same number of steps converges, zig-zags or
blows up. A diverging run is cut and explained in words instead of drawing overflowed numbers;
a run whose loss went up at the last step is flagged at once ("growing", then "diverged" once
the loss is above where it started). The slider moves in steps of 10^0.005 (about 1.2 %), fine
enough to sit just below or just above the stability limit 0.238.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..course.surfaces import (
    DESCENT_START,
    DESCENT_X,
    DESCENT_Y,
    descent_path,
    diverged_message,
    growth_message,
)
from ..viz.descent_plots import plot_descent
from .base import SteppedDemo, warning_html
from .inplace import InPlaceFigure

__all__ = ["descent_explorer"]


class DescentExplorer(InPlaceFigure, SteppedDemo):
    """Step gradient descent by hand; watch the path on the contour map and the loss curve."""

    MAX_STEPS = 500

    def __init__(self, lr=0.05, x=DESCENT_X, y=DESCENT_Y, start=DESCENT_START):
        super().__init__("Gradient descent on the loss surface")
        self.x, self.y, self.start, self.steps = x, y, start, 0
        self.add_control("lr", widgets.FloatLogSlider(
            value=lr, base=10, min=-3, max=0.5, step=0.005, description="learning rate",
            readout_format=".3g", continuous_update=False, style={"description_width": "initial"}))
        self.add_button("step", widgets.Button(description="step"), lambda: self._advance(1))
        self.add_button("step10", widgets.Button(description="10 steps"), lambda: self._advance(10))
        self.add_button("reset", widgets.Button(description="reset", button_style="warning"),
                        self._reset)

    def draw(self, lr):
        path = descent_path(*self.start, lr, self.steps, self.x, self.y)
        self.path = path
        warning = growth_message(path)
        if path["diverged"] is not None:
            self.readout.value = warning_html(diverged_message(path))
        elif warning:
            self.readout.value = warning_html(warning)
        else:
            k = len(path["w"]) - 1
            self.readout.value = (f"step {k}: w = {path['w'][-1]:.4f}, b = {path['b'][-1]:.4f}, "
                                  f"loss = {path['loss'][-1]:.4f}, gradient = "
                                  f"({path['dw'][-1]:.3f}, {path['db'][-1]:.3f})")
        return plot_descent(path, self.x, self.y)


def descent_explorer(lr: float = 0.05) -> DescentExplorer:
    """Gradient descent on the 1-neuron MSE surface with a learning-rate slider and step buttons."""
    return DescentExplorer(lr=lr)
