"""Hand-drawn digits for MNIST networks (notebook 13): preprocessing and the model that reads them.

A drawing only looks like an MNIST digit after the steps MNIST's authors applied: crop to the ink,
scale the longer side to 20 px with anti-aliasing, put the centre of mass at the centre of a 28x28
frame. Each step is one small NumPy function here, written for clarity rather than speed.
`check_drawing` says when a drawing is too small or too full to be read, `pixels_to_image`
validates what the drawing pad sends, and `get_model` finds the best classifier saved so far
(the CNN of notebook 14 if there is one, else the MLP of notebook 12). The pad itself (UI only)
is `nl.widgets.draw_a_digit`; no plotting or widget code is imported here.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..conv import Conv2d, Flatten
from ..core import make_rng
from ..io import load
from ..layers import Linear, mlp
from ..losses import SoftmaxCrossEntropy, softmax

__all__ = ["EmptyDrawing", "UnreadableDrawing", "crop_to_bbox", "ink_bbox", "resize",
           "fit_in_box", "center_of_mass", "place_by_center_of_mass", "preprocess_steps",
           "preprocess_digit", "check_drawing", "pixels_to_image", "digit_on_canvas",
           "find_best_model", "get_model", "describe_model", "classify", "model_input",
           "MODELS_DIR", "MLP_FILE", "CNN_FILE", "EMPTY_MESSAGE"]

MODELS_DIR = "models"                               # relative to the notebooks' folder
MLP_FILE = os.path.join(MODELS_DIR, "mnist_mlp.npz")  # saved by notebook 12
CNN_FILE = os.path.join(MODELS_DIR, "mnist_cnn.npz")  # saved by notebook 14
EMPTY_MESSAGE = "draw a digit (or press 'random test digit')"
INK = 0.05          # a pixel counts as ink above INK * (brightest pixel)
BOX, SIZE = 20, 28  # MNIST: the digit fits a 20x20 box, centred in a 28x28 image
MIN_SIZE = 0.15     # check_drawing: the ink must span at least 15 % of the pad's longer side ...
MAX_INK = 0.5       # ... and cover at most half of the pad


class UnreadableDrawing(ValueError):
    """A drawing that cannot sensibly be read as a digit (empty, a dot, a filled pad)."""


class EmptyDrawing(UnreadableDrawing):
    """Raised by the preprocessing when there is no ink at all: nothing to classify."""


# -- preprocessing: each MNIST step is one small function ---------------------------------
def _as_image(img, name: str) -> np.ndarray:
    img = np.asarray(img, dtype=np.float64)
    if img.ndim != 2 or min(img.shape) < 1:
        raise ValueError(f"{name}: expected a 2-D grayscale image (H, W), got shape {img.shape}")
    if not np.all(np.isfinite(img)):
        raise ValueError(f"{name}: the image contains NaN or infinite values")
    return img


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
    rows, cols = (int(s) for s in shape)
    if rows < 1 or cols < 1:
        raise ValueError(f"resize: the target shape must be positive, got {shape}")
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
    values = np.asarray(pixels, dtype=np.float64).reshape(-1)
    if values.size == 0:
        return None
    if values.size != grid * grid:
        raise ValueError(f"drawing pad: expected {grid * grid} pixel values ({grid}×{grid}), "
                         f"got {values.size}")
    bad = ~np.isfinite(values) | (values < 0) | (values > 255)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"drawing pad: pixel values must lie in 0..255, got {values[i]:g} at "
                         f"position {i} ({int(bad.sum())} value(s) out of range)")
    if values.max() <= 0:
        return None
    return values.reshape(grid, grid) / 255.0


def digit_on_canvas(digit, size: int = 280, height: int = 180, offset=(0, 0)) -> np.ndarray:
    """An MNIST digit (28, 28) enlarged to `height` px and pasted on a size x size canvas.

    `offset` = (rows, cols) moves it away from the middle: a stand-in for a drawing, used by
    the "random test digit" button, the notebook and the tests.
    """
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


# -- the model ----------------------------------------------------------------------------
def _layers(model) -> list:
    """The top-level layers in the order forward runs them (a single layer is its own list)."""
    return list(model.layers) if hasattr(model, "layers") else [model]


def _is_cnn(model) -> bool:
    """A model with a convolution anywhere inside it."""
    return any(isinstance(m, Conv2d) for m in model.modules())


def describe_model(model) -> str:
    """"CNN (...)" or "MLP 784-256-128-10": what kind of network the pad reads with."""
    dense = [m.W.data.shape for m in model.modules() if isinstance(m, Linear)]
    n_conv = sum(isinstance(m, Conv2d) for m in model.modules())
    if n_conv:
        return f"CNN ({n_conv} convolution layer{'s' * (n_conv != 1)}, {len(dense)} dense)"
    if dense:
        return "MLP " + "-".join(str(s) for s in [dense[0][0]] + [d[1] for d in dense])
    return type(model).__name__


def _saved_models(folder):
    """[(path, model, metadata)] for every nnlib model file in `folder` that loads."""
    found = []
    for path in sorted(Path(folder).glob("*.npz")) if Path(folder).is_dir() else []:
        try:
            model, meta = load(path, with_metadata=True)
        except Exception:  # noqa: BLE001 - not an nnlib model (or a layer this nnlib lacks): skip
            continue
        found.append((str(path), model, meta))
    return found


def find_best_model(folder=MODELS_DIR) -> str | None:
    """The path of the best classifier saved in `folder`, or None if there is none.

    A CNN (notebook 14 saves `models/mnist_cnn.npz`) beats an MLP (notebook 12 saves
    `models/mnist_mlp.npz`); among models of one kind the higher saved `test_acc` wins.
    """
    found = _saved_models(folder)
    if not found:
        return None
    def rank(entry):
        acc = entry[2].get("test_acc")
        return _is_cnn(entry[1]), acc if isinstance(acc, (int, float)) else 0.0

    return max(found, key=rank)[0]


def _loaded(path) -> tuple:
    model, meta = load(path, with_metadata=True)
    acc = meta.get("test_acc")
    note = f", test accuracy {acc:.1%}" if isinstance(acc, (int, float)) else ""
    return model.eval(), f"{describe_model(model)} loaded from {path}{note}"


_TRAINED: dict = {}


def _train_small(seed: int = 0, epochs: int = 3):
    """Last resort: a 784-128-10 MLP trained for a few epochs on the shipped small subset."""
    from ..data import DataLoader
    from ..optim import Adam
    from ..train import fit
    from .mnist import load_mnist

    X, y, _, _ = load_mnist(subset="small")
    model = mlp([784, 128, 10], rng=seed)
    fit(model, SoftmaxCrossEntropy(), Adam(model.parameters(), lr=2e-3),
        DataLoader(X, y, batch_size=64, rng=make_rng(seed)), epochs=epochs, progress=False)
    return model


def get_model(path="best", *, folder=MODELS_DIR, fast: bool | None = None, seed: int = 0):
    """The MNIST classifier for the pad, and a sentence saying which it is: `(model, source)`.

    `path="best"`: the best model saved in `folder` (`find_best_model`: the CNN of notebook 14,
    else the MLP of notebook 12); a file name: that file; None: no file. When there is no file,
    `nnlib.mnist.train_mnist(fast=...)` trains one, else a small MLP is trained on the shipped
    subset. Trained models are kept in memory, so a second call does not train again.
    `fast=None` reads NNLIB_FAST from the environment, like the notebooks do.
    """
    if isinstance(path, str) and path == "best":
        path = find_best_model(folder)
    if path is not None and os.path.exists(path):
        return _loaded(path)
    if fast is None:
        fast = os.environ.get("NNLIB_FAST") == "1"
    key = (bool(fast), seed)
    if key not in _TRAINED:
        why, model = "", None
        try:
            from ..mnist import train_mnist
        except ImportError:
            train_mnist = None
        if train_mnist is not None:
            try:
                model, _, acc = train_mnist(fast=fast, progress=False, seed=seed)
                source = (f"{describe_model(model)} trained now with nnlib.mnist.train_mnist "
                          f"(test accuracy {acc:.1%})")
            except Exception as exc:  # noqa: BLE001 - e.g. full MNIST not downloadable: fall back
                why = f" (train_mnist failed: {type(exc).__name__}: {str(exc)[:120]})"
        if model is None:
            from .mnist import load_mnist

            model = _train_small(seed)
            _, _, Xt, yt = load_mnist(subset="small")
            acc = float(np.mean(_forward(model, Xt)[0].argmax(axis=1) == yt))
            source = (f"{describe_model(model)} trained now on the small MNIST subset "
                      f"(test accuracy {acc:.1%}){why}")
        _TRAINED[key] = (model.eval(), source)
    return _TRAINED[key]


def model_input(model, x) -> np.ndarray:
    """Preprocessed digits (N, 784) or (784,) in the shape `model` takes: (N, 784) or (N, 1, 28, 28)."""
    x = np.asarray(x, dtype=np.float64)
    return x.reshape(-1, 1, 28, 28) if _is_cnn(model) else x.reshape(-1, 784)


def _forward(model, x):
    """Probabilities (N, 10) and the hidden activations [(N, H1), (N, H2), ...] of the dense part.

    A hidden layer's activation is the output of the non-linearity that follows a Linear layer
    (the last Linear gives the scores, turned into probabilities by softmax). Feature maps of
    convolutions (4-D) and the flattened maps are not counted as hidden layers.
    """
    layers = _layers(model)
    was_training = model.training
    model.eval()
    hidden, a = [], model_input(model, x)
    try:
        for i, layer in enumerate(layers):
            a = layer.forward(a)
            nxt = layers[i + 1] if i + 1 < len(layers) else None
            if not isinstance(layer, (Linear, Flatten)) and a.ndim == 2 \
                    and (nxt is None or isinstance(nxt, Linear)) \
                    and any(isinstance(m, Linear) for m in layers[i + 1:]):
                hidden.append(np.array(a))
    finally:
        model.train(was_training)
    return softmax(a), hidden


def classify(model, x) -> tuple[np.ndarray, list]:
    """One preprocessed digit (784,) -> (probabilities (10,), [hidden activations (H,) ...])."""
    probs, hidden = _forward(model, np.asarray(x).reshape(1, 784))
    return probs[0], [h[0] for h in hidden]
