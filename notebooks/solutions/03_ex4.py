# Exercise 4: standardise the columns of a table
def standardize(X):
    """Return (X - column means) / column standard deviations. Shapes: X (N, D) -> (N, D)."""
    mean = X.mean(axis=0)                          # (D,)
    std = np.sqrt(((X - mean) ** 2).mean(axis=0))  # (D,), variance with 1/n
    return (X - mean) / std                        # broadcast over the N rows
