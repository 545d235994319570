"""Shared test setup: the plotting backend, and the order in which test files are handed out.

Every test draws with matplotlib's non-interactive Agg backend, set here once, before any test
module imports matplotlib.pyplot, so no test needs its own `matplotlib.use("Agg")` (and
`make unit` also exports MPLBACKEND=Agg).

`make unit` runs the files in two processes (pytest-xdist, `--dist loadfile`), handing out
whole files in collection order. The few files that take a minute or more go first, so that
the run does not end with one process busy on a long file while the other waits: measured on
a fresh clone, 386-402 s with them in alphabetical order, one process idle for the last
minutes. Within a file, and without xdist, the order is unchanged.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

TESTS = Path(__file__).resolve().parent
LONG_FILES = (                        # each runs notebooks or redraws widgets many times
    "notebooks/test_exercises.py",    # ~130 s: every exercise, its solution and wrong ones
    "widgets/test_widget_fuzz.py",    # ~100 s: every control of every widget at its ends
    "notebooks/test_claims_late.py",
    "notebooks/test_claims_early.py",
    "widgets/test_conv_widgets.py",
    "widgets/test_widgets_mnist.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONG_FILES)}

    def first_the_long_files(item):
        path = Path(str(item.fspath)).resolve()
        inside = path.relative_to(TESTS).as_posix() if TESTS in path.parents else ""
        return rank.get(inside, len(LONG_FILES))

    items.sort(key=first_the_long_files)        # a stable sort: the rest keeps its order
