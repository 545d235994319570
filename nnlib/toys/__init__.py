"""Toy problems the notebooks compute with, plain NumPy and nnlib (no plotting, no widgets).

`nl.toys.PlaygroundModel` and `nl.toys.make_features` are the engine of notebook 09's
playground (`nnlib/toys/playground.py`); `nl.viz.plot_playground` and
`nl.widgets.playground` draw and drive it.
"""

from __future__ import annotations

from .playground import (
    FEATURES,
    LEARNING_RATES,
    MAX_CLASSES,
    MAX_LAYERS,
    MAX_NEURONS,
    PLAYGROUND_DATASETS,
    REG_RATES,
    PlaygroundModel,
    check_data,
    make_features,
)

__all__ = ["PlaygroundModel", "make_features", "check_data", "FEATURES", "LEARNING_RATES",
           "REG_RATES", "PLAYGROUND_DATASETS", "MAX_LAYERS", "MAX_NEURONS", "MAX_CLASSES"]
