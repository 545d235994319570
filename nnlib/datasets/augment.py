"""Image augmentation and the hand-drawing transforms of notebook 14, in plain NumPy.

`affine` moves, turns and scales a batch of images (bilinear interpolation, zeros outside);
`thicker` / `thinner` change the stroke width by one pixel. `RandomAffine` and `RandomStroke`
draw new random settings for every image of every batch and are meant as a
`DataLoader(transform=...)` (several at once with `Compose`): the network then never sees the
same digit twice in exactly the same place or with exactly the same pen. `hand_drawn` is the
robustness test: what happens to a digit between a person's pen and the pad of notebook 13.
Clarity first: each function is a few array operations on the whole batch at once.
"""

from __future__ import annotations

import numpy as np

from ..core import make_rng


def _as_batch(images, fn: str = "augment") -> tuple[np.ndarray, tuple]:
    """images (N, H, W), (N, 1, H, W) or flat (N, 784) -> float (N, H, W) and the shape to restore.

    `fn` names the caller in the error messages."""
    if isinstance(images, (str, bytes)) or images is None:
        raise TypeError(f"{fn}: images must be an array of images (N, H, W), (N, 1, H, W) or "
                        f"(N, H*W), got {images!r}")
    try:
        x = np.asarray(images)
    except ValueError as err:                              # ragged nested lists
        raise ValueError(f"{fn}: images must be an array of equal-sized images, got a "
                         f"{type(images).__name__} that NumPy cannot stack ({err})") from None
    if x.dtype.kind not in "fiu":
        raise TypeError(f"{fn}: expected numeric images, got dtype {x.dtype}")
    shape = x.shape
    if x.ndim == 2:                                        # flat rows: square images
        side = int(round(np.sqrt(x.shape[1])))
        if side * side != x.shape[1] or side < 1:
            raise ValueError(f"{fn}: flat images (N, H*W) must have a square number of pixels, "
                             f"got shape {shape}")
        x = x.reshape(-1, side, side)
    elif x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    elif x.ndim != 3:
        raise ValueError(f"{fn}: expected images of shape (N, H, W), (N, 1, H, W) or (N, H*W), "
                         f"got shape {shape}")
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise ValueError(f"{fn}: the images contain NaN or infinite values "
                         f"({int((~np.isfinite(x)).sum())} pixel(s))")
    return x.astype(np.result_type(x, np.float32), copy=False), shape


def _finite(fn: str, name: str, value, want: str = "finite numbers", ok=None) -> None:
    """Refuse a parameter that is not (an array of) finite numbers with ok(values) everywhere."""
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{fn}: {name} must be {want}, got {value!r}") from None
    if isinstance(value, (bool, np.bool_)) or not np.isfinite(v).all() \
            or (ok is not None and not np.all(ok(v))):
        raise ValueError(f"{fn}: {name} must be {want}, got {value!r}")


def _per_image(fn: str, name: str, value, shape: tuple):
    """Broadcast one value for the batch (or one per image) to `shape`, saying so if it cannot."""
    try:
        return np.broadcast_to(np.asarray(value, float), shape)
    except ValueError:
        raise ValueError(f"{fn}: {name} must be one value for the batch or one per image "
                         f"(shape {shape}), got shape {np.shape(value)}") from None


def affine(images, *, angle=0.0, scale=1.0, shift=(0.0, 0.0)) -> np.ndarray:
    """Rotate by `angle` degrees, scale by `scale` and move by `shift` = (rows, cols) pixels.

    Each may be one value for the whole batch or one per image ((N,) and (N, 2)). The turn and
    the scaling are about the image centre. Every output pixel looks up where it came from,
    src = R(-angle) (dst - centre - shift) / scale + centre, and mixes the four nearest input
    pixels by distance (bilinear interpolation); outside the image counts as black. The four
    pixels are looked up by their position in the flattened batch (`take`), which is several
    times faster than indexing with three index arrays.
    """
    x, shape = _as_batch(images, "affine")
    N, H, W = x.shape
    _finite("affine", "angle", angle, "finite numbers (degrees)")
    _finite("affine", "scale", scale, "finite numbers > 0", lambda v: v > 0)
    _finite("affine", "shift", shift, "finite (rows, cols) pixel shifts")
    ct = np.float32 if x.dtype == np.float32 else np.float64        # coordinates' precision
    a = np.deg2rad(_per_image("affine", "angle", angle, (N,)))[:, None, None]
    s = _per_image("affine", "scale", scale, (N,))[:, None, None]
    t = _per_image("affine", "shift", shift, (N, 2))
    cy, cx = (H - 1) / 2, (W - 1) / 2
    rows, cols = np.mgrid[0:H, 0:W].astype(ct)                          # (H, W) each
    dy = rows - (cy + t[:, 0, None, None]).astype(ct)                    # (N, H, W)
    dx = cols - (cx + t[:, 1, None, None]).astype(ct)
    cos, sin, inv = np.cos(a).astype(ct), np.sin(a).astype(ct), (1 / s).astype(ct)
    src_y = (cos * dy - sin * dx) * inv + ct(cy)
    src_x = (sin * dy + cos * dx) * inv + ct(cx)
    y0, x0 = np.floor(src_y), np.floor(src_x)
    wy, wx = src_y - y0, src_x - x0                                     # weights of the far side
    # a black frame two pixels wide: a source pixel anywhere outside lands on black
    padded = np.pad(x, ((0, 0), (2, 2), (2, 2)))                       # (N, H+4, W+4)
    P, Q = H + 4, W + 4
    y0 = np.clip(y0, -2, H).astype(np.intp) + 2                         # rows y0, y0+1 in padded
    x0 = np.clip(x0, -2, W).astype(np.intp) + 2
    i00 = (np.arange(N)[:, None, None] * P + y0) * Q + x0               # flat index of (y0, x0)
    flat = padded.reshape(-1)
    top = flat.take(i00) * (1 - wx) + flat.take(i00 + 1) * wx
    bottom = flat.take(i00 + Q) * (1 - wx) + flat.take(i00 + Q + 1) * wx
    out = top * (1 - wy) + bottom * wy
    return out.astype(x.dtype, copy=False).reshape(shape)


def _neighbours(images, reduce, fn: str) -> np.ndarray:
    x, shape = _as_batch(images, fn)
    p = np.pad(x, ((0, 0), (0, 1), (0, 1)))
    out = reduce(reduce(p[:, :-1, :-1], p[:, 1:, :-1]), reduce(p[:, :-1, 1:], p[:, 1:, 1:]))
    return out.astype(x.dtype).reshape(shape)


def thicker(images) -> np.ndarray:
    """Strokes one pixel wider: each pixel becomes the brightest of its 2 x 2 block (dilation)."""
    return _neighbours(images, np.maximum, "thicker")


def thinner(images) -> np.ndarray:
    """Strokes one pixel narrower: each pixel becomes the darkest of its 2 x 2 block (erosion)."""
    return _neighbours(images, np.minimum, "thinner")


class RandomAffine:
    """A `DataLoader` transform: every image moved, turned and scaled at random, anew each batch.

    Shifts are uniform in [-max_shift, max_shift] pixels (rows and columns), angles in
    [-max_rotation, max_rotation] degrees, scales in `scale` = (low, high). Seeded with `rng=`.
    """

    def __init__(self, max_shift: float = 2.0, max_rotation: float = 10.0, scale=(0.9, 1.1),
                 rng=None):
        _finite("RandomAffine", "max_shift", max_shift, "a finite number >= 0", lambda v: v >= 0)
        _finite("RandomAffine", "max_rotation", max_rotation, "a finite number >= 0",
                lambda v: v >= 0)
        _check_scale_range("RandomAffine", scale)
        self.max_shift, self.max_rotation = float(max_shift), float(max_rotation)
        self.scale = (float(scale[0]), float(scale[1]))
        self.rng = make_rng(rng)

    def __call__(self, images) -> np.ndarray:
        x, shape = _as_batch(images, "RandomAffine")
        n = len(x)
        r = self.rng
        return affine(x, angle=r.uniform(-self.max_rotation, self.max_rotation, n),
                      scale=r.uniform(*self.scale, n),
                      shift=r.uniform(-self.max_shift, self.max_shift, (n, 2))).reshape(shape)

    def __repr__(self):
        return (f"RandomAffine(max_shift={self.max_shift}, max_rotation={self.max_rotation}, "
                f"scale={self.scale})")


def _check_scale_range(fn: str, scale) -> None:
    want = "a pair (low, high) with 0 < low <= high"
    _finite(fn, "scale", scale, want)
    if np.shape(scale) != (2,) or not 0 < scale[0] <= scale[1]:
        raise ValueError(f"{fn}: scale must be {want}, got {scale!r}")


class RandomStroke:
    """A `DataLoader` transform: each image's strokes one pixel thinner, unchanged or thicker.

    A stroke is changed with probability `p` (thinner or thicker, half each), drawn anew for
    every image of every batch; the default 2/3 gives a third each, as `hand_drawn`'s
    "stroke" does. A pen on the drawing pad is rarely MNIST's width.
    """

    def __init__(self, p: float = 2 / 3, rng=None):
        _finite("RandomStroke", "p", p, "a probability in [0, 1]", lambda v: (v >= 0) & (v <= 1))
        if np.ndim(p) != 0:
            raise ValueError(f"RandomStroke: p must be a probability in [0, 1], got {p!r}")
        self.p, self.rng = float(p), make_rng(rng)

    def __call__(self, images) -> np.ndarray:
        x, shape = _as_batch(images, "RandomStroke")
        return random_stroke(x, self.rng, self.p).reshape(shape)

    def __repr__(self):
        return f"RandomStroke(p={self.p:.2f})"


def random_stroke(images, rng, p: float = 2 / 3) -> np.ndarray:
    """Per image (chosen with `rng`): thinner with probability p/2, thicker with p/2, else unchanged."""
    x, shape = _as_batch(images, "random_stroke")
    u = rng.random(len(x))[:, None, None]
    out = np.where(u < p / 2, thinner(x), np.where(u >= 1 - p / 2, thicker(x), x))
    return out.reshape(shape)


class Compose:
    """Several transforms one after the other: `Compose([RandomStroke(rng=r), RandomAffine(rng=r)])`."""

    def __init__(self, transforms):
        if callable(transforms) or isinstance(transforms, (str, bytes)) \
                or not hasattr(transforms, "__iter__"):
            raise TypeError(f"Compose: expected a list of transforms (callables), got "
                            f"{transforms!r}; wrap a single one as Compose([t])")
        self.transforms = list(transforms)
        if not self.transforms:
            raise ValueError("Compose: expected a non-empty list of transforms, got []")
        for i, t in enumerate(self.transforms):
            if not callable(t):
                raise ValueError(f"Compose: transforms[{i}] is {t!r}, which is not callable; "
                                "expected a transform such as RandomAffine()")

    def __call__(self, images):
        for t in self.transforms:
            images = t(images)
        return images

    def __repr__(self):
        return f"Compose([{', '.join(map(repr, self.transforms))}])"


def recentre(images) -> np.ndarray:
    """Move each image's centre of mass to the centre, by whole pixels, as the drawing pad does."""
    from .drawings import place_by_center_of_mass
    x, shape = _as_batch(images, "recentre")
    H, W = x.shape[1:]
    out = np.stack([place_by_center_of_mass(img, size=H, center=(H / 2, W / 2))
                    if img.sum() > 0 else img for img in x])
    return out.astype(x.dtype).reshape(shape)


HAND_DRAWN = ("shift", "rotate", "scale", "stroke")


def hand_drawn(images, *, rng=None, kinds=HAND_DRAWN, max_shift: float = 4.0,
               max_rotation: float = 15.0, scale=(0.8, 1.2), recentred: bool = True) -> np.ndarray:
    """MNIST digits changed the way a hand drawing differs from them, at random per image.

    `kinds` picks what changes: "shift" (up to `max_shift` pixels each way), "rotate" (up to
    `max_rotation` degrees), "scale" (a factor in `scale`), "stroke" (one pixel thicker, thinner
    or unchanged, one third each). With `recentred=True` every image is then re-centred by its
    centre of mass, as the drawing pad of notebook 13 does with what you draw.
    """
    rng = make_rng(rng)
    if isinstance(kinds, str):
        raise TypeError(f"hand_drawn: kinds must be a tuple of names among {HAND_DRAWN}, got "
                        f"{kinds!r}; write ({kinds!r},)")
    unknown = set(kinds) - set(HAND_DRAWN)
    if unknown:
        raise ValueError(f"hand_drawn: kinds must be among {HAND_DRAWN}, got {sorted(unknown)}")
    _finite("hand_drawn", "max_shift", max_shift, "a finite number >= 0", lambda v: v >= 0)
    _finite("hand_drawn", "max_rotation", max_rotation, "a finite number >= 0", lambda v: v >= 0)
    _check_scale_range("hand_drawn", scale)
    x, shape = _as_batch(images, "hand_drawn")
    n = len(x)
    if "stroke" in kinds:
        x = random_stroke(x, rng)
    x = affine(x, angle=rng.uniform(-max_rotation, max_rotation, n) if "rotate" in kinds else 0.0,
               scale=rng.uniform(scale[0], scale[1], n) if "scale" in kinds else 1.0,
               shift=rng.uniform(-max_shift, max_shift, (n, 2)) if "shift" in kinds else 0.0)
    if recentred:
        x = recentre(x)
    return np.clip(x, 0.0, 1.0).astype(x.dtype).reshape(shape)
