"""A fast fit reuses freed memory instead of faulting it in again at every step (buffers.py)."""

import platform
import subprocess
import sys
import textwrap

from nnlib.fast.buffers import keep_freed_memory

SCRIPT = textwrap.dedent("""
    import resource, sys
    import numpy as np
    import nnlib as nl
    rng = np.random.default_rng(0)
    X, y = rng.random((4000, 784), dtype=np.float32), rng.integers(0, 10, 4000)
    model = nl.mlp([784, 128, 64, 10], rng=0, dtype=np.float32)
    opt = nl.Adam(model.parameters(), lr=1e-3)
    loader = nl.DataLoader(X, y, batch_size=32, rng=0)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    nl.fit(model, nl.SoftmaxCrossEntropy(), opt, loader, epochs=1, progress=False, fast=True)
    print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / len(loader))
""")


def test_a_fast_adam_fit_does_not_fault_memory_in_at_every_step():
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        assert keep_freed_memory() is False              # nothing to do elsewhere
        return
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=120, check=True)
    faults_per_step = float(out.stdout.split()[-1])
    # without keep_freed_memory: 438 per step (the step's temporaries, page by page); with it 10
    # (the first touch of the model's and the twins' arrays, spread over the 125 steps)
    assert faults_per_step < 100, faults_per_step


FIRST_THING = textwrap.dedent("""
    import resource
    import numpy as np
    from nnlib.fast.buffers import keep_freed_memory
    import nnlib as nl
    assert keep_freed_memory()                    # before anything large was ever freed
    n = 109_386                                   # the parameters of a 784-128-64-10 MLP
    p = nl.Parameter(np.ones(n, np.float32))
    p.grad = np.full(n, 1e-3, np.float32)
    opt = nl.Adam([p])
    opt.step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(50):
        opt.step()
    print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 50)
""")


def test_freed_memory_is_kept_even_when_nothing_large_was_freed_before():
    # glibc raises its mmap threshold by itself after a large free, but setting the trim
    # threshold alone freezes it at 128 KB: every 437 KB temporary of Adam's step was then
    # mapped and unmapped again, 1,070 page faults a step (measured before the fix)
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return
    out = subprocess.run([sys.executable, "-c", FIRST_THING], capture_output=True, text=True,
                         timeout=120, check=True)
    faults_per_step = float(out.stdout.split()[-1])
    assert faults_per_step < 10, faults_per_step
