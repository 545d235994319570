# Exercise 3: one output cell by hand
kernel_h = np.array(nl.conv.KERNELS["edge (horizontal)"])
window = digit8[2:5, 3:6]                 # output cell (2, 3): rows 2..4, columns 3..5 of the input
print("window:\n", window, "\nproducts:\n", window * kernel_h)
your_value = float((window * kernel_h).sum())
