"""A `DataLoader`'s batches, written into the same two arrays every step.

`KeptBatches(loader)` visits the examples in the order `loader.order()` gives (the same random
permutation, so the same batches as `iter(loader)`), and gathers each batch with one `np.take`
into arrays made once per batch size, instead of a new batch-sized array per step. Do not keep
a yielded batch: the next one overwrites it. A loader with a `transform` (augmentation makes
new arrays anyway) and any other iterable are iterated as they are.
"""

from __future__ import annotations

from ..data import DataLoader
from .buffers import Buffers


class KeptBatches:
    """Iterable like `loader`, one pass per `iter()`; batches in kept arrays where it can."""

    def __init__(self, loader):
        self.loader = loader
        self.buffers = Buffers()

    def __len__(self) -> int:
        return len(self.loader)

    def __iter__(self):
        loader = self.loader
        if type(loader) is not DataLoader or loader.transform is not None:
            yield from loader
            return
        X, y, bs = loader.X, loader.y, loader.batch_size
        order = loader.order()
        for start in range(0, len(order) - (bs - 1 if loader.drop_last else 0), bs):
            idx = order[start:start + bs]
            xb = self.buffers.get(("x", len(idx)), (len(idx),) + X.shape[1:], X.dtype)
            X.take(idx, axis=0, out=xb)
            if y is None:
                yield xb
                continue
            yb = self.buffers.get(("y", len(idx)), (len(idx),) + y.shape[1:], y.dtype)
            y.take(idx, axis=0, out=yb)
            yield xb, yb
