"""The series' MNIST classifiers: their recipes and a headless trainer (`train_mnist`).

`RECIPE` is the one place where the MLP of notebook 12 is defined (sizes, activation,
optimizer, learning rate and its schedule, batch size, epochs), `CNN_RECIPE` the same for the
convolutional network of notebook 14; the notebooks, the command line and the benchmarks all
train them through `train_mnist`, which uses only the public API (`mlp` or `cnn`,
`DataLoader`, `fit` with an `lr_schedule`, `evaluate`).

The `nnlib-mnist` command (`nnlib/apps/cli.py`) runs `train_mnist` from a terminal.

Why this recipe: a two-hidden-layer ReLU MLP is the largest network that trains in seconds
on a laptop CPU, and SGD with momentum and a cosine learning-rate schedule is what makes it
*settle*: with a constant rate the test accuracy keeps bouncing between 97 and 98 % from
epoch to epoch, while the decaying rate lets the last epochs home in on a minimum.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np

from ..conv import Conv2d, Flatten, MaxPool2d
from ..core import make_rng
from ..data import DataLoader
from ..datasets.augment import Compose, RandomAffine, RandomStroke
from ..datasets.mnist_loader import load_mnist
from ..layers import Linear, ReLU, Sequential, mlp
from ..losses import SoftmaxCrossEntropy
from ..optim import SGD, Adam, cosine_lr, one_cycle_lr
from ..train import evaluate, fit


@dataclasses.dataclass(frozen=True)
class Recipe:
    """Everything that defines the MNIST run; change one with `dataclasses.replace(RECIPE, ...)`."""

    model: str = "mlp"                   # "mlp" (notebook 12) or "cnn" (notebook 14)
    sizes: tuple = (784, 256, 128, 10)   # MLP: inputs, two hidden layers, ten classes
    channels: tuple = (16, 32)           # CNN: channels of its two 3x3 convolutions
    augment: tuple = ()                  # (max_shift px, max_rotation deg, min scale, max scale)
    stroke: float = 0.0                  # probability of a stroke one pixel thinner/thicker
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
    small_epochs: int = 3                # epochs on the small shipped subset (subset="small")

    def make_model(self, rng):
        if self.model == "mlp":
            return mlp(self.sizes, self.activation, dropout=self.dropout, rng=rng,
                       dtype=self.dtype)
        if self.model == "cnn":
            return cnn(self.channels, rng=rng, dtype=self.dtype)
        raise ValueError(f"Recipe: model must be 'mlp' or 'cnn', got {self.model!r}")

    def make_transform(self, rng):
        """The training batches' transform (`RandomAffine`, after `RandomStroke` if `stroke` > 0),
        or None without augmentation."""
        steps = [RandomStroke(self.stroke, rng=rng)] if self.stroke else []
        if self.augment:
            shift, rotation, low, high = self.augment
            steps.append(RandomAffine(shift, rotation, (low, high), rng=rng))
        if len(steps) < 2:
            return steps[0] if steps else None
        return Compose(steps)

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
# The CNN of notebook 14. Augmentation is part of the recipe: every training digit is drawn anew
# each epoch with strokes one pixel thinner or thicker (a quarter of the digits each), moved by up
# to 2 px, turned by up to 10 degrees and scaled by 0.9-1.1. Seven epochs of it end at 99.0 % test
# accuracy and 97.8 % on hand-drawn-like test digits (seed 0, 111 s of training on 2 cores;
# benchmarks/README.md, "The CNN of notebook 14").
CNN_RECIPE = Recipe(model="cnn", lr=0.05, epochs=7, small_epochs=1, augment=(2.0, 10.0, 0.9, 1.1),
                    stroke=0.5)


def cnn(channels=(16, 32), *, rng=None, dtype=np.float64) -> Sequential:
    """The CNN of notebook 14: two rounds of 3x3 convolution, ReLU and 2x2 max pooling, then Linear.

    (N, 1, 28, 28) -> conv (N, c1, 28, 28) -> pool (N, c1, 14, 14) -> conv (N, c2, 14, 14)
    -> pool (N, c2, 7, 7) -> flatten (N, c2*49) -> ten scores. Padding 1 keeps the size.
    """
    c1, c2 = channels
    rng = make_rng(rng)
    return Sequential(Conv2d(1, c1, 3, padding=1, rng=rng, dtype=dtype), ReLU(), MaxPool2d(2),
                      Conv2d(c1, c2, 3, padding=1, rng=rng, dtype=dtype), ReLU(), MaxPool2d(2),
                      Flatten(), Linear(c2 * 7 * 7, 10, rng=rng, dtype=dtype))


def train_mnist(*, subset: str = "full", epochs: int | None = None, data_dir=None,
                progress: bool = True, seed: int = 0, callbacks: Iterable = (),
                recipe: Recipe = RECIPE, fast: bool = True):
    """Train the MNIST recipe; return `(model, history, test_acc)`.

    `subset="small"` uses the small subset shipped with nnlib (6,000 training images, no
    download) and `recipe.small_epochs` epochs: a smoke test, not the real result. The test set is
    evaluated after every epoch (`history["val_acc"]`) so that the notebook can plot how the
    accuracy grows; it is never used to choose when to stop. `history.train_time` counts only
    the training steps. `data_dir` is passed to `load_mnist` (else $NNLIB_DATA_DIR, the cache,
    or a download). The same `seed` gives the same weights, batches and result. `fast=True`
    trains with `fit(..., fast=True)`, the speed twins of `nnlib/fast/` (the same numbers).
    """
    if subset not in ("small", "full"):
        raise ValueError(f"train_mnist: subset must be 'small' or 'full', got {subset!r}")
    if not isinstance(recipe, Recipe):
        raise TypeError(f"train_mnist: recipe must be a Recipe (e.g. nl.apps.RECIPE), "
                        f"got {type(recipe).__name__}")
    if epochs is None:
        epochs = recipe.small_epochs if subset == "small" else recipe.epochs
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"train_mnist: epochs must be a positive int, got {epochs!r}")
    X_train, y_train, X_test, y_test = load_mnist(data_dir=data_dir, dtype=recipe.dtype,
                                                  subset=subset)
    if recipe.model == "cnn":                            # images (N, 1, 28, 28)
        X_train, X_test = X_train.reshape(-1, 1, 28, 28), X_test.reshape(-1, 1, 28, 28)
    rng = np.random.default_rng(seed)
    model = recipe.make_model(rng)
    loader = DataLoader(X_train, y_train, batch_size=recipe.batch_size, shuffle=True, rng=rng,
                        transform=recipe.make_transform(rng))
    loss_fn = SoftmaxCrossEntropy()
    history = fit(model, loss_fn, recipe.make_optimizer(model.parameters()), loader,
                  epochs=epochs, val=(X_test, y_test), callbacks=callbacks, progress=progress,
                  lr_schedule=recipe.make_schedule(), fast=fast)
    test_acc = evaluate(model, loss_fn, X_test, y_test)["acc"]
    return model, history, test_acc


def describe_recipe(recipe: Recipe) -> str:
    """One line naming the network and its training settings."""
    if recipe.model == "cnn":
        c1, c2 = recipe.channels
        net = f"CNN conv3x3({c1})-pool-conv3x3({c2})-pool-linear"
    else:
        net = f"MLP {'-'.join(map(str, recipe.sizes))} {recipe.activation}"
    aug = f", augment {recipe.augment}" if recipe.augment else ""
    aug += f", stroke width changed with p={recipe.stroke:.2f}" if recipe.stroke else ""
    return (f"{net}, {recipe.optimizer} lr={recipe.lr} ({recipe.schedule}), batch "
            f"{recipe.batch_size}, {recipe.dtype}{aug}")
