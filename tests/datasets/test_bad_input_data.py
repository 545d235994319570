"""Issue 20: augmentation and the drawing pad's preprocessing refuse bad input in one clear line.

Each case checks the exception type and that the message names the function (or class) and
shows the bad value (or its shape / dtype), so the learner knows which call and argument to fix.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from nnlib.datasets import augment, drawings

IMGS = np.zeros((2, 28, 28), dtype=np.float32)
IMGS[:, 10:18, 12:16] = 1.0
NAN_IMGS = IMGS.copy()
NAN_IMGS[1, 3, 3] = np.nan

AUGMENT = [
    (lambda: augment.affine(np.zeros(784)), ValueError,
     "affine: expected images of shape (N, H, W), (N, 1, H, W) or (N, H*W), got shape (784,)"),
    (lambda: augment.affine(np.zeros((2, 3, 28, 28))), ValueError,
     "affine: expected images of shape (N, H, W), (N, 1, H, W) or (N, H*W), got shape (2, 3, 28, 28)"),
    (lambda: augment.affine(np.zeros((2, 783))), ValueError,
     "affine: flat images (N, H*W) must have a square number of pixels, got shape (2, 783)"),
    (lambda: augment.affine(NAN_IMGS), ValueError, "affine: the images contain NaN or infinite values (1 pixel(s))"),
    (lambda: augment.affine(IMGS, angle=math.nan), ValueError, "affine: angle must be finite numbers (degrees), got nan"),
    (lambda: augment.affine(IMGS, scale=0), ValueError, "affine: scale must be finite numbers > 0, got 0"),
    (lambda: augment.affine(IMGS, scale=-1.0), ValueError, "affine: scale must be finite numbers > 0, got -1.0"),
    (lambda: augment.affine(IMGS, shift=(1.0, math.nan)), ValueError,
     "affine: shift must be finite (rows, cols) pixel shifts, got (1.0, nan)"),
    (lambda: augment.affine(IMGS, angle=[1.0, 2.0, 3.0]), ValueError,
     "affine: angle must be one value for the batch or one per image (shape (2,)), got shape (3,)"),
    (lambda: augment.affine("digits"), TypeError, "affine: images must be an array of images"),
    (lambda: augment.affine(IMGS, angle="ten"), TypeError, "affine: angle must be finite numbers (degrees), got 'ten'"),
    (lambda: augment.thicker(np.zeros((28,))), ValueError, "thicker: expected images of shape"),
    (lambda: augment.thinner(np.array([["a"]])), TypeError, "thinner: expected numeric images, got dtype <U1"),
    (lambda: augment.thinner(NAN_IMGS), ValueError, "thinner: the images contain NaN or infinite values"),
    (lambda: augment.RandomAffine(max_shift=-1), ValueError, "RandomAffine: max_shift must be a finite number >= 0, got -1"),
    (lambda: augment.RandomAffine(max_rotation=math.inf), ValueError,
     "RandomAffine: max_rotation must be a finite number >= 0, got inf"),
    (lambda: augment.RandomAffine(scale=(1.1, 0.9)), ValueError,
     "RandomAffine: scale must be a pair (low, high) with 0 < low <= high, got (1.1, 0.9)"),
    (lambda: augment.RandomAffine(scale=0.9), ValueError,
     "RandomAffine: scale must be a pair (low, high) with 0 < low <= high, got 0.9"),
    (lambda: augment.RandomAffine(rng=0)(np.zeros((5, 5, 5, 5))), ValueError,
     "RandomAffine: expected images of shape (N, H, W), (N, 1, H, W) or (N, H*W), got shape (5, 5, 5, 5)"),
    (lambda: augment.RandomStroke(p=1.5), ValueError, "RandomStroke: p must be a probability in [0, 1], got 1.5"),
    (lambda: augment.RandomStroke(p=math.nan), ValueError, "RandomStroke: p must be a probability in [0, 1], got nan"),
    (lambda: augment.RandomStroke(p=-0.1), ValueError, "RandomStroke: p must be a probability in [0, 1], got -0.1"),
    (lambda: augment.RandomStroke(rng=0)(NAN_IMGS), ValueError, "RandomStroke: the images contain NaN"),
    (lambda: augment.Compose(augment.RandomStroke()), TypeError,
     "Compose: expected a list of transforms (callables), got RandomStroke(p=0.67)"),
    (lambda: augment.Compose([augment.RandomStroke(), "flip"]), ValueError,
     "Compose: transforms[1] is 'flip', which is not callable"),
    (lambda: augment.Compose([]), ValueError, "Compose: expected a non-empty list of transforms, got []"),
    (lambda: augment.recentre(np.zeros(784)), ValueError, "recentre: expected images of shape"),
    (lambda: augment.recentre(NAN_IMGS), ValueError, "recentre: the images contain NaN"),
    (lambda: augment.hand_drawn(IMGS, kinds="shift"), TypeError,
     "hand_drawn: kinds must be a tuple of names among ('shift', 'rotate', 'scale', 'stroke'), got 'shift'"),
    (lambda: augment.hand_drawn(IMGS, max_shift=-2), ValueError, "hand_drawn: max_shift must be a finite number >= 0, got -2"),
    (lambda: augment.hand_drawn(IMGS, scale=(0, 1)), ValueError,
     "hand_drawn: scale must be a pair (low, high) with 0 < low <= high, got (0, 1)"),
    (lambda: augment.hand_drawn(np.zeros((2, 5)), rng=0), ValueError,
     "hand_drawn: flat images (N, H*W) must have a square number of pixels, got shape (2, 5)"),
    (lambda: augment.hand_drawn(NAN_IMGS, rng=0), ValueError, "hand_drawn: the images contain NaN"),
]


@pytest.mark.parametrize("call, exc, message", AUGMENT, ids=[m[:60] for _, _, m in AUGMENT])
def test_augmentation_refuses_bad_input(call, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        call()


def test_augmentation_still_accepts_every_documented_shape():
    for shape in [(2, 28, 28), (2, 1, 28, 28), (2, 784)]:
        x = IMGS.reshape(shape)
        assert augment.affine(x, angle=[5.0, -5.0], shift=(1, 0)).shape == shape
        assert augment.RandomAffine(rng=0)(x).shape == shape
        assert augment.RandomStroke(rng=0)(x).shape == shape
        assert augment.hand_drawn(x, rng=0).shape == shape


CANVAS = np.zeros((56, 56))
CANVAS[10:40, 20:30] = 1.0

DRAWINGS = [
    (lambda: drawings.preprocess_digit(np.zeros((3, 28, 28))), ValueError,
     "preprocess_digit: expected a 2-D grayscale image (H, W), got shape (3, 28, 28)"),
    (lambda: drawings.preprocess_digit(np.zeros(784)), ValueError,
     "preprocess_digit: expected a 2-D grayscale image (H, W), got shape (784,)"),
    (lambda: drawings.preprocess_digit([["a", "b"], ["c", "d"]]), TypeError,
     "preprocess_digit: expected a 2-D grayscale image (H, W) of numbers, got a list of dtype <U1"),
    (lambda: drawings.preprocess_digit(CANVAS * 255), ValueError,
     "preprocess_digit: expected pixel values in [0, 1], got values in [0, 255] (divide 0..255 images by 255)"),
    (lambda: drawings.preprocess_digit(np.full((4, 4), np.nan)), ValueError,
     "preprocess_digit: the image contains NaN or infinite values"),
    (lambda: drawings.preprocess_digit(None), TypeError,
     "preprocess_digit: expected a 2-D grayscale image (H, W) of numbers, got None"),
    (lambda: drawings.pixels_to_image(["0"] * 4, 2), ValueError,
     "pixels_to_image (drawing pad): expected a list of 4 numbers 0..255, got a list of dtype <U1"),
    (lambda: drawings.pixels_to_image([0] * 4, 0), ValueError,
     "pixels_to_image (drawing pad): grid must be a whole number >= 1, got 0"),
    (lambda: drawings.pixels_to_image([0] * 4, -2), ValueError,
     "pixels_to_image (drawing pad): grid must be a whole number >= 1, got -2"),
    (lambda: drawings.pixels_to_image([0] * 4, 2.0), ValueError,
     "pixels_to_image (drawing pad): grid must be a whole number >= 1, got 2.0"),
    (lambda: drawings.pixels_to_image([0, 300, 0, 0], 2), ValueError,
     "pixels_to_image (drawing pad): pixel values must lie in 0..255, got 300 at position 1"),
    (lambda: drawings.pixels_to_image([[0, 1], [2]], 2), ValueError,
     "pixels_to_image (drawing pad): expected a list of 4 numbers 0..255, got a list of rows of different lengths"),
    (lambda: drawings.pixels_to_image("0000", 2), ValueError,
     "pixels_to_image (drawing pad): expected a list of 4 numbers 0..255, got '0000'"),
    (lambda: drawings.check_drawing(np.zeros((2, 28, 28))), ValueError,
     "check_drawing: expected a 2-D grayscale image (H, W), got shape (2, 28, 28)"),
    (lambda: drawings.check_drawing(CANVAS, min_size=0), ValueError,
     "check_drawing: min_size must be a fraction in (0, 1], got 0"),
    (lambda: drawings.check_drawing(CANVAS, max_ink=1.5), ValueError,
     "check_drawing: max_ink must be a fraction in (0, 1], got 1.5"),
    (lambda: drawings.check_drawing(CANVAS - 1), ValueError,
     "check_drawing: expected pixel values in [0, 1], got values in [-1, 0]"),
    (lambda: drawings.draw_strokes([[(1, 2), (3, 4)]], width=0), ValueError,
     "draw_strokes: width must be a positive number of pixels, got 0"),
    (lambda: drawings.draw_strokes([[(1, 2, 3)]]), ValueError,
     "draw_strokes: stroke 0 must be a list of finite (row, col) points, got [(1, 2, 3)]"),
    (lambda: drawings.draw_strokes([[(1, 2)], "ab"]), ValueError,
     "draw_strokes: stroke 1 must be a list of finite (row, col) points, got 'ab'"),
    (lambda: drawings.on_pad_grid(CANVAS, grid=0), ValueError,
     "on_pad_grid: grid must be a whole number >= 1, got 0"),
    (lambda: drawings.shape_on_canvas("Z"), ValueError,
     "shape_on_canvas: unknown shape 'Z'; choose one of"),
    (lambda: drawings.digit_on_canvas(CANVAS[:28, :28], size=0), ValueError,
     "digit_on_canvas: size must be a whole number >= 1, got 0"),
    (lambda: drawings.digit_on_canvas(CANVAS[:28, :28], height=-5), ValueError,
     "digit_on_canvas: height must be a whole number >= 1, got -5"),
    (lambda: drawings.digit_on_canvas(CANVAS[:28, :28], offset=(0, math.nan)), ValueError,
     "digit_on_canvas: offset must be two finite numbers (rows, cols), got (0, nan)"),
    (lambda: drawings.digit_on_canvas(np.zeros((1, 28, 28))), ValueError,
     "digit_on_canvas: expected a 2-D grayscale image (H, W), got shape (1, 28, 28)"),
    (lambda: drawings.resize(CANVAS, (0, 5)), ValueError,
     "resize: the target shape must be two positive whole numbers (rows, cols), got (0, 5)"),
    (lambda: drawings.resize(CANVAS, (2.5, 5)), ValueError,
     "resize: the target shape must be two positive whole numbers (rows, cols), got (2.5, 5)"),
    (lambda: drawings.resize(CANVAS, 28), ValueError,
     "resize: the target shape must be two positive whole numbers (rows, cols), got 28"),
    (lambda: drawings.resize(CANVAS, "ab"), ValueError,
     "resize: the target shape must be two positive whole numbers (rows, cols), got 'ab'"),
    (lambda: drawings.resize(np.zeros((2, 2, 2)), (4, 4)), ValueError,
     "resize: expected a 2-D grayscale image (H, W), got shape (2, 2, 2)"),
]


@pytest.mark.parametrize("call, exc, message", DRAWINGS, ids=[m[:60] for _, _, m in DRAWINGS])
def test_drawing_preprocessing_refuses_bad_input(call, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        call()


def test_drawing_preprocessing_still_accepts_good_input():
    assert drawings.pixels_to_image(np.zeros(4, dtype=np.uint8), np.int64(2)) is None
    assert drawings.pixels_to_image([0, 255, 0, 0], 2).max() == 1.0
    assert drawings.resize(CANVAS, np.array([28, 28])).shape == (28, 28)
    assert drawings.digit_on_canvas(CANVAS[:28, :28] * 0 + CANVAS[14:42, 14:42],
                                    offset=np.array([3, -3])).shape == (280, 280)
    assert drawings.preprocess_digit(CANVAS.astype(bool)).shape == (784,)
