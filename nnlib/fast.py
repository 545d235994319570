"""Speed, in one place: the faster twins of layers, losses and optimizers that `fit` runs.

The core files (`layers.py`, `losses.py`, `optim.py`, `train.py`) are the textbook: each line
is a formula of the notebooks. `nnlib.fit(..., fast=True)` (the default) trains inside
`fast_mode(model, loss_fn, optimizer)`, which gives every object whose type has a twin
registered here that twin's methods instead of its own (set on the instance, removed on exit).
A twin does the same arithmetic; `tests/test_fast_paths.py` compares each one with the
textbook code in float64 (to 1e-12), and one `fit` run with fast on and off. What changes:

1. **Arrays are reused.** Layer outputs, dL/dx, the ReLU mask, the softmax and each batch of a
   `DataLoader` (`batches`) are written (`out=`) into arrays allocated once per shape, not
   into new arrays every step. An epoch then allocates almost nothing, and the operating
   system does not hand memory back and forth (the page-fault story: `benchmarks/README.md`).
   Safe because `fit` is done with a step's arrays before the next step starts. In evaluation
   mode (`predict`, `evaluate`) the layer twins return fresh arrays, as the textbook does.
2. **Gradients are written, not added.** `fit` runs one backward pass per step, so a `Linear`
   twin writes dW = x.T @ dout straight into `W.grad`, and `optimizer.zero_grad()` skips the
   gradients that are written anyway (one pass over every weight fewer). Layers without a twin,
   layers used twice and layers inside a container other than `Sequential` keep the textbook
   code (they add, and are zeroed as usual).
3. **No dL/dx for the first layer.** Nobody needs the gradient with respect to the data, so
   the first layer skips that matrix product; `model.backward` returns None in fast mode.
4. **Fused optimizer updates.** While fast mode is on, the optimizer's parameters live in one
   long array per dtype (every `p.data` and `p.grad` is a view of a slice of it; layers read
   them at every use, so they follow), and each update rule is a few NumPy calls on that
   array instead of a few per parameter, with a scratch array written with `out=`. Constants
   are folded where that saves a pass: SGD's weight decay as w *= 1 - lr*wd, and Adam keeps
   m/(1-b1) and v/(1-b2) (one scale and one add each) with both bias corrections folded into
   one step size and one epsilon. On exit the values go back into the original arrays, and
   the textbook `m`, `v` (or velocity, or `s`) are written back. So: hold on to a `Parameter`,
   not to its `.data` array, if you read weights inside a callback.

Why bother: on the notebook-12 workload this is what brings `fit` within about 10 % of a
hand-optimized NumPy loop (`benchmarks/bench_epoch.py` prints the ratio).

Adding a twin (the registry is keyed by the *exact* type, so a subclass that overrides a method
never silently runs its parent's twin):

    from nnlib import fast

    @fast.register(MyLayer)
    def fast_my_layer(layer, input_grad):       # called once when fast mode starts
        def forward(x):                         # the numbers of MyLayer.forward; reuse arrays
            ...                                 # only while layer.training is True
        def backward(dout):                     # write (=, not +=) into layer.W.grad ...;
            ...                                 # return dL/dx, or None if not input_grad
        return fast.Twin(forward=forward, backward=backward, writes=(layer.W, layer.b))

A layer twin is `impl(layer, input_grad)`; a loss twin `impl(loss_fn)` returning
`Twin(forward=..., backward=...)`; an optimizer twin `impl(optimizer)` returning
`Twin(step=..., close=...)`, where `close()` runs when fast mode ends (to write state back).
`writes` lists the parameters whose `.grad` the twin's backward overwrites; a factory may
return None (no twin for this object, e.g. an unsupported setting). Every twin gets a
test in `tests/test_fast_paths.py`. Sections: registry and `fast_mode`, layers, losses,
optimizers; other modules (the conv layers) append their own marked section at the end.
"""

from __future__ import annotations

import math
from collections import Counter
from contextlib import contextmanager

import numpy as np

from .data import DataLoader
from .layers import Linear, ReLU, Sequential, Tanh, _check_2d, _check_dout
from .losses import SoftmaxCrossEntropy
from .optim import SGD, Adam, Optimizer, RMSProp

__all__ = ["Twin", "register", "twin_for", "fast_mode", "batches"]


# ------------------------------------------------------------------ registry and fast_mode
class Twin:
    """The fast methods of one object, installed on the instance while fast mode is on.

    `methods` (keyword arguments) map a method name to the function that replaces it;
    `writes` are the parameters whose gradient the twin overwrites; `close` runs on exit;
    `fold` connects a loss twin and an SGD twin that fold the learning rate into dL/dz.
    """

    def __init__(self, *, writes=(), close=None, fold=None, **methods):
        self.writes, self.close, self.fold, self.methods = tuple(writes), close, fold, methods


_REGISTRY: dict[type, object] = {}


def register(kind: type):
    """Decorator: register `impl` as the fast twin of objects of exactly type `kind`."""
    def decorate(impl):
        _REGISTRY[kind] = impl
        return impl
    return decorate


def twin_for(kind: type):
    """The registered twin factory of `kind`, or None (then the textbook code runs)."""
    return _REGISTRY.get(kind)


def _plan(module, input_grad: bool, out: list) -> list:
    """(module, input_grad) pairs, children before parents, for the modules twins may replace.

    Only the children of a `Sequential` are visited: a Sequential runs every child exactly
    once per pass, which is what writing gradients instead of adding them relies on.
    """
    if type(module) is Sequential:
        for i, child in enumerate(module.layers):
            _plan(child, input_grad if i == 0 else True, out)
    out.append((module, input_grad))
    return out


def _install(obj, twin: Twin, installed: list) -> None:
    for name, fn in twin.methods.items():
        obj.__dict__[name] = fn                      # shadows the class's method
    installed.append((obj, twin))


@contextmanager
def fast_mode(model=None, loss_fn=None, optimizer=None, *, input_grad: bool = False,
              grads_private: bool = False):
    """Run `model`, `loss_fn` and `optimizer` with their fast twins; restore them on exit.

    This is what `fit(fast=True)` does around its epochs; see the module docstring for what
    changes. `input_grad=True` keeps dL/dx of the first layer (then `model.backward` returns
    it). `grads_private=True` says that nobody reads `p.grad` until the block ends (`fit`
    without callbacks): then plain SGD folds its learning rate into dL/dz, as hand-written
    code does, so that every gradient comes out multiplied by lr and the update is one
    subtraction (`p.grad` is divided back on exit). Outside the `with` block every object runs
    its textbook code again, even after an error.
    """
    installed: list = []
    written: set = set()
    try:
        plan = _plan(model, input_grad, []) if model is not None else []
        uses = Counter(id(m) for m, _ in plan)
        shared = Counter(id(p) for m, _ in plan for p in m.own_parameters())
        for module, needs_dx in plan:
            impl = twin_for(type(module))
            if impl is None or uses[id(module)] > 1 \
                    or any(shared[id(p)] > 1 for p in module.own_parameters()):
                continue                             # textbook code: adds to its gradients
            twin = impl(module, needs_dx)
            if twin is not None:
                _install(module, twin, installed)
                written.update(id(p) for p in twin.writes)
        twins = []
        for obj in (loss_fn, optimizer):
            impl = twin_for(type(obj)) if obj is not None else None
            twins.append(impl(obj) if impl is not None else None)
            if twins[-1] is not None:
                _install(obj, twins[-1], installed)
        loss_twin, opt_twin = twins
        if grads_private and loss_twin is not None and opt_twin is not None \
                and loss_twin.fold is not None and opt_twin.fold is not None:
            loss_twin.fold[0] = opt_twin.fold()      # dL/dz times lr, from now on
        if isinstance(optimizer, Optimizer) and type(optimizer).zero_grad is Optimizer.zero_grad:
            to_zero = [p for p in optimizer.params if id(p) not in written]

            def zero_grad():                         # the gradients no twin overwrites
                for p in to_zero:
                    p.grad.fill(0)
            _install(optimizer, Twin(zero_grad=zero_grad), installed)
        yield model
    finally:
        for obj, twin in reversed(installed):
            for name in twin.methods:
                obj.__dict__.pop(name, None)
            if twin.close is not None:
                twin.close()


def batches(loader):
    """The batches of `loader`; a `DataLoader`'s are all written into the same two arrays.

    Same order and sizes as `iter(loader)` (the same random permutation), one `np.take` per
    array and batch, no new batch-sized array per step. Do not keep the yielded arrays: the
    next batch overwrites them. Any other iterable, and a `DataLoader(transform=...)` (whose
    batches are new arrays anyway), is iterated as it is.
    """
    if type(loader) is not DataLoader or loader.transform is not None:
        yield from loader                  # other iterables, and transformed (augmented) batches
        return
    X, y, bs = loader.X, loader.y, loader.batch_size
    order = loader._order()
    bufs: dict = {}
    for start in range(0, len(order) - (bs - 1 if loader.drop_last else 0), bs):
        idx = order[start:start + bs]
        n = len(idx)
        if n not in bufs:
            bufs[n] = tuple(None if a is None else np.empty((n,) + a.shape[1:], a.dtype)
                            for a in (X, y))
        xb, yb = bufs[n]
        X.take(idx, axis=0, out=xb)
        if yb is None:
            yield xb
        else:
            y.take(idx, axis=0, out=yb)
            yield xb, yb


# ------------------------------------------------------------------------------- layers
# Each twin keeps its arrays in dicts keyed by (shape, dtype): a new key (the first batch, the
# short last batch, a probe batch in a callback) is checked as the textbook checks it, once.
@register(Linear)
def fast_linear(layer: Linear, input_grad: bool) -> Twin:
    """z written into a kept array; dW and db written into the gradients; dx only if needed."""
    W, b = layer.W, layer.b
    z_bufs: dict = {}
    dx_bufs: dict = {}

    def forward(x):
        if type(x) is not np.ndarray or not layer.training:
            return Linear.forward(layer, x)          # evaluation: fresh arrays
        key = (x.shape, x.dtype)
        z = z_bufs.get(key)
        if z is None:                                # a new shape: check it once
            _check_2d("Linear", x, layer.in_features)
            z = z_bufs[key] = np.empty((x.shape[0], layer.out_features),
                                       np.result_type(x, W.data))
        layer._x = x
        np.matmul(x, W.data, out=z)
        z += b.data
        return z

    def backward(dout):
        x = layer._x
        if type(dout) is not np.ndarray or x is None \
                or dout.shape != (x.shape[0], layer.out_features):
            dout = _check_dout(layer, dout, x, layer.out_features)
        np.matmul(x.T, dout, out=W.grad)             # dW = x.T @ dout, written
        np.add.reduce(dout, axis=0, out=b.grad)      # db = dout summed over the batch
        if not input_grad:
            return None                              # first layer: nobody needs dL/dx
        key = (dout.shape, dout.dtype)
        dx = dx_bufs.get(key)
        if dx is None:
            dx = dx_bufs[key] = np.empty(x.shape, np.result_type(dout, W.data))
        return np.matmul(dout, W.data.T, out=dx)     # dx = dout @ W.T

    return Twin(forward=forward, backward=backward, writes=(W, b))


def _arrays(layer, bufs: dict, x, n: int):
    """`n` kept arrays shaped like x for an activation, or None where the textbook must run."""
    if type(x) is not np.ndarray or not layer.training:
        return None
    key = (x.shape, x.dtype)
    arrays = bufs.get(key)
    if arrays is None:
        if x.dtype.kind != "f":
            return None                              # ints: the textbook converts them
        arrays = bufs[key] = [np.empty_like(x) for _ in range(n)]
    return arrays


def _backward_arrays(layer, bufs: dict, dout):
    """dout checked like the textbook does (cheaply when it fits), and the kept dx array."""
    x = layer._x
    if type(dout) is not np.ndarray or x is None or dout.shape != x.shape:
        dout = _check_dout(layer, dout, x)
    key = (dout.shape, dout.dtype)
    dx = bufs.get(key)
    if dx is None:
        # laid out like x (a convolution's output is a transposed view): passes in memory order
        dx = bufs[key] = np.empty_like(x, dtype=np.result_type(dout, x))
    return dout, dx


@register(ReLU)
def fast_relu(layer: ReLU, input_grad: bool) -> Twin:
    """max(z, 0) and dout * (z > 0), with the mask in a kept bool array."""
    bufs: dict = {}
    dx_bufs: dict = {}

    def forward(x):
        arrays = _arrays(layer, bufs, x, 1)
        if arrays is None:
            return ReLU.forward(layer, x)
        layer._x = x
        layer._a = np.maximum(x, 0, out=arrays[0])
        return layer._a

    def backward(dout):
        dout, dx = _backward_arrays(layer, dx_bufs, dout)
        np.greater(layer._x, 0, out=dx)              # the mask z > 0, as 0.0 / 1.0
        return np.multiply(dout, dx, out=dx)

    return Twin(forward=forward, backward=backward)


@register(Tanh)
def fast_tanh(layer: Tanh, input_grad: bool) -> Twin:
    """tanh(z) and dout * (1 - a^2), in kept arrays."""
    bufs: dict = {}
    dx_bufs: dict = {}

    def forward(x):
        arrays = _arrays(layer, bufs, x, 1)
        if arrays is None:
            return Tanh.forward(layer, x)
        layer._x = x
        layer._a = np.tanh(x, out=arrays[0])
        return layer._a

    def backward(dout):
        dout, dx = _backward_arrays(layer, dx_bufs, dout)
        a = layer._a
        np.multiply(a, a, out=dx)
        np.subtract(1.0, dx, out=dx)                 # 1 - a^2
        return np.multiply(dout, dx, out=dx)

    return Twin(forward=forward, backward=backward)


@register(Sequential)
def fast_sequential(seq: Sequential, input_grad: bool) -> Twin:
    """The same loops, calling the children's (twin) methods looked up once."""
    forwards = [layer.forward for layer in seq.layers]
    backwards = [layer.backward for layer in reversed(seq.layers)]

    def forward(x):
        for f in forwards:
            x = f(x)
        return x

    def backward(dout):
        for b in backwards:
            dout = b(dout)
        return dout                                  # None if the first layer skipped dL/dx

    return Twin(forward=forward, backward=backward)


# ------------------------------------------------------------------------------- losses
@register(SoftmaxCrossEntropy)
def fast_softmax_cross_entropy(loss_fn: SoftmaxCrossEntropy) -> Twin:
    """Int labels: the softmax in a kept array, the loss as two sums, dz in a kept array.

    L = (sum of log(sum exp(shifted)) - sum of shifted[true class]) / N, which is
    -mean(log p[true class]) without forming log p; dz = probs / N with 1/N taken off at
    the true class. Other targets (one-hot rows) run the textbook code.
    """
    bufs: dict = {}
    scale = [None]                # fast_mode may put here a function giving lr (SGD folding)
    textbook_forward = SoftmaxCrossEntropy.forward
    textbook_backward = SoftmaxCrossEntropy.backward

    def forward(pred, target):
        if not (type(pred) is np.ndarray and pred.ndim == 2 and pred.size and pred.dtype.kind == "f"
                and type(target) is np.ndarray and target.ndim == 1 and target.dtype.kind in "iu"):
            loss_fn._labels = None
            return textbook_forward(loss_fn, pred, target)
        N, C = pred.shape
        # one pass checks both ends: seen as unsigned, a negative label is a huge number
        if len(target) != N or np.maximum.reduce(target.view(f"u{target.itemsize}")) >= C:
            SoftmaxCrossEntropy._check_labels(target, N, C)      # raises the textbook's error
        key = (pred.shape, pred.dtype)
        probs, dz, rows = bufs.get(key) or bufs.setdefault(
            key, (np.empty_like(pred), np.empty_like(pred), np.arange(N)))
        shifted = np.subtract(pred, np.maximum.reduce(pred, axis=1, keepdims=True), out=probs)
        picked = shifted[rows, target]                            # (N,), a copy
        np.exp(shifted, out=probs)
        sumexp = np.add.reduce(probs, axis=1, keepdims=True)      # (N, 1)
        loss = (np.add.reduce(np.log(sumexp), axis=None) - np.add.reduce(picked)) / N
        probs /= sumexp                                           # softmax
        loss_fn._pred, loss_fn._probs, loss_fn._onehot = pred, probs, None
        loss_fn._labels, loss_fn._dz, loss_fn._rows = target, dz, rows
        return float(loss)

    def backward():
        labels = getattr(loss_fn, "_labels", None)
        if labels is None:                                        # one-hot targets
            dz = textbook_backward(loss_fn)
            return dz if scale[0] is None else dz * scale[0]()
        probs, dz, rows = loss_fn._probs, loss_fn._dz, loss_fn._rows
        k = (1.0 if scale[0] is None else scale[0]()) / probs.shape[0]
        np.multiply(probs, k, out=dz)                             # softmax / N
        dz[rows, labels] -= k                                     # - onehot / N
        return dz

    return Twin(forward=forward, backward=backward, fold=scale)


# --------------------------------------------------------------------------- optimizers
class _Flat:
    """The optimizer's parameters moved into one long array per dtype, for the fused updates.

    While fast mode is on, every `p.data` and `p.grad` is a view of a slice of `data` and
    `grad`, so one NumPy call updates all parameters of a dtype at once (6 calls for an MLP of
    3 layers become 1). Layers read `p.data` and `p.grad` at every use, so they follow the
    move. `restore()` copies the values back into the original arrays and points the
    parameters at them again. `gather(arrays)` / `scatter(flat)` convert optimizer state.
    """

    def __init__(self, params):
        self.params = params
        self.groups = {}                                          # dtype -> parameter indices
        for i, p in enumerate(params):
            self.groups.setdefault(p.data.dtype, []).append(i)
        self.data, self.grad, self.tmp = [], [], []
        self.original = [(p.data, p.grad) for p in params]
        for dtype, idx in self.groups.items():
            self.data.append(self.gather([params[i].data for i in idx], dtype))
            self.grad.append(self.gather([params[i].grad for i in idx], dtype))
            self.tmp.append(np.empty_like(self.data[-1]))
        for k, idx in enumerate(self.groups.values()):            # now point p at the views
            for i, d, g in zip(idx, self.views(self.data[k], idx), self.views(self.grad[k], idx)):
                params[i].data, params[i].grad = d, g

    def gather(self, arrays, dtype) -> np.ndarray:
        return np.concatenate([np.asarray(a, dtype).ravel() for a in arrays])

    def views(self, flat, idx) -> list:
        out, start = [], 0
        for i in idx:
            shape = self.original[i][0].shape
            size = int(np.prod(shape))
            out.append(flat[start:start + size].reshape(shape))
            start += size
        return out

    def state(self, arrays) -> list:
        """Optimizer state (one array per parameter) as one flat array per dtype group."""
        return [self.gather([arrays[i] for i in idx], dtype) for dtype, idx in self.groups.items()]

    def unstate(self, flats) -> list:
        """The inverse of `state`: one (fresh) array per parameter again."""
        out = [None] * len(self.params)
        for flat, idx in zip(flats, self.groups.values()):
            for i, view in zip(idx, self.views(flat, idx)):
                out[i] = view.copy()
        return out

    def restore(self) -> None:
        for p, (data, grad) in zip(self.params, self.original):
            data[...] = p.data
            grad[...] = p.grad
            p.data, p.grad = data, grad


def _flat_or_none(opt):
    """A `_Flat` of the optimizer's parameters, or None if a parameter appears twice."""
    if len({id(p) for p in opt.params}) != len(opt.params):
        return None
    return _Flat(opt.params)


@register(SGD)
def fast_sgd(opt: SGD):
    """lr * grad into a scratch array, then one subtraction (or the velocity's three passes).

    Folded (see `fast_mode(grads_private=True)`): the loss twin has already multiplied dL/dz
    by lr, so the gradients arrive as lr * grad, and w -= lr * grad is one pass, not two.
    """
    flat = _flat_or_none(opt)
    if flat is None:
        return None
    vs = flat.state(opt.v)                                        # the velocity
    folded, last_lr = False, None

    def fold():
        nonlocal folded
        folded = True
        return lambda: opt.lr

    def step():
        nonlocal last_lr
        opt.t += 1
        lr, wd, mu = opt.lr, opt.weight_decay, opt.momentum
        for w, g, t, v in zip(flat.data, flat.grad, flat.tmp, vs):
            lr_g = g if folded else np.multiply(g, lr, out=t)    # lr * grad
            if not mu:
                if wd:
                    w *= 1.0 - lr * wd                            # w - lr wd w
                w -= lr_g                                         # w -= lr grad
                continue
            v *= mu
            v -= lr_g                                             # v = mu v - lr grad
            if wd:
                np.multiply(w, lr * wd, out=t)
                v -= t                                            #     - lr wd w
            w += v                                                # w += v
        last_lr = lr

    def close():
        if folded and last_lr:
            for g in flat.grad:
                g /= last_lr                                      # the true gradient again
        flat.restore()
        opt.v[:] = flat.unstate(vs)

    return Twin(step=step, close=close, fold=fold)


@register(RMSProp)
def fast_rmsprop(opt: RMSProp):
    """The running mean of grad^2 updated in place; the step built in a scratch array."""
    flat = _flat_or_none(opt)
    if flat is None:
        return None
    ss = flat.state(opt.s)

    def step():
        opt.t += 1
        rho, eps, lr = opt.rho, opt.eps, opt.lr
        for w, g, t, s in zip(flat.data, flat.grad, flat.tmp, ss):
            s *= rho
            np.multiply(g, g, out=t)
            t *= 1.0 - rho
            s += t                                                # s = rho s + (1-rho) g^2
            np.sqrt(s, out=t)
            t += eps
            np.divide(g, t, out=t)
            t *= lr
            w -= t                                                # w -= lr g / (sqrt(s) + eps)

    def close():
        flat.restore()
        opt.s[:] = flat.unstate(ss)

    return Twin(step=step, close=close)


@register(Adam)
def fast_adam(opt: Adam):
    """Adam with scaled moments m_s = m/(1-b1), v_s = v/(1-b2) and folded bias corrections.

    Then m_s = b1 m_s + g and v_s = b2 v_s + g^2 (one scale and one add each), and
    lr * m_hat / (sqrt(v_hat) + eps) = lr_t * m_s / (sqrt(v_s) + eps_t) with
    k = sqrt((1-b2^t) / (1-b2)), lr_t = lr (1-b1) k / (1-b1^t), eps_t = eps k.
    """
    flat = _flat_or_none(opt)
    if flat is None:
        return None
    b1, b2 = opt.b1, opt.b2
    ms = [m / (1.0 - b1) for m in flat.state(opt.m)]
    vs = [v / (1.0 - b2) for v in flat.state(opt.v)]

    def step():
        opt.t += 1
        t = opt.t
        k = math.sqrt((1.0 - b2 ** t) / (1.0 - b2))
        lr_t = opt.lr * (1.0 - b1) * k / (1.0 - b1 ** t)
        eps_t = opt.eps * k
        wd = opt.weight_decay
        for w, grad, s, m, v in zip(flat.data, flat.grad, flat.tmp, ms, vs):
            g = grad
            if wd:                                                # L2 penalty, as in SGD
                g = np.multiply(w, wd, out=s)
                g += grad                                         # g = grad + wd w (in s)
            m *= b1
            m += g                                                # m_s = b1 m_s + g
            v *= b2
            np.multiply(g, g, out=s)
            v += s                                                # v_s = b2 v_s + g^2
            np.sqrt(v, out=s)
            s += eps_t
            np.divide(m, s, out=s)
            s *= lr_t
            w -= s                                                # w -= lr_t m_s / (sqrt(v_s) + eps_t)

    def close():                                                  # back to the textbook m and v
        flat.restore()
        opt.m[:] = flat.unstate([m * (1.0 - b1) for m in ms])
        opt.v[:] = flat.unstate([v * (1.0 - b2) for v in vs])

    return Twin(step=step, close=close)



# ===================================================================== conv layers (CONV)
# The twins of `nnlib/conv.py` (notebook 14). Same numbers as the textbook loops over kernel
# positions, arranged so that the work is one big matrix product (im2col):
#
# * Conv2d: every patch the kernel sees becomes one column of `cols`, a (C_in*kH*kW, N*H_out*W_out)
#   matrix copied out of the padded input in one strided copy. Then out = W2 @ cols with W2 the
#   weights as a (C_out, C_in*kH*kW) matrix: the `x @ W` of notebook 06 with patches for rows.
#   Backward: dW2 = dout2 @ cols.T, dcols = W2.T @ dout2, and dcols is added back onto the
#   padded input one kernel position at a time (col2im). The output is returned as an
#   (N, C_out, H_out, W_out) *view* of a (C_out, N, H_out, W_out) array: no transposing copy.
# * MaxPool2d: forward is only the maximum of kH*kW strided slices; backward finds the (first)
#   maximum of each window again by comparing the slices with the output, and writes dout
#   there (no np.add.at, no int index array kept from forward).
# Arrays are kept per (shape, dtype), as for the other twins, in training mode only; in
# evaluation mode (large batches, e.g. the test set) every array is a temporary one.
from numpy.lib.stride_tricks import as_strided  # noqa: E402

from .conv import Conv2d, MaxPool2d  # noqa: E402


def _memory_order(a: np.ndarray) -> list:
    """a's axes from the outermost in memory to the innermost (by stride; ties keep their order)."""
    return np.argsort([-st for st in a.strides], kind="stable").tolist()


def _kept(bufs: dict, key, shape, dtype, zeros: bool = False, like=None) -> np.ndarray:
    """The array stored under `key` (made once, with np.empty or np.zeros).

    With `like`, its axes are laid out in memory in the same order as those of `like` (a
    convolution's output is an (N, C, H, W) view of a (C, N, H, W) array): element-wise passes
    over the two then walk both in memory order instead of jumping between them.
    """
    a = bufs.get(key)
    if a is None:
        make = np.zeros if zeros else np.empty
        if like is None:
            a = make(shape, dtype)
        else:
            order = _memory_order(like)
            a = make([shape[i] for i in order], dtype).transpose(np.argsort(order))
        bufs[key] = a
    return a


@register(Conv2d)
def fast_conv2d(layer: Conv2d, input_grad: bool) -> Twin:
    """im2col: one strided copy of the patches, one matrix product forward, two backward."""
    W, b = layer.W, layer.b
    (kH, kW), (sH, sW), (pH, pW) = layer.kernel_size, layer.stride, layer.padding
    O = layer.out_channels
    bufs: dict = {}
    state: dict = {}

    def forward(x):
        if type(x) is not np.ndarray or x.dtype.kind != "f":
            return Conv2d.forward(layer, x)
        key = (x.shape, x.dtype)
        if key not in bufs or not layer.training:
            layer._check(x)                          # a new shape: checked as the textbook does
        # evaluation (often in batches of 1000s): temporary arrays, freed after use
        kept = bufs.setdefault(key, {}) if layer.training else {}
        N, C, H, Wd = x.shape
        _, _, Ho, Wo = layer.output_shape(x.shape)
        dt = np.result_type(x, W.data)
        xp = _kept(kept, "xp", (N, C, H + 2 * pH, Wd + 2 * pW), dt, zeros=True)  # zero border
        xp[:, :, pH:pH + H, pW:pW + Wd] = x
        s = xp.strides                               # patches: (C, kH, kW, N, Ho, Wo), a view
        patches = as_strided(xp, (C, kH, kW, N, Ho, Wo),
                             (s[1], s[2], s[3], s[0], s[2] * sH, s[3] * sW), writeable=False)
        cols = _kept(kept, "cols", (C, kH, kW, N, Ho, Wo), dt)
        np.copyto(cols, patches)
        cols = cols.reshape(C * kH * kW, N * Ho * Wo)                    # (K, M)
        if layer.training:
            out = _kept(kept, "out", (O, N * Ho * Wo), dt)
        else:
            out = np.empty((O, N * Ho * Wo), dt)
        np.matmul(W.data.reshape(O, -1), cols, out=out)                  # (C_out, M)
        out += b.data[:, None]
        state.update(cols=cols, kept=kept, key=key, out_shape=(N, O, Ho, Wo))
        layer._x_shape = x.shape
        return out.reshape(O, N, Ho, Wo).transpose(1, 0, 2, 3)          # (N, C_out, Ho, Wo)

    def backward(dout):
        if "cols" not in state:
            raise RuntimeError("Conv2d.backward: call Conv2d.forward(x) first; backward needs "
                               "what forward remembers")
        N, _, Ho, Wo = want = state["out_shape"]
        if np.shape(dout) != want:
            raise ValueError(f"Conv2d.backward: dout has shape {np.shape(dout)}, expected "
                             f"{want} (the forward output's shape)")
        kept, cols = state["kept"], state["cols"]
        dout = np.asarray(dout)
        d2 = _kept(kept, "dout2", (O, N, Ho, Wo), dout.dtype)
        np.copyto(d2, dout.transpose(1, 0, 2, 3))
        d2 = d2.reshape(O, N * Ho * Wo)                                  # (C_out, M)
        np.matmul(d2, cols.T, out=W.grad.reshape(O, -1))                 # dW, written
        np.add.reduce(d2, axis=1, out=b.grad)                            # db, written
        if not input_grad:
            return None
        _, C, H, Wd = state["key"][0]
        dcols = _kept(kept, "dcols", cols.shape, np.result_type(d2, W.data))
        np.matmul(W.data.reshape(O, -1).T, d2, out=dcols)                # (K, M)
        dcols = dcols.reshape(C, kH, kW, N, Ho, Wo)
        dxp = _kept(kept, "dxp", (C, N, H + 2 * pH, Wd + 2 * pW), dcols.dtype)
        dxp.fill(0)
        for p in range(kH):                                              # col2im
            for q in range(kW):
                dxp[:, :, p:p + sH * (Ho - 1) + 1:sH, q:q + sW * (Wo - 1) + 1:sW] += dcols[:, p, q]
        return dxp[:, :, pH:pH + H, pW:pW + Wd].transpose(1, 0, 2, 3)    # (N, C_in, H, W)

    return Twin(forward=forward, backward=backward, writes=(W, b))


@register(MaxPool2d)
def fast_maxpool2d(layer: MaxPool2d, input_grad: bool) -> Twin:
    """Forward: the maximum of kH*kW strided slices, nothing else. Backward: which input was
    the (first) maximum is found again by comparing each slice with the output."""
    (kH, kW), (sH, sW) = layer.kernel_size, layer.stride
    bufs: dict = {}
    state: dict = {}

    def window(a, k, Ho, Wo):
        p, q = divmod(k, kW)
        return a[:, :, p:p + sH * (Ho - 1) + 1:sH, q:q + sW * (Wo - 1) + 1:sW]

    def forward(x):
        if type(x) is not np.ndarray or x.dtype.kind != "f":
            state.clear()
            return MaxPool2d.forward(layer, x)
        key = (x.shape, x.dtype)
        if key not in bufs or not layer.training:
            MaxPool2d.forward(layer, x[:1])          # a new shape: checked as the textbook does
        kept = bufs.setdefault(key, {}) if layer.training else {}
        N, C, Ho, Wo = shape = layer.output_shape(x.shape)
        out = (_kept(kept, "out", shape, x.dtype, like=x) if layer.training
               else np.empty(shape, x.dtype))
        if kH * kW == 1:
            np.copyto(out, window(x, 0, Ho, Wo))
        else:                                        # the first two slices need no copy first
            np.maximum(window(x, 0, Ho, Wo), window(x, 1, Ho, Wo), out=out)
        for k in range(2, kH * kW):
            np.maximum(out, window(x, k, Ho, Wo), out=out)
        state.update(kept=kept, x=x, out=out, shape=shape)
        return out

    def backward(dout):
        if "kept" not in state:
            return MaxPool2d.backward(layer, dout)
        if np.shape(dout) != state["shape"]:
            raise ValueError(f"MaxPool2d.backward: dout has shape {np.shape(dout)}, expected "
                             f"{state['shape']} (the forward output's shape)")
        kept, x, out = state["kept"], state["x"], state["out"]
        dout = np.asarray(dout)
        _, _, Ho, Wo = state["shape"]
        taken = _kept(kept, "taken", out.shape, bool, like=out)   # windows whose maximum was found
        here = _kept(kept, "here", out.shape, bool, like=out)     # ... at slice k, not before
        if _memory_order(dout) != _memory_order(out):
            # dout laid out otherwise than x (after a Flatten): one copy of this small array
            # saves every pass below from jumping between two memory orders
            buf = _kept(kept, "dout", out.shape, dout.dtype, like=out)
            np.copyto(buf, dout)
            dout = buf
        dx = _kept(kept, "dx", x.shape, np.result_type(dout, x), like=x)
        tiles = sH == kH and sW == kW and x.shape[2] == Ho * kH and x.shape[3] == Wo * kW
        if not tiles:                                # gaps or overlaps: start from zero
            dx.fill(0)
        for k in range(kH * kW):
            mask = taken if k == 0 else here
            np.equal(window(x, k, Ho, Wo), out, out=mask)
            if k > 0:
                np.greater(here, taken, out=here)    # not taken before: the first maximum wins
            dst = window(dx, k, Ho, Wo)
            if tiles:
                np.multiply(dout, mask, out=dst)     # each input in exactly one window
            else:
                dst += dout * mask
            if 0 < k < kH * kW - 1:
                np.logical_or(taken, here, out=taken)
        return dx

    return Twin(forward=forward, backward=backward)
