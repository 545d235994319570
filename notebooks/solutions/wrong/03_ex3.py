# wrong: the naive formula, which overflows for scores in the thousands
def logsumexp(Z):
    """Return log(sum(exp(Z), axis=1)) without overflow. Shapes: Z (N, C) -> (N,)."""
    return np.log(np.exp(Z).sum(axis=1))

# wrong: subtracts the maximum but forgets to add it back
def logsumexp(Z):
    """Return log(sum(exp(Z), axis=1)) without overflow. Shapes: Z (N, C) -> (N,)."""
    m = Z.max(axis=1, keepdims=True)
    return np.log(np.exp(Z - m).sum(axis=1))

# wrong: sums down the columns (axis 0) instead of along each row
def logsumexp(Z):
    """Return log(sum(exp(Z), axis=1)) without overflow. Shapes: Z (N, C) -> (N,)."""
    m = Z.max(axis=0, keepdims=True)
    return m[0] + np.log(np.exp(Z - m).sum(axis=0))

# wrong: subtracts the maximum in place, changing the caller's Z
def logsumexp(Z):
    """Return log(sum(exp(Z), axis=1)) without overflow. Shapes: Z (N, C) -> (N,)."""
    m = Z.max(axis=1, keepdims=True)
    Z -= m
    return m[:, 0] + np.log(np.exp(Z).sum(axis=1))

# wrong: subtracts the maximum of the whole array, which still underflows for spread-out rows
def logsumexp(Z):
    """Return log(sum(exp(Z), axis=1)) without overflow. Shapes: Z (N, C) -> (N,)."""
    m = Z.max()
    return m + np.log(np.exp(Z - m).sum(axis=1))
