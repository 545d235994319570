"""Watching training happen: the `TrainingDashboard` callback and the `training_explorer` widget.

`TrainingDashboard` is a `nl.Callback` that redraws a loss curve while `fit` runs, with the
inline pattern that works everywhere (JupyterLab, Notebook 7, VS Code, Colab, nbconvert): every
`update_every` steps, and at most a few times a second, it renders a PNG into an `Output` after
`clear_output(wait=True)` (no flicker). Because what an `Output` widget shows is lost without a
kernel, `on_train_end` also displays the final figure as an ordinary cell output.
`training_explorer()` trains a small MLP on a toy set one epoch per click, with learning-rate
and batch-size controls. Used by notebooks 08 and 12; static twin: `nl.viz.plot_training`.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np
from IPython.display import Image, display

from ..data import DataLoader
from ..datasets import make_moons, make_spiral
from ..layers import mlp
from ..losses import SoftmaxCrossEntropy
from ..metrics import accuracy
from ..optim import SGD
from ..train import Callback, History, TrainingDiverged, fit
from ..viz.training_plots import plot_training
from .base import TrainerDemo, figure_to_png, plural

__all__ = ["training_explorer"]            # TrainingDashboard is a callback, not a Demo factory


class TrainingDashboard(Callback):
    """A live loss curve for `fit`: loss per step (raw and smoothed), val_loss/val_acc per epoch.

    Use: `dash = TrainingDashboard(); display(dash.widget); nl.fit(..., callbacks=[dash])`.
    It keeps its own `history` (step losses as they come, epoch logs with the step they ended
    on) and carries on across several `fit` calls until `reset()`. Redrawing costs a full PNG
    render (~0.1 s), hence `update_every` steps *and* at least `min_interval` seconds apart.

    Parameters
    ----------
    update_every : redraw after this many steps (and at every epoch end).
    min_interval : seconds between redraws (0.3 s: about 3 frames per second).
    final_output : in `on_train_end`, also `display()` the final figure as a normal output,
        so static viewers (GitHub, nbviewer, nbconvert) see it.
    out : an existing `Output` to draw into (the training explorer shares its own).
    labels : keyword arguments for `plot_training` (`val_label`, `acc_label`, `title`).
    """

    def __init__(self, update_every: int = 20, min_interval: float = 0.3, *,
                 final_output: bool = True, title: str = "Training", out=None, labels=None):
        if update_every < 1:
            raise ValueError(f"TrainingDashboard: update_every must be >= 1, got {update_every}")
        self.update_every, self.min_interval = int(update_every), float(min_interval)
        self.final_output, self.title = final_output, title
        self.labels = dict(labels or {})            # e.g. {"val_label": "loss on the whole set"}
        self.draw_seconds = 0.0                     # time spent drawing, not training
        self.out = out if out is not None else widgets.Output()
        self.widget = widgets.VBox([widgets.HTML(f"<b>{title}</b>"), self.out])
        self.last_png: bytes | None = None
        self.n_redraws = 0
        self.reset()

    def reset(self) -> None:
        """Forget every step and epoch (start a new curve)."""
        self.history = History()
        self._last_draw = -np.inf

    # -- Callback hooks ------------------------------------------------------------------
    def on_step_end(self, step, logs):
        self.history.step_loss.append(float(logs["loss"]))
        self.history.step_lr.append(float(logs.get("lr", np.nan)))
        if len(self.history.step_loss) % self.update_every == 0 and \
                time.perf_counter() - self._last_draw >= self.min_interval:
            self.redraw()

    def on_epoch_end(self, epoch, logs):
        entry = dict(logs)
        entry["end_step"] = len(self.history.step_loss)
        self.history.epochs.append(entry)
        self.history.train_time = float(logs.get("time", self.history.train_time))
        if time.perf_counter() - self._last_draw >= self.min_interval:
            self.redraw()

    def on_train_end(self, history):
        if self.final_output:                       # else the owner draws the final frame
            self.redraw()
            self.out.clear_output()                 # one copy only: the final frame moves to
            display(Image(data=self.last_png, format="png"))   # the cell's own output

    # -- drawing -------------------------------------------------------------------------
    def figure(self):
        """The current figure (a new matplotlib Figure; `nl.viz.plot_training` of the record)."""
        return plot_training(self.history, **self.labels)

    def redraw(self) -> None:
        """Render the current figure into the Output, replacing the last frame without flicker."""
        t0 = time.perf_counter()
        self.last_png = figure_to_png(self.figure())
        self._last_draw = time.perf_counter()
        self.draw_seconds += self._last_draw - t0
        self.n_redraws += 1
        with self.out:
            self.out.clear_output(wait=True)
            display(Image(data=self.last_png, format="png"))


DATASETS = {"moons": lambda rng: make_moons(200, noise=0.15, rng=rng),
            "spiral": lambda rng: make_spiral(200, noise=0.05, rng=rng)}
BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, "full"]


class TrainingExplorer(TrainerDemo):
    """Train a small MLP one epoch per click; see how learning rate and batch size shape the curve.

    Changing the learning rate or the batch size starts a fresh network (same seed), so two
    settings are compared from the same starting point. One loader serves the whole run, so
    epoch k always sees the same shuffled batches: five clicks on "Train 1 epoch" end exactly
    where one click on "Train 5 epochs" does. A diverging run (loss NaN or infinite) is caught
    and explained; the next click starts over.
    """

    def __init__(self, data: str = "moons", hidden: int = 16, seed: int = 0):
        super().__init__("Training explorer: one click, one epoch")
        if data not in DATASETS:
            raise ValueError(f"training_explorer: data must be one of {sorted(DATASETS)}, got {data!r}")
        self.data, self.hidden, self.seed = data, hidden, seed
        self.X, self.y = DATASETS[data](seed)
        self.dash = TrainingDashboard(update_every=25, min_interval=0.5, final_output=False,
                                      out=self.out, labels={"val_label": "loss on the whole set",
                                                            "acc_label": "accuracy"})
        self.add_control("lr", widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=1.5,
                                                      step=0.25, description="learning rate",
                                                      continuous_update=False,
                                                      readout_format=".3g"))
        self.add_control("batch_size", widgets.SelectionSlider(
            options=BATCH_SIZES, value=16, description="batch size", continuous_update=False))
        self.add_button("epoch", widgets.Button(description="Train 1 epoch", icon="play"),
                        lambda: self.train(1))
        self.add_button("five", widgets.Button(description="Train 5 epochs", icon="forward"),
                        lambda: self.train(5))
        self.add_button("reset", widgets.Button(description="Reset", icon="undo"), self.start)
        self.start()

    def new_run(self) -> None:
        self.model = mlp([2, self.hidden, 2], act="tanh", rng=self.seed)
        # one loader for the whole run: the k-th epoch's batches do not depend on the clicks
        self.loader = DataLoader(self.X, self.y, batch_size=self.batch_size(), rng=self.seed)
        self.dash.reset()
        self.epoch_seconds: list[float] = []

    def has_steps(self) -> bool:
        return bool(self.dash.history.step_loss)

    def train(self, epochs: int) -> None:
        self.prepare()
        opt = SGD(self.model.parameters(), lr=self.controls["lr"].value)
        t0, drawn = time.perf_counter(), self.dash.draw_seconds
        try:
            fit(self.model, SoftmaxCrossEntropy(), opt, self.loader, epochs=epochs,
                val=(self.X, self.y), callbacks=[self.dash], progress=False)
        except TrainingDiverged as exc:
            self.mark_diverged(exc, "The learning rate is too large; lower it")
        else:
            spent = time.perf_counter() - t0 - (self.dash.draw_seconds - drawn)
            self.epoch_seconds.append(spent / epochs)
            start_loss = np.log(2.0)                # 2 classes, probabilities near 1/2
            last = self.dash.history.epochs[-1]["val_loss"]
            self.message = ("" if last < start_loss else
                            "the loss is above where it started (log 2 = 0.69): the learning "
                            "rate is probably too large — lower it")
        self.refresh()

    def draw(self, lr, batch_size):
        h = self.dash.history
        steps = len(DataLoader(self.X, self.y, batch_size=self.batch_size()))
        parts = [f"learning rate {lr:.3g}",
                 f"{steps} step{plural(steps)} per epoch (N = {len(self.X)}, batch {self.batch_size()})"]
        if h.epochs and not self.diverged:
            last = h.epochs[-1]
            parts.append(f"epoch {len(h.epochs)}: loss {last['val_loss']:.3f}, "
                         f"accuracy {last['val_acc']:.0%}")
        if self.epoch_seconds:
            parts.append(f"{1000 * self.epoch_seconds[-1]:.1f} ms per epoch "
                         "(training and the whole-set loss, without drawing)")
        line = " &nbsp;·&nbsp; ".join(parts)
        self.readout.value = line + (f"<br>{self.message}" if self.message else "")
        return self.dash.figure()

    def accuracy(self) -> float:
        return accuracy(self.model.forward(self.X), self.y)


def training_explorer(data: str = "moons", hidden: int = 16, seed: int = 0) -> TrainingExplorer:
    """Train a 2-`hidden`-2 tanh MLP on a toy set ("moons" or "spiral") with SGD, epoch by epoch.

    Learning rate (log slider) and batch size (1 ... full set) apply from a fresh network;
    the loss curve redraws while an epoch runs, the readout gives steps and time per epoch.
    """
    return TrainingExplorer(data, hidden, seed)
