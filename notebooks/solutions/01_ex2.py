# Exercise 2 — solution: count the points a neuron classifies correctly.
import numpy as np


def count_correct(X, y, w, b):
    """Number of rows of X whose prediction (z = X @ w + b > 0 means class 1) equals y."""
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b   # (N,)
    pred = (z > 0).astype(int)                                         # (N,)
    return int(np.sum(pred == np.asarray(y)))
