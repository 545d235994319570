# Exercise 1: measure a slope
def centred_difference(f, x, h=1e-5):
    """Return (f(x + h) - f(x - h)) / (2 h), the slope of f at x."""
    return (f(x + h) - f(x - h)) / (2 * h)
