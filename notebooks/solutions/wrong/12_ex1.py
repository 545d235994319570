# wrong: transposed, counts [predicted, true] instead of [true, predicted]
def confusion_matrix(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=np.int64)
    np.add.at(C, (np.asarray(y_pred), np.asarray(y_true)), 1)
    return C


# wrong: fancy-index += (a repeated (true, predicted) pair is counted once)
def confusion_matrix(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=np.int64)
    C[np.asarray(y_true), np.asarray(y_pred)] += 1
    return C


# wrong: ignores k and sizes the matrix from the labels it sees
def confusion_matrix(y_true, y_pred, k):
    n = int(max(np.max(y_true), np.max(y_pred))) + 1
    C = np.zeros((n, n), dtype=np.int64)
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C


# wrong: only the correct answers, on the diagonal
def confusion_matrix(y_true, y_pred, k):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return np.diag(np.bincount(y_true[y_true == y_pred], minlength=k))


# wrong: float counts (np.zeros without an integer dtype) where integer counts are asked
def confusion_matrix(y_true, y_pred, k):
    C = np.zeros((k, k))
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C
