# Exercise 2 — solution: the gradient of the L1 penalty rate * sum|w|.
import numpy as np


def l1_penalty_grad(W, rate):
    """d(rate * sum|w|)/dW = rate * sign(W), with sign(0) = 0. Shapes: W (D_in, D_out) -> same."""
    return rate * np.sign(W)
