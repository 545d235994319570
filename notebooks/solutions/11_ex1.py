# Exercise 1: SGD with momentum and weight decay, for one array
def momentum_wd_update(w, v, grad, lr, momentum, weight_decay):
    """Return (w, v) after one step of SGD with momentum and L2 weight decay."""
    g = grad + weight_decay * w          # gradient of loss + (weight_decay / 2) * ||w||^2
    v = momentum * v - lr * g            # velocity: a running sum of recent steps
    return w + v, v
