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
)
from .base import Demo
from .inplace import InPlaceFigure

__all__ = ["tangent_explorer", "chain_explorer", "gradient_explorer", "dot_explorer",
           "spread_explorer"]

SPREAD_VALUES = np.array([1.0, 2.0, 2.5, 4.0, 7.0])   # the five values of section 12


def _slider(value, lo, hi, step, description):
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               readout_format=".2f")


class TangentExplorer(InPlaceFigure, Demo):
    """A curve, its tangent at x0 and the secant over [x0 - h, x0 + h]."""

    def __init__(self, name="x^2", x0=1.0, h=0.5):
        super().__init__("Slope and derivative: the tangent follows x0")
        self.add_control("name", widgets.Dropdown(options=list(FUNCTIONS), value=name,
                                                  description="f"))
        self.add_control("x0", _slider(x0, -6.0, 6.0, 0.05, "x0"))
        self.add_control("h", widgets.FloatLogSlider(value=h, base=10, min=-3, max=0.3,
                                                     step=0.1, description="h (secant)",
                                                     readout_format=".3g"))

    def draw(self, name, x0, h):
        f, df, _, _, (lo, hi) = FUNCTIONS[name]
        x = float(np.clip(x0, lo, hi))
        if lo < x - h and x + h < hi:
            secant = f"{(f(x + h) - f(x - h)) / (2 * h):.5f}"
        else:
            secant = "not drawn, x0 ± h leaves the range of the plot"
        self.readout.value = (f"f'({x:.2f}) = {float(df(x)):.5f}; centred difference with "
                              f"h = {h:.3g}: {secant}"
                              + ("" if x == x0 else f" (x0 clipped to the range {lo}..{hi})"))
        return plot_tangent(name, x0, h)


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
        self.readout.value = (f"∇f = ({g[0]:.2f}, {g[1]:.2f}), |∇f| = {np.hypot(*g):.3f}; slope "
                              f"in your direction: {g[0] * np.cos(t) + g[1] * np.sin(t):.3f}")
        return plot_gradient(x0, y0, angle)


class DotExplorer(InPlaceFigure, Demo):
    """w fixed at (2, 1); x set by its angle and length; the dot product read out."""

    W = (2.0, 1.0)

    def __init__(self, angle=60.0, length=2.0):
        super().__init__("The dot product: lengths times the cosine of the angle")
        self.add_control("angle", _slider(angle, -180.0, 180.0, 5.0, "angle of x (°)"))
        self.add_control("length", _slider(length, 0.0, 3.0, 0.1, "length ‖x‖"))

    def draw(self, angle, length):
        t = np.deg2rad(angle)
        x = (length * np.cos(t), length * np.sin(t))
        self.readout.value = f"w = {self.W}, x = ({x[0]:.2f}, {x[1]:.2f}), w · x = " \
                             f"{self.W[0] * x[0] + self.W[1] * x[1]:.3f}"
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


def dot_explorer(angle: float = 60.0, length: float = 2.0) -> DotExplorer:
    """Turn and stretch x against a fixed w and watch w · x = ‖w‖ ‖x‖ cos θ."""
    return DotExplorer(angle, length)


def spread_explorer(shift: float = 0.0, scale: float = 1.0) -> SpreadExplorer:
    """Shift and stretch five values and read off their mean and variance."""
    return SpreadExplorer(shift, scale)
