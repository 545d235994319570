# Exercise 1: the output size of a convolution
def conv_output_size(n, k, stride=1, padding=0):
    # n: input size, k: kernel size -> int, the number of kernel positions along the axis
    if k > n + 2 * padding:
        raise ValueError(f"conv_output_size: kernel {k} is larger than the padded input {n + 2 * padding}")
    return (n + 2 * padding - k) // stride + 1
