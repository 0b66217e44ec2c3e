"""Visible checks and hints for notebook 03, losses.

    from checks import losses as q
    q.binary_crossentropy.check(binary_crossentropy)
    q.binary_crossentropy.hint()
    q.binary_crossentropy.solution()

Figures marked "Keras" were computed by transcribing Keras 3's NumPy backend
(`keras/src/backend/numpy/nn.py`: clip to [1e-7, 1 - 1e-7], categorical rows normalised first) and
its losses (`keras/src/losses/losses.py`: mean over the last axis, then the default
"sum_over_batch_size" reduction, a mean over samples), in float64.  Three of them are the examples
of Keras' own docstrings, whose printed (rounded) values they reproduce.
"""

from __future__ import annotations

import math

import numpy as np

from .core import FROZEN, Case
from .exercise import Exercise
from .i18n import _

LOG2 = math.log(2.0)


def _one_hot_rows(out):
    out = np.asarray(out)
    if out.ndim != 2:
        return _("the result should be a 2-D array: one row per label")
    if not np.all((out == 0) | (out == 1)) or not np.all(out.sum(axis=1) == 1):
        return _("every row should hold a single 1 and zeros elsewhere")
    return True


to_categorical = Exercise(
    "to_categorical",
    cases=[
        Case(
            "three labels, three classes",
            args=(np.array([0, 2, 1]),),
            expected=np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32),
            dtype=np.float32,
            satisfies=_one_hot_rows,
        ),
        Case(
            "num_classes defaults to max(labels) + 1, even if a class is missing",
            args=(np.array([3, 0]),),
            expected=np.array([[0, 0, 0, 1], [1, 0, 0, 0]], dtype=np.float32),
            dtype=np.float32,
        ),
        Case(
            "an explicit num_classes gives that many columns",
            args=(np.array([1, 0]),),
            kwargs={"num_classes": 4},
            expected=np.array([[0, 1, 0, 0], [1, 0, 0, 0]], dtype=np.float32),
            dtype=np.float32,
        ),
        Case(
            "labels given as a Python list",
            args=([2, 2, 0],),
            expected=np.array([[0, 0, 1], [0, 0, 1], [1, 0, 0]], dtype=np.float32),
            dtype=np.float32,
        ),
        Case(
            "labels that start above 0: class k still goes in column k",
            args=(np.array([2, 1]),),
            expected=np.array([[0, 0, 1], [0, 1, 0]], dtype=np.float32),
            dtype=np.float32,
            hint="Class k goes in column k whatever the smallest label is: do not shift the labels by their minimum.",
        ),
        Case(
            "a label of 7 does not fit num_classes=5: a clear ValueError",
            args=(np.array([7]),),
            kwargs={"num_classes": 5},
            raises=ValueError,
            hint="Check that every label lies in [0, num_classes - 1] and `raise ValueError(...)` otherwise: "
            "NumPy's indexing would raise an IndexError, or give a row of zeros with a comparison.",
        ),
        Case(
            "a label of -1 does not fit either (NumPy's indexing would put its 1 in the last column)",
            args=(np.array([0, -1]),),
            raises=ValueError,
            hint="Negative labels need the same check, `labels.min() < 0`: NumPy reads -1 as the last column.",
        ),
    ],
    hints=[
        "Make a float32 array of zeros with one row per label and `num_classes` columns, then put a 1 "
        "in row i at column labels[i].",
        "np.asarray accepts lists too; when `num_classes` is None there is one class more than the largest "
        "label (as a Python int). Fancy indexing with an array of row numbers and the array of labels as column "
        "numbers sets every 1 at once.",
        "The rows of an identity matrix (np.eye) are exactly the one-hot rows: indexing it with the labels "
        "picks one row per label, once every label is known to lie in [0, num_classes - 1] (raise a ValueError "
        "first otherwise). Mind the dtype: np.eye gives float64 unless told otherwise.",
    ],
)

binary_crossentropy = Exercise(
    "binary_crossentropy",
    cases=[
        Case("one confident right answer", args=(np.array([1.0]), np.array([0.9])), expected=-math.log(0.9)),
        Case(
            "Keras' docstring example: (2, 2) multi-label targets (Keras: 0.8149)",
            args=(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[0.6, 0.4], [0.4, 0.6]])),
            expected=0.814924454847114,
        ),
        Case(
            "a vector of five yes/no predictions (Keras: 0.1719)",
            args=(np.array([1.0, 0.0, 1.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.6, 0.99, 0.01])),
            expected=0.17188607248900595,
        ),
        Case(
            "predictions of exactly 0 and 1 are clipped to [1e-7, 1 - 1e-7] (Keras: 8.0590)",
            args=(np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.0, 1.0, 1.0, 0.0])),
            expected=8.059047875610753,
        ),
        Case(
            "predictions within 1e-7 of 0 or 1 are clipped too, not only exact 0s and 1s",
            args=(np.array([1.0, 0.0]), np.array([1e-9, 1.0 - 1e-9])),
            expected=16.1180956512215,
        ),
        Case(
            "soft targets (0.25, 0.75) use both terms of the formula",
            args=(np.array([0.25, 0.75]), np.array([0.2, 0.6])),
            expected=FROZEN,
            hint="Use -(y log p + (1 - y) log(1 - p)) for every target: np.where(y == 1, ...) keeps one of the "
            "two terms, which is right for targets of exactly 0 and 1 only.",
        ),
    ],
    hints=[
        "Per element: -(y log p + (1 - y) log(1 - p)), with p = y_pred clipped to [1e-7, 1 - 1e-7] so "
        "that log never sees 0. The loss is the mean of that over every element.",
        "np.clip makes a new array (do not clip in place: the caller's predictions must stay as they were). "
        "Then average with `np.mean` over the whole array.",
        "Keep both terms of the formula for every element (targets may be soft, such as 0.25), and return the "
        "mean as a Python float, not as a NumPy array.",
    ],
)

# The predictions that categorical_crossentropy (with one-hot labels) and sparse_categorical_crossentropy (with
# the same labels as integers) are both checked on.
_DOCSTRING_PROBS = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])  # Keras' docstring example
_UNNORMALISED = np.array([[2.0, 1.0, 1.0], [0.2, 0.2, 5.0]])  # rows that do not sum to 1
_BELOW_EPSILON = np.array([[1e-9, 0.5, 0.5 - 1e-9]])  # a true-class probability below 1e-7

categorical_crossentropy = Exercise(
    "categorical_crossentropy",
    cases=[
        Case(
            "one sample, 0.8 on the true class",
            args=(np.array([[0.0, 1.0, 0.0]]), np.array([[0.1, 0.8, 0.1]])),
            expected=-math.log(0.8),
        ),
        Case(
            "Keras' docstring example (Keras: 1.1769)",
            args=(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), _DOCSTRING_PROBS),
            expected=1.176939193690798,
        ),
        Case(
            "rows that do not sum to 1 are normalised first (Keras: 0.3851)",
            args=(np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), _UNNORMALISED),
            expected=0.38505411084803687,
        ),
        Case(
            "probability 0 on the true class is clipped to 1e-7 (Keras: 8.1706)",
            args=(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([[0.0, 0.5, 0.5], [0.1, 0.8, 0.1]])),
            expected=8.170619601136265,
        ),
        Case(
            "a probability below 1e-7 on the true class is clipped too, not only an exact 0",
            args=(np.array([[1.0, 0.0, 0.0]]), _BELOW_EPSILON),
            expected=16.11809565095832,
        ),
    ],
    hints=[
        "Per sample: -sum over classes of y * log(p). Keras first divides each row of y_pred by its sum, "
        "then clips to [1e-7, 1 - 1e-7]. The loss is the mean over samples (rows).",
        "Normalise each row by its own sum (keepdims=True keeps a shape that broadcasts back), clip with "
        "`np.clip`, then sum over the classes (axis -1) to get one number per sample, and take the mean.",
        "Follow the shapes: y_pred (N, C) divided by its row sums (N, 1) stays (N, C); the sum over the classes "
        "gives (N,); the mean gives one number, to return as a Python float.",
    ],
)

sparse_categorical_crossentropy = Exercise(
    "sparse_categorical_crossentropy",
    cases=[
        Case("one sample of class 1", args=(np.array([1]), np.array([[0.1, 0.8, 0.1]])), expected=-math.log(0.8)),
        Case(
            "Keras' docstring example: labels [1, 2] (Keras: 1.1769, as the one-hot version)",
            args=(np.array([1, 2]), _DOCSTRING_PROBS),
            expected=1.176939193690798,
        ),
        Case(
            "rows normalised first, as in categorical_crossentropy (Keras: 0.3851)",
            args=(np.array([0, 2]), _UNNORMALISED),
            expected=0.38505411084803687,
        ),
        Case(
            "labels that do not use every class; a 0 on the true class is clipped (Keras: 5.7226)",
            args=(np.array([0, 1, 1]), np.array([[0.7, 0.1, 0.1, 0.1], [0.2, 0.5, 0.2, 0.1], [0.0, 0.0, 0.0, 1.0]])),
            expected=5.722639258485667,
        ),
        Case(
            "a probability below 1e-7 on the true class is clipped too, not only an exact 0",
            args=(np.array([0]), _BELOW_EPSILON),
            expected=16.11809565095832,
        ),
    ],
    hints=[
        "It is categorical crossentropy with the one-hot matrix left implicit: per sample, only the "
        "probability of the true class counts, -log p[i, y_true[i]] (after normalising and clipping).",
        "Pick one entry per row: index the probabilities with an array of row numbers and the array of labels "
        "(fancy indexing), or use np.take_along_axis. The number of classes is y_pred.shape[-1], not "
        "max(y_true) + 1.",
        "Normalise and clip exactly as categorical_crossentropy does, then take -log of the picked "
        "probabilities and their mean, returned as a Python float.",
    ],
)

# The inputs (y_true, y_pred) that mean_squared_error and mean_absolute_error are both checked on.
_PERFECT = (np.array([1.0, 2.0]), np.array([1.0, 2.0]))
_ONE_BIG_MISS = (np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.5, 2.0, 2.0, 6.0]))
_BOTH_SIGNS = (np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]), np.array([[2.0, -4.0, 3.5], [-0.5, 1.0, -1.0]]))

mean_squared_error = Exercise(
    "mean_squared_error",
    cases=[
        Case("a perfect prediction costs 0", args=_PERFECT, expected=0.0),
        Case("four targets, one big miss (Keras: 1.3125)", args=_ONE_BIG_MISS, expected=1.3125),
        Case("a (2, 3) batch with errors of both signs (Keras: 1.2083)", args=_BOTH_SIGNS, expected=1.2083333333333333),
    ],
    hints=[
        "Square every difference y_true - y_pred, then average over all elements.",
        "`np.mean` with no axis averages over the whole array; no square root (that would be RMSE).",
        "Convert both inputs to float arrays first (lists are allowed), and return the mean as a Python float.",
    ],
)

mean_absolute_error = Exercise(
    "mean_absolute_error",
    cases=[
        Case("a perfect prediction costs 0", args=_PERFECT, expected=0.0),
        Case("four targets, one big miss (Keras: 0.875)", args=_ONE_BIG_MISS, expected=0.875),
        Case("a (2, 3) batch with errors of both signs (Keras: 0.9167)", args=_BOTH_SIGNS, expected=0.9166666666666667),
    ],
    hints=[
        "Take the absolute value of every difference y_true - y_pred, then average over all elements.",
        "Order matters: the absolute value comes first, the mean second (errors of opposite signs must not cancel).",
        "Convert both inputs to float arrays first (lists are allowed), take np.abs of the differences, and "
        "return their mean as a Python float.",
    ],
)

entropy = Exercise(
    "entropy",
    cases=[
        Case("a fair coin: log 2 nats (one bit)", args=(np.array([0.5, 0.5]),), expected=LOG2),
        Case("a fair die: log 6 nats", args=(np.full(6, 1 / 6),), expected=math.log(6.0)),
        Case("a certain outcome carries no surprise", args=(np.array([0.0, 1.0, 0.0]),), expected=0.0),
        Case(
            "a biased coin, with an impossible third side (0 log 0 = 0)",
            args=(np.array([0.9, 0.1, 0.0]),),
            expected=FROZEN,
        ),
    ],
    hints=[
        "H(p) = -sum p log p with the natural log (nats). Terms with p = 0 count 0 (the limit of p log p).",
        "`np.log(0)` is -inf and `0 * -inf` is nan: keep only the entries with p > 0 before taking logs "
        "(a boolean mask selects them).",
        "With the positive entries selected, the entropy is minus the sum of each one times its natural log "
        "(np.log), returned as a Python float: a certain outcome gives 0.0, a fair coin log 2.",
    ],
)

cross_entropy = Exercise(
    "cross_entropy",
    cases=[
        Case(
            "a coin against itself: equals its entropy",
            args=(np.array([0.5, 0.5]), np.array([0.5, 0.5])),
            expected=LOG2,
        ),
        Case(
            "one-hot p: just -log of q's probability for that outcome",
            args=(np.array([0.0, 1.0, 0.0]), np.array([0.2, 0.7, 0.1])),
            expected=-math.log(0.7),
        ),
        Case(
            "where p is 0 the term counts 0, even if q is 0 there too",
            args=(np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0])),
            expected=FROZEN,
        ),
        Case(
            "q gives 0 to an outcome that happens: infinitely surprised",
            args=(np.array([0.5, 0.5]), np.array([1.0, 0.0])),
            expected=math.inf,
        ),
        Case(
            "a tiny q that is not 0 (1e-50) gives a large finite value, not inf",
            args=(np.array([0.5, 0.5]), np.array([1e-50, 1.0 - 1e-50])),
            expected=FROZEN,
            hint="Compute in float64, as the inputs come: in float32, 1e-50 rounds to 0 and the answer turns inf.",
        ),
    ],
    hints=[
        "H(p, q) = -sum p log q in nats. Only the outcomes with p > 0 contribute.",
        "Keep the entries where p > 0. If q is 0 at any of them the answer is inf (return "
        "`float('inf')`, or let -log 0 give inf, but take care that no 0 * inf = nan appears).",
        "Use one boolean mask of the outcomes with p > 0 on both p and q. Test q for zeros there first (then the "
        "answer is inf); else return minus the sum of p times log q over them, as a Python float.",
    ],
)

kl_divergence = Exercise(
    "kl_divergence",
    cases=[
        Case(
            "a distribution against itself: 0",
            args=(np.array([0.2, 0.3, 0.5]), np.array([0.2, 0.3, 0.5])),
            expected=0.0,
        ),
        Case(
            "a fair coin modelled as a 90/10 coin", args=(np.array([0.5, 0.5]), np.array([0.9, 0.1])), expected=FROZEN
        ),
        Case(
            "a 90/10 coin modelled as a fair coin (KL is not symmetric)",
            args=(np.array([0.9, 0.1]), np.array([0.5, 0.5])),
            expected=FROZEN,
        ),
        Case(
            "q gives 0 to an outcome that happens: inf",
            args=(np.array([0.5, 0.5]), np.array([1.0, 0.0])),
            expected=math.inf,
        ),
        Case(
            "where p is 0 the term counts 0 (0 log 0 = 0)",
            args=(np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])),
            expected=LOG2,
            hint="Keep only the entries with p > 0 before taking logs: in NumPy 0 * log(0 / q) is nan, not 0.",
        ),
        Case(
            "a tiny q that is not 0 (1e-50) gives a large finite value, not inf",
            args=(np.array([0.5, 0.5]), np.array([1e-50, 1.0 - 1e-50])),
            expected=FROZEN,
            hint="Compute in float64, as the inputs come: in float32, 1e-50 rounds to 0 and the answer turns inf.",
        ),
    ],
    hints=[
        "KL(p || q) = H(p, q) - H(p) = sum p log(p / q), over the outcomes with p > 0.",
        "A graded test runs one function at a time, so compute it here rather than calling your "
        "`cross_entropy` and `entropy`: keep the entries with p > 0, return inf if q is 0 at one of them.",
        "With the same mask of p > 0 on both arrays: inf when q is 0 at one of them, else the sum of p times "
        "(log p - log q) over them, as a Python float; for p equal to q it is exactly 0.",
    ],
)
