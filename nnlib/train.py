"""The training loop: `fit` runs epochs of mini-batch steps and reports to callbacks.

One step is: forward the batch, measure the loss, backward to get every gradient, let the
optimizer move the parameters. `fit` adds what a real loop needs around that (learning-rate
schedules, validation after every epoch, a progress bar, stopping on NaN) and calls
`Callback`s so that dashboards can watch training without `fit` knowing about them.
Introduced in notebook 08; the four lines of a step are in `train_step`, and `fit` calls it.

By default `fit` runs exactly this textbook code. `fit(..., fast=True)` runs the same
`train_step` on speed twins of the model, the loss, the optimizer and the loader, built for the
duration of the fit from the same Parameters (`nnlib/fast/`); the model itself is never changed.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Iterable

import numpy as np

from .core import Module
from .losses import Loss
from .metrics import accuracy


class StopTraining(Exception):
    """Raise inside a callback to end `fit` cleanly after the current step or epoch."""


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite: the data is not finite, or the learning rate too large."""


class Callback:
    """Hooks that `fit` calls; override the ones you need. Raise `StopTraining` to stop early.

    `on_step_end(step, logs)`: after every optimizer step; logs has epoch, step, loss, lr.
    `on_epoch_end(epoch, logs)`: after every epoch; logs has loss, lr, time, step (steps so far)
    and, with `val`, val_loss/val_acc.
    Everything counts from 1: `step` is 1 after the first step, `logs["epoch"]` in
    `on_step_end` is the running epoch (1 during the first), `epoch` in `on_epoch_end` the
    epochs finished (1 after the first), the same number as that epoch's `logs["epoch"]`.
    `on_train_end(history)`: once, when training ends (also after `StopTraining`).
    With `fit(..., fast=True)`, `p.data` and `p.grad` are views of one long array until the
    epochs end (`nnlib/fast/fused_optim.py`): read weights through the `Parameter`.
    """

    def on_train_begin(self, model, history) -> None:
        pass

    def on_step_end(self, step: int, logs: dict) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        pass

    def on_train_end(self, history) -> None:
        pass


class History:
    """What happened during training: the loss of every step and a summary of every epoch.

    `history.step_loss[k]` is the loss of step k; `history["val_acc"]` is the list of that
    metric over epochs (one entry per epoch); `history.epochs` holds the full dicts.
    """

    def __init__(self):
        self.step_loss: list[float] = []
        self.step_lr: list[float] = []
        self.epochs: list[dict] = []
        self.train_time = 0.0                     # seconds spent in steps (no validation)

    def __getitem__(self, key: str) -> list:
        if not self.epochs or key not in self.epochs[-1]:
            have = sorted(self.epochs[-1]) if self.epochs else []
            raise KeyError(f"History: no metric {key!r}; recorded: {have}")
        return [e.get(key, float("nan")) for e in self.epochs]

    def __len__(self) -> int:
        return len(self.epochs)

    def extend(self, later: History, **extra) -> History:
        """Add a later run's steps and epochs (training continued with another `fit`).

        Each added epoch also records `end_step`, the number of steps done when it ended, and
        any `extra` metrics (e.g. a test accuracy measured after it). Returns self.
        """
        start = len(self.step_loss)
        self.step_loss += later.step_loss
        self.step_lr += later.step_lr
        self.train_time += later.train_time
        for logs in later.epochs:
            self.epochs.append({**logs, **extra, "end_step": start + logs["step"]})
        return self

    def __repr__(self) -> str:
        last = self.epochs[-1] if self.epochs else {}
        shown = ", ".join(f"{k}={v:.4g}" for k, v in last.items() if isinstance(v, float))
        return f"History({len(self.epochs)} epochs, {len(self.step_loss)} steps; last: {shown})"


def train_step(model: Module, loss_fn: Loss, optimizer, xb, yb) -> float:
    """One step of gradient descent on one batch; returns the batch's loss."""
    optimizer.zero_grad()
    loss = loss_fn(model.forward(xb), yb)      # forward: prediction, then how wrong it is
    model.backward(loss_fn.backward())         # backward: every gradient, by the chain rule
    optimizer.step()                           # update: move every parameter downhill
    return loss


def _diverged(loss: float, xb, yb, step: int, epoch: int, lr: float) -> TrainingDiverged:
    """The error for a NaN/inf loss, saying whether the data or the step size is to blame."""
    for name, arr in (("inputs", xb), ("targets", yb)):
        arr = np.asarray(arr)
        if arr.dtype.kind in "fc" and not np.isfinite(arr).all():
            return TrainingDiverged(
                f"fit: the loss became {loss} at step {step} (epoch {epoch + 1}) because the "
                f"batch's {name} are not finite (they contain NaN or inf): the data is not "
                "finite; clean it first (e.g. keep only rows where np.isfinite(X).all(axis=1))")
    return TrainingDiverged(f"fit: the loss became {loss} at step {step} (epoch {epoch + 1}, "
                            f"lr={lr:g}); try a smaller learning rate")


_HOOKS = ("on_train_begin", "on_step_end", "on_epoch_end", "on_train_end")


def _check_fit_args(model, loss_fn, optimizer, train_loader, epochs, val, callbacks,
                    lr_schedule, fast) -> list:
    """Refuse at the door what would fail later with an unrelated message; return the callbacks."""
    def need(ok: bool, what: str, want: str, got) -> None:
        if not ok:
            shown = repr(got) if isinstance(got, (str, int, float, bool)) or got is None \
                else f"a {type(got).__name__}"
            raise TypeError(f"fit: {what} must be {want}, got {shown}")

    need(isinstance(model, Module), "model", "an nnlib Module (e.g. nl.mlp([2, 8, 2]))", model)
    need(callable(loss_fn) and callable(getattr(loss_fn, "backward", None)), "loss_fn",
         "a loss object with a backward method (e.g. nl.SoftmaxCrossEntropy())", loss_fn)
    need(all(callable(getattr(optimizer, m, None)) for m in ("step", "zero_grad"))
         and hasattr(optimizer, "lr"), "optimizer",
         "an optimizer (e.g. nl.SGD(model.parameters(), lr=0.1))", optimizer)
    need(hasattr(train_loader, "__iter__") and not isinstance(train_loader, (str, bytes)),
         "train_loader", "an iterable of (xb, yb) batches (e.g. nl.DataLoader(X, y))", train_loader)
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"fit: epochs must be an int >= 0, got {epochs!r}")
    if val is not None:
        if not isinstance(val, (tuple, list)) or len(val) != 2:
            raise ValueError(f"fit: val must be a tuple (X_val, y_val), got "
                             f"{type(val).__name__}{' of length ' + str(len(val)) if isinstance(val, (tuple, list)) else ''}")
        if len(val[0]) != len(val[1]):
            raise ValueError(f"fit: val has {len(val[0])} inputs but {len(val[1])} targets; "
                             "they must match")
    need(lr_schedule is None or callable(lr_schedule), "lr_schedule",
         "None or a function f(epoch, step, total_steps) -> lr (e.g. nl.cosine_lr(0.1))",
         lr_schedule)
    need(isinstance(fast, (bool, np.bool_)), "fast", "True or False", fast)
    need(not isinstance(callbacks, (str, Callback)) and hasattr(callbacks, "__iter__"),
         "callbacks", "a list of Callback objects", callbacks)
    callbacks = list(callbacks)
    for i, cb in enumerate(callbacks):
        missing = [h for h in _HOOKS if not callable(getattr(cb, h, None))]
        if missing:
            shown = repr(cb) if isinstance(cb, str) else f"a {type(cb).__name__}"
            raise TypeError(f"fit: callbacks[{i}] is {shown}, which has no {missing[0]}; "
                            "expected a Callback (subclass nl.Callback and override its hooks)")
    return callbacks


def fit(model: Module, loss_fn: Loss, optimizer, train_loader, *, epochs: int, val=None,
        callbacks: Iterable[Callback] = (), progress: bool = True,
        lr_schedule: Callable | None = None, fast: bool = False) -> History:
    """Train `model` for `epochs` passes over `train_loader`; return a `History`.

    Parameters
    ----------
    train_loader : a `DataLoader` (or any iterable of (xb, yb) that can be iterated again).
    val : optional `(X_val, y_val)`; evaluated after every epoch (loss and, for
        classification, accuracy) in evaluation mode.
    callbacks : objects with `on_step_end`, `on_epoch_end`, `on_train_end` (see `Callback`).
    progress : show a tqdm bar (always off when the environment variable CI is set).
    lr_schedule : `f(epoch, step, total_steps) -> lr`, applied before every step.
    fast : False (the default) runs the textbook code you can step into. True runs the same
        `train_step` on the speed twins of `nnlib/fast/` (`SpeedTwins`: kept arrays, a fused
        optimizer update; the same numbers, 1.3 to 1.5 times faster on notebook 12's MLP,
        `benchmarks/bench_epoch.py`).

    Every step is `train_step`. Raises `TrainingDiverged` naming the step if the loss becomes
    NaN or infinite (and saying so when the batch itself holds NaN or inf).
    """
    callbacks = _check_fit_args(model, loss_fn, optimizer, train_loader, epochs, val,
                                callbacks, lr_schedule, fast)
    history = History()
    steps_per_epoch = len(train_loader) if hasattr(train_loader, "__len__") else 0
    total = epochs * steps_per_epoch
    show = progress and not os.environ.get("CI")
    bar = None
    if show:
        from tqdm.auto import tqdm
        bar = tqdm(total=total, desc="training", unit="step", leave=True)
    for cb in callbacks:
        cb.on_train_begin(model, history)
    step = 0
    model.train()
    # what the loop trains: the objects themselves, or (fast=True) their speed twins
    net, loss_of, opt, batches = model, loss_fn, optimizer, train_loader
    speed = contextlib.nullcontext()
    if fast:
        from .fast import SpeedTwins  # nnlib/fast/: explicit twins, used on purpose
        speed = SpeedTwins(model, loss_fn, optimizer, train_loader)
        net, loss_of, opt, batches = speed.model, speed.loss_fn, speed.optimizer, speed.batches
    try:
        with speed, np.errstate(over="ignore", invalid="ignore"):
            for epoch in range(epochs):
                t0, losses = time.perf_counter(), []
                for xb, yb in batches:
                    if lr_schedule is not None:
                        opt.lr = lr_schedule(epoch, step, total)
                    loss = train_step(net, loss_of, opt, xb, yb)
                    if not math.isfinite(loss):
                        raise _diverged(loss, xb, yb, step, epoch, opt.lr)
                    losses.append(loss)
                    history.step_lr.append(opt.lr)
                    step += 1
                    if bar is not None:
                        bar.update(1)
                    if callbacks:
                        logs = {"epoch": epoch + 1, "step": step, "loss": loss, "lr": opt.lr}
                        for cb in callbacks:
                            cb.on_step_end(step, logs)
                history.train_time += time.perf_counter() - t0
                history.step_loss.extend(losses)
                logs = {"epoch": epoch + 1, "loss": float(np.mean(losses)) if losses else math.nan,
                        "lr": opt.lr, "time": history.train_time, "step": step}
                if val is not None:
                    logs.update(evaluate(model, loss_fn, *val, prefix="val_"))
                    model.train()
                history.epochs.append(logs)
                if bar is not None:
                    bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()
                                     if k in ("loss", "val_loss", "val_acc")})
                for cb in callbacks:
                    cb.on_epoch_end(epoch + 1, logs)
    except StopTraining:
        pass
    finally:
        if bar is not None:
            bar.close()
    model.train()
    for cb in callbacks:
        cb.on_train_end(history)
    return history


def predict(model: Module, X, batch_size: int = 1024) -> np.ndarray:
    """The model's raw outputs for all of X, computed in evaluation mode, batch by batch."""
    X = np.asarray(X)
    if X.shape[0] == 0:
        raise ValueError(f"predict: X is empty (shape {X.shape})")
    was_training = model.training
    model.eval()
    try:
        out = None
        for i in range(0, len(X), batch_size):
            scores = model.forward(X[i:i + batch_size])
            if out is None:
                out = np.empty((len(X),) + scores.shape[1:], scores.dtype)
            out[i:i + len(scores)] = scores
        return out
    finally:
        model.train(was_training)


def evaluate(model: Module, loss_fn: Loss, X, y, *, batch_size: int = 2048,
             prefix: str = "") -> dict:
    """Loss and (for classification) accuracy over a whole data set, in evaluation mode.

    Returns `{"loss": ..., "acc": ...}` (keys start with `prefix`); accuracy is left out for
    regression losses such as `MSELoss`.
    """
    scores = predict(model, X, batch_size)
    out = {prefix + "loss": loss_fn(scores, y)}
    if getattr(loss_fn, "is_classification", True):
        out[prefix + "acc"] = accuracy(scores, y)
    return out


class EarlyStopping(Callback):
    """Stop when `monitor` has not improved for `patience` epochs; optionally restore the best weights.

    The classic cure for overfitting without touching the model: keep the parameters of the
    epoch with the best validation score.
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 3, restore_best: bool = True,
                 mode: str | None = None):
        if not isinstance(monitor, str) or not monitor:
            shown = repr(monitor) if isinstance(monitor, (str, int, float, bool)) or \
                monitor is None else f"a {type(monitor).__name__}"
            raise TypeError(f"EarlyStopping: monitor must be the name of a logged value "
                            f"(e.g. 'val_loss' or 'val_acc'), got {shown}")
        if isinstance(patience, (bool, np.bool_)) or not isinstance(patience, (int, np.integer)):
            shown = repr(patience) if isinstance(patience, (str, int, float, bool)) or \
                patience is None else f"a {type(patience).__name__}"
            raise TypeError(f"EarlyStopping: patience must be a whole number of epochs >= 0, "
                            f"got {shown}")
        if patience < 0:
            raise ValueError(f"EarlyStopping: patience must be >= 0, got {patience}")
        if mode not in (None, "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be None, 'min' or 'max', got {mode!r}")
        self.monitor, self.patience, self.restore_best = monitor, patience, restore_best
        self.mode = mode or ("max" if "acc" in monitor else "min")
        self.best, self.best_epoch, self._best_params, self._wait = None, 0, None, 0

    def on_train_begin(self, model, history):
        self.model, self.best, self._wait = model, None, 0

    def on_epoch_end(self, epoch, logs):
        if self.monitor not in logs:
            raise ValueError(f"EarlyStopping: no {self.monitor!r} in the epoch logs "
                             f"{sorted(logs)}; pass val=(X_val, y_val) to fit")
        value = logs[self.monitor]
        better = self.best is None or (value < self.best if self.mode == "min" else value > self.best)
        if better:
            self.best, self.best_epoch, self._wait = value, epoch, 0
            if self.restore_best:
                self._best_params = [p.data.copy() for p in self.model.parameters()]
        else:
            self._wait += 1
            if self._wait > self.patience:
                raise StopTraining

    def on_train_end(self, history):
        if self.restore_best and self._best_params is not None:
            for p, best in zip(self.model.parameters(), self._best_params):
                p.data[...] = best
