# wrong: checks only x.ndim (NumPy's own errors, or silent broadcasting, do the rest)
def dense_forward(x, W, b):
    if x.ndim != 2:
        raise ValueError(f"dense_forward: x must be 2-D, got shape {x.shape}")
    return x @ W + b


# wrong: no check on b (a bias of shape (1,) is broadcast silently)
def dense_forward(x, W, b):
    if x.ndim != 2:
        raise ValueError(f"dense_forward: x must be 2-D, got shape {x.shape}")
    if W.ndim != 2 or W.shape[0] != x.shape[1]:
        raise ValueError(f"dense_forward: W must have {x.shape[1]} rows, got shape {W.shape}")
    return x @ W + b


# wrong: compares the rows of W with the wrong axis of x (the batch size N)
def dense_forward(x, W, b):
    if x.ndim != 2:
        raise ValueError(f"dense_forward: x must be 2-D, got shape {x.shape}")
    if W.shape[0] != x.shape[0]:
        raise ValueError(f"dense_forward: W must have {x.shape[0]} rows, got shape {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"dense_forward: b must have shape ({W.shape[1]},), got {b.shape}")
    return x @ W + b


# wrong: raises ValueError but does not name the shapes
def dense_forward(x, W, b):
    if x.ndim != 2 or W.ndim != 2 or W.shape[0] != x.shape[1] or b.shape != (W.shape[1],):
        raise ValueError("dense_forward: the shapes do not fit")
    return x @ W + b
