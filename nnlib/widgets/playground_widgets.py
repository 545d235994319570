"""Live control for notebook 09: TensorFlow Playground in a notebook, running nnlib.

`playground()` puts the controls of TensorFlow Playground (data set, noise, train/test split,
input features, hidden layers and neurons, activation, learning rate, L1/L2, batch size, show
test data, discretize output) around a `nl.course.PlaygroundModel` (the engine) and what its
users asked for besides: their own data (drawn on a `PointCanvas`, or `playground(X=, y=)`),
three or more classes, a unit's map shown large, weights edited by hand, accuracy and a stop
condition, and an export of the code and the weights. Training runs from a `widgets.Play`:
each tick trains a few epochs and updates one `PlaygroundFigure` in place, so the kernel
stays free between ticks and pause takes effect at once.
"""

from __future__ import annotations

import html
import pathlib
import time

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets

from ..course.playground_engine import (
    FEATURES,
    LEARNING_RATES,
    MAX_LAYERS,
    MAX_NEURONS,
    REG_RATES,
    PlaygroundModel,
    check_data,
)
from ..viz.playground_plots import FEATURE_LABELS, PLAYGROUND_CLASS_COLORS, PlaygroundFigure
from ..viz.style import (
    EDGE,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    TEXT,
    WARNING,
    WHITE,
    figure,
)
from .base import Demo, figure_to_png

__all__ = ["playground"]

N_POINTS = 400
_DATASETS = [(name, name) for name in ("circles", "xor", "gaussians", "spiral", "moons")]
_DATASETS += [("3 spiral arms", "spiral3"), ("3 gaussians", "gaussians3"),
              ("draw your own", "draw"),
              ("plane (regression)", "plane"), ("gaussian mix (regression)", "gaussian_mixture")]


def _small() -> widgets.Layout:
    """A layout of its own for every control (a shared Layout would hide them all at once)."""
    return widgets.Layout(width="210px")

STOP_LOSSES = (0.5, 0.3, 0.2, 0.1, 0.05, 0.02)
STOP_EPOCHS = (50, 100, 200, 500, 1000, 2000)
BRUSHES = ("class 0", "class 1", "class 2", "value +1", "value -1")
EDIT_LIMIT = 10.0


def _fmt(x: float) -> str:
    return f"{x:g}"


class PointCanvas(anywidget.AnyWidget):
    """A square canvas on the plane [-extent, extent]^2: click or drag to add points.

    `points` is a list of [x1, x2, brush] (brush one of `brushes`); the kernel sees it when
    the mouse button goes up. Setting `points` from Python redraws the canvas.
    """

    _esm = pathlib.Path(__file__).with_name("playground_points.js")
    points = traitlets.List([]).tag(sync=True)
    brush = traitlets.Unicode(BRUSHES[1]).tag(sync=True)
    brushes = traitlets.List(list(BRUSHES)).tag(sync=True)
    colors = traitlets.List([*PLAYGROUND_CLASS_COLORS[:3], POSITIVE, NEGATIVE]).tag(sync=True)
    greys = traitlets.List([EDGE, NEUTRAL, WHITE]).tag(sync=True)
    extent = traitlets.Float(4.0).tag(sync=True)
    size = traitlets.Int(240).tag(sync=True)
    spacing = traitlets.Float(9.0).tag(sync=True)      # pixels between points of one drag


def points_to_data(points):
    """Canvas points [[x1, x2, brush], ...] -> (X, y, task), or a message saying what is missing."""
    if not points:
        return "draw points of at least two classes (or values) on the canvas"
    kinds = {str(p[2]).split()[0] for p in points}
    if len(kinds) > 1:
        return "the drawing mixes classes and values: clear it and use one kind of brush"
    X = np.array([[float(p[0]), float(p[1])] for p in points])
    if kinds == {"class"}:
        y = np.array([int(str(p[2]).split()[1]) for p in points])
        if len(np.unique(y)) < 2:
            return "draw points of at least two classes (one class only so far)"
        task = "classification"
    else:
        y = np.array([float(str(p[2]).split()[1]) for p in points])
        task = "regression"
    if len(X) < 4:
        return f"draw at least 4 points ({len(X)} so far)"
    return X, y, task


class Playground(Demo):
    """TensorFlow Playground's controls around a `PlaygroundModel`.

    Data, features, architecture and activation define the model: changing one of them starts
    a fresh network (same seed). Learning rate, regularization and batch size apply from the
    next step on, as in the original. A diverging run, or a reached stop condition, pauses
    the Play widget and says why. `skip_late_ticks` drops Play ticks that waited in the
    kernel's queue while it was busy, so the picture never lags more than a tick behind the
    clock (and pause takes effect at once); each frame shows all epochs since the last one.
    """

    def __init__(self, seed: int = 0, ticks_interval: int = 100, X=None, y=None, task=None,
                 export_path: str = "playground.nnlib.npz"):
        self.view: PlaygroundFigure | None = None
        self.image = widgets.Image(format="jpeg", layout=widgets.Layout(width="900px"))
        super().__init__("Neural-network playground (nnlib)")
        self.seed, self.export_path = seed, export_path
        self.own = check_data(X, y, task) if X is not None or y is not None else None
        self._quiet = False
        self._readout = ""
        self.model: PlaygroundModel | None = None
        self._key = None
        self.message = ""
        self.skip_late_ticks, self.interval = True, ticks_interval / 1000
        self._anchor, self._tick_done, self.last_epochs, self._epoch_time = None, 0.0, 0, None
        self.stopped = ""
        c = self.add_control
        options = ([("your data", "own")] if self.own else []) + _DATASETS
        c("dataset", widgets.Dropdown(options=options, value=options[0][1], description="data",
                                      layout=_small()))
        c("noise", widgets.FloatSlider(value=0.1, min=0.0, max=0.5, step=0.05, description="noise",
                                       continuous_update=False, layout=_small()))
        c("train_pct", widgets.IntSlider(value=50, min=10, max=90, step=10, description="train %",
                                         continuous_update=False, layout=_small()))
        c("show_test", widgets.Checkbox(value=True, description="show test data", indent=False,
                                        layout=widgets.Layout(width="125px")))
        c("discretize", widgets.Checkbox(value=False, description="discretize output", indent=False,
                                         layout=widgets.Layout(width="140px")))
        for name in FEATURES:
            c(f"f:{name}", widgets.Checkbox(value=name in ("x1", "x2"), description=FEATURE_LABELS[name],
                                            indent=False, layout=widgets.Layout(width="72px")))
        c("layers", widgets.IntSlider(value=2, min=0, max=MAX_LAYERS, description="hidden layers",
                                      continuous_update=False, layout=widgets.Layout(width="250px"),
                                      style={"description_width": "90px"}))
        for i in range(MAX_LAYERS):
            c(f"n{i + 1}", widgets.IntSlider(value=4 if i == 0 else 2, min=1, max=MAX_NEURONS,
                                             description=f"layer {i + 1}", continuous_update=False,
                                             layout=widgets.Layout(width="175px"),
                                             style={"description_width": "48px"}))
        c("activation", widgets.Dropdown(options=["tanh", "relu", "sigmoid", "linear"],
                                         value="tanh", description="activation", layout=_small()))
        c("lr", widgets.Dropdown(options=[(_fmt(v), v) for v in LEARNING_RATES], value=0.03,
                                 description="learning rate", layout=_small(),
                                 style={"description_width": "90px"}))
        c("regularization", widgets.Dropdown(options=["none", "L1", "L2"], value="none",
                                             description="penalty", layout=_small()))
        c("reg_rate", widgets.Dropdown(options=[(_fmt(v), v) for v in REG_RATES], value=0.0,
                                       description="penalty rate", layout=_small(),
                                       style={"description_width": "90px"}))
        c("batch", widgets.IntSlider(value=10, min=1, max=N_POINTS, description="batch size",
                                     continuous_update=False, layout=widgets.Layout(width="260px")))
        c("stop_loss", widgets.Dropdown(options=[("never", 0.0)] + [(_fmt(v), v) for v in STOP_LOSSES],
                                        value=0.0, description="stop at test loss",
                                        layout=widgets.Layout(width="230px")))
        c("stop_epochs", widgets.Dropdown(options=[("never", 0)] + [(str(v), v) for v in STOP_EPOCHS],
                                          value=0, description="stop after epochs",
                                          layout=widgets.Layout(width="230px")))
        c("big", widgets.Dropdown(options=[("output", "output")], value="output",
                                  description="big map", layout=_small()))
        c("edit", widgets.Dropdown(options=[("(choose a weight)", "")], value="",
                                   description="edit", layout=widgets.Layout(width="260px")))
        # The value box writes into the weight only when the learner changes it (`_on_edit_value`);
        # the widget itself shows the current value there quietly, and training is never pinned.
        self.controls["edit_value"] = widgets.BoundedFloatText(
            value=0.0, min=-EDIT_LIMIT, max=EDIT_LIMIT, step=0.1, description="value",
            layout=widgets.Layout(width="160px"))
        self.controls["edit_value"].observe(
            lambda change: self.run_safely(lambda: self._on_edit_value(change["new"])), names="value")
        # The Play widget is the clock: every change of its value is one tick of training.
        self.play = widgets.Play(value=0, min=0, max=10**6, step=1, interval=ticks_interval,
                                 show_repeat=False, description="play")
        self.controls["play"] = self.play
        self.play.observe(lambda change: self.run_safely(lambda: self.tick(change["new"])),
                          names="value")
        self.play.observe(lambda change: self.run_safely(self._on_pause), names="playing")
        self.add_button("step", widgets.Button(description="step (1 epoch)", icon="step-forward"),
                        self.step)
        self.add_button("reset", widgets.Button(description="reset", icon="undo"), self.reset)
        self.add_button("regenerate", widgets.Button(description="regenerate data", icon="refresh",
                                                     layout=_small()), self.regenerate)
        self.data_sample, self._sample_of = 0, None     # regenerate: 1, 2, ... new samples
        self.add_button("export", widgets.Button(description="export code + weights",
                                                 icon="download"), self.export)
        self.add_button("clear", widgets.Button(description="clear points", icon="trash"),
                        self.clear_points)
        self.canvas = PointCanvas()
        self.canvas.observe(lambda change: self.refresh(), names="points")
        self.brush = widgets.ToggleButtons(options=list(BRUSHES), value=BRUSHES[1],
                                           style={"button_width": "64px"})
        widgets.link((self.brush, "value"), (self.canvas, "brush"))
        self.export_text = widgets.HTML()
        self.draw_row = widgets.HBox(
            [self.canvas, widgets.VBox([widgets.HTML("brush (click or drag on the canvas):"),
                                        self.brush, self.buttons["clear"]])],
            layout=widgets.Layout(flex_flow="row wrap", display="none"))

    # -- model bookkeeping -----------------------------------------------------------------
    def _config(self) -> dict:
        v = self.values()
        if self._sample_of != v["dataset"]:             # another data set: its own first sample
            self._sample_of, self.data_sample = v["dataset"], 0
        return dict(dataset=v["dataset"], noise=float(v["noise"]),
                    data_seed=self.seed + self.data_sample if self.data_sample else None,
                    train_fraction=v["train_pct"] / 100,
                    features=tuple(n for n in FEATURES if v[f"f:{n}"]),
                    hidden=tuple(v[f"n{i + 1}"] for i in range(v["layers"])),
                    activation=v["activation"])

    def _sync(self) -> None:
        """Make a fresh model if data/features/architecture changed; else update lr etc."""
        cfg = self._config()
        data = None
        if cfg["dataset"] == "draw":
            data = points_to_data(self.canvas.points)
        key = (tuple(cfg.items()), repr(data))
        if key != self._key:
            self._key = key
            self.message, self.stopped = "", ""
            self.model = None
            if not cfg["features"]:
                self.message = "select at least one input feature (x1, x2, ...) to build a network"
            elif isinstance(data, str):
                self.message = data
            else:
                if data is not None:
                    cfg["X"], cfg["y"], cfg["task"] = data
                elif cfg["dataset"] == "own":
                    cfg["X"], cfg["y"], cfg["task"] = self.own
                kw = {k: v for k, v in cfg.items()
                      if k not in ("dataset", "data_seed") or "X" not in cfg}
                self.model = PlaygroundModel(**kw, n=N_POINTS, seed=self.seed)
                self._update_choices()
        if self.model is not None:
            v = self.values()
            self.model.lr = v["lr"]
            self.model.regularization, self.model.reg_rate = v["regularization"], v["reg_rate"]
            self.model.batch_size = v["batch"]
        drawing = cfg["dataset"] == "draw"
        self.draw_row.layout.display = None if drawing else "none"
        generated = cfg["dataset"] not in ("draw", "own")     # noise only shapes generated sets
        self.controls["noise"].layout.display = None if generated else "none"
        self.buttons["regenerate"].layout.display = None if generated else "none"
        for i in range(MAX_LAYERS):              # show only the sliders of existing layers
            self.controls[f"n{i + 1}"].layout.display = (
                None if i < self.controls["layers"].value else "none")

    def _quietly(self, fn) -> None:
        self._quiet = True
        try:
            fn()
        finally:
            self._quiet = False

    def _update_choices(self) -> None:
        """New model: its units for the 'big map' list, its weights and biases for 'edit'."""
        m = self.model
        names = m.unit_names()
        units = [("output", "output")] + [(FEATURE_LABELS.get(u, u), u) for col in names[:-1]
                                          for u in col]
        if len(names[-1]) > 1:
            units += [(u, u) for u in names[-1]]
        params = [("(choose a weight)", "")]
        for li, lin in enumerate(m.linears()):
            src, dst = names[li], names[li + 1]
            for i in range(lin.W.shape[0]):
                for j in range(lin.W.shape[1]):
                    a = FEATURE_LABELS.get(src[i], src[i])
                    params.append((f"w {a} \u2192 {dst[j]}", f"{li}:W:{i}:{j}"))
            params += [(f"bias of {dst[j]}", f"{li}:b:0:{j}") for j in range(lin.b.shape[0])]

        def apply():
            big, edit = self.controls["big"], self.controls["edit"]
            keep_big = big.value if big.value in [u for _, u in units] else "output"
            big.options, big.value = units, keep_big
            keep = edit.value if edit.value in [p for _, p in params] else ""
            edit.options, edit.value = params, keep
            self._show_edit_value()
        self._quietly(apply)

    def _edit_target(self):
        key = self.controls["edit"].value
        if not key or self.model is None:
            return None
        li, kind, i, j = key.split(":")
        return int(li), kind, int(i), int(j)

    def _show_edit_value(self) -> None:
        """Show the chosen parameter's current value in the box (call it quietly: no write)."""
        target = self._edit_target()
        if target is not None:
            value = float(np.clip(np.nan_to_num(self.model.get_parameter(*target)),
                                  -EDIT_LIMIT, EDIT_LIMIT))
            if self.controls["edit_value"].value != value:
                self.controls["edit_value"].value = value

    def epochs_per_tick(self) -> int:
        """Epochs in one tick: as many as fit in ~25 % of the tick interval (1 to 10)."""
        if self.model is None:
            return 1
        if self._epoch_time is None:
            return max(1, min(10, 150 // self.model.steps_per_epoch()))
        return int(max(1, min(10, 0.25 * self.interval / max(self._epoch_time, 1e-4))))

    def _stop_settings(self) -> dict:
        v = self.values()
        return dict(test_loss=v["stop_loss"] or None, epochs=v["stop_epochs"] or None)

    # -- actions ----------------------------------------------------------------------------
    def _stop_play(self) -> None:
        self.play.playing = False

    def refresh(self) -> None:
        if not self._quiet:
            super().refresh()

    def _late(self, value) -> bool:
        """True for a tick that waited in the queue: the Play clock is already further on.

        The browser's Play widget counts one step per interval whatever the kernel does; from
        the first tick of a run (the anchor) we know where its count is now.
        """
        now = time.perf_counter()
        if value is None or not self.skip_late_ticks:
            return False
        if self._anchor is None or now - self._tick_done > 2 * self.interval:
            self._anchor = (now, value)                      # a new run of ticks (or a pause)
            return False
        t0, v0 = self._anchor
        return value < v0 + (now - t0) / self.interval - 1.5

    def tick(self, value=None) -> None:
        """One Play tick: a few epochs, then redraw; pauses on divergence or a stop condition."""
        if self._late(value):
            return                                   # queued while we were busy: drop it
        self._sync()
        self.last_epochs = 0
        if self.model is None or self.model.diverged:
            self._stop_play()
        else:
            m, stop = self.model, self._stop_settings()
            k = self.epochs_per_tick()
            if stop["epochs"]:
                k = max(0, min(k, stop["epochs"] - m.epoch))
            t0, before = time.perf_counter(), m.epoch
            m.train(k)
            k = m.epoch - before                          # fewer if training diverged
            if k:
                t = (time.perf_counter() - t0) / k
                self._epoch_time = t if self._epoch_time is None else 0.7 * self._epoch_time + 0.3 * t
            self.last_epochs = k
            self.stopped = m.stop_reason(**stop)
            if self.stopped:
                self._stop_play()
        self.refresh()
        self._tick_done = time.perf_counter()

    def step(self) -> None:
        """Train exactly one epoch and redraw."""
        self._sync()
        self.last_epochs = 0
        if self.model is not None:
            before = self.model.epoch
            self.model.train_epoch()
            self.last_epochs = self.model.epoch - before     # 0 once diverged
        self.refresh()

    def reset(self) -> None:
        """Pause and start a fresh network (same seed, so the same data and initial weights).

        The weight chosen in *edit* is let go: the fresh network trains freely.
        """
        self._stop_play()
        self._quietly(lambda: setattr(self.controls["edit"], "value", ""))
        self._key = None
        self.refresh()

    def regenerate(self) -> None:
        """TensorFlow Playground's "regenerate": a new sample of the same data set (a new data
        seed) and a fresh network; noise, split and everything else stay as they are."""
        self.data_sample += 1
        self.reset()

    def export(self) -> None:
        """Show the nnlib code that rebuilds this network and data, and save the weights."""
        self._sync()
        if self.model is None:
            self.export_text.value = f"<i>{html.escape(self.message)}</i>"
            return
        path = self.model.save(self.export_path)
        code = self.model.export_code(path)
        self.export_text.value = (f"<b>Saved the weights to {html.escape(path)}.</b> Code that "
                                  f"rebuilds this playground:<pre>{html.escape(code)}</pre>")

    def clear_points(self) -> None:
        self.canvas.points = []

    def _on_edit_value(self, value: float) -> None:
        """The learner typed a value: write it into the chosen weight once, and redraw.

        Only a change of the box by the learner gets here (the widget updates the box quietly),
        so training afterwards moves the weight freely, as gradient descent wants.
        """
        if self._quiet:
            return
        target = self._edit_target()
        if target is None or self.model is None:
            return
        if float(value) != self.model.get_parameter(*target):
            self.model.set_parameter(*target, float(value))
            self.stopped = ""
        self.refresh()

    def _on_pause(self) -> None:
        """When play stops, the value box catches up with the chosen weight."""
        if not self.play.playing and self.model is not None:
            self._quietly(self._show_edit_value)

    # -- drawing ------------------------------------------------------------------------------
    def draw(self, **values):
        self._sync()
        if self.model is None:
            self.view = None
            self._readout = f"<span style='color:{WARNING}'><b>{self.message}</b></span>"
            fig = figure(figsize=(9.0, 1.2), layout="none")
            fig.text(0.5, 0.5, self.message, ha="center", va="center", fontsize=11, color=WARNING)
            return fig
        if not self.play.playing:
            self._quietly(self._show_edit_value)
        m = self.model
        options = dict(show_test=values["show_test"], discretize=values["discretize"],
                       big=values["big"], edit=self._edit_target())
        if self.view is None or self.view.model is not m:
            self.view = PlaygroundFigure(m, live=True, **options)
        else:
            self.view.update(**options)
        n_train = len(m.F_train)
        batch = "full batch" if m.batch_size >= n_train else f"batch {m.batch_size}"
        color = WARNING if m.diverged else TEXT
        stopped = (f" · <span style='color:{WARNING}'>stopped: {html.escape(self.stopped)}</span>"
                   if self.stopped and not m.diverged else "")
        sample = f", data sample {self.data_sample + 1}" if m.data_seed is not None else ""
        pace = ("" if m.diverged else f", +{self.last_epochs} epoch{'' if self.last_epochs == 1 else 's'}"
                f" in this frame, {self.epochs_per_tick()} per tick")
        self._readout = (f"<span style='color:{color}'><b>{m.summary()}</b></span>{stopped}"
                         f" &nbsp;({n_train} train / {len(m.F_test)} test points{sample}, {batch}"
                         f"{pace})")
        return self.view.fig

    def show(self, fig) -> None:
        """Put `fig` into the image widget: the picture is replaced in place, no new output."""
        if fig is None:
            return
        if self.view is not None and fig is self.view.fig:
            frame, fmt = self.view.render_png("jpeg"), "jpeg"      # changed artists only
        else:
            frame, fmt = figure_to_png(fig), "png"
        self.last_png = frame if fmt == "png" else None
        self.image.format = fmt
        self.image.value = frame
        self.readout.value = self._readout       # after the picture: the two stay in step

    @property
    def last_png(self) -> bytes | None:
        """The picture shown now, as PNG (live frames are sent as JPEG, encoded on demand)."""
        if self._last_png is None and self.view is not None and self.image.value:
            self._last_png = self.view.encode("png")
        return self._last_png

    @last_png.setter
    def last_png(self, value) -> None:
        self._last_png = value

    def layout(self) -> widgets.Widget:
        ctl = self.controls
        row = widgets.HBox
        wrap = widgets.Layout(flex_flow="row wrap")
        rows = [
            widgets.HTML(f"<b>{self.title}</b>"),
            row([ctl["dataset"], ctl["noise"], ctl["train_pct"], self.buttons["regenerate"],
                 ctl["show_test"], ctl["discretize"]], layout=wrap),
            self.draw_row,
            row([widgets.HTML("features:&nbsp;"), *[ctl[f"f:{n}"] for n in FEATURES]], layout=wrap),
            row([ctl["layers"], *[ctl[f"n{i + 1}"] for i in range(MAX_LAYERS)]], layout=wrap),
            row([ctl["activation"], ctl["lr"], ctl["regularization"], ctl["reg_rate"]], layout=wrap),
            row([ctl["batch"], ctl["stop_loss"], ctl["stop_epochs"]], layout=wrap),
            row([self.play, self.buttons["step"], self.buttons["reset"], ctl["big"], ctl["edit"],
                 ctl["edit_value"]], layout=wrap),
            self.readout, self.image, self.status,
            row([self.buttons["export"]]), self.export_text,
        ]
        return widgets.VBox(rows)


def playground(seed: int = 0, *, X=None, y=None, task: str | None = None,
               export_path: str = "playground.nnlib.npz") -> Playground:
    """TensorFlow Playground in a notebook: press play, change anything, watch every neuron.

    `X` (N, 2) and `y` (N,) train it on your own points (int labels: classes; floats: values);
    they are checked first, with a clear error for a wrong shape, NaN or a single class.
    """
    return Playground(seed=seed, X=X, y=y, task=task, export_path=export_path)
