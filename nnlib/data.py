"""Feeding data to a network: `DataLoader` (shuffled mini-batches), `one_hot`, `train_test_split`.

An epoch is one pass over the training set in random order, cut into mini-batches. A batch is
gathered with fancy indexing, `X[idx]`, which copies just those rows. Introduced in notebook 08.
"""

from __future__ import annotations

import numpy as np

from .core import make_rng


def one_hot(y, num_classes: int | None = None, dtype=np.float64) -> np.ndarray:
    """Int labels (N,) -> one-hot rows (N, C): row i is all zeros except a 1 at column y[i]."""
    y = np.asarray(y)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        raise ValueError(f"one_hot: expected 1-D integer labels, got shape {y.shape} dtype {y.dtype}")
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"one_hot: labels must be in [0, {num_classes - 1}], got values from "
                         f"{y.min()} to {y.max()}")
    out = np.zeros((y.shape[0], num_classes), dtype=dtype)
    out[np.arange(y.shape[0]), y] = 1
    return out


def _check_xy(name: str, X, y):
    X = np.asarray(X)
    if X.ndim < 1 or X.shape[0] == 0:
        raise ValueError(f"{name}: X is empty (shape {X.shape}); expected at least one example")
    if y is not None:
        y = np.asarray(y)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"{name}: X has {X.shape[0]} examples but y has {y.shape[0]}; "
                             "they must match")
    return X, y


class DataLoader:
    """Iterate over (X_batch, y_batch) mini-batches, reshuffled every epoch.

    Each pass visits every example exactly once. With `shuffle=True` the order comes from
    `rng`, so the same seed gives the same batches. `drop_last=True` skips a final short batch.
    `y` may be None (then batches are just X). `len(loader)` is the number of batches.
    `transform`, if given, is applied to every X batch as it is handed out, e.g.
    `nnlib.datasets.augment.RandomAffine(rng=0)` for images moved a little differently in every epoch.
    """

    def __init__(self, X, y=None, batch_size: int = 32, shuffle: bool = True,
                 drop_last: bool = False, rng=None, transform=None):
        self.X, self.y = _check_xy("DataLoader", X, y)
        if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) \
                or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size must be a positive int, got {batch_size!r}")
        self.batch_size = int(batch_size)
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        self.rng = make_rng(rng)
        if transform is not None and not callable(transform):
            raise ValueError(f"DataLoader: transform must be callable, got {type(transform).__name__}")
        self.transform = transform
        if drop_last and self.batch_size > len(self.X):
            raise ValueError(f"DataLoader: batch_size {batch_size} > {len(self.X)} examples with "
                             "drop_last=True would give no batches")

    def __len__(self) -> int:
        n, bs = len(self.X), self.batch_size
        return n // bs if self.drop_last else -(-n // bs)

    def order(self) -> np.ndarray:
        """The order in which one epoch visits the examples: a new permutation if shuffling."""
        n = len(self.X)
        return self.rng.permutation(n) if self.shuffle else np.arange(n)

    def __iter__(self):
        order = self.order()
        for start in range(0, len(order) - (self.batch_size - 1 if self.drop_last else 0),
                           self.batch_size):
            idx = order[start:start + self.batch_size]
            xb = self.X[idx] if self.transform is None else self.transform(self.X[idx])
            yield (xb, self.y[idx]) if self.y is not None else xb

    def __repr__(self):
        return (f"DataLoader({len(self.X)} examples, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last}, {len(self)} batches)")


def train_test_split(X, y, test_size: float = 0.2, *, rng=None, stratify: bool = False):
    """Split into (X_train, y_train, X_test, y_test) at random.

    `test_size` is a fraction in (0, 1). With `stratify=True` every class keeps the same share
    in both parts, which matters for small or unbalanced sets.
    """
    X, y = _check_xy("train_test_split", X, y)
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"train_test_split: test_size must be in (0, 1), got {test_size}")
    rng = make_rng(rng)
    n = len(X)
    if stratify:
        test_idx = []
        for c in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == c))
            test_idx.append(members[: int(round(test_size * len(members)))])
        test_idx = np.concatenate(test_idx)
    else:
        test_idx = rng.permutation(n)[: max(1, int(round(test_size * n)))]
    mask = np.zeros(n, bool)
    mask[test_idx] = True
    if mask.all():
        raise ValueError(f"train_test_split: test_size={test_size} leaves no training examples")
    return X[~mask], y[~mask], X[mask], y[mask]
