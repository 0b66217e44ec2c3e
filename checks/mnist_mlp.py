"""Visible checks, hints and solutions for notebook 04, a from-scratch MNIST network.

    from checks import mnist_mlp as q
    q.dense_backward.check(dense_backward)
    q.dense_backward.hint()
    q.dense_backward.solution()

Some demands of this notebook are about *two* calls rather than one (the same seed gives the same
weights; the weights come from the generator you pass), so `PropertyExercise` adds, after the
ordinary cases, checks that receive the learner's function itself.  `train_mlp`'s checks run with
its progress display silenced.
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

import numpy as np

from .core import Case, CheckFailure, describe_value
from .exercise import Exercise

# ------------------------------------------------------------------ helpers shared with hidden tests


def same_arrays(expected: tuple, rtol: float = 1e-5, atol: float = 1e-7) -> Callable:
    """A `satisfies` verdict: the output is a tuple (or list) of arrays matching `expected` in shape and value.

    Used where the contract returns several arrays, e.g. `(grad_x, grad_W, grad_b)`.
    """
    names = None

    def verdict(out):
        if not isinstance(out, (tuple, list)):
            return f"expected a tuple of {len(expected)} arrays, got {type(out).__name__}"
        if len(out) != len(expected):
            return f"expected {len(expected)} arrays, got {len(out)}"
        for index, (got, want) in enumerate(zip(out, expected)):
            label = names[index] if names else f"item {index}"
            if not isinstance(got, (np.ndarray, np.generic)):
                return f"{label}: expected a NumPy array, got {type(got).__name__}"
            got = np.asarray(got)
            if got.shape != np.shape(want):
                return f"{label}: expected shape {np.shape(want)}, got shape {got.shape}"
            if not np.allclose(got, want, rtol=rtol, atol=atol):
                wrong = int(np.sum(~np.isclose(got, want, rtol=rtol, atol=atol)))
                return f"{label}: {wrong} of {np.size(want)} values differ from the expected ones"
        return True

    def named(*labels):
        nonlocal names
        names = labels
        return verdict

    verdict.named = named
    return verdict


def glorot_limit(fan_in: int, fan_out: int) -> float:
    return float(np.sqrt(6.0 / (fan_in + fan_out)))


def glorot_shape_verdict(fan_in: int, fan_out: int) -> Callable:
    """A `satisfies` verdict: a float32 `(fan_in, fan_out)` array inside `[-l, l]`."""
    limit = glorot_limit(fan_in, fan_out)

    def verdict(out):
        if not isinstance(out, np.ndarray):
            return f"expected a NumPy array, got {type(out).__name__}"
        if out.shape != (fan_in, fan_out):
            return f"expected shape {(fan_in, fan_out)}, got shape {out.shape}"
        if out.dtype != np.float32:
            return f"expected dtype float32 (the dtype Keras keeps its weights in), got {out.dtype.name}"
        if not np.all(np.isfinite(out)):
            return "some weights are not finite"
        if np.any(np.abs(out.astype(np.float64)) > limit * (1 + 1e-6)):
            return f"some weights fall outside [-l, l] with l = sqrt(6 / (fan_in + fan_out)) = {limit:.4f}"
        return True

    return verdict


def uniform_verdict(fan_in: int, fan_out: int) -> Callable:
    """A `satisfies` verdict for a large draw: spread evenly over `[-l, l]` (mean 0, variance l**2 / 3).

    The thresholds are many standard errors wide for draws of 100,000 values and more: a right
    answer fails them with negligible probability, a wrong distribution or limit fails them surely.
    """
    limit = glorot_limit(fan_in, fan_out)
    shape_ok = glorot_shape_verdict(fan_in, fan_out)

    def verdict(out):
        shape = shape_ok(out)
        if shape is not True:
            return shape
        w = out.astype(np.float64).ravel() / limit          # should be U(-1, 1)
        if abs(w.mean()) > 0.02:
            return "the weights are not centred on 0"
        if not 0.97 < w.var() * 3 < 1.03:
            return (f"the weights' variance is {w.var() * limit ** 2:.3g}, expected l**2 / 3 = "
                    f"{limit ** 2 / 3:.3g}: check the limit and the distribution (uniform, not normal)")
        if w.max() < 0.99 or w.min() > -0.99:
            return "the weights do not reach out to -l and l"
        fractions = np.histogram(w, bins=8, range=(-1.0, 1.0))[0] / w.size
        if np.any(np.abs(fractions - 1 / 8) > 0.015):
            return "the weights are not spread evenly over [-l, l] (uniform)"
        return True

    return verdict


def silenced(function: Callable) -> Callable:
    """`function`, with whatever it prints swallowed (for training loops with a progress display)."""
    def call(*args, **kwargs):
        with contextlib.redirect_stdout(io.StringIO()):
            return function(*args, **kwargs)
    call.__name__ = getattr(function, "__name__", "function")
    return call


# ------------------------------------------------------------------ an exercise with two-call properties


@dataclass
class PropertyExercise(Exercise):
    """An exercise whose visible checks add properties of the function itself after the cases.

    Each property is `(label, test)` where `test(function)` returns True (or None) when it holds and
    False or a sentence when it does not.  With `quiet`, whatever the cases and properties print
    (a training loop's progress display) is swallowed.  `function` may also be a class.
    """

    properties: List[Tuple[str, Callable]] = field(default_factory=list)
    quiet: bool = False

    def check(self, function: Callable) -> None:
        if not callable(function):
            raise CheckFailure(f"check() needs your function `{self.name}` itself, got {describe_value(function)}.")
        quiet = contextlib.redirect_stdout(io.StringIO()) if self.quiet else contextlib.nullcontext()
        with contextlib.redirect_stdout(io.StringIO()):   # its own success line comes below
            super().check(silenced(function) if self.quiet else function)
        for label, test in self.properties:
            try:
                with quiet:
                    verdict = test(function)
            except NotImplementedError:
                raise CheckFailure(f"{self.name} is not written yet: it raised NotImplementedError.\n"
                                   "Hint: Replace the `raise NotImplementedError()` line with your code.") from None
            except Exception as error:  # the learner's code may raise anything: report it
                verdict = f"raised {type(error).__name__}: {error}"
            if not (verdict is None or verdict is True):
                reason = verdict if isinstance(verdict, str) else "the property does not hold"
                raise CheckFailure(f"{self.name} is not right yet: {reason}.\n  check:    {label}\n"
                                   f"Hint: {self.hints[0]}")
        count = len(self.cases) + len(self.properties)
        print(f"\u2714 {self.name}: all {count} visible checks pass.")


# ------------------------------------------------------------------ references used by the checks


def _dense_backward(grad_out, x, W):
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)


def _rmsprop(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    cache = rho * cache + (1 - rho) * grad ** 2
    return param - lr * grad / np.sqrt(cache + eps), cache


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# ------------------------------------------------------------------ glorot_uniform


def _same_seed_same_weights(function):
    a = function(5, 7, np.random.default_rng(42))
    b = function(5, 7, np.random.default_rng(42))
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)):
        return "two generators made with the same seed gave different weights"
    return True


def _uses_given_generator(function):
    a = function(5, 7, np.random.default_rng(1))
    b = function(5, 7, np.random.default_rng(2))
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b):
        return "generators with different seeds gave the same weights: draw from the `rng` you are given"
    return True


glorot_uniform = PropertyExercise(
    "glorot_uniform",
    cases=[
        Case("fan_in=3, fan_out=2: a 3 x 2 float32 matrix inside [-l, l], l = sqrt(6 / 5)",
             args=(3, 2, np.random.default_rng(0)), satisfies=glorot_shape_verdict(3, 2)),
        Case("fan_in=1, fan_out=4: one row of four weights",
             args=(1, 4, np.random.default_rng(0)), satisfies=glorot_shape_verdict(1, 4)),
        Case("the 784 x 512 first layer of our network: spread evenly over [-l, l], l = 0.0675",
             args=(784, 512, np.random.default_rng(0)), satisfies=uniform_verdict(784, 512)),
    ],
    properties=[
        ("two generators made with the same seed give the same weights", _same_seed_same_weights),
        ("generators with different seeds give different weights", _uses_given_generator),
    ],
    hints=[
        "Compute the limit l = sqrt(6 / (fan_in + fan_out)), then draw a (fan_in, fan_out) matrix "
        "uniformly between -l and l with the generator you are given, and make it float32.",
        "A `np.random.Generator` has a `uniform(low, high, size)` method; `np.random.uniform` is the "
        "*global* generator, which the seed you were given does not control.",
        "`limit = np.sqrt(6 / (fan_in + fan_out))`, then "
        "`rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)`.",
    ],
    solution_code='''
import numpy as np

def glorot_uniform(fan_in, fan_out, rng):
    """A float32 (fan_in, fan_out) weight matrix drawn from U(-l, l), l = sqrt(6 / (fan_in + fan_out))."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)
''',
)

# ------------------------------------------------------------------ dense_forward

_x23 = np.array([[1.0, 2.0], [3.0, -1.0]])
_W23 = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]])
_b3 = np.array([0.5, -1.0, 2.0])
_rng = np.random.default_rng(4)
_x45, _W53, _b3r = _rng.normal(size=(4, 5)), _rng.normal(size=(5, 3)), _rng.normal(size=3)

dense_forward = Exercise(
    "dense_forward",
    cases=[
        Case("one sample, 2 inputs -> 3 units", args=(_x23[:1], _W23, _b3), expected=_x23[:1] @ _W23 + _b3),
        Case("a batch of 2 samples: the bias is added to every row", args=(_x23, _W23, _b3),
             expected=_x23 @ _W23 + _b3),
        Case("a batch of 4 samples, 5 inputs -> 3 units (non-square)", args=(_x45, _W53, _b3r),
             expected=_x45 @ _W53 + _b3r),
    ],
    hints=[
        "Each row of x is one sample; W has one column per unit; b has one number per unit.",
        "`x @ W` has shape (batch, units); adding `b` of shape (units,) broadcasts it over the rows.",
        "`return x @ W + b`.",
    ],
    solution_code='''
import numpy as np

def dense_forward(x, W, b):
    """The Dense layer: x (batch, inputs) @ W (inputs, units) + b (units,) -> (batch, units)."""
    return x @ W + b
''',
)

# ------------------------------------------------------------------ dense_backward

_g23 = np.array([[1.0, 0.0, -2.0], [0.5, 1.0, 1.0]])
_g43 = _rng.normal(size=(4, 3))

dense_backward = Exercise(
    "dense_backward",
    cases=[
        Case("one sample, 2 inputs -> 3 units", args=(_g23[:1], _x23[:1], _W23),
             satisfies=same_arrays(_dense_backward(_g23[:1], _x23[:1], _W23)).named("grad_x", "grad_W", "grad_b")),
        Case("2 samples: grad_b adds up the rows (the same b is added to every sample)",
             args=(_g23, _x23, _W23),
             satisfies=same_arrays(_dense_backward(_g23, _x23, _W23)).named("grad_x", "grad_W", "grad_b")),
        Case("4 samples, 5 inputs -> 3 units (non-square: grad_W must have W's shape)",
             args=(_g43, _x45, _W53),
             satisfies=same_arrays(_dense_backward(_g43, _x45, _W53)).named("grad_x", "grad_W", "grad_b")),
    ],
    hints=[
        "Each gradient has the shape of what it is the gradient of: grad_x like x (batch, inputs), "
        "grad_W like W (inputs, units), grad_b like b (units,). Let the shapes tell you which matrix "
        "to transpose.",
        "out[n, j] = sum_i x[n, i] W[i, j] + b[j]: so dL/dW[i, j] = sum_n x[n, i] grad_out[n, j], "
        "dL/dx[n, i] = sum_j grad_out[n, j] W[i, j], and dL/db[j] = sum_n grad_out[n, j] (a sum, "
        "not a mean: the mean over the batch is already inside grad_out).",
        "`return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)`.",
    ],
    solution_code='''
import numpy as np

def dense_backward(grad_out, x, W):
    """Gradients of dense_forward(x, W, b) given grad_out = dL/d(output): (grad_x, grad_W, grad_b)."""
    grad_x = grad_out @ W.T
    grad_W = x.T @ grad_out
    grad_b = grad_out.sum(axis=0)
    return grad_x, grad_W, grad_b
''',
)

# ------------------------------------------------------------------ relu_backward

relu_backward = Exercise(
    "relu_backward",
    cases=[
        Case("a negative, a zero and a positive pre-activation",
             args=(np.array([5.0, 5.0, 5.0]), np.array([-1.0, 0.0, 2.0])), expected=np.array([0.0, 0.0, 5.0])),
        Case("the upstream gradient passes unchanged where the unit was active",
             args=(np.array([[1.5, -2.0], [0.25, 3.0]]), np.array([[0.1, 4.0], [-0.1, 0.0]])),
             expected=np.array([[1.5, -2.0], [0.0, 0.0]])),
        Case("any shape: a 2 x 2 x 3 tensor",
             args=(np.arange(12.0).reshape(2, 2, 3), np.arange(-6.0, 6.0).reshape(2, 2, 3)),
             expected=np.where(np.arange(-6.0, 6.0) > 0, np.arange(12.0), 0.0).reshape(2, 2, 3)),
    ],
    hints=[
        "relu(x) = max(x, 0) has slope 1 where x > 0 and slope 0 where x <= 0 (at exactly 0 we take 0, "
        "as Keras does). The chain rule multiplies the upstream gradient by that slope.",
        "Build the 0/1 slope from `x` (the pre-activation), not from `grad_out`, and return a new array: "
        "`grad_out` belongs to the caller.",
        "`return grad_out * (x > 0)` (or `np.where(x > 0, grad_out, 0)`).",
    ],
    solution_code='''
import numpy as np

def relu_backward(grad_out, x):
    """Gradient through relu at pre-activation x: grad_out where x > 0, else 0."""
    return grad_out * (x > 0)
''',
)

# ------------------------------------------------------------------ softmax_crossentropy_grad

_p23 = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
_y23 = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
_p45 = _softmax(_rng.normal(size=(4, 5)))
_y45 = np.eye(5)[[0, 3, 3, 1]]

softmax_crossentropy_grad = Exercise(
    "softmax_crossentropy_grad",
    cases=[
        Case("one sample, 3 classes", args=(_p23[:1], _y23[:1]), expected=_p23[:1] - _y23[:1]),
        Case("2 samples: the loss is a mean, so the gradient is divided by N = 2",
             args=(_p23, _y23), expected=(_p23 - _y23) / 2),
        Case("4 samples, 5 classes (divide by the number of samples, not of classes)",
             args=(_p45, _y45), expected=(_p45 - _y45) / 4),
    ],
    hints=[
        "For one sample, the gradient of -log(softmax(z)[true class]) with respect to z is simply "
        "probs - y_onehot. The batch loss is the mean over the N samples.",
        "N is the number of rows (samples); every row of the gradient is divided by it. Do not "
        "subtract in place: `probs` belongs to the caller.",
        "`return (probs - y_onehot) / len(probs)`.",
    ],
    solution_code='''
import numpy as np

def softmax_crossentropy_grad(probs, y_onehot):
    """d(mean categorical crossentropy)/d(logits) for softmax outputs probs: (probs - y_onehot) / N."""
    return (probs - y_onehot) / probs.shape[0]
''',
)

# ------------------------------------------------------------------ rmsprop_update

_param = np.array([[0.5, -0.25], [1.0, 2.0]])
_grad = np.array([[0.1, -0.2], [0.0, 3.0]])
_cache = np.array([[0.01, 0.0], [0.5, 1.0]])
_tiny = np.array([1e-6, -2e-6, 5e-7])

rmsprop_update = Exercise(
    "rmsprop_update",
    cases=[
        Case("a first step (cache still 0): cache' = 0.1 * grad**2, step ~ lr * sqrt(10)",
             args=(np.array([1.0, -1.0]), np.array([0.5, -2.0]), np.zeros(2)),
             satisfies=same_arrays(_rmsprop(np.array([1.0, -1.0]), np.array([0.5, -2.0]), np.zeros(2)))
             .named("new_param", "new_cache")),
        Case("a later step with the default lr=0.001, rho=0.9, eps=1e-7",
             args=(_param, _grad, _cache),
             satisfies=same_arrays(_rmsprop(_param, _grad, _cache)).named("new_param", "new_cache")),
        Case("other hyperparameters: lr=0.01, rho=0.5, eps=1e-3",
             args=(_param, _grad, _cache), kwargs=dict(lr=0.01, rho=0.5, eps=1e-3),
             satisfies=same_arrays(_rmsprop(_param, _grad, _cache, 0.01, 0.5, 1e-3)).named("new_param", "new_cache")),
        Case("tiny gradients: eps sits inside the square root, as in Keras 3",
             args=(np.zeros(3), _tiny, np.zeros(3)),
             satisfies=same_arrays(_rmsprop(np.zeros(3), _tiny, np.zeros(3)), atol=1e-12).named("new_param", "new_cache")),
    ],
    hints=[
        "Two lines, in this order: first the new cache (a running mean of grad**2), then the step, "
        "which divides by the square root of the *new* cache plus eps.",
        "`new_cache = rho * cache + (1 - rho) * grad ** 2`; the step is `lr * grad / np.sqrt(new_cache + eps)` "
        "(eps inside the root). Build new arrays: `param -= ...` would change the caller's array.",
        "`new_cache = rho * cache + (1 - rho) * grad ** 2` then "
        "`return param - lr * grad / np.sqrt(new_cache + eps), new_cache`.",
    ],
    solution_code='''
import numpy as np

def rmsprop_update(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """One RMSprop step as Keras 3: returns (new_param, new_cache) and leaves its inputs unchanged."""
    new_cache = rho * cache + (1 - rho) * grad ** 2
    new_param = param - lr * grad / np.sqrt(new_cache + eps)
    return new_param, new_cache
''',
)

# ------------------------------------------------------------------ accuracy

_probs5 = np.array([[0.8, 0.1, 0.1], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]])

accuracy = Exercise(
    "accuracy",
    cases=[
        Case("one right prediction out of one", args=(np.array([[0.1, 0.9]]), np.array([1])), expected=1.0),
        Case("3 of 5 rows predict their label (integer labels, not one-hot)",
             args=(_probs5, np.array([0, 1, 0, 0, 1])), expected=0.6),
        Case("MNIST's labels are uint8", args=(_probs5, np.array([0, 1, 2, 1, 2], dtype=np.uint8)), expected=0.8),
        Case("two rows with a tie: argmax takes the first of equal maxima (class 0 here)",
             args=(np.array([[0.5, 0.5], [0.5, 0.5]]), np.array([0, 1])), expected=0.5),
    ],
    hints=[
        "The prediction of a row is the class with the highest probability; compare it with the "
        "row's integer label and take the fraction of matches.",
        "`np.argmax(probs, axis=1)` gives one predicted class per row (axis 1: across the classes); "
        "`labels` are already integers, so compare directly.",
        "`return float(np.mean(np.argmax(probs, axis=1) == labels))`.",
    ],
    solution_code='''
import numpy as np

def accuracy(probs, labels):
    """Fraction of rows of probs whose argmax equals the integer label."""
    return float(np.mean(np.argmax(probs, axis=1) == labels))
''',
)

# ------------------------------------------------------------------ train_mlp


def _toy_problem(n=90, seed=0):
    """Three well separated blobs in 6-D (float32) and their one-hot labels."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    centres = rng.normal(size=(3, 6)) * 3
    x = (centres[labels] + rng.normal(size=(n, 6))).astype(np.float32)
    return x, np.eye(3, dtype=np.float32)[labels], labels


def params_verdict(features, hidden, classes):
    """A `satisfies` verdict: a dict of float arrays W1, b1, W2, b2, finite, shaped for these layer sizes."""
    shapes = {"W1": (features, hidden), "b1": (hidden,), "W2": (hidden, classes), "b2": (classes,)}

    def verdict(out):
        if not isinstance(out, dict):
            return f"expected a dict of parameters, got {type(out).__name__}"
        missing = [k for k in shapes if k not in out]
        if missing:
            return f"the dict has no key(s) {missing}; expected W1, b1, W2, b2"
        for key, shape in shapes.items():
            value = out[key]
            if not isinstance(value, np.ndarray):
                return f"{key} is a {type(value).__name__}, expected a NumPy array"
            if value.shape != shape:
                return f"{key} has shape {value.shape}, expected {shape}"
            if value.dtype.kind != "f" or not np.all(np.isfinite(value)):
                return f"{key} must hold finite floats"
        return True

    return verdict


def predict_mlp(params, x):
    """Class probabilities of the trained network (used by the checks, not an exercise)."""
    h = np.maximum(x @ params["W1"] + params["b1"], 0)
    return _softmax(h @ params["W2"] + params["b2"])


def _learns_toy_problem(function):
    x, y, labels = _toy_problem()
    params = function(x, y, epochs=30, batch_size=16, hidden=16, seed=0)
    shape = params_verdict(6, 16, 3)(params)
    if shape is not True:
        return shape
    fraction = float(np.mean(predict_mlp(params, x).argmax(axis=1) == labels))
    if fraction < 0.95:
        return f"after 30 epochs it gets {fraction:.0%} of three well separated blobs right, expected 95% or more"
    return True


def _deterministic(function):
    x, y, _ = _toy_problem()
    a = function(x, y, epochs=2, batch_size=16, hidden=8, seed=5)
    b = function(x, y, epochs=2, batch_size=16, hidden=8, seed=5)
    if not all(np.array_equal(a[k], b[k]) for k in ("W1", "b1", "W2", "b2")):
        return "two runs with the same seed gave different weights: draw everything from default_rng(seed)"
    c = function(x, y, epochs=2, batch_size=16, hidden=8, seed=6)
    if np.array_equal(a["W1"], c["W1"]):
        return "two different seeds gave the same weights"
    return True


_tx, _ty, _ = _toy_problem()

train_mlp = PropertyExercise(
    "train_mlp",
    cases=[
        Case("90 samples with 6 features, 3 classes, hidden=8: returns W1, b1, W2, b2 of the right shapes",
             args=(_tx, _ty), kwargs=dict(epochs=1, batch_size=32, hidden=8, seed=0),
             satisfies=params_verdict(6, 8, 3)),
    ],
    properties=[
        ("it learns three well separated blobs (30 epochs, batch 16, hidden 16)", _learns_toy_problem),
        ("the same seed gives the same weights; another seed, other weights", _deterministic),
    ],
    quiet=True,
    hints=[
        "Put together what you wrote above: glorot-uniform weights and zero biases from "
        "default_rng(seed); then per epoch a new order of the rows (rng.permutation), and per batch "
        "forward (dense, relu, dense, softmax), backward (softmax_crossentropy_grad, dense_backward, "
        "relu_backward, dense_backward) and an RMSprop step for each of W1, b1, W2, b2.",
        "Keep one RMSprop cache per parameter, starting at zeros. The last batch of an epoch may be "
        "shorter than batch_size: divide by its own length. Never change x or y_onehot in place "
        "(shuffle an index array, not the data).",
        "One batch, in order: `z1 = xb @ W1 + b1`, `h = relu(z1)`, `probs = softmax(h @ W2 + b2)`; then "
        "`d_logits = (probs - yb) / len(rows)`, `grad_W2 = h.T @ d_logits`, `grad_b2 = d_logits.sum(axis=0)`, "
        "`d_z1 = (d_logits @ W2.T) * (z1 > 0)`, `grad_W1 = xb.T @ d_z1`, `grad_b1 = d_z1.sum(axis=0)`. "
        "Each gradient has the shape of its parameter.",
        "The RMSprop step for each parameter: `cache = rho * cache + (1 - rho) * grad ** 2`, then "
        "`param -= lr * grad / np.sqrt(cache + eps)`. For the epoch line, add up the batch losses times "
        "their sizes and the correct predictions, then call `log.epoch_done(loss_sum / n, correct / n)`.",
        "See `q.train_mlp.solution()` for a complete loop.",
    ],
    solution_code='''
import numpy as np
from notebook_helpers.plots import TrainingLog

def train_mlp(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Train Dense(hidden, relu) -> Dense(classes, softmax) with RMSprop; return {W1, b1, W2, b2}."""
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y_onehot, dtype=np.float32)
    n, features = x.shape
    classes = y.shape[1]
    lr, rho, eps = 0.001, 0.9, 1e-7
    rng = np.random.default_rng(seed)

    def glorot(fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)

    params = {"W1": glorot(features, hidden), "b1": np.zeros(hidden, np.float32),
              "W2": glorot(hidden, classes), "b2": np.zeros(classes, np.float32)}
    caches = {name: np.zeros_like(value) for name, value in params.items()}
    log = TrainingLog(epochs)
    for epoch in range(epochs):
        order = rng.permutation(n)
        loss_sum, correct = 0.0, 0
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            xb, yb = x[rows], y[rows]
            z1 = xb @ params["W1"] + params["b1"]
            h = np.maximum(z1, 0)
            logits = h @ params["W2"] + params["b2"]
            logits = logits - logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=1, keepdims=True)
            loss_sum -= np.sum(yb * np.log(np.clip(probs, 1e-7, 1 - 1e-7)))
            correct += np.count_nonzero(probs.argmax(axis=1) == yb.argmax(axis=1))
            d_logits = (probs - yb) / len(rows)
            d_h = (d_logits @ params["W2"].T) * (z1 > 0)
            grads = {"W1": xb.T @ d_h, "b1": d_h.sum(axis=0),
                     "W2": h.T @ d_logits, "b2": d_logits.sum(axis=0)}
            for name, grad in grads.items():
                caches[name] = rho * caches[name] + (1 - rho) * grad ** 2
                params[name] = params[name] - lr * grad / np.sqrt(caches[name] + eps)
        log.epoch_done(loss_sum / n, correct / n)
    return params
''',
)


def central_differences(f: Callable, a: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """Numerical gradient of the scalar `f()` with respect to the float64 array `a` (nudged in place, restored)."""
    grad = np.zeros_like(a, dtype=np.float64)
    for index in np.ndindex(a.shape):
        saved = a[index]
        a[index] = saved + step
        up = f()
        a[index] = saved - step
        down = f()
        a[index] = saved
        grad[index] = (up - down) / (2 * step)
    return grad
