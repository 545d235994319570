# wrong: mean and standard deviation of each row (axis 1) instead of each column
def standardize(X):
    """Return (X - column means) / column standard deviations. Shapes: X (N, D) -> (N, D)."""
    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)

# wrong: one mean and one standard deviation for the whole table
def standardize(X):
    """Return (X - column means) / column standard deviations. Shapes: X (N, D) -> (N, D)."""
    return (X - X.mean()) / X.std()

# wrong: divides by the variance instead of the standard deviation
def standardize(X):
    """Return (X - column means) / column standard deviations. Shapes: X (N, D) -> (N, D)."""
    return (X - X.mean(axis=0)) / X.var(axis=0)

# wrong: the sample standard deviation (1/(n-1)) instead of the 1/n of section 12
def standardize(X):
    """Return (X - column means) / column standard deviations. Shapes: X (N, D) -> (N, D)."""
    return (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
