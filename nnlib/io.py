"""Saving and loading networks as `.npz` files: the weights plus a plain description of the layers.

No pickle (`allow_pickle=False`): a saved model is arrays and a JSON string, safe to open
from anyone. Notebook 12 saves the MNIST classifier that notebook 13 loads.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib

import numpy as np

from . import conv
from .core import Module
from .layers import Dropout, Identity, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Tanh

_SIMPLE = {"ReLU": ReLU, "Sigmoid": Sigmoid, "Tanh": Tanh, "Identity": Identity}


def _describe(layer: Module) -> dict:
    spec = conv.layer_spec(layer)                   # Conv2d, MaxPool2d, Flatten: nnlib/conv.py
    if spec is not None:
        return spec
    if isinstance(layer, Linear):
        return {"type": "Linear", "in": layer.in_features, "out": layer.out_features,
                "dtype": layer.dtype.name}
    if isinstance(layer, LeakyReLU):
        return {"type": "LeakyReLU", "negative_slope": layer.negative_slope}
    if isinstance(layer, Dropout):
        return {"type": "Dropout", "p": layer.p}
    if type(layer).__name__ in _SIMPLE and type(layer) is _SIMPLE[type(layer).__name__]:
        return {"type": type(layer).__name__}
    raise ValueError(f"save: cannot describe a {type(layer).__name__}; supported layers are "
                     f"Linear, LeakyReLU, Dropout, {', '.join(_SIMPLE)}, Conv2d, MaxPool2d, Flatten "
                     "inside a Sequential")


def _build(spec: dict) -> Module:
    layer = conv.build(spec)                      # Conv2d, MaxPool2d, Flatten: nnlib/conv.py
    if layer is not None:
        return layer
    kind = spec.get("type")
    if kind == "Linear":
        return Linear(spec["in"], spec["out"], init="zeros", dtype=np.dtype(spec["dtype"]))
    if kind == "LeakyReLU":
        return LeakyReLU(spec["negative_slope"])
    if kind == "Dropout":
        return Dropout(spec["p"])
    if kind in _SIMPLE:
        return _SIMPLE[kind]()
    raise ValueError(f"load: unknown layer type {kind!r} in the saved architecture")


def save(model: Sequential, path, **metadata) -> str:
    """Write the architecture and every parameter of `model` to `path` (.npz); return the path.

    Extra keyword arguments (numbers, strings, lists) are stored as JSON metadata, e.g. the
    test accuracy; `load(path, with_metadata=True)` gives them back.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"save: model must be an nnlib Sequential (e.g. nl.mlp([2, 8, 2])), got "
                        f"{_shown(model)}")
    arch = [_describe(layer) for layer in model.layers]
    path = _file_name("save", path)
    if not path.endswith(".npz") and not os.path.isdir(path):
        path += ".npz"
    if os.path.isdir(path):
        raise ValueError(f"save: {path!r} is a folder; give a file name such as "
                         f"{os.path.join(path, 'model.npz')!r}")
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        raise FileNotFoundError(f"save: the folder {folder!r} does not exist; create it first "
                                f"(nothing was written to {path!r})")
    for key, value in metadata.items():        # every value must survive JSON, before writing
        try:
            json.dumps(value, default=_plain)
        except (TypeError, ValueError):
            raise TypeError(f"save: metadata {key}={_shown(value)} cannot be stored; use numbers, "
                            "strings, True/False/None, or lists and dicts of them") from None
    arrays = {f"param_{i}": p.data for i, p in enumerate(model.parameters())}
    np.savez(path, __arch__=np.array(json.dumps(arch)),
             __meta__=np.array(json.dumps(metadata, default=_plain)), **arrays)
    return path


def _shown(value) -> str:
    """A value for an error message: short ones as themselves, anything else by its type."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)
    return f"a {type(value).__name__}"


def _plain(value):
    """json.dumps' fallback: NumPy scalars (np.float32(0.98), np.int64(3)) as Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _file_name(fn: str, path) -> str:
    try:
        return os.fsdecode(path)                  # str, bytes or pathlib.Path -> str
    except TypeError:
        raise TypeError(f"{fn}: path must be a file name (a str or pathlib.Path), got "
                        f"{_shown(path)}") from None


def load(path, *, with_metadata: bool = False):
    """Rebuild the model saved by `save`; the parameters come back bit for bit.

    With `with_metadata=True` returns `(model, metadata_dict)`.
    """
    path = _file_name("load", path)
    if os.path.isdir(path):
        raise ValueError(f"load: {path!r} is a folder, expected an .npz file written by nl.save")
    if not os.path.exists(path):
        hint = (f" (but {path + '.npz'!r} exists: save adds .npz)"
                if os.path.isfile(path + ".npz") else "")
        raise FileNotFoundError(f"load: no file at {path!r}{hint}")
    files = _read_npz(path)
    if "__arch__" not in files:
        raise ValueError(f"load: {path!r} is not an nnlib model file (no architecture)")
    arch, meta = files["__arch__"], files.get("__meta__", {})
    model = Sequential(*[_build(spec) for spec in arch])
    params = model.parameters()
    n_saved = sum(1 for k in files if k.startswith("param_"))
    if n_saved != len(params):
        raise ValueError(f"load: {path!r} holds {n_saved} parameter arrays, the architecture "
                         f"needs {len(params)}")
    for i, p in enumerate(params):
        data = files[f"param_{i}"]
        if data.shape != p.data.shape:
            raise ValueError(f"load: parameter {i} has shape {data.shape}, expected {p.data.shape}")
        p.data[...] = data
    return (model, meta) if with_metadata else model


def _read_npz(path: str) -> dict:
    """Every array of the .npz file at `path` (the descriptions decoded from JSON), or a
    ValueError saying the file is damaged.

    A file cut short (an interrupted download or save) or with flipped bytes makes NumPy's
    zip reader fail with errors that do not say what happened (`BadZipFile`, a CRC error,
    "Failed to interpret file"); this says it in one sentence that names the file.
    """
    with open(path, "rb") as f:
        head = f.read(4)
    if head and head != b"PK\x03\x04":                # every .npz is a zip archive
        raise ValueError(f"load: {path!r} is not a complete nnlib model: it is not an .npz file "
                         f"(a zip archive, as nl.save writes; it starts with {head!r})")
    try:
        with np.load(path, allow_pickle=False) as f:
            files = {k: f[k] for k in f.files}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
            AttributeError, TypeError) as err:
        raise ValueError(f"load: {path!r} is not a complete nnlib model: the file is truncated "
                         f"or corrupted ({type(err).__name__}: {err})") from err
    try:                                     # the two JSON strings, as Python objects
        for key in ("__arch__", "__meta__"):
            if key in files:
                files[key] = json.loads(str(files[key]))
    except ValueError as err:
        raise ValueError(f"load: {path!r} is not a complete nnlib model: its description is "
                         f"damaged ({err})") from err
    return files
