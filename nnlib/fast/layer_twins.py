"""The fast twins of `Linear`, `ReLU`, `Tanh`, `Sequential` and `SoftmaxCrossEntropy`.

CS231n keeps `layers.py` (derived) apart from `fast_layers.py` (the same contract, faster);
these are nnlib's. A twin is built from a textbook object and holds *the same* `Parameter`
objects, so what it learns is the model's; it never changes the object it was built from.
Same numbers as the textbook (`tests/fast/test_fast_equals_textbook.py`, 1e-12 in float64);
what differs is only how they are computed:

1. **Arrays are kept** (`Buffers`): outputs, dL/dx, the ReLU mask and the softmax are written
   with `out=` into arrays made once per batch shape.
2. **Gradients are written, not added**: `fit` zeroes every gradient before each backward
   pass, so dW = x.T @ dout can be written straight into `W.grad` (`=` into zeros is `+=`).
   `twin()` (in `nnlib/fast/__init__.py`) keeps the textbook layer for a layer used twice or
   sharing a parameter, where adding matters. When every parameter belongs to a twin that
   writes, the zeroing itself is skipped (`FusedOptimizer(zero_grads=False)`).
3. **dL/dx only when asked**: `FastLinear(layer, input_grad=False)` skips dx = dout @ W.T, the
   one product nobody needs for the network's first layer; its `backward` then returns None.

A twin is for training (`fit`); evaluation (`predict`, `evaluate`) runs the textbook model.
"""

from __future__ import annotations

import numpy as np

from ..core import Module
from ..layers import Linear, ReLU, Sequential, Tanh, check_dout, check_input
from ..losses import SoftmaxCrossEntropy
from .buffers import Buffers


class FastLinear(Module):
    """Linear's twin: z = x @ W + b into a kept array; dW, db written into the gradients."""

    writes_gradients = True                               # SpeedTwins: no zeroing needed

    def __init__(self, layer: Linear, input_grad: bool = True):
        self.W, self.b = layer.W, layer.b                 # the same Parameter objects
        self.in_features, self.out_features = layer.in_features, layer.out_features
        self.input_grad = input_grad
        self.buffers = Buffers()
        self._x = None

    def forward(self, x):
        key = ("z", x.shape, x.dtype) if isinstance(x, np.ndarray) else None
        if key not in self.buffers:                       # a new shape: checked as Linear does
            x = check_input("Linear", x, self.in_features)
            key = ("z", x.shape, x.dtype)
        z = self.buffers.get(key, (x.shape[0], self.out_features), np.result_type(x, self.W.data))
        self._x = x
        np.matmul(x, self.W.data, out=z)                  # z = x @ W
        z += self.b.data                                  #     + b
        return z

    def backward(self, dout):
        x = self._x
        dout = check_dout(self, dout, x, self.out_features)
        np.matmul(x.T, dout, out=self.W.grad)             # dW = x.T @ dout, written
        np.add.reduce(dout, axis=0, out=self.b.grad)      # db = dout summed over the batch
        if not self.input_grad:
            return None                                   # nobody asked for dL/dx
        dx = self.buffers.get(("dx", dout.shape, dout.dtype), x.shape,
                              np.result_type(dout, self.W.data))
        return np.matmul(dout, self.W.data.T, out=dx)     # dx = dout @ W.T


class _FastActivation(Module):
    """An element-wise twin: float inputs use kept arrays, anything else the textbook layer."""

    def __init__(self, layer):
        self.layer = layer                                # runs inputs the twin does not take
        self.buffers = Buffers()
        self._x = self._a = None
        self._textbook = False

    def forward(self, x):
        self._textbook = not (isinstance(x, np.ndarray) and x.dtype.kind == "f")
        if self._textbook:                                # ints, lists: the textbook converts
            return self.layer.forward(x)
        self._x = x
        self._a = self.f(x, self.buffers.get(("a", x.shape, x.dtype), x.shape, x.dtype))
        return self._a

    def backward(self, dout):
        if self._textbook:
            return self.layer.backward(dout)
        dout = check_dout(self, dout, self._x)
        # laid out like x (a convolution's output is a transposed view): passes in memory order
        dx = self.buffers.get(("dx", dout.shape, dout.dtype), self._x.shape,
                              np.result_type(dout, self._x), like=self._x)
        self.df(dx)                                       # f'(z), written into dx
        return np.multiply(dout, dx, out=dx)              # dL/dz = dL/da * f'(z)


class FastReLU(_FastActivation):
    """ReLU's twin: max(z, 0) and dout * (z > 0), the mask written into a kept array."""

    def f(self, x, out):
        return np.maximum(x, 0, out=out)

    def df(self, out):
        np.greater(self._x, 0, out=out)                   # 1.0 where z > 0, else 0.0


class FastTanh(_FastActivation):
    """Tanh's twin: tanh(z) and dout * (1 - a^2), in kept arrays."""

    def f(self, x, out):
        return np.tanh(x, out=out)

    def df(self, out):
        np.multiply(self._a, self._a, out=out)
        np.subtract(1.0, out, out=out)                    # 1 - a^2


class FastSequential(Sequential):
    """Sequential's twin: the same two loops (inherited), run over the children's twins.

    Its `backward` returns None when the first layer skips dL/dx (`input_grad=False`).
    """


class FastSoftmaxCrossEntropy:
    """SoftmaxCrossEntropy's twin for int labels: the softmax and dL/dz in kept arrays.

    L = (sum of log(sum exp(shifted)) - sum of shifted[true class]) / N, which is
    -mean(log p[true class]) without forming log p; dz = probs / N with 1/N taken off at the
    true class. One-hot targets run the textbook loss object it was built from.
    """

    is_classification = True

    def __init__(self, loss_fn: SoftmaxCrossEntropy):
        self.loss_fn = loss_fn
        self.buffers = Buffers()
        self._labels = None

    def __call__(self, pred, target) -> float:
        return self.forward(pred, target)

    def forward(self, pred, target) -> float:
        if not (isinstance(pred, np.ndarray) and pred.ndim == 2 and pred.size
                and pred.dtype.kind == "f" and isinstance(target, np.ndarray)
                and target.ndim == 1 and target.dtype.kind in "iu"):
            self._labels = None
            return self.loss_fn.forward(pred, target)
        N, C = pred.shape
        # one pass checks both ends: seen as unsigned, a negative label is a huge number
        if len(target) != N or np.maximum.reduce(target.view(f"u{target.itemsize}")) >= C:
            SoftmaxCrossEntropy.check_labels(target, N, C)     # raises the textbook's error
        probs = self.buffers.get(("probs", pred.shape, pred.dtype), pred.shape, pred.dtype)
        rows = self.buffers.get(("rows", N), N, np.intp)
        if rows[-1] != N - 1 or rows[0] != 0:
            rows[:] = np.arange(N)
        shifted = np.subtract(pred, np.maximum.reduce(pred, axis=1, keepdims=True), out=probs)
        picked = shifted[rows, target]                            # (N,), a copy
        np.exp(shifted, out=probs)
        sumexp = np.add.reduce(probs, axis=1, keepdims=True)      # (N, 1)
        loss = (np.add.reduce(np.log(sumexp), axis=None) - np.add.reduce(picked)) / N
        probs /= sumexp                                           # softmax
        self._probs, self._labels, self._rows = probs, target, rows
        return float(loss)

    def backward(self) -> np.ndarray:
        if self._labels is None:                                  # one-hot targets
            return self.loss_fn.backward()
        probs = self._probs
        dz = self.buffers.get(("dz", probs.shape, probs.dtype), probs.shape, probs.dtype)
        np.multiply(probs, 1.0 / probs.shape[0], out=dz)          # softmax / N
        dz[self._rows, self._labels] -= 1.0 / probs.shape[0]      # - onehot / N
        return dz


TWINS = {Linear: FastLinear, ReLU: FastReLU, Tanh: FastTanh}
