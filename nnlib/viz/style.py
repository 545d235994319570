"""The house plotting style: Okabe-Ito colours paired with line styles, small tidy figures."""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler
from matplotlib.figure import Figure

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)), "-"]
CLASS_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P"]


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


def class_cmap():
    """Blue (class 0) - white - vermillion (class 1): the colours of the class markers."""
    from matplotlib.colors import LinearSegmentedColormap
    return LinearSegmentedColormap.from_list("nnlib_classes", [CLASS_COLORS[0], "#FFFFFF",
                                                               CLASS_COLORS[1]])


def figure(*args, **kwargs) -> Figure:
    """A new Figure that pyplot does not track (no 'too many figures' warning in widgets).

    Same arguments as `matplotlib.figure.Figure`; returns it with constrained layout on.
    """
    kwargs.setdefault("layout", "constrained")
    return Figure(*args, **kwargs)


def diverging_cmap():
    """Blue-white-orange map for signed values (weights, gradients), centred with vmin=-vmax."""
    return mpl.colormaps["PuOr_r"]
