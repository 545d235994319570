"""Live controls for the notebooks, built on ipywidgets; one module per notebook.

Every widget is a `base.Demo`: its controls, a figure area and a visible error line. Each has
a static twin in `nnlib.viz` shown before it, because GitHub and nbviewer do not run widgets.
"""

from __future__ import annotations

from .base import Demo, figure_to_png

__all__ = ["Demo", "figure_to_png"]
