"""Time to accuracy: train the MNIST recipe of `nnlib.apps.recipes` and print, after every epoch, the
test accuracy and the cumulative training time (`History.train_time`: steps only, no
evaluation, no data loading).

Target (issue "Performance"): >= 98.0 % test accuracy within 10 s of training on a 2-core
machine, and still >= 98.0 % at the end of training. Needs the full MNIST files
(`NNLIB_DATA_DIR`, or `--data-dir`).

    NNLIB_DATA_DIR=../shared/data/mnist python benchmarks/mnist_time_to_accuracy.py
    python benchmarks/mnist_time_to_accuracy.py --threads 1 --seeds 0 1 2
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from nnlib.apps.recipes import RECIPE, train_mnist


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epochs", type=int, default=None, help=f"default {RECIPE.epochs}")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--threads", type=int, default=None, help="BLAS threads (default: all)")
    ap.add_argument("--target", type=float, default=0.98)
    ap.add_argument("--budget", type=float, default=10.0, help="seconds of training")
    args = ap.parse_args(argv)

    r = RECIPE
    print(f"# mnist_time_to_accuracy  {time.strftime('%Y-%m-%d %H:%M')}  {platform.machine()}, "
          f"{os.cpu_count()} cores, NumPy {np.__version__}, threads={args.threads or 'all'}")
    print(f"# recipe: MLP {'-'.join(map(str, r.sizes))} {r.activation}, {r.optimizer} "
          f"lr={r.lr} momentum={r.momentum} wd={r.weight_decay}, {r.schedule} schedule, "
          f"batch {r.batch_size}, {args.epochs or r.epochs} epochs, {r.dtype}")
    ok = True
    for seed in args.seeds:
        with threadpool_limits(limits=args.threads, user_api="blas"):
            _, history, test_acc = train_mnist(epochs=args.epochs, data_dir=args.data_dir,
                                               seed=seed, progress=False)
        print(f"\nseed {seed}\n epoch | train s (cumulative) | test acc")
        reached = None
        for e in history.epochs:
            print(f" {e['epoch']:5d} | {e['time']:20.2f} | {100 * e['val_acc']:6.2f} %")
            if reached is None and e["val_acc"] >= args.target:
                reached = e
        if reached is None:
            print(f" never reached {100 * args.target:.1f} %")
            ok = False
        else:
            print(f" reached {100 * args.target:.1f} % after epoch {reached['epoch']}, "
                  f"{reached['time']:.2f} s of training (budget {args.budget:.0f} s)")
            ok &= reached["time"] <= args.budget
        print(f" final test accuracy {100 * test_acc:.2f} %, total training {history.train_time:.2f} s")
        ok &= test_acc >= args.target
    print(f"\ntarget met: {'yes' if ok else 'no'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
