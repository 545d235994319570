# wrong: standard deviation sqrt(1 / fan_in) (the factor 2 for ReLU is missing)
def he_weights(fan_in, fan_out, seed):
    """Return a (fan_in, fan_out) matrix of N(0, 2 / fan_in) weights, random numbers from seed."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(1.0 / fan_in)

# wrong: the variance 2 / fan_in used as the standard deviation
def he_weights(fan_in, fan_out, seed):
    """Return a (fan_in, fan_out) matrix of N(0, 2 / fan_in) weights, random numbers from seed."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((fan_in, fan_out)) * (2.0 / fan_in)

# wrong: shape (fan_out, fan_in), transposed
def he_weights(fan_in, fan_out, seed):
    """Return a (fan_in, fan_out) matrix of N(0, 2 / fan_in) weights, random numbers from seed."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)

# wrong: scaled by fan_out instead of fan_in
def he_weights(fan_in, fan_out, seed):
    """Return a (fan_in, fan_out) matrix of N(0, 2 / fan_in) weights, random numbers from seed."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_out)

# wrong: float32 weights (the program's default dtype) where float64 is asked for
def he_weights(fan_in, fan_out, seed):
    """Return a (fan_in, fan_out) matrix of N(0, 2 / fan_in) weights, random numbers from seed."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
