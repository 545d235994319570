# Solution to notebook 05, Exercise 1: the gradients of L = (a + b) * (b - c), by hand.


def grads_by_hand(a, b, c):
    """Return (dL/da, dL/db, dL/dc) for L = (a + b) * (b - c), as plain floats."""
    s, t = a + b, b - c                  # L = s * t
    dL_da = t                            # through s only: dL/ds * ds/da = t * 1
    dL_db = t + s                        # b is used twice: the two paths add up
    dL_dc = -s                           # through t only: dL/dt * dt/dc = s * (-1)
    return dL_da, dL_db, dL_dc
