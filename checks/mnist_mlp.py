"""Visible checks and hints for notebook 04, a from-scratch MNIST network.

    from checks import mnist_mlp as q
    q.dense_backward.check(dense_backward)
    q.dense_backward.hint()
    q.dense_backward.solution()

Some demands of this notebook are about *two* calls rather than one (the same seed gives the same
weights; the weights come from the generator you pass), so some exercises add, after the ordinary
cases, properties that receive the learner's function itself (`@exercise.property`).  `train_mlp`'s
checks run with its progress display silenced (`quiet`).
"""

from __future__ import annotations

import contextlib
import io
import random
from typing import Callable

import numpy as np

from .core import FROZEN, Case, NotJudged, describe_type, describe_value, find_mismatch, runs_in_this_process
from .exercise import Exercise
from .i18n import _

# ------------------------------------------------------------------ helpers shared with hidden tests


def same_arrays(expected: tuple, rtol: float = 1e-5, atol: float = 1e-7) -> Callable:
    """A `satisfies` verdict: the output is a tuple (or list) of arrays matching `expected` in shape and value.

    Used by hidden tests where the contract returns several arrays, e.g. `(grad_x, grad_W, grad_b)`;
    `.named("grad_x", "grad_W", "grad_b")` names the items in its sentences (as `Exercise.outputs`).
    Its sentences never quote an expected value.
    """
    names: tuple = ()

    def verdict(out):
        if not isinstance(out, (tuple, list)):
            return _("expected a tuple of {count} arrays, got {got}").format(
                count=len(expected), got=describe_type(out)
            )
        mismatch = find_mismatch(tuple(out), tuple(np.asarray(e) for e in expected), rtol, atol, names=names)
        return mismatch.sentence() if mismatch else True

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
            return _("expected a NumPy array, got {name}").format(name=type(out).__name__)
        if out.shape != (fan_in, fan_out):
            return _("expected shape {expected}, got shape {got}").format(expected=(fan_in, fan_out), got=out.shape)
        if out.dtype != np.float32:
            return _("expected dtype float32 (the dtype Keras keeps its weights in), got {name}").format(
                name=out.dtype.name
            )
        if not np.all(np.isfinite(out)):
            return _("some weights are not finite")
        if np.any(np.abs(out.astype(np.float64)) > limit * (1 + 1e-6)):
            return _("some weights fall outside [-l, l] with l = sqrt(6 / (fan_in + fan_out)) = {limit:.4f}").format(
                limit=limit
            )
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
        w = out.astype(np.float64).ravel() / limit  # should be U(-1, 1)
        if abs(w.mean()) > 0.02:
            return _("the weights are not centred on 0")
        if not 0.97 < w.var() * 3 < 1.03:
            return _(
                "the weights' variance is {variance:.3g}, expected l**2 / 3 = {expected:.3g}: check the "
                "limit and the distribution (uniform, not normal)"
            ).format(variance=w.var() * limit**2, expected=limit**2 / 3)
        if w.max() < 0.99 or w.min() > -0.99:
            return _("the weights do not reach out to -l and l")
        fractions = np.histogram(w, bins=8, range=(-1.0, 1.0))[0] / w.size
        if np.any(np.abs(fractions - 1 / 8) > 0.015):
            return _("the weights are not spread evenly over [-l, l] (uniform)")
        return True

    return verdict


def silenced(function: Callable) -> Callable:
    """`function`, with whatever it prints swallowed (for training loops with a progress display)."""

    def call(*args, **kwargs):
        with contextlib.redirect_stdout(io.StringIO()):
            return function(*args, **kwargs)

    call.__name__ = getattr(function, "__name__", "function")
    return call


# ------------------------------------------------------------------ glorot_uniform


glorot_uniform = Exercise(
    "glorot_uniform",
    cases=[
        Case(
            "fan_in=3, fan_out=2: a 3 x 2 float32 matrix inside [-l, l], l = sqrt(6 / 5)",
            args=(3, 2, np.random.default_rng(0)),
            satisfies=glorot_shape_verdict(3, 2),
        ),
        Case(
            "fan_in=1, fan_out=4: one row of four weights",
            args=(1, 4, np.random.default_rng(0)),
            satisfies=glorot_shape_verdict(1, 4),
        ),
        Case(
            "the 784 x 512 first layer of our network: spread evenly over [-l, l], l = 0.0675",
            args=(784, 512, np.random.default_rng(0)),
            satisfies=uniform_verdict(784, 512),
        ),
    ],
    hints=[
        "Compute the limit l = sqrt(6 / (fan_in + fan_out)), then draw a (fan_in, fan_out) matrix "
        "uniformly between -l and l with the generator you are given, and make it float32.",
        "A `np.random.Generator` has a `uniform(low, high, size)` method; `np.random.uniform` is the "
        "*global* generator, which the seed you were given does not control.",
        "Two steps: the limit from its formula (np.sqrt), then one draw of the whole (fan_in, fan_out) matrix "
        "from the generator's uniform method between -limit and limit, converted to float32 with .astype.",
    ],
)


def _same_weights(first, second) -> bool:
    """Whether two outputs are NumPy arrays of the same shape and values."""
    return isinstance(first, np.ndarray) and isinstance(second, np.ndarray) and np.array_equal(first, second)


def _drawn_with_seeds(function, first, second) -> tuple:
    """The weights `function(5, 7, rng)` gives for a generator of seed `first`, then for one of seed `second`."""
    return function(5, 7, np.random.default_rng(first)), function(5, 7, np.random.default_rng(second))


@glorot_uniform.property(
    "small fans: 400 draws of (2, 3) reach both ends of [-l, l]",
    hint="Use the limit of the text's formula exactly: a limit a little too small shows only for small fans, "
    "where one more or less in the sum matters.",
)
def _reaches_the_limit_for_small_fans(function):
    rng = np.random.default_rng(14)
    weights = np.concatenate([np.ravel(function(2, 3, rng)) for _ in range(400)])
    limit = glorot_limit(2, 3)
    if weights.max() > 0.98 * limit and weights.min() < -0.98 * limit:
        return True
    return _("2400 weights stayed inside [{low}, {high}], short of l = {limit} at one end or both").format(
        low=describe_value(float(weights.min())), high=describe_value(float(weights.max())), limit=describe_value(limit)
    )


@glorot_uniform.property(
    "Python's random module is left alone",
    hint="Draw every number from the rng you are given: Python's random module is another generator, "
    "with a global state of its own.",
)
def _python_random_untouched(function):
    # Under the course's grader the call runs in the student's process and Python's random state travels back
    # with its reply, so this judges there too (GRADING.md: "What a test expects of one process still holds").
    state = random.getstate()
    function(4, 3, np.random.default_rng(0))
    if random.getstate() != state:
        return _("calling it changed the state of Python's random module: draw from the rng you are given")
    return True


@glorot_uniform.property("two generators made with the same seed give the same weights")
def _same_seed_same_weights(function):
    if not _same_weights(*_drawn_with_seeds(function, 42, 42)):
        return _("two generators made with the same seed gave different weights")
    return True


@glorot_uniform.property("generators with different seeds give different weights")
def _uses_given_generator(function):
    if _same_weights(*_drawn_with_seeds(function, 1, 2)):
        return _("generators with different seeds gave the same weights: draw from the `rng` you are given")
    return True


@glorot_uniform.property(
    "two calls with one generator give different weights (each draw moves the generator on)",
    hint="Draw from `rng` itself, not from a copy of it: every layer built from one generator "
    "needs weights of its own.",
)
def _generator_moves_on(function):
    rng = np.random.default_rng(3)
    if _same_weights(function(4, 3, rng), function(4, 3, rng)):
        return _("two calls with the same generator gave the same weights: the generator did not move on")
    return True


# ------------------------------------------------------------------ dense_forward

_x23 = np.array([[1.0, 2.0], [3.0, -1.0]])
_W23 = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]])
_b3 = np.array([0.5, -1.0, 2.0])
_rng = np.random.default_rng(4)
_x45, _W53, _b3r = _rng.normal(size=(4, 5)), _rng.normal(size=(5, 3)), _rng.normal(size=3)

dense_forward = Exercise(
    "dense_forward",
    cases=[
        Case("one sample, 2 inputs -> 3 units", args=(_x23[:1], _W23, _b3), expected=FROZEN),
        Case("a batch of 2 samples: the bias is added to every row", args=(_x23, _W23, _b3), expected=FROZEN),
        Case("a batch of 4 samples, 5 inputs -> 3 units (non-square)", args=(_x45, _W53, _b3r), expected=FROZEN),
    ],
    hints=[
        "Each row of x is one sample; W has one column per unit; b has one number per unit.",
        "`x @ W` has shape (batch, units); adding `b` of shape (units,) broadcasts it over the rows.",
        "Follow the shapes: (N, inputs) @ (inputs, units) is (N, units), and a bias of shape (units,) "
        "broadcasts over the N rows. No loop and no transpose are needed.",
    ],
)

# ------------------------------------------------------------------ dense_backward

_g23 = np.array([[1.0, 0.0, -2.0], [0.5, 1.0, 1.0]])
_g43 = _rng.normal(size=(4, 3))

dense_backward = Exercise(
    "dense_backward",
    outputs=("grad_x", "grad_W", "grad_b"),
    cases=[
        Case("one sample, 2 inputs -> 3 units", args=(_g23[:1], _x23[:1], _W23), expected=FROZEN),
        Case(
            "2 samples: grad_b adds up the rows (the same b is added to every sample)",
            args=(_g23, _x23, _W23),
            expected=FROZEN,
            hint="grad_W and grad_b are sums over the batch, not means: the 1/N of the mean loss is already "
            "inside grad_out, so dividing again by the batch size counts it twice.",
        ),
        Case(
            "4 samples, 5 inputs -> 3 units (non-square: grad_W must have W's shape)",
            args=(_g43, _x45, _W53),
            expected=FROZEN,
        ),
    ],
    hints=[
        "Each gradient has the shape of what it is the gradient of: grad_x like x (batch, inputs), "
        "grad_W like W (inputs, units), grad_b like b (units,). Let the shapes tell you which matrix "
        "to transpose.",
        "out[n, j] = sum_i x[n, i] W[i, j] + b[j]: so dL/dW[i, j] = sum_n x[n, i] grad_out[n, j], "
        "dL/dx[n, i] = sum_j grad_out[n, j] W[i, j], and dL/db[j] = sum_n grad_out[n, j] (a sum, "
        "not a mean: the mean over the batch is already inside grad_out).",
        "Match the shapes: grad_x (N, inputs) is grad_out (N, units) times a transposed W; grad_W "
        "(inputs, units) is a transposed x times grad_out; grad_b (units,) adds grad_out up over the batch axis "
        "(axis 0). Return the three in that order.",
    ],
)

# ------------------------------------------------------------------ relu_backward

relu_backward = Exercise(
    "relu_backward",
    cases=[
        Case(
            "a negative, a zero and a positive pre-activation",
            args=(np.array([5.0, 5.0, 5.0]), np.array([-1.0, 0.0, 2.0])),
            expected=np.array([0.0, 0.0, 5.0]),
        ),
        Case(
            "the upstream gradient passes unchanged where the unit was active",
            args=(np.array([[1.5, -2.0], [0.25, 3.0]]), np.array([[0.1, 4.0], [-0.1, 0.0]])),
            expected=np.array([[1.5, -2.0], [0.0, 0.0]]),
        ),
        Case(
            "a tiny positive pre-activation (1e-12) is still active",
            args=(np.array([2.0, 3.0]), np.array([1e-12, -1e-12])),
            expected=np.array([2.0, 0.0]),
            hint="The slope is 1 for every x > 0, however small: compare with 0, not with a small threshold.",
        ),
        Case(
            "any shape: a 2 x 2 x 3 tensor",
            args=(np.arange(12.0).reshape(2, 2, 3), np.arange(-6.0, 6.0).reshape(2, 2, 3)),
            expected=FROZEN,
        ),
    ],
    hints=[
        "relu(x) = max(x, 0) has slope 1 where x > 0 and slope 0 where x <= 0 (at exactly 0 we take 0, "
        "as Keras does). The chain rule multiplies the upstream gradient by that slope.",
        "Build the 0/1 slope from `x` (the pre-activation), not from `grad_out`, and return a new array: "
        "`grad_out` belongs to the caller.",
        "Comparing x with 0 gives a boolean array of x's shape; multiplying by it (or choosing with np.where) "
        "keeps grad_out where the unit was active and gives 0 elsewhere.",
    ],
)


@relu_backward.property(
    "where every unit is active it still returns a new array, not grad_out itself",
    hint="Return a new array (the result of an arithmetic operation always is one): handing back "
    "`grad_out` itself ties your result to the caller's array, so a later in-place change "
    "to "
    "one changes both.",
)
def _new_array_when_all_active(function):
    grad_out = np.array([[1.0, -2.0], [3.0, 0.5]])
    out = function(grad_out, np.ones((2, 2)))
    if out is grad_out or (isinstance(out, np.ndarray) and np.shares_memory(out, grad_out)):
        return _("with every pre-activation positive it handed back grad_out itself")
    return True


# ------------------------------------------------------------------ softmax_crossentropy_grad

_p23 = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
_y23 = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
_p45 = _rng.random(size=(4, 5)) + 0.1
_p45 /= _p45.sum(axis=1, keepdims=True)  # each row a probability distribution
_y45 = np.eye(5)[[0, 3, 3, 1]]

softmax_crossentropy_grad = Exercise(
    "softmax_crossentropy_grad",
    cases=[
        Case("one sample, 3 classes", args=(_p23[:1], _y23[:1]), expected=FROZEN),
        Case("2 samples: the loss is a mean, so the gradient is divided by N = 2", args=(_p23, _y23), expected=FROZEN),
        Case(
            "4 samples, 5 classes (divide by the number of samples, not of classes)", args=(_p45, _y45), expected=FROZEN
        ),
    ],
    hints=[
        "For one sample, the gradient of -log(softmax(z)[true class]) with respect to z is simply "
        "probs - y_onehot. The batch loss is the mean over the N samples.",
        "N is the number of rows (samples); every row of the gradient is divided by it. Do not "
        "subtract in place: `probs` belongs to the caller.",
        "Subtract the one-hot labels from the probabilities (that makes a new array) and divide by the number "
        "of rows, not by the number of classes.",
    ],
)

# ------------------------------------------------------------------ rmsprop_update

_param = np.array([[0.5, -0.25], [1.0, 2.0]])
_grad = np.array([[0.1, -0.2], [0.0, 3.0]])
_cache = np.array([[0.01, 0.0], [0.5, 1.0]])
_tiny = np.array([1e-6, -2e-6, 5e-7])

rmsprop_update = Exercise(
    "rmsprop_update",
    outputs=("new_param", "new_cache"),
    cases=[
        Case(
            "a first step (cache still 0): cache' = 0.1 * grad**2, step ~ lr * sqrt(10)",
            args=(np.array([1.0, -1.0]), np.array([0.5, -2.0]), np.zeros(2)),
            expected=FROZEN,
        ),
        Case(
            "a later step with the default lr=0.001, rho=0.9, eps=1e-7", args=(_param, _grad, _cache), expected=FROZEN
        ),
        Case(
            "other hyperparameters: lr=0.01, rho=0.5, eps=1e-3",
            args=(_param, _grad, _cache),
            kwargs=dict(lr=0.01, rho=0.5, eps=1e-3),
            expected=FROZEN,
        ),
        Case(
            "the same hyperparameters given by position, in the order of the signature: lr, rho, eps",
            args=(_param, _grad, _cache, 0.01, 0.5, 1e-3),
            expected=FROZEN,
            hint="Keep the signature's order, `rmsprop_update(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7)`: "
            "a caller may pass the hyperparameters by position.",
        ),
        Case(
            "large gradients are used as they are (no clipping)",
            args=(np.ones(3), np.array([10.0, -50.0, 3.0]), np.zeros(3)),
            expected=FROZEN,
            hint="Use the gradient as it comes: RMSprop's division by the root of the cache already scales it.",
        ),
        Case(
            "tiny gradients: eps sits inside the square root, as in Keras 3",
            args=(np.zeros(3), _tiny, np.zeros(3)),
            expected=FROZEN,
            atol=1e-12,
            hint="With gradients this small the place of eps decides the step: Keras 3 adds it to the new cache "
            "under the square root, not to the root afterwards.",
        ),
    ],
    hints=[
        "Two lines, in this order: first the new cache (a running mean of grad**2), then the step, "
        "which divides by the square root of the *new* cache plus eps.",
        "The docstring's two formulas, in that order: the new cache from the old one and grad**2, then the new "
        "parameter from the *new* cache, with eps inside the square root. Build new arrays: `param -= ...` would "
        "change the caller's array.",
        "Return a tuple (new_param, new_cache), in that order. A quick test: from a cache of 0, with the "
        "defaults, every entry moves by about lr * sqrt(10) = 0.00316, whatever the size of its gradient.",
    ],
)

# ------------------------------------------------------------------ accuracy

_probs5 = np.array([[0.8, 0.1, 0.1], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]])

accuracy = Exercise(
    "accuracy",
    cases=[
        Case("one right prediction out of one", args=(np.array([[0.1, 0.9]]), np.array([1])), expected=1.0),
        Case(
            "3 of 5 rows predict their label (integer labels, not one-hot)",
            args=(_probs5, np.array([0, 1, 0, 0, 1])),
            expected=0.6,
        ),
        Case("MNIST's labels are uint8", args=(_probs5, np.array([0, 1, 2, 1, 2], dtype=np.uint8)), expected=0.8),
        Case(
            "a tie: argmax takes the first of equal maxima, so the first row predicts class 0, not its label 1",
            args=(np.array([[0.5, 0.5], [0.2, 0.8]]), np.array([1, 1])),
            expected=0.5,
            hint="Use np.argmax(probs, axis=1): on a tie it predicts the first of the equal maxima (not the last, "
            "as an argsort's last column does, and not whichever of them is the label).",
        ),
        Case(
            "1 of 3 rows right: exactly 1/3, not rounded",
            args=(np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]]), np.array([0, 1, 0])),
            expected=0.3333333333333333,
            hint="Return the fraction as it is; rounding is for printing it.",
        ),
    ],
    hints=[
        "The prediction of a row is the class with the highest probability; compare it with the "
        "row's integer label and take the fraction of matches.",
        "`np.argmax(probs, axis=1)` gives one predicted class per row (axis 1: across the classes); "
        "`labels` are already integers, so compare directly.",
        "Comparing the predicted classes with the labels gives a boolean array; its mean is the fraction of "
        "True values. Return it as a Python float.",
    ],
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
            return _("expected a dict of parameters, got {name}").format(name=type(out).__name__)
        missing = [k for k in shapes if k not in out]
        if missing:
            return _("the dict has no key(s) {missing}; expected W1, b1, W2, b2").format(missing=missing)
        for key, shape in shapes.items():
            value = out[key]
            if not isinstance(value, np.ndarray):
                return _("{key} is a {name}, expected a NumPy array").format(key=key, name=type(value).__name__)
            if value.shape != shape:
                return _("{key} has shape {got}, expected {expected}").format(key=key, got=value.shape, expected=shape)
            if value.dtype.kind != "f" or not np.all(np.isfinite(value)):
                return _("{key} must hold finite floats").format(key=key)
        return True

    return verdict


_tx, _ty, _tlabels = _toy_problem()

train_mlp = Exercise(
    "train_mlp",
    cases=[
        Case(
            "90 samples with 6 features, 3 classes, hidden=8: returns W1, b1, W2, b2 of the right shapes",
            args=(_tx, _ty),
            kwargs=dict(epochs=1, batch_size=32, hidden=8, seed=0),
            satisfies=params_verdict(6, 8, 3),
        ),
    ],
    quiet=True,
    time_limit=60.0,
    hints=[
        "Put together what you wrote above: glorot-uniform weights and zero biases from "
        "default_rng(seed); then per epoch a new order of the rows (rng.permutation), and per batch "
        "forward (dense, relu, dense, softmax), backward (softmax_crossentropy_grad, dense_backward, "
        "relu_backward, dense_backward) and an RMSprop step for each of W1, b1, W2, b2.",
        "Keep one RMSprop cache per parameter, starting at zeros. The last batch of an epoch may be "
        "shorter than batch_size: divide by its own length. Never change x or y_onehot in place "
        "(shuffle an index array, not the data).",
        "One batch, in order: the forward pass (dense, relu, dense, softmax), keeping the pre-activation and the "
        "hidden output for the way back; then backward from the logits: the softmax-crossentropy gradient "
        "divided by this batch's own length, the second dense layer's gradients, relu's slope, the first dense "
        "layer's gradients. Each gradient has the shape of its parameter.",
        "The RMSprop step of each parameter is rmsprop_update's, with a cache of its own. For the epoch line, "
        "add up the batch losses times their sizes and the number of right predictions over the epoch, and "
        "report their means over the n samples with log.epoch_done.",
        "Test the pieces one at a time on a tiny run (one epoch, a few rows, a few hidden units): the shape of "
        "every gradient, one RMSprop step, then the loop; the check that fails above names the part that is off.",
    ],
)


def _reported_accuracies(function, *args, **kwargs) -> tuple:
    """`(what function returned, the accuracies it reported per epoch)`: those of the `TrainingLog` it made
    while it ran, or None when it made none.

    The check judges learning by the accuracy the learner's own loop measured on its batches, so that
    it needs no forward pass of its own (that is dense_forward's answer, and `checks` ships to students).
    """
    from notebook_helpers.plots import TrainingLog

    before = TrainingLog.last
    returned = function(*args, **kwargs)
    log = TrainingLog.last
    return returned, (None if log is before or log is None else list(log.history["accuracy"]))


@train_mlp.property(
    "it learns three well separated blobs: the accuracy its epoch line reports for the last of 30 "
    "epochs (batch 16, hidden 16) is 95% or more",
    hint="Report each epoch to the TrainingLog with the mean loss and the fraction of the epoch's "
    "samples whose predicted class (the largest probability) is their label; if that fraction "
    "stays low, look for a step that breaks learning: a batch whose images and labels come from "
    "different orders, a wrong learning rate, a gradient without relu's slope.",
)
def _learns_toy_problem(function):
    x, y, _labels = _toy_problem()
    params, reported = _reported_accuracies(function, x, y, epochs=30, batch_size=16, hidden=16, seed=0)
    shape = params_verdict(6, 16, 3)(params)
    if shape is not True:
        return shape
    if reported is None and not runs_in_this_process(function):
        return NotJudged(
            _(
                "it runs in a process of its own (the grader's), where this check cannot read its TrainingLog; "
                "the hidden tests train it on MNIST"
            )
        )
    if reported is None:  # the check has no forward pass of its own to measure learning by
        return NotJudged(
            _(
                "it reported no epoch to a TrainingLog, the report this check reads how well it learns from "
                "(the hidden tests train it on MNIST): make one with TrainingLog(epochs) before the loop and "
                "call its epoch_done(mean_loss, accuracy) after each epoch, as the text asks"
            )
        )
    if len(reported) != 30:
        return _("it reported {count} epoch lines to its TrainingLog, expected one for each of the 30 epochs").format(
            count=len(reported)
        )
    if not reported[-1] >= 0.95:
        return _(
            "the last of 30 epochs on three well separated blobs reported an accuracy of {accuracy}, "
            "expected 0.95 or more"
        ).format(accuracy=describe_value(reported[-1]))
    return True


@train_mlp.property(
    "the same seed and settings give the same weights; another seed, number of epochs or batch size, other weights",
    hint="Draw everything from one default_rng(seed), and let every argument count: `epochs` passes "
    "over the data, each cut into batches of `batch_size` rows, one step per batch.",
)
def _deterministic(function):
    x, y, _labels = _toy_problem()
    setting = dict(epochs=2, batch_size=16, hidden=8, seed=5)
    a, b = function(x, y, **setting), function(x, y, **setting)
    if not all(np.array_equal(a[k], b[k]) for k in ("W1", "b1", "W2", "b2")):
        return _("two runs with the same seed gave different weights: draw everything from default_rng(seed)")
    for changed in (dict(seed=6), dict(epochs=1), dict(batch_size=32)):
        other = function(x, y, **{**setting, **changed})
        if np.array_equal(a["W1"], other["W1"]):
            ((name, value),) = changed.items()
            return _("{name}={value} gave the same weights as {name}={default}").format(
                name=name, value=value, default=setting[name]
            )
    return True


# Inputs that are always 0 give their rows of W1 no gradient, so those rows keep their starting weights: a
# window onto the initialisation through the trained parameters (the hidden test does the same with MNIST's
# blank pixels).
_BLANK_INPUTS, _WIDE = 10, 64


def _with_blank_inputs():
    x, y, _labels = _toy_problem()
    return np.hstack([x, np.zeros((len(x), _BLANK_INPUTS), np.float32)]), y


@train_mlp.property(
    "its starting weights are Glorot-uniform and follow the seed (seen in the rows of W1 that "
    "inputs which are always 0 leave as they started)",
    hint="Draw W1 and W2 from U(-l, l) with l = sqrt(6 / (fan_in + fan_out)), as glorot_uniform "
    "does, with the generator default_rng(seed): another seed, other starting weights.",
)
def _starts_from_glorot(function):
    x, y = _with_blank_inputs()
    first = function(x, y, epochs=1, batch_size=32, hidden=_WIDE, seed=0)
    other = function(x, y, epochs=1, batch_size=32, hidden=_WIDE, seed=1)
    start = np.asarray(first["W1"][-_BLANK_INPUTS:], np.float64)
    limit = glorot_limit(x.shape[1], _WIDE)
    if np.any(np.abs(start) > limit * (1 + 1e-6)) or not 0.85 < start.var() * 3 / limit**2 < 1.15:
        return _(
            "the starting weights are not spread evenly over [-l, l] with l = sqrt(6 / ({fan_in} + "
            "{fan_out})) = {limit:.4f}"
        ).format(fan_in=x.shape[1], fan_out=_WIDE, limit=limit)
    if np.array_equal(start, np.asarray(other["W1"][-_BLANK_INPUTS:], np.float64)):
        return _("seeds 0 and 1 gave the same starting weights")
    return True


@train_mlp.property(
    "it leaves the global np.random generator alone",
    hint="Make one `rng = np.random.default_rng(seed)` and draw everything from it (`rng.uniform`, "
    "`rng.permutation`): `np.random.seed` and the `np.random.*` functions change the global "
    "generator, which belongs to the caller.",
)
def _leaves_global_generator_alone(function):
    x, y, _labels = _toy_problem()
    saved = np.random.get_state()
    try:
        np.random.seed(123)
        before = np.random.get_state()[1].copy()
        function(x, y, epochs=1, batch_size=32, hidden=8, seed=0)
        untouched = np.array_equal(np.random.get_state()[1], before)
    finally:
        np.random.set_state(saved)  # the learner's own global state, as it was before the check
    return untouched or _("the global np.random generator moved (or was seeded) while it trained")


@train_mlp.property(
    "its biases are trained too: b1 and b2 move away from 0",
    hint="Give b1 and b2 an RMSprop step of their own every batch, as W1 and W2: their gradients "
    "are d_h and d_logits summed over the batch.",
)
def _trains_biases(function):
    x, y, _labels = _toy_problem()
    params = function(x, y, epochs=1, batch_size=32, hidden=8, seed=0)
    if not (np.any(params["b1"] != 0) and np.any(params["b2"] != 0)):
        return _("after one epoch b1 or b2 is still all zeros")
    return True


@train_mlp.property(
    "a batch shorter than batch_size is trained on: 20 rows with batch_size=32 make one step",
    hint="Loop `for start in range(0, n, batch_size)`: the last batch holds the rows that are left, "
    "even when it is shorter than batch_size (or the only one).",
)
def _trains_short_batch(function):
    x, y, _labels = _toy_problem(n=20)
    params = function(x, y, epochs=1, batch_size=32, hidden=8, seed=0)
    if not np.any(params["b2"] != 0):
        return _("after one epoch of 20 rows in batches of 32, b2 is still all zeros: no step was made")
    return True


@train_mlp.property(
    "a hidden unit that no sample activates gets no gradient: its bias stays 0",
    hint="Multiply the gradient that flows back into the hidden layer by relu's slope, (z1 > 0), "
    "as relu_backward does: a unit that was not active must get no update.",
)
def _blocks_inactive_units(function):
    rng = np.random.default_rng(0)
    direction = rng.random(6).astype(np.float32) + 0.5
    scale = np.linspace(0.5, 2.0, 60, dtype=np.float32)
    x = scale[:, None] * direction  # every sample a positive multiple of one vector: a unit is
    y = np.eye(2, dtype=np.float32)[(scale > 1.25).astype(int)]  # active for all samples or for none
    params = function(x, y, epochs=3, batch_size=16, hidden=32, seed=0)
    if not np.any(params["b1"] == 0):
        return _(
            "every hidden bias moved, although on these inputs about half of the 32 units are never active, "
            "so relu lets no gradient through to them"
        )
    return True


@train_mlp.property(
    "RMSprop with Keras' defaults (lr=0.001, rho=0.9): the first step moves every output bias by "
    "0.001 * sqrt(10) = 0.00316",
    hint="Use Keras' RMSprop as in rmsprop_update, with its defaults lr=0.001, rho=0.9, eps=1e-7: "
    "on the first step the cache is 0.1 * grad**2, so each step is about lr * sqrt(10).",
)
def _steps_like_keras_rmsprop(function):
    x, _y, _labels = _toy_problem()
    all_class_0 = np.eye(3, dtype=np.float32)[np.zeros(len(x), int)]  # every output bias gets a large gradient
    params = function(x, all_class_0, epochs=1, batch_size=len(x), hidden=8, seed=0)
    step = np.abs(np.asarray(params["b2"], np.float64))
    if not np.allclose(step, 0.0031622776601683794, rtol=1e-3):  # lr * g / sqrt(0.1 g**2 + eps), |g| >= 0.3
        return _("one step moved the output biases by {step}").format(step=describe_value(step))
    return True


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
