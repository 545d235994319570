# Exercise 1 — solution: one epoch of mini-batch gradient descent, written out.

def train_one_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):
    """Shuffle with `rng.permutation(N)`, cut into batches of `batch_size`, take one step per batch.

    Returns the list of batch losses (one per step). The last batch may be smaller.
    """
    N = len(X)
    order = rng.permutation(N)                         # a new order every epoch
    losses = []
    for start in range(0, N, batch_size):
        idx = order[start:start + batch_size]
        xb, yb = X[idx], y[idx]                        # (B, D), (B,)
        optimizer.zero_grad()
        loss = loss_fn(model.forward(xb), yb)          # forward
        model.backward(loss_fn.backward())             # backward
        optimizer.step()                               # update
        losses.append(loss)
    return losses


