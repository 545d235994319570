# wrong: forgets the factor x in dL/dw (dz/dw = x, not 1)
def neuron_grad(w, b, x, y):
    """Return (dL/dw, dL/db) for L = (sigmoid(w x + b) - y)^2."""
    a = nl.sigmoid(w * x + b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz, dL_dz

# wrong: uses sigma(z) instead of its slope sigma(z) (1 - sigma(z))
def neuron_grad(w, b, x, y):
    """Return (dL/dw, dL/db) for L = (sigmoid(w x + b) - y)^2."""
    a = nl.sigmoid(w * x + b)
    dL_dz = 2 * (a - y) * a
    return dL_dz * x, dL_dz

# wrong: forgets the factor 2 of the square
def neuron_grad(w, b, x, y):
    """Return (dL/dw, dL/db) for L = (sigmoid(w x + b) - y)^2."""
    a = nl.sigmoid(w * x + b)
    dL_dz = (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz

# wrong: stops the chain at a (returns dL/da for both)
def neuron_grad(w, b, x, y):
    """Return (dL/dw, dL/db) for L = (sigmoid(w x + b) - y)^2."""
    a = nl.sigmoid(w * x + b)
    return 2 * (a - y) * x, 2 * (a - y)
