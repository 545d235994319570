"""A convolution and a softmax written out number by number, one step at a time (notebook 14).

CNN Explainer's strength is that every number on the screen is a sum the learner can redo.
This module computes those sums as lists of steps; `nl.viz` draws step k and `nl.widgets` steps
through them. Each step keeps its place, its formula (the products written out) and its value,
and the tests check the values against the layers themselves: `conv_cell_steps` equals
`nl.conv.convolve` (and `Conv2d.forward`), `multichannel_cell` equals a two-channel `Conv2d`,
`softmax_steps` equals `nl.softmax`, all to 1e-12.

- `conv_cell_steps(image, kernel, stride, padding)`: the output map, cell by cell in reading
  order, each cell the window under the kernel, its kH*kW products and their sum;
- `multichannel_cell(image_c, kernels_c, bias, i, j)`: one output cell of a layer with several
  input channels, one such sum per channel, then the partial sums and the bias added;
- `softmax_steps(scores)`: the last layer's scores turned into probabilities (the largest score,
  exp of each shifted score, their sum, each divided by the sum);
- `check_cell(image, kernel, i, j, your_value)`: the exercise "compute one output cell by hand":
  how far off your value is, with the right sum written out.

Plain NumPy and the textbook's `output_size`; no plotting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..conv import output_size

__all__ = ["ConvCell", "ChannelSum", "SoftmaxStep", "CellCheck", "conv_cell_steps",
           "multichannel_cell", "softmax_steps", "check_cell"]


def number(value: float, digits: int = 2) -> str:
    """`value` with `digits` decimals, never "-0.00" (a tiny negative that rounds to zero)."""
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def factor(value: float, digits: int = 2) -> str:
    """A number as the factor of a product: negatives in brackets, "0.50·(-1.00)"."""
    text = number(value, digits)
    return f"({text})" if text.startswith("-") else text


@dataclass(frozen=True)
class ConvCell:
    """One output cell of a convolution: where it is, what the kernel saw, and the sum.

    `k` is the cell's number in reading order, (i, j) its row and column in the output map,
    (top, left) the window's corner in the padded input (i*stride, j*stride). `window` and
    `kernel` are (kH, kW); `products` is window * kernel; `terms` writes each product out
    ("0.50·1.00", row by row), `formula` the whole sum, and `value` is the sum itself.
    """

    k: int
    i: int
    j: int
    top: int
    left: int
    window: np.ndarray = field(repr=False)
    kernel: np.ndarray = field(repr=False)
    products: np.ndarray = field(repr=False)
    terms: tuple[str, ...] = field(repr=False)
    formula: str
    value: float
    phase: str = "multiply and add"

    @property
    def place(self) -> tuple[int, int]:
        """(i, j): where the value lands in the output map."""
        return (self.i, self.j)


def _grey(name: str, what: str, a) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype.kind not in "fiu" or a.ndim != 2 or 0 in a.shape:
        raise ValueError(f"{name}: expected {what} as a non-empty 2-D array of numbers, got "
                         f"shape {a.shape} and dtype {a.dtype}")
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError(f"{name}: {what} has a NaN or an infinite value")
    return a


def _int(name: str, what: str, value, minimum: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name}: {what} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _pad(image: np.ndarray, padding: int) -> np.ndarray:
    return np.pad(image, padding) if padding else image


def _cell(k, i, j, xp, kernel, stride, digits) -> ConvCell:
    kH, kW = kernel.shape
    top, left = i * stride, j * stride
    window = xp[top:top + kH, left:left + kW].copy()
    products = window * kernel
    terms = tuple(f"{factor(x, digits)}·{factor(w, digits)}"
                  for x, w in zip(window.ravel(), kernel.ravel()))
    value = float(products.sum())
    return ConvCell(k, i, j, top, left, window, kernel, products, terms,
                    " + ".join(terms) + f" = {number(value, digits)}", value)


def conv_output_shape(image_shape, kernel_shape, stride: int = 1, padding: int = 0):
    """(H_out, W_out) of a convolution, the formula of `Conv2d.output_shape`."""
    return tuple(output_size(n, k, stride, padding) for n, k in zip(image_shape, kernel_shape))


def conv_cell_steps(image, kernel, stride: int = 1, padding: int = 0, *,
                    digits: int = 2) -> list[ConvCell]:
    """Every output cell of `convolve(image, kernel)`, in reading order, written out.

    image (H, W), kernel (kH, kW). Cell (i, j) is the sum of the kernel times the window of the
    padded input whose top-left corner is (i*stride, j*stride): out[i, j] = sum over p, q of
    kernel[p, q] * xp[i*stride + p, j*stride + q]. `digits` is how many decimals the formulas
    show (the values are exact).
    """
    name = "conv_cell_steps"
    image, kernel = _grey(name, "the image", image), _grey(name, "the kernel", kernel)
    stride, padding = _int(name, "stride", stride, 1), _int(name, "padding", padding, 0)
    Ho, Wo = conv_output_shape(image.shape, kernel.shape, stride, padding)
    if Ho < 1 or Wo < 1:
        raise ValueError(f"{name}: kernel {kernel.shape[0]}x{kernel.shape[1]} is larger than the "
                         f"padded image {image.shape[0] + 2 * padding}x{image.shape[1] + 2 * padding}")
    xp = _pad(image, padding)
    return [_cell(i * Wo + j, i, j, xp, kernel, stride, digits)
            for i in range(Ho) for j in range(Wo)]


def output_map(cells: list[ConvCell], upto: int | None = None) -> np.ndarray:
    """The output map the cells fill, NaN for cells after number `upto` (all when None)."""
    Ho, Wo = cells[-1].i + 1, cells[-1].j + 1
    out = np.full((Ho, Wo), np.nan)
    for cell in cells if upto is None else cells[:upto + 1]:
        out[cell.i, cell.j] = cell.value
    return out


@dataclass(frozen=True)
class ChannelSum:
    """One output cell of a layer with C input channels: one `ConvCell` per channel, then the bias.

    value = channels[0].value + ... + channels[C-1].value + bias; `partials` are the channels'
    values, `formula` the last addition written out ("1.20 + (-0.35) + 0.10 = 0.95").
    """

    i: int
    j: int
    channels: tuple[ConvCell, ...] = field(repr=False)
    partials: tuple[float, ...]
    bias: float
    formula: str
    value: float


def multichannel_cell(image_c, kernels_c, bias, i: int, j: int, stride: int = 1,
                      padding: int = 0, *, digits: int = 2) -> ChannelSum:
    """Output cell (i, j) of a conv layer with C input channels and one output channel.

    image_c (C, H, W), kernels_c (C, kH, kW), bias a number: each channel c gives the sum of
    its own window times its own kernel (a `ConvCell`), and the cell is those C partial sums
    plus the bias -- what `Conv2d(C, 1, k)` computes with W[0] = kernels_c and b[0] = bias.
    """
    name = "multichannel_cell"
    image_c, kernels_c = np.asarray(image_c), np.asarray(kernels_c)
    if image_c.ndim != 3 or kernels_c.ndim != 3 or image_c.shape[0] != kernels_c.shape[0]:
        raise ValueError(f"{name}: expected image_c (C, H, W) and kernels_c (C, kH, kW) with the "
                         f"same C, got shapes {image_c.shape} and {kernels_c.shape}")
    bias = float(bias)
    if not np.isfinite(bias):
        raise ValueError(f"{name}: bias must be a finite number, got {bias}")
    cells = []
    for c in range(image_c.shape[0]):
        all_cells = conv_cell_steps(image_c[c], kernels_c[c], stride, padding, digits=digits)
        Ho, Wo = all_cells[-1].i + 1, all_cells[-1].j + 1
        if not (isinstance(i, (int, np.integer)) and isinstance(j, (int, np.integer))
                and 0 <= i < Ho and 0 <= j < Wo):
            raise ValueError(f"{name}: cell ({i}, {j}) is outside the output map {Ho}x{Wo}")
        cells.append(all_cells[i * Wo + j])
    partials = tuple(cell.value for cell in cells)
    value = float(sum(partials) + bias)
    formula = " + ".join(factor(p, digits) for p in (*partials, bias)) + f" = {number(value, digits)}"
    return ChannelSum(int(i), int(j), tuple(cells), partials, bias, formula, value)


@dataclass(frozen=True)
class SoftmaxStep:
    """One step of a softmax: its phase, the class it is about (None for the sum), formula, value.

    Phases, in order: "max" (the largest score, subtracted from every score so that exp never
    overflows), "exp" (one per class: exp(z_c - max)), "sum" (of the exps), "divide" (one per
    class: p_c = exp_c / sum).
    """

    k: int
    phase: str
    place: int | None
    formula: str
    value: float


def softmax_steps(scores, *, digits: int = 3) -> list[SoftmaxStep]:
    """The scores z (n,) turned into probabilities, one number per step (2n + 2 steps).

    p_c = exp(z_c - max z) / sum over d of exp(z_d - max z): subtracting the largest score
    changes nothing (it cancels in the ratio) and keeps every exp at most 1.
    """
    z = np.asarray(scores)
    if z.dtype.kind not in "fiu" or z.ndim != 1 or z.size == 0:
        raise ValueError(f"softmax_steps: expected scores as a 1-D array of numbers, got "
                         f"shape {z.shape} and dtype {z.dtype}")
    z = z.astype(np.float64)
    if not np.isfinite(z).all():
        raise ValueError("softmax_steps: the scores have a NaN or an infinite value")
    n = len(z)
    top = int(np.argmax(z))
    m = float(z[top])
    steps = [SoftmaxStep(0, "max", top, f"max z = z_{top} = {number(m, digits)}", m)]
    e = np.exp(z - m)
    for c in range(n):
        shifted = float(z[c] - m)
        steps.append(SoftmaxStep(len(steps), "exp", c,
                                 f"exp(z_{c} - max) = exp({number(z[c], digits)} - "
                                 f"{factor(m, digits)}) = exp({number(shifted, digits)}) = "
                                 f"{number(e[c], digits)}", float(e[c])))
    total = float(e.sum())
    steps.append(SoftmaxStep(len(steps), "sum", None,
                             "sum = " + " + ".join(number(v, digits) for v in e)
                             + f" = {number(total, digits)}", total))
    for c in range(n):
        p = float(e[c] / total)
        steps.append(SoftmaxStep(len(steps), "divide", c,
                                 f"p_{c} = {number(e[c], digits)} / {number(total, digits)} = "
                                 f"{number(p, digits)}", p))
    return steps


@dataclass(frozen=True)
class CellCheck:
    """The verdict on one output cell computed by hand: `off` = your value - the right one.

    `ok` is |off| <= tol; `message` starts with ✓ or ✗ and writes out the right sum, the
    window and the kernel, so a wrong value shows where it went wrong.
    """

    i: int
    j: int
    your_value: float
    expected: float
    off: float
    ok: bool
    formula: str
    message: str

    def __float__(self) -> float:
        return self.off


def check_cell(image, kernel, i: int, j: int, your_value, *, stride: int = 1, padding: int = 0,
               tol: float = 0.005) -> CellCheck:
    """How far off `your_value` is from output cell (i, j) of `convolve(image, kernel)`.

    The exercise of notebook 14: compute one output cell by hand. `tol` (0.005: right to two
    decimals, as the formulas are written) decides `ok`; the message names the cell, your value,
    the right value, the difference, and the whole sum with its window and kernel.
    """
    name = "check_cell"
    cells = conv_cell_steps(image, kernel, stride, padding)
    Ho, Wo = cells[-1].i + 1, cells[-1].j + 1
    if not (isinstance(i, (int, np.integer)) and isinstance(j, (int, np.integer))
            and not isinstance(i, bool) and not isinstance(j, bool) and 0 <= i < Ho and 0 <= j < Wo):
        raise ValueError(f"{name}: cell ({i!r}, {j!r}) is outside the output map {Ho}x{Wo}")
    cell = cells[int(i) * Wo + int(j)]
    try:
        got = float(your_value)
    except (TypeError, ValueError):
        got = float("nan")
    off = got - cell.value
    ok = bool(np.isfinite(off) and abs(off) <= tol)
    where = f"output cell ({i}, {j})"
    if ok:
        message = f"✓ {where} = {cell.value:.6g}: your {got:.6g} is right"
    else:
        said = repr(your_value) if not np.isfinite(got) else f"{got:.6g}"
        far = "not a number" if not np.isfinite(off) else f"off by {off:+.6g}"
        message = (f"✗ {where}: you have {said}, the sum is {cell.value:.6g} ({far}).\n"
                   f"  window at rows {cell.top}..{cell.top + cell.window.shape[0] - 1}, columns "
                   f"{cell.left}..{cell.left + cell.window.shape[1] - 1} of the"
                   f"{' padded' if padding else ''} image: {np.round(cell.window, 4).tolist()}\n"
                   f"  kernel: {np.round(cell.kernel, 4).tolist()}\n"
                   f"  {cell.formula}")
    return CellCheck(int(i), int(j), got, cell.value, off, ok, cell.formula, message)
