"""Figures for stepping through a convolution and a softmax, one number at a time (notebook 14).

The numbers come from `nnlib.course.conv_steps`; these functions draw step k of them:

- `plot_conv_step(image, kernel, k)`: the input with the kernel's window at output cell k, the
  kernel, the output map filled up to cell k, and cell k's sum with its kH*kW products written
  out (a product highlighted with `term=`);
- `plot_multichannel_cell(image_c, kernels_c, bias, i, j)`: one output cell of a layer with
  several input channels, one sum per channel, then the partial sums and the bias added;
- `plot_softmax_steps(scores, k)`: the scores, exp of each shifted score, their sum and the
  probabilities, filled up to step k;
- `plot_conv_filmstrip(image, kernel, cells=...)`: the static twin of the stepper, a few key
  cells side by side.

Every figure is laid out by hand in inches (no layout engine): labels are placed where nothing
else is, the formulas in a monospaced font whose width is measured, and the figure grows to fit
them. Blue is a positive number or product, orange a negative one (`nnlib.viz.style`).
"""

from __future__ import annotations

import functools

import matplotlib as mpl
import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from ..course.conv_steps import (
    conv_cell_steps,
    conv_output_shape,
    factor,
    multichannel_cell,
    number,
    output_map,
    softmax_steps,
)
from .conv_plots import _box, _numbers
from .live import LiveFigure
from .style import (
    EDGE,
    FILL,
    INK,
    NEGATIVE,
    POSITIVE,
    TEXT,
    TEXT_SOFT,
    WARNING,
    WHITE,
    figure,
    sign_cmap,
)

__all__ = ["plot_conv_step", "plot_multichannel_cell", "plot_softmax_steps", "plot_conv_filmstrip"]

MONO = 8.5                       # font size of the formulas (points)
MINUS = "−"                      # the typographic minus sign of the figures


def _m(text: str) -> str:
    return text.replace("-", MINUS)


@functools.lru_cache(maxsize=8)
def char_width(size: float) -> float:
    """Width in inches of one character of the monospaced font at `size` points (measured)."""
    from matplotlib.backends.backend_agg import RendererAgg

    renderer = RendererAgg(100, 100, 72)                 # 72 dpi: one pixel is one point
    w, _, _ = renderer.get_text_width_height_descent("0" * 40, FontProperties(family="monospace",
                                                                             size=size), False)
    return w / 40 / 72


@functools.lru_cache(maxsize=256)
def text_width(text: str, size: float = 9) -> float:
    """Width in inches of `text` in the figures' sans-serif font at `size` points (measured)."""
    from matplotlib.backends.backend_agg import RendererAgg

    renderer = RendererAgg(100, 100, 72)
    w, _, _ = renderer.get_text_width_height_descent(text, FontProperties(size=size), False)
    return w / 72


def _line(size: float) -> float:
    """Height in inches of one line of text at `size` points."""
    return size * 1.55 / 72


def _sign_color(value: float) -> str:
    return POSITIVE if value > 0 else NEGATIVE if value < 0 else TEXT_SOFT


class _Page:
    """A figure laid out in inches from its top-left corner; axes and text placed by hand."""

    def __init__(self, width: float, height: float):
        self.w, self.h = width, height
        self.fig = figure(figsize=(width, height), layout="none")

    def axes(self, left: float, top: float, width: float, height: float, title: str = "",
             fontsize: float = 9):
        """Axes without ticks at this place, its title (if any) centred just above it."""
        ax = self.fig.add_axes((left / self.w, 1 - (top + height) / self.h, width / self.w,
                                height / self.h))
        ax.set_axis_off()                                # no ticks: nothing to lay out
        if title:
            self.text(left + width / 2, top - 0.07, title, ha="center", fontsize=fontsize,
                      va="bottom")
        return ax

    def text(self, x: float, y: float, s: str, **kwargs):
        """Text whose anchor is x inches from the left, y inches from the top."""
        kwargs.setdefault("va", "baseline")
        return self.fig.text(x / self.w, 1 - y / self.h, s, **kwargs)


def _mono(page: _Page, x: float, y: float, s: str, **kwargs):
    return page.text(x, y, _m(s), family="monospace", fontsize=kwargs.pop("fontsize", MONO),
                     **kwargs)


def _split(term: str) -> tuple[str, str]:
    left, _, right = _m(term).partition("·")
    return left, right


def _formula_size(cell, prefix: str, size: float = MONO) -> tuple[float, float, list]:
    """(width, height) in inches of `_draw_formula`'s grid and, per kernel column, the widths
    (in characters) of the pixels and of the weights, so that the "·" line up."""
    kH, kW = cell.kernel.shape
    parts = np.array([_split(t) for t in cell.terms], dtype=object).reshape(kH, kW, 2)
    cols = [(max(len(a) for a in parts[:, q, 0]), max(len(b) for b in parts[:, q, 1]))
            for q in range(kW)]
    chars = len(prefix) + 2 + sum(a + 1 + b for a, b in cols) + 3 * (kW - 1)
    return chars * char_width(size), (kH + 1) * _line(size), cols


def _draw_formula(page: _Page, x: float, y: float, cell, prefix: str, *, term=None,
                  size: float = MONO, total_color=WARNING):
    """The cell's sum in a grid laid out like the kernel, each product coloured by its sign.

    Row p holds the products of kernel row p, their "·" aligned; `term` (0..kH*kW-1) frames
    one product. The last line is "= value". Returns the Text of each product and of the value.
    """
    kH, kW = cell.kernel.shape
    cw, lh = char_width(size), _line(size)
    _, _, cols = _formula_size(cell, prefix, size)
    texts = []
    for p in range(kH):
        yy = y + (p + 1) * lh
        if p == 0:
            _mono(page, x, yy, prefix, color=TEXT, fontsize=size)
        else:
            _mono(page, x + len(prefix) * cw, yy, "+", color=TEXT, fontsize=size)
        xx = x + (len(prefix) + 2) * cw
        for q in range(kW):
            n = p * kW + q
            left, right = _split(cell.terms[n])
            style = dict(color=_sign_color(cell.products[p, q]), fontsize=size)
            if term == n:
                style.update(bbox=dict(boxstyle="round,pad=0.12", fc=FILL["note"], ec=WARNING,
                                       lw=1.2), weight="bold")
            texts.append(_mono(page, xx + (cols[q][0] - len(left)) * cw, yy,
                               f"{left}·{right}", **style))
            xx += (cols[q][0] + 1 + cols[q][1]) * cw
            if q < kW - 1:
                _mono(page, xx + cw, yy, "+", color=TEXT, fontsize=size)
                xx += 3 * cw
    value = _mono(page, x + len(prefix) * cw, y + (kH + 1) * lh, "= " + number(cell.value),
                  color=total_color, weight="bold", fontsize=size)
    return texts, value


def _unclipped(patch):
    """A frame drawn whole at the edge of its axes (not cut in half by them)."""
    patch.set_clip_on(False)
    return patch


def _cell_grid(ax, shape) -> list:
    """White lines between the pixels and a grey frame: two artists, no ticks."""
    H, W = shape
    ax.vlines(np.arange(1, W) - 0.5, -0.5, H - 0.5, color=WHITE, lw=0.6)
    ax.hlines(np.arange(1, H) - 0.5, -0.5, W - 0.5, color=WHITE, lw=0.6)
    frame = ax.add_patch(Rectangle((-0.5, -0.5), W, H, fill=False, ec=EDGE, lw=0.8,
                                   clip_on=False))
    ax.set_xlim(-0.5, W - 0.5)
    ax.set_ylim(H - 0.5, -0.5)
    return [*ax.collections[-2:], frame]


def _kernel_panel(ax, kernel) -> None:
    """A kernel in the sign colours, every weight written (white on the darkest cells)."""
    m = max(float(np.abs(kernel).max()), 1e-12)
    ax.imshow(kernel, cmap=sign_cmap(), vmin=-m, vmax=m)
    _cell_grid(ax, kernel.shape)
    _numbers(ax, kernel, fmt="{:.2f}", fontsize=7, dark=kernel > 0.7 * m)   # white on blue


def _input_panel(ax, xp, padding: int, numbers: bool) -> None:
    """The (padded) input in grey, padding cells in a light fill, every pixel written."""
    shown = np.ma.masked_array(xp, mask=np.zeros_like(xp, dtype=bool))
    if padding:
        shown.mask[:padding, :] = shown.mask[-padding:, :] = True
        shown.mask[:, :padding] = shown.mask[:, -padding:] = True
    lo, hi = min(0.0, float(xp.min())), max(1.0, float(xp.max()))
    cmap = mpl.colormaps["gray_r"].with_extremes(bad=FILL["blank"])
    ax.imshow(shown, cmap=cmap, vmin=lo, vmax=hi)
    _cell_grid(ax, xp.shape)
    if numbers:
        _numbers(ax, xp, fmt="{:.1f}", fontsize=5.5, dark=xp > lo + 0.6 * (hi - lo))


def _map_panel(ax, out, scale: float, numbers: bool) -> None:
    """An output map in the sign colours; cells not computed yet stay blank."""
    cmap = sign_cmap().with_extremes(bad=FILL["blank"])
    ax.imshow(np.ma.masked_invalid(out), cmap=cmap, vmin=-scale, vmax=scale)
    _cell_grid(ax, out.shape)
    if numbers:
        for (i, j), v in np.ndenumerate(out):
            if np.isfinite(v):
                ax.text(j, i, _m(number(v, 1)), ha="center", va="center", fontsize=5.5,
                        color=WHITE if v > 0.6 * scale else INK)        # white on blue


def _cell_size(*widths: int, smallest: float = 0.26) -> float:
    """Inches per pixel: panels at least 1.1 in wide, at most 0.42 in a pixel, 4.2 in a panel."""
    u = max(smallest, 1.1 / min(widths))
    return min(u, 0.42, 4.2 / max(widths))


class ConvStepFigure(LiveFigure):
    """The figure of `plot_conv_step`, built once for an image and a kernel; `update(k, term)`
    shows output cell k in place.

    What no step changes (the input and its numbers, the kernel, the titles, the "+" signs) is
    drawn once; a step of `nl.widgets.conv_stepper` redraws only the output map, the frames and
    the formula (`render_png`). The formula's columns are as wide as the widest product of any
    cell, so nothing moves from one step to the next.
    """

    def __init__(self, image, kernel, *, stride: int = 1, padding: int = 0,
                 numbers: bool = True, cells=None):
        self.cells = conv_cell_steps(image, kernel, stride, padding) if cells is None else cells
        cells = self.cells
        kernel = cells[0].kernel
        kH, kW = self.kH, self.kW = kernel.shape
        xp = np.pad(np.asarray(image, dtype=float), padding)
        full = output_map(cells)
        Ho, Wo = full.shape
        u = _cell_size(xp.shape[1], Wo)
        uk = max(u, 0.42)
        numbers = numbers and u >= 0.2
        # the formula's grid, wide enough for every cell: prefix, then per column pixel·weight
        parts = [[_split(t) for t in c.terms] for c in cells]
        self.cols = [(max(len(cp[p * kW + q][0]) for cp in parts for p in range(kH)),
                      max(len(cp[p * kW + q][1]) for cp in parts for p in range(kH)))
                     for q in range(kW)]
        self.plen = max(len(_prefix(c)) for c in cells)
        cw, lh = char_width(MONO), _line(MONO)
        fw = (self.plen + 2 + sum(a + 1 + b for a, b in self.cols) + 3 * (kW - 1)) * cw
        fh = (kH + 1) * lh
        gap, left, top, head = 0.4, 0.15, 0.36, 0.3
        size = f"{xp.shape[0] - 2 * padding}×{xp.shape[1] - 2 * padding}"
        titles = [f"input {size}" + (f", padding {padding}" if padding else ""),
                  f"kernel {kH}×{kW}",
                  f"output {Ho}×{Wo}" + (f", stride {stride}" if stride > 1 else "")]
        widths = [xp.shape[1] * u, kW * uk, Wo * u]
        heights = [xp.shape[0] * u, kH * uk, Ho * u]
        slots = [max(w, text_width(t) + 0.05) for w, t in zip(widths, titles)]   # titles fit
        W = max(left * 2 + sum(slots) + 2 * gap, left * 2 + fw, 4.2)
        H = top + max(heights) + head + fh + 0.12
        page = self.page = _Page(W, H)
        self.fig = page.fig
        x = left + max(0.0, (W - 2 * left - sum(slots) - 2 * gap) / 2)
        axes = []
        for w, h, slot, title in zip(widths, heights, slots, titles):
            axes.append(page.axes(x + (slot - w) / 2, top, w, h, title))
            x += slot + gap
        self.ax_in, self.ax_k, self.ax_out = axes
        panels_h = max(heights)
        _input_panel(self.ax_in, xp, padding, numbers)
        _kernel_panel(self.ax_k, kernel)
        # the output map: an image, its grid and its numbers are drawn at every step
        self.scale = max(float(np.abs(full).max()), 1e-12)     # the colours of the finished map
        cmap = sign_cmap().with_extremes(bad=FILL["blank"])
        self.map = self.ax_out.imshow(np.ma.masked_invalid(np.full(full.shape, np.nan)),
                                      cmap=cmap, vmin=-self.scale, vmax=self.scale)
        self.map_grid = _cell_grid(self.ax_out, full.shape)
        self.map_numbers = [self.ax_out.text(c.j, c.i, _m(number(c.value, 1)), ha="center",
                                             va="center", fontsize=5.5, visible=False,
                                             color=WHITE if c.value > 0.6 * self.scale else INK)
                            for c in cells] if numbers else []
        self.frames = []
        for ax, h, w in ((self.ax_in, kH, kW), (self.ax_out, 1, 1), (self.ax_in, 1, 1),
                         (self.ax_k, 1, 1)):
            thin = len(self.frames) >= 2
            _box(ax, 0, 0, h, w, color=INK if thin else WARNING, lw=1.4 if thin else 2.2)
            self.frames.append(_unclipped(ax.patches[-1]))
        # the formula: a header line, then the kernel's rows of products, then "= value"
        y = self.y = top + panels_h + head
        self.x = left
        self.header = page.text(left, y - 0.04, "", fontsize=8, color=TEXT)
        self.prefix = _mono(page, left, y + lh, "", color=TEXT)
        self.terms = []
        for p in range(kH):
            if p:
                _mono(page, left + self.plen * cw, y + (p + 1) * lh, "+", color=TEXT)
            xx = left + (self.plen + 2) * cw
            for q, (a, b) in enumerate(self.cols):
                self.terms.append(_mono(page, xx, y + (p + 1) * lh, ""))
                xx += (a + 1 + b) * cw
                if q < kW - 1:
                    _mono(page, xx + cw, y + (p + 1) * lh, "+", color=TEXT)
                    xx += 3 * cw
        self.value = _mono(page, left + self.plen * cw, y + (kH + 1) * lh, "", color=WARNING,
                           weight="bold")
        self.k = self.term = None

    def update(self, k: int, term=None):
        """Show output cell k (reading order), product `term` (0..kH*kW-1) framed if given."""
        cells, kH, kW = self.cells, self.kH, self.kW
        if not isinstance(k, (int, np.integer)) or not 0 <= k < len(cells):
            raise ValueError(f"plot_conv_step: k must be an output cell number 0..{len(cells) - 1}"
                             f", got {k!r}")
        if term is not None and not (isinstance(term, (int, np.integer)) and 0 <= term < kH * kW):
            raise ValueError(f"plot_conv_step: term must be None or 0..{kH * kW - 1}, got {term!r}")
        cell = cells[k]
        self.k, self.term = int(k), term
        self.map.set_data(np.ma.masked_invalid(output_map(cells, k)))
        for n, text in enumerate(self.map_numbers):
            text.set_visible(n <= k)
        window, out_box, pixel, weight = self.frames
        window.set_xy((cell.left - 0.5, cell.top - 0.5))
        out_box.set_xy((cell.j - 0.5, cell.i - 0.5))
        if term is not None:
            p, q = divmod(int(term), kW)
            pixel.set_xy((cell.left + q - 0.5, cell.top + p - 0.5))
            weight.set_xy((q - 0.5, p - 0.5))
        pixel.set_visible(term is not None)
        weight.set_visible(term is not None)
        rows = f"{cell.top}–{cell.top + kH - 1}"
        cols = f"{cell.left}–{cell.left + kW - 1}"
        self.header.set_text(f"cell {k + 1} of {len(cells)}: the window at rows {rows}, columns "
                             f"{cols} times the kernel, product by product")
        self.prefix.set_text(_prefix(cell))
        cw, lh, page = char_width(MONO), _line(MONO), self.page
        for n, text in enumerate(self.terms):
            p, q = divmod(n, kW)
            left, right = _split(cell.terms[n])
            x0 = self.x + (self.plen + 2 + sum(a + 1 + b + 3 for a, b in self.cols[:q])) * cw
            x0 += (self.cols[q][0] - len(left)) * cw
            text.set_position((x0 / page.w, 1 - (self.y + (p + 1) * lh) / page.h))
            text.set_text(f"{left}·{right}")
            text.set_color(_sign_color(cell.products[p, q]))
            on = n == term
            text.set_bbox(dict(boxstyle="round,pad=0.12", fc=FILL["note"], ec=WARNING, lw=1.2)
                          if on else None)
            text.set_fontweight("bold" if on else "normal")
        self.value.set_text("= " + _m(number(cell.value)))
        return self.fig

    def _dynamic(self) -> list:
        return [self.map, *self.map_grid, *self.map_numbers, *self.frames, self.header,
                self.prefix, *self.terms, self.value]


def _prefix(cell) -> str:
    return f"out({cell.i}, {cell.j}) ="


def plot_conv_step(image, kernel, k: int, *, stride: int = 1, padding: int = 0, term=None,
                   numbers: bool = True, cells=None):
    """Step k of a convolution: output cell number k (reading order) computed before your eyes.

    Left, the input (padded with zeros if `padding`) with the kernel's window framed; middle,
    the kernel; right, the output map filled up to cell k, cell k framed. Below, cell k's sum
    with its kH*kW products written out in the kernel's layout, blue where a product is
    positive, orange where negative; `term` (0..kH*kW-1, row by row) frames one product and the
    pixel and weight it multiplies. `cells` (from `nl.course.conv_steps.conv_cell_steps`) skips
    computing them again. The figure of a `ConvStepFigure`, which the widget updates in place.
    """
    view = ConvStepFigure(image, kernel, stride=stride, padding=padding, numbers=numbers,
                          cells=cells)
    return view.update(k, term)


def plot_multichannel_cell(image_c, kernels_c, bias, i: int, j: int, *, stride: int = 1,
                           padding: int = 0, numbers: bool = True):
    """One output cell of a layer with C input channels: a sum per channel, then all added.

    Row c shows channel c of the input with the window framed, its own kernel, and the sum of
    their products; the last line adds the C partial sums and the bias:
    out(i, j) = sum over c of (window_c × kernel_c summed) + b, what `Conv2d(C, 1, k)` computes.
    """
    res = multichannel_cell(image_c, kernels_c, bias, i, j, stride, padding)
    image_c = np.asarray(image_c, dtype=float)
    C = len(res.channels)
    kH, kW = res.channels[0].kernel.shape
    xps = [np.pad(image_c[c], padding) for c in range(C)]
    u = _cell_size(xps[0].shape[1], smallest=0.22)
    uk = max(u, 0.36)
    numbers = numbers and u >= 0.2
    prefix = "sum ="
    fws = [_formula_size(cell, prefix)[0] for cell in res.channels]
    fh = _formula_size(res.channels[0], prefix)[1]
    left, top, gap, rowgap = 0.15, 0.36, 0.3, 0.36
    panel_w = xps[0].shape[1] * u
    slot_in = max(panel_w, text_width(f"input channel {C - 1}") + 0.05)
    slot_k = max(kW * uk, text_width(f"kernel {C - 1}") + 0.05)
    row_h = max(xps[0].shape[0] * u, kH * uk, fh)
    cw, lh = char_width(MONO), _line(MONO)
    parts = [f"channel {c}" for c in range(C)] + ["bias"]
    nums = [factor(p) for p in res.partials] + [factor(res.bias)]
    colw = [max(len(a), len(_m(b))) for a, b in zip(parts, nums)]
    prefix_out = f"out({res.i}, {res.j}) ="
    last_chars = len(prefix_out) + 1 + sum(colw) + 3 * C + 3 + len(number(res.value))
    W = max(left * 2 + slot_in + gap + slot_k + gap + max(fws), left * 2 + last_chars * cw)
    H = top + C * row_h + (C - 1) * rowgap + 0.1 + 3 * lh + 0.1
    page = _Page(W, H)
    for c, (cell, xp) in enumerate(zip(res.channels, xps)):
        y = top + c * (row_h + rowgap)
        ax_in = page.axes(left + (slot_in - panel_w) / 2, y, panel_w, xp.shape[0] * u,
                          f"input channel {c}")
        _input_panel(ax_in, xp, padding, numbers)
        _box(ax_in, cell.top, cell.left, kH, kW)
        _unclipped(ax_in.patches[-1])
        ax_k = page.axes(left + slot_in + gap + (slot_k - kW * uk) / 2, y, kW * uk, kH * uk,
                         f"kernel {c}")
        _kernel_panel(ax_k, cell.kernel)
        fx = left + slot_in + gap + slot_k + gap
        _draw_formula(page, fx, y - lh * 0.3, cell, prefix, total_color=_sign_color(cell.value))
    # the last line: the partial sums and the bias added, each under its name
    y = top + C * row_h + (C - 1) * rowgap + 0.1
    x = left
    _mono(page, x, y + 2 * lh, prefix_out, color=INK, weight="bold")
    x += (len(prefix_out) + 1) * cw
    values = [*res.partials, res.bias]
    for n, (name, s, v) in enumerate(zip(parts, nums, values)):
        _mono(page, x + colw[n] * cw / 2, y + lh, name, color=TEXT, fontsize=MONO - 1,
              ha="center")
        _mono(page, x + (colw[n] - len(_m(s))) / 2 * cw, y + 2 * lh, s, color=_sign_color(v))
        x += colw[n] * cw
        _mono(page, x + cw, y + 2 * lh, "+" if n < C else "=", color=TEXT)
        x += 3 * cw
    _mono(page, x, y + 2 * lh, number(res.value), color=WARNING, weight="bold")
    return page.fig


_NOTE = dict(boxstyle="round,pad=0.12", fc=FILL["note"], ec=WARNING, lw=1.0)


class SoftmaxFigure(LiveFigure):
    """The figure of `plot_softmax_steps`, built once for the scores; `update(k)` shows step k.

    The headers, the class numbers and the bars' grey tracks are drawn once; a step redraws the
    table's numbers, the bars and the formula (`render_png`).
    """

    def __init__(self, scores, *, steps=None, bars: bool = True):
        self.steps = steps = softmax_steps(scores) if steps is None else steps
        z = np.asarray(scores, dtype=float)
        n = self.n = len(z)
        m = steps[0].value
        size = self.size = 8.0
        cw, lh = char_width(size), _line(size)
        headers = ["class", "score z", "z − max", "exp(z − max)", "p = exp / sum"]
        table = [[str(c), _m(number(z[c], 3)), _m(number(z[c] - m, 3)),
                  number(steps[1 + c].value, 3), number(steps[n + 2 + c].value, 3)]
                 for c in range(n)]
        widths = [max(len(headers[a]), *(len(r[a]) for r in table)) + 2 for a in range(5)]
        left, top = 0.15, 0.25
        xs = np.cumsum([0, *widths]) * cw + left              # column right edges at xs[a + 1]
        bar_w = 1.3 if bars else 0.0
        self.forms = [_softmax_lines(st.formula) if st.phase == "sum" else [_m(st.formula)]
                      for st in steps]
        widest = max(len(line) for lines in self.forms for line in lines)
        room = max(len(lines) for lines in self.forms)      # the same height at every step
        W = max(xs[-1] + 0.25 + bar_w + 0.3, left * 2 + widest * cw, 4.0)
        H = top + (n + 3) * lh + 0.25 + (room + 1) * lh + 0.1
        page = self.page = _Page(W, H)
        self.fig = page.fig
        y0 = top + lh
        for a, h in enumerate(headers):
            page.text(xs[a + 1] - cw, y0, h, ha="right", fontsize=size, color=TEXT, weight="bold")
        self.cells = []                                       # [row][column 1..4] texts
        for c in range(n):
            y = y0 + (c + 1) * lh
            _mono(page, xs[1] - cw, y, table[c][0], fontsize=size, ha="right", color=INK)
            row = []
            for a in range(1, 5):
                color = _sign_color(float(z[c] - m) if a == 2 else z[c]) if a in (1, 2) else INK
                row.append(_mono(page, xs[a + 1] - cw, y, table[c][a], fontsize=size,
                                 ha="right", color=color))
            self.cells.append(row)
        y_sum = y0 + (n + 1) * lh + 0.06
        self.total = _mono(page, xs[4] - cw, y_sum, number(steps[n + 1].value, 3), fontsize=size,
                           ha="right", color=INK, weight="bold")
        self.total_label = page.text(xs[3] - cw, y_sum, "sum", ha="right", fontsize=size,
                                     color=TEXT)
        self.largest = page.text(xs[2] - cw, y_sum, "↑ the largest", ha="right",
                                 fontsize=size - 1, color=WARNING)
        self.bars = []
        if bars:
            bx = xs[-1] + 0.25
            centre = y0 + lh - 0.36 * size / 72              # the middle of row 0's digits
            ax = page.axes(bx, centre - 0.5 * lh, bar_w, n * lh)
            ax.barh(np.arange(n), np.ones(n), height=0.62, color=FILL["blank"])
            self.bars = list(ax.barh(np.arange(n), np.zeros(n), height=0.62, color=POSITIVE))
            ax.set_xlim(0, 1)
            ax.set_ylim(n - 0.5, -0.5)
            page.text(bx, centre - 0.5 * lh - 0.02, "p", fontsize=size, color=TEXT)
        yf = y_sum + 0.25 + lh
        self.header = page.text(left, yf - lh * 0.1, "", fontsize=size, color=TEXT)
        self.lines = [_mono(page, left, yf + (a + 1) * lh - lh * 0.1, "", fontsize=size,
                            color=WARNING) for a in range(room)]

    def update(self, k: int):
        """Show the table filled up to step k, step k's number framed and its formula below."""
        steps, n = self.steps, self.n
        if not isinstance(k, (int, np.integer)) or not 0 <= k < len(steps):
            raise ValueError(f"plot_softmax_steps: k must be a step number 0..{len(steps) - 1}, "
                             f"got {k!r}")
        step = steps[k]
        for c, row in enumerate(self.cells):
            for a, text in enumerate(row, start=1):
                text.set_visible(a == 1 or (a in (2, 3) and k >= 1 + c)
                                 or (a == 4 and k >= n + 2 + c))
                now = ((step.phase == "max" and a == 1 and c == step.place)
                       or (step.phase == "exp" and a in (2, 3) and c == step.place)
                       or (step.phase == "divide" and a == 4 and c == step.place))
                text.set_bbox(_NOTE if now else None)
        self.total.set_visible(k >= n + 1)
        self.total_label.set_visible(k >= n + 1)
        self.total.set_bbox(_NOTE if step.phase == "sum" else None)
        self.largest.set_visible(step.phase == "max")
        for c, bar in enumerate(self.bars):
            bar.set_width(steps[n + 2 + c].value if k >= n + 2 + c else 0.0)
        self.header.set_text(f"step {k + 1} of {len(steps)}: {_PHASES[step.phase]}")
        lines = self.forms[k]
        for a, text in enumerate(self.lines):
            text.set_text(lines[a] if a < len(lines) else "")
        return self.fig

    def _dynamic(self) -> list:
        return [*(t for row in self.cells for t in row), self.total, self.total_label,
                self.largest, *self.bars, self.header, *self.lines]


def plot_softmax_steps(scores, k: int, *, steps=None, bars: bool = True):
    """Step k of a softmax: a table of the scores, exp of each shifted score, their sum and the
    probabilities, filled up to step k (its cell framed), with step k's formula underneath.

    Steps (from `nl.course.conv_steps.softmax_steps`): 0 the largest score; 1..n exp(z_c - max);
    n+1 the sum; n+2..2n+1 each p_c = exp_c / sum. Bars show the probabilities found so far.
    The figure of a `SoftmaxFigure`, which the widget updates in place.
    """
    return SoftmaxFigure(scores, steps=steps, bars=bars).update(k)


def _softmax_lines(formula: str) -> list[str]:
    """The sum step's formula over several lines, five terms a line."""
    head, _, rest = _m(formula).partition(" = ")
    terms, _, total = rest.rpartition(" = ")
    terms = terms.split(" + ")
    lines = [head + " = " + " + ".join(terms[:5])]
    for a in range(5, len(terms), 5):
        lines.append(" " * len(head) + " + " + " + ".join(terms[a:a + 5]))
    return [*lines, " " * len(head) + " = " + total]


_PHASES = {"max": "find the largest score (subtracted from all: no exp can overflow)",
           "exp": "exp of a shifted score (at most 1)",
           "sum": "add the exps", "divide": "each exp divided by the sum"}


def plot_conv_filmstrip(image, kernel, cells=None, *, stride: int = 1, padding: int = 0):
    """The static twin of `conv_stepper`: a few output cells, each a frame with the window on the
    input, the output map filled up to that cell, and the cell's sum.

    `cells` lists output-cell numbers in reading order (default: the first, the second, the
    first of the second row and the last).
    """
    steps = conv_cell_steps(image, kernel, stride, padding)
    n = len(steps)
    Ho, Wo = conv_output_shape(np.shape(image), np.shape(kernel), stride, padding)
    if cells is None:
        cells = sorted({0, min(1, n - 1), min(Wo, n - 1), n - 1})
    cells = list(cells)
    for k in cells:
        if not isinstance(k, (int, np.integer)) or not 0 <= k < n:
            raise ValueError(f"plot_conv_filmstrip: every cell must be 0..{n - 1}, got {k!r}")
    xp = np.pad(np.asarray(image, dtype=float), padding)
    kH, kW = np.shape(kernel)
    u = min(0.1, 1.0 / xp.shape[1])
    full = output_map(steps)
    scale = max(float(np.abs(full).max()), 1e-12)
    gap, fgap, left, top = 0.12, 0.3, 0.12, 0.12
    frame_w = max(xp.shape[1] * u + gap + Wo * u, 1.3)
    size = 7.5
    H = top + max(xp.shape[0], Ho) * u + 0.1 + 2 * _line(size) + 0.08
    W = left * 2 + len(cells) * frame_w + (len(cells) - 1) * fgap
    page = _Page(W, H)
    for f, k in enumerate(cells):
        cell = steps[k]
        x = left + f * (frame_w + fgap)
        ax_in = page.axes(x, top, xp.shape[1] * u, xp.shape[0] * u)
        _input_panel(ax_in, xp, padding, False)
        _box(ax_in, cell.top, cell.left, kH, kW, lw=1.6)
        _unclipped(ax_in.patches[-1])
        ax_out = page.axes(x + xp.shape[1] * u + gap, top, Wo * u, Ho * u)
        _map_panel(ax_out, output_map(steps, k), scale, False)
        _box(ax_out, cell.i, cell.j, 1, 1, lw=1.6)
        _unclipped(ax_out.patches[-1])
        y = top + max(xp.shape[0], Ho) * u + 0.1
        page.text(x, y + _line(size) * 0.8, f"step {k + 1} of {n}", fontsize=size, color=TEXT)
        page.text(x, y + _line(size) * 1.8,
                  _m(f"out({cell.i}, {cell.j}) = {number(cell.value)}"), fontsize=size,
                  color=_sign_color(cell.value), family="monospace")
    return page.fig
