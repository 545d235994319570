# Exercise 2 — solution: crop an image to the bounding box of its ink
import numpy as np


def crop_to_bbox(img, threshold=0.05):
    """The smallest rectangle holding every pixel brighter than threshold * (brightest pixel)."""
    img = np.asarray(img, dtype=float)
    if img.max() <= 0:
        raise ValueError("crop_to_bbox: the image is empty")
    ink = img > threshold * img.max()               # (H, W) True where there is ink
    rows = np.flatnonzero(ink.any(axis=1))          # indices of rows with some ink
    cols = np.flatnonzero(ink.any(axis=0))
    return img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
