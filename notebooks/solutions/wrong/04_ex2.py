# wrong: ignores the argument lr and always steps with 0.1
def gd_step(w, b, x, y, lr):
    err = w * x + b - y
    return w - 0.1 * 2 * np.mean(err * x), b - 0.1 * 2 * np.mean(err)


# wrong: steps uphill, adding the gradient
def gd_step(w, b, x, y, lr):
    err = w * x + b - y
    return w + lr * 2 * np.mean(err * x), b + lr * 2 * np.mean(err)


# wrong: the gradient forgets the factor 2
def gd_step(w, b, x, y, lr):
    err = w * x + b - y
    return w - lr * np.mean(err * x), b - lr * np.mean(err)


# wrong: updates w first, then computes the gradient for b with the new w
def gd_step(w, b, x, y, lr):
    w = w - lr * 2 * np.mean((w * x + b - y) * x)
    b = b - lr * 2 * np.mean(w * x + b - y)
    return w, b
