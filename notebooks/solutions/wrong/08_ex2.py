# wrong: never prints, only records the step numbers
class PrintEveryN(nl.Callback):
    def __init__(self, n=10):
        self.n = n
        self.printed = []

    def on_step_end(self, step, logs):
        if step % self.n == 0:
            self.printed.append(step)


# wrong: ignores n and reports every 10th step
class PrintEveryN(nl.Callback):
    def __init__(self, n=10):
        self.n = n
        self.printed = []

    def on_step_end(self, step, logs):
        if step % 10 == 0:
            print(f"step {step}  epoch {logs['epoch']}  loss {logs['loss']:.4f}")
            self.printed.append(step)


# wrong: off by one, reports the steps just before every n-th
class PrintEveryN(nl.Callback):
    def __init__(self, n=10):
        self.n = n
        self.printed = []

    def on_step_end(self, step, logs):
        if (step + 1) % self.n == 0:
            print(f"step {step}  epoch {logs['epoch']}  loss {logs['loss']:.4f}")
            self.printed.append(step)


# wrong: prints the epoch's first loss (kept from the first step) instead of this step's loss
class PrintEveryN(nl.Callback):
    def __init__(self, n=10):
        self.n = n
        self.printed = []
        self.first = {}

    def on_step_end(self, step, logs):
        self.first.setdefault(logs["epoch"], logs["loss"])
        if step % self.n == 0:
            print(f"step {step}  epoch {logs['epoch']}  loss {self.first[logs['epoch']]:.4f}")
            self.printed.append(step)



# wrong: prints the step number and the loss, but never the epoch
class PrintEveryN(nl.Callback):
    def __init__(self, n=10):
        self.n = n
        self.printed = []

    def on_step_end(self, step, logs):
        if step % self.n == 0:
            print(f"step {step}  loss {logs['loss']:.4f}")
            self.printed.append(step)


# wrong: adds 1 to the epoch (as if logs["epoch"] counted from 0), so the first epoch shows as 2
class PrintEveryN(nl.Callback):
    def __init__(self, n=10):
        self.n = n
        self.printed = []

    def on_step_end(self, step, logs):
        if step % self.n == 0:
            print(f"step {step}  epoch {logs['epoch'] + 1}  loss {logs['loss']:.4f}")
            self.printed.append(step)
