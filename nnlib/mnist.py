"""The series' MNIST classifier: its recipe, a headless trainer, and the `nnlib-mnist` command.

`RECIPE` is the one place where the network of notebook 12 is defined (sizes, activation,
optimizer, learning rate and its schedule, batch size, epochs); the notebook, the command
line and `benchmarks/mnist_time_to_accuracy.py` all train it through `train_mnist`, which uses
only the public API (`mlp`, `DataLoader`, `fit` with an `lr_schedule`, `evaluate`).

    nnlib-mnist                    # full MNIST, the default recipe, then the test accuracy
    nnlib-mnist --fast             # the small subset shipped with nnlib, a few epochs
    python -m nnlib.mnist --epochs 5 --save mnist_mlp.npz

Why this recipe: a two-hidden-layer ReLU MLP is the largest network that trains in seconds
on a laptop CPU, and SGD with momentum and a cosine learning-rate schedule is what makes it
*settle*: with a constant rate the test accuracy keeps bouncing between 97 and 98 % from
epoch to epoch, while the decaying rate lets the last epochs home in on a minimum.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Iterable

import numpy as np

from .data import DataLoader
from .datasets import load_mnist
from .io import save
from .layers import mlp
from .losses import SoftmaxCrossEntropy
from .optim import SGD, Adam, cosine_lr, one_cycle_lr
from .train import evaluate, fit


@dataclasses.dataclass(frozen=True)
class Recipe:
    """Everything that defines the MNIST run; change one with `dataclasses.replace(RECIPE, ...)`."""

    sizes: tuple = (784, 256, 128, 10)   # inputs, two hidden layers, ten classes
    activation: str = "relu"
    optimizer: str = "sgd"               # "sgd" (with momentum) or "adam"
    lr: float = 0.1                      # peak learning rate
    momentum: float = 0.9
    weight_decay: float = 0.0
    dropout: float = 0.0
    schedule: str = "cosine"             # "cosine" (from lr down to 0) or "one_cycle"
    warmup: float = 0.0                  # fraction of the steps spent warming up (cosine)
    batch_size: int = 128
    epochs: int = 10
    dtype: str = "float32"               # MNIST needs no float64, and float32 is twice as fast
    fast_epochs: int = 3                 # --fast: epochs on the small shipped subset

    def make_optimizer(self, params):
        if self.optimizer == "sgd":
            return SGD(params, lr=self.lr, momentum=self.momentum, weight_decay=self.weight_decay)
        if self.optimizer == "adam":
            return Adam(params, lr=self.lr, weight_decay=self.weight_decay)
        raise ValueError(f"Recipe: optimizer must be 'sgd' or 'adam', got {self.optimizer!r}")

    def make_schedule(self):
        if self.schedule == "cosine":
            return cosine_lr(self.lr, warmup=self.warmup)
        if self.schedule == "one_cycle":
            return one_cycle_lr(self.lr)
        raise ValueError(f"Recipe: schedule must be 'cosine' or 'one_cycle', got {self.schedule!r}")


RECIPE = Recipe()


def train_mnist(*, fast: bool = False, epochs: int | None = None, data_dir=None,
                progress: bool = True, seed: int = 0, callbacks: Iterable = (),
                recipe: Recipe = RECIPE):
    """Train the MNIST recipe; return `(model, history, test_acc)`.

    `fast=True` uses the small subset shipped with nnlib (6,000 training images, no download)
    and `recipe.fast_epochs` epochs: a smoke test, not the real result. The test set is
    evaluated after every epoch (`history["val_acc"]`) so that the notebook can plot how the
    accuracy grows; it is never used to choose when to stop. `history.train_time` counts only
    the training steps. `data_dir` is passed to `load_mnist` (else $NNLIB_DATA_DIR, the cache,
    or a download). The same `seed` gives the same weights, batches and result.
    """
    if epochs is None:
        epochs = recipe.fast_epochs if fast else recipe.epochs
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"train_mnist: epochs must be a positive int, got {epochs!r}")
    X_train, y_train, X_test, y_test = load_mnist(data_dir=data_dir, dtype=recipe.dtype,
                                                  subset="small" if fast else "full")
    rng = np.random.default_rng(seed)
    model = mlp(recipe.sizes, recipe.activation, dropout=recipe.dropout, rng=rng,
                dtype=recipe.dtype)
    loader = DataLoader(X_train, y_train, batch_size=recipe.batch_size, shuffle=True, rng=rng)
    loss_fn = SoftmaxCrossEntropy()
    history = fit(model, loss_fn, recipe.make_optimizer(model.parameters()), loader,
                  epochs=epochs, val=(X_test, y_test), callbacks=callbacks, progress=progress,
                  lr_schedule=recipe.make_schedule())
    test_acc = evaluate(model, loss_fn, X_test, y_test)["acc"]
    return model, history, test_acc


def main(argv=None) -> int:
    """The `nnlib-mnist` command: train the recipe, print the test accuracy, optionally save."""
    ap = argparse.ArgumentParser(prog="nnlib-mnist", description="Train the nnlib MNIST MLP "
                                 "(the recipe of notebook 12) and print its test accuracy.")
    ap.add_argument("--epochs", type=int, default=None,
                    help=f"number of epochs (default {RECIPE.epochs}; {RECIPE.fast_epochs} with --fast)")
    ap.add_argument("--fast", action="store_true",
                    help="train on the small subset shipped with nnlib (no download)")
    ap.add_argument("--save", metavar="PATH", help="save the trained model (.npz, nl.save)")
    ap.add_argument("--data-dir", metavar="DIR",
                    help="folder with the four MNIST IDX files (default: $NNLIB_DATA_DIR)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    if args.epochs is not None and args.epochs < 1:
        ap.error(f"--epochs must be >= 1, got {args.epochs}")

    r = RECIPE
    print(f"MLP {'-'.join(map(str, r.sizes))} {r.activation}, {r.optimizer} lr={r.lr} "
          f"({r.schedule}), batch {r.batch_size}, {r.dtype}"
          + (", small subset" if args.fast else ""))
    t0 = time.perf_counter()
    model, history, test_acc = train_mnist(fast=args.fast, epochs=args.epochs,
                                           data_dir=args.data_dir, seed=args.seed,
                                           progress=not args.no_progress)
    for e in history.epochs:
        print(f"epoch {e['epoch']:3d}  loss {e['loss']:.4f}  test acc {100 * e['val_acc']:6.2f} %"
              f"  train time {e['time']:6.1f} s")
    print(f"test accuracy: {100 * test_acc:.2f} %  (training {history.train_time:.1f} s, "
          f"total {time.perf_counter() - t0:.1f} s)")
    if args.save:
        path = save(model, args.save, test_acc=test_acc, epochs=len(history), seed=args.seed,
                    recipe=dataclasses.asdict(r))
        print(f"saved to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
