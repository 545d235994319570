"""Plotting for the notebooks: one house style and the static twin of every widget. Draws only.

Every public function here takes data and returns (or draws into given axes) a matplotlib
Figure; what the figures show is computed elsewhere (`nnlib.metrics`, `nnlib.course.probes`,
`nnlib.course`, `nnlib.datasets`). `use_style()` sets small figures and the colour-blind-safe
palette of `style.py`, which also names every colour (blue `POSITIVE`, orange `NEGATIVE`) and
makes new axes (`new_axes`). Topic modules (one per notebook topic) hold the figures; every
name a topic module lists in its `__all__` is re-exported here, so notebooks call
`nl.viz.<name>`.
"""

from __future__ import annotations

# the topic modules, in the order of the notebooks; each lists its public names in __all__
from . import (  # noqa: I001 - the topic modules, in the order of the notebooks
    activations_plots,
    backprop_plots,
    common,
    conv_plots,
    conv_stepper_plots,
    descent_plots,
    drawpad_plots,
    graph_plots,
    inside_plots,
    maths_plots,
    mnist_plots,
    network_plots,
    neuron_plots,
    optimizers_plots,
    playground_plots,
    stepper_plots,
    training_plots,
    value_graph,
)
from .style import (
    CLASS_COLORS,
    CLASS_MARKERS,
    COLORS,
    LINESTYLES,
    NEGATIVE,
    POSITIVE,
    class_cmap,
    figure,
    new_axes,
    sign_cmap,
    sign_legend,
    use_style,
)

MODULES = (
    activations_plots,
    backprop_plots,
    common,
    conv_plots,
    conv_stepper_plots,
    descent_plots,
    drawpad_plots,
    graph_plots,
    inside_plots,
    maths_plots,
    mnist_plots,
    network_plots,
    neuron_plots,
    optimizers_plots,
    playground_plots,
    stepper_plots,
    training_plots,
    value_graph,
)
_TOPIC = {name: getattr(mod, name) for mod in MODULES for name in mod.__all__}
globals().update(_TOPIC)      # nl.viz.plot_neuron, ...

__all__ = ["use_style", "figure", "new_axes", "COLORS", "LINESTYLES", "CLASS_COLORS",
           "CLASS_MARKERS", "POSITIVE", "NEGATIVE", "sign_cmap", "sign_legend", "class_cmap",
           *_TOPIC]
