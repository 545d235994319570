# wrong: averages each column separately (axis=0) instead of all entries
def mse(pred, y):
    err = pred - y
    return np.mean(err ** 2, axis=0), 2 * err / err.size


# wrong: the gradient forgets the factor 2 of the square
def mse(pred, y):
    err = pred - y
    return float(np.mean(err ** 2)), err / err.size


# wrong: divides the gradient by the number of rows instead of the number of entries
def mse(pred, y):
    err = pred - y
    return float(np.mean(err ** 2)), 2 * err / len(err)


# wrong: sign error in the gradient, 2 (y - pred) / N
def mse(pred, y):
    err = pred - y
    return float(np.mean(err ** 2)), 2 * (y - pred) / err.size
