"""Plotting helpers for the notebooks: one house style and the static twin of every widget.

`use_style()` sets small figures, a colour-blind-safe palette (Okabe-Ito) with distinct line
styles, and readable fonts. Topic modules (one per notebook topic) hold the figures; every
name a topic module lists in its `__all__` is re-exported here, so notebooks call
`nl.viz.<name>`.
"""

from __future__ import annotations

from . import (
    activations,
    backprop,
    common,
    descent,
    drawpad,
    graph,
    inside,
    mnist,
    network,
    neuron,
    optimizers,
    playground,
    training,
)
from .style import (
    CLASS_COLORS,
    CLASS_MARKERS,
    COLORS,
    LINESTYLES,
    class_cmap,
    diverging_cmap,
    figure,
    use_style,
)

MODULES = (common, neuron, activations, descent, graph, network, backprop, training, playground,
           inside, optimizers, mnist, drawpad)
_TOPIC = {name: getattr(mod, name) for mod in MODULES for name in mod.__all__}
globals().update(_TOPIC)      # nl.viz.plot_neuron, ...

__all__ = ["use_style", "figure", "COLORS", "LINESTYLES", "CLASS_COLORS", "CLASS_MARKERS",
           "diverging_cmap", "class_cmap", *_TOPIC]
