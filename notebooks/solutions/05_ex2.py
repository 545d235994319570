# Solution to notebook 05, Exercise 2: a new operation for Value, softplus(x) = log(1 + e^x).
import math

from nnlib.autograd import Value


def softplus(x):
    """Return a Value for log(1 + e^x) whose local derivative is sigmoid(x)."""
    data = math.log1p(math.exp(x.data)) if x.data < 30 else x.data + math.log1p(math.exp(-x.data))
    local = 1.0 / (1.0 + math.exp(-x.data))          # d/dx log(1 + e^x) = e^x / (1 + e^x)
    return Value(data, (x,), "softplus", _local_grads=(local,))
