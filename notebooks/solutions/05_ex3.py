# Solution to notebook 05, Exercise 3: Value.backward written by hand (micrograd's two parts).


def backward(root):
    """Fill .grad of every node below root with d(root)/d(node): topological order, then the reverse sweep."""
    order, seen = [], set()

    def visit(node):                          # depth-first: a node is appended after all its inputs
        if node not in seen:
            seen.add(node)                    # a node used by several others is visited once
            for child in node._prev:
                visit(child)
            order.append(node)

    visit(root)
    root.grad = 1.0                           # d root / d root
    for node in reversed(order):              # each node after everything that uses it: its grad is complete
        for child, local in zip(node._prev, node._local_grads):
            child.grad += local * node.grad   # chain rule; += adds up the uses of a shared value
