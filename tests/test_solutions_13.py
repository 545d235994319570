"""The solution files of notebook 13 pass the notebook's self-checks (compared with nnlib)."""

from __future__ import annotations

import numpy as np
import pytest
from solutions import load

import nnlib as nl
from nnlib.datasets import digits as drawpad


def _images():
    rng = nl.make_rng(0)
    X = nl.load_mnist(subset="small", flatten=False)[2][:5]
    dot = np.zeros((9, 7))
    dot[2, 5] = 0.4
    bar = np.zeros((50, 40))
    bar[5:45, 10:14] = 1.0
    return [*X, dot, bar, rng.random((6, 11)), np.ones((3, 3))]


def test_ex1_center_of_mass_matches_nnlib():
    center_of_mass = load("13_ex1").center_of_mass
    for img in _images():
        np.testing.assert_allclose(center_of_mass(img), drawpad.center_of_mass(img), atol=1e-9)
    img = np.zeros((4, 4))
    img[0, 0], img[3, 1] = 1.0, 3.0
    assert center_of_mass(img) == pytest.approx((9 / 4, 3 / 4))


def test_ex2_crop_to_bbox_matches_nnlib():
    crop_to_bbox = load("13_ex2").crop_to_bbox
    for img in _images():
        np.testing.assert_array_equal(crop_to_bbox(img), drawpad.crop_to_bbox(img))
    canvas = np.zeros((280, 280))
    canvas[30:200, 100:120] = 1.0
    assert crop_to_bbox(canvas).shape == (170, 20)
