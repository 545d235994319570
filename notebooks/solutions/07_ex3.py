# Solution to notebook 07, Exercise 3: backward through Linear -> ReLU -> Linear, by hand.
import numpy as np


def two_layer_backward(x, W1, b1, W2, b2, dout):
    """Gradients (dW1, db1, dW2, db2) of z2 = relu(x @ W1 + b1) @ W2 + b2, given dout = dL/dz2."""
    z1 = x @ W1 + b1                                 # (N, H)
    a1 = np.maximum(z1, 0)                           # (N, H)
    dW2 = a1.T @ dout                                # (H, C)
    db2 = dout.sum(axis=0)                           # (C,)
    da1 = dout @ W2.T                                # (N, H)
    dz1 = da1 * (z1 > 0)                             # (N, H)
    dW1 = x.T @ dz1                                  # (D, H)
    db1 = dz1.sum(axis=0)                            # (H,)
    return dW1, db1, dW2, db2
