"""One update for all parameters: the optimizer's own `step`, run over one concatenated buffer.

An MLP of three layers has six parameters, and each textbook update is a dozen NumPy calls per
parameter. tinygrad's answer, and ours: concatenate the parameters into one long array per
dtype, hand every `Parameter` a view of its slice (`p.data`, `p.grad`), and run the *same*
textbook update once over the long array. `FusedOptimizer(optimizer)` does that with a copy of
`optimizer` itself (same class, same settings, its state concatenated the same way), so there
is one Adam in nnlib, the one notebook 11 derives, and it runs here unchanged.

Layers read `p.data` and `p.grad` at every use, so they follow the views. `close()` copies the
values back into the arrays the parameters had before, points the parameters at them again,
and writes the step count, learning rate and state (velocity, running means) back into
`optimizer`: after it, everything is as a textbook run leaves it.
"""

from __future__ import annotations

import copy

import numpy as np

from ..core import Parameter
from ..optim import Optimizer


class FusedOptimizer:
    """`optimizer`'s update over its parameters concatenated into one buffer per dtype.

    `zero_grads=False` is for twins that *write* every gradient at each backward pass instead
    of adding to it (`FastLinear`, `FastConv2d`): `SpeedTwins` passes it when every parameter
    belongs to such a twin, and `zero_grad()` then skips a pass over all the gradients that
    the backward pass would overwrite anyway (8 us a step for the MLP of notebook 12).
    """

    def __init__(self, optimizer: Optimizer, *, zero_grads: bool = True):
        params = optimizer.params
        if len({id(p) for p in params}) != len(params):
            raise ValueError("FusedOptimizer: a parameter appears twice in the optimizer's list; "
                             "it cannot live in two places of one buffer")
        self.optimizer = optimizer
        self.params = params
        self.zero_grads = zero_grads
        self.original = [(p.data, p.grad) for p in params]
        self.groups: dict = {}                             # dtype -> indices of its parameters
        for i, p in enumerate(params):
            self.groups.setdefault(p.data.dtype, []).append(i)
        flat = []
        for dtype, idx in self.groups.items():
            big = Parameter(self._join([params[i].data for i in idx], dtype), "flat")
            big.grad = self._join([params[i].grad for i in idx], dtype)
            flat.append(big)
        self.inner = copy.copy(optimizer)                  # same class, settings, lr and t
        self.inner.params = flat
        for name in optimizer.state_names:                 # e.g. Adam's m and v, joined alike
            per_param = getattr(optimizer, name)
            setattr(self.inner, name, [self._join([per_param[i] for i in idx], dtype)
                                       for dtype, idx in self.groups.items()])
        for big, idx in zip(flat, self.groups.values()):   # the views handed to each Parameter
            for i, data, grad in zip(idx, self._split(big.data, idx), self._split(big.grad, idx)):
                params[i].data, params[i].grad = data, grad

    @staticmethod
    def _join(arrays, dtype) -> np.ndarray:
        return np.concatenate([np.asarray(a, dtype).ravel() for a in arrays])

    def _split(self, flat, idx) -> list:
        """Views of `flat`, one per parameter of `idx`, in each parameter's shape."""
        out, start = [], 0
        for i in idx:
            shape = self.original[i][0].shape
            size = int(np.prod(shape))
            out.append(flat[start:start + size].reshape(shape))
            start += size
        return out

    @property
    def lr(self) -> float:
        return self.inner.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.inner.lr = value                              # validated by the textbook setter

    def zero_grad(self) -> None:
        if not self.zero_grads:                            # the twins write every gradient
            return
        for big in self.inner.params:
            big.grad.fill(0)                               # one pass over every gradient

    def step(self) -> None:
        self.inner.step()                                  # the textbook update, once per dtype

    def close(self) -> None:
        """Values back into the original arrays; the optimizer's t, lr and state as after a textbook run."""
        for p, (data, grad) in zip(self.params, self.original):
            data[...] = p.data
            grad[...] = p.grad
            p.data, p.grad = data, grad
        for name in self.optimizer.state_names:
            per_param = getattr(self.optimizer, name)
            for joined, idx in zip(getattr(self.inner, name), self.groups.values()):
                for i, view in zip(idx, self._split(joined, idx)):
                    per_param[i] = view.copy()
        self.optimizer.t, self.optimizer.lr = self.inner.t, self.inner.lr
