# wrong: the ReLU gate tests the output a1 >= 0, which is always true (no gate at all)
def two_layer_backward(x, W1, b1, W2, b2, dout):
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0)
    da1 = dout @ W2.T
    dz1 = da1 * (a1 >= 0)
    return x.T @ dz1, dz1.sum(axis=0), a1.T @ dout, dout.sum(axis=0)


# wrong: dW2 from the pre-activation z1 instead of the activation a1
def two_layer_backward(x, W1, b1, W2, b2, dout):
    z1 = x @ W1 + b1
    dz1 = (dout @ W2.T) * (z1 > 0)
    return x.T @ dz1, dz1.sum(axis=0), z1.T @ dout, dout.sum(axis=0)


# wrong: biases from the mean over the batch instead of the sum
def two_layer_backward(x, W1, b1, W2, b2, dout):
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0)
    dz1 = (dout @ W2.T) * (z1 > 0)
    return x.T @ dz1, dz1.mean(axis=0), a1.T @ dout, dout.mean(axis=0)


# wrong: forgets the ReLU in the backward pass
def two_layer_backward(x, W1, b1, W2, b2, dout):
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0)
    dz1 = dout @ W2.T
    return x.T @ dz1, dz1.sum(axis=0), a1.T @ dout, dout.sum(axis=0)


# wrong: the ReLU gate lets z1 == 0 through (z1 >= 0); ReLU's slope at 0 is taken as 0
def two_layer_backward(x, W1, b1, W2, b2, dout):
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0)
    dz1 = (dout @ W2.T) * (z1 >= 0)
    return x.T @ dz1, dz1.sum(axis=0), a1.T @ dout, dout.sum(axis=0)
