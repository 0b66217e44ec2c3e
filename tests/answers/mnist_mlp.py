"""Answers to notebook 04 (mnist_mlp) that learners really write: wrong ones and right alternatives."""

import random

import numpy as np

from notebook_helpers.plots import TrainingLog

from . import right, wrong

# ---------------------------------------------------------------- glorot_uniform


@wrong("glorot_uniform")
def glorot_global_rng(fan_in, fan_out, rng):
    """Draws from the global np.random generator and ignores the one it is given."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return np.random.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_seeded_global(fan_in, fan_out, rng):
    """Seeds the global generator itself (np.random.seed(0)): repeatable, but not from the given rng."""
    np.random.seed(0)
    limit = np.sqrt(6 / (fan_in + fan_out))
    return np.random.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_fresh_generator(fan_in, fan_out, rng):
    """Makes its own default_rng(0) instead of using the one passed in."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return np.random.default_rng(0).uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_unseeded_generator(fan_in, fan_out, rng):
    """Makes a fresh unseeded default_rng(): different weights every call."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return np.random.default_rng().uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_float64(fan_in, fan_out, rng):
    """Forgets the float32 cast (rng.uniform gives float64)."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


@wrong("glorot_uniform")
def glorot_normal(fan_in, fan_out, rng):
    """Glorot *normal*: the right variance, the wrong distribution (unbounded)."""
    return rng.normal(0.0, np.sqrt(2 / (fan_in + fan_out)), size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_fan_in_only(fan_in, fan_out, rng):
    """He/LeCun-style limit sqrt(6 / fan_in): right only for square layers."""
    limit = np.sqrt(6 / fan_in)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_variance_as_limit(fan_in, fan_out, rng):
    """Uses the standard deviation sqrt(2 / (fan_in + fan_out)) as the limit: too narrow."""
    limit = np.sqrt(2 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_positive_only(fan_in, fan_out, rng):
    """rng.random() * limit: uniform on [0, l], never negative."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return (rng.random((fan_in, fan_out)) * limit).astype(np.float32)


@wrong("glorot_uniform")
def glorot_transposed(fan_in, fan_out, rng):
    """Returns the (fan_out, fan_in) matrix, PyTorch's layout."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_out, fan_in)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_integer_division_limit(fan_in, fan_out, rng):
    """Squares instead of square-rooting: l = 6 / (fan_in + fan_out)."""
    limit = 6 / (fan_in + fan_out)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@right("glorot_uniform")
def glorot_from_random(fan_in, fan_out, rng):
    """Scales rng.random() from [0, 1) to [-l, l)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return ((2.0 * rng.random((fan_in, fan_out)) - 1.0) * limit).astype(np.float32)


@right("glorot_uniform")
def glorot_float32_draw(fan_in, fan_out, rng):
    """Draws float32 directly and reshapes a flat draw."""
    limit = np.float32(np.sqrt(6.0 / (fan_in + fan_out)))
    flat = rng.random(fan_in * fan_out, dtype=np.float32)
    return (flat * (2 * limit) - limit).reshape(fan_in, fan_out)


@right("glorot_uniform")
def glorot_keyword_uniform(fan_in, fan_out, rng):
    """rng.uniform with keywords, then astype('float32')."""
    limit = (6 / (fan_in + fan_out)) ** 0.5
    return rng.uniform(low=-limit, high=limit, size=(fan_in, fan_out)).astype("float32")


# ---------------------------------------------------------------- dense_forward


@wrong("dense_forward")
def dense_forward_transposed_weights(x, W, b):
    """PyTorch's layout: x @ W.T + b."""
    return x @ W.T + b


@wrong("dense_forward")
def dense_forward_no_bias(x, W, b):
    """Forgets the bias."""
    return x @ W


@wrong("dense_forward")
def dense_forward_minus_bias(x, W, b):
    """Subtracts the bias."""
    return x @ W - b


@wrong("dense_forward")
def dense_forward_elementwise(x, W, b):
    """Element-wise product summed over the wrong axis instead of a matrix product."""
    return (x[:, :, None] * W[None, :, :]).sum(axis=2).sum(axis=1, keepdims=True) + b


@wrong("dense_forward")
def dense_forward_first_bias(x, W, b):
    """Adds only the first bias to every unit."""
    return x @ W + b[0]


@wrong("dense_forward")
def dense_forward_mean_bias(x, W, b):
    """Adds the mean bias."""
    return x @ W + np.mean(b)


@right("dense_forward")
def dense_forward_dot(x, W, b):
    """np.dot and an in-place bias on the new array."""
    out = np.dot(x, W)
    out += b
    return out


@right("dense_forward")
def dense_forward_via_transposes(x, W, b):
    """(W.T @ x.T).T + b: the same product, column-wise."""
    return (W.T @ x.T).T + b


@right("dense_forward")
def dense_forward_einsum(x, W, b):
    """einsum."""
    return np.einsum("ni,ij->nj", x, W) + b


# ---------------------------------------------------------------- dense_backward


@wrong("dense_backward")
def dense_backward_mean_bias(grad_out, x, W):
    """Averages the bias gradient over the batch instead of summing it."""
    return grad_out @ W.T, x.T @ grad_out, grad_out.mean(axis=0)


@wrong("dense_backward")
def dense_backward_transposed_grad_W(grad_out, x, W):
    """grad_W = grad_out.T @ x: the transpose of the right matrix (wrong shape when not square)."""
    return grad_out @ W.T, grad_out.T @ x, grad_out.sum(axis=0)


@wrong("dense_backward")
def dense_backward_mean_grad_W(grad_out, x, W):
    """Divides grad_W by the batch size (the mean is already inside grad_out)."""
    return grad_out @ W.T, x.T @ grad_out / len(x), grad_out.sum(axis=0)


@wrong("dense_backward")
def dense_backward_bias_wrong_axis(grad_out, x, W):
    """Sums the bias gradient over the units instead of over the batch."""
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=1)


@wrong("dense_backward")
def dense_backward_wrong_order(grad_out, x, W):
    """Returns (grad_W, grad_b, grad_x), the order parameters are often listed in."""
    return x.T @ grad_out, grad_out.sum(axis=0), grad_out @ W.T


@wrong("dense_backward")
def dense_backward_untransposed_W(grad_out, x, W):
    """grad_x = grad_out @ W, forgetting the transpose (only square W works)."""
    return grad_out @ W, x.T @ grad_out, grad_out.sum(axis=0)


@wrong("dense_backward")
def dense_backward_grad_x_with_x(grad_out, x, W):
    """Returns x itself as grad_x."""
    return x, x.T @ grad_out, grad_out.sum(axis=0)


@right("dense_backward")
def dense_backward_list(grad_out, x, W):
    """np.dot and a list."""
    return [np.dot(grad_out, W.T), np.dot(x.T, grad_out), np.sum(grad_out, axis=0)]


@right("dense_backward")
def dense_backward_einsum(grad_out, x, W):
    """einsum for each gradient."""
    return (np.einsum("nj,ij->ni", grad_out, W), np.einsum("ni,nj->ij", x, grad_out), np.einsum("nj->j", grad_out))


# ---------------------------------------------------------------- relu_backward


@wrong("relu_backward")
def relu_backward_at_zero(grad_out, x):
    """Lets the gradient through at exactly 0 (x >= 0)."""
    return grad_out * (x >= 0)


@wrong("relu_backward")
def relu_backward_in_place(grad_out, x):
    """CS231n without the copy: zeroes the caller's grad_out in place."""
    grad_out[x <= 0] = 0
    return grad_out


@wrong("relu_backward")
def relu_backward_mask_only(grad_out, x):
    """Returns the 0/1 slope and forgets the upstream gradient."""
    return (x > 0).astype(float)


@wrong("relu_backward")
def relu_backward_mask_from_grad(grad_out, x):
    """Builds the mask from grad_out instead of from the pre-activation."""
    return grad_out * (grad_out > 0)


@wrong("relu_backward")
def relu_backward_times_x(grad_out, x):
    """Multiplies by relu(x) instead of its slope."""
    return grad_out * np.maximum(x, 0)


@wrong("relu_backward")
def relu_backward_matrix_loops(grad_out, x):
    """Loops over rows and columns: only works for matrices."""
    out = np.zeros_like(grad_out)
    for i in range(grad_out.shape[0]):
        for j in range(grad_out.shape[1]):
            out[i, j] = grad_out[i, j] if x[i, j] > 0 else 0
    return out


@right("relu_backward")
def relu_backward_where(grad_out, x):
    """np.where."""
    return np.where(x > 0, grad_out, 0.0)


@right("relu_backward")
def relu_backward_copy_then_zero(grad_out, x):
    """CS231n style, with the copy."""
    out = np.array(grad_out, copy=True)
    out[x <= 0] = 0
    return out


@right("relu_backward")
def relu_backward_heaviside(grad_out, x):
    """np.heaviside with 0 at the kink."""
    return grad_out * np.heaviside(x, 0.0)


# ---------------------------------------------------------------- softmax_crossentropy_grad


@wrong("softmax_crossentropy_grad")
def sce_grad_not_averaged(probs, y_onehot):
    """Forgets to divide by N (the gradient of the summed loss)."""
    return probs - y_onehot


@wrong("softmax_crossentropy_grad")
def sce_grad_divided_by_classes(probs, y_onehot):
    """Divides by the number of classes (probs.shape[1]) instead of samples."""
    return (probs - y_onehot) / probs.shape[1]


@wrong("softmax_crossentropy_grad")
def sce_grad_divided_by_size(probs, y_onehot):
    """Divides by N * C, as if the loss were a mean over all elements."""
    return (probs - y_onehot) / probs.size


@wrong("softmax_crossentropy_grad")
def sce_grad_sign_flipped(probs, y_onehot):
    """y - probs: the direction of steepest *descent*, not the gradient."""
    return (y_onehot - probs) / len(probs)


@wrong("softmax_crossentropy_grad")
def sce_grad_in_place(probs, y_onehot):
    """Subtracts in place, destroying the caller's probabilities."""
    probs -= y_onehot
    probs /= len(probs)
    return probs


@wrong("softmax_crossentropy_grad")
def sce_grad_wrt_probs(probs, y_onehot):
    """The gradient with respect to the probabilities, -y / p / N, not the logits."""
    return -y_onehot / np.clip(probs, 1e-7, 1) / len(probs)


@right("softmax_crossentropy_grad")
def sce_grad_len(probs, y_onehot):
    """len() and a multiplication by 1 / N."""
    return (np.asarray(probs) - y_onehot) * (1.0 / len(probs))


@right("softmax_crossentropy_grad")
def sce_grad_subtract(probs, y_onehot):
    """np.subtract then np.divide."""
    return np.divide(np.subtract(probs, y_onehot), np.shape(probs)[0])


# ---------------------------------------------------------------- rmsprop_update


@wrong("rmsprop_update")
def rmsprop_eps_outside(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """eps outside the square root (PyTorch's and old Keras' form)."""
    cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


@wrong("rmsprop_update")
def rmsprop_old_cache(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Steps with the old cache, updating it only afterwards."""
    new_param = param - lr * grad / np.sqrt(cache + eps)
    return new_param, rho * cache + (1 - rho) * grad**2


@wrong("rmsprop_update")
def rmsprop_in_place(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Updates the caller's arrays in place (and returns them)."""
    cache *= rho
    cache += (1 - rho) * grad**2
    param -= lr * grad / np.sqrt(cache + eps)
    return param, cache


@wrong("rmsprop_update")
def rmsprop_rho_swapped(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Swaps rho and 1 - rho in the running mean."""
    cache = (1 - rho) * cache + rho * grad**2
    return param - lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_eps_1e8(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Ignores the eps argument and uses 1e-8 (Keras 2 / Adam's habit)."""
    cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(cache + 1e-8), cache


@wrong("rmsprop_update")
def rmsprop_abs_not_square(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Keeps a running mean of |grad| instead of grad**2."""
    cache = rho * cache + (1 - rho) * np.abs(grad)
    return param - lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_plus_sign(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Climbs the gradient: param + step."""
    cache = rho * cache + (1 - rho) * grad**2
    return param + lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_no_sqrt(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Divides by the cache itself, not its square root."""
    cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / (cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_positional_order(param, grad, cache, rho=0.9, lr=0.001, eps=1e-7):
    """Declares rho before lr, so positional hyperparameters land in the wrong place."""
    cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(cache + eps), cache


@right("rmsprop_update")
def rmsprop_square(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """np.square and multiplication by the reciprocal square root."""
    new_cache = rho * cache + (1.0 - rho) * np.square(grad)
    return param - lr * grad * (new_cache + eps) ** -0.5, new_cache


@right("rmsprop_update")
def rmsprop_copies_then_in_place(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Copies first, then updates the copies in place."""
    new_param, new_cache = param.copy(), cache.copy()
    new_cache *= rho
    new_cache += (1 - rho) * grad * grad
    new_param -= lr * grad / np.sqrt(new_cache + eps)
    return new_param, new_cache


# ---------------------------------------------------------------- accuracy


@wrong("accuracy")
def accuracy_labels_as_onehot(probs, labels):
    """Treats the integer labels as one-hot and takes their argmax too."""
    return float(np.mean(np.argmax(probs, axis=1) == np.argmax(labels, axis=-1)))


@wrong("accuracy")
def accuracy_argmax_axis0(probs, labels):
    """argmax over axis 0 (across samples) instead of across classes."""
    return float(np.mean(np.argmax(probs, axis=0) == labels))


@wrong("accuracy")
def accuracy_count(probs, labels):
    """Returns the number of right answers, not the fraction."""
    return int(np.sum(np.argmax(probs, axis=1) == labels))


@wrong("accuracy")
def accuracy_percent(probs, labels):
    """Returns a percentage."""
    return 100.0 * float(np.mean(np.argmax(probs, axis=1) == labels))


@wrong("accuracy")
def accuracy_flat_argmax(probs, labels):
    """np.argmax without an axis: one index into the flattened array."""
    return float(np.mean(np.argmax(probs) == labels))


@wrong("accuracy")
def accuracy_prob_of_label(probs, labels):
    """The mean probability given to the true label (a soft score), not the accuracy."""
    labels = np.asarray(labels, dtype=int)
    return float(np.mean(probs[np.arange(len(probs)), labels]))


@wrong("accuracy")
def accuracy_threshold(probs, labels):
    """Counts a row right when the label's probability exceeds 0.5."""
    labels = np.asarray(labels, dtype=int)
    return float(np.mean(probs[np.arange(len(probs)), labels] > 0.5))


@right("accuracy")
def accuracy_count_nonzero(probs, labels):
    """count_nonzero over len."""
    return np.count_nonzero(probs.argmax(axis=-1) == np.asarray(labels)) / len(labels)


@right("accuracy")
def accuracy_numpy_scalar(probs, labels):
    """Returns NumPy's float64 from np.mean."""
    return np.mean(np.argmax(probs, axis=1) == labels.astype(np.int64))


# ---------------------------------------------------------------- train_mlp


def _reference_loop(
    x,
    y,
    epochs,
    batch_size,
    hidden,
    seed,
    *,
    lr=0.001,
    rho=0.9,
    optimizer="rmsprop",
    shuffle="rng",
    relu_mask=True,
    ignore_hidden=False,
    ignore_batch=False,
    epochs_used=None,
    report=True,
    in_place=True,
    drop_last=False,
    update_biases=True,
    init="glorot",
    init_seed=None,
    global_seeded=False,
    weights_first="W1",
):
    """A plain training loop with switches for the mistakes below (not itself registered)."""
    rng = np.random.default_rng(seed)
    if global_seeded:  # np.random.seed(seed), then the global generator's functions
        np.random.seed(seed)
        rng = np.random.mtrand._rand
    init_rng = rng if init_seed is None else np.random.default_rng(init_seed)
    n, features = x.shape
    classes = y.shape[1]
    hidden = 512 if ignore_hidden else hidden
    batch_size = n if ignore_batch else batch_size
    limit1, limit2 = np.sqrt(6 / (features + hidden)), np.sqrt(6 / (hidden + classes))
    dtype = x.dtype if x.dtype == np.float64 else np.float32
    if init == "small normal":
        draw = {
            "W1": lambda: init_rng.normal(size=(features, hidden)) * 0.01,
            "W2": lambda: init_rng.normal(size=(hidden, classes)) * 0.01,
        }
    else:
        draw = {
            "W1": lambda: init_rng.uniform(-limit1, limit1, (features, hidden)),
            "W2": lambda: init_rng.uniform(-limit2, limit2, (hidden, classes)),
        }
    weights = {}
    for name in ["W1", "W2"] if weights_first == "W1" else ["W2", "W1"]:
        weights[name] = draw[name]().astype(dtype)
    params = {"W1": weights["W1"], "b1": np.zeros(hidden, dtype), "W2": weights["W2"], "b2": np.zeros(classes, dtype)}
    caches = {k: np.zeros_like(v) for k, v in params.items()}
    log = TrainingLog(epochs) if report else None
    for _epoch in range(epochs if epochs_used is None else epochs_used):
        if shuffle in ("rng", "separate"):
            order = rng.permutation(n)
        elif shuffle == "global":
            order = np.random.permutation(n)
        elif shuffle == "in place":
            state = rng.bit_generator.state
            rng.shuffle(x)
            rng.bit_generator.state = state
            rng.shuffle(y)
            order = np.arange(n)
        else:
            order = np.arange(n)
        y_order = rng.permutation(n) if shuffle == "separate" else order
        loss_sum, correct = 0.0, 0
        last_start = n - batch_size if drop_last else n - 1
        for start in range(0, last_start + 1, batch_size):
            rows = order[start : start + batch_size]
            xb, yb = x[rows], y[y_order[start : start + batch_size]]
            z1 = xb @ params["W1"] + params["b1"]
            h = np.maximum(z1, 0)
            logits = h @ params["W2"] + params["b2"]
            probs = np.exp(logits - logits.max(axis=1, keepdims=True))
            probs /= probs.sum(axis=1, keepdims=True)
            loss_sum -= np.sum(yb * np.log(np.clip(probs, 1e-7, 1 - 1e-7)))
            correct += np.count_nonzero(probs.argmax(1) == yb.argmax(1))
            d_logits = (probs - yb) / len(rows)
            d_h = d_logits @ params["W2"].T
            if relu_mask:
                d_h = d_h * (z1 > 0)
            grads = {"W1": xb.T @ d_h, "b1": d_h.sum(0), "W2": h.T @ d_logits, "b2": d_logits.sum(0)}
            if not update_biases:
                grads = {k: g for k, g in grads.items() if k.startswith("W")}
            for k, g in grads.items():
                if optimizer == "rmsprop" and in_place:
                    caches[k] *= rho
                    caches[k] += (1 - rho) * g * g
                    params[k] -= lr * g / np.sqrt(caches[k] + 1e-7)
                elif optimizer == "rmsprop":
                    caches[k] = rho * caches[k] + (1 - rho) * g * g
                    params[k] = params[k] - lr * g / np.sqrt(caches[k] + 1e-7)
                else:
                    params[k] -= lr * g
        if log:
            log.epoch_done(loss_sum / n, correct / n)
    return params


@wrong("train_mlp")
def train_mlp_global_shuffle(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Shuffles with the global np.random instead of the seeded generator: not repeatable."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, shuffle="global")


@wrong("train_mlp")
def train_mlp_fixed_seed(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Ignores the seed argument and always uses seed 0."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, 0)


@wrong("train_mlp")
def train_mlp_shuffles_caller_data(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Shuffles x and y_onehot in place (rng.shuffle), scrambling the caller's arrays."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, shuffle="in place")


@wrong("train_mlp")
def train_mlp_no_relu_backward(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Forgets relu's backward: the gradient flows into inactive hidden units too."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, relu_mask=False)


@wrong("train_mlp")
def train_mlp_lr_ten_times(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """RMSprop with lr=0.01 (SGD's default) instead of Keras' 0.001 for RMSprop."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, lr=0.01)


@wrong("train_mlp")
def train_mlp_rho_099(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """RMSprop with rho=0.99 instead of Keras' 0.9: the first steps are three times smaller."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, rho=0.99)


@wrong("train_mlp")
def train_mlp_plain_sgd(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Plain SGD with RMSprop's learning rate 0.001: far too slow."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, optimizer="sgd")


@wrong("train_mlp")
def train_mlp_ignores_hidden(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Always builds 512 hidden units."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, ignore_hidden=True)


@wrong("train_mlp")
def train_mlp_full_batch(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Ignores batch_size: one full-batch step per epoch."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, ignore_batch=True)


@wrong("train_mlp")
def train_mlp_one_epoch(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Runs a single epoch whatever epochs says."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, epochs_used=1)


@wrong("train_mlp")
def train_mlp_returns_list(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Returns [W1, b1, W2, b2] instead of a dict."""
    params = _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed)
    return [params["W1"], params["b1"], params["W2"], params["b2"]]


@wrong("train_mlp")
def train_mlp_transposed_weights(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Returns W1 and W2 transposed, in PyTorch's (out, in) layout."""
    params = _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed)
    return {"W1": params["W1"].T, "b1": params["b1"], "W2": params["W2"].T, "b2": params["b2"]}


@right("train_mlp")
def train_mlp_plain_new_arrays(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """A plain loop with new arrays each step (no update in place), shuffling with the seeded generator."""
    return _reference_loop(
        np.asarray(x, np.float32), np.asarray(y_onehot, np.float32), epochs, batch_size, hidden, seed, in_place=False
    )


@right("train_mlp")
def train_mlp_without_training_log(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """The reference loop with no progress display: it reports to no TrainingLog, which the contract does not ask."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, report=False)


@right("train_mlp")
def train_mlp_float64(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Trains in float64 (slower and twice the memory, but correct)."""
    return _reference_loop(
        np.asarray(x, np.float64), np.asarray(y_onehot, np.float64), epochs, batch_size, hidden, seed
    )


# ================================================================ more answers, by exercise
# ---------------------------------------------------------------- glorot_uniform


@wrong("glorot_uniform")
def glorot_precedence(fan_in, fan_out, rng):
    """Operator precedence: sqrt(6 / fan_in + fan_out), a limit far too wide."""
    limit = np.sqrt(6 / fan_in + fan_out)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_clipped_normal(fan_in, fan_out, rng):
    """A normal draw with Glorot's standard deviation, clipped to [-l, l]: inside the bounds, not uniform."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    std = np.sqrt(2 / (fan_in + fan_out))
    return np.clip(rng.normal(0.0, std, size=(fan_in, fan_out)), -limit, limit).astype(np.float32)


@wrong("glorot_uniform")
def glorot_copied_generator(fan_in, fan_out, rng):
    """Draws from a copy of the generator, so the caller's rng never advances (every layer gets the same weights)."""
    import copy

    limit = np.sqrt(6 / (fan_in + fan_out))
    return copy.deepcopy(rng).uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_lecun_uniform(fan_in, fan_out, rng):
    """LeCun uniform, sqrt(3 / fan_in): equal to Glorot's limit only for square layers."""
    limit = np.sqrt(3 / fan_in)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("glorot_uniform")
def glorot_seeded_from_shape(fan_in, fan_out, rng):
    """Makes its own generator seeded with the layer's shape: repeatable, but not from the given rng."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return np.random.default_rng(fan_in * 1000 + fan_out).uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)


@right("glorot_uniform")
def glorot_default_rng_passthrough(fan_in, fan_out, rng):
    """np.random.default_rng(rng) returns the given generator itself; scales a U(-1, 1) draw."""
    rng = np.random.default_rng(rng)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return (limit * rng.uniform(-1.0, 1.0, size=(fan_in, fan_out))).astype(np.float32)


@right("glorot_uniform")
def glorot_transposed_draw(fan_in, fan_out, rng):
    """Draws (fan_out, fan_in) and transposes: the same distribution, a Fortran-ordered array."""
    limit = np.float32(np.sqrt(6.0 / (fan_in + fan_out)))
    return rng.uniform(-limit, limit, size=(fan_out, fan_in)).astype(np.float32).T


# ---------------------------------------------------------------- dense_forward


@wrong("dense_forward")
def dense_forward_with_relu(x, W, b):
    """Applies relu inside the layer (the activation belongs to the next step)."""
    return np.maximum(x @ W + b, 0)


@wrong("dense_forward")
def dense_forward_bias_column(x, W, b):
    """Adds the bias as a column, b[:, None] (works only by accident)."""
    return x @ W + b.reshape(-1, 1)


@right("dense_forward")
def dense_forward_augmented(x, W, b):
    """Appends a column of ones to x and the bias as a row of W: one matrix product."""
    ones = np.ones((x.shape[0], 1), dtype=x.dtype)
    return np.hstack([x, ones]) @ np.vstack([W, b[None, :]])


@right("dense_forward")
def dense_forward_float64(x, W, b):
    """Computes in float64 whatever the inputs' dtype."""
    return np.asarray(x, np.float64) @ np.asarray(W, np.float64) + np.asarray(b, np.float64)


# ---------------------------------------------------------------- dense_backward


@wrong("dense_backward")
def dense_backward_bias_keepdims(grad_out, x, W):
    """grad_b with keepdims=True: shape (1, units), not b's shape (units,)."""
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0, keepdims=True)


@wrong("dense_backward")
def dense_backward_transposed_grad_x(grad_out, x, W):
    """grad_x = W @ grad_out.T: the transpose of the right matrix."""
    return W @ grad_out.T, x.T @ grad_out, grad_out.sum(axis=0)


@wrong("dense_backward")
def dense_backward_first_row_bias(grad_out, x, W):
    """grad_b = grad_out[0]: right for one sample only."""
    return grad_out @ W.T, x.T @ grad_out, grad_out[0]


@wrong("dense_backward")
def dense_backward_grad_x_uses_x(grad_out, x, W):
    """grad_x = x @ W (the forward product again), not grad_out @ W.T."""
    return x @ W, x.T @ grad_out, grad_out.sum(axis=0)


@right("dense_backward")
def dense_backward_transpose_of_product(grad_out, x, W):
    """grad_W as (grad_out.T @ x).T, grad_b as ones @ grad_out."""
    return (W @ grad_out.T).T, (grad_out.T @ x).T, np.ones(len(grad_out)) @ grad_out


@right("dense_backward")
def dense_backward_float64(grad_out, x, W):
    """Works in float64 and returns a tuple of float64 arrays."""
    g, x, W = (np.asarray(a, np.float64) for a in (grad_out, x, W))
    return g.dot(W.T), x.T.dot(g), np.add.reduce(g, axis=0)


# ---------------------------------------------------------------- relu_backward


@wrong("relu_backward")
def relu_backward_strict_negative(grad_out, x):
    """Copies, then zeroes only where x < 0: exactly 0 lets the gradient through."""
    out = grad_out.copy()
    out[x < 0] = 0
    return out


@wrong("relu_backward")
def relu_backward_sign(grad_out, x):
    """Multiplies by sign(x): negative pre-activations flip the gradient instead of blocking it."""
    return grad_out * np.sign(x)


@wrong("relu_backward")
def relu_backward_mask_into_x(grad_out, x):
    """Turns the caller's pre-activation x into the 0/1 mask in place."""
    x[x <= 0] = 0
    x[x > 0] = 1
    return grad_out * x


@wrong("relu_backward")
def relu_backward_epsilon_threshold(grad_out, x):
    """Treats tiny positive pre-activations as zero (x > 1e-8)."""
    return grad_out * (x > 1e-8)


@wrong("relu_backward")
def relu_backward_returns_grad_out_when_all_active(grad_out, x):
    """A shortcut that hands back the caller's grad_out itself when every unit is active (not a new array)."""
    if np.all(x > 0):
        return grad_out
    return grad_out * (x > 0)


@right("relu_backward")
def relu_backward_sign_clipped(grad_out, x):
    """Multiplies by max(sign(x), 0)."""
    return grad_out * np.maximum(np.sign(x), 0)


@right("relu_backward")
def relu_backward_float_mask(grad_out, x):
    """A float mask of the grad's dtype, multiplied in."""
    return grad_out * (x > 0).astype(np.asarray(grad_out).dtype)


# ---------------------------------------------------------------- softmax_crossentropy_grad


@wrong("softmax_crossentropy_grad")
def sce_grad_precedence(probs, y_onehot):
    """probs - y_onehot / N: only y is divided (operator precedence)."""
    return probs - y_onehot / len(probs)


@wrong("softmax_crossentropy_grad")
def sce_grad_softmax_again(probs, y_onehot):
    """Applies softmax to probs again, as if they were logits."""
    e = np.exp(probs - probs.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True) - y_onehot) / len(probs)


@wrong("softmax_crossentropy_grad")
def sce_grad_column_mean(probs, y_onehot):
    """Averages over the batch instead of dividing: one row of shape (C,)."""
    return np.mean(probs - y_onehot, axis=0)


@right("softmax_crossentropy_grad")
def sce_grad_subtract_one_at_label(probs, y_onehot):
    """Copies probs, subtracts 1 at each row's label, divides by N."""
    grad = np.array(probs, dtype=float, copy=True)
    grad[np.arange(len(grad)), np.argmax(y_onehot, axis=1)] -= 1
    return grad / len(grad)


@right("softmax_crossentropy_grad")
def sce_grad_clipped(probs, y_onehot):
    """Clips probs to [1e-7, 1 - 1e-7] first, as the loss does (within the tolerance)."""
    return (np.clip(probs, 1e-7, 1 - 1e-7) - y_onehot) / probs.shape[0]


@right("softmax_crossentropy_grad")
def sce_grad_divided_by_label_count(probs, y_onehot):
    """Divides by y_onehot.sum(), which is N for one-hot rows."""
    return (probs - y_onehot) / y_onehot.sum()


# ---------------------------------------------------------------- rmsprop_update


@wrong("rmsprop_update")
def rmsprop_default_lr_0_01(param, grad, cache, lr=0.01, rho=0.9, eps=1e-7):
    """Declares lr=0.01 (SGD's default) as RMSprop's default."""
    cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_default_eps_1e8(param, grad, cache, lr=0.001, rho=0.9, eps=1e-8):
    """Declares eps=1e-8 as the default (Keras 2 / PyTorch habit)."""
    cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_default_rho_0_99(param, grad, cache, lr=0.001, rho=0.99, eps=1e-7):
    """Declares rho=0.99 as the default (PyTorch's alpha)."""
    cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_returns_old_cache(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Steps with the new cache but returns the old one."""
    new_cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(new_cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_eps_stored_in_cache(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Adds eps to the cache it returns (eps then piles up step after step)."""
    new_cache = rho * cache + (1 - rho) * grad**2 + eps
    return param - lr * grad / np.sqrt(new_cache), new_cache


@wrong("rmsprop_update")
def rmsprop_eps_squared(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Adds eps**2 inside the root (as if eps were outside it, squared)."""
    cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(cache + eps**2), cache


@wrong("rmsprop_update")
def rmsprop_grad_squared_in_place(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Squares the caller's grad in place to save memory, then steps with the squared gradient."""
    new_param = param.copy()
    np.square(grad, out=grad)
    new_cache = rho * cache + (1 - rho) * grad
    new_param -= lr * np.sqrt(grad) / np.sqrt(new_cache + eps)
    return new_param, new_cache


@wrong("rmsprop_update")
def rmsprop_first_step_copies_grad(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Starts the running mean at grad**2 when the cache is all zero (no (1 - rho) on the first step)."""
    if not np.any(cache):
        cache = grad**2
    else:
        cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(cache + eps), cache


@right("rmsprop_update")
def rmsprop_increment_form(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """TensorFlow's form of the running mean: cache + (1 - rho) * (grad**2 - cache)."""
    new_cache = cache + (1 - rho) * (grad * grad - cache)
    return param - lr * grad / np.sqrt(new_cache + eps), new_cache


@right("rmsprop_update")
def rmsprop_float64_list(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Computes in float64 and returns a list [new_param, new_cache]."""
    param, grad, cache = (np.asarray(a, np.float64) for a in (param, grad, cache))
    new_cache = np.add(np.multiply(rho, cache), np.multiply(1 - rho, np.square(grad)))
    return [param - np.divide(lr * grad, np.sqrt(new_cache + eps)), new_cache]


# ---------------------------------------------------------------- accuracy


@wrong("accuracy")
def accuracy_any_maximum(probs, labels):
    """Counts a row right when the label's probability equals the row's maximum: ties count as right."""
    labels = np.asarray(labels, dtype=int)
    return float(np.mean(probs[np.arange(len(probs)), labels] == probs.max(axis=1)))


@wrong("accuracy")
def accuracy_last_maximum(probs, labels):
    """Takes the last column of a stable argsort: on ties the last maximum, not argmax's first."""
    return float(np.mean(np.argsort(probs, axis=1, kind="stable")[:, -1] == labels))


@wrong("accuracy")
def accuracy_rounded(probs, labels):
    """Rounds the fraction to two decimals for display."""
    return round(float(np.mean(np.argmax(probs, axis=1) == labels)), 2)


@wrong("accuracy")
def accuracy_integer_division(probs, labels):
    """Floor division of the count by N: 0 unless every row is right."""
    return float(np.sum(np.argmax(probs, axis=1) == labels) // len(labels))


@wrong("accuracy")
def accuracy_over_all_elements(probs, labels):
    """Divides the number right by probs.size (N * C) instead of N."""
    return float(np.sum(np.argmax(probs, axis=1) == labels) / probs.size)


@right("accuracy")
def accuracy_zero_d_array(probs, labels):
    """Returns a 0-d NumPy array (np.asarray of the mean)."""
    return np.asarray(np.mean(np.argmax(probs, axis=1) == np.asarray(labels)))


@right("accuracy")
def accuracy_float32(probs, labels):
    """Counts in a loop and returns a float32 fraction."""
    right_count = sum(1 for row, label in zip(probs, labels) if int(np.argmax(row)) == int(label))
    return np.float32(right_count) / np.float32(len(labels))


@right("accuracy")
def accuracy_accepts_onehot_too(probs, labels):
    """Also accepts one-hot labels (argmax of 2-D labels); integer labels as the contract says."""
    labels = np.asarray(labels)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    return (probs.argmax(axis=1) == labels).mean()


@wrong("train_mlp")
def train_mlp_never_shuffles(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Takes the rows in the same, given order every epoch: no shuffling."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, shuffle="none")


@wrong("train_mlp")
def train_mlp_shuffles_x_and_y_apart(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Draws one permutation for x and another for y_onehot: images and labels no longer match."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, shuffle="separate")


@wrong("train_mlp")
def train_mlp_drops_last_batch(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Runs n // batch_size full batches only: the short last batch is dropped (no step at all when n < batch_size)."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, drop_last=True)


@wrong("train_mlp")
def train_mlp_no_bias_update(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Updates W1 and W2 only: the biases stay at zero."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, update_biases=False)


@wrong("train_mlp")
def train_mlp_seeds_global_generator(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """np.random.seed(seed) and the global generator: repeatable, but it resets the caller's global state."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, global_seeded=True)


@wrong("train_mlp")
def train_mlp_fixed_start_weights(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Starting weights from default_rng(0) whatever the seed; only the shuffling follows the seed."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, init_seed=0)


@wrong("train_mlp")
def train_mlp_small_normal_init(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """CS231n's 0.01 * normal starting weights instead of Glorot uniform."""
    return _reference_loop(x, y_onehot, epochs, batch_size, hidden, seed, init="small normal")


@right("train_mlp")
def train_mlp_w2_drawn_first(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Draws W2 before W1 from the seeded generator (another order of the same draws), plain updates."""
    return _reference_loop(
        np.asarray(x, np.float32),
        np.asarray(y_onehot, np.float32),
        epochs,
        batch_size,
        hidden,
        seed,
        weights_first="W2",
        in_place=False,
    )


# ---------------------------------------------------------------- found by an outside review (2026-12-02)


@wrong("glorot_uniform")
def glorot_through_python_random(fan_in, fan_out, rng):
    """Seeds Python's random module from rng and draws with random.uniform: it changes Python's global state."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    random.seed(int(rng.integers(2**32)))
    return np.array([[random.uniform(-limit, limit) for _ in range(fan_out)] for _ in range(fan_in)], np.float32)


@wrong("glorot_uniform")
def glorot_limit_plus_one(fan_in, fan_out, rng):
    """sqrt(6 / (fan_in + fan_out + 1)): too narrow, which shows only for small fans."""
    limit = np.sqrt(6 / (fan_in + fan_out + 1))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


@wrong("rmsprop_update")
def rmsprop_clips_the_gradient(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Clips the gradient to [-5, 5] first: large gradients are not used as they are."""
    grad = np.clip(grad, -5, 5)
    new_cache = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / np.sqrt(new_cache + eps), new_cache
