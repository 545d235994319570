"""Headless tests of notebook 12's figures (`nnlib.viz.mnist_plots`) and the `mnist_trainer` widget."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.widgets import mnist_widgets as wm


@pytest.fixture(scope="module")
def small():
    X, y, X_test, y_test = nl.load_mnist(subset="small")
    return X[:200], y[:200]


def test_confusion_matrix_counts_pairs_and_checks_lengths():
    C = nl.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], 3)
    assert C.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    with pytest.raises(ValueError, match="confusion_matrix"):
        nl.confusion_matrix([0, 1], [0], 2)


def test_top_confident_mistakes_sorts_wrong_rows_by_confidence():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.3, 0.7]])
    y = np.array([1, 1, 0, 0])                     # rows 0, 2, 3 are wrong
    assert nl.top_confident_mistakes(probs, y, 5).tolist() == [0, 3, 2]
    assert nl.top_confident_mistakes(probs, y, 1).tolist() == [0]
    assert nl.top_confident_mistakes(probs, np.array([0, 1, 1, 1]), 3).size == 0


def test_static_figures_draw_every_panel(small):
    X, y = small
    assert len(nl.viz.plot_digits(X, y, n=12, ncols=6).axes) == 12
    pred = y.copy()
    pred[0] = (y[0] + 1) % 10
    fig = nl.viz.plot_digits(X, y, n=4, pred=pred)
    assert "→" in fig.axes[0].get_title()
    C = nl.confusion_matrix(y, pred, 10)
    ax = nl.viz.plot_confusion(C).axes[0]
    assert len(ax.texts) == 100 and "1 mistakes" in ax.get_title()
    probs = np.eye(10)[pred]
    assert len(nl.viz.plot_mistakes(X, y, probs, [0]).axes) == 1
    assert nl.viz.plot_mistakes(X, y, probs, []).texts
    W = nl.make_rng(0).normal(size=(784, 20))
    assert len(nl.viz.plot_first_layer_weights(W, n=16).axes) == 16 + 1    # + colour bar
    with pytest.raises(ValueError, match="784"):
        nl.viz.plot_first_layer_weights(W[:100])
    assert len(nl.viz.plot_class_counts(y, y).axes[0].patches) == 20
    assert nl.viz.plot_train_vs_test({"a": (1.0, 0.9), "b": (0.95, 0.93)}).axes


def test_mnist_training_figure_with_and_without_stats(small):
    X, y = small
    net = nl.mlp([784, 16, 8, 10], dtype=np.float32, rng=0)
    h = nl.fit(net, nl.SoftmaxCrossEntropy(), nl.SGD(net.parameters(), lr=0.1),
               nl.DataLoader(X, y, batch_size=50, rng=0), epochs=2, val=(X, y), progress=False)
    stats = nl.probes.layer_stats(net, X[:50], y[:50], nl.SoftmaxCrossEntropy())
    assert len(nl.viz.plot_mnist_training(h, stats).axes) == 2 + 4
    assert len(nl.viz.plot_mnist_training(nl.History()).axes) == 2


def test_trainer_learns_and_every_control_survives_its_extremes():
    demo = wm.mnist_trainer()
    _ = demo.widget                                           # builds and draws once
    first = demo.last_png
    demo.buttons["epoch"].click()
    assert demo.history.epochs and demo.last_png != first
    acc1 = demo.history.epochs[-1]["val_acc"]
    demo.buttons["epoch"].click()
    assert demo.history.epochs[-1]["val_acc"] > max(acc1 - 0.05, 0.3)
    for bs in (8, "full"):
        demo.controls["batch_size"].value = bs
        assert demo.history.step_loss == []                     # fresh network
        demo.buttons["epoch"].click()
        assert len(demo.history.step_loss) == (wm.MAX_STEPS if bs == 8 else 1)
    lr = demo.controls["lr"]
    lr.value = 10.0 ** lr.min
    demo.buttons["epoch"].click()
    lr.value = 10.0 ** lr.max
    demo.buttons["epoch"].click()
    demo.buttons["epoch"].click()
    assert demo.diverged or "too large" in demo.readout.value
    assert "nan" not in demo.readout.value.lower()
    demo.buttons["reset"].click()
    assert demo.history.step_loss == [] and not demo.diverged
    assert demo.errors == []


def test_trainer_reports_divergence(monkeypatch):
    demo = wm.mnist_trainer()

    def boom(*args, **kwargs):
        raise nl.TrainingDiverged("fit: the loss became nan at step 3")
    monkeypatch.setattr(wm, "fit", boom)
    demo.buttons["epoch"].click()
    assert demo.diverged and "Diverged" in demo.readout.value and demo.errors == []


def test_zero_share_label_matches_the_bars_drawn():
    """Issue 21: at lr 10 a panel read "a = 0: 100% (not drawn)" beside drawn bars. Now a panel
    says "100%"/"all" only when nothing else is left, and otherwise the bars are there."""
    from nnlib.viz.style import share_text
    assert [share_text(f) for f in (1, 0.9999, 0.995, 0.5, 0.004, 0)] == \
        ["100%", "99.99%", "99.5%", "50%", "0.4%", "0%"]
    acts = [np.zeros((100, 8)), np.zeros((100, 8)), np.zeros((100, 8))]
    acts[0][0, 0] = 0.5                              # 1 value in 800: 99.875 %, one bar
    acts[1][:50] = 1.0                               # half
    stats = {"act": acts, "dact": [np.ones((100, 8))] * 3}
    fig = nl.viz.plot_mnist_training(nl.History(), stats)
    panels = [ax for ax in fig.axes if any(t.get_text().startswith("a = 0") for t in ax.texts)]
    labels = [next(t.get_text() for t in ax.texts if t.get_text().startswith("a = 0")) for ax in panels]
    bars = [sum(p.get_height() > 0 for p in ax.patches) for ax in panels]
    assert labels[0].startswith("a = 0: 99.9% (not drawn)") and bars[0] == 1
    assert labels[1].startswith("a = 0: 50% (not drawn)") and bars[1] >= 1
    assert labels[2].startswith("a = 0: all 800 values") and bars[2] == 0
    demo = nl.widgets.mnist_trainer()                # the widget at the top of its lr slider
    _ = demo.widget
    demo.controls["lr"].value = 10.0
    demo.buttons["epoch"].click()
    if not demo.diverged:
        fig = nl.viz.plot_mnist_training(demo.history, demo.stats)
        for ax in fig.axes:
            for t in ax.texts:
                if t.get_text().startswith("a = 0"):
                    drawn = sum(p.get_height() > 0 for p in ax.patches)
                    assert (drawn == 0) == ("all" in t.get_text()), t.get_text()
                    assert "100%" not in t.get_text(), t.get_text()
    assert demo.errors == []


def test_readout_says_what_was_trained_not_epochs_it_did_not_run():
    """Issue 21: batch 8 read "after 3 epochs" while a click trains on 400 of the 2,000 images."""
    demo = nl.widgets.mnist_trainer()
    _ = demo.widget
    demo.controls["lr"].value, demo.controls["batch_size"].value = 0.05, 8
    demo.buttons["epoch"].click()
    text = demo.readout.value
    assert "50 steps per click (batch 8): 400 of the 2,000 images" in text
    assert "after 400 images (0.2 epoch)" in text and "epochs" not in text
    demo.buttons["epoch"].click()
    demo.buttons["epoch"].click()
    assert "after 1,200 images (0.6 epoch)" in demo.readout.value
    demo.controls["batch_size"].value = 64                # a fresh run: whole epochs
    for _ in range(2):
        demo.buttons["epoch"].click()
    assert "after 2 epochs (4,000 images)" in demo.readout.value
    assert "of the 2,000 images" not in demo.readout.value and demo.errors == []
