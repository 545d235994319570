# wrong: reads the counts little-endian
def parse_idx_header(data):
    """Return (magic, shape) from the first bytes of an IDX file."""
    magic = int.from_bytes(data[0:4], "big")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "little") for i in range(ndim))
    return magic, shape

# wrong: always reads three counts, as if every file held images
def parse_idx_header(data):
    """Return (magic, shape) from the first bytes of an IDX file."""
    magic = int.from_bytes(data[0:4], "big")
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    return magic, shape

# wrong: the counts start at byte 0 (the magic number is read as the first count)
def parse_idx_header(data):
    """Return (magic, shape) from the first bytes of an IDX file."""
    magic = int.from_bytes(data[0:4], "big")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 * i:4 + 4 * i], "big") for i in range(ndim))
    return magic, shape

# wrong: returns the shape as a list of numpy integers instead of a tuple
import numpy as np


def parse_idx_header(data):
    """Return (magic, shape) from the first bytes of an IDX file."""
    magic = int.from_bytes(data[0:4], "big")
    return magic, list(np.frombuffer(data, dtype=">u4", count=data[3], offset=4))

# wrong: every 4-byte word after the magic number taken as a count
def parse_idx_header(data):
    """Return (magic, shape) from the first bytes of an IDX file."""
    magic = int.from_bytes(data[0:4], "big")
    shape = tuple(int.from_bytes(data[i:i + 4], "big") for i in range(4, len(data) - 3, 4))
    return magic, shape
