"""Live controls of notebook 03 (the maths you need); each redraws a figure of `nnlib.viz.maths_plots`.

`tangent_explorer` moves a tangent along a curve, `chain_explorer` pushes a nudge through a
chain of rates, `gradient_explorer` turns a direction around a point of a surface,
`dot_explorer` turns one arrow against another and `spread_explorer` shifts and stretches a
handful of values. All of them are cheap to draw, so every slider updates continuously; each
updates one image in place with a layout computed once (`InPlaceFigure`).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..viz.maths_plots import (
    CHAIN,
    FUNCTIONS,
    SURFACE,
    chain_nudges,
    plot_chain_rule,
    plot_dot,
    plot_gradient,
    plot_spread,
    plot_tangent,
    secant,
)
from .base import Demo
from .inplace import InPlaceFigure

__all__ = ["tangent_explorer", "chain_explorer", "gradient_explorer", "dot_explorer",
           "spread_explorer"]

SPREAD_VALUES = np.array([1.0, 2.0, 2.5, 4.0, 7.0])   # the five values of section 12


def _slider(value, lo, hi, step, description):
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               readout_format=".2f")


def agreeing_decimals(a: str, b: str) -> int:
    """How many decimals two printed numbers share before they first differ ("0.19661193|32")."""
    same = 0
    for ca, cb in zip(a, b):
        if ca != cb:
            break
        same += 1
    point = a.find(".")
    return max(0, same - point - 1) if point >= 0 and same > point else 0


class TangentExplorer(InPlaceFigure, Demo):
    """A curve, its tangent at x0 and the secant over [x0 - h, x0 + h].

    The x0 slider runs over the range of the chosen function (x² from -2 to 2, log from 0.1
    to 4, ...): choosing another function moves the slider's ends, and x0 with them if needed.
    """

    DECIMALS = 10       # f' and the secant slope printed with 10 decimals, so digits can be counted

    def __init__(self, name="x^2", x0=1.0, h=0.5):
        super().__init__("Slope and derivative: the tangent follows x0")
        lo, hi = FUNCTIONS[name][4]
        self._moving_range = False
        names = widgets.Dropdown(options=list(FUNCTIONS), value=name, description="f")
        names.observe(self._set_range, names="value")       # before the redraw add_control adds
        self.add_control("name", names)
        self.add_control("x0", _slider(float(np.clip(x0, lo, hi)), lo, hi, 0.05, "x0"))
        self.add_control("h", widgets.FloatLogSlider(value=h, base=10, min=-3, max=0.3,
                                                     step=0.1, description="h (secant)",
                                                     readout_format=".3g"))

    def _set_range(self, change) -> None:
        """Move the x0 slider's ends to the new function's range without redrawing in between."""
        lo, hi = FUNCTIONS[change["new"]][4]
        slider = self.controls["x0"]
        self._moving_range = True
        try:
            slider.max = max(slider.max, hi)      # widen first: min <= value <= max at every step
            slider.min = min(slider.min, lo)
            slider.value = float(np.clip(slider.value, lo, hi))
            slider.min, slider.max = lo, hi
        finally:
            self._moving_range = False

    def refresh(self) -> None:
        if not self._moving_range:
            super().refresh()

    def draw(self, name, x0, h):
        f, df, _, _, (lo, hi) = FUNCTIONS[name]
        x = float(np.clip(x0, lo, hi))
        sec = secant(name, x, h)
        d = f"{float(df(x)):.{self.DECIMALS}f}"
        s = f"{sec['slope']:.{self.DECIMALS}f}"
        if sec["cut"]:
            where = f"secant from {sec['text']}"
            compare = "one-sided, not the centred difference: move x0 away from the edge or shrink h"
        else:
            where = f"centred difference with h = {h:.3g}"
            diff = abs(sec["slope"] - float(df(x)))
            n = agreeing_decimals(d, s)
            compare = (f"they differ by {diff:.1e}: the first {n} decimals agree" if diff > 0
                       else "equal to every printed decimal")
        self.readout.value = f"f'({x:.2f}) = {d}; {where}: {s} ({compare})"
        return plot_tangent(name, x, h)


class ChainExplorer(InPlaceFigure, Demo):
    """A nudge of x pushed through z = 2x - 1, a = sigmoid(z), L = (a - 1)^2."""

    def __init__(self, x0=0.5, dx=0.1):
        super().__init__("The chain rule: rates multiply")
        self.add_control("x0", _slider(x0, -4.0, 4.0, 0.05, "x"))
        self.add_control("dx", widgets.FloatLogSlider(value=dx, base=10, min=-3, max=0,
                                                      step=0.1, description="nudge dx",
                                                      readout_format=".3g"))

    def draw(self, x0, dx):
        v = chain_nudges(x0, dx)
        names = [c[0] for c in CHAIN]
        rates = ", ".join(f"d{n}/d{p} = {r:.3f}" for n, p, r in zip(names, v["names"], v["rates"]))
        self.readout.value = (f"{rates}; predicted ΔL = {v['nudges'][-1]:+.5f}, "
                              f"true ΔL = {v['true_nudges'][-1]:+.5f}")
        return plot_chain_rule(x0, dx)


class GradientExplorer(InPlaceFigure, Demo):
    """A point on the tilted bowl, its gradient and the slope in a chosen direction."""

    def __init__(self, x0=1.0, y0=-0.5, angle=45.0):
        super().__init__("The gradient points up the steepest way")
        self.add_control("x0", _slider(x0, -2.0, 2.0, 0.1, "x"))
        self.add_control("y0", _slider(y0, -2.0, 2.0, 0.1, "y"))
        self.add_control("angle", _slider(angle, -180.0, 180.0, 5.0, "direction (°)"))

    def draw(self, x0, y0, angle):
        g = SURFACE[1](x0, y0)
        t = np.deg2rad(angle)
        norm = float(np.hypot(*g))
        where = (f"the gradient's angle {np.rad2deg(np.arctan2(g[1], g[0])):.0f}°" if norm > 1e-12
                 else "no direction (∇f = 0): flat every way")
        self.readout.value = (f"∇f = ({g[0]:.2f}, {g[1]:.2f}), |∇f| = {norm:.3f}, {where}; slope "
                              f"in your direction: {g[0] * np.cos(t) + g[1] * np.sin(t):.3f}")
        return plot_gradient(x0, y0, angle)


class DotExplorer(InPlaceFigure, Demo):
    """w fixed at (2, 1); x set by its angle and length; the dot product read out."""

    W = (2.0, 1.0)

    def __init__(self, angle=60.0, length=2.0, x=None):
        super().__init__("The dot product: lengths times the cosine of the angle")
        if x is not None:                        # start at this arrow exactly (as a static figure)
            angle = float(np.degrees(np.arctan2(x[1], x[0])))
            length = float(np.hypot(x[0], x[1]))
        self.add_control("angle", _slider(angle, -180.0, 180.0, 5.0, "angle of x (°)"))
        self.add_control("length", _slider(length, 0.0, 3.0, 0.1, "length ‖x‖"))

    def draw(self, angle, length):
        t = np.deg2rad(angle)
        x = (length * np.cos(t), length * np.sin(t))
        self.readout.value = f"w = {self.W}, x = ({x[0]:.2f}, {x[1]:.2f}), w · x = " \
                             f"{self.W[0] * x[0] + self.W[1] * x[1]:.2f}"     # as the figure's title
        return plot_dot(self.W, x)


class SpreadExplorer(InPlaceFigure, Demo):
    """Five values, shifted by `shift` and stretched by `scale` around their mean."""

    def __init__(self, shift=0.0, scale=1.0):
        super().__init__("Mean and variance: shift and stretch")
        self.add_control("shift", _slider(shift, -3.0, 3.0, 0.1, "shift"))
        self.add_control("scale", _slider(scale, 0.0, 2.0, 0.05, "stretch"))

    def draw(self, shift, scale):
        x = SPREAD_VALUES
        values = x.mean() + scale * (x - x.mean()) + shift
        self.readout.value = (f"mean = {values.mean():.3f}, Var = {values.var():.3f} "
                              f"(stretch² × {x.var():.3f} = {scale ** 2 * x.var():.3f})")
        return plot_spread(values)


def tangent_explorer(name: str = "x^2", x0: float = 1.0, h: float = 0.5) -> TangentExplorer:
    """A curve of the series (x², x³, exp, log, sigmoid, tanh) with a tangent that follows x0."""
    return TangentExplorer(name, x0, h)


def chain_explorer(x0: float = 0.5, dx: float = 0.1) -> ChainExplorer:
    """A nudge of x stretched by each rate of the chain x -> z -> a -> L."""
    return ChainExplorer(x0, dx)


def gradient_explorer(x0: float = 1.0, y0: float = -0.5, angle: float = 45.0) -> GradientExplorer:
    """A point on a surface, its gradient and the slope in every direction."""
    return GradientExplorer(x0, y0, angle)


def dot_explorer(angle: float = 60.0, length: float = 2.0, x=None) -> DotExplorer:
    """Turn and stretch x against a fixed w and watch w · x = ‖w‖ ‖x‖ cos θ.

    `x=(x1, x2)` starts at that arrow exactly (its angle and length), e.g. the x of a figure.
    """
    return DotExplorer(angle, length, x)


def spread_explorer(shift: float = 0.0, scale: float = 1.0) -> SpreadExplorer:
    """Shift and stretch five values and read off their mean and variance."""
    return SpreadExplorer(shift, scale)
