"""Answers to notebook 05 (keras_from_scratch) that learners really write: wrong ones and right alternatives.

Both exercises are classes.  Each answer below is a class built from a plain base (written here, with
switches for the mistakes), so that every wrong answer differs from a right one by one mistake.
"""

import numpy as np

from . import right, wrong

# ---------------------------------------------------------------- Dense


class _Dense:
    """A plain Dense layer; the class attributes switch on one mistake each."""

    relu_at_zero = False  # lets the gradient through at exactly 0
    softmax_identity = False  # treats softmax's backward as the identity
    softmax_diagonal = False  # uses only the diagonal of softmax's Jacobian
    mean_bias = False  # averages the bias gradient over the batch
    transposed_kernel = False  # stores the kernel as (units, input_dim)
    global_rng = False  # draws the kernel from np.random
    float64 = False  # leaves the kernel float64
    copies = False  # weights returns copies
    lenient = False  # accepts any activation
    unstable_softmax = False  # exponentiates the raw logits
    in_place_grad = False  # multiplies grad_output in place
    bias_ones = False  # biases start at 1
    wrong_limit = False  # Glorot limit sqrt(6 / input_dim)
    global_max = False  # softmax shifted by the maximum of the whole batch, not of each row
    half_open = False  # draws from U(0, l) instead of U(-l, l)
    in_place_softmax_grad = False  # subtracts sum(g * p) from grad_output in place
    no_input_shape = False  # forgets input_shape
    mean_kernel = False  # averages the kernel gradient over the batch
    mask_from_grad = False  # relu's mask from grad_output > 0
    first_forward_only = False  # remembers only the first forward's input
    softmax_columns = False  # softmax over each column

    def __init__(self, units, activation=None, input_shape=None):
        if not self.lenient and activation not in (None, "linear", "relu", "softmax"):
            raise ValueError(f"unknown activation {activation!r}")
        self.units = units
        self.activation = activation
        self.input_shape = None if self.no_input_shape else input_shape
        self.kernel = self.bias = self.grad_kernel = self.grad_bias = None

    def build(self, input_dim, rng):
        limit = np.sqrt(6 / input_dim) if self.wrong_limit else np.sqrt(6 / (input_dim + self.units))
        shape = (self.units, input_dim) if self.transposed_kernel else (input_dim, self.units)
        draw = np.random.uniform if self.global_rng else rng.uniform
        kernel = draw(0, limit, size=shape) if self.half_open else draw(-limit, limit, size=shape)
        self.kernel = kernel if self.float64 else kernel.astype(np.float32)
        self.bias = np.ones(self.units, np.float32) if self.bias_ones else np.zeros(self.units, np.float32)

    @property
    def weights(self):
        return [self.kernel.copy(), self.bias.copy()] if self.copies else [self.kernel, self.bias]

    @property
    def grads(self):
        return [self.grad_kernel, self.grad_bias]

    def _matrix(self):
        return self.kernel.T if self.transposed_kernel else self.kernel

    def forward(self, x):
        if not (self.first_forward_only and getattr(self, "x", None) is not None):
            self.x = x
        self.z = x @ self._matrix() + self.bias
        if self.activation == "relu":
            self.out = np.maximum(self.z, 0)
        elif self.activation == "softmax":
            axis = 0 if self.softmax_columns else 1
            if self.unstable_softmax:
                z = self.z
            elif self.global_max:
                z = self.z - self.z.max()
            else:
                z = self.z - self.z.max(axis=axis, keepdims=True)
            e = np.exp(z)
            self.out = e / e.sum(axis=axis, keepdims=True)
        else:
            self.out = self.z
        return self.out

    def backward(self, grad_output):
        if self.activation == "relu":
            mask = (self.z >= 0) if self.relu_at_zero else (self.z > 0)
            if self.mask_from_grad:
                mask = grad_output > 0
            if self.in_place_grad:
                grad_output *= mask
                grad_z = grad_output
            else:
                grad_z = grad_output * mask
        elif self.activation == "softmax" and not self.softmax_identity:
            p = self.out
            if self.softmax_diagonal:
                grad_z = grad_output * p * (1 - p)
            elif self.in_place_softmax_grad:
                grad_output -= np.sum(grad_output * p, axis=1, keepdims=True)
                grad_z = p * grad_output
            else:
                grad_z = p * (grad_output - np.sum(grad_output * p, axis=1, keepdims=True))
        else:
            grad_z = grad_output
        grad_kernel = self.x.T @ grad_z
        if self.mean_kernel:
            grad_kernel = grad_kernel / len(grad_z)
        self.grad_kernel = grad_kernel.T if self.transposed_kernel else grad_kernel
        self.grad_bias = grad_z.mean(axis=0) if self.mean_bias else grad_z.sum(axis=0)
        return grad_z @ self._matrix().T


def _dense(name, doc, **switches):
    return type(name, (_Dense,), {"__doc__": doc, **switches})


for _name, _doc, _switches in [
    ("DenseReluAtZero", "Lets the gradient through relu at exactly 0 (z >= 0).", dict(relu_at_zero=True)),
    (
        "DenseSoftmaxIdentity",
        "Passes the gradient through softmax unchanged, as if it had no activation.",
        dict(softmax_identity=True),
    ),
    (
        "DenseSoftmaxDiagonal",
        "Uses only the diagonal p(1 - p) of softmax's Jacobian, like a sigmoid.",
        dict(softmax_diagonal=True),
    ),
    ("DenseMeanBias", "Averages the bias gradient over the batch instead of summing it.", dict(mean_bias=True)),
    ("DenseTransposedKernel", "Keeps the kernel in PyTorch's (units, input_dim) layout.", dict(transposed_kernel=True)),
    (
        "DenseGlobalRng",
        "Draws the kernel from the global np.random, ignoring the generator it is given.",
        dict(global_rng=True),
    ),
    ("DenseFloat64", "Leaves the kernel float64.", dict(float64=True)),
    (
        "DenseWeightsCopies",
        "weights returns copies, so an optimizer's in-place updates never reach the layer.",
        dict(copies=True),
    ),
    ("DenseAnyActivation", "Accepts any activation string and treats the unknown ones as linear.", dict(lenient=True)),
    (
        "DenseUnstableSoftmax",
        "Exponentiates the logits without subtracting the row maximum (overflows).",
        dict(unstable_softmax=True),
    ),
    (
        "DenseInPlaceGrad",
        "Masks grad_output in place in relu's backward, changing the caller's array.",
        dict(in_place_grad=True),
    ),
    ("DenseBiasOnes", "Starts the biases at 1 instead of 0.", dict(bias_ones=True)),
    ("DenseHeLimit", "Uses the limit sqrt(6 / input_dim) (He uniform) instead of Glorot's.", dict(wrong_limit=True)),
    (
        "DenseGlobalMaxSoftmax",
        "Stabilises softmax with the batch's maximum, not each row's (rows far below it give 0 / 0).",
        dict(global_max=True),
    ),
    (
        "DenseHalfOpenUniform",
        "Draws the kernel from U(0, l): rng.uniform(0, limit), all weights positive.",
        dict(half_open=True),
    ),
    (
        "DenseInPlaceSoftmaxGrad",
        "Subtracts sum(g * p) from grad_output in place in softmax's backward.",
        dict(in_place_softmax_grad=True),
    ),
    ("DenseForgetsInputShape", "Never keeps input_shape (always None).", dict(no_input_shape=True)),
    ("DenseMeanKernelGrad", "Averages the kernel gradient over the batch (x.T @ dz / N).", dict(mean_kernel=True)),
    (
        "DenseMaskFromGrad",
        "Builds relu's mask from grad_output > 0 instead of the pre-activation.",
        dict(mask_from_grad=True),
    ),
    (
        "DenseFirstForwardOnly",
        "Remembers the input of the first forward only, so backward uses stale x.",
        dict(first_forward_only=True),
    ),
    (
        "DenseSoftmaxColumns",
        "Normalises softmax over each column (axis=0) instead of each row.",
        dict(softmax_columns=True),
    ),
]:
    wrong("Dense")(_dense(_name, _doc, **_switches))


@right("Dense")
class DenseMaskFromOutput(_Dense):
    """Builds relu's mask from the output (out > 0, the same as z > 0) and the softmax Jacobian per sample."""

    def backward(self, grad_output):
        if self.activation == "relu":
            grad_z = np.where(self.out > 0, grad_output, 0.0)
        elif self.activation == "softmax":
            p = self.out
            jacobians = np.einsum("ni,ij->nij", p, np.eye(p.shape[1])) - np.einsum("ni,nj->nij", p, p)
            grad_z = np.einsum("nij,ni->nj", jacobians, grad_output)
        else:
            grad_z = grad_output
        self.grad_kernel = np.dot(self.x.T, grad_z)
        self.grad_bias = np.sum(grad_z, axis=0)
        return np.dot(grad_z, self.kernel.T)


@right("Dense")
class DenseFloat32Draw(_Dense):
    """Draws the kernel in float32 from rng.random and keeps input_shape as given."""

    def build(self, input_dim, rng):
        limit = np.float32(np.sqrt(6.0 / (input_dim + self.units)))
        self.kernel = (rng.random((input_dim, self.units), dtype=np.float32) * 2 - 1) * limit
        self.bias = np.zeros((self.units,), dtype="float32")


@wrong("Dense")
class DenseBiasRow(_Dense):
    """Keeps the bias as a (1, units) row, and its gradient with keepdims=True."""

    def build(self, input_dim, rng):
        super().build(input_dim, rng)
        self.bias = self.bias.reshape(1, -1)

    def backward(self, grad_output):
        grad_x = super().backward(grad_output)
        self.grad_bias = self.grad_bias.reshape(1, -1)
        return grad_x


@wrong("Dense")
class DenseLinearRefused(_Dense):
    """Accepts None, 'relu' and 'softmax' but refuses 'linear'."""

    def __init__(self, units, activation=None, input_shape=None):
        if activation == "linear":
            raise ValueError("unknown activation 'linear'")
        super().__init__(units, activation, input_shape)


@wrong("Dense")
class DenseClippedExp(_Dense):
    """Guards softmax against overflow by clipping the logits to [-80, 80] (float32-safe), not shifting each row."""

    def forward(self, x):
        out = super().forward(x)
        if self.activation == "softmax":
            e = np.exp(np.clip(self.z, -80, 80))
            self.out = out = e / e.sum(axis=1, keepdims=True)
        return out


@right("Dense")
class DenseTransposedDraw(_Dense):
    """Draws a (units, input_dim) block and keeps its transpose: a Fortran-ordered (input_dim, units) kernel."""

    def build(self, input_dim, rng):
        limit = np.sqrt(6 / (input_dim + self.units))
        self.kernel = rng.uniform(-limit, limit, size=(self.units, input_dim)).astype(np.float32).T
        self.bias = np.zeros(self.units, np.float32)


@right("Dense")
class DenseFloat64Maths(_Dense):
    """Computes forward and backward in float64 (returns float64 arrays); relu as z * (z > 0)."""

    def forward(self, x):
        self.x = np.asarray(x, np.float64)
        self.z = self.x @ self.kernel.astype(np.float64) + self.bias.astype(np.float64)
        if self.activation == "relu":
            self.out = self.z * (self.z > 0)
        elif self.activation == "softmax":
            shifted = self.z - np.max(self.z, axis=-1, keepdims=True)
            self.out = np.exp(shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True)))
        else:
            self.out = self.z.copy()
        return self.out.copy()

    def backward(self, grad_output):
        g = np.asarray(grad_output, np.float64)
        if self.activation == "relu":
            g = g * np.heaviside(self.z, 0.0)
        elif self.activation == "softmax":
            g = self.out * g - self.out * (g * self.out).sum(axis=-1, keepdims=True)
        self.grad_kernel = np.einsum("ni,nj->ij", self.x, g)
        self.grad_bias = np.ones(len(g)) @ g
        return g @ self.kernel.T.astype(np.float64)


@right("Dense")
class DenseActivationTable(_Dense):
    """Looks the activation up in a dict of functions (KeyError turned into ValueError), keeps the name."""

    _table = {
        None: lambda z: z,
        "linear": lambda z: z,
        "relu": lambda z: np.maximum(z, 0.0),
        "softmax": lambda z: (lambda e: e / e.sum(axis=1, keepdims=True))(np.exp(z - z.max(axis=1, keepdims=True))),
    }

    def __init__(self, units, activation=None, input_shape=None):
        try:
            self._function = self._table[activation]
        except KeyError:
            raise ValueError(f"unknown activation {activation!r}") from None
        except TypeError:
            raise ValueError(f"unknown activation {activation!r}") from None
        super().__init__(units, activation, input_shape)
        self.input_shape = None if input_shape is None else tuple(input_shape)

    def forward(self, x):
        self.x = x
        self.z = x @ self.kernel + self.bias
        self.out = self._function(self.z)
        return self.out


# ---------------------------------------------------------------- Sequential


class _History:
    def __init__(self, history):
        self.history = history


class _Sequential:
    """A plain Sequential; the class attributes switch on one mistake each."""

    shuffle = "rng"  # "rng", "none", "global", "in place"
    eps_outside = False  # eps outside the square root
    old_cache = False  # steps with the cache from before this gradient
    sgd = False  # plain SGD under the name 'rmsprop'
    summed_loss = False  # reports the summed loss of a batch
    last_batch_loss = False  # reports the last batch's loss as the epoch's
    unweighted_epoch = False  # averages the batch losses without weighting by size
    drop_last = False  # drops the last, shorter batch
    evaluate_order = False  # evaluate returns [accuracy, loss]
    lenient = False  # compile accepts anything
    lazy_build = False  # builds the layers in fit, not compile
    grad_not_averaged = False  # dL/dp without the 1 / N
    rebinds = False  # computes new weights but never stores them
    fresh_rng = False  # a new default_rng(0) per layer in compile
    no_accuracy_history = False  # history without 'accuracy'
    loss_after_step = False  # train_on_batch reports the loss after the step
    eps_1e8 = False  # Keras 2's / PyTorch's habit: eps = 1e-8
    second_generator = False  # shuffles with a second default_rng(seed), not self.rng
    caches_in_fit = False  # starts new zero caches at every call of fit
    unweighted_accuracy = False  # epoch accuracy: the plain mean of the batch accuracies
    per_batch_history = False  # one history entry per batch
    log_mode = "clip"  # "clip", "none" (log p), "plus eps" (log(p + 1e-7))
    grad_mode = "masked"  # "masked", "unmasked" (-y / clip(p)), "raw" (-y / p), "plus eps"
    nominal_batch = False  # divides dL/dp by min(batch_size, N), not by the batch's length
    loss_as_list = False  # without metrics, train_on_batch returns [loss]
    always_accuracy = False  # train_on_batch returns [loss, accuracy] even without metrics
    rebinds_attributes = False  # layer.kernel = layer.kernel - step: new arrays, not in place
    kernels_only = False  # the optimizer skips the biases
    lr = 0.001
    rho = 0.9
    default_seed = 0
    case_insensitive = False  # compile lower-cases every name (the loss's too) before comparing
    strict_names = False  # compile takes only 'rmsprop', 'categorical_crossentropy' and 'accuracy', as written
    no_acc = False  # compile refuses the metric name 'acc'
    metric_renamed = False  # every accuracy metric is called 'accuracy', whatever name it was given
    labels_unshuffled = False  # shuffles x's rows but takes y's rows in order
    rebuild_in_fit = False  # fit builds the layers (and caches) again

    def __init__(self, layers=None, seed="default"):
        seed = self.default_seed if seed == "default" else seed
        self.layers = list(layers or [])
        self.rng = np.random.default_rng(seed)
        self.shuffler = np.random.default_rng(seed) if self.second_generator else self.rng
        self.metrics = []
        self.batch_size = None

    def add(self, layer):
        self.layers.append(layer)

    def compile(self, optimizer="rmsprop", loss="categorical_crossentropy", metrics=None):
        self.metrics = list(metrics or [])
        if self.case_insensitive:
            optimizer, loss = optimizer.lower(), loss.lower()
            self.metrics = [m.lower() for m in self.metrics]
        if not self.lenient:
            if self.strict_names:
                known = (
                    optimizer == "rmsprop"
                    and loss == "categorical_crossentropy"
                    and all(m == "accuracy" for m in self.metrics)
                )
            else:
                names = ("accuracy",) if self.no_acc else ("accuracy", "acc")
                known = (
                    optimizer.lower() == "rmsprop"
                    and loss in ("categorical_crossentropy", "CategoricalCrossentropy")
                    and all(m.lower() in names for m in self.metrics)
                )
            if not known:
                raise ValueError("unsupported setting")
            if not self.layers or self.layers[0].input_shape is None:
                raise ValueError("the first layer needs an input_shape")
        if self.metric_renamed:
            self.metrics = ["accuracy" for _ in self.metrics]
        if not self.lazy_build:
            self._build(self.layers[0].input_shape[0])

    def _build(self, size):
        for layer in self.layers:
            layer.build(size, np.random.default_rng(0) if self.fresh_rng else self.rng)
            size = layer.units
        self.caches = [[np.zeros_like(w) for w in layer.weights] for layer in self.layers]

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def _scores(self, x, y):
        probs = self.predict(x)
        p = probs / probs.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore"):
            if self.log_mode == "none":
                logs = np.log(p)
            elif self.log_mode == "plus eps":
                logs = np.log(p + 1e-7)
            else:
                logs = np.log(np.clip(p, 1e-7, 1 - 1e-7))
        per_sample = -np.sum(np.where(y > 0, y * logs, 0.0), axis=1)
        loss = float(per_sample.sum() if self.summed_loss else per_sample.mean())
        return probs, [loss, float(np.mean(probs.argmax(axis=1) == y.argmax(axis=1)))]

    def train_on_batch(self, x, y):
        if self.layers[0].kernel is None:
            self._build(x.shape[1])
        probs, results = self._scores(x, y)
        if self.grad_mode == "unmasked":
            grad = -(y / np.clip(probs, 1e-7, 1 - 1e-7))
        elif self.grad_mode == "raw":
            grad = -(y / probs)
        elif self.grad_mode == "plus eps":
            grad = -(y / (probs + 1e-7))
        else:
            grad = -(y / np.clip(probs, 1e-7, 1 - 1e-7)) * ((probs >= 1e-7) & (probs <= 1 - 1e-7))
        if self.nominal_batch and self.batch_size:
            grad = grad / self.batch_size
        elif not self.grad_not_averaged:
            grad = grad / len(x)
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        eps = 1e-8 if self.eps_1e8 else 1e-7
        lr, rho = self.lr, self.rho
        for layer, caches in zip(self.layers, self.caches):
            for index, (weight, g) in enumerate(zip(layer.weights, layer.grads)):
                if self.kernels_only and index == 1:
                    continue
                cache = caches[index]
                new_cache = rho * cache + (1 - rho) * g * g
                if self.sgd:
                    step = lr * g
                elif self.old_cache:
                    step = lr * g / np.sqrt(cache + eps)
                elif self.eps_outside:
                    step = lr * g / (np.sqrt(new_cache) + eps)
                else:
                    step = lr * g / np.sqrt(new_cache + eps)
                caches[index] = new_cache
                if self.rebinds_attributes:
                    name = ("kernel", "bias")[index]
                    setattr(layer, name, getattr(layer, name) - step)
                elif self.rebinds:
                    weight = weight - step
                else:
                    weight -= step
        if self.loss_after_step:
            results = self._scores(x, y)[1]
        if self.always_accuracy or self.metrics:
            return results
        return results[:1] if self.loss_as_list else results[0]

    def fit(self, x, y, epochs=1, batch_size=32, verbose=1):
        names = ["loss"] + self.metrics
        history = {name: [] for name in names}
        if self.no_accuracy_history:
            history = {"loss": history["loss"]}
        n = len(x)
        self.batch_size = min(batch_size, n)
        if self.rebuild_in_fit:
            self._build(self.layers[0].input_shape[0])
        if self.caches_in_fit:
            self.caches = [[np.zeros_like(w) for w in layer.weights] for layer in self.layers]
        for _ in range(epochs):
            if self.shuffle == "rng":
                order = self.shuffler.permutation(n)
            elif self.shuffle == "global":
                order = np.random.permutation(n)
            elif self.shuffle == "in place":
                state = self.rng.bit_generator.state
                self.rng.shuffle(x)
                self.rng.bit_generator.state = state
                self.rng.shuffle(y)
                order = np.arange(n)
            else:
                order = np.arange(n)
            totals, sizes, lasts = np.zeros(len(names)), 0, None
            batch_means = []
            for start in range(0, n, batch_size):
                rows = order[start : start + batch_size]
                if self.drop_last and len(rows) < batch_size and start > 0:
                    continue
                labels = y[start : start + batch_size] if self.labels_unshuffled else y[rows]
                values = np.atleast_1d(self.train_on_batch(x[rows], labels))[: len(names)]
                if self.per_batch_history:
                    for index, name in enumerate(names):
                        if name in history:
                            history[name].append(float(values[index]))
                totals += values * len(rows)
                sizes += len(rows)
                batch_means.append(values)
                lasts = values
            for index, name in enumerate(names):
                if name not in history or self.per_batch_history:
                    continue
                if self.last_batch_loss:
                    value = lasts[index]
                elif self.unweighted_epoch or (self.unweighted_accuracy and index == 1):
                    value = np.mean([b[index] for b in batch_means])
                else:
                    value = totals[index] / sizes
                history[name].append(float(value))
        return _History(history)

    def evaluate(self, x, y, batch_size=32, verbose=1):
        _, results = self._scores(x, y)
        if not self.metrics:
            return results[0]
        return results[::-1] if self.evaluate_order else results


def _sequential(name, doc, **switches):
    return type(name, (_Sequential,), {"__doc__": doc, **switches})


for _name, _doc, _switches in [
    ("SequentialNoShuffle", "Never shuffles: the same batches every epoch.", dict(shuffle="none")),
    (
        "SequentialGlobalShuffle",
        "Shuffles with the global np.random: not repeatable from the seed.",
        dict(shuffle="global"),
    ),
    ("SequentialShufflesInPlace", "Shuffles the caller's x and y in place.", dict(shuffle="in place")),
    ("SequentialEpsOutside", "RMSprop with eps outside the square root.", dict(eps_outside=True)),
    ("SequentialOldCache", "RMSprop stepping with the cache from before this gradient.", dict(old_cache=True)),
    ("SequentialEps1e8", "RMSprop with eps = 1e-8.", dict(eps_1e8=True)),
    ("SequentialSgd", "Plain SGD (lr 0.001) under the name 'rmsprop'.", dict(sgd=True)),
    ("SequentialSummedLoss", "Reports the summed crossentropy of a batch, not the mean.", dict(summed_loss=True)),
    (
        "SequentialLastBatchLoss",
        "Reports the last batch's loss and accuracy as the epoch's.",
        dict(last_batch_loss=True),
    ),
    (
        "SequentialUnweightedEpoch",
        "Averages the batch losses without weighting the shorter last batch.",
        dict(unweighted_epoch=True),
    ),
    ("SequentialDropsLastBatch", "Drops the last, shorter batch of every epoch.", dict(drop_last=True)),
    ("SequentialEvaluateOrder", "evaluate returns [accuracy, loss].", dict(evaluate_order=True)),
    ("SequentialAcceptsAnything", "compile accepts any optimizer, loss and metric.", dict(lenient=True)),
    (
        "SequentialBuildsInFit",
        "Builds the layers on the first batch of fit instead of in compile.",
        dict(lazy_build=True),
    ),
    (
        "SequentialGradNotAveraged",
        "Starts backward from -y / p without dividing by the batch size.",
        dict(grad_not_averaged=True),
    ),
    ("SequentialRebindsWeights", "Computes new weights into a local name and never stores them.", dict(rebinds=True)),
    (
        "SequentialFreshRngPerLayer",
        "Builds every layer with a new default_rng(0), ignoring the seed.",
        dict(fresh_rng=True),
    ),
    ("SequentialNoAccuracyHistory", "Keeps only the loss in the history.", dict(no_accuracy_history=True)),
    (
        "SequentialLossAfterStep",
        "train_on_batch reports the loss after the step instead of before it.",
        dict(loss_after_step=True),
    ),
    (
        "SequentialSecondGenerator",
        "Shuffles with a second np.random.default_rng(seed), not the model's rng.",
        dict(second_generator=True),
    ),
    (
        "SequentialCachesInFit",
        "Starts new zero RMSprop caches at every call of fit (a second fit forgets them).",
        dict(caches_in_fit=True),
    ),
    (
        "SequentialRebuildsInFit",
        "fit builds the layers again (new weights, new caches) before training.",
        dict(rebuild_in_fit=True),
    ),
    (
        "SequentialUnweightedAccuracy",
        "Weights the epoch's loss by batch size but averages the batch accuracies plainly.",
        dict(unweighted_accuracy=True),
    ),
    (
        "SequentialPerBatchHistory",
        "Appends one history entry per batch instead of per epoch.",
        dict(per_batch_history=True),
    ),
    ("SequentialNoClipLoss", "Computes the crossentropy with log(p), without clipping p.", dict(log_mode="none")),
    (
        "SequentialLogPlusEps",
        "Computes the crossentropy with log(p + 1e-7) instead of clipping.",
        dict(log_mode="plus eps"),
    ),
    (
        "SequentialUnmaskedGrad",
        "Starts backward from -y / (N clip(p)) without zeroing it where p was clipped.",
        dict(grad_mode="unmasked"),
    ),
    ("SequentialRawGrad", "Starts backward from -y / (N p), without clipping p.", dict(grad_mode="raw")),
    ("SequentialGradPlusEps", "Starts backward from -y / (N (p + 1e-7)).", dict(grad_mode="plus eps")),
    (
        "SequentialNominalBatch",
        "Divides dL/dp by min(batch_size, N), also for the last, shorter batch.",
        dict(nominal_batch=True),
    ),
    (
        "SequentialLossAsList",
        "Without metrics, train_on_batch returns [loss] instead of the loss.",
        dict(loss_as_list=True),
    ),
    (
        "SequentialAlwaysAccuracy",
        "train_on_batch returns [loss, accuracy] even when compiled without metrics.",
        dict(always_accuracy=True),
    ),
    (
        "SequentialRebindsAttributes",
        "Steps with layer.kernel = layer.kernel - step: new arrays, not in place.",
        dict(rebinds_attributes=True),
    ),
    ("SequentialKernelsOnly", "Applies RMSprop to the kernels and never to the biases.", dict(kernels_only=True)),
    ("SequentialLr001", "RMSprop with learning rate 0.01.", dict(lr=0.01)),
    ("SequentialRho099", "RMSprop with rho = 0.99.", dict(rho=0.99)),
    ("SequentialSeedNone", "Sequential() defaults to seed=None: not repeatable.", dict(default_seed=None)),
    (
        "SequentialCaseInsensitive",
        "compile lower-cases every name, so it accepts 'Categorical_Crossentropy' and refuses "
        "'CategoricalCrossentropy', and reports metrics=['Accuracy'] as 'accuracy'.",
        dict(case_insensitive=True),
    ),
    (
        "SequentialStrictNames",
        "compile takes the names only as the study note writes them: it refuses 'RMSprop', "
        "'Accuracy', 'acc' and 'CategoricalCrossentropy', which Keras 3 accepts.",
        dict(strict_names=True),
    ),
    (
        "SequentialRefusesAcc",
        "compile refuses the metric name 'acc', which Keras 3 reads as accuracy.",
        dict(no_acc=True),
    ),
    (
        "SequentialRenamesMetric",
        "Reports metrics=['Accuracy'] under the name 'accuracy' instead of the name given.",
        dict(metric_renamed=True),
    ),
    (
        "SequentialLabelsUnshuffled",
        "Shuffles the rows of x but takes the rows of y in their original order.",
        dict(labels_unshuffled=True),
    ),
]:
    wrong("Sequential")(_sequential(_name, _doc, **_switches))


@right("Sequential")
class SequentialPlain(_Sequential):
    """A plain model that builds new cache arrays each step and writes the weights back in place."""


@right("Sequential")
class SequentialSplitBatches(_Sequential):
    """Pops batches off a Python list of shuffled indices and averages per-sample losses."""

    def fit(self, x, y, epochs=1, batch_size=32, verbose=1):
        history = {name: [] for name in ["loss"] + self.metrics}
        for _ in range(epochs):
            order = list(self.rng.permutation(len(x)))
            losses, hits = [], []
            while order:
                rows, order = np.array(order[:batch_size]), order[batch_size:]
                result = np.atleast_1d(self.train_on_batch(x[rows], y[rows]))
                losses += [result[0]] * len(rows)
                hits += [result[1:]] * len(rows)
            history["loss"].append(float(np.mean(losses)))
            for index, name in enumerate(self.metrics):
                history[name].append(float(np.mean([h[index] for h in hits])))
        return _History(history)


@right("Sequential")
class SequentialArrayResults(_Sequential):
    """Returns NumPy arrays [loss, accuracy] from train_on_batch and evaluate."""

    def train_on_batch(self, x, y):
        return np.asarray(super().train_on_batch(x, y))

    def evaluate(self, x, y, batch_size=32, verbose=1):
        return np.asarray(super().evaluate(x, y, batch_size, verbose))


@right("Sequential")
class SequentialShuffleArange(_Sequential):
    """Shuffles np.arange(N) in place with self.rng.shuffle (the same stream as rng.permutation(N))."""

    def fit(self, x, y, epochs=1, batch_size=32, verbose=1):
        history = {name: [] for name in ["loss"] + self.metrics}
        for _ in range(epochs):
            order = np.arange(len(x))
            self.rng.shuffle(order)
            results = []
            for rows in np.array_split(order, range(batch_size, len(x), batch_size)):
                results.append(np.atleast_1d(self.train_on_batch(x[rows], y[rows])) * len(rows))
            for name, total in zip(history, np.sum(results, axis=0)):
                history[name].append(total / len(x))
        return _History(history)


@right("Sequential")
class SequentialUpdateAsYouGo(_Sequential):
    """Updates each layer right after its backward (the gradient below is already computed), with caches
    kept in a dict keyed by id(array) and created on the first step; returns tuples."""

    def compile(self, optimizer="rmsprop", loss="categorical_crossentropy", metrics=None):
        super().compile(optimizer, loss, metrics)
        self.caches = {}

    def train_on_batch(self, x, y):
        probs = self.predict(x)
        p = np.clip(probs, 1e-7, 1 - 1e-7)
        loss = float(np.mean(-np.sum(y * np.log(p), axis=1)))
        accuracy = float(np.mean(np.argmax(probs, 1) == np.argmax(y, 1)))
        grad = np.where((probs >= 1e-7) & (probs <= 1 - 1e-7), -y / p, 0.0) / x.shape[0]
        for layer in self.layers[::-1]:
            grad = layer.backward(grad)
            for weight, g in zip(layer.weights, layer.grads):
                cache = self.caches.setdefault(id(weight), np.zeros(weight.shape))
                cache[...] = 0.9 * cache + 0.1 * np.square(g)
                weight[...] = weight - 0.001 * g / np.sqrt(cache + 1e-7)
        return (loss, accuracy) if self.metrics else loss

    def evaluate(self, x, y, batch_size=32, verbose=1):
        result = super().evaluate(x, y, batch_size, verbose)
        return tuple(result) if isinstance(result, list) else result


@right("Sequential")
class SequentialKerasGradient(_Sequential):
    """Differentiates Keras' whole loss, row normalisation included: dL/dp gets an extra sum(y * mask) / N per
    row, which softmax's backward cancels; casts x and y to float64 first."""

    def train_on_batch(self, x, y):
        x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
        probs = self.predict(x)
        total = probs.sum(axis=1, keepdims=True)
        q = probs / total
        mask = (q >= 1e-7) & (q <= 1 - 1e-7)
        loss = float(np.mean(-np.sum(y * np.log(np.clip(q, 1e-7, 1 - 1e-7)), axis=1)))
        accuracy = float(np.mean(probs.argmax(axis=1) == y.argmax(axis=1)))
        dq = -(y / np.clip(q, 1e-7, 1 - 1e-7)) * mask / len(x)
        grad = dq / total - np.sum(dq * probs, axis=1, keepdims=True) / total**2
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        for layer, caches in zip(self.layers, self.caches):
            for weight, g, cache in zip(layer.weights, layer.grads, caches):
                cache *= 0.9
                cache += 0.1 * g**2
                weight -= (0.001 * g / np.sqrt(cache + 1e-7)).astype(weight.dtype)
        return [loss, accuracy] if self.metrics else loss


@right("Sequential")
class SequentialFlatParameters(_Sequential):
    """Keeps flat lists of the weight arrays and caches, made in compile; grads read after backward."""

    def _build(self, size):
        super()._build(size)
        self.params = [w for layer in self.layers for w in layer.weights]
        self.flat_caches = [np.zeros_like(w) for w in self.params]

    def train_on_batch(self, x, y):
        probs, results = self._scores(x, y)
        inside = (probs >= 1e-7) & (probs <= 1 - 1e-7)
        grad = -y / np.clip(probs, 1e-7, 1 - 1e-7) * inside / len(y)
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        grads = [g for layer in self.layers for g in layer.grads]
        for w, g, c in zip(self.params, grads, self.flat_caches):
            c[:] = 0.9 * c + 0.1 * g * g
            np.subtract(w, 0.001 * g / np.sqrt(c + 1e-7), out=w, casting="unsafe")
        return results if self.metrics else results[0]


@wrong("Sequential")
class SequentialAccumulatingHistory(_Sequential):
    """Keeps one History for the model's life: a second fit returns the first fit's epochs too."""

    def fit(self, x, y, epochs=1, batch_size=32, verbose=1):
        new = super().fit(x, y, epochs, batch_size, verbose)
        if not hasattr(self, "_all"):
            self._all = _History({name: [] for name in new.history})
        for name, values in new.history.items():
            self._all.history[name].extend(values)
        return self._all


@wrong("Sequential")
class SequentialEvaluateUnweighted(_Sequential):
    """evaluate averages the per-batch losses and accuracies without weighting the last, shorter batch."""

    def evaluate(self, x, y, batch_size=32, verbose=1):
        results = [self._scores(x[i : i + batch_size], y[i : i + batch_size])[1] for i in range(0, len(x), batch_size)]
        mean = np.mean(results, axis=0).tolist()
        return mean if self.metrics else mean[0]


@wrong("Sequential")
class SequentialEvaluateFirstBatch(_Sequential):
    """evaluate scores only the first batch_size rows."""

    def evaluate(self, x, y, batch_size=32, verbose=1):
        return super().evaluate(x[:batch_size], y[:batch_size], batch_size, verbose)
