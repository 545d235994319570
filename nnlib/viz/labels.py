"""Labels that never collide: the one placement of every figure that writes numbers on a network.

House style (third round): a figure that writes numbers on a network puts each label where no
other label or node is, measured with the renderer (`Text.get_window_extent(renderer)`), and
keeps a node's label inside its node at any value. The network figures of notebooks 01
(`draw_neuron`), 05 (`plot_network_numbers`), 06 and 09 (`plot_network`) and the pass stepper
(`plot_pass`) all place their labels with this module, in pixels:

- `fit_in_circle` gives a node's text (one line, or a few stacked) the largest font size, down
  to a minimum, at which every corner of its box lies inside the circle; if none fits, the next
  wording (the number's short form, `short_number`) is tried the same way.
- `fit_in_box` shrinks a text until it fits a box (a column's width, a loss box, the axes).
- `Space` is what the picture already uses: label boxes, node circles, and the free area.
- `along_edge` and `around_node` list a label's candidate centres, best first: along its own
  edge (off the crossings with other edges, near its preferred spot), or around its node (as
  near as there is room, on its preferred side, nearer to it than to any other node).
- `Placer` puts each label at its first free candidate, the most constrained label first (the
  one with the fewest free candidates), so that the labels with room to spare do not take the
  only places of the others; a label with no free place is reported, and takes its least
  crowded place.
- `LabelLayout` is an invisible artist that runs a figure's placement each time the figure is
  drawn, first in its axes, when they have their final size (constrained layout moves them).

Everything here works in display pixels; `to_data` (the inverse of `ax.transData`) turns a
centre back into the data coordinates a `Text` is placed at (all placed texts are centred:
`ha="center", va="center"`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist

__all__: list[str] = []          # tools for the figure modules, no plotting function


# -- numbers short enough for a node ------------------------------------------------------------
def short_number(v, *, plus: bool = False, minus: str = "−") -> str:
    """Two significant digits at most: 0.55, −0.034, 123, −1.2e3, 1e6, −1e−7 (0 is "0").

    plus : write "+" before a number >= 0 (an edge's weight: "+0.82"). minus : the minus sign,
    the typographic "−" by default ("-" where a figure writes ASCII).
    """
    v = float(v)
    if not np.isfinite(v):
        text = "nan" if np.isnan(v) else ("∞" if v > 0 else "-∞")
    elif v == 0:
        text = "0"
    else:
        rounded = float(f"{v:.2g}")                   # 99.7 -> 100: decide on the rounded value
        if 0.01 <= abs(rounded) < 100:
            text = f"{rounded:.2g}"
        elif 100 <= abs(v) < 999.5:
            text = f"{v:.0f}"
        else:
            mantissa, exponent = f"{v:.1e}".split("e")
            text = f"{mantissa.replace('.0', '')}e{int(exponent)}"
    if plus and not text.startswith("-") and text != "nan":
        text = "+" + text
    return text.replace("-", minus)


# -- measuring ----------------------------------------------------------------------------------
def text_size(t, renderer, margin: float = 1.0) -> tuple[float, float]:
    """Width and height in pixels of a text *with* its box (pad and rim) and `margin` each side."""
    bb = t.get_window_extent(renderer)
    pad = margin
    patch = t.get_bbox_patch()
    if patch is not None:
        pad += (patch.get_boxstyle().pad * renderer.points_to_pixels(t.get_fontsize())
                + 0.5 * renderer.points_to_pixels(patch.get_linewidth()))
    return bb.width + 2 * pad, bb.height + 2 * pad


_MEASURE: dict = {}


def text_width(text: str, fontsize: float, **font) -> float:
    """Width in points of `text` (its widest line) at `fontsize`, before any figure is drawn:
    for sizing a figure or its axes to what they will hold. `font`: FontProperties arguments."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    if "renderer" not in _MEASURE:
        _MEASURE["renderer"] = RendererAgg(10, 10, 72)            # at 72 dpi a pixel is a point
    prop = FontProperties(size=fontsize, **font)
    return max(_MEASURE["renderer"].get_text_width_height_descent(line, prop, ismath=False)[0]
               for line in text.split("\n"))


def text_rect(t, renderer, margin: float = 1.0) -> np.ndarray:
    """The pixel rectangle [x0, y0, x1, y1] a text takes, its box and `margin` included."""
    bb = t.get_window_extent(renderer)
    w, h = text_size(t, renderer, margin)
    cx, cy = (bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2
    return np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])


def rects_at(centers, w: float, h: float) -> np.ndarray:
    """Rectangles (K, 4) of size w x h centred on `centers` (K, 2)."""
    c = np.atleast_2d(np.asarray(centers, float))
    return np.column_stack([c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2])


def _stack_offsets(heights, gap: float) -> list[float]:
    """Vertical offsets of the centres of texts stacked top to bottom around 0."""
    top = (sum(heights) + gap * (len(heights) - 1)) / 2
    out = []
    for h in heights:
        out.append(top - h / 2)
        top -= h + gap
    return out


# -- inside a node ------------------------------------------------------------------------------
def fit_in_circle(texts, center, radius: float, renderer, *, size: float, min_size: float,
                  variants=None, gap: float = 2.0, to_data=None) -> bool:
    """Shrink (then reword) `texts`, stacked top to bottom, until they lie inside the circle.

    center, radius : the circle in pixels (leave the rim out of `radius`). size, min_size : the
    largest and the smallest font size (points). variants : the wordings to try in turn, each a
    list of one string per text (e.g. the long number, then `short_number`); default the texts
    as they are. The texts are placed at `to_data(pixel centre)`. Returns True when every
    corner of every box is inside; False when even the last wording at `min_size` is not (it
    is then left at that size).
    """
    cx, cy = center
    variants = variants or [[t.get_text() for t in texts]]
    fits = False
    for strings in variants:
        for t, s in zip(texts, strings):
            t.set_text(s)
        fs = size
        for _ in range(16):
            for t in texts:
                t.set_fontsize(fs)
            exts = [t.get_window_extent(renderer) for t in texts]
            offsets = _stack_offsets([e.height for e in exts], gap)
            need = max(np.hypot(e.width / 2, abs(o) + e.height / 2) for e, o in zip(exts, offsets))
            fits = need <= radius
            if fits or fs <= min_size + 1e-9:
                break
            fs = max(min_size, fs * min(0.98 * radius / need, 0.97))
        if fits:
            break
    if to_data is not None:
        for t, o in zip(texts, offsets):
            t.set_position(to_data([(cx, cy + o)])[0])
    return fits


def fit_in_box(t, renderer, width: float, height: float = np.inf, *, size: float,
               min_size: float = 1.0) -> bool:
    """Shrink `t` from `size` until its box is at most width x height pixels; True if it fits."""
    fs = size
    for _ in range(16):
        t.set_fontsize(fs)
        bb = t.get_window_extent(renderer)
        ratio = min(width / max(bb.width, 1e-9), height / max(bb.height, 1e-9))
        if ratio >= 1.0:
            return True
        if fs <= min_size + 1e-9:
            return False
        fs = max(min_size, fs * min(0.98 * ratio, 0.97))
    return False  # pragma: no cover - 16 steps reach min_size


# -- what is taken ------------------------------------------------------------------------------
class Space:
    """What is taken on the picture, in pixels: rectangles (labels) and circles (nodes).

    bounds : the area labels must stay in (x0, y0, x1, y1), or None for anywhere.
    circle_margin : pixels kept free around every circle.
    """

    def __init__(self, bounds=None, circle_margin: float = 0.0):
        self.bounds = bounds
        self.circle_margin = circle_margin
        self.rects = np.zeros((0, 4))
        self.circles = np.zeros((0, 3))

    def add_rect(self, rect) -> None:
        self.rects = np.vstack([self.rects, np.asarray(rect, float).reshape(-1, 4)])

    def add_circle(self, cx, cy, r) -> None:
        self.circles = np.vstack([self.circles, [[cx, cy, r]]])

    def hits(self, cands) -> np.ndarray:
        """For candidate rects (K, 4): how many taken things each meets (+1 out of bounds)."""
        cands = np.asarray(cands, float).reshape(-1, 4)
        n = np.zeros(len(cands), dtype=int)
        if self.bounds is not None:
            x0, y0, x1, y1 = self.bounds
            n += ~((cands[:, 0] >= x0) & (cands[:, 1] >= y0) & (cands[:, 2] <= x1)
                   & (cands[:, 3] <= y1))
        r = self.rects
        if len(r):
            n += ((cands[:, None, 0] < r[None, :, 2]) & (cands[:, None, 2] > r[None, :, 0])
                  & (cands[:, None, 1] < r[None, :, 3]) & (cands[:, None, 3] > r[None, :, 1])
                  ).sum(axis=1)
        if len(self.circles):                          # the box's nearest point to each centre
            c = self.circles
            nx = np.clip(c[None, :, 0], cands[:, None, 0], cands[:, None, 2])
            ny = np.clip(c[None, :, 1], cands[:, None, 1], cands[:, None, 3])
            d2 = (nx - c[None, :, 0]) ** 2 + (ny - c[None, :, 1]) ** 2
            n += (d2 < (c[None, :, 2] + self.circle_margin) ** 2).sum(axis=1)
        return n

    def free(self, cands) -> np.ndarray:
        """True where a candidate rect is inside the bounds and meets nothing taken."""
        return self.hits(cands) == 0


# -- where a label may go -----------------------------------------------------------------------
def crossings(rects, segments, samples: int = 32) -> np.ndarray:
    """How many of `segments` (M, 2, 2) run through each rect (K, 4), all in pixels."""
    segments = np.asarray(segments, float).reshape(-1, 2, 2)
    rects = np.asarray(rects, float).reshape(-1, 4)
    if not len(segments):
        return np.zeros(len(rects), dtype=int)
    s = np.linspace(0.0, 1.0, samples)[None, :, None]
    pts = segments[:, :1] + s * (segments[:, 1:] - segments[:, :1])          # (M, S, 2)
    inside = ((pts[None, :, :, 0] > rects[:, None, None, 0])
              & (pts[None, :, :, 0] < rects[:, None, None, 2])
              & (pts[None, :, :, 1] > rects[:, None, None, 1])
              & (pts[None, :, :, 1] < rects[:, None, None, 3]))
    return inside.any(axis=2).sum(axis=1)


def along_edge(p0, p1, w: float, h: float, *, prefer: float = 0.5, t_range=(0.0, 1.0),
               steps: int = 41, slide: float = 0.0, others=None) -> np.ndarray:
    """Candidate centres (K, 2) for a w x h label on the edge p0 -> p1 (pixels), best first.

    The centre runs along the edge (fraction t in `t_range`, `steps` of them) and may slide
    sideways by up to `slide` of the box's half-size across the edge, so the edge still runs
    through the box. Best: crossed by the fewest `others` (segments (M, 2, 2) in pixels; a label
    on a crossing would be ambiguous), then nearest to t = `prefer`, then nearest to the edge.
    """
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    length = max(float(np.hypot(*(p1 - p0))), 1e-9)
    u = (p1 - p0) / length
    n = np.array([-u[1], u[0]])
    reach = max(0.0, slide * (abs(n[0]) * w / 2 + abs(n[1]) * h / 2) - 2.0)
    side = np.arange(3.0, reach + 1e-9, 3.0)
    sides = np.concatenate([[0.0], np.ravel(np.column_stack([side, -side]))])
    T, S = np.meshgrid(np.linspace(*t_range, steps), sides, indexing="ij")
    T, S = T.ravel(), S.ravel()
    centers = p0[None, :] + (T * length)[:, None] * u[None, :] + S[:, None] * n[None, :]
    cost = np.abs(T - prefer) * length + 2.0 * np.abs(S)
    if others is not None and len(others):
        cost = cost + 1e4 * crossings(rects_at(centers, w, h), others)
    return centers[np.argsort(cost, kind="stable")]


def around_node(center, radius: float, w: float, h: float, *, prefer: float = -90.0,
                margin: float = 1.0, reach: float = 120.0, nodes=None, owner: int | None = None):
    """Candidate centres for a w x h label beside the circle `center`, `radius` (pixels), best first.

    Rings of growing distance from the rim (every 3 px up to `reach`) times directions (every
    10 degrees); best: nearest to the rim, then nearest to the direction `prefer` (degrees,
    -90 = below). With `nodes` (all node centres, (N, 2)) and `owner` (this node's row), the
    second value is True where a candidate is nearer to its own node than to any other: a
    label beside a node belongs to that node. Returns (centres (K, 2), allowed (K,)).
    """
    cx, cy = center
    ring, ang = np.meshgrid(np.arange(0.0, reach, 3.0), np.arange(0.0, 360.0, 10.0),
                            indexing="ij")
    ring, ang = ring.ravel(), ang.ravel()
    a = np.deg2rad(ang)
    half = np.abs(np.cos(a)) * (w / 2) + np.abs(np.sin(a)) * (h / 2)
    d = radius + margin + half + ring
    centers = np.column_stack([cx + d * np.cos(a), cy + d * np.sin(a)])
    score = ring + 0.3 * np.abs((ang - prefer + 180.0) % 360.0 - 180.0)
    order = np.argsort(score, kind="stable")
    centers = centers[order]
    allowed = np.ones(len(centers), bool)
    if nodes is not None and owner is not None:
        nodes = np.asarray(nodes, float).reshape(-1, 2)
        rects = rects_at(centers, w, h)
        nx = np.clip(nodes[None, :, 0], rects[:, None, 0], rects[:, None, 2])
        ny = np.clip(nodes[None, :, 1], rects[:, None, 1], rects[:, None, 3])
        dist = np.hypot(nx - nodes[None, :, 0], ny - nodes[None, :, 1])
        allowed = dist[:, owner] <= dist.min(axis=1) + 1e-9
    return centers, allowed


# -- placing ------------------------------------------------------------------------------------
class Placer:
    """Labels waiting for a place; `place()` puts each at its first free candidate.

    `add(texts, centers)` queues a label (a block of texts stacked top to bottom) with its
    candidate centres, best first. `place()` takes the label with the fewest free candidates
    first, puts it at its first free one, marks that box taken and goes on. A label with no
    free candidate is returned in the list of failures (and, unless `stop`, takes the
    candidate that meets the fewest taken things, the best one among equals).
    """

    def __init__(self, space: Space, to_data, renderer):
        self.space, self.to_data, self.renderer = space, to_data, renderer
        self.todo: list[dict] = []

    def add(self, texts, centers, *, allowed=None, margin: float = 1.0, sizes=None) -> dict:
        texts = list(texts)
        sizes = sizes or [text_size(t, self.renderer, margin) for t in texts]
        w, h = max(s[0] for s in sizes), sum(s[1] for s in sizes)
        centers = np.asarray(centers, float).reshape(-1, 2)
        rects = rects_at(centers, w, h)
        ok = self.space.free(rects)
        if allowed is not None:
            ok &= allowed
        item = {"texts": texts, "sizes": sizes, "centers": centers, "rects": rects, "ok": ok,
                "allowed": allowed}
        self.todo.append(item)
        return item

    def place(self, *, stop: bool = False) -> list[dict]:
        """Place every queued label; return those that found no free place (stop: at the first)."""
        failed = []
        todo, self.todo = self.todo, []
        while todo:
            counts = [int(item["ok"].sum()) for item in todo]
            item = todo.pop(int(np.argmin(counts)))
            if item["ok"].any():
                k = int(np.argmax(item["ok"]))                 # the first free candidate
            else:
                failed.append(item)
                if stop:
                    return failed
                hits = self.space.hits(item["rects"])
                if item["allowed"] is not None:
                    hits = hits + 1000 * ~item["allowed"]
                k = int(np.argmin(hits))                        # the least crowded
            self.put(item, k)
            rect = item["rects"][k]
            for other in todo:                                  # the new box takes these places
                r = other["rects"]
                other["ok"] &= ~((r[:, 0] < rect[2]) & (r[:, 2] > rect[0])
                                 & (r[:, 1] < rect[3]) & (r[:, 3] > rect[1]))
        return failed

    def put(self, item: dict, k: int) -> None:
        """Put the label `item` at its candidate k: position its texts, mark its box taken."""
        rect, (cx, cy) = item["rects"][k], item["centers"][k]
        self.space.add_rect(rect)
        top = cy + (rect[3] - rect[1]) / 2
        for t, (_, th) in zip(item["texts"], item["sizes"]):
            t.set_position(self.to_data([(cx, top - th / 2)])[0])
            top -= th


class LabelLayout(Artist):
    """An invisible artist that calls `place(renderer)` each time its axes are drawn, first.

    Add it with `ax.add_artist(LabelLayout(place))`: it draws before every other artist of the
    axes (lowest zorder), when the axes have their final place and size, and moves the texts
    `place` was written for before they are drawn.
    """

    def __init__(self, place):
        super().__init__()
        self._place = place
        self.set_zorder(-1000)
        self.set_in_layout(False)

    def draw(self, renderer):
        if self.get_visible():
            self._place(renderer)
        self.stale = False
