"""Course helpers: what the notebooks compute *about* networks, around the textbook.

- `surfaces` (notebooks 04, 05, 11): the one-neuron loss surface and gradient-descent paths, the
  four-leaf expression, the 2-D surfaces the optimizers race on;
- `activation_curves` (notebook 02): the activation functions and their slopes as curves;
- `playground_engine` (notebook 09): `PlaygroundModel` and `make_features`, the playground's engine;
- `worked_examples` (05, 10): the tiny networks whose numbers the notebooks write out;
- `conv_steps` (14): a convolution and a softmax written out cell by cell, and `check_cell`;
- `probes` (06, 10, 12): numbers from inside a network (`layer_stats`, `LayerStats`, ...);
- `selfcheck`: the exercises' self-checks; `setup_check`: notebook 00's installation check.

Plain NumPy and nnlib (no plotting, no widgets). `nl.viz` draws these numbers and `nl.widgets`
drives them. Every name the first four modules list in `__all__` is also `nl.course.<name>`.
"""

from __future__ import annotations

from . import (
    activation_curves,
    conv_steps,
    playground_engine,
    probes,
    selfcheck,
    surfaces,
    worked_examples,
)

MODULES = (surfaces, activation_curves, playground_engine, worked_examples, conv_steps)
_NAMES = {name: getattr(mod, name) for mod in MODULES for name in mod.__all__}
globals().update(_NAMES)      # nl.course.descent_path, nl.course.PlaygroundModel, ...

__all__ = ["surfaces", "activation_curves", "playground_engine", "worked_examples", "conv_steps",
           "probes", "selfcheck", *_NAMES]
