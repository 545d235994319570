# wrong: no shuffling (goes through the examples in their stored order)
def train_one_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):
    losses = []
    for start in range(0, len(X), batch_size):
        xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        optimizer.zero_grad()
        loss = loss_fn(model.forward(xb), yb)
        model.backward(loss_fn.backward())
        optimizer.step()
        losses.append(loss)
    return losses


# wrong: drops the short last batch
def train_one_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):
    order = rng.permutation(len(X))
    losses = []
    for start in range(0, len(X) - batch_size + 1, batch_size):
        idx = order[start:start + batch_size]
        optimizer.zero_grad()
        loss = loss_fn(model.forward(X[idx]), y[idx])
        model.backward(loss_fn.backward())
        optimizer.step()
        losses.append(loss)
    return losses


# wrong: forgets zero_grad, so the gradients of all earlier batches add up
def train_one_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):
    order = rng.permutation(len(X))
    losses = []
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        loss = loss_fn(model.forward(X[idx]), y[idx])
        model.backward(loss_fn.backward())
        optimizer.step()
        losses.append(loss)
    return losses


# wrong: returns the mean loss of the epoch instead of the list of batch losses
def train_one_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):
    order = rng.permutation(len(X))
    losses = []
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        optimizer.zero_grad()
        loss = loss_fn(model.forward(X[idx]), y[idx])
        model.backward(loss_fn.backward())
        optimizer.step()
        losses.append(loss)
    return sum(losses) / len(losses)
