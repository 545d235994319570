# Exercise 2: the backward pass of one linear layer
def layer_backward(dz, a, W):
    """Return (dW, db, da) for z = a @ W + b."""
    dW = a.T @ dz                  # (n_in, n_out)
    db = dz.sum(axis=0)            # (n_out,)
    da = dz @ W.T                  # (N, n_in)
    return dW, db, da
