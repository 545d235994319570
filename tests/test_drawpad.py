"""MNIST-style preprocessing of drawings (notebook 13): crop, scale to 20 px, centre of mass."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.widgets.drawpad import (
    EmptyDrawing,
    center_of_mass,
    classify,
    crop_to_bbox,
    digit_on_canvas,
    fit_in_box,
    get_model,
    place_by_center_of_mass,
    preprocess_digit,
    preprocess_steps,
    resize,
)


def _ink_box(img28, threshold=0.05):
    ink = img28 > threshold * img28.max()
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


@pytest.mark.parametrize("top, left, height, width", [
    (10, 10, 150, 12), (100, 240, 170, 25), (0, 0, 280, 20), (200, 30, 60, 8), (40, 130, 200, 3),
])
def test_vertical_line_anywhere_ends_up_centred_and_20_px_tall(top, left, height, width):
    canvas = np.zeros((280, 280))
    canvas[top:top + height, left:left + width] = 1.0
    x = preprocess_digit(canvas)
    assert x.shape == (784,) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    img = x.reshape(28, 28)
    r, c = center_of_mass(img)
    assert abs(r - 14) <= 1 and abs(c - 14) <= 1, (r, c)
    h, w = _ink_box(img)
    assert h == 20 and w <= 4                                # longer side 20, a "1" stays thin


def test_same_stroke_at_two_places_gives_the_same_input():
    a, b = np.zeros((280, 280)), np.zeros((280, 280))
    a[20:180, 30:50] = 1.0
    b[100:260, 200:220] = 1.0
    np.testing.assert_allclose(preprocess_digit(a), preprocess_digit(b))


def test_wide_drawing_keeps_its_aspect_ratio():
    canvas = np.zeros((280, 280))
    canvas[120:160, 20:260] = 1.0                            # 40 x 240: a flat dash
    h, w = _ink_box(preprocess_digit(canvas).reshape(28, 28))
    assert w == 20 and h in (3, 4)                           # 40 * 20 / 240 = 3.3


def test_empty_canvas_raises_a_clear_value_error():
    for empty in (np.zeros((280, 280)), np.zeros((56, 56))):
        with pytest.raises(EmptyDrawing, match="draw a digit"):
            preprocess_digit(empty)
    assert issubclass(EmptyDrawing, ValueError)


def test_tiny_dot_and_full_canvas_do_not_crash():
    dot = np.zeros((280, 280))
    dot[140, 70] = 0.3
    x = preprocess_digit(dot)
    assert np.isfinite(x).all() and 0 <= x.min() and x.max() <= 1 and x.max() > 0
    full = preprocess_digit(np.ones((280, 280))).reshape(28, 28)
    assert _ink_box(full) == (20, 20)
    assert abs(center_of_mass(full)[0] - 14) <= 1


def test_bad_input_is_rejected_with_the_function_name():
    with pytest.raises(ValueError, match="preprocess_digit"):
        preprocess_digit(np.full((28, 28), 255.0))           # 0..255, not 0..1
    with pytest.raises(ValueError, match="2-D"):
        preprocess_digit(np.zeros(784))
    with pytest.raises(ValueError, match="NaN"):
        preprocess_digit(np.full((5, 5), np.nan))


def test_crop_and_center_of_mass_by_hand():
    img = np.zeros((6, 8))
    img[1, 2] = 1.0
    img[3, 5] = 3.0
    np.testing.assert_array_equal(crop_to_bbox(img), img[1:4, 2:6])
    r, c = center_of_mass(img)
    assert r == pytest.approx((1 * 1 + 3 * 3) / 4) and c == pytest.approx((2 + 15) / 4)
    placed = place_by_center_of_mass(np.ones((3, 3)), size=9, center=(4, 4))
    np.testing.assert_array_equal(np.argwhere(placed > 0).mean(axis=0), [4, 4])


def test_resize_averages_areas_and_keeps_constants():
    rng = nl.make_rng(0)
    img = rng.random((40, 60))
    small = resize(img, (20, 30))                            # exact 2x2 blocks
    np.testing.assert_allclose(small, img.reshape(20, 2, 30, 2).mean(axis=(1, 3)))
    np.testing.assert_allclose(resize(img, (40, 60)), img)   # same size: unchanged
    np.testing.assert_allclose(resize(np.full((7, 3), 0.4), (50, 11)), 0.4)
    assert resize(img, (13, 17)).mean() == pytest.approx(img.mean(), abs=0.02)
    assert fit_in_box(np.ones((100, 25))).shape == (20, 5)
    assert fit_in_box(np.ones((1, 1))).shape == (20, 20)


def test_steps_are_consistent_with_preprocess_digit():
    canvas = digit_on_canvas(nl.load_mnist(subset="small", flatten=False)[2][0], offset=(30, -50))
    steps = preprocess_steps(canvas)
    assert max(steps["scaled"].shape) == 20
    np.testing.assert_allclose(steps["placed"].reshape(784), preprocess_digit(canvas), atol=1e-6)


def test_real_test_digits_off_centre_are_recognised():
    model, _ = get_model(path=None, fast=True)
    _, _, X, y = nl.load_mnist(subset="small", flatten=False)
    offsets = [(-50, -50), (40, 60), (0, -70), (60, 0), (-30, 45)]
    hits = 0
    for i in range(10):
        canvas = digit_on_canvas(X[i], size=280, height=140 + 6 * i, offset=offsets[i % 5])
        probs, hidden = classify(model, preprocess_digit(canvas))
        assert probs.shape == (10,) and probs.sum() == pytest.approx(1.0)
        assert len(hidden) >= 1 and all(h.ndim == 1 for h in hidden)
        hits += int(probs.argmax() == y[i])
    assert hits >= 8, hits


def test_digit_on_canvas_stays_inside_for_any_shape_and_offset():
    wide = np.zeros((28, 28))
    wide[13:15, 0:28] = 1.0                                   # a dash: 2 x 28
    for digit, offset in [(wide, (0, 0)), (wide, (500, -500)), (np.ones((28, 28)), (90, 90))]:
        canvas = digit_on_canvas(digit, size=100, height=90, offset=offset)
        assert canvas.shape == (100, 100) and canvas.max() > 0 and canvas.max() <= 1
