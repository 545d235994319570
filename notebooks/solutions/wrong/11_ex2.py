# wrong: no bias correction
import numpy as np


def adam_wd_update(w, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    g = grad + weight_decay * w
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    return w - lr * m / (np.sqrt(v) + eps), m, v


# wrong: bias correction one step late, (1 - b ** (t + 1))
import numpy as np


def adam_wd_update(w, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    g = grad + weight_decay * w
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m / (1 - b1 ** (t + 1))
    v_hat = v / (1 - b2 ** (t + 1))
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# wrong: forgets the square root of v_hat
import numpy as np


def adam_wd_update(w, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    g = grad + weight_decay * w
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return w - lr * m_hat / (v_hat + eps), m, v


# wrong: decoupled decay (AdamW) where the exercise adds the decay to the gradient
import numpy as np


def adam_wd_update(w, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    m = b1 * m + (1 - b1) * grad
    v = b2 * v + (1 - b2) * grad * grad
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps) - lr * weight_decay * w, m, v


# wrong: ignores eps (uses 1e-8 whatever is passed)
import numpy as np


def adam_wd_update(w, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    g = grad + weight_decay * w
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + 1e-8), m, v


# wrong: eps inside the square root, sqrt(v_hat + eps)
import numpy as np


def adam_wd_update(w, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    g = grad + weight_decay * w
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), m, v
