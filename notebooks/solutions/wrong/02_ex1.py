# wrong: a boundary >= (slope 1 at z = 0, where the exercise asks for 0)
def relu_derivative(z):
    return (z >= 0).astype(float)


def tanh_derivative(z):
    return 1.0 - np.tanh(z) ** 2


# wrong: tanh' without the square, 1 - tanh(z)
def relu_derivative(z):
    return (z > 0).astype(float)


def tanh_derivative(z):
    return 1.0 - np.tanh(z)


# wrong: returns the function ReLU itself instead of its slope
def relu_derivative(z):
    return np.maximum(0, z)


def tanh_derivative(z):
    return 1.0 - np.tanh(z) ** 2


# wrong: sign error, tanh(z)^2 - 1
def relu_derivative(z):
    return (z > 0).astype(float)


def tanh_derivative(z):
    return np.tanh(z) ** 2 - 1.0
