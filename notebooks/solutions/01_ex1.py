# Exercise 1 — solution: one neuron, weighted sum then sigmoid.
import numpy as np


def neuron(x, w, b):
    """Output a = sigmoid(x @ w + b) of one neuron. Shapes: x (2,) or (N, 2), w (2,), b scalar."""
    z = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b   # () or (N,)
    return 1.0 / (1.0 + np.exp(-z))
