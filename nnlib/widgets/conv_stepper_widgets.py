"""Step a convolution cell by cell, and a softmax number by number (notebook 14).

`conv_stepper` slides the kernel over a small image one output cell per step (◀ / ▶, or play):
the window on the input, the kernel, the output map filling up, and the cell's sum with every
product written out (`nl.viz.plot_conv_step`; its static twin is `nl.viz.plot_conv_filmstrip`).
"step by: product" walks the nine products of each cell one at a time. `softmax_stepper` turns
ten scores into probabilities the same way (`nl.viz.plot_softmax_steps`). The numbers come from
`nl.course.conv_steps`. Light: a step draws one small figure, updated in place.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets
import numpy as np

from ..conv import KERNELS
from ..course.conv_steps import number
from ..viz.conv_stepper_plots import ConvStepFigure, SoftmaxFigure
from .base import Demo, plural
from .inplace import InPlaceFigure

__all__ = ["conv_stepper", "softmax_stepper"]

YOURS = "your image"
BY_CELL, BY_PRODUCT = "output cell", "product"


@functools.lru_cache(maxsize=1)
def _digits() -> dict:
    """Two test digits of the shipped MNIST subset, 28x28 cut to 24x24 and averaged to 8x8."""
    from ..datasets import load_mnist

    _, _, X, y = load_mnist(subset="small")
    out = {}
    for label in (7, 0):
        image = X[int(np.argmax(y == label))].reshape(28, 28)[2:26, 2:26].astype(np.float64)
        out[f"a {label} (MNIST, 8×8)"] = np.round(image.reshape(8, 3, 8, 3).mean(axis=(1, 3)), 1)
    return out


def _patterns() -> dict:
    """Two hand-made 7x7 images: a cross and a vertical step edge."""
    cross = np.zeros((7, 7))
    cross[3, 1:6] = cross[1:6, 3] = 1.0
    edge = np.zeros((7, 7))
    edge[:, 4:] = 1.0
    return {"a cross (7×7)": cross, "a step edge (7×7)": edge}


def _step_controls(demo: Demo, interval: int) -> None:
    """The step control (ipywidgets.Play: ▶ plays, ⏸ pauses) and ◀ / ▶ buttons on a Demo."""
    demo.add_control("step", widgets.Play(value=0, min=0, max=1, step=1, interval=interval,
                                          description="step", show_repeat=False))
    demo.scrub = widgets.IntSlider(min=0, max=1, description="step",
                                   layout=widgets.Layout(width="320px"))
    widgets.jslink((demo.controls["step"], "value"), (demo.scrub, "value"))
    widgets.jslink((demo.controls["step"], "max"), (demo.scrub, "max"))
    demo.add_button("back", widgets.Button(description="◀", tooltip="one step back"),
                    lambda: _move(demo, -1))
    demo.add_button("next", widgets.Button(description="▶", tooltip="one step on"),
                    lambda: _move(demo, +1))


def _move(demo: Demo, by: int) -> None:
    play = demo.controls["step"]
    play.value = int(np.clip(play.value + by, play.min, play.max))


class ConvStepper(InPlaceFigure, Demo):
    """Image, kernel, padding, stride and the step -> output cell k computed product by product."""

    freeze_layout = False                # laid out by hand in inches: nothing to measure again
    _syncing = False

    def __init__(self, images: dict, image: str, kernel: str):
        super().__init__("A convolution, one output cell at a time")
        self.images = images
        self._views: dict = {}
        self.add_control("image", widgets.Dropdown(options=list(images), value=image,
                                                   description="image"))
        self.add_control("kernel", widgets.Dropdown(options=list(KERNELS), value=kernel,
                                                    description="kernel"))
        self.add_control("padding", widgets.Dropdown(options=[0, 1], value=0,
                                                     description="padding"))
        self.add_control("stride", widgets.Dropdown(options=[1, 2], value=1,
                                                    description="stride"))
        self.add_control("by", widgets.Dropdown(options=[BY_CELL, BY_PRODUCT], value=BY_CELL,
                                                description="step by"))
        _step_controls(self, interval=800)
        self._per = 1                     # steps per output cell: 1, or kH*kW by product
        self._cell = 0                    # the output cell on show
        self._sync()

    def view(self) -> ConvStepFigure:
        """The figure of the current image, kernel, stride and padding (built once, kept)."""
        key = tuple(self.controls[name].value for name in ("image", "kernel", "stride", "padding"))
        if key not in self._views:
            image, kernel, stride, padding = key
            self._views[key] = ConvStepFigure(self.images[image], KERNELS[kernel], stride=stride,
                                              padding=padding)
        return self._views[key]

    def cells(self):
        """The output cells of the current image, kernel, stride and padding."""
        return self.view().cells

    def _sync(self) -> None:
        """Fit the step control to the number of steps; stepping by product keeps the cell."""
        cells = self.cells()
        per = cells[0].kernel.size if self.controls["by"].value == BY_PRODUCT else 1
        play = self.controls["step"]
        n = len(cells) * per
        self._syncing = True
        try:
            if per != self._per:
                value = min(self._cell, len(cells) - 1) * per
                play.max = max(play.max, value)
                play.value = value
                self._per = per
            play.max = n - 1                               # clamps the value if it was beyond
            self.scrub.max = n - 1
            play.interval = 800 if per == 1 else 350
        finally:
            self._syncing = False

    def refresh(self) -> None:
        if self._syncing:
            return
        self._sync()
        super().refresh()

    def layout(self) -> widgets.Widget:
        c, b = self.controls, self.buttons
        top = widgets.HBox([c["image"], c["kernel"], c["padding"], c["stride"]],
                           layout=widgets.Layout(flex_flow="row wrap"))
        steps = widgets.HBox([b["back"], c["step"], b["next"], self.scrub, c["by"]],
                             layout=widgets.Layout(flex_flow="row wrap"))
        return widgets.VBox([widgets.HTML(f"<b>{self.title}</b>"), top, steps, self.readout,
                             self.out, self.status])

    def draw(self, image, kernel, padding, stride, by, step):
        cells = self.cells()
        per = cells[0].kernel.size if by == BY_PRODUCT else 1
        k, term = divmod(int(step), per)
        k = min(k, len(cells) - 1)
        self._cell = k
        cell = cells[k]
        what = (f", product {term + 1} of {per}: {cell.terms[term]};" if per > 1
                else f": the sum of {cell.kernel.size} product{plural(cell.kernel.size)},")
        self.readout.value = (f"cell {k + 1} of {len(cells)}{what} out({cell.i}, {cell.j}) = "
                              f"<b>{number(cell.value)}</b>").replace("-", "−")
        view = self.view()
        view.update(k, term if per > 1 else None)
        return view                          # InPlaceFigure redraws only what a step changes


def conv_stepper(image=None, kernel: str = "edge (vertical)") -> ConvStepper:
    """Step a kernel over `image` (a small grey array; default: an MNIST 7 averaged to 8x8, with
    a 0 and two hand-made patterns to choose from) one output cell at a time."""
    if kernel not in KERNELS:
        raise ValueError(f"conv_stepper: kernel must be one of {sorted(KERNELS)}, got {kernel!r}")
    if image is None:
        images = {**_digits(), **_patterns()}
    else:
        a = np.asarray(image)
        if a.dtype.kind not in "fiu" or a.ndim != 2 or min(a.shape) < 3 or max(a.shape) > 16:
            raise ValueError(f"conv_stepper: expected a grey image (H, W) of numbers between "
                             f"3x3 and 16x16, got shape {a.shape} and dtype {a.dtype}")
        if not np.isfinite(a).all():
            raise ValueError("conv_stepper: the image has a NaN or an infinite value")
        images = {YOURS: a.astype(np.float64)}
    return ConvStepper(images, next(iter(images)), kernel)


# -- softmax --------------------------------------------------------------------------------

# Ten made-up scores of a last layer: a network fairly sure the digit is a 3; the same scores
# closer together (unsure between 4 and 9); and times 100, which only works because the
# largest score is subtracted before exp.
SCORES = {
    "fairly sure: a 3": np.array([1.2, -0.8, 0.3, 4.1, -2.0, 0.9, 0.0, 2.2, -1.1, 0.5]),
    "unsure: a 4 or a 9": np.array([-0.5, -1.2, 0.1, 0.4, 2.3, -0.3, -0.9, 0.6, 0.2, 2.1]),
    "large scores (×100)": np.array([1.2, -0.8, 0.3, 4.1, -2.0, 0.9, 0.0, 2.2, -1.1, 0.5]) * 100,
}


class SoftmaxStepper(InPlaceFigure, Demo):
    """The scores and the step -> the softmax table filled up to that step, its formula below."""

    freeze_layout = False

    def __init__(self, scores: dict):
        super().__init__("Softmax, one number at a time")
        self.scores = scores
        self._views: dict = {}
        self.add_control("scores", widgets.Dropdown(options=list(scores), description="scores"))
        n = len(next(iter(scores.values())))
        _step_controls(self, interval=600)
        self.controls["step"].max = self.scrub.max = 2 * n + 1

    def layout(self) -> widgets.Widget:
        c, b = self.controls, self.buttons
        row = widgets.HBox([c["scores"], b["back"], c["step"], b["next"], self.scrub],
                           layout=widgets.Layout(flex_flow="row wrap"))
        return widgets.VBox([widgets.HTML(f"<b>{self.title}</b>"), row, self.readout, self.out,
                             self.status])

    def draw(self, scores, step):
        if scores not in self._views:
            self._views[scores] = SoftmaxFigure(self.scores[scores])
        view = self._views[scores]
        k = min(int(step), len(view.steps) - 1)
        self.readout.value = (f"step {k + 1} of {len(view.steps)} ({view.steps[k].phase}): "
                              f"{view.steps[k].formula}").replace("-", "−")
        view.update(k)
        return view                          # InPlaceFigure redraws only what a step changes


def softmax_stepper(scores=None) -> SoftmaxStepper:
    """Step through softmax(scores) (default: ten made-up scores of a last layer, three sets)."""
    if scores is None:
        return SoftmaxStepper(SCORES)
    z = np.asarray(scores)
    if z.dtype.kind not in "fiu" or z.ndim != 1 or not 2 <= z.size <= 12:
        raise ValueError(f"softmax_stepper: expected 2 to 12 scores in a 1-D array of numbers, "
                         f"got shape {z.shape} and dtype {z.dtype}")
    if not np.isfinite(z).all():
        raise ValueError("softmax_stepper: the scores have a NaN or an infinite value")
    return SoftmaxStepper({"your scores": z.astype(np.float64)})
