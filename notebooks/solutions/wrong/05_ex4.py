# wrong: forgot the bias b₁⁽²⁾ in the weighted sum (and so every number after it is off)
def my_predictions():
    a1, a2, y = 0.87, 0.38, 0.0
    z = 0.70 * a1 - 0.60 * a2
    a = 1 / (1 + np.exp(-z))
    dL_dz = 2 * (a - y) * a * (1 - a)
    return z, (a - y) ** 2, dL_dz * a1


# wrong: used the hidden neurons' z (1.90, -0.50) where their a (0.87, 0.38) belongs
def my_predictions():
    z1, z2, y = 1.90, -0.50, 0.0
    z = 0.70 * z1 - 0.60 * z2 + 0.20
    a = 1 / (1 + np.exp(-z))
    dL_dz = 2 * (a - y) * a * (1 - a)
    return z, (a - y) ** 2, dL_dz * z1


# wrong: the input on the weight taken as the hidden neuron's z (1.90) instead of its a (0.87)
def my_predictions():
    a1, a2, y = 0.87, 0.38, 0.0
    z = 0.70 * a1 - 0.60 * a2 + 0.20
    a = 1 / (1 + np.exp(-z))
    dL_dz = 2 * (a - y) * a * (1 - a)
    return z, (a - y) ** 2, dL_dz * 1.90


# wrong: the gradient's sign turned round, 2(y - a) instead of 2(a - y)
def my_predictions():
    a1, a2, y = 0.87, 0.38, 0.0
    z = 0.70 * a1 - 0.60 * a2 + 0.20
    a = 1 / (1 + np.exp(-z))
    dL_dz = 2 * (y - a) * a * (1 - a)
    return z, (a - y) ** 2, dL_dz * a1


# wrong: forgot the sigmoid's slope a(1 - a) on the way back
def my_predictions():
    a1, a2, y = 0.87, 0.38, 0.0
    z = 0.70 * a1 - 0.60 * a2 + 0.20
    a = 1 / (1 + np.exp(-z))
    dL_dz = 2 * (a - y)
    return z, (a - y) ** 2, dL_dz * a1


# wrong: the loss without its square, L = a - y
def my_predictions():
    a1, a2, y = 0.87, 0.38, 0.0
    z = 0.70 * a1 - 0.60 * a2 + 0.20
    a = 1 / (1 + np.exp(-z))
    dL_dz = 2 * (a - y) * a * (1 - a)
    return z, a - y, dL_dz * a1


# wrong: the numbers of section 2's example (x = (1, -0.5), target 1), not the quiz's
def my_predictions():
    a1, a2, y = 0.55, 0.38, 1.0
    z = 0.70 * a1 - 0.60 * a2 + 0.20
    a = 1 / (1 + np.exp(-z))
    dL_dz = 2 * (a - y) * a * (1 - a)
    return z, (a - y) ** 2, dL_dz * a1
