"""Build nnlib/datasets/mnist_small.npz: a class-balanced, reproducible subset of MNIST.

The subset lets notebook 12 and the tests run without the network or the full set. It keeps
the indices into the canonical train/test splits (so anyone with the full set can verify it)
and the attribution that CC BY-SA 3.0 asks for. Usage:

    python tools/make_mnist_small.py --data-dir ../shared/data/mnist --seed 0
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from nnlib.datasets.mnist_loader import ATTRIBUTION, load_mnist

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "nnlib" / "datasets" / "mnist_small.npz"


def stratified_indices(y: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of `n` samples drawn without replacement, as equal per class as `y` allows.

    Each class gets n // n_classes (the first n % n_classes classes one more); a class with too
    few samples gives all it has and the shortfall is shared among the others (water filling).
    """
    classes, counts = np.unique(y, return_counts=True)
    if n > len(y):
        raise ValueError(f"stratified_indices: asked for {n} samples, only {len(y)} available")
    quota = np.zeros(len(classes), dtype=np.int64)
    while quota.sum() < n:
        open_ = np.flatnonzero(quota < counts)  # classes that can still give samples
        share, extra = divmod(n - int(quota.sum()), len(open_))
        add = np.full(len(open_), share)
        add[:extra] += 1
        quota[open_] = np.minimum(quota[open_] + add, counts[open_])
    picks = [rng.choice(np.flatnonzero(y == c), size=q, replace=False) for c, q in zip(classes, quota)]
    return np.sort(np.concatenate(picks))


def make_subset(data_dir, n_train: int = 6000, n_test: int = 1000, seed: int = 0) -> dict:
    """The arrays that go into the npz (uint8 images, uint8 labels, int64 indices, metadata)."""
    X_train, y_train, X_test, y_test = load_mnist(data_dir=data_dir, flatten=False, normalize=False)
    rng = np.random.default_rng(seed)
    idx_train = stratified_indices(y_train, n_train, rng)
    idx_test = stratified_indices(y_test, n_test, rng)
    return {
        "X_train": X_train[idx_train], "y_train": y_train[idx_train].astype(np.uint8),
        "X_test": X_test[idx_test], "y_test": y_test[idx_test].astype(np.uint8),
        "idx_train": idx_train, "idx_test": idx_test,
        "seed": np.array(seed, dtype=np.int64),
        "attribution": np.array(ATTRIBUTION),
    }  # fmt: skip


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=None,
                   help="folder with the four MNIST IDX files (default: $NNLIB_DATA_DIR, cache, download)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output .npz (default {DEFAULT_OUT})")
    p.add_argument("--seed", type=int, default=0, help="seed for np.random.default_rng (default 0)")
    p.add_argument("--n-train", type=int, default=6000)
    p.add_argument("--n-test", type=int, default=1000)
    args = p.parse_args(argv)  # fmt: skip

    d = make_subset(args.data_dir, args.n_train, args.n_test, args.seed)
    np.savez_compressed(args.out, **d)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), seed {args.seed}")
    for split in ("train", "test"):
        X, y = d[f"X_{split}"], d[f"y_{split}"]
        print(f"  {split}: X {X.shape} {X.dtype}, per class {np.bincount(y, minlength=10).tolist()}")
    print(f"  {d['attribution']}")


if __name__ == "__main__":
    main()
