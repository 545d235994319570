# wrong: ignores the rate (returns sign(W) whatever the rate)
def l1_penalty_grad(W, rate):
    return np.sign(W)


# wrong: sign(0) taken as +1, a boundary >= (a weight at exactly 0 is pushed too)
def l1_penalty_grad(W, rate):
    return np.where(W >= 0, rate, -rate)


# wrong: the L2 gradient rate * W instead of the L1 one
def l1_penalty_grad(W, rate):
    return rate * W


# wrong: the penalty itself, rate * |W|, instead of its gradient
def l1_penalty_grad(W, rate):
    return rate * np.abs(W)


# wrong: writes sign(W) into W itself (the caller's weights change)
def l1_penalty_grad(W, rate):
    np.sign(W, out=W)
    W *= rate
    return W
