"""Self-checks for the notebooks' exercises: a check that can fail, says why, and never crashes.

An exercise's self-check is a small test. It is only worth something if a plausible wrong answer
makes it print ✗ -- a `>=` where `>` was asked, an ignored argument, a wrong axis, an input changed
in place -- and if the ✗ says *which* input failed and *how* the answer differs (a value, never two
identical prints). Whatever the learner's function does -- raise, return ``None``, return a list of
the wrong length -- the check cell prints its verdict and carries on, so "Run all" never stops there.

A ✗ message is never cut: it names the input (small arrays written out on one line), the value
expected and the value returned -- for arrays at the first index where they differ -- with enough
digits to differ (`pair`: "2.71830" against "2.71828", not "2.7183").

Three entry points, all printing a verdict that starts with ✓ (right), ✗ (wrong) or says
"not done yet" (the stub still raises ``NotImplementedError``), and returning True only for ✓:

- `check_function(fn, cases, expected)`: call ``fn(*args)`` for every case and compare with the
  reference answer (a function of the same arguments, or a list of answers). A reference answer
  may be ``raises(ValueError)``: then the learner's function must raise that error itself.
- `run(check, name)`: for checks that are easier to write as code (a callback, a class): ``check``
  is a function that raises ``AssertionError("what went wrong")`` on a wrong answer.
- `report(ok, good, bad)`: the one-line verdict, for checks that compute ``ok`` themselves.

Used by the notebooks only; nothing here imports matplotlib.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["check_function", "raises", "run", "report", "format_value", "compare", "pair"]

# check_function(..., array_of=...): the dtype kinds (np.dtype.kind) each name accepts.
ARRAY_KINDS = {"integers": "iu", "floats": "f", "numbers": "iuf", "booleans": "b"}

NOT_DONE = "not done yet: replace `raise NotImplementedError` with your code, then run this cell again"


class raises:  # noqa: N801 -- reads as English in a list of expected answers: raises(ValueError)
    """Expected answer meaning "the function must raise this exception type itself"."""

    def __init__(self, error: type[BaseException] = ValueError):
        self.error = error

    def __repr__(self) -> str:
        return f"raises({self.error.__name__})"


def report(ok: bool, good: str, bad: str = "") -> bool:
    """Print the verdict (✓ good / ✗ bad) and return ``ok``."""
    print(f"✓ {good}" if ok else f"✗ {bad}")
    return bool(ok)


def _short(v: float) -> str:
    """A number in at most 6 significant digits ("0.25", "1e-06", "1000.12")."""
    return f"{v:.6g}"


def _exact_short(v: float) -> bool:
    return not np.isfinite(v) or float(_short(v)) == v


def pair(got: float, want: float) -> tuple[str, str]:
    """``got`` and ``want`` as two strings that differ whenever the numbers do.

    Numbers that 6 significant digits write exactly stay short ("1", "0.25"). Otherwise both get
    the same number of significant digits, trailing zeros kept, from 6 up to 17 until the two
    strings differ: 2.7182954 against e reads "2.71830" and "2.71828", never "2.7183" and
    "2.71828", which would look like the same number rounded.
    """
    got, want = float(got), float(want)
    if _exact_short(got) and _exact_short(want):
        return _short(got), _short(want)
    for n in range(6, 18):
        g, w = f"{got:#.{n}g}", f"{want:#.{n}g}"
        if g != w:
            return g, w
    return repr(got), repr(want)


def _array_text(a: np.ndarray) -> str:
    text = np.array2string(a, separator=", ", max_line_width=10**9, threshold=10**9,
                           formatter={"float_kind": _short})
    return re.sub(r"\s+", " ", text).replace("[ ", "[")


def format_value(value: Any, limit: int = 16) -> str:
    """A readable one-line description of an argument or result for a ✗ message.

    Arrays of up to ``limit`` values are written out in full, on one line (a 2-D array as nested
    brackets); a larger array is described by its shape, dtype and range.
    """
    if isinstance(value, np.ndarray):
        if value.size <= limit:
            return _array_text(value)
        if value.size and np.issubdtype(value.dtype, np.number):
            return (f"array of shape {value.shape} ({value.dtype}, values from "
                    f"{_short(float(np.min(value)))} to {_short(float(np.max(value)))})")
        return f"array of shape {value.shape} ({value.dtype})"
    if isinstance(value, (float, np.floating)):
        return _short(float(value))
    if isinstance(value, (list, tuple)):
        if len(value) > limit:
            return f"{type(value).__name__} of length {len(value)}"
        inner = ", ".join(format_value(v, limit) for v in value)
        if isinstance(value, list):
            return f"[{inner}]"
        return f"({inner}{',' if len(value) == 1 else ''})"
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__                      # np.exp, cube: the name says which function
    text = " ".join(repr(value).split())
    return text if len(text) <= 200 else text[:197] + "..."   # an object's repr, not a number


def _args_text(args: tuple, kwargs: dict) -> str:
    parts = [format_value(a) for a in args] + [f"{k}={format_value(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def compare(got: Any, want: Any, *, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """Return None when ``got`` matches ``want``, else one sentence saying how they differ.

    Booleans and integers must match exactly, floats and arrays within ``rtol``/``atol``.
    The sentence names a value, never two identical prints: for arrays it gives the shape that
    differs, or the first index where the values differ with the value returned and the value
    expected there, written with enough digits to differ (`pair`), how far apart they are and
    how far they may be.
    """
    if want is None:
        return None if got is None else f"returned {format_value(got)}, expected None"
    if isinstance(want, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"returned {format_value(got)} ({type(got).__name__}), expected {want} (a bool)"
        return None if bool(got) == bool(want) else f"returned {bool(got)}, expected {bool(want)}"
    if isinstance(want, str):
        return None if got == want else f"returned {format_value(got)}, expected {want!r}"
    if isinstance(want, (int, np.integer)) and not isinstance(want, bool):
        try:
            exact = float(got) == float(want)
        except (TypeError, ValueError):
            return f"returned {format_value(got)} ({type(got).__name__}), expected the number {want}"
        if exact:
            return None
        try:
            return "returned {}, expected {}".format(*pair(float(got), float(want)))
        except (TypeError, ValueError, OverflowError):
            return f"returned {format_value(got)}, expected {want}"
    if isinstance(want, tuple) and not isinstance(got, np.ndarray):
        if not isinstance(got, tuple) or len(got) != len(want):
            return f"returned {format_value(got)}, expected a tuple of {len(want)} values"
        for k, (g, w) in enumerate(zip(got, want)):
            why = compare(g, w, rtol=rtol, atol=atol)
            if why:
                return f"value {k} of the tuple: {why}"
        return None
    want_a = np.asarray(want, dtype=float)
    if got is None:
        return "returned None: did you forget `return`?"
    try:
        got_a = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"returned {format_value(got)} ({type(got).__name__}), expected numbers of shape {want_a.shape}"
    if got_a.shape != want_a.shape:
        return (f"returned shape {got_a.shape}: {format_value(got_a)}, expected shape {want_a.shape}: "
                f"{format_value(want_a)}")
    if not np.all(np.isfinite(got_a)) and np.all(np.isfinite(want_a)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got_a))[0])
        where = f" at index {bad}" if got_a.ndim else ""
        return (f"returned a non-finite value{where}: {got_a[bad]}, expected "
                f"{pair(got_a[bad], want_a[bad])[1]}")
    close = np.isclose(got_a, want_a, rtol=rtol, atol=atol)
    if close.all():
        return None
    k = tuple(int(i) for i in np.argwhere(~close)[0])
    g, w = float(got_a[k]), float(want_a[k])
    g_text, w_text = pair(g, w)
    off = ""                                       # "1, expected 0" or "-3, expected 3" say it all
    if np.isfinite(g) and np.isfinite(w) and g != -w and not (_exact_short(g) and _exact_short(w)):
        off = f" (off by {abs(g - w):.2g}, allowed {atol + rtol * abs(w):.2g})"
    if got_a.ndim == 0:
        return f"returned {g_text}, expected {w_text}{off}"
    n_bad = int((~close).sum())
    return (f"at index {k} returned {g_text}, expected {w_text}{off}; "
            f"{n_bad} of {close.size} values differ")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape \
            and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:  # objects without a usable ==: assume unchanged
        return True


def check_function(
    fn: Callable,
    cases: Sequence,
    expected: Callable | Sequence,
    *,
    name: str | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    array_of: str | None = None,
) -> bool:
    """Check ``fn`` on every case against the reference; print ✓ or ✗ and why; return True on ✓.

    ``cases`` is a list of argument tuples (a dict in a case's last place holds keyword arguments;
    a single non-tuple is one positional argument). ``expected`` is either a reference function
    called with the same arguments or a list with one answer per case. An answer may be
    ``raises(SomeError)``: the learner's function must raise that error (an error NumPy raises on
    its own, such as an IndexError, does not count: the exercise asks for a clear message).

    Each case gets fresh copies of its arguments, so a function that changes an input in place is
    caught (✗ "changed argument k in place") instead of silently passing.

    ``array_of`` ("integers", "floats", "numbers" or "booleans") is for tasks that name the type
    of the answer: then a list, or an array of another dtype (float counts where integers are
    asked), is ✗ even when its values are right.
    """
    if array_of is not None and array_of not in ARRAY_KINDS:
        raise ValueError(f"check_function: array_of must be one of {sorted(ARRAY_KINDS)}, "
                         f"got {array_of!r}")
    label = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        return report(False, "", f"{label} is {format_value(fn)}, not a function")
    for i, case in enumerate(cases):
        args = case if isinstance(case, tuple) else (case,)
        kwargs: dict = {}
        if args and isinstance(args[-1], dict):
            args, kwargs = args[:-1], args[-1]
        text = f"{label}({_args_text(args, kwargs)})"
        want = expected(*copy.deepcopy(args), **copy.deepcopy(kwargs)) if callable(expected) \
            else expected[i]
        call_args, call_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        try:
            got = fn(*call_args, **call_kwargs)
        except NotImplementedError:
            print(NOT_DONE)
            return False
        except Exception as e:  # the learner's code raised: say what and where, don't crash
            if isinstance(want, raises) and isinstance(e, want.error):
                continue
            if isinstance(want, raises):
                return report(False, "", f"{text} raised {type(e).__name__}: {e} -- expected your "
                                         f"own {want.error.__name__} with a clear message")
            return report(False, "", f"{text} raised {type(e).__name__}: {e}")
        if isinstance(want, raises):
            return report(False, "", f"{text} returned {format_value(got)} -- expected it to raise "
                                     f"{want.error.__name__}")
        for k, (before, after) in enumerate(zip(args, call_args)):
            if not _equal(before, after):
                return report(False, "", f"{text} changed argument {k + 1} in place -- "
                                         "compute a new array instead of writing into the input")
        if array_of is not None and not (isinstance(got, np.ndarray)
                                         and got.dtype.kind in ARRAY_KINDS[array_of]):
            what = (f"an array of dtype {got.dtype}" if isinstance(got, np.ndarray)
                    else f"a {type(got).__name__}")
            return report(False, "", f"{text} returned {what}: {format_value(got)} -- expected a "
                                     f"NumPy array of {array_of}")
        why = compare(got, want, rtol=rtol, atol=atol)
        if why:
            return report(False, "", f"{text}: {why}")
    return report(True, f"{label} is right on all {len(cases)} cases")


def run(check: Callable[[], Any], name: str = "your solution") -> bool:
    """Run a hand-written check; print ✓ if it finishes, ✗ with its whole message if it fails.

    ``check`` raises ``AssertionError("what was wrong, with the value")`` on a wrong answer. If the
    learner's code inside raises ``NotImplementedError`` this prints "not done yet"; any other
    exception is reported as ✗ with its type and message instead of stopping the notebook.
    """
    try:
        check()
    except NotImplementedError:
        print(NOT_DONE)
        return False
    except AssertionError as e:
        why = str(e).strip()                       # the whole message: never cut to a line
        return report(False, "", f"{name}: {why}" if why else f"{name} is not right yet")
    except Exception as e:  # the learner's code raised: say so, don't crash
        return report(False, "", f"{name} raised {type(e).__name__}: {e}")
    return report(True, f"{name} passes every check")
