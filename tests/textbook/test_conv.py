"""Conv2d, MaxPool2d, Flatten: gradient checks over hypothesis-drawn shapes, errors, save/load."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnlib as nl
from nnlib.conv import Conv2d, Flatten, MaxPool2d, output_size

TOL = 1e-6
settings.register_profile("nnlib_conv", max_examples=12, deadline=None)
settings.load_profile("nnlib_conv")

conv_cases = st.fixed_dictionaries({
    "N": st.integers(1, 3), "C": st.integers(1, 3), "O": st.integers(1, 3),
    "k": st.integers(1, 4), "s": st.integers(1, 3), "p": st.integers(0, 2),
    "H": st.integers(1, 8), "W": st.integers(1, 8), "seed": st.integers(0, 2**16)})


def _conv(case):
    rng = np.random.default_rng(case["seed"])
    layer = Conv2d(case["C"], case["O"], case["k"], stride=case["s"], padding=case["p"], rng=rng)
    layer.b.data[:] = rng.standard_normal(case["O"])
    x = rng.standard_normal((case["N"], case["C"], case["H"], case["W"]))
    return layer, x


def _fits(case):
    return case["k"] <= min(case["H"], case["W"]) + 2 * case["p"]


@given(case=conv_cases)
def test_conv2d_gradients(case):
    assume(_fits(case))
    layer, x = _conv(case)
    errs = nl.check_module(layer, x, seed=case["seed"])
    assert set(errs) == {"x", "W", "b"}
    assert max(errs.values()) < TOL, errs


@given(N=st.integers(1, 2), C=st.integers(1, 3), H=st.integers(1, 7), W=st.integers(1, 7),
       k=st.integers(1, 3), s=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_maxpool2d_gradients(N, C, H, W, k, s, seed):
    assume(k <= min(H, W))
    x = np.random.default_rng(seed).standard_normal((N, C, H, W))    # no ties: floats
    errs = nl.check_module(MaxPool2d(k, s), x, seed=seed)
    assert errs["x"] < TOL, errs


@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=4), seed=st.integers(0, 2**16))
def test_flatten_gradients(shape, seed):
    x = np.random.default_rng(seed).standard_normal(shape)
    out = Flatten().forward(x)
    assert out.shape == (shape[0], int(np.prod(shape[1:])))
    assert nl.check_module(Flatten(), x, seed=seed)["x"] < TOL


def test_small_cnn_gradients():
    rng = np.random.default_rng(0)
    net = nl.Sequential(Conv2d(2, 3, 3, padding=1, rng=rng), nl.ReLU(), MaxPool2d(2),
                        Flatten(), nl.Linear(3 * 3 * 3, 4, rng=rng))
    errs = nl.check_module(net, rng.standard_normal((2, 2, 6, 7)))
    assert max(errs.values()) < TOL, errs


def test_matches_torch_definition_by_hand():
    """A 1-channel 3x3 example computed by hand: cross-correlation, bias added once."""
    layer = Conv2d(1, 1, 2, init="zeros")
    layer.W.data[0, 0] = [[1.0, 2.0], [3.0, 4.0]]
    layer.b.data[:] = 0.5
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    want = [[0 + 2 + 9 + 16, 1 + 4 + 12 + 20], [3 + 8 + 18 + 28, 4 + 10 + 21 + 32]]
    np.testing.assert_allclose(layer.forward(x)[0, 0], np.array(want) + 0.5)
    np.testing.assert_allclose(MaxPool2d(2, 1).forward(x)[0, 0], [[4, 5], [7, 8]])


@pytest.mark.parametrize("size,k,s,p", [(28, 3, 1, 1), (28, 5, 1, 0), (7, 3, 2, 1), (5, 5, 1, 0)])
def test_output_size_formula(size, k, s, p):
    layer = Conv2d(1, 2, k, stride=s, padding=p)
    assert layer.forward(np.zeros((1, 1, size, size))).shape[2] == output_size(size, k, s, p)
    assert output_size(size, k, s, p) == (size + 2 * p - k) // s + 1


@pytest.mark.parametrize("layer,x,words", [
    (Conv2d(1, 4, 3), np.zeros((28, 28)), ["Conv2d", "(N, 1, H, W)", "(28, 28)"]),
    (Conv2d(3, 4, 3), np.zeros((2, 1, 8, 8)), ["Conv2d", "(N, 3, H, W)", "(2, 1, 8, 8)"]),
    (Conv2d(1, 4, 5, padding=1), np.zeros((1, 1, 2, 2)), ["Conv2d", "5x5", "4x4", "(1, 1, 2, 2)"]),
    (MaxPool2d(2), np.zeros((4, 4)), ["MaxPool2d", "(N, C, H, W)", "(4, 4)"]),
    (MaxPool2d(3), np.zeros((1, 1, 2, 5)), ["MaxPool2d", "3x3", "2x5"]),
    (Flatten(), np.zeros(5), ["Flatten", "(5,)"]),
])
def test_bad_shapes_name_layer_and_shapes(layer, x, words):
    with pytest.raises(ValueError) as info:
        layer.forward(x)
    for w in words:
        assert w in str(info.value), (w, str(info.value))


@pytest.mark.parametrize("make", [lambda: Conv2d(1, 2, 3), lambda: MaxPool2d(2), Flatten])
def test_backward_before_forward_and_wrong_dout(make):
    layer = make()
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.zeros((1, 2, 2, 2)))
    layer.forward(np.ones((1, 1, 6, 6)))
    with pytest.raises(ValueError, match=type(layer).__name__):
        layer.backward(np.zeros((3, 3)))


@pytest.mark.parametrize("kwargs", [dict(in_channels=0, out_channels=1, kernel_size=3),
                                    dict(in_channels=1, out_channels=1, kernel_size=0),
                                    dict(in_channels=1, out_channels=1, kernel_size=3, stride=0),
                                    dict(in_channels=1, out_channels=1, kernel_size=3, padding=-1),
                                    dict(in_channels=1, out_channels=1, kernel_size=3, init="x")])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="Conv2d"):
        Conv2d(**kwargs)


def test_he_init_scale_and_shapes():
    layer = Conv2d(8, 16, 3, rng=0)
    assert layer.W.shape == (16, 8, 3, 3) and layer.b.shape == (16,)
    assert layer.W.data.std() == pytest.approx(np.sqrt(2 / 72), rel=0.1)
    assert layer.num_parameters() == 16 * 8 * 9 + 16


# ----------------------------------------------------------------------- save / load
def test_save_load_cnn_roundtrip(tmp_path):
    rng = np.random.default_rng(0)
    net = nl.Sequential(Conv2d(1, 4, 3, padding=1, stride=1, rng=rng, dtype=np.float32), nl.ReLU(),
                        MaxPool2d(2), Conv2d(4, 2, (3, 2), stride=(2, 1), rng=rng,
                                             dtype=np.float32),
                        MaxPool2d(2, stride=1), Flatten(), nl.Linear(2 * 1 * 3, 3, rng=rng,
                                                                     dtype=np.float32))
    x = rng.standard_normal((3, 1, 10, 10)).astype(np.float32)
    path = nl.save(net, tmp_path / "cnn.npz", test_acc=0.5)
    back, meta = nl.load(path, with_metadata=True)
    assert meta["test_acc"] == 0.5
    assert repr(back) == repr(net)
    np.testing.assert_array_equal(back.forward(x), net.forward(x))
