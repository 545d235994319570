# Exercise 1 — solution: the centre of mass of a grayscale image
import numpy as np


def center_of_mass(img):
    """(row, col) of the ink's centre of mass: each coordinate weighted by the pixel's brightness."""
    img = np.asarray(img, dtype=float)
    total = img.sum()
    if total <= 0:
        raise ValueError("center_of_mass: the image is empty")
    rows = np.arange(img.shape[0])
    cols = np.arange(img.shape[1])
    r = (img.sum(axis=1) * rows).sum() / total      # row sums weighted by their row index
    c = (img.sum(axis=0) * cols).sum() / total      # column sums weighted by their column index
    return float(r), float(c)
