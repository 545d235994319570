# Exercise 1: read an IDX header by hand
def parse_idx_header(data):
    """Return (magic, shape) from the first bytes of an IDX file."""
    magic = int.from_bytes(data[0:4], "big")
    ndim = data[3]                                   # the last byte of the magic number
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return magic, shape
