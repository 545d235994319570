# wrong: forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h
def centred_difference(f, x, h=1e-5):
    """Return (f(x + h) - f(x - h)) / (2 h), the slope of f at x."""
    return (f(x + h) - f(x)) / h

# wrong: divides by h instead of 2 h (twice the slope)
def centred_difference(f, x, h=1e-5):
    """Return (f(x + h) - f(x - h)) / (2 h), the slope of f at x."""
    return (f(x + h) - f(x - h)) / h

# wrong: the two points in the wrong order (the slope's sign flips)
def centred_difference(f, x, h=1e-5):
    """Return (f(x + h) - f(x - h)) / (2 h), the slope of f at x."""
    return (f(x - h) - f(x + h)) / (2 * h)

# wrong: ignores the h it is given and uses a large fixed step
def centred_difference(f, x, h=1e-5):
    """Return (f(x + h) - f(x - h)) / (2 h), the slope of f at x."""
    return (f(x + 0.1) - f(x - 0.1)) / 0.2

# wrong: ignores the h it is given and always uses the default 1e-5
def centred_difference(f, x, h=1e-5):
    """Return (f(x + h) - f(x - h)) / (2 h), the slope of f at x."""
    return (f(x + 1e-5) - f(x - 1e-5)) / 2e-5
