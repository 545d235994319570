"""Live race of SGD, momentum, RMSProp and Adam on a 2-D loss surface (notebook 11).

`optimizer_race()` lets the learner pick the surface, the optimizers, the learning rate and the
momentum (Adam's beta1), and step all of them together with buttons. Every path is recomputed
from the start for the current number of steps whenever a control changes, so the controls
compare settings over the same budget. Diverging optimizers are cut and named in the readout.
The race stops at `MAX_STEPS` (500) steps, and the readout says so once it is there.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..course.surfaces import OPTIMIZERS, SURFACES
from ..viz.optimizers_plots import plot_optimizer_race
from .base import SteppedDemo, warning_html

__all__ = ["optimizer_race"]


class OptimizerRace(SteppedDemo):
    """Step four optimizers side by side on one surface; paths and loss curves redrawn."""

    MAX_STEPS = 500

    def __init__(self, surface="valley", lr=0.1, momentum=0.9, steps=30):
        super().__init__("Optimizers on a 2-D loss surface")
        self.steps = steps
        wide = {"description_width": "initial"}
        self.add_control("surface", widgets.Dropdown(options=list(SURFACES), value=surface,
                                                     description="surface"))
        self.add_control("lr", widgets.FloatLogSlider(
            value=lr, base=10, min=-3, max=0, step=0.05, description="learning rate",
            readout_format=".3g", continuous_update=False, style=wide))
        self.add_control("momentum", widgets.FloatSlider(
            value=momentum, min=0.0, max=0.99, step=0.01, description="momentum / β1",
            continuous_update=False, style=wide))
        for name in OPTIMIZERS:
            self.add_control("show_" + name, widgets.Checkbox(value=True, description=name, indent=False,
                                                    layout=widgets.Layout(width="110px")))
        for label, n in (("step", 1), ("10 steps", 10), ("50 steps", 50)):
            self.add_button(label, widgets.Button(description=label),
                            lambda n=n: self._advance(n))
        self.add_button("reset", widgets.Button(description="reset", button_style="warning"),
                        self._reset)

    def draw(self, surface, lr, momentum, **chosen):
        methods = [m for m in OPTIMIZERS if chosen.get("show_" + m)]
        fig, paths = plot_optimizer_race(surface, methods, lr, self.steps, momentum)
        self.paths = paths
        parts = []
        for path in paths:
            if path["diverged"] is not None:
                parts.append(warning_html(f"{path['name']}: diverged at step {path['diverged']}",
                                          "(the values left the plot by a factor of 1000) — "
                                          "try a smaller learning rate"))
            else:
                gap = path["loss"][-1] - SURFACES[surface].lowest
                parts.append(f"{path['name']}: loss − lowest = {gap:.3g}")
        head = f"step {self.steps}: "
        if self.steps >= self.MAX_STEPS:                   # say it, rather than stop counting
            head = (f"step {self.steps}, the most this race draws (the step buttons add no more; "
                    f"what has not happened yet is not reached in {self.MAX_STEPS} steps): ")
        self.readout.value = head + (" · ".join(parts) if parts else "no optimizer ticked")
        return fig


def optimizer_race(surface: str = "valley", lr: float = 0.1, momentum: float = 0.9) -> OptimizerRace:
    """SGD, momentum, RMSProp and Adam stepped together on a 2-D surface, with controls."""
    return OptimizerRace(surface=surface, lr=lr, momentum=momentum)
