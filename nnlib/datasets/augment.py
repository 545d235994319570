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


def _as_batch(images) -> tuple[np.ndarray, tuple]:
    """images (N, H, W), (N, 1, H, W) or flat (N, 784) -> float (N, H, W) and the shape to restore."""
    x = np.asarray(images)
    if x.dtype.kind not in "fiu":
        raise ValueError(f"augment: expected numeric images, got dtype {x.dtype}")
    shape = x.shape
    if x.ndim == 2:                                        # flat rows: square images
        side = int(round(np.sqrt(x.shape[1])))
        if side * side != x.shape[1]:
            raise ValueError(f"augment: flat images must have a square number of pixels, got "
                             f"shape {shape}")
        x = x.reshape(-1, side, side)
    elif x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    elif x.ndim != 3:
        raise ValueError(f"augment: expected images of shape (N, H, W), (N, 1, H, W) or (N, H*W), "
                         f"got shape {shape}")
    return x.astype(np.result_type(x, np.float32), copy=False), shape


def affine(images, *, angle=0.0, scale=1.0, shift=(0.0, 0.0)) -> np.ndarray:
    """Rotate by `angle` degrees, scale by `scale` and move by `shift` = (rows, cols) pixels.

    Each may be one value for the whole batch or one per image ((N,) and (N, 2)). The turn and
    the scaling are about the image centre. Every output pixel looks up where it came from,
    src = R(-angle) (dst - centre - shift) / scale + centre, and mixes the four nearest input
    pixels by distance (bilinear interpolation); outside the image counts as black. The four
    pixels are looked up by their position in the flattened batch (`take`), which is several
    times faster than indexing with three index arrays.
    """
    x, shape = _as_batch(images)
    N, H, W = x.shape
    ct = np.float32 if x.dtype == np.float32 else np.float64        # coordinates' precision
    a = np.deg2rad(np.broadcast_to(np.asarray(angle, float), (N,)))[:, None, None]
    s = np.broadcast_to(np.asarray(scale, float), (N,))[:, None, None]
    t = np.broadcast_to(np.asarray(shift, float), (N, 2))
    if np.any(s <= 0):
        raise ValueError("affine: scale must be > 0")
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


def _neighbours(images, reduce) -> np.ndarray:
    x, shape = _as_batch(images)
    p = np.pad(x, ((0, 0), (0, 1), (0, 1)))
    out = reduce(reduce(p[:, :-1, :-1], p[:, 1:, :-1]), reduce(p[:, :-1, 1:], p[:, 1:, 1:]))
    return out.astype(x.dtype).reshape(shape)


def thicker(images) -> np.ndarray:
    """Strokes one pixel wider: each pixel becomes the brightest of its 2 x 2 block (dilation)."""
    return _neighbours(images, np.maximum)


def thinner(images) -> np.ndarray:
    """Strokes one pixel narrower: each pixel becomes the darkest of its 2 x 2 block (erosion)."""
    return _neighbours(images, np.minimum)


class RandomAffine:
    """A `DataLoader` transform: every image moved, turned and scaled at random, anew each batch.

    Shifts are uniform in [-max_shift, max_shift] pixels (rows and columns), angles in
    [-max_rotation, max_rotation] degrees, scales in `scale` = (low, high). Seeded with `rng=`.
    """

    def __init__(self, max_shift: float = 2.0, max_rotation: float = 10.0, scale=(0.9, 1.1),
                 rng=None):
        if max_shift < 0 or max_rotation < 0 or not 0 < scale[0] <= scale[1]:
            raise ValueError(f"RandomAffine: need max_shift >= 0, max_rotation >= 0 and "
                             f"0 < scale[0] <= scale[1], got {max_shift}, {max_rotation}, {scale}")
        self.max_shift, self.max_rotation = float(max_shift), float(max_rotation)
        self.scale = (float(scale[0]), float(scale[1]))
        self.rng = make_rng(rng)

    def __call__(self, images) -> np.ndarray:
        n = len(images)
        r = self.rng
        return affine(images, angle=r.uniform(-self.max_rotation, self.max_rotation, n),
                      scale=r.uniform(*self.scale, n),
                      shift=r.uniform(-self.max_shift, self.max_shift, (n, 2)))

    def __repr__(self):
        return (f"RandomAffine(max_shift={self.max_shift}, max_rotation={self.max_rotation}, "
                f"scale={self.scale})")


class RandomStroke:
    """A `DataLoader` transform: each image's strokes one pixel thinner, unchanged or thicker.

    A stroke is changed with probability `p` (thinner or thicker, half each), drawn anew for
    every image of every batch; the default 2/3 gives a third each, as `hand_drawn`'s
    "stroke" does. A pen on the drawing pad is rarely MNIST's width.
    """

    def __init__(self, p: float = 2 / 3, rng=None):
        if not 0 <= p <= 1:
            raise ValueError(f"RandomStroke: p must be a probability in [0, 1], got {p}")
        self.p, self.rng = float(p), make_rng(rng)

    def __call__(self, images) -> np.ndarray:
        return random_stroke(images, self.rng, self.p)

    def __repr__(self):
        return f"RandomStroke(p={self.p:.2f})"


def random_stroke(images, rng, p: float = 2 / 3) -> np.ndarray:
    """Per image (chosen with `rng`): thinner with probability p/2, thicker with p/2, else unchanged."""
    x, shape = _as_batch(images)
    u = rng.random(len(x))[:, None, None]
    out = np.where(u < p / 2, thinner(x), np.where(u >= 1 - p / 2, thicker(x), x))
    return out.reshape(shape)


class Compose:
    """Several transforms one after the other: `Compose([RandomStroke(rng=r), RandomAffine(rng=r)])`."""

    def __init__(self, transforms):
        self.transforms = list(transforms)
        if not self.transforms or not all(callable(t) for t in self.transforms):
            raise ValueError(f"Compose: expected a non-empty list of callables, got {transforms!r}")

    def __call__(self, images):
        for t in self.transforms:
            images = t(images)
        return images

    def __repr__(self):
        return f"Compose([{', '.join(map(repr, self.transforms))}])"


def recentre(images) -> np.ndarray:
    """Move each image's centre of mass to the centre, by whole pixels, as the drawing pad does."""
    from .drawings import place_by_center_of_mass
    x, shape = _as_batch(images)
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
    unknown = set(kinds) - set(HAND_DRAWN)
    if unknown:
        raise ValueError(f"hand_drawn: kinds must be among {HAND_DRAWN}, got {sorted(unknown)}")
    x, shape = _as_batch(images)
    n = len(x)
    if "stroke" in kinds:
        x = random_stroke(x, rng)
    x = affine(x, angle=rng.uniform(-max_rotation, max_rotation, n) if "rotate" in kinds else 0.0,
               scale=rng.uniform(scale[0], scale[1], n) if "scale" in kinds else 1.0,
               shift=rng.uniform(-max_shift, max_shift, (n, 2)) if "shift" in kinds else 0.0)
    if recentred:
        x = recentre(x)
    return np.clip(x, 0.0, 1.0).astype(x.dtype).reshape(shape)
