"""Faster redraws for the light widgets: one image updated in place, a layout computed once.

A slider step of a light widget (notebooks 01, 02, 04, 05, 06) draws a new small figure. Three
things made that slow: the constrained-layout solver measuring every label again (about half
of a draw), PNG compression at matplotlib's default level, and the front end tearing down and
rebuilding an output area for every frame. `InPlaceFigure` (a mixin for a `Demo`) keeps one
`widgets.Image` in the figure area and only changes its bytes, lays out the first figure of
each shape (with its layout engine, if any) and gives the next ones the same axes and title
positions (fixed margins: the picture does not jump while a slider moves), and encodes with
fast compression. A widget whose `draw` returns a `nl.viz` `LiveFigure` (built once, updated in
place) goes further: only the artists that changed are drawn again.
"""

from __future__ import annotations

import os

import ipywidgets as widgets
from IPython.display import display
from matplotlib.figure import Figure

from ..viz.live import LiveFigure, agg_canvas, canvas_bytes

__all__: list[str] = []          # helpers for the widget modules, no factories


def fast_png(fig: Figure) -> bytes:
    """Draw `fig` with Agg and encode it as PNG with fast (level 1) compression."""
    canvas = agg_canvas(fig)
    canvas.draw()
    return canvas_bytes(canvas)


def _shape(fig: Figure) -> tuple:
    """What must be equal for two figures to share a layout: size and the axes' grid slots."""
    slots = []
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        slots.append((type(ax).__name__, ax.get_label(),
                      None if spec is None else (spec.rowspan, spec.colspan)))
    return (tuple(fig.get_size_inches()), fig.dpi, tuple(slots))


class InPlaceFigure:
    """Mixin for a `Demo`: `show` updates one Image in place and reuses the first layout.

    Use as `class NeuronExplorer(InPlaceFigure, Demo)`. Set `freeze_layout = False` on a
    widget whose labels change size a lot between frames. `NNLIB_INPLACE=0` in the environment
    switches back to the plain `Demo.show` (to measure the difference in the browser tests).
    """

    freeze_layout = True
    _image = None
    _layouts: dict | None = None

    def show(self, fig: Figure | LiveFigure | None) -> None:
        if fig is None:
            return
        if isinstance(fig, LiveFigure):              # built once: only its changing artists
            if os.environ.get("NNLIB_INPLACE") == "0":
                return super().show(fig.fig)
            self.last_png = fig.render_png()
            return self._set_image(self.last_png)
        if os.environ.get("NNLIB_INPLACE") == "0":
            return super().show(fig)
        if self._layouts is None:
            self._layouts = {}
        key = _shape(fig)
        engine = fig.get_layout_engine()
        fixed = self.freeze_layout and key in self._layouts
        if fixed:                                    # same shape as a laid-out figure
            if engine is not None:
                fig.set_layout_engine("none")
            for ax, (pos, title_y) in zip(fig.axes, self._layouts[key]):
                ax.set_position(pos)
                # matplotlib places each title above everything in its axes, measuring every
                # label again (a fifth of a frame): keep the place the first frame found
                ax._autotitlepos = False
                for title in (ax.title, ax._left_title, ax._right_title):
                    title.set_y(title_y)
        self.last_png = fast_png(fig)
        if self.freeze_layout and not fixed:
            self._layouts[key] = [(ax.get_position(original=True), ax.title.get_position()[1])
                                  for ax in fig.axes]
        self._set_image(self.last_png)

    def _set_image(self, png: bytes) -> None:
        if self._image is None:
            self._image = widgets.Image(format="png")
            with self.out:
                self.out.clear_output(wait=True)
                display(self._image)
        self._image.value = png
