# Exercise 2: a convolution with two loops
def conv2d_single(image, kernel):
    # image: (H, W), kernel: (kH, kW) -> (H - kH + 1, W - kW + 1)
    kH, kW = kernel.shape
    H, W = image.shape
    out = np.zeros((H - kH + 1, W - kW + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kH, j:j + kW] * kernel)
    return out
