"""nl.selfcheck: the checks the exercises use must fail wrong answers, explain why, and never crash."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import selfcheck as sc


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
    (lambda x: np.abs(x), "at index (0,) returned 1, expected 0"),
    (lambda x: None, "returned None"),
    (lambda x: "relu", "expected numbers"),
    (lambda x: x.sum(), "returned shape ()"),
    (lambda x: 1 / 0, "ZeroDivisionError"),
    (lambda x: x * np.nan, "non-finite"),
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
        n = 0
        assert n == 3, "printed 0 lines, expected 3"
    def crash():
        raise KeyError("w")
    assert sc.run(good, "PrintEveryN")
    assert not sc.run(bad, "PrintEveryN")
    assert not sc.run(crash, "PrintEveryN")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✓") and out[1] == "✗ PrintEveryN: printed 0 lines, expected 3"
    assert out[2].startswith("✗ PrintEveryN raised KeyError")
