"""Hand-drawn digits made to look like MNIST's (notebook 13): each preprocessing step one function.

A drawing only looks like an MNIST digit after the steps MNIST's authors applied: crop to the ink,
scale the longer side to 20 px with anti-aliasing, put the centre of mass at the centre of a 28x28
frame. Each step is one small NumPy function here, written for clarity rather than speed.
`check_drawing` says when a drawing is too small or too full to be read, `pixels_to_image`
validates what the drawing pad sends. `draw_strokes` and `shape_on_canvas` draw with the pad's
22 px pen (digits and the non-digit shapes of `SHAPES`), `on_pad_grid` turns a 280 px drawing
into the 56 x 56 cells the pad sends. Which trained model reads the drawing is the
applications layer's business (`nnlib.apps.pad_model`); the pad itself (UI only) is
`nl.widgets.draw_a_digit`. No model, plotting or widget code is imported here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EmptyDrawing", "UnreadableDrawing", "crop_to_bbox", "ink_bbox", "resize",
           "fit_in_box", "center_of_mass", "place_by_center_of_mass", "preprocess_steps",
           "preprocess_digit", "check_drawing", "pixels_to_image", "digit_on_canvas",
           "draw_strokes", "on_pad_grid", "shape_on_canvas", "SHAPES", "PAD_SIZE", "PAD_GRID",
           "PAD_BRUSH", "EMPTY_MESSAGE"]

EMPTY_MESSAGE = "draw a digit (or press 'random test digit')"
INK = 0.05          # a pixel counts as ink above INK * (brightest pixel)
BOX, SIZE = 20, 28  # MNIST: the digit fits a 20x20 box, centred in a 28x28 image
MIN_SIZE = 0.15     # check_drawing: the ink must span at least 15 % of the pad's longer side ...
MAX_INK = 0.5       # ... and cover at most half of the pad
PAD_SIZE, PAD_GRID, PAD_BRUSH = 280, 56, 22   # the pad: 280 px wide, sent as 56x56 cells, 22 px pen


class UnreadableDrawing(ValueError):
    """A drawing that cannot sensibly be read as a digit (empty, a dot, a filled pad)."""


class EmptyDrawing(UnreadableDrawing):
    """Raised by the preprocessing when there is no ink at all: nothing to classify."""


# -- preprocessing: each MNIST step is one small function ---------------------------------
def _as_image(img, name: str) -> np.ndarray:
    raw = img
    if isinstance(raw, (str, bytes)) or raw is None:
        raise TypeError(f"{name}: expected a 2-D grayscale image (H, W) of numbers, got {raw!r}")
    try:
        arr = np.asarray(raw)
        if arr.dtype.kind not in "biuf":
            raise TypeError
        img = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a 2-D grayscale image (H, W) of numbers, got a "
                        f"{type(raw).__name__} of {_kind(raw)}") from None
    if img.ndim != 2 or min(img.shape) < 1:
        raise ValueError(f"{name}: expected a 2-D grayscale image (H, W), got shape {img.shape}")
    if not np.all(np.isfinite(img)):
        raise ValueError(f"{name}: the image contains NaN or infinite values")
    return img


def _kind(raw) -> str:
    """What a bad image or pixel list holds, for a message: "dtype <U1", "ragged rows"."""
    try:
        return f"dtype {np.asarray(raw).dtype}"
    except ValueError:
        return "rows of different lengths"


def _whole(name: str, what: str, value, low: int = 1) -> int:
    """`value` as an int if it is a whole number >= low, else a ValueError naming it."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or value < low:
        raise ValueError(f"{name}: {what} must be a whole number >= {low}, got {value!r}")
    return int(value)


def _check_unit_range(img, name: str) -> None:
    if img.max() > 1.0 + 1e-9 or img.min() < 0.0:
        hint = " (divide 0..255 images by 255)" if 1.0 < img.max() <= 255.0 and img.min() >= 0 \
            else ""
        raise ValueError(f"{name}: expected pixel values in [0, 1], got values in "
                         f"[{img.min():g}, {img.max():g}]{hint}")


def ink_bbox(img, threshold: float = INK):
    """(r0, r1, c0, c1), the first and last row and column with ink, or None if there is none.

    A pixel is ink when it is brighter than `threshold` x the brightest pixel, so a faint
    smudge far away does not stretch the box.
    """
    img = _as_image(img, "ink_bbox")
    peak = img.max()
    if peak <= 0:
        return None
    ink = img > threshold * peak
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


def crop_to_bbox(img, threshold: float = INK) -> np.ndarray:
    """The smallest rectangle holding all the ink (pixels above `threshold` x the maximum).

    Where the learner drew on the pad must not matter, so the first step throws the empty
    border away. Raises `EmptyDrawing` if nothing is drawn.
    """
    img = _as_image(img, "crop_to_bbox")
    box = ink_bbox(img, threshold)
    if box is None:
        raise EmptyDrawing(f"crop_to_bbox: the image is empty — {EMPTY_MESSAGE}")
    r0, r1, c0, c1 = box
    return img[r0:r1 + 1, c0:c1 + 1]


def _resample_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights along one axis: area averaging to shrink, linear to enlarge.

    Shrinking averages every input pixel an output pixel covers (weighted by the overlap), so
    thin strokes become grey instead of vanishing — the anti-aliasing MNIST's digits have.
    """
    if n_out <= n_in:
        edges = np.linspace(0.0, n_in, n_out + 1)                  # output pixel i covers [e_i, e_i+1)
        lo, hi = edges[:-1, None], edges[1:, None]                 # (n_out, 1)
        j = np.arange(n_in)[None, :]                               # (1, n_in)
        overlap = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0.0, None)
        return overlap / overlap.sum(axis=1, keepdims=True)
    centres = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5        # output centres in input coords
    centres = np.clip(centres, 0.0, n_in - 1)
    left = np.floor(centres).astype(int)
    right = np.minimum(left + 1, n_in - 1)
    frac = centres - left
    M = np.zeros((n_out, n_in))
    M[np.arange(n_out), left] += 1.0 - frac
    M[np.arange(n_out), right] += frac
    return M


def resize(img, shape) -> np.ndarray:
    """Resize a grayscale image to `shape` = (rows, cols) with NumPy only: R @ img @ C^T."""
    img = _as_image(img, "resize")
    if isinstance(shape, (str, bytes)) or np.shape(shape) != (2,) or not all(
            isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_)) and s >= 1
            for s in shape):
        raise ValueError(f"resize: the target shape must be two positive whole numbers "
                         f"(rows, cols), got {shape!r}")
    rows, cols = (int(s) for s in shape)
    return _resample_matrix(img.shape[0], rows) @ img @ _resample_matrix(img.shape[1], cols).T


def fit_in_box(img, box: int = BOX) -> np.ndarray:
    """Scale so the longer side is `box` pixels, keeping the aspect ratio (a "1" stays thin)."""
    img = _as_image(img, "fit_in_box")
    h, w = img.shape
    scale = box / max(h, w)
    return resize(img, (max(1, round(h * scale)), max(1, round(w * scale))))


def center_of_mass(img) -> tuple[float, float]:
    """(row, col) of the ink's centre of mass: sum(r * I) / sum(I) and sum(c * I) / sum(I)."""
    img = _as_image(img, "center_of_mass")
    total = img.sum()
    if total <= 0:
        raise EmptyDrawing(f"center_of_mass: the image is empty — {EMPTY_MESSAGE}")
    rows, cols = np.arange(img.shape[0]), np.arange(img.shape[1])
    return float(img.sum(axis=1) @ rows / total), float(img.sum(axis=0) @ cols / total)


def place_by_center_of_mass(img, size: int = SIZE, center=(14.0, 14.0)) -> np.ndarray:
    """Paste `img` into a size x size black frame so that its centre of mass lands on `center`.

    MNIST centres the centre of mass, not the bounding box: a "7" has more ink at the top, and
    the network learnt digits positioned that way. Shifts are whole pixels (no extra blur).
    """
    img = _as_image(img, "place_by_center_of_mass")
    r, c = center_of_mass(img)
    top, left = round(center[0] - r), round(center[1] - c)
    out = np.zeros((size, size))
    r0, c0 = max(top, 0), max(left, 0)
    r1, c1 = min(top + img.shape[0], size), min(left + img.shape[1], size)
    if r1 > r0 and c1 > c0:
        out[r0:r1, c0:c1] = img[r0 - top:r1 - top, c0 - left:c1 - left]
    return out


def preprocess_steps(img) -> dict:
    """Every intermediate image of `preprocess_digit` (for the notebook's step-by-step figure)."""
    img = _as_image(img, "preprocess_digit")
    _check_unit_range(img, "preprocess_digit")
    cropped = crop_to_bbox(img)
    scaled = np.clip(fit_in_box(cropped), 0.0, 1.0)
    scaled = scaled / scaled.max() if scaled.max() > 0 else scaled   # a faint dot still shows
    placed = place_by_center_of_mass(scaled)
    return {"raw": img, "cropped": cropped, "scaled": scaled, "placed": placed}


def preprocess_digit(img) -> np.ndarray:
    """A drawing (H, W) in [0, 1] (white ink on black) -> the (784,) float32 input MNIST nets expect.

    Crop to the ink, scale the longer side to 20 px (anti-aliased), put the centre of mass at
    (14, 14) of a 28x28 frame, flatten. Raises `EmptyDrawing` (a ValueError) on an empty canvas.
    `.reshape(28, 28)` gives the image back. It does not judge the drawing: see `check_drawing`.
    """
    return preprocess_steps(img)["placed"].astype(np.float32).reshape(784)


def check_drawing(img, *, min_size: float = MIN_SIZE, max_ink: float = MAX_INK) -> None:
    """Raise `UnreadableDrawing` with a message when a drawing cannot be read as a digit.

    Preprocessing scales *any* ink up to 20 px, so a single dot becomes a big blob and a fully
    inked pad a black square, and the network still answers with some digit. So: empty ->
    `EmptyDrawing`; ink spanning less than `min_size` of the pad's longer side -> "too small";
    ink on more than `max_ink` of the pad's pixels -> "too full". Returns None when readable.
    """
    img = _as_image(img, "check_drawing")
    for what, v in (("min_size", min_size), ("max_ink", max_ink)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not 0 < v <= 1:
            raise ValueError(f"check_drawing: {what} must be a fraction in (0, 1], got {v!r}")
    _check_unit_range(img, "check_drawing")
    box = ink_bbox(img)
    if box is None:
        raise EmptyDrawing(f"the pad is empty — {EMPTY_MESSAGE}")
    r0, r1, c0, c1 = box
    h, w = r1 - r0 + 1, c1 - c0 + 1
    side = max(img.shape)
    if max(h, w) < min_size * side:
        raise UnreadableDrawing(
            f"too small to read: the ink spans only {h}×{w} of the {img.shape[0]}×{img.shape[1]}"
            f" pad (less than {min_size:.0%} of its side) — draw the digit larger")
    covered = float(np.mean(img > INK * img.max()))
    if covered > max_ink:
        raise UnreadableDrawing(
            f"too full to read: ink covers {covered:.0%} of the pad (more than {max_ink:.0%})"
            " — clear it and draw one digit")


def pixels_to_image(pixels, grid: int) -> np.ndarray | None:
    """What the drawing pad sends (a flat list of grid*grid values 0..255) -> (grid, grid) in [0, 1].

    None when nothing is drawn (no values, or all zero). Anything else that is not grid*grid
    finite values in 0..255 raises a ValueError saying what arrived.
    """
    where = "pixels_to_image (drawing pad)"
    grid = _whole(where, "grid", grid)
    if isinstance(pixels, (str, bytes)) or pixels is None:
        raise ValueError(f"{where}: expected a list of {grid * grid} numbers 0..255, got {pixels!r}")
    try:
        values = np.asarray(pixels)
    except ValueError:
        values = np.asarray([], dtype=object)                  # ragged: refused just below
    if values.dtype.kind not in "biuf":
        raise ValueError(f"{where}: expected a list of {grid * grid} numbers 0..255, got a "
                         f"{type(pixels).__name__} of {_kind(pixels)}")
    values = values.astype(np.float64).reshape(-1)
    if values.size == 0:
        return None
    if values.size != grid * grid:
        raise ValueError(f"{where}: expected {grid * grid} pixel values ({grid}×{grid}), "
                         f"got {values.size}")
    bad = ~np.isfinite(values) | (values < 0) | (values > 255)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{where}: pixel values must lie in 0..255, got {values[i]:g} at "
                         f"position {i} ({int(bad.sum())} value(s) out of range)")
    if values.max() <= 0:
        return None
    return values.reshape(grid, grid) / 255.0


def digit_on_canvas(digit, size: int = 280, height: int = 180, offset=(0, 0)) -> np.ndarray:
    """An MNIST digit (28, 28) enlarged to `height` px and pasted on a size x size canvas.

    `offset` = (rows, cols) moves it away from the middle: a stand-in for a drawing, used by
    the "random test digit" button, the notebook and the tests.
    """
    size = _whole("digit_on_canvas", "size", size)
    height = _whole("digit_on_canvas", "height", height)
    try:
        off = np.asarray(offset, dtype=float)
    except (TypeError, ValueError):
        off = np.array([np.nan])
    if off.shape != (2,) or not np.isfinite(off).all():
        raise ValueError(f"digit_on_canvas: offset must be two finite numbers (rows, cols), "
                         f"got {offset!r}")
    digit = crop_to_bbox(_as_image(digit, "digit_on_canvas"))
    h, w = digit.shape
    scale = min(height / h, size / w)                        # never wider than the canvas
    big = np.clip(resize(digit, (max(1, min(size, round(h * scale))),
                                 max(1, min(size, round(w * scale))))), 0.0, 1.0)
    canvas = np.zeros((size, size))
    top = int(np.clip((size - big.shape[0]) // 2 + int(offset[0]), 0, size - big.shape[0]))
    left = int(np.clip((size - big.shape[1]) // 2 + int(offset[1]), 0, size - big.shape[1]))
    canvas[top:top + big.shape[0], left:left + big.shape[1]] = big
    return canvas


# -- drawings made in code: strokes of the pad's pen, shapes that are not digits -------------
def draw_strokes(strokes, size: int = PAD_SIZE, width: float = PAD_BRUSH) -> np.ndarray:
    """Polylines drawn with a round pen `width` px wide on a black size x size canvas (ink 1).

    `strokes` is a list of strokes, each a list of (row, col) points in pixels. Every pixel
    within width/2 of a segment becomes ink, with a one-pixel soft edge, as the pad draws.
    """
    size = _whole("draw_strokes", "size", size)
    if isinstance(width, (bool, np.bool_)) or not isinstance(
            width, (int, float, np.integer, np.floating)) or not 0 < width < np.inf:
        raise ValueError(f"draw_strokes: width must be a positive number of pixels, got {width!r}")
    canvas = np.zeros((size, size))
    rr, cc = np.mgrid[:size, :size].astype(np.float64)
    for k, stroke in enumerate(strokes):
        try:
            pts = np.asarray(stroke, dtype=np.float64)
        except (TypeError, ValueError):
            pts = np.array([np.nan])
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0 or not np.isfinite(pts).all():
            raise ValueError(f"draw_strokes: stroke {k} must be a list of finite (row, col) "
                             f"points, got {stroke!r}")
        for p0, p1 in zip(pts, pts[1:] if len(pts) > 1 else pts):
            d = p1 - p0
            dd = float(d @ d)
            t = 0.0 if dd == 0 else np.clip(((rr - p0[0]) * d[0] + (cc - p0[1]) * d[1]) / dd, 0, 1)
            dist = np.hypot(rr - p0[0] - t * d[0], cc - p0[1] - t * d[1])
            np.maximum(canvas, np.clip(width / 2 - dist + 0.5, 0.0, 1.0), out=canvas)
    return canvas


def on_pad_grid(canvas, grid: int = PAD_GRID) -> np.ndarray:
    """What the pad sends for a drawing: the ink averaged over blocks down to grid x grid, in
    steps of 1/255 (the pad's 0..255 values). The 280 px pad sends 56 x 56 cells of 5 x 5 px."""
    img = _as_image(canvas, "on_pad_grid")
    grid = _whole("on_pad_grid", "grid", grid)
    return np.round(resize(img, (grid, grid)) * 255) / 255


def _arc(centre, radius, start, stop, n=24):
    """Points of a circular arc (angles in degrees, 0 = right, 90 = up) in unit coordinates."""
    a = np.radians(np.linspace(start, stop, n))
    return [(centre[0] - radius * np.sin(t), centre[1] + radius * np.cos(t)) for t in a]


# Shapes in a unit box, (row, col) with row 0 at the top: each a list of strokes.
SHAPES = {
    # digits, drawn with the pad's pen (notebook 13's questions on size)
    "1": [[(0.15, 0.3), (0.0, 0.5), (1.0, 0.5)]],
    "5": [[(0.0, 0.75), (0.0, 0.2), (0.42, 0.15)],
          [(0.42, 0.15)] + _arc((0.68, 0.42), 0.3, 150, -130, 20)],
    "7": [[(0.0, 0.1), (0.0, 0.8), (1.0, 0.35)]],
    # things that are not digits
    "A": [[(1.0, 0.05), (0.0, 0.45), (1.0, 0.85)], [(0.6, 0.25), (0.6, 0.65)]],
    "E": [[(0.0, 0.75), (0.0, 0.1), (1.0, 0.1), (1.0, 0.75)], [(0.5, 0.1), (0.5, 0.6)]],
    "H": [[(0.0, 0.1), (1.0, 0.1)], [(0.0, 0.8), (1.0, 0.8)], [(0.5, 0.1), (0.5, 0.8)]],
    "K": [[(0.0, 0.1), (1.0, 0.1)], [(0.0, 0.75), (0.55, 0.1), (1.0, 0.75)]],
    "M": [[(1.0, 0.0), (0.0, 0.1), (0.6, 0.5), (0.0, 0.9), (1.0, 1.0)]],
    "W": [[(0.0, 0.0), (1.0, 0.25), (0.4, 0.5), (1.0, 0.75), (0.0, 1.0)]],
    "X": [[(0.0, 0.0), (1.0, 0.9)], [(0.0, 0.9), (1.0, 0.0)]],
    "dash": [[(0.5, 0.0), (0.5, 1.0)]],
    "plus": [[(0.5, 0.0), (0.5, 1.0)], [(0.0, 0.5), (1.0, 0.5)]],
    "equals": [[(0.3, 0.0), (0.3, 1.0)], [(0.7, 0.0), (0.7, 1.0)]],
    "hash": [[(0.3, 0.0), (0.3, 1.0)], [(0.7, 0.0), (0.7, 1.0)],
             [(0.0, 0.3), (1.0, 0.3)], [(0.0, 0.7), (1.0, 0.7)]],
    "square": [[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)]],
    "triangle": [[(1.0, 0.0), (0.0, 0.5), (1.0, 1.0), (1.0, 0.0)]],
    "star": [[(1.0, 0.2), (0.0, 0.5), (1.0, 0.8), (0.35, 0.0), (0.35, 1.0), (1.0, 0.2)]],
    "tick": [[(0.55, 0.0), (1.0, 0.35), (0.0, 1.0)]],
    "smiley": [_arc((0.5, 0.5), 0.5, 0, 360, 36), [(0.33, 0.33), (0.33, 0.34)],
               [(0.33, 0.66), (0.33, 0.67)], _arc((0.5, 0.5), 0.28, 200, 340, 12)],
}


def shape_on_canvas(name: str, height: int = 180, centre=(140, 140), *, size: int = PAD_SIZE,
                    width: float = PAD_BRUSH) -> np.ndarray:
    """`SHAPES[name]` drawn with the pad's pen around `centre`, its unit box `height` px wide
    and tall (a size x size canvas; the ink reaches width/2 beyond the strokes).

    The pen stays `width` px wide whatever the height, as on the pad: a small drawing has
    thick strokes for its size.
    """
    if name not in SHAPES:
        raise ValueError(f"shape_on_canvas: unknown shape {name!r}; choose one of {sorted(SHAPES)}")
    height = _whole("shape_on_canvas", "height", height)
    pts = np.concatenate([np.asarray(s, dtype=np.float64) for s in SHAPES[name]])
    mid = (pts.min(axis=0) + pts.max(axis=0)) / 2
    strokes = [(np.asarray(s, dtype=np.float64) - mid) * height + np.asarray(centre, dtype=float)
               for s in SHAPES[name]]
    return draw_strokes(strokes, size=size, width=width)
