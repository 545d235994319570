# wrong: modifies dout in place (the caller's gradient is overwritten)
def sigmoid_backward(dout, a):
    dout *= a * (1.0 - a)
    return dout


# wrong: treats a as if it were z, sigma(a) (1 - sigma(a))
def sigmoid_backward(dout, a):
    s = 1.0 / (1.0 + np.exp(-a))
    return dout * s * (1.0 - s)


# wrong: forgets to multiply by dout (returns the local slope only)
def sigmoid_backward(dout, a):
    return a * (1.0 - a)


# wrong: uses tanh's slope 1 - a^2
def sigmoid_backward(dout, a):
    return dout * (1.0 - a ** 2)
