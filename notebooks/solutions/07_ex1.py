# Solution to notebook 07, Exercise 1: the backward pass of the sigmoid, element-wise.


def sigmoid_backward(dout, a):
    """Return dL/dz given dL/da and the forward output a = sigmoid(z). Shapes: (N, D)."""
    return dout * a * (1.0 - a)                      # sigma'(z) = a (1 - a), a new array
