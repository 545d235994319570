"""Element-wise passes on every core BLAS may use: the same NumPy call on slices of the batch.

At two BLAS threads the matrix products of a CNN step use both cores, but the element-wise
passes between them (im2col's copy, col2im's sums, max pooling) are single NumPy calls: they run
on one core while the other waits (`benchmarks/README.md`, "where the second core goes").
NumPy lets go of Python's lock inside such a call, so the same call on the two halves of the
batch, one of them in a worker thread, runs on both cores. The numbers do not change: every
element is computed by the same operation as before, and nothing is summed across the halves.

`Split(threads)` is what a twin holds. `SpeedTwins` sets `threads` to the BLAS thread limit in
force when the fit starts (`blas_threads`, read with threadpoolctl), so a fit inside
`threadpool_limits(1)` stays on one core, as the benchmarks need.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

_workers: ThreadPoolExecutor | None = None
_size = 0


def blas_threads() -> int:
    """How many threads the BLAS library may use right now (1 if threadpoolctl cannot tell)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:                                   # an optional speed-up, not a need
        return 1
    counts = [info.get("num_threads", 1) for info in threadpool_info()
              if info.get("user_api") == "blas"]
    return max(1, min(counts)) if counts else 1


def _pool(size: int) -> ThreadPoolExecutor:
    """The worker threads shared by every twin, made once (again only if more are needed)."""
    global _workers, _size
    if _workers is None or _size < size:
        if _workers is not None:
            _workers.shutdown(wait=True)
        _workers, _size = ThreadPoolExecutor(size, thread_name_prefix="nnlib-fast"), size
    return _workers


class Split:
    """Run `fn(rows)` over `range(n)` in `threads` slices at once (one call if threads == 1)."""

    def __init__(self, threads: int = 1):
        self.threads = max(1, int(threads))

    def __call__(self, fn, n: int) -> None:
        parts = min(self.threads, n)
        if parts <= 1:
            fn(slice(0, n))
            return
        edges = [n * i // parts for i in range(parts + 1)]
        rows = [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]
        pending = [_pool(parts - 1).submit(fn, r) for r in rows[1:]]
        fn(rows[0])                                       # this thread does the first slice
        for job in pending:
            job.result()                                  # waits; re-raises a worker's error
