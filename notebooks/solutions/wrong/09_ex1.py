# wrong: the columns come in the table's order, not in the order of `names`
def make_features(X, names):
    X = np.asarray(X, dtype=float)
    x1, x2 = X[:, 0], X[:, 1]
    table = {"x1": x1, "x2": x2, "x1^2": x1 ** 2, "x2^2": x2 ** 2, "x1*x2": x1 * x2,
             "sin(x1)": np.sin(x1), "sin(x2)": np.sin(x2)}
    return np.column_stack([col for name, col in table.items() if name in names])


# wrong: stacks along the wrong axis, one row per feature: shape (k, N) instead of (N, k)
def make_features(X, names):
    X = np.asarray(X, dtype=float)
    x1, x2 = X[:, 0], X[:, 1]
    table = {"x1": x1, "x2": x2, "x1^2": x1 ** 2, "x2^2": x2 ** 2, "x1*x2": x1 * x2,
             "sin(x1)": np.sin(x1), "sin(x2)": np.sin(x2)}
    return np.stack([table[name] for name in names])


# wrong: x1^2 written as 2 * x1 (and x2^2 as 2 * x2)
def make_features(X, names):
    X = np.asarray(X, dtype=float)
    x1, x2 = X[:, 0], X[:, 1]
    table = {"x1": x1, "x2": x2, "x1^2": 2 * x1, "x2^2": 2 * x2, "x1*x2": x1 * x2,
             "sin(x1)": np.sin(x1), "sin(x2)": np.sin(x2)}
    return np.column_stack([table[name] for name in names])


# wrong: sin(x1) and sin(x2) swapped
def make_features(X, names):
    X = np.asarray(X, dtype=float)
    x1, x2 = X[:, 0], X[:, 1]
    table = {"x1": x1, "x2": x2, "x1^2": x1 ** 2, "x2^2": x2 ** 2, "x1*x2": x1 * x2,
             "sin(x1)": np.sin(x2), "sin(x2)": np.sin(x1)}
    return np.column_stack([table[name] for name in names])


# wrong: squares the input in place (the caller's X changes)
def make_features(X, names):
    cols = []
    for name in names:
        if name == "x1^2":
            X[:, 0] **= 2
            cols.append(X[:, 0].copy())
        elif name == "x2^2":
            X[:, 1] **= 2
            cols.append(X[:, 1].copy())
        else:
            x1, x2 = X[:, 0], X[:, 1]
            cols.append({"x1": x1, "x2": x2, "x1*x2": x1 * x2, "sin(x1)": np.sin(x1),
                         "sin(x2)": np.sin(x2)}[name])
    return np.column_stack(cols)
