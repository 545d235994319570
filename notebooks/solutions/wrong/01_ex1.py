# wrong: forgets the bias b
def neuron(x, w, b):
    z = x @ w
    return 1 / (1 + np.exp(-z))


# wrong: returns the weighted sum z instead of the activation sigmoid(z)
def neuron(x, w, b):
    return x @ w + b


# wrong: sign error in the sigmoid, 1 / (1 + e^z)
def neuron(x, w, b):
    z = x @ w + b
    return 1 / (1 + np.exp(z))


# wrong: sums over the wrong axis (right for one input, wrong shape for a batch)
def neuron(x, w, b):
    z = np.sum(x * w, axis=0) + b
    return 1 / (1 + np.exp(-z))
