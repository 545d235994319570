# Exercise 1: the confusion matrix
def confusion_matrix(y_true, y_pred, k):
    # y_true, y_pred: (N,) ints in 0..k-1 -> (k, k) int array of counts
    C = np.zeros((k, k), dtype=np.int64)
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)   # +1 at every (true, pred) pair
    return C
