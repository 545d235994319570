"""Tests for nnlib.datasets.mnist_loader: IDX parsing, local lookup, the (local-server) download path,
the offline error message, the shipped small subset, and, when available, the real full set."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import importlib.util
import os
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from nnlib.datasets import mnist_loader as mnist
from nnlib.datasets.mnist_loader import MNISTNotFoundError, load_mnist, read_idx

REPO = Path(__file__).resolve().parents[2]
NAMES = list(mnist._REGISTRY)  # train-images, train-labels, t10k-images, t10k-labels
# Copied from the README of the shared data folder (sha256 of the decompressed IDX files); kept
# separate from mnist._REGISTRY so that a typo in the module is caught here.
CANONICAL_RAW_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}


# ---------------------------------------------------------------- synthetic IDX files
def idx_bytes(arr: np.ndarray, magic_type: int = 0x08) -> bytes:
    """IDX encoding of a uint8 array: 0, 0, type, ndim, big-endian dims, then the data."""
    header = bytes([0, 0, magic_type, arr.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in arr.shape
    )
    return header + arr.astype(np.uint8).tobytes()


def write_idx(path: Path, arr: np.ndarray, gz: bool = True) -> Path:
    data = idx_bytes(arr)
    path = path.with_name(path.name + ".gz") if gz else path
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def make_arrays(n_train=20, n_test=10, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": (np.arange(n_train) % 10).astype(np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": (np.arange(n_test) % 10).astype(np.uint8),
    }


def write_set(folder: Path, arrays: dict, gz: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, arr in arrays.items():
        write_idx(folder / name, arr, gz=gz)
    return folder


def register(monkeypatch, arrays: dict) -> None:
    """Point the module's sha256 registry at these arrays (gz made with mtime=0, as served)."""
    reg = {}
    for name, arr in arrays.items():
        data = idx_bytes(arr)
        reg[name] = (hashlib.sha256(gzip.compress(data, mtime=0)).hexdigest(),
                     hashlib.sha256(data).hexdigest())  # fmt: skip
    monkeypatch.setattr(mnist, "_REGISTRY", reg)


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No data_dir, no NNLIB_DATA_DIR, an empty cache, and mirrors that refuse connections."""
    monkeypatch.delenv("NNLIB_DATA_DIR", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    cache = tmp_path / "cache"
    monkeypatch.setattr(mnist, "CACHE_DIR", cache)
    monkeypatch.setattr(mnist, "MIRRORS", (closed_port_url(),))
    return cache


@pytest.fixture
def server(tmp_path):
    """A static HTTP server on 127.0.0.1 serving tmp_path/www; yields (folder, base URL)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    www = tmp_path / "www"
    www.mkdir()
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(www))
    )
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield www, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


# ---------------------------------------------------------------- IDX parsing
@pytest.mark.parametrize("gz", [True, False])
def test_read_idx_images_and_labels(tmp_path, gz):
    arrays = make_arrays(n_train=7)
    images = write_idx(tmp_path / "img", arrays["train-images-idx3-ubyte"], gz=gz)
    labels = write_idx(tmp_path / "lab", arrays["train-labels-idx1-ubyte"], gz=gz)
    X, y = read_idx(images), read_idx(labels)
    assert X.shape == (7, 28, 28) and X.dtype == np.uint8
    assert y.shape == (7,) and y.dtype == np.uint8
    np.testing.assert_array_equal(X, arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(y, arrays["train-labels-idx1-ubyte"])
    assert not X.flags.writeable  # callers cannot corrupt a memoised array


def test_read_idx_rejects_truncated_raw_file(tmp_path):
    path = write_idx(tmp_path / "img", np.zeros((5, 28, 28), np.uint8), gz=False)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError) as e:
        read_idx(path)
    msg = str(e.value)
    assert str(path) in msg and "(5, 28, 28)" in msg and "truncated" in msg
    assert f"{16 + 5 * 784:,}" in msg and f"{16 + 5 * 784 - 100:,}" in msg  # expected vs found


def test_read_idx_rejects_truncated_gz_and_junk(tmp_path):
    path = write_idx(tmp_path / "img", np.zeros((5, 28, 28), np.uint8), gz=True)
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(ValueError, match="not a valid gzip file") as e:
        read_idx(path)
    assert str(path) in str(e.value)
    junk = tmp_path / "junk"
    junk.write_bytes(b"<html>not found</html>")
    with pytest.raises(ValueError, match="expected an IDX file.*found first bytes 3c68746d"):
        read_idx(junk)


def _corrupt_cases():
    a = make_arrays()
    wrong_magic = dict(a, **{"train-images-idx3-ubyte": a["train-labels-idx1-ubyte"]})
    wrong_dims = dict(a, **{"t10k-images-idx3-ubyte": np.zeros((10, 28, 27), np.uint8)})
    mismatch = dict(a, **{"train-labels-idx1-ubyte": a["train-labels-idx1-ubyte"][:19]})
    return [
        pytest.param(wrong_magic, r"train-images-idx3-ubyte.gz: expected magic 2051 \(MNIST images\), found 2049", id="magic"),
        pytest.param(wrong_dims, r"t10k-images-idx3-ubyte.gz: expected 28x28 images, found \(28, 27\)", id="dims"),
        pytest.param(mismatch, r"train: 20 images but 19 labels", id="count"),
    ]  # fmt: skip


@pytest.mark.parametrize("arrays, message", _corrupt_cases())
def test_load_mnist_rejects_corrupted_files(isolated, tmp_path, monkeypatch, arrays, message):
    register(monkeypatch, arrays)  # hashes match, so the header checks must catch it
    folder = write_set(tmp_path / "data", arrays)
    with pytest.raises(ValueError, match=message) as e:
        load_mnist(data_dir=folder)
    assert "load_mnist" in str(e.value)


def test_local_file_checked_by_decompressed_sha256(isolated, tmp_path, monkeypatch):
    arrays = make_arrays()
    register(monkeypatch, arrays)
    other = dict(arrays, **{"t10k-images-idx3-ubyte": arrays["t10k-images-idx3-ubyte"] ^ 1})
    folder = write_set(tmp_path / "data", other)
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz: sha256 of the decompressed"):
        load_mnist(data_dir=folder)


# ---------------------------------------------------------------- local folders
@pytest.mark.parametrize("gz", [True, False])
def test_load_from_data_dir(isolated, tmp_path, monkeypatch, gz):
    arrays = make_arrays()
    register(monkeypatch, arrays)
    folder = write_set(tmp_path / "data", arrays, gz=gz)
    X_train, y_train, X_test, y_test = load_mnist(data_dir=folder, dtype=np.float64)
    assert X_train.shape == (20, 784) and X_train.dtype == np.float64
    assert y_train.dtype == np.int64 and X_test.shape == (10, 784) and y_test.shape == (10,)
    np.testing.assert_allclose(X_train * 255, arrays["train-images-idx3-ubyte"].reshape(20, -1))
    X_train[:] = -1  # the caller's copy; the memoised arrays stay intact
    X_raw, *_ = load_mnist(data_dir=folder, normalize=False, flatten=False)
    assert X_raw.dtype == np.uint8 and X_raw.shape == (20, 28, 28) and X_raw.flags.writeable
    np.testing.assert_array_equal(X_raw, arrays["train-images-idx3-ubyte"])


def test_relative_env_var_resolved_against_cwd(isolated, tmp_path, monkeypatch):
    arrays = make_arrays()
    register(monkeypatch, arrays)
    write_set(tmp_path / "shared" / "mnist", arrays)
    monkeypatch.chdir(tmp_path / "shared")
    monkeypatch.setenv("NNLIB_DATA_DIR", "mnist")
    _, y_train, _, _ = load_mnist()
    np.testing.assert_array_equal(y_train, arrays["train-labels-idx1-ubyte"])


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"subset": "tiny"}, "subset must be 'full' or 'small', got 'tiny'"),
        ({"dtype": np.int32}, "dtype must be a floating dtype, got int32"),
        ({"dtype": "banana"}, "dtype must be a floating dtype"),
        ({"data_dir": "/no/such/folder"}, "data_dir must be an existing folder"),
        ({"data_dir": "/no/such/folder", "subset": "small"}, "data_dir must be an existing folder"),
    ],
)
def test_bad_arguments(kwargs, expected):
    with pytest.raises(ValueError, match="load_mnist") as e:
        load_mnist(**kwargs)
    assert expected in str(e.value)


# ---------------------------------------------------------------- offline / download
def test_offline_error_lists_every_place_and_the_fix(isolated):
    with pytest.raises(MNISTNotFoundError) as e:
        load_mnist()
    assert isinstance(e.value, FileNotFoundError)
    msg = str(e.value)
    for part in ["data_dir: not given", "NNLIB_DATA_DIR: not set", str(isolated),
                 mnist.MIRRORS[0], "ConnectionError", "How to fix", "export NNLIB_DATA_DIR=",
                 "connect to the internet", "subset='small'"]:  # fmt: skip
        assert part in msg, (part, msg)


def test_a_named_folder_is_the_folder_used_and_missing_files_are_named(isolated, tmp_path,
                                                                       monkeypatch):
    """data_dir=X with files missing stops there: no fall-back to NNLIB_DATA_DIR or a download."""
    good = write_set(tmp_path / "good", make_arrays())
    register(monkeypatch, make_arrays())
    monkeypatch.setenv("NNLIB_DATA_DIR", str(good))            # would work, but was not named
    data_dir = write_set(tmp_path / "dd", {"train-images-idx3-ubyte": make_arrays()["train-images-idx3-ubyte"]})
    with pytest.raises(MNISTNotFoundError) as e:
        load_mnist(data_dir=data_dir)
    msg = str(e.value)
    assert msg.startswith("load_mnist: data_dir:") and str(data_dir) in msg
    assert "lacks train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]" in msg
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(MNISTNotFoundError, match="lacks train-images-idx3-ubyte"):
        load_mnist(data_dir=empty)
    assert not isolated.exists() or not list(isolated.iterdir())   # nothing was downloaded


def test_an_incomplete_nnlib_data_dir_is_named_in_the_offline_error(isolated, tmp_path, monkeypatch):
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    monkeypatch.setenv("NNLIB_DATA_DIR", str(env_dir))
    with pytest.raises(MNISTNotFoundError) as e:
        load_mnist()
    msg = str(e.value)
    assert f"NNLIB_DATA_DIR={env_dir}" in msg and "missing train-images-idx3-ubyte" in msg


def test_download_from_local_mirror_then_cache(isolated, server, monkeypatch):
    www, url = server
    arrays = make_arrays()
    register(monkeypatch, arrays)
    write_set(www / "mnist", arrays)
    dead = mnist.MIRRORS[0]
    monkeypatch.setattr(mnist, "MIRRORS", (dead, url + "mnist/"))  # first mirror fails
    X_train, y_train, X_test, y_test = load_mnist(normalize=False, flatten=False)
    np.testing.assert_array_equal(X_test, arrays["t10k-images-idx3-ubyte"])
    np.testing.assert_array_equal(y_train, arrays["train-labels-idx1-ubyte"])
    assert sorted(p.name for p in isolated.iterdir()) == sorted(n + ".gz" for n in NAMES)
    monkeypatch.setattr(mnist, "MIRRORS", (dead,))  # offline now: the cache must suffice
    mnist._MEMO.clear()
    assert load_mnist()[0].shape == (20, 784)


def test_corrupted_download_is_refused_and_not_cached(isolated, server, monkeypatch):
    www, url = server
    arrays = make_arrays()
    register(monkeypatch, arrays)
    write_set(www, arrays)
    bad = www / "train-images-idx3-ubyte.gz"
    raw = bytearray(gzip.decompress(bad.read_bytes()))
    raw[500] ^= 0xFF  # one flipped pixel: still valid gzip and IDX, wrong sha256
    bad.write_bytes(gzip.compress(bytes(raw), mtime=0))
    monkeypatch.setattr(mnist, "MIRRORS", (url,))
    with pytest.raises(MNISTNotFoundError) as e:
        load_mnist()
    msg = str(e.value)
    assert url + "train-images-idx3-ubyte.gz" in msg and "does not match the known hash" in msg
    assert not list(isolated.glob("train-images*"))  # nothing half-trusted left behind


def test_bad_file_in_cache_is_downloaded_again(isolated, server, monkeypatch):
    www, url = server
    arrays = make_arrays()
    register(monkeypatch, arrays)
    write_set(www, arrays)
    monkeypatch.setattr(mnist, "MIRRORS", (url,))
    isolated.mkdir()
    (isolated / "t10k-labels-idx1-ubyte.gz").write_bytes(b"garbage")
    _, _, _, y_test = load_mnist()
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])


# ---------------------------------------------------------------- the shipped small subset
def test_small_subset(isolated):
    X_train, y_train, X_test, y_test = load_mnist(subset="small")  # no network, no env var
    assert X_train.shape == (6000, 784) and X_test.shape == (1000, 784)
    assert X_train.dtype == np.float32 and y_train.dtype == np.int64
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0 and X_train.max() == 1.0
    for y, n in ((y_train, 6000), (y_test, 1000)):
        counts = np.bincount(y, minlength=10)
        assert len(counts) == 10 and counts.sum() == n
        assert np.all(np.abs(counts - n / 10) <= 0.02 * n), counts
    X_img, *_ = load_mnist(subset="small", flatten=False, normalize=False)
    assert X_img.shape == (6000, 28, 28) and X_img.dtype == np.uint8 and X_img.max() == 255
    with np.load(REPO / "nnlib" / "datasets" / "mnist_small.npz") as d:
        assert str(d["attribution"]) == "MNIST by Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0"
        assert d["idx_train"].shape == (6000,) and len(np.unique(d["idx_train"])) == 6000
        assert d["idx_test"].max() < 10000
    assert (REPO / "nnlib" / "datasets" / "mnist_small.npz").stat().st_size < 6e6


# ---------------------------------------------------------------- the real full set (if present)
def _full_dir() -> Path | None:
    value = os.environ.get("NNLIB_DATA_DIR")
    if not value:
        return None
    folder = Path(value).expanduser().resolve()
    ok = all((folder / f"{n}.gz").is_file() or (folder / n).is_file() for n in NAMES)
    return folder if ok else None


@pytest.mark.skipif(_full_dir() is None, reason="NNLIB_DATA_DIR unset or lacks the four MNIST files")
def test_full_set_from_env_and_small_subset_indices():
    folder = _full_dir()
    for name in NAMES:
        path = folder / f"{name}.gz"
        data = gzip.decompress(path.read_bytes()) if path.is_file() else (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == CANONICAL_RAW_SHA256[name], name
    readme = folder / "README.md"
    if readme.is_file():
        assert all(h in readme.read_text() for h in CANONICAL_RAW_SHA256.values())

    X_train, y_train, X_test, y_test = load_mnist(flatten=False, normalize=False)
    assert X_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert X_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert y_train.dtype == np.int64 and set(np.unique(y_test)) == set(range(10))

    with np.load(REPO / "nnlib" / "datasets" / "mnist_small.npz") as d:
        small = dict(d)
    for split, X, y in (("train", X_train, y_train), ("test", X_test, y_test)):
        idx = small[f"idx_{split}"]
        np.testing.assert_array_equal(small[f"X_{split}"], X[idx])
        np.testing.assert_array_equal(small[f"y_{split}"], y[idx])

    # The tool regenerates the same indices from the stored seed (reproducible subset).
    spec = importlib.util.spec_from_file_location("make_mnist_small", REPO / "tools" / "make_mnist_small.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    again = tool.make_subset(folder, len(small["idx_train"]), len(small["idx_test"]), int(small["seed"]))
    np.testing.assert_array_equal(again["idx_train"], small["idx_train"])
    np.testing.assert_array_equal(again["idx_test"], small["idx_test"])
