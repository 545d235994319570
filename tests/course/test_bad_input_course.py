"""Issue 20: the playground's data check and `PlaygroundModel`'s settings refuse bad input in one
clear line that names the function (or class), the setting and the bad value.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from nnlib.course.playground_engine import PlaygroundModel, check_data

X = np.random.default_rng(0).normal(size=(8, 2))
Y = np.array([0, 1] * 4)
XN = X.copy()
XN[2, 1] = np.nan
CD = "check_data (playground data): "

DATA = [
    ((X[:, 0], Y), CD + "X must have shape (N, 2) (one row per point, columns x1 and x2), got shape (8,)"),
    ((np.zeros((8, 3)), Y), CD + "X must have shape (N, 2) (one row per point, columns x1 and x2), got shape (8, 3)"),
    ((X, Y[:5]), CD + "y must have shape (8,), one label or value per row of X, got shape (5,)"),
    ((X[:3], Y[:3]), CD + "need at least 4 points (some to train, some to test), got 3"),
    ((X, Y.astype(str)), CD + "X and y must be numbers, got dtypes float64 and <U21"),
    ((XN, Y), CD + "1 point(s) contain NaN or infinity, e.g. row 2; remove them first"),
    ((X, np.zeros(8, dtype=int)), CD + "only one class (0) in y"),
    ((X, np.arange(8)), CD + "8 classes, at most 6 can be shown"),
    ((X, Y, "clustering"), CD + "task must be 'classification' or 'regression', got 'clustering'"),
    ((X, Y + 0.5, "classification"), CD + "classification labels must be whole numbers"),
]


@pytest.mark.parametrize("args, message", DATA, ids=[m[len(CD):][:50] for _, m in DATA])
def test_check_data_refuses_bad_points(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_data(*args)


PM = "PlaygroundModel: "
SETTINGS = [
    (dict(dataset="moons!"), PM + "dataset must be one of"),
    (dict(dataset=["circles"]), PM + "dataset must be one of"),
    (dict(noise=-0.1), PM + "noise must be a finite number >= 0, got -0.1"),
    (dict(noise=math.nan), PM + "noise must be a finite number >= 0, got nan"),
    (dict(hidden=4), PM + "hidden must be a list of neurons per hidden layer, whole numbers >= 1 (e.g. (4, 2), or () for none), got 4"),
    (dict(hidden=(4, 0)), PM + "hidden must be a list of neurons per hidden layer, whole numbers >= 1 (e.g. (4, 2), or () for none), got (4, 0)"),
    (dict(hidden=(2.5,)), PM + "hidden must be a list of neurons per hidden layer, whole numbers >= 1 (e.g. (4, 2), or () for none), got (2.5,)"),
    (dict(lr=0), PM + "lr must be a finite number > 0, got 0"),
    (dict(lr="0.03"), PM + "lr must be a finite number > 0, got '0.03'"),
    (dict(lr=math.inf), PM + "lr must be a finite number > 0, got inf"),
    (dict(batch_size=0), PM + "batch_size must be a whole number >= 1, got 0"),
    (dict(batch_size=2.5), PM + "batch_size must be a whole number >= 1, got 2.5"),
    (dict(regularization="L3"), PM + "regularization must be none, L1 or L2, got 'L3'"),
    (dict(reg_rate=-1), PM + "reg_rate must be a finite number >= 0, got -1"),
    (dict(activation="softplus"), PM + "activation must be one of"),
    (dict(activation=None), PM + "activation must be one of"),
    (dict(train_fraction=1.0), PM + "train_fraction must be in (0, 1), got 1.0"),
    (dict(features="x1"), PM + "features must be a list of feature names, e.g. ('x1',), got 'x1'"),
    (dict(n=2), PM + "n must be a whole number >= 4, got 2"),
]


@pytest.mark.parametrize("kwargs, message", SETTINGS, ids=[repr(k) for k, _ in SETTINGS])
def test_playground_model_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        PlaygroundModel(**kwargs)


def test_playground_model_message_shows_the_bad_name():
    with pytest.raises(ValueError, match=re.escape("got 'moons!'")):
        PlaygroundModel("moons!")
    with pytest.raises(ValueError, match=re.escape("got 'softplus'")):
        PlaygroundModel(activation="softplus")


def test_playground_model_still_accepts_good_settings():
    m = PlaygroundModel("xor", hidden=np.array([3, 2]), lr=np.float64(0.1), batch_size=np.int64(5),
                        n=40, noise=0)
    assert m.hidden == [3, 2] and m.batch_size == 5
    assert PlaygroundModel(X=X, y=Y, hidden=()).task == "classification"
