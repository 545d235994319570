# wrong: composed from existing operations instead of a new operation (and exp overflows for large x)
def softplus(x):
    return (x.exp() + 1.0).log()


# wrong: the naive formula log(1 + e^x) overflows for large x
def softplus(x):
    import math
    data = math.log(1 + math.exp(x.data))
    local = 1 / (1 + math.exp(-x.data))
    return Value(data, (x,), "softplus", _local_grads=(local,))


# wrong: the local derivative is 1 - sigmoid(x) (a sign slip in the exponent)
def softplus(x):
    import math
    data = max(x.data, 0.0) + math.log1p(math.exp(-abs(x.data)))
    local = 1 / (1 + math.exp(min(x.data, 700.0)))
    return Value(data, (x,), "softplus", _local_grads=(local,))


# wrong: forgets to record the input, so no gradient flows back to x
def softplus(x):
    import math
    data = max(x.data, 0.0) + math.log1p(math.exp(-abs(x.data)))
    return Value(data, (), "softplus")
