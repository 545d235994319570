# wrong: swaps row and column (the window of output cell (3, 2): rows 3..5, columns 2..4)
kernel_h = np.array(nl.conv.KERNELS["edge (horizontal)"])
window = digit8[3:6, 2:5]
your_value = float((window * kernel_h).sum())


# wrong: flips the kernel (the mathematicians' convolution, not what Conv2d computes)
kernel_h = np.array(nl.conv.KERNELS["edge (horizontal)"])
window = digit8[2:5, 3:6]
your_value = float((window * kernel_h[::-1, ::-1]).sum())


# wrong: adds up the window's pixels and forgets the weights
window = digit8[2:5, 3:6]
your_value = float(window.sum())


# wrong: takes the window centred on (2, 3) instead of starting there (rows 1..3, columns 2..4)
kernel_h = np.array(nl.conv.KERNELS["edge (horizontal)"])
window = digit8[1:4, 2:5]
your_value = float((window * kernel_h).sum())


# wrong: uses the vertical-edge kernel of section 1 instead of the horizontal one
window = digit8[2:5, 3:6]
your_value = float((window * kernel).sum())
