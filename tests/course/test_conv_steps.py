"""The convolution and softmax of notebook 14 written out step by step: equal to the layers."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.course import conv_steps as cs

RNG = np.random.default_rng(14)
SETTINGS = [(1, 0), (1, 1), (2, 0), (2, 1), (3, 2)]


def _conv2d(image_c, kernels_c, bias, stride, padding):
    C, kH, kW = kernels_c.shape
    layer = nl.Conv2d(C, 1, (kH, kW), stride=stride, padding=padding, init="zeros")
    layer.W.data[0] = kernels_c
    layer.b.data[0] = bias
    return layer.forward(image_c[None])[0, 0]


@pytest.mark.parametrize("stride, padding", SETTINGS)
@pytest.mark.parametrize("shape, kshape", [((8, 8), (3, 3)), ((7, 9), (2, 4)), ((5, 5), (5, 5))])
def test_cells_equal_convolve_and_conv2d(shape, kshape, stride, padding):
    image, kernel = RNG.standard_normal(shape), RNG.standard_normal(kshape)
    cells = cs.conv_cell_steps(image, kernel, stride, padding)
    want = nl.conv.convolve(image, kernel, stride=stride, padding=padding)
    assert len(cells) == want.size
    assert [c.place for c in cells] == [(i, j) for i in range(want.shape[0])
                                        for j in range(want.shape[1])]    # reading order
    assert [c.k for c in cells] == list(range(want.size))
    got = cs.output_map(cells)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got, _conv2d(image[None], kernel[None], 0.0, stride, padding),
                               rtol=0, atol=1e-12)
    xp = np.pad(image, padding)
    for c in cells:
        assert (c.top, c.left) == (c.i * stride, c.j * stride)
        np.testing.assert_array_equal(c.window, xp[c.top:c.top + kshape[0], c.left:c.left + kshape[1]])
        np.testing.assert_array_equal(c.products, c.window * kernel)
        assert len(c.terms) == kernel.size


def test_formula_writes_every_product_out():
    image = np.array([[0.5, 0.0, 1.0], [0.25, 1.0, 0.0], [0.0, 0.75, 1.0]])
    kernel = np.array(nl.conv.KERNELS["edge (vertical)"])
    (cell,) = cs.conv_cell_steps(image, kernel)
    assert cell.terms[:3] == ("0.50·(-1.00)", "0.00·0.00", "1.00·1.00")
    assert cell.formula == " + ".join(cell.terms) + f" = {cell.value:.2f}"
    assert cell.value == pytest.approx(-0.5 + 1.0 - 0.5 + 0.0 + 1.0)
    assert cell.phase == "multiply and add"
    # a product that rounds to zero never reads "-0.00"
    (tiny,) = cs.conv_cell_steps([[-1e-9]], [[1.0]])
    assert tiny.formula == "(-0.00)·1.00 = 0.00" or tiny.formula.endswith("= 0.00")
    assert cs.number(-1e-9) == "0.00" and cs.factor(-0.5) == "(-0.50)"


def test_output_map_fills_up_to_a_cell():
    cells = cs.conv_cell_steps(np.arange(25.0).reshape(5, 5), np.ones((3, 3)))
    partial = cs.output_map(cells, upto=4)
    assert np.isfinite(partial).sum() == 5 and np.isnan(partial[1, 2]) and np.isfinite(partial[1, 1])


@pytest.mark.parametrize("stride, padding", SETTINGS[:4])
def test_multichannel_cell_equals_conv2d(stride, padding):
    image_c, kernels_c = RNG.standard_normal((2, 6, 7)), RNG.standard_normal((2, 3, 3))
    bias = -0.3
    want = _conv2d(image_c, kernels_c, bias, stride, padding)
    for i in range(want.shape[0]):
        for j in range(want.shape[1]):
            cell = cs.multichannel_cell(image_c, kernels_c, bias, i, j, stride, padding)
            assert abs(cell.value - want[i, j]) < 1e-12
            assert len(cell.channels) == 2 and cell.bias == bias
            for c in range(2):           # each partial sum is that channel's own convolution
                one = nl.conv.convolve(image_c[c], kernels_c[c], stride=stride, padding=padding)
                assert abs(cell.partials[c] - one[i, j]) < 1e-12
            assert cell.formula.endswith(f"= {cs.number(cell.value)}")
            assert cell.formula.count(" + ") == 2                    # two channels and the bias


def test_multichannel_cell_refuses_bad_input():
    with pytest.raises(ValueError, match="same C"):
        cs.multichannel_cell(np.zeros((2, 5, 5)), np.zeros((3, 3, 3)), 0.0, 0, 0)
    with pytest.raises(ValueError, match="outside the output map 3x3"):
        cs.multichannel_cell(np.zeros((2, 5, 5)), np.zeros((2, 3, 3)), 0.0, 3, 0)
    with pytest.raises(ValueError, match="bias"):
        cs.multichannel_cell(np.zeros((2, 5, 5)), np.zeros((2, 3, 3)), np.nan, 0, 0)


@pytest.mark.parametrize("scores", [RNG.standard_normal(10) * 3, np.arange(10.0),
                                    np.array([1000.0, 999.0, -1000.0]), np.array([2.5]),
                                    np.array([3, 1, 3])])
def test_softmax_steps_equal_softmax(scores):
    steps = cs.softmax_steps(scores)
    n = len(scores)
    assert len(steps) == 2 * n + 2 and [s.k for s in steps] == list(range(2 * n + 2))
    assert [s.phase for s in steps] == ["max"] + ["exp"] * n + ["sum"] + ["divide"] * n
    assert [s.place for s in steps[1:n + 1]] == list(range(n))
    assert steps[0].value == max(scores) and steps[0].place == int(np.argmax(scores))
    exps = np.array([s.value for s in steps[1:n + 1]])
    np.testing.assert_allclose(exps, np.exp(scores - np.max(scores)), rtol=1e-15)
    assert steps[n + 1].value == pytest.approx(exps.sum(), rel=1e-15)
    p = np.array([s.value for s in steps[n + 2:]])
    np.testing.assert_allclose(p, nl.softmax(np.asarray(scores, dtype=np.float64)), rtol=0, atol=1e-12)
    assert abs(p.sum() - 1) < 1e-12
    assert steps[n + 2].formula.startswith("p_0 = ")


def test_softmax_steps_refuse_bad_scores():
    for bad in ([], [[1.0, 2.0]], ["a"], [1.0, np.nan]):
        with pytest.raises(ValueError, match="softmax_steps"):
            cs.softmax_steps(bad)


def test_check_cell_accepts_the_right_value_and_flags_wrong_ones():
    image = np.round(RNG.uniform(0, 1, (6, 6)), 1)
    kernel = np.array(nl.conv.KERNELS["sharpen"])
    out = nl.conv.convolve(image, kernel)
    right = cs.check_cell(image, kernel, 2, 3, out[2, 3])
    assert right.ok and abs(float(right)) < 1e-12 and right.message.startswith("✓")
    assert cs.check_cell(image, kernel, 2, 3, round(out[2, 3], 2)).ok        # two decimals
    wrongs = {
        "swapped row and column": out[3, 2],
        "the kernel flipped (a true convolution)": nl.conv.convolve(image, kernel[::-1, ::-1])[2, 3],
        "one product left out": out[2, 3] - image[2, 3] * kernel[0, 0] + 1.0,
        "the window's sum, not the products'": image[2:5, 3:6].sum(),
    }
    for mistake, value in wrongs.items():
        if abs(value - out[2, 3]) <= 0.005:
            continue                                  # this image happens to hide the mistake
        verdict = cs.check_cell(image, kernel, 2, 3, value)
        assert not verdict.ok, mistake
        assert verdict.off == pytest.approx(value - out[2, 3])
        assert verdict.message.startswith("✗") and f"{out[2, 3]:.6g}" in verdict.message
        assert "kernel: [[0.0, -1.0, 0.0]" in verdict.message and "window at rows 2..4" in verdict.message
    for junk in (None, "abc", float("nan")):
        verdict = cs.check_cell(image, kernel, 0, 0, junk)
        assert not verdict.ok and "not a number" in verdict.message
    with pytest.raises(ValueError, match="outside the output map 4x4"):
        cs.check_cell(image, kernel, 4, 0, 0.0)
    padded = cs.check_cell(image, kernel, 0, 0, 99.0, padding=1)
    assert "padded" in padded.message and padded.expected == pytest.approx(
        nl.conv.convolve(image, kernel, padding=1)[0, 0])


def test_conv_cell_steps_refuse_bad_input():
    with pytest.raises(ValueError, match="larger than the padded image 2x2"):
        cs.conv_cell_steps(np.zeros((2, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="stride"):
        cs.conv_cell_steps(np.zeros((4, 4)), np.zeros((3, 3)), stride=0)
    with pytest.raises(ValueError, match="2-D"):
        cs.conv_cell_steps(np.zeros((1, 4, 4)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="NaN"):
        cs.conv_cell_steps(np.full((4, 4), np.nan), np.zeros((3, 3)))
