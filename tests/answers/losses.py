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


@right("to_categorical")
def to_categorical_eye(labels, num_classes=None):
    labels = np.asarray(labels, dtype=np.int64)
    if num_classes is None:
        num_classes = int(labels.max()) + 1
    return np.eye(num_classes, dtype=np.float32)[labels]


@right("to_categorical")
def to_categorical_compare(labels, num_classes=None):
    """Broadcast comparison of each label with every class index."""
    labels = np.asarray(labels)
    if num_classes is None:
        num_classes = int(np.max(labels)) + 1
    return (labels[:, None] == np.arange(num_classes)[None, :]).astype(np.float32)


@right("to_categorical")
def to_categorical_loop(labels, num_classes=None):
    """A plain loop over the labels."""
    labels = list(np.asarray(labels).tolist())
    if num_classes is None:
        num_classes = max(labels) + 1
    out = np.zeros((len(labels), num_classes), dtype="float32")
    for row, label in enumerate(labels):
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
    return float(np.mean(y_pred ** 2))


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
