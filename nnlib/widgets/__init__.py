"""Live controls for the notebooks, built on ipywidgets; one module per notebook topic.

Every widget is a `base.Demo`: its controls, a figure area and a visible error line. Each has
a static twin in `nnlib.viz` shown before it, because GitHub and nbviewer do not run widgets.
Every factory a topic module lists in its `__all__` is available here as `nl.widgets.<name>`
and in `FACTORIES` (which the tests walk to drive every control to its extremes).
"""

from __future__ import annotations

from importlib import import_module

from .base import Demo, figure_to_png
from .training import TrainingDashboard

# the topic modules, in the order of the notebooks; each lists its public names in __all__
MODULES = tuple(import_module(f"{__name__}.{name}") for name in (
    "neuron", "activations", "maths", "descent", "graph", "network", "backprop", "training",
    "playground", "inside", "optimizers", "mnist", "drawpad", "conv"))
FACTORIES = {name: getattr(mod, name) for mod in MODULES for name in mod.__all__}
globals().update(FACTORIES)   # nl.widgets.neuron_explorer, ...

__all__ = ["Demo", "figure_to_png", "TrainingDashboard", "FACTORIES", *FACTORIES]
