"""`mnist_trainer`: train an MLP on small MNIST one click at a time (notebook 12).

Controls: learning rate (log slider), batch size (8 ... 512 or the full training subset) and
"Train 1 epoch" / "Reset" buttons. Every click runs one pass over a 2,000-image training subset
(at most `MAX_STEPS` steps, so that batch size 8 stays about as quick as 128), then redraws the
loss and accuracy curves and per-layer activation and gradient histograms on a fixed probe
batch. Static twin: `nl.viz.plot_mnist_training`.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np

from ..core import make_rng
from ..course.probes import layer_stats
from ..data import DataLoader
from ..datasets import load_mnist
from ..layers import mlp
from ..losses import SoftmaxCrossEntropy
from ..optim import SGD
from ..train import History, TrainingDiverged, evaluate, fit
from ..viz.mnist_plots import plot_mnist_training
from .base import TrainerDemo, plural

__all__ = ["mnist_trainer"]

BATCH_SIZES = [8, 16, 32, 64, 128, 256, 512, "full"]
N_TRAIN = 2000          # images per "epoch": one click stays around a second
MAX_STEPS = 50          # cap per click, so tiny batches do not take far longer
N_PROBE = 256           # examples for the histograms


class MnistTrainer(TrainerDemo):
    """One click, one epoch of SGD (momentum 0.9) on small MNIST; curves + layer histograms.

    Changing the learning rate or the batch size starts a fresh network with the same seed, so
    settings are compared from the same start. A diverging run (NaN loss) is caught and shown as
    a message; the next click starts over.
    """

    def __init__(self, sizes=(784, 64, 32, 10), seed: int = 0):
        super().__init__("MNIST trainer: one click, one epoch of the 2,000 training images "
                         f"(at most {MAX_STEPS} steps)")
        self.sizes, self.seed = list(sizes), seed
        X, y, X_test, y_test = load_mnist(subset="small")
        self.X, self.y = X[:N_TRAIN], y[:N_TRAIN]
        self.X_test, self.y_test = X_test, y_test                   # 1,000 test images
        self.X_probe, self.y_probe = X_test[:N_PROBE], y_test[:N_PROBE]
        self.add_control("lr", widgets.FloatLogSlider(
            value=0.05, base=10, min=-4, max=1, step=0.25, description="learning rate",
            continuous_update=False, readout_format=".3g"))
        self.add_control("batch_size", widgets.Dropdown(
            options=BATCH_SIZES, value=64, description="batch size"))
        self.add_button("epoch", widgets.Button(description="Train 1 epoch", icon="play"),
                        self.train)
        self.add_button("reset", widgets.Button(description="Reset", icon="undo"), self.start)
        self.start()

    def new_run(self) -> None:
        self.model = mlp(self.sizes, dtype=np.float32, rng=self.seed)
        self.history = History()
        self.loss_fn = SoftmaxCrossEntropy()
        self.stats = layer_stats(self.model, self.X_probe, self.y_probe, self.loss_fn)
        self.seconds = None
        self.images_seen = 0                                # what the run has trained on

    def has_steps(self) -> bool:
        return bool(self.history.step_loss)

    def train(self) -> None:
        self.prepare()
        bs = self.batch_size()
        n = min(len(self.X), MAX_STEPS * bs)               # batch 8: 50 steps = 400 images
        rng = self.seed + len(self.history.epochs)
        Xs, ys = self.X, self.y
        if n < len(self.X):                                 # a random part of the subset
            pick = make_rng(rng).permutation(len(self.X))[:n]
            Xs, ys = self.X[pick], self.y[pick]
        loader = DataLoader(Xs, ys, batch_size=bs, rng=rng)
        opt = SGD(self.model.parameters(), lr=self.controls["lr"].value, momentum=0.9)
        t0 = time.perf_counter()
        try:
            h = fit(self.model, self.loss_fn, opt, loader, epochs=1, progress=False)
        except TrainingDiverged as exc:
            self.mark_diverged(exc, "The steps are far too large; lower the learning rate")
            self.refresh()
            return
        self.seconds = time.perf_counter() - t0
        self.images_seen += n
        self.history.extend(h, **evaluate(self.model, self.loss_fn, self.X_test, self.y_test,
                                          prefix="val_"))
        logs = self.history.epochs[-1]
        self.stats = layer_stats(self.model, self.X_probe, self.y_probe, self.loss_fn, lr=opt.lr)
        self.message = "" if np.isfinite(logs["val_loss"]) and logs["val_loss"] < np.log(10) else (
            "the test loss is above where it started (log 10 = 2.30): the learning rate is "
            "probably too large — lower it")
        self.refresh()

    def trained_text(self) -> str:
        """What the run has trained on: whole epochs, or images and the fraction of an epoch.

        A click is a whole epoch when it runs over all the images; with tiny batches it stops
        after `MAX_STEPS` steps on a random part of them, and the text counts images instead.
        """
        epochs = self.images_seen / len(self.X)
        if min(len(self.X), MAX_STEPS * self.batch_size()) == len(self.X):
            return f"{round(epochs)} epoch{plural(round(epochs))} ({self.images_seen:,} images)"
        return f"{self.images_seen:,} images ({epochs:.2g} epoch{'' if epochs < 1 else 's'})"

    def draw(self, lr, batch_size):
        bs = self.batch_size()
        per_click = min(len(self.X), MAX_STEPS * bs)
        steps = int(np.ceil(per_click / bs))
        parts = [f"{steps} step{plural(steps)} per click (batch {bs})"
                 + ("" if per_click == len(self.X) else
                    f": {per_click:,} of the {len(self.X):,} images")]
        if self.history.epochs and not self.diverged:
            last = self.history.epochs[-1]
            parts.append(f"after {self.trained_text()}: test accuracy {last['val_acc']:.1%}")
        if self.seconds is not None:
            parts.append(f"{self.seconds:.2f} s for the last click")
        self.readout.value = " &nbsp;·&nbsp; ".join(parts) + (
            f"<br>{self.message}" if self.message else "")
        stats = None if self.diverged else self.stats
        return plot_mnist_training(self.history, stats,
                                   title=f"lr {lr:.3g}, batch {bs}: "
                                         f"{len(self.history.step_loss)} steps")


def mnist_trainer(sizes=(784, 64, 32, 10), seed: int = 0) -> MnistTrainer:
    """Train a `sizes` ReLU MLP on small MNIST with SGD + momentum, one epoch per click.

    Learning rate and batch size apply from a fresh network; shows loss/accuracy curves and
    per-layer activation and gradient histograms after every click.
    """
    return MnistTrainer(sizes, seed)
