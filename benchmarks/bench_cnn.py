"""The CNN of notebook 14: one epoch through `nl.fit` against PyTorch eager, where the time goes,
peak memory, time to accuracy, and the robustness figures.

The workload is `nnlib.apps.recipes.CNN_RECIPE`: conv 3x3 (16) - ReLU - max pool 2 - conv 3x3 (32) -
ReLU - max pool 2 - Linear(1568, 10), float32, SGD with momentum 0.9, batch 128, on the 60,000
MNIST training images (random images of the same shape with `--data random`).

    python benchmarks/bench_cnn.py epoch                 # nnlib vs torch, same threads, + profile
    python benchmarks/bench_cnn.py memory                # peak RSS of one training epoch (batch 128)
    python benchmarks/bench_cnn.py recipe                # the recipe: time to >= 99 % test accuracy
    python benchmarks/bench_cnn.py robustness A.npz ...  # hand_drawn accuracy of saved models

`--threads N` limits BLAS (threadpoolctl) and torch (`torch.set_num_threads`) alike. Wall time
and process CPU time are both printed: on a machine shared with other programs the wall time
is inflated, and BLAS threads that wait for each other burn CPU time too, so compare ratios
measured in one run (interleaved rounds), not figures from different days.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import resource
import statistics
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

import nnlib as nl
from nnlib.apps import recipes
from nnlib.conv import Conv2d, Flatten, MaxPool2d

R = recipes.CNN_RECIPE


def load(source: str, n: int):
    if source == "random":
        rng = np.random.default_rng(0)
        return (rng.random((n, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, n),
                rng.random((1000, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 1000))
    X, y, Xt, yt = nl.load_mnist(dtype="float32")
    return X[:n].reshape(-1, 1, 28, 28), y[:n], Xt.reshape(-1, 1, 28, 28), yt


def header(args) -> str:
    return (f"# bench_cnn {time.strftime('%Y-%m-%d %H:%M')}  {platform.machine()}, "
            f"{os.cpu_count()} cores, NumPy {np.__version__}, threads={args.threads}, "
            f"load average {os.getloadavg()[0]:.1f}\n# {recipes.describe_recipe(R)}")


# ------------------------------------------------------------------------------- nnlib
def nnlib_epoch(X, y, seed=0):
    model = R.make_model(nl.make_rng(seed))
    loader = nl.DataLoader(X, y, batch_size=R.batch_size, rng=seed)
    opt = R.make_optimizer(model.parameters())
    t0, c0 = time.perf_counter(), time.process_time()
    nl.fit(model, nl.SoftmaxCrossEntropy(), opt, loader, epochs=1, progress=False, fast=True)
    return time.perf_counter() - t0, time.process_time() - c0


def nnlib_profile(X, y, seed=0):
    """One epoch of `fit(..., fast=True)`'s steps, written out, timing each twin's methods."""
    model = R.make_model(nl.make_rng(seed))
    loader = nl.DataLoader(X, y, batch_size=R.batch_size, rng=seed)
    spent: dict = {}

    def timed(key, fn, *a):
        t0 = time.perf_counter()
        out = fn(*a)
        spent[key] = spent.get(key, 0.0) + time.perf_counter() - t0
        return out

    t_all = time.perf_counter()
    opt = R.make_optimizer(model.parameters())
    with nl.fast.SpeedTwins(model, nl.SoftmaxCrossEntropy(), opt, loader) as speed:
        names = [f"{i} {type(layer).__name__}" for i, layer in enumerate(speed.model.layers)]
        for xb, yb in speed.batches:
            speed.optimizer.zero_grad()
            a = xb
            for name, layer in zip(names, speed.model.layers):
                a = timed((name, "forward"), layer.forward, a)
            t0 = time.perf_counter()
            speed.loss_fn(a, yb)
            d = speed.loss_fn.backward()
            spent[("loss", "both")] = spent.get(("loss", "both"), 0.0) + time.perf_counter() - t0
            for name, layer in zip(reversed(names), reversed(speed.model.layers)):
                d = timed((name, "backward"), layer.backward, d)
                if d is None:
                    break
            timed(("optimizer", "step"), speed.optimizer.step)
    total = time.perf_counter() - t_all
    return total, spent


# ------------------------------------------------------------------------------- torch
def torch_epoch(X, y, threads, seed=0):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    c1, c2 = R.channels
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, c1, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(c1, c2, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(c2 * 49, 10))
    opt = torch.optim.SGD(net.parameters(), lr=R.lr, momentum=R.momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(np.asarray(y, dtype=np.int64))
    order = torch.from_numpy(np.random.default_rng(seed).permutation(len(X)))
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, len(X), R.batch_size):
        idx = order[start:start + R.batch_size]
        opt.zero_grad()
        loss = loss_fn(net(Xt[idx]), yt[idx])
        loss.backward()
        opt.step()
    return time.perf_counter() - t0, time.process_time() - c0


# ------------------------------------------------------------------------------- commands
def cmd_epoch(args):
    X, y, _, _ = load(args.data, args.n)
    print(header(args))
    print(f"# one epoch of {len(X)} images, batch {R.batch_size}; {args.rounds} interleaved rounds; "
          "median wall s (median process CPU s)")
    have_torch = True
    try:
        import torch  # noqa: F401
    except ImportError:
        have_torch = False
        print("# torch not importable: nnlib only")
    res = {"nnlib": [], "torch": []}
    with threadpool_limits(args.threads):
        nnlib_epoch(X[:2048], y[:2048])                          # warm-up
        if have_torch:
            torch_epoch(X[:2048], y[:2048], args.threads)
        for _ in range(args.rounds):
            res["nnlib"].append(nnlib_epoch(X, y))
            if have_torch:
                res["torch"].append(torch_epoch(X, y, args.threads))
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
               for k, v in res.items() if v}
        for k, (w, c) in med.items():
            print(f"{k:6s} {w:8.2f} s  ({c:.2f} s CPU)")
        if "torch" in med:
            paired = statistics.median(a[0] / b[0] for a, b in zip(res["nnlib"], res["torch"]))
            ratio = med["nnlib"][0] / med["torch"][0]
            print(f"ratio nnlib/torch: {ratio:.2f} (wall), "
                  f"{med['nnlib'][1] / med['torch'][1]:.2f} (CPU), {paired:.2f} (median of the "
                  f"per-round ratios)   target <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'}")
        total, spent = nnlib_profile(X, y)
    print(f"\n# where nnlib's epoch goes ({total:.2f} s wall, one profiled epoch)")
    for (name, method), s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"{name:14s} {method:9s} {s:7.2f} s  {100 * s / total:5.1f} %")
    rest = total - sum(spent.values())
    print(f"{'batches etc.':24s} {rest:7.2f} s  {100 * rest / total:5.1f} %")


def cmd_memory(args):
    """Peak resident memory of a process that loads MNIST and trains one epoch (batch 128)."""
    X, y, _, _ = load(args.data, args.n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with threadpool_limits(args.threads):
        w, c = nnlib_epoch(X, y)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(header(args))
    print(f"peak RSS after loading the data: {before:.0f} MB; after one training epoch at batch "
          f"{R.batch_size}: {peak:.0f} MB (epoch {w:.1f} s)   target <= 2048 MB")


def cmd_recipe(args):
    print(header(args))
    t0 = time.perf_counter()
    with threadpool_limits(args.threads):
        model, history, acc = recipes.train_mnist(recipe=R, progress=False, seed=args.seed)
    print(" epoch | train s (cumulative) | test acc")
    for e in history.epochs:
        print(f" {e['epoch']:5d} | {e['time']:20.1f} | {100 * e['val_acc']:6.2f} %")
    print(f"final test accuracy {100 * acc:.2f} %, training {history.train_time:.1f} s "
          f"(process total {time.perf_counter() - t0:.1f} s)   target >= 99.0 % in <= 120 s")
    if args.save:
        nl.save(model, args.save, test_acc=float(acc), recipe=dataclasses.asdict(R))


def cmd_robustness(args):
    _, _, Xt, yt = nl.load_mnist(dtype="float32")
    X = Xt.reshape(-1, 28, 28)
    kinds = {"unchanged": None, "shift, no re-centring": dict(kinds=("shift",), recentred=False),
             "shift": dict(kinds=("shift",)), "rotate": dict(kinds=("rotate",)),
             "scale": dict(kinds=("scale",)), "stroke": dict(kinds=("stroke",)), "all four": {}}
    sets = {k: (X if v is None else nl.augment.hand_drawn(X, rng=i, **v))
            for i, (k, v) in enumerate(kinds.items())}
    print(header(args))
    print(f"{'model':28s} " + " | ".join(f"{k:>10s}" for k in kinds))
    for path in args.models:
        net = nl.load(path)
        conv = any(isinstance(m, (Conv2d, MaxPool2d, Flatten)) for m in net.layers)
        shape = (-1, 1, 28, 28) if conv else (-1, 784)
        accs = [nl.accuracy(nl.predict(net, s.reshape(shape)), yt) for s in sets.values()]
        print(f"{os.path.basename(path):28s} " + " | ".join(f"{100 * a:9.2f}%" for a in accs))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("epoch", "memory", "recipe", "robustness"))
    ap.add_argument("models", nargs="*", help="robustness: saved models (.npz)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--n", type=int, default=60000)
    ap.add_argument("--data", choices=("mnist", "random"), default="mnist")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", help="recipe: save the trained model here")
    args = ap.parse_args(argv)
    {"epoch": cmd_epoch, "memory": cmd_memory, "recipe": cmd_recipe,
     "robustness": cmd_robustness}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
