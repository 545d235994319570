# Exercise 1 — solution: port a network of your own to PyTorch, by hand
mine = nl.Sequential(nl.Linear(2, 16, rng=SEED), nl.Tanh(),
                     nl.Linear(16, 16, rng=SEED), nl.ReLU(),
                     nl.Linear(16, 3, rng=SEED))     # change it: any stack of Linear, Tanh, ReLU

def port(net):
    """A torch.nn.Sequential computing the same function as `net`, in float64."""
    layers = []
    for layer in net.layers:
        if isinstance(layer, nl.Linear):
            t = nn.Linear(layer.in_features, layer.out_features, dtype=torch.float64)
            with torch.no_grad():                                  # copying is not training
                t.weight.copy_(torch.from_numpy(layer.W.data.T))   # (out, in) = W.T
                t.bias.copy_(torch.from_numpy(layer.b.data))       # (out,)
            layers.append(t)
        elif isinstance(layer, nl.Tanh):
            layers.append(nn.Tanh())
        elif isinstance(layer, nl.ReLU):
            layers.append(nn.ReLU())
        else:
            raise ValueError(f"port: no torch layer for {type(layer).__name__}")
    return nn.Sequential(*layers)
