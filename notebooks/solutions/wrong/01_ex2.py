# wrong: a boundary >= where > is asked (points exactly on the line count as class 1)
def count_correct(X, y, w, b):
    pred = (X @ w + b >= 0).astype(int)
    return int(np.sum(pred == y))


# wrong: returns the fraction correct instead of the number
def count_correct(X, y, w, b):
    pred = (X @ w + b > 0).astype(int)
    return float(np.mean(pred == y))


# wrong: ignores the bias b
def count_correct(X, y, w, b):
    pred = (X @ w > 0).astype(int)
    return int(np.sum(pred == y))


# wrong: counts the misclassified points
def count_correct(X, y, w, b):
    pred = (X @ w + b > 0).astype(int)
    return int(np.sum(pred != y))
