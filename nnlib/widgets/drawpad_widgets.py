"""Draw a digit and watch the MNIST classifier read it (notebook 13): the user interface only.

`DrawPad` is an anywidget `<canvas>` (JS in drawpad.js) that sends the ink as 0..255 values;
`draw_a_digit()` is the Demo around it: draw, and see the preprocessed image, the hidden-layer
activations (a CNN's feature maps) and the class probabilities, with the name of the model that
read it, or "not sure" when the top probability is below the `not sure below` slider. The
preprocessing, the checks of a drawing and the choice of the model live in
`nl.datasets.drawings`; the static twin of the figure is `nl.viz.plot_digit_prediction`.
"""

from __future__ import annotations

import pathlib
from html import escape

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets

from ..apps import pad_model
from ..core import make_rng
from ..datasets import drawings, load_mnist
from ..viz.drawpad_plots import plot_digit_prediction
from .base import Demo

__all__ = ["draw_a_digit"]

EMPTY_MESSAGE = drawings.EMPTY_MESSAGE


# -- the widget -----------------------------------------------------------------------------
class DrawPad(anywidget.AnyWidget):
    """A `size` x `size` px canvas; `pixels` holds the ink averaged down to `grid` x `grid`
    cells (0..255): the 280 px pad sends 56 x 56 cells of 5 x 5 px, `brush` is the pen's width.

    The browser sends the pixels when a stroke ends (pointerup), about 3,000 small numbers.
    Incrementing `clear` wipes the canvas (the kernel then sets `pixels` to []).
    """

    _esm = pathlib.Path(__file__).with_name("drawpad.js")
    size = traitlets.Int(drawings.PAD_SIZE).tag(sync=True)
    grid = traitlets.Int(drawings.PAD_GRID).tag(sync=True)
    brush = traitlets.Int(drawings.PAD_BRUSH).tag(sync=True)
    pixels = traitlets.List(traitlets.Int()).tag(sync=True)
    clear = traitlets.Int(0).tag(sync=True)

    def image(self) -> np.ndarray | None:
        """The drawing as a float array (grid, grid) in [0, 1], or None when nothing is drawn.

        Raises ValueError when `pixels` is not grid*grid values in 0..255
        (`nl.datasets.drawings.pixels_to_image`).
        """
        return drawings.pixels_to_image(self.pixels, self.grid)

    def wipe(self) -> None:
        self.clear += 1
        self.pixels = []


class DrawADigit(Demo):
    """Draw on the pad (or press "random test digit"); see what the network sees and says.

    The pad reads with `model`, or with the best model saved in `folder`
    (`nl.apps.pad_model.get_model`: the CNN of notebook 14, else the MLP of notebook 12);
    the title and every answer name the model used. Below the `threshold` slider's top
    probability the answer is "not sure (top guess 8, 54%)" (`nl.apps.pad_model.answer`).
    """

    def __init__(self, model=None, path="best", seed: int = 0, folder=pad_model.MODELS_DIR,
                 threshold: float = pad_model.NOT_SURE_BELOW):
        super().__init__("Draw a digit")
        if model is None:       # a widget must not block for minutes: quick training if needed
            model, self.source = pad_model.get_model(path, folder=folder, subset="small", seed=seed)
        else:
            self.source = f"{pad_model.describe_model(model)} passed in"
        self.model = model
        self.model_name = pad_model.describe_model(model)
        self.rng = make_rng(seed)
        _, _, self.X_test, self.y_test = load_mnist(subset="small", flatten=False)
        self.pad = DrawPad()
        self.raw: np.ndarray | None = None
        self.problem: str | None = None      # why the current drawing cannot be read
        self.label: int | None = None
        self._quiet = False
        self.pad.observe(lambda _change: self._on_pixels(), names="pixels")
        pad_model.answer(np.full(10, 0.1), threshold)      # a bad threshold is refused here
        self.add_control("threshold", widgets.FloatSlider(
            value=threshold, min=0.0, max=1.0, step=0.01, readout_format=".0%",
            description="not sure below", continuous_update=False))
        self.add_button("random", widgets.Button(description="random test digit", icon="random"),
                        self.random_digit)
        self.add_button("clear", widgets.Button(description="clear", icon="eraser"), self.clear)

    def _on_pixels(self):
        if self._quiet:
            return
        self.label, self.problem = None, None
        try:
            self.raw = self.pad.image()
        except ValueError as err:            # e.g. a value of 999: say so, draw nothing
            self.raw, self.problem = None, str(err)
        self.refresh()

    def random_digit(self):
        """A random test image from the small subset, placed off-centre on the pad's canvas
        and sent as the pad sends a drawing (`grid` x `grid` cells)."""
        i = int(self.rng.integers(len(self.X_test)))
        shift = self.rng.integers(-40, 41, size=2)
        height = int(self.rng.integers(120, 220))
        canvas = drawings.digit_on_canvas(self.X_test[i], self.pad.size, height, shift)
        self._show(drawings.on_pad_grid(canvas, self.pad.grid), int(self.y_test[i]))

    def clear(self):
        self._show(None, None)

    def _show(self, raw, label):
        """Show `raw` (None: nothing), wiping the pad without its change triggering a redraw."""
        self.raw, self.label, self.problem = raw, label, None
        self._quiet = True
        try:
            self.pad.wipe()
        finally:
            self._quiet = False
        self.refresh()

    def layout(self) -> widgets.Widget:
        side = widgets.VBox([*self.buttons.values(), *self.controls.values(), self.readout],
                            layout=widgets.Layout(margin="0 0 0 12px"))
        return widgets.VBox([widgets.HTML(f"<b>{self.title}</b> <small>(model: "
                                          f"{escape(self.source, quote=False)})</small>"),
                             widgets.HBox([self.pad, side]), self.out, self.status])

    def _nothing(self, message: str) -> None:
        self.readout.value = f"<i>{escape(message, quote=False)}</i>"
        self.out.clear_output()
        self.last_png = None

    def draw(self, threshold=pad_model.NOT_SURE_BELOW):
        if self.problem is not None:
            return self._nothing(self.problem)
        if self.raw is None:
            return self._nothing(EMPTY_MESSAGE)
        try:
            drawings.check_drawing(self.raw)
        except drawings.UnreadableDrawing as why:       # a dot, a filled pad: no "8, 62 %"
            return self._nothing(str(why))
        x = drawings.preprocess_digit(self.raw)
        probs, hidden = pad_model.classify(self.model, x)
        digit, text = pad_model.answer(probs, threshold)
        pred = int(probs.argmax())
        mark = "✓" if digit == self.label else "✗" if digit is not None else "(no answer)"
        truth = "" if self.label is None else f" — true label {self.label} {mark}"
        name = escape(self.model_name, quote=False)
        said = (f"prediction: <b>{digit}</b> with probability {probs[pred]:.0%}"
                if digit is not None else f"<b>{text}</b>")
        self.readout.value = (f"{said}{truth}<br><small>read by the {name}; not sure below "
                              f"{threshold:.0%}</small>")
        rows, cols = self.raw.shape
        where = (f"the pad: {rows}×{cols} cells\n(each {self.pad.size // cols}×"
                 f"{self.pad.size // cols} px)"
                 if cols == self.pad.grid and self.pad.size % cols == 0
                 else f"drawing ({rows}×{cols})")
        kind = self.model_name.split()[0]
        return plot_digit_prediction(
            self.raw, x.reshape(28, 28), probs, hidden, label=self.label, threshold=threshold,
            raw_title=where, title=(f"prediction: {digit} ({kind})" if digit is not None
                                    else f"not sure: top guess {pred} ({kind})"))


def draw_a_digit(model=None, path="best", seed: int = 0, folder=pad_model.MODELS_DIR,
                 threshold: float = pad_model.NOT_SURE_BELOW) -> DrawADigit:
    """Drawing pad + MNIST classifier: the probabilities, hidden activations and 28x28 input.

    With no arguments it reads with the best model saved in `folder` ("models": the CNN of
    notebook 14, else the MLP of notebook 12) or quickly trains one; `path=` picks a file,
    `model=` passes a model. The pad says which model it used. Below a top probability of
    `threshold` (a slider on the pad) it answers "not sure (top guess 8, 54%)".
    """
    return DrawADigit(model=model, path=path, seed=seed, folder=folder, threshold=threshold)
