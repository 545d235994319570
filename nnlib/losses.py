"""Loss functions: how wrong is the network, as one number, and which way to move to be less wrong.

All losses share one protocol: `loss = loss_fn(pred, target)` returns a float and remembers
what it needs; `loss_fn.backward()` then returns dL/d(pred), the `dout` that starts the
network's backward pass. Introduced in notebook 04 (MSE, cross-entropy) and used from 06 on.
"""

from __future__ import annotations

import numpy as np

from .layers import sigmoid


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Turn scores into probabilities: exp(z) / sum(exp(z)), computed without overflow.

    Subtracting the row maximum first changes nothing mathematically (it cancels in the
    ratio) but keeps exp() from overflowing for large scores.
    """
    z = np.asarray(z, dtype=np.result_type(z, np.float32))
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(z)) via the log-sum-exp trick, exact even where softmax rounds to 0."""
    z = np.asarray(z, dtype=np.result_type(z, np.float32))
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _check_pred(name: str, pred) -> np.ndarray:
    pred = np.asarray(pred)
    if pred.dtype.kind not in "fiu":
        raise ValueError(f"{name}: pred must be numeric, got dtype {pred.dtype}")
    if pred.size == 0:
        raise ValueError(f"{name}: pred is empty (shape {pred.shape}); expected at least one example")
    if pred.dtype.kind != "f":
        pred = pred.astype(np.float64)
    return pred


class Loss:
    """Base class: `__call__(pred, target) -> float`, then `backward() -> dL/dpred`.

    `is_classification` says whether the predictions are class scores, so that `evaluate`
    can also report an accuracy (True for the cross-entropies, False for `MSELoss`).
    """

    is_classification = True

    def __call__(self, pred, target) -> float:
        return self.forward(pred, target)

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def _require_forward(self):
        if not hasattr(self, "_pred"):
            raise RuntimeError(f"{type(self).__name__}.backward: call the loss on (pred, target) first")

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSELoss(Loss):
    """Mean squared error, L = mean((pred - target)^2) over every element.

    The gradient 2 (pred - target) / size grows with the error: far-off predictions are
    pushed hard, nearly-right ones gently. A natural loss for regression.
    """

    is_classification = False                  # regression: no accuracy to report

    def forward(self, pred, target) -> float:
        pred = _check_pred("MSELoss", pred)
        target = np.asarray(target, dtype=pred.dtype)
        if target.shape != pred.shape:
            if target.ndim == 1 and pred.ndim == 2 and pred.shape == (target.shape[0], 1):
                target = target[:, None]
            else:
                raise ValueError(f"MSELoss: pred has shape {pred.shape} but target has shape "
                                 f"{target.shape}; they must match")
        self._pred, self._diff = pred, pred - target
        return float(np.mean(self._diff ** 2))

    def backward(self) -> np.ndarray:
        self._require_forward()
        return 2.0 * self._diff / self._diff.size


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by cross-entropy, L = -mean(log p[true class]), fused in one step.

    `pred` are raw scores (logits) of shape (N, C); `target` is either int labels (N,) in
    [0, C) or one-hot / probability rows (N, C). Computing the two together is both stable
    (log-sum-exp, no log(0)) and simple to differentiate: dL/dz = (softmax(z) - onehot) / N.
    """

    def forward(self, pred, target) -> float:
        z = _check_pred("SoftmaxCrossEntropy", pred)
        if z.ndim != 2:
            raise ValueError(f"SoftmaxCrossEntropy: pred must be logits of shape (N, C), got {z.shape}")
        N, C = z.shape
        target = np.asarray(target)
        logp = log_softmax(z, axis=1)                          # log p, exact even where p ~ 0
        if target.ndim == 1:                                   # int labels
            self.check_labels(target, N, C)
            loss = -logp[np.arange(N), target].mean()          # -mean of log p[true class]
            onehot = np.zeros_like(z)
            onehot[np.arange(N), target] = 1.0                 # (N, C), for backward
        elif target.shape == z.shape:                          # one-hot (or probability) rows
            loss = -(target * logp).sum() / N
            onehot = target
        else:
            raise ValueError(f"SoftmaxCrossEntropy: target must be labels (N,) or one-hot (N, C)="
                             f"({N}, {C}), got shape {target.shape}")
        self._pred, self._probs, self._onehot = z, np.exp(logp), onehot   # probs = softmax(z)
        return float(loss)

    @staticmethod
    def check_labels(target, N: int, C: int) -> None:
        if target.shape[0] != N:
            raise ValueError(f"SoftmaxCrossEntropy: {N} predictions but {target.shape[0]} labels")
        if target.dtype.kind not in "iu":
            raise ValueError("SoftmaxCrossEntropy: 1-D targets must be integer class labels, "
                             f"got dtype {target.dtype}")
        if N and (target.min() < 0 or target.max() >= C):
            raise ValueError(f"SoftmaxCrossEntropy: labels must be in [0, {C - 1}], got values "
                             f"from {target.min()} to {target.max()}")

    def backward(self) -> np.ndarray:
        self._require_forward()
        N = self._probs.shape[0]
        return (self._probs - self._onehot) / N                # dL/dz, (N, C)

    @property
    def probs(self) -> np.ndarray:
        """Softmax probabilities from the last call, shape (N, C)."""
        self._require_forward()
        return self._probs


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on logits: L = -mean(y log s(z) + (1-y) log(1 - s(z))).

    Taking logits (not probabilities) lets us write the loss as
    max(z, 0) - z*y + log(1 + e^-|z|), which never takes log(0); its gradient is
    (sigmoid(z) - y) / size, the same tidy form as softmax cross-entropy.
    """

    def forward(self, pred, target) -> float:
        z = _check_pred("BinaryCrossEntropy", pred)
        y = np.asarray(target)
        if y.shape != z.shape:
            if y.ndim == 1 and z.shape == (y.shape[0], 1):
                y = y[:, None]
            else:
                raise ValueError(f"BinaryCrossEntropy: pred has shape {z.shape} but target has "
                                 f"shape {y.shape}; they must match")
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError("BinaryCrossEntropy: targets must be in [0, 1], got values from "
                             f"{y.min()} to {y.max()}")
        y = y.astype(z.dtype)
        self._pred, self._y = z, y
        loss = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
        return float(loss.mean())

    def backward(self) -> np.ndarray:
        self._require_forward()
        return (sigmoid(self._pred) - self._y) / self._y.size
