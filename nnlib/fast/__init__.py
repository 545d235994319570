"""Speed, switched on by name: the twins that `fit(..., fast=True)` trains with.

`fit` runs the textbook by default: the layers' own `forward`/`backward`, the optimizer's own
`step`. With `fast=True` it trains inside `SpeedTwins(model, loss_fn, optimizer, loader)`,
which builds, for the duration of the fit, *separate* objects with the same contract:

- `twin(model)`: a `FastSequential` of `FastLinear`, `FastReLU`, `FastTanh`, `FastConv2d`,
  `FastMaxPool2d` built from the model's layers and holding the model's own `Parameter`s
  (`layer_twins.py`, `conv_twins.py`); a `ReLU` followed by a `MaxPool2d` becomes one
  `FastReLUMaxPool2d` (it pools first, then ReLUs a quarter of the numbers); a layer without a
  twin is used as it is;
- `FastSoftmaxCrossEntropy(loss_fn)`: the loss with its softmax in a kept array;
- `FusedOptimizer(optimizer)`: the optimizer's own textbook `step`, once over all parameters
  joined into one array (`fused_optim.py`); when every parameter belongs to a twin that writes
  its gradient, its `zero_grad` leaves out the pass that backward overwrites anyway;
- `KeptBatches(loader)`: the same batches, gathered into two kept arrays (`batches.py`);
- `keep_freed_memory()`: glibc keeps freed memory for reuse instead of returning it to the
  system after every step (`buffers.py`; 808,000 page faults fewer per Adam epoch at batch 32).

Nothing is patched: the model, the loss and the optimizer keep their own methods, and after
the `with` block every `p.data`, `p.grad` and the optimizer's state are what a textbook fit
gives (to 1e-12 in float64; `tests/fast/test_fast_equals_textbook.py`). What it buys:
`benchmarks/bench_epoch.py` prints the epoch time of both against a hand-written NumPy loop.
"""

from __future__ import annotations

from collections import Counter

from ..layers import Sequential
from ..losses import SoftmaxCrossEntropy
from ..optim import Optimizer
from .batches import KeptBatches
from .buffers import keep_freed_memory
from .conv_twins import PAIR_TWINS, FastConv2d, FastMaxPool2d, FastReLUMaxPool2d
from .conv_twins import TWINS as CONV_TWINS
from .fused_optim import FusedOptimizer
from .layer_twins import TWINS as LAYER_TWINS
from .layer_twins import (
    FastLinear,
    FastReLU,
    FastSequential,
    FastSoftmaxCrossEntropy,
    FastTanh,
)

__all__ = ["twin", "SpeedTwins", "FastLinear", "FastReLU", "FastTanh", "FastSequential",
           "FastConv2d", "FastMaxPool2d", "FastReLUMaxPool2d", "FastSoftmaxCrossEntropy", "FusedOptimizer",
           "KeptBatches", "TWINS"]

TWINS = {**LAYER_TWINS, **CONV_TWINS}           # textbook class -> its twin (exact type)


def twin(model, *, input_grad: bool = False):
    """The fast twin of `model` (a layer or a `Sequential`), sharing its Parameters.

    A `ReLU` directly followed by a `MaxPool2d` becomes one `FastReLUMaxPool2d`. Layers
    without a twin, a layer that appears twice, and layers that share a parameter stay
    the textbook objects (they *add* their gradients, which sharing needs). `input_grad=False`
    lets the first layer skip dL/dx (then the twin's `backward` returns None).
    """
    layers = list(model.layers) if type(model) is Sequential else [model]
    uses = Counter(id(m) for m in layers)
    owners = Counter(id(p) for m in layers for p in m.parameters())
    twins = []

    def alone(layer):
        return uses[id(layer)] == 1 and all(owners[id(p)] == 1 for p in layer.parameters())

    skip = False
    for i, layer in enumerate(layers):
        if skip:                                          # the second layer of a pair twin
            skip = False
            continue
        make = TWINS.get(type(layer))
        pair = layers[i + 1:i + 2]
        make_pair = PAIR_TWINS.get((type(layer), type(pair[0]))) if pair else None
        if make_pair is not None and alone(layer) and alone(pair[0]):
            twins.append(make_pair(layer, pair[0]))
            skip = True
        elif make is None or not alone(layer):
            twins.append(layer)
        elif make in (FastLinear, FastConv2d):
            twins.append(make(layer, input_grad=input_grad or i > 0))
        else:
            twins.append(make(layer))
    return FastSequential(twins) if type(model) is Sequential else twins[0]


class SpeedTwins:
    """The twins of a model, its loss, its optimizer and its loader, for one `fit`.

    Use as a context manager: inside, train `self.model`, `self.loss_fn`, `self.optimizer` on
    `self.batches`; on exit the optimizer's joined buffer is written back (`FusedOptimizer.close`),
    even after an error.
    """

    def __init__(self, model, loss_fn, optimizer, loader):
        keep_freed_memory()                               # the step's temporaries: no page faults
        self.model = twin(model)
        self.loss_fn = (FastSoftmaxCrossEntropy(loss_fn)
                        if type(loss_fn) is SoftmaxCrossEntropy else loss_fn)
        fusable = isinstance(optimizer, Optimizer) and \
            len({id(p) for p in optimizer.params}) == len(optimizer.params)
        # a twin that writes its gradients (not adds to them) makes zeroing them first useless
        written = {id(p) for layer in getattr(self.model, "layers", [self.model])
                   if getattr(layer, "writes_gradients", False) for p in layer.parameters()}
        self.optimizer = (FusedOptimizer(optimizer, zero_grads=not all(
            id(p) in written for p in optimizer.params)) if fusable else optimizer)
        self.batches = KeptBatches(loader)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if isinstance(self.optimizer, FusedOptimizer):
            self.optimizer.close()
        return False
