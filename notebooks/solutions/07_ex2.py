# Solution to notebook 07, Exercise 2: binary cross-entropy on logits, its gradient.
import numpy as np


def bce_backward(z, y):
    """Return dL/dz for L = mean(BCE(sigmoid(z), y)). Shapes: z, y (N, 1)."""
    p = 1.0 / (1.0 + np.exp(-z))                     # sigmoid(z), (N, 1)
    return (p - y) / z.size                          # same tidy form as softmax cross-entropy
