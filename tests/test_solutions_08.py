"""The solutions of notebook 08's exercises agree with nnlib (the self-check cells' logic)."""

from __future__ import annotations

import numpy as np
from solutions import load

import nnlib as nl


def _setup():
    X, y = nl.make_moons(50, rng=0)
    net = nl.mlp([2, 6, 2], rng=1)
    return X, y, net, nl.SoftmaxCrossEntropy(), nl.SGD(net.parameters(), lr=0.2)


def test_ex1_train_one_epoch_matches_fit_exactly():
    train_one_epoch = load("08_ex1").train_one_epoch
    X, y, mine, loss_fn, opt = _setup()
    losses = train_one_epoch(mine, loss_fn, opt, X, y, 16, nl.make_rng(7))
    _, _, ref, loss_ref, opt_ref = _setup()
    h = nl.fit(ref, loss_ref, opt_ref, nl.DataLoader(X, y, batch_size=16, rng=7), epochs=1,
               progress=False)
    assert len(losses) == 4 == len(h.step_loss)
    np.testing.assert_allclose(losses, h.step_loss, rtol=1e-10)
    for p, q in zip(mine.parameters(), ref.parameters()):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-10, atol=1e-12)


def test_ex2_print_every_n_reports_the_right_steps(capsys):
    cb = load("08_ex2").PrintEveryN(5)
    X, y, net, loss_fn, opt = _setup()
    nl.fit(net, loss_fn, opt, nl.DataLoader(X, y, batch_size=4, rng=0), epochs=2,
           callbacks=[cb], progress=False)
    assert cb.printed == [5, 10, 15, 20, 25]                      # 13 steps per epoch, 26 in all
    assert capsys.readouterr().out.count("loss") == 5
