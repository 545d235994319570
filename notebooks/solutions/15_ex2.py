# Exercise 2 — solution: the missing line is opt.zero_grad(). Torch adds every backward pass
# into .grad, so without it each step uses the sum of all gradients so far.
def torch_sgd_losses(tnet, loader, lr=0.1, momentum=0.9):
    """Train `tnet` one epoch on `loader` as nl.fit with nl.SGD would; return every step's loss."""
    opt = torch.optim.SGD(tnet.parameters(), lr=lr, momentum=momentum)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for xb, yb in loader:
        opt.zero_grad()                       # the missing line
        loss = loss_fn(tnet(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
