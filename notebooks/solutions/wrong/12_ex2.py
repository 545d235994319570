# wrong: least confident mistakes first (ascending sort)
def top_confident_mistakes(probs, y, k):
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    conf = probs[wrong, pred[wrong]]
    return wrong[np.argsort(conf, kind="stable")[:k]]


# wrong: the most confident rows overall, right or wrong
def top_confident_mistakes(probs, y, k):
    conf = probs.max(axis=1)
    return np.argsort(-conf, kind="stable")[:k]


# wrong: returns the confidences instead of the indices
def top_confident_mistakes(probs, y, k):
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    conf = probs[wrong, pred[wrong]]
    return np.sort(conf)[::-1][:k]


# wrong: positions in the list of mistakes instead of the row indices of probs
def top_confident_mistakes(probs, y, k):
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    conf = probs[wrong, pred[wrong]]
    return np.argsort(-conf, kind="stable")[:k]
