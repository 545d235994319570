# wrong: pads only one side (n + padding instead of n + 2 padding)
def conv_output_size(n, k, stride=1, padding=0):
    if k > n + 2 * padding:
        raise ValueError("kernel larger than the padded input")
    return (n + padding - k) // stride + 1


# wrong: forgets the + 1 (counts the steps, not the positions)
def conv_output_size(n, k, stride=1, padding=0):
    if k > n + 2 * padding:
        raise ValueError("kernel larger than the padded input")
    return (n + 2 * padding - k) // stride


# wrong: rounds up instead of down (counts a last window that sticks out)
def conv_output_size(n, k, stride=1, padding=0):
    if k > n + 2 * padding:
        raise ValueError("kernel larger than the padded input")
    return -(-(n + 2 * padding - k) // stride) + 1


# wrong: ignores the stride
def conv_output_size(n, k, stride=1, padding=0):
    if k > n + 2 * padding:
        raise ValueError("kernel larger than the padded input")
    return n + 2 * padding - k + 1


# wrong: never raises, returns 0 or less when the kernel does not fit
def conv_output_size(n, k, stride=1, padding=0):
    return (n + 2 * padding - k) // stride + 1
