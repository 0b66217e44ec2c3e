"""Visible checks, hints and solutions for notebook 05, Keras from scratch.

    from checks import keras_from_scratch as q
    q.Dense.check(Dense)
    q.Sequential.check(Sequential)

Both exercises are classes, so their checks receive the class and try its methods.  `Sequential` is
checked with `ReferenceDense`, a correct layer defined here that also records what the model does
with it (which rows each training step used), so that a mistake in your `Dense` cannot make your
`Sequential` look wrong, and the other way round.

The layer protocol the two classes share (docs/curriculum-additions.md):

    layer = Dense(units, activation=None, input_shape=None)
    layer.build(input_dim, rng)     # creates layer.kernel (input_dim, units) and layer.bias (units,)
    out = layer.forward(x)          # activation(x @ kernel + bias); remembers what backward needs
    grad_x = layer.backward(grad)   # sets layer.grad_kernel, layer.grad_bias; returns dL/dx
    layer.weights, layer.grads      # [kernel, bias] and [grad_kernel, grad_bias], the arrays themselves
"""
from __future__ import annotations

import numpy as np

from .exercise import Exercise
from .mnist_mlp import glorot_limit, glorot_shape_verdict

ACTIVATIONS = (None, "linear", "relu", "softmax")
RMSPROP = dict(lr=0.001, rho=0.9, eps=1e-7)
CLIP = 1e-7


# ------------------------------------------------------------------ references


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class ReferenceDense:
    """A correct Dense layer that records its training steps (for checking a Sequential).

    `steps` lists, for every call of `backward`, a copy of the input rows of the forward pass it
    differentiates, `outputs` a copy of that pass's output and `gradients` copies of the
    `(grad_kernel, grad_bias)` it computed (before any optimizer touches them); `built_with` is the
    generator `build` received.
    """

    def __init__(self, units, activation=None, input_shape=None):
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}")
        self.units = int(units)
        self.activation = activation
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.kernel = self.bias = self.grad_kernel = self.grad_bias = None
        self.steps = []
        self.outputs = []
        self.gradients = []
        self.built_with = None

    def build(self, input_dim, rng):
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"build expects a np.random.Generator, got {type(rng).__name__}")
        self.built_with = rng
        limit = glorot_limit(input_dim, self.units)
        self.kernel = rng.uniform(-limit, limit, size=(input_dim, self.units)).astype(np.float32)
        self.bias = np.zeros(self.units, np.float32)

    @property
    def weights(self):
        return [self.kernel, self.bias]

    @property
    def grads(self):
        return [self.grad_kernel, self.grad_bias]

    def forward(self, x):
        self._x = x
        z = x @ self.kernel + self.bias
        if self.activation == "relu":
            self._out = np.maximum(z, 0)
        elif self.activation == "softmax":
            self._out = softmax(z)
        else:
            self._out = z
        return self._out

    def backward(self, grad_output):
        if self.activation == "relu":
            grad_z = grad_output * (self._out > 0)
        elif self.activation == "softmax":
            p = self._out
            grad_z = p * (grad_output - np.sum(grad_output * p, axis=1, keepdims=True))
        else:
            grad_z = grad_output
        self.steps.append(np.array(self._x, copy=True))
        self.outputs.append(np.array(self._out, copy=True))
        self.grad_kernel = self._x.T @ grad_z
        self.grad_bias = grad_z.sum(axis=0)
        self.gradients.append((self.grad_kernel.copy(), self.grad_bias.copy()))
        return grad_z @ self.kernel.T


def crossentropy(y_true, y_pred):
    """Keras' categorical crossentropy: rows normalised, clipped to [1e-7, 1 - 1e-7], mean over samples."""
    p = y_pred / y_pred.sum(axis=1, keepdims=True)
    p = np.clip(p, CLIP, 1 - CLIP)
    return float(np.mean(-np.sum(y_true * np.log(p), axis=1)))


def categorical_accuracy(y_true, y_pred):
    return float(np.mean(np.argmax(y_pred, axis=1) == np.argmax(y_true, axis=1)))


def reference_forward(weights, activations, x):
    """Outputs of a stack of dense layers given as [(kernel, bias), ...], in float64."""
    out = np.asarray(x, np.float64)
    for (kernel, bias), activation in zip(weights, activations):
        z = out @ np.asarray(kernel, np.float64) + np.asarray(bias, np.float64)
        out = np.maximum(z, 0) if activation == "relu" else softmax(z) if activation == "softmax" else z
    return out


def reference_full_batch_fit(weights, activations, x, y, epochs):
    """Full-batch training as Keras: per epoch the loss and accuracy before the step, then one RMSprop step.

    Returns (history, final weights) in float64.  With one batch per epoch the order of the samples
    does not matter, so this pins down the loss, its gradient and the optimizer exactly.
    """
    weights = [(np.asarray(k, np.float64).copy(), np.asarray(b, np.float64).copy()) for k, b in weights]
    caches = [(np.zeros_like(k), np.zeros_like(b)) for k, b in weights]
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    history = {"loss": [], "accuracy": []}
    for _ in range(epochs):
        inputs, outputs = [], x
        for (kernel, bias), activation in zip(weights, activations):
            inputs.append(outputs)
            z = outputs @ kernel + bias
            outputs = np.maximum(z, 0) if activation == "relu" else softmax(z) if activation == "softmax" else z
        history["loss"].append(crossentropy(y, outputs))
        history["accuracy"].append(categorical_accuracy(y, outputs))
        p = np.clip(outputs, CLIP, 1 - CLIP)
        grad = -(y / p) * ((outputs >= CLIP) & (outputs <= 1 - CLIP)) / len(x)
        new_weights, new_caches = [None] * len(weights), [None] * len(weights)
        for index in reversed(range(len(weights))):
            kernel, bias = weights[index]
            out_of_layer = inputs[index + 1] if index + 1 < len(inputs) else outputs
            activation = activations[index]
            if activation == "relu":
                grad_z = grad * (out_of_layer > 0)
            elif activation == "softmax":
                grad_z = out_of_layer * (grad - np.sum(grad * out_of_layer, axis=1, keepdims=True))
            else:
                grad_z = grad
            grad_kernel, grad_bias = inputs[index].T @ grad_z, grad_z.sum(axis=0)
            grad = grad_z @ kernel.T
            updated = []
            for param, g, cache in zip((kernel, bias), (grad_kernel, grad_bias), caches[index]):
                cache = RMSPROP["rho"] * cache + (1 - RMSPROP["rho"]) * g ** 2
                updated.append((param - RMSPROP["lr"] * g / np.sqrt(cache + RMSPROP["eps"]), cache))
            new_weights[index] = (updated[0][0], updated[1][0])
            new_caches[index] = (updated[0][1], updated[1][1])
        weights, caches = new_weights, new_caches
    return history, weights


def toy_data(n=12, features=5, classes=3, seed=0, id_column=False):
    """A small classification problem (float32 x, one-hot float32 y); with id_column, x[:, 0] = row index."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    centres = rng.normal(size=(classes, features))
    x = (centres[labels] + 0.5 * rng.normal(size=(n, features))).astype(np.float32)
    if id_column:
        x[:, 0] = np.arange(n)
    return x, np.eye(classes, dtype=np.float32)[labels]


# ------------------------------------------------------------------ Dense


def _dense_attributes(cls):
    layer = cls(4, activation="relu", input_shape=(3,))
    if layer.units != 4 or layer.activation != "relu" or tuple(layer.input_shape) != (3,):
        return "Dense(4, activation='relu', input_shape=(3,)) should keep units=4, activation='relu', input_shape=(3,)"
    if cls(2).activation is not None or cls(2).input_shape is not None:
        return "Dense(2) should have activation None and input_shape None"
    return True


def _dense_unknown_activation(cls):
    try:
        cls(3, activation="relux")
    except ValueError:
        return True
    return "Dense(3, activation='relux') should raise ValueError (known: None, 'linear', 'relu', 'softmax')"


def _dense_build(cls):
    layer = cls(4, activation="relu")
    layer.build(3, np.random.default_rng(0))
    verdict = glorot_shape_verdict(3, 4)(layer.kernel)
    if verdict is not True:
        return f"after build(3, rng), the kernel: {verdict}"
    if not (isinstance(layer.bias, np.ndarray) and layer.bias.shape == (4,) and layer.bias.dtype == np.float32
            and not layer.bias.any()):
        return "after build(3, rng), the bias should be float32 zeros of shape (4,)"
    if len(layer.weights) != 2 or layer.weights[0] is not layer.kernel or layer.weights[1] is not layer.bias:
        return "weights should be [kernel, bias]: the arrays themselves, so that an optimizer can update them in place"
    other = cls(4, activation="relu")
    other.build(3, np.random.default_rng(0))
    if not np.array_equal(layer.kernel, other.kernel):
        return "two builds with generators of the same seed gave different kernels: draw from the rng you are given"
    return True


def _set(layer, kernel, bias):
    layer.kernel[...] = kernel
    layer.bias[...] = bias


_K = np.array([[1.0, -1.0, 0.5, 0.0], [0.5, 2.0, -1.0, 1.0], [-1.0, 0.0, 1.0, 0.5]], np.float32)
_B = np.array([0.1, -0.2, 0.0, 0.3], np.float32)
_X = np.array([[1.0, 0.0, 2.0], [0.5, -1.0, 0.0]], np.float32)
_G = np.array([[1.0, -2.0, 0.5, 1.0], [0.0, 1.0, -1.0, 2.0]], np.float32)


def _dense_forward(cls):
    for activation in ("relu", "softmax", None):
        layer = cls(4, activation=activation)
        layer.build(3, np.random.default_rng(1))
        _set(layer, _K, _B)
        expected = reference_forward([(_K, _B)], [activation], _X)
        got = layer.forward(_X)
        if not (isinstance(got, np.ndarray) and got.shape == expected.shape and np.allclose(got, expected, atol=1e-6)):
            return f"forward with activation={activation!r} should return activation(x @ kernel + bias)"
    return True


def _dense_backward(cls):
    for activation in ("relu", "softmax", None):
        layer = cls(4, activation=activation)
        layer.build(3, np.random.default_rng(2))
        _set(layer, _K, _B)
        reference = ReferenceDense(4, activation=activation)
        reference.build(3, np.random.default_rng(2))
        _set(reference, _K, _B)
        layer.forward(_X)
        reference.forward(_X)
        grad_x = layer.backward(_G)
        expected_x = reference.backward(_G)
        for name, got, want in [("the returned grad_x", grad_x, expected_x),
                                ("grad_kernel", layer.grad_kernel, reference.grad_kernel),
                                ("grad_bias", layer.grad_bias, reference.grad_bias)]:
            if not (isinstance(got, np.ndarray) and got.shape == want.shape and np.allclose(got, want, atol=1e-6)):
                return f"backward with activation={activation!r}: {name} is not right (shape {np.shape(want)} expected)"
        if len(layer.grads) != 2 or layer.grads[0] is not layer.grad_kernel or layer.grads[1] is not layer.grad_bias:
            return "grads should be [grad_kernel, grad_bias]"
    return True


def _dense_softmax_rows(cls):
    layer = cls(3, activation="softmax")
    layer.build(2, np.random.default_rng(3))
    _set(layer, np.array([[1000.0, 999.0, 0.0], [0.0, 0.0, 0.0]], np.float32), np.zeros(3, np.float32))
    with np.errstate(all="ignore"):
        got = layer.forward(np.array([[1.0, 0.0], [-1.0, 0.0]], np.float32))
    want = softmax(np.array([[1000.0, 999.0, 0.0], [-1000.0, -999.0, 0.0]]))
    if not (isinstance(got, np.ndarray) and got.shape == (2, 3) and np.all(np.isfinite(got))
            and np.allclose(got, want, atol=1e-6)):
        return ("softmax of the rows [1000, 999, 0] and [-1000, -999, 0] should be finite and exact: subtract "
                "each row's own maximum (z.max(axis=1, keepdims=True)) before np.exp")
    return True


Dense = Exercise(
    "Dense",
    cases=[],
    properties=[
        ("the constructor keeps units, activation and input_shape", _dense_attributes),
        ("an unknown activation raises ValueError", _dense_unknown_activation),
        ("build(input_dim, rng): a Glorot-uniform float32 kernel and a zero bias; weights = [kernel, bias]",
         _dense_build),
        ("forward: activation(x @ kernel + bias) for 'relu', 'softmax' and None", _dense_forward),
        ("backward: grad_kernel, grad_bias and the returned gradient for 'relu', 'softmax' and None",
         _dense_backward),
        ("softmax stays finite and exact for logits of +-1000, row by row", _dense_softmax_rows),
    ],
    hints=[
        "A layer is notebook 04's functions plus memory: build() makes the weights, forward() computes "
        "the output and keeps what backward() will need (the input x and the activation's output), and "
        "backward() turns dL/d(output) into dL/d(pre-activation), then into grad_kernel, grad_bias and dL/dx.",
        "Through relu the gradient passes where the output is > 0. Through softmax, with p the output and "
        "g the incoming gradient, dL/dz = p * (g - sum(g * p, axis=1, keepdims=True)). Then grad_kernel = "
        "x.T @ dz, grad_bias = dz.sum(axis=0), and return dz @ kernel.T.",
        "Make weights and grads properties returning [self.kernel, self.bias] and "
        "[self.grad_kernel, self.grad_bias]. See q.Dense.solution() for a complete class.",
    ],
)

# ------------------------------------------------------------------ Sequential


def _compiled(cls, activations=("relu", "softmax"), units=(6, 3), features=5, seed=0):
    model = cls(seed=seed)
    for index, (unit, activation) in enumerate(zip(units, activations)):
        model.add(ReferenceDense(unit, activation=activation, input_shape=(features,) if index == 0 else None))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def _sequential_add_compile(cls):
    model = cls()
    first, second = ReferenceDense(6, activation="relu", input_shape=(5,)), ReferenceDense(3, activation="softmax")
    model.add(first)
    model.add(second)
    if list(model.layers) != [first, second]:
        return "after two add() calls, model.layers should be the two layers in order"
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    if first.kernel is None or second.kernel is None:
        return "compile() should build every layer (layer.build(input_dim, rng))"
    if first.kernel.shape != (5, 6) or second.kernel.shape != (6, 3):
        return "the layers were built with the wrong input sizes: 5 -> 6 for the first, 6 -> 3 for the second"
    if not isinstance(first.built_with, np.random.Generator):
        return "build should receive the model's np.random.Generator"
    return True


def _sequential_refuses(cls):
    for kwargs, what in [(dict(optimizer="adamw"), "an unknown optimizer"),
                         (dict(loss="hinge"), "an unknown loss"),
                         (dict(metrics=["precision"]), "an unknown metric")]:
        model = cls()
        model.add(ReferenceDense(3, activation="softmax", input_shape=(4,)))
        options = dict(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
        options.update(kwargs)
        try:
            model.compile(**options)
        except ValueError:
            continue
        return f"compile with {what} should raise ValueError"
    return True


def _sequential_one_step(cls):
    x, y = toy_data()
    model = _compiled(cls)
    start = [(layer.kernel.copy(), layer.bias.copy()) for layer in model.layers]
    history = model.fit(x, y, epochs=2, batch_size=len(x))
    expected, weights = reference_full_batch_fit(start, ["relu", "softmax"], x, y, epochs=2)
    got = getattr(history, "history", None)
    if not isinstance(got, dict) or "loss" not in got or "accuracy" not in got:
        return "fit should return a history object whose .history dict has 'loss' and 'accuracy'"
    if len(got["loss"]) != 2 or not np.allclose(got["loss"], expected["loss"], rtol=1e-4):
        return "history.history['loss'] should hold one mean crossentropy per epoch (2 epochs, one batch each)"
    if not np.allclose(got["accuracy"], expected["accuracy"]):
        return "history.history['accuracy'] should hold one accuracy per epoch"
    for layer, (kernel, bias) in zip(model.layers, weights):
        if not (np.allclose(layer.kernel, kernel, rtol=1e-4, atol=1e-6) and np.allclose(layer.bias, bias, rtol=1e-4, atol=1e-6)):
            return "after two full-batch epochs the weights differ from two Keras RMSprop steps"
    return True


def _sequential_train_on_batch(cls):
    x, y = toy_data(seed=2)
    model = _compiled(cls)
    start = [(layer.kernel.copy(), layer.bias.copy()) for layer in model.layers]
    expected, weights = reference_full_batch_fit(start, ["relu", "softmax"], x, y, epochs=1)
    result = model.train_on_batch(x, y)
    if isinstance(result, str) or np.ndim(result) != 1 or len(result) != 2:
        return "train_on_batch(x, y) should return [loss, accuracy]"
    if not (np.isclose(result[0], expected["loss"][0], rtol=1e-4) and np.isclose(result[1], expected["accuracy"][0])):
        return "train_on_batch should return the batch's loss and accuracy from before the step"
    for layer, (kernel, bias) in zip(model.layers, weights):
        if not (np.allclose(layer.kernel, kernel, rtol=1e-4, atol=1e-6) and np.allclose(layer.bias, bias, rtol=1e-4, atol=1e-6)):
            return "after train_on_batch the weights differ from one Keras RMSprop step"
    return True


def _sequential_batches(cls):
    x, y = toy_data(n=10, id_column=True)
    model = _compiled(cls, seed=3)
    model.fit(x, y, epochs=2, batch_size=4)
    steps = model.layers[0].steps
    if [len(rows) for rows in steps] != [4, 4, 2, 4, 4, 2]:
        return "10 samples in batches of 4 for 2 epochs should make steps of 4, 4, 2 samples each epoch"
    first, second = (np.concatenate([s[:, 0] for s in steps[i:i + 3]]) for i in (0, 3))
    if sorted(first) != list(range(10)) or sorted(second) != list(range(10)):
        return "each epoch should use every sample exactly once"
    if np.array_equal(first, second) or np.array_equal(first, np.arange(10)):
        return "the samples should be shuffled, in a new order every epoch"
    return True


def _sequential_evaluate(cls):
    x, y = toy_data(seed=4)
    model = _compiled(cls)
    weights = [(layer.kernel, layer.bias) for layer in model.layers]
    probs = reference_forward(weights, ["relu", "softmax"], x)
    predicted = model.predict(x)
    if not (isinstance(predicted, np.ndarray) and np.allclose(predicted, probs, atol=1e-6)):
        return "predict(x) should return the last layer's output for every row"
    result = model.evaluate(x, y)
    if isinstance(result, str) or np.ndim(result) != 1 or len(result) != 2:
        return "evaluate(x, y) should return [loss, accuracy]"
    if not (np.isclose(result[0], crossentropy(y, probs), rtol=1e-4) and np.isclose(result[1], categorical_accuracy(y, probs))):
        return "evaluate(x, y) should return [mean crossentropy, accuracy] of the current weights"
    return True


def _sequential_without_metrics(cls):
    x, y = toy_data(seed=5)
    model = cls(seed=0)
    model.add(ReferenceDense(6, activation="relu", input_shape=(5,)))
    model.add(ReferenceDense(3, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    loss = model.evaluate(x, y)
    if np.ndim(loss) != 0 or not np.isclose(float(loss), crossentropy(y, model.predict(x)), rtol=1e-4):
        return "compiled without metrics, evaluate(x, y) should return the loss alone (a number, not a list)"
    step = model.train_on_batch(x, y)
    if np.ndim(step) != 0 or not np.isclose(float(step), loss, rtol=1e-4):
        return "compiled without metrics, train_on_batch(x, y) should return the batch's loss alone (a number, not a list)"
    return True


Sequential = Exercise(
    "Sequential",
    cases=[],
    properties=[
        ("add() keeps the layers in order; compile() builds them with the model's generator", _sequential_add_compile),
        ("compile() refuses an unknown optimizer, loss or metric", _sequential_refuses),
        ("predict() and evaluate() on the current weights", _sequential_evaluate),
        ("train_on_batch(): the batch's loss and accuracy, then one RMSprop step", _sequential_train_on_batch),
        ("fit(): two full-batch epochs give Keras' losses and RMSprop steps", _sequential_one_step),
        ("fit(): batches of 4 from 10 samples, shuffled anew every epoch", _sequential_batches),
        ("without metrics, evaluate() and train_on_batch() return the loss alone", _sequential_without_metrics),
    ],
    quiet=True,
    hints=[
        "The model does what train_mlp did, through the layers. train_on_batch: predict (each layer's "
        "forward in order), the loss and accuracy, then layer.backward from the last layer to the first "
        "starting from dL/d(predictions), then one RMSprop step for every array of every layer's weights, "
        "in place. fit: shuffle, cut into batches, call train_on_batch, average.",
        "With predictions p (the softmax output), Keras' crossentropy is the mean of -sum(y * log(clip(p))) "
        "over the rows, and its gradient with respect to p is -y / clip(p) / N (zero where p was clipped). "
        "The softmax layer's backward turns it into (p - y) / N. Keep one cache per weight array, created "
        "in compile(), and shuffle with self.rng.permutation every epoch.",
        "See q.Sequential.solution() for a complete class.",
    ],
)
