# wrong: no shift by the largest logit (overflows to nan for logits near 1000)
def softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


# wrong: normalises over the whole array instead of each row
def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum()


# wrong: subtracts the largest logit of the whole batch (rows far below it underflow to 0 / 0)
def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=-1, keepdims=True)


# wrong: the max and the sum along axis 0 (the columns) instead of the last axis
def softmax(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
