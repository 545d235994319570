"""Shared test setup: every test draws with matplotlib's non-interactive Agg backend.

Set here once, before any test module imports matplotlib.pyplot, so no test needs its own
`matplotlib.use("Agg")` (and `make unit` also exports MPLBACKEND=Agg).
"""

import matplotlib

matplotlib.use("Agg")
