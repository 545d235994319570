# wrong: the raise deleted, the missing zero_grad() not added (gradients pile up from step to step)
def torch_sgd_losses(tnet, loader, lr=0.1, momentum=0.9):
    opt = torch.optim.SGD(tnet.parameters(), lr=lr, momentum=momentum)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for xb, yb in loader:
        loss = loss_fn(tnet(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


# wrong: zero_grad() between backward() and step(), so every step sees a zero gradient
def torch_sgd_losses(tnet, loader, lr=0.1, momentum=0.9):
    opt = torch.optim.SGD(tnet.parameters(), lr=lr, momentum=momentum)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for xb, yb in loader:
        loss = loss_fn(tnet(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        opt.zero_grad()
        opt.step()
        losses.append(loss.item())
    return losses


# wrong: zero_grad() added, but the loss is summed over the batch instead of averaged
def torch_sgd_losses(tnet, loader, lr=0.1, momentum=0.9):
    opt = torch.optim.SGD(tnet.parameters(), lr=lr, momentum=momentum)
    loss_fn = nn.CrossEntropyLoss(reduction="sum")
    losses = []
    for xb, yb in loader:
        opt.zero_grad()
        loss = loss_fn(tnet(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


# wrong: zero_grad() added, but momentum is not passed on to torch.optim.SGD
def torch_sgd_losses(tnet, loader, lr=0.1, momentum=0.9):
    opt = torch.optim.SGD(tnet.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for xb, yb in loader:
        opt.zero_grad()
        loss = loss_fn(tnet(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


# wrong: zero_grad() added, but the optimizer is rebuilt every step (its momentum starts from 0 each time)
def torch_sgd_losses(tnet, loader, lr=0.1, momentum=0.9):
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for xb, yb in loader:
        opt = torch.optim.SGD(tnet.parameters(), lr=lr, momentum=momentum)
        opt.zero_grad()
        loss = loss_fn(tnet(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


# ruff: noqa: F811 -- every chunk redefines the same function on purpose
