# Exercise 1: the fraction of dead ReLUs per layer
import numpy as np


def dead_fraction(acts):
    # acts: list of (N, width) arrays -> array of shape (len(acts),), values in [0, 1]
    return np.array([np.mean(np.all(a <= 0, axis=0)) for a in acts])
