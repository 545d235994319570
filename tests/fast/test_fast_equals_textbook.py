"""The speed twins of `nnlib/fast/` give the textbook's numbers, and change nothing they touch.

`fit(..., fast=True)` trains `SpeedTwins`: twin layers and loss holding the model's own
Parameters, the optimizer's own `step` run over one joined buffer, batches in kept arrays.
None of that may change a result beyond rounding: every twin is run against the textbook
object in float64 (1e-12), and so is a whole `fit`; after a fast fit the model, the loss and
the optimizer are ordinary objects again. The one module that proves it (timings live in
`benchmarks/bench_epoch.py`).
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnlib as nl
from nnlib import fast
from nnlib.conv import Conv2d, Flatten, MaxPool2d
from nnlib.core import Module, Parameter

RTOL, ATOL = 1e-12, 1e-13


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


def make_data(n=96, d=12, classes=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, classes, n)


OPTIMIZERS = {
    "sgd": lambda p: nl.SGD(p, lr=0.1),
    "momentum": lambda p: nl.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
    "sgd_wd": lambda p: nl.SGD(p, lr=0.1, weight_decay=1e-2),
    "rmsprop": lambda p: nl.RMSProp(p, lr=1e-3),
    "adam": lambda p: nl.Adam(p, lr=1e-2),
    "adam_wd": lambda p: nl.Adam(p, lr=1e-2, weight_decay=1e-2),
}


class Scale(Module):
    """A custom module without a twin: it adds to its gradient, so fit must zero it."""

    def __init__(self, d):
        self.s = Parameter(np.ones(d), "s")

    def forward(self, x):
        self._x = x
        return x * self.s.data

    def backward(self, dout):
        self.s.grad += (dout * self._x).sum(axis=0)
        return dout * self.s.data


def assert_ordinary(model, optimizer, loss_fn):
    """Nothing left behind: no instance attribute shadows a method; backward returns dL/dx."""
    for obj in [*model.modules(), optimizer, *([loss_fn] if loss_fn is not None else [])]:
        patched = {k for k, v in vars(obj).items() if callable(v) and not inspect.isclass(v)
                   and k in dir(type(obj))}
        assert not patched, f"{obj!r} has instance attributes shadowing methods: {patched}"
    for m in model.modules():
        assert type(m).__module__.startswith("nnlib.") and "fast" not in type(m).__module__ \
            or isinstance(m, Scale)


def run_fit(opt_name, batch_size, fast_on, *, epochs=3, act="relu", extra=None, loss=None,
            y_onehot=False, callbacks=()):
    X, y = make_data()
    model = nl.mlp([12, 10, 8, 4], act=act, rng=1)
    if extra is not None:
        model = nl.Sequential(*extra(), *model.layers)
    opt = OPTIMIZERS[opt_name](model.parameters())
    loss_fn = loss or nl.SoftmaxCrossEntropy()
    target = nl.one_hot(y, 4) if y_onehot else y
    schedule = nl.cosine_lr(0.1 if opt_name.startswith(("sgd", "momentum")) else 1e-2, warmup=0.1)
    history = nl.fit(model, loss_fn, opt, nl.DataLoader(X, target, batch_size=batch_size, rng=2),
                     epochs=epochs, progress=False, lr_schedule=schedule, fast=fast_on,
                     callbacks=callbacks)
    return model, opt, loss_fn, history


def assert_same_run(a, b):
    (m1, o1, _, h1), (m2, o2, _, h2) = a, b
    close(h1.step_loss, h2.step_loss)
    for p, q in zip(m1.parameters(), m2.parameters()):
        close(p.data, q.data)
        close(p.grad, q.grad)
    assert o1.t == o2.t and o1.lr == o2.lr
    for name in o1.state_names:
        for s, t in zip(getattr(o1, name), getattr(o2, name)):
            close(s, t)


# ------------------------------------------------------------------- a whole fit, both ways
@pytest.mark.parametrize("opt", list(OPTIMIZERS))
@pytest.mark.parametrize("batch_size", [16, 20])         # 20: a short last batch
def test_fit_fast_equals_fit_textbook(opt, batch_size):
    textbook, quick = run_fit(opt, batch_size, False), run_fit(opt, batch_size, True)
    assert_same_run(textbook, quick)
    assert_ordinary(quick[0], quick[1], quick[2])


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "leaky_relu", "identity"])
def test_fit_fast_equals_textbook_for_every_activation(act):
    assert_same_run(run_fit("momentum", 16, False, act=act), run_fit("momentum", 16, True, act=act))


def test_fit_fast_equals_textbook_with_one_hot_targets_dropout_and_a_custom_module():
    extra = lambda: [Scale(12), nl.Dropout(0.3, rng=5)]        # noqa: E731
    assert_same_run(run_fit("adam", 16, False, extra=extra, y_onehot=True),
                    run_fit("adam", 16, True, extra=extra, y_onehot=True))


def test_fit_fast_equals_textbook_with_mse():
    X, y = make_data()
    Y = np.eye(4)[y]
    runs = []
    for fast_on in (False, True):
        model = nl.mlp([12, 8, 4], rng=3)
        opt = nl.SGD(model.parameters(), lr=0.05, momentum=0.9)
        h = nl.fit(model, nl.MSELoss(), opt, nl.DataLoader(X, Y, batch_size=32, rng=4), epochs=2,
                   progress=False, fast=fast_on)
        runs.append((model, opt, None, h))
    assert_same_run(*runs)


def test_a_small_cnn_fit_fast_equals_textbook():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((24, 1, 8, 8))
    y = rng.integers(0, 3, 24)
    runs = []
    for fast_on in (False, True):
        r = np.random.default_rng(1)
        net = nl.Sequential(Conv2d(1, 3, 3, padding=1, rng=r), nl.ReLU(), MaxPool2d(2),
                            Conv2d(3, 2, 3, rng=r), nl.ReLU(), Flatten(), nl.Linear(8, 3, rng=r))
        opt = nl.Adam(net.parameters(), lr=0.01)
        h = nl.fit(net, nl.SoftmaxCrossEntropy(), opt, nl.DataLoader(X, y, batch_size=7, rng=2),
                   epochs=2, progress=False, fast=fast_on, val=(X, y))
        runs.append((net, opt, None, h))
    assert_same_run(*runs)


def test_after_a_fast_fit_the_model_is_an_ordinary_model():
    model, opt, loss_fn, _ = run_fit("adam", 16, True)
    x = np.random.default_rng(9).standard_normal((5, 12))
    out = model.forward(x)
    dx = model.backward(np.ones_like(out))
    assert isinstance(dx, np.ndarray) and dx.shape == (5, 12)
    for layer in model.layers:
        assert type(layer).forward is type(layer).forward
        assert "forward" not in vars(layer) and "backward" not in vars(layer)
    assert "step" not in vars(opt) and "zero_grad" not in vars(opt)
    for p in model.parameters():                   # own arrays again, not views of a buffer
        assert p.data.base is None and p.grad.base is None


def test_default_fit_runs_the_textbook_linear_backward(monkeypatch):
    calls = []
    original = nl.Linear.backward

    def spy(self, dout):
        calls.append(type(self))
        return original(self, dout)

    monkeypatch.setattr(nl.Linear, "backward", spy)
    run_fit("sgd", 32, False, epochs=1)
    assert calls and set(calls) == {nl.Linear}
    calls.clear()
    run_fit("sgd", 32, True, epochs=1)
    assert not calls                               # fast=True: the twins, named on purpose


@pytest.mark.parametrize("opt", ["sgd", "adam"])
def test_callbacks_see_the_textbook_weights_and_gradients(opt):
    seen = {}

    class Watch(nl.Callback):
        def __init__(self, key):
            self.key = key

        def on_train_begin(self, model, history):
            self.model = model

        def on_step_end(self, step, logs):
            seen.setdefault(self.key, []).append(
                [p.data.copy() for p in self.model.parameters()]
                + [p.grad.copy() for p in self.model.parameters()])

    run_fit(opt, 16, False, epochs=1, callbacks=[Watch("textbook")])
    run_fit(opt, 16, True, epochs=1, callbacks=[Watch("fast")])
    for a, b in zip(seen["textbook"], seen["fast"]):
        for u, v in zip(a, b):
            close(u, v)


def test_a_layer_used_twice_keeps_adding_its_gradients():
    layer = nl.Linear(6, 6, rng=0)
    X, y = np.random.default_rng(0).standard_normal((40, 6)), np.arange(40) % 6
    runs = []
    for fast_on in (False, True):
        model = nl.Sequential(nl.Linear(6, 6, rng=0), nl.ReLU(), layer, nl.Tanh(), layer)
        for p, q in zip(layer.parameters(), nl.Linear(6, 6, rng=0).parameters()):
            p.data[...] = q.data
        opt = nl.SGD(model.parameters(), lr=0.05)
        h = nl.fit(model, nl.SoftmaxCrossEntropy(), opt, nl.DataLoader(X, y, batch_size=8, rng=1),
                   epochs=2, progress=False, fast=fast_on)
        runs.append((model, opt, None, h))
    assert_same_run(*runs)
    assert fast.twin(runs[1][0]).layers[2] is layer      # shared: the textbook object runs


def test_a_diverging_fast_fit_raises_and_leaves_ordinary_objects():
    X, y = make_data()
    model = nl.mlp([12, 8, 4], rng=0)
    opt = nl.SGD(model.parameters(), lr=1e6)
    with pytest.raises(nl.TrainingDiverged):
        nl.fit(model, nl.SoftmaxCrossEntropy(), opt, nl.DataLoader(X, y * 1, batch_size=16, rng=0),
               epochs=5, progress=False, fast=True)
    assert_ordinary(model, opt, None)
    assert all(p.data.base is None for p in model.parameters())


# ----------------------------------------------------------------------- each twin alone
def layer_cases():
    rng = np.random.default_rng(0)
    yield "Linear", nl.Linear(5, 3, rng=rng), rng.standard_normal((4, 5))
    yield "ReLU", nl.ReLU(), rng.standard_normal((4, 5))
    yield "Tanh", nl.Tanh(), rng.standard_normal((4, 5))
    yield "Conv2d", Conv2d(2, 3, 3, padding=1, rng=rng), rng.standard_normal((2, 2, 6, 5))
    yield "Conv2d-stride", Conv2d(2, 3, (3, 2), stride=(2, 1), rng=rng), rng.standard_normal((2, 2, 7, 6))
    yield "MaxPool2d", MaxPool2d(2), rng.standard_normal((2, 3, 6, 6))
    yield "MaxPool2d-overlap", MaxPool2d(3, stride=1), rng.standard_normal((2, 2, 5, 5))
    yield "Sequential", nl.mlp([5, 4, 3], act="tanh", rng=rng), rng.standard_normal((4, 5))


@pytest.mark.parametrize("case", list(layer_cases()), ids=lambda c: c[0])
def test_every_layer_twin_equals_the_textbook(case):
    _, layer, x = case
    twin = fast.twin(layer, input_grad=True)
    assert twin is not layer and all(p is q for p, q in zip(twin.parameters(), layer.parameters()))
    dout = np.random.default_rng(1).standard_normal(layer.forward(x).shape)
    for _ in range(2):                               # the second time in kept arrays
        layer.zero_grad()
        want_out, want_dx = layer.forward(x).copy(), layer.backward(dout).copy()
        want_grads = [p.grad.copy() for p in layer.parameters()]
        layer.zero_grad()
        close(twin.forward(x), want_out)
        close(twin.backward(dout), want_dx)
        for p, g in zip(layer.parameters(), want_grads):
            close(p.grad, g)


def test_first_layer_twin_skips_dx_only_when_asked():
    model = nl.mlp([5, 4, 3], rng=0)
    x = np.ones((2, 5))
    quick = fast.twin(model)                         # fit's choice: nobody needs dL/dx
    quick.forward(x)
    assert quick.backward(np.ones((2, 3))) is None
    keep = fast.twin(model, input_grad=True)
    keep.forward(x)
    assert keep.backward(np.ones((2, 3))).shape == (2, 5)


@pytest.mark.parametrize("bad", [np.ones((4, 6)), np.ones((3, 2))])
def test_twins_check_shapes_as_the_textbook_does(bad):
    twin = fast.twin(nl.Linear(5, 2, rng=0), input_grad=True)
    with pytest.raises(ValueError, match=r"Linear: expected input of shape \(N, 5\)"):
        twin.forward(np.ones((4, 6)))
    twin.forward(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"Linear\.backward: dout has shape"):
        twin.backward(np.ones((3, 2)) if bad.shape == (3, 2) else np.ones((4, 3)))


@pytest.mark.parametrize("one_hot", [False, True])
def test_the_loss_twin_equals_the_textbook(one_hot):
    rng = np.random.default_rng(0)
    z = rng.standard_normal((7, 5)) * 4
    y = rng.integers(0, 5, 7)
    target = nl.one_hot(y, 5) if one_hot else y
    textbook = nl.SoftmaxCrossEntropy()
    twin = fast.FastSoftmaxCrossEntropy(nl.SoftmaxCrossEntropy())
    for _ in range(2):
        close(twin(z, target), textbook(z, target))
        close(twin.backward(), textbook.backward())


@pytest.mark.parametrize("bad", [[0, 1, -1, 2, 3, 0, 1], [0, 5, 1, 2, 3, 0, 1]])
def test_the_loss_twin_rejects_bad_labels_like_the_textbook(bad):
    twin = fast.FastSoftmaxCrossEntropy(nl.SoftmaxCrossEntropy())
    with pytest.raises(ValueError, match=r"labels must be in \[0, 4\]"):
        twin(np.zeros((7, 5)), np.array(bad))


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_fused_optimizer_runs_the_textbook_step(name):
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (4,), (4, 2), (2,)]
    a = [Parameter(rng.standard_normal(s)) for s in shapes]
    b = [Parameter(p.data.copy()) for p in a]
    textbook, fused_over = OPTIMIZERS[name](a), OPTIMIZERS[name](b)
    fused = fast.FusedOptimizer(fused_over)
    assert type(fused.inner) is type(fused_over)        # one Adam: the textbook class itself
    for _ in range(4):
        grads = [rng.standard_normal(s) for s in shapes]
        for p, q, g in zip(a, b, grads):
            p.grad[...] = g
            q.grad[...] = g
        textbook.step()
        fused.step()
        for p, q in zip(a, b):
            close(q.data, p.data)
    fused.close()
    assert fused_over.t == textbook.t == 4
    for p, q in zip(a, b):
        assert q.data.base is None
        close(q.data, p.data)
    for state in textbook.state_names:
        for s, t in zip(getattr(textbook, state), getattr(fused_over, state)):
            close(t, s)


def test_kept_batches_are_the_loaders_batches():
    X, y = make_data(50)
    seeds = [nl.DataLoader(X, y, batch_size=16, rng=3), nl.DataLoader(X, y, batch_size=16, rng=3)]
    for (xa, ya), (xb, yb) in zip(seeds[0], fast.KeptBatches(seeds[1])):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    assert len(fast.KeptBatches(seeds[1])) == len(seeds[1]) == 4


def test_twins_are_keyed_by_exact_type():
    class MyReLU(nl.ReLU):
        def f(self, x):
            return np.maximum(x, 0) * 2

    assert fast.twin(MyReLU()).__class__ is MyReLU        # no twin: the subclass itself runs


# ------------------------------------------------------- convolutions over drawn shapes
def _twin_run(model, x, dout):
    """forward and backward of the twin (dL/dx kept), copies of everything."""
    model.zero_grad()
    twin = fast.twin(model, input_grad=True)
    out = twin.forward(x).copy()
    dx = twin.backward(dout).copy()
    return out, dx, [p.grad.copy() for p in model.parameters()]


def _textbook_run(model, x, dout):
    model.zero_grad()
    return model.forward(x), model.backward(dout), [p.grad.copy() for p in model.parameters()]


def _assert_same_run(want, got):
    """Output, dL/dx and every gradient of two runs equal to 1e-12."""
    for a, b in zip([want[0], want[1], *want[2]], [got[0], got[1], *got[2]]):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-12)


@settings(max_examples=12, deadline=None)
@given(N=st.integers(1, 3), C=st.integers(1, 3), O=st.integers(1, 3), k=st.integers(1, 4),
       s=st.integers(1, 3), p=st.integers(0, 2), H=st.integers(1, 8), W=st.integers(1, 8),
       seed=st.integers(0, 2**16))
def test_conv_twin_equals_textbook_on_drawn_shapes(N, C, O, k, s, p, H, W, seed):
    assume(k <= min(H, W) + 2 * p)
    rng = np.random.default_rng(seed)
    layer = Conv2d(C, O, k, stride=s, padding=p, rng=rng)
    layer.b.data[:] = rng.standard_normal(O)
    x = rng.standard_normal((N, C, H, W))
    model = nl.Sequential(layer)
    dout = rng.standard_normal(layer.output_shape(x.shape))
    want = _textbook_run(model, x, dout)
    for _ in range(2):                              # kept arrays reused: same numbers again
        _assert_same_run(want, _twin_run(model, x, dout))


@settings(max_examples=12, deadline=None)
@given(N=st.integers(1, 3), C=st.integers(1, 3), H=st.integers(1, 9), W=st.integers(1, 9),
       k=st.integers(1, 3), s=st.integers(1, 3), seed=st.integers(0, 2**16), ties=st.booleans())
def test_maxpool_twin_equals_textbook_on_drawn_shapes(N, C, H, W, k, s, seed, ties):
    assume(k <= min(H, W))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C, H, W))
    if ties:                                        # after a ReLU, windows of zeros are common
        x = np.maximum(np.round(x), 0)
    model = nl.Sequential(MaxPool2d(k, s), nl.Identity())
    dout = rng.standard_normal(MaxPool2d(k, s).output_shape(x.shape))
    want, got = _textbook_run(model, x, dout), _twin_run(model, x, dout)
    np.testing.assert_array_equal(got[0], want[0])                 # the same maxima
    np.testing.assert_allclose(got[1], want[1], rtol=0, atol=1e-12)  # overlaps: sums reordered


@settings(max_examples=15, deadline=None)
@given(N=st.integers(1, 3), C=st.integers(1, 3), H=st.integers(1, 9), W=st.integers(1, 9),
       k=st.integers(1, 3), s=st.integers(1, 3), seed=st.integers(0, 2**16),
       ties=st.sampled_from(["none", "rounded", "constant"]))
def test_relu_maxpool_pair_twin_equals_the_textbook_pair(N, C, H, W, k, s, seed, ties):
    """relu(max(z)) = max(relu(z)), and dout reaches the same z, ties and windows <= 0 included."""
    assume(k <= min(H, W))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C, H, W))
    if ties == "rounded":                         # ties among positives, and all-negative windows
        x = np.round(x)
    elif ties == "constant":                      # an empty image border: conv output = its bias
        x[:, :, : H // 2] = rng.choice([-0.3, 0.0, 0.3])
    model = nl.Sequential(nl.ReLU(), MaxPool2d(k, s))
    twin = fast.twin(model, input_grad=True)
    assert [type(m) for m in twin.layers] == [fast.FastReLUMaxPool2d]
    dout = rng.standard_normal(MaxPool2d(k, s).output_shape(x.shape))
    want = _textbook_run(model, x, dout)
    for _ in range(2):                              # kept arrays reused: same numbers again
        got = twin.forward(x).copy(), twin.backward(dout).copy()
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_allclose(got[1], want[1], rtol=0, atol=1e-12)


def test_relu_maxpool_pair_is_fused_only_when_both_layers_are_alone():
    relu, pool = nl.ReLU(), MaxPool2d(2)
    fused = fast.twin(nl.Sequential(Conv2d(1, 2, 3, rng=0), relu, pool, Flatten()))
    assert [type(m).__name__ for m in fused.layers] == ["FastConv2d", "FastReLUMaxPool2d", "Flatten"]
    apart = fast.twin(nl.Sequential(relu, pool, relu))          # the ReLU runs twice: no pair
    assert [type(m).__name__ for m in apart.layers] == ["ReLU", "FastMaxPool2d", "ReLU"]
    other = fast.twin(nl.Sequential(MaxPool2d(2), nl.ReLU()))   # the other order: two twins
    assert [type(m).__name__ for m in other.layers] == ["FastMaxPool2d", "FastReLU"]
    x = np.arange(2 * 1 * 4 * 4, dtype=float).reshape(2, 1, 4, 4) - 10   # ints in a float array
    np.testing.assert_array_equal(fast.twin(nl.Sequential(nl.ReLU(), MaxPool2d(2))).forward(x),
                                  MaxPool2d(2).forward(np.maximum(x, 0)))


def test_the_fused_optimizer_skips_zeroing_only_when_every_gradient_is_written():
    X, y = make_data(8)
    loader = nl.DataLoader(X, y, batch_size=4, rng=0)
    plain = nl.mlp([12, 8, 4], rng=0)                    # FastLinear writes dW and db
    with fast.SpeedTwins(plain, nl.SoftmaxCrossEntropy(), nl.SGD(plain.parameters()),
                         loader) as speed:
        assert speed.optimizer.zero_grads is False
        for p in plain.parameters():
            p.grad[...] = 7.0                            # stale: the next backward overwrites
        speed.optimizer.zero_grad()
        assert all((p.grad == 7.0).all() for p in plain.parameters())
    custom = nl.Sequential(nl.Linear(12, 12, rng=0), Scale(12), nl.Linear(12, 4, rng=1))
    with fast.SpeedTwins(custom, nl.SoftmaxCrossEntropy(), nl.SGD(custom.parameters()),
                         loader) as speed:                # Scale adds to its gradient
        assert speed.optimizer.zero_grads is True
        speed.optimizer.zero_grad()
        assert all((p.grad == 0).all() for p in custom.parameters())


@pytest.mark.parametrize("k, pad, H, W", [
    (3, 1, 6, 5), (1, 0, 4, 4), (5, 2, 7, 6), ((3, 5), (1, 2), 5, 7),
    ((5, 3), (1, 1), 6, 5),          # as wide as the input, 2 rows shorter
    ((3, 3), (2, 1), 4, 4),          # 2 rows taller than the input
    (3, 1, 1, 1), (3, 1, 2, 9),      # kernel larger than the image
])
def test_same_width_conv_twin_equals_textbook(k, pad, H, W):
    # stride 1 and an output as wide as the input: the twin copies and adds whole planes
    # shifted by a flat offset (FastConv2d's im2col and col2im by planes)
    rng = np.random.default_rng(H * 10 + W)
    layer = Conv2d(3, 4, k, padding=pad, rng=rng)
    layer.b.data[:] = rng.standard_normal(4)
    x = rng.standard_normal((2, 3, H, W))
    assert layer.output_shape(x.shape)[3] == W
    model = nl.Sequential(layer)
    dout = rng.standard_normal(layer.output_shape(x.shape))
    want = _textbook_run(model, x, dout)
    for view in (x, np.ascontiguousarray(x.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)):
        for _ in range(2):                          # kept arrays reused: same numbers again
            _assert_same_run(want, _twin_run(model, view, dout))


@pytest.mark.parametrize("pair", [False, True], ids=["pool", "relu+pool"])
@pytest.mark.parametrize("ties", ["none", "rounded", "constant", "all equal"])
@pytest.mark.parametrize("H, W", [(2, 2), (4, 6), (8, 8), (5, 6)])   # 5 rows: the last is dropped
def test_2x2_pooling_sends_dout_to_the_first_maximum(pair, ties, H, W):
    # notebook 14's pooling; a tie must go where the textbook's argmax sends it, the window's
    # first maximum in row order (the twin's last slice is taken without a comparison)
    rng = np.random.default_rng(H * 7 + W)
    x = rng.standard_normal((3, 2, H, W))
    if ties == "rounded":
        x = np.round(x)
    elif ties == "constant":
        x[:, :, : H // 2] = 0.3
    elif ties == "all equal":
        x[:] = -0.5 if pair else 1.0
    layers = [nl.ReLU(), MaxPool2d(2)] if pair else [MaxPool2d(2)]
    model = nl.Sequential(*layers)
    twin = fast.twin(model, input_grad=True)
    dout = rng.standard_normal(MaxPool2d(2).output_shape(x.shape))
    want = _textbook_run(model, x, dout)
    views = (x, np.ascontiguousarray(x.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3))
    for view in views:                              # NCHW, and laid out as a conv output is
        for _ in range(2):                          # kept arrays reused: same numbers again
            got = twin.forward(view).copy(), twin.backward(dout).copy()
            np.testing.assert_array_equal(got[0], want[0])
            np.testing.assert_array_equal(got[1], want[1])
