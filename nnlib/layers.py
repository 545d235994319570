"""Layers with an explicit forward and backward pass: `Linear`, activations, `Dropout`, `Sequential`.

Each layer remembers in `forward` what its `backward` needs and returns dL/d(input) from
dL/d(output). Written to be read next to notebooks 06 and 07, where every line is derived:
`Linear.backward` is the three lines dW = x.T @ dout, db = dout.sum(axis=0), dx = dout @ W.T.
Gradients are *added* to `Parameter.grad`, so call `zero_grad()` before each backward pass.
(`fit(..., fast=True)` trains separate twins of these layers, built from the same Parameters and
proven equal by tests; see `nnlib/fast/layer_twins.py`. `fit` with its defaults runs this file.)
"""

from __future__ import annotations

import numpy as np

from .core import Module, Parameter, make_rng

INITS = ("he", "xavier", "normal", "zeros")


def init_weights(init, fan_in: int, fan_out: int, rng, dtype=np.float64, *, shape=None,
                 name: str = "init_weights") -> np.ndarray:
    """Initial weights for a layer with `fan_in` inputs and `fan_out` outputs per neuron.

    "he" draws from N(0, 2/fan_in), which keeps the size of ReLU activations steady from layer
    to layer; "xavier" from N(0, 2/(fan_in+fan_out)), the same idea for tanh and sigmoid;
    "normal" from N(0, 0.01^2), the classic "small random numbers"; "zeros" gives zeros (a
    lesson in symmetry: every neuron of a layer then learns the same thing). A float is used as
    the standard deviation of a normal distribution. The array has shape (fan_in, fan_out)
    unless `shape` says otherwise (a convolution's (C_out, C_in, kH, kW)); `name` is the layer
    that asks, for the error message.
    """
    shape = (fan_in, fan_out) if shape is None else tuple(shape)
    if isinstance(init, (int, float)) and not isinstance(init, bool):
        if not np.isfinite(init) or init < 0:
            raise ValueError(f"{name}: a numeric init is a standard deviation >= 0, got {init}")
        std = float(init)
    elif init == "he":
        std = np.sqrt(2.0 / fan_in)
    elif init == "xavier":
        std = np.sqrt(2.0 / (fan_in + fan_out))
    elif init == "normal":
        std = 0.01
    elif init == "zeros":
        return np.zeros(shape, dtype=dtype)
    else:
        raise ValueError(f"{name}: init must be one of {INITS} or a float std, got {init!r}")
    return (rng.standard_normal(shape) * std).astype(dtype)


def check_input(name: str, x: np.ndarray, width: int | None = None) -> np.ndarray:
    """Raise a ValueError naming the layer unless x is a 2-D array (with `width` columns)."""
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if x.ndim != 2 or (width is not None and x.shape[1] != width):
        want = f"(N, {width})" if width is not None else "(N, D)"
        raise ValueError(f"{name}: expected input of shape {want}, got shape {x.shape}")
    if x.dtype.kind not in "fiu":
        raise ValueError(f"{name}: expected a numeric array, got dtype {x.dtype}")
    return x


def check_dout(layer: Module, dout, x, width: int | None = None) -> np.ndarray:
    """Stop a backward pass that cannot be right, with a message that says why.

    `x` is what `forward` remembered (None if forward has not run); `dout` must have the shape
    of forward's output: x.shape, or (N, width) for a layer that changes the width.
    """
    name = type(layer).__name__
    if x is None:
        raise RuntimeError(f"{name}.backward: call {name}.forward(x) first; backward needs what "
                           "forward remembers")
    want = x.shape if width is None else (x.shape[0], width)
    if np.shape(dout) != want:
        raise ValueError(f"{name}.backward: dout has shape {np.shape(dout)}, expected {want} "
                         "(the shape of forward's output)")
    return np.asarray(dout)


class Linear(Module):
    """Fully connected layer: z = x @ W + b.  Shapes: x (N, D_in) -> z (N, D_out).

    Every output is a weighted sum of every input plus a bias: one row of `x` per example,
    one column of `W` per neuron. Backward, with dout = dL/dz:
    dW = x.T @ dout, db = dout summed over the batch, dx = dout @ W.T.
    """

    _x = None                                                           # set by forward

    def __init__(self, in_features: int, out_features: int, *, init="he", rng=None,
                 dtype=np.float64):
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Linear: {name} must be a positive int, got {value!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise ValueError(f"Linear: dtype must be a float type, got {self.dtype}")
        rng = make_rng(rng)
        self.W = Parameter(init_weights(init, self.in_features, self.out_features, rng, self.dtype,
                                        name="Linear"),
                           "W")                                          # (D_in, D_out)
        self.b = Parameter(np.zeros(self.out_features, self.dtype), "b")  # (D_out,)

    def forward(self, x):
        x = check_input("Linear", x, self.in_features)                    # (N, D_in)
        self._x = x                                                     # backward needs x
        return x @ self.W.data + self.b.data                            # z, (N, D_out)

    def backward(self, dout):                                           # dout = dL/dz, (N, D_out)
        x = self._x
        dout = check_dout(self, dout, x, self.out_features)
        self.W.grad += x.T @ dout                                       # dW, (D_in, D_out)
        self.b.grad += dout.sum(axis=0)                                 # db, (D_out,)
        return dout @ self.W.data.T                                     # dx, (N, D_in)

    def __repr__(self):
        return f"Linear({self.in_features}, {self.out_features}, dtype={self.dtype.name})"


class Activation(Module):
    """An element-wise function a = f(z); backward multiplies dout by f'(z), element by element.

    A subclass writes `f(x)` (the function) and `df()` (its slope at the x of the last
    forward, from `self._x` or the output `self._a`).
    """

    _x = _a = None                                                      # set by forward

    def forward(self, x):
        x = np.asarray(x)
        if x.dtype.kind in "iub":
            x = x.astype(np.float64)
        elif x.dtype.kind != "f":
            raise ValueError(f"{type(self).__name__}: expected a numeric array, got dtype {x.dtype}")
        self._x = x                                                     # z
        self._a = self.f(x)                                             # a = f(z)
        return self._a

    def backward(self, dout):                                           # dout = dL/da
        dout = check_dout(self, dout, self._x)
        return dout * self.df()                                         # dL/dz = dL/da * f'(z)

    def f(self, x):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def df(self):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


def sigmoid(z):
    """The logistic function 1 / (1 + e^-z), computed without overflow for any z.

    For z >= 0 it is 1 / (1 + e^-z); for z < 0 the same number written as e^z / (1 + e^z).
    Both only take e to the power -|z| <= 0, which never overflows (np.exp(1000) would).
    Keeps float32 as float32; use it wherever a sigmoid is needed (`nl.sigmoid`).
    """
    z = np.asarray(z, dtype=np.result_type(z, np.float32))
    e = np.exp(-np.abs(z))                                              # e^-|z|, in (0, 1]
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


class Identity(Activation):
    """a = z. Useful as the 'no activation' choice in a playground."""

    def f(self, x):
        return x.copy()                                  # a copy, so changing a leaves z alone

    def df(self):
        return 1.0


class ReLU(Activation):
    """a = max(0, z). Slope 1 where z > 0 and 0 elsewhere (we take 0 at z = 0)."""

    def f(self, x):
        return np.maximum(x, 0)

    def df(self):
        return self._x > 0


class LeakyReLU(Activation):
    """a = z where z > 0, else slope*z. The small slope keeps 'dead' units trainable."""

    def __init__(self, negative_slope: float = 0.01):
        if not np.isfinite(negative_slope) or negative_slope < 0:
            raise ValueError(f"LeakyReLU: negative_slope must be >= 0, got {negative_slope}")
        self.negative_slope = float(negative_slope)

    def f(self, x):
        return np.where(x > 0, x, self.negative_slope * x)

    def df(self):
        return np.where(self._x > 0, 1.0, self.negative_slope)

    def __repr__(self):
        return f"LeakyReLU({self.negative_slope})"


class Sigmoid(Activation):
    """a = 1 / (1 + e^-z), squashing to (0, 1). Its slope a(1-a) is at most 1/4."""

    def f(self, x):
        return sigmoid(x)

    def df(self):
        return self._a * (1.0 - self._a)


class Tanh(Activation):
    """a = tanh(z), squashing to (-1, 1). Its slope 1 - a^2 is 1 at zero and vanishes far out."""

    def f(self, x):
        return np.tanh(x)

    def df(self):
        return 1.0 - self._a ** 2


class Dropout(Module):
    """During training, zero each input with probability p and scale the rest by 1/(1-p).

    The scaling keeps the expected value of every activation the same, so nothing has to
    change at test time, where dropout passes its input through (`model.eval()`).
    """

    _x = None                                                           # set by forward

    def __init__(self, p: float = 0.5, rng=None):
        if not (0.0 <= p < 1.0):
            raise ValueError(f"Dropout: p must be in [0, 1), got {p}")
        self.p = float(p)
        self.rng = make_rng(rng)

    def forward(self, x):
        self._x = x = np.asarray(x)
        if not self.training or self.p == 0.0:
            self._scale = None
            return x
        keep = self.rng.random(x.shape) >= self.p                # True with probability 1-p
        self._scale = keep / (1.0 - self.p)                      # (N, D), 0 or 1/(1-p)
        return x * self._scale

    def backward(self, dout):
        dout = check_dout(self, dout, self._x)
        return dout if self._scale is None else dout * self._scale

    def __repr__(self):
        return f"Dropout(p={self.p})"


class Sequential(Module):
    """Layers applied one after another; backward runs them in reverse (the chain rule)."""

    def __init__(self, *layers: Module):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise ValueError(f"Sequential: item {i} is a {type(layer).__name__}, expected a Module")
        self.layers = list(layers)

    def children(self):
        return self.layers

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential(\n  {inner}\n)"


ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "leaky_relu": LeakyReLU,
               "identity": Identity, "linear": Identity}


def mlp(sizes, act="relu", *, init=None, dropout: float = 0.0, rng=None, dtype=np.float64):
    """A multi-layer perceptron from a list of sizes, e.g. `mlp([784, 128, 64, 10])`.

    Linear layers with an activation between them and none after the last one (the loss turns
    the raw scores into probabilities). `init` defaults to "he" for ReLU-like activations and
    "xavier" for tanh and sigmoid. `dropout` > 0 adds a Dropout after every hidden activation.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"mlp: need at least [inputs, outputs], got sizes={sizes}")
    if act not in ACTIVATIONS:
        raise ValueError(f"mlp: act must be one of {sorted(ACTIVATIONS)}, got {act!r}")
    if init is None:
        init = "xavier" if act in ("tanh", "sigmoid") else "he"
    rng = make_rng(rng)
    layers: list[Module] = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Linear(d_in, d_out, init=init, rng=rng, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(ACTIVATIONS[act]())
            if dropout > 0:
                layers.append(Dropout(dropout, rng=rng))
    return Sequential(*layers)
