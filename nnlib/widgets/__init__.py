"""Live controls for the notebooks, built on ipywidgets; one module per notebook topic.

Every widget is a `base.Demo`: its controls, a figure area and a visible error line. Each has
a static twin in `nnlib.viz` shown before it, because GitHub and nbviewer do not run widgets.
Every factory a topic module lists in its `__all__` is available here as `nl.widgets.<name>`
and in `FACTORIES` (which the tests walk to drive every control to its extremes).
"""

from __future__ import annotations

# the topic modules, in the order of the notebooks; each lists its public names in __all__
from . import (  # noqa: I001 - the topic modules, in the order of the notebooks
    activations_widgets,
    backprop_widgets,
    conv_stepper_widgets,
    conv_widgets,
    descent_widgets,
    drawpad_widgets,
    graph_widgets,
    inside_widgets,
    maths_widgets,
    mnist_widgets,
    network_widgets,
    neuron_widgets,
    optimizers_widgets,
    playground_widgets,
    stepper_widgets,
    training_widgets,
)
from .base import Demo, figure_to_png
from .training_widgets import TrainingDashboard

MODULES = (
    activations_widgets,
    backprop_widgets,
    conv_stepper_widgets,
    conv_widgets,
    descent_widgets,
    drawpad_widgets,
    graph_widgets,
    inside_widgets,
    maths_widgets,
    mnist_widgets,
    network_widgets,
    neuron_widgets,
    optimizers_widgets,
    playground_widgets,
    stepper_widgets,
    training_widgets,
)
FACTORIES = {name: getattr(mod, name) for mod in MODULES for name in mod.__all__}
globals().update(FACTORIES)   # nl.widgets.neuron_explorer, ...

__all__ = ["Demo", "figure_to_png", "TrainingDashboard", "FACTORIES", *FACTORIES]
