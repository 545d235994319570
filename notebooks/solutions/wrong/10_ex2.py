# wrong: ignores the learning rate
import numpy as np


def update_ratio(W, dW, lr):
    return float(np.linalg.norm(dW) / np.linalg.norm(W))


# wrong: squared norms (forgets the square root of the Frobenius norm)
import numpy as np


def update_ratio(W, dW, lr):
    return float(np.sum((lr * dW) ** 2) / np.sum(W ** 2))


# wrong: the largest entries instead of the Frobenius norm
import numpy as np


def update_ratio(W, dW, lr):
    return float(np.abs(lr * dW).max() / np.abs(W).max())


# wrong: upside down, weight over update
import numpy as np


def update_ratio(W, dW, lr):
    return float(np.linalg.norm(W) / np.linalg.norm(lr * dW))


# wrong: one ratio per column (norms along axis 0) instead of one number for the layer
import numpy as np


def update_ratio(W, dW, lr):
    return np.linalg.norm(lr * dW, axis=0) / np.linalg.norm(W, axis=0)
