# wrong: applies the activation after the last layer too
def mlp_forward(x, params, act=np.tanh):
    a = x
    for W, b in params:
        a = act(a @ W + b)
    return a


# wrong: no activation anywhere (the layers collapse into one linear map)
def mlp_forward(x, params, act=np.tanh):
    a = x
    for W, b in params:
        a = a @ W + b
    return a


# wrong: ignores the argument act and always uses tanh
def mlp_forward(x, params, act=np.tanh):
    a = x
    for k, (W, b) in enumerate(params):
        z = a @ W + b
        a = np.tanh(z) if k < len(params) - 1 else z
    return a


# wrong: forgets the biases
def mlp_forward(x, params, act=np.tanh):
    a = x
    for k, (W, b) in enumerate(params):
        z = a @ W
        a = act(z) if k < len(params) - 1 else z
    return a
