"""Small 2-D data sets made in-package, for pictures you can take in at a glance.

Each function takes `n` (examples), `noise` and `rng`, and returns `(X, y)` with X of shape
(n, 2) in float64. Classification sets have int labels; regression sets a float target.
They are the data of notebooks 01-09 and of the playground (TensorFlow Playground's sets).
"""

from __future__ import annotations

import numpy as np

from ..core import make_rng


def _check(name: str, n, noise) -> int:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 2:
        raise ValueError(f"{name}: n must be an int >= 2, got {n!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"{name}: noise must be a number >= 0, got {noise!r}")
    return int(n)


def _split_counts(n: int, k: int) -> list[int]:
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def make_blobs(n: int = 200, noise: float = 0.5, rng=None, *, centers=((-1.5, -1.0), (1.5, 1.0)),
               _name: str = "make_blobs"):
    """Gaussian blobs around `centers` (two by default: a linearly separable set).

    `noise` is the standard deviation of every blob; label i belongs to centers[i].
    """
    n = _check(_name, n, noise)
    rng = make_rng(rng)
    centers = np.asarray(centers, dtype=float)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"make_blobs: centers must have shape (k, 2), got {centers.shape}")
    counts = _split_counts(n, len(centers))
    X = np.concatenate([c + noise * rng.standard_normal((m, 2)) for c, m in zip(centers, counts)])
    y = np.repeat(np.arange(len(centers)), counts)
    return _shuffle(X, y, rng)


def make_linear(n: int = 200, noise: float = 0.3, rng=None):
    """Two linearly separable blobs; an alias of `make_blobs` with its defaults."""
    return make_blobs(n, noise, rng, _name="make_linear")


def make_xor(n: int = 200, noise: float = 0.1, rng=None):
    """Points in the four quadrants; label 1 where x1 and x2 have different signs.

    No single straight line separates the classes: the classic reason for hidden layers.
    """
    n = _check("make_xor", n, noise)
    rng = make_rng(rng)
    quadrant = np.repeat(np.arange(4), _split_counts(n, 4))      # as many points in each
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]])[quadrant]
    X = signs * rng.uniform(0.1, 1.1, size=(n, 2))              # a gap around the axes
    y = (quadrant >= 2).astype(np.int64)                        # signs differ -> class 1
    X += noise * rng.standard_normal((n, 2))
    return _shuffle(X, y, rng)


def make_circles(n: int = 200, noise: float = 0.1, rng=None, *, factor: float = 0.5):
    """A small circle (label 1) inside a larger one (label 0), radii `factor` and 1."""
    n = _check("make_circles", n, noise)
    rng = make_rng(rng)
    n_out, n_in = _split_counts(n, 2)
    t = rng.uniform(0, 2 * np.pi, n)
    r = np.concatenate([np.ones(n_out), np.full(n_in, factor)])
    X = np.column_stack([r * np.cos(t), r * np.sin(t)]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    return _shuffle(X, y, rng)


def make_moons(n: int = 200, noise: float = 0.1, rng=None):
    """Two interleaving half circles."""
    n = _check("make_moons", n, noise)
    rng = make_rng(rng)
    n0, n1 = _split_counts(n, 2)
    t0, t1 = rng.uniform(0, np.pi, n0), rng.uniform(0, np.pi, n1)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    X += noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    return _shuffle(X, y, rng)


def make_spiral(n: int = 300, noise: float = 0.1, rng=None, *, classes: int = 2, turns: float = 1.0):
    """`classes` interleaved spiral arms, the hardest of the playground's sets."""
    n = _check("make_spiral", n, noise)
    if classes < 2:
        raise ValueError(f"make_spiral: classes must be >= 2, got {classes}")
    rng = make_rng(rng)
    counts = _split_counts(n, classes)
    Xs, ys = [], []
    for c, m in enumerate(counts):
        r = np.linspace(0.05, 1.0, m)
        t = 2 * np.pi * turns * r + 2 * np.pi * c / classes
        Xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(m, c, np.int64))
    X = np.concatenate(Xs) + noise * rng.standard_normal((n, 2))
    return _shuffle(X, np.concatenate(ys), rng)


def make_gaussians(n: int = 200, noise: float = 0.3, rng=None, *, classes: int = 2):
    """`classes` Gaussian clusters placed evenly on a circle of radius 1.5."""
    if classes < 2:
        raise ValueError(f"make_gaussians: classes must be >= 2, got {classes}")
    angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centers = 1.5 * np.column_stack([np.cos(angles), np.sin(angles)])
    return make_blobs(n, noise, rng, centers=centers, _name="make_gaussians")


def make_plane(n: int = 200, noise: float = 0.1, rng=None):
    """Regression: y = (x1 + x2) / 2 plus noise, over the square [-1, 1]^2."""
    n = _check("make_plane", n, noise)
    rng = make_rng(rng)
    X = rng.uniform(-1, 1, size=(n, 2))
    y = 0.5 * (X[:, 0] + X[:, 1]) + noise * rng.standard_normal(n)
    return X, y


def make_gaussian_mixture(n: int = 200, noise: float = 0.1, rng=None):
    """Regression: a bump up and a bump down, y = g(x - c1) - g(x - c2), plus noise."""
    n = _check("make_gaussian_mixture", n, noise)
    rng = make_rng(rng)
    X = rng.uniform(-1, 1, size=(n, 2))
    def bump(c):
        return np.exp(-np.sum((X - c) ** 2, axis=1) / (2 * 0.25 ** 2))
    y = bump(np.array([-0.4, 0.4])) - bump(np.array([0.4, -0.4])) + noise * rng.standard_normal(n)
    return X, y


def _shuffle(X, y, rng):
    order = rng.permutation(len(X))
    return X[order], y[order]


CLASSIFICATION = {"circles": make_circles, "xor": make_xor, "gaussians": make_gaussians,
                  "spiral": make_spiral, "moons": make_moons, "linear": make_linear}
REGRESSION = {"plane": make_plane, "gaussian_mixture": make_gaussian_mixture}
