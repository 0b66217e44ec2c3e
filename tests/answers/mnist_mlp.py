"""Answers to notebook 04 (mnist_mlp) that learners really write: wrong ones and right alternatives."""
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
    return (np.einsum("nj,ij->ni", grad_out, W), np.einsum("ni,nj->ij", x, grad_out),
            np.einsum("nj->j", grad_out))


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
    cache = rho * cache + (1 - rho) * grad ** 2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


@wrong("rmsprop_update")
def rmsprop_old_cache(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Steps with the old cache, updating it only afterwards."""
    new_param = param - lr * grad / np.sqrt(cache + eps)
    return new_param, rho * cache + (1 - rho) * grad ** 2


@wrong("rmsprop_update")
def rmsprop_in_place(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Updates the caller's arrays in place (and returns them)."""
    cache *= rho
    cache += (1 - rho) * grad ** 2
    param -= lr * grad / np.sqrt(cache + eps)
    return param, cache


@wrong("rmsprop_update")
def rmsprop_rho_swapped(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Swaps rho and 1 - rho in the running mean."""
    cache = (1 - rho) * cache + rho * grad ** 2
    return param - lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_eps_1e8(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Ignores the eps argument and uses 1e-8 (Keras 2 / Adam's habit)."""
    cache = rho * cache + (1 - rho) * grad ** 2
    return param - lr * grad / np.sqrt(cache + 1e-8), cache


@wrong("rmsprop_update")
def rmsprop_abs_not_square(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Keeps a running mean of |grad| instead of grad**2."""
    cache = rho * cache + (1 - rho) * np.abs(grad)
    return param - lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_plus_sign(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Climbs the gradient: param + step."""
    cache = rho * cache + (1 - rho) * grad ** 2
    return param + lr * grad / np.sqrt(cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_no_sqrt(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """Divides by the cache itself, not its square root."""
    cache = rho * cache + (1 - rho) * grad ** 2
    return param - lr * grad / (cache + eps), cache


@wrong("rmsprop_update")
def rmsprop_positional_order(param, grad, cache, rho=0.9, lr=0.001, eps=1e-7):
    """Declares rho before lr, so positional hyperparameters land in the wrong place."""
    cache = rho * cache + (1 - rho) * grad ** 2
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


def _reference_loop(x, y, epochs, batch_size, hidden, seed, *, lr=0.001, optimizer="rmsprop", shuffle="rng",
                    relu_mask=True, ignore_hidden=False, ignore_batch=False, epochs_used=None, report=True,
                    in_place=True):
    """A plain training loop with switches for the mistakes below (not itself registered)."""
    rng = np.random.default_rng(seed)
    n, features = x.shape
    classes = y.shape[1]
    hidden = 512 if ignore_hidden else hidden
    batch_size = n if ignore_batch else batch_size
    limit1, limit2 = np.sqrt(6 / (features + hidden)), np.sqrt(6 / (hidden + classes))
    dtype = x.dtype if x.dtype == np.float64 else np.float32
    params = {"W1": rng.uniform(-limit1, limit1, (features, hidden)).astype(dtype),
              "b1": np.zeros(hidden, dtype),
              "W2": rng.uniform(-limit2, limit2, (hidden, classes)).astype(dtype),
              "b2": np.zeros(classes, dtype)}
    caches = {k: np.zeros_like(v) for k, v in params.items()}
    log = TrainingLog(epochs) if report else None
    for epoch in range(epochs if epochs_used is None else epochs_used):
        if shuffle == "rng":
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
        loss_sum, correct = 0.0, 0
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            xb, yb = x[rows], y[rows]
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
            for k, g in grads.items():
                if optimizer == "rmsprop" and in_place:
                    caches[k] *= 0.9
                    caches[k] += 0.1 * g * g
                    params[k] -= lr * g / np.sqrt(caches[k] + 1e-7)
                elif optimizer == "rmsprop":
                    caches[k] = 0.9 * caches[k] + 0.1 * g * g
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
    """A plain loop with new arrays each step, shuffling with the seeded generator, no progress display."""
    return _reference_loop(np.asarray(x, np.float32), np.asarray(y_onehot, np.float32), epochs, batch_size,
                           hidden, seed, report=False, in_place=False)


@right("train_mlp")
def train_mlp_float64(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Trains in float64 (slower and twice the memory, but correct)."""
    return _reference_loop(np.asarray(x, np.float64), np.asarray(y_onehot, np.float64), epochs, batch_size,
                           hidden, seed)
