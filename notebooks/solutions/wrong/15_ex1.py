# wrong: reshapes W to (out, in) instead of transposing it (same shape, scrambled weights)
mine = nl.Sequential(nl.Linear(2, 16, rng=SEED), nl.Tanh(),
                     nl.Linear(16, 16, rng=SEED), nl.ReLU(),
                     nl.Linear(16, 3, rng=SEED))

def port(net):
    layers = []
    for layer in net.layers:
        if isinstance(layer, nl.Linear):
            t = nn.Linear(layer.in_features, layer.out_features, dtype=torch.float64)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(layer.W.data.reshape(layer.out_features, layer.in_features)))
                t.bias.copy_(torch.from_numpy(layer.b.data))
            layers.append(t)
        elif isinstance(layer, nl.Tanh):
            layers.append(nn.Tanh())
        else:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


# wrong: copies the weights but keeps torch's own random biases
mine = nl.Sequential(nl.Linear(2, 16, rng=SEED), nl.Tanh(),
                     nl.Linear(16, 16, rng=SEED), nl.ReLU(),
                     nl.Linear(16, 3, rng=SEED))

def port(net):
    layers = []
    for layer in net.layers:
        if isinstance(layer, nl.Linear):
            t = nn.Linear(layer.in_features, layer.out_features, dtype=torch.float64)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(layer.W.data.T))
            layers.append(t)
        elif isinstance(layer, nl.Tanh):
            layers.append(nn.Tanh())
        else:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


# wrong: every activation becomes nn.ReLU (the Tanh layer is ported as a ReLU)
mine = nl.Sequential(nl.Linear(2, 16, rng=SEED), nl.Tanh(),
                     nl.Linear(16, 16, rng=SEED), nl.ReLU(),
                     nl.Linear(16, 3, rng=SEED))

def port(net):
    layers = []
    for layer in net.layers:
        if isinstance(layer, nl.Linear):
            t = nn.Linear(layer.in_features, layer.out_features, dtype=torch.float64)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(layer.W.data.T))
                t.bias.copy_(torch.from_numpy(layer.b.data))
            layers.append(t)
        else:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


# wrong: float32 layers (torch's default) for a float64 network
mine = nl.Sequential(nl.Linear(2, 16, rng=SEED), nl.Tanh(),
                     nl.Linear(16, 16, rng=SEED), nl.ReLU(),
                     nl.Linear(16, 3, rng=SEED))

def port(net):
    layers = []
    for layer in net.layers:
        if isinstance(layer, nl.Linear):
            t = nn.Linear(layer.in_features, layer.out_features)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(layer.W.data.T))
                t.bias.copy_(torch.from_numpy(layer.b.data))
            layers.append(t)
        elif isinstance(layer, nl.Tanh):
            layers.append(nn.Tanh())
        else:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


# ruff: noqa: F811 -- every chunk redefines the same function on purpose
