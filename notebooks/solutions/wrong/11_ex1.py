# wrong: forgets the weight decay term
def momentum_wd_update(w, v, grad, lr, momentum, weight_decay):
    v = momentum * v - lr * grad
    return w + v, v


# wrong: weight decay with the wrong sign (pushes the weights away from 0)
def momentum_wd_update(w, v, grad, lr, momentum, weight_decay):
    g = grad - weight_decay * w
    v = momentum * v - lr * g
    return w + v, v


# wrong: ignores the momentum argument and always uses 0.9
def momentum_wd_update(w, v, grad, lr, momentum, weight_decay):
    g = grad + weight_decay * w
    v = 0.9 * v - lr * g
    return w + v, v


# wrong: changes w in place (w += v writes into the caller's array)
def momentum_wd_update(w, v, grad, lr, momentum, weight_decay):
    g = grad + weight_decay * w
    v = momentum * v - lr * g
    w += v
    return w, v


# wrong: shrinks the weights after the step instead of adding the decay to the gradient
def momentum_wd_update(w, v, grad, lr, momentum, weight_decay):
    v = momentum * v - lr * grad
    return (w + v) * (1 - lr * weight_decay), v
