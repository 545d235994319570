# Exercise 4: the loss, the gradients and the training loop, by hand
def loss_and_grads(weights, biases, X, y):
    """Return (loss, [dW1, db1, dW2, db2, ...]) of the ReLU network on the batch (X, y)."""
    inputs = []                                         # the input a of every layer
    a = X                                               # (N, 784)
    for k, (W, b) in enumerate(zip(weights, biases)):
        inputs.append(a)
        z = a @ W + b                                   # (N, n_out)
        a = z if k == len(weights) - 1 else np.maximum(z, 0)    # no ReLU on the scores
    N = X.shape[0]
    rows = np.arange(N)
    shifted = a - a.max(axis=1, keepdims=True)          # (N, 10), log-sum-exp trick
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))   # log softmax
    loss = float(-log_p[rows, y].mean())
    dz = np.exp(log_p)                                  # p, (N, 10)
    dz[rows, y] -= 1.0
    dz /= N                                             # dL/dz = (p - onehot) / N
    grads = []
    for k in reversed(range(len(weights))):
        a = inputs[k]                                   # (N, n_in)
        grads = [a.T @ dz, dz.sum(axis=0)] + grads      # dW (n_in, n_out), db (n_out,)
        if k > 0:
            dz = (dz @ weights[k].T) * (a > 0)          # da, then back through the ReLU
    return loss, grads


def train_steps(weights, biases, batches, lr, momentum):
    """SGD with momentum over `batches`, changing weights and biases in place; return the losses."""
    params = [p for W, b in zip(weights, biases) for p in (W, b)]   # W1, b1, W2, b2, ...
    velocities = [np.zeros_like(p) for p in params]
    losses = []
    for X, y in batches:
        loss, grads = loss_and_grads(weights, biases, X, y)
        for p, v, g in zip(params, velocities, grads):
            v *= momentum
            v -= lr * g
            p += v                                      # in place: the caller's arrays change
        losses.append(loss)
    return losses
