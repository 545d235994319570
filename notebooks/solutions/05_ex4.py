# Solution to notebook 05, Exercise 4: three numbers of the quiz pass, predicted from the picture at step 4.
import numpy as np


def my_predictions():
    """Your numbers for steps 5, 7 and 10 of the quiz pass: (z₁⁽²⁾, L, ∂L/∂w₁₁⁽²⁾), from the picture."""
    a1, a2 = 0.87, 0.38                  # the hidden activations, below the line in layer 1's neurons
    w1, w2, b = 0.70, -0.60, 0.20        # the output's weights (on its arrows) and its bias (its box)
    y = 0.0                              # the target, in the loss box
    z = w1 * a1 + w2 * a2 + b            # step 5: the output's weighted sum
    a = 1 / (1 + np.exp(-z))             # step 6: its sigmoid
    L = (a - y) ** 2                     # step 7: the loss
    dL_da = 2 * (a - y)                  # step 8: back through the loss
    dL_dz = dL_da * a * (1 - a)          # step 9: back through the sigmoid, times its slope a(1 - a)
    dL_dw = dL_dz * a1                   # step 10: times the input on that weight
    return z, L, dL_dw
