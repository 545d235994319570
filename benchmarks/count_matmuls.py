"""How many matrix products a training step makes: nnlib's `fit` against the NumPy reference.

Both must make the same BLAS calls (3 forward, 3 dW, 2 dx for the 784-128-64-10 MLP), or a
difference in speed at small batches would be a difference in work, not in overhead. Counts
`np.matmul` calls (the only product either uses in a step) over 100 steps at batch 32:

    python benchmarks/count_matmuls.py
"""

from __future__ import annotations

import bench_epoch as bench
import numpy as np

STEPS, BATCH = 100, 32


def count(run, *args) -> float:
    real, calls = np.matmul, [0]

    def counting(*a, **k):
        calls[0] += 1
        return real(*a, **k)

    np.matmul = counting
    try:
        run(*args)
    finally:
        np.matmul = real
    return calls[0] / STEPS


def main() -> int:
    X, y = bench.make_data(STEPS * BATCH, np.float32, "random")
    params = bench.initial_params(np.float32)
    for opt in ("sgd", "adam"):
        n_nnlib = count(bench.run_nnlib, params, X, y, BATCH, opt, 0)
        n_numpy = count(bench.run_numpy, params, X, y, BATCH, opt, 0)
        print(f"{opt:4s}: np.matmul calls per step  nnlib {n_nnlib:.1f}  numpy reference {n_numpy:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
