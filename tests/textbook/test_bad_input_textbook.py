"""Issue 20: the schedules, EarlyStopping and save/load refuse bad input in one clear line.

Each case checks the exception type and that the message names the function (or class) and
shows the bad value, so a learner sees at once which call and which argument to fix.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import nnlib as nl

SCHEDULES = [
    # (call, exception, what the message must contain)
    (lambda: nl.step_lr(-0.1, 5), ValueError, "step_lr: lr must be a finite number >= 0, got -0.1"),
    (lambda: nl.step_lr(math.nan, 5), ValueError, "step_lr: lr must be a finite number >= 0, got nan"),
    (lambda: nl.step_lr("0.1", 5), TypeError, "step_lr: lr must be a finite number >= 0, got '0.1'"),
    (lambda: nl.step_lr(0.1, 0), ValueError, "step_lr: every must be a positive number of epochs, got 0"),
    (lambda: nl.step_lr(0.1, 2.5), TypeError, "step_lr: every must be a positive whole number of epochs, got 2.5"),
    (lambda: nl.step_lr(0.1, True), TypeError, "step_lr: every must be a positive whole number of epochs, got True"),
    (lambda: nl.step_lr(0.1, 5, gamma=0), ValueError, "step_lr: gamma must be a finite number > 0, got 0"),
    (lambda: nl.step_lr(0.1, 5, gamma=-0.5), ValueError, "step_lr: gamma must be a finite number > 0, got -0.5"),
    (lambda: nl.cosine_lr(math.inf), ValueError, "cosine_lr: lr must be a finite number >= 0, got inf"),
    (lambda: nl.cosine_lr(0.1, min_lr=0.5), ValueError, "cosine_lr: min_lr must be a finite number in [0, lr=0.1], got 0.5"),
    (lambda: nl.cosine_lr(0.1, min_lr=-1e-3), ValueError, "cosine_lr: min_lr must be a finite number in [0, lr=0.1], got -0.001"),
    (lambda: nl.cosine_lr(0.1, warmup=1.0), ValueError, "cosine_lr: warmup must be a fraction of the steps in [0, 1), got 1.0"),
    (lambda: nl.cosine_lr(0.1, warmup=-0.1), ValueError, "cosine_lr: warmup must be a fraction of the steps in [0, 1), got -0.1"),
    (lambda: nl.cosine_lr(None), TypeError, "cosine_lr: lr must be a finite number >= 0, got None"),
    (lambda: nl.one_cycle_lr(False), TypeError, "one_cycle_lr: max_lr must be a finite number >= 0, got False"),
    (lambda: nl.one_cycle_lr(0.3, pct_start=0), ValueError, "one_cycle_lr: pct_start must be a fraction of the steps in (0, 1), got 0"),
    (lambda: nl.one_cycle_lr(0.3, pct_start=1.5), ValueError, "one_cycle_lr: pct_start must be a fraction of the steps in (0, 1), got 1.5"),
    (lambda: nl.one_cycle_lr(0.3, div=0), ValueError, "one_cycle_lr: div must be a finite number > 0, got 0"),
    (lambda: nl.one_cycle_lr(0.3, final_div=math.nan), ValueError, "one_cycle_lr: final_div must be a finite number > 0, got nan"),
    (lambda: nl.one_cycle_lr([0.3]), TypeError, "one_cycle_lr: max_lr must be a finite number >= 0, got a list"),
]


@pytest.mark.parametrize("call, exc, message", SCHEDULES, ids=[m.split(", got")[0] + " | " + m.split("got ")[-1]
                                                              for _, _, m in SCHEDULES])
def test_schedules_refuse_bad_settings(call, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        call()


def test_schedules_still_accept_numpy_numbers_and_edges():
    assert nl.step_lr(np.float32(0.1), np.int64(2), gamma=0.5)(2, 0, 10) == pytest.approx(0.05)
    assert nl.cosine_lr(0.1, min_lr=0.1)(0, 5, 10) == pytest.approx(0.1)
    assert nl.cosine_lr(0, warmup=0.0)(0, 0, 10) == 0
    assert nl.one_cycle_lr(1.0, pct_start=0.5)(0, 5, 10) == pytest.approx(1.0)


EARLY = [
    (dict(patience=-1), ValueError, "EarlyStopping: patience must be >= 0, got -1"),
    (dict(patience=2.5), TypeError, "EarlyStopping: patience must be a whole number of epochs >= 0, got 2.5"),
    (dict(patience="3"), TypeError, "EarlyStopping: patience must be a whole number of epochs >= 0, got '3'"),
    (dict(patience=None), TypeError, "EarlyStopping: patience must be a whole number of epochs >= 0, got None"),
    (dict(mode="maximum"), ValueError, "EarlyStopping: mode must be None, 'min' or 'max', got 'maximum'"),
    (dict(mode="MIN"), ValueError, "EarlyStopping: mode must be None, 'min' or 'max', got 'MIN'"),
    (dict(monitor=3), TypeError, "EarlyStopping: monitor must be the name of a logged value (e.g. 'val_loss' or 'val_acc'), got 3"),
    (dict(monitor=None), TypeError, "EarlyStopping: monitor must be the name of a logged value (e.g. 'val_loss' or 'val_acc'), got None"),
    (dict(monitor=["val_loss"]), TypeError, "EarlyStopping: monitor must be the name of a logged value (e.g. 'val_loss' or 'val_acc'), got a list"),
]


@pytest.mark.parametrize("kwargs, exc, message", EARLY, ids=[repr(k) for k, _, _ in EARLY])
def test_early_stopping_refuses_bad_settings(kwargs, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        nl.EarlyStopping(**kwargs)


def test_early_stopping_good_settings():
    assert nl.EarlyStopping("val_acc").mode == "max"
    assert nl.EarlyStopping(patience=np.int64(0), mode="min").patience == 0


class Opaque:
    pass


def _save_cases(tmp):
    model = nl.mlp([2, 3, 2], rng=0)
    (tmp / "adir").mkdir()
    (tmp / "notes.txt").write_text("hello, world")
    np.save(tmp / "array.npy", np.zeros(3))
    return [
        (lambda: nl.save("model", tmp / "m.npz"), TypeError,
         "save: model must be an nnlib Sequential (e.g. nl.mlp([2, 8, 2])), got 'model'"),
        (lambda: nl.save(np.zeros(3), tmp / "m.npz"), TypeError,
         "save: model must be an nnlib Sequential (e.g. nl.mlp([2, 8, 2])), got a ndarray"),
        (lambda: nl.save(model, tmp / "missing" / "m.npz"), FileNotFoundError,
         f"save: the folder {str(tmp / 'missing')!r} does not exist; create it first"),
        (lambda: nl.save(model, tmp / "adir"), ValueError,
         f"save: {str(tmp / 'adir')!r} is a folder; give a file name such as"),
        (lambda: nl.save(model, 3), TypeError,
         "save: path must be a file name (a str or pathlib.Path), got 3"),
        (lambda: nl.save(model, tmp / "m.npz", note=Opaque()), TypeError,
         "save: metadata note=a Opaque cannot be stored"),
        (lambda: nl.save(model, tmp / "m.npz", shape=np.zeros(2)), TypeError,
         "save: metadata shape=a ndarray cannot be stored"),
        (lambda: nl.load(tmp / "nothing.npz"), FileNotFoundError,
         f"load: no file at {str(tmp / 'nothing.npz')!r}"),
        (lambda: nl.load(tmp / "adir"), ValueError,
         f"load: {str(tmp / 'adir')!r} is a folder, expected an .npz file written by nl.save"),
        (lambda: nl.load(tmp / "notes.txt"), ValueError,
         f"load: {str(tmp / 'notes.txt')!r} is not a complete nnlib model: it is not an .npz file"),
        (lambda: nl.load(tmp / "array.npy"), ValueError,
         f"load: {str(tmp / 'array.npy')!r} is not a complete nnlib model: it is not an .npz file"),
        (lambda: nl.load(None), TypeError,
         "load: path must be a file name (a str or pathlib.Path), got None"),
    ]


@pytest.mark.parametrize("case", range(12))
def test_save_and_load_refuse_bad_input(tmp_path, case):
    call, exc, message = _save_cases(tmp_path)[case]
    with pytest.raises(exc, match=re.escape(message)):
        call()
    assert not (tmp_path / "m.npz").exists()            # nothing half-written


def test_save_refuses_before_writing_and_keeps_numpy_metadata(tmp_path):
    model = nl.mlp([2, 3, 2], rng=0)
    path = nl.save(model, tmp_path / "m", acc=np.float32(0.5), n=np.int64(3))
    assert nl.load(path, with_metadata=True)[1] == {"acc": 0.5, "n": 3}
    with pytest.raises(FileNotFoundError, match=re.escape("but " + repr(path) + " exists")):
        nl.load(tmp_path / "m")
