"""Answers to notebook 02 (activations) that learners really write: wrong ones and right alternatives."""
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
