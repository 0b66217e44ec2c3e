"""Answers to notebook 02 (activations) that learners really write: wrong ones and right alternatives."""

import math
import warnings

import numpy as np

from . import right, wrong

# ---------------------------------------------------------------- relu


@wrong("relu")
def relu_in_place(x):
    """Zeroes the negatives of the caller's array in place (and returns it)."""
    x[x < 0] = 0
    return x


@wrong("relu")
def relu_np_max(x):
    """np.max(x, 0) instead of np.maximum(x, 0): reduces over axis 0 instead of comparing with 0."""
    return np.max(x, 0)


@wrong("relu")
def relu_abs(x):
    """Absolute value instead of the positive part."""
    return np.abs(x)


@wrong("relu")
def relu_mask(x):
    """Returns the 0/1 mask x > 0 (the derivative), not the values."""
    return (np.asarray(x) > 0).astype(float)


@wrong("relu")
def relu_capped(x):
    """Clips to [0, 1] as if relu were a probability."""
    return np.clip(x, 0, 1)


@wrong("relu")
def relu_matrix_loops(x):
    """The notebook-01 loops over rows and columns: only works for matrices."""
    x = np.asarray(x)
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = max(x[i, j], 0)
    return out


@right("relu")
def relu_multiply_mask(x):
    """x * (x > 0): gives -0.0 for negative floats, which equals 0."""
    return x * (x > 0)


@right("relu")
def relu_where(x):
    return np.where(x > 0, x, 0)


@right("relu")
def relu_clip(x):
    return np.clip(x, 0, None)


# ---------------------------------------------------------------- sigmoid


@wrong("sigmoid")
def sigmoid_naive(x):
    """The textbook 1 / (1 + exp(-x)): overflow warning at x = -1e4."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


@wrong("sigmoid")
def sigmoid_other_naive(x):
    """exp(x) / (1 + exp(x)): overflows at x = +1e4 and gives inf / inf = nan."""
    e = np.exp(np.asarray(x, dtype=float))
    return e / (1.0 + e)


@wrong("sigmoid")
def sigmoid_where_both_branches(x):
    """Two branches chosen by np.where, but np.where evaluates both: exp(-x) still overflows."""
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))


@wrong("sigmoid")
def sigmoid_empty_like(x):
    """Stable two branches written into np.empty_like(x): an int input gives an int (truncated) output."""
    x = np.asarray(x)
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1.0 + e)
    return out


@wrong("sigmoid")
def sigmoid_tanh_without_halves(x):
    """tanh(x) mistaken for the sigmoid (it maps to (-1, 1))."""
    return np.tanh(np.asarray(x, dtype=float))


@wrong("sigmoid")
def sigmoid_tanh_wrong_scale(x):
    """(1 + tanh(x)) / 2: forgets the x / 2 inside tanh."""
    return 0.5 * (1.0 + np.tanh(np.asarray(x, dtype=float)))


@right("sigmoid")
def sigmoid_tanh(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


@right("sigmoid")
def sigmoid_logaddexp(x):
    """exp(-log(1 + exp(-x))), with NumPy's stable logaddexp."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=float)))


@right("sigmoid")
def sigmoid_masks(x):
    """Two branches on boolean masks, into a float array."""
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1.0 + e)
    return out


@right("sigmoid")
def sigmoid_clipped_logits(x):
    """The textbook formula on logits clipped to [-500, 500], where exp cannot overflow."""
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(x, dtype=float), -500.0, 500.0)))


@right("sigmoid")
def sigmoid_silenced(x):
    """The textbook formula with the overflow silenced: 1 / (1 + inf) is exactly 0, so it is right."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


# ---------------------------------------------------------------- sigmoid_derivative


def _stable_sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


@wrong("sigmoid_derivative")
def sigmoid_derivative_plus(x):
    """s * (1 + s) instead of s * (1 - s)."""
    s = _stable_sigmoid(x)
    return s * (1.0 + s)


@wrong("sigmoid_derivative")
def sigmoid_derivative_of_x(x):
    """x * (1 - x): uses x where the sigmoid s belongs."""
    x = np.asarray(x, dtype=float)
    return x * (1.0 - x)


@wrong("sigmoid_derivative")
def sigmoid_derivative_naive_s(x):
    """s * (1 - s) with the textbook sigmoid: overflow warning at x = -1e4."""
    s = 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))
    return s * (1.0 - s)


@wrong("sigmoid_derivative")
def sigmoid_derivative_quotient(x):
    """exp(-x) / (1 + exp(-x))**2: inf / inf = nan at x = -1e4."""
    e = np.exp(-np.asarray(x, dtype=float))
    return e / (1.0 + e) ** 2


@wrong("sigmoid_derivative")
def sigmoid_derivative_cosh(x):
    """1 / (4 cosh(x/2)**2): exact on paper, but cosh overflows at x = +-1e4."""
    return 0.25 / np.cosh(0.5 * np.asarray(x, dtype=float)) ** 2


@wrong("sigmoid_derivative")
def sigmoid_derivative_is_sigmoid(x):
    """Returns the sigmoid itself."""
    return _stable_sigmoid(x)


@right("sigmoid_derivative")
def sigmoid_derivative_tanh(x):
    """(1 - tanh(x/2)**2) / 4."""
    return 0.25 * (1.0 - np.tanh(0.5 * np.asarray(x, dtype=float)) ** 2)


@right("sigmoid_derivative")
def sigmoid_derivative_symmetric(x):
    """exp(-|x|) / (1 + exp(-|x|))**2: the slope is even, so only -|x| is exponentiated."""
    e = np.exp(-np.abs(np.asarray(x, dtype=float)))
    return e / (1.0 + e) ** 2


@right("sigmoid_derivative")
def sigmoid_derivative_s_minus_s2(x):
    s = np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=float)))
    return s - s * s


# ---------------------------------------------------------------- softmax


@wrong("softmax")
def softmax_no_shift(x, axis=-1):
    """No shift by the maximum: exp(1e4) overflows and gives inf / inf = nan."""
    e = np.exp(np.asarray(x, dtype=float))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax")
def softmax_ignores_axis(x, axis=-1):
    """Always normalises along the last axis, whatever `axis` says."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax")
def softmax_axis_zero(x, axis=-1):
    """Normalises along axis 0 (the samples) instead of `axis`."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@wrong("softmax")
def softmax_whole_array(x, axis=-1):
    """Normalises over the whole array: a batch sums to 1, not each row."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max())
    return e / e.sum()


@wrong("softmax")
def softmax_global_max(x, axis=-1):
    """Shifts by the maximum of the whole batch: a row far below it underflows to 0 / 0."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max())
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax")
def softmax_no_keepdims(x, axis=-1):
    """Reduces without keepdims: broadcasts against the wrong axis (or fails) on matrices."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=axis))
    return e / e.sum(axis=axis)


@wrong("softmax")
def softmax_in_place(x, axis=-1):
    """Shifts the caller's array in place with -=."""
    x -= np.max(x, axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax")
def softmax_is_sigmoid(x, axis=-1):
    """Applies the sigmoid element-wise: probabilities that do not sum to 1."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


@right("softmax")
def softmax_logsumexp(x, axis=-1):
    """exp(x - logsumexp(x)), logsumexp computed with the max shift."""
    x = np.asarray(x, dtype=float)
    top = x.max(axis=axis, keepdims=True)
    lse = top + np.log(np.exp(x - top).sum(axis=axis, keepdims=True))
    return np.exp(x - lse)


@right("softmax")
def softmax_moveaxis(x, axis=-1):
    """Moves `axis` to the end, works on rows, moves it back."""
    moved = np.moveaxis(np.asarray(x, dtype=float), axis, -1)
    e = np.exp(moved - moved.max(axis=-1)[..., None])
    return np.moveaxis(e / e.sum(axis=-1)[..., None], -1, axis)


@right("softmax")
def softmax_copy_then_shift(x, axis=-1):
    """Copies first, then shifts in place on the copy."""
    z = np.array(x, dtype=float, copy=True)
    z -= z.max(axis=axis, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=axis, keepdims=True)
    return z


# ---------------------------------------------------------------- more answers (hardening pass)


@wrong("relu")
def relu_leaky(x):
    """Leaky ReLU (0.01 x for negatives) instead of zeroing them."""
    x = np.asarray(x)
    return np.where(x > 0, x, 0.01 * x)


@wrong("relu")
def relu_int_cast(x):
    """Casts the result to int: positive floats are truncated."""
    return np.maximum(x, 0).astype(int)


@wrong("relu")
def relu_flattens(x):
    """Flattens the input: the values are right but the shape is lost."""
    return np.maximum(np.ravel(x), 0)


@wrong("relu")
def relu_out_param(x):
    """np.maximum(x, 0, out=x): writes the result into the caller's array."""
    return np.maximum(x, 0, out=x)


@wrong("relu")
def relu_python_max(x):
    """The built-in max(x, 0): only works for single numbers."""
    return max(x, 0)


@right("relu")
def relu_half_sum_abs(x):
    """(x + |x|) / 2: a float result, also for int input."""
    return (x + np.abs(x)) / 2


@right("relu")
def relu_float_zero(x):
    """np.maximum(x, 0.0): int input gives a float result, same values."""
    return np.maximum(x, 0.0)


@right("relu")
def relu_copy_then_zero(x):
    """Copies first, then zeroes the negatives of the copy."""
    out = np.array(x, copy=True)
    out[out < 0] = 0
    return out


@wrong("sigmoid")
def sigmoid_halves_in_place(x):
    """The tanh identity, but halves the caller's float array in place (asarray does not copy it)."""
    x = np.asarray(x, dtype=float)
    x *= 0.5
    return 0.5 * (1.0 + np.tanh(x))


@wrong("sigmoid")
def sigmoid_of_abs(x):
    """exp(-|x|) to avoid overflow, but forgets the second branch: sigmoid(|x|) everywhere."""
    z = np.exp(-np.abs(np.asarray(x, dtype=float)))
    return 1.0 / (1.0 + z)


@wrong("sigmoid")
def sigmoid_clipped_too_tight(x):
    """Clips the logits to [-10, 10] before the textbook formula: sigmoid(15) comes out as sigmoid(10)."""
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(x, dtype=float), -10.0, 10.0)))


@wrong("sigmoid")
def sigmoid_hard(x):
    """The 'hard sigmoid' clip(0.5 + 0.2 x, 0, 1): a piecewise-linear approximation."""
    return np.clip(0.5 + 0.2 * np.asarray(x, dtype=float), 0.0, 1.0)


@wrong("sigmoid")
def sigmoid_float32_naive(x):
    """The textbook formula in float32: exp overflows already at x = -89."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float32)))


@right("sigmoid")
def sigmoid_one_minus_branch(x):
    """For x < 0 uses 1 - 1 / (1 + exp(-|x|)) (symmetry): within the tolerance everywhere."""
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))
    positive = 1.0 / (1.0 + z)
    return np.where(x >= 0, positive, 1.0 - positive)


@right("sigmoid")
def sigmoid_where_silenced(x):
    """np.where over both naive branches, with their overflow and nan warnings silenced."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))


@right("sigmoid")
def sigmoid_float32(x):
    """The tanh identity computed in float32 (about 7 significant digits)."""
    x = np.asarray(x, dtype=np.float32)
    return np.float32(0.5) * (np.float32(1.0) + np.tanh(np.float32(0.5) * x))


@wrong("sigmoid_derivative")
def sigmoid_derivative_tanh_slope(x):
    """1 - tanh(x)**2: the derivative of tanh, not of the sigmoid."""
    return 1.0 - np.tanh(np.asarray(x, dtype=float)) ** 2


@wrong("sigmoid_derivative")
def sigmoid_derivative_forgets_half(x):
    """(1 - tanh(x)**2) / 4: forgets the x / 2 inside tanh."""
    return 0.25 * (1.0 - np.tanh(np.asarray(x, dtype=float)) ** 2)


@wrong("sigmoid_derivative")
def sigmoid_derivative_abs_in_place(x):
    """The slope is even, so it takes |x| in place in the caller's array."""
    x = np.asarray(x, dtype=float)
    np.abs(x, out=x)
    e = np.exp(-x)
    return e / (1.0 + e) ** 2


@wrong("sigmoid_derivative")
def sigmoid_derivative_int_buffer(x):
    """A stable s written into np.empty_like(x): an int input gives an int (truncated) s."""
    x = np.asarray(x)
    s = np.empty_like(x)
    positive = x >= 0
    s[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    s[~positive] = e / (1.0 + e)
    return s * (1 - s)


@right("sigmoid_derivative")
def sigmoid_derivative_mirror_product(x):
    """sigmoid(x) * sigmoid(-x), since 1 - sigmoid(x) = sigmoid(-x)."""
    return _stable_sigmoid(x) * _stable_sigmoid(-np.asarray(x, dtype=float))


@right("sigmoid_derivative")
def sigmoid_derivative_central_difference(x):
    """A central finite difference of a stable sigmoid with h = 1e-5: within the tolerance."""
    x = np.asarray(x, dtype=float)
    h = 1e-5
    return (_stable_sigmoid(x + h) - _stable_sigmoid(x - h)) / (2 * h)


@wrong("softmax")
def softmax_shift_by_min(x, axis=-1):
    """Shifts by the minimum instead of the maximum: exp overflows on a wide row."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.min(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax")
def softmax_shift_by_mean(x, axis=-1):
    """Shifts by the mean along the axis: exp(1e4) still overflows."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.mean(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax")
def softmax_clipped_logits(x, axis=-1):
    """No shift; clips the logits to [-500, 500] instead: very negative rows all look alike."""
    e = np.exp(np.clip(np.asarray(x, dtype=float), -500.0, 500.0))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax")
def softmax_max_on_axis_sum_on_last(x, axis=-1):
    """Takes the maximum along `axis` but always sums along the last axis."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax")
def softmax_axis_one(x, axis=-1):
    """Hard-codes axis=1 (the class axis of a 2-D batch)."""
    x = np.asarray(x, dtype=float)
    if x.ndim < 2:
        x = x[None, :]
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return (e / e.sum(axis=1, keepdims=True))[0]
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("softmax")
def softmax_log_probabilities(x, axis=-1):
    """Returns log-softmax (log-probabilities) instead of probabilities."""
    x = np.asarray(x, dtype=float)
    top = x.max(axis=axis, keepdims=True)
    return x - top - np.log(np.exp(x - top).sum(axis=axis, keepdims=True))


@right("softmax")
def softmax_logaddexp_reduce(x, axis=-1):
    """exp(x - logsumexp(x)) with np.logaddexp.reduce, which never overflows."""
    x = np.asarray(x, dtype=float)
    return np.exp(x - np.logaddexp.reduce(x, axis=axis, keepdims=True))


@right("softmax")
def softmax_expand_dims(x, axis=-1):
    """Reduces without keepdims, then puts the axis back with np.expand_dims."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.expand_dims(x.max(axis=axis), axis))
    return e / np.expand_dims(e.sum(axis=axis), axis)


@right("softmax")
def softmax_apply_along_axis(x, axis=-1):
    """A 1-D stable softmax applied to every slice along `axis`."""

    def one(v):
        e = np.exp(v - v.max())
        return e / e.sum()

    return np.apply_along_axis(one, axis, np.asarray(x, dtype=float))


@wrong("relu")
def relu_vectorize_int_zero(x):
    """np.vectorize(lambda v: max(v, 0)): the output dtype follows the first result, the int 0 when the
    first element is negative, so every positive float is truncated."""
    return np.vectorize(lambda v: max(v, 0))(x)


@right("relu")
def relu_vectorize(x):
    """np.vectorize of the scalar max(v, 0.0): element-wise on every non-empty shape."""
    return np.vectorize(lambda v: max(v, 0.0))(x)


@right("sigmoid")
def sigmoid_vectorize(x):
    """np.vectorize of a stable scalar sigmoid written with math.exp."""

    def one(v):
        if v >= 0:
            return 1.0 / (1.0 + math.exp(-v))
        e = math.exp(v)
        return e / (1.0 + e)

    return np.vectorize(one)(x)


@right("sigmoid")
def sigmoid_warnings_silenced(x):
    """Both naive branches in np.where, their RuntimeWarnings silenced with the warnings module."""
    x = np.asarray(x, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))


@right("sigmoid_derivative")
def sigmoid_derivative_warnings_silenced(x):
    """s * (1 - s) with the textbook s (exactly 0 or 1 far out), its overflow warning silenced."""
    x = np.asarray(x, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        s = 1.0 / (1.0 + np.exp(-x))
    return s * (1.0 - s)


@wrong("sigmoid")
def sigmoid_atleast_1d(x):
    """np.atleast_1d so that the boolean masks work: a scalar comes back as a 1-element array."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1.0 + e)
    return out


@wrong("softmax")
def softmax_default_axis_zero(x, axis=0):
    """Defaults to axis=0: a batch is normalised per column unless the axis is given."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax")
def softmax_swapaxes_not_back(x, axis=-1):
    """Swaps `axis` to the end to work on rows, but forgets to swap it back."""
    z = np.swapaxes(np.asarray(x, dtype=float), axis, -1)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@right("relu")
def relu_scalar_branch(x):
    """Handles 0-d input with the built-in max (a Python number back), arrays with np.maximum."""
    if np.ndim(x) == 0:
        return max(float(x), 0.0)
    return np.maximum(x, 0)


@wrong("relu")
def relu_atleast_1d(x):
    """np.atleast_1d first: a 0-d input comes back as a 1-element vector."""
    return np.maximum(np.atleast_1d(x), 0)
