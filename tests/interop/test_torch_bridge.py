"""`nl.to_torch` / `nl.from_torch`: same function both ways, float32 and float64; clear errors.

Skipped as a whole when PyTorch is not installed (it is an optional extra: `nnlib[torch]`);
tests/test_torch_optional.py checks what happens without it.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl

TOL = {np.float32: 1e-6, np.float64: 1e-12}
DTYPES = pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])


torch = pytest.importorskip("torch")
nn = torch.nn


def torch_loop_losses(t, topt, loader, epochs):
    """The usual torch training loop over nnlib's batches; the loss of every step."""
    losses = []
    for _ in range(epochs):
        for xb, yb in loader:
            topt.zero_grad()
            loss = nn.functional.cross_entropy(t(torch.from_numpy(xb)), torch.from_numpy(yb))
            loss.backward()
            topt.step()
            losses.append(loss.item())
    return losses


def mlp_with_everything(dtype, rng=0):
    """Every dense-network layer nnlib has, with non-zero biases (so a lost bias shows)."""
    net = nl.Sequential(
        nl.Linear(5, 7, rng=rng, dtype=dtype), nl.ReLU(),
        nl.Linear(7, 6, rng=rng, dtype=dtype), nl.Tanh(), nl.Dropout(0.3, rng=rng),
        nl.Linear(6, 6, rng=rng, dtype=dtype), nl.Sigmoid(),
        nl.Sequential(nl.Linear(6, 4, rng=rng, dtype=dtype), nl.LeakyReLU(0.1)),
        nl.Identity(), nl.Linear(4, 3, rng=rng, dtype=dtype),
    )
    r = nl.make_rng(rng)
    for p in net.parameters():
        if p.name == "b":
            p.data[...] = r.normal(size=p.shape)
    return net


def conv_net(dtype, rng=0):
    conv = pytest.importorskip("nnlib.conv")
    net = nl.Sequential(
        conv.Conv2d(2, 4, 3, padding=1, rng=rng, dtype=dtype), nl.ReLU(),
        conv.MaxPool2d(2),
        conv.Conv2d(4, 3, (3, 2), stride=(1, 2), rng=rng, dtype=dtype), nl.Tanh(),
        conv.Flatten(), nl.Linear(3 * 2 * 2, 5, rng=rng, dtype=dtype),
    )
    r = nl.make_rng(rng)
    for p in net.parameters():
        if p.name == "b":
            p.data[...] = r.normal(size=p.shape)
    return net


def torch_out(module, x):
    with torch.no_grad():
        return module(torch.from_numpy(x)).numpy()


@DTYPES
def test_to_torch_same_outputs(dtype):
    net = mlp_with_everything(dtype).eval()
    t = nl.to_torch(net)
    assert not t.training
    x = nl.make_rng(1).normal(size=(9, 5)).astype(dtype)
    got = torch_out(t, x)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, net.forward(x), rtol=0, atol=TOL[dtype])
    lin = t[0]
    assert tuple(lin.weight.shape) == (7, 5)                       # torch: (out, in)
    np.testing.assert_array_equal(lin.weight.detach().numpy(), net[0].W.data.T)
    assert isinstance(t[7], nn.Sequential) and isinstance(t[7][1], nn.LeakyReLU)
    assert t[7][1].negative_slope == 0.1 and t[4].p == 0.3


@DTYPES
def test_from_torch_same_outputs(dtype):
    tdtype = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    torch.manual_seed(0)
    t = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 8), nn.Tanh(),
                      nn.Sequential(nn.Linear(8, 4), nn.Sigmoid()), nn.Identity(),
                      nn.Linear(4, 3, bias=False), nn.LeakyReLU(0.2)).to(tdtype).eval()
    net = nl.from_torch(t)
    assert not net.training
    assert isinstance(net[5], nl.Sequential) and isinstance(net[2], nl.Dropout)
    assert net[0].W.shape == (5, 8) and net[0].W.data.dtype == dtype
    x = nl.make_rng(2).normal(size=(11, 5)).astype(dtype)
    np.testing.assert_allclose(net.forward(x), torch_out(t, x), rtol=0, atol=TOL[dtype])
    np.testing.assert_array_equal(net[7].b.data, 0)                # bias=False -> zero bias


@DTYPES
def test_round_trip_is_exact(dtype):
    net = mlp_with_everything(dtype)
    back = nl.from_torch(nl.to_torch(net))
    assert repr(back) == repr(net)
    for p, q in zip(net.parameters(), back.parameters(), strict=True):
        assert p.shape == q.shape and q.data.dtype == dtype
        np.testing.assert_array_equal(p.data, q.data)


def test_copies_not_views():
    net = mlp_with_everything(np.float64)
    t = nl.to_torch(net)
    net[0].W.data += 1.0
    assert not np.allclose(t[0].weight.detach().numpy(), net[0].W.data.T)
    back = nl.from_torch(t)
    with torch.no_grad():
        t[0].weight += 1.0
    assert not np.allclose(back[0].W.data, t[0].weight.detach().numpy().T)


def test_dtype_argument_converts():
    net = mlp_with_everything(np.float64).eval()
    t = nl.to_torch(net, dtype=np.float32)
    assert t[0].weight.dtype == torch.float32
    back = nl.from_torch(t, dtype=np.float64)
    assert back[0].W.data.dtype == np.float64
    x = nl.make_rng(3).normal(size=(4, 5))
    np.testing.assert_allclose(back.forward(x), net.forward(x), atol=1e-5)


def test_gradients_agree_float64():
    net = mlp_with_everything(np.float64).eval()      # eval: no dropout mask to match
    t = nl.to_torch(net)
    rng = nl.make_rng(4)
    x, y = rng.normal(size=(16, 5)), rng.integers(0, 3, size=16)
    loss_fn = nl.SoftmaxCrossEntropy()
    net.zero_grad()
    loss = loss_fn(net.forward(x), y)
    net.backward(loss_fn.backward())
    tloss = nn.functional.cross_entropy(t(torch.from_numpy(x)), torch.from_numpy(y))
    tloss.backward()
    assert abs(loss - tloss.item()) < 1e-12
    for lin, tl in zip([m for m in net.modules() if isinstance(m, nl.Linear)],
                       [m for m in t.modules() if isinstance(m, nn.Linear)], strict=True):
        np.testing.assert_allclose(lin.W.grad, tl.weight.grad.numpy().T, rtol=0, atol=1e-12)
        np.testing.assert_allclose(lin.b.grad, tl.bias.grad.numpy(), rtol=0, atol=1e-12)


@DTYPES
def test_conv_layers_both_ways(dtype):
    net = conv_net(dtype).eval()
    t = nl.to_torch(net)
    assert isinstance(t[0], nn.Conv2d) and isinstance(t[2], nn.MaxPool2d)
    assert isinstance(t[5], nn.Flatten)
    x = nl.make_rng(5).normal(size=(3, 2, 8, 8)).astype(dtype)
    np.testing.assert_allclose(torch_out(t, x), net.forward(x), rtol=0, atol=TOL[dtype])
    back = nl.from_torch(t)
    np.testing.assert_allclose(back.forward(x), net.forward(x), rtol=0, atol=TOL[dtype])
    assert back[3].stride == (1, 2) and back[0].padding == (1, 1)


def test_unsupported_layers_are_named():
    class Square(nl.Module):
        def forward(self, x):
            return x * x

    with pytest.raises(ValueError, match=r"to_torch: cannot convert Square \(layer 1\)"):
        nl.to_torch(nl.Sequential(nl.Linear(2, 2), Square()))
    with pytest.raises(ValueError, match=r"from_torch: cannot convert .*Softmax \(layer 1\).*"
                                         r"GELU \(layer 2\.0\)"):
        nl.from_torch(nn.Sequential(nn.Linear(2, 2), nn.Softmax(dim=1),
                                    nn.Sequential(nn.GELU())))
    with pytest.raises(ValueError, match="Flatten"):
        nl.from_torch(nn.Sequential(nn.Flatten(start_dim=2)))
    with pytest.raises(ValueError, match="dtype"):
        nl.to_torch(nl.Sequential(nl.Linear(2, 2)), dtype=np.float16)


def test_train_mode_is_mirrored():
    net = mlp_with_everything(np.float64)
    assert nl.to_torch(net).training
    assert not nl.from_torch(nl.to_torch(net).eval()).training


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_training_runs_agree_step_by_step(optimizer):
    """nl.fit (fast mode) and the usual torch loop: same start, same batches, same losses."""
    rng = nl.make_rng(6)
    X, y = rng.normal(size=(200, 12)), rng.integers(0, 3, size=200)
    net = nl.Sequential(nl.Linear(12, 16, rng=0), nl.Tanh(), nl.Linear(16, 16, rng=0), nl.ReLU(),
                        nl.Linear(16, 3, rng=0))
    t = nl.to_torch(net)
    if optimizer == "sgd":
        opt, topt = (nl.SGD(net.parameters(), lr=0.1, momentum=0.9),
                     torch.optim.SGD(t.parameters(), lr=0.1, momentum=0.9))
    else:
        opt, topt = nl.Adam(net.parameters(), lr=1e-2), torch.optim.Adam(t.parameters(), lr=1e-2)
    want = nl.fit(net, nl.SoftmaxCrossEntropy(), opt, nl.DataLoader(X, y, batch_size=32, rng=0),
                  epochs=3, progress=False).step_loss
    got = torch_loop_losses(t, topt, nl.DataLoader(X, y, batch_size=32, rng=0), epochs=3)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    for p, q in zip(net.parameters(), nl.from_torch(t).parameters(), strict=True):
        np.testing.assert_allclose(p.data, q.data, rtol=0, atol=1e-12)


def test_conv_training_agrees_with_torch():
    """A small CNN trained by nl.fit (its im2col fast path included) and by torch: same losses."""
    net = conv_net(np.float64)
    t = nl.to_torch(net)
    rng = nl.make_rng(7)
    X, y = rng.normal(size=(48, 2, 8, 8)), rng.integers(0, 5, size=48)
    opt, topt = (nl.SGD(net.parameters(), lr=0.05, momentum=0.9),
                 torch.optim.SGD(t.parameters(), lr=0.05, momentum=0.9))
    want = nl.fit(net, nl.SoftmaxCrossEntropy(), opt, nl.DataLoader(X, y, batch_size=16, rng=0),
                  epochs=2, progress=False).step_loss
    got = torch_loop_losses(t, topt, nl.DataLoader(X, y, batch_size=16, rng=0), epochs=2)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)
