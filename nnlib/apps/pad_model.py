"""The model the drawing pad reads with (notebook 13): find the best one saved, or train one.

`get_model` returns the best classifier saved so far (the CNN of notebook 14 if there is one,
else the MLP of notebook 12; `find_best_model`), or trains one with the series' recipe when no
file exists. `classify` runs a preprocessed digit through it and also returns what each dense
layer reads (the hidden activations, or a CNN's feature maps) for the pad's strips. `answer`
turns the probabilities into the pad's line, "not sure" when the top one is below a threshold:
softmax always names a digit, even for an "A". The preprocessing itself is data work
(`nnlib.datasets.drawings`); the pad's UI is `nl.widgets.draw_a_digit`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..conv import Conv2d, Flatten
from ..core import make_rng
from ..data import DataLoader
from ..datasets.mnist_loader import load_mnist
from ..io import load
from ..layers import Linear, mlp
from ..losses import SoftmaxCrossEntropy, softmax
from ..optim import Adam
from ..train import fit
from .recipes import train_mnist

__all__ = ["find_best_model", "get_model", "describe_model", "classify", "model_input",
           "answer", "NOT_SURE_BELOW", "MODELS_DIR", "MLP_FILE", "CNN_FILE"]

MODELS_DIR = "models"                               # relative to the notebooks' folder
MLP_FILE = os.path.join(MODELS_DIR, "mnist_mlp.npz")  # saved by notebook 12
CNN_FILE = os.path.join(MODELS_DIR, "mnist_cnn.npz")  # saved by notebook 14
NOT_SURE_BELOW = 0.9   # the pad says "not sure" when the top probability is below this


def _layers(model) -> list:
    """The top-level layers in the order forward runs them (a single layer is its own list)."""
    return list(model.layers) if hasattr(model, "layers") else [model]


def _is_cnn(model) -> bool:
    """A model with a convolution anywhere inside it."""
    return any(isinstance(m, Conv2d) for m in model.modules())


def describe_model(model) -> str:
    """"CNN (...)" or "MLP 784-256-128-10": what kind of network the pad reads with."""
    dense = [m.W.data.shape for m in model.modules() if isinstance(m, Linear)]
    n_conv = sum(isinstance(m, Conv2d) for m in model.modules())
    if n_conv:
        return f"CNN ({n_conv} convolution layer{'s' * (n_conv != 1)}, {len(dense)} dense)"
    if dense:
        return "MLP " + "-".join(str(s) for s in [dense[0][0]] + [d[1] for d in dense])
    return type(model).__name__


def _saved_models(folder):
    """[(path, model, metadata)] for every nnlib model file in `folder` that loads."""
    found = []
    for path in sorted(Path(folder).glob("*.npz")) if Path(folder).is_dir() else []:
        try:
            model, meta = load(path, with_metadata=True)
        except Exception:  # noqa: BLE001 - not an nnlib model (or a layer this nnlib lacks): skip
            continue
        found.append((str(path), model, meta))
    return found


def find_best_model(folder=MODELS_DIR) -> str | None:
    """The path of the best classifier saved in `folder`, or None if there is none.

    A CNN (notebook 14 saves `models/mnist_cnn.npz`) beats an MLP (notebook 12 saves
    `models/mnist_mlp.npz`); among models of one kind the higher saved `test_acc` wins.
    """
    found = _saved_models(folder)
    if not found:
        return None
    def rank(entry):
        acc = entry[2].get("test_acc")
        return _is_cnn(entry[1]), acc if isinstance(acc, (int, float)) else 0.0

    return max(found, key=rank)[0]


def _loaded(path) -> tuple:
    model, meta = load(path, with_metadata=True)
    acc = meta.get("test_acc")
    note = f", test accuracy {acc:.1%}" if isinstance(acc, (int, float)) else ""
    return model.eval(), f"{describe_model(model)} loaded from {path}{note}"


_TRAINED: dict = {}


def _train_small(seed: int = 0, epochs: int = 3):
    """Last resort: a 784-128-10 MLP trained for a few epochs on the shipped small subset."""
    X, y, _, _ = load_mnist(subset="small")
    model = mlp([784, 128, 10], rng=seed)
    fit(model, SoftmaxCrossEntropy(), Adam(model.parameters(), lr=2e-3),
        DataLoader(X, y, batch_size=64, rng=make_rng(seed)), epochs=epochs, progress=False)
    return model


def get_model(path="best", *, folder=MODELS_DIR, subset: str | None = None, seed: int = 0):
    """The MNIST classifier for the pad, and a sentence saying which it is: `(model, source)`.

    `path="best"`: the best model saved in `folder` (`find_best_model`: the CNN of notebook 14,
    else the MLP of notebook 12); a file name: that file; None: no file. When there is no file,
    `train_mnist(subset=...)` trains one with the series' recipe, else (full MNIST missing) a
    small MLP is trained on the shipped subset. Trained models are kept in memory, so a second
    call does not train again. `subset=None` picks "small" when NNLIB_FAST=1 (the notebooks'
    quick mode), else "full".
    """
    if isinstance(path, str) and path == "best":
        path = find_best_model(folder)
    if path is not None and os.path.exists(path):
        return _loaded(path)
    if subset is None:
        subset = "small" if os.environ.get("NNLIB_FAST") == "1" else "full"
    key = (subset, seed)
    if key not in _TRAINED:
        why, model = "", None
        try:
            model, _, acc = train_mnist(subset=subset, progress=False, seed=seed)
            source = (f"{describe_model(model)} trained now with nnlib.apps.train_mnist "
                      f"(test accuracy {acc:.1%})")
        except Exception as exc:  # noqa: BLE001 - e.g. full MNIST not downloadable: fall back
            why = f" (train_mnist failed: {type(exc).__name__}: {str(exc)[:120]})"
        if model is None:
            model = _train_small(seed)
            _, _, Xt, yt = load_mnist(subset="small")
            acc = float(np.mean(_forward(model, Xt)[0].argmax(axis=1) == yt))
            source = (f"{describe_model(model)} trained now on the small MNIST subset "
                      f"(test accuracy {acc:.1%}){why}")
        _TRAINED[key] = (model.eval(), source)
    return _TRAINED[key]


def model_input(model, x) -> np.ndarray:
    """Preprocessed digits (N, 784) or (784,) in the shape `model` takes: (N, 784) or (N, 1, 28, 28)."""
    x = np.asarray(x, dtype=np.float64)
    return x.reshape(-1, 1, 28, 28) if _is_cnn(model) else x.reshape(-1, 784)


def _forward(model, x):
    """Probabilities (N, 10) and what every dense layer but the first reads: [(N, ...), ...].

    For an MLP these are the hidden activations (N, H), the outputs of the non-linearity after
    each Linear layer but the last. A CNN's Linear layer reads its feature maps, flattened: they
    are kept as the maps (N, C, H, W) that the Flatten layer received, so that a CNN without
    dense hidden layer (notebook 14's) still has something to show.
    """
    layers = _layers(model)
    was_training = model.training
    model.eval()
    hidden, a = [], model_input(model, x)
    try:
        for i, layer in enumerate(layers):
            before, a = a, layer.forward(a)
            nxt = layers[i + 1] if i + 1 < len(layers) else None
            if not any(isinstance(m, Linear) for m in layers[i + 1:]):
                continue
            if isinstance(layer, Flatten) and before.ndim == 4:
                hidden.append(np.array(before))                    # the maps the Linear reads
            elif not isinstance(layer, (Linear, Flatten)) and a.ndim == 2 \
                    and isinstance(nxt, Linear):
                hidden.append(np.array(a))
    finally:
        model.train(was_training)
    return softmax(a), hidden


def classify(model, x) -> tuple[np.ndarray, list]:
    """One preprocessed digit (784,) -> (probabilities (10,), [what each dense layer reads]).

    The list holds an MLP's hidden activations (H,) and, for a CNN, the feature maps (C, H, W)
    its Linear layer reads (then any dense hidden layer's activations).
    """
    probs, hidden = _forward(model, np.asarray(x).reshape(1, 784))
    return probs[0], [h[0] for h in hidden]


def answer(probs, threshold: float = NOT_SURE_BELOW) -> tuple[int | None, str]:
    """The pad's answer for ten probabilities: `(digit, "8 (97 %)")`, or, when the top
    probability is below `threshold`, `(None, "not sure (top guess 8, 54 %)")`.

    Softmax spreads 100 % over the ten digits whatever the input, so the top probability is
    all a classifier without a "none of these" class can offer; `threshold=0` always answers.
    """
    probs = np.asarray(probs, dtype=np.float64).reshape(-1)
    if probs.shape != (10,) or not np.all(np.isfinite(probs)):
        raise ValueError(f"answer: expected 10 finite probabilities, got shape {probs.shape}")
    if isinstance(threshold, (bool, np.bool_)) or not isinstance(
            threshold, (int, float, np.integer, np.floating)) or not 0 <= threshold <= 1:
        raise ValueError(f"answer: threshold must be a number in [0, 1], got {threshold!r}")
    top = int(probs.argmax())
    if probs[top] < threshold:
        return None, f"not sure (top guess {top}, {probs[top]:.0%})"
    return top, f"{top} ({probs[top]:.0%})"
