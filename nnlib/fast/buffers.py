"""Arrays made once and written again at every step: what the twins of `nnlib/fast/` reuse.

A training step of an MLP allocates a dozen arrays the size of a batch's activations. Made
anew each step, they cost time twice: NumPy fills fresh memory, and the operating system hands
pages back and forth (the page-fault story of `benchmarks/README.md`). A twin keeps its arrays
in a `Buffers`, keyed by what they are for and the batch's shape, and writes into them with
`out=`. Safe because `fit` is done with one step's arrays before the next step starts.
"""

from __future__ import annotations

import numpy as np


def memory_order(a: np.ndarray) -> list:
    """a's axes from the outermost in memory to the innermost (by stride; ties keep their order)."""
    return np.argsort([-st for st in a.strides], kind="stable").tolist()


class Buffers:
    """Arrays kept by key: `get(key, shape, dtype)` makes one the first time, then returns it."""

    def __init__(self):
        self._arrays: dict = {}

    def __contains__(self, key) -> bool:
        return key in self._arrays

    def get(self, key, shape, dtype, *, zeros: bool = False, like=None) -> np.ndarray:
        """The array stored under `key` (made once, with np.empty or np.zeros).

        With `like`, its axes are laid out in memory in the same order as those of `like` (a
        convolution's output is an (N, C, H, W) view of a (C, N, H, W) array): element-wise
        passes over the two then walk both in memory order instead of jumping between them.
        """
        a = self._arrays.get(key)
        if a is None:
            make = np.zeros if zeros else np.empty
            if like is None:
                a = make(shape, dtype)
            else:
                order = memory_order(like)
                a = make([shape[i] for i in order], dtype).transpose(np.argsort(order))
            self._arrays[key] = a
        return a
