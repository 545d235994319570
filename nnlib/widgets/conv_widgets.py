"""Live convolution for notebook 14: move the kernel over a digit and change its nine weights.

The figure is `nl.viz.plot_convolution_step` (its static twin, shown just before): the window
under the kernel, the nine products and their sum, and the output map with that sum framed.
Choose a named kernel (edge, blur, sharpen, identity) or type your own nine values; editing a
value switches the choice to "your own". Cheap (one small convolution), so updates are live.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..conv import KERNELS, convolve
from ..viz.conv_plots import plot_convolution_step
from .base import Demo

__all__ = ["conv_explorer"]

OWN = "your own"


class ConvExplorer(Demo):
    """Kernel choice, nine weights, window row and column -> the convolution drawn number by number."""

    def __init__(self, image, kernel: str = "edge (vertical)", pos=(0, 0)):
        super().__init__("A convolution, number by number: move the window, change the kernel")
        self.image = np.asarray(image, dtype=float)
        if self.image.ndim != 2 or min(self.image.shape) < 3:
            raise ValueError(f"conv_explorer: expected a grey image (H, W) of at least 3x3, got "
                             f"shape {self.image.shape}")
        if kernel not in KERNELS:
            raise ValueError(f"conv_explorer: kernel must be one of {sorted(KERNELS)}, got {kernel!r}")
        Ho, Wo = self.image.shape[0] - 2, self.image.shape[1] - 2
        self._syncing = False
        self.add_control("kernel", widgets.Dropdown(options=[*KERNELS, OWN], value=kernel,
                                                    description="kernel"))
        self.add_control("row", widgets.IntSlider(value=min(pos[0], Ho - 1), min=0, max=Ho - 1,
                                                  description="window row"))
        self.add_control("col", widgets.IntSlider(value=min(pos[1], Wo - 1), min=0, max=Wo - 1,
                                                  description="window column"))
        self.cells = []
        for k, v in enumerate(np.ravel(KERNELS[kernel])):
            cell = widgets.FloatText(value=round(float(v), 3), step=0.1,
                                     layout=widgets.Layout(width="70px"))
            self.add_control(f"w{k}", cell)
            self.cells.append(cell)
        self.controls["kernel"].observe(self._preset, names="value")
        for cell in self.cells:
            cell.observe(self._edited, names="value")

    def _preset(self, change):
        if change["new"] == OWN:
            return
        self._syncing = True
        try:
            for cell, v in zip(self.cells, np.ravel(KERNELS[change["new"]])):
                cell.value = round(float(v), 3)
        finally:
            self._syncing = False
        self.refresh()

    def _edited(self, change):
        if self._syncing:
            return
        name = self.controls["kernel"].value
        if name != OWN and not np.allclose(self.kernel(), KERNELS[name], atol=1e-3):
            self._syncing = True
            try:
                self.controls["kernel"].value = OWN
            finally:
                self._syncing = False

    def kernel(self) -> np.ndarray:
        return np.array([float(c.value) for c in self.cells]).reshape(3, 3)

    def refresh(self) -> None:
        if not self._syncing:
            super().refresh()

    def layout(self) -> widgets.Widget:
        grid = widgets.GridBox(self.cells, layout=widgets.Layout(
            grid_template_columns="repeat(3, 74px)", grid_gap="2px"))
        left = widgets.VBox([self.controls["kernel"], widgets.HTML("nine weights (row by row):"),
                             grid, self.controls["row"], self.controls["col"]])
        rows = [widgets.HTML(f"<b>{self.title}</b>"), left, self.readout, self.out, self.status]
        return widgets.VBox(rows)

    def draw(self, kernel, row, col, **weights):
        K = self.kernel()
        if not np.isfinite(K).all():
            raise ValueError("every weight must be a finite number")
        out = convolve(self.image, K)
        patch = self.image[row:row + 3, col:col + 3]
        terms = " + ".join(f"{p:.1f}·{w:.2f}" for p, w in zip(patch.ravel(), K.ravel()))
        self.readout.value = (f"output ({row}, {col}) = {terms} = <b>{out[row, col]:.2f}</b>")
        return plot_convolution_step(self.image, K, out, (row, col))


def conv_explorer(image=None, *, kernel: str = "edge (vertical)", pos=(4, 2)) -> ConvExplorer:
    """A live convolution over `image` (default: a test digit of the shipped MNIST subset at 14x14)."""
    if image is None:
        from ..datasets import load_mnist
        X = load_mnist(subset="small")[2]
        image = X[0].reshape(14, 2, 14, 2).mean(axis=(1, 3))
        image = np.round(image, 1)
    return ConvExplorer(image, kernel=kernel, pos=pos)
