# Exercise 2: the chain rule for one neuron
def neuron_grad(w, b, x, y):
    """Return (dL/dw, dL/db) for L = (sigmoid(w x + b) - y)^2."""
    a = nl.sigmoid(w * x + b)
    dL_dz = 2 * (a - y) * a * (1 - a)      # dL/da * da/dz
    return dL_dz * x, dL_dz                # dz/dw = x, dz/db = 1
