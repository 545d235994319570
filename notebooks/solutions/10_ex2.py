# Exercise 2: the update-to-weight ratio of one layer
import numpy as np


def update_ratio(W, dW, lr):
    # W, dW: arrays of the same shape; lr: a float -> a float
    return float(np.linalg.norm(lr * dW) / np.linalg.norm(W))
