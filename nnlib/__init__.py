"""nnlib: a small, readable NumPy neural-network library for the illustrated notebook series.

Layers with explicit forward and backward passes, losses, optimizers, data loaders, a training
loop with callbacks, gradient checking, a scalar autograd for the chain-rule lessons, metrics,
probes of a network's insides, toy problems, and the plots and widgets the notebooks use.
Import it as `import nnlib as nl`.

`import nnlib` loads NumPy and nothing heavier: `nl.viz` (matplotlib) and `nl.widgets`
(ipywidgets) are imported the first time they are used, by the module `__getattr__` below.
See ARCHITECTURE.md for which module may import which.
"""

from __future__ import annotations

import importlib

from . import (
    augment,
    autograd,
    conv,
    datasets,
    gradcheck,
    metrics,
    mnist,
    optim,
    probes,
    selfcheck,
    toys,
)
from .conv import Conv2d, Flatten, MaxPool2d
from .core import Module, Parameter, make_rng
from .data import DataLoader, one_hot, train_test_split
from .datasets import (
    load_mnist,
    make_blobs,
    make_circles,
    make_gaussian_mixture,
    make_gaussians,
    make_linear,
    make_moons,
    make_plane,
    make_spiral,
    make_xor,
)
from .gradcheck import check_loss, check_module, numerical_gradient, rel_error
from .io import load, save
from .layers import (
    Dropout,
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    mlp,
    sigmoid,
)
from .losses import BinaryCrossEntropy, MSELoss, SoftmaxCrossEntropy, log_softmax, softmax
from .metrics import accuracy, confusion_matrix, count_correct, top_confident_mistakes
from .optim import SGD, Adam, RMSProp, cosine_lr, one_cycle_lr, step_lr
from .probes import LayerStats
from .torch_bridge import from_torch, to_torch
from .train import (
    Callback,
    EarlyStopping,
    History,
    StopTraining,
    TrainingDiverged,
    evaluate,
    fit,
    predict,
    train_step,
)

__version__ = "0.1.0"

__all__ = [
    "Module", "Parameter", "make_rng", "Linear", "ReLU", "Sigmoid", "Tanh", "LeakyReLU",
    "Identity", "Dropout", "Sequential", "mlp", "sigmoid", "MSELoss", "SoftmaxCrossEntropy",
    "BinaryCrossEntropy", "softmax", "log_softmax", "SGD", "RMSProp", "Adam", "step_lr",
    "cosine_lr", "one_cycle_lr", "DataLoader", "one_hot", "train_test_split", "load_mnist",
    "make_blobs", "make_linear", "make_xor", "make_circles", "make_moons", "make_spiral",
    "make_gaussians", "make_plane", "make_gaussian_mixture", "fit", "train_step", "History",
    "Callback", "EarlyStopping", "StopTraining", "TrainingDiverged", "evaluate", "accuracy",
    "predict", "numerical_gradient", "rel_error", "check_module", "check_loss", "save", "load",
    "autograd", "datasets", "gradcheck", "optim", "viz", "widgets",
    "to_torch", "from_torch",
    "confusion_matrix", "count_correct", "top_confident_mistakes", "LayerStats",
    "metrics", "probes", "toys", "selfcheck", "mnist",
]
__all__ += ["Conv2d", "MaxPool2d", "Flatten", "augment", "conv"]      # notebook 14 (CONV)

_LAZY = ("viz", "widgets")      # heavy (matplotlib, ipywidgets): imported on first use


def __getattr__(name: str):
    """`nl.viz` and `nl.widgets` import their package the first time they are looked up."""
    if name in _LAZY:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_LAZY})
