# wrong: the weights of OR (the output is not inverted)
def nor_weights():
    return (1.0, 1.0), -0.5


# wrong: the weights of NAND (fires unless both inputs are 1)
def nor_weights():
    return (-1.0, -1.0), 1.5


# wrong: a bias of 0 puts the input (0, 0) exactly on the line, where step(0) = 0
def nor_weights():
    return (-1.0, -1.0), 0.0


# wrong: the weights of AND
def nor_weights():
    return (1.0, 1.0), -1.5
