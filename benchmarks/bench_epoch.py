"""One epoch of MLP training: `nnlib.fit` against hand-optimized NumPy and PyTorch eager.

The workload is the one of notebook 12: 60,000 MNIST-shaped samples, a 784-128-64-10 ReLU MLP,
softmax cross-entropy, shuffled mini-batches, one epoch. Four ways to run it, in the same
process and in interleaved rounds (so that a noisy machine hurts all of them alike):

* ``nnlib``    -- the real public path: `nl.mlp`, `nl.DataLoader`, `nl.SoftmaxCrossEntropy`,
  `nl.SGD` / `nl.Adam`, `nl.fit(..., progress=False, fast=True)`: the speed twins of
  `nnlib/fast/` (what notebooks 12 and 14 and `nnlib-mnist` run).
* ``textbook`` -- the same with `nl.fit`'s default `fast=False`: only the textbook code of
  `nnlib/layers.py`, `losses.py`, `optim.py`; its ratio to the reference is printed beside.
* ``numpy``    -- `NumpyReference` below: the same network and the same optimizer maths written
  by hand for speed (reused buffers, `out=`, in-place ReLU, no dL/dx for the first layer,
  the learning rate folded into the output delta for SGD, Adam with its constants folded).
* ``torch``    -- PyTorch eager (`torch.nn`, `torch.optim.SGD` / `Adam`), if torch is importable.
  Never a dependency of nnlib: install it yourself to compare (`pip install torch`).
* ``matmuls``  -- only the 8 matrix products of a step (3 forward, 3 dW, 2 dx), as a floor.

For each configuration it prints the median time of `--rounds` epochs, the ratios
nnlib/numpy and nnlib/torch, and the minor page faults per epoch (`ru_minflt` deltas): NumPy
code that allocates large temporaries every step pays for them in page faults, because glibc
hands blocks of 128 KB and more back to the operating system when they are freed.

    python benchmarks/bench_epoch.py              # full run (several minutes)
    python benchmarks/bench_epoch.py --quick      # a quick look
    python benchmarks/bench_epoch.py --batch-sizes 32 128 --threads 2 --rounds 7
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import resource
import statistics
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

import nnlib as nl

SIZES = (784, 128, 64, 10)
LR = {"sgd": 0.05, "adam": 1e-3}
BETAS, EPS = (0.9, 0.999), 1e-8
IMPLS = ("nnlib", "numpy", "torch", "matmuls", "textbook")
DEFAULT_IMPLS = ("nnlib", "textbook", "numpy", "torch", "matmuls")
TARGET_RATIO = 1.10             # issue 14: nnlib's fit within 10 % of the hand-optimized NumPy


def faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


class Timer:
    """Wall-clock and CPU seconds (this process, all threads) and minor page faults since start.

    With 1 BLAS thread the CPU time leaves out the time the process spent waiting for a core,
    so on a busy shared machine its ratios are steadier than the wall-clock ones.
    """

    def __init__(self):
        self.f0, self.t0, self.c0 = faults(), time.perf_counter(), time.process_time()

    def stop(self):
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.c0
        self.faults = faults() - self.f0
        return self


# ------------------------------------------------------------------------------------ data
def make_data(n: int, dtype, source: str, seed: int = 0):
    """Random MNIST-shaped data (no files needed), or the real MNIST training set."""
    if source == "mnist":
        X, y, _, _ = nl.load_mnist(dtype=dtype)
        return np.ascontiguousarray(X[:n]), np.ascontiguousarray(y[:n])
    rng = np.random.default_rng(seed)
    X = rng.random((n, SIZES[0]), dtype=np.float64).astype(dtype)
    y = rng.integers(0, SIZES[-1], n)
    return X, y


def initial_params(dtype, seed: int = 0):
    """The weights every implementation starts from: those of `nl.mlp(SIZES, rng=seed)`."""
    model = nl.mlp(SIZES, rng=seed, dtype=dtype)
    return [(layer.W.data.copy(), layer.b.data.copy()) for layer in model.layers[::2]]


# ----------------------------------------------------------------- hand-optimized NumPy
class NumpyReference:
    """The MLP and its optimizer written by hand for speed, for comparison with nnlib.

    Same maths as `nl.SGD` (no momentum) and `nl.Adam`; differences are only in how it is
    computed: all batch-sized arrays are allocated once per epoch and written with `out=`;
    ReLU works in place and its backward uses the sign of the output; the softmax is
    computed in place in the logits buffer; the first layer skips dL/dx; for SGD the
    learning rate is folded into the output delta, so that `W -= dW` is the whole update;
    Adam keeps m/(1-b1) and v/(1-b2) so that each moment costs one scale and one add, and
    folds the bias corrections into the step size and epsilon.
    """

    def __init__(self, params, optimizer: str, lr: float, matmuls_only: bool = False):
        self.W = [W.copy() for W, _ in params]
        self.b = [b.copy() for _, b in params]
        self.dtype = self.W[0].dtype
        self.optimizer, self.lr, self.matmuls_only = optimizer, lr, matmuls_only
        self.t = 0
        if optimizer == "adam":
            self.m = [np.zeros_like(p) for p in self.W + self.b]
            self.v = [np.zeros_like(p) for p in self.W + self.b]
            self.tmp = [np.empty_like(p) for p in self.W + self.b]

    def epoch(self, X, y, batch_size: int, seed: int) -> float:
        order = nl.make_rng(seed).permutation(len(X))      # the DataLoader's first epoch
        B, L, dt = batch_size, len(self.W), self.dtype
        widths = [W.shape[1] for W in self.W]
        xb_buf = np.empty((B, X.shape[1]), X.dtype)
        yb_buf = np.empty(B, y.dtype)
        A = [np.empty((B, w), dt) for w in widths]          # layer outputs (ReLU in place)
        D = [np.empty((B, w), dt) for w in widths[:-1]]     # dL/d(hidden outputs)
        M = [np.empty((B, w), bool) for w in widths[:-1]]   # ReLU masks
        gW = [np.empty_like(W) for W in self.W]
        gb = [np.empty_like(b) for b in self.b]
        rows_all = np.arange(B)
        total = 0.0
        for start in range(0, len(X), B):
            idx = order[start:start + B]
            n = len(idx)
            xb, yb, rows = xb_buf[:n], yb_buf[:n], rows_all[:n]
            np.take(X, idx, axis=0, out=xb)
            np.take(y, idx, out=yb)
            # forward
            a = xb
            for i in range(L):
                z = A[i][:n]
                np.matmul(a, self.W[i], out=z)
                if not self.matmuls_only:
                    z += self.b[i]
                    if i < L - 1:
                        np.maximum(z, 0, out=z)
                a = z
            # softmax cross-entropy, in place in the logits buffer
            if self.matmuls_only:
                delta = z
            else:
                z -= z.max(axis=1, keepdims=True)
                picked = z[rows, yb]
                np.exp(z, out=z)
                s = z.sum(axis=1, keepdims=True)
                loss = (np.log(s).sum() - picked.sum()) / n
                if not math.isfinite(loss):
                    raise FloatingPointError(f"numpy reference diverged at step {self.t}")
                total += loss
                z /= s                                          # softmax
                z[rows, yb] -= 1.0                              # softmax - onehot
                z *= (self.lr if self.optimizer == "sgd" else 1.0) / n
                delta = z
            # backward (and the SGD update as soon as a layer's W is no longer needed)
            self.t += 1
            for i in range(L - 1, -1, -1):
                a_in = xb if i == 0 else A[i - 1][:n]
                np.matmul(a_in.T, delta, out=gW[i])
                if not self.matmuls_only:
                    np.add.reduce(delta, axis=0, out=gb[i])
                if i > 0:
                    d = D[i - 1][:n]
                    np.matmul(delta, self.W[i].T, out=d)
                    if not self.matmuls_only:
                        m = M[i - 1][:n]
                        np.greater(a_in, 0, out=m)
                        np.multiply(d, m, out=d)
                    delta = d
                if self.matmuls_only:
                    continue
                if self.optimizer == "sgd":
                    self.W[i] -= gW[i]
                    self.b[i] -= gb[i]
            if self.optimizer == "adam" and not self.matmuls_only:
                self._adam(gW + gb)
        return total / len(range(0, len(X), B))

    def _adam(self, grads):
        folded_adam(self.W + self.b, grads, self.m, self.v, self.tmp, self.t, self.lr)


def folded_adam(params, grads, ms, vs, tmps, t: int, lr: float) -> None:
    """The reference's Adam step t: `nl.Adam`'s maths with its constants folded, in place.

    It keeps m/(1-b1) and v/(1-b2), so each moment costs one scale and one add, and folds the
    bias corrections into the step size and epsilon: ten passes, no temporaries.
    """
    b1, b2 = BETAS
    c1, c2 = 1.0 - b1 ** t, 1.0 - b2 ** t
    # m_s = m/(1-b1), v_s = v/(1-b2):  lr*m_hat/(sqrt(v_hat)+eps) = lr_t*m_s/(sqrt(v_s)+eps_t)
    lr_t = lr * (1.0 - b1) / c1 * math.sqrt(c2 / (1.0 - b2))
    eps_t = EPS * math.sqrt(c2 / (1.0 - b2))
    for p, g, m, v, tmp in zip(params, grads, ms, vs, tmps):
        m *= b1
        m += g                                     # m_s = b1 m_s + g
        v *= b2
        np.multiply(g, g, out=tmp)
        v += tmp                                   # v_s = b2 v_s + g^2
        np.sqrt(v, out=tmp)
        tmp += eps_t
        np.divide(m, tmp, out=tmp)
        tmp *= lr_t
        p -= tmp


# ------------------------------------------------------------------------------- runners
def run_nnlib(params, X, y, batch_size, optimizer, seed, fast=True):
    model = nl.mlp(SIZES, rng=seed, dtype=params[0][0].dtype)
    for layer, (W, b) in zip(model.layers[::2], params):
        layer.W.data[...] = W
        layer.b.data[...] = b
    opt = (nl.SGD(model.parameters(), lr=LR["sgd"]) if optimizer == "sgd"
           else nl.Adam(model.parameters(), lr=LR["adam"], betas=BETAS, eps=EPS))
    loader = nl.DataLoader(X, y, batch_size=batch_size, shuffle=True, rng=seed)
    loss_fn = nl.SoftmaxCrossEntropy()
    timer = Timer()
    hist = nl.fit(model, loss_fn, opt, loader, epochs=1, progress=False, fast=fast)
    return timer.stop(), hist["loss"][-1], model


def run_numpy(params, X, y, batch_size, optimizer, seed, matmuls_only=False):
    ref = NumpyReference(params, optimizer, LR[optimizer], matmuls_only=matmuls_only)
    timer = Timer()
    loss = ref.epoch(X, y, batch_size, seed)
    return timer.stop(), loss, ref


def run_torch(params, X, y, batch_size, optimizer, seed):
    import torch
    import torch.nn.functional as F

    layers = []
    for i, (W, b) in enumerate(params):
        lin = torch.nn.Linear(*W.shape, dtype=torch.from_numpy(W).dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.copy()))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if i < len(params) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = (torch.optim.SGD(model.parameters(), lr=LR["sgd"]) if optimizer == "sgd"
           else torch.optim.Adam(model.parameters(), lr=LR["adam"], betas=BETAS, eps=EPS))
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    timer = Timer()
    order = torch.from_numpy(nl.make_rng(seed).permutation(len(X)))
    total, steps = 0.0, 0
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        xb, yb = X_t.index_select(0, idx), y_t.index_select(0, idx)
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        value = loss.item()
        if not math.isfinite(value):
            raise FloatingPointError(f"torch diverged at step {steps}")
        total += value
        steps += 1
    return timer.stop(), total / steps, model


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def run_one(impl, params, X, y, batch_size, optimizer, seed, threads):
    """Time one epoch of `impl`; return (a stopped `Timer`, mean loss).

    Both are measured around the epoch only (not around building the model and optimizer).
    """
    gc.collect()
    time.sleep(0.05)            # let BLAS / OpenMP worker threads of the previous run go idle
    with threadpool_limits(limits=threads, user_api="blas"):
        if impl == "torch":
            import torch
            torch.set_num_threads(threads)
        if impl in ("nnlib", "textbook"):
            timer, loss, _ = run_nnlib(params, X, y, batch_size, optimizer, seed,
                                         fast=impl == "nnlib")
        elif impl == "numpy":
            timer, loss, _ = run_numpy(params, X, y, batch_size, optimizer, seed)
        elif impl == "matmuls":
            timer, loss, _ = run_numpy(params, X, y, batch_size, optimizer, seed,
                                         matmuls_only=True)
        else:
            timer, loss, _ = run_torch(params, X, y, batch_size, optimizer, seed)
        return timer, loss


# ------------------------------------------------------------------------ self-check
def check_same_maths(n: int = 3000, batch_size: int = 50) -> float:
    """nnlib (fast and textbook) and the reference give the same weights after one epoch
    (float64); return the max. rel. error."""
    X, y = make_data(n, np.float64, "random", seed=1)
    worst = 0.0
    for optimizer in ("sgd", "adam"):
        params = initial_params(np.float64, seed=1)
        ref = run_numpy(params, X, y, batch_size, optimizer, seed=1)[-1]
        for fast in (True, False):
            model = run_nnlib(params, X, y, batch_size, optimizer, seed=1, fast=fast)[-1]
            for layer, W, b in zip(model.layers[::2], ref.W, ref.b):
                for mine, theirs in ((layer.W.data, W), (layer.b.data, b)):
                    err = float(np.max(np.abs(mine - theirs)) / (np.max(np.abs(theirs)) + 1e-12))
                    worst = max(worst, err)
    if worst > 1e-9:
        raise AssertionError(f"nnlib and the NumPy reference disagree: max rel. error {worst:.2e}")
    return worst


# ---------------------------------------------------------------------------- reporting
def paired_ratio(secs: dict, a: str, b: str):
    """Median over rounds of secs[a] / secs[b] in the same round (None if either is missing).

    Both ran back to back in every round, so a slow moment of a shared machine slows both:
    the ratio of each round is steadier than the ratio of the two medians.
    """
    if a not in secs or b not in secs:
        return None
    return statistics.median(x / y for x, y in zip(secs[a], secs[b]))


def fmt(ratio):
    return "    -" if ratio is None else f"{ratio:5.2f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="timed epochs per configuration (median)")
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[32, 64, 128, 256])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--optimizers", nargs="+", default=["sgd", "adam"], choices=["sgd", "adam"])
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--samples", type=int, default=60_000)
    ap.add_argument("--data", default="random", choices=["random", "mnist"],
                    help="random MNIST-shaped data (default) or the real MNIST (needs the files)")
    ap.add_argument("--impls", nargs="+", default=list(DEFAULT_IMPLS), choices=IMPLS)
    ap.add_argument("--no-fault-check", action="store_true",
                    help="skip the page-fault sweep in the other float dtype")
    ap.add_argument("--quick", action="store_true",
                    help="3 rounds, batch sizes 32 and 128, 2 threads, 20,000 samples")
    args = ap.parse_args(argv)
    if args.quick:
        args.rounds, args.batch_sizes, args.threads, args.samples = 3, [32, 128], [2], 20_000
    impls = [i for i in args.impls if i != "torch" or torch_available()]
    dtype = np.dtype(args.dtype)

    import numpy
    print(f"# bench_epoch  {time.strftime('%Y-%m-%d %H:%M')}  {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, NumPy {numpy.__version__}"
          + (f", torch {__import__('torch').__version__}" if "torch" in impls else ", no torch"))
    print(f"# {args.samples:,} samples ({args.data}), MLP {'-'.join(map(str, SIZES))} ReLU, "
          f"{dtype.name}, one epoch, median of {args.rounds} rounds; lr sgd={LR['sgd']} "
          f"adam={LR['adam']}")
    print(f"# self-check: nnlib (fast and textbook) == NumPy reference after one epoch (float64), "
          f"max rel. error {check_same_maths():.1e}")
    X, y = make_data(args.samples, dtype, args.data)
    params = initial_params(dtype)
    # warm-up (imports, BLAS threads, first-touch of the data)
    for impl in impls:
        run_one(impl, params, X[:2048], y[:2048], 64, "sgd", 0, max(args.threads))

    head = (f"{'thr':>3} {'opt':>4} {'batch':>5} | " + " ".join(f"{i:>8}" for i in impls)
            + " | nnlib/numpy (cpu time) textbook/numpy nnlib/torch | " + " ".join(f"{'pf ' + i:>10}" for i in impls))
    print("\n# seconds per epoch (median); ratios: median over rounds of the ratio within a round; "
          "pf = minor page faults per epoch (median)")
    print(head)
    print("-" * len(head))
    results = []
    for threads in args.threads:
        for optimizer in args.optimizers:
            for bs in args.batch_sizes:
                secs = {i: [] for i in impls}
                cpus = {i: [] for i in impls}
                pfs = {i: [] for i in impls}
                for r in range(args.rounds):            # interleaved rounds, order alternating
                    for impl in (impls if r % 2 == 0 else impls[::-1]):
                        timer, _ = run_one(impl, params, X, y, bs, optimizer, 0, threads)
                        secs[impl].append(timer.wall)
                        cpus[impl].append(timer.cpu)
                        pfs[impl].append(timer.faults)
                med = {i: statistics.median(secs[i]) for i in impls}
                mpf = {i: int(statistics.median(pfs[i])) for i in impls}
                ratio = {other: paired_ratio(secs, "nnlib", other) for other in ("numpy", "torch")}
                ratio["cpu"] = paired_ratio(cpus, "nnlib", "numpy")
                ratio["textbook"] = (paired_ratio(secs, "textbook", "numpy")
                                     if "textbook" in impls else None)
                results.append((threads, optimizer, bs, med, mpf, ratio))
                print(f"{threads:>3} {optimizer:>4} {bs:>5} | "
                      + " ".join(f"{med[i]:8.3f}" for i in impls)
                      + f" | {fmt(ratio['numpy']):>11} {fmt(ratio['cpu']):>9} "
                      + f"{fmt(ratio['textbook']):>14} {fmt(ratio['torch']):>11} | "
                      + " ".join(f"{mpf[i]:>10,}" for i in impls), flush=True)
    for key, what in (("numpy", "wall clock"), ("cpu", "cpu time"), ("textbook", "textbook")):
        ratios = [r[5][key] for r in results if r[5][key] is not None]
        if ratios:
            target = (f" (target <= {TARGET_RATIO:.2f}: "
                      f"{'met' if max(ratios) <= TARGET_RATIO else 'NOT met'})") if key != "textbook" else \
                " (fit's default, for comparison)"
            label = "textbook/numpy" if key == "textbook" else f"nnlib/numpy ({what})"
            print(f"# {label}: worst {max(ratios):.2f}, median {statistics.median(ratios):.2f}{target}")

    if not args.no_fault_check:
        other = np.dtype(np.float64 if dtype == np.float32 else np.float32)
        X2, params2 = X.astype(other), initial_params(other)
        threads = max(args.threads)
        fimpls = [i for i in ("nnlib", "textbook", "numpy") if i in impls]
        print(f"\n# {other.name}: minor page faults per epoch (one epoch each after a warm-up "
              f"epoch, {threads} threads)")
        print(f"{'opt':>4} {'batch':>5} | " + " ".join(f"{'pf ' + i:>10}" for i in fimpls)
              + " | " + " ".join(f"{i + ' s':>8}" for i in fimpls))
        for optimizer in args.optimizers:
            for bs in args.batch_sizes:
                for i in fimpls:                        # warm-up: first touch of the heap
                    run_one(i, params2, X2[:4096], y[:4096], bs, optimizer, 0, threads)
                row = {i: run_one(i, params2, X2, y, bs, optimizer, 0, threads) for i in fimpls}
                print(f"{optimizer:>4} {bs:>5} | " + " ".join(f"{row[i][0].faults:>10,}" for i in fimpls)
                      + " | " + " ".join(f"{row[i][0].wall:8.3f}" for i in fimpls), flush=True)
    return results


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 1)
