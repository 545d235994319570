# Exercise 1 — solution: the slopes of ReLU and tanh.
import numpy as np


def relu_derivative(z):
    """dReLU/dz: 1 where z > 0, else 0 (we take 0 at the kink z = 0). Same shape as z."""
    return (np.asarray(z) > 0).astype(float)


def tanh_derivative(z):
    """dtanh/dz = 1 - tanh(z)^2: 1 at z = 0, vanishing for large |z|. Same shape as z."""
    return 1.0 - np.tanh(z) ** 2
