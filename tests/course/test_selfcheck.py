"""nl.selfcheck: the checks the exercises use must fail wrong answers, explain why, and never crash."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.course import selfcheck as sc


def relu(x):
    return np.maximum(x, 0)


CASES = [(np.array([-1.0, 0.0, 2.0]),), (np.array([[3.0, -4.0]]),)]


def run(fn, capsys, cases=CASES, expected=relu, **kw):
    ok = sc.check_function(fn, cases, expected, **kw)
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1, out
    return ok, out


def test_right_answer_passes(capsys):
    ok, out = run(lambda x: np.where(x > 0, x, 0.0), capsys, name="relu")
    assert ok and out.startswith("✓") and "2 cases" in out


@pytest.mark.parametrize("wrong, words", [
    (lambda x: np.abs(x), "<lambda>([-1, 0, 2]): at index (0,) returned 1, expected 0"),
    (lambda x: None, "returned None"),
    (lambda x: "relu", "expected numbers"),
    (lambda x: x.sum(), "returned shape (): 1, expected shape (3,): [0, 0, 2]"),
    (lambda x: 1 / 0, "ZeroDivisionError"),
    (lambda x: x * np.nan, "non-finite value at index (0,): nan, expected 0"),
])
def test_wrong_answers_fail_with_a_reason(capsys, wrong, words):
    ok, out = run(wrong, capsys)
    assert not ok and out.startswith("✗") and words in out, out


def test_in_place_change_is_caught(capsys):
    def sneaky(x):
        np.maximum(x, 0, out=x)
        return x
    ok, out = run(sneaky, capsys)
    assert not ok and "in place" in out


def test_stub_says_not_done(capsys):
    def stub(x):
        raise NotImplementedError
    ok, out = run(stub, capsys)
    assert not ok and out.startswith("not done yet")


def test_raises_expected(capsys):
    def strict(x):
        if x.ndim != 2:
            raise ValueError("x must be 2-D")
        return x
    cases = [(np.ones((2, 2)),), (np.ones(3),)]
    ok, _ = run(strict, capsys, cases, [np.ones((2, 2)), sc.raises(ValueError)])
    assert ok
    ok, out = run(lambda x: x, capsys, cases, [np.ones((2, 2)), sc.raises(ValueError)])
    assert not ok and "expected it to raise ValueError" in out
    ok, out = run(lambda x: x[5], capsys, cases[1:], [sc.raises(ValueError)])
    assert not ok and "IndexError" in out and "your own ValueError" in out


def test_exact_types(capsys):
    ok, out = run(lambda n: n >= 0, capsys, [(0,)], [False])
    assert not ok and "returned True, expected False" in out
    ok, out = run(lambda n: 3, capsys, [(0,)], [4])
    assert not ok and "returned 3, expected 4" in out
    ok, out = run(lambda: (1.0, 2.5), capsys, [()], [(1.0, 2.0)])
    assert not ok and "value 1 of the tuple" in out


def test_run_custom_check(capsys):
    def good():
        assert 1 + 1 == 2
    def bad():
        raise AssertionError("printed 0 lines, expected 3")   # no pytest rewriting of the text
    def crash():
        raise KeyError("w")
    assert sc.run(good, "PrintEveryN")
    assert not sc.run(bad, "PrintEveryN")
    assert not sc.run(crash, "PrintEveryN")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✓") and out[1] == "✗ PrintEveryN: printed 0 lines, expected 3"
    assert out[2].startswith("✗ PrintEveryN raised KeyError")


def test_run_never_cuts_the_message(capsys):
    """A message that starts with a multi-line array keeps its index, expected and got values."""
    z = np.array([[-2.0, -0.3, 0.4], [1.5, 3.0, -4.0]])

    def check():
        got, want = np.where(z >= 0, 1.0, 0.0), np.where(z > 0, 1.0, 0.0)
        got[1, 2] = 0.5
        why = sc.compare(got, want)
        assert why is None, f"relu_derivative({z}): {why}"       # str(z) spans two lines

    assert not sc.run(check, "relu_derivative")
    out = capsys.readouterr().out
    assert "at index (1, 2) returned 0.5, expected 0" in out and "[ 1.5  3.  -4. ]" in out


def test_format_value_writes_small_arrays_on_one_line():
    z = np.array([[-2.0, -0.3, 0.4], [1.5, 3.0, -4.0]])
    assert sc.format_value(z) == "[[-2, -0.3, 0.4], [1.5, 3, -4]]"
    assert sc.format_value(np.array([1e-3, -1e-6])) == "[0.001, -1e-06]"     # small inputs not hidden
    assert "shape (5, 5)" in sc.format_value(np.zeros((5, 5))) and "\n" not in sc.format_value(np.eye(9))
    assert sc.format_value((np.exp, 1.0, {"h": 1e-4})) == "(exp, 1, {'h': 0.0001})"


@pytest.mark.parametrize("got, want, texts", [
    (np.e + 1.36e-5, np.e, ("2.71830", "2.71828")),          # never "2.7183" beside "2.71828"
    (1.0000001, 1.0, ("1.0000001", "1.0000000")),
    (0.25, 0.5, ("0.25", "0.5")),
    (1 + 2e-16, 1.0, ("1.0000000000000002", "1.0000000000000000")),
])
def test_pair_shows_enough_digits_to_differ(got, want, texts):
    g, w = sc.pair(got, want)
    assert (g, w) == texts and g != w


def test_compare_shows_digits_distance_and_tolerance():
    why = sc.compare(np.e + 1.36e-5, np.e, rtol=1e-7)
    assert why == "returned 2.71830, expected 2.71828 (off by 1.4e-05, allowed 2.7e-07)"
    why = sc.compare(np.array([[1.0, 2.0], [3.0, 4.0000123]]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert why == ("at index (1, 1) returned 4.00001, expected 4.00000 (off by 1.2e-05, allowed 4e-06); "
                   "1 of 4 values differ")
    assert sc.compare(3.0000001, 3) == "returned 3.0000001, expected 3.0000000"


def test_check_function_message_is_one_whole_line(capsys):
    cases = [(np.array([[-2.0, -0.3, 0.4], [1.5, 3.0, -4.0]]),)]
    ok, out = run(lambda x: (x >= -0.3).astype(float) * x, capsys, cases)
    assert not ok
    assert out == ("✗ <lambda>([[-2, -0.3, 0.4], [1.5, 3, -4]]): at index (0, 1) returned -0.3, "
                   "expected 0; 1 of 6 values differ")


COUNT_CASES = [(np.array([0, 1, 1]),), (np.array([2, 2]),)]


def counts(y):
    return np.bincount(y, minlength=3)


@pytest.mark.parametrize("wrong, words", [
    (lambda y: np.bincount(y, minlength=3).astype(float),
     "returned an array of dtype float64: [1, 2, 0] -- expected a NumPy array of integers"),
    (lambda y: np.bincount(y, minlength=3).tolist(),
     "returned a list: [1, 2, 0] -- expected a NumPy array of integers"),
])
def test_array_of_names_the_type_the_task_asks_for(capsys, wrong, words):
    """A task that asks for integer counts rejects right values of another type, and says so."""
    ok, out = run(wrong, capsys, cases=COUNT_CASES, expected=counts, array_of="integers")
    assert not ok and out.startswith("✗") and words in out, out
    ok, out = run(counts, capsys, cases=COUNT_CASES, expected=counts, array_of="integers")
    assert ok, out
    ok, out = run(lambda y: [0.5] * 3, capsys, cases=COUNT_CASES, expected=lambda y: np.full(3, 0.5),
                  array_of="floats")
    assert not ok and "a list: [0.5, 0.5, 0.5] -- expected a NumPy array of floats" in out, out
    with pytest.raises(ValueError, match="array_of"):
        sc.check_function(counts, COUNT_CASES, counts, array_of="ints")
