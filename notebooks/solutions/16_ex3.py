# Exercise 3: He initialisation
def he_weights(fan_in, fan_out, seed):
    """Return a (fan_in, fan_out) matrix of N(0, 2 / fan_in) weights, random numbers from seed."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)
