"""TensorFlow Playground in NumPy: the training engine and its figure (notebook 09).

`PlaygroundModel` is the engine, plain NumPy and nnlib with no widgets: it makes one of the
playground's data sets, turns the two coordinates into the chosen input features, builds an
nnlib network (Linear + activation layers), and trains it with SGD plus an optional L1/L2
penalty. `plot_playground` draws its state -- what every neuron computes over the input plane,
the output map with train and test points, the loss curves -- and is the static twin of
`nl.widgets.playground`, which calls it on every redraw. Clarity over speed, but each epoch
and each redraw are cheap enough (tens of milliseconds) for a live demo.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..core import make_rng
from ..datasets.toy import CLASSIFICATION, REGRESSION, make_spiral
from ..layers import ACTIVATIONS, Linear, Sequential
from ..losses import BinaryCrossEntropy, MSELoss
from ..optim import SGD
from .style import CLASS_COLORS, CLASS_MARKERS, COLORS, LINESTYLES, figure

__all__ = ["PlaygroundModel", "make_features", "plot_playground", "plot_output_map",
           "FEATURES", "LEARNING_RATES", "REG_RATES", "PLAYGROUND_DATASETS", "PLAYGROUND_CMAP"]

# The playground's input features: functions of the two coordinates, as in TensorFlow Playground.
FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}
# Plain Unicode, not mathtext: parsing TeX labels would cost a third of every redraw.
FEATURE_LABELS = {"x1": "x\u2081", "x2": "x\u2082", "x1^2": "x\u2081\u00b2", "x2^2": "x\u2082\u00b2",
                  "x1*x2": "x\u2081x\u2082", "sin(x1)": "sin x\u2081", "sin(x2)": "sin x\u2082"}
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# TensorFlow Playground's spiral winds 1.75 times, nnlib's default once: use the harder one.
PLAYGROUND_DATASETS = {**CLASSIFICATION, "spiral": partial(make_spiral, turns=1.75), **REGRESSION}
SCALE = 3.0   # nnlib's toy sets live in about [-1.2, 1.2]^2; x3 lets sin(x1) really bend
MAX_LAYERS, MAX_NEURONS = 6, 8
# One map for everything: blue = low / class 0 / negative weight, vermillion = high / class 1.
PLAYGROUND_CMAP = LinearSegmentedColormap.from_list(
    "playground", [CLASS_COLORS[0], "#FFFFFF", CLASS_COLORS[1]]).with_extremes(
    bad=(1.0, 1.0, 1.0, 0.0))                     # NaN = gaps between neuron tiles: transparent


def make_features(X: np.ndarray, names) -> np.ndarray:
    """Stack the chosen features of 2-D points as columns.  Shapes: X (N, 2) -> (N, len(names)).

    A feature is any function of (x1, x2) computed *before* the network sees the data. With
    x1^2 and x2^2 a circle x1^2 + x2^2 = r^2 becomes a straight line in feature space, so even
    a network without hidden layers can separate circles.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"make_features: X must have shape (N, 2), got {X.shape}")
    names = list(names)
    if not names:
        raise ValueError("make_features: choose at least one input feature")
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"make_features: unknown features {unknown}; choose from {list(FEATURES)}")
    return np.column_stack([FEATURES[n](X) for n in names])               # (N, F)


class PlaygroundModel:
    """Data + features + network + SGD with L1/L2, trained epoch by epoch (no widgets needed).

    Classification sets (labels 0/1) use one output logit and `BinaryCrossEntropy`; regression
    sets use one output and `MSELoss`. `hidden=()` gives logistic (or linear) regression. A
    step whose loss or weights stop being finite sets `diverged` and stops training.

    Parameters
    ----------
    dataset : a key of PLAYGROUND_DATASETS ("circles", "xor", ..., "plane", "gaussian_mixture").
    noise : the data set's noise (standard deviation, before the x3 scaling).
    train_fraction : share of the points used for training; the rest are test points.
    features, hidden, activation : the inputs, neurons per hidden layer, hidden activation.
    lr, regularization ("none", "L1", "L2"), reg_rate, batch_size (>= n_train means full batch).
    """

    def __init__(self, dataset: str = "circles", *, noise: float = 0.1,
                 train_fraction: float = 0.5, features=("x1", "x2"), hidden=(4, 2),
                 activation: str = "tanh", lr: float = 0.03, regularization: str = "none",
                 reg_rate: float = 0.0, batch_size: int = 10, n: int = 400, seed: int = 0):
        if dataset not in PLAYGROUND_DATASETS:
            raise ValueError(f"PlaygroundModel: dataset must be one of {list(PLAYGROUND_DATASETS)}, "
                             f"got {dataset!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"PlaygroundModel: activation must be one of {list(ACTIVATIONS)}, "
                             f"got {activation!r}")
        if regularization not in ("none", "L1", "L2"):
            raise ValueError(f"PlaygroundModel: regularization must be none, L1 or L2, "
                             f"got {regularization!r}")
        if not 0.0 < train_fraction < 1.0:
            raise ValueError(f"PlaygroundModel: train_fraction must be in (0, 1), got {train_fraction}")
        self.dataset, self.features = dataset, list(features)
        self.hidden, self.activation = [int(h) for h in hidden], activation
        self.lr, self.regularization, self.reg_rate = float(lr), regularization, float(reg_rate)
        self.batch_size = int(batch_size)
        self.task = "classification" if dataset in CLASSIFICATION else "regression"
        rng = make_rng(seed)
        self.rng = rng
        X, y = PLAYGROUND_DATASETS[dataset](n, noise, rng=rng)
        X = SCALE * X
        if self.task == "classification":
            y = (y > 0).astype(np.int64)          # 0/1 labels, also for >2-class generators
        n_train = int(round(train_fraction * n))
        n_train = min(max(n_train, 1), n - 1)
        order = rng.permutation(n)
        self.X_train, self.y_train = X[order[:n_train]], y[order[:n_train]]
        self.X_test, self.y_test = X[order[n_train:]], y[order[n_train:]]
        self.F_train = make_features(self.X_train, self.features)       # (N_train, F)
        self.F_test = make_features(self.X_test, self.features)         # (N_test, F)
        self.extent = float(np.ceil(np.abs(X).max() * 1.1 * 2) / 2)     # plane is [-e, e]^2
        self.net = self.build_network(len(self.features), self.hidden, activation, rng)
        self.loss_fn = BinaryCrossEntropy() if self.task == "classification" else MSELoss()
        self.optimizer = SGD(self.net.parameters(), lr=self.lr)
        self.epoch, self.diverged = 0, False
        self.history: dict[str, list[float]] = {"train": [], "test": []}
        self.history["train"].append(self.loss("train"))
        self.history["test"].append(self.loss("test"))

    @staticmethod
    def build_network(n_in: int, hidden, activation: str, rng) -> Sequential:
        """Linear -> act -> ... -> Linear(., 1): the playground's network in nnlib layers."""
        init = "he" if activation == "relu" else "xavier"
        sizes = [n_in, *hidden, 1]
        layers = []
        for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Linear(d_in, d_out, init=init, rng=rng))
            if i < len(sizes) - 2:
                layers.append(ACTIVATIONS[activation]())
        return Sequential(*layers)

    # -- training -----------------------------------------------------------------------
    def penalty_grad(self, W: np.ndarray) -> np.ndarray:
        """Gradient of the penalty on one weight matrix: rate*sign(W) for L1, rate*W for L2.

        L1 = rate * sum|w| pushes every weight towards 0 by the same amount (many end at 0);
        L2 = rate/2 * sum w^2 shrinks each weight in proportion to its size. Biases are free.
        """
        if self.regularization == "L1":
            return self.reg_rate * np.sign(W)
        if self.regularization == "L2":
            return self.reg_rate * W
        return np.zeros_like(W)

    def train_step(self, xb: np.ndarray, yb: np.ndarray) -> float:
        """One SGD step on a batch: forward, loss, backward, + penalty gradient, update."""
        self.optimizer.lr = self.lr
        self.net.zero_grad()
        loss = self.loss_fn(self.net.forward(xb), yb)                   # forward + data loss
        self.net.backward(self.loss_fn.backward())                      # dL/dW for every layer
        if self.regularization != "none" and self.reg_rate > 0:
            for layer in self.net.layers:
                if isinstance(layer, Linear):
                    layer.W.grad += self.penalty_grad(layer.W.data)     # + d(penalty)/dW
        self.optimizer.step()                                           # w -= lr * grad
        return loss

    def steps_per_epoch(self) -> int:
        return -(-len(self.F_train) // max(1, min(self.batch_size, len(self.F_train))))

    def train_epoch(self) -> None:
        """One pass over the shuffled training set in mini-batches, then record both losses."""
        if self.diverged:
            return
        n = len(self.F_train)
        bs = max(1, min(self.batch_size, n))
        order = self.rng.permutation(n)
        with np.errstate(all="ignore"):
            for start in range(0, n, bs):
                idx = order[start:start + bs]
                loss = self.train_step(self.F_train[idx], self.y_train[idx])
                if not np.isfinite(loss) or not self._weights_finite():
                    self.diverged = True
                    break
        self.epoch += 1
        train, test = self.loss("train"), self.loss("test")
        if not (np.isfinite(train) and np.isfinite(test)):
            self.diverged = True
        self.history["train"].append(train)
        self.history["test"].append(test)

    def train(self, epochs: int) -> PlaygroundModel:
        """Run `epochs` epochs (stops early if training diverges); returns self."""
        for _ in range(epochs):
            if self.diverged:
                break
            self.train_epoch()
        return self

    def _weights_finite(self) -> bool:
        return all(np.all(np.abs(p.data) < 1e8) for p in self.net.parameters())

    # -- reading the model --------------------------------------------------------------
    def output(self, X: np.ndarray) -> np.ndarray:
        """P(class 1) for classification, the predicted value for regression.  (N, 2) -> (N,)."""
        with np.errstate(all="ignore"):
            z = self.net.forward(make_features(X, self.features))[:, 0]
            if self.task == "classification":
                return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
            return z

    def loss(self, split: str = "train") -> float:
        """Data loss (no penalty) on the train or test points, as the playground reports it."""
        F, y = (self.F_train, self.y_train) if split == "train" else (self.F_test, self.y_test)
        with np.errstate(all="ignore"):
            return self.loss_fn(self.net.forward(F), y)

    def accuracy(self, split: str = "test") -> float:
        """Share of correctly classified points (classification only)."""
        X, y = (self.X_train, self.y_train) if split == "train" else (self.X_test, self.y_test)
        return float(np.mean((self.output(X) > 0.5) == y))

    def grid(self, resolution: int = 40):
        """The input plane as (resolution^2, 2) points, row 0 at the bottom."""
        t = np.linspace(-self.extent, self.extent, resolution)
        xx, yy = np.meshgrid(t, t)
        return np.column_stack([xx.ravel(), yy.ravel()])

    def neuron_maps(self, resolution: int = 16) -> list[np.ndarray]:
        """What every unit computes over the plane: [features, hidden 1, ..., output].

        Each entry has shape (units, resolution, resolution); features and hidden units are
        their values, the output is P(class 1) (classification) or the prediction.
        """
        pts = self.grid(resolution)
        a = make_features(pts, self.features)
        maps = [a.T.reshape(-1, resolution, resolution)]
        with np.errstate(all="ignore"):
            for layer in self.net.layers:
                a = layer.forward(a)
                if not isinstance(layer, Linear):                         # after an activation
                    maps.append(a.T.reshape(-1, resolution, resolution))
        maps.append(self.output(pts).reshape(1, resolution, resolution))
        return maps

    def summary(self) -> str:
        """'epoch 12 · train loss 0.123 · test loss 0.145', or the divergence message."""
        if self.diverged:
            return (f"epoch {self.epoch} · diverged (loss is inf/NaN) — press reset and lower "
                    "the learning rate")
        return (f"epoch {self.epoch} · train loss {self.history['train'][-1]:.3f} · "
                f"test loss {self.history['test'][-1]:.3f}")


# -- figures ----------------------------------------------------------------------------------
def _tile(m: np.ndarray) -> np.ndarray:
    """Scale one neuron's map to [-1, 1] by its largest |value| (shape, not size, is shown)."""
    m = np.nan_to_num(np.asarray(m, float), nan=0.0, posinf=0.0, neginf=0.0)
    peak = np.abs(m).max()
    return m / peak if peak > 0 else m


def plot_network_maps(model: PlaygroundModel, ax, *, resolution: int = 16) -> None:
    """Columns of tiny heat maps, one per unit (inputs, hidden layers, output), joined by
    lines whose colour is the weight's sign and whose width is its size."""
    maps = model.neuron_maps(resolution)
    maps[-1] = 2 * maps[-1] - 1 if model.task == "classification" else maps[-1]
    t, gx, gy = resolution, 1.4 * resolution, 0.3 * resolution
    rows = max(len(m) for m in maps)
    H = rows * t + (rows - 1) * gy
    W = len(maps) * t + (len(maps) - 1) * gx
    img = np.full((int(np.ceil(H)), int(np.ceil(W))), np.nan)
    centres = []
    for c, layer in enumerate(maps):
        x0 = c * (t + gx)
        top = (H - (len(layer) * t + (len(layer) - 1) * gy)) / 2
        col = []
        for r, m in enumerate(layer):
            y0 = top + r * (t + gy)
            i, j = int(round(y0)), int(round(x0))
            img[i:i + t, j:j + t] = _tile(m)[::-1]          # image rows go downwards
            col.append((j, i + t / 2))
        centres.append(col)
    segs, colors, widths = [], [], []
    linears = [layer for layer in model.net.layers if isinstance(layer, Linear)]
    for c, lin in enumerate(linears):
        Wm = np.nan_to_num(lin.W.data)
        peak = np.abs(Wm).max() or 1.0
        for i, (xa, ya) in enumerate(centres[c]):
            for j, (xb, yb) in enumerate(centres[c + 1]):
                segs.append([(xa + t, ya), (xb, yb)])
                colors.append(CLASS_COLORS[1] if Wm[i, j] > 0 else CLASS_COLORS[0])
                widths.append(0.3 + 2.2 * abs(Wm[i, j]) / peak)
    ax.add_collection(LineCollection(segs, colors=colors, linewidths=widths, alpha=0.6, zorder=1))
    ax.imshow(img, cmap=PLAYGROUND_CMAP, vmin=-1, vmax=1, interpolation="nearest", zorder=2,
              extent=(-0.5, img.shape[1] - 0.5, img.shape[0] - 0.5, -0.5))
    frames = [Rectangle((x - 0.5, y - t / 2 - 0.5), t, t) for col in centres for x, y in col]
    ax.add_collection(PatchCollection(frames, facecolor="none", edgecolor="#888888",
                                      linewidth=0.6, zorder=3))     # a frame: white tiles show
    for r, name in enumerate(model.features):
        xa, ya = centres[0][r]
        ax.text(xa - 2, ya, FEATURE_LABELS[name], ha="right", va="center", fontsize=8)
    heads = ["inputs", *[f"{h}" for h in model.hidden], "out"]
    for c, head in enumerate(heads):
        ax.text(centres[c][0][0] + t / 2, -1.5, head, ha="center", va="bottom", fontsize=8)
    ax.set_xlim(-0.5 - 2.1 * t, img.shape[1] + 0.5)
    ax.set_ylim(img.shape[0] + 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_anchor("N")                              # top-aligned, like the other panels
    ax.axis("off")
    n_hidden = len(model.hidden)
    ax.set_title(f"{n_hidden} hidden layer{'s' if n_hidden != 1 else ''}: what each unit computes",
                 fontsize=9, pad=14)


def plot_output_map(model: PlaygroundModel, ax=None, *, resolution: int = 40, legend: bool = True):
    """The network's output over the plane with train (white edge) and test (black edge) points."""
    if ax is None:
        fig = figure(figsize=(3.6, 3.4))
        ax = fig.add_subplot()
    e = model.extent
    out = model.output(model.grid(resolution)).reshape(resolution, resolution)
    ok = np.all(np.isfinite(out)) and not model.diverged
    if model.task == "classification":
        vmin, vmax = 0.0, 1.0
    else:
        lim = float(np.abs(np.concatenate([model.y_train, model.y_test])).max()) or 1.0
        vmin, vmax = -lim, lim
    if ok:
        ax.imshow(out, origin="lower", extent=(-e, e, -e, e), cmap=PLAYGROUND_CMAP, vmin=vmin,
                  vmax=vmax, alpha=0.75, interpolation="bilinear")
        if model.task == "classification" and out.min() < 0.5 < out.max():
            t = np.linspace(-e, e, resolution)
            ax.contour(t, t, out, levels=[0.5], colors=COLORS[7], linewidths=1.0)
    else:
        ax.text(0, 0, "diverged:\nno map to show", ha="center", va="center", fontsize=10,
                color=COLORS[3], zorder=5, bbox=dict(fc="white", ec=COLORS[3], alpha=0.9))
    for X, y, edge in ((model.X_train, model.y_train, "white"), (model.X_test, model.y_test, "black")):
        if model.task == "classification":
            for c in (0, 1):
                m = y == c
                ax.scatter(X[m, 0], X[m, 1], s=14, color=CLASS_COLORS[c], marker=CLASS_MARKERS[c],
                           edgecolors=edge, linewidths=0.7, zorder=3)
        else:
            ax.scatter(X[:, 0], X[:, 1], c=y, s=14, cmap=PLAYGROUND_CMAP, vmin=vmin, vmax=vmax,
                       edgecolors="#888888" if edge == "white" else edge, linewidths=0.7, zorder=3)
    ax.set_xlim(-e, e)
    ax.set_ylim(-e, e)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlabel("x\u2081", labelpad=1)
    ax.set_ylabel("x\u2082", labelpad=1)
    what = "P(class 1)" if model.task == "classification" else "prediction"
    ax.set_title(f"output: {what}", fontsize=9)
    if legend:
        handles = [Line2D([], [], ls="", marker="o", mfc="#999999", mec=edge, mew=1, label=lab)
                   for edge, lab in (("white", "train"), ("black", "test"))]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2,
                  fontsize=8, frameon=False, handletextpad=0.2, columnspacing=1.0, borderaxespad=0)
    return ax.figure


def plot_loss_curves(model: PlaygroundModel, ax) -> None:
    """Train (solid) and test (dashed) loss per epoch; non-finite values are left out."""
    peak = 0.0
    for i, key in enumerate(("train", "test")):
        h = np.asarray(model.history[key], float)
        ep = np.arange(len(h))
        ok = np.isfinite(h)
        ax.plot(ep[ok], h[ok], color=COLORS[i], linestyle=LINESTYLES[i], lw=1.4, label=key,
                marker="o" if len(h) <= 20 else None, markersize=3)     # epoch 0 is one dot
        peak = max(peak, float(h[ok].max()) if ok.any() else 0.0)
    if peak > 10:                                   # a blow-up: a log axis keeps it readable
        ax.set_yscale("log")
    ax.set_xlabel("epoch", labelpad=1)
    ax.set_ylabel("BCE loss" if model.task == "classification" else "MSE loss", labelpad=1)
    ax.set_xlim(-0.03 * max(1, model.epoch), max(1, model.epoch))     # epoch-0 dots not cut
    if ax.get_yscale() == "linear":
        ax.set_ylim(bottom=0)
    ax.legend(loc="best", fontsize=8)
    ax.set_title("loss", fontsize=9)
    ax.tick_params(labelsize=8)


def plot_playground(model: PlaygroundModel, *, resolution: int = 40, dpi: int = 100):
    """The whole playground view: neuron maps | output map with points | loss curves + readout.

    The static twin of `nl.widgets.playground` (which calls it after every tick). Fixed axes
    positions instead of constrained layout, a 40x40 output grid and 16x16 neuron tiles keep
    one redraw near 100 ms.
    """
    fig = figure(figsize=(9.0, 3.6), dpi=dpi, layout="none")
    plot_network_maps(model, fig.add_axes((0.0, 0.02, 0.42, 0.81)))
    plot_output_map(model, fig.add_axes((0.455, 0.19, 0.29, 0.66)), resolution=resolution)
    plot_loss_curves(model, fig.add_axes((0.82, 0.19, 0.165, 0.66)))
    color = COLORS[3] if model.diverged else "#222222"
    fig.suptitle(model.summary(), fontsize=10, color=color, y=0.98)
    return fig
