"""The shared check of "labels never collide" (house style, third round), from the renderer.

`label_problems(fig)` draws a figure and measures every label with the renderer
(`Text.get_window_extent`, or the extent of the text's box when it has one). It returns a list
of problems, each naming the texts and where they are:

- two labels of one axes overlap (legend frames count as labels);
- a label anchored inside a node (a circle, or a rounded box such as a loss box) leaves it:
  a corner of its text lies outside the circle, or its box outside the rounded box;
- a label anchored outside every node covers a node;
- a label leaves the figure.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Circle, FancyBboxPatch
from matplotlib.text import Text

TOL = 0.5          # pixels: boxes that only touch are apart


def _labels(ax):
    """The visible, non-empty texts of `ax` that a figure places (no tick or axis labels)."""
    skip = {id(t) for t in ax.get_xticklabels() + ax.get_yticklabels()}
    skip |= {id(ax.xaxis.label), id(ax.yaxis.label), id(ax.xaxis.offsetText),
             id(ax.yaxis.offsetText)}
    legend = ax.get_legend()
    if legend is not None:
        skip |= {id(t) for t in legend.findobj(Text)}
    return [t for t in ax.findobj(Text) if t.get_visible() and t.get_text().strip()
            and id(t) not in skip and t.axes is ax]


def _box(t, renderer):
    patch = t.get_bbox_patch()
    return (patch if patch is not None else t).get_window_extent(renderer)


def _nodes(ax):
    """Filled circles and rounded boxes of `ax`: the things a label may sit in, never on."""
    return [p for p in ax.patches if isinstance(p, (Circle, FancyBboxPatch)) and p.get_visible()
            and p.get_facecolor()[3] > 0]


def label_problems(fig, *, margin: float = 0.0, inside_figure: bool = True) -> list[str]:
    """Draw `fig`; list every label overlap, label off its node, label on a node, label off the
    figure (see the module docstring). `margin`: boxes closer than this many pixels overlap."""
    if not isinstance(fig.canvas, FigureCanvasAgg):             # an untracked Figure: give it Agg
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    problems = []
    W, H = fig.canvas.get_width_height()
    for ax in fig.axes:
        texts = _labels(ax)
        boxes = [_box(t, renderer) for t in texts]
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            texts.append(None)
            boxes.append(legend.get_window_extent(renderer))
        name = [repr(t.get_text()) if t is not None else "the legend" for t in texts]
        for a in range(len(boxes)):
            for b in range(a + 1, len(boxes)):
                A, B = boxes[a], boxes[b]
                if (min(A.x1, B.x1) - max(A.x0, B.x0) > TOL - margin
                        and min(A.y1, B.y1) - max(A.y0, B.y0) > TOL - margin):
                    problems.append(f"{name[a]} at {np.round(A.bounds, 1)} overlaps {name[b]} at "
                                    f"{np.round(B.bounds, 1)}")
        for t, box, nm in zip(texts, boxes, name):
            if inside_figure and (box.x0 < -TOL or box.y0 < -TOL or box.x1 > W + TOL
                                  or box.y1 > H + TOL):
                problems.append(f"{nm} at {np.round(box.bounds, 1)} leaves the figure ({W} x {H})")
            if t is None:
                continue
            anchor = t.get_transform().transform(t.get_position())
            own = t.get_window_extent(renderer)
            for p in _nodes(ax):
                if isinstance(p, Circle):
                    (cx, cy), (xr, _) = ax.transData.transform(
                        [p.center, (p.center[0] + p.radius, p.center[1])])
                    r = abs(xr - cx)
                    if np.hypot(anchor[0] - cx, anchor[1] - cy) < r:          # its node's label
                        far = max(np.hypot(x - cx, y - cy) for x in (own.x0, own.x1)
                                  for y in (own.y0, own.y1))
                        if far > r + TOL:
                            problems.append(f"node label {nm} (box {np.round(own.bounds, 1)}) "
                                            f"leaves its circle of radius {r:.1f} px at "
                                            f"({cx:.1f}, {cy:.1f}): a corner at {far:.1f} px")
                    else:
                        nx, ny = np.clip(cx, box.x0, box.x1), np.clip(cy, box.y0, box.y1)
                        if np.hypot(nx - cx, ny - cy) < r - TOL:
                            problems.append(f"{nm} at {np.round(box.bounds, 1)} covers the node "
                                            f"at ({cx:.1f}, {cy:.1f}), radius {r:.1f} px")
                else:
                    nb = p.get_window_extent(renderer)
                    if nb.x0 < anchor[0] < nb.x1 and nb.y0 < anchor[1] < nb.y1:
                        if (own.x0 < nb.x0 - TOL or own.x1 > nb.x1 + TOL or own.y0 < nb.y0 - TOL
                                or own.y1 > nb.y1 + TOL):
                            problems.append(f"{nm} (box {np.round(own.bounds, 1)}) leaves its box "
                                            f"{np.round(nb.bounds, 1)}")
                    elif (min(box.x1, nb.x1) - max(box.x0, nb.x0) > TOL
                          and min(box.y1, nb.y1) - max(box.y0, nb.y0) > TOL):
                        problems.append(f"{nm} at {np.round(box.bounds, 1)} covers the box at "
                                        f"{np.round(nb.bounds, 1)}")
    return problems
