"""Visible checks and hints for notebook 05, Keras from scratch.

    from checks import keras_from_scratch as q
    q.Dense.check(Dense)
    q.Sequential_add.check(Sequential)         # step 2.1: the constructor and add
    q.Sequential_compile.check(Sequential)     # step 2.2 ... one check per step of the notebook
    q.Sequential.check(Sequential)             # every step at once

Both exercises are classes, so their checks receive the class and try its methods.  `Sequential` is
checked with `ScriptedLayer`, a stand-in layer with known answers: its forward pass looks its output up
in a table, its backward pass hands back fixed gradients, and it records every call.  So a mistake in
your `Dense` cannot make your `Sequential` look wrong, and the checks need no Dense of their own.

Nothing here computes an answer: the expected values are literals or frozen data
(`checks/frozen/keras_from_scratch.json`, written by the instructor from the notebook's reference
solutions with `answer_key.keras_from_scratch.frozen_values`).

The layer protocol the two classes share (docs/curriculum-additions.md):

    layer = Dense(units, activation=None, input_shape=None)
    layer.build(input_dim, rng)     # creates layer.kernel (input_dim, units) and layer.bias (units,)
    out = layer.forward(x)          # activation(x @ kernel + bias); remembers what backward needs
    grad_x = layer.backward(grad_output)   # sets layer.grad_kernel, layer.grad_bias; returns dL/dx
    layer.weights, layer.grads      # [kernel, bias] and [grad_kernel, grad_bias], the arrays themselves
"""

from __future__ import annotations

import functools

import numpy as np

from . import frozen
from .core import describe_value, find_mismatch
from .exercise import Exercise
from .i18n import _
from .mnist_mlp import glorot_limit, glorot_shape_verdict

MODULE = "keras_from_scratch"


def expected(exercise: str, label: str):
    """The frozen expected value of one visible check."""
    return frozen.load(MODULE)[exercise][label]


def differs(what: str, got, want, rtol: float = 1e-5, atol: float = 1e-6, names=()) -> str | None:
    """None when `got` matches `want`, else a sentence naming `what`, with the expected and the got value."""
    mismatch = find_mismatch(got, want, rtol, atol, names=names)
    if mismatch is None:
        return None
    where = f" ({mismatch.where})" if mismatch.where else ""
    lines = [
        f"{what}{where}: {mismatch.reason}",
        _("  expected: {value}").format(value=describe_value(mismatch.expected)),
        _("  got:      {value}").format(value=describe_value(mismatch.got)),
    ]
    return "\n".join(lines + ([f"  ({mismatch.detail})"] if mismatch.detail else []))


# ------------------------------------------------------------------ Dense

CHECKED_ACTIVATIONS = ("relu", "softmax", None)
KERNEL = np.array([[1.0, -1.0, 0.5, 0.0], [0.5, 2.0, -1.0, 1.0], [-1.0, 0.0, 1.0, 0.5]], np.float32)
BIAS = np.array([0.1, -0.2, 0.0, 0.3], np.float32)
X = np.array([[1.0, 0.0, 2.0], [0.5, -1.0, 0.0]], np.float32)
G = np.array([[1.0, -2.0, 0.5, 1.0], [0.0, 1.0, -1.0, 2.0]], np.float32)
LARGE_KERNEL = np.array([[1000.0, 999.0, 0.0], [0.0, 0.0, 0.0]], np.float32)
LARGE_BIAS = np.zeros(3, np.float32)
LARGE_X = np.array([[1.0, 0.0], [-1.0, 0.0]], np.float32)  # logits [1000, 999, 0] and [-1000, -999, 0]
GRADIENT_NAMES = ("grad_x", "grad_kernel", "grad_bias")  # the three results of backward, in messages


def built_layer(cls, units, input_dim, seed=0, **options):
    """`cls(units, **options)`, built for `input_dim` inputs with a generator of seed `seed`."""
    layer = cls(units, **options)
    layer.build(input_dim, np.random.default_rng(seed))
    return layer


def dense_with_fixed_weights(cls, activation, kernel=KERNEL, bias=BIAS):
    """A built layer of class `cls` whose kernel and bias are set to known values (in place)."""
    layer = built_layer(cls, kernel.shape[1], kernel.shape[0], activation=activation)
    layer.kernel[...] = kernel
    layer.bias[...] = bias
    return layer


def backward_differs(what: str, layer, grad_output, want) -> str | None:
    """`differs` for `layer.backward(grad_output)`: the dL/dx it returns, the grad_kernel and grad_bias it sets."""
    grad_x = layer.backward(grad_output.copy())
    return differs(what, (grad_x, layer.grad_kernel, layer.grad_bias), want, names=GRADIENT_NAMES)


def on_each_activation(test):
    """A property of Dense tried on a layer with the fixed weights for each of `CHECKED_ACTIVATIONS`.

    `test(layer, activation)` returns None when all is well, else the sentence saying what is wrong; the
    property's verdict is the first such sentence, or True.
    """

    @functools.wraps(test)
    def verdict(cls):
        for activation in CHECKED_ACTIVATIONS:
            problem = test(dense_with_fixed_weights(cls, activation), activation)
            if problem:
                return problem
        return True

    return verdict


Dense = Exercise(
    "Dense",
    cases=[],
    hints=[
        "A layer is notebook 04's functions plus memory: build() makes the weights, forward() computes "
        "the output and keeps what backward() will need (the input x and the activation's output), and "
        "backward() turns dL/d(output) into dL/d(pre-activation), then into grad_kernel, grad_bias and dL/dx.",
        "Through relu the gradient passes where the output is > 0. Through softmax it is the product with "
        "softmax's Jacobian (notebook 02 derives it, row by row: p times g minus p times the row's sum of g * p). "
        "From dL/dz on, the kernel's, the bias's and the input's gradients are notebook 04's dense_backward.",
        "weights and grads are given: they read self.kernel, self.bias, self.grad_kernel and self.grad_bias, "
        "so your methods must set exactly those attributes. Subtract each row's own maximum before np.exp.",
    ],
)


@Dense.property(
    "the constructor keeps units, activation and input_shape",
    hint="Store the three arguments as self.units, self.activation and self.input_shape.",
)
def _dense_attributes(cls):
    layer = cls(4, activation="relu", input_shape=(3,))
    if layer.units != 4 or layer.activation != "relu" or tuple(layer.input_shape) != (3,):
        return _(
            "Dense(4, activation='relu', input_shape=(3,)) should keep units=4, activation='relu', input_shape=(3,)"
        )
    if cls(2).activation is not None or cls(2).input_shape is not None:
        return _("Dense(2) should have activation None and input_shape None")
    if cls(2, activation="linear").activation != "linear":
        return _("Dense(2, activation='linear') should be accepted and keep activation='linear'")
    return True


@Dense.property(
    "an unknown activation raises ValueError",
    hint="Test the activation in __init__ against (None, 'linear', 'relu', 'softmax').",
)
def _dense_unknown_activation(cls):
    try:
        cls(3, activation="relux")
    except ValueError:
        return True
    return _("Dense(3, activation='relux') should raise ValueError (known: None, 'linear', 'relu', 'softmax')")


@Dense.property(
    "build(input_dim, rng): a Glorot-uniform float32 kernel and a zero bias; weights = [kernel, bias]",
    hint="The kernel is notebook 04's glorot_uniform for (input_dim, units), drawn from the rng you are "
    "given and kept as float32; the bias is float32 zeros, one per unit.",
)
def _dense_build(cls):
    layer = built_layer(cls, 4, 3, activation="relu")
    verdict = glorot_shape_verdict(3, 4)(layer.kernel)
    if verdict is not True:
        return _("after build(3, rng), the kernel: {verdict}").format(verdict=verdict)
    if not (
        isinstance(layer.bias, np.ndarray)
        and layer.bias.shape == (4,)
        and layer.bias.dtype == np.float32
        and not layer.bias.any()
    ):
        return _("after build(3, rng), the bias should be float32 zeros of shape (4,)")
    if len(layer.weights) != 2 or layer.weights[0] is not layer.kernel or layer.weights[1] is not layer.bias:
        return _(
            "weights should be [kernel, bias]: the arrays themselves, so that an optimizer can update them in place"
        )
    other = built_layer(cls, 4, 3, activation="relu")
    if not np.array_equal(layer.kernel, other.kernel):
        return _("two builds with generators of the same seed gave different kernels: draw from the rng you are given")
    return True


@Dense.property(
    "build: the kernel spreads over the whole of [-l, l], negative weights as well as positive",
    hint="Draw from both sides of 0: rng.uniform(-limit, limit, ...), not rng.uniform(0, limit, ...).",
)
def _dense_build_spread(cls):
    small = built_layer(cls, 4, 3)
    if not (np.any(small.kernel < 0) and np.any(small.kernel > 0)):
        return _(
            "after build(3, rng) with 4 units, the 12 weights should include negative and positive ones; got "
            "the kernel {small}"
        ).format(small=describe_value(small.kernel))
    large = built_layer(cls, 100, 100)
    limit = glorot_limit(100, 100)
    low, high = float(large.kernel.min()), float(large.kernel.max())
    if low > -0.9 * limit or high < 0.9 * limit:
        return _(
            "after build(100, rng) with 100 units, the 10,000 weights should reach close to both ends of "
            "[-l, l] = [{low_end:.4f}, {high_end:.4f}] (expected: min below {low_bound:.4f} and max above "
            "{high_bound:.4f}); got min {low:.4f} and max {high:.4f}"
        ).format(low_end=-limit, high_end=limit, low_bound=-0.9 * limit, high_bound=0.9 * limit, low=low, high=high)
    return True


@Dense.property(
    "forward: activation(x @ kernel + bias) for 'relu', 'softmax' and None",
    hint="The pre-activation is notebook 04's dense_forward with the layer's kernel and bias; then the "
    "activation; keep x and the output for backward.",
)
@on_each_activation
def _dense_forward(layer, activation):
    return differs(
        _("forward(x) with activation={activation!r}").format(activation=activation),
        layer.forward(X.copy()),
        expected("Dense", f"forward {activation}"),
    )


@Dense.property(
    "backward: the returned dL/dx, grad_kernel and grad_bias for 'relu', 'softmax' and None",
    hint="First dL/dz through the activation (relu: where the output is > 0; softmax: the product with "
    "its Jacobian), then from dL/dz the three gradients of notebook 04's dense_backward.",
)
@on_each_activation
def _dense_backward(layer, activation):
    layer.forward(X.copy())
    problem = backward_differs(
        _("backward(g) with activation={activation!r}").format(activation=activation),
        layer,
        G,
        expected("Dense", f"backward {activation}"),
    )
    if problem:
        return problem
    if len(layer.grads) != 2 or layer.grads[0] is not layer.grad_kernel or layer.grads[1] is not layer.grad_bias:
        return _("grads should be [grad_kernel, grad_bias]")
    return None


# relu at exactly 0: z = x @ kernel + bias = [[0, 2]] for x = [[1]], so only the second unit passes the gradient
RELU_EDGE_KERNEL = np.array([[1.0, 2.0]], np.float32)
RELU_EDGE_BIAS = np.array([-1.0, 0.0], np.float32)
RELU_EDGE_X = np.array([[1.0]], np.float32)
RELU_EDGE_G = np.array([[1.0, 1.0]], np.float32)
RELU_EDGE_GRADS = (np.array([[2.0]], np.float32), np.array([[0.0, 1.0]], np.float32), np.array([0.0, 1.0], np.float32))


@Dense.property(
    "relu passes no gradient where the pre-activation is exactly 0",
    hint="relu's mask is z > 0, strictly: relu has no slope at exactly 0, and Keras (like PyTorch) "
    "takes it as 0 there, so z >= 0 lets through a gradient that should stop.",
)
def _dense_relu_at_zero(cls):
    layer = dense_with_fixed_weights(cls, "relu", RELU_EDGE_KERNEL, RELU_EDGE_BIAS)
    layer.forward(RELU_EDGE_X.copy())
    return (
        backward_differs(
            _("with kernel [[1, 2]], bias [-1, 0] and x = [[1]] (so z = [[0, 2]]), backward([[1, 1]])"),
            layer,
            RELU_EDGE_G,
            RELU_EDGE_GRADS,
        )
        or True
    )


@Dense.property(
    "backward uses the input of the latest forward, not of an earlier one",
    hint="Store the input at every call of forward (self.x = x each time): backward belongs to the "
    "forward just before it.",
)
@on_each_activation
def _dense_latest_forward(layer, activation):
    layer.forward(X[::-1].copy())
    layer.forward(X.copy())
    return backward_differs(
        _("with activation={activation!r}, forward(x with its rows swapped), then forward(x) and backward(g)").format(
            activation=activation
        ),
        layer,
        G,
        expected("Dense", f"backward {activation}"),
    )


@Dense.property(
    "forward and backward leave x and grad_output unchanged",
    hint="Build new arrays (grad_output * mask, not grad_output *= mask); never write into your inputs.",
)
@on_each_activation
def _dense_inputs_unchanged(layer, activation):
    x, g = X.copy(), G.copy()
    layer.forward(x)
    layer.backward(g)
    if not (np.array_equal(x, X) and np.array_equal(g, G)):
        return _("with activation={activation!r}, forward or backward changed its input array in place").format(
            activation=activation
        )
    return None


@Dense.property(
    "softmax stays finite and exact for logits of +-1000, row by row",
    hint="Subtract each row's own maximum (a reduction along axis 1 with keepdims) before np.exp.",
)
def _dense_softmax_rows(cls):
    layer = dense_with_fixed_weights(cls, "softmax", LARGE_KERNEL, LARGE_BIAS)
    with np.errstate(all="ignore"):
        got = layer.forward(LARGE_X.copy())
    return (
        differs(
            _("softmax of the rows of logits [1000, 999, 0] and [-1000, -999, 0]"),
            got,
            expected("Dense", "softmax of large logits"),
        )
        or True
    )


# ------------------------------------------------------------------ Sequential: a layer with known answers


def _pattern(shape, scale):
    """A fixed array of the given shape: the values -3, ..., 3 (times scale), repeating, as float32."""
    return (((np.arange(int(np.prod(shape))) % 7) - 3) * scale).reshape(shape).astype(np.float32)


class LayerArrays:
    """The two read-only members of the layer protocol: `weights` and `grads`, the arrays themselves.

    (The notebook's `Dense` is given the same two properties.)
    """

    @property
    def weights(self):
        return [self.kernel, self.bias]

    @property
    def grads(self):
        return [self.grad_kernel, self.grad_bias]


class ScriptedLayer(LayerArrays):
    """A stand-in for Dense that follows the layer protocol with known answers, and records every call.

    - `build(input_dim, rng)` draws the kernel from `rng`, uniform on [-0.5, 0.5] (bias: zeros);
    - `forward(x)`: with an `outputs` table, the table's rows named by the first column of `x` (an id
      column); without, `x` itself (then `units` must equal the input size);
    - `backward(grad_output)` sets `grad_kernel` and `grad_bias` to fixed arrays (the same at every step)
      and returns a fixed dL/dx of ones * 0.25.

    Records: `builds` (input_dim, rng) per build, `grads_received` per backward, `steps` (the ids of
    the rows of the latest forward, at each backward) and `returned` (what backward handed back).
    """

    KERNEL_GRAD = 1e-2  # scales of the fixed gradients; the bias's are tiny, so eps matters in RMSprop
    BIAS_GRAD = 1e-4

    def __init__(self, units, input_shape=None, outputs=None):
        self.units = units
        self.activation = "scripted"
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.outputs = outputs
        self.kernel = self.bias = self.grad_kernel = self.grad_bias = None
        self.builds, self.grads_received, self.steps, self.returned = [], [], [], []
        self.last_output = None

    def build(self, input_dim, rng):
        self.builds.append((input_dim, rng))
        self.kernel = rng.uniform(-0.5, 0.5, size=(input_dim, self.units)).astype(np.float32)
        self.bias = np.zeros(self.units, np.float32)

    def forward(self, x):
        self._ids = np.asarray(x)[:, 0].astype(int)
        rows = np.array(x, np.float32, copy=True) if self.outputs is None else self.outputs[self._ids]
        self.last_output = rows
        return rows.copy()

    def backward(self, grad_output):
        self.grads_received.append(np.array(grad_output, copy=True))
        self.steps.append(self._ids.tolist())
        self.grad_kernel = _pattern(self.kernel.shape, self.KERNEL_GRAD)
        self.grad_bias = _pattern(self.bias.shape, self.BIAS_GRAD)
        grad_x = np.full((len(grad_output), self.kernel.shape[0]), 0.25, np.float32)
        self.returned.append(grad_x.copy())
        return grad_x


class RetrainedLayer(ScriptedLayer):
    """A ScriptedLayer whose predictions change once its weights do: `forward` looks its rows up in
    `outputs` while the kernel is as built, and in `outputs_after_step` once a training step changed it."""

    def __init__(self, units, outputs, outputs_after_step, input_shape=None):
        super().__init__(units, input_shape=input_shape, outputs=outputs)
        self.outputs_before_step, self.outputs_after_step = outputs, outputs_after_step

    def build(self, input_dim, rng):
        super().build(input_dim, rng)
        self.built_kernel = self.kernel.copy()

    def forward(self, x):
        unchanged = np.array_equal(self.kernel, self.built_kernel)
        self.outputs = self.outputs_before_step if unchanged else self.outputs_after_step
        return super().forward(x)


def rows_with_ids(n, features=3):
    """x for the scripted layers: column 0 is the row's id (0 ... n-1), the others fixed values."""
    return np.column_stack([np.arange(n), np.tile([0.5, -1.0, 2.0][:features], (n, 1))]).astype(np.float32)


LABELS = [0, 2, 1, 1, 0, 2, 2, 0, 1, 0]
Y = np.eye(3, dtype=np.float32)[LABELS]
XS = rows_with_ids(10)
PROBS = np.array(
    [
        [0.7, 0.2, 0.1],
        [0.1, 0.3, 0.6],
        [0.25, 0.5, 0.25],
        [0.6, 0.3, 0.1],
        [0.5, 0.25, 0.25],
        [0.2, 0.2, 0.6],
        [0.3, 0.4, 0.3],
        [0.9, 0.05, 0.05],
        [0.1, 0.8, 0.1],
        [0.4, 0.35, 0.25],
    ],
    np.float32,
)
# saturated predictions: a confident right answer, a confident wrong one, a true-class p below 1e-7, a plain row
SATURATED_LABELS = [0, 1, 2, 2]
SATURATED_Y = np.eye(3, dtype=np.float32)[SATURATED_LABELS]
SATURATED_X = rows_with_ids(4)
SATURATED = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.5, 0.49999997, 3e-8], [0.2, 0.3, 0.5]], np.float32)


COMPILED_WITH = dict(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])


def scripted_model(cls, outputs=PROBS, seed=0, metrics=("accuracy",), optimizer="rmsprop"):
    """cls(seed=seed) with ScriptedLayer(4, input_shape=(4,)) (passes x on) and ScriptedLayer(3, outputs), compiled."""
    model = cls(seed=seed)
    model.add(ScriptedLayer(4, input_shape=(4,)))
    model.add(ScriptedLayer(3, outputs=outputs))
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=list(metrics) if metrics else None)
    return model


def weights_of(model):
    return [(layer.kernel.copy(), layer.bias.copy()) for layer in model.layers]


def _plain(value):
    """A train_on_batch / evaluate result as plain data: a float, or a list of floats."""
    if np.ndim(value) == 0:
        return float(value)
    return [float(v) for v in value]


# Each scenario runs a Sequential class on scripted layers and returns what it observed.  The
# instructor's reference Sequential gives the frozen expected observations; the checks compare yours.


def scenario_one_step(cls):
    model = scripted_model(cls)
    result = model.train_on_batch(XS.copy(), Y.copy())
    return {
        "result": _plain(result),
        "dL/dp": model.layers[-1].grads_received[-1],
        "weights after one step": weights_of(model),
    }


def scenario_three_steps(cls):
    model = scripted_model(cls)
    for _step in range(3):
        model.train_on_batch(XS.copy(), Y.copy())
    return {"weights after three steps": weights_of(model)}


def scenario_saturated(cls):
    model = scripted_model(cls, outputs=SATURATED)
    result = model.train_on_batch(SATURATED_X.copy(), SATURATED_Y.copy())
    return {"result": _plain(result), "dL/dp": model.layers[-1].grads_received[-1]}


def scenario_fit(cls):
    model = scripted_model(cls, seed=3)
    history = model.fit(XS.copy(), Y.copy(), epochs=2, batch_size=4, verbose=0)
    record = getattr(history, "history", None)
    record = record if isinstance(record, dict) else {}
    return {
        "history keys": sorted(record),
        "history['loss']": [float(v) for v in record.get("loss", [])],
        "history['accuracy']": [float(v) for v in record.get("accuracy", [])],
        "batches": model.layers[0].steps,
        "dL/dp of each step": model.layers[-1].grads_received,
        "weights after fit": weights_of(model),
    }


def scenario_evaluate(cls):
    model = scripted_model(cls)
    return {
        "evaluate": _plain(model.evaluate(XS.copy(), Y.copy(), verbose=0)),
        "evaluate, batch_size=3": _plain(model.evaluate(XS.copy(), Y.copy(), batch_size=3, verbose=0)),
    }


SCENARIOS = {
    "one step": scenario_one_step,
    "three steps": scenario_three_steps,
    "saturated": scenario_saturated,
    "fit": scenario_fit,
    "evaluate": scenario_evaluate,
}


def frozen_label(scenario, key):
    """The label of one observation of one scenario in the frozen data."""
    return f"{scenario}: {key}"


def _observed(cls, scenario, key):
    """(your value, the expected value) of one observation of a scenario."""
    return SCENARIOS[scenario](cls)[key], expected("Sequential", frozen_label(scenario, key))


# ------------------------------------------------------------------ Sequential, step by step

GENERAL_HINT = _(
    "The model does what train_mlp did in notebook 04, through the layers: predict runs each layer's "
    "forward in order, train_on_batch runs backward from the last layer to the first and then one "
    "RMSprop step on every array of every layer's weights, fit shuffles, cuts into batches and "
    "averages."
)


def _step(nudge, specific):
    return Exercise("Sequential", cases=[], hints=[nudge, specific, GENERAL_HINT], quiet=True)


Sequential_add = _step(
    _("The constructor keeps two things, a list of layers and the model's random generator; add only appends."),
    _(
        "__init__ starts an empty list of layers and the model's generator from its seed (np.random.default_rng), "
        "then adds each given layer with add; add appends one layer to that list."
    ),
)
Sequential_compile = _step(
    _(
        "compile does three jobs in order: check the names (as Keras 3 reads them), build every layer, start "
        "RMSprop's caches."
    ),
    _(
        "Names: the optimizer's name compared in lower case; the loss as Keras 3 spells it (in snake_case or as the "
        "class name); each metric in lower case against 'accuracy' and 'acc'. Build: the first layer with the size "
        "in its input_shape, every next one with the previous layer's units, all with the model's generator. Caches: "
        "one array of zeros shaped like each weight array."
    ),
)
Sequential_predict = _step(
    _("predict hands x to the first layer's forward, its output to the next layer's forward, and so on."),
    _(
        "A loop over the layers in order, each layer's forward taking the previous one's output: the first takes x, "
        "and the last one's output is the prediction."
    ),
)
Sequential_train_on_batch = _step(
    _(
        "train_on_batch: forward, score, backward from the last layer to the first, then one RMSprop step per weight "
        "array. The scores come from the forward pass, before the step."
    ),
    _(
        "dL/dp is the derivative of the mean clipped crossentropy with respect to p (-y / (N p), and 0 where p was "
        "clipped); hand it to the last layer's backward, and each layer's result to the layer before it; then one "
        "RMSprop step (notebook 04's rmsprop_update) on every weight array, in place, each with its own cache."
    ),
)
Sequential_clipping = _step(
    _("np.clip is flat where it clips, so its gradient there is 0: a clipped probability passes no gradient."),
    _(
        "Multiply the gradient by a mask that is 1 where p lay inside [1e-7, 1 - 1e-7] and 0 where it was clipped. A "
        "row whose true-class probability was clipped then passes no gradient at all; the others pass (p - y) / N "
        "after softmax."
    ),
)
Sequential_fit = _step(
    _(
        "fit is two loops: over the epochs, and over the batches of a new order each epoch. An epoch's figures are "
        "means over its samples."
    ),
    _(
        "Per epoch a new order of the rows from the model's generator (its permutation method), consecutive slices "
        "of it as batches (the last may be shorter); add up each train_on_batch result times the batch's length, and "
        "divide by N at the end of the epoch."
    ),
)
Sequential_evaluate = _step(
    _("evaluate predicts batch by batch, then scores all the predictions at once; it trains nothing."),
    _(
        "np.concatenate the predictions of every batch, then the same loss and accuracy as train_on_batch (your "
        "scores method), with the weights left as they are."
    ),
)
STEPS = (
    Sequential_add,
    Sequential_compile,
    Sequential_predict,
    Sequential_train_on_batch,
    Sequential_clipping,
    Sequential_fit,
    Sequential_evaluate,
)


def gradient_differs(what, got, want):
    """Like `differs`, for a dL/dp handed to a softmax layer: a constant added to a whole row is allowed.

    Differentiating Keras' division by the row sum adds 1/N to every entry of an unclipped row, and
    softmax's backward cancels any such constant, so both forms are right.
    """
    if isinstance(got, np.ndarray) and np.shape(got) == np.shape(want):
        centred = [a - a.mean(axis=1, keepdims=True) for a in (np.asarray(got, np.float64), want)]
        if np.allclose(*centred, rtol=1e-5, atol=1e-6):
            return None
    return differs(what + _(" (a constant added to a whole row would be allowed)"), got, want)


@Sequential_add.property("add() keeps the layers in order; Sequential(layers) adds them in order")
def _sequential_add(cls):
    first, second = ScriptedLayer(4, input_shape=(4,)), ScriptedLayer(3, outputs=PROBS)
    model = cls()
    model.add(first)
    model.add(second)
    if list(model.layers) != [first, second]:
        return _("after two add() calls, model.layers should be the two layers in order")
    if list(cls([first, second]).layers) != [first, second]:
        return _("Sequential([first, second]).layers should be the two layers in order")
    if len(cls().layers) != 0:
        return _("a new Sequential() should start with no layers")
    return True


@Sequential_add.property("self.rng is np.random.default_rng(seed), seed 0 by default")
def _sequential_rng(cls):
    draws = {seed: cls(seed=seed).rng for seed in (0, 7)}
    if not all(isinstance(rng, np.random.Generator) for rng in draws.values()):
        return _("model.rng should be a np.random.Generator: np.random.default_rng(seed)")
    if cls().rng.integers(1000, size=3).tolist() != [850, 636, 511]:
        return _(
            "Sequential() should use seed 0: np.random.default_rng(0) first draws integers(1000, size=3) = "
            "[850, 636, 511]"
        )
    if draws[7].integers(1000, size=3).tolist() != [944, 625, 684]:
        return _("Sequential(seed=7).rng should be np.random.default_rng(7)")
    return True


@Sequential_compile.property("compile() builds every layer, sizes chained from input_shape")
def _sequential_builds(cls):
    model = cls(seed=0)
    first, second = ScriptedLayer(4, input_shape=(4,)), ScriptedLayer(3, outputs=PROBS)
    model.add(first)
    model.add(second)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    sizes = [[size for size, _ in layer.builds] for layer in (first, second)]
    if sizes != [[4], [4]]:
        return _(
            "each layer should be built once, the first with input_shape[0] = 4 and the second with the "
            "first layer's units = 4; the build calls had input sizes {sizes}"
        ).format(sizes=sizes)
    return True


@Sequential_compile.property(
    "compile() accepts the names Keras 3 accepts: 'rmsprop' in any letter case, "
    "'categorical_crossentropy' or 'CategoricalCrossentropy', metrics None or "
    "'accuracy'/'acc'"
)
def _sequential_accepts(cls):
    for options in (
        dict(optimizer="RMSprop"),
        dict(metrics=["Accuracy"]),
        dict(metrics=["acc"]),
        dict(metrics=None),
        dict(loss="CategoricalCrossentropy"),
    ):
        settings = {**COMPILED_WITH, **options}
        model = cls()
        model.add(ScriptedLayer(3, input_shape=(4,), outputs=PROBS))
        try:
            model.compile(**settings)
        except ValueError as error:
            return _("compile({options}) should be accepted, as Keras 3 does, but raised ValueError: {error}").format(
                options=options, error=error
            )
    return True


@Sequential_compile.property(
    "compile() refuses an unknown optimizer, loss or metric, and a first layer without input_shape (ValueError)"
)
def _sequential_refuses(cls):
    for options in (
        dict(optimizer="adamw"),
        dict(loss="hinge"),
        dict(loss="Categorical_Crossentropy"),
        dict(metrics=["precision"]),
    ):
        settings = {**COMPILED_WITH, **options}
        model = cls()
        model.add(ScriptedLayer(3, input_shape=(4,), outputs=PROBS))
        try:
            model.compile(**settings)
        except ValueError:
            continue
        return _("compile({options}) should raise ValueError").format(options=options)
    model = cls()
    model.add(ScriptedLayer(3, outputs=PROBS))
    try:
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    except ValueError:
        return True
    return _("compile should raise ValueError when the first layer has no input_shape")


@Sequential_predict.property("predict(x): each layer's forward in order, the last layer's output returned")
def _sequential_predict(cls):
    model = scripted_model(cls)
    got = model.predict(XS.copy())
    problem = differs(_("predict(x) on the scripted layers"), got, PROBS)
    if problem:
        return problem
    if not np.array_equal(model.layers[-1].last_output, got):
        return _("predict should return what the last layer's forward returned")
    return True


@Sequential_train_on_batch.property(
    "train_on_batch(): the batch's [loss, accuracy] from before the step",
    hint="Score the predictions of this step's forward pass, before any weight "
    "changes: notebook 03's categorical crossentropy (rows normalised, then "
    "clipped) and the fraction of rows whose argmax matches the label's.",
)
def _sequential_result(cls):
    got, want = _observed(cls, "one step", "result")
    problem = differs(_("train_on_batch(x, y)'s [loss, accuracy]"), got, want)
    if problem:
        return problem
    model = cls(seed=0)
    model.add(ScriptedLayer(4, input_shape=(4,)))
    model.add(RetrainedLayer(3, outputs=PROBS, outputs_after_step=PROBS[::-1]))
    model.compile(**COMPILED_WITH)
    return (
        differs(
            _(
                "train_on_batch(x, y)'s [loss, accuracy], when the last layer's predictions change once its "
                "weights do (a score taken after the step would be the changed predictions' score)"
            ),
            _plain(model.train_on_batch(XS.copy(), Y.copy())),
            want,
        )
        or True
    )


@Sequential_train_on_batch.property("train_on_batch(): backward from dL/dp = -y / (N p), last layer first")
def _sequential_backward(cls):
    model = scripted_model(cls)
    model.train_on_batch(XS.copy(), Y.copy())
    first, last = model.layers
    if len(last.grads_received) != 1 or len(first.grads_received) != 1:
        return _("one train_on_batch should call each layer's backward once")
    if not np.array_equal(first.grads_received[0], last.returned[0]):
        return _("the first layer's backward should receive what the last layer's backward returned")
    return (
        gradient_differs(
            _("the dL/dp handed to the last layer's backward"),
            last.grads_received[0],
            expected("Sequential", frozen_label("one step", "dL/dp")),
        )
        or True
    )


@Sequential_train_on_batch.property(
    "train_on_batch(): one Keras RMSprop step on every weight array, in place; three steps keep one cache per array",
    hint="For each weight array, its gradient and its own cache (made once, in "
    "compile): rmsprop_update's two formulas from notebook 04, written into the "
    "arrays in place (c[...] = ..., w -= ...), with eps inside the square root.",
)
def _sequential_rmsprop(cls):
    model = scripted_model(cls)
    arrays = [layer.weights for layer in model.layers]
    model.train_on_batch(XS.copy(), Y.copy())
    if not all(new is old for layer, before in zip(model.layers, arrays) for new, old in zip(layer.weights, before)):
        return _("update the weight arrays in place (w -= step), so that layer.weights are still the same arrays")
    for (got, want), what in (
        (
            _observed(cls, "one step", "weights after one step"),
            _("the [(kernel, bias), ...] of the layers after one step"),
        ),
        (
            _observed(cls, "three steps", "weights after three steps"),
            _("the [(kernel, bias), ...] of the layers after three steps"),
        ),
    ):
        problem = differs(what, got, want, rtol=1e-4)
        if problem:
            return problem
    return True


@Sequential_train_on_batch.property("without metrics, train_on_batch() returns the loss alone")
def _sequential_loss_alone(cls):
    model = scripted_model(cls, metrics=None)
    loss = model.train_on_batch(XS.copy(), Y.copy())
    if np.ndim(loss) != 0:
        return _("compiled without metrics, train_on_batch should return one number, got {loss}").format(
            loss=describe_value(loss)
        )
    return differs(_("the loss"), float(loss), expected("Sequential", frozen_label("one step", "result"))[0]) or True


@Sequential_clipping.property(
    "saturated predictions: the loss clips p to [1e-7, 1 - 1e-7]",
    hint="Clip p to [1e-7, 1 - 1e-7] before the log: a p of 0 then costs -log(1e-7), about 16.12, instead of infinity.",
)
def _sequential_saturated_loss(cls):
    got, want = _observed(cls, "saturated", "result")
    return differs(_("train_on_batch's [loss, accuracy] on saturated predictions"), got, want) or True


@Sequential_clipping.property("saturated predictions: dL/dp is 0 wherever p was clipped")
def _sequential_saturated_gradient(cls):
    got, want = _observed(cls, "saturated", "dL/dp")
    return (
        gradient_differs(_("the dL/dp handed to the last layer's backward, for saturated predictions"), got, want)
        or True
    )


@Sequential_fit.property(
    "fit(): 10 samples in batches of 4, each epoch a new order from self.rng.permutation",
    hint="At the start of every epoch draw a new order of the rows from the model's own "
    "generator (its permutation method), then take consecutive slices of batch_size rows "
    "of "
    "it, the last one shorter.",
)
def _sequential_batches(cls):
    got, want = _observed(cls, "fit", "batches")
    if [len(rows) for rows in got] != [4, 4, 2, 4, 4, 2]:
        return _(
            "10 samples in batches of 4 for 2 epochs should make training steps of 4, 4 and 2 samples each "
            "epoch; the steps had {rows} samples"
        ).format(rows=[len(rows) for rows in got])
    return differs(_("the ids of the rows of each training step"), got, want) or True


@Sequential_fit.property(
    "fit(): a History whose .history holds the epoch means of the loss and the accuracy",
    hint="Add up each batch's [loss, accuracy] times len(rows) and divide by N at the end of "
    "the epoch; history.history maps 'loss' and each metric's name (as given) to a list.",
)
def _sequential_history(cls):
    observed = scenario_fit(cls)
    if observed["history keys"] != ["accuracy", "loss"]:
        return _(
            "fit should return an object whose .history is a dict with the keys 'loss' and 'accuracy'; its "
            "keys: {observed}"
        ).format(observed=observed["history keys"])
    for key in ("history['loss']", "history['accuracy']"):
        problem = differs(key, observed[key], expected("Sequential", frozen_label("fit", key)))
        if problem:
            return problem
    named = scripted_model(cls, metrics=["Accuracy"]).fit(XS.copy(), Y.copy(), epochs=1, batch_size=4, verbose=0)
    keys = sorted(getattr(named, "history", {}))
    if keys != ["Accuracy", "loss"]:
        return _(
            "compiled with metrics=['Accuracy'], the history's keys should be ['Accuracy', 'loss'] (the name "
            "given), not {keys}"
        ).format(keys=keys)
    return True


@Sequential_fit.property("fit(): every step's dL/dp divides by its own batch's length, the short last batch too")
def _sequential_fit_gradients(cls):
    got, want = _observed(cls, "fit", "dL/dp of each step")
    if len(got) != len(want):
        return _("2 epochs of 10 samples in batches of 4 should make {count} training steps, not {got}").format(
            count=len(want), got=len(got)
        )
    for step, (mine, theirs) in enumerate(zip(got, want), start=1):
        problem = gradient_differs(
            _("the dL/dp of training step {step} (of {count} samples)").format(step=step, count=len(theirs)),
            mine,
            theirs,
        )
        if problem:
            return problem
    return True


@Sequential_fit.property("fit(): the weights after 2 epochs are 6 RMSprop steps on, in one call of fit or two")
def _sequential_fit_weights(cls):
    got, want = _observed(cls, "fit", "weights after fit")
    problem = differs(_("the [(kernel, bias), ...] of the layers after fit(epochs=2)"), got, want, rtol=1e-4)
    if problem:
        return problem
    model = scripted_model(cls, seed=3)
    model.fit(XS.copy(), Y.copy(), epochs=1, batch_size=4, verbose=0)
    second = model.fit(XS.copy(), Y.copy(), epochs=1, batch_size=4, verbose=0)
    if len(getattr(second, "history", {}).get("loss", [])) != 1:
        return _("a second call of fit(epochs=1) should return the history of its own epoch: one value per name")
    return (
        differs(
            _(
                "the [(kernel, bias), ...] of the layers after two calls of fit(epochs=1), which go on with "
                "the same weights and RMSprop caches"
            ),
            weights_of(model),
            want,
            rtol=1e-4,
        )
        or True
    )


@Sequential_evaluate.property("evaluate(): [loss, accuracy] of the current weights, whatever the batch size")
def _sequential_evaluate(cls):
    observed = scenario_evaluate(cls)
    for key, call in (("evaluate", "evaluate(x, y)"), ("evaluate, batch_size=3", "evaluate(x, y, batch_size=3)")):
        problem = differs(call, observed[key], expected("Sequential", frozen_label("evaluate", key)))
        if problem:
            return problem
    return True


@Sequential_evaluate.property("evaluate() changes no weights and takes no training step")
def _sequential_evaluate_trains_nothing(cls):
    model = scripted_model(cls)
    before = weights_of(model)
    model.evaluate(XS.copy(), Y.copy(), verbose=0)
    if model.layers[-1].grads_received:
        return _("evaluate should only run forward passes, never backward")
    return differs(_("the weights after evaluate"), weights_of(model), before, rtol=0, atol=0) or True


# every step at once
Sequential = Exercise(
    "Sequential",
    cases=[],
    hints=[GENERAL_HINT] + [step.hints[1] for step in STEPS],
    quiet=True,
    properties=[check for step in STEPS for check in step.properties],
)
