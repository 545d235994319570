"""Image augmentation (nnlib/datasets/augment.py) and DataLoader(transform=...)."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.datasets import augment


def _digit():
    img = np.zeros((28, 28), np.float32)
    img[8:20, 12:15] = 1.0                                  # a "1": a vertical bar
    return img


def test_affine_identity_and_shapes():
    x = np.random.default_rng(0).random((3, 28, 28)).astype(np.float32)
    for shaped in (x, x.reshape(3, 1, 28, 28), x.reshape(3, 784)):
        out = augment.affine(shaped)
        assert out.shape == shaped.shape and out.dtype == np.float32
        np.testing.assert_allclose(out, shaped, atol=1e-6)


def test_affine_whole_pixel_shift_moves_the_image():
    img = _digit()[None]
    out = augment.affine(img, shift=(2, -3))[0]
    np.testing.assert_allclose(out[10:22, 9:12], 1.0, atol=1e-6)
    assert out.sum() == pytest.approx(img.sum(), rel=1e-5)


def test_rotation_by_90_degrees_turns_a_bar_sideways():
    out = augment.affine(_digit()[None], angle=90.0)[0]
    rows, cols = np.nonzero(out > 0.5)
    assert np.ptp(cols) > np.ptp(rows)                     # now wider than tall


def test_scale_changes_the_ink():
    img = _digit()[None]
    assert augment.affine(img, scale=1.5).sum() > 1.5 * img.sum()
    assert augment.affine(img, scale=0.5).sum() < 0.5 * img.sum()


def test_thicker_and_thinner_by_one_pixel():
    img = _digit()
    assert (augment.thicker(img[None])[0] > 0.5).sum(axis=1)[14] == 4        # 3 -> 4 columns
    assert (augment.thinner(img[None])[0] > 0.5).sum(axis=1)[14] == 2        # 3 -> 2 columns


def test_random_affine_is_seeded_and_differs_per_call():
    x = np.repeat(_digit()[None], 4, axis=0)
    a, b = augment.RandomAffine(rng=0), augment.RandomAffine(rng=0)
    first = a(x)
    np.testing.assert_array_equal(first, b(x))
    assert not np.allclose(first, a(x))
    assert not np.allclose(first[0], first[1])             # each image its own settings


def test_hand_drawn_recentres_and_keeps_range():
    X, _, _, _ = nl.load_mnist(subset="small")
    x = X[:20].reshape(20, 28, 28)
    out = augment.hand_drawn(x, rng=0)
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 1
    shifted = augment.hand_drawn(x, rng=0, kinds=("shift",))
    from nnlib.datasets.drawings import center_of_mass
    for img in shifted:
        r, c = center_of_mass(img)
        assert abs(r - 14) <= 0.5 + 1e-9 and abs(c - 14) <= 0.5 + 1e-9
    with pytest.raises(ValueError, match="hand_drawn"):
        augment.hand_drawn(x, kinds=("blur",))


def test_dataloader_transform_applies_to_every_batch_and_in_fit():
    X = np.zeros((10, 1, 4, 4))
    y = np.arange(10) % 2
    seen = []

    def mark(xb):
        seen.append(len(xb))
        return xb + 1.0

    loader = nl.DataLoader(X, y, batch_size=4, transform=mark, rng=0)
    assert all((xb == 1.0).all() for xb, _ in loader)
    assert seen == [4, 4, 2]
    model = nl.Sequential(nl.conv.Flatten(), nl.Linear(16, 2, rng=0))
    nl.fit(model, nl.SoftmaxCrossEntropy(), nl.SGD(model.parameters(), lr=0.1), loader, epochs=1,
           progress=False)
    assert seen == [4, 4, 2] * 2                            # fit (fast mode) used the transform
    with pytest.raises(ValueError, match="transform"):
        nl.DataLoader(X, y, transform=3)


def test_random_stroke_picks_thinner_same_or_thicker_per_image():
    x = np.repeat(_digit()[None], 60, axis=0)
    out = augment.RandomStroke(rng=0)(x)
    widths = (out > 0.5).sum(axis=2)[:, 14]                 # stroke width in row 14
    assert set(widths.tolist()) == {2, 3, 4}                # each of the three happens
    for w in (2, 3, 4):                                     # about a third each (60 images)
        assert 10 <= (widths == w).sum() <= 30, (w, widths)
    np.testing.assert_array_equal(out, augment.RandomStroke(rng=0)(x))   # seeded


def test_compose_runs_in_order_and_checks_its_input():
    calls = []
    t = augment.Compose([lambda x: calls.append("a") or x + 1, lambda x: calls.append("b") or 2 * x])
    assert t(np.zeros(2)).tolist() == [2.0, 2.0] and calls == ["a", "b"]
    with pytest.raises(ValueError, match="Compose"):
        augment.Compose([])
    with pytest.raises(ValueError, match="Compose"):
        augment.Compose([1])


def test_affine_reads_black_far_outside_the_image():
    """A source position more than a pixel outside is black, never the edge row stretched."""
    img = np.zeros((1, 28, 28))
    img[0, 0, :] = 1.0                                      # only the top row is lit
    out = augment.affine(img, shift=(5.5, 0.0))[0]          # moved down by 5.5 rows
    np.testing.assert_array_equal(out[:5], 0.0)             # rows 0-4 come from above the image
    np.testing.assert_allclose(out[5, 3:-3], 0.5)           # row 5: half row -1 (black), half row 0
    np.testing.assert_allclose(out[6, 3:-3], 0.5)
    np.testing.assert_array_equal(out[7:], 0.0)


def test_affine_float32_and_float64_agree():
    x = np.random.default_rng(0).random((16, 28, 28))
    r = np.random.default_rng(1)
    args = dict(angle=r.uniform(-15, 15, 16), scale=r.uniform(0.8, 1.2, 16), shift=r.uniform(-3, 3, (16, 2)))
    a32 = augment.affine(x.astype(np.float32), **args)
    assert a32.dtype == np.float32
    np.testing.assert_allclose(a32, augment.affine(x, **args), atol=1e-4)
