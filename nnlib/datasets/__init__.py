"""Data sets and augmentation: what the networks of the series are trained and tested on.

- `synthetic`: 2-D toy sets made on the spot (`make_moons`, `make_spiral`, ...);
- `mnist_loader`: `load_mnist` (the four IDX files, or the small subset shipped here);
- `drawings`: hand-drawn digits made to look like MNIST's (notebook 13);
- `augment`: digits moved, turned, scaled and re-stroked (notebook 14).

This layer imports the textbook only, never a recipe or a trained model (ARCHITECTURE.md).
"""

from . import augment, drawings
from .mnist_loader import load_mnist
from .synthetic import (
    CLASSIFICATION,
    REGRESSION,
    make_blobs,
    make_circles,
    make_gaussian_mixture,
    make_gaussians,
    make_linear,
    make_moons,
    make_plane,
    make_spiral,
    make_xor,
)

__all__ = ["augment", "drawings", "load_mnist", "make_blobs", "make_linear", "make_xor",
           "make_circles", "make_moons", "make_spiral", "make_gaussians", "make_plane",
           "make_gaussian_mixture", "CLASSIFICATION", "REGRESSION"]
