"""The capstone program `notebooks/mnist_from_scratch.py` (notebook 16), checked against nnlib.

The program imports nothing from nnlib; these tests load it from its file and check its IDX
reader on small files made here, its gradients against nnlib's numerical gradient, that it
takes exactly the same first steps as nnlib from the same seed, and that its command line
answers every user error with one line and exit status 2 before any training.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import nnlib as nl

PROGRAM = Path(__file__).resolve().parents[2] / "notebooks" / "mnist_from_scratch.py"


def _load_program():
    spec = importlib.util.spec_from_file_location("mnist_from_scratch", PROGRAM)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


prog = _load_program()


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """An IDX file's bytes for a uint8 array: magic, big-endian counts, then the values."""
    magic = {1: 2049, 3: 2051}[array.ndim] if magic is None else magic
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


@pytest.mark.parametrize("name", ["images.gz", "images"])
def test_read_idx_images(tmp_path, name):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    got = prog.read_idx(write(tmp_path / name, idx_bytes(images)))
    assert got.dtype == np.uint8 and got.shape == (2, 3, 4)
    assert np.array_equal(got, images)


def test_read_idx_labels_and_big_counts(tmp_path):
    labels = np.arange(300) % 10                      # a count above 255 needs the 2nd byte
    got = prog.read_idx(write(tmp_path / "labels.gz", idx_bytes(labels)))
    assert got.shape == (300,) and np.array_equal(got, labels)


def test_read_idx_bad_magic(tmp_path):
    path = write(tmp_path / "bad.gz", idx_bytes(np.zeros((2, 3, 4)), magic=2050))
    with pytest.raises(ValueError, match=r"magic number 2050.*2049.*2051"):
        prog.read_idx(path)


@pytest.mark.parametrize("cut", [3, 10, 20])
def test_read_idx_truncated(tmp_path, cut):
    data = idx_bytes(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="read_idx"):
        prog.read_idx(write(tmp_path / "short.gz", data[:-cut] if cut < 20 else data[:cut]))


def test_load_mnist_from_a_folder(tmp_path):
    rng = nl.make_rng(0)
    for split, n in (("train", 5), ("t10k", 3)):
        write(tmp_path / f"{split}-images-idx3-ubyte.gz",
              idx_bytes(rng.integers(0, 256, size=(n, 28, 28))))
        write(tmp_path / f"{split}-labels-idx1-ubyte.gz", idx_bytes(rng.integers(0, 10, size=n)))
    X_train, y_train, X_test, y_test = prog.load_mnist(tmp_path)
    assert X_train.shape == (5, 784) and X_test.shape == (3, 784) and y_test.shape == (3,)
    assert X_train.dtype == np.float32 and y_train.dtype == np.int64
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0


def test_he_init_matches_nnlib():
    net = prog.Network([784, 64, 10], seed=3, dtype=np.float64)
    ref = nl.mlp([784, 64, 10], rng=3)
    for mine, theirs in zip(net.params(), ref.parameters()):
        assert np.array_equal(mine, theirs.data)
    assert abs(net.weights[0].std() - np.sqrt(2 / 784)) < 0.01 * np.sqrt(2 / 784) * 10


def test_softmax_cross_entropy_matches_nnlib():
    rng = nl.make_rng(1)
    z, y = rng.normal(size=(7, 10)) * 30, rng.integers(0, 10, size=7)   # large scores too
    loss, dz = prog.softmax_cross_entropy(z, y)
    ref = nl.SoftmaxCrossEntropy()
    assert np.isclose(loss, ref(z, y), rtol=1e-12)
    assert np.allclose(dz, ref.backward(), rtol=1e-10, atol=1e-14)


def test_gradients_match_numerical_gradients():
    rng = nl.make_rng(2)
    net = prog.Network([6, 5, 4, 3], seed=0, dtype=np.float64)
    X, y = rng.normal(size=(8, 6)), rng.integers(0, 3, size=8)
    _, grads = net.loss_and_grads(X, y)
    for p, g in zip(net.params(), grads):
        numerical = nl.numerical_gradient(lambda: net.loss_and_grads(X, y)[0], p)
        assert g.shape == p.shape
        assert nl.rel_error(g, numerical) < 1e-7


def test_first_steps_equal_nnlib():
    """Same seed -> same weights, same batches, same loss at every one of the first 20 steps."""
    X, y, _, _ = nl.load_mnist(subset="small", dtype=np.float64)
    X, y = X[:1280], y[:1280]
    sizes, lr, momentum, batch = [784, 32, 10], 0.1, 0.9, 64
    net = prog.Network(sizes, seed=0, dtype=np.float64)
    opt = prog.SGDMomentum(net.params(), lr=lr, momentum=momentum)
    mine = []
    for xb, yb in prog.batches(X, y, batch, np.random.default_rng(1)):
        loss, grads = net.loss_and_grads(xb, yb)
        opt.step(grads)
        mine.append(loss)
    model, loss_fn = nl.mlp(sizes, rng=0), nl.SoftmaxCrossEntropy()
    ref_opt = nl.SGD(model.parameters(), lr=lr, momentum=momentum)
    theirs = [nl.train_step(model, loss_fn, ref_opt, xb, yb)
              for xb, yb in nl.DataLoader(X, y, batch_size=batch, rng=1)]
    assert len(mine) == len(theirs) == 20
    assert np.allclose(mine, theirs, rtol=0, atol=1e-10), np.abs(np.subtract(mine, theirs)).max()
    for p, q in zip(net.params(), model.parameters()):
        assert np.allclose(p, q.data, atol=1e-10)


def test_train_learns_small_mnist():
    X_train, y_train, X_test, y_test = nl.load_mnist(subset="small")
    net = prog.Network([784, 64, 10], seed=0)
    losses = prog.train(net, X_train, y_train, epochs=2, batch_size=64, lr=0.05,
                        log=lambda line: None)
    assert len(losses) == 2 * 94 and losses[-1] < losses[0]
    assert prog.accuracy(net, X_test, y_test) > 0.88


# ---------------------------------------------------------------------------------------
# The command line: every user error is one line on stderr and exit status 2, before training
# ---------------------------------------------------------------------------------------
def mnist_folder(folder: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """A tiny MNIST folder (6 training and 4 test images) with the four files, minus `leave_out`."""
    folder.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    for split, n in (("train", 6), ("t10k", 4)):
        for kind, array in (("images-idx3", rng.integers(0, 256, size=(n, 28, 28))),
                            ("labels-idx1", rng.integers(0, 10, size=n))):
            name = f"{split}-{kind}-ubyte.gz"
            if name not in leave_out:
                write(folder / name, idx_bytes(array))
    return folder


def run_program(*args: str, env_dir: str | None = None, timeout: float = 60):
    """Run the program in a subprocess with NNLIB_DATA_DIR cleared (or set to `env_dir`)."""
    env = {k: v for k, v in os.environ.items() if k != "NNLIB_DATA_DIR"}
    if env_dir is not None:
        env["NNLIB_DATA_DIR"] = env_dir
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, str(PROGRAM), *args], capture_output=True, text=True,
                          env=env, timeout=timeout)
    return done, time.perf_counter() - t0


def _truncated(tmp: Path):
    folder = mnist_folder(tmp / "data")
    path = folder / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-20])                  # a download cut short
    return ["--data-dir", str(folder)], "t10k-images-idx3-ubyte.gz"


def _bad_magic(tmp: Path):
    folder = mnist_folder(tmp / "data")
    write(folder / "train-labels-idx1-ubyte.gz", idx_bytes(np.zeros(6), magic=2050))
    return ["--data-dir", str(folder)], "2050"


def _three_of_four(tmp: Path):
    folder = mnist_folder(tmp / "data", leave_out=("t10k-labels-idx1-ubyte.gz",))
    return ["--data-dir", str(folder)], "lacks 1 of the 4 MNIST files: t10k-labels-idx1-ubyte.gz"


BAD_INPUTS = {
    "missing folder": lambda tmp: (["--data-dir", str(tmp / "nowhere")], "nowhere"),
    "missing folder from NNLIB_DATA_DIR": lambda tmp: ([], "nowhere' (from NNLIB_DATA_DIR)"),
    "folder is a file": lambda tmp: (["--data-dir", str(write(tmp / "f.txt", b"x"))], "f.txt"),
    "folder without the files": lambda tmp: (["--data-dir", str(tmp)],
                                             "lacks 4 of the 4 MNIST files"),
    "3 of the 4 files": _three_of_four,
    "truncated .gz file": _truncated,
    "wrong magic number": _bad_magic,
    "no data folder at all": lambda tmp: ([], "--data-dir DIR or set NNLIB_DATA_DIR"),
    "--epochs 0": lambda tmp: (["--data-dir", str(mnist_folder(tmp / "d")), "--epochs", "0"],
                               "'0' is not greater than 0"),
    "--epochs abc": lambda tmp: (["--epochs", "abc"], "'abc' is not a whole number"),
    "--epochs -3": lambda tmp: (["--epochs", "-3"], "'-3' is not greater than 0"),
    "--epochs 2.5": lambda tmp: (["--epochs", "2.5"], "'2.5'"),
    "--batch-size 0": lambda tmp: (["--batch-size", "0"], "--batch-size: '0'"),
    "--lr nan": lambda tmp: (["--lr", "nan"], "--lr: 'nan'"),
    "old positional usage": lambda tmp: ([str(tmp), "5"], "unrecognized arguments"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_command_line_errors_are_one_line_and_exit_2(tmp_path, case):
    args, named = BAD_INPUTS[case](tmp_path)
    env_dir = str(tmp_path / "nowhere") if case.endswith("NNLIB_DATA_DIR") else None
    done, seconds = run_program(*args, env_dir=env_dir)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mnist_from_scratch.py: error: "), done.stderr
    assert named in lines[0], (named, lines[0])
    assert done.stdout == ""                                   # nothing loaded, nothing trained
    assert seconds < 15, seconds                               # python + numpy start, no training


def test_command_line_help():
    done, _ = run_program("--help")
    assert done.returncode == 0 and done.stderr == ""
    for option in ("--data-dir DIR", "--epochs N", "--batch-size B", "--lr LR", "--seed S",
                   "NNLIB_DATA_DIR"):
        assert option in done.stdout, option


def test_command_line_trains_with_the_options_given(tmp_path):
    folder = mnist_folder(tmp_path / "data")
    done, _ = run_program("--epochs", "2", "--batch-size", "4", "--lr", "0.01", "--seed", "3",
                          env_dir=str(folder))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "6 training and 4 test images of 784 pixels"
    assert [ln.split(":")[0] for ln in lines[1:3]] == ["epoch  1", "epoch  2"]
    assert lines[-1].startswith("final test accuracy: ")
