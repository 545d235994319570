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
