"""Worked examples: small networks whose every number a notebook writes out by hand.

- `TINY_NET` and `network_numbers` (notebook 05): the 2-2-1 sigmoid network, every z, a and
  gradient of one forward and backward pass, step by step;
- `chain_values` (notebook 10): a chain of one-neuron layers, forward and backward, the
  arithmetic behind vanishing gradients.

NumPy and `nl.sigmoid` only, no layers: these are the numbers a learner checks with pencil and
paper.
"""

from __future__ import annotations

import numpy as np

from ..layers import sigmoid

__all__ = ["TINY_NET", "network_numbers", "chain_values"]


# The network of notebook 05: x (2,), W1 (2 inputs, 2 hidden), b1 (2,), W2 (2,), b2 scalar.
TINY_NET = {
    "x": np.array([1.0, -0.5]),
    "target": 1.0,
    "W1": np.array([[0.5, -0.3],
                    [0.8, 0.2]]),
    "b1": np.array([0.1, -0.1]),
    "W2": np.array([0.7, -0.6]),
    "b2": 0.2,
}


def network_numbers(x=None, target=None, W1=None, b1=None, W2=None, b2=None) -> dict:
    """Every number of one forward and backward pass of the 2-2-1 sigmoid network.

    Forward: z1 = x @ W1 + b1, a1 = sigmoid(z1), z2 = a1 @ W2 + b2, a2 = sigmoid(z2),
    L = (a2 - target)^2. Backward, by the chain rule from the loss down:
    dL/da2 = 2 (a2 - t), dL/dz2 = dL/da2 * a2 (1 - a2), dW2 = a1 * dL/dz2, db2 = dL/dz2,
    dL/da1 = W2 * dL/dz2, dL/dz1 = dL/da1 * a1 (1 - a1), dW1 = outer(x, dL/dz1), db1 = dL/dz1.
    Arguments left as None take their value from `TINY_NET`. Keys: x, target, W1, b1, W2, b2,
    z1, a1, z2, a2, L, dL_da2, dL_dz2, dW2, db2, dL_da1, dL_dz1, dW1, db1.
    """
    p = {k: np.array(v, dtype=float) for k, v in TINY_NET.items()}
    given = {"x": x, "target": target, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
    for k, v in given.items():
        if v is not None:
            p[k] = np.array(v, dtype=float)
    for k in ("x", "W1", "b1", "W2"):
        want = TINY_NET[k].shape
        if p[k].shape != want:
            raise ValueError(f"network_numbers: {k} must have shape {want}, got {p[k].shape}")
    x, t, W1, b1, W2, b2 = (p[k] for k in ("x", "target", "W1", "b1", "W2", "b2"))
    z1 = x @ W1 + b1                         # (2,)
    a1 = sigmoid(z1)                        # (2,)
    z2 = float(a1 @ W2 + b2)
    a2 = float(sigmoid(np.float64(z2)))     # float64: a Python float alone would round to float32
    L = (a2 - float(t)) ** 2
    dL_da2 = 2.0 * (a2 - float(t))
    dL_dz2 = dL_da2 * a2 * (1.0 - a2)
    dW2 = a1 * dL_dz2                        # (2,)
    db2 = dL_dz2
    dL_da1 = W2 * dL_dz2                     # (2,)
    dL_dz1 = dL_da1 * a1 * (1.0 - a1)        # (2,)
    dW1 = np.outer(x, dL_dz1)                # (2, 2)
    db1 = dL_dz1.copy()
    return dict(x=x, target=float(t), W1=W1, b1=b1, W2=W2, b2=float(b2), z1=z1, a1=a1, z2=z2,
                a2=a2, L=L, dL_da2=dL_da2, dL_dz2=dL_dz2, dW2=dW2, db2=db2, dL_da1=dL_da1,
                dL_dz1=dL_dz1, dW1=dW1, db1=db1)


# -- the layers of a model ------------------------------------------------------------------


_CHAIN_ACTS = {
    "sigmoid": (sigmoid, lambda a: a * (1 - a)),
    "tanh": (np.tanh, lambda a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: float(a > 0)),
}


def chain_values(x: float, weights, act: str = "sigmoid") -> dict:
    """Forward and backward through a chain of one-neuron layers a_k = f(w_k a_(k-1)).

    The backward pass starts from dL/da_L = 1 and multiplies, layer by layer, by the slope
    f'(z_k) and by the weight w_k: dL/da_(k-1) = dL/da_k f'(z_k) w_k. Returns lists `z`, `a`
    (a[0] = x), `slope` and `grad` (grad[k] = dL/da_k, grad[0] for the input).
    """
    if act not in _CHAIN_ACTS:
        raise ValueError(f"chain_values: act must be one of {sorted(_CHAIN_ACTS)}, got {act!r}")
    f, df = _CHAIN_ACTS[act]
    a, z, slope = [float(x)], [], []
    for w in weights:
        z.append(float(w) * a[-1])
        a.append(float(f(np.float64(z[-1]))))
        slope.append(float(df(a[-1])))
    grad = [1.0]
    for w, s in zip(reversed(list(weights)), reversed(slope)):
        grad.append(grad[-1] * s * float(w))
    return {"z": z, "a": a, "slope": slope, "grad": grad[::-1]}
