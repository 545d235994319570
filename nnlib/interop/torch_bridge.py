"""Carry a network between nnlib and PyTorch: `to_torch(model)` and `from_torch(module)`.

Both copy the weights (no memory is shared), layer by layer, so that the two networks compute the
same function. The only real difference is the layout of a dense layer's weights: nnlib writes
z = x @ W + b with W of shape (in, out), one column per neuron; torch writes z = x @ weight.T + bias
with weight of shape (out, in), one row per neuron. So `weight = W.T`. Convolution kernels have the
same (C_out, C_in, kH, kW) layout in both. Introduced in notebook 15.

PyTorch is optional (the extra `nnlib[torch]`, `make torch`): it is imported inside the two functions only,
so `import nnlib` works without it.
"""

from __future__ import annotations

import numpy as np

SUPPORTED = ("Sequential", "Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity",
             "Dropout", "Conv2d", "MaxPool2d", "Flatten")


def _import_torch():
    try:
        import torch
    except ImportError as e:
        raise ImportError("nnlib.interop.torch_bridge needs PyTorch, an optional extra. In the nnlib folder "
                          "run `make torch`, or install the CPU build and then the extra: "
                          "pip install torch --index-url https://download.pytorch.org/whl/cpu && "
                          "pip install -e '.[torch]'") from e
    return torch


def _unsupported(where: str, bad: list[str]) -> ValueError:
    return ValueError(f"{where}: cannot convert {', '.join(bad)}; supported layers: "
                      f"{', '.join(SUPPORTED)}")


def _shown(value) -> str:
    """A value for an error message: short ones as themselves, others by type (and shape)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)
    shape = getattr(value, "shape", None)
    kind = f"{type(value).__module__.split('.')[0]}.{type(value).__name__}" \
        if type(value).__module__ not in ("builtins",) else type(value).__name__
    return f"a {kind}" + (f" of shape {tuple(shape)}" if shape is not None else "")


def _flat(items, path: str = "") -> list[tuple[str, object]]:
    """(position, layer) for every layer, entering nested Sequentials (positions like '2.1')."""
    out = []
    for i, item in enumerate(items):
        pos = f"{path}{i}"
        if type(item).__name__ == "Sequential":
            out.extend(_flat(list(item), pos + "."))
        else:
            out.append((pos, item))
    return out


def _nnlib_dtype(model):
    """The float dtype of the first parameter (float64 for a network without any)."""
    params = model.parameters()
    return params[0].data.dtype if params else np.dtype(np.float64)


def to_torch(model, dtype=None):
    """A `torch.nn.Sequential` computing the same function as the nnlib `model`.

    `model` is an nnlib `Sequential` (nested ones become nested torch Sequentials) or a single
    layer. Weights are copied, transposed for `Linear` (torch keeps W as (out, in)); `dtype`
    (np.float32 / np.float64) defaults to the dtype of the model's parameters. The torch module is
    left in the same train/eval mode as `model`. Raises `ValueError` naming every layer that has
    no torch counterpart here.
    """
    torch = _import_torch()
    from torch import nn

    from ..core import Module
    if not isinstance(model, Module):
        raise TypeError(f"to_torch: model must be an nnlib model (a Sequential such as "
                        f"nl.mlp([2, 8, 2]), or one layer), got {_shown(model)}"
                        + ("; it is already a torch module (use from_torch to go the other way)"
                           if isinstance(model, nn.Module) else ""))
    dtype = np.dtype(dtype or _nnlib_dtype(model))
    tdtype = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}.get(dtype)
    if tdtype is None:
        raise ValueError(f"to_torch: dtype must be float32 or float64, got {dtype}")
    layers = list(model) if type(model).__name__ == "Sequential" else [model]
    bad = [f"{type(m).__name__} (layer {pos})" for pos, m in _flat(layers)
           if type(m).__name__ not in SUPPORTED]
    if bad:
        raise _unsupported("to_torch", bad)

    def tensor(a, transpose=False):
        a = np.asarray(a, dtype=dtype)
        return torch.from_numpy(np.ascontiguousarray(a.T if transpose else a))

    def convert(m):
        kind = type(m).__name__
        if kind == "Sequential":
            return nn.Sequential(*(convert(c) for c in m))
        if kind == "Linear":
            t = nn.Linear(m.in_features, m.out_features, dtype=tdtype)
            with torch.no_grad():
                t.weight.copy_(tensor(m.W.data, transpose=True))    # (out, in) = W.T
                t.bias.copy_(tensor(m.b.data))
            return t
        if kind == "Conv2d":
            t = nn.Conv2d(m.in_channels, m.out_channels, m.kernel_size, stride=m.stride,
                          padding=m.padding, dtype=tdtype)
            with torch.no_grad():
                t.weight.copy_(tensor(m.W.data))                    # (C_out, C_in, kH, kW) in both
                t.bias.copy_(tensor(m.b.data))
            return t
        if kind == "MaxPool2d":
            return nn.MaxPool2d(m.kernel_size, stride=m.stride)
        if kind == "LeakyReLU":
            return nn.LeakyReLU(m.negative_slope)
        if kind == "Dropout":
            return nn.Dropout(m.p)
        return {"ReLU": nn.ReLU, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh,
                "Identity": nn.Identity, "Flatten": nn.Flatten}[kind]()

    out = nn.Sequential(*(convert(m) for m in layers))
    return out.train(bool(getattr(model, "training", True)))


def from_torch(module, dtype=None, rng=None):
    """An nnlib `Sequential` computing the same function as the torch `module`.

    `module` is a `torch.nn.Sequential` (nested ones are kept nested) or a single layer; weights
    are copied and transposed back to nnlib's (in, out). `dtype` defaults to the dtype of the
    module's parameters; `rng` seeds the nnlib Dropout layers. A torch `Linear` or `Conv2d`
    without a bias gets a zero bias (same outputs; nnlib's bias then trains, torch's did not
    exist). Raises `ValueError` naming every layer that nnlib does not have.
    """
    torch = _import_torch()
    from torch import nn

    from ..core import make_rng
    from ..layers import Dropout, Identity, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Tanh

    try:                                         # the image layers (notebook 14)
        from ..conv import Conv2d, Flatten, MaxPool2d
    except ImportError:                          # pragma: no cover - an nnlib without them
        Conv2d = Flatten = MaxPool2d = None

    if not isinstance(module, nn.Module):
        from ..core import Module as NnlibModule
        raise TypeError(f"from_torch: module must be a torch.nn.Module (e.g. nn.Sequential(nn.Linear"
                        f"(2, 8), nn.ReLU())), got {_shown(module)}"
                        + ("; it is already an nnlib model (use to_torch to go the other way)"
                           if isinstance(module, NnlibModule) else ""))
    if dtype is None:
        first = next(iter(module.parameters()), None)
        dtype = np.float64 if first is None else {torch.float32: np.float32,
                                                  torch.float64: np.float64}.get(first.dtype)
        if dtype is None:
            raise ValueError(f"from_torch: parameters have dtype {first.dtype}; "
                             "pass dtype=np.float32 or np.float64")
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"from_torch: dtype must be float32 or float64, got {dtype}")
    rng = make_rng(rng)
    layers = list(module) if isinstance(module, nn.Sequential) else [module]
    ok = (nn.Sequential, nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh, nn.Identity,
          nn.Dropout) + ((nn.Conv2d, nn.MaxPool2d, nn.Flatten) if Conv2d is not None else ())
    bad = [f"{type(m).__name__} (layer {pos})" for pos, m in _flat(layers)
           if type(m) not in ok]
    for pos, m in _flat(layers):
        if isinstance(m, nn.Flatten) and (m.start_dim, m.end_dim) != (1, -1):
            bad.append(f"Flatten(start_dim={m.start_dim}, end_dim={m.end_dim}) (layer {pos})")
        if isinstance(m, nn.Conv2d) and (m.padding_mode != "zeros" or m.groups != 1
                                         or m.dilation != (1, 1) or isinstance(m.padding, str)):
            bad.append(f"Conv2d with groups, dilation or non-zero padding mode (layer {pos})")
        if isinstance(m, nn.MaxPool2d) and (m.padding or m.dilation != 1 or m.ceil_mode):
            bad.append(f"MaxPool2d with padding, dilation or ceil_mode (layer {pos})")
    if bad:
        raise _unsupported("from_torch", bad)

    def array(t, transpose=False):
        a = t.detach().cpu().numpy().astype(dtype)
        return np.ascontiguousarray(a.T if transpose else a)

    def bias(m, n):
        return np.zeros(n, dtype) if m.bias is None else array(m.bias)

    def convert(m):
        if isinstance(m, nn.Sequential):
            return Sequential(*(convert(c) for c in m))
        if isinstance(m, nn.Linear):
            layer = Linear(m.in_features, m.out_features, init="zeros", dtype=dtype)
            layer.W.data[...] = array(m.weight, transpose=True)     # (in, out) = weight.T
            layer.b.data[...] = bias(m, m.out_features)
            return layer
        if isinstance(m, nn.Conv2d):
            layer = Conv2d(m.in_channels, m.out_channels, m.kernel_size, stride=m.stride,
                           padding=m.padding, init="zeros", dtype=dtype)
            layer.W.data[...] = array(m.weight)
            layer.b.data[...] = bias(m, m.out_channels)
            return layer
        if isinstance(m, nn.MaxPool2d):
            return MaxPool2d(m.kernel_size, stride=m.stride)
        if isinstance(m, nn.LeakyReLU):
            return LeakyReLU(m.negative_slope)
        if isinstance(m, nn.Dropout):
            return Dropout(m.p, rng=rng)
        return {nn.ReLU: ReLU, nn.Sigmoid: Sigmoid, nn.Tanh: Tanh, nn.Identity: Identity,
                nn.Flatten: Flatten}[type(m)]()

    out = Sequential(*(convert(m) for m in layers))
    return out.train(bool(module.training))
