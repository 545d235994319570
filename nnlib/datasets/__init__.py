"""Data sets: toy 2-D sets made on the spot (`toy`), MNIST (`mnist`) and hand-drawn digits (`digits`)."""

from . import digits
from .mnist import load_mnist
from .toy import (
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

__all__ = ["digits", "load_mnist", "make_blobs", "make_linear", "make_xor", "make_circles", "make_moons",
           "make_spiral", "make_gaussians", "make_plane", "make_gaussian_mixture",
           "CLASSIFICATION", "REGRESSION"]
