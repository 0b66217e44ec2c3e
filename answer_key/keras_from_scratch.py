"""Instructor-only material for notebook 05, Keras from scratch: what the hidden tests compare with.

Never shipped to students (HELPERS decision 1, CONTRIBUTING.md): it computes answers.

- `ReferenceDense`: a correct Dense layer that records what a model does with it (which rows each
  training step used, the outputs and gradients), so that the hidden tests of `Sequential` never depend
  on the learner's own `Dense`;
- `crossentropy` (03's `reference_cce` in the model's own dtype), `categorical_accuracy`,
  `reference_forward`, `reference_full_batch_fit`: Keras' numbers (the last two in float64), written
  independently of the notebook's answer cells;
- `toy_data`: the small classification problems the tests train on;
- `built_dense`, `dense_case`: a learner's Dense built from a seed, and the fixed arrays its forward
  and backward are checked on (the visible checks' `dense_with_fixed_weights` puts them in a layer);
- `model_of`, `step_data`, `step_model`, `scoring_data`, `scoring_model`: compiled models of
  ReferenceDense layers and the data the tests of Sequential train and score them on (each hidden-test
  cell runs alone, in a fresh process, so what several cells share is defined here);
- `frozen_values()`: the expected values of the visible checks in `checks.keras_from_scratch`, computed
  by running the notebook's own reference solutions (`answer_key.reference`: the answer cells of
  `solutions/`) on the visible checks' inputs; the checks read them back as data.
"""

from __future__ import annotations

import contextlib
import io
import numpy as np

from answer_key import reference
from answer_key.losses import CLIP, reference_cce
from answer_key.mnist_mlp import keras_rmsprop, softmax_rows
from checks.keras_from_scratch import LayerArrays, built_layer, weights_of
from checks.mnist_mlp import glorot_limit

ACTIVATIONS = (None, "linear", "relu", "softmax")
RMSPROP = dict(lr=0.001, rho=0.9, eps=1e-7)


# ------------------------------------------------------------------ references for the hidden tests


class ReferenceDense(LayerArrays):
    """A correct Dense layer that records its training steps (for testing a Sequential).

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

    def forward(self, x):
        self._x = x
        self._out = activated(self.activation, x @ self.kernel + self.bias)
        return self._out

    def backward(self, grad_output):
        grad_z = through_activation(self.activation, grad_output, self._out)
        self.steps.append(np.array(self._x, copy=True))
        self.outputs.append(np.array(self._out, copy=True))
        self.grad_kernel = self._x.T @ grad_z
        self.grad_bias = grad_z.sum(axis=0)
        self.gradients.append((self.grad_kernel.copy(), self.grad_bias.copy()))
        return grad_z @ self.kernel.T


def activated(activation, z):
    """activation(z): relu, softmax of each row, or z itself for None and 'linear'."""
    if activation == "relu":
        return np.maximum(z, 0)
    if activation == "softmax":
        return softmax_rows(z)
    return z


def through_activation(activation, grad, out):
    """The gradient with respect to z of a layer whose output `out` = activated(activation, z) got `grad`."""
    if activation == "relu":
        return grad * (out > 0)
    if activation == "softmax":
        return out * (grad - np.sum(grad * out, axis=1, keepdims=True))
    return grad


def crossentropy(y_true, y_pred):
    """Keras' categorical crossentropy (NumPy backend) of a model's outputs, in the outputs' own dtype."""
    return reference_cce(y_true, y_pred, dtype=None)


def crossentropy_grad(y_true, y_pred):
    """dL/dp of `crossentropy` for softmax rows: -y / (N clip(p)), and 0 where p was clipped."""
    inside = (y_pred >= CLIP) & (y_pred <= 1 - CLIP)
    return -(y_true / np.clip(y_pred, CLIP, 1 - CLIP)) * inside / len(y_true)


def categorical_accuracy(y_true, y_pred):
    """The fraction of rows whose argmax is the label's."""
    return float(np.mean(np.argmax(y_pred, axis=1) == np.argmax(y_true, axis=1)))


def reference_forward(weights, activations, x):
    """Outputs of a stack of dense layers given as [(kernel, bias), ...], in float64."""
    out = np.asarray(x, np.float64)
    for (kernel, bias), activation in zip(weights, activations):
        out = activated(activation, out @ np.asarray(kernel, np.float64) + np.asarray(bias, np.float64))
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
        layer_outputs = [x]
        for (kernel, bias), activation in zip(weights, activations):
            layer_outputs.append(activated(activation, layer_outputs[-1] @ kernel + bias))
        probs = layer_outputs[-1]
        history["loss"].append(crossentropy(y, probs))
        history["accuracy"].append(categorical_accuracy(y, probs))
        grad = crossentropy_grad(y, probs)
        new_weights, new_caches = [None] * len(weights), [None] * len(weights)
        for index in reversed(range(len(weights))):
            kernel, bias = weights[index]
            grad_z = through_activation(activations[index], grad, layer_outputs[index + 1])
            grad_kernel, grad_bias = layer_outputs[index].T @ grad_z, grad_z.sum(axis=0)
            grad = grad_z @ kernel.T
            (kernel, kernel_cache), (bias, bias_cache) = (
                keras_rmsprop(kernel, grad_kernel, caches[index][0], **RMSPROP),
                keras_rmsprop(bias, grad_bias, caches[index][1], **RMSPROP),
            )
            new_weights[index], new_caches[index] = (kernel, bias), (kernel_cache, bias_cache)
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


# ------------------------------------------------------------------ what the hidden tests of Dense share


def built_dense(Dense, units, activation, input_dim, seed):
    """Dense(units, activation=activation) (the learner's class), built for input_dim inputs from
    np.random.default_rng(seed)."""
    return built_layer(Dense, units, input_dim, seed, activation=activation)


def dense_case():
    """The fixed arrays forward and backward are checked on, non-square: (x, g, kernel, bias, z).

    x (6, 4) is the input, g (6, 3) the incoming gradient, kernel (4, 3) and bias (3,) the weights, all
    float32 from np.random.default_rng(50); z = x @ kernel + bias is computed in float64.
    """
    rng = np.random.default_rng(50)
    x = rng.normal(size=(6, 4)).astype(np.float32)
    g = rng.normal(size=(6, 3)).astype(np.float32)
    kernel = rng.normal(size=(4, 3)).astype(np.float32)
    bias = rng.normal(size=3).astype(np.float32)
    return x, g, kernel, bias, x.astype(np.float64) @ kernel + bias


# ------------------------------------------------------------------ what the hidden tests of Sequential share


def quietly(call, *args, **kwargs):
    """call(*args, **kwargs) with whatever it prints swallowed (fit and evaluate print Keras' lines)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return call(*args, **kwargs)


def raises_value_error(make):
    """Whether make() raises ValueError (anything else it raises propagates)."""
    try:
        quietly(make)
    except ValueError:
        return True
    return False


def model_of(Sequential, sizes, activations, input_dim, seed=0, metrics=("accuracy",), through_constructor=False):
    """A compiled Sequential of ReferenceDense layers; returns (model, layers)."""
    made = [
        ReferenceDense(units, activation=activation, input_shape=(input_dim,) if i == 0 else None)
        for i, (units, activation) in enumerate(zip(sizes, activations))
    ]
    if through_constructor:
        model = Sequential(made, seed=seed)
    else:
        model = Sequential(seed=seed)
        for layer in made:
            model.add(layer)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=list(metrics) if metrics else None)
    return model, made


STEP_ACTIVATIONS = ("relu", "relu", "softmax")


def step_data():
    """The batch train_on_batch and fit are checked on: 16 samples, 6 features, 4 classes (toy_data, seed 6).

    Its first three features are scaled by 1e-3, so that some gradients are tiny: RMSprop's eps inside
    the square root and outside it then give different steps.
    """
    x, y = toy_data(n=16, features=6, classes=4, seed=6)
    x[:, :3] *= 1e-3
    return x, y


def step_model(Sequential, metrics=("accuracy",)):
    """The model trained on step_data(): 6 inputs -> 8 relu -> 5 relu -> 4 softmax, seed 7; (model, layers)."""
    return model_of(Sequential, [8, 5, 4], STEP_ACTIVATIONS, 6, seed=7, metrics=metrics)


SCORING_ACTIVATIONS = ("relu", "relu", "softmax")


def scoring_data():
    """The data predict and evaluate are checked on: 40 samples, 5 features, 3 classes (toy_data, seed 5)."""
    return toy_data(n=40, features=5, classes=3, seed=5)


def scoring_model(Sequential):
    """The model predict and evaluate score scoring_data() with: 5 inputs -> 6 relu -> 4 relu -> 3 softmax,
    seed 4; (model, its weights as [(kernel, bias), ...] copies)."""
    model, _ = model_of(Sequential, [6, 4, 3], SCORING_ACTIVATIONS, 5, seed=4)
    return model, weights_of(model)


def close(model, weights, rtol=1e-4, atol=1e-6):
    """Whether the model's layers hold the given [(kernel, bias), ...] within the tolerance."""
    return all(
        np.allclose(layer.kernel, k, rtol=rtol, atol=atol) and np.allclose(layer.bias, b, rtol=rtol, atol=atol)
        for layer, (k, b) in zip(model.layers, weights)
    )


# ------------------------------------------------------------------ the visible checks' expected values


def _dense_values(Dense):
    """What the reference Dense gives on the visible checks' fixed inputs (checks.keras_from_scratch)."""
    from checks import keras_from_scratch as visible

    values = {}
    for activation in visible.CHECKED_ACTIVATIONS:
        layer = visible.dense_with_fixed_weights(Dense, activation)
        values[f"forward {activation}"] = np.asarray(layer.forward(visible.X.copy()), np.float32)
        grad_x = layer.backward(visible.G.copy())
        values[f"backward {activation}"] = tuple(
            np.asarray(a, np.float32) for a in (grad_x, layer.grad_kernel, layer.grad_bias)
        )
    layer = visible.dense_with_fixed_weights(Dense, "softmax", visible.LARGE_KERNEL, visible.LARGE_BIAS)
    values["softmax of large logits"] = np.asarray(layer.forward(visible.LARGE_X.copy()), np.float32)
    return values


def _sequential_values(Sequential):
    """What the reference Sequential gives in each scripted scenario of the visible checks."""
    from checks import keras_from_scratch as visible

    values = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for name, scenario in visible.SCENARIOS.items():
            for key, value in scenario(Sequential).items():
                values[visible.frozen_label(name, key)] = value
    return values


def frozen_values():
    """`{exercise: {label: value}}`: every expected value the visible checks of notebook 05 read as data.

    `python3 course.py freeze` writes them to checks/frozen/keras_from_scratch.json (`answer_key.freeze`).
    """
    return {"Dense": _dense_values(reference("Dense")), "Sequential": _sequential_values(reference("Sequential"))}
