# Exercise 2: one step of gradient descent
def gd_step(w, b, x, y, lr):
    """Return (w, b) after one gradient-descent step on mean((w * x + b - y)^2)."""
    err = w * x + b - y                 # (N,)
    dw = 2 * np.mean(err * x)           # dL/dw
    db = 2 * np.mean(err)               # dL/db
    return w - lr * dw, b - lr * db
