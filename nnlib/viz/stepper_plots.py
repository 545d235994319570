"""One forward and backward pass drawn on the network, one step at a time (notebooks 01, 05, 06).

`plot_pass(steps_or_model, k)` draws the network at step k of `nl.probes.pass_steps`: circles
for the units in columns, arrows for the weights (colour *and* dash give the sign, width the
size), the numbers of every step done so far (z above a inside each neuron, gradients in
dashed vermillion boxes beside neurons and edges), the current step highlighted in yellow with
its arithmetic in a boxed formula beside it, and nothing yet for the steps to come. The
backward phase reads right to left: its arrows (dashed vermillion) point from the output back
towards the inputs.

Labels never collide (with the placement of `labels.py`, shared by every network figure): every
label's size is measured with the renderer, then it is put at the first free place among
candidates (along its edge and off the crossings, around its node), the most constrained label
first; numbers inside a neuron shrink (and turn to short scientific notation) until they fit
inside its circle.

`PassFigure` is the same picture built once and stepped in place (`set_step(k)`), for the
widget `nl.widgets.pass_stepper`; `plot_pass_filmstrip` is the static twin (small multiples of
the key steps) and `plot_layer_matrix` shows one layer's forward pass as the matrix product
x·W + b with the same numbers.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from ..course.pass_steps import PassSteps, format_number, pass_steps
from .labels import (
    Placer,
    Space,
    along_edge,
    around_node,
    fit_in_circle,
    rects_at,
    short_number,
    text_size,
    text_width,
)
from .live import LiveFigure, agg_canvas
from .style import (
    EDGE,
    FILL,
    INK,
    NEUTRAL,
    TEXT,
    TEXT_SOFT,
    WARNING,
    WHITE,
    YELLOW,
    figure,
    sign_color,
    sign_style,
)

__all__ = ["plot_pass", "plot_pass_filmstrip", "plot_layer_matrix", "PassFigure"]

PX = 58.0                # pixels per data unit at scale 1 (100 dpi)
R = 0.5                  # node radius, data units
FONT = {"inner": 7.5, "weight": 7.0, "grad": 7.0, "bias": 7.0, "name": 8.0, "header": 8.0,
        "loss": 8.0, "formula": 8.5, "title": 9.0}
MIN_INNER_FONT = 4.5
CIRCLE_MARGIN = 3.0      # pixels kept free around a neuron (its yellow ring when highlighted)
RING = 4.0               # width of the yellow ring, pixels
ACT_SYMBOL = {"Sigmoid": "σ", "Tanh": "tanh", "ReLU": "ReLU", "LeakyReLU": "leaky ReLU",
              "Identity": "identity"}
LOSS_NAME = {"mse": "mean squared error", "cross_entropy": "softmax cross-entropy",
             "bce": "binary cross-entropy"}


def _steps_of(steps_or_model, x, y, loss_fn, name: str) -> PassSteps:
    if isinstance(steps_or_model, PassSteps):
        return steps_or_model
    if x is None:
        raise ValueError(f"{name}: give the steps of `nl.probes.pass_steps`, or a model and x "
                         "(and y, loss_fn for the backward pass)")
    return pass_steps(steps_or_model, x, y, loss_fn)


class _PlacementFailed(Exception):
    """No free place for a label at this spread: the caller spreads the network out."""


# -- the drawing ----------------------------------------------------------------------------------
class _PassDrawing:
    """Every artist of the pass picture in one Axes, placed without collisions; `show(k)` steps.

    The Axes must map data units to pixels equally in x and y (`_geometry` sizes it so). What
    each step adds is in `step_artists[k]` (its numbers) and `step_arrows[k]` (the backward
    arrows of the gradient it computes); `show(k)` makes the picture of step k.
    """

    def __init__(self, ax, steps: PassSteps, geo: dict, *, formula: bool = True,
                 caption: str | None = None, force: bool = False):
        self.ax, self.steps, self.geo = ax, steps, geo
        self.force = force                  # no free place: take the preferred one anyway
        self.fig = ax.figure
        self.formula_on = formula
        self.caption = caption
        self.canvas = agg_canvas(self.fig)
        self.renderer = self.canvas.get_renderer()
        self.scale = geo["scale"]
        ax.set_xlim(geo["xlim"])
        ax.set_ylim(geo["ylim"])
        ax.axis("off")
        self.step_artists: list[list] = [[] for _ in steps]   # the numbers step k writes
        self.step_arrows: list[list] = [[] for _ in steps]    # the arrows step k follows
        self.step_marks: list[list] = [[] for _ in steps]     # what step k highlights
        self.static_labels: list = []                         # boxed labels always shown
        self.dynamic_labels: list = []                        # boxed labels of the steps
        self.label_step: dict = {}
        self.inner_labels: list = []                          # (text, neuron) inside circles
        self._build()

    # pixels <-> data
    def px(self, xy) -> np.ndarray:
        return self.ax.transData.transform(np.atleast_2d(xy))

    def data(self, pxy) -> np.ndarray:
        return self.ax.transData.inverted().transform(np.atleast_2d(pxy))

    def fs(self, kind: str) -> float:
        return FONT[kind] * self.scale

    def size(self, text) -> tuple[float, float]:
        """Width and height in pixels of a text *with* its box (pad and rim) and a margin."""
        return text_size(text, self.renderer, 1.5)

    def _text(self, s, kind, color=INK, box=None, **kw):
        kw.setdefault("zorder", 6)
        kw.setdefault("ha", "center")
        kw.setdefault("va", "center")
        t = self.ax.text(0, 0, s, fontsize=self.fs(kind), color=color, **kw)
        if box is not None:
            t.set_bbox(box)
        return t

    # -- build ----------------------------------------------------------------------------------
    def _build(self):
        st, geo, ax = self.steps, self.geo, self.ax
        sizes, pos = st.sizes, geo["pos"]
        x0, y0 = self.px((geo["xlim"][0], geo["ylim"][0]))[0]
        x1, y1 = self.px((geo["xlim"][1], geo["ylim"][1]))[0]
        band = geo["band"] * PX * self.scale
        self.space = Space((x0 + 2, y0 + 2 + band, x1 - 2, y1 - 2), CIRCLE_MARGIN)
        self.full_bounds = (x0 + 2, y0 + 2, x1 - 2, y1 - 2)
        title_h = 1.5 * self.fs("title") * self.fig.dpi / 72.0
        self.space.add_rect([x0, y1 - title_h - 4, x1, y1])          # the title line
        self.r_px = R * PX * self.scale
        self.node_px, self.circles = {}, {}
        for c, n in enumerate(sizes):
            for i in range(n):
                cx, cy = pos[c][i]
                circ = Circle((cx, cy), R, fc=FILL["input"] if c == 0 else WHITE, ec=INK, lw=1.2,
                              zorder=4)
                ax.add_patch(circ)
                self.circles[(c, i)] = circ
                p = self.px((cx, cy))[0]
                self.node_px[(c, i)] = p
                self.space.add_circle(p[0], p[1], self.r_px)
                if c > 0 and st.activations[c - 1] is not None:     # z above the line, a below
                    ax.add_line(Line2D([cx - R, cx + R], [cy, cy], color=NEUTRAL, lw=0.6,
                                       zorder=4.5))
        if st.loss is not None:
            self._loss_box()
        self._headers()
        self._edges()
        self._inner_labels()
        self._static_labels()
        self._step_labels()
        self._arrows()
        self._title = self._text("", "title", color=INK, ha="left", va="top", zorder=12)
        self._title.set_position(self.data((x0 + 6, y1 - 4))[0])
        self._formula = self._text("", "formula", color=INK, zorder=11,
                                   box=dict(boxstyle="round,pad=0.35", fc=FILL["note"], ec=INK,
                                            lw=0.9))
        self._connector = Line2D([], [], color=INK, lw=0.8, zorder=10, ls=(0, (2, 1.5)))
        ax.add_line(self._connector)
        self._formula_place: dict[int, tuple] = {}
        self._make_rings()
        self._find_crossings()

    def _loss_box(self):
        geo = self.geo
        (lx, ly), w, h = geo["loss_xy"], geo["loss_w"], geo["loss_h"]
        self.loss_patch = FancyBboxPatch((lx - w / 2, ly - h / 2), w, h,
                                         boxstyle="round,pad=0.02,rounding_size=0.15", fc=WHITE,
                                         ec=INK, lw=1.2, zorder=4)
        self.ax.add_patch(self.loss_patch)
        p0, p1 = self.px([(lx - w / 2, ly - h / 2), (lx + w / 2, ly + h / 2)])
        m = CIRCLE_MARGIN
        self.loss_rect = [p0[0] - m, p0[1] - m, p1[0] + m, p1[1] + m]
        self.space.add_rect(self.loss_rect)
        lines = geo["loss_lines"]
        self.loss_lines = [self._text(lines[0], "loss", color=TEXT),
                           self._text(lines[1], "loss"),
                           self._text(lines[2], "loss", color=INK, weight="bold")]
        for k, t in enumerate(self.loss_lines):
            t.set_position((lx, ly + h * (0.27 - 0.27 * k)))
        self.loss_center = (lx, ly)

    def _headers(self):
        st, geo = self.steps, self.geo
        sizes = st.sizes
        for c in range(len(sizes)):
            x = geo["pos"][c][0][0]
            if c == 0:
                text = "input x"
            else:
                act = st.activations[c - 1]
                name = "output" if c == len(sizes) - 1 else f"layer {c}"
                text = f"{name}: z above,\na = {ACT_SYMBOL[act]}(z) below" if act else f"{name}: z"
            t = self._text(text, "header", color=TEXT, va="bottom", linespacing=1.1)
            t.set_position((x, geo["header_y"]))
            w, h = self.size(t)
            p = self.px(t.get_position())[0]
            self.space.add_rect([p[0] - w / 2, p[1], p[0] + w / 2, p[1] + h])

    def _edges(self):
        """The weights as arrows from each unit to the next layer's (sign: colour and dash)."""
        st, pos = self.steps, self.geo["pos"]
        wmax = max(float(np.max(np.abs(W))) for W in st.weights) or 1.0
        self.edge_geom = {}
        for l in range(1, len(st.sizes)):
            W = st.weights[l - 1]
            for i in range(st.sizes[l - 1]):
                for j in range(st.sizes[l]):
                    a, b = np.array(pos[l - 1][i]), np.array(pos[l][j])
                    u = (b - a) / np.hypot(*(b - a))
                    start, end = a + R * u, b - R * u
                    self.edge_geom[(l, i, j)] = (start, end, u)
                    w = W[i, j]
                    color, ls = (NEUTRAL, ":") if w == 0 else sign_style(w)
                    lw = 0.6 + 2.4 * min(abs(w) / wmax, 1.0) if np.isfinite(w) else 0.6
                    self.ax.add_patch(FancyArrowPatch(tuple(start), tuple(end), arrowstyle="-|>",
                                                      mutation_scale=8, color=color, lw=lw,
                                                      linestyle=ls, zorder=2, shrinkA=0,
                                                      shrinkB=0))
        if st.loss is not None:
            lx, ly = self.geo["loss_xy"]
            for j in range(st.sizes[-1]):
                cx, cy = pos[-1][j]
                self.ax.add_patch(FancyArrowPatch((cx + R, cy), (lx - self.geo["loss_w"] / 2, ly),
                                                  arrowstyle="-|>", mutation_scale=8, color=EDGE,
                                                  lw=0.8, zorder=2, shrinkA=0, shrinkB=2))

    # inside the neurons
    def _inner_labels(self):
        st = self.steps
        self.inner = {}
        for c, n in enumerate(st.sizes):
            for i in range(n):
                if c == 0:
                    vals = [st.x[i]]
                elif st.activations[c - 1] is not None:
                    vals = [st.z[c - 1][i], st.a[c - 1][i]]
                else:
                    vals = [st.z[c - 1][i]]
                texts = [self._text(format_number(v), "inner", color=_value_color(v), zorder=7)
                         for v in vals]
                self._fit_inside(texts, vals, self.node_px[(c, i)])
                self.inner[(c, i)] = texts
                self.inner_labels += [(t, (c, i)) for t in texts]

    def _fit_inside(self, texts, vals, center):
        """Shrink (then shorten) the numbers until they sit inside the circle, one above the other."""
        variants = [[format_number(v) for v in vals], [short_number(v) for v in vals]]
        if fit_in_circle(texts, center, self.r_px - 2.5, self.renderer, size=self.fs("inner"),
                         min_size=MIN_INNER_FONT * self.scale, variants=variants, to_data=self.data):
            return
        if not self.force:
            raise _PlacementFailed("a number does not fit inside its neuron")
        fit_in_circle(texts, center, self.r_px - 2.5, self.renderer, size=self.fs("inner"),
                      min_size=1.0, variants=variants[1:], to_data=self.data)

    # labels that are there from the start: input names, biases, weights
    def _static_labels(self):
        st = self.steps
        self.placer = Placer(self.space, self.data, self.renderer)
        self._node_keys = list(self.node_px)
        self._edge_px = {key: self.px([a, b]) for key, (a, b, _u) in self.edge_geom.items()}
        for i in range(st.sizes[0]):
            t = self._text(f"x{_sub(i + 1)}", "name", color=TEXT)
            w, h = self.size(t)
            p = self.node_px[(0, i)]
            gap = self.r_px + CIRCLE_MARGIN + 1 + w / 2
            self.placer.add([t], [[p[0] - gap - d, p[1]] for d in range(0, 40, 4)], margin=1.5)
        for l in range(1, len(st.sizes)):
            W, b = st.weights[l - 1], st.biases[l - 1]
            for j in range(st.sizes[l]):
                t = self._text(f"b {format_number(b[j])}", "bias", color=_value_color(b[j]),
                               box=dict(boxstyle="round,pad=0.15", fc=WHITE, ec=EDGE, lw=0.6))
                self._queue_near_node([t], (l, j), prefer=-90)
                self.static_labels.append(t)
            for i in range(st.sizes[l - 1]):
                for j in range(st.sizes[l]):
                    t = self._text(format_number(W[i, j]), "weight", color=_value_color(W[i, j]),
                                   zorder=5, box=dict(boxstyle="round,pad=0.12", fc=WHITE,
                                                      ec="none"))
                    self._queue_on_edge(t, (l, i, j), prefer=0.3)
                    self.static_labels.append(t)

    # numbers that the steps write
    def _step_labels(self):
        st = self.steps
        box = dict(boxstyle="round,pad=0.15", fc=WHITE, ec=WARNING, lw=0.8, ls="--")
        grads: dict = {}                                   # neuron -> [(step, text)]
        for k, s in enumerate(st):
            if s.phase == "forward":
                texts = self.inner[(s.layer, s.unit)]
                self.step_artists[k].append(texts[0] if s.kind == "z" else texts[-1])
                self.step_marks[k].append((s.layer, s.unit))
            elif s.phase == "loss":
                self.step_artists[k].append(self.loss_lines[2])
                self.step_marks[k].append("loss")
            elif s.kind == "dL/dW":                        # on its edge, placed first (below)
                continue
            else:
                name = {"dL/da": "∂a", "dL/dz": "∂z", "dL/db": "∂b"}[s.kind]
                t = self._text(f"{name} {format_number(s.value)}", "grad",
                               color=_value_color(s.value), box=dict(box))
                grads.setdefault((s.layer, s.unit), []).append((k, t))
                self.step_artists[k].append(t)
                self.step_marks[k] += [(s.layer, s.unit), t]
                self.label_step[t] = k
                self.dynamic_labels.append(t)
        for k, s in enumerate(st):                         # ∂w: only along its edge
            if s.kind == "dL/dW":
                i, j = s.edge
                t = self._text(f"∂w {format_number(s.value)}", "grad", color=_value_color(s.value),
                               zorder=5, box=dict(box))
                self._queue_on_edge(t, (s.layer, i, j), prefer=0.7)
                self.step_artists[k].append(t)
                self.step_marks[k] += [(s.layer - 1, i), (s.layer, j), t]
                self.label_step[t] = k
                self.dynamic_labels.append(t)
        for node, items in grads.items():                  # a neuron's ∂a, ∂z, ∂b together
            self._queue_near_node([t for _, t in items], node, prefer=-60)
        self._place_all()

    def _arrows(self):
        """The backward arrows (dashed vermillion, pointing towards the inputs) of each step."""
        st, pos, geo = self.steps, self.geo["pos"], self.geo
        n = len(st.sizes) - 1
        style = dict(arrowstyle="-|>", mutation_scale=9, color=WARNING, lw=1.3,
                     linestyle=(0, (3, 2)), zorder=3, shrinkA=0, shrinkB=0)
        self.edge_arrows, self.loss_arrows, self.arrow_ends = {}, {}, {}
        for (l, i, j), (start, end, u) in self.edge_geom.items():
            off = np.array([-u[1], u[0]]) * 0.11
            arrow = FancyArrowPatch(tuple(end + off), tuple(start + off), **style)
            self.arrow_ends[arrow] = (end + off, start + off)
            self.ax.add_patch(arrow)
            self.edge_arrows[(l, i, j)] = arrow
        if st.loss is not None:
            lx, ly = geo["loss_xy"]
            for j in range(st.sizes[-1]):
                cx, cy = pos[-1][j]
                a, b = np.array([lx - geo["loss_w"] / 2 - 0.04, ly]), np.array([cx + R, cy])
                u = (b - a) / np.hypot(*(b - a))
                off = np.array([-u[1], u[0]]) * 0.11
                arrow = FancyArrowPatch(tuple(a + off), tuple(b + off), **style)
                self.arrow_ends[arrow] = (a + off, b + off)
                self.ax.add_patch(arrow)
                self.loss_arrows[j] = arrow
        first = set()
        for k, s in enumerate(st):
            if s.phase != "backward":
                continue
            arrows = []
            if s.layer == n and (s.layer, s.unit) not in first:     # ∂L/∂output, from the loss
                arrows = [self.loss_arrows[s.unit]]
            elif s.layer < n and s.kind in ("dL/da", "dL/dz") and (s.layer, s.unit) not in first:
                arrows = [self.edge_arrows[(s.layer + 1, s.unit, j)]     # from every next neuron
                          for j in range(st.sizes[s.layer + 1])]
            elif s.kind == "dL/dW":
                arrows = [self.edge_arrows[(s.layer, *s.edge)]]
            first.add((s.layer, s.unit))
            self.step_arrows[k] = arrows
        self.all_arrows = list(self.edge_arrows.values()) + list(self.loss_arrows.values())
        for a in self.all_arrows:
            a.set_visible(False)

    # -- placing ------------------------------------------------------------------------------
    def _place_all(self):
        """Place the queued labels, the one with the fewest free places first (so that the
        labels with room to spare do not take the only places of the others)."""
        failed = self.placer.place(stop=not self.force)
        if failed and not self.force:
            raise _PlacementFailed(f"no room for the label {failed[0]['texts'][0].get_text()!r}")

    def _queue_on_edge(self, t, key, prefer):
        """A label on its edge: the edge's line always runs through the label's box; off the
        crossings with other edges if it can."""
        w, h = self.size(t)
        others = [seg for k, seg in self._edge_px.items() if k != key]
        p0, p1 = self._edge_px[key]
        centers = along_edge(p0, p1, w, h, prefer=prefer, t_range=(0.06, 0.94), steps=45,
                             slide=0.6, others=others)
        self.placer.add([t], centers, margin=1.5)

    def _queue_near_node(self, texts, node, prefer):
        """Labels stacked in one block, as near the neuron as there is room (nearer to it than
        to any other neuron), on the side `prefer` (degrees) if it can."""
        sizes = [self.size(t) for t in texts]
        w, h = max(sz[0] for sz in sizes), sum(sz[1] for sz in sizes)
        centers, allowed = around_node(self.node_px[node], self.r_px, w, h, prefer=prefer,
                                       margin=CIRCLE_MARGIN + 1,
                                       nodes=[self.node_px[k] for k in self._node_keys],
                                       owner=self._node_keys.index(node))
        self.placer.add(texts, centers, allowed=allowed, sizes=sizes)

    def _make_rings(self):
        """A yellow ring on every neuron and on the loss box, shown for the current step."""
        lw = RING * 72.0 / self.fig.dpi
        self.rings = {}
        for key, circ in self.circles.items():
            self.rings[key] = Circle(circ.center, R, fc="none", ec=YELLOW, lw=lw, zorder=4.6)
        if self.steps.loss is not None:
            b = self.loss_patch
            self.rings["loss"] = FancyBboxPatch((b.get_x(), b.get_y()), b.get_width(),
                                                b.get_height(), boxstyle=b.get_boxstyle(),
                                                fc="none", ec=YELLOW, lw=lw, zorder=4.6)
        for ring in self.rings.values():
            self.ax.add_patch(ring)
            ring.set_visible(False)

    def _find_crossings(self) -> None:
        """For each backward arrow, the boxed labels it runs over (drawn again on top of it)."""
        labels = self.static_labels + self.dynamic_labels
        rects = np.array([self._rect_of(t) for t in labels]).reshape(-1, 4)
        self.crossings = {}
        for arrow in self.all_arrows:
            (xa, ya), (xb, yb) = self.arrow_ends[arrow]
            pts = self.px([(xa + (xb - xa) * t, ya + (yb - ya) * t) for t in np.linspace(0, 1, 80)])
            hit = ((pts[:, None, 0] > rects[None, :, 0] - 4) & (pts[:, None, 0] < rects[None, :, 2] + 4)
                   & (pts[:, None, 1] > rects[None, :, 1] - 4)
                   & (pts[:, None, 1] < rects[None, :, 3] + 4)).any(axis=0)
            self.crossings[arrow] = [labels[i] for i in np.flatnonzero(hit)]

    def _rect_of(self, t):
        w, h = self.size(t)
        p = self.px(t.get_position())[0]
        return [p[0] - w / 2, p[1] - h / 2, p[0] + w / 2, p[1] + h / 2]

    # -- stepping ------------------------------------------------------------------------------
    def dynamic(self) -> list:
        """Every artist that changes from step to step (hidden in the cached background)."""
        arts = [a for group in self.step_artists for a in group]
        return arts + self.frame_artists()

    def frame_artists(self) -> list:
        """What a frame draws over the numbers: rings, arrows, the formula and the title."""
        return (list(self.rings.values()) + self.all_arrows
                + [self._connector, self._formula, self._title])

    def draw_step(self, k: int, renderer) -> None:
        """Draw the numbers step k writes (over a picture of the steps before it)."""
        for a in self.step_artists[k]:
            a.draw(renderer)

    def draw_frame(self, renderer) -> None:
        """Draw rings, the current arrows (with the labels they cross on top), formula, title."""
        for ring in self.rings.values():
            if ring.get_visible():
                ring.draw(renderer)
        redraw = []
        for arrow in self.all_arrows:
            if arrow.get_visible():
                arrow.draw(renderer)
                redraw += [t for t in self.crossings[arrow] if t.get_visible() and t not in redraw]
        for t in redraw:
            t.draw(renderer)
        for a in (self._connector, self._formula, self._title):
            if a.get_visible():
                a.draw(renderer)

    def show(self, k: int | None, *, highlight: bool = True, arrows: str = "current") -> None:
        """The picture of steps 0..k done, step k highlighted (k None: before the first step).

        arrows : "current" shows the backward arrows of step k; "layer" those of every backward
        step of step k's layer up to k (the filmstrip's panels).
        """
        n = len(self.steps)
        last = -1 if k is None else k
        for idx, group in enumerate(self.step_artists):
            for a in group:
                a.set_visible(idx <= last)
        for a in self.rings.values():
            a.set_visible(False)
        for a in self.all_arrows:
            a.set_visible(False)
        for t in self.dynamic_labels:
            _mark(t, False)
        self._formula.set_visible(False)
        self._connector.set_visible(False)
        if k is None:
            self._title.set_text(self.caption or f"before step 1 of {n}: the input and the weights")
            return
        s = self.steps[k]
        shown = [k]
        if arrows == "layer" and s.phase == "backward":
            shown = [j for j in range(k + 1) if self.steps[j].phase == "backward"
                     and self.steps[j].layer == s.layer]
        for j in shown:
            for a in self.step_arrows[j]:
                a.set_visible(True)
        if highlight:
            for mark in self.step_marks[k]:
                if isinstance(mark, (tuple, str)):
                    self.rings[mark].set_visible(True)
                else:                                   # the number just computed
                    _mark(mark, True)
        phase = {"forward": "forward", "loss": "the loss", "backward": "backward (right to left)"}
        self._title.set_text(self.caption or f"step {k + 1} of {n} · {phase[s.phase]}")
        if self.formula_on:
            self._show_formula(k)

    def _target_rect(self, k):
        """The pixel rect the formula of step k points at (its neuron, number or loss box)."""
        s = self.steps[k]
        if s.phase == "loss":
            return np.array(self.loss_rect), None
        if s.kind == "dL/dW":
            return np.array(self._rect_of(self.step_artists[k][0])), None
        p = self.node_px[(s.layer, s.unit)]
        return np.array([p[0], p[1], p[0], p[1]]), p

    def _show_formula(self, k):
        f = self._formula
        f.set_visible(True)                         # (a hidden text measures 1 x 1)
        if k not in self._formula_place:
            f.set_text(self._wrap(self.steps[k].formula))
            w, h = self.size(f)
            target, _center = self._target_rect(k)
            x0, y0, x1, y1 = self.full_bounds
            gx = np.arange(x0 + w / 2, x1 - w / 2 + 1e-9, 5.0)
            gy = np.arange(y0 + h / 2, y1 - h / 2 + 1e-9, 5.0)
            if len(gx) == 0 or len(gy) == 0:
                gx, gy = np.array([(x0 + x1) / 2]), np.array([y0 + h / 2])
            centers = np.array([(a, b) for b in gy for a in gx])
            rects = rects_at(centers, w, h)
            saved, self.space.bounds = self.space.bounds, self.full_bounds   # the band too
            try:
                ok = self.space.free(rects)        # every label's place, shown or not
            finally:
                self.space.bounds = saved
            # the gap between the formula's box and its target
            gapx = np.maximum(0, np.maximum(target[0] - rects[:, 2], rects[:, 0] - target[2]))
            gapy = np.maximum(0, np.maximum(target[1] - rects[:, 3], rects[:, 1] - target[3]))
            dist = np.hypot(gapx, gapy)
            if ok.any():
                best = int(np.argmin(np.where(ok, dist, np.inf)))
            else:                                   # nowhere free: the band at the bottom
                best = int(np.argmin(np.abs(centers[:, 1] - (y0 + h / 2))
                                     + 1e-3 * np.abs(centers[:, 0] - (target[0] + target[2]) / 2)))
            self._formula_place[k] = (f.get_text(), centers[best], rects[best], bool(ok.any()))
        text, center, rect, _free = self._formula_place[k]
        f.set_text(text)
        f.set_position(self.data(center)[0])
        f.set_visible(True)
        target, node = self._target_rect(k)
        # the connector: from the nearest point of the box to the target (a neuron's rim)
        tx, ty = (target[0] + target[2]) / 2, (target[1] + target[3]) / 2
        bx, by = np.clip(tx, rect[0], rect[2]), np.clip(ty, rect[1], rect[3])
        ex, ey = np.clip(bx, target[0], target[2]), np.clip(by, target[1], target[3])
        if node is not None:
            v = np.array([bx, by]) - node
            ex, ey = node + v / (np.hypot(*v) or 1.0) * (self.r_px + RING / 2)
        if np.hypot(bx - ex, by - ey) > 6:
            pts = self.data(np.array([[bx, by], [ex, ey]]))
            self._connector.set_data(pts[:, 0], pts[:, 1])
            self._connector.set_visible(True)

    def _wrap(self, formula: str) -> str:
        """Break a formula wider than the picture before an "=" (or after a ",")."""
        x0, _, x1, _ = self.full_bounds
        limit = (x1 - x0) - 16
        f = self._formula
        f.set_text(formula)
        if self.size(f)[0] <= limit:
            return formula
        pieces = []
        for part in formula.replace(",  ", ",\n").split("\n"):
            tokens = part.split(" = ")
            pieces += [tokens[0]] + ["= " + tok for tok in tokens[1:]]
        lines, line = [], ""
        for piece in pieces:
            trial = f"{line} {piece}" if line else piece
            f.set_text(trial)
            if line and (self.size(f)[0] > limit or line.endswith(",")):
                lines.append(line)
                line = piece
            else:
                line = trial
        lines.append(line)
        return "\n".join(lines)


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _mark(t, on: bool) -> None:
    """A gradient's box: dashed vermillion; the one just computed, pale yellow with a yellow rim."""
    box = t.get_bbox_patch()
    box.set_facecolor(FILL["note"] if on else WHITE)
    box.set_edgecolor(YELLOW if on else WARNING)
    box.set_linewidth(2.0 if on else 0.8)
    box.set_linestyle("-" if on else "--")


def _value_color(v) -> str:
    return TEXT if v == 0 or not np.isfinite(v) else sign_color(v)


def _text_width(text: str, fontsize: float) -> float:
    """Width in data units (at scale 1) of a one-line text, measured before any figure exists."""
    return text_width(text, fontsize) * 100.0 / 72.0 / PX


def _loss_lines(steps: PassSteps) -> list[str]:
    t = steps.target
    if steps.loss == "cross_entropy" and np.count_nonzero(t) == 1 and t.max() == 1:
        target = f"y = class {int(np.argmax(t)) + 1}"
    elif t.size == 1:
        target = f"y = {format_number(t[0])}"
    else:
        target = "y = (" + ", ".join(format_number(v) for v in t) + ")"
    return [LOSS_NAME[steps.loss], target, "L = " + format_number(steps.loss_value)]


def _geometry(steps: PassSteps, scale: float = 1.0, spread: float = 1.0, *,
              formula: bool = True) -> dict:
    """Where the neurons go (data units) and how large the figure is (inches)."""
    sizes = steps.sizes
    n_layers = len(sizes) - 1
    tallest = max(sizes)
    spread *= 1.12 if tallest >= 4 else 1.0          # four units high: the labels need room
    gap = (1.7 if tallest > 2 else 1.9) * spread
    dx = (2.3 + 0.4 * tallest) * spread
    pos = [[(c * dx, gap * ((n - 1) / 2 - i)) for i in range(n)] for c, n in enumerate(sizes)]
    half = gap * (tallest - 1) / 2 + R
    has_loss = steps.loss is not None
    lines = _loss_lines(steps) if has_loss else []
    loss_w = max([1.6] + [_text_width(s, FONT["loss"]) + 0.4 for s in lines])
    loss_h = 1.3
    loss_x = n_layers * dx + 1.2 + loss_w / 2
    right = (loss_x + loss_w / 2 if has_loss else n_layers * dx + R) + 0.8
    left = -R - 0.8
    band = 0.8 if formula else 0.0               # the formulas' place of last resort
    top = half + 1.3 + 0.45                      # headers, then the title line
    bottom = -half - 1.1 - band
    return {"pos": pos, "xlim": (left, right), "ylim": (bottom, top), "scale": scale,
            "loss_xy": (loss_x, 0.0), "loss_w": loss_w, "loss_h": loss_h, "loss_lines": lines,
            "header_y": half + 0.5, "band": band,
            "figsize": ((right - left) * PX * scale / 100.0, (top - bottom) * PX * scale / 100.0)}


SPREADS = (1.0, 1.15, 1.3, 1.5, 1.75, 2.1)


def _draw(ax_maker, steps, scale, **kwargs):
    """Build a `_PassDrawing`, spreading the network out until every label has a place (and
    if none does, at the widest, the labels that found no free place take their preferred
    one: a picture with an overlap rather than no picture)."""
    for n, spread in enumerate(SPREADS):
        geo = _geometry(steps, scale, spread, formula=kwargs.get("formula", True))
        ax = ax_maker(geo)
        try:
            return _PassDrawing(ax, steps, geo, force=n == len(SPREADS) - 1, **kwargs)
        except _PlacementFailed:
            ax.figure.delaxes(ax)
    raise AssertionError("unreachable: the last try places every label")  # pragma: no cover


class PassFigure(LiveFigure):
    """The picture of `plot_pass`, built once; `set_step(k)` shows step k, redrawing only numbers.

    `steps` is a `PassSteps` from `nl.probes.pass_steps`. The neurons, the edges and the weights
    are drawn once (the background); a frame (`render_png`) restores the picture of the steps
    before k (kept as it is built up, with a snapshot every few steps) and draws on it what step
    k adds, the yellow rings, the backward arrows, the formula and the title. That is the fast
    path of the widget `nl.widgets.pass_stepper`; `self.fig` is an ordinary Figure.
    """

    SNAPSHOT_EVERY = 8

    def __init__(self, steps: PassSteps, k: int | None = 0, *, formula: bool = True,
                 scale: float = 1.0):
        if not isinstance(steps, PassSteps):
            raise ValueError(f"PassFigure: expected the steps of nl.probes.pass_steps, got "
                             f"{type(steps).__name__}")
        self.steps = steps

        def make(geo):
            self.fig = figure(figsize=geo["figsize"], layout="none")
            return self.fig.add_axes((0, 0, 1, 1))

        self.drawing = _draw(make, steps, scale, formula=formula)
        self.k = None
        self._snapshots: dict = {}
        self.set_step(k)

    def set_step(self, k: int | None) -> None:
        """Show steps 0..k done and step k highlighted (None: the network before any step)."""
        if k is not None:
            k = _check_k(k, len(self.steps), "PassFigure.set_step")
        self.k = k
        self.drawing.show(k)

    def _dynamic(self) -> list:
        return self.drawing.dynamic()

    def render_png(self, format: str = "png") -> bytes:
        """PNG (or "jpeg") of the current step, drawing only what this step adds."""
        canvas = agg_canvas(self.fig)
        if self._background is None:
            dynamic = self._dynamic()
            visible = [a.get_visible() for a in dynamic]
            for a in dynamic:
                a.set_visible(False)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._snapshots = {-1: self._background}
            for a, v in zip(dynamic, visible):
                a.set_visible(v)
        renderer = canvas.get_renderer()
        k = -1 if self.k is None else self.k
        self._restore_done(canvas, renderer, k - 1)
        if k >= 0:
            self.drawing.draw_step(k, renderer)
        self.drawing.draw_frame(renderer)
        return self.encode(format)

    def _restore_done(self, canvas, renderer, m: int) -> None:
        """Put the picture of steps 0..m (no highlight) on the canvas, and keep a copy."""
        start = max(j for j in self._snapshots if j <= m)
        canvas.restore_region(self._snapshots[start])
        if start == m:
            return
        for j in range(start + 1, m + 1):
            self.drawing.draw_step(j, renderer)
        self._snapshots = {j: v for j, v in self._snapshots.items()
                           if j == -1 or j % self.SNAPSHOT_EVERY == 0}
        self._snapshots[m] = canvas.copy_from_bbox(self.fig.bbox)


def _check_k(k, n: int, name: str) -> int:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
        raise ValueError(f"{name}: k must be an int step index, got {k!r}")
    if not -n <= k < n:
        raise ValueError(f"{name}: k must be in [0, {n - 1}] (or negative from the end), got {k}")
    return int(k) % n


def plot_pass(steps_or_model, k: int | None = -1, x=None, y=None, loss_fn=None, *,
              formula: bool = True):
    """Draw the network at step k of one forward and backward pass; returns the Figure.

    steps_or_model : the steps of `nl.probes.pass_steps`, or a model (then give x, and y and
        loss_fn for the backward pass).
    k : the step to show (0-based; -1, the default, is the last; None: before the first step).
        Steps 0..k keep their numbers on the picture; step k is highlighted in yellow and its
        arithmetic is written in a box beside it (unless `formula=False`).
    """
    steps = _steps_of(steps_or_model, x, y, loss_fn, "plot_pass")
    if k is not None:
        k = _check_k(k, len(steps), "plot_pass")
    return PassFigure(steps, k, formula=formula).fig


def plot_pass_filmstrip(model, x=None, y=None, loss_fn=None, keys=None, *, columns: int = 2,
                        scale: float = 0.8):
    """Small multiples of the key steps of a pass: the static twin of `nl.widgets.pass_stepper`.

    model : a model (with x, y, loss_fn as for `nl.probes.pass_steps`) or its `PassSteps`.
    keys : the step indices to draw; default `steps.key_steps()`: after each layer's forward
        pass, the loss, after each layer's backward pass. Returns the Figure.
    """
    steps = _steps_of(model, x, y, loss_fn, "plot_pass_filmstrip")
    if keys is None:
        chosen = steps.key_steps()
    else:
        chosen = [(_check_k(k, len(steps), "plot_pass_filmstrip"), None) for k in keys]
    if not chosen:
        raise ValueError("plot_pass_filmstrip: keys is empty")
    if not isinstance(columns, (int, np.integer)) or columns < 1:
        raise ValueError(f"plot_pass_filmstrip: columns must be a positive int, got {columns!r}")
    columns = min(int(columns), len(chosen))
    rows = -(-len(chosen) // columns)
    for attempt, spread in enumerate(SPREADS):
        geo = _geometry(steps, scale, spread, formula=False)
        pw, ph = geo["figsize"]
        fig = figure(figsize=(pw * columns, ph * rows), layout="none")
        try:
            for n, (k, caption) in enumerate(chosen):
                r, c = divmod(n, columns)
                ax = fig.add_axes((c / columns, 1 - (r + 1) / rows, 1 / columns, 1 / rows))
                s = steps[k]
                text = caption or f"step {k + 1}"
                title = f"{n + 1}. after {text} (step {k + 1} of {len(steps)}: {s.symbol})"
                drawing = _PassDrawing(ax, steps, geo, formula=False, caption=title,
                                       force=attempt == len(SPREADS) - 1)
                drawing.show(k, highlight=False, arrows="layer")
        except _PlacementFailed:
            continue
        for c in range(1, columns):
            fig.add_artist(Line2D([c / columns] * 2, [0, 1], color=NEUTRAL, lw=0.6))
        for r in range(1, rows):
            fig.add_artist(Line2D([0, 1], [1 - r / rows] * 2, color=NEUTRAL, lw=0.6))
        return fig
    raise AssertionError("unreachable: the last try places every label")  # pragma: no cover


def plot_layer_matrix(model, x, layer: int = 1, *, unit: int | None = None):
    """One layer's forward pass as the matrix product: the row x times W plus b gives z (and a).

    model, x : a model and one example (as for `nl.probes.pass_steps`), or the `PassSteps` of a
        pass (x None). layer : the Linear layer, counted from 1 (the columns of `plot_pass`).
    unit : a neuron (0-based) to follow: its column of W, its b and its z are framed in
        yellow, and its weighted sum is written below, the same numbers as `plot_pass` writes
        beside the neuron. Returns the Figure.
    """
    steps = _steps_of(model, x, None, None, "plot_layer_matrix") if not isinstance(
        model, PassSteps) else model
    n_layers = len(steps.weights)
    if not isinstance(layer, (int, np.integer)) or isinstance(layer, bool) or not 1 <= layer <= n_layers:
        raise ValueError(f"plot_layer_matrix: layer must be an int in [1, {n_layers}], got {layer!r}")
    W, b = steps.weights[layer - 1], steps.biases[layer - 1]
    a_in = steps.x if layer == 1 else steps.a[layer - 2]
    z, act = steps.z[layer - 1], steps.activations[layer - 1]
    D, H = W.shape
    if unit is not None and (not isinstance(unit, (int, np.integer)) or not 0 <= unit < H):
        raise ValueError(f"plot_layer_matrix: unit must be an int in [0, {H - 1}], got {unit!r}")
    in_name = "x" if layer == 1 else f"a⁽{layer - 1}⁾".translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    sup = f"⁽{layer}⁾".translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    cw, ch = 1.0, 0.62                                  # cell width and height
    blocks = [(in_name, a_in.reshape(1, -1), FILL["input"]), ("·", None, None),
              (f"W{sup}", W, FILL["param"]), ("+", None, None),
              (f"b{sup}", b.reshape(1, -1), FILL["bias"]), ("=", None, None),
              (f"z{sup}", z.reshape(1, -1), FILL["node"])]
    if act is not None:
        blocks += [("→", None, None), (f"a{sup} = {ACT_SYMBOL[act]}(z{sup})",
                                       steps.a[layer - 1].reshape(1, -1), FILL["node"])]
    width = sum(m.shape[1] * cw if m is not None else 0.7 for _, m, _ in blocks)
    height = D * ch
    fig = figure(figsize=(0.72 * width + 0.6, 0.72 * (height + 2.4) + 0.3), layout="none")
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.84))
    left = 0.0
    frames = []
    for name, m, fill in blocks:
        if m is None:
            ax.text(left + 0.35, height / 2, name, ha="center", va="center", fontsize=14)
            left += 0.7
            continue
        rows, cols = m.shape
        top = (height + rows * ch) / 2
        for r in range(rows):
            for c in range(cols):
                v = m[r, c]
                ax.add_patch(Rectangle((left + c * cw, top - (r + 1) * ch), cw, ch, fc=fill,
                                       ec=WHITE, lw=1.5))
                ax.text(left + (c + 0.5) * cw, top - (r + 0.5) * ch, format_number(v),
                        ha="center", va="center", fontsize=8, color=_value_color(v))
        if unit is not None:
            if name.startswith("W"):
                frames.append((left + unit * cw, top - rows * ch, cw, rows * ch))
            elif name != in_name:
                frames.append((left + unit * cw, top - ch, cw, ch))
            else:
                frames.append((left, top - ch, cols * cw, ch))
        shape = f"({rows}, {cols})" if rows > 1 or name == in_name else f"({cols},)"
        ax.text(left + cols * cw / 2, top + 0.1, name, ha="center", va="bottom", fontsize=9,
                weight="bold")
        ax.text(left + cols * cw / 2, top - rows * ch - 0.1, shape, ha="center", va="top",
                fontsize=8, color=TEXT)
        if name.startswith("W"):
            for c in range(cols):
                ax.text(left + (c + 0.5) * cw, top - rows * ch - 0.45, f"neuron {c + 1}",
                        ha="center", va="top", fontsize=7, color=TEXT_SOFT)
        left += cols * cw
    for x0, y0, w, h in frames:
        ax.add_patch(Rectangle((x0, y0), w, h, fc="none", ec=YELLOW, lw=3, zorder=5))
    note = ("each column of W is one neuron's weights; z is the row times each column, plus b: "
            "the numbers of the network picture")
    if unit is not None:
        formula = next(s.formula for s in steps if s.kind == "z" and s.layer == layer
                       and s.unit == unit)
        note = f"neuron {unit + 1}: {formula}"
    ax.text(0, -1.15, note, ha="left", va="top", fontsize=8.5, wrap=True,
            bbox=dict(boxstyle="round,pad=0.3", fc=FILL["note"], ec=INK, lw=0.8))
    ax.set_xlim(-0.1, left + 0.1)
    ax.set_ylim(-1.9, height + 0.6)
    ax.axis("off")
    ax.set_title(f"layer {layer} as a matrix product: {in_name}·W{sup} + b{sup} = z{sup}",
                 fontsize=10, loc="left")
    return fig
