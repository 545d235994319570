# Exercise 2: the most confident mistakes
def top_confident_mistakes(probs, y, k):
    # probs: (N, C) probabilities, y: (N,) labels -> (k,) int indices, most confident first
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)                  # indices of the mistakes
    conf = probs[wrong, pred[wrong]]                   # how sure the network was
    return wrong[np.argsort(-conf, kind="stable")[:k]]
