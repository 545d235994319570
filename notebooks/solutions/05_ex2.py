# Solution to notebook 05, Exercise 2: a new operation for Value, softplus(x) = log(1 + e^x).
import math

from nnlib.autograd import Value


def softplus(x):
    """Return a Value for log(1 + e^x) whose local derivative is sigmoid(x).

    Written so that neither e^x nor e^-x can overflow: log(1 + e^x) = max(x, 0) + log(1 + e^-|x|),
    and sigmoid(x) = 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) for x < 0.
    """
    # math.log1p(u) is log(1 + u), computed accurately even for a tiny u (where 1 + u would round to 1)
    data = max(x.data, 0.0) + math.log1p(math.exp(-abs(x.data)))
    if x.data >= 0:
        local = 1.0 / (1.0 + math.exp(-x.data))          # d/dx log(1 + e^x) = e^x / (1 + e^x)
    else:
        local = math.exp(x.data) / (1.0 + math.exp(x.data))
    return Value(data, (x,), "softplus", _local_grads=(local,))
