# wrong: dW = dz.T @ a, the transpose of the right answer
def layer_backward(dz, a, W):
    """Return (dW, db, da) for z = a @ W + b."""
    return dz.T @ a, dz.sum(axis=0), dz @ W.T

# wrong: db is the mean over the batch instead of the sum
def layer_backward(dz, a, W):
    """Return (dW, db, da) for z = a @ W + b."""
    return a.T @ dz, dz.mean(axis=0), dz @ W.T

# wrong: da = dz @ W (W not transposed)
def layer_backward(dz, a, W):
    """Return (dW, db, da) for z = a @ W + b."""
    return a.T @ dz, dz.sum(axis=0), dz @ W

# wrong: db summed over the wrong axis (one number per example)
def layer_backward(dz, a, W):
    """Return (dW, db, da) for z = a @ W + b."""
    return a.T @ dz, dz.sum(axis=1), dz @ W.T
