"""Toy problems the notebooks compute with, plain NumPy and nnlib (no plotting, no widgets).

- `surfaces` (notebooks 04, 05, 11): the one-neuron loss surface and gradient-descent paths, the
  four-leaf expression, the 2-D surfaces the optimizers race on;
- `activations` (notebook 02): the activation functions and their slopes as curves;
- `playground` (notebook 09): `PlaygroundModel` and `make_features`, the playground's engine.

`nl.viz` draws them and `nl.widgets` drives them. Every name a module lists in its `__all__` is
available as `nl.toys.<name>`.
"""

from __future__ import annotations

from . import activations, playground, surfaces

MODULES = (surfaces, activations, playground)
_NAMES = {name: getattr(mod, name) for mod in MODULES for name in mod.__all__}
globals().update(_NAMES)      # nl.toys.descent_path, nl.toys.PlaygroundModel, ...

__all__ = ["surfaces", "activations", "playground", *_NAMES]
