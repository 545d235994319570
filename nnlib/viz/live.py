"""`LiveFigure`: a figure built once and redrawn fast, for the widgets that move many times a second.

A live widget (the playground of notebook 09, the neuron of notebook 01) changes a few artists
per frame: an image, some lines, a dozen numbers. Drawing the whole figure again spends most of
its time on what never changes (tick labels, legends, circles, the colour bar). A `LiveFigure`
draws those once into a cached background; each frame restores those pixels and draws only the
artists its `_dynamic()` lists, in that order, on top (matplotlib's "blitting").

Subclasses build `self.fig` with all artists, keep the changing ones in `_dynamic()`, and may
return from `_background_key()` whatever, when it changes, means the background is stale (a
title that is part of it, say). `render_png()` is then the frame; `self.fig` stays an ordinary
Figure, so the static twin in a notebook is the same picture.
"""

from __future__ import annotations

import io

__all__: list[str] = []          # a base class for figure modules, no plotting function


def agg_canvas(fig):
    """The figure's Agg canvas (an inline-backend figure gets one): what `render_png` draws on."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def canvas_bytes(canvas, format: str = "png") -> bytes:
    """The pixels last drawn on an Agg canvas as PNG (fast, level 1) or JPEG bytes; no drawing."""
    from PIL import Image

    buf = io.BytesIO()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw",
                             "RGBA", 0, 1)
    if format == "jpeg":                     # 10x faster to encode than PNG: live frames
        image.convert("RGB").save(buf, format="jpeg", quality=90)
    else:
        image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


class LiveFigure:
    """Base of a figure updated in place: `render_png` draws only `_dynamic()` on a cached background."""

    fig = None
    _background = None
    _background_for = None

    def _dynamic(self) -> list:  # pragma: no cover - subclasses list their changing artists
        raise NotImplementedError

    def _background_key(self):
        """A value that changes whenever the background must be drawn again (default: never)."""
        return None

    def forget_background(self) -> None:
        """Draw everything again at the next `render_png` (after the axes themselves changed)."""
        self._background = None

    def render_png(self, format: str = "png") -> bytes:
        """PNG (or "jpeg") of the current state: the cached background plus `_dynamic()` drawn on it."""
        canvas = agg_canvas(self.fig)
        dynamic = self._dynamic()
        key = self._background_key()
        if self._background is None or key != self._background_for:
            visible = [a.get_visible() for a in dynamic]
            for a in dynamic:
                a.set_visible(False)
            canvas.draw()
            self._background, self._background_for = canvas.copy_from_bbox(self.fig.bbox), key
            for a, v in zip(dynamic, visible):
                a.set_visible(v)
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for a in dynamic:
            if a.get_visible():
                a.draw(renderer)
        return self.encode(format)

    def encode(self, format: str = "png") -> bytes:
        """The pixels of the last `render_png` as PNG or JPEG bytes (no drawing)."""
        return canvas_bytes(self.fig.canvas, format)
