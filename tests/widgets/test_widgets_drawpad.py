"""Headless tests of notebook 13's drawing pad, `draw_a_digit` and `plot_digit_prediction`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import nnlib as nl
from nnlib.apps import pad_model
from nnlib.apps.pad_model import get_model
from nnlib.datasets import drawings
from nnlib.widgets import drawpad_widgets as drawpad
from nnlib.widgets.drawpad_widgets import EMPTY_MESSAGE, DrawPad


@pytest.fixture(scope="module")
def model():
    return get_model(path=None, subset="small")[0]


def _stroke_pixels(grid=56):
    """A "1" as the pad would send it: a vertical bar, 0..255 ints, flattened."""
    img = np.zeros((grid, grid), dtype=int)
    img[8:48, 30:34] = 255
    img[8:48, 29] = img[8:48, 34] = 120                       # anti-aliased edges
    return img.reshape(-1).tolist()


def test_factory_is_registered_and_needs_no_arguments():
    assert nl.widgets.FACTORIES["draw_a_digit"] is nl.widgets.draw_a_digit
    demo = nl.widgets.draw_a_digit()
    assert isinstance(demo, nl.widgets.Demo)
    _ = demo.widget
    assert demo.errors == [] and EMPTY_MESSAGE in demo.readout.value
    assert demo.last_png is None                              # nothing drawn: no figure yet


def test_drawing_classifies_and_clear_resets(model):
    demo = nl.widgets.draw_a_digit(model=model)
    _ = demo.widget
    demo.pad.pixels = _stroke_pixels()
    assert demo.errors == []
    assert "prediction" in demo.readout.value and demo.last_png is not None
    first = demo.last_png
    img = np.array(_stroke_pixels()).reshape(56, 56)
    img[8:12, 20:34] = 255                                    # a flag on top: now a "7"-ish shape
    demo.pad.pixels = img.reshape(-1).tolist()
    assert demo.last_png != first
    clears = demo.pad.clear
    for _ in range(3):
        demo.buttons["clear"].click()
    assert demo.pad.clear == clears + 3 and demo.pad.pixels == []
    assert EMPTY_MESSAGE in demo.readout.value and demo.last_png is None
    assert demo.errors == []


def test_random_test_digit_button_shows_a_labelled_prediction(model):
    demo = nl.widgets.draw_a_digit(model=model)
    _ = demo.widget
    pngs, correct = set(), 0
    for _ in range(6):
        demo.buttons["random"].click()
        assert demo.errors == []
        assert "true label" in demo.readout.value
        pngs.add(demo.last_png)
        correct += "✓" in demo.readout.value
    assert len(pngs) >= 5                                      # a different digit each time
    assert correct >= 4
    assert demo.pad.pixels == []                               # the pad was wiped for it


def test_odd_pad_messages_do_not_crash(model):
    demo = nl.widgets.draw_a_digit(model=model)
    _ = demo.widget
    for pixels in ([], [0] * 56 * 56, [255] * 10, [255] * 56 * 56, [0] * 3135 + [1],
                   [999] * 56 * 56, [-3] + [0] * 3135):
        demo.pad.pixels = pixels
        assert demo.errors == [], pixels[:3]
        assert "prediction" not in demo.readout.value and demo.last_png is None, pixels[:3]
    demo.pad.pixels = [0] * 56 * 56
    assert EMPTY_MESSAGE in demo.readout.value


def test_pad_refuses_bad_values_a_dot_and_a_full_pad(model):
    demo = nl.widgets.draw_a_digit(model=model)
    _ = demo.widget
    img = np.zeros((56, 56), dtype=int)
    img[20:25, 30:35] = 255                                   # one click of the brush
    cases = {"0..255": [999] * 3136, "3136 pixel values": [255] * 10,
             "too small": img.reshape(-1).tolist(), "too full": [255] * 3136}
    for message, pixels in cases.items():
        demo.pad.pixels = pixels
        assert message in demo.readout.value, (message, demo.readout.value)
        assert demo.last_png is None and demo.errors == []
    demo.pad.pixels = _stroke_pixels()                        # a real stroke is read again
    assert "prediction" in demo.readout.value and demo.last_png is not None


def test_pad_image_conversion():
    pad = DrawPad()
    assert pad.image() is None
    pad.pixels = _stroke_pixels()
    img = pad.image()
    assert img.shape == (56, 56) and img.max() == 1.0 and img.min() == 0.0
    assert pad.size == 280 and pad.clear == 0
    pad.wipe()
    assert pad.clear == 1 and pad.image() is None
    pad.pixels = [999] * 3136
    with pytest.raises(ValueError, match="0..255"):
        pad.image()


def test_get_model_prefers_the_saved_file(tmp_path, model):
    path = nl.save(model, tmp_path / "mnist_mlp.npz", test_acc=0.5)
    loaded, source = get_model(path)
    assert "loaded from" in source and "50.0%" in source
    x = np.linspace(0, 1, 784)
    np.testing.assert_allclose(pad_model.classify(loaded, x)[0], pad_model.classify(model, x)[0])
    demo = nl.widgets.draw_a_digit(path=path)
    assert "loaded from" in demo.source
    _, source = get_model(tmp_path / "missing.npz", subset="small")
    assert "trained now" in source


def test_pad_reads_with_the_best_saved_model_and_names_it(tmp_path, model):
    nl.save(model, tmp_path / "mnist_mlp.npz", test_acc=0.97)
    demo = nl.widgets.draw_a_digit(folder=tmp_path)
    html = demo.widget.children[0].value
    assert "MLP 784-" in html and "mnist_mlp.npz" in html and "97.0%" in html
    demo.pad.pixels = _stroke_pixels()
    assert "read by the MLP 784-" in demo.readout.value
    demo = nl.widgets.draw_a_digit(model=model)
    assert "passed in" in demo.source and demo.model_name.startswith("MLP")


def test_plot_digit_prediction_marks_prediction_and_label():
    probs = np.full(10, 0.02)
    probs[3] = 0.82
    raw = np.zeros((60, 60))
    raw[10:50, 28:32] = 1
    fig = nl.viz.plot_digit_prediction(raw, np.zeros(784), probs, [np.arange(16.0) - 4],
                                       label=5)
    assert len(fig.axes) == 4
    bars = fig.axes[2].patches
    assert bars[3].get_hatch() == "//" and bars[0].get_hatch() in (None, "")
    texts = " ".join(t.get_text() for t in fig.axes[2].texts)
    assert "82%" in texts and "5" in fig.axes[2].get_xlabel()
    assert "11 active" in fig.axes[3].get_title(loc="left")
    steps = drawings.preprocess_steps(raw)
    assert len(nl.viz.plot_preprocess_steps(steps).axes) == 4


JS = Path(drawpad.__file__).with_name("drawpad.js")


def test_js_is_an_esm_module_that_watches_clear():
    text = JS.read_text()
    assert "export default" in text and 'change:clear' in text and "pointerup" in text
    assert DrawPad._esm == JS or str(DrawPad._esm).strip() == text.strip()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_js_parses(tmp_path):
    mjs = tmp_path / "drawpad.mjs"
    mjs.write_text(JS.read_text())
    result = subprocess.run(["node", "--check", str(mjs)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_get_model_uses_train_mnist_and_falls_back_when_it_fails(monkeypatch, model):
    calls = []

    def fake_train(*, subset="full", progress=True, seed=0, **_):
        calls.append((subset, progress, seed))
        return model, None, 0.75

    monkeypatch.setattr(pad_model, "_TRAINED", {})
    monkeypatch.setattr(pad_model, "train_mnist", fake_train)
    got, source = get_model(None, subset="small", seed=3)
    assert got is model and calls == [("small", False, 3)] and "train_mnist" in source
    assert "75.0%" in source
    assert get_model(None, subset="small", seed=3)[0] is model and len(calls) == 1   # memoised

    def broken(**_):
        raise RuntimeError("no network")

    monkeypatch.setattr(pad_model, "train_mnist", broken)
    monkeypatch.setattr(pad_model, "_train_small", lambda seed=0: nl.mlp([784, 128, 10], rng=seed))
    got, source = get_model(None, subset="full", seed=0)
    assert "small MNIST subset" in source and "no network" in source
    assert got.layers[0].W.shape == (784, 128)


def test_plot_pixels_writes_every_value_and_marks_the_center_of_mass():
    tiny = np.arange(12.0).reshape(3, 4) / 11
    fig = nl.viz.plot_pixels([tiny, tiny[:1, :2]], ["a", "b"], block=(1, 2),
                             mark_center_of_mass=True)
    ax0, ax1 = fig.axes
    assert len([t for t in ax0.texts if not t.get_text().startswith("centre")]) == 12
    assert any("centre of mass" in t.get_text() for t in ax0.texts)
    assert len(ax0.lines) == 2 + 1 + 1                      # 2 row + 1 column block lines, one +
    assert len(ax1.lines) == 1


def test_answer_says_not_sure_below_the_threshold():
    from nnlib.apps.pad_model import NOT_SURE_BELOW, answer
    p = np.full(10, 0.46 / 9)
    p[8] = 0.54
    assert answer(p, 0.9) == (None, "not sure (top guess 8, 54%)")
    assert answer(p, 0.5) == (8, "8 (54%)") and answer(p, 0.0)[0] == 8
    assert answer(np.eye(10)[3]) == (3, "3 (100%)") and 0.5 < NOT_SURE_BELOW < 1
    for bad in (1.5, -0.1, "0.9", True, np.nan):
        with pytest.raises(ValueError, match="threshold"):
            answer(p, bad)
    with pytest.raises(ValueError, match="10 finite"):
        answer(p[:9])


def test_pad_threshold_slider_turns_an_answer_into_not_sure(model):
    """13: the pad's line says "not sure (top guess d, p%)" when the top probability is below
    the slider, and the figure's title and dashed line follow the slider."""
    demo = nl.widgets.draw_a_digit(model=model)
    _ = demo.widget
    slider = demo.controls["threshold"]
    assert slider.value == pad_model.NOT_SURE_BELOW and slider.description == "not sure below"
    demo.pad.pixels = _stroke_pixels()
    probs = pad_model.classify(model, drawings.preprocess_digit(demo.pad.image()))[0]
    top = int(probs.argmax())
    slider.value = 1.0
    assert f"not sure (top guess {top}, {probs[top]:.0%})" in demo.readout.value
    assert "prediction" not in demo.readout.value and demo.last_png is not None
    slider.value = 0.0
    assert f"prediction: <b>{top}</b>" in demo.readout.value
    assert demo.errors == []
    with pytest.raises(ValueError, match="threshold"):
        nl.widgets.draw_a_digit(model=model, threshold=2)


def test_pad_sends_a_56_grid_and_random_digits_come_the_same_way(model):
    """13: the pad is 280 px wide and sends 56x56 cells of 5x5 px; the figure says so, for a
    drawing and for a random test digit alike."""
    demo = nl.widgets.draw_a_digit(model=model)
    _ = demo.widget
    assert (demo.pad.size, demo.pad.grid) == (280, 56) and demo.pad.size // demo.pad.grid == 5
    demo.buttons["random"].click()
    assert demo.raw.shape == (56, 56) and demo.errors == []
    fig = demo.draw(threshold=0.9)
    assert fig.axes[0].get_title() == "the pad: 56×56 cells\n(each 5×5 px)"


def test_drawn_shapes_and_the_pad_grid():
    canvas = drawings.draw_strokes([[(100, 40), (100, 240)]], width=22)
    assert canvas[:, 140].sum() == pytest.approx(22)          # the pen is 22 px wide
    assert drawings.draw_strokes([[(50, 50)]]).sum() > 300     # a single point is a dot
    grid = drawings.on_pad_grid(canvas)
    assert grid.shape == (56, 56)
    np.testing.assert_allclose(grid, canvas.reshape(56, 5, 56, 5).mean(axis=(1, 3)), atol=0.5 / 255)
    assert np.allclose(grid * 255, np.round(grid * 255))        # in steps of 1/255, like 0..255
    for name, strokes in drawings.SHAPES.items():
        pts = np.concatenate([np.asarray(st) for st in strokes])
        extent = (pts.max(axis=0) - pts.min(axis=0)).max()           # of the unit box
        for height in (55, 200):
            img = drawings.shape_on_canvas(name, height)
            r0, r1, c0, c1 = drawings.ink_bbox(img)
            want = extent * height + 22                                # plus the pen
            assert max(r1 - r0, c1 - c0) == pytest.approx(want, abs=2), (name, height)
    with pytest.raises(ValueError, match="unknown shape"):
        drawings.shape_on_canvas("Z")


def test_plot_readings_marks_each_answer():
    P = np.full((3, 10), 0.01)
    P[0, 4], P[1, 7], P[2, 0] = 0.91, 0.91, 0.5
    X = np.zeros((3, 784))
    fig = nl.viz.plot_readings(X, P, ["A", "dash", "smiley"], threshold=0.9)
    assert len(fig.axes) == 6
    assert [ax.get_xlabel() for ax in fig.axes[3:]] == ["read as 4", "read as 7", "not sure (0?)"]
    assert fig.axes[3].patches[4].get_hatch() == "//" and fig.axes[5].patches[0].get_hatch() in (None, "")
    assert [ax.get_title() for ax in fig.axes[:3]] == ["A", "dash", "smiley"]
