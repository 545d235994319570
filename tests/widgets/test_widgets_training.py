"""Headless tests of notebook 08's loss-curve figures, `TrainingDashboard` and `training_explorer`."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.widgets import training_widgets as wt
from nnlib.widgets.training_widgets import TrainingDashboard


def _run(callbacks=(), epochs=3, val=True, batch_size=16):
    X, y = nl.make_moons(120, rng=0)
    net = nl.mlp([2, 8, 2], rng=0)
    return nl.fit(net, nl.SoftmaxCrossEntropy(), nl.SGD(net.parameters(), lr=0.3),
                  nl.DataLoader(X, y, batch_size=batch_size, rng=0), epochs=epochs,
                  val=(X, y) if val else None, callbacks=callbacks, progress=False)


def test_smooth_is_an_unbiased_moving_average():
    assert np.allclose(nl.metrics.smooth([2.0] * 10, 0.9), 2.0)       # no pull towards 0
    s = nl.metrics.smooth([0.0, 10.0, np.nan, 10.0], 0.5)
    assert s[0] == 0.0 and 0 < s[1] < 10 and s[2] == s[1] and np.isfinite(s).all()
    with pytest.raises(ValueError, match="beta"):
        nl.metrics.smooth([1.0], 1.0)


def test_plot_training_panels_follow_what_was_recorded():
    with_val = nl.viz.plot_training(_run())
    assert len(with_val.axes) == 2 and "val_acc" in with_val.axes[1].get_title()
    assert len(nl.viz.plot_training(_run(val=False)).axes) == 1
    empty = nl.viz.plot_training(nl.History())
    assert "no steps yet" in empty.axes[0].texts[0].get_text()


def test_plot_batch_sizes_puts_every_run_on_an_epoch_axis():
    runs = {"batch 4": _run(batch_size=4, epochs=2), "full": _run(batch_size=120, epochs=2)}
    ax = nl.viz.plot_batch_sizes(runs).axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(runs)
    xs = [line.get_xdata() for line in ax.lines]
    assert all(np.isclose(np.max(x), 2.0) for x in xs)              # both end at epoch 2


def test_dashboard_records_every_step_and_throttles_redraws():
    dash = TrainingDashboard(update_every=5, min_interval=0.0, final_output=False)
    h = _run([dash], epochs=2)
    assert dash.history.step_loss == pytest.approx(h.step_loss)
    assert [e["end_step"] for e in dash.history.epochs] == [8, 16]
    assert 3 <= dash.n_redraws <= 16 // 5 + 2
    slow = TrainingDashboard(update_every=1, min_interval=60.0, final_output=False)
    _run([slow], epochs=2)
    assert slow.n_redraws == 1                                        # first frame only
    assert slow.figure().axes and slow.draw_seconds > 0


def test_dashboard_shows_final_figure_as_a_normal_output(monkeypatch):
    shown = []
    monkeypatch.setattr(wt, "display", lambda obj: shown.append(obj))
    dash = TrainingDashboard(update_every=1000)
    _run([dash], epochs=1)
    assert dash.last_png.startswith(b"\x89PNG") and shown              # inside Output and outside
    assert shown[-1].data == dash.last_png


def test_dashboard_continues_across_fit_calls_until_reset():
    dash = TrainingDashboard(final_output=False)
    _run([dash], epochs=1)
    _run([dash], epochs=1)
    assert len(dash.history.epochs) == 2
    dash.reset()
    assert dash.history.step_loss == [] and wt.__all__ == ["training_explorer"]
    with pytest.raises(ValueError):
        TrainingDashboard(update_every=0)


def test_explorer_trains_and_reports_steps_per_epoch_at_both_extremes():
    demo = nl.widgets.training_explorer()
    assert demo.widget is not None and "TrainingDashboard" not in nl.widgets.FACTORIES
    for bs, steps in ((1, 200), ("full", 1)):
        demo.controls["batch_size"].value = bs
        png = demo.last_png
        demo.buttons["epoch"].click()
        assert f"{steps} step{'' if steps == 1 else 's'} per epoch" in demo.readout.value
        assert len(demo.dash.history.step_loss) == steps and demo.last_png != png
    demo.buttons["five"].click()
    assert len(demo.dash.history.epochs) == 6 and "ms per epoch" in demo.readout.value
    assert demo.errors == []


def test_explorer_learns_and_resets_when_settings_change():
    demo = nl.widgets.training_explorer()
    assert demo.widget is not None
    demo.controls["lr"].value = 0.5
    demo.buttons["five"].click()
    demo.buttons["five"].click()
    assert demo.accuracy() > 0.85
    demo.controls["lr"].value = 0.01
    assert demo.dash.history.step_loss == [] and "fresh network" in demo.readout.value
    demo.buttons["reset"].click()
    assert demo.errors == []


def test_explorer_explains_divergence(monkeypatch):
    demo = nl.widgets.training_explorer()
    assert demo.widget is not None

    def boom(*args, **kwargs):
        raise nl.TrainingDiverged("fit: the loss became nan at step 3")
    monkeypatch.setattr(wt, "fit", boom)
    demo.buttons["epoch"].click()
    assert "Diverged" in demo.readout.value and "lower it" in demo.readout.value
    assert demo.errors == []
    monkeypatch.undo()
    demo.buttons["epoch"].click()                                     # starts over
    assert len(demo.dash.history.epochs) == 1 and "Diverged" not in demo.readout.value


def test_explorer_huge_learning_rate_is_explained_not_nan():
    demo = nl.widgets.training_explorer(data="spiral")
    assert demo.widget is not None
    lr = demo.controls["lr"]
    lr.value = lr.base ** lr.max
    demo.controls["batch_size"].value = 1
    demo.buttons["five"].click()
    text = demo.readout.value.lower()
    assert ("nan" not in text) or "diverg" in text
    assert "too large" in text and demo.errors == []


@pytest.mark.parametrize("batch_size", [16, 1])
def test_explorer_run_does_not_depend_on_how_you_click(batch_size):
    """Notebook 08 Try it: five clicks on Train 1 epoch end where one click on Train 5 epochs does."""
    curves = {}
    for button, clicks in (("five", 1), ("epoch", 5)):
        demo = nl.widgets.training_explorer()
        _ = demo.widget
        demo.controls["lr"].value, demo.controls["batch_size"].value = 0.3, batch_size
        for _ in range(clicks):
            demo.buttons[button].click()
        curves[button] = ([e["val_loss"] for e in demo.dash.history.epochs],
                          list(demo.dash.history.step_loss))
        assert demo.errors == []
    assert curves["five"] == curves["epoch"], (f"batch {batch_size}: one click on Train 5 epochs gave "
                                               f"{curves['five'][0]}, five on Train 1 epoch {curves['epoch'][0]}")
    demo.buttons["reset"].click()
    demo.buttons["five"].click()                                     # reset: the same run again
    assert [e["val_loss"] for e in demo.dash.history.epochs] == curves["five"][0]
