"""Arrays made once and written again at every step: what the twins of `nnlib/fast/` reuse.

A training step of an MLP allocates a dozen arrays the size of a batch's activations. Made
anew each step, they cost time twice: NumPy fills fresh memory, and the operating system hands
pages back and forth (the page-fault story of `benchmarks/README.md`). A twin keeps its arrays
in a `Buffers`, keyed by what they are for and the batch's shape, and writes into them with
`out=`. Safe because `fit` is done with one step's arrays before the next step starts.
"""

from __future__ import annotations

import ctypes
import functools
import platform

import numpy as np

M_TRIM_THRESHOLD = -1            # glibc's mallopt parameter numbers (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_MAX = 32 << 20    # the largest glibc accepts on 64-bit systems


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


@functools.cache                 # once per process: every fit(fast=True) calls it
def keep_freed_memory(limit: int = 64 << 20) -> bool:
    """Let glibc's malloc keep up to `limit` bytes of freed memory for reuse.

    Why: the optimizer's textbook `step` makes about ten temporary arrays the size of all the
    parameters at every step. glibc hands such blocks back to the operating system when they
    are freed, and the next step asks for them again, page by page: 808,000 page faults in one
    epoch of the MLP with Adam at batch 32 in a fresh process, 2.6 s instead of 1.04 s
    (`benchmarks/README.md`). Two settings stop that (`mallopt`):

    - `M_MMAP_THRESHOLD` (32 MB): blocks below it come from the heap, not from a separate
      `mmap` that is unmapped again on `free`. glibc raises this threshold by itself after
      freeing a large block, but only until a program sets either setting; so it is set here
      explicitly (set alone, the trim threshold would freeze it at its start value, 128 KB).
    - `M_TRIM_THRESHOLD` (`limit`): up to this much free memory at the top of the heap is kept.

    Kept, the memory is simply reused. The settings are for the whole process and last after
    the fit; they change no number. Returns False where it does nothing (not glibc, e.g. macOS
    or Windows).
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, min(int(limit), MMAP_THRESHOLD_MAX))
                and mallopt(M_TRIM_THRESHOLD, int(limit)))
