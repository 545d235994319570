# wrong: wrong axis, the fraction of examples (rows) for which every unit is 0
import numpy as np


def dead_fraction(acts):
    return np.array([np.mean(np.all(a <= 0, axis=1)) for a in acts])


# wrong: "any" instead of "all", a unit counts as dead as soon as it is 0 for one example
import numpy as np


def dead_fraction(acts):
    return np.array([np.mean(np.any(a <= 0, axis=0)) for a in acts])


# wrong: the share of zero activations, not of units that are 0 for every example
import numpy as np


def dead_fraction(acts):
    return np.array([np.mean(a == 0) for a in acts])


# wrong: counts the dead units instead of giving their fraction
import numpy as np


def dead_fraction(acts):
    return np.array([np.sum(np.all(a <= 0, axis=0)) for a in acts])


# wrong: returns a Python list where a NumPy array is asked
import numpy as np


def dead_fraction(acts):
    return [float(np.mean(np.all(a <= 0, axis=0))) for a in acts]
