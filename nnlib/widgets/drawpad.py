"""Draw a digit and watch the MNIST classifier read it (notebook 13).

Three parts:
- MNIST-style preprocessing as small pure functions (`crop_to_bbox`, `resize`, `fit_in_box`,
  `center_of_mass`, `place_by_center_of_mass`, `preprocess_digit`): a drawing only looks like
  an MNIST digit after the same steps MNIST's authors applied (crop, scale the longer side to
  20 px with anti-aliasing, centre the centre of mass in a 28x28 frame).
- `get_model`: the classifier saved by notebook 12, else one trained on the spot.
- `DrawPad` (an anywidget `<canvas>`, JS in drawpad.js) and the `draw_a_digit()` Demo: draw,
  and see the preprocessed image, the hidden-layer activations and the class probabilities.
  Static twin: `nl.viz.plot_digit_prediction`.
"""

from __future__ import annotations

import os
import pathlib

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets

from ..core import make_rng
from ..datasets import load_mnist
from ..io import load
from ..layers import Linear, mlp
from ..losses import SoftmaxCrossEntropy, softmax
from ..optim import Adam
from ..train import fit
from ..viz.drawpad import plot_digit_prediction
from .base import Demo

__all__ = ["draw_a_digit"]

DEFAULT_MODEL_PATH = os.path.join("models", "mnist_mlp.npz")
EMPTY_MESSAGE = "draw a digit (or press 'random test digit')"
INK = 0.05          # a pixel counts as ink above INK * (brightest pixel)
BOX, SIZE = 20, 28  # MNIST: the digit fits a 20x20 box, centred in a 28x28 image


class EmptyDrawing(ValueError):
    """Raised by the preprocessing when there is no ink at all: nothing to classify."""


# -- preprocessing: each MNIST step is one small function ---------------------------------
def _as_image(img, name: str) -> np.ndarray:
    img = np.asarray(img, dtype=np.float64)
    if img.ndim != 2 or min(img.shape) < 1:
        raise ValueError(f"{name}: expected a 2-D grayscale image (H, W), got shape {img.shape}")
    if not np.all(np.isfinite(img)):
        raise ValueError(f"{name}: the image contains NaN or infinite values")
    return img


def crop_to_bbox(img, threshold: float = INK) -> np.ndarray:
    """The smallest rectangle holding all the ink (pixels above `threshold` x the maximum).

    Where the learner drew on the pad must not matter, so the first step throws the empty
    border away. Raises `EmptyDrawing` if nothing is drawn.
    """
    img = _as_image(img, "crop_to_bbox")
    peak = img.max()
    if peak <= 0:
        raise EmptyDrawing(f"crop_to_bbox: the image is empty — {EMPTY_MESSAGE}")
    rows = np.flatnonzero((img > threshold * peak).any(axis=1))
    cols = np.flatnonzero((img > threshold * peak).any(axis=0))
    return img[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


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
    if img.max() > 1.0 + 1e-9 or img.min() < 0.0:
        raise ValueError(f"preprocess_digit: expected values in [0, 1], got "
                         f"[{img.min():g}, {img.max():g}] (divide 0..255 images by 255)")
    cropped = crop_to_bbox(img)
    scaled = np.clip(fit_in_box(cropped), 0.0, 1.0)
    scaled = scaled / scaled.max() if scaled.max() > 0 else scaled   # a faint dot still shows
    placed = place_by_center_of_mass(scaled)
    return {"raw": img, "cropped": cropped, "scaled": scaled, "placed": placed}


def preprocess_digit(img) -> np.ndarray:
    """A drawing (H, W) in [0, 1] (white ink on black) -> the (784,) float32 input MNIST nets expect.

    Crop to the ink, scale the longer side to 20 px (anti-aliased), put the centre of mass at
    (14, 14) of a 28x28 frame, flatten. Raises `EmptyDrawing` (a ValueError) on an empty canvas.
    `.reshape(28, 28)` gives the image back.
    """
    return preprocess_steps(img)["placed"].astype(np.float32).reshape(784)


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
_TRAINED: dict = {}


def _train_small(seed: int = 0, epochs: int = 3):
    """Last resort: a 784-128-10 MLP trained for a few epochs on the shipped small subset."""
    X, y, _, _ = load_mnist(subset="small")
    model = mlp([784, 128, 10], rng=seed)
    loader_rng = make_rng(seed)
    from ..data import DataLoader

    fit(model, SoftmaxCrossEntropy(), Adam(model.parameters(), lr=2e-3),
        DataLoader(X, y, batch_size=64, rng=loader_rng), epochs=epochs, progress=False)
    return model


def get_model(path=DEFAULT_MODEL_PATH, *, fast: bool | None = None, seed: int = 0):
    """The MNIST classifier for the pad, and where it came from: `(model, source)`.

    In order: the file notebook 12 saved (`nl.save(model, "models/mnist_mlp.npz", ...)`), else
    `nnlib.mnist.train_mnist(fast=...)`, else a small MLP trained here on the shipped subset.
    Trained models are kept in memory, so a second call (or widget) does not train again.
    `fast=None` reads NNLIB_FAST from the environment, like the notebooks do.
    """
    if path is not None and os.path.exists(path):
        model, meta = load(path, with_metadata=True)
        acc = meta.get("test_acc")
        note = f", test accuracy {acc:.1%}" if isinstance(acc, (int, float)) else ""
        return model.eval(), f"loaded from {path}{note}"
    if fast is None:
        fast = os.environ.get("NNLIB_FAST") == "1"
    key = (bool(fast), seed)
    if key not in _TRAINED:
        try:
            from ..mnist import train_mnist
        except ImportError:
            train_mnist, why = None, ""
        model = None
        if train_mnist is not None:
            try:
                model, _, acc = train_mnist(fast=fast, progress=False, seed=seed)
                source = f"trained now with nnlib.mnist.train_mnist (test accuracy {acc:.1%})"
            except Exception as exc:  # noqa: BLE001 - e.g. full MNIST not downloadable: fall back
                why = f" (train_mnist failed: {type(exc).__name__}: {str(exc)[:120]})"
        if model is None:
            model = _train_small(seed)
            _, _, Xt, yt = load_mnist(subset="small")
            acc = float(np.mean(_forward(model, Xt)[0].argmax(axis=1) == yt))
            source = f"trained now on the small MNIST subset (test accuracy {acc:.1%}){why}"
        _TRAINED[key] = (model.eval(), source)
    return _TRAINED[key]


def _forward(model, x):
    """Probabilities (N, 10) and the hidden activations [(N, H1), (N, H2), ...] of an MLP.

    A hidden layer's activation is the output of the non-linearity that follows a Linear layer
    (the last Linear gives the scores, turned into probabilities by softmax).
    """
    layers = list(model.layers) if hasattr(model, "layers") else [model]
    was_training = model.training
    model.eval()
    hidden, a = [], np.asarray(x, dtype=np.float64).reshape(-1, 784)
    try:
        for i, layer in enumerate(layers):
            a = layer.forward(a)
            nxt = layers[i + 1] if i + 1 < len(layers) else None
            if not isinstance(layer, Linear) and (nxt is None or isinstance(nxt, Linear)) \
                    and any(isinstance(m, Linear) for m in layers[i + 1:]):
                hidden.append(np.array(a))
    finally:
        model.train(was_training)
    return softmax(a), hidden


def classify(model, x) -> tuple[np.ndarray, list]:
    """One preprocessed digit (784,) -> (probabilities (10,), [hidden activations (H,) ...])."""
    probs, hidden = _forward(model, np.asarray(x).reshape(1, 784))
    return probs[0], [h[0] for h in hidden]


# -- the widget -----------------------------------------------------------------------------
class DrawPad(anywidget.AnyWidget):
    """A `size` x `size` canvas; `pixels` holds the ink averaged down to `grid` x `grid` (0..255).

    The browser sends the pixels when a stroke ends (pointerup), about 3,000 small numbers.
    Incrementing `clear` wipes the canvas (the kernel then sets `pixels` to []).
    """

    _esm = pathlib.Path(__file__).with_name("drawpad.js")
    size = traitlets.Int(280).tag(sync=True)
    grid = traitlets.Int(56).tag(sync=True)
    brush = traitlets.Int(22).tag(sync=True)
    pixels = traitlets.List(traitlets.Int()).tag(sync=True)
    clear = traitlets.Int(0).tag(sync=True)

    def image(self) -> np.ndarray | None:
        """The drawing as a float array (grid, grid) in [0, 1], or None when nothing is drawn."""
        n = self.grid
        if len(self.pixels) != n * n:
            return None
        img = np.asarray(self.pixels, dtype=np.float64).reshape(n, n) / 255.0
        return np.clip(img, 0.0, 1.0) if img.max() > 0 else None

    def wipe(self) -> None:
        self.clear += 1
        self.pixels = []


class DrawADigit(Demo):
    """Draw on the pad (or press "random test digit"); see what the network sees and says."""

    def __init__(self, model=None, path=DEFAULT_MODEL_PATH, seed: int = 0):
        super().__init__("Draw a digit")
        if model is None:       # a widget must not block for minutes: quick training if needed
            model, self.source = get_model(path, fast=True, seed=seed)
        else:
            self.source = "the model passed in"
        self.model = model
        self.rng = make_rng(seed)
        _, _, self.X_test, self.y_test = load_mnist(subset="small", flatten=False)
        self.pad = DrawPad()
        self.raw: np.ndarray | None = None
        self.label: int | None = None
        self._quiet = False
        self.pad.observe(lambda _change: self._on_pixels(), names="pixels")
        self.add_button("random", widgets.Button(description="random test digit", icon="random"),
                        self.random_digit)
        self.add_button("clear", widgets.Button(description="clear", icon="eraser"), self.clear)

    def _on_pixels(self):
        if self._quiet:
            return
        self.raw, self.label = self.pad.image(), None
        self.refresh()

    def random_digit(self):
        """A random test image from the small subset, placed off-centre on the pad's canvas."""
        i = int(self.rng.integers(len(self.X_test)))
        shift = self.rng.integers(-40, 41, size=2)
        height = int(self.rng.integers(120, 220))
        self._show(digit_on_canvas(self.X_test[i], self.pad.size, height, shift),
                   int(self.y_test[i]))

    def clear(self):
        self._show(None, None)

    def _show(self, raw, label):
        """Show `raw` (None: nothing), wiping the pad without its change triggering a redraw."""
        self.raw, self.label = raw, label
        self._quiet = True
        try:
            self.pad.wipe()
        finally:
            self._quiet = False
        self.refresh()

    def layout(self) -> widgets.Widget:
        side = widgets.VBox([*self.buttons.values(), self.readout],
                            layout=widgets.Layout(margin="0 0 0 12px"))
        return widgets.VBox([widgets.HTML(f"<b>{self.title}</b> <small>(model: {self.source})"
                                          "</small>"),
                             widgets.HBox([self.pad, side]), self.out, self.status])

    def draw(self):
        try:
            x = None if self.raw is None else preprocess_digit(self.raw)
        except EmptyDrawing:
            x = None
        if x is None:
            self.readout.value = f"<i>{EMPTY_MESSAGE}</i>"
            self.out.clear_output()
            self.last_png = None
            return None
        probs, hidden = classify(self.model, x)
        pred = int(probs.argmax())
        truth = "" if self.label is None else (
            f" — true label {self.label} {'✓' if pred == self.label else '✗'}")
        self.readout.value = (f"prediction: <b>{pred}</b> with probability {probs[pred]:.0%}"
                              f"{truth}")
        return plot_digit_prediction(self.raw, x.reshape(28, 28), probs, hidden, label=self.label)


def draw_a_digit(model=None, path=DEFAULT_MODEL_PATH, seed: int = 0) -> DrawADigit:
    """Drawing pad + MNIST classifier: the probabilities, hidden activations and 28x28 input.

    With no arguments it loads notebook 12's model from `path` or quickly trains one
    (`get_model(path, fast=True)`); pass `model=` to use another.
    """
    return DrawADigit(model=model, path=path, seed=seed)
