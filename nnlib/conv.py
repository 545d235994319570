"""Layers for images: `Conv2d`, `MaxPool2d` and `Flatten`, inputs of shape (N, C, H, W) as in PyTorch.

Written to be read next to notebook 14, which derives every line: a convolution is a sum over
the kH x kW positions of the kernel, each position contributing "shifted input times one weight
per channel pair". Backward is the same sum read backwards. Simple over fast: the im2col twin
that `fit(..., fast=True)` trains with lives in `nnlib/fast/conv_twins.py`, tested to give the
same numbers.
"""

from __future__ import annotations

import numpy as np

from .core import Module, Parameter, make_rng
from .layers import init_weights


def _pair(name: str, what: str, value, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints -> (rows, cols), each >= minimum, else a ValueError naming the layer."""
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                 and v >= minimum for v in pair):
        raise ValueError(f"{name}: {what} must be an int >= {minimum} or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def check_images(name: str, x, channels: int | None = None) -> np.ndarray:
    """x as an array of shape (N, C, H, W) (with C == channels), else a ValueError with the shapes."""
    x = np.asarray(x)
    if x.dtype.kind not in "fiu":
        raise ValueError(f"{name}: expected a numeric array, got dtype {x.dtype}")
    if x.ndim != 4 or (channels is not None and x.shape[1] != channels):
        want = f"(N, {channels}, H, W)" if channels is not None else "(N, C, H, W)"
        raise ValueError(f"{name}: expected input of shape {want}, got shape {x.shape}")
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    return x


def _forward_first(layer: Module, cached) -> None:
    """A RuntimeError if backward is called before forward (nothing remembered yet)."""
    if cached is None:
        name = type(layer).__name__
        raise RuntimeError(f"{name}.backward: call {name}.forward(x) first; backward needs what "
                           "forward remembers")


def output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """How many positions a kernel takes along one axis: floor((size + 2 padding - kernel) / stride) + 1."""
    return (size + 2 * padding - kernel) // stride + 1


class Conv2d(Module):
    """2-D convolution (cross-correlation, as in every deep-learning library).

    out[n, o, i, j] = b[o] + sum over c, p, q of W[o, c, p, q] * xp[n, c, i*s + p, j*s + q],
    where xp is x with `padding` zeros around it and s the stride. Shapes: x (N, C_in, H, W),
    W (C_out, C_in, kH, kW), b (C_out,) -> out (N, C_out, H_out, W_out) with
    H_out = (H + 2 padding - kH) // stride + 1 (same for the width).

    The code loops over the kH * kW kernel positions (p, q): at each one, the input window
    that position sees over the whole output map, xp[:, :, p::s, q::s] cut to (H_out, W_out),
    is multiplied by the (C_out, C_in) matrix W[:, :, p, q]. Backward reads the same sum the
    other way round (dout = dL/dout):
    dW[:, :, p, q] = sum over n, i, j of dout[n, :, i, j] * window[n, :, i, j]  (C_out, C_in),
    d window = W[:, :, p, q] applied back to dout, added into dxp at that window, and
    db = dout summed over n, i, j.
    """

    _xp = None                                                        # set by forward

    def __init__(self, in_channels: int, out_channels: int, kernel_size, *, stride=1, padding=0,
                 init="he", rng=None, dtype=np.float64):
        for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Conv2d: {name} must be a positive int, got {value!r}")
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = _pair("Conv2d", "kernel_size", kernel_size, 1)
        self.stride = _pair("Conv2d", "stride", stride, 1)
        self.padding = _pair("Conv2d", "padding", padding, 0)
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise ValueError(f"Conv2d: dtype must be a float type, got {self.dtype}")
        kH, kW = self.kernel_size
        fan_in, fan_out = self.in_channels * kH * kW, self.out_channels * kH * kW
        shape = (self.out_channels, self.in_channels, kH, kW)
        rng = make_rng(rng)
        # the same rule as Linear's, with a kernel's fan-in C_in*kH*kW (notebook 10, 14)
        self.W = Parameter(init_weights(init, fan_in, fan_out, rng, self.dtype, shape=shape,
                                        name="Conv2d"), "W")
        self.b = Parameter(np.zeros(self.out_channels, self.dtype), "b")   # (C_out,)

    def output_shape(self, input_shape: tuple) -> tuple:
        """(N, C_out, H_out, W_out) for an input of shape (N, C_in, H, W)."""
        N, _, H, W = input_shape
        (kH, kW), (sH, sW), (pH, pW) = self.kernel_size, self.stride, self.padding
        return (N, self.out_channels, output_size(H, kH, sH, pH), output_size(W, kW, sW, pW))

    def check_input(self, x) -> np.ndarray:
        x = check_images("Conv2d", x, self.in_channels)
        (kH, kW), (pH, pW) = self.kernel_size, self.padding
        if kH > x.shape[2] + 2 * pH or kW > x.shape[3] + 2 * pW:
            raise ValueError(f"Conv2d: kernel {kH}x{kW} is larger than the padded input "
                             f"{x.shape[2] + 2 * pH}x{x.shape[3] + 2 * pW} (input shape {x.shape}, "
                             f"padding {self.padding})")
        return x

    def _window(self, xp, p: int, q: int, Ho: int, Wo: int):
        """The part of the padded input that kernel position (p, q) sees: (N, C_in, H_out, W_out)."""
        sH, sW = self.stride
        return xp[:, :, p:p + sH * (Ho - 1) + 1:sH, q:q + sW * (Wo - 1) + 1:sW]

    def forward(self, x):
        x = self.check_input(x)
        pH, pW = self.padding
        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))        # (N, C_in, H + 2pH, W + 2pW)
        N, C_out, Ho, Wo = self.output_shape(x.shape)
        out = np.zeros((N, C_out, Ho, Wo), np.result_type(x, self.W.data))
        kH, kW = self.kernel_size
        for p in range(kH):
            for q in range(kW):
                window = self._window(xp, p, q, Ho, Wo)               # (N, C_in, Ho, Wo)
                out += np.einsum("oc,nchw->nohw", self.W.data[:, :, p, q], window)
        out += self.b.data[:, None, None]                             # same bias at every pixel
        self._xp, self._x_shape = xp, x.shape                         # cache for backward
        return out                                                    # (N, C_out, Ho, Wo)

    def backward(self, dout):
        xp = self._xp
        _forward_first(self, xp)
        dout = np.asarray(dout)
        N, C_out, Ho, Wo = self.output_shape(self._x_shape)
        if dout.shape != (N, C_out, Ho, Wo):
            raise ValueError(f"Conv2d.backward: dout has shape {dout.shape}, expected "
                             f"{(N, C_out, Ho, Wo)} (the forward output's shape)")
        dxp = np.zeros_like(xp, dtype=np.result_type(xp, dout))
        kH, kW = self.kernel_size
        for p in range(kH):
            for q in range(kW):
                window = self._window(xp, p, q, Ho, Wo)               # (N, C_in, Ho, Wo)
                self.W.grad[:, :, p, q] += np.einsum("nohw,nchw->oc", dout, window)
                self._window(dxp, p, q, Ho, Wo)[...] += np.einsum("oc,nohw->nchw",
                                                                  self.W.data[:, :, p, q], dout)
        self.b.grad += dout.sum(axis=(0, 2, 3))                       # (C_out,)
        pH, pW = self.padding
        H, W = self._x_shape[2:]
        return dxp[:, :, pH:pH + H, pW:pW + W]                        # (N, C_in, H, W)

    def __repr__(self):
        kH, kW = self.kernel_size
        return (f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={kH}x{kW}, "
                f"stride={self.stride[0] if self.stride[0] == self.stride[1] else self.stride}, "
                f"padding={self.padding[0] if self.padding[0] == self.padding[1] else self.padding}, "
                f"dtype={self.dtype.name})")


class MaxPool2d(Module):
    """Keep the largest value of each k x k window (stride k unless given): (N, C, H, W) -> smaller.

    Each output is one of its window's inputs, so backward sends dout to that one input (the
    first maximum if there is a tie, as PyTorch does) and zero to the others. No parameters.
    H_out = (H - k) // stride + 1; rows or columns left over at the edge are dropped.
    """

    _argmax = None                                                    # set by forward

    def __init__(self, kernel_size=2, stride=None):
        self.kernel_size = _pair("MaxPool2d", "kernel_size", kernel_size, 1)
        self.stride = _pair("MaxPool2d", "stride", self.kernel_size if stride is None else stride, 1)

    def output_shape(self, input_shape: tuple) -> tuple:
        N, C, H, W = input_shape
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        return (N, C, output_size(H, kH, sH), output_size(W, kW, sW))

    def _windows(self, x):
        """Every window as the last two axes: (N, C, H_out, W_out, kH, kW), a view, no copy."""
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        return np.lib.stride_tricks.sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]

    def forward(self, x):
        x = check_images("MaxPool2d", x)
        kH, kW = self.kernel_size
        if kH > x.shape[2] or kW > x.shape[3]:
            raise ValueError(f"MaxPool2d: window {kH}x{kW} is larger than the input "
                             f"{x.shape[2]}x{x.shape[3]} (input shape {x.shape})")
        windows = self._windows(x)                                    # (N, C, Ho, Wo, kH, kW)
        flat = windows.reshape(windows.shape[:4] + (kH * kW,))        # copy: (N, C, Ho, Wo, kH*kW)
        self._argmax = flat.argmax(axis=-1)                           # where each max sits
        self._x_shape, self._dtype = x.shape, x.dtype
        return np.take_along_axis(flat, self._argmax[..., None], axis=-1)[..., 0]   # (N, C, Ho, Wo)

    def backward(self, dout):
        _forward_first(self, self._argmax)
        dout = np.asarray(dout)
        if dout.shape != self._argmax.shape:
            raise ValueError(f"MaxPool2d.backward: dout has shape {dout.shape}, expected "
                             f"{self._argmax.shape} (the forward output's shape)")
        (_, kW), (sH, sW) = self.kernel_size, self.stride
        dx = np.zeros(self._x_shape, np.result_type(self._dtype, dout))
        N, C, Ho, Wo = dout.shape
        p, q = np.divmod(self._argmax, kW)                            # row, column in the window
        rows = np.arange(Ho)[:, None] * sH + p                        # (N, C, Ho, Wo) input rows
        cols = np.arange(Wo)[None, :] * sW + q
        n, c = np.ogrid[:N, :C]
        np.add.at(dx, (n[..., None, None], c[..., None, None], rows, cols), dout)  # overlaps add
        return dx

    def __repr__(self):
        return f"MaxPool2d(kernel_size={self.kernel_size[0]}, stride={self.stride[0]})"


class Flatten(Module):
    """(N, C, H, W) -> (N, C*H*W), so that a `Linear` layer can follow; backward undoes the reshape."""

    _x_shape = None                                                   # set by forward

    def forward(self, x):
        x = np.asarray(x)
        if x.ndim < 2:
            raise ValueError(f"Flatten: expected input of shape (N, ...) with at least 2 axes, "
                             f"got shape {x.shape}")
        self._x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        _forward_first(self, self._x_shape)
        dout = np.asarray(dout)
        if dout.shape != (self._x_shape[0], int(np.prod(self._x_shape[1:]))):
            raise ValueError(f"Flatten.backward: dout has shape {dout.shape}, expected "
                             f"{(self._x_shape[0], int(np.prod(self._x_shape[1:])))}")
        return dout.reshape(self._x_shape)


def layer_spec(layer: Module) -> dict | None:
    """The JSON description `nl.save` stores for a layer of this module (None for other layers)."""
    if type(layer) is Conv2d:
        return {"type": "Conv2d", "in": layer.in_channels, "out": layer.out_channels,
                "kernel_size": list(layer.kernel_size), "stride": list(layer.stride),
                "padding": list(layer.padding), "dtype": layer.dtype.name}
    if type(layer) is MaxPool2d:
        return {"type": "MaxPool2d", "kernel_size": list(layer.kernel_size),
                "stride": list(layer.stride)}
    if type(layer) is Flatten:
        return {"type": "Flatten"}
    return None


def build(spec: dict) -> Module | None:
    """The layer `layer_spec` described, with zero weights (`nl.load` fills them); None if not ours."""
    kind = spec.get("type")
    if kind == "Conv2d":
        return Conv2d(spec["in"], spec["out"], tuple(spec["kernel_size"]),
                      stride=tuple(spec["stride"]), padding=tuple(spec["padding"]), init="zeros",
                      dtype=np.dtype(spec["dtype"]))
    if kind == "MaxPool2d":
        return MaxPool2d(tuple(spec["kernel_size"]), tuple(spec["stride"]))
    if kind == "Flatten":
        return Flatten()
    return None


# Kernels with a name, for the pictures and the widget of notebook 14 (3 x 3, row by row).
KERNELS = {
    "edge (vertical)": [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]],   # Sobel
    "edge (horizontal)": [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]],
    "identity": [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]],
}


def convolve(image, kernel, *, stride: int = 1, padding: int = 0) -> np.ndarray:
    """One grey image (H, W) and one kernel (kH, kW) -> the output map, via a 1-channel `Conv2d`."""
    image, kernel = np.asarray(image, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"convolve: expected an image (H, W) and a kernel (kH, kW), got shapes "
                         f"{image.shape} and {kernel.shape}")
    layer = Conv2d(1, 1, kernel.shape, stride=stride, padding=padding, init="zeros")
    layer.W.data[0, 0] = kernel
    return layer.forward(image[None, None])[0, 0]
