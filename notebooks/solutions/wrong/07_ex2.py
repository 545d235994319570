# wrong: forgets to divide by N (the loss is a mean)
def bce_backward(z, y):
    p = 1.0 / (1.0 + np.exp(-z))
    return p - y


# wrong: sign error, (y - p) / N
def bce_backward(z, y):
    p = 1.0 / (1.0 + np.exp(-z))
    return (y - p) / z.shape[0]


# wrong: the squared-error gradient through the sigmoid, (p - y) p (1 - p) / N
def bce_backward(z, y):
    p = 1.0 / (1.0 + np.exp(-z))
    return (p - y) * p * (1.0 - p) / z.shape[0]


# wrong: uses the logit z where the probability p belongs
def bce_backward(z, y):
    return (z - y) / z.shape[0]
