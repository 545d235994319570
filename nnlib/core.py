"""The two building blocks every layer stands on: `Parameter` and `Module`.

A `Parameter` pairs an array with the gradient of the loss with respect to it. A `Module`
turns an input into an output (`forward`) and, given how the loss changes with that output,
says how the loss changes with the input (`backward`). Introduced in notebook 06; the rest
of the library is written in this shape. Clarity first: every method here is a few lines.
"""

from __future__ import annotations

import numpy as np


def make_rng(rng=None) -> np.random.Generator:
    """Return a `numpy.random.Generator` from a seed, a Generator, or None.

    Every random choice in nnlib goes through a Generator that the caller passes as `rng=`,
    so that the same seed always gives the same weights, batches and dropout masks, and no
    global NumPy state is ever touched. An int seeds a fresh generator; a Generator is used
    as is (and advanced); None gives an unseeded one.
    """
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise ValueError(
        f"rng: expected None, an int seed or a numpy.random.Generator, got {type(rng).__name__}"
    )


class Parameter:
    """A trainable array `data` and the gradient `grad` of the loss with respect to it.

    `grad` has the same shape and dtype as `data` and starts at zero. Layers *add* to it in
    `backward` (so a parameter used twice gets both contributions, as in micrograd), and
    optimizers read it and update `data` in place, so a layer's reference to its weights
    never goes stale.
    """

    def __init__(self, data: np.ndarray, name: str = ""):
        self.data = np.asarray(data)
        self.grad = np.zeros_like(self.data)
        self.name = name

    @property
    def shape(self) -> tuple:
        return self.data.shape

    def zero_grad(self) -> None:
        """Set the gradient to zero, in place."""
        self.grad.fill(0)

    def __repr__(self) -> str:
        label = f"{self.name}, " if self.name else ""
        return f"Parameter({label}shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class of layers, activations and networks.

    Subclasses implement `forward(x)` (remember what `backward` will need) and
    `backward(dout) -> dx`, where `dout` is dL/d(output) and `dx` is dL/d(input). Parameter
    gradients are *accumulated* into `Parameter.grad`; call `zero_grad()` before each step.
    `train()` / `eval()` switch behaviour that differs between the two (dropout).
    """

    training: bool = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__}.backward is not implemented")

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def children(self) -> list[Module]:
        """Sub-modules, in order (empty for a single layer)."""
        return []

    def modules(self):
        """This module and every module inside it, depth first (as in PyTorch)."""
        yield self
        for child in self.children():
            yield from child.modules()

    def own_parameters(self) -> list[Parameter]:
        """The parameters this module holds itself (not those of its children)."""
        return [v for v in vars(self).values() if isinstance(v, Parameter)]

    def parameters(self) -> list[Parameter]:
        """All trainable parameters, this module's first, then its children's, in order."""
        params = list(self.own_parameters())
        for child in self.children():
            params.extend(child.parameters())
        return params

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to zero."""
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True) -> Module:
        """Put this module and its children in training mode (or evaluation mode)."""
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: dropout passes inputs through unchanged."""
        return self.train(False)

    def num_parameters(self) -> int:
        """How many numbers training adjusts."""
        return sum(p.data.size for p in self.parameters())

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
