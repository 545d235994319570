# wrong: no topological order -- breadth first from the root, so a shared node passes its grad on too early
def backward(root):
    root.grad = 1.0
    queue, seen = [root], {root}
    for node in queue:
        for child, local in zip(node._prev, node._local_grads):
            child.grad += local * node.grad
            if child not in seen:
                seen.add(child)
                queue.append(child)


# wrong: = instead of += (a value used twice keeps only its last contribution)
def backward(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)

    visit(root)
    root.grad = 1.0
    for node in reversed(order):
        for child, local in zip(node._prev, node._local_grads):
            child.grad = local * node.grad


# wrong: forgets to seed root.grad = 1 (every gradient stays 0)
def backward(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)

    visit(root)
    for node in reversed(order):
        for child, local in zip(node._prev, node._local_grads):
            child.grad += local * node.grad


# wrong: no visited set -- recursion pushes through a shared node once per path, counting it twice
def backward(root):
    root.grad = 1.0

    def push(node):
        for child, local in zip(node._prev, node._local_grads):
            child.grad += local * node.grad
            push(child)

    push(root)


# wrong: sweeps the topological order forwards (leaves first) instead of reversed
def backward(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)

    visit(root)
    root.grad = 1.0
    for node in order:
        for child, local in zip(node._prev, node._local_grads):
            child.grad += local * node.grad
