"""Interoperability: nnlib models to PyTorch and back (notebook 15, the optional `torch` extra)."""

from .torch_bridge import from_torch, to_torch

__all__ = ["to_torch", "from_torch"]
