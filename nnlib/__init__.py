"""nnlib: a small, readable NumPy neural-network library for the illustrated notebook series.

Import it as `import nnlib as nl`. The package has layers, each importing only the ones above
it in this list (ARCHITECTURE.md; `tests/test_architecture.py` checks every import):

1. **the textbook**, the modules at the top of `nnlib/`, everything a notebook derives:
   `core` (Parameter, Module), `layers`, `losses`, `optim`, `data`, `conv`, `metrics`,
   `autograd`, `gradcheck`, `io`, and `train` (the loop, `fit`);
2. `datasets/`: toy sets, MNIST, hand-drawn digits, augmentation;
3. `fast/`: the speed twins that `fit(..., fast=True)` runs on purpose (same numbers);
4. `course/`: probes, toy problems, worked examples and the exercises' self-checks;
5. `apps/`: the MNIST recipes, the `nnlib-mnist` command, the drawing pad's model;
   `interop/`: the PyTorch bridge;
6. `viz/` (matplotlib figures) and 7. `widgets/` (ipywidgets).

Nothing is imported until it is used: `nl.Linear` imports `nnlib.layers` the first time it is
looked up (the table below says where each name lives), so `import nnlib.layers` loads the
core and the layers and nothing else, and `import nnlib` never loads matplotlib or ipywidgets.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> the module (relative to nnlib) that defines it; looked up on first use
_TEXTBOOK = {
    "core": ["Module", "Parameter", "make_rng"],
    "layers": ["Linear", "ReLU", "Sigmoid", "Tanh", "LeakyReLU", "Identity", "Dropout",
               "Sequential", "mlp", "sigmoid"],
    "losses": ["MSELoss", "SoftmaxCrossEntropy", "BinaryCrossEntropy", "softmax", "log_softmax"],
    "optim": ["SGD", "RMSProp", "Adam", "step_lr", "cosine_lr", "one_cycle_lr"],
    "data": ["DataLoader", "one_hot", "train_test_split"],
    "train": ["fit", "train_step", "History", "Callback", "EarlyStopping", "StopTraining",
              "TrainingDiverged", "evaluate", "predict"],
    "metrics": ["accuracy", "confusion_matrix", "count_correct", "top_confident_mistakes"],
    "conv": ["Conv2d", "MaxPool2d", "Flatten"],
    "gradcheck": ["numerical_gradient", "rel_error", "check_module", "check_loss"],
    "io": ["save", "load"],
}
_AROUND = {
    "datasets": ["load_mnist", "make_blobs", "make_linear", "make_xor", "make_circles",
                 "make_moons", "make_spiral", "make_gaussians", "make_plane",
                 "make_gaussian_mixture"],
    "course.probes": ["LayerStats"],
    "interop": ["to_torch", "from_torch"],
}
_NAMES = {name: module for table in (_TEXTBOOK, _AROUND)
          for module, names in table.items() for name in names}
# modules reachable as attributes: nl.layers, nl.course, nl.viz, ... and three short names
_MODULES = {m: m for m in (*_TEXTBOOK, "autograd", "datasets", "fast", "course", "apps",
                           "interop", "viz", "widgets")}
_MODULES.update(augment="datasets.augment", probes="course.probes", selfcheck="course.selfcheck")

__all__ = sorted([*_NAMES, *_MODULES])


def __getattr__(name: str):
    """Import what `name` needs the first time it is looked up (PEP 562), then keep it."""
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
    elif name in _MODULES:
        value = importlib.import_module(f".{_MODULES[name]}", __name__)
    else:
        raise AttributeError(f"module 'nnlib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *__all__})
