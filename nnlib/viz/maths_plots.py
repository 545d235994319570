"""Figures of notebook 03 (the maths you need): slopes, the chain rule, gradients, vectors, arrays.

Each function draws one idea of the maths notebook and returns a Figure: a tangent that touches
a curve (`plot_tangent`), a nudge stretched by one rate after another (`plot_chain_rule`), the
gradient as the steepest way up a surface (`plot_gradient`), the dot product of two arrows
(`plot_dot`), arrays as grids of numbers (`plot_grids`, `plot_matrix_product`), exp/log and
log-sum-exp (`plot_exp_log`) and mean and variance (`plot_spread`). The functions drawn are a
handful of one-line formulas, listed in `FUNCTIONS` and `CHAIN`; clarity over speed throughout.
"""

from __future__ import annotations

import numpy as np

from .style import COLORS, EDGE, NEGATIVE, POSITIVE, TEXT, figure, sign_cmap, sign_color

__all__ = ["plot_tangent", "plot_chain_rule",
           "plot_gradient", "plot_dot", "plot_grids", "plot_matrix_product", "plot_exp_log",
           "plot_spread"]


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# name -> (f, f', formula of f, formula of f', x range): the functions of the series.
FUNCTIONS = {
    "x^2": (lambda x: x ** 2, lambda x: 2 * x, "x^2", "2x", (-2.0, 2.0)),
    "x^3": (lambda x: x ** 3, lambda x: 3 * x ** 2, "x^3", "3x^2", (-1.6, 1.6)),
    "exp": (np.exp, np.exp, "e^x", "e^x", (-2.0, 1.6)),
    "log": (np.log, lambda x: 1 / x, r"\log x", "1/x", (0.1, 4.0)),
    "sigmoid": (_sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x)), r"\sigma(x)",
                r"\sigma(x)(1-\sigma(x))", (-6.0, 6.0)),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2, r"\tanh x", r"1-\tanh^2 x", (-3.0, 3.0)),
}

# The chain of notebook 05 in miniature: z = 2x - 1, a = sigmoid(z), L = (a - 1)^2.
CHAIN = (
    ("z", "z = 2x - 1", lambda x: 2 * x - 1, lambda x: 2.0 + 0 * x),
    ("a", r"a = \sigma(z)", _sigmoid, lambda z: _sigmoid(z) * (1 - _sigmoid(z))),
    ("L", "L = (a - 1)^2", lambda a: (a - 1) ** 2, lambda a: 2 * (a - 1)),
)

# A tilted bowl f(x, y) = x^2/2 + xy/2 + y^2 with its gradient: the surface of section 3.
SURFACE = (lambda x, y: 0.5 * x ** 2 + 0.5 * x * y + y ** 2,
           lambda x, y: np.array([x + 0.5 * y, 0.5 * x + 2 * y]))


def chain_nudges(x0: float, dx: float = 0.1) -> dict:
    """Values, local rates and nudges along `CHAIN` at x0.

    Returns a dict with `names` ["x", "z", "a", "L"], `values` at x0, `rates` (the derivative
    of each step at its input), `nudges` (dx pushed through each rate: the linear prediction)
    and `true_nudges` (the actual change of each value when x moves from x0 to x0 + dx).
    """
    values, rates, shifted = [float(x0)], [], [float(x0) + dx]
    for _, _, f, df in CHAIN:
        rates.append(float(df(values[-1])))
        values.append(float(f(values[-1])))
        shifted.append(float(f(shifted[-1])))
    nudges = [float(dx)]
    for r in rates:
        nudges.append(nudges[-1] * r)
    return {"names": ["x"] + [c[0] for c in CHAIN], "values": values, "rates": rates,
            "nudges": nudges, "true_nudges": [s - v for s, v in zip(shifted, values)]}


# -- 1. slope and derivative --------------------------------------------------------------------
def secant(name: str, x0: float, h: float) -> dict:
    """The secant of FUNCTIONS[name] at x0 (clipped to the function's range) for a step h > 0.

    Centred, over [x0 - h, x0 + h], when both ends lie in the range; otherwise cut at the edge
    of the range, over [max(x0 - h, lo), min(x0 + h, hi)], which still contains x0 and one
    side of it: never of zero width. Returns `a`, `b`, `slope`, `cut` (True when cut at an
    edge) and `text`, "x0 - h to x0 + h" or "a to b (cut at the edge)" with enough decimals
    that a and b read as different numbers.
    """
    f, _, _, _, (lo, hi) = FUNCTIONS[name]
    h = float(h)
    if not h > 0:
        raise ValueError(f"secant: h must be > 0, got {h}")
    x0 = float(np.clip(x0, lo, hi))
    a, b = max(x0 - h, lo), min(x0 + h, hi)
    cut = (a, b) != (x0 - h, x0 + h)
    if cut:
        decimals = max(2, int(np.ceil(-np.log10(b - a))) + 1)
        text = f"{a:.{decimals}f} to {b:.{decimals}f} (cut at the edge)"
    else:
        text = "$x_0 - h$ to $x_0 + h$"
    return {"a": a, "b": b, "slope": float((f(b) - f(a)) / (b - a)), "cut": cut, "text": text}


def plot_tangent(name: str = "x^2", x0: float = 1.0, h: float = 0.5):
    """The curve of FUNCTIONS[name], its tangent at x0 and the secant through x0 - h, x0 + h.

    The tangent's slope is the derivative f'(x0); the secant's slope is the centred difference
    (f(x0+h) - f(x0-h)) / 2h, which approaches it as h shrinks. The tangent is blue where the
    slope is positive and orange where it is negative.
    """
    f, df, tex, dtex, (lo, hi) = FUNCTIONS[name]
    x0 = float(np.clip(x0, lo, hi))
    xs = np.linspace(lo, hi, 200)
    fig = figure(figsize=(5.2, 3.4))
    ax = fig.add_subplot()
    ax.plot(xs, f(xs), color=EDGE, lw=2, label=f"$f(x) = {tex}$")
    slope = float(df(x0))
    color = sign_color(slope)
    span = (hi - lo) / 4
    tx = np.array([x0 - span, x0 + span])
    ax.plot(tx, f(x0) + slope * (tx - x0), color=color, lw=2.2, ls="-" if slope >= 0 else "--",
            label=f"tangent, slope $f'(x_0) = {slope:.3f}$")
    sec = secant(name, x0, h)
    a, b = sec["a"], sec["b"]
    ax.plot([a, b], [f(a), f(b)], "o:", color=COLORS[2], ms=4,
            label=f"secant from {sec['text']}, slope {sec['slope']:.3f}")
    ax.plot([x0], [f(x0)], "o", color="black", ms=6, zorder=5)
    ys = f(xs)
    pad = 0.1 * (ys.max() - ys.min())
    ax.set(xlim=(lo, hi), ylim=(ys.min() - pad, ys.max() + pad), xlabel="$x$", ylabel="$f(x)$",
           title=f"at $x_0 = {x0:.2f}$: $f'(x_0) = {dtex} = {slope:.3f}$")
    ax.legend(loc="upper left", fontsize=8)
    return fig


# -- 2. the chain rule --------------------------------------------------------------------------
def plot_chain_rule(x0: float = 0.5, dx: float = 0.1):
    """A nudge dx of x, stretched by each local rate in turn: dz, da, dL as bars on one scale.

    Each bar is the nudge of one value; between two bars stands the rate that multiplies the
    first into the second. Blue bars push up, orange bars push down (a negative rate flips the
    direction). The black tick on each bar is the true change, computed by running the chain at
    x0 + dx: for a small nudge it sits at the bar's end.
    """
    v = chain_nudges(x0, dx)
    fig = figure(figsize=(6.4, 3.0))
    ax = fig.add_subplot()
    n = len(v["nudges"])
    top = max(max(abs(d) for d in v["nudges"] + v["true_nudges"]), 1e-12)
    for i, (name, d, true) in enumerate(zip(v["names"], v["nudges"], v["true_nudges"])):
        y = n - 1 - i
        ax.barh(y, d, height=0.5, color=sign_color(d), hatch="" if d >= 0 else "//",
                edgecolor="white")
        ax.plot([true, true], [y - 0.32, y + 0.32], color="black", ls="-", lw=1.5)
        ax.text(-1.08 * top, y, f"$\\Delta {name}$ = {d:+.4f}", ha="right", va="center",
                fontsize=9)
        if i < n - 1:
            ax.annotate(f"× {v['rates'][i]:.3f}   (${CHAIN[i][1]}$)", (0.02 * top, y - 0.5),
                        ha="left", va="center", fontsize=8, color=TEXT)
    total = float(np.prod(v["rates"]))
    ax.axvline(0, color=EDGE, lw=0.8)
    ax.set(xlim=(-1.1 * top, 1.1 * top), ylim=(-0.6, n - 0.4), yticks=[],
           xlabel="size of the nudge (same scale for every value)",
           title=f"x = {x0:.2f}: dL/dx = " + " × ".join(f"{r:.3f}" for r in v["rates"])
           + f" = {total:.4f}")
    ax.grid(False)
    return fig


# -- 3. partial derivatives and the gradient ------------------------------------------------------
def plot_gradient(x0: float = 1.0, y0: float = -0.5, angle: float = 45.0):
    """Contours of `SURFACE` with the gradient at (x0, y0), and the slope in every direction.

    Left: the map, the gradient arrow (steepest ascent) and a unit direction u at `angle`
    degrees. Right: the slope in direction u, the dot product grad . u = |grad| cos(theta),
    for every angle; it peaks where u points along the gradient. Blue: uphill, orange: downhill.
    """
    f, grad = SURFACE
    g = grad(x0, y0)
    fig = figure(figsize=(7.2, 3.3))
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1, 1.25])
    xs = np.linspace(-2.5, 2.5, 80)
    X, Y = np.meshgrid(xs, xs)
    ax.contour(X, Y, f(X, Y), levels=12, colors=EDGE, linewidths=0.7, alpha=0.6)
    norm = float(np.hypot(*g))
    scale = 1.0 / max(norm, 1e-12) if norm > 1.0 else 1.0     # long arrows drawn at length 1
    if norm > 1e-12:                                            # no arrow where ∇f = 0
        ax.annotate("", (x0 + scale * g[0], y0 + scale * g[1]), (x0, y0),
                    arrowprops=dict(arrowstyle="->", color=POSITIVE, lw=2.2))
    t = np.deg2rad(angle)
    u = np.array([np.cos(t), np.sin(t)])
    slope = float(g @ u)
    ax.annotate("", (x0 + 0.8 * u[0], y0 + 0.8 * u[1]), (x0, y0),
                arrowprops=dict(arrowstyle="->", color=sign_color(slope), lw=1.6,
                                ls="-" if slope >= 0 else "--"))
    ax.plot([x0], [y0], "ko", ms=5)
    ax.set(xlim=(-2.5, 2.5), ylim=(-2.5, 2.5), aspect="equal", xlabel="$x$", ylabel="$y$",
           title=r"$\nabla f = $" + f"({g[0]:.2f}, {g[1]:.2f})")
    angles = np.linspace(-180, 180, 361)
    slopes = g[0] * np.cos(np.deg2rad(angles)) + g[1] * np.sin(np.deg2rad(angles))
    ax2.fill_between(angles, slopes, 0, where=slopes >= 0, color=POSITIVE, alpha=0.3,
                     label="uphill")
    ax2.fill_between(angles, slopes, 0, where=slopes < 0, color=NEGATIVE, alpha=0.3,
                     hatch="//", label="downhill")
    ax2.plot(angles, slopes, color=EDGE, lw=1.5)
    if norm > 1e-12:
        best = float(np.rad2deg(np.arctan2(g[1], g[0])))
        ax2.axvline(best, color=POSITIVE, lw=1.5, label=f"gradient's angle {best:.0f}°")
    else:                                      # the bottom of the bowl: flat every way
        ax2.plot([], [], " ", label="no direction (∇f = 0)")
    ax2.plot([angle], [slope], "ko", ms=6, label=f"u at {angle:.0f}°: slope {slope:.2f}")
    ax2.set(xlim=(-180, 180), xticks=range(-180, 181, 90), xlabel="direction of u (degrees)",
            ylabel=r"slope $\nabla f \cdot u$", title=f"steepest slope = |∇f| = {norm:.2f}")
    ax2.legend(loc="lower left", fontsize=7)
    return fig


# -- 4. vectors and the dot product -----------------------------------------------------------------
def plot_dot(w=(2.0, 1.0), x=(1.0, 2.0)):
    """The arrows w and x, the shadow of x on w, and w . x = |w| |x| cos(theta) written out.

    The dot product is the length of w times the signed length of the shadow of x on w: blue
    when the arrows point the same way (angle below 90 degrees), orange when they point apart.
    """
    w, x = np.asarray(w, float), np.asarray(x, float)
    nw, nx = float(np.linalg.norm(w)), float(np.linalg.norm(x))
    dot = float(w @ x)
    fig = figure(figsize=(4.6, 3.6))
    ax = fig.add_subplot()
    for vec, name, color in ((w, "w", TEXT), (x, "x", COLORS[2])):
        ax.annotate("", tuple(vec), (0, 0), arrowprops=dict(arrowstyle="->", color=color, lw=2.2))
        ax.text(*(vec * 1.08), f"${name}$", color=color, fontsize=12, ha="center", va="center")
    if nw > 0:
        shadow = (dot / nw ** 2) * w
        ax.plot([x[0], shadow[0]], [x[1], shadow[1]], ":", color=EDGE)
        ax.plot([0, shadow[0]], [0, shadow[1]], color=sign_color(dot), lw=5, alpha=0.6,
                solid_capstyle="butt", ls="-" if dot >= 0 else "--")
    cos = dot / (nw * nx) if nw * nx > 0 else 0.0
    theta = float(np.degrees(np.arccos(np.clip(cos, -1, 1))))
    lim = max(nw, nx, 1.0) * 1.25
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="first component",
           ylabel="second component")
    ax.set_title(f"$w \\cdot x$ = ({w[0]:.2f})({x[0]:.2f}) + ({w[1]:.2f})({x[1]:.2f}) = {dot:.2f}\n"
                 f"= ‖w‖ ‖x‖ cos θ = {nw:.2f} · {nx:.2f} · cos {theta:.0f}°", fontsize=9)
    ax.axhline(0, color=EDGE, lw=0.6)
    ax.axvline(0, color=EDGE, lw=0.6)
    return fig


# -- 5. arrays as grids of numbers ----------------------------------------------------------------
def _grid(ax, A, x0, label, highlight=None, vmax=None, fmt="{:g}"):
    """Draw the 2-D array A as a grid of numbered cells with its top-left corner at (x0, 0)."""
    A = np.atleast_2d(np.asarray(A, float))
    cmap = sign_cmap()
    vmax = vmax or max(float(np.abs(A).max()), 1e-12)
    for (i, j), val in np.ndenumerate(A):
        lit = highlight is not None and highlight[i, j]
        color = cmap(0.5 + 0.35 * val / vmax)
        ax.add_patch(_rect((x0 + j, -i - 1), color, lw=2.2 if lit else 0.6,
                           edge="black" if lit else EDGE))
        ax.text(x0 + j + 0.5, -i - 0.5, fmt.format(round(val, 3)), ha="center", va="center",
                fontsize=8, weight="bold" if lit else "normal")
    ax.text(x0 + A.shape[1] / 2, 0.35, label, ha="center", va="bottom", fontsize=9)
    return A.shape[1]


def _rect(xy, color, lw, edge):
    from matplotlib.patches import Rectangle
    return Rectangle(xy, 1, 1, facecolor=color, edgecolor=edge, lw=lw)


def plot_grids(arrays, labels, ops=(), highlights=None, title="", figsize=None):
    """Arrays drawn side by side as grids of numbers with operators between them.

    `arrays` are 1-D or 2-D (a 1-D array is drawn as one row); `labels` name them (with their
    shapes, say); `ops` are the strings between neighbours ("⊙", "=", "+"); `highlights` an
    optional list of boolean masks (or None) to outline cells. Cell colours follow the sign
    convention: blue positive, orange negative, white zero.
    """
    arrays = [np.atleast_2d(np.asarray(a, float)) for a in arrays]
    highlights = highlights or [None] * len(arrays)
    vmax = max(float(np.abs(a).max()) for a in arrays) or 1.0
    width = sum(a.shape[1] for a in arrays) + 1.2 * (len(arrays) - 1)
    height = max(a.shape[0] for a in arrays)
    fig = figure(figsize=figsize or (min(0.5 * width + 0.6, 7.5), 0.5 * height + 0.9))
    ax = fig.add_subplot()
    x = 0.0
    for k, (A, label, mask) in enumerate(zip(arrays, labels, highlights)):
        x += _grid(ax, A, x, label, mask, vmax)
        if k < len(ops):
            ax.text(x + 0.6, -height / 2, ops[k], ha="center", va="center", fontsize=14)
        x += 1.2
    ax.set(xlim=(-0.2, width + 0.2), ylim=(-height - 0.2, 1.1), aspect="equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def plot_matrix_product(A, B, i: int = 0, j: int = 0):
    """C = A @ B as three grids, with row i of A, column j of B and the entry C[i, j] outlined.

    C[i, j] is the dot product of row i of A with column j of B, so the inner sizes must
    agree: (n, d) @ (d, k) -> (n, k). The title writes the sum for the outlined entry out.
    """
    A, B = np.asarray(A, float), np.asarray(B, float)
    C = A @ B
    i, j = int(np.clip(i, 0, A.shape[0] - 1)), int(np.clip(j, 0, B.shape[1] - 1))
    masks = [np.zeros(M.shape, bool) for M in (A, B, C)]
    masks[0][i, :], masks[1][:, j], masks[2][i, j] = True, True, True
    terms = " + ".join(f"({a:g})({b:g})" for a, b in zip(A[i], B[:, j]))
    labels = [f"A {A.shape}", f"B {B.shape}", f"C = A @ B {C.shape}"]
    return plot_grids([A, B, C], labels, ["@", "="], masks,
                      title=f"C[{i}, {j}] = {terms} = {C[i, j]:g}")


# -- 6. exp, log and log-sum-exp ------------------------------------------------------------------
def plot_exp_log(z=(1.0, 2.0, 3.0)):
    """Left: exp and log, mirror images in the line y = x. Right: why log-sum-exp subtracts the max.

    The right panel scales the scores z by a factor s and computes log(sum(exp(s z))) twice:
    naively, which overflows to infinity once the largest score passes about 709 (float64's
    exp limit), and with the trick m + log(sum(exp(s z - m))), m = max(s z), whose exponents
    are all <= 0. Where both are finite they agree.
    """
    z = np.asarray(z, float)
    fig = figure(figsize=(7.0, 3.1))
    ax, ax2 = fig.subplots(1, 2)
    xs = np.linspace(-3, 3, 200)
    ax.plot(xs, np.exp(xs), color=POSITIVE, label="$e^x$")
    pos = np.linspace(0.05, 6, 200)
    ax.plot(pos, np.log(pos), color=NEGATIVE, ls="--", label=r"$\log x$")
    ax.plot([-3, 6], [-3, 6], ":", color=EDGE, lw=1, label="$y = x$")
    ax.set(xlim=(-3, 6), ylim=(-3, 6), aspect="equal", xlabel="$x$", title="inverse functions")
    ax.legend(loc="lower right", fontsize=8)
    scale = np.linspace(1, 400, 400)
    top = scale * z.max()
    with np.errstate(over="ignore"):
        naive = np.log(np.exp(scale[:, None] * z).sum(axis=1))
    m = top[:, None]
    stable = top + np.log(np.exp(scale[:, None] * z - m).sum(axis=1))
    ax2.plot(top, stable, color=POSITIVE, lw=4, alpha=0.5, label=r"$m + \log\sum_k e^{z_k - m}$")
    ok = np.isfinite(naive)
    ax2.plot(top[ok], naive[ok], color=NEGATIVE, ls="--", lw=1.5, label=r"naive $\log\sum_k e^{z_k}$")
    if not ok.all():
        edge = top[ok][-1]
        ax2.axvline(edge, color=NEGATIVE, lw=0.8)
        ax2.annotate("naive: exp overflows\nto inf here", (edge, stable.max() * 0.35),
                     xytext=(-8, 0), textcoords="offset points", ha="right", fontsize=8,
                     color=TEXT)
    ax2.set(xlabel="largest score $m = \\max_k z_k$", ylabel="log-sum-exp",
            title="subtract the max: no overflow")
    ax2.legend(loc="upper left", fontsize=7)
    return fig


# -- 7. mean and variance -------------------------------------------------------------------------
def plot_spread(values):
    """Values on a line with their mean, each deviation from it, and the variance.

    Each value's deviation x - mean is drawn as a bar from the mean (blue above, orange below);
    the variance is the mean of the squared deviations and the standard deviation its square
    root, drawn as a band of one standard deviation around the mean.
    """
    x = np.asarray(values, float)
    mu, var = float(x.mean()), float(x.var())
    fig = figure(figsize=(6.0, 2.8))
    ax = fig.add_subplot()
    ys = np.arange(len(x))
    for yi, xi in zip(ys, x):
        d = xi - mu
        ax.plot([mu, xi], [yi, yi], color=sign_color(d), lw=2, ls="-" if d >= 0 else "--")
    ax.plot(x, ys, "ko", ms=4)
    ax.axvline(mu, color="black", lw=1.5, label=f"mean = {mu:.2f}")
    sd = np.sqrt(var)
    ax.axvspan(mu - sd, mu + sd, color=EDGE, alpha=0.12, label=f"±1 std = ±{sd:.2f}")
    ax.set(yticks=[], xlabel="value", xlim=(min(x.min(), mu - sd) - 1, max(x.max(), mu + sd) + 1),
           title=f"Var = mean of (x − mean)² = {var:.2f}")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(False)
    return fig
