"""How good are the predictions? Accuracy, the confusion matrix, the worst mistakes, smoothing.

Plain NumPy on arrays of scores and labels, usable without matplotlib: `accuracy` (notebook 08
onwards), `count_correct` for one neuron's decision line (notebook 01), `confusion_matrix` and
`top_confident_mistakes` for the MNIST classifier (notebook 12), and `smooth`, the running
average that makes a noisy loss curve readable (notebooks 08 and 11). The figures that show them
are in `nnlib.viz` (`plot_confusion`, `plot_mistakes`, `plot_training`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["accuracy", "count_correct", "confusion_matrix", "top_confident_mistakes", "smooth"]


def accuracy(scores, y) -> float:
    """Fraction of rows whose highest score is at the true label (or, for one column, the sign).

    `scores` are logits or probabilities (N, C); with a single column (N, 1) or (N,) a score
    above 0 means class 1, as for `BinaryCrossEntropy` on logits.
    """
    scores, y = np.asarray(scores), np.asarray(y)
    if scores.shape[0] != y.shape[0]:
        raise ValueError(f"accuracy: {scores.shape[0]} predictions but {y.shape[0]} labels")
    if y.ndim == 2:                                            # one-hot targets
        y = y.argmax(axis=1)
    if scores.ndim == 1 or scores.shape[1] == 1:
        pred = (scores.reshape(-1) > 0).astype(np.int64)
    else:
        pred = scores.argmax(axis=1)
    return float(np.mean(pred == y.reshape(-1)))


def count_correct(X, y, w, b) -> int:
    """How many points a neuron classifies correctly, predicting class 1 where z = x.w + b > 0.

    z > 0 is the same as sigmoid(z) > 0.5, so the decision line z = 0 splits the plane into
    the "class 1" and the "class 0" side. On the line itself (z = 0) we predict class 0.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    w = np.asarray(w, dtype=float).reshape(-1)
    if X.ndim != 2 or X.shape[1] != w.shape[0]:
        raise ValueError(f"count_correct: X must have shape (N, {w.shape[0]}), got {X.shape}")
    z = X @ w + float(b)                                   # (N,)
    return int(np.sum((z > 0).astype(np.int64) == y.reshape(-1)))


def confusion_matrix(y_true, y_pred, k: int = 10) -> np.ndarray:
    """Counts C[i, j] = how many examples of true class i were predicted as class j.

    The diagonal holds the correct answers; each row sums to the number of examples of that
    class. `np.add.at` adds 1 at every (true, pred) pair, repeated pairs included.
    """
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"confusion_matrix: {len(y_true)} labels but {len(y_pred)} predictions")
    C = np.zeros((k, k), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def top_confident_mistakes(probs, y, k: int = 12) -> np.ndarray:
    """Indices of the `k` wrong predictions made with the highest probability, most confident first.

    A mistake is a row whose argmax differs from the label; its confidence is that argmax
    probability. These are the errors worth looking at: often a mislabelled or odd digit.
    """
    probs, y = np.asarray(probs), np.asarray(y)
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    conf = probs[wrong, pred[wrong]]
    order = np.argsort(-conf, kind="stable")
    return wrong[order[:k]]


def smooth(values, beta: float = 0.9) -> np.ndarray:
    """Exponential moving average with bias correction (as in Adam), same length as `values`.

    Each point is a weighted average of the recent past, weights shrinking by `beta` per step,
    so about the last 1/(1-beta) steps count. Dividing by 1 - beta^t stops the first points
    from being pulled towards 0. Non-finite values are skipped (the average carries on).
    """
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"smooth: beta must be in [0, 1), got {beta}")
    out = np.empty(len(values))
    avg, weight = 0.0, 0.0
    for t, v in enumerate(values):
        if np.isfinite(v):
            avg = beta * avg + (1 - beta) * v
            weight = beta * weight + (1 - beta)
        out[t] = avg / weight if weight > 0 else np.nan
    return out
