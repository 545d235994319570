# Exercise 1: the mean squared error and its gradient
def mse(pred, y):
    """Return (loss, dL/dpred) for L = mean((pred - y)^2)."""
    err = pred - y                      # same shape as pred
    loss = float(np.mean(err ** 2))
    dpred = 2 * err / err.size          # each entry's share of the mean
    return loss, dpred
