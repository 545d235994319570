"""`Demo`: the common shape of every live control in the series.

A Demo owns named controls (`self.controls`, sliders and dropdowns; `self.buttons`), an
`Output` where its figure is drawn, and a status line. Changing a control calls `draw`, and
whatever goes wrong in a callback is shown in the status line (and kept in `self.errors`),
never swallowed and never left to kill the kernel. Tests drive the same controls headless.
"""

from __future__ import annotations

import io
import traceback

import ipywidgets as widgets
import numpy as np
from IPython.display import Image, display
from matplotlib.figure import Figure

from ..viz.style import WARNING


def figure_to_png(fig: Figure) -> bytes:
    """Render a matplotlib Figure to PNG bytes (works with any backend, inline or Agg)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


class Demo:
    """Base class: subclasses add controls in `__init__` and implement `draw(**values)`.

    `draw` receives the current value of every control by name and returns a Figure (shown
    in the figure area) or None. `readout` (an HTML line) is for numbers the demo reports.
    Display the Demo itself (`display(demo)` or as the last expression of a cell).
    """

    def __init__(self, title: str = ""):
        self.title = title
        self.controls: dict[str, widgets.ValueWidget] = {}
        self.buttons: dict[str, widgets.Button] = {}
        self.out = widgets.Output(layout=widgets.Layout(min_height="120px"))
        self.readout = widgets.HTML()
        self.status = widgets.HTML()
        self.errors: list[str] = []
        self.n_draws = 0
        self.last_png: bytes | None = None
        self._widget = None

    # -- building ------------------------------------------------------------------------
    def add_control(self, name: str, control: widgets.ValueWidget) -> widgets.ValueWidget:
        """Register a control; changing its value redraws the demo."""
        self.controls[name] = control
        if getattr(control, "description", "") and "description_width" in control.style.keys:
            if not control.style.description_width:
                control.style.description_width = "initial"       # show the whole label
        control.observe(lambda change: self.refresh(), names="value")
        return control

    def add_button(self, name: str, button: widgets.Button, handler) -> widgets.Button:
        """Register a button whose `handler()` runs safely (errors shown, not raised)."""
        self.buttons[name] = button
        if not button.layout.width:
            button.layout.width = "auto"                           # never cut the label
        button.on_click(lambda _b: self.run_safely(handler))
        return button

    def layout(self) -> widgets.Widget:
        """Arrange the controls and the figure; override for a custom arrangement."""
        rows = [widgets.HTML(f"<b>{self.title}</b>")] if self.title else []
        controls = list(self.controls.values()) + list(self.buttons.values())
        rows.append(widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap")))
        rows += [self.readout, self.out, self.status]
        return widgets.VBox(rows)

    @property
    def widget(self) -> widgets.Widget:
        if self._widget is None:
            self._widget = self.layout()
            self.refresh()
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- running -------------------------------------------------------------------------
    def values(self) -> dict:
        return {name: c.value for name, c in self.controls.items()}

    def draw(self, **values):  # pragma: no cover - subclasses implement it
        raise NotImplementedError

    def show(self, fig: Figure | None) -> None:
        """Put `fig` into the figure area, replacing what was there (no flicker)."""
        if fig is None:
            return
        self.last_png = figure_to_png(fig)
        with self.out:
            self.out.clear_output(wait=True)
            display(Image(data=self.last_png, format="png"))

    def refresh(self) -> None:
        """Redraw from the current control values."""
        self.run_safely(lambda: self.show(self.draw(**self.values())))
        self.n_draws += 1

    def run_safely(self, fn):
        """Call fn(); on an exception show it in the status line instead of raising."""
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - shown to the learner, kept for tests
            msg = f"{type(exc).__name__}: {exc}"
            self.errors.append(msg + "\n" + traceback.format_exc())
            self.status.value = warning_html("Something went wrong:", _escape(msg))
            return None
        if self.status.value and self.status.value.startswith(_WARNING_START):
            self.status.value = ""
        return result


class SteppedDemo(Demo):
    """A Demo that redraws the first `steps` steps of a run: step buttons add, reset clears.

    Replaying from the start (rather than keeping state between clicks) keeps every picture
    reproducible from the controls alone; `MAX_STEPS` bounds the work of one redraw.
    """

    MAX_STEPS = 500
    steps = 0

    def _advance(self, n: int) -> None:
        self.steps = min(self.steps + n, self.MAX_STEPS)
        self.refresh()

    def _reset(self) -> None:
        self.steps = 0
        self.refresh()


class TrainerDemo(Demo):
    """A Demo that trains a network on button clicks, with "learning rate" and "batch size".

    The shared rules of the trainer widgets (`training_explorer`, `mnist_trainer`): changing
    the learning rate or the batch size starts a fresh network with the same seed (so settings
    are compared from the same start); a diverged run is explained in `message` and the next
    click starts over. Subclasses add the two controls "lr" and "batch_size", keep their
    training set in `self.X`, and implement `new_run()` (a fresh model and an empty record) and
    `has_steps()` (whether the current run has trained at all).
    """

    START_HINT = "press <b>Train 1 epoch</b>"
    _settings = None
    diverged = False

    def new_run(self) -> None:  # pragma: no cover - subclasses implement it
        raise NotImplementedError

    def has_steps(self) -> bool:  # pragma: no cover - subclasses implement it
        raise NotImplementedError

    def settings(self) -> tuple:
        return (self.controls["lr"].value, self.controls["batch_size"].value)

    def batch_size(self) -> int:
        bs = self.controls["batch_size"].value
        return len(self.X) if bs == "full" else int(bs)

    def start(self) -> None:
        """A fresh network (same seed) and empty curves."""
        self.new_run()
        self.diverged = False
        self.message = f"fresh network: {self.START_HINT}"
        self._settings = self.settings()

    def prepare(self) -> None:
        """Before training: start over after a divergence or a change of settings."""
        if self.diverged or self._settings != self.settings():
            self.start()

    def mark_diverged(self, exc: Exception, advice: str) -> None:
        """Stop this run and say why; the next click starts a fresh network."""
        self.diverged = True
        self.message = warning_html("Diverged:", f"{exc}. {advice} (the next click starts a "
                                                 "fresh network).")

    def refresh(self) -> None:
        if self._settings is not None and self._settings != self.settings() and self.has_steps():
            self.start()
            self.message = f"settings changed: fresh network (same seed) — {self.START_HINT}"
        super().refresh()


_WARNING_START = f"<span style='color:{WARNING}'>"


def warning_html(bold: str, rest: str = "") -> str:
    """An HTML line in the warning colour: `bold` in bold, then `rest` (already escaped)."""
    return f"{_WARNING_START}<b>{bold}</b>{' ' + rest if rest else ''}</span>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plural(n: int) -> str:
    """"s" unless n is 1: f"{n} step{plural(n)}" reads "1 step", "2 steps"."""
    return "" if n == 1 else "s"


class PicksAWeight:
    """A dropdown of a model's weights and a `value` control that shows the chosen one.

    For widgets that let the learner edit a single weight (notebooks 05, 06): the host sets
    `self.keys` (from `nl.probes.list_weights`), `self.weight_limit` (the control's range) and
    implements `_linear(k)`, the model's k-th `Linear` layer. Picking a weight shows its value
    without writing it (`_syncing` is True meanwhile, for the host's value observer).
    """

    _syncing = False

    def _param(self, index):
        key = self.keys[index][1]
        lin = self._linear(key[1])
        return (lin.W.data, key[2:]) if key[0] == "W" else (lin.b.data, key[2:])

    def _get(self, index) -> float:
        arr, where = self._param(index)
        return float(arr[where])

    def _on_pick(self, index):
        self._syncing = True                      # showing a value must not write a weight
        try:
            self.controls["value"].value = float(np.clip(self._get(index), -self.weight_limit,
                                                         self.weight_limit))
        finally:
            self._syncing = False
