# Exercise 2 — solution: a callback that reports every n-th step.
import nnlib as nl


class PrintEveryN(nl.Callback):
    """Print the loss every `n` steps and remember which steps were printed (in `self.printed`)."""

    def __init__(self, n=10):
        self.n = n
        self.printed = []

    def on_step_end(self, step, logs):
        if step % self.n == 0:
            print(f"step {step:4d}  epoch {logs['epoch']}  loss {logs['loss']:.4f}")
            self.printed.append(step)
