# Exercise 2 — solution: the forward pass of a whole MLP, as a loop over layers.
import numpy as np


def mlp_forward(x, params, act=np.tanh):
    """Push a batch x (N, D_in) through layers given as a list of (W, b) pairs.

    Every layer computes z = a @ W + b; every layer but the last then applies `act`.
    The last layer's z (raw scores) is returned, shape (N, D_out).
    """
    a = np.asarray(x)
    for k, (W, b) in enumerate(params):
        z = a @ W + b                                  # (N, D_k)
        a = act(z) if k < len(params) - 1 else z
    return a
