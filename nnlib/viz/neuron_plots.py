"""Figures of one neuron (notebook 01): the neuron drawn with its numbers, and its line in the plane.

`draw_neuron` is the "illustrated" picture: inputs, weights, bias, weighted sum and activation,
each written out as a number, so a learner can redo the arithmetic by hand. `plot_neuron_plane`
shows the same neuron as a classifier: sigmoid(z) shaded over the plane, the line z = 0, the data.
`plot_neuron` puts the two side by side; it is the static twin of `nl.widgets.neuron_explorer`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from ..course.pass_steps import format_number
from ..layers import sigmoid
from ..metrics import count_correct
from .labels import LabelLayout, fit_in_box
from .live import LiveFigure
from .style import (
    CLASS_COLORS,
    FILL,
    INK,
    NEGATIVE,
    WHITE,
    YELLOW,
    class_cmap,
    figure,
    new_axes,
    sign_legend,
    sign_style,
)

__all__ = ["draw_neuron", "plot_neuron_plane", "plot_neuron", "NeuronFigure"]


def decision_line(w, b, xlim, ylim):
    """The two end points of the line w1*x1 + w2*x2 + b = 0 inside the box xlim x ylim, or None.

    None means there is no line to draw: either w1 = w2 = 0 (z is the constant b everywhere),
    or the line lies entirely outside the box (every visible point is on the same side).
    """
    w1, w2 = float(w[0]), float(w[1])
    corners = np.array([[x, yy] for x in xlim for yy in ylim])
    z = corners @ np.array([w1, w2]) + b
    if w1 == 0 and w2 == 0 or np.all(z > 0) or np.all(z < 0):
        return None
    if abs(w2) >= abs(w1):                                 # steep in x2: solve for x2
        xs = np.array(xlim, dtype=float)
        return np.column_stack([xs, -(w1 * xs + b) / w2])
    ys = np.array(ylim, dtype=float)
    return np.column_stack([-(w2 * ys + b) / w1, ys])


def neuron_message(w, b, xlim=None, ylim=None) -> str:
    """A sentence for the cases where the picture has no decision line ("" when it has one)."""
    w1, w2 = float(w[0]), float(w[1])
    if w1 == 0 and w2 == 0:
        return (f"w1 = w2 = 0: no decision line — every point gets the same output "
                f"a = σ(b) = {float(sigmoid(np.float64(b))):.3f}")
    if xlim is not None and ylim is not None and decision_line(w, b, xlim, ylim) is None:
        side = "1" if b > 0 else "0"
        return (f"the line z = 0 is outside the picture (b = {b:g} dominates): all points "
                f"are on the class-{side} side")
    return ""


def _fmt(v: float) -> str:
    """Numbers on the diagram: 2 decimals (more when small, short scientific when tiny or huge,
    `format_number`), a real minus sign; `_p` puts brackets around negatives in sums."""
    return format_number(v)


def _p(v: float) -> str:
    return f"({_fmt(v)})" if v < 0 else _fmt(v)


class _Diagram:
    """The neuron diagram's artists: drawn once (circles, labels, legend), numbers set by `set`.

    Every number has its own slot, a strip of the picture no other label or circle uses
    (`SLOTS`: the centre and width in data units); when the figure is drawn, `_fit` shrinks a
    text wider than its slot until it fits (`labels.fit_in_box`, measured by the renderer),
    so that no two labels meet and none covers a node at any value.
    """

    SLOTS = {"value": 2.0, "weight": 2.9, "b": 3.6, "z": 1.75, "sum": 9.8}

    def __init__(self, ax, title: str | None = None):
        self.ax = ax
        ax.set_xlim(0, 10)
        ax.set_ylim(-0.9, 6.2)
        ax.set_aspect("equal")
        ax.axis("off")
        s_pos, a_pos, r = (5.0, 3.0), (8.0, 3.0), 0.55
        self.inputs = []                     # per input: value text, edge, weight text
        for name, pos in (("x₁", (1.0, 4.6)), ("x₂", (1.0, 1.4))):
            ax.add_patch(Circle(pos, r, facecolor=FILL["node"], edgecolor=INK, lw=1.2, zorder=3))
            ax.text(pos[0], pos[1], name, ha="center", va="center", fontsize=12, zorder=4)
            value = ax.text(pos[0], pos[1] - r - 0.3, "", ha="center", va="top", fontsize=10)
            edge = ax.add_patch(FancyArrowPatch(pos, s_pos, arrowstyle="-|>", mutation_scale=12,
                                                shrinkA=r * 28, shrinkB=r * 28))
            mid = (0.45 * pos[0] + 0.55 * s_pos[0], 0.45 * pos[1] + 0.55 * s_pos[1])
            weight = ax.text(mid[0], mid[1] + (0.45 if pos[1] > s_pos[1] else -0.45), "",
                             ha="center", va="center", fontsize=10, fontweight="bold",
                             bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
            self.inputs.append((name, value, edge, weight))
        # bias: a small arrow from above into the sum node
        ax.annotate("", xy=(s_pos[0], s_pos[1] + r), xytext=(s_pos[0], s_pos[1] + 2.0),
                    arrowprops=dict(arrowstyle="-|>", color=INK, lw=1.2))
        self.b = ax.text(s_pos[0], s_pos[1] + 2.15, "", ha="center", va="bottom", fontsize=10,
                         fontweight="bold")
        # sum node and activation node
        ax.add_patch(Circle(s_pos, r, facecolor="white", edgecolor="black", lw=1.4, zorder=3))
        ax.text(*s_pos, "Σ", ha="center", va="center", fontsize=15, zorder=4)
        ax.add_patch(Circle(a_pos, r, facecolor="white", edgecolor="black", lw=1.4, zorder=3))
        ax.text(*a_pos, "σ", ha="center", va="center", fontsize=15, zorder=4)
        ax.add_patch(FancyArrowPatch(s_pos, a_pos, arrowstyle="-|>", mutation_scale=12,
                                     shrinkA=r * 28, shrinkB=r * 28, color="black", lw=1.2))
        self.z = ax.text(6.5, 3.2, "", ha="center", va="bottom", fontsize=9)
        ax.add_patch(FancyArrowPatch(a_pos, (9.9, 3.0), arrowstyle="-|>", mutation_scale=12,
                                     shrinkA=r * 28, color="black", lw=1.2))
        self.a = ax.text(8.0, 3.0 + r + 0.2, "", ha="center", va="bottom", fontsize=10,
                         fontweight="bold")
        self.cls = ax.text(8.0, 3.0 - r - 0.2, "", ha="center", va="top", fontsize=9)
        # the weighted sum, written out with the numbers
        self.sum = ax.text(5.0, -0.85, "", ha="center", va="bottom", fontsize=9.5,
                           bbox=dict(boxstyle="round,pad=0.3", fc=FILL["note"], ec=NEGATIVE, lw=0.8))
        sign_legend(ax, what="w", loc="upper right")
        self.title = _fixed_title(ax, title or "")
        self.slotted = ([(value, "value") for _, value, _, _ in self.inputs]
                        + [(weight, "weight") for _, _, _, weight in self.inputs]
                        + [(self.b, "b"), (self.z, "z"), (self.sum, "sum")])
        self.sizes = {id(t): t.get_fontsize() for t, _ in self.slotted}
        self.layout = LabelLayout(self._fit)
        ax.add_artist(self.layout)

    def _fit(self, renderer) -> None:
        """Shrink every number wider than its slot (run when the axes are drawn, first)."""
        to_px = self.ax.transData.transform
        unit = to_px((1.0, 0.0))[0] - to_px((0.0, 0.0))[0]          # pixels per data unit
        for t, slot in self.slotted:
            fit_in_box(t, renderer, self.SLOTS[slot] * unit, size=self.sizes[id(t)])

    def set(self, x, w, b, title: str | None = None) -> None:
        """Write the numbers of input x, weights w and bias b on the picture."""
        x1, x2 = (float(v) for v in x)
        w1, w2 = (float(v) for v in w)
        b = float(b)
        z = w1 * x1 + w2 * x2 + b
        a = float(sigmoid(np.float64(z)))
        for (name, value, edge, weight), xv, wv, wname in zip(self.inputs, (x1, x2), (w1, w2),
                                                             ("w₁", "w₂")):
            color, style = sign_style(wv)
            value.set_text(f"{name} = {_fmt(xv)}")
            edge.set_color(color)
            edge.set_linestyle(style)
            edge.set_linewidth(0.8 + 0.8 * min(abs(wv), 5.0))
            weight.set_text(f"{wname} = {_fmt(wv)}")
            weight.set_color(color)
        self.b.set_text(f"b = {_fmt(b)}")
        self.z.set_text(f"z = {_fmt(z)}")
        self.a.set_text(f"a = σ(z)\n= {a:.3f}")
        self.cls.set_text(f"class {int(z > 0)}\n(a {'>' if z > 0 else '≤'} 0.5)")
        self.cls.set_color(CLASS_COLORS[int(z > 0)])
        self.sum.set_text(f"z = w₁x₁ + w₂x₂ + b = {_p(w1)}·{_p(x1)} + {_p(w2)}·{_p(x2)} "
                          f"+ {_p(b)} = {_fmt(z)}")
        if title is not None:
            self.title.set_text(title)

    def dynamic(self) -> list:
        """The artists `set` changes (the layout first, edges before the texts on them)."""
        edges = [edge for _, _, edge, _ in self.inputs]
        texts = [t for _, value, _, weight in self.inputs for t in (value, weight)]
        return [self.layout, *edges, *texts, self.b, self.z, self.a, self.cls, self.sum,
                self.title]


def draw_neuron(x=(0.5, -1.0), w=(0.8, -0.6), b=0.3, ax=None, *, title: str | None = None):
    """Draw one neuron with two inputs and every number on it; returns the Figure.

    The picture follows the computation left to right: inputs x1, x2; edges labelled with the
    weights w1, w2 (blue solid = positive, orange dashed = negative, thicker = larger |w|);
    the bias b entering the sum node; the weighted sum z = w1 x1 + w2 x2 + b written out with
    the actual numbers; and the activation a = sigmoid(z), with the class it predicts.
    """
    fig, ax = new_axes(ax, figsize=(6.0, 3.4))
    _Diagram(ax, title).set(x, w, b)
    return fig


class _Plane:
    """The decision map's artists: axes, data, legend and colour bar drawn once; `set` moves the rest."""

    def __init__(self, ax, X, y, *, resolution: int = 90, margin: float = 0.5,
                 colorbar: bool = True, cax=None):
        self.ax, self.X, self.y = ax, X, y
        lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
        self.lo, self.hi = lo, hi
        self.xlim, self.ylim = (lo[0], hi[0]), (lo[1], hi[1])
        xx, yy = np.meshgrid(np.linspace(*self.xlim, resolution), np.linspace(*self.ylim, resolution))
        self.grid = np.stack([xx, yy])                                  # (2, R, R)
        self.image = ax.imshow(np.zeros((resolution, resolution)), origin="lower",
                               extent=(*self.xlim, *self.ylim), cmap=class_cmap(), vmin=0, vmax=1,
                               alpha=0.4, aspect="auto", interpolation="bilinear")
        if colorbar:
            fig = ax.figure
            cb = (fig.colorbar(self.image, cax=cax) if cax is not None
                  else fig.colorbar(self.image, ax=ax, shrink=0.8, pad=0.02))
            cb.set_label("a = σ(z)")
        (self.line,) = ax.plot([], [], color="black", lw=1.8, label="z = 0")
        self.arrow = ax.add_patch(FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>",
                                                  mutation_scale=10, color="black", lw=1.4))
        self.w_label = ax.text(0, 0, "w", fontsize=10, ha="center", va="center", fontweight="bold")
        self.points = [ax.scatter(X[y == c, 0], X[y == c, 1], s=22, color=CLASS_COLORS[c],
                                  marker="os"[c], edgecolors=WHITE, linewidths=0.5,
                                  label=f"class {c}", zorder=3) for c in (0, 1)]
        self.wrong = ax.scatter(np.zeros(0), np.zeros(0), s=70, facecolors="none",
                                edgecolors="black", linewidths=1.0, label="wrong", zorder=4)
        self.star = ax.scatter(np.zeros(0), np.zeros(0), s=230, marker="*", color=YELLOW,
                               edgecolors=INK, linewidths=0.8, zorder=5, label="drawn point")
        ax.set_xlim(self.xlim)
        ax.set_ylim(self.ylim)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.grid(False)
        self.title = _fixed_title(ax, "")
        self.has_star = False

    def set(self, w, b, highlight: int | None = None) -> None:
        """Shade sigmoid(w.x + b), place the line z = 0 and the arrow along w, ring the mistakes."""
        X, y = self.X, self.y
        self.image.set_data(sigmoid(w[0] * self.grid[0] + w[1] * self.grid[1] + b))
        seg = decision_line(w, b, self.xlim, self.ylim)
        for artist in (self.line, self.arrow, self.w_label):
            artist.set_visible(seg is not None)
        if seg is not None:
            self.line.set_data(seg[:, 0], seg[:, 1])
            # an arrow along w from the point of the line nearest the middle of the picture
            c = np.array([(self.xlim[0] + self.xlim[1]) / 2, (self.ylim[0] + self.ylim[1]) / 2])
            foot = c - (c @ w + b) / (w @ w) * w
            step = 0.18 * (self.hi - self.lo).min() * w / np.linalg.norm(w)
            self.arrow.set_positions(foot, foot + step)
            self.w_label.set_position(foot + 1.35 * step)
        wrong = (X @ w + b > 0).astype(np.int64) != y
        self.wrong.set_offsets(X[wrong])
        self.star.set_offsets(X[[highlight]] if highlight is not None else np.zeros((0, 2)))
        self.has_star = highlight is not None
        # kept for the widget's readout, so that it says what the picture shows
        self.n_correct = n_ok = count_correct(X, y, w, b)
        self.message = msg = neuron_message(w, b, self.xlim, self.ylim)
        self.title.set_text(f"{n_ok} / {len(y)} correct" + ("\n" + _wrap(msg) if msg else ""))
        self.title.set_fontsize(10 if msg else 11)

    def legend(self) -> None:
        """The legend under the axes: every entry always there, so it never jumps."""
        handles = [self.line, *self.points, self.wrong] + ([self.star] if self.has_star else [])
        self.ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=5,
                       fontsize=8, handletextpad=0.1, columnspacing=0.8, borderaxespad=0.0)

    def dynamic(self) -> list:
        """The artists `set` changes, in drawing order: map, line, arrow, points on top."""
        return [self.image, self.line, self.arrow, self.w_label, *self.points, self.wrong,
                self.star, *self.ax.spines.values(), self.title]


def plot_neuron_plane(X, y, w=(1.0, 1.0), b=0.0, ax=None, *, highlight: int | None = None,
                      resolution: int = 90, margin: float = 0.5, colorbar: bool = True, cax=None):
    """The neuron as a classifier: sigmoid(w.x + b) shaded over the plane, its line z = 0, the data.

    The shading shows the neuron's output a everywhere (blue = near 0, vermillion = near 1);
    the black line is z = 0 (a = 0.5), the decision line; the arrow from the line points
    along w, the direction in which z grows. Misclassified points get a black ring. If there
    is no line in view (w = 0, or b so large that the line left the picture) the title says so.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    fig, ax = new_axes(ax, figsize=(4.6, 3.8))
    plane = _Plane(ax, X, y, resolution=resolution, margin=margin, colorbar=colorbar, cax=cax)
    plane.set(np.asarray(w, dtype=float).reshape(-1), float(b), highlight)
    plane.legend()
    return fig


def _fixed_title(ax, text: str):
    """An axes title that stays just above the axes (matplotlib would otherwise move it above
    whatever it finds in the axes, measuring every label at each draw)."""
    ax._autotitlepos = False
    return ax.set_title(text, y=1.0)


def _wrap(text: str, width: int = 52) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


class NeuronFigure(LiveFigure):
    """The figure of `plot_neuron`, built once; `update(w, b, point)` changes its numbers in place.

    Everything that does not depend on w, b or the point (circles, node labels, the axes, the
    data, the legends, the colour bar) is drawn once; a slider step of `nl.widgets.neuron_explorer`
    redraws only the numbers, the edges, the shading, the line and the rings (`render_png`),
    which keeps a step well under a fifth of a second.
    """

    def __init__(self, X, y, w=(1.0, 1.0), b=0.0, point: int = 0):
        self.X, self.y = np.asarray(X, dtype=float), np.asarray(y)
        # the axes are placed by hand (no constrained layout): it would measure every label
        self.fig = figure(figsize=(10.0, 3.9), layout="none")
        left = self.fig.add_axes((0.0, 0.02, 0.53, 0.86))
        right = self.fig.add_axes((0.585, 0.2, 0.33, 0.6))
        cax = self.fig.add_axes((0.93, 0.25, 0.012, 0.5))
        self.diagram = _Diagram(left)
        self.plane = _Plane(right, self.X, self.y, cax=cax)
        self.update(w, b, point)
        self.plane.legend()

    def update(self, w, b, point: int = 0):
        """Show weights w, bias b and the diagram's numbers for X[point]; returns the Figure."""
        if not 0 <= point < len(self.X):
            raise ValueError(f"plot_neuron: point must be in [0, {len(self.X) - 1}], got {point}")
        w = np.asarray(w, dtype=float).reshape(-1)
        self.diagram.set(self.X[point], w, b, title=f"the neuron on point #{point} (the star)")
        self.plane.set(w, float(b), highlight=point)
        return self.fig

    def _dynamic(self) -> list:
        return self.diagram.dynamic() + self.plane.dynamic()


def plot_neuron(X, y, w=(1.0, 1.0), b=0.0, point: int = 0):
    """Diagram of the neuron computing point X[point] (left) and its decision map (right).

    The static twin of `nl.widgets.neuron_explorer`: the same figure (a `NeuronFigure`), for
    fixed w and b.
    """
    return NeuronFigure(X, y, w, b, point).fig
