"""The activation functions of notebook 02 with their slopes, as plain NumPy functions.

`ACTIVATION_FUNCTIONS` maps a name to the pair (f, f'); `activation_and_slope(name, z)` evaluates
both. The layers of `nnlib.layers` compute the same functions on whole batches (sigmoid is
`nl.sigmoid` itself); these are the curves the figures of `nl.viz` draw (no matplotlib here).
"""

from __future__ import annotations

import numpy as np

from ..layers import sigmoid

__all__ = ["ACTIVATION_FUNCTIONS", "KINKED", "LEAKY_SLOPE", "activation_and_slope"]

LEAKY_SLOPE = 0.1   # larger than the usual 0.01 so that the leak is visible in the pictures


def _sig_slope(z):
    s = sigmoid(z)
    return s * (1 - s)


# name -> (f, f'); f' at z = 0, a kink of ReLU and leaky ReLU and the jump of the step, is taken
# from the left.
ACTIVATION_FUNCTIONS = {
    "step": (lambda z: (z > 0).astype(float), lambda z: np.zeros_like(z, dtype=float)),
    "sigmoid": (sigmoid, _sig_slope),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "leaky_relu": (lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
                   lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE)),
    "identity": (lambda z: np.asarray(z, dtype=float) * 1.0,
                 lambda z: np.ones_like(z, dtype=float)),
}
KINKED = {"step", "relu", "leaky_relu"}   # no slope at z = 0: a kink (ReLU, leaky ReLU) or a jump (step)


def activation_and_slope(name: str, z):
    """(f(z), f'(z)) for an activation in `ACTIVATION_FUNCTIONS`, element-wise."""
    if name not in ACTIVATION_FUNCTIONS:
        raise ValueError(f"activation_and_slope: name must be one of {sorted(ACTIVATION_FUNCTIONS)}, "
                         f"got {name!r}")
    f, df = ACTIVATION_FUNCTIONS[name]
    z = np.asarray(z, dtype=float)
    return f(z), df(z)
