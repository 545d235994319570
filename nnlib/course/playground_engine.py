"""TensorFlow Playground's engine in nnlib, without widgets or plots (notebook 09).

`PlaygroundModel` makes one of the playground's data sets (or takes the learner's own points),
turns the two coordinates into the chosen input features (`make_features`), builds the
network with `nl.mlp`, splits with `nl.train_test_split`, and trains it epoch by epoch with
`nl.DataLoader` mini-batches and SGD plus an optional L1/L2 penalty. Two classes use one logit
and `BinaryCrossEntropy`, three or more a softmax output and `SoftmaxCrossEntropy`, regression
`MSELoss`. Clarity over speed; `nl.viz.plot_playground` draws its state.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..core import make_rng
from ..data import DataLoader, train_test_split
from ..datasets.synthetic import CLASSIFICATION, REGRESSION, make_gaussians, make_spiral
from ..layers import ACTIVATIONS, Linear, mlp
from ..losses import BinaryCrossEntropy, MSELoss, SoftmaxCrossEntropy, softmax
from ..optim import SGD
from ..train import train_step

__all__ = ["PlaygroundModel", "make_features", "check_data", "FEATURES", "LEARNING_RATES",
           "REG_RATES", "PLAYGROUND_DATASETS", "MAX_LAYERS", "MAX_NEURONS", "MAX_CLASSES"]

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
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# TensorFlow Playground's spiral winds 1.75 times, nnlib's default once: use the harder one.
PLAYGROUND_DATASETS = {**CLASSIFICATION, "spiral": partial(make_spiral, turns=1.75),
                       "spiral3": partial(make_spiral, classes=3, turns=0.75),
                       "gaussians3": partial(make_gaussians, classes=3), **REGRESSION}
SCALE = 3.0   # nnlib's toy sets live in about [-1.2, 1.2]^2; x3 lets sin(x1) really bend
MAX_LAYERS, MAX_NEURONS, MAX_CLASSES = 6, 8, 6


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


def check_data(X, y, task: str | None = None):
    """Validate the learner's own points; return (X float (N, 2), y, task).

    Integer or boolean labels mean classification (relabelled 0..C-1, at least two classes);
    float targets mean regression, unless `task` says otherwise. Each problem gets a clear
    error: a wrong shape, too few points, NaN or infinity, one class only, too many classes.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"check_data (playground data): X must have shape (N, 2) (one row per point, columns "
                         f"x1 and x2), got shape {X.shape}")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"check_data (playground data): y must have shape ({X.shape[0]},), one label or value "
                         f"per row of X, got shape {y.shape}")
    if X.shape[0] < 4:
        raise ValueError(f"check_data (playground data): need at least 4 points (some to train, some to test), "
                         f"got {X.shape[0]}")
    if X.dtype.kind not in "biuf" or y.dtype.kind not in "biuf":
        raise ValueError(f"check_data (playground data): X and y must be numbers, got dtypes {X.dtype} and {y.dtype}")
    X = X.astype(float)
    bad = ~np.isfinite(X).all(axis=1) | ~np.isfinite(y.astype(float))
    if bad.any():
        raise ValueError(f"check_data (playground data): {int(bad.sum())} point(s) contain NaN or infinity, "
                         f"e.g. row {int(np.flatnonzero(bad)[0])}; remove them first")
    if task is None:
        task = "classification" if y.dtype.kind in "biu" else "regression"
    if task not in ("classification", "regression"):
        raise ValueError(f"check_data (playground data): task must be 'classification' or 'regression', got {task!r}")
    if task == "classification":
        if y.dtype.kind == "f" and not np.all(y == np.round(y)):
            raise ValueError("check_data (playground data): classification labels must be whole numbers "
                             "(pass task='regression' for real-valued targets)")
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"check_data (playground data): only one class ({classes[0].item()!r}) in y; a classifier "
                             "needs points of at least two classes")
        if len(classes) > MAX_CLASSES:
            raise ValueError(f"check_data (playground data): {len(classes)} classes, at most {MAX_CLASSES} "
                             "can be shown")
        y = np.searchsorted(classes, y).astype(np.int64)                    # labels 0..C-1
    else:
        y = y.astype(float)
    return X, y, task


def _number(where: str, name: str, value, want: str, ok, whole: bool = False) -> None:
    """Refuse a setting that is not a finite (whole, if `whole`) number with ok(value)."""
    kinds = (int, np.integer) if whole else (int, float, np.integer, np.floating)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kinds) \
            or not np.isfinite(value) or not ok(value):
        raise ValueError(f"{where}: {name} must be {want}, got {value!r}")


class _PenalizedSGD:
    """The model's SGD, with the penalty's gradient added to every weight's before the update.

    What `nl.train_step` needs of an optimizer: `zero_grad()` and `step()`. Biases are left
    free, as in TensorFlow Playground (SGD's `weight_decay` would shrink them too).
    """

    def __init__(self, model: PlaygroundModel):
        self.model = model

    def zero_grad(self) -> None:
        self.model.optimizer.zero_grad()

    def step(self) -> None:
        m = self.model
        if m.regularization != "none" and m.reg_rate > 0:
            for layer in m.linears():
                layer.W.grad += m.penalty_grad(layer.W.data)             # + d(penalty)/dW
        m.optimizer.step()                                               # w -= lr * grad


class PlaygroundModel:
    """Data + features + network + SGD with L1/L2, trained epoch by epoch (no widgets needed).

    `hidden=()` gives logistic (or linear, or softmax) regression. A step whose loss or
    weights stop being finite sets `diverged` and stops training. `X`, `y` replace the
    generated data set with the learner's own points (checked by `check_data`).

    Parameters
    ----------
    dataset : a key of PLAYGROUND_DATASETS ("circles", "xor", "spiral3", ..., "plane").
    noise : the data set's noise (standard deviation, before the x3 scaling).
    train_fraction : share of the points used for training; the rest are test points.
    features, hidden, activation : the inputs, neurons per hidden layer, hidden activation.
    lr, regularization ("none", "L1", "L2"), reg_rate, batch_size (>= n_train means full batch).
    seed : one seed for the data, the split, the initial weights and the batches.
    data_seed : None, or the seed of another sample of the same data set (TensorFlow Playground's
        "regenerate"): new points, the same split proportions and the same initial weights.
    X, y, task : the learner's own points instead of `dataset` (then `noise`, `n` and
        `data_seed` are unused).
    """

    def __init__(self, dataset: str = "circles", *, noise: float = 0.1,
                 train_fraction: float = 0.5, features=("x1", "x2"), hidden=(4, 2),
                 activation: str = "tanh", lr: float = 0.03, regularization: str = "none",
                 reg_rate: float = 0.0, batch_size: int = 10, n: int = 400, seed: int = 0,
                 data_seed: int | None = None, X=None, y=None, task: str | None = None):
        where = "PlaygroundModel"
        if X is None and (not isinstance(dataset, str) or dataset not in PLAYGROUND_DATASETS):
            raise ValueError(f"PlaygroundModel: dataset must be one of {list(PLAYGROUND_DATASETS)}, "
                             f"got {dataset!r}")
        if not isinstance(activation, str) or activation not in ACTIVATIONS:
            raise ValueError(f"PlaygroundModel: activation must be one of {list(ACTIVATIONS)}, "
                             f"got {activation!r}")
        if regularization not in ("none", "L1", "L2"):
            raise ValueError(f"PlaygroundModel: regularization must be none, L1 or L2, "
                             f"got {regularization!r}")
        _number(where, "train_fraction", train_fraction, "in (0, 1)", lambda v: 0 < v < 1)
        _number(where, "noise", noise, "a finite number >= 0", lambda v: v >= 0)
        _number(where, "lr", lr, "a finite number > 0", lambda v: v > 0)
        _number(where, "reg_rate", reg_rate, "a finite number >= 0", lambda v: v >= 0)
        _number(where, "batch_size", batch_size, "a whole number >= 1",
                lambda v: v >= 1, whole=True)
        if X is None:
            _number(where, "n", n, "a whole number >= 4", lambda v: v >= 4, whole=True)
        if data_seed is not None:
            _number(where, "data_seed", data_seed, "None or a whole number >= 0",
                    lambda v: v >= 0, whole=True)
        if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__") or not all(
                isinstance(h, (int, np.integer)) and not isinstance(h, (bool, np.bool_)) and h >= 1
                for h in hidden):
            raise ValueError(f"PlaygroundModel: hidden must be a list of neurons per hidden layer, "
                             f"whole numbers >= 1 (e.g. (4, 2), or () for none), got {hidden!r}")
        if isinstance(features, (str, bytes)):
            raise ValueError(f"PlaygroundModel: features must be a list of feature names, e.g. "
                             f"({features!r},), got {features!r}")
        self.features = list(features)
        self.hidden, self.activation = [int(h) for h in hidden], activation
        self.lr, self.regularization, self.reg_rate = float(lr), regularization, float(reg_rate)
        self.batch_size = int(batch_size)
        self.noise, self.train_fraction, self.n, self.seed = float(noise), float(train_fraction), n, seed
        self.data_seed = None if X is not None or data_seed is None else int(data_seed)
        self.rng = rng = make_rng(seed)
        if X is None:
            self.dataset = dataset
            self.task = "classification" if dataset in CLASSIFICATION or dataset in (
                "spiral3", "gaussians3") else "regression"
            X, y = PLAYGROUND_DATASETS[dataset](n, noise, rng=rng)       # the seed's own sample
            if self.data_seed is not None:            # "regenerate": another sample of the set;
                X, y = PLAYGROUND_DATASETS[dataset](n, noise, rng=make_rng(self.data_seed))
            X = SCALE * X                             # (rng has moved on as always: same start)
        else:
            self.dataset = "own data"
            X, y, self.task = check_data(X, y, task)
        self.classes = int(y.max()) + 1 if self.task == "classification" else 0
        # at least one point on each side of the split
        test_size = min(max(1.0 - train_fraction, 1.0 / len(X)), 1.0 - 1.0 / len(X))
        self.X_train, self.y_train, self.X_test, self.y_test = train_test_split(
            X, y, test_size=test_size, rng=rng)
        self.F_train = make_features(self.X_train, self.features)       # (N_train, F)
        self.F_test = make_features(self.X_test, self.features)         # (N_test, F)
        self.extent = float(np.ceil(np.abs(X).max() * 1.1 * 2) / 2) or 1.0   # plane: [-e, e]^2
        n_out = self.classes if self.classes > 2 else 1
        init = "he" if activation == "relu" else "xavier"
        self.net = mlp([len(self.features), *self.hidden, n_out], act=activation, init=init, rng=rng)
        if self.task == "regression":
            self.loss_fn = MSELoss()
        else:
            self.loss_fn = SoftmaxCrossEntropy() if self.classes > 2 else BinaryCrossEntropy()
        self.loader = DataLoader(self.F_train, self.y_train, batch_size=max(1, self.batch_size),
                                 shuffle=True, rng=rng)
        self.optimizer = SGD(self.net.parameters(), lr=self.lr)
        self.epoch, self.diverged = 0, False
        self.history: dict[str, list[float]] = {"train": [], "test": [], "train_acc": [],
                                                "test_acc": []}
        self._record()

    # -- training -----------------------------------------------------------------------
    def linears(self) -> list[Linear]:
        """The network's Linear layers, input side first."""
        return [layer for layer in self.net.layers if isinstance(layer, Linear)]

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
        """One step on a batch: notebook 08's `nl.train_step` (forward, loss, backward, update),
        its update taken by `_PenalizedSGD`, which first adds the penalty's gradient to every
        weight's. Returns the batch's data loss (without the penalty)."""
        self.optimizer.lr = self.lr
        return train_step(self.net, self.loss_fn, _PenalizedSGD(self), xb, yb)

    def steps_per_epoch(self) -> int:
        return -(-len(self.F_train) // max(1, min(self.batch_size, len(self.F_train))))

    def train_epoch(self) -> None:
        """One pass over the shuffled training set in mini-batches, then record both losses."""
        if self.diverged:
            return
        self.loader.batch_size = max(1, min(self.batch_size, len(self.F_train)))
        with np.errstate(all="ignore"):
            for xb, yb in self.loader:
                loss = self.train_step(xb, yb)
                if not np.isfinite(loss) or not self._weights_finite():
                    self.diverged = True
                    break
        self.epoch += 1
        self._record()

    def train(self, epochs: int) -> PlaygroundModel:
        """Run `epochs` epochs (stops early if training diverges); returns self."""
        for _ in range(epochs):
            if self.diverged:
                break
            self.train_epoch()
        return self

    def _record(self) -> None:
        train, test = self.loss("train"), self.loss("test")
        if not (np.isfinite(train) and np.isfinite(test)):
            self.diverged = True
        self.history["train"].append(train)
        self.history["test"].append(test)
        if self.task == "classification":
            self.history["train_acc"].append(self.accuracy("train"))
            self.history["test_acc"].append(self.accuracy("test"))

    def _weights_finite(self) -> bool:
        return all(np.all(np.abs(p.data) < 1e8) for p in self.net.parameters())

    def stop_reason(self, test_loss: float | None = None, epochs: int | None = None) -> str:
        """Why training should stop now ('' if it should go on): a test loss or an epoch count."""
        if self.diverged:
            return "diverged"
        if test_loss is not None and self.history["test"][-1] <= test_loss:
            return f"test loss {self.history['test'][-1]:.3f} <= {test_loss:g}"
        if epochs is not None and self.epoch >= epochs:
            return f"{self.epoch} epochs done"
        return ""

    # -- editing by hand ------------------------------------------------------------------
    def set_parameter(self, layer: int, kind: str, i: int, j: int, value: float) -> None:
        """Set one weight W[i, j] (kind "W") or bias b[j] (kind "b") of Linear layer `layer`.

        The current losses and accuracies are recomputed (the last history entry is the
        network as it is now), so a plot of the model shows the effect at once.
        """
        lin = self.linears()[layer]
        if kind == "W":
            lin.W.data[i, j] = float(value)
        elif kind == "b":
            lin.b.data[j] = float(value)
        else:
            raise ValueError(f"set_parameter: kind must be 'W' or 'b', got {kind!r}")
        self.diverged = False
        for key in self.history:
            if self.history[key]:
                self.history[key].pop()
        self._record()

    def get_parameter(self, layer: int, kind: str, i: int, j: int) -> float:
        lin = self.linears()[layer]
        return float(lin.W.data[i, j] if kind == "W" else lin.b.data[j])

    # -- reading the model --------------------------------------------------------------
    def scores(self, X: np.ndarray) -> np.ndarray:
        """The raw network output for points X: (N, 2) -> (N, outputs)."""
        with np.errstate(all="ignore"):
            return self.net.forward(make_features(X, self.features))

    def output(self, X: np.ndarray) -> np.ndarray:
        """P(class 1) for two classes (N,), class probabilities (N, C) for more, else the value (N,)."""
        z = self.scores(X)
        with np.errstate(all="ignore"):
            if self.task == "regression":
                return z[:, 0]
            if self.classes > 2:
                return softmax(np.nan_to_num(z, nan=0.0, posinf=500, neginf=-500))
            return 1.0 / (1.0 + np.exp(-np.clip(z[:, 0], -500, 500)))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels (classification) or values (regression) for points X."""
        p = self.output(X)
        if self.task == "regression":
            return p
        return p.argmax(axis=1) if self.classes > 2 else (p > 0.5).astype(np.int64)

    def loss(self, split: str = "train") -> float:
        """Data loss (no penalty) on the train or test points, as the playground reports it."""
        F, y = (self.F_train, self.y_train) if split == "train" else (self.F_test, self.y_test)
        with np.errstate(all="ignore"):
            try:
                return self.loss_fn(self.net.forward(F), y)
            except ValueError:                       # NaN/inf scores: the loss is not a number
                return float("nan")

    def accuracy(self, split: str = "test") -> float:
        """Share of correctly classified points (classification only)."""
        X, y = (self.X_train, self.y_train) if split == "train" else (self.X_test, self.y_test)
        return float(np.mean(self.predict(X) == y))

    def grid(self, resolution: int = 40):
        """The input plane as (resolution^2, 2) points, row 0 at the bottom."""
        t = np.linspace(-self.extent, self.extent, resolution)
        xx, yy = np.meshgrid(t, t)
        return np.column_stack([xx.ravel(), yy.ravel()])

    def unit_names(self) -> list[list[str]]:
        """Names of every unit, column by column: features, 'h1.1', ..., 'out' (or 'out 1'...)."""
        n_out = self.linears()[-1].W.shape[1]
        outs = ["out"] if n_out == 1 else [f"out {k}" for k in range(n_out)]
        return [list(self.features),
                *[[f"h{li + 1}.{k + 1}" for k in range(h)] for li, h in enumerate(self.hidden)],
                outs]

    def neuron_maps(self, resolution: int = 16) -> list[np.ndarray]:
        """What every unit computes over the plane: [features, hidden 1, ..., output].

        Each entry has shape (units, resolution, resolution); features and hidden units are
        their values; the output is P(class 1) (two classes), the class probabilities (more),
        or the prediction (regression).
        """
        pts = self.grid(resolution)
        a = make_features(pts, self.features)
        maps = [a.T.reshape(-1, resolution, resolution)]
        with np.errstate(all="ignore"):
            for layer in self.net.layers[:-1]:
                a = layer.forward(a)
                if not isinstance(layer, Linear):                         # after an activation
                    maps.append(a.T.reshape(-1, resolution, resolution))
            out = self.net.layers[-1].forward(a)
        if self.task == "regression":
            maps.append(out.T.reshape(1, resolution, resolution))
        elif self.classes > 2:
            maps.append(softmax(np.nan_to_num(out, nan=0.0, posinf=500, neginf=-500))
                        .T.reshape(-1, resolution, resolution))
        else:
            maps.append((1.0 / (1.0 + np.exp(-np.clip(out, -500, 500)))).T.reshape(1, resolution,
                                                                                 resolution))
        return maps

    def summary(self) -> str:
        """'epoch 12 · train loss 0.123 · test loss 0.145 · accuracy train 98%, test 97%', or
        in which epoch training diverged."""
        if self.diverged:
            return (f"diverged in epoch {self.epoch} (the loss became inf/NaN) — press reset "
                    "and lower the learning rate")
        text = (f"epoch {self.epoch} · train loss {self.history['train'][-1]:.3f} · "
                f"test loss {self.history['test'][-1]:.3f}")
        if self.task == "classification":
            text += (f" · accuracy train {self.history['train_acc'][-1]:.0%}, "
                     f"test {self.history['test_acc'][-1]:.0%}")
        return text

    # -- export -------------------------------------------------------------------------
    def settings(self) -> dict:
        """The keyword arguments that rebuild this model (data, features, network, training)."""
        kw = dict(noise=self.noise, train_fraction=self.train_fraction, features=self.features,
                  hidden=tuple(self.hidden), activation=self.activation, lr=self.lr,
                  regularization=self.regularization, reg_rate=self.reg_rate,
                  batch_size=self.batch_size, n=self.n, seed=self.seed)
        if self.dataset != "own data":
            kw["dataset"] = self.dataset
            if self.data_seed is not None:
                kw["data_seed"] = self.data_seed
        return kw

    def save(self, path: str = "playground_model.npz") -> str:
        """Save the network's weights with `nl.save` (settings, the epoch count and the loss and
        accuracy history as metadata; own data too)."""
        from ..io import save
        meta = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.settings().items()}
        meta.update(epoch=self.epoch, task=self.task, history=self.history)
        if self.dataset == "own data":
            X = np.concatenate([self.X_train, self.X_test])
            y = np.concatenate([self.y_train, self.y_test])
            meta.update(X=X.tolist(), y=y.tolist())
        return save(self.net, path, **meta)

    def export_code(self, path: str = "playground_model.npz") -> str:
        """Python code (nnlib only) that rebuilds this network, its data and its weights."""
        kw = self.settings()
        sizes = [len(self.features), *self.hidden, self.linears()[-1].W.shape[1]]
        args = ", ".join(f"{k}={v!r}" for k, v in kw.items() if k != "dataset")
        lines = ["import nnlib as nl", ""]
        if self.dataset == "own data":
            lines += [f"_, meta = nl.load({path!r}, with_metadata=True)",
                      f"model = nl.course.PlaygroundModel(X=meta['X'], y=meta['y'], task={self.task!r}, "
                      f"{args})"]
        else:
            lines += [f"model = nl.course.PlaygroundModel({self.dataset!r}, {args})"]
        lines += [f"model.load_weights({path!r})   # the weights after {self.epoch} epochs",
                  "",
                  f"# the same network on its own: nl.mlp({sizes}, act={self.activation!r})",
                  f"net = nl.load({path!r})",
                  f"loss_fn = nl.{type(self.loss_fn).__name__}()",
                  f"optimizer = nl.SGD(net.parameters(), lr={self.lr!r})"]
        return "\n".join(lines)

    def load_weights(self, path: str) -> PlaygroundModel:
        """Copy the parameters saved by `save` into this model's network; returns self.

        The epoch count and the loss history saved with them come back too, so the model
        reports the epoch it was saved at and its curves start where they were.
        """
        from ..io import load
        saved, meta = load(path, with_metadata=True)
        mine, theirs = self.net.parameters(), saved.parameters()
        if [p.data.shape for p in mine] != [p.data.shape for p in theirs]:
            raise ValueError(f"load_weights: {path!r} holds a network of another shape")
        for p, q in zip(mine, theirs):
            p.data[...] = q.data
        if "history" in meta:
            self.epoch = int(meta.get("epoch", 0))
            self.history = {k: [float(v) for v in meta["history"].get(k, [])] for k in self.history}
        for key in self.history:
            if self.history[key]:
                self.history[key].pop()
        self._record()                 # the last entry: the loaded network, measured here
        return self

