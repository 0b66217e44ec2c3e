# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · Keras from scratch: the workflow, on your own engine
#
# The study note this series follows (a Korean blog post on chapter 2 of *Deep Learning with Python*)
# trains its MNIST network with Keras, in a handful of lines:
#
# ```python
# from keras import models
# from keras import layers
#
# network = models.Sequential()
# network.add(layers.Dense(512, activation='relu', input_shape=(28 * 28,)))
# network.add(layers.Dense(10, activation='softmax'))
# network.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
# network.fit(train_images, train_labels, epochs=5, batch_size=128)
# test_loss, test_acc = network.evaluate(test_images, test_labels)
# ```
#
# In notebook 04 you wrote everything these lines do, as functions. Here you put those pieces behind
# Keras' own interface, as two classes: a **layer**, `Dense`, which owns its weights and knows its
# forward and backward pass, and a **model**, `Sequential`, which strings layers together and owns
# the training loop. At the end, the study note's code runs unchanged on your engine and reaches the
# same 98%.
#
# Along the way we go through the words the study note uses (epoch, batch, loss, optimizer, metric)
# and what each one means in code. Where this notebook says "as Keras", it means Keras 3 with its
# defaults, and it names the backend where the backends differ.

# %% [markdown] tags=["korean-terms"]
# **Korean terms (한국어 용어).** The study note this series follows is written in Korean, and the series has a Korean edition: in the course repository, `ko/notebooks/05_keras_from_scratch/keras_from_scratch.ipynb` (`python3 course.py lab --lang ko` opens your own copy of it), which gives after its title a glossary of 16 terms taught here, each in Korean and English with the section that teaches it. Among them: layer (층), model (모델), loss (손실 함수), optimizer (옵티마이저), metrics (측정 지표), epoch (에포크).

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_01", "locked": true, "schema_version": 3, "solution": false, "task": false}
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np

from checks import keras_from_scratch as q
from notebook_helpers import load_mnist, plots

# %matplotlib inline
np.set_printoptions(precision=4, suppress=True)
plt.rcParams.update(
    {"figure.dpi": 90, "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}
)

# %% [markdown]
# ## 1. What a layer is
#
# A Keras layer is a small object with three duties:
#
# * **hold its weights.** `Dense(512, ...)` does not know its input size until the model tells it,
#   so it creates its `kernel` (what notebook 04 called `W`) and `bias` in a separate step,
#   `build(input_dim, rng)`, with Glorot-uniform weights and zero biases;
# * **compute its output**, `forward(x)` = `activation(x @ kernel + bias)`, and remember what the
#   backward pass will need (the input `x` and the output);
# * **compute gradients**, `backward(grad_output)`: given $\partial L / \partial \text{output}$, store
#   `grad_kernel` and `grad_bias` for the optimizer and return $\partial L / \partial x$ for the layer
#   below.
#
# This is the **layer protocol**: the only thing the model knows about a layer. With a batch of `N`
# rows, the arrays and their shapes are:
#
# ```
#                 forward(x)
#  x  (N, input_dim)  ─────────────►  ┌───────────────────────────┐  ─────────────►  out  (N, units)
#                                     │ Dense(units, activation)  │                  = activation(x @ kernel + bias)
#                                     │ kernel (input_dim, units) │
#                                     │ bias   (units,)           │
#  dL/dx  (N, input_dim)  ◄─────────  └───────────────────────────┘  ◄─────────────  grad_output = dL/d(out)  (N, units)
#                 backward(grad_output) returns dL/dx, and sets
#                 grad_kernel (input_dim, units) and grad_bias (units,)
# ```
#
# `layer.weights` is `[kernel, bias]` and `layer.grads` is `[grad_kernel, grad_bias]`: the arrays
# themselves, not copies, so that an optimizer that changes `layer.weights` in place changes the layer.

# %% [markdown]
# In notebook 04 the softmax and the crossentropy were differentiated together. A layer does not
# know which loss comes after it, so here each part differentiates itself, and the chain rule joins
# them. Through softmax, with $p$ the output of one row and $g = \partial L / \partial p$ its incoming
# gradient,
#
# $$\frac{\partial L}{\partial z_j} = \sum_i g_i \frac{\partial p_i}{\partial z_j}
# = \sum_i g_i\, p_i (\delta_{ij} - p_j) = p_j \Big(g_j - \sum_i g_i p_i\Big),$$
#
# using the softmax Jacobian of notebook 02; in NumPy, for all rows at once,
# `p * (g - np.sum(g * p, axis=1, keepdims=True))`. Through relu the gradient passes where the output
# is positive and is 0 elsewhere (0 at exactly 0 too). Then, with `dz` the gradient with respect to
# `x @ kernel + bias`: `grad_kernel = x.T @ dz`, `grad_bias = dz.sum(axis=0)` (a sum over the batch:
# the loss's $1/N$ is already inside `grad_output`), and the layer returns `dz @ kernel.T`.
#
# **Exercise: `Dense(units, activation=None, input_shape=None)`.** Complete the class:
#
# | member | does |
# |---|---|
# | `Dense(units, activation=None, input_shape=None)` | keeps `units`, `activation` (`None` or `'linear'`: none; `'relu'`; `'softmax'`) and `input_shape` (e.g. `(784,)`, or `None`); any other activation raises `ValueError` |
# | `build(input_dim, rng)` | `kernel`: float32 `(input_dim, units)` from $U(-l, l)$, $l = \sqrt{6 / (\text{input\_dim} + \text{units})}$, drawn with `rng` (and nothing else); `bias`: float32 zeros `(units,)` |
# | `forward(x)` | `activation(x @ kernel + bias)`, softmax over each row, shifted by the row's own maximum so that logits of $\pm 1000$ stay finite; remembers what `backward` needs (the latest call's) |
# | `backward(grad_output)` | sets `grad_kernel` and `grad_bias`, returns the gradient with respect to `x`, for the most recent `forward` |
#
# Neither method may change its input in place. `weights` and `grads` are given as properties; they
# read the attributes your methods set.

# %% nbgrader={"grade": false, "grade_id": "Dense", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


class Dense:
    """A fully connected layer, activation(x @ kernel + bias), as keras.layers.Dense."""

    def __init__(self, units, activation=None, input_shape=None):
        """Keep the settings; the weights come later, in build()."""
        ### BEGIN SOLUTION
        if activation not in (None, "linear", "relu", "softmax"):
            raise ValueError(f"unknown activation {activation!r}: use None, 'linear', 'relu' or 'softmax'")
        self.units = int(units)
        self.activation = activation
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.kernel = self.bias = self.grad_kernel = self.grad_bias = None
        ### END SOLUTION

    def build(self, input_dim, rng):
        """Create kernel (input_dim, units), Glorot-uniform float32 from rng, and a float32 zero bias."""
        ### BEGIN SOLUTION
        limit = np.sqrt(6.0 / (input_dim + self.units))
        self.kernel = rng.uniform(-limit, limit, size=(input_dim, self.units)).astype(np.float32)
        self.bias = np.zeros(self.units, dtype=np.float32)
        ### END SOLUTION

    @property
    def weights(self):
        return [self.kernel, self.bias]

    @property
    def grads(self):
        return [self.grad_kernel, self.grad_bias]

    def forward(self, x):
        """activation(x @ kernel + bias) for a batch x (N, input_dim); remembers x and the output."""
        ### BEGIN SOLUTION
        self.x = x
        z = x @ self.kernel + self.bias
        if self.activation == "relu":
            self.out = np.maximum(z, 0)
        elif self.activation == "softmax":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            self.out = e / e.sum(axis=1, keepdims=True)
        else:
            self.out = z
        return self.out
        ### END SOLUTION

    def backward(self, grad_output):
        """Given dL/d(output), set grad_kernel and grad_bias and return dL/dx."""
        ### BEGIN SOLUTION
        if self.activation == "relu":
            grad_z = grad_output * (self.out > 0)
        elif self.activation == "softmax":
            p = self.out
            grad_z = p * (grad_output - np.sum(grad_output * p, axis=1, keepdims=True))
        else:
            grad_z = grad_output
        self.grad_kernel = self.x.T @ grad_z
        self.grad_bias = grad_z.sum(axis=0)
        return grad_z @ self.kernel.T
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "Dense_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import keras_from_scratch as q

q.Dense.check(Dense)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from checks.mnist_mlp import glorot_shape_verdict, uniform_verdict
from answer_key.keras_from_scratch import built_dense, raises_value_error


tests = HiddenTests(points=1)
with tests.part("the constructor keeps its arguments and refuses unknown activations", points=0.5):
    # the constructor
    layer = Dense(7, activation="softmax", input_shape=(9,))
    expect_true(
        "units, activation and input_shape are kept",
        layer.units == 7
        and layer.activation == "softmax"
        and layer.input_shape is not None
        and tuple(layer.input_shape) == (9,),
    )
    expect_true(
        "the defaults: no activation, no input_shape", Dense(3).activation is None and Dense(3).input_shape is None
    )
    expect_true(
        "'linear' is accepted",
        not raises_value_error(lambda: Dense(3, activation="linear"))
        and Dense(3, activation="linear").activation == "linear",
    )
    for name in ["tanh", "Relu", "soft_max", ""]:
        expect_true(f"activation {name!r} raises ValueError", raises_value_error(lambda: Dense(3, activation=name)))

with tests.part(
    "build: a Glorot-uniform float32 kernel from the given generator, zero biases, weights = [kernel, bias]", points=0.5
):
    # build
    for units, input_dim in [(1, 1), (5, 3), (3, 5), (512, 784), (10, 512)]:
        layer = built_dense(Dense, units, "relu", input_dim, seed=units)
        expect_true(
            f"build({input_dim}, rng) gives a float32 ({input_dim}, {units}) Glorot-uniform kernel",
            glorot_shape_verdict(input_dim, units)(layer.kernel) is True,
        )
        expect_true(
            f"build({input_dim}, rng) gives float32 zero biases of shape ({units},)",
            isinstance(layer.bias, np.ndarray)
            and layer.bias.shape == (units,)
            and layer.bias.dtype == np.float32
            and not layer.bias.any(),
        )
    expect_true(
        "a large kernel is uniform on [-l, l]",
        uniform_verdict(900, 700)(built_dense(Dense, 700, None, 900, seed=1).kernel) is True,
    )
    expect_true(
        "the same seed gives the same kernel",
        np.array_equal(built_dense(Dense, 6, None, 4, 3).kernel, built_dense(Dense, 6, None, 4, 3).kernel),
    )
    expect_true(
        "another seed gives another kernel",
        not np.array_equal(built_dense(Dense, 6, None, 4, 3).kernel, built_dense(Dense, 6, None, 4, 4).kernel),
    )
    rng = np.random.default_rng(9)
    state = rng.bit_generator.state
    np.random.seed(0)
    global_state = np.random.get_state()[1].copy()
    Dense(4).build(3, rng)
    expect_true("build draws from the given generator", rng.bit_generator.state != state)
    expect_true(
        "build leaves the global np.random generator alone", np.array_equal(np.random.get_state()[1], global_state)
    )
    layer = built_dense(Dense, 4, "relu", 3, 0)
    expect_true(
        "weights is [kernel, bias], the arrays themselves",
        len(layer.weights) == 2 and layer.weights[0] is layer.kernel and layer.weights[1] is layer.bias,
    )
tests.report()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "Dense_tests_forward_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# Graded by hidden tests: forward and backward against the formulas, for every activation.
import numpy as np

### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from checks.keras_from_scratch import dense_with_fixed_weights
from answer_key.keras_from_scratch import dense_case
from answer_key.mnist_mlp import softmax_rows

# forward and backward, against the formulas, on non-square shapes
x, g, K, B, z = dense_case()
tests = HiddenTests(points=2)
for activation in [None, "linear", "relu", "softmax"]:
    with tests.part(f"forward and backward, activation {activation!r}", points=0.5):
        layer = dense_with_fixed_weights(Dense, activation, K, B)
        x_before, g_before = x.copy(), g.copy()
        out = layer.forward(x)
        if activation == "relu":
            want, grad_z = np.maximum(z, 0), g * (z > 0)
        elif activation == "softmax":
            want = softmax_rows(z)
            grad_z = want * (g - np.sum(g * want, axis=1, keepdims=True))
        else:
            want, grad_z = z, g.astype(np.float64)
        expect_true(
            f"forward, activation {activation!r}",
            isinstance(out, np.ndarray) and out.shape == (6, 3) and np.allclose(out, want, rtol=1e-5, atol=1e-6),
        )
        grad_x = layer.backward(g)
        expect_true(
            f"backward returns dL/dx, activation {activation!r}",
            isinstance(grad_x, np.ndarray)
            and grad_x.shape == (6, 4)
            and np.allclose(grad_x, grad_z @ K.T, rtol=1e-4, atol=1e-6),
        )
        expect_true(
            f"backward sets grad_kernel, activation {activation!r}",
            isinstance(layer.grad_kernel, np.ndarray)
            and layer.grad_kernel.shape == (4, 3)
            and np.allclose(layer.grad_kernel, x.T.astype(np.float64) @ grad_z, rtol=1e-4, atol=1e-6),
        )
        expect_true(
            f"backward sets grad_bias (a sum over the batch), activation {activation!r}",
            isinstance(layer.grad_bias, np.ndarray)
            and layer.grad_bias.shape == (3,)
            and np.allclose(layer.grad_bias, grad_z.sum(axis=0), rtol=1e-4, atol=1e-6),
        )
        expect_true(
            f"grads is [grad_kernel, grad_bias], activation {activation!r}",
            len(layer.grads) == 2 and layer.grads[0] is layer.grad_kernel and layer.grads[1] is layer.grad_bias,
        )
        expect_true(
            f"forward and backward leave their inputs unchanged, activation {activation!r}",
            np.array_equal(x, x_before) and np.array_equal(g, g_before),
        )
tests.report()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "Dense_tests_edges", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Graded by hidden tests: relu's kink, softmax's stability, and backward after a second forward.
import numpy as np

### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from checks.keras_from_scratch import dense_with_fixed_weights
from answer_key.keras_from_scratch import built_dense, dense_case
from answer_key.mnist_mlp import softmax_rows

tests = HiddenTests(points=1)
with tests.part("relu passes no gradient at exactly 0", points=0.25):
    layer = built_dense(Dense, 2, "relu", 2, 0)
    layer.kernel[...] = np.eye(2, dtype=np.float32)
    layer.bias[...] = 0
    layer.forward(np.array([[0.0, 1.0], [-1.0, 0.0]], np.float32))
    expect_true(
        "relu passes no gradient at exactly 0",
        np.allclose(layer.backward(np.ones((2, 2), np.float32)), [[0.0, 1.0], [0.0, 0.0]]),
    )
with tests.part("softmax is stable and shifted by each row's own maximum", points=0.5):
    layer = built_dense(Dense, 3, "softmax", 2, 0)
    layer.kernel[...] = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]], np.float32)
    with np.errstate(all="ignore"):
        big = layer.forward(np.array([[1.0, 0.0], [-1.0, 0.0]], np.float32))
    expect_true(
        "softmax is stable for logits of +-1000", np.all(np.isfinite(big)) and np.allclose(big.sum(axis=1), 1.0)
    )
    layer.kernel[...] = np.array([[1000.0, 999.0, 0.0], [0.0, 0.0, 0.0]], np.float32)
    with np.errstate(all="ignore"):
        far_apart = layer.forward(np.array([[1.0, 0.0], [-1.0, 0.0]], np.float32))
    expect_true(
        "softmax is shifted by each row's own maximum: rows [1000, 999, 0] and [-1000, -999, 0]",
        np.all(np.isfinite(far_apart))
        and np.allclose(
            far_apart, softmax_rows(np.array([[1000.0, 999.0, 0.0], [-1000.0, -999.0, 0.0]])), rtol=1e-5, atol=1e-7
        ),
    )
with tests.part("backward uses the most recent forward", points=0.25):
    x, g, K, B, z = dense_case()
    layer = dense_with_fixed_weights(Dense, "relu", K, B)
    layer.forward(x)
    layer.forward(x[:2])
    try:
        grad_x = layer.backward(g[:2])
    except ValueError:  # shapes of an older forward
        grad_x = None
    expect_true(
        "backward uses the most recent forward",
        np.shape(grad_x) == (2, 4)
        and np.allclose(layer.grad_kernel, x[:2].T.astype(np.float64) @ (g[:2] * (z[:2] > 0)), rtol=1e-4, atol=1e-6),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.Dense.hint()` gives a nudge (call it again for a more specific one), and
# `q.Dense.solution()` shows a worked answer when the course's solutions are installed.

# %%

# %% [markdown]
# Your layer's backward pass, checked numerically as in notebook 04. With float64 weights and the
# loss $L = \sum G \odot \text{forward}(x)$, the incoming gradient is exactly `G`:

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_02", "locked": true, "schema_version": 3, "solution": false, "task": false}
def numerical_gradient(f, x, h=1e-5):
    """Central differences of the scalar f() with respect to every entry of x (nudged in place, restored)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        up = f()
        x[index] = saved - h
        down = f()
        x[index] = saved
        grad[index] = (up - down) / (2 * h)
    return grad


def relative_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))


rng = np.random.default_rng(0)
for activation in ["relu", "softmax"]:
    layer = Dense(3, activation=activation)
    layer.build(4, rng)
    layer.kernel = rng.normal(size=(4, 3))  # float64 for the check
    layer.bias = rng.normal(size=3)
    x, G = rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    loss = lambda: np.sum(G * layer.forward(x))
    layer.forward(x)
    grad_x = layer.backward(G)
    errors = [
        relative_error(analytic, numerical_gradient(loss, array))
        for analytic, array in [(grad_x, x), (layer.grad_kernel, layer.kernel), (layer.grad_bias, layer.bias)]
    ]
    print(f"{activation:<8} all three gradients within 1e-6 of the numerical ones: {max(errors) < 1e-6}")

# %% [markdown]
# ## 2. The model: `Sequential`, one method at a time
#
# `Sequential` keeps a list of layers and runs data through them in order. For the study note's
# network and a batch of `N` images, through the layer protocol:
#
# ```
#  forward (predict)
#  x (N, 784) ──► Dense(512, relu) ──► h (N, 512) ──► Dense(10, softmax) ──► p (N, 10) ──► loss L, accuracy
#                      │    ▲                              │    ▲                            │
#                      │    │ dL/dh (N, 512)               │    │ dL/dp (N, 10)              │
#  backward            ▼    └──────────────────────────────┘    └────────────────────────────┘
#  dL/dx (N, 784) ◄── backward                              ◄── backward                   ◄── crossentropy
#  grad_kernel (784, 512), grad_bias (512,)                     grad_kernel (512, 10), grad_bias (10,)
#  then RMSprop updates every kernel and bias in place, each with its own cache
# ```
#
# The model's other methods are the steps of the study note's workflow. You write them one at a
# time, in seven steps: each step below explains one method (or two), and has its own check.
#
# **How to work.** The cell below holds the whole class, with a `# YOUR CODE HERE` in every method.
# For each step: fill in that step's method in the cell below, run the cell, then run the step's
# check cell. Each check needs only the methods of its own step and the steps before it.
# `History` and `ProgressLine` are given. The checks run your model with **scripted layers**
# (`q.ScriptedLayer`): stand-ins that follow the layer protocol with known outputs and gradients and
# record every call, so a mistake in your `Dense` cannot make your `Sequential` look wrong.

# %% nbgrader={"grade": false, "grade_id": "Sequential", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np
from notebook_helpers.progress import ProgressBar  # the live line of notebook 04's TrainingLog

LEARNING_RATE, RHO, EPSILON = 0.001, 0.9, 1e-7  # Keras' RMSprop defaults
CLIP = 1e-7  # Keras' epsilon(): predictions are clipped to [CLIP, 1 - CLIP]


class History:
    """What fit returns, as in Keras: history.history maps 'loss' (and each metric) to one value per epoch."""

    def __init__(self):
        self.history = {}


class ProgressLine:
    """Keras' progress line for one pass of `steps` batches, timed from its making, e.g.
    '123/469 [=======>......................] - 0.4 s - loss: 0.3512 - accuracy: 0.8912'.

    update(step, values) redraws it in place after a batch; finish(values) prints the final line,
    with the full bar. `values` go with `names`, in order (['loss', 'accuracy']). The line is live
    in a notebook or a terminal; elsewhere only the final line is printed; with verbose=0, nothing.
    """

    def __init__(self, steps, names, verbose=1):
        self.names = list(names)
        self.bar = ProgressBar(steps) if verbose else None

    def update(self, step, values):
        if self.bar is not None:
            self.bar.update(step, **dict(zip(self.names, values)))

    def finish(self, values):
        if self.bar is not None:
            self.bar.finish(**dict(zip(self.names, values)))


class Sequential:
    """A stack of layers with Keras' add / compile / predict / train_on_batch / fit / evaluate."""

    def __init__(self, layers=None, seed=0):
        """Step 2.1: start with the given layers (or none), added in order; make the model's generator."""
        ### BEGIN SOLUTION
        self.layers = []
        self.rng = np.random.default_rng(seed)
        for layer in layers or []:
            self.add(layer)
        ### END SOLUTION

    def add(self, layer):
        """Step 2.1: append a layer."""
        ### BEGIN SOLUTION
        self.layers.append(layer)
        ### END SOLUTION

    def compile(self, optimizer="rmsprop", loss="categorical_crossentropy", metrics=None):
        """Step 2.2: check the names as Keras 3 reads them, build the layers with self.rng, start the caches."""
        ### BEGIN SOLUTION
        if str(optimizer).lower() != "rmsprop":
            raise ValueError(f"unknown optimizer {optimizer!r}: this engine has 'rmsprop'")
        if loss not in ("categorical_crossentropy", "CategoricalCrossentropy"):
            raise ValueError(f"unknown loss {loss!r}: this engine has 'categorical_crossentropy'")
        self.metrics = list(metrics or [])
        for metric in self.metrics:
            if str(metric).lower() not in ("accuracy", "acc"):
                raise ValueError(f"unknown metric {metric!r}: this engine has 'accuracy'")
        if not self.layers or self.layers[0].input_shape is None:
            raise ValueError("the first layer needs an input_shape, e.g. input_shape=(28 * 28,)")
        input_dim = self.layers[0].input_shape[0]
        for layer in self.layers:
            layer.build(input_dim, self.rng)
            input_dim = layer.units
        self.caches = [[np.zeros_like(weight) for weight in layer.weights] for layer in self.layers]
        ### END SOLUTION

    def predict(self, x):
        """Step 2.3: the last layer's output for the rows of x."""
        ### BEGIN SOLUTION
        out = x
        for layer in self.layers:
            out = layer.forward(out)
        return out
        ### END SOLUTION

    def scores(self, probs, y):
        """Step 2.4: [loss] plus one value per metric, for predictions probs of one-hot labels y."""
        ### BEGIN SOLUTION
        clipped = np.clip(probs / probs.sum(axis=1, keepdims=True), CLIP, 1 - CLIP)
        loss = float(np.mean(-np.sum(y * np.log(clipped), axis=1)))
        accuracy = float(np.mean(probs.argmax(axis=1) == y.argmax(axis=1)))
        return [loss] + [accuracy for _ in self.metrics]
        ### END SOLUTION

    def train_on_batch(self, x, y):
        """Steps 2.4 and 2.5: one RMSprop step on one batch; returns its [loss, accuracy] from before the step."""
        ### BEGIN SOLUTION
        probs = self.predict(x)
        results = self.scores(probs, y)
        inside = (probs >= CLIP) & (probs <= 1 - CLIP)  # np.clip passes no gradient where it clips
        grad = -y / np.clip(probs, CLIP, 1 - CLIP) * inside / len(x)
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        for layer, caches in zip(self.layers, self.caches):
            for weight, g, cache in zip(layer.weights, layer.grads, caches):
                cache[...] = RHO * cache + (1 - RHO) * g**2
                weight -= LEARNING_RATE * g / np.sqrt(cache + EPSILON)
        return results if self.metrics else results[0]
        ### END SOLUTION

    def fit(self, x, y, epochs=1, batch_size=32, verbose=1):
        """Step 2.6: train for `epochs` passes over (x, y) in shuffled batches; return a History."""
        ### BEGIN SOLUTION
        names = ["loss"] + self.metrics
        history = History()
        history.history = {name: [] for name in names}
        n = len(x)
        steps = -(-n // batch_size)  # ceil(n / batch_size)
        for epoch in range(epochs):
            if verbose:
                print(f"Epoch {epoch + 1}/{epochs}")
            progress = ProgressLine(steps, names, verbose)
            order = self.rng.permutation(n)
            totals = np.zeros(len(names))
            for step, start in enumerate(range(0, n, batch_size), start=1):
                rows = order[start : start + batch_size]
                totals += np.atleast_1d(self.train_on_batch(x[rows], y[rows])) * len(rows)
                progress.update(step, totals / (start + len(rows)))  # the epoch's means so far
            for name, total in zip(names, totals):
                history.history[name].append(float(total / n))
            progress.finish(totals / n)
        return history
        ### END SOLUTION

    def evaluate(self, x, y, batch_size=32, verbose=1):
        """Step 2.7: [loss, accuracy] of the current weights on (x, y); the loss alone without metrics."""
        ### BEGIN SOLUTION
        progress = ProgressLine(-(-len(x) // batch_size), ["loss"] + self.metrics, verbose)
        probs = np.concatenate([self.predict(x[start : start + batch_size]) for start in range(0, len(x), batch_size)])
        results = self.scores(probs, y)
        progress.finish(results)
        return results if self.metrics else results[0]
        ### END SOLUTION


# %% [markdown]
# ### Step 2.1: the constructor and `add`
#
# `Sequential(layers=None, seed=0)` starts with an empty list `self.layers` and adds the given layers,
# in order, with `add`, which appends one layer. It also makes the model's random generator, kept
# as `self.rng`: `np.random.default_rng(seed)`, the model's **only** source of randomness (the initial
# weights in step 2.2, the shuffling in step 2.6), so that the same seed gives the same training run,
# and the global `np.random` generator is left alone.

# %% nbgrader={"grade": true, "grade_id": "Sequential_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import keras_from_scratch as q

q.Sequential_add.check(Sequential)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from answer_key.keras_from_scratch import model_of

tests = HiddenTests(points=1)
with tests.part("add and Sequential(layers) keep the layers in order", points=0.5):
    model, made = model_of(Sequential, [6, 4, 3], ["relu", "relu", "softmax"], 5)
    expect_true("add keeps the layers in order", list(model.layers) == made)
    other, other_made = model_of(Sequential, [6, 3], ["relu", "softmax"], 5, through_constructor=True)
    expect_true("Sequential(layers) adds them in order", list(other.layers) == other_made)
    expect_true("a new model starts with no layers", len(Sequential().layers) == 0)
with tests.part("self.rng is np.random.default_rng(seed), seed 0 by default", points=0.5):
    expect_true("model.rng is a np.random.Generator", isinstance(Sequential(seed=3).rng, np.random.Generator))
    expect_true(
        "model.rng is np.random.default_rng(seed)",
        Sequential(seed=3).rng.integers(10**9, size=4).tolist()
        == np.random.default_rng(3).integers(10**9, size=4).tolist(),
    )
    expect_true(
        "Sequential() uses seed=0 by default",
        Sequential().rng.integers(10**9, size=4).tolist() == np.random.default_rng(0).integers(10**9, size=4).tolist(),
    )
    np.random.seed(0)
    global_state = np.random.get_state()[1].copy()
    Sequential(seed=2)
    expect_true(
        "the constructor leaves the global np.random generator alone",
        np.array_equal(np.random.get_state()[1], global_state),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 2.2: `compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=None)`
#
# `compile` chooses what training will do:
#
# * the **loss** is the number training makes small. It compares the network's predictions with the
#   true labels and must be differentiable, since its gradient is what steers every weight. For one
#   label out of several classes, with one-hot labels, that is the categorical crossentropy of
#   notebook 03;
# * the **optimizer** is the rule that turns gradients into weight changes: here RMSprop with
#   Keras' defaults (`learning_rate=0.001, rho=0.9, epsilon=1e-7`), as in notebook 04;
# * the **metrics** are numbers we only *watch* (here accuracy, the fraction of right answers).
#   They are reported, never differentiated: accuracy changes in jumps, so it has no useful
#   gradient, which is why we train on the crossentropy and read off the accuracy.
#
# **The names, as Keras 3 reads them.** Keras 3 looks an optimizer's name up in any letter case
# (`'rmsprop'`, `'RMSprop'` and `'RMSPROP'` are the same optimizer), and a loss's name exactly as
# written: the function's name `'categorical_crossentropy'` or the class's name
# `'CategoricalCrossentropy'` (so `'Categorical_Crossentropy'` is an error). A metric called
# `'accuracy'` or `'acc'`, in any letter case, is the accuracy that suits the labels: for one-hot
# labels, categorical accuracy (the `argmax` of the prediction equals the `argmax` of the label), and
# it keeps the name you gave it (`metrics=['Accuracy']` is reported as `Accuracy`). Your `compile`
# accepts exactly these, `metrics=None` included, and raises `ValueError` for any other name.
#
# Then `compile` creates the weights: it calls each layer's `build(input_dim, self.rng)`, with the
# first layer's `input_shape[0]` as the input size, then each previous layer's `units`. Real Keras
# can wait for the first batch to learn the input size; this engine needs it up front, so a first
# layer without `input_shape` is a `ValueError`. Last, it starts RMSprop's state: one cache of zeros
# per weight array (`np.zeros_like`), for every layer, in the order of `layer.weights`.

# %% nbgrader={"grade": true, "grade_id": "Sequential_tests_compile", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import keras_from_scratch as q

q.Sequential_compile.check(Sequential)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from answer_key.keras_from_scratch import ReferenceDense, model_of, raises_value_error

tests = HiddenTests(points=1)
with tests.part("compile builds every layer, sizes chained, from the model's generator", points=0.5):
    model, made = model_of(Sequential, [6, 4, 3], ["relu", "relu", "softmax"], 5)
    expect_true(
        "compile builds every layer, sizes chained from input_shape",
        [layer.kernel.shape for layer in made] == [(5, 6), (6, 4), (4, 3)],
    )
    expect_true(
        "compile passes a np.random.Generator to build",
        all(isinstance(layer.built_with, np.random.Generator) for layer in made),
    )
    same, same_made = model_of(Sequential, [6, 4, 3], ["relu", "relu", "softmax"], 5)
    expect_true(
        "the same seed builds the same weights",
        all(np.array_equal(a.kernel, b.kernel) for a, b in zip(made, same_made)),
    )
    seeded, seeded_made = model_of(Sequential, [6, 4, 3], ["relu", "relu", "softmax"], 5, seed=1)
    expect_true("another seed builds other weights", not np.array_equal(made[0].kernel, seeded_made[0].kernel))
    np.random.seed(0)
    global_state = np.random.get_state()[1].copy()
    model_of(Sequential, [6, 3], ["relu", "softmax"], 5, seed=2)
    expect_true(
        "compile leaves the global np.random generator alone", np.array_equal(np.random.get_state()[1], global_state)
    )


with tests.part("compile accepts the names Keras 3 accepts and refuses the others", points=0.5):

    def compile_with(**options):
        model = Sequential()
        model.add(ReferenceDense(3, activation="softmax", input_shape=(4,)))
        settings = dict(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
        settings.update(options)
        model.compile(**settings)

    for options in [
        dict(optimizer="sgd"),
        dict(optimizer="adam"),
        dict(optimizer="rms_prop"),
        dict(loss="mse"),
        dict(loss="binary_crossentropy"),
        dict(loss="Categorical_Crossentropy"),
        dict(loss="CATEGORICAL_CROSSENTROPY"),
        dict(metrics=["accuracy", "auc"]),
        dict(metrics=["categorical_accuracy_x"]),
    ]:
        expect_true(f"compile({options}) raises ValueError", raises_value_error(lambda: compile_with(**options)))
    for options in [
        dict(metrics=None),
        dict(optimizer="RMSprop"),
        dict(optimizer="RMSPROP"),
        dict(metrics=["Accuracy"]),
        dict(metrics=["acc"]),
        dict(metrics=["ACCURACY"]),
        dict(loss="CategoricalCrossentropy"),
    ]:
        expect_true(
            f"compile({options}) is accepted, as Keras 3 accepts it",
            not raises_value_error(lambda: compile_with(**options)),
        )

    def no_input_shape():
        model = Sequential()
        model.add(ReferenceDense(3, activation="softmax"))
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])

    expect_true("a first layer without input_shape: compile raises ValueError", raises_value_error(no_input_shape))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 2.3: `predict(x)`
#
# `predict` is the forward pass of the whole model: `x` goes into the first layer's `forward`, its
# output into the next one's, and the last layer's output comes back (for the study note's network,
# the softmax rows `(N, 10)`). It changes nothing: no weights, no input.

# %% nbgrader={"grade": true, "grade_id": "Sequential_tests_predict", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import keras_from_scratch as q

q.Sequential_predict.check(Sequential)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from answer_key.keras_from_scratch import SCORING_ACTIVATIONS, close, reference_forward, scoring_data, scoring_model

x, y = scoring_data()
x_before = x.copy()
model, weights = scoring_model(Sequential)
tests = HiddenTests(points=1)
with tests.part("predict returns the last layer's output", points=0.5, core=True):
    predicted = model.predict(x)
    expect_true(
        "predict returns the last layer's output",
        isinstance(predicted, np.ndarray)
        and predicted.shape == (40, 3)
        and np.allclose(predicted, reference_forward(weights, SCORING_ACTIVATIONS, x), rtol=1e-5, atol=1e-6),
    )
with tests.part("predict changes nothing", points=0.5):
    model.predict(x)
    expect_true("predict changes no weights", close(model, weights, rtol=0, atol=0))
    expect_true("predict leaves x unchanged", np.array_equal(x, x_before))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 2.4: `train_on_batch(x, y)`: one step of training
#
# One optimizer step on one batch `(x, y)` of `N` samples, in four parts:
#
# 1. **forward**: `p = self.predict(x)`.
# 2. **the loss and the metric, before the step.** Keras' categorical crossentropy, as Keras 3
#    computes it from probabilities (its NumPy, JAX and PyTorch backends; step 2.5 says what the
#    TensorFlow backend does instead): divide each row of `p` by its sum (a no-op for softmax
#    outputs), clip to $[10^{-7}, 1 - 10^{-7}]$, then average $-\sum_j y_j \log p_j$ over the rows. The
#    accuracy is the fraction of rows whose `argmax` matches the label's. Both come from this forward
#    pass, before the weights change, as Keras reports them. Write them in `scores(probs, y)`, which
#    `evaluate` uses too: it returns `[loss]` plus one accuracy per metric.
# 3. **backward**: the gradient of that loss with respect to `p` is
#    $\partial L / \partial p = -y / (N \cdot \mathrm{clip}(p))$, and **0 wherever `p` was clipped**
#    (step 2.5 explains the 0). Hand it to the last layer's `backward`, pass what that returns to the
#    layer before, and so on down to the first. Every layer now holds its `grads`. (Keras itself also
#    differentiates the division by the row sum, which adds $1/N$ to every entry of a row;
#    softmax's backward cancels any constant added to a row, so the layers' gradients are the same.)
# 4. **RMSprop**: for every weight array `w` of every layer, its gradient `g` and its cache `c`,
#    $c \leftarrow \rho c + (1 - \rho) g^2$ and $w \leftarrow w - \text{lr}\, g / \sqrt{c + \epsilon}$,
#    with $\epsilon$ inside the square root as in Keras 3. Both **in place** (`c[...] = ...`,
#    `w -= ...`): `layer.weights` hands you the layer's own arrays, and a new array bound to a local
#    name would change nothing in the layer. The caches live on from step to step.
#
# It returns `[loss, accuracy]`, or the loss alone (a number) when the model was compiled without
# metrics. Neither `x` nor `y` may change.

# %% nbgrader={"grade": true, "grade_id": "Sequential_tests_train_on_batch", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import keras_from_scratch as q

q.Sequential_train_on_batch.check(Sequential)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from answer_key.keras_from_scratch import (
    STEP_ACTIVATIONS,
    close,
    reference_full_batch_fit,
    step_data,
    step_model,
    weights_of,
)

# one step of train_on_batch: the loss before the step, and Keras' RMSprop step (eps inside the root,
# the new cache in the denominator), with small inputs so that some gradients are tiny
x, y = step_data()
x_before, y_before = x.copy(), y.copy()
model, _ = step_model(Sequential)
start = weights_of(model)
arrays = [layer.weights for layer in model.layers]
expected, after_one = reference_full_batch_fit(start, STEP_ACTIVATIONS, x, y, epochs=1)
result = model.train_on_batch(x, y)  # every part looks at this step: if it raises, the cell fails as a whole
tests = HiddenTests(points=2)
with tests.part("the batch's [loss, accuracy] from before the step, or the loss alone without metrics", points=0.5):
    expect_true(
        "train_on_batch returns [loss, accuracy] of the batch before the step",
        not isinstance(result, str)
        and np.ndim(result) == 1
        and len(result) == 2
        and np.isclose(float(result[0]), expected["loss"][0], rtol=1e-5)
        and np.isclose(float(result[1]), expected["accuracy"][0]),
    )
    no_metric, _ = step_model(Sequential, metrics=None)
    loss_alone = no_metric.train_on_batch(x, y)
    expect_true(
        "without metrics, train_on_batch returns the loss alone",
        np.ndim(loss_alone) == 0 and np.isclose(float(loss_alone), expected["loss"][0], rtol=1e-5),
    )
with tests.part("one Keras RMSprop step on every weight array, in place; x and y unchanged", points=1):
    expect_true("train_on_batch takes one Keras RMSprop step on every weight", close(model, after_one))
    expect_true(
        "train_on_batch updates the weight arrays in place (layer.weights are the same arrays after the step)",
        all(new is old for layer, before in zip(model.layers, arrays) for new, old in zip(layer.weights, before)),
    )
    expect_true("train_on_batch leaves x and y unchanged", np.array_equal(x, x_before) and np.array_equal(y, y_before))
with tests.part("three steps keep one RMSprop cache per weight", points=0.5):
    _, after_three = reference_full_batch_fit(start, STEP_ACTIVATIONS, x, y, epochs=3)
    model.train_on_batch(x, y)
    model.train_on_batch(x, y)
    expect_true("three steps keep one RMSprop cache per weight", close(model, after_three))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 2.5: why the clip passes no gradient
#
# `np.clip(p, 1e-7, 1 - 1e-7)` is flat outside its range: nudging a `p` of `1e-9` leaves the clipped
# value at `1e-7`, so the loss does not move, and its derivative there is exactly 0. With the clip,
# $\partial L / \partial p_j = -y_j / (N p_j)$ only where $10^{-7} \le p_j \le 1 - 10^{-7}$, and 0
# elsewhere: the mask `(p >= 1e-7) & (p <= 1 - 1e-7)`.
#
# With one-hot labels, only the true class has $y_j \neq 0$, so a whole row depends on one number,
# its true-class probability:
#
# * **inside the range**, softmax's backward turns the row into $(p - y)/N$: notebook 04's
#   `softmax_crossentropy_grad`;
# * **outside**, the row's gradient is 0. Above $1 - 10^{-7}$ the network is right and sure, and
#   $(p - y)/N$ would be tiny anyway. Below $10^{-7}$ it is sure and *wrong*: the row adds
#   $-\log 10^{-7} \approx 16.12$ to the loss and nothing to the gradient, so the optimizer never
#   learns from it. The clip hides such a sample from training; it does not "keep its gradient finite".
#
# Notebook 04's $(p - y)/N$ on every row and this notebook's masked gradient are both Keras 3, on
# different backends. The **TensorFlow backend** remembers the logits $z$ that a softmax layer turned
# into $p$, and computes the crossentropy from them (`tf.nn.softmax_cross_entropy_with_logits`), with
# no clip: its gradient is exactly $(p - y)/N$ on every row, confident mistakes included. The
# **NumPy, JAX and PyTorch backends** compute it from $p$ with the clip (the NumPy backend only
# evaluates; JAX and PyTorch differentiate the clip and get the 0). Our layers hand over $p$, not
# $z$, so this engine follows the clipping backends, and that is what the checks grade. Computing
# from logits is the better engineering: $\log p_j = z_j - \log \sum_i e^{z_i}$ (log-softmax, with
# the logsumexp trick) is finite for any logits and keeps every sample's gradient.
#
# The numbers, for one sample with true-class probability `p` (the loss $-\log \mathrm{clip}(p)$ and
# its slope by central differences), then one confidently wrong row computed both ways:

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_12", "locked": true, "schema_version": 3, "solution": false, "task": false}
def clipped_loss(p_true):
    return -np.log(np.clip(p_true, 1e-7, 1 - 1e-7))


for p_true in [0.5, 1e-3, 1e-6, 1e-9, 1e-12]:
    h = p_true * 1e-3
    slope = (clipped_loss(p_true + h) - clipped_loss(p_true - h)) / (2 * h)
    print(f"p = {p_true:<6g}  loss {clipped_loss(p_true):7.4f}   slope {slope:11.4g}   (-1/p = {-1 / p_true:.4g})")

logits = np.array([40.0, 0.0, 0.0])  # sure of class 0
label = np.array([0.0, 1.0, 0.0])  # but it is class 1
p = np.exp(logits - logits.max())
p /= p.sum()
from_logits = logits.max() + np.log(np.sum(np.exp(logits - logits.max()))) - logits[1]
print(f"\ntrue-class p = {p[1]:.3g}; clipped loss {clipped_loss(p[1]):.4f} with dL/dz = 0 (the row is masked)")
print(f"from the logits: loss {from_logits:.4f} with dL/dz = p - y = {np.round(p - label, 4)}")

# %% [markdown]
# The check below feeds your `train_on_batch` four **saturated** rows (a scripted last layer
# returns them as its predictions): a sure right answer `[1, 0, 0]` for class 0, the same row for a
# sample of class 1, a row whose true-class probability is `3e-8`, and an ordinary row
# `[0.2, 0.3, 0.5]` of class 2. With `N = 4`, the `dL/dp` your model hands to the last layer must be
# `[[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, -0.5]]`: the three clipped rows pass nothing, the last
# one $-1/(4 \cdot 0.5)$ in its true class.

# %% nbgrader={"grade": true, "grade_id": "Sequential_tests_clipping", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import keras_from_scratch as q

q.Sequential_clipping.check(Sequential)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from answer_key.keras_from_scratch import (
    close,
    crossentropy,
    crossentropy_grad,
    model_of,
    quietly,
    reference_forward,
    reference_full_batch_fit,
    through_activation,
)

# saturated predictions: the loss clips p to [1e-7, 1 - 1e-7], and dL/dp is 0 where p was clipped
saturated, _ = model_of(Sequential, [3], ["softmax"], 3, seed=1)
saturated.layers[0].kernel[...] = np.eye(3, dtype=np.float32)
saturated.layers[0].bias[...] = 0
logits = np.array([[20.7, 0.0, 0.0], [-50.0, 0.0, 0.0], [40.0, 0.0, 0.0], [1.0, 0.5, -0.5]], np.float32)
labels = np.eye(3, dtype=np.float32)[[1, 0, 0, 2]]
probs = reference_forward([(np.eye(3), np.zeros(3))], ["softmax"], logits)
saturated_expected, after_saturated = reference_full_batch_fit(
    [(np.eye(3), np.zeros(3))], ["softmax"], logits, labels, epochs=1
)
grad_z = through_activation("softmax", crossentropy_grad(labels, probs), probs)
tests = HiddenTests(points=1)
with tests.part("evaluate's loss clips p", points=0.25):
    evaluated = quietly(saturated.evaluate, logits, labels)
    expect_true(
        "evaluate clips p to [1e-7, 1 - 1e-7] (true-class p of about 1e-9 and 1e-22 here)",
        np.ndim(evaluated) == 1
        and len(evaluated) == 2
        and np.isclose(float(evaluated[0]), crossentropy(labels, probs), rtol=1e-5),
    )
with tests.part("train_on_batch's loss clips p", points=0.25):
    result = saturated.train_on_batch(logits, labels)
    expect_true(
        "train_on_batch's loss clips p to [1e-7, 1 - 1e-7]",
        np.ndim(result) == 1
        and len(result) == 2
        and np.isclose(float(result[0]), saturated_expected["loss"][0], rtol=1e-5),
    )
with tests.part("dL/dp is 0 where p was clipped, and the step that follows", points=0.5):
    seen = saturated.layers[0].gradients  # what the step above handed the output layer (none if it raised)
    expect_true(
        "backward starts from dL/dp = -y / (N clip(p)), 0 where p was clipped (the output layer's gradients)",
        len(seen) == 1
        and np.allclose(seen[0][0], logits.T.astype(np.float64) @ grad_z, rtol=1e-4, atol=1e-6)
        and np.allclose(seen[0][1], grad_z.sum(axis=0), rtol=1e-4, atol=1e-6),
    )
    expect_true("the RMSprop step after saturated predictions", close(saturated, after_saturated))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 2.6: `fit(x, y, epochs=1, batch_size=32, verbose=1)`
#
# One **epoch** is one pass over all the training samples. In each epoch `fit` draws a new order,
# `self.rng.permutation(N)` (the model's own generator, so the same seed gives the same run), then
# calls `train_on_batch` on consecutive **batches** of `batch_size` rows of that order; the last
# batch is shorter when `N` is not a multiple of `batch_size` (and a `batch_size` larger than `N`
# gives one batch per epoch). Each call of `train_on_batch` divides by its own batch's length, the
# last, shorter batch included. With 60,000 images and batches of 128,
# an epoch is 469 steps (468 full batches and one of 96), and 5 epochs are 2,345 steps. Small
# batches give noisy but cheap steps; the noise is tolerable and even helps. `x` and `y` stay as they
# are: index them with the order (`x[rows]`), never shuffle them in place.
#
# The figures of an epoch are **means over its samples**: add up each batch's loss and accuracy
# times the batch's size, and divide by `N` at the end of the epoch, as Keras does (a plain mean of
# the batch figures would count the 96 samples of the last batch as much as 128). They are running
# figures, taken while the weights still change: the first batches of an epoch are scored with older
# weights than the last.
#
# `fit` returns a `History` whose `history` dict maps `'loss'` and each metric's name (as given to
# `compile`) to a list of one value per epoch. Calling `fit` again goes on training from where the
# last call stopped (the same weights and RMSprop caches) and returns the history of its own epochs.
# With `verbose=1` it prints, per epoch, `Epoch 1/5`, then shows the epoch's progress on one line
# with `ProgressLine` (given): make one per epoch, `ProgressLine(steps, names, verbose)`, call its
# `update(step, values)` after each batch with the means so far (the totals divided by the samples
# seen up to that batch) and its `finish(values)` with the epoch's means. While the epoch runs the
# line is redrawn in place, like Keras' progress bar: step/steps, a bar, the seconds since the
# epoch began, and the loss and the accuracy so far; `finish` leaves the full bar and the epoch's
# figures. With `verbose=0`, nothing.

# %% nbgrader={"grade": true, "grade_id": "Sequential_tests_fit", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import keras_from_scratch as q

q.Sequential_fit.check(Sequential)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from answer_key.keras_from_scratch import (
    STEP_ACTIVATIONS,
    close,
    quietly,
    reference_full_batch_fit,
    step_data,
    step_model,
    weights_of,
)

# fit with one batch per epoch: the history and the weights are Keras' to the digit
x, y = step_data()
x_before, y_before = x.copy(), y.copy()
model, _ = step_model(Sequential)
expected, after_three = reference_full_batch_fit(weights_of(model), STEP_ACTIVATIONS, x, y, epochs=3)
history = quietly(model.fit, x, y, epochs=3, batch_size=16)  # if it raises, the cell fails as a whole
record = getattr(history, "history", None)
tests = HiddenTests(points=2)
with tests.part("a History whose .history holds the epoch means of the loss and the accuracy", points=0.5):
    expect_true(
        "fit returns a History whose .history has 'loss' and 'accuracy'",
        isinstance(record, dict) and "loss" in record and "accuracy" in record,
    )
    expect_true(
        "history['loss']: one mean crossentropy per epoch",
        len(record["loss"]) == 3 and np.allclose(np.asarray(record["loss"], float), expected["loss"], rtol=1e-5),
    )
    expect_true(
        "history['accuracy']: one accuracy per epoch",
        len(record["accuracy"]) == 3 and np.allclose(np.asarray(record["accuracy"], float), expected["accuracy"]),
    )
with tests.part("the weights after 3 full-batch epochs, x and y unchanged", points=0.5):
    expect_true("after 3 full-batch epochs the weights are 3 Keras RMSprop steps on", close(model, after_three))
    expect_true("fit leaves x and y unchanged", np.array_equal(x, x_before) and np.array_equal(y, y_before))
with tests.part("fit goes on from where training stopped, and returns the history of its own epochs", points=0.5):
    model, _ = step_model(Sequential)
    quietly(model.fit, x, y, epochs=1, batch_size=16)
    model.train_on_batch(x, y)
    third = quietly(model.fit, x, y, epochs=1, batch_size=16)
    expect_true(
        "fit, train_on_batch, fit again: training goes on with the same RMSprop caches (3 steps)",
        close(model, after_three),
    )
    expect_true(
        "each fit returns the history of its own epochs (the second fit: 1 epoch, the third step's loss)",
        len(third.history["loss"]) == 1
        and np.allclose(np.asarray(third.history["loss"], float), expected["loss"][2:], rtol=1e-5),
    )
with tests.part("a batch larger than the data, no metrics, a metric named as given", points=0.5):
    big_batch = quietly(step_model(Sequential)[0].fit, x, y, epochs=2, batch_size=100)
    expect_true(
        "a batch size larger than the data: one batch per epoch",
        np.allclose(np.asarray(big_batch.history["loss"], float), expected["loss"][:2], rtol=1e-5),
    )
    no_metric, _ = step_model(Sequential, metrics=None)
    plain = quietly(no_metric.fit, x, y, epochs=2, batch_size=16)
    expect_true(
        "without metrics the history still has 'loss'",
        np.allclose(np.asarray(plain.history["loss"], float), expected["loss"][:2], rtol=1e-5),
    )
    named, _ = step_model(Sequential, metrics=["Accuracy"])
    named_history = quietly(named.fit, x, y, epochs=1, batch_size=16)
    expect_true(
        "metrics=['Accuracy']: the history keeps the metric's name as given, as Keras 3 does",
        sorted(named_history.history) == ["Accuracy", "loss"]
        and np.allclose(np.asarray(named_history.history["Accuracy"], float), expected["accuracy"][:1]),
    )
tests.report()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "Sequential_tests_batches", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Graded by hidden tests: mini-batches, shuffling and the epoch means of fit.
import numpy as np

### BEGIN HIDDEN TESTS
import copy

import numpy as np
from checks.hidden import HiddenTests, expect_true
from answer_key.keras_from_scratch import categorical_accuracy, crossentropy, model_of, quietly, toy_data

# mini-batches: sizes, every sample once per epoch, a new order each epoch, from the model's seed
x, y = toy_data(n=10, features=4, classes=3, seed=8, id_column=True)


def trained_rows(seed, epochs=3, batch_size=4, with_model=False):
    model, _ = model_of(Sequential, [5, 3], ["relu", "softmax"], 4, seed=seed)
    generator = copy.deepcopy(model.rng)
    history = quietly(model.fit, x, y, epochs=epochs, batch_size=batch_size)
    steps = [rows[:, 0].astype(int).tolist() for rows in model.layers[0].steps]
    if with_model:
        return steps, history, model, [generator.permutation(len(x)).tolist() for _ in range(epochs)]
    return steps, history


steps, history, model, permutations = trained_rows(seed=11, with_model=True)  # if fit raises, the cell fails
tests = HiddenTests(points=1)
with tests.part(
    "batches: sizes, each sample once an epoch, a new order each epoch from model.rng", points=0.5, core=True
):
    expect_true(
        "10 samples in batches of 4: steps of 4, 4 and 2 samples, each epoch",
        [len(rows) for rows in steps] == [4, 4, 2] * 3,
    )
    epochs = [sum(steps[i : i + 3], []) for i in (0, 3, 6)]
    expect_true("every epoch uses every sample exactly once", all(sorted(order) == list(range(10)) for order in epochs))
    expect_true(
        "each epoch's order is model.rng.permutation(N), drawn from the model's own generator", epochs == permutations
    )
    expect_true("the samples are shuffled", any(order != list(range(10)) for order in epochs))
    expect_true("a new order every epoch", epochs[0] != epochs[1] or epochs[1] != epochs[2])
    again, history_again = trained_rows(seed=11)
    expect_true(
        "the same seed gives the same batches and the same history",
        again == steps and np.allclose(history_again.history["loss"], history.history["loss"], rtol=0, atol=0),
    )
    other, _ = trained_rows(seed=12)
    expect_true("another seed gives other batches", other != steps)
with tests.part("the epoch means weighted by batch size, every step divided by its own batch's size", points=0.25):
    ids = [np.asarray(rows) for rows in steps]
    outputs = model.layers[-1].outputs
    means = {"loss": [], "accuracy": []}
    for epoch in range(3):
        batches = list(zip(ids, outputs))[3 * epoch : 3 * epoch + 3]
        means["loss"].append(sum(crossentropy(y[i], p) * len(i) for i, p in batches) / 10)
        means["accuracy"].append(sum(categorical_accuracy(y[i], p) * len(i) for i, p in batches) / 10)
    expect_true(
        "history: per epoch, the loss and the accuracy are means over the epoch's samples (batches weighted by size)",
        len(history.history["loss"]) == 3
        and len(history.history["accuracy"]) == 3
        and np.allclose(np.asarray(history.history["loss"], float), means["loss"], rtol=1e-5)
        and np.allclose(np.asarray(history.history["accuracy"], float), means["accuracy"], rtol=1e-5),
    )
    last_inputs = model.layers[-1].steps
    expect_true(
        "every step divides by its own batch's size, the last, shorter one too (dL/dz = (p - y) / len(batch))",
        len(model.layers[-1].gradients) == 9
        and all(
            np.allclose(kernel, inputs.T.astype(np.float64) @ ((p - y[i]) / len(i)), rtol=1e-4, atol=1e-6)
            and np.allclose(bias, (p - y[i]).sum(axis=0) / len(i), rtol=1e-4, atol=1e-6)
            for (kernel, bias), inputs, p, i in zip(model.layers[-1].gradients, last_inputs, outputs, ids)
        ),
    )
    seeded, _ = model_of(Sequential, [5, 3], ["relu", "softmax"], 4, seed=3)
    one_epoch = quietly(seeded.fit, x, y, epochs=1, batch_size=4)
    seeded_ids = [rows[:, 0].astype(int) for rows in seeded.layers[0].steps]
    per_sample = sum(crossentropy(y[i], p) * len(i) for i, p in zip(seeded_ids, seeded.layers[-1].outputs)) / 10
    expect_true(
        "the epoch's loss is the mean over its samples (each batch weighted by its size)",
        np.isclose(float(one_epoch.history["loss"][0]), per_sample, rtol=1e-5),
    )
with tests.part("fit does not shuffle x in place", points=0.25):
    unchanged = x.copy()
    quietly(model_of(Sequential, [5, 3], ["relu", "softmax"], 4, seed=3)[0].fit, x, y, epochs=1, batch_size=4)
    expect_true("fit does not shuffle x in place", np.array_equal(x, unchanged))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# ### Step 2.7: `evaluate(x, y, batch_size=32, verbose=1)`
#
# `evaluate` measures the loss and the metrics on data, with the weights as they are: no backward
# pass, no step. It predicts in batches of `batch_size` (so that a large test set never needs one
# huge forward pass), joins the predictions (`np.concatenate`) and scores them all at once with
# `scores`, so its result does not depend on `batch_size`. It returns `[loss, accuracy]`, or the
# loss alone without metrics, leaves `x` and `y` as they are, and with `verbose=1` prints one
# line, with `ProgressLine`'s `finish`.
#
# The last cell of this section runs every check of the seven steps at once.

# %% nbgrader={"grade": true, "grade_id": "Sequential_tests_evaluate", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import keras_from_scratch as q

q.Sequential_evaluate.check(Sequential)
q.Sequential.check(Sequential)  # all seven steps at once
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect_true
from answer_key.keras_from_scratch import (
    SCORING_ACTIVATIONS,
    categorical_accuracy,
    close,
    crossentropy,
    model_of,
    quietly,
    reference_forward,
    scoring_data,
    scoring_model,
)

x, y = scoring_data()
x_before, y_before = x.copy(), y.copy()
model, weights = scoring_model(Sequential)
probs = reference_forward(weights, SCORING_ACTIVATIONS, x)
result = quietly(model.evaluate, x, y)
result_small_batches = quietly(model.evaluate, x, y, batch_size=7)
tests = HiddenTests(points=1)
with tests.part(
    "[loss, accuracy] of the current weights, whatever the batch size; the loss alone without metrics",
    points=0.5,
    core=True,
):
    expect_true(
        "evaluate returns [loss, accuracy]", not isinstance(result, str) and np.ndim(result) == 1 and len(result) == 2
    )
    expect_true(
        "evaluate's loss is Keras' mean crossentropy", np.isclose(float(result[0]), crossentropy(y, probs), rtol=1e-5)
    )
    expect_true("evaluate's accuracy", np.isclose(float(result[1]), categorical_accuracy(y, probs)))
    expect_true(
        "evaluate does not depend on its batch size",
        np.allclose(np.asarray(result_small_batches, float), np.asarray(result, float), rtol=1e-5),
    )
    no_metric, _ = model_of(Sequential, [6, 3], ["relu", "softmax"], 5, metrics=None)
    loss_only = quietly(no_metric.evaluate, x, y)
    expect_true(
        "without metrics, evaluate returns the loss alone",
        np.ndim(loss_only) == 0 and np.isclose(float(loss_only), crossentropy(y, no_metric.predict(x)), rtol=1e-5),
    )
with tests.part("evaluate changes nothing", points=0.5):
    expect_true("evaluate changes no weights", close(model, weights, rtol=0, atol=0))
    expect_true("evaluate leaves x and y unchanged", np.array_equal(x, x_before) and np.array_equal(y, y_before))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? Each step has its own hints, more specific each time you ask: `q.Sequential_add.hint()`,
# `q.Sequential_compile.hint()`, `q.Sequential_predict.hint()`, `q.Sequential_train_on_batch.hint()`,
# `q.Sequential_clipping.hint()`, `q.Sequential_fit.hint()`, `q.Sequential_evaluate.hint()`.
# `q.Sequential.solution()` shows a worked answer when the course's solutions are installed.

# %%

# %% [markdown]
# ## 3. The study note's code, on your engine
#
# Two names make the study note's imports work: `models` with a `Sequential`, and `layers` with a
# `Dense`. Keras' `to_categorical` (notebook 03) is the only other helper the code needs.

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_03", "locked": true, "schema_version": 3, "solution": false, "task": false}
models = SimpleNamespace(Sequential=Sequential)  # stands in for: from keras import models
layers = SimpleNamespace(Dense=Dense)  # stands in for: from keras import layers


def to_categorical(labels, num_classes=None):
    """One-hot float32 rows, as tf.keras 2's to_categorical returned them."""
    labels = np.asarray(labels, dtype=np.int64)
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    return np.eye(num_classes, dtype=np.float32)[labels]


# %% [markdown]
# The data. Keras' `mnist.load_data()` becomes `load_mnist()`, which returns the same arrays. (The
# study note writes `from kears.datasets import mnist`; with the typo, Python stops right there.) The
# training set is what the network learns from; the test set is kept apart to measure how well it
# does on digits it has never seen, which is the only number that matters.

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_04", "locked": true, "schema_version": 3, "solution": false, "task": false}
(train_images, train_labels), (test_images, test_labels) = load_mnist()

# %% [markdown]
# The network, exactly as in the study note. (Real Keras 3 runs these lines too, with a warning:
# it prefers an input object as the model's first entry to `input_shape=` on a layer, as in
# `models.Sequential([keras.Input(shape=(784,)), layers.Dense(512, activation='relu'),
# layers.Dense(10, activation='softmax')])`. Your engine keeps the study note's form.)

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_05", "locked": true, "schema_version": 3, "solution": false, "task": false}
network = models.Sequential()
network.add(layers.Dense(512, activation="relu", input_shape=(28 * 28,)))
network.add(layers.Dense(10, activation="softmax"))

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_06", "locked": true, "schema_version": 3, "solution": false, "task": false}
network.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
for layer in network.layers:
    print(
        f"Dense({layer.units}, activation={layer.activation!r}): kernel {layer.kernel.shape} {layer.kernel.dtype},"
        f" bias {layer.bias.shape}"
    )
print("parameters:", sum(w.size for layer in network.layers for w in layer.weights))

# %% [markdown]
# The data preparation, with the study note's `reshape('float32')` corrected to `astype('float32')`
# (notebook 04 shows what the original line does):

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_07", "locked": true, "schema_version": 3, "solution": false, "task": false}
train_images = train_images.reshape((60000, 28 * 28))
train_images = train_images.astype("float32") / 255
test_images = test_images.reshape((10000, 28 * 28))
test_images = test_images.astype("float32") / 255

train_labels = to_categorical(train_labels)
test_labels = to_categorical(test_labels)

# %% [markdown]
# And training: 5 epochs of 469 steps each, Keras' two lines per epoch. While an epoch runs, its
# second line counts the steps, redrawn in place.

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_08", "locked": true, "schema_version": 3, "solution": false, "task": false}
history = network.fit(train_images, train_labels, epochs=5, batch_size=128)

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_09", "locked": true, "schema_version": 3, "solution": false, "task": false}
plots.plot_history(history.history, title="network.fit: training loss and accuracy per epoch")
plt.show()

# %% [markdown]
# The test, on the 10,000 images the network never trained on:

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_10", "locked": true, "schema_version": 3, "solution": false, "task": false}
test_loss, test_acc = network.evaluate(test_images, test_labels)
print(f"test_acc: {test_acc:.3f}")
assert test_acc >= 0.975, f"test accuracy {test_acc:.4f} is below 0.975"

# %% [markdown]
# The training figures of the last epoch above and the test figures are not measured the same
# way: the training loss and accuracy are running means over the epoch's batches, taken while the
# weights still changed, whereas `evaluate` scores the final weights. To compare like with like,
# score the training images with the final weights too:

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_13", "locked": true, "schema_version": 3, "solution": false, "task": false}
train_loss, train_acc = network.evaluate(train_images, train_labels, verbose=0)
print(f"final weights, training images: loss: {train_loss:.4f} - accuracy: {train_acc:.4f}")
print(f"final weights, test images:     loss: {test_loss:.4f} - accuracy: {test_acc:.4f}")
assert train_acc > test_acc and train_loss < test_loss

# %% [markdown]
# With the same weights, the network does better on the images it learned from than on new ones.
# That gap, **overfitting**, is small here after 5 epochs; it is the main enemy in most real problems,
# and the reason the test set is kept apart.
#
# A few test digits with the network's answers:

# %% nbgrader={"grade": false, "grade_id": "keras_from_scratch_cell_11", "locked": true, "schema_version": 3, "solution": false, "task": false}
predictions = network.predict(test_images[:20]).argmax(axis=1)
truth = test_labels[:20].argmax(axis=1)
plots.show_digits(test_images[:20], truth, predictions, title="true \u2192 predicted (red: wrong)")
plt.show()

# %% [markdown]
# ## What Keras adds
#
# Your engine runs the study note's program and gets its result. Real Keras does the same job with
# more behind each line:
#
# * **automatic differentiation.** Each of your layers carries a hand-written `backward`; Keras
#   (through its TensorFlow, JAX or PyTorch backend) derives the backward pass of any composition of
#   operations, so a new layer needs only its forward pass;
# * **many layers, losses, optimizers and metrics**, chosen by the same strings you used;
# * **hardware.** The same model runs on GPUs and TPUs, where the matrix products are far faster;
# * **the rest of the workflow:** validation data in `fit`, callbacks (early stopping, saving the
#   best weights), saving and loading models.
#
# The shape of the workflow does not change: define the layers, compile with a loss, an optimizer
# and metrics, fit in batches for some epochs, evaluate on held-out data.

# %% [markdown]
# ## Summary
#
# **What you built.** A layer, `Dense`, that owns its weights and differentiates itself, and a model,
# `Sequential`, that chains layers through the layer protocol and owns training. Together they run
# the study note's five lines unchanged and reach about 98% test accuracy on MNIST.
#
# **The layer protocol** (batch of `N` rows):
#
# | call | takes | returns | and |
# |---|---|---|---|
# | `build(input_dim, rng)` | the input size, the model's generator | nothing | `kernel` `(input_dim, units)` Glorot-uniform float32, `bias` `(units,)` zeros |
# | `forward(x)` | `x` `(N, input_dim)` | `out` `(N, units)` | remembers `x` and `out` |
# | `backward(g)` | $g = \partial L/\partial \text{out}$ `(N, units)` | $\partial L/\partial x$ `(N, input_dim)` | sets `grad_kernel = x.T @ dz` `(input_dim, units)`, `grad_bias = dz.sum(axis=0)` `(units,)` |
#
# **The gradients.** Through relu, `dz = g * (out > 0)`; through softmax, `dz = p * (g - sum(g * p))`
# per row; from the clipped crossentropy, $\partial L/\partial p = -y / (N\,\mathrm{clip}(p))$, 0 where
# `p` was clipped. Chained, `dz = (p - y) / N` on every row whose true-class probability lies in
# $[10^{-7}, 1 - 10^{-7}]$ and 0 on the others (Keras 3's JAX and PyTorch backends); computed from the
# logits (the TensorFlow backend, notebook 04) it is `(p - y) / N` on every row. RMSprop:
# $c \leftarrow \rho c + (1-\rho) g^2$, $w \leftarrow w - \text{lr}\, g / \sqrt{c + \epsilon}$, in place.
#
# **The workflow's words.** A *batch* gives one gradient and one optimizer *step*; an *epoch* is one
# pass over the training data in a new random order (469 steps of at most 128 images for MNIST); the
# *loss* is what training minimises, the *optimizer* how it steps, a *metric* what we watch; `fit`'s
# history holds running means over each epoch, `evaluate` scores the weights as they are.
#
# **Common mistakes** (each one is caught by a check of this notebook):
#
# * softmax over the whole batch or over columns, or without subtracting each row's maximum;
# * averaging `grad_kernel` or `grad_bias` over the batch: the $1/N$ is already in $\partial L/\partial p$;
# * dividing by `batch_size` instead of the batch's own length (the last batch is shorter);
# * `layer.kernel = layer.kernel - step`, or `weights` returning copies: the layer never sees the update;
# * new RMSprop caches at every call, or $\epsilon$ outside the square root (Keras 2's and PyTorch's form);
# * shuffling with the global or a fresh generator, or shuffling `x` in place;
# * the epoch's loss as a plain mean of the batch losses, or as the last batch's;
# * the gradient $-y/\mathrm{clip}(p)$ without the clip's mask: a confidently wrong row then gets $\partial L/\partial p = -1/(N \cdot 10^{-7})$ instead of 0.
