"""The MNIST recipes and the `nnlib-mnist` command: they train, save, and refuse bad input at the door.

A user error on the command line is one line on stderr and exit status 2 (argparse's
convention), never a traceback, and it comes before any training: a wrong `--save` folder
must not cost a finished run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

import nnlib as nl
from nnlib.apps import cli, recipes
from nnlib.datasets import augment


def test_mlp_recipe_trains_on_the_small_subset_and_saves(tmp_path, capsys):
    model, history, acc = recipes.train_mnist(subset="small", epochs=1, progress=False)
    assert len(history) == 1 and 0.5 < acc <= 1.0
    path = tmp_path / "mlp.npz"
    assert cli.main(["--subset", "small", "--epochs", "1", "--no-progress",
                     "--save", str(path)]) == 0
    out = capsys.readouterr().out
    assert "MLP 784-256-128-10" in out and "test accuracy" in out and "saved to" in out
    back, meta = nl.load(path, with_metadata=True)
    assert meta["recipe"]["model"] == "mlp" and 0.5 < meta["test_acc"] <= 1.0


def test_cnn_recipe_command(tmp_path, capsys):
    assert recipes.CNN_RECIPE.model == "cnn" and recipes.CNN_RECIPE.augment
    path = tmp_path / "cnn.npz"
    assert cli.main(["--model", "cnn", "--subset", "small", "--epochs", "1", "--no-progress",
                     "--save", str(path)]) == 0
    out = capsys.readouterr().out
    assert "CNN conv3x3(16)" in out and "augment" in out and "test accuracy" in out
    model, meta = nl.load(path, with_metadata=True)
    assert isinstance(model.layers[0], nl.Conv2d) and meta["recipe"]["model"] == "cnn"
    assert meta["test_acc"] > 0.5


def test_the_textbook_switch_gives_the_same_run():
    fast_run = recipes.train_mnist(subset="small", epochs=1, progress=False, fast=True)
    slow_run = recipes.train_mnist(subset="small", epochs=1, progress=False, fast=False)
    assert fast_run[2] == pytest.approx(slow_run[2], abs=2e-3)   # float32: rounding may differ


@pytest.mark.parametrize("kwargs, error, words", [
    ({"subset": "tiny"}, ValueError, "subset must be 'small' or 'full', got 'tiny'"),
    ({"subset": "small", "epochs": 0}, ValueError, "epochs must be a positive int, got 0"),
    ({"subset": "small", "epochs": 2.5}, ValueError, "epochs must be a positive int, got 2.5"),
    ({"subset": "small", "epochs": True}, ValueError, "epochs must be a positive int, got True"),
    ({"subset": "small", "recipe": "cnn"}, TypeError, "recipe must be a Recipe"),
])
def test_train_mnist_refuses_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match="train_mnist: " + words.replace("(", r"\(").replace(")", r"\)")):
        recipes.train_mnist(progress=False, **kwargs)


def _run(args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "NNLIB_DATA_DIR"}
    env.update(env_extra or {})
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "nnlib.apps.cli", *args], capture_output=True,
                         text=True, env=env, cwd=cwd, timeout=120)
    return out, time.perf_counter() - t0


def _bad_cases(tmp):
    empty = tmp / "empty"
    empty.mkdir()
    three = tmp / "three"
    three.mkdir()
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz"):
        (three / name).write_bytes(b"")
    readonly = tmp / "readonly"
    readonly.mkdir()
    return [
        (["--save", str(tmp / "no" / "such" / "model.npz"), "--subset", "small"], "--save",
         "does not exist"),
        (["--save", str(tmp), "--subset", "small"], "--save", "is a folder"),
        (["--data-dir", str(tmp / "missing")], "--data-dir", "not an existing folder"),
        (["--data-dir", str(empty)], "--data-dir", "lacks train-images-idx3-ubyte"),
        (["--data-dir", str(three)], "--data-dir", "lacks t10k-labels-idx1-ubyte"),
        (["--epochs", "0"], "--epochs", "expected a whole number >= 1, got 0"),
        (["--epochs", "abc"], "--epochs", "expected a whole number >= 1, got 'abc'"),
        (["--epochs", "-3"], "--epochs", "expected a whole number >= 1, got -3"),
        (["--model", "rnn"], "--model", "invalid choice: 'rnn'"),
        (["--subset", "medium"], "--subset", "invalid choice: 'medium'"),
        (["--seed", "x"], "--seed", "invalid int value: 'x'"),
    ]


@pytest.mark.parametrize("case", range(11))
def test_a_user_error_is_one_line_exit_2_and_comes_before_training(tmp_path, case):
    args, flag, words = _bad_cases(tmp_path)[case]
    out, seconds = _run(args)
    assert out.returncode == 2, (args, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and out.stdout == ""      # nothing trained or printed
    message = out.stderr.splitlines()                               # one line, nothing else
    assert len(message) == 1 and message[0].startswith("nnlib-mnist: error: "), out.stderr
    assert flag in message[0] and words in message[0], out.stderr
    assert seconds < 20                                            # refused at the door


def test_a_bad_nnlib_data_dir_is_refused_too(tmp_path):
    out, _ = _run([], {"NNLIB_DATA_DIR": str(tmp_path / "nowhere")})
    assert out.returncode == 2 and "NNLIB_DATA_DIR" in out.stderr and "Traceback" not in out.stderr


def test_an_unwritable_save_folder_is_refused(tmp_path, monkeypatch, capsys):
    # CI runs as root, which may write anywhere: say the folder is read-only instead
    monkeypatch.setattr(cli.os, "access", lambda path, mode: False)
    with pytest.raises(SystemExit) as stop:
        cli.main(["--save", str(tmp_path / "m.npz"), "--subset", "small"])
    assert stop.value.code == 2 and "is not writable" in capsys.readouterr().err


def test_cnn_recipe_augments_stroke_and_geometry():
    t = recipes.CNN_RECIPE.make_transform(nl.make_rng(0))
    assert isinstance(t, augment.Compose)
    assert [type(s) for s in t.transforms] == [augment.RandomStroke, augment.RandomAffine]
    assert "stroke" in recipes.describe_recipe(recipes.CNN_RECIPE)
    assert recipes.RECIPE.make_transform(nl.make_rng(0)) is None
