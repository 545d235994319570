"""pytest setup for `make notebooks`: the two editions run side by side, each in order.

`make notebooks` runs the notebooks with nbval in two processes (pytest-xdist, `-n 2`). A
notebook's cells must run in order in one kernel, and notebooks 12 and 14 save models into
their folder's `models/` that 13 then reads, so the unit handed to a process is a whole
edition: the English notebooks (`notebooks/`) to one, the Chinese ones (`notebooks/zh/`) to
the other, each in the order a learner runs them. (`tests/` has its own conftest.py; this
hook changes the scheduling only when every path pytest was given is in `notebooks/`.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


@pytest.hookimpl(optionalhook=True)              # a hook of pytest-xdist: unknown without it
def pytest_xdist_make_scheduler(config, log):
    paths = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    if not paths or not all(p == NOTEBOOKS or NOTEBOOKS in p.parents for p in paths):
        return None                               # not the notebook run: xdist's own choice
    from xdist.scheduler import LoadScopeScheduling

    class ByEdition(LoadScopeScheduling):
        """One unit of work per folder of notebooks (an edition), items in collection order."""

        def _split_scope(self, nodeid: str) -> str:
            return nodeid.split("::")[0].rpartition("/")[0]

    return ByEdition(config, log)
