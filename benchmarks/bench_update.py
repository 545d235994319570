"""What one optimizer update costs: the textbook `step` that `fit(fast=True)` runs, against the
hand-written update of the NumPy reference in `bench_epoch.py`.

`fit(..., fast=True)` runs the optimizer's own textbook `step` once over all parameters joined
into one buffer (`nnlib/fast/fused_optim.py`), so there is one Adam in nnlib, the one notebook
11 derives. That update is written for reading: Adam's five lines make about fourteen passes
over the parameters, with temporaries. The reference folds Adam's constants and works in
place (ten passes, no temporaries); for SGD it folds the learning rate into the output delta,
so its update is `W -= dW`. This prints, per step, both updates over the 109,386 float32
parameters of the 784-128-64-10 MLP, and what the difference alone adds to an epoch of
60,000 samples at each batch size: a floor under `bench_epoch.py`'s nnlib/numpy ratio that no
speed-up of the forward and backward passes can remove.

    python benchmarks/bench_update.py                 # the reference epoch times of bench_epoch
    python benchmarks/bench_update.py --epoch 32=0.789 64=0.564   # reference seconds per epoch
"""

from __future__ import annotations

import argparse
import math
import timeit

import bench_epoch as bench
import numpy as np
from threadpoolctl import threadpool_limits

import nnlib as nl
from nnlib.fast.buffers import keep_freed_memory

N_PARAMS = 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10    # 109,386
SAMPLES = 60_000


def textbook(name: str):
    """The textbook optimizer over one joined float32 buffer, as FusedOptimizer runs it."""
    rng = np.random.default_rng(0)
    p = nl.Parameter(rng.standard_normal(N_PARAMS).astype(np.float32))
    p.grad = (1e-3 * rng.standard_normal(N_PARAMS)).astype(np.float32)
    opt = nl.SGD([p], lr=0.05) if name == "sgd" else nl.Adam([p], lr=1e-3)
    return opt.step


def reference(name: str):
    """The NumPy reference's update over the same numbers (`bench_epoch.folded_adam`)."""
    rng = np.random.default_rng(0)
    w = rng.standard_normal(N_PARAMS).astype(np.float32)
    g = (1e-3 * rng.standard_normal(N_PARAMS)).astype(np.float32)
    if name == "sgd":
        def step():
            w.__isub__(g)                           # lr already folded into g
        return step
    m, v, tmp = np.zeros_like(w), np.zeros_like(w), np.empty_like(w)
    state = {"t": 0}

    def step():
        state["t"] += 1
        bench.folded_adam([w], [g], [m], [v], [tmp], state["t"], 1e-3)
    return step


def per_step_us(step, number: int = 500, repeat: int = 7) -> float:
    step()
    return min(timeit.repeat(step, number=number, repeat=repeat)) / number * 1e6


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epoch", nargs="*", default=["32=0.789", "64=0.564", "128=0.427", "256=0.378"],
                    help="batch=seconds: the reference's Adam epoch (bench_epoch.py, 1 thread)")
    args = ap.parse_args(argv)
    keep_freed_memory()                             # as fit(fast=True) does
    print(f"# one update over {N_PARAMS:,} float32 parameters, 1 thread; microseconds per step "
          "(best of 7 x 500)")
    with threadpool_limits(1):
        cost = {}
        for name in ("sgd", "adam"):
            cost[name] = (per_step_us(textbook(name)), per_step_us(reference(name)))
            t, r = cost[name]
            print(f"{name:5s} textbook step {t:7.1f} us   reference {r:7.1f} us   "
                  f"difference {t - r:6.1f} us")
    t, r = cost["adam"]
    print("\n# Adam: what the difference alone adds to the reference's epoch "
          f"({SAMPLES:,} samples)")
    for item in args.epoch:
        batch, secs = item.split("=")
        steps = math.ceil(SAMPLES / int(batch))
        extra = steps * (t - r) * 1e-6
        print(f"batch {int(batch):4d}: {steps:5d} steps x {t - r:5.1f} us = {extra:5.3f} s on "
              f"{float(secs):.3f} s -> ratio at least {1 + extra / float(secs):.2f}")


if __name__ == "__main__":
    main()
