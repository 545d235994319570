"""The fast twins of `Conv2d` and `MaxPool2d` (notebook 14): im2col, and strided maxima.

The textbook `Conv2d` loops over the kH*kW kernel positions. Its twin computes the same
numbers as one big matrix product, the `x @ W` of notebook 06 with patches for rows (im2col):

* forward: every patch the kernel sees becomes one column of `cols`, a (C_in*kH*kW,
  N*H_out*W_out) matrix copied out of the zero-padded input in one strided copy; then
  out = W2 @ cols with W2 the weights as a (C_out, C_in*kH*kW) matrix. The output is returned
  as an (N, C_out, H_out, W_out) *view* of a (C_out, N, H_out, W_out) array: no transposing copy.
* backward: dW2 = dout2 @ cols.T, dcols = W2.T @ dout2, and dcols is added back onto the
  input one kernel position at a time (col2im), leaving out what fell on the zero border.
  dout2 is dout seen as (C_out, N*H_out*W_out), copied only if it is not laid out so already.
* stride 1 with an output as wide as the input (3x3 with padding 1, as in notebook 14): a
  kernel position's patches are then the input planes shifted by one flat offset,
  (p - pad) * W + (q - pad), so im2col and col2im move whole flattened planes, in runs as
  long as a plane instead of a row; the columns that would wrap into the next row are zeroed.
  The same numbers to the bit, about 1.5 s faster an epoch (`benchmarks/README.md`).

`FastMaxPool2d`: forward is only the maximum of kH*kW strided slices; backward finds the
(first) maximum of each window again by comparing the slices with the output and writes dout
there (no np.add.at, no index array kept from forward); the last slice needs no comparison,
the maximum is there if it was not found before. Same contract as `nnlib/conv.py`;
`tests/fast/test_fast_equals_textbook.py` checks every number.

`FastReLUMaxPool2d`: a `ReLU` followed by a `MaxPool2d` as one twin (CS231n's
`conv_relu_pool_forward` is the same idea). The maximum of ReLU'd numbers is the ReLU of their
maximum, max(relu(z)) = relu(max(z)), so it pools first and applies the ReLU and its mask to the
pooled array, a quarter the size for 2x2 pooling. The gradient is the same to the last bit: a
window whose maximum is > 0 sends dout to the same (first) maximum; one whose maximum is <= 0
sends nothing, as the textbook's ReLU mask does after the pool picked one of its zeros.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..conv import Conv2d, MaxPool2d
from ..core import Module
from ..layers import ReLU
from .buffers import Buffers, memory_order


def _shape_error(name: str, dout, want) -> ValueError:
    return ValueError(f"{name}.backward: dout has shape {np.shape(dout)}, expected {want} "
                      "(the forward output's shape)")


def _seen(k: int, stride: int, pad: int, n_in: int, n_out: int) -> tuple:
    """Which outputs i saw an input pixel at kernel offset k: input row k + stride*i - pad.

    Returns (i0, i1, r0): outputs i0 <= i < i1 land inside [0, n_in), output i0 on row r0.
    """
    i0 = max(0, -((k - pad) // stride))                   # ceil((pad - k) / stride)
    i1 = min(n_out, (n_in - 1 + pad - k) // stride + 1)
    return i0, i1, k + stride * i0 - pad


def _plane_shifts(kH, kW, pH, pW, W):
    """Kernel position (p, q) -> its flat shift s and column shift dq, for stride 1 and an
    output as wide as the input: output pixel k of a flattened (Ho*W) plane sees input pixel
    k + s, s = (p - pH) * W + (q - pW), unless its column wraps into the next row."""
    return [(p, q, (p - pH) * W + (q - pW), q - pW) for p in range(kH) for q in range(kW)]


def _zero_wrapped(plane, dq: int) -> None:
    """Zero the columns of an (..., Ho, W) plane whose shift by dq columns leaves the row."""
    if dq < 0:
        plane[..., :-dq] = 0
    elif dq > 0:
        plane[..., plane.shape[-1] - dq:] = 0


class FastConv2d(Module):
    """Conv2d's twin: one strided copy of the patches, one matrix product forward, two backward."""

    writes_gradients = True                               # dW, db written, not added

    def __init__(self, layer: Conv2d, input_grad: bool = True):
        self.layer = layer                                # checks shapes, runs int inputs
        self.W, self.b = layer.W, layer.b                 # the same Parameter objects
        self.input_grad = input_grad
        self.buffers: dict = {}                           # one Buffers per input shape
        self._state = None

    def forward(self, x):
        if not (isinstance(x, np.ndarray) and x.dtype.kind == "f"):
            x = np.asarray(self.layer.check_input(x), np.float64)
        key = (x.shape, x.dtype)
        if key not in self.buffers:
            self.layer.check_input(x)                     # a new shape: checked as Conv2d does
            self.buffers[key] = Buffers()
        kept = self.buffers[key]
        (kH, kW), (sH, sW), (pH, pW) = self.layer.kernel_size, self.layer.stride, self.layer.padding
        N, C, H, Wd = x.shape
        _, O, Ho, Wo = self.layer.output_shape(x.shape)
        dt = np.result_type(x, self.W.data)
        cols = kept.get("cols", (C, kH, kW, N, Ho, Wo), dt)
        if self._by_planes(Wo, Wd):
            # a "same"-width convolution: each kernel position's patches are the input planes
            # shifted by one flat offset, copied in runs as long as a plane (not a row)
            planes = x.transpose(1, 0, 2, 3).reshape(C, N, H * Wd)
            for p, q, shift, dq in _plane_shifts(kH, kW, pH, pW, Wd):
                dst = cols[:, p, q].reshape(C, N, Ho * Wo)
                lo, hi = max(0, -shift), min(Ho * Wo, H * Wd - shift)
                dst[:, :, :lo] = 0                        # rows above the input: zero border
                dst[:, :, max(lo, hi):] = 0               # rows below it
                if hi > lo:
                    dst[:, :, lo:hi] = planes[:, :, lo + shift:hi + shift]
                _zero_wrapped(cols[:, p, q], dq)          # columns left or right of it
        else:
            xp = kept.get("xp", (N, C, H + 2 * pH, Wd + 2 * pW), dt, zeros=True)   # zero border
            xp[:, :, pH:pH + H, pW:pW + Wd] = x
            s = xp.strides                                # patches: (C, kH, kW, N, Ho, Wo), a view
            patches = as_strided(xp, (C, kH, kW, N, Ho, Wo),
                                 (s[1], s[2], s[3], s[0], s[2] * sH, s[3] * sW), writeable=False)
            np.copyto(cols, patches)
        cols = cols.reshape(C * kH * kW, N * Ho * Wo)                     # (K, M)
        out = kept.get("out", (O, N * Ho * Wo), dt)
        np.matmul(self.W.data.reshape(O, -1), cols, out=out)              # (C_out, M)
        out += self.b.data[:, None]
        self._state = (kept, cols, x.shape, (N, O, Ho, Wo))
        return out.reshape(O, N, Ho, Wo).transpose(1, 0, 2, 3)           # (N, C_out, Ho, Wo)

    def backward(self, dout):
        if self._state is None:
            raise RuntimeError("Conv2d.backward: call Conv2d.forward(x) first; backward needs "
                               "what forward remembers")
        kept, cols, x_shape, want = self._state
        if np.shape(dout) != want:
            raise _shape_error("Conv2d", dout, want)
        (kH, kW), (sH, sW), (pH, pW) = self.layer.kernel_size, self.layer.stride, self.layer.padding
        N, O, Ho, Wo = want
        dout = np.asarray(dout)
        d2 = dout.transpose(1, 0, 2, 3)                  # (C_out, N, Ho, Wo), as out is laid out
        if not d2.flags.c_contiguous:                     # (a pooling twin's dx already is)
            buf = kept.get("dout2", d2.shape, d2.dtype)
            np.copyto(buf, d2)
            d2 = buf
        d2 = d2.reshape(O, N * Ho * Wo)                                  # (C_out, M)
        np.matmul(d2, cols.T, out=self.W.grad.reshape(O, -1))            # dW, written
        np.add.reduce(d2, axis=1, out=self.b.grad)                       # db, written
        if not self.input_grad:
            return None
        _, C, H, Wd = x_shape
        dcols = kept.get("dcols", cols.shape, np.result_type(d2, self.W.data))
        np.matmul(self.W.data.reshape(O, -1).T, d2, out=dcols)           # (K, M)
        dcols = dcols.reshape(C, kH, kW, N, Ho, Wo)
        # col2im, straight into dx: kernel position (p, q) adds dcols[:, p, q] onto the input
        # pixels it saw; the parts that fell on the zero border are left out. A position that
        # saw every pixel (stride 1, same size) is written first, so dx needs no zeroing.
        dx = kept.get("dx", (C, N, H, Wd), dcols.dtype)
        if self._by_planes(Wo, Wd):
            self._col2im_planes(dx, dcols, pH, pW)
            return dx.transpose(1, 0, 2, 3)                              # (N, C_in, H, W)
        parts = [(p, q, _seen(p, sH, pH, H, Ho), _seen(q, sW, pW, Wd, Wo))
                 for p in range(kH) for q in range(kW)]
        whole = [i for i, (_, _, rows, cols_) in enumerate(parts)
                 if rows == (0, Ho, 0) and cols_ == (0, Wo, 0) and (sH, sW) == (1, 1)
                 and (Ho, Wo) == (H, Wd)]
        if whole:
            p, q, _, _ = parts.pop(whole[0])
            np.copyto(dx, dcols[:, p, q])
        else:
            dx.fill(0)
        for p, q, (i0, i1, r0), (j0, j1, c0) in parts:
            if i1 > i0 and j1 > j0:
                dx[:, :, r0:r0 + sH * (i1 - i0 - 1) + 1:sH,
                   c0:c0 + sW * (j1 - j0 - 1) + 1:sW] += dcols[:, p, q, :, i0:i1, j0:j1]
        return dx.transpose(1, 0, 2, 3)                                  # (N, C_in, H, W)

    def _by_planes(self, Wo: int, W: int) -> bool:
        """Stride 1 and an output as wide as the input: im2col and col2im by whole planes."""
        return self.layer.stride == (1, 1) and Wo == W

    @staticmethod
    def _col2im_planes(dx, dcols, pH: int, pW: int) -> None:
        """col2im for stride 1 and an output as wide as the input, in runs as long as a plane.

        Kernel position (p, q) adds its plane of dcols onto dx shifted by one flat offset; the
        columns that would wrap into the neighbouring row (they fell on the zero border) are
        zeroed in dcols first, and rows beyond the input are left out by the offset's range.
        """
        C, kH, kW, N, Ho, Wo = dcols.shape
        _, _, H, Wd = dx.shape
        flat = dx.reshape(C, N, H * Wd)
        parts = _plane_shifts(kH, kW, pH, pW, Wd)
        centre = [i for i, (_, _, shift, dq) in enumerate(parts) if shift == 0 and dq == 0]
        if centre and Ho == H:                            # a position that saw every pixel:
            p, q, _, _ = parts.pop(centre[0])             # written first, so dx needs no zeroing
            np.copyto(flat, dcols[:, p, q].reshape(C, N, Ho * Wo))
        else:
            flat.fill(0)
        for p, q, shift, dq in parts:
            _zero_wrapped(dcols[:, p, q], dq)
            src = dcols[:, p, q].reshape(C, N, Ho * Wo)
            lo, hi = max(0, -shift), min(Ho * Wo, H * Wd - shift)
            if hi > lo:
                flat[:, :, lo + shift:hi + shift] += src[:, :, lo:hi]


class FastMaxPool2d(Module):
    """MaxPool2d's twin: forward takes maxima of strided slices; backward finds them again."""

    def __init__(self, layer: MaxPool2d):
        self.layer = layer
        self.buffers: dict = {}
        self._state = None

    def _window(self, a, k, Ho, Wo):
        (_, kW), (sH, sW) = self.layer.kernel_size, self.layer.stride
        p, q = divmod(k, kW)
        return a[:, :, p:p + sH * (Ho - 1) + 1:sH, q:q + sW * (Wo - 1) + 1:sW]

    def forward(self, x):
        if not (isinstance(x, np.ndarray) and x.dtype.kind == "f"):
            self._state = None
            return self.layer.forward(x)                  # the textbook converts other inputs
        key = (x.shape, x.dtype)
        if key not in self.buffers:
            self.layer.forward(x[:1])                     # a new shape: checked as MaxPool2d does
            self.buffers[key] = Buffers()
        kept = self.buffers[key]
        kH, kW = self.layer.kernel_size
        N, C, Ho, Wo = shape = self.layer.output_shape(x.shape)
        out = kept.get("out", shape, x.dtype, like=x)
        if kH * kW == 1:
            np.copyto(out, self._window(x, 0, Ho, Wo))
        else:                                             # the first two slices need no copy first
            np.maximum(self._window(x, 0, Ho, Wo), self._window(x, 1, Ho, Wo), out=out)
        for k in range(2, kH * kW):
            np.maximum(out, self._window(x, k, Ho, Wo), out=out)
        self._state = (kept, x, out, shape)
        return out

    def backward(self, dout):
        if self._state is None:
            return self.layer.backward(dout)
        kept, x, out, shape = self._state
        if np.shape(dout) != shape:
            raise _shape_error("MaxPool2d", dout, shape)
        (kH, kW), (sH, sW) = self.layer.kernel_size, self.layer.stride
        dout = np.asarray(dout)
        _, _, Ho, Wo = shape
        taken = kept.get("taken", shape, bool, like=out)  # windows whose maximum was found
        here = kept.get("here", shape, bool, like=out)    # ... at slice k, not before
        if memory_order(dout) != memory_order(out):
            # dout laid out otherwise than x (after a Flatten): one copy of this small array
            # saves every pass below from jumping between two memory orders
            buf = kept.get("dout", shape, dout.dtype, like=out)
            np.copyto(buf, dout)
            dout = buf
        dx = kept.get("dx", x.shape, np.result_type(dout, x), like=x)
        tiles = sH == kH and sW == kW and x.shape[2] == Ho * kH and x.shape[3] == Wo * kW
        if not tiles:                                     # gaps or overlaps: start from zero
            dx.fill(0)
        last = kH * kW - 1
        for k in range(kH * kW):
            mask = taken if k == 0 else here
            if 0 < k == last:                             # a window's maximum is somewhere: at
                np.logical_not(taken, out=here)           # the last slice if not found before
            else:
                np.equal(self._window(x, k, Ho, Wo), out, out=mask)
                if k > 0:
                    np.greater(here, taken, out=here)     # not taken before: the first maximum wins
            dst = self._window(dx, k, Ho, Wo)
            if tiles:
                np.multiply(dout, mask, out=dst)          # each input in exactly one window
            else:
                dst += dout * mask
            if 0 < k < kH * kW - 1:
                np.logical_or(taken, here, out=taken)
        return dx


class FastReLUMaxPool2d(Module):
    """`ReLU` then `MaxPool2d`, as one twin: pool z, then relu(pooled) and its mask, 4x smaller."""

    def __init__(self, relu: ReLU, pool: MaxPool2d):
        self.relu, self.pool = relu, FastMaxPool2d(pool)
        self.buffers: dict = {}
        self._state = None

    def forward(self, x):
        if not (isinstance(x, np.ndarray) and x.dtype.kind == "f"):
            self._state = None                            # the textbook pair converts other inputs
            return self.pool.layer.forward(self.relu.forward(x))
        m = self.pool.forward(x)                          # max(z) over each window
        key = (m.shape, m.dtype)
        if key not in self.buffers:
            self.buffers[key] = Buffers()
        kept = self.buffers[key]
        a = kept.get("a", m.shape, m.dtype, like=m)
        np.maximum(m, 0, out=a)                           # relu(max(z)) = max(relu(z))
        self._state = (kept, m)
        return a

    def backward(self, dout):
        if self._state is None:
            return self.relu.backward(self.pool.layer.backward(dout))
        kept, m = self._state
        if np.shape(dout) != m.shape:
            raise _shape_error("MaxPool2d", dout, m.shape)
        dm = kept.get("dm", m.shape, np.result_type(dout, m), like=m)
        np.greater(m, 0, out=dm)                          # ReLU's mask, on the pooled maxima
        np.multiply(dout, dm, out=dm)
        return self.pool.backward(dm)                     # to each window's first maximum


TWINS = {Conv2d: FastConv2d, MaxPool2d: FastMaxPool2d}
PAIR_TWINS = {(ReLU, MaxPool2d): FastReLUMaxPool2d}     # two layers in a row, one twin
