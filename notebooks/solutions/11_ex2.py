# Exercise 2: Adam with weight decay, for one array
def adam_wd_update(w, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    """Return (w, m, v) after Adam's step number t (t = 1, 2, ...) with L2 weight decay."""
    g = grad + weight_decay * w          # L2 penalty, added to the gradient as in SGD
    m = b1 * m + (1 - b1) * g            # running mean of the gradient
    v = b2 * v + (1 - b2) * g * g        # running mean of its square
    m_hat = m / (1 - b1 ** t)            # bias correction: m and v start at 0
    v_hat = v / (1 - b2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
