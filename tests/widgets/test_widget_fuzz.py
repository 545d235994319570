"""Kernel-side fuzz of every widget factory in `nnlib.widgets.FACTORIES`.

Each control is driven through its minimum, its maximum and random values, in random order,
with rapid repeats and button clicks mixed in. No exception may escape, none may be recorded
in `demo.errors`, no readout may show NaN without saying why, and the widget must still
redraw afterwards.
"""

from __future__ import annotations

import math
import re

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnlib as nl

FACTORIES = sorted(nl.widgets.FACTORIES.items())
EXPLAINED = re.compile(r"diverg|nan because|not a number|overflow|too large|lower the learning|"
                       r"smaller learning|reset", re.I)


def _choices(control) -> list:
    """Values worth trying for one control: its ends plus a few in between."""
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.base ** control.min, control.base ** control.max
        return [lo, hi, math.sqrt(lo * hi), lo * 1.0001]
    if isinstance(control, (widgets.IntRangeSlider, widgets.FloatRangeSlider)):
        lo, hi = control.min, control.max
        return [(lo, hi), (lo, lo), (hi, hi), (lo, (lo + hi) / 2 if isinstance(lo, float) else (lo + hi) // 2)]
    if hasattr(control, "min") and hasattr(control, "max"):
        lo, hi = control.min, control.max
        mid = (lo + hi) / 2 if isinstance(control.value, float) else (lo + hi) // 2
        return [lo, hi, mid, lo, hi]
    if isinstance(control, widgets.SelectMultiple):
        n = len(control.options)
        return [("index", ()), ("index", tuple(range(n))), ("index", (0,)), ("index", (n - 1,))]
    if hasattr(control, "options"):
        return [("index", i) for i in range(len(control.options))]
    if isinstance(control.value, bool):
        return [True, False]
    if isinstance(control.value, str):
        return ["", "0", "-1", "1e9", "abc"]
    if isinstance(control.value, (int, float)):
        return [0, -1, 1, 10 ** 6]
    return []


def _apply(control, value) -> None:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "index":
        control.index = value[1]
    else:
        try:
            control.value = value
        except Exception:  # noqa: BLE001 - a value the widget itself refuses (traitlets validation)
            pass


def _readout_ok(demo) -> bool:
    text = demo.readout.value + " " + demo.status.value
    return "nan" not in text.lower() or bool(EXPLAINED.search(text))


def _actions(demo):
    names = [("control", n) for n in demo.controls] + [("button", n) for n in demo.buttons]
    return st.lists(st.tuples(st.sampled_from(names), st.integers(0, 10 ** 6)), min_size=1,
                    max_size=8) if names else st.just([])


@pytest.mark.parametrize("name, factory", FACTORIES, ids=[n for n, _ in FACTORIES])
def test_every_control_at_its_extremes(name, factory):
    demo = factory()
    assert demo.widget is not None                       # builds the view and draws once
    for cname, control in demo.controls.items():
        for value in _choices(control):
            _apply(control, value)
            assert demo.errors == [], f"{name}.{cname}={value!r}: {demo.errors[-1]}"
            assert _readout_ok(demo), f"{name}.{cname}={value!r}: unexplained NaN in readout"
    for bname, button in demo.buttons.items():
        for _ in range(3):                               # rapid repeated clicks
            button.click()
        assert demo.errors == [], f"{name}: button {bname}: {demo.errors[-1]}"
    before = demo.n_draws
    demo.refresh()
    assert demo.n_draws > before and demo.errors == []


@pytest.mark.parametrize("name, factory", FACTORIES, ids=[n for n, _ in FACTORIES])
def test_random_sequences_of_changes(name, factory):
    demo = factory()
    assert demo.widget is not None

    @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    @given(data=st.data())
    def run(data):
        for (kind, key), pick in data.draw(_actions(demo)):
            if kind == "button":
                demo.buttons[key].click()
            else:
                options = _choices(demo.controls[key])
                if options:
                    _apply(demo.controls[key], options[pick % len(options)])
            assert demo.errors == [], f"{name}: {kind} {key}: {demo.errors[-1]}"
            assert _readout_ok(demo), f"{name}: unexplained NaN after {kind} {key}"

    run()
    before = demo.n_draws
    demo.refresh()                                       # still responds
    assert demo.n_draws > before and demo.errors == []
    if demo.last_png is not None:
        assert demo.last_png.startswith(b"\x89PNG")


def test_registry_is_not_empty_and_all_are_demos():
    assert len(FACTORIES) >= 1
    for name, factory in FACTORIES:
        assert isinstance(factory(), nl.widgets.Demo), name
    assert np.isfinite(1.0)
