# Exercise 1 — solution: a dense layer's forward pass with shape checks.
import numpy as np


def dense_forward(x, W, b):
    """Return z = x @ W + b for a batch x (N, D_in), W (D_in, D_out), b (D_out,).

    Raise ValueError (naming the shapes) when they do not fit together.
    """
    x, W, b = np.asarray(x), np.asarray(W), np.asarray(b)
    if x.ndim != 2:
        raise ValueError(f"dense_forward: x must be 2-D (N, D_in), got shape {x.shape}")
    if W.ndim != 2 or W.shape[0] != x.shape[1]:
        raise ValueError(f"dense_forward: W must have shape ({x.shape[1]}, D_out), got {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"dense_forward: b must have shape ({W.shape[1]},), got {b.shape}")
    return x @ W + b                                   # (N, D_out)
