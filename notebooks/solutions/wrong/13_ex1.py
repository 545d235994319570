# wrong: returns (col, row) instead of (row, col)
import numpy as np


def center_of_mass(img):
    img = np.asarray(img, dtype=float)
    total = img.sum()
    r = (img.sum(axis=1) * np.arange(img.shape[0])).sum() / total
    c = (img.sum(axis=0) * np.arange(img.shape[1])).sum() / total
    return float(c), float(r)


# wrong: ignores the brightness, the mean position of every pixel with some ink
import numpy as np


def center_of_mass(img):
    rows, cols = np.nonzero(np.asarray(img) > 0)
    return float(rows.mean()), float(cols.mean())


# wrong: the middle of the bounding box instead of the centre of mass
import numpy as np


def center_of_mass(img):
    rows, cols = np.nonzero(np.asarray(img) > 0)
    return (rows.min() + rows.max()) / 2, (cols.min() + cols.max()) / 2


# wrong: divides by the number of pixels instead of the total brightness
import numpy as np


def center_of_mass(img):
    img = np.asarray(img, dtype=float)
    r = (img.sum(axis=1) * np.arange(img.shape[0])).sum() / img.size
    c = (img.sum(axis=0) * np.arange(img.shape[1])).sum() / img.size
    return float(r), float(c)
