# wrong: b is used twice but only one path is counted (dL/db = b - c)
def grads_by_hand(a, b, c):
    s, t = a + b, b - c
    return t, t, -s


# wrong: sign error for c (dL/dc = a + b)
def grads_by_hand(a, b, c):
    s, t = a + b, b - c
    return t, t + s, s


# wrong: only the other path for b (dL/db = a + b)
def grads_by_hand(a, b, c):
    s, t = a + b, b - c
    return t, s, -s
