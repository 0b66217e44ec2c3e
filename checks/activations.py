"""Visible checks and hints for notebook 02, activations.

    from checks import activations as q
    q.softmax.check(softmax)
    q.softmax.hint()
    q.softmax.solution()

The checks of `sigmoid`, `sigmoid_derivative` and `softmax` run with NumPy's overflow, division and
invalid-value warnings turned into errors (`warnings_as_errors`), since the contract asks for answers
that are warning-free on logits as large as 1e4.  Underflow (`exp(-1e4)` rounding to 0.0) is left alone: it is silent in
NumPy by default and the result, 0.0, is the right one.
"""

from __future__ import annotations

import numpy as np

from .core import FROZEN, Case
from .exercise import Exercise
from .i18n import _


def _sums_to_one(axis):
    def verdict(out):
        out = np.asarray(out)
        if not np.all(np.isfinite(out)):
            return _("some outputs are not finite (nan or inf)")
        if not np.allclose(out.sum(axis=axis), 1.0):
            return _("the outputs do not sum to 1 along axis {axis}").format(axis=axis)
        return True

    return verdict


def _in_unit_interval(out):
    out = np.asarray(out, dtype=float)
    if not np.all(np.isfinite(out)):
        return _("some outputs are not finite (nan or inf)")
    if np.any(out < 0) or np.any(out > 1):
        return _("some outputs fall outside [0, 1]")
    return True


relu = Exercise(
    "relu",
    cases=[
        Case(
            "a 0-d array stays 0-d: any shape includes the shape ()",
            args=(np.array(-2.0),),
            expected=0.0,
            hint="np.maximum keeps the shape it is given, () included: no np.atleast_1d or reshape is needed.",
        ),
        Case(
            "a vector with a negative, a zero and a positive entry",
            args=(np.array([-2.0, 0.0, 3.0]),),
            expected=np.array([0.0, 0.0, 3.0]),
        ),
        Case(
            "a matrix keeps its shape",
            args=(np.array([[-1.0, 2.0], [3.0, -4.0]]),),
            expected=np.array([[0.0, 2.0], [3.0, 0.0]]),
        ),
        Case(
            "fractional values are kept exactly (not rounded, not truncated to ints)",
            args=(np.array([-1.5, 0.25, 2.75]),),
            expected=np.array([0.0, 0.25, 2.75]),
        ),
        Case(
            "a 3-D tensor (any shape, not only matrices)",
            args=(np.arange(-12.0, 12.0).reshape(2, 3, 4),),
            expected=FROZEN,
        ),
    ],
    hints=[
        "ReLU keeps positive values and replaces every negative one by 0; no loop is needed.",
        "NumPy's element-wise maximum broadcasts a scalar against an array of any shape.",
        "Compare every entry with 0 and keep the larger: look up np.maximum, which does that for a whole array "
        "at once, whatever its shape. Make sure you return a new array: do not write into `x`.",
    ],
)

# The inputs that sigmoid and sigmoid_derivative are both checked on.
_SMALL_VECTOR = np.array([-2.0, 0.0, 2.0])
_INT_VECTOR = np.array([-1, 0, 1])

sigmoid = Exercise(
    "sigmoid",
    warnings_as_errors=True,
    cases=[
        Case("sigmoid(0) is one half", args=(0.0,), expected=0.5),
        Case("a small vector", args=(_SMALL_VECTOR,), expected=FROZEN),
        Case(
            "an int vector gives floats: sigmoid(1) is 0.731..., not truncated to 0",
            args=(_INT_VECTOR,),
            expected=FROZEN,
            hint="Compute in floats (convert the input with np.asarray and dtype=float first): a buffer made "
            "with np.empty_like of an int input holds ints, and every value written into it is truncated.",
        ),
        Case("a matrix keeps its shape", args=(np.array([[-1.0, 1.0], [3.0, -3.0]]),), expected=FROZEN),
        Case(
            "huge logits: finite, in [0, 1], and no overflow warning",
            args=(np.array([-1e4, -800.0, 800.0, 1e4]),),
            expected=np.array([0.0, 0.0, 1.0, 1.0]),
            satisfies=_in_unit_interval,
        ),
    ],
    hints=[
        "`1 / (1 + np.exp(-x))` is right on paper, but `np.exp(1e4)` overflows for x = -1e4: "
        "compute it so that `exp` only ever sees a number <= 0.",
        "For x >= 0 use 1 / (1 + exp(-x)); for x < 0 use exp(x) / (1 + exp(x)). Both equal the "
        "sigmoid, and each only exponentiates -|x|. (The identity sigmoid(x) = (1 + tanh(x/2)) / 2 never overflows "
        "either, but it loses the left tail: 35% off at x = -37, exactly 0 from x = -38.)",
        "Compute one exponential, of -|x| (never positive), and build both formulas from it; np.where(condition, "
        "a, b) then picks, entry by entry, the one for x >= 0 or the one for x < 0. Convert the input to floats "
        "first. That is free of overflow and accurate in both tails (the tanh form is exactly 0 from x = -38 on).",
    ],
)

sigmoid_derivative = Exercise(
    "sigmoid_derivative",
    warnings_as_errors=True,
    cases=[
        Case("the slope at 0 is 1/4, the steepest point", args=(0.0,), expected=0.25),
        Case("a small vector", args=(_SMALL_VECTOR,), expected=FROZEN),
        Case(
            "an int vector gives fractional slopes, not values truncated to ints",
            args=(_INT_VECTOR,),
            expected=FROZEN,
            hint="Compute s in floats (convert the input with np.asarray and dtype=float first): a buffer made "
            "with np.empty_like of an int input holds ints, so s is truncated to 0 or 1 and the slope to 0.",
        ),
        Case(
            "huge logits: the curve is flat there (slope 0), and no overflow warning",
            args=(np.array([-1e4, 1e4]),),
            expected=np.array([0.0, 0.0]),
        ),
    ],
    hints=[
        "The derivative is written with the sigmoid itself: s * (1 - s), where s = sigmoid(x).",
        "Compute s with a stable sigmoid first (a test cell cannot rely on your `sigmoid`, so put the "
        "stable formula inside this function too), then return s * (1 - s).",
        "1 - s equals sigmoid(-x): compute it with the same stable formula as s, mirrored, rather than by "
        "subtracting s from 1 (which rounds to 0 for x > 37); the slope is the product of the two.",
    ],
)

_LOGITS = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
_COLUMNS = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 1.0, 4.0], [0.0, 1.0, 1.0, 0.0]])

softmax = Exercise(
    "softmax",
    warnings_as_errors=True,
    cases=[
        Case(
            "equal logits give equal probabilities", args=(np.array([0.0, 0.0, 0.0, 0.0]),), expected=np.full(4, 0.25)
        ),
        Case("one row per sample, default axis=-1", args=(_LOGITS,), expected=FROZEN, satisfies=_sums_to_one(-1)),
        Case(
            "axis=0 normalises each column of a 3 x 4 matrix",
            args=(_COLUMNS,),
            kwargs={"axis": 0},
            expected=FROZEN,
            satisfies=_sums_to_one(0),
        ),
        Case(
            "rows on very different scales: each row is shifted by its own maximum",
            args=(np.array([[0.0, 800.0], [-800.0, -801.0]]),),
            expected=FROZEN,
            satisfies=_sums_to_one(-1),
            hint="Shift each row by its own maximum (`np.max(x, axis=axis, keepdims=True)`): with one maximum "
            "for the whole batch, a row far below it underflows to 0 / 0; clipping the logits instead "
            "makes all very negative rows look alike.",
        ),
        Case(
            "huge logits: no overflow, no nan", args=(np.array([1e4, 0.0, -1e4]),), expected=np.array([1.0, 0.0, 0.0])
        ),
    ],
    hints=[
        "softmax(x) = exp(x) / sum(exp(x)) along `axis`. Subtracting the same number from every "
        "logit along the axis changes nothing, so subtract the largest one: exp then never overflows.",
        "Use `x.max(axis=axis, keepdims=True)` and `.sum(axis=axis, keepdims=True)`: `keepdims` keeps "
        "the reduced axis (size 1) so that the result broadcasts back against `x` for any axis.",
        "Three steps along the same `axis`, each reduction with keepdims: shift by the maximum, exponentiate, "
        "divide by the sum. Convert the input to floats first, and build new arrays (no in-place `-=` on the "
        "input).",
    ],
)
