"""Answers to notebook 05 (keras_from_scratch) that learners really write: wrong ones and right alternatives.

Both exercises are classes.  Each answer below is a class built from a plain base (written here, with
switches for the mistakes), so that every wrong answer differs from a right one by one mistake.
"""
import numpy as np

from . import right, wrong

# ---------------------------------------------------------------- Dense


class _Dense:
    """A plain Dense layer; the class attributes switch on one mistake each."""

    relu_at_zero = False          # lets the gradient through at exactly 0
    softmax_identity = False      # treats softmax's backward as the identity
    softmax_diagonal = False      # uses only the diagonal of softmax's Jacobian
    mean_bias = False             # averages the bias gradient over the batch
    transposed_kernel = False     # stores the kernel as (units, input_dim)
    global_rng = False            # draws the kernel from np.random
    float64 = False               # leaves the kernel float64
    copies = False                # weights returns copies
    lenient = False               # accepts any activation
    unstable_softmax = False      # exponentiates the raw logits
    in_place_grad = False         # multiplies grad_output in place
    bias_ones = False             # biases start at 1
    wrong_limit = False           # Glorot limit sqrt(6 / input_dim)

    def __init__(self, units, activation=None, input_shape=None):
        if not self.lenient and activation not in (None, "linear", "relu", "softmax"):
            raise ValueError(f"unknown activation {activation!r}")
        self.units = units
        self.activation = activation
        self.input_shape = input_shape
        self.kernel = self.bias = self.grad_kernel = self.grad_bias = None

    def build(self, input_dim, rng):
        limit = np.sqrt(6 / input_dim) if self.wrong_limit else np.sqrt(6 / (input_dim + self.units))
        shape = (self.units, input_dim) if self.transposed_kernel else (input_dim, self.units)
        draw = np.random.uniform if self.global_rng else rng.uniform
        kernel = draw(-limit, limit, size=shape)
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
        self.x = x
        self.z = x @ self._matrix() + self.bias
        if self.activation == "relu":
            self.out = np.maximum(self.z, 0)
        elif self.activation == "softmax":
            z = self.z if self.unstable_softmax else self.z - self.z.max(axis=1, keepdims=True)
            e = np.exp(z)
            self.out = e / e.sum(axis=1, keepdims=True)
        else:
            self.out = self.z
        return self.out

    def backward(self, grad_output):
        if self.activation == "relu":
            mask = (self.z >= 0) if self.relu_at_zero else (self.z > 0)
            if self.in_place_grad:
                grad_output *= mask
                grad_z = grad_output
            else:
                grad_z = grad_output * mask
        elif self.activation == "softmax" and not self.softmax_identity:
            p = self.out
            if self.softmax_diagonal:
                grad_z = grad_output * p * (1 - p)
            else:
                grad_z = p * (grad_output - np.sum(grad_output * p, axis=1, keepdims=True))
        else:
            grad_z = grad_output
        grad_kernel = self.x.T @ grad_z
        self.grad_kernel = grad_kernel.T if self.transposed_kernel else grad_kernel
        self.grad_bias = grad_z.mean(axis=0) if self.mean_bias else grad_z.sum(axis=0)
        return grad_z @ self._matrix().T


def _dense(name, doc, **switches):
    return type(name, (_Dense,), {"__doc__": doc, **switches})


for _name, _doc, _switches in [
    ("DenseReluAtZero", "Lets the gradient through relu at exactly 0 (z >= 0).", dict(relu_at_zero=True)),
    ("DenseSoftmaxIdentity", "Passes the gradient through softmax unchanged, as if it had no activation.",
     dict(softmax_identity=True)),
    ("DenseSoftmaxDiagonal", "Uses only the diagonal p(1 - p) of softmax's Jacobian, like a sigmoid.",
     dict(softmax_diagonal=True)),
    ("DenseMeanBias", "Averages the bias gradient over the batch instead of summing it.", dict(mean_bias=True)),
    ("DenseTransposedKernel", "Keeps the kernel in PyTorch's (units, input_dim) layout.", dict(transposed_kernel=True)),
    ("DenseGlobalRng", "Draws the kernel from the global np.random, ignoring the generator it is given.",
     dict(global_rng=True)),
    ("DenseFloat64", "Leaves the kernel float64.", dict(float64=True)),
    ("DenseWeightsCopies", "weights returns copies, so an optimizer's in-place updates never reach the layer.",
     dict(copies=True)),
    ("DenseAnyActivation", "Accepts any activation string and treats the unknown ones as linear.", dict(lenient=True)),
    ("DenseUnstableSoftmax", "Exponentiates the logits without subtracting the row maximum (overflows).",
     dict(unstable_softmax=True)),
    ("DenseInPlaceGrad", "Masks grad_output in place in relu's backward, changing the caller's array.",
     dict(in_place_grad=True)),
    ("DenseBiasOnes", "Starts the biases at 1 instead of 0.", dict(bias_ones=True)),
    ("DenseHeLimit", "Uses the limit sqrt(6 / input_dim) (He uniform) instead of Glorot's.", dict(wrong_limit=True)),
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


# ---------------------------------------------------------------- Sequential


class _History:
    def __init__(self, history):
        self.history = history


class _Sequential:
    """A plain Sequential; the class attributes switch on one mistake each."""

    shuffle = "rng"               # "rng", "none", "global", "in place"
    eps_outside = False           # eps outside the square root
    old_cache = False             # steps with the cache from before this gradient
    sgd = False                   # plain SGD under the name 'rmsprop'
    summed_loss = False           # reports the summed loss of a batch
    last_batch_loss = False       # reports the last batch's loss as the epoch's
    unweighted_epoch = False      # averages the batch losses without weighting by size
    drop_last = False             # drops the last, shorter batch
    evaluate_order = False        # evaluate returns [accuracy, loss]
    lenient = False               # compile accepts anything
    lazy_build = False            # builds the layers in fit, not compile
    grad_not_averaged = False     # dL/dp without the 1 / N
    rebinds = False               # computes new weights but never stores them
    fresh_rng = False             # a new default_rng(0) per layer in compile
    no_accuracy_history = False   # history without 'accuracy'
    loss_after_step = False       # train_on_batch reports the loss after the step
    eps_1e8 = False               # Keras 2's / PyTorch's habit: eps = 1e-8

    def __init__(self, layers=None, seed=0):
        self.layers = list(layers or [])
        self.rng = np.random.default_rng(seed)
        self.metrics = []

    def add(self, layer):
        self.layers.append(layer)

    def compile(self, optimizer="rmsprop", loss="categorical_crossentropy", metrics=None):
        self.metrics = list(metrics or [])
        if not self.lenient:
            if optimizer != "rmsprop" or loss != "categorical_crossentropy" or any(m != "accuracy" for m in self.metrics):
                raise ValueError("unsupported setting")
            if not self.layers or self.layers[0].input_shape is None:
                raise ValueError("the first layer needs an input_shape")
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
        p = np.clip(probs / probs.sum(axis=1, keepdims=True), 1e-7, 1 - 1e-7)
        per_sample = -np.sum(y * np.log(p), axis=1)
        loss = float(per_sample.sum() if self.summed_loss else per_sample.mean())
        return probs, [loss, float(np.mean(probs.argmax(axis=1) == y.argmax(axis=1)))]

    def train_on_batch(self, x, y):
        if self.layers[0].kernel is None:
            self._build(x.shape[1])
        probs, results = self._scores(x, y)
        grad = -(y / np.clip(probs, 1e-7, 1 - 1e-7)) * ((probs >= 1e-7) & (probs <= 1 - 1e-7))
        if not self.grad_not_averaged:
            grad = grad / len(x)
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        eps = 1e-8 if self.eps_1e8 else 1e-7
        for layer, caches in zip(self.layers, self.caches):
            for index, (weight, g) in enumerate(zip(layer.weights, layer.grads)):
                cache = caches[index]
                new_cache = 0.9 * cache + 0.1 * g * g
                if self.sgd:
                    step = 0.001 * g
                elif self.old_cache:
                    step = 0.001 * g / np.sqrt(cache + eps)
                elif self.eps_outside:
                    step = 0.001 * g / (np.sqrt(new_cache) + eps)
                else:
                    step = 0.001 * g / np.sqrt(new_cache + eps)
                caches[index] = new_cache
                if self.rebinds:
                    weight = weight - step
                else:
                    weight -= step
        if self.loss_after_step:
            results = self._scores(x, y)[1]
        return results if "accuracy" in self.metrics else results[0]

    def fit(self, x, y, epochs=1, batch_size=32, verbose=1):
        names = ["loss"] + self.metrics
        history = {name: [] for name in names}
        if self.no_accuracy_history:
            history.pop("accuracy", None)
        n = len(x)
        for _ in range(epochs):
            if self.shuffle == "rng":
                order = self.rng.permutation(n)
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
                rows = order[start:start + batch_size]
                if self.drop_last and len(rows) < batch_size and start > 0:
                    continue
                values = np.atleast_1d(self.train_on_batch(x[rows], y[rows]))
                totals += values * len(rows)
                sizes += len(rows)
                batch_means.append(values)
                lasts = values
            for index, name in enumerate(names):
                if name not in history:
                    continue
                if self.last_batch_loss:
                    value = lasts[index]
                elif self.unweighted_epoch:
                    value = np.mean([b[index] for b in batch_means])
                else:
                    value = totals[index] / sizes
                history[name].append(float(value))
        return _History(history)

    def evaluate(self, x, y, batch_size=32, verbose=1):
        _, results = self._scores(x, y)
        if "accuracy" not in self.metrics:
            return results[0]
        return results[::-1] if self.evaluate_order else results


def _sequential(name, doc, **switches):
    return type(name, (_Sequential,), {"__doc__": doc, **switches})


for _name, _doc, _switches in [
    ("SequentialNoShuffle", "Never shuffles: the same batches every epoch.", dict(shuffle="none")),
    ("SequentialGlobalShuffle", "Shuffles with the global np.random: not repeatable from the seed.",
     dict(shuffle="global")),
    ("SequentialShufflesInPlace", "Shuffles the caller's x and y in place.", dict(shuffle="in place")),
    ("SequentialEpsOutside", "RMSprop with eps outside the square root.", dict(eps_outside=True)),
    ("SequentialOldCache", "RMSprop stepping with the cache from before this gradient.", dict(old_cache=True)),
    ("SequentialEps1e8", "RMSprop with eps = 1e-8.", dict(eps_1e8=True)),
    ("SequentialSgd", "Plain SGD (lr 0.001) under the name 'rmsprop'.", dict(sgd=True)),
    ("SequentialSummedLoss", "Reports the summed crossentropy of a batch, not the mean.", dict(summed_loss=True)),
    ("SequentialLastBatchLoss", "Reports the last batch's loss and accuracy as the epoch's.", dict(last_batch_loss=True)),
    ("SequentialUnweightedEpoch", "Averages the batch losses without weighting the shorter last batch.",
     dict(unweighted_epoch=True)),
    ("SequentialDropsLastBatch", "Drops the last, shorter batch of every epoch.", dict(drop_last=True)),
    ("SequentialEvaluateOrder", "evaluate returns [accuracy, loss].", dict(evaluate_order=True)),
    ("SequentialAcceptsAnything", "compile accepts any optimizer, loss and metric.", dict(lenient=True)),
    ("SequentialBuildsInFit", "Builds the layers on the first batch of fit instead of in compile.",
     dict(lazy_build=True)),
    ("SequentialGradNotAveraged", "Starts backward from -y / p without dividing by the batch size.",
     dict(grad_not_averaged=True)),
    ("SequentialRebindsWeights", "Computes new weights into a local name and never stores them.", dict(rebinds=True)),
    ("SequentialFreshRngPerLayer", "Builds every layer with a new default_rng(0), ignoring the seed.",
     dict(fresh_rng=True)),
    ("SequentialNoAccuracyHistory", "Keeps only the loss in the history.", dict(no_accuracy_history=True)),
    ("SequentialLossAfterStep", "train_on_batch reports the loss after the step instead of before it.",
     dict(loss_after_step=True)),
]:
    wrong("Sequential")(_sequential(_name, _doc, **_switches))


@right("Sequential")
class SequentialPlain(_Sequential):
    """A plain model that builds new cache arrays each step and writes the weights back in place."""


@right("Sequential")
class SequentialSplitBatches(_Sequential):
    """Pops batches off a Python list of shuffled indices and averages per-sample losses."""

    def fit(self, x, y, epochs=1, batch_size=32, verbose=1):
        history = {"loss": []}
        if "accuracy" in self.metrics:
            history["accuracy"] = []
        for _ in range(epochs):
            order = list(self.rng.permutation(len(x)))
            losses, hits = [], []
            while order:
                rows, order = np.array(order[:batch_size]), order[batch_size:]
                result = np.atleast_1d(self.train_on_batch(x[rows], y[rows]))
                losses += [result[0]] * len(rows)
                if "accuracy" in self.metrics:
                    hits += [result[1]] * len(rows)
            history["loss"].append(float(np.mean(losses)))
            if "accuracy" in self.metrics:
                history["accuracy"].append(float(np.mean(hits)))
        return _History(history)


@right("Sequential")
class SequentialArrayResults(_Sequential):
    """Returns NumPy arrays [loss, accuracy] from train_on_batch and evaluate."""

    def train_on_batch(self, x, y):
        return np.asarray(super().train_on_batch(x, y))

    def evaluate(self, x, y, batch_size=32, verbose=1):
        return np.asarray(super().evaluate(x, y, batch_size, verbose))
