"""The house plotting style: every colour of the series, the sign convention, new figures and axes.

Colours are named here and nowhere else (a test greps for hex codes outside this file). The
Okabe-Ito palette (Okabe & Ito 2008) stays distinguishable with every common colour-vision
deficiency; lines also differ by style, so no figure relies on colour alone.

Sign of a value or a weight: `POSITIVE` blue, `NEGATIVE` orange, in every figure of the series
(the convention TensorFlow Playground learners know); `sign_cmap()` is the matching diverging
map (orange - white - blue) and `sign_legend(ax)` explains it on a plot.
"""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler
from matplotlib.figure import Figure

# -- the palette ---------------------------------------------------------------------------
POSITIVE = "#0072B2"        # blue: a positive value or weight
NEGATIVE = "#E69F00"        # orange: a negative value or weight
WARNING = "#D55E00"         # vermillion: diverged runs, error messages, highlighted gradients
GREEN, PINK, SKY, YELLOW, INK = "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000"
COLORS = [POSITIVE, NEGATIVE, GREEN, WARNING, PINK, SKY, YELLOW, INK]
LINE_COLORS = [c for c in COLORS if c != YELLOW]     # yellow is too faint for thin lines
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)), "-"]
CLASS_COLORS = [POSITIVE, WARNING, GREEN, PINK, NEGATIVE, SKY]
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P"]
HATCHES = ["", "//", "..", "xx", "\\\\", "++"]

# greys for text, outlines and zero-valued things
WHITE = "#FFFFFF"
TEXT = "#333333"            # secondary labels (biases, shapes, notes)
TEXT_SOFT = "#666666"       # "nothing to show yet" messages
EDGE = "#555555"            # outlines and neutral arrows
NEUTRAL = "#999999"         # a value that is exactly zero
# light fills behind text: inputs (blue), parameters/operations (orange), and the rest
FILL = {"input": "#D3ECFA", "param": "#FBE5B6", "grad": "#F9D3C0", "bias": "#CDEBDD",
        "node": "#F2F2F2", "note": "#FFF8E6", "blank": "#EEEEEE"}


def use_style() -> None:
    """Apply the series' matplotlib style (call once in every notebook's setup cell).

    In a notebook it also switches on the inline backend at once, so that a Figure left as a
    cell's last expression (or passed to `display`) shows as a picture even before pyplot has
    drawn anything.
    """
    _enable_inline()
    mpl.rcParams.update({
        "figure.figsize": (6.0, 3.5),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.constrained_layout.use": True,
        "axes.prop_cycle": cycler(color=COLORS) + cycler(linestyle=LINESTYLES),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "image.cmap": "viridis",
    })


def _enable_inline() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
        return
    ip = get_ipython()
    if ip is not None and hasattr(ip, "kernel"):          # a Jupyter kernel, not a terminal
        ip.run_line_magic("matplotlib", "inline")


# -- figures and axes ----------------------------------------------------------------------
def figure(*args, **kwargs) -> Figure:
    """A new Figure that pyplot does not track (no 'too many figures' warning in widgets).

    Same arguments as `matplotlib.figure.Figure`; returns it with constrained layout on.
    """
    kwargs.setdefault("layout", "constrained")
    return Figure(*args, **kwargs)


def new_axes(ax=None, figsize=(4.0, 3.6), *, rect=None, **figure_kwargs):
    """`(fig, ax)`: the given Axes and its Figure, or a new untracked Figure with one Axes.

    Every plotting function that accepts `ax=` starts with this line, so "draw into my axes"
    and "make a figure" behave the same everywhere. `rect` (left, bottom, width, height in
    figure fractions) places the new Axes by hand, e.g. `(0, 0, 1, 1)` for a diagram that
    fills the figure; otherwise it is one subplot.
    """
    if ax is not None:
        return ax.figure, ax
    fig = figure(figsize=figsize, **figure_kwargs)
    return fig, (fig.add_axes(rect) if rect is not None else fig.add_subplot())


# -- numbers written on figures --------------------------------------------------------------
def share_text(fraction: float) -> str:
    """A fraction as a percentage that reads "100%" or "0%" only when it is exactly that.

    0.998 is "99.8%", not "100%": a panel that says "100% = 0" must have nothing else to draw.
    """
    f = float(fraction)
    for digits in range(0, 7):
        text = f"{f:.{digits}%}"
        shown = float(text[:-1])
        if (shown == 100) == (f == 1) and (shown == 0) == (f == 0):
            return text
    return f"{f:.8%}"


# -- colour maps and the sign convention -----------------------------------------------------
def sign_color(value) -> str:
    """`POSITIVE` for a value >= 0, `NEGATIVE` below 0 (NaN counts as positive)."""
    return NEGATIVE if value < 0 else POSITIVE


def sign_style(value) -> tuple[str, str]:
    """(colour, line style) of a signed value: blue solid for >= 0, orange dashed for < 0.

    The sign is shown twice, so a figure still reads in grey-scale print.
    """
    return (NEGATIVE, "--") if value < 0 else (POSITIVE, "-")


def sign_cmap():
    """Diverging map for signed values (weights, gradients): orange (negative) - white - blue.

    Centre it with vmin = -vmax so that white means 0.
    """
    from matplotlib.colors import LinearSegmentedColormap
    return LinearSegmentedColormap.from_list("nnlib_sign", [NEGATIVE, WHITE, POSITIVE])


def sign_legend(ax, *, what: str = "", loc: str = "upper right", **kwargs):
    """Add the legend of the sign convention to `ax` (blue solid > 0, orange dashed < 0).

    `what` names the signed quantity ("weight", "gradient"); a legend already on `ax` is
    kept. Extra keyword arguments go to `ax.legend`. Returns the new Legend.
    """
    from matplotlib.lines import Line2D

    name = f"{what} " if what else ""
    handles = [Line2D([], [], color=POSITIVE, ls="-", lw=2, label=f"{name}> 0"),
               Line2D([], [], color=NEGATIVE, ls="--", lw=2, label=f"{name}< 0")]
    old = ax.get_legend()
    kwargs.setdefault("fontsize", 8)
    kwargs.setdefault("handlelength", 1.8)
    legend = ax.legend(handles=handles, loc=loc, **kwargs)
    if old is not None:
        ax.add_artist(old)
    return legend


def class_cmap():
    """Blue (class 0) - white - vermillion (class 1): the colours of the class markers."""
    from matplotlib.colors import LinearSegmentedColormap
    return LinearSegmentedColormap.from_list("nnlib_classes", [CLASS_COLORS[0], WHITE,
                                                               CLASS_COLORS[1]])
