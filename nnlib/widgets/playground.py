"""Live control for notebook 09: TensorFlow Playground in a notebook, running nnlib.

`playground()` puts the controls of TensorFlow Playground (data set, noise, train/test split,
input features, hidden layers and neurons, activation, learning rate, L1/L2, batch size) around
a `PlaygroundModel` (the engine, in `nnlib.viz.playground`, testable without widgets) and draws
`plot_playground` after every change. Training runs from a `widgets.Play`: each tick trains a
few epochs and redraws, so the kernel stays free between ticks and pause takes effect at once
(a loop inside one callback could not be interrupted: the kernel handles no widget events
while a callback runs).
"""

from __future__ import annotations

import ipywidgets as widgets

from ..viz.playground import (
    FEATURE_LABELS,
    FEATURES,
    LEARNING_RATES,
    MAX_LAYERS,
    MAX_NEURONS,
    REG_RATES,
    PlaygroundModel,
    plot_playground,
)
from ..viz.style import COLORS, figure
from .base import Demo

__all__ = ["playground"]

N_POINTS = 400
_DATASETS = [(name, name) for name in ("circles", "xor", "gaussians", "spiral", "moons")]
_DATASETS += [("plane (regression)", "plane"), ("gaussian mix (regression)", "gaussian_mixture")]
_SMALL = widgets.Layout(width="210px")


def _fmt(x: float) -> str:
    return f"{x:g}"


class Playground(Demo):
    """TensorFlow Playground's controls around a `PlaygroundModel`.

    Data, features, architecture and activation define the model: changing one of them starts
    a fresh network (same seed). Learning rate, regularization and batch size apply from the
    next step on, as in the original. A diverging run pauses the Play widget and says why.
    """

    def __init__(self, seed: int = 0, ticks_interval: int = 250):
        super().__init__("Neural-network playground (nnlib)")
        self.seed = seed
        c = self.add_control
        c("dataset", widgets.Dropdown(options=_DATASETS, value="circles", description="data",
                                      layout=_SMALL))
        c("noise", widgets.FloatSlider(value=0.1, min=0.0, max=0.5, step=0.05, description="noise",
                                       continuous_update=False, layout=_SMALL))
        c("train_pct", widgets.IntSlider(value=50, min=10, max=90, step=10, description="train %",
                                         continuous_update=False, layout=_SMALL))
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
                                         value="tanh", description="activation", layout=_SMALL))
        c("lr", widgets.Dropdown(options=[(_fmt(v), v) for v in LEARNING_RATES], value=0.03,
                                 description="learning rate", layout=_SMALL,
                                 style={"description_width": "90px"}))
        c("regularization", widgets.Dropdown(options=["none", "L1", "L2"], value="none",
                                             description="penalty", layout=_SMALL))
        c("reg_rate", widgets.Dropdown(options=[(_fmt(v), v) for v in REG_RATES], value=0.0,
                                       description="penalty rate", layout=_SMALL,
                                       style={"description_width": "90px"}))
        c("batch", widgets.IntSlider(value=10, min=1, max=N_POINTS, description="batch size",
                                     continuous_update=False, layout=widgets.Layout(width="260px")))
        # The Play widget is the clock: every change of its value is one tick of training.
        self.play = widgets.Play(value=0, min=0, max=10**6, step=1, interval=ticks_interval,
                                 show_repeat=False, description="play")
        self.controls["play"] = self.play
        self.play.observe(lambda change: self.run_safely(self.tick), names="value")
        self.add_button("step", widgets.Button(description="step (1 epoch)", icon="step-forward"),
                        self.step)
        self.add_button("reset", widgets.Button(description="reset", icon="undo"), self.reset)
        self.model: PlaygroundModel | None = None
        self._key = None
        self.message = ""

    # -- model bookkeeping -----------------------------------------------------------------
    def _config(self) -> dict:
        v = self.values()
        return dict(dataset=v["dataset"], noise=float(v["noise"]),
                    train_fraction=v["train_pct"] / 100,
                    features=tuple(n for n in FEATURES if v[f"f:{n}"]),
                    hidden=tuple(v[f"n{i + 1}"] for i in range(v["layers"])),
                    activation=v["activation"])

    def _sync(self) -> None:
        """Make a fresh model if data/features/architecture changed; else update lr etc."""
        cfg = self._config()
        key = tuple(cfg.items())
        if key != self._key:
            self._key = key
            self.message = ""
            if not cfg["features"]:
                self.model = None
                self.message = "select at least one input feature (x1, x2, ...) to build a network"
            else:
                self.model = PlaygroundModel(**cfg, n=N_POINTS, seed=self.seed)
        if self.model is not None:
            v = self.values()
            self.model.lr = v["lr"]
            self.model.regularization, self.model.reg_rate = v["regularization"], v["reg_rate"]
            self.model.batch_size = v["batch"]
        for i in range(MAX_LAYERS):              # show only the sliders of existing layers
            self.controls[f"n{i + 1}"].layout.display = (
                None if i < self.controls["layers"].value else "none")

    def epochs_per_tick(self) -> int:
        """About 150 gradient steps per tick (1 to 10 epochs): ~0.1 s of work at most."""
        if self.model is None:
            return 1
        return max(1, min(10, 150 // self.model.steps_per_epoch()))

    # -- actions ----------------------------------------------------------------------------
    def _stop_play(self) -> None:
        self.play.playing = False

    def tick(self) -> None:
        """One Play tick: a few epochs, then redraw; pauses on divergence or no features."""
        self._sync()
        if self.model is None or self.model.diverged:
            self._stop_play()
        else:
            self.model.train(self.epochs_per_tick())
            if self.model.diverged:
                self._stop_play()
        self.refresh()

    def step(self) -> None:
        """Train exactly one epoch and redraw."""
        self._sync()
        if self.model is not None:
            self.model.train_epoch()
        self.refresh()

    def reset(self) -> None:
        """Pause and start a fresh network (same seed, so the same data and initial weights)."""
        self._stop_play()
        self._key = None
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------
    def draw(self, **values):
        self._sync()
        if self.model is None:
            self.readout.value = f"<span style='color:{COLORS[3]}'><b>{self.message}</b></span>"
            fig = figure(figsize=(9.0, 1.2), layout="none")
            fig.text(0.5, 0.5, self.message, ha="center", va="center", fontsize=11,
                     color=COLORS[3])
            return fig
        m = self.model
        n_train = len(m.F_train)
        batch = "full batch" if m.batch_size >= n_train else f"batch {m.batch_size}"
        extra = (f" · test accuracy {m.accuracy('test'):.0%}"
                 if m.task == "classification" and not m.diverged else "")
        color = COLORS[3] if m.diverged else "#222222"
        self.readout.value = (f"<span style='color:{color}'><b>{m.summary()}</b>{extra}</span>"
                              f" &nbsp;({n_train} train / {len(m.F_test)} test points, {batch}, "
                              f"{self.epochs_per_tick()} epoch(s) per tick)")
        return plot_playground(m)

    def layout(self) -> widgets.Widget:
        ctl = self.controls
        row = widgets.HBox
        wrap = widgets.Layout(flex_flow="row wrap")
        rows = [
            widgets.HTML(f"<b>{self.title}</b>"),
            row([ctl["dataset"], ctl["noise"], ctl["train_pct"]], layout=wrap),
            row([widgets.HTML("features:&nbsp;"), *[ctl[f"f:{n}"] for n in FEATURES]], layout=wrap),
            row([ctl["layers"], *[ctl[f"n{i + 1}"] for i in range(MAX_LAYERS)]], layout=wrap),
            row([ctl["activation"], ctl["lr"], ctl["regularization"], ctl["reg_rate"]], layout=wrap),
            row([ctl["batch"], self.play, self.buttons["step"], self.buttons["reset"]], layout=wrap),
            self.readout, self.out, self.status,
        ]
        return widgets.VBox(rows)


def playground(seed: int = 0) -> Playground:
    """TensorFlow Playground in a notebook: press play, change anything, watch every neuron."""
    return Playground(seed=seed)

