# wrong: flips the kernel (the mathematicians' convolution, not what Conv2d computes)
def conv2d_single(image, kernel):
    kH, kW = kernel.shape
    H, W = image.shape
    out = np.zeros((H - kH + 1, W - kW + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kH, j:j + kW] * kernel[::-1, ::-1])
    return out


# wrong: one position too few along each axis (H - kH instead of H - kH + 1)
def conv2d_single(image, kernel):
    kH, kW = kernel.shape
    H, W = image.shape
    out = np.zeros((H - kH, W - kW))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kH, j:j + kW] * kernel)
    return out


# wrong: swaps kH and kW for the window (right only for square kernels)
def conv2d_single(image, kernel):
    kH, kW = kernel.shape
    H, W = image.shape
    out = np.zeros((H - kH + 1, W - kW + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            window = image[i:i + kW, j:j + kH]
            out[i, j] = np.sum(window[:kH, :kW] * kernel) if window.shape == kernel.shape else 0.0
    return out


# wrong: multiplies the window by the kernel with a matrix product instead of element by element
def conv2d_single(image, kernel):
    kH, kW = kernel.shape
    H, W = image.shape
    out = np.zeros((H - kH + 1, W - kW + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            window = image[i:i + kH, j:j + kW]
            out[i, j] = np.sum(window @ kernel.T) if kH == kW else np.sum(window * kernel)
    return out
