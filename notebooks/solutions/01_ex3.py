# Exercise 3 — solution: NOR, "not or", from one perceptron.
def nor_weights():
    """(w, b) with step(x @ w + b) = NOR(x1, x2): 1 only for (0, 0).

    Start from OR, w = (1, 1), b = -0.5, and turn every sign round: z = 0.5 - x1 - x2 is
    positive only when both inputs are 0. The bias 0.5 keeps (0, 0) off the line z = 0.
    """
    return (-1.0, -1.0), 0.5
