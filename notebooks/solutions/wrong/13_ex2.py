# wrong: absolute threshold, img > threshold instead of img > threshold * img.max()
import numpy as np


def crop_to_bbox(img, threshold=0.05):
    img = np.asarray(img, dtype=float)
    ink = img > threshold
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    return img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


# wrong: ignores the threshold, every pixel above 0 is ink (img > 0)
import numpy as np


def crop_to_bbox(img, threshold=0.05):
    img = np.asarray(img, dtype=float)
    ink = img > 0
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    return img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


# wrong: >= at the boundary, a pixel exactly at threshold * max counts as ink
import numpy as np


def crop_to_bbox(img, threshold=0.05):
    img = np.asarray(img, dtype=float)
    ink = img >= threshold * img.max()
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    return img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


# wrong: forgets the + 1, the last row and column of ink are cut off
import numpy as np


def crop_to_bbox(img, threshold=0.05):
    img = np.asarray(img, dtype=float)
    ink = img > threshold * img.max()
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    return img[rows[0]:rows[-1], cols[0]:cols[-1]]


# wrong: ignores the threshold argument and always uses 0.05
import numpy as np


def crop_to_bbox(img, threshold=0.05):
    img = np.asarray(img, dtype=float)
    ink = img > 0.05 * img.max()
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    return img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
