"""nnlib: a small, readable NumPy neural-network library for the illustrated notebook series.

Layers with explicit forward and backward passes, losses, optimizers, data loaders, a training
loop with callbacks, gradient checking, a scalar autograd for the chain-rule lessons, and the
plots and widgets the notebooks use. Import it as `import nnlib as nl`.
"""

from __future__ import annotations

from . import autograd, datasets, gradcheck, optim, selfcheck, viz, widgets
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
from .optim import SGD, Adam, RMSProp, cosine_lr, one_cycle_lr, step_lr
from .torch_bridge import from_torch, to_torch
from .train import (
    Callback,
    EarlyStopping,
    History,
    StopTraining,
    TrainingDiverged,
    accuracy,
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
]
