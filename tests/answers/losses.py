"""Answers to notebook 03 (losses) that learners really write: wrong ones and right alternatives."""

import math

import numpy as np

from . import right, wrong

EPS = 1e-7


def _rows(y_pred):
    y_pred = np.asarray(y_pred, dtype=float)
    return np.clip(y_pred / y_pred.sum(axis=-1, keepdims=True), EPS, 1 - EPS)


# ---------------------------------------------------------------- to_categorical


@wrong("to_categorical")
def to_categorical_float64(labels, num_classes=None):
    """np.eye(C)[labels]: right rows, but float64 instead of float32."""
    labels = np.asarray(labels)
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    return np.eye(num_classes)[labels]


@wrong("to_categorical")
def to_categorical_int(labels, num_classes=None):
    """Integer one-hot rows instead of float32."""
    labels = np.asarray(labels)
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    return np.eye(num_classes, dtype=int)[labels]


@wrong("to_categorical")
def to_categorical_max_not_plus_one(labels, num_classes=None):
    """num_classes defaults to max(labels): one column short (the largest label does not fit)."""
    labels = np.asarray(labels)
    num_classes = int(labels.max()) if num_classes is None else num_classes
    out = np.zeros((labels.size, num_classes), dtype=np.float32)
    out[np.arange(labels.size), np.minimum(labels, num_classes - 1)] = 1
    return out


@wrong("to_categorical")
def to_categorical_unique_count(labels, num_classes=None):
    """Counts the distinct labels: too few columns when a class is missing from the batch."""
    labels = np.asarray(labels)
    if num_classes is None:
        num_classes = len(np.unique(labels))
    out = np.zeros((labels.size, num_classes), dtype=np.float32)
    out[np.arange(labels.size), labels] = 1
    return out


@wrong("to_categorical")
def to_categorical_ignores_num_classes(labels, num_classes=None):
    """Always uses max(labels) + 1 columns, even when num_classes is given."""
    labels = np.asarray(labels)
    return np.eye(int(labels.max()) + 1, dtype=np.float32)[labels]


@wrong("to_categorical")
def to_categorical_transposed(labels, num_classes=None):
    """One column per label (C, N) instead of one row per label (N, C)."""
    labels = np.asarray(labels)
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    return np.eye(num_classes, dtype=np.float32)[labels].T


@wrong("to_categorical")
def to_categorical_array_only(labels, num_classes=None):
    """Calls labels.max() directly: fails on a Python list, which Keras accepts."""
    num_classes = labels.max() + 1 if num_classes is None else num_classes
    return np.eye(num_classes, dtype=np.float32)[labels]


@wrong("to_categorical")
def to_categorical_eye(labels, num_classes=None):
    """np.eye(num_classes)[labels] without a range check: a label that does not fit raises IndexError,
    not the ValueError the text asks for, and -1 picks the last row."""
    labels = np.asarray(labels, dtype=np.int64)
    if num_classes is None:
        num_classes = int(labels.max()) + 1
    return np.eye(num_classes, dtype=np.float32)[labels]


@wrong("to_categorical")
def to_categorical_compare(labels, num_classes=None):
    """Broadcast comparison of each label with every class index: a label that does not fit silently
    gets a row of zeros instead of a ValueError."""
    labels = np.asarray(labels)
    if num_classes is None:
        num_classes = int(np.max(labels)) + 1
    return (labels[:, None] == np.arange(num_classes)[None, :]).astype(np.float32)


@right("to_categorical")
def to_categorical_loop(labels, num_classes=None):
    """A plain loop over the labels, refusing each label that does not fit."""
    labels = list(np.asarray(labels).tolist())
    if num_classes is None:
        num_classes = max(labels) + 1
    out = np.zeros((len(labels), num_classes), dtype="float32")
    for row, label in enumerate(labels):
        if not 0 <= label < num_classes:
            raise ValueError(f"label {label} does not fit {num_classes} classes")
        out[row, label] = 1.0
    return out


# ---------------------------------------------------------------- binary_crossentropy


@wrong("binary_crossentropy")
def bce_no_clip(y_true, y_pred):
    """No clipping: log(0) gives inf, and 0 * log(0) gives nan."""
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.mean(-(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))))


@wrong("binary_crossentropy")
def bce_add_epsilon(y_true, y_pred):
    """log(p + 1e-7) instead of clipping: close, but not Keras' numbers at 0 and 1."""
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    return float(np.mean(-(y_true * np.log(y_pred + EPS) + (1 - y_true) * np.log(1 - y_pred + EPS))))


@wrong("binary_crossentropy")
def bce_swapped(y_pred, y_true):
    """Arguments taken in the order (y_pred, y_true)."""
    y_true, y_pred = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    return float(np.mean(-(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))))


@wrong("binary_crossentropy")
def bce_sum(y_true, y_pred):
    """Sum over all elements instead of the mean."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    return float(np.sum(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))


@wrong("binary_crossentropy")
def bce_sum_over_labels(y_true, y_pred):
    """Sums over the labels of a sample (last axis), then averages over samples."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    per_element = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
    if per_element.ndim == 1:
        return float(np.mean(per_element))
    return float(np.mean(np.sum(per_element, axis=-1)))


@wrong("binary_crossentropy")
def bce_per_sample(y_true, y_pred):
    """Returns Keras' per-sample values (mean over the last axis) instead of one float."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    return np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)), axis=-1)


@wrong("binary_crossentropy")
def bce_clip_in_place(y_true, y_pred):
    """Clips the caller's predictions in place with np.clip(..., out=y_pred)."""
    y_true = np.asarray(y_true, float)
    p = np.clip(y_pred, EPS, 1 - EPS, out=y_pred)
    return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))


@wrong("binary_crossentropy")
def bce_where_hard_labels(y_true, y_pred):
    """np.where(y == 1, log p, log(1 - p)): only right for 0/1 targets, not Keras' formula."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    return float(np.mean(-np.where(y_true == 1, np.log(p), np.log(1 - p))))


@wrong("binary_crossentropy")
def bce_log2(y_true, y_pred):
    """Log base 2 (bits) instead of the natural log."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    return float(np.mean(-(y_true * np.log2(p) + (1 - y_true) * np.log2(1 - p))))


@right("binary_crossentropy")
def bce_keras_two_means(y_true, y_pred):
    """Keras' own order: mean over the last axis per sample, then mean over samples."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    per_sample = np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)), axis=-1)
    return np.mean(per_sample)


@right("binary_crossentropy")
def bce_log1p(y_true, y_pred):
    """log(1 - p) written as log1p(-p)."""
    y_true = np.asarray(y_true, float)
    p = np.minimum(np.maximum(np.asarray(y_pred, float), EPS), 1 - EPS)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log1p(-p)))


# ---------------------------------------------------------------- categorical_crossentropy


@wrong("categorical_crossentropy")
def cce_no_clip(y_true, y_pred):
    """No clipping: a 0 on the true class gives inf."""
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    p = y_pred / y_pred.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.mean(-np.sum(y_true * np.log(p), axis=-1)))


@wrong("categorical_crossentropy")
def cce_add_epsilon(y_true, y_pred):
    """log(p + 1e-7) instead of clipping: not Keras' numbers for small probabilities."""
    y_pred = np.asarray(y_pred, float)
    p = y_pred / y_pred.sum(axis=-1, keepdims=True)
    return float(np.mean(-np.sum(np.asarray(y_true, float) * np.log(p + EPS), axis=-1)))


@wrong("categorical_crossentropy")
def cce_no_normalisation(y_true, y_pred):
    """Clips but does not normalise the rows first."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    return float(np.mean(-np.sum(y_true * np.log(p), axis=-1)))


@wrong("categorical_crossentropy")
def cce_clip_then_normalise(y_true, y_pred):
    """Clips first, then normalises: differs from Keras on rows that do not sum to 1."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    p = p / p.sum(axis=-1, keepdims=True)
    return float(np.mean(-np.sum(y_true * np.log(p), axis=-1)))


@wrong("categorical_crossentropy")
def cce_mean_over_classes(y_true, y_pred):
    """Mean over every element (samples and classes) instead of a sum over classes."""
    y_true = np.asarray(y_true, float)
    return float(np.mean(-y_true * np.log(_rows(y_pred))))


@wrong("categorical_crossentropy")
def cce_sum_over_samples(y_true, y_pred):
    """Sums the per-sample losses instead of averaging them."""
    y_true = np.asarray(y_true, float)
    return float(np.sum(-np.sum(y_true * np.log(_rows(y_pred)), axis=-1)))


@wrong("categorical_crossentropy")
def cce_swapped(y_pred, y_true):
    """Arguments taken in the order (y_pred, y_true)."""
    y_true = np.asarray(y_true, float)
    return float(np.mean(-np.sum(y_true * np.log(_rows(y_pred)), axis=-1)))


@wrong("categorical_crossentropy")
def cce_normalise_in_place(y_true, y_pred):
    """Normalises the caller's predictions in place with /=."""
    y_pred /= y_pred.sum(axis=-1, keepdims=True)
    p = np.clip(y_pred, EPS, 1 - EPS)
    return float(np.mean(-np.sum(np.asarray(y_true, float) * np.log(p), axis=-1)))


@wrong("categorical_crossentropy")
def cce_normalise_wrong_axis(y_true, y_pred):
    """Normalises the columns (axis 0) instead of the rows."""
    y_pred = np.asarray(y_pred, float)
    p = np.clip(y_pred / y_pred.sum(axis=0, keepdims=True), EPS, 1 - EPS)
    return float(np.mean(-np.sum(np.asarray(y_true, float) * np.log(p), axis=-1)))


@right("categorical_crossentropy")
def cce_take_true_class(y_true, y_pred):
    """Picks the true class's probability with argmax of the one-hot row."""
    p = _rows(y_pred)
    labels = np.argmax(np.asarray(y_true), axis=-1)
    return float(-np.mean(np.log(np.take_along_axis(p, labels[:, None], axis=-1))))


@right("categorical_crossentropy")
def cce_numpy_scalar(y_true, y_pred):
    """Returns a NumPy float64 scalar instead of a Python float."""
    y_pred = np.asarray(y_pred, dtype=np.float64)
    p = np.clip(y_pred / np.sum(y_pred, axis=1, keepdims=True), EPS, 1 - EPS)
    return np.mean(np.sum(-np.asarray(y_true) * np.log(p), axis=1))


# ---------------------------------------------------------------- sparse_categorical_crossentropy


@wrong("sparse_categorical_crossentropy")
def scce_no_clip(y_true, y_pred):
    """No clipping: a 0 on the true class gives inf."""
    y_pred = np.asarray(y_pred, float)
    p = y_pred / y_pred.sum(axis=-1, keepdims=True)
    labels = np.asarray(y_true)
    with np.errstate(divide="ignore"):
        return float(np.mean(-np.log(p[np.arange(len(labels)), labels])))


@wrong("sparse_categorical_crossentropy")
def scce_add_epsilon(y_true, y_pred):
    """-log(p + 1e-7) instead of clipping: not Keras' numbers for small probabilities."""
    y_pred = np.asarray(y_pred, float)
    p = y_pred / y_pred.sum(axis=-1, keepdims=True)
    labels = np.asarray(y_true)
    return float(np.mean(-np.log(p[np.arange(len(labels)), labels] + EPS)))


@wrong("sparse_categorical_crossentropy")
def scce_no_normalisation(y_true, y_pred):
    """Clips but does not normalise the rows first."""
    p = np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    labels = np.asarray(y_true)
    return float(np.mean(-np.log(p[np.arange(len(labels)), labels])))


@wrong("sparse_categorical_crossentropy")
def scce_classes_from_labels(y_true, y_pred):
    """One-hot with max(labels) + 1 columns instead of the width of y_pred."""
    labels = np.asarray(y_true)
    one_hot = np.eye(int(labels.max()) + 1)[labels]
    return float(np.mean(-np.sum(one_hot * np.log(_rows(y_pred)), axis=-1)))


@wrong("sparse_categorical_crossentropy")
def scce_sum_over_samples(y_true, y_pred):
    """Sums over samples instead of averaging."""
    labels = np.asarray(y_true)
    return float(np.sum(-np.log(_rows(y_pred)[np.arange(len(labels)), labels])))


@wrong("sparse_categorical_crossentropy")
def scce_mean_over_classes(y_true, y_pred):
    """Averages over every element of the (implicit) one-hot product: divides by C too many times."""
    labels = np.asarray(y_true)
    one_hot = np.eye(np.asarray(y_pred).shape[-1])[labels]
    return float(np.mean(-one_hot * np.log(_rows(y_pred))))


@wrong("sparse_categorical_crossentropy")
def scce_swapped(y_pred, y_true):
    """Arguments taken in the order (y_pred, y_true)."""
    labels = np.asarray(y_true)
    return float(np.mean(-np.log(_rows(y_pred)[np.arange(len(labels)), labels])))


@wrong("sparse_categorical_crossentropy")
def scce_picks_columns(y_true, y_pred):
    """p[:, labels] picks whole columns (an N x N matrix) instead of one entry per row."""
    labels = np.asarray(y_true)
    return float(np.mean(-np.log(_rows(y_pred)[:, labels])))


@right("sparse_categorical_crossentropy")
def scce_via_one_hot(y_true, y_pred):
    """Builds the one-hot matrix with C = y_pred.shape[-1] and reuses the categorical formula."""
    y_pred = np.asarray(y_pred, float)
    one_hot = np.eye(y_pred.shape[-1], dtype=np.float32)[np.asarray(y_true)]
    return float(np.mean(-np.sum(one_hot * np.log(_rows(y_pred)), axis=-1)))


@right("sparse_categorical_crossentropy")
def scce_fancy_index(y_true, y_pred):
    labels = np.asarray(y_true).astype(int)
    return float(-np.mean(np.log(_rows(y_pred)[np.arange(labels.size), labels])))


# ---------------------------------------------------------------- mean_squared_error


@wrong("mean_squared_error")
def mse_sqrt(y_true, y_pred):
    """Root mean squared error: takes the square root."""
    return float(np.sqrt(np.mean((np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2)))


@wrong("mean_squared_error")
def mse_sum(y_true, y_pred):
    """Sum of squared differences instead of the mean."""
    return float(np.sum((np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2))


@wrong("mean_squared_error")
def mse_square_of_mean(y_true, y_pred):
    """Squares the mean difference: errors of opposite signs cancel."""
    return float(np.mean(np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2)


@wrong("mean_squared_error")
def mse_per_sample(y_true, y_pred):
    """Returns Keras' per-sample values (mean over the last axis) instead of one float."""
    return np.mean((np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2, axis=-1)


@wrong("mean_squared_error")
def mse_in_place(y_true, y_pred):
    """Computes the difference in place in the caller's y_pred."""
    y_pred -= y_true
    return float(np.mean(y_pred**2))


@wrong("mean_squared_error")
def mse_half(y_true, y_pred):
    """Half the mean squared error (the 1/2 of textbook derivations)."""
    return float(0.5 * np.mean((np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2))


@right("mean_squared_error")
def mse_square(y_true, y_pred):
    return float(np.mean(np.square(np.subtract(y_pred, y_true, dtype=float))))


@right("mean_squared_error")
def mse_keras_two_means(y_true, y_pred):
    """Keras' order: mean over the last axis, then mean over samples."""
    d = np.asarray(y_true, float) - np.asarray(y_pred, float)
    return np.mean(np.mean(d * d, axis=-1))


# ---------------------------------------------------------------- mean_absolute_error


@wrong("mean_absolute_error")
def mae_abs_of_mean(y_true, y_pred):
    """abs(mean(difference)): errors of opposite signs cancel."""
    return float(abs(np.mean(np.asarray(y_true, float) - np.asarray(y_pred, float))))


@wrong("mean_absolute_error")
def mae_sum(y_true, y_pred):
    """Sum of absolute differences instead of the mean."""
    return float(np.sum(np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))))


@wrong("mean_absolute_error")
def mae_squared(y_true, y_pred):
    """Squares the differences (that is MSE)."""
    return float(np.mean((np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2))


@wrong("mean_absolute_error")
def mae_median(y_true, y_pred):
    """Median of absolute differences instead of the mean."""
    return float(np.median(np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))))


@wrong("mean_absolute_error")
def mae_per_sample(y_true, y_pred):
    """Returns per-sample values (mean over the last axis) instead of one float."""
    return np.mean(np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float)), axis=-1)


@wrong("mean_absolute_error")
def mae_in_place(y_true, y_pred):
    """Overwrites the caller's y_pred with the absolute errors."""
    np.abs(np.subtract(y_true, y_pred, out=y_pred), out=y_pred)
    return float(np.mean(y_pred))


@right("mean_absolute_error")
def mae_fabs(y_true, y_pred):
    return float(np.mean(np.fabs(np.subtract(y_pred, y_true, dtype=float))))


@right("mean_absolute_error")
def mae_keras_two_means(y_true, y_pred):
    d = np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))
    return np.mean(np.mean(d, axis=-1))


# ---------------------------------------------------------------- entropy


@wrong("entropy")
def entropy_nan_at_zero(p):
    """-sum p log p straight: 0 * log(0) is nan."""
    p = np.asarray(p, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(p * np.log(p)))


@wrong("entropy")
def entropy_log2(p):
    """Bits (log base 2) instead of nats."""
    nz = np.asarray(p, float)[np.asarray(p) > 0]
    return float(-np.sum(nz * np.log2(nz)))


@wrong("entropy")
def entropy_sign(p):
    """Forgets the minus sign: sum p log p is <= 0."""
    nz = np.asarray(p, float)[np.asarray(p) > 0]
    return float(np.sum(nz * np.log(nz)))


@wrong("entropy")
def entropy_mean(p):
    """Mean over outcomes instead of the sum."""
    p = np.asarray(p, float)
    terms = np.zeros_like(p)
    terms[p > 0] = -p[p > 0] * np.log(p[p > 0])
    return float(np.mean(terms))


@wrong("entropy")
def entropy_clipped(p):
    """Clips p to [1e-7, 1] like Keras' KL: 0 log 0 no longer counts exactly 0."""
    p = np.clip(np.asarray(p, float), EPS, 1.0)
    return float(-np.sum(p * np.log(p)))


@wrong("entropy")
def entropy_no_weights(p):
    """-sum log p over the outcomes, forgetting to weight by p."""
    nz = np.asarray(p, float)[np.asarray(p) > 0]
    return float(-np.sum(np.log(nz)))


@right("entropy")
def entropy_where(p):
    """np.where to zero the 0 log 0 terms (silencing the warnings of the unused branch)."""
    p = np.asarray(p, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(np.where(p > 0, p * np.log(p), 0.0)))


@right("entropy")
def entropy_xlogy_like(p):
    """log of p where p > 0, else log of 1 (= 0), so no warning at all."""
    p = np.asarray(p, float)
    return float(-np.sum(p * np.log(np.where(p > 0, p, 1.0))))


# ---------------------------------------------------------------- cross_entropy


def _ce(p, q, log=np.log):
    p, q = np.asarray(p, float), np.asarray(q, float)
    nz = p > 0
    if np.any(q[nz] == 0):
        return math.inf
    return float(-np.sum(p[nz] * log(q[nz])))


@wrong("cross_entropy")
def cross_entropy_naive(p, q):
    """-sum p log q straight: where p = q = 0 it gives 0 * -inf = nan."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(p * np.log(q)))


@wrong("cross_entropy")
def cross_entropy_swapped(q, p):
    """Arguments taken in the order (q, p)."""
    return _ce(p, q)


@wrong("cross_entropy")
def cross_entropy_log2(p, q):
    """Bits (log base 2) instead of nats."""
    return _ce(p, q, log=np.log2)


@wrong("cross_entropy")
def cross_entropy_clipped(p, q):
    """Clips q to [1e-7, 1] as Keras' losses do: finite where the contract says inf."""
    p, q = np.asarray(p, float), np.clip(np.asarray(q, float), EPS, 1.0)
    return float(-np.sum(p * np.log(q)))


@wrong("cross_entropy")
def cross_entropy_mean(p, q):
    """Mean over outcomes instead of the sum."""
    value = _ce(p, q)
    return value / np.asarray(p).size


@wrong("cross_entropy")
def cross_entropy_plus_entropy(p, q):
    """Adds the entropy to the cross-entropy (confusing H(p, q) with H(p) + KL... twice)."""
    p = np.asarray(p, float)
    nz = p[p > 0]
    return _ce(p, q) + float(-np.sum(nz * np.log(nz)))


@right("cross_entropy")
def cross_entropy_where(p, q):
    """np.where on p > 0; -log 0 = inf arises naturally where q is 0."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(np.where(p > 0, p * np.log(q), 0.0)))


@right("cross_entropy")
def cross_entropy_loop(p, q):
    """A plain Python loop with math.log."""
    total = 0.0
    for pi, qi in zip(np.asarray(p, float).tolist(), np.asarray(q, float).tolist()):
        if pi > 0:
            if qi == 0:
                return math.inf
            total -= pi * math.log(qi)
    return total


# ---------------------------------------------------------------- kl_divergence


@wrong("kl_divergence")
def kl_swapped(q, p):
    """Arguments taken in the order (q, p)."""
    return _ce(p, q) - _ce(p, p)


@wrong("kl_divergence")
def kl_log2(p, q):
    """Bits (log base 2) instead of nats."""
    return _ce(p, q, log=np.log2) - _ce(p, p, log=np.log2)


@wrong("kl_divergence")
def kl_reversed_difference(p, q):
    """Entropy minus cross-entropy: the sign is flipped."""
    return _ce(p, p) - _ce(p, q)


@wrong("kl_divergence")
def kl_naive_ratio(p, q):
    """sum p log(p / q) straight: 0 * log(0) gives nan where p = 0."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(p * np.log(p / q)))


@wrong("kl_divergence")
def kl_keras_clipped(p, q):
    """Keras' KLDivergence (both clipped to [1e-7, 1]): finite where the contract says inf."""
    p, q = np.clip(np.asarray(p, float), EPS, 1), np.clip(np.asarray(q, float), EPS, 1)
    return float(np.sum(p * np.log(p / q)))


@wrong("kl_divergence")
def kl_is_cross_entropy(p, q):
    """Returns the cross-entropy, forgetting to subtract the entropy."""
    return _ce(p, q)


@right("kl_divergence")
def kl_difference(p, q):
    """H(p, q) - H(p) literally, with inf - finite = inf."""
    return _ce(p, q) - _ce(p, p)


@right("kl_divergence")
def kl_where(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)))


# ---------------------------------------------------------------- more answers (hardening pass)


@wrong("to_categorical")
def to_categorical_unique_inverse(labels, num_classes=None):
    """Maps the labels to their rank among the distinct labels (np.unique's inverse): wrong columns."""
    labels = np.asarray(labels)
    _, index = np.unique(labels, return_inverse=True)
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    out = np.zeros((labels.size, num_classes), dtype=np.float32)
    out[np.arange(labels.size), index.reshape(-1)] = 1
    return out


@wrong("to_categorical")
def to_categorical_rows_indexed(labels, num_classes=None):
    """out[labels] = 1: sets whole rows (one per label value) instead of one entry per row."""
    labels = np.asarray(labels)
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    out = np.zeros((labels.size, num_classes), dtype=np.float32)
    out[labels[labels < labels.size]] = 1
    return out


@wrong("to_categorical")
def to_categorical_num_classes_from_length(labels, num_classes=None):
    """Takes the number of labels as the number of classes."""
    labels = np.asarray(labels)
    num_classes = labels.size if num_classes is None else num_classes
    out = np.zeros((labels.size, num_classes), dtype=np.float32)
    out[np.arange(labels.size), labels] = 1
    return out


@wrong("to_categorical")
def to_categorical_shifted_by_min(labels, num_classes=None):
    """Subtracts the smallest label first, as if classes had to start at the smallest one seen."""
    labels = np.asarray(labels)
    labels = labels - labels.min() if labels.size else labels
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    return np.eye(num_classes, dtype=np.float32)[labels]


@wrong("to_categorical")
def to_categorical_bool(labels, num_classes=None):
    """Boolean one-hot rows (the comparison's result, never cast to float32)."""
    labels = np.asarray(labels)
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    return labels[:, None] == np.arange(num_classes)


@wrong("to_categorical")
def to_categorical_keras_copy(labels, num_classes=None):
    """Keras' own code (int64 cast, (N, 1) squeezed, reshape), with a float32 result: no ValueError for a
    label that does not fit (IndexError past the last class, and -1 lands in the last column)."""
    x = np.array(labels, dtype="int64")
    input_shape = x.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    x = x.reshape(-1)
    if not num_classes:
        num_classes = np.max(x) + 1
    batch_size = x.shape[0]
    categorical = np.zeros((batch_size, num_classes), dtype="float32")
    categorical[np.arange(batch_size), x] = 1
    return np.reshape(categorical, input_shape + (num_classes,))


@right("to_categorical")
def to_categorical_validating(labels, num_classes=None):
    """Raises ValueError for labels outside [0, num_classes) (as the notebook suggests), empty-safe."""
    labels = np.asarray(labels, dtype=np.int64)
    if num_classes is None:
        num_classes = int(labels.max()) + 1
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError("label out of range")
    out = np.zeros((labels.shape[0], num_classes), np.float32)
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


@wrong("binary_crossentropy")
def bce_clip_lower_only(y_true, y_pred):
    """Clips only at 1e-7 from below: p = 1 gives log(0) in the (1 - y) term."""
    y_true, p = np.asarray(y_true, float), np.maximum(np.asarray(y_pred, float), EPS)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))


@wrong("binary_crossentropy")
def bce_eps_1e_15(y_true, y_pred):
    """Clips to [1e-15, 1 - 1e-15] (scikit-learn's old log_loss) instead of Keras' 1e-7."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), 1e-15, 1 - 1e-15)
    return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))


@wrong("binary_crossentropy")
def bce_float32(y_true, y_pred):
    """Computes in float32, where 1 - 1e-7 rounds to 0.99999988: the clipped values move."""
    y_true = np.asarray(y_true, np.float32)
    p = np.clip(np.asarray(y_pred, np.float32), np.float32(EPS), np.float32(1 - EPS))
    return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))


@wrong("binary_crossentropy")
def bce_divide_by_len(y_true, y_pred):
    """Sum over all elements divided by len(y_true): the number of samples, not of elements."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    return float(np.sum(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))) / len(y_true))


@wrong("binary_crossentropy")
def bce_log1p_eps(y_true, y_pred):
    """Clips only from below, and writes log(1 - p + 1e-7) for the second term."""
    y_true, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1.0)
    return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p + EPS))))


@wrong("binary_crossentropy")
def bce_from_logits(y_true, y_pred):
    """Applies a sigmoid to y_pred first, as if it held logits."""
    y_true = np.asarray(y_true, float)
    p = np.clip(0.5 * (1 + np.tanh(0.5 * np.asarray(y_pred, float))), EPS, 1 - EPS)
    return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))


@right("binary_crossentropy")
def bce_loop(y_true, y_pred):
    """A plain Python loop over every element, with math.log."""
    total, count = 0.0, 0
    for y, p in zip(np.ravel(y_true).tolist(), np.ravel(y_pred).tolist()):
        p = min(max(p, EPS), 1 - EPS)
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
        count += 1
    return total / count


@right("binary_crossentropy")
def bce_no_cast(y_true, y_pred):
    """No asarray or float cast at all: NumPy promotes int targets by itself; returns a NumPy scalar."""
    p = np.clip(y_pred, EPS, 1 - EPS)
    return np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))


@wrong("categorical_crossentropy")
def cce_from_logits(y_true, y_pred):
    """Applies a softmax to y_pred first, as if it held logits."""
    y_pred = np.asarray(y_pred, float)
    e = np.exp(y_pred - y_pred.max(axis=-1, keepdims=True))
    p = np.clip(e / e.sum(axis=-1, keepdims=True), EPS, 1 - EPS)
    return float(np.mean(-np.sum(np.asarray(y_true, float) * np.log(p), axis=-1)))


@wrong("categorical_crossentropy")
def cce_normalise_whole_batch(y_true, y_pred):
    """Divides by the sum of the whole batch instead of each row's sum."""
    y_pred = np.asarray(y_pred, float)
    p = np.clip(y_pred / y_pred.sum(), EPS, 1 - EPS)
    return float(np.mean(-np.sum(np.asarray(y_true, float) * np.log(p), axis=-1)))


@wrong("categorical_crossentropy")
def cce_sum_over_samples_axis(y_true, y_pred):
    """Sums over axis 0 (samples) then averages over classes: divides by C instead of N."""
    y_true = np.asarray(y_true, float)
    return float(np.mean(-np.sum(y_true * np.log(_rows(y_pred)), axis=0)))


@wrong("categorical_crossentropy")
def cce_max_probability(y_true, y_pred):
    """-log of each row's largest probability (the predicted class), whatever the truth."""
    return float(np.mean(-np.log(_rows(y_pred).max(axis=-1))))


@wrong("categorical_crossentropy")
def cce_eps_1e_12(y_true, y_pred):
    """Clips to [1e-12, 1 - 1e-12] instead of Keras' 1e-7."""
    y_pred = np.asarray(y_pred, float)
    p = np.clip(y_pred / y_pred.sum(axis=-1, keepdims=True), 1e-12, 1 - 1e-12)
    return float(np.mean(-np.sum(np.asarray(y_true, float) * np.log(p), axis=-1)))


@right("categorical_crossentropy")
def cce_boolean_mask(y_true, y_pred):
    """Picks the true classes with the boolean mask y_true == 1 (one entry per one-hot row)."""
    p = _rows(y_pred)
    return float(-np.mean(np.log(p[np.asarray(y_true) == 1])))


@right("categorical_crossentropy")
def cce_einsum(y_true, y_pred):
    """Row-wise dot products with einsum."""
    return float(-np.mean(np.einsum("ij,ij->i", np.asarray(y_true, float), np.log(_rows(y_pred)))))


@right("categorical_crossentropy")
def cce_normalise_only_if_needed(y_true, y_pred):
    """Normalises only the rows that do not already sum to 1 (a no-op for the others)."""
    y_pred = np.array(y_pred, dtype=float)
    sums = y_pred.sum(axis=-1, keepdims=True)
    y_pred = np.where(np.isclose(sums, 1.0, rtol=0, atol=1e-12), y_pred, y_pred / sums)
    p = np.clip(y_pred, EPS, 1 - EPS)
    return float(np.mean(-np.sum(np.asarray(y_true, float) * np.log(p), axis=-1)))


@wrong("sparse_categorical_crossentropy")
def scce_clip_then_normalise(y_true, y_pred):
    """Clips first, then normalises: differs from Keras on rows that do not sum to 1."""
    p = np.clip(np.asarray(y_pred, float), EPS, 1 - EPS)
    p = p / p.sum(axis=-1, keepdims=True)
    labels = np.asarray(y_true)
    return float(np.mean(-np.log(p[np.arange(len(labels)), labels])))


@wrong("sparse_categorical_crossentropy")
def scce_per_sample(y_true, y_pred):
    """Returns the per-sample losses instead of their mean."""
    labels = np.asarray(y_true)
    return -np.log(_rows(y_pred)[np.arange(len(labels)), labels])


@wrong("sparse_categorical_crossentropy")
def scce_take_flat(y_true, y_pred):
    """np.take(p, labels) without an axis: indexes the flattened array (the first row)."""
    return float(np.mean(-np.log(np.take(_rows(y_pred), np.asarray(y_true)))))


@wrong("sparse_categorical_crossentropy")
def scce_rows_indexed(y_true, y_pred):
    """p[labels] picks whole rows (by label value) instead of one entry per row."""
    return float(np.mean(-np.log(_rows(y_pred)[np.asarray(y_true)])))


@wrong("sparse_categorical_crossentropy")
def scce_labels_off_by_one(y_true, y_pred):
    """Treats the labels as 1-based (label - 1), as in some datasets."""
    labels = np.asarray(y_true).astype(int) - 1
    return float(np.mean(-np.log(_rows(y_pred)[np.arange(len(labels)), labels])))


@right("sparse_categorical_crossentropy")
def scce_choose(y_true, y_pred):
    """np.choose(labels, p.T): for each sample, the column its label names."""
    return float(np.mean(-np.log(np.choose(np.asarray(y_true).astype(np.intp), _rows(y_pred).T))))


@right("sparse_categorical_crossentropy")
def scce_loop(y_true, y_pred):
    """A Python loop over the samples, normalising and clipping each row."""
    total = 0.0
    rows = np.asarray(y_pred, float)
    labels = np.asarray(y_true).tolist()
    for label, row in zip(labels, rows):
        p = min(max(row[label] / row.sum(), EPS), 1 - EPS)
        total -= math.log(p)
    return total / len(labels)


@right("sparse_categorical_crossentropy")
def scce_keras_copy(y_true, y_pred):
    """Keras' NumPy backend: int32 labels, one-hot with C = y_pred.shape[-1], -sum(t log p)."""
    target = np.array(y_true, dtype="int32")
    output = np.array(y_pred)
    output = np.clip(output / np.sum(output, -1, keepdims=True), EPS, 1.0 - EPS)
    one_hot = np.eye(output.shape[-1])[target]
    return np.mean(-np.sum(one_hot * np.log(output), axis=-1))


@wrong("mean_squared_error")
def mse_variance(y_true, y_pred):
    """np.var of the differences: subtracts their mean first (MSE minus the squared bias)."""
    return float(np.var(np.asarray(y_true, float) - np.asarray(y_pred, float)))


@wrong("mean_squared_error")
def mse_divide_by_len(y_true, y_pred):
    """Sum of squares divided by len(y_true): the number of samples, not of elements."""
    d = np.asarray(y_true, float) - np.asarray(y_pred, float)
    return float(np.sum(d**2) / len(d))


@wrong("mean_squared_error")
def mse_floor_division(y_true, y_pred):
    """Integer floor division of the sum by the count: truncates (and is exact only by luck)."""
    d = np.asarray(y_true) - np.asarray(y_pred)
    return np.sum(d * d) // d.size


@wrong("mean_squared_error")
def mse_mean_of_abs_squared(y_true, y_pred):
    """The square of the mean absolute error."""
    return float(np.mean(np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))) ** 2)


@right("mean_squared_error")
def mse_plain(y_true, y_pred):
    """No cast at all: a NumPy float64 scalar."""
    return np.mean((y_true - y_pred) ** 2)


@right("mean_squared_error")
def mse_dot(y_true, y_pred):
    """The squared norm of the flattened difference over the number of elements."""
    d = np.ravel(np.subtract(y_true, y_pred))
    return np.dot(d, d) / d.size


@right("mean_squared_error")
def mse_loop(y_true, y_pred):
    """A Python loop over the flattened elements."""
    pairs = list(zip(np.ravel(y_true).tolist(), np.ravel(y_pred).tolist()))
    return sum((a - b) ** 2 for a, b in pairs) / len(pairs)


@wrong("mean_absolute_error")
def mae_difference_of_abs(y_true, y_pred):
    """mean(|y_true| - |y_pred|): absolute values taken before the difference."""
    return float(np.mean(np.abs(np.asarray(y_true, float)) - np.abs(np.asarray(y_pred, float))))


@wrong("mean_absolute_error")
def mae_divide_by_len(y_true, y_pred):
    """Sum of absolute errors divided by len(y_true): the number of samples, not of elements."""
    d = np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))
    return float(np.sum(d) / len(d))


@wrong("mean_absolute_error")
def mae_max(y_true, y_pred):
    """The largest absolute error instead of the mean."""
    return float(np.max(np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))))


@wrong("mean_absolute_error")
def mae_root_mse(y_true, y_pred):
    """The root mean squared error."""
    return float(np.sqrt(np.mean((np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2)))


@right("mean_absolute_error")
def mae_plain(y_true, y_pred):
    """No cast at all: a NumPy float64 scalar."""
    return np.mean(np.abs(y_true - y_pred))


@right("mean_absolute_error")
def mae_sqrt_square(y_true, y_pred):
    """|d| written as sqrt(d**2)."""
    d = np.asarray(y_true, float) - np.asarray(y_pred, float)
    return float(np.mean(np.sqrt(d * d)))


@wrong("entropy")
def entropy_fills_zeros_in_place(p):
    """Replaces the caller's zeros by 1 (log 1 = 0) in place: the right number, a changed input."""
    p[p == 0] = 1.0
    return float(-np.sum(p * np.log(p)))


@wrong("entropy")
def entropy_per_outcome(p):
    """Returns the terms -p log p, one per outcome, instead of their sum."""
    p = np.asarray(p, float)
    out = np.zeros_like(p)
    out[p > 0] = -p[p > 0] * np.log(p[p > 0])
    return out


@wrong("entropy")
def entropy_log10(p):
    """Log base 10 (bans) instead of nats."""
    nz = np.asarray(p, float)[np.asarray(p) > 0]
    return float(-np.sum(nz * np.log10(nz)))


@wrong("entropy")
def entropy_normalised(p):
    """Divides by log(n), the largest entropy possible: 'normalised entropy' in [0, 1]."""
    p = np.asarray(p, float)
    nz = p[p > 0]
    return float(-np.sum(nz * np.log(nz)) / np.log(p.size)) if p.size > 1 else 0.0


@wrong("entropy")
def entropy_perplexity(p):
    """exp(H): the perplexity, not the entropy."""
    nz = np.asarray(p, float)[np.asarray(p) > 0]
    return float(np.exp(-np.sum(nz * np.log(nz))))


@right("entropy")
def entropy_nansum(p):
    """nansum of -p log p: the nan terms 0 * log 0 are skipped (with NumPy warnings, allowed here)."""
    p = np.asarray(p, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.nansum(p * np.log(p))


@right("entropy")
def entropy_scipy_style(p):
    """scipy.stats.entropy's way: normalise p, then sum -p log p with 0 log 0 = 0."""
    p = np.asarray(p, float)
    p = p / p.sum()
    terms = np.zeros_like(p)
    terms[p > 0] = -p[p > 0] * np.log(p[p > 0])
    return terms.sum()


@right("entropy")
def entropy_loop(p):
    """A Python loop with math.log."""
    return -sum(v * math.log(v) for v in np.asarray(p, float).tolist() if v > 0)


@wrong("cross_entropy")
def cross_entropy_masks_q(p, q):
    """Keeps the terms where q > 0 (not where p > 0): drops the infinite ones, finite instead of inf."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    keep = q > 0
    return float(-np.sum(p[keep] * np.log(q[keep])))


@wrong("cross_entropy")
def cross_entropy_add_tiny(p, q):
    """-sum p log(q + 1e-12): avoids the warnings, but is finite where the answer is inf."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    return float(-np.sum(p * np.log(q + 1e-12)))


@wrong("cross_entropy")
def cross_entropy_big_number(p, q):
    """Returns a large finite number (1e10) instead of inf when q = 0 where p > 0."""
    value = _ce(p, q)
    return 1e10 if math.isinf(value) else value


@wrong("cross_entropy")
def cross_entropy_log10(p, q):
    """Log base 10 instead of nats."""
    return _ce(p, q, log=np.log10)


@right("cross_entropy")
def cross_entropy_log_of_masked_q(p, q):
    """log of q where p > 0, else log 1 = 0; -log 0 = inf arises where it should."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    with np.errstate(divide="ignore"):
        return -np.sum(p * np.log(np.where(p > 0, q, 1.0)))


@right("cross_entropy")
def cross_entropy_numpy_inf(p, q):
    """Returns np.inf (a Python float) or a NumPy scalar."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    live = p > 0
    if (q[live] == 0).any():
        return np.inf
    return -np.dot(p[live], np.log(q[live]))


@wrong("kl_divergence")
def kl_masks_both(p, q):
    """Keeps only the terms where p > 0 and q > 0: finite where the answer is inf."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    keep = (p > 0) & (q > 0)
    return float(np.sum(p[keep] * np.log(p[keep] / q[keep])))


@wrong("kl_divergence")
def kl_symmetrised(p, q):
    """KL(p || q) + KL(q || p): the symmetric (Jeffreys) divergence."""
    forward, backward = _ce(p, q) - _ce(p, p), _ce(q, p) - _ce(q, q)
    return forward + backward


@wrong("kl_divergence")
def kl_minus_entropy_of_q(p, q):
    """H(p, q) - H(q): subtracts the model's entropy instead of the truth's."""
    return _ce(p, q) - _ce(q, q)


@wrong("kl_divergence")
def kl_absolute_terms(p, q):
    """Sums |p log(p / q)|: terms where q > p are negative and must stay so."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    live = p > 0
    if np.any(q[live] == 0):
        return math.inf
    return float(np.sum(np.abs(p[live] * np.log(p[live] / q[live]))))


@right("kl_divergence")
def kl_ratio_with_inf(p, q):
    """sum p log(p / q) over p > 0: p / 0 = inf and log inf = inf give inf by themselves."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    live = p > 0
    with np.errstate(divide="ignore"):
        return np.sum(p[live] * np.log(p[live] / q[live]))


@right("kl_divergence")
def kl_div_elementwise(p, q):
    """scipy.special.kl_div's terms p log(p / q) - p + q: the extra terms sum to 0 for distributions."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    live = p > 0
    if np.any(q[live] == 0):
        return math.inf
    terms = q.copy()
    terms[live] = p[live] * np.log(p[live] / q[live]) - p[live] + q[live]
    return float(np.sum(terms))


@right("kl_divergence")
def kl_loop(p, q):
    total = 0.0
    for pi, qi in zip(np.asarray(p, float).tolist(), np.asarray(q, float).tolist()):
        if pi > 0:
            if qi == 0:
                return math.inf
            total += pi * math.log(pi / qi)
    return total


@right("to_categorical")
def to_categorical_checks_range(labels, num_classes=None):
    """Raises ValueError for labels outside [0, num_classes), as the notebook suggests (min/max unguarded)."""
    labels = np.asarray(labels)
    if num_classes is None:
        num_classes = int(labels.max()) + 1
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(f"labels must lie in [0, {num_classes - 1}]")
    return np.eye(num_classes, dtype=np.float32)[labels]


@right("cross_entropy")
def cross_entropy_nansum(p, q):
    """-nansum(p log q): the 0 * log 0 = nan terms are skipped, -log 0 = inf stays where p > 0."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.nansum(p * np.log(q))


@right("kl_divergence")
def kl_nansum(p, q):
    """nansum(p log(p / q)): nan where p = 0 is skipped, inf where q = 0 < p stays."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nansum(p * np.log(p / q))


@wrong("kl_divergence")
def kl_log_ratio_reversed(p, q):
    """sum q log(q / p) over q > 0: the model's terms, weighted by the model."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    live = q > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(q[live] * np.log(q[live] / p[live])))


@wrong("binary_crossentropy")
def bce_replace_exact_zeros_and_ones(y_true, y_pred):
    """Replaces only the exact 0s and 1s by 1e-7 and 1 - 1e-7: p = 1e-9 is not clipped as Keras does."""
    y_true, p = np.asarray(y_true, float), np.asarray(y_pred, float)
    p = np.where(p == 0.0, EPS, np.where(p == 1.0, 1 - EPS, p))
    return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))


@wrong("categorical_crossentropy")
def cce_replace_exact_zeros(y_true, y_pred):
    """Replaces only exact zeros by 1e-7 after normalising: a probability of 1e-9 is not clipped."""
    y_pred = np.asarray(y_pred, float)
    p = y_pred / y_pred.sum(axis=-1, keepdims=True)
    p = np.where(p == 0.0, EPS, p)
    return float(np.mean(-np.sum(np.asarray(y_true, float) * np.log(p), axis=-1)))


@wrong("sparse_categorical_crossentropy")
def scce_replace_exact_zeros(y_true, y_pred):
    """Replaces only exact zeros by 1e-7 after normalising: a probability of 1e-9 is not clipped."""
    y_pred = np.asarray(y_pred, float)
    p = y_pred / y_pred.sum(axis=-1, keepdims=True)
    p = np.where(p == 0.0, EPS, p)
    labels = np.asarray(y_true)
    return float(np.mean(-np.log(p[np.arange(len(labels)), labels])))


# ---------------------------------------------------------------- found by an outside review (2026-12-02)


@wrong("cross_entropy")
def cross_entropy_in_float32(p, q):
    """Computed in float32: a tiny but non-zero q (1e-50) becomes 0 and the loss inf."""
    p, q = np.asarray(p, np.float32), np.asarray(q, np.float32)
    kept = p > 0
    if np.any(q[kept] == 0):
        return math.inf
    return float(-np.sum(p[kept] * np.log(q[kept])))


@wrong("kl_divergence")
def kl_divergence_in_float32(p, q):
    """Computed in float32: a tiny but non-zero q (1e-50) becomes 0 and the divergence inf."""
    p, q = np.asarray(p, np.float32), np.asarray(q, np.float32)
    kept = p > 0
    if np.any(q[kept] == 0):
        return math.inf
    return float(np.sum(p[kept] * np.log(p[kept] / q[kept])))
