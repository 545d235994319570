"""Plotting helpers for the notebooks: one house style and the static twin of every widget.

`use_style()` sets small figures, a colour-blind-safe palette (Okabe-Ito) with distinct line
styles, and readable fonts. Topic modules (one per notebook) hold the figures; the most used
ones are re-exported here, so notebooks call `nl.viz.plot_...`.
"""

from __future__ import annotations

from .style import COLORS, LINESTYLES, diverging_cmap, figure, use_style

__all__ = ["use_style", "figure", "COLORS", "LINESTYLES", "diverging_cmap"]
