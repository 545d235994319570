"""Live control for notebooks 01, 05 and 06: step through one forward and backward pass.

`pass_stepper()` shows the network of `nl.viz.plot_pass` at one step of `nl.probes.pass_steps`:
◀ / ▶ move one step, ▷ plays the steps one after another, "jump to loss" and "jump to
backward" go to the start of those phases. The input, the target and any single weight or bias
are editable; change one and every step is computed again, at the same step. The default is the
2-2-1 sigmoid network of notebook 05 (`nl.course.TINY_NET`); `net="neuron"` is its first
neuron alone (notebook 01) and `net="2-3-2"` a 2-3-2 tanh network (notebook 06); `loss=None`
steps through the forward pass only (notebooks 01 and 06: no target, no gradients). A step only
redraws what it adds (`nl.viz.PassFigure`), well within a fifth of a second. Static twin:
`nl.viz.plot_pass_filmstrip`.
"""

from __future__ import annotations

import copy
import html

import ipywidgets as widgets
import numpy as np

from ..course.pass_steps import LOSSES, pass_steps
from ..course.probes import list_weights
from ..course.worked_examples import TINY_NET
from ..layers import Linear, Sequential, Sigmoid, Tanh
from ..viz.stepper_plots import PassFigure
from .base import Demo, PicksAWeight
from .inplace import InPlaceFigure

__all__ = ["pass_stepper"]

LIMIT = 1e6                      # the largest |value| an input, a target or a weight may take


def _tiny():
    t = TINY_NET
    model = Sequential(Linear(2, 2), Sigmoid(), Linear(2, 1), Sigmoid())
    model[0].W.data[...], model[0].b.data[...] = t["W1"], t["b1"]
    model[2].W.data[...], model[2].b.data[...] = t["W2"].reshape(2, 1), t["b2"]
    return model, t["x"], [t["target"]]


def _neuron():
    """The first hidden neuron of `TINY_NET` on its own: z = 0.20, a = 0.55 as in notebook 05."""
    t = TINY_NET
    model = Sequential(Linear(2, 1), Sigmoid())
    model[0].W.data[...], model[0].b.data[...] = t["W1"][:, :1], t["b1"][:1]
    return model, t["x"], [t["target"]]


def _two_three_two():
    model = Sequential(Linear(2, 3), Tanh(), Linear(3, 2))
    model[0].W.data[...] = [[0.5, -0.4, 0.3], [0.2, 0.6, -0.7]]
    model[0].b.data[...] = [0.1, 0.0, -0.1]
    model[2].W.data[...] = [[0.6, -0.5], [-0.3, 0.8], [0.4, 0.2]]
    model[2].b.data[...] = [0.0, 0.1]
    return model, np.array([1.0, -0.5]), [1.0, 0.0]


NETS = {"tiny": _tiny, "neuron": _neuron, "2-3-2": _two_three_two}


def _box(value, description, lo=-LIMIT, hi=LIMIT):
    return widgets.BoundedFloatText(value=float(value), min=lo, max=hi, step=0.1,
                                    description=description,
                                    layout=widgets.Layout(width="150px"))


class PassStepper(InPlaceFigure, Demo, PicksAWeight):
    """One forward and backward pass, a step at a time, on a network whose numbers you edit.

    The step index is the slider (the play button drives it); buttons move it. The inputs, the
    target and the picked weight are number boxes: a change recomputes the steps with the
    model's own forward and backward and keeps the step index. The dropdown only *selects* a
    weight (its box then shows its value); the box only *writes* that one number.
    """

    def __init__(self, model, x, y, loss: str | None):
        super().__init__("One forward and backward pass, step by step" if loss is not None
                         else "One forward pass, step by step")
        if loss is not None and loss not in LOSSES:
            raise ValueError(f"pass_stepper: loss must be one of {sorted(LOSSES)} or None (the "
                             f"forward pass only), got {loss!r}")
        self.loss = loss
        self.start_model = copy.deepcopy(model)
        self.model = copy.deepcopy(model)
        steps = pass_steps(self.model, x, y, loss)        # checks the model, x and y at once
        self.n = len(steps)
        self.first_loss, self.first_back = steps.first("loss"), steps.first("backward")
        self.sizes = steps.sizes
        self.keys, self.weight_limit = list_weights(self.model), LIMIT
        self.linears = [self.model] if isinstance(self.model, Linear) else [
            m for m in self.model.layers if isinstance(m, Linear)]
        self._syncing = False
        self._key = None
        self.figure = None

        step = widgets.IntSlider(value=0, min=0, max=self.n - 1, description="step",
                                 continuous_update=False, layout=widgets.Layout(width="300px"))
        self.play = widgets.Play(value=0, min=0, max=self.n - 1, interval=900,
                                 description="play the steps")
        widgets.link((self.play, "value"), (step, "value"))
        self.add_control("step", step)
        for i, v in enumerate(steps.x):
            self.add_control(f"x{i + 1}", _box(v, f"x{i + 1}"))
        C = self.sizes[-1]
        if loss is None:
            pass                                          # the forward pass only: no target
        elif loss == "cross_entropy":
            self.add_control("y", widgets.Dropdown(
                options=[(f"class {c + 1}", c) for c in range(C)],
                value=int(np.argmax(steps.target)), description="target y",
                layout=widgets.Layout(width="170px")))
        else:
            lo = 0.0 if loss == "bce" else -LIMIT
            hi = 1.0 if loss == "bce" else LIMIT
            for j, v in enumerate(steps.target):
                self.add_control(f"y{j + 1}", _box(v, f"target y{j + 1}" if C > 1 else "target y",
                                                   lo, hi))
        pick = widgets.Dropdown(options=[(label, k) for k, (label, _) in enumerate(self.keys)],
                                value=0, description="weight",
                                layout=widgets.Layout(width="290px"))
        value = _box(self._get(0), "value")
        pick.observe(lambda ch: self.run_safely(lambda: self._on_pick(ch["new"])), names="value")
        value.observe(lambda ch: self.run_safely(lambda: self._on_value(ch["new"])),
                      names="value")
        self.add_control("weight", pick)
        self.add_control("value", value)
        self.add_button("prev", widgets.Button(description="◀", tooltip="one step back"),
                        lambda: self._go(self.controls["step"].value - 1))
        self.add_button("next", widgets.Button(description="▶", tooltip="one step on"),
                        lambda: self._go(self.controls["step"].value + 1))
        if self.first_loss is not None:
            self.add_button("loss", widgets.Button(description="jump to loss"),
                            lambda: self._go(self.first_loss))
            self.add_button("backward", widgets.Button(description="jump to backward"),
                            lambda: self._go(self.first_back))
        self.add_button("reset", widgets.Button(description="reset weights", icon="undo"),
                        self._reset)

    def layout(self) -> widgets.Widget:
        row = lambda items: widgets.HBox(items, layout=widgets.Layout(flex_flow="row wrap",
                                                                      align_items="center"))
        b, c = self.buttons, self.controls
        moves = [self.play, b["prev"], c["step"], b["next"]] + [b[k] for k in ("loss", "backward")
                                                                if k in b]
        data = [w for name, w in c.items() if name[0] in "xy"]
        return widgets.VBox([widgets.HTML(f"<b>{self.title}</b>"), row(moves), row(data),
                             row([c["weight"], c["value"], b["reset"]]), self.readout, self.out,
                             self.status])

    # -- the weights ------------------------------------------------------------------------
    def _linear(self, layer):
        return self.linears[layer]

    def _on_value(self, v):
        if not self._syncing:
            arr, where = self._param(self.controls["weight"].value)
            arr[where] = v

    def _reset(self):
        self.model = copy.deepcopy(self.start_model)
        self.linears = [self.model] if isinstance(self.model, Linear) else [
            m for m in self.model.layers if isinstance(m, Linear)]
        self._on_pick(self.controls["weight"].value)
        self.refresh()

    # -- stepping ---------------------------------------------------------------------------
    def _go(self, k: int) -> None:
        self.controls["step"].value = int(np.clip(k, 0, self.n - 1))   # redraws (if it moved)

    def refresh(self):
        if not self._syncing:                     # one redraw per user action
            super().refresh()

    def _inputs(self, values):
        x = np.array([values[f"x{i + 1}"] for i in range(self.sizes[0])], dtype=float)
        if self.loss is None:
            y = None
        elif self.loss == "cross_entropy":
            y = int(values["y"])
        else:
            y = np.array([values[f"y{j + 1}"] for j in range(self.sizes[-1])], dtype=float)
        return x, y

    def draw(self, step, weight, value, **values):
        x, y = self._inputs(values)
        key = (x.tobytes(), None if y is None else np.asarray(y).tobytes(),
               tuple(p.data.tobytes() for p in self.model.parameters()))
        if key != self._key or self.figure is None:
            self.steps = pass_steps(self.model, x, y, self.loss)
            self.figure = PassFigure(self.steps, step)
            self._key = key
        else:
            self.figure.set_step(step)
        s = self.steps[step]
        phase = {"forward": "forward", "loss": "loss", "backward": "backward"}[s.phase]
        self.readout.value = (f"step {step + 1} of {self.n} ({phase}): "
                              f"<b>{html.escape(s.formula)}</b>")
        return self.figure


def pass_stepper(model=None, x=None, y=None, loss: str | None = "mse", *,
                 net: str = "tiny") -> PassStepper:
    """Step through one forward and backward pass of a small network (notebooks 01, 05, 06).

    With no model, `net` picks one: "tiny" (the 2-2-1 sigmoid network of `nl.course.TINY_NET`,
    target 1), "neuron" (its first neuron alone) or "2-3-2" (a 2-3-2 tanh network, targets
    (1, 0), or class 1 with loss="cross_entropy"). A model of your own (a `Sequential` as
    `nl.probes.pass_steps` takes it, copied, so yours is left alone) starts from x (default
    zeros) and y (default zeros, or class 1). `loss`: "mse", "cross_entropy" or "bce", or None
    for the forward steps only (then there is no target: y must be None). `x` and `y` also
    replace a preset's input and target.
    """
    if loss is None and y is not None:
        raise ValueError("pass_stepper: with loss=None (the forward pass only) there is no "
                         f"target; leave y out, got y={y!r}")
    if model is None:
        if net not in NETS:
            raise ValueError(f"pass_stepper: net must be one of {sorted(NETS)}, got {net!r}")
        model, x0, y0 = NETS[net]()
        x = x0 if x is None else x
        if y is None and loss is not None:
            y = int(np.argmax(y0)) if loss == "cross_entropy" else y0
    else:
        sizes = pass_steps(model, np.zeros(_width(model))).sizes
        x = np.zeros(sizes[0]) if x is None else x
        if y is None and loss is not None:
            y = 0 if loss == "cross_entropy" else np.zeros(sizes[-1])
    return PassStepper(model, x, y, loss)


def _width(model) -> int:
    first = model if isinstance(model, Linear) else next(
        (m for m in getattr(model, "layers", []) if isinstance(m, Linear)), None)
    if first is None:
        raise ValueError("pass_stepper: the model must be a Linear or a Sequential of Linear "
                         f"layers and activations, got {type(model).__name__}")
    return first.in_features
