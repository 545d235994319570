"""MNIST handwritten digits: `load_mnist`, the IDX file reader, and the download logic.

Notebook 12 trains its classifier on this data. `subset="small"` (7,000 images shipped in
`mnist_small.npz`, made by `tools/make_mnist_small.py`) never touches the network; the full
set comes from a local folder or the public mirrors, and every file is checked by sha256.
Written for clarity over speed. MNIST by Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.resources
import os
import zlib
from pathlib import Path

import numpy as np

ATTRIBUTION = "MNIST by Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0"
ENV_VAR = "NNLIB_DATA_DIR"
# Tried in turn; tests point these at a local HTTP server. Files are named "<base>.gz" there.
MIRRORS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
)
CACHE_DIR: str | os.PathLike | None = None  # None -> pooch.os_cache("nnlib") / "mnist"

# base name -> (sha256 of the canonical .gz download, sha256 of the decompressed IDX file)
_REGISTRY = {
    "train-images-idx3-ubyte": (
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    ),
    "train-labels-idx1-ubyte": (
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    ),
    "t10k-images-idx3-ubyte": (
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ),
    "t10k-labels-idx1-ubyte": (
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ),
}
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_MAGIC = {"images": 2051, "labels": 2049}  # 0x0803: uint8, 3 dims; 0x0801: uint8, 1 dim
_MEMO: dict[tuple, np.ndarray] = {}  # (path, mtime, size) -> verified read-only array


class MNISTNotFoundError(FileNotFoundError):
    """Raised when the full MNIST set is neither on disk nor downloadable."""


def _read_bytes(path: Path) -> bytes:
    """File content, gunzipped if the name ends in .gz; a broken gzip becomes a ValueError."""
    data = path.read_bytes()
    if path.suffix != ".gz":
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as e:
        raise ValueError(f"{path}: not a valid gzip file (truncated or corrupted?): {e}") from e


def _parse_idx(data: bytes, path) -> tuple[int, np.ndarray]:
    """Decode IDX bytes into (magic, read-only array), checking the header against the size."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError(
            f"{path}: expected an IDX file (magic 0x0000 + type byte + ndim, e.g. 2051 for "
            f"images, 2049 for labels), found first bytes {data[:4].hex() or 'nothing'}"
        )
    magic, ndim = int.from_bytes(data[:4], "big"), data[3]
    start = 4 + 4 * ndim
    if ndim == 0 or len(data) < start:
        raise ValueError(f"{path}: IDX header with {ndim} dims is truncated ({len(data)} bytes)")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_DTYPES[data[2]])
    expected = start + int(np.prod(shape)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(
            f"{path}: header says shape {shape} ({expected:,} bytes in all), found "
            f"{len(data):,} bytes ({'truncated' if len(data) < expected else 'trailing data'})"
        )
    return magic, np.frombuffer(data, dtype, offset=start).reshape(shape)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (raw or .gz) into an array with the shape stored in its header.

    IDX is MNIST's own format: 2 zero bytes, a type byte (0x08 = uint8), the number of
    dimensions, then each dimension as a big-endian int32, then the values. Reading it by hand
    (instead of trusting a pickle) is short, and a wrong size is caught before any training.
    Raises ValueError naming the file if it is truncated or not IDX. The result is read-only.
    """
    path = Path(path)
    return _parse_idx(_read_bytes(path), path)[1]


def _load_verified(path: Path, base: str) -> np.ndarray:
    """Read one MNIST file, check its magic, dims and decompressed sha256; memoised per file."""
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key in _MEMO:
        return _MEMO[key]
    data = _read_bytes(path)
    magic, arr = _parse_idx(data, path)
    kind = "images" if "images" in base else "labels"
    if magic != _MAGIC[kind]:
        raise ValueError(
            f"load_mnist: {path}: expected magic {_MAGIC[kind]} (MNIST {kind}), found {magic}"
        )
    if kind == "images" and arr.shape[1:] != (28, 28):
        raise ValueError(f"load_mnist: {path}: expected 28x28 images, found {arr.shape[1:]}")
    digest = hashlib.sha256(data).hexdigest()
    if digest != _REGISTRY[base][1]:
        raise ValueError(
            f"load_mnist: {path}: sha256 of the decompressed content is {digest}, expected "
            f"{_REGISTRY[base][1]} (the canonical {base}); the file is corrupted or not MNIST"
        )
    _MEMO[key] = arr
    return arr


def _find_in(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """The four files in `folder` (.gz preferred, raw IDX accepted) and the names missing."""
    found, missing = {}, []
    for base in _REGISTRY:
        hits = [folder / f"{base}.gz", folder / base]
        hit = next((p for p in hits if p.is_file()), None)
        found.update({base: hit} if hit else {})
        missing += [] if hit else [base]
    return found, missing


def check_mnist_dir(folder) -> dict[str, Path]:
    """The four MNIST files in `folder`, or an error that names what is wrong with it.

    Raises `ValueError` when `folder` is not an existing folder and `MNISTNotFoundError` naming
    the missing files when some are not there: a folder the user names is the folder used,
    never a reason to fall back on a download. The command line calls this before training.
    """
    if folder is None or str(folder) == "":
        raise ValueError("expected a folder with the four MNIST files, got no folder")
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise ValueError(f"not an existing folder: {str(folder)!r}")
    found, missing = _find_in(path.resolve())
    if missing:
        raise MNISTNotFoundError(
            f"the folder {str(folder)!r} lacks {', '.join(b + '[.gz]' for b in missing)} "
            f"(it must hold all four MNIST files, .gz or raw IDX)")
    unreadable = [str(f) for f in found.values() if not os.access(f, os.R_OK)]
    if unreadable:
        raise ValueError(f"cannot read {', '.join(unreadable)}")
    return found


def _cache_dir() -> Path:
    if CACHE_DIR is not None:
        return Path(CACHE_DIR)
    import pooch

    return Path(pooch.os_cache("nnlib")) / "mnist"


def _download(base: str, cache: Path, errors: list[str]) -> Path | None:
    """Fetch `base`.gz into `cache` from the first mirror that works, checked by pooch's sha256."""
    import pooch

    for mirror in MIRRORS:
        url = mirror + base + ".gz"
        try:
            return Path(pooch.retrieve(
                url, known_hash=f"sha256:{_REGISTRY[base][0]}", fname=base + ".gz",
                path=cache, downloader=pooch.HTTPDownloader(progressbar=True, timeout=30),
            ))  # fmt: skip
        except Exception as e:  # network errors come from requests; a bad hash is a ValueError
            errors.append(f"     {url}: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
    return None


def _locate_full(data_dir) -> dict[str, Path]:
    """Find the four files: data_dir, then $NNLIB_DATA_DIR, then the pooch cache, then mirrors."""
    if data_dir is not None:                       # the folder the caller names is the one used
        try:
            return check_mnist_dir(data_dir)
        except MNISTNotFoundError as exc:
            raise MNISTNotFoundError(f"load_mnist: data_dir: {exc}") from None
        except ValueError as exc:
            raise ValueError(f"load_mnist: data_dir must be an existing folder with the four "
                             f"MNIST files: {exc}") from None
    looked = ["  1. data_dir: not given"]
    for i, (label, value) in enumerate([(ENV_VAR, os.environ.get(ENV_VAR))], start=1):
        if not value:
            looked.append(f"  {i + 1}. {label}: not set")
            continue
        folder = Path(value).expanduser().resolve()  # a relative path is relative to the cwd
        if not folder.is_dir():
            looked.append(f"  {i + 1}. {label}={value}: {folder} is not a folder")
            continue
        found, missing = _find_in(folder)
        if not missing:
            return found
        looked.append(f"  {i + 1}. {label}={value} ({folder}): missing {', '.join(missing)}")
    cache = _cache_dir()
    missing = [b for b in _REGISTRY if not (cache / f"{b}.gz").is_file()]
    looked.append(f"  3. pooch cache {cache}: missing {', '.join(missing) or 'nothing'}")
    found, errors = {}, []
    for base in _REGISTRY:  # pooch re-uses a cached file whose .gz sha256 matches
        found[base] = _download(base, cache, errors)
        if found[base] is None:
            break  # the other files would fail the same way
    if all(found.get(b) for b in _REGISTRY):
        return found
    raise MNISTNotFoundError(
        "load_mnist: could not find the full MNIST set "
        f"({', '.join(b + '[.gz]' for b in _REGISTRY)}). Looked in:\n"
        + "\n".join([*looked, "  4. the download mirrors, which failed:", *errors])
        + f"\nHow to fix:\n  - set {ENV_VAR} to a folder holding the four files (.gz or raw "
        "IDX), e.g. `export NNLIB_DATA_DIR=/path/to/mnist`, or pass load_mnist(data_dir=...);\n"
        f"  - or connect to the internet and call load_mnist again (files are cached in {cache});"
        "\n  - or use load_mnist(subset='small'), which ships with nnlib."
    )


def _load_full(data_dir) -> tuple[np.ndarray, ...]:
    paths = _locate_full(data_dir)
    out = []
    for split in ("train", "t10k"):
        X = _load_verified(paths[f"{split}-images-idx3-ubyte"], f"{split}-images-idx3-ubyte")
        y = _load_verified(paths[f"{split}-labels-idx1-ubyte"], f"{split}-labels-idx1-ubyte")
        if len(X) != len(y):
            raise ValueError(f"load_mnist: {split}: {len(X)} images but {len(y)} labels")
        out += [X, y]
    return tuple(out)


def _load_small() -> tuple[np.ndarray, ...]:
    res = importlib.resources.files("nnlib.datasets").joinpath("mnist_small.npz")
    with res.open("rb") as f, np.load(f, allow_pickle=False) as d:
        return d["X_train"], d["y_train"], d["X_test"], d["y_test"]


def load_mnist(
    *,
    data_dir: str | os.PathLike | None = None,
    flatten: bool = True,
    normalize: bool = True,
    dtype=np.float32,
    subset: str = "full",
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Load MNIST as `(X_train, y_train, X_test, y_test)`, ready for an MLP.

    Pixels are scaled to [0, 1] so that weights initialised for unit-scale inputs work; the
    default float32 halves memory and time versus float64 (which gradient checks need, MNIST
    does not). Shapes: X (N, 784) if `flatten` else (N, 28, 28); y (N,) int64 in 0..9.

    Parameters
    ----------
    data_dir : folder with the four IDX files (.gz or raw); if given, it is the folder used
        (missing files are an error, named). If None, look in $NNLIB_DATA_DIR, then the
        pooch cache, then download from the mirrors (sha256-checked).
    flatten : return (N, 784) rows instead of (N, 28, 28) images.
    normalize : if True, X is `dtype` in [0, 1]; if False, X is the raw uint8 0..255 and
        `dtype` is ignored.
    dtype : a floating dtype for normalised pixels.
    subset : "full" (60,000 / 10,000) or "small" (6,000 / 1,000, class-balanced, shipped with
        nnlib; never needs the network).
    """
    if subset not in ("full", "small"):
        raise ValueError(f"load_mnist: subset must be 'full' or 'small', got {subset!r}")
    try:
        dtype = np.dtype(dtype)
    except TypeError as e:
        raise ValueError(f"load_mnist: dtype must be a floating dtype, got {dtype!r}") from e
    if dtype.kind != "f":
        raise ValueError(f"load_mnist: dtype must be a floating dtype, got {dtype}")
    if subset == "small":
        if data_dir is not None and not Path(data_dir).expanduser().is_dir():
            raise ValueError(f"load_mnist: data_dir must be an existing folder, got {data_dir!r}")
        X_train, y_train, X_test, y_test = _load_small()
    else:
        X_train, y_train, X_test, y_test = _load_full(data_dir)
    out = []
    for X, y in ((X_train, y_train), (X_test, y_test)):
        X = X.reshape(len(X), 784) if flatten else X.reshape(len(X), 28, 28)
        if normalize:
            X = X.astype(dtype)  # new array: the memoised uint8 stays untouched
            X /= 255
        else:
            X = X.copy()
        out += [X, y.astype(np.int64)]
    return tuple(out)
