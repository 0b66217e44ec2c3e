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
# # 04 · A from-scratch MNIST network
#
# In Keras, the network of this series takes five lines:
#
# ```python
# network = models.Sequential()
# network.add(layers.Dense(512, activation='relu', input_shape=(28 * 28,)))
# network.add(layers.Dense(10, activation='softmax'))
# network.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
# network.fit(train_images, train_labels, epochs=5, batch_size=128)
# ```
#
# and reaches about 98% accuracy on digits it has never seen. This notebook opens the box. You will
# write every moving part with NumPy (the starting weights, the forward and backward pass of each
# layer, the optimizer, the training loop), check each gradient against a numerical one, and train
# the same network to the same accuracy in a few seconds.
#
# The exercises, in order: `glorot_uniform`, `dense_forward`, `dense_backward`, `relu_backward`,
# `softmax_crossentropy_grad`, `rmsprop_update`, `accuracy` and `train_mlp`. Each has visible checks
# in the cell after it, and hints (`q.<name>.hint()`).

# %% [markdown] tags=["korean-terms"]
# **Korean terms (한국어 용어).** The study note this series follows is written in Korean, and the series has a Korean edition: in the course repository, `ko/notebooks/04_mnist_mlp/mnist_mlp.ipynb` (`python3 course.py lab --lang ko` opens your own copy of it), which gives after its title a glossary of 21 terms taught here, each in Korean and English with the section that teaches it. Among them: feature engineering (특성 공학), representation learning (표현 학습), backward pass (역방향 패스), accuracy (정확도), epoch (에포크), batch_size (배치 크기).

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_01", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from checks import mnist_mlp as q
from notebook_helpers import load_mnist, plots

# %matplotlib inline
np.set_printoptions(precision=4, suppress=True)
plt.rcParams.update(
    {"figure.dpi": 90, "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}
)

# %% [markdown]
# ## 1. The data
#
# MNIST: 70,000 handwritten digits, 28 x 28 grey-scale pixels (0 is paper, 255 is ink), split into
# 60,000 images to learn from and 10,000 to test on. `load_mnist()` returns exactly what Keras'
# `mnist.load_data()` returns, from a local verified copy.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_02", "locked": true, "schema_version": 3, "solution": false, "task": false}
(train_images, train_labels), (test_images, test_labels) = load_mnist()
print("train:", train_images.shape, train_images.dtype, "labels", train_labels.shape, train_labels.dtype)
print("test: ", test_images.shape, test_images.dtype, "labels", test_labels.shape, test_labels.dtype)
print("first labels:", train_labels[:12])

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_03", "locked": true, "schema_version": 3, "solution": false, "task": false}
plots.show_digits(train_images[:20], train_labels[:20], title="the first 20 training images")
plt.show()

# %% [markdown]
# ## 2. Features made by hand, or learned?
#
# Classic machine learning rarely feeds raw pixels to a classifier. A person first decides what is
# worth measuring (how much ink, how wide the digit is, whether it is symmetric) and the classifier
# works on those numbers. Choosing and computing them is **feature engineering**, and for decades it
# was most of the work.
#
# Deep learning hands that job to the network: its first layer turns pixels into 512 numbers of
# its own choosing, and training picks them to suit the task. That is **representation learning**.
# To see what it buys, let us first try the old way, with ten features a person might think of:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_04", "locked": true, "schema_version": 3, "solution": false, "task": false}
FEATURE_NAMES = [
    "ink",
    "width",
    "height",
    "left-right symmetry",
    "top-bottom symmetry",
    "ink in top half",
    "ink in left half",
    "centre column",
    "centre row",
    "ink in middle band",
]


def handmade_features(images):
    """Ten numbers per image that a person might measure on a digit, as float32 (N, 10)."""
    ink = images.astype(np.float32) / 255  # (N, 28, 28), 1 = full ink
    total = ink.sum(axis=(1, 2))
    columns, rows = ink.sum(axis=1), ink.sum(axis=2)  # ink profiles, (N, 28) each
    position = np.arange(28, dtype=np.float32)
    energy = (ink * ink).sum(axis=(1, 2))
    return np.stack(
        [
            total,
            (columns > 0.5).sum(axis=1),  # columns that hold some ink
            (rows > 0.5).sum(axis=1),
            (ink * ink[:, :, ::-1]).sum(axis=(1, 2)) / energy,  # 1 = a perfect mirror image
            (ink * ink[:, ::-1, :]).sum(axis=(1, 2)) / energy,
            ink[:, :14].sum(axis=(1, 2)) / total,
            ink[:, :, :14].sum(axis=(1, 2)) / total,
            (columns * position).sum(axis=1) / total,  # centre of mass
            (rows * position).sum(axis=1) / total,
            ink[:, 12:16].sum(axis=(1, 2)) / total,
        ],
        axis=1,
    ).astype(np.float32)


train_features = handmade_features(train_images)
test_features = handmade_features(test_images)
print("features of the first image (a 5):")
for name, value in zip(FEATURE_NAMES, train_features[0]):
    print(f"  {name:<20} {value:6.2f}")

# %% [markdown]
# Two of them, for three kinds of digit. A 1 is narrow and light; a 0 is wide; but the clouds overlap,
# and with ten digit classes they overlap far more.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_05", "locked": true, "schema_version": 3, "solution": false, "task": false}
fig, axis = plt.subplots(figsize=(5.5, 4))
for digit, colour in [(1, "C0"), (0, "C1"), (8, "C2")]:
    chosen = train_labels[:3000] == digit
    axis.scatter(
        train_features[:3000][chosen, 1],
        train_features[:3000][chosen, 0],
        s=6,
        alpha=0.5,
        color=colour,
        label=f"digit {digit}",
    )
axis.set_xlabel("width (columns with ink)")
axis.set_ylabel("ink (sum of pixels / 255)")
axis.legend()
plt.show()

# %% [markdown]
# A simple classifier on these features: standardise each one (subtract its mean, divide by its
# spread, so that no feature dominates by its units), compute the average feature vector of each
# digit class on the training set, and label a test image with the class whose average is closest.
# This is the *nearest centroid* classifier.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_06", "locked": true, "schema_version": 3, "solution": false, "task": false}
mean, spread = train_features.mean(axis=0), train_features.std(axis=0)
standard_train = (train_features - mean) / spread
standard_test = (test_features - mean) / spread
centroids = np.stack([standard_train[train_labels == digit].mean(axis=0) for digit in range(10)])
distances = ((standard_test[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)  # (10000, 10)
handmade_accuracy = np.mean(distances.argmin(axis=1) == test_labels)
print(f"hand-made features, nearest centroid: {handmade_accuracy:.1%} of the test digits right")

# %% [markdown]
# Far better than the 10% of guessing, and far from good. But is that the fault of the ten features,
# or of so simple a classifier? Give the same nearest-centroid rule the 784 raw pixels instead (in
# `[0, 1]`, not standardised: a corner pixel that is never inked has no spread to divide by). If the
# features were doing their job, the raw pixels should do worse.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_27", "locked": true, "schema_version": 3, "solution": false, "task": false}
pixel_centroids = np.stack([train_images[train_labels == digit].mean(axis=0) for digit in range(10)]) / 255
pixel_centroids = pixel_centroids.reshape(10, 784)  # the average image of each digit
pixels_test = test_images.reshape(10000, 784).astype(np.float32) / 255
# squared distances |x - c|^2 = |x|^2 - 2 x.c + |c|^2: no (10000, 10, 784) temporary
pixel_distances = (
    (pixels_test**2).sum(axis=1)[:, None]
    - 2 * pixels_test @ pixel_centroids.T
    + (pixel_centroids**2).sum(axis=1)[None, :]
)
raw_centroid_accuracy = np.mean(pixel_distances.argmin(axis=1) == test_labels)
print(f"raw pixels, nearest centroid: {raw_centroid_accuracy:.1%} of the test digits right")
assert 0.81 < raw_centroid_accuracy < 0.83

# %% [markdown]
# The ten centroids it compares every test image with, the average image of each digit:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_28", "locked": true, "schema_version": 3, "solution": false, "task": false}
plots.show_digits(pixel_centroids * 255, range(10), title="nearest centroid on raw pixels: the 10 class averages")
plt.show()

# %% [markdown]
# The pixels win by more than 25 points: the ten hand-made numbers threw away much of what tells a 4
# from a 9, so the 55.6% measures the features, not the classifier. Section 10 adds a second baseline
# on raw pixels, a *trained* linear classifier, so that at the end we can tell apart what better
# features buy and what a more powerful classifier buys. Instead of inventing more features, the
# network below learns its own from the raw pixels; at the end we will look at what it found.
#
# ## 3. Preparing the data, as the study note does it (with its bug)
#
# The network wants each image as one row of 784 numbers in `[0, 1]`, and each label as a one-hot
# row of 10. The study note this series follows (a Korean blog post, "[DeepLearning] 딥러닝의 특징",
# written while reading the Korean edition of *Deep Learning with Python*) prepares the images like this:
#
# ```python
# train_images = train_images.reshape((60000, 28 * 28))
# train_images = train_images.reshape('float32') / 255
# ```
#
# The first line is right: `reshape` changes the *shape*, keeping the 784 pixels of each image in
# row-major order. The second line is a typo for `astype`, and NumPy says so:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_07", "locked": true, "schema_version": 3, "solution": false, "task": false}
flat = train_images.reshape((60000, 28 * 28))
try:
    flat.reshape("float32") / 255  # the study note's line
except TypeError as error:
    print(f"TypeError: {error}")

# %% [markdown]
# `reshape` expects sizes, and a string is not one. What was meant is `astype('float32')`, which
# changes the *dtype*. The order matters too: dividing the uint8 array first would give float64
# (twice the memory of float32, for no gain), so convert, then divide. (The same note also imports from `kears`; Python would
# stop there with a `ModuleNotFoundError`.)

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_08", "locked": true, "schema_version": 3, "solution": false, "task": false}
x_train = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
x_test = test_images.reshape((10000, 28 * 28)).astype("float32") / 255
y_train = np.eye(10, dtype=np.float32)[train_labels]  # one-hot rows, as Keras' to_categorical
y_test = np.eye(10, dtype=np.float32)[test_labels]

print(
    "x_train:",
    x_train.shape,
    x_train.dtype,
    f"values in [{x_train.min()}, {x_train.max()}],",
    f"{x_train.nbytes / 2**20:.0f} MiB",
)
print("y_train:", y_train.shape, y_train.dtype)
print(f"label {train_labels[0]} -> {y_train[0]}")

# %% [markdown]
# The network, from input to output:
#
# $$x \xrightarrow{\;x W_1 + b_1\;} z_1 \xrightarrow{\;\mathrm{relu}\;} h \xrightarrow{\;h W_2 + b_2\;}
# \text{logits} \xrightarrow{\;\mathrm{softmax}\;} p \xrightarrow{\;\text{crossentropy with } y\;} L$$
#
# with $W_1$ of shape `(784, 512)`, $W_2$ of shape `(512, 10)`, and a bias per unit, $b_1$ of
# shape `(512,)` and $b_2$ of shape `(10,)`. Counted:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_29", "locked": true, "schema_version": 3, "solution": false, "task": false}
parameter_shapes = {"W1": (784, 512), "b1": (512,), "W2": (512, 10), "b2": (10,)}
for name, shape in parameter_shapes.items():
    print(f"{name}  {str(shape):<11} {int(np.prod(shape)):>8,}")
print(f"all four         {sum(int(np.prod(shape)) for shape in parameter_shapes.values()):>8,} numbers to learn")

# %% [markdown]
# ## 4. Starting weights: Glorot uniform
#
# Training starts from random weights: if every weight were equal, every hidden unit would compute
# the same thing and receive the same update, forever. *How* random matters too. A unit adds up
# `fan_in` inputs times weights; if the weights are too large the sums grow from layer to layer, too
# small and they shrink to nothing, and so do the gradients on the way back.
#
# Glorot and Bengio (2010) balance both directions by giving each weight the variance
# $2 / (\text{fan\_in} + \text{fan\_out})$. A uniform distribution on $[-l, l]$ has variance
# $l^2 / 3$, hence
#
# $$l = \sqrt{\frac{6}{\text{fan\_in} + \text{fan\_out}}}.$$
#
# This is Keras' default for `Dense` kernels; the biases start at zero.
#
# **Exercise: `glorot_uniform(fan_in, fan_out, rng)`.** Return a float32 matrix of shape
# `(fan_in, fan_out)` drawn from $U(-l, l)$ with the generator `rng` you are given, and nothing else.
# Using the generator you are passed (not `np.random.uniform`, the global one) is what makes a run
# repeatable: the same seed, the same network.

# %% nbgrader={"grade": false, "grade_id": "glorot_uniform", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def glorot_uniform(fan_in, fan_out, rng):
    """A float32 (fan_in, fan_out) matrix drawn from U(-l, l) with l = sqrt(6 / (fan_in + fan_out)).

    Draws only from `rng` (a np.random.Generator), so the same generator state gives the same weights.
    """
    ### BEGIN SOLUTION
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "glorot_uniform_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import mnist_mlp as q

q.glorot_uniform.check(glorot_uniform)
### BEGIN HIDDEN TESTS
import random

import numpy as np
from checks.hidden import HiddenTests, expect, expect_true
from checks.mnist_mlp import glorot_shape_verdict, uniform_verdict

tests = HiddenTests(points=2)
with tests.part("a float32 (fan_in, fan_out) matrix, uniform on [-l, l]", points=1, core=True):
    for fan_in, fan_out in [(1, 1), (2, 7), (7, 2), (784, 512), (512, 10)]:
        expect(
            f"a float32 ({fan_in}, {fan_out}) matrix inside [-l, l]",
            glorot_uniform,
            args=(fan_in, fan_out, np.random.default_rng(fan_in)),
            satisfies=glorot_shape_verdict(fan_in, fan_out),
        )
    expect(
        "a square 1000 x 1000 draw is uniform on [-l, l]",
        glorot_uniform,
        args=(1000, 1000, np.random.default_rng(11)),
        satisfies=uniform_verdict(1000, 1000),
    )
    expect(
        "a tall 3000 x 100 draw is uniform on [-l, l] (the limit uses fan_in + fan_out)",
        glorot_uniform,
        args=(3000, 100, np.random.default_rng(12)),
        satisfies=uniform_verdict(3000, 100),
    )
    expect(
        "a wide 100 x 3000 draw is uniform on [-l, l]",
        glorot_uniform,
        args=(100, 3000, np.random.default_rng(13)),
        satisfies=uniform_verdict(100, 3000),
    )
    small_rng = np.random.default_rng(14)
    small = np.concatenate([glorot_uniform(2, 3, small_rng).ravel() for _ in range(400)])
    small_limit = np.sqrt(6.0 / (2 + 3))
    expect_true(
        "2400 weights of (2, 3) draws reach both ends of [-l, l], l = sqrt(6 / (fan_in + fan_out))",
        small.max() > 0.98 * small_limit and small.min() < -0.98 * small_limit,
    )

with tests.part("drawn from the given generator and nothing else", points=1):
    first = glorot_uniform(30, 20, np.random.default_rng(2024))
    again = glorot_uniform(30, 20, np.random.default_rng(2024))
    expect_true("the same seed gives the same weights", np.array_equal(first, again))
    other = glorot_uniform(30, 20, np.random.default_rng(2025))
    expect_true("another seed gives other weights (draw from the given generator)", not np.array_equal(first, other))
    rng = np.random.default_rng(7)
    state = rng.bit_generator.state
    one = glorot_uniform(30, 20, rng)
    expect_true("drawing advances the given generator", rng.bit_generator.state != state)
    two = glorot_uniform(30, 20, rng)
    expect_true("two draws from one generator differ", not np.array_equal(one, two))
    np.random.seed(3)
    global_state = np.random.get_state()[1].copy()
    glorot_uniform(30, 20, np.random.default_rng(8))
    expect_true("the global np.random generator is left alone", np.array_equal(np.random.get_state()[1], global_state))
    np.random.seed(4)
    after_other_global_seed = glorot_uniform(30, 20, np.random.default_rng(2024))
    expect_true(
        "the result does not depend on the global np.random state", np.array_equal(after_other_global_seed, first)
    )
    random.seed(5)
    python_state = random.getstate()
    glorot_uniform(30, 20, np.random.default_rng(9))
    expect_true("Python's random module is left alone", random.getstate() == python_state)
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.glorot_uniform.hint()` gives a nudge (call it again for a more specific one), and
# `q.glorot_uniform.solution()` shows a worked answer.

# %%

# %% [markdown]
# The first layer's 401,408 starting weights, flat between $-l$ and $l$:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_09", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(0)
W1_start = glorot_uniform(784, 512, rng)
limit = np.sqrt(6 / (784 + 512))
fig, axis = plt.subplots(figsize=(6, 2.8))
axis.hist(W1_start.ravel(), bins=60, color="C0")
axis.axvline(-limit, color="k", ls="--")
axis.axvline(limit, color="k", ls="--")
axis.set_title(f"glorot_uniform(784, 512): l = sqrt(6 / 1296) = {limit:.4f}")
plt.show()

# %% [markdown]
# ## 5. The dense layer, forward and backward
#
# A `Dense` layer computes `x @ W + b` for a whole batch at once: `x` has one row per sample,
# `W` one column per unit, and the bias `b` (one number per unit) is added to every row.
#
# **Exercise: `dense_forward(x, W, b)`.** Return `x @ W + b`.

# %% nbgrader={"grade": false, "grade_id": "dense_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def dense_forward(x, W, b):
    """The Dense layer on a batch: x (N, inputs) @ W (inputs, units) + b (units,) -> (N, units)."""
    ### BEGIN SOLUTION
    return x @ W + b
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "dense_forward_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import mnist_mlp as q

q.dense_forward.check(dense_forward)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect

rng = np.random.default_rng(40)
x, W, b = rng.normal(size=(6, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
tests = HiddenTests(points=1)
with tests.part("x @ W + b for any batch and layer size, float32 too", points=1):
    expect("6 samples, 3 inputs -> 5 units", dense_forward, args=(x, W, b), expected=x @ W + b)
    expect("one sample (a 1 x 3 batch)", dense_forward, args=(x[:1], W, b), expected=x[:1] @ W + b)
    expect("a single output unit", dense_forward, args=(x, W[:, :1], b[:1]), expected=x @ W[:, :1] + b[:1])
    expect("a zero bias", dense_forward, args=(x, W, np.zeros(5)), expected=x @ W)
    expect(
        "zero weights give the bias on every row",
        dense_forward,
        args=(x, np.zeros((3, 5)), b),
        expected=np.tile(b, (6, 1)),
    )
    xs, Ws, bs = x.astype(np.float32), W.astype(np.float32), b.astype(np.float32)
    expect(
        "float32 arrays",
        dense_forward,
        args=(xs, Ws, bs),
        expected=(xs @ Ws + bs).astype(np.float64),
        rtol=1e-5,
        atol=1e-6,
    )
    big_x, big_W, big_b = rng.random((200, 784)), rng.normal(size=(784, 16)) * 0.05, rng.normal(size=16)
    expect(
        "a batch of 200 images -> 16 units", dense_forward, args=(big_x, big_W, big_b), expected=big_x @ big_W + big_b
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.dense_forward.hint()` and `q.dense_forward.solution()` are there.

# %%

# %% [markdown]
# ### The backward pass
#
# Training needs, for every weight, how much the loss $L$ changes when that weight changes. The
# **backward pass** gets these by the chain rule, layer by layer from the loss back to the input.
# Each layer receives `grad_out`, the gradient of the loss with respect to its *output*, and returns
# the gradients with respect to its *inputs*: `x` (to pass further back) and its parameters `W` and `b`
# (for the optimizer).
#
# For `out = x @ W + b`, element by element $\text{out}_{nj} = \sum_i x_{ni} W_{ij} + b_j$, so
#
# $$\frac{\partial L}{\partial W_{ij}} = \sum_n x_{ni}\,\text{grad\_out}_{nj},\qquad
# \frac{\partial L}{\partial x_{ni}} = \sum_j \text{grad\_out}_{nj}\,W_{ij},\qquad
# \frac{\partial L}{\partial b_j} = \sum_n \text{grad\_out}_{nj}.$$
#
# As matrix products: `grad_W = x.T @ grad_out`, `grad_x = grad_out @ W.T`, and `grad_b` sums
# `grad_out` over the batch, because the same `b` was added to every sample. A handy rule: each
# gradient has the shape of the thing it is the gradient of, and that alone tells you where the
# transposes go.
#
# **Exercise: `dense_backward(grad_out, x, W)`.** Return the tuple `(grad_x, grad_W, grad_b)`.

# %% nbgrader={"grade": false, "grade_id": "dense_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def dense_backward(grad_out, x, W):
    """Gradients for dense_forward(x, W, b), given grad_out = dL/d(output) of shape (N, units).

    Returns (grad_x, grad_W, grad_b), shaped like x (N, inputs), W (inputs, units) and b (units,).
    """
    ### BEGIN SOLUTION
    grad_x = grad_out @ W.T
    grad_W = x.T @ grad_out
    grad_b = grad_out.sum(axis=0)
    return grad_x, grad_W, grad_b
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "dense_backward_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import mnist_mlp as q

q.dense_backward.check(dense_backward)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect
from checks.mnist_mlp import central_differences, same_arrays

rng = np.random.default_rng(41)
tests = HiddenTests(points=2)
with tests.part("grad_x = g @ W.T, grad_W = x.T @ g, grad_b = the column sums of g", points=1):
    for n, inputs, units in [(7, 3, 4), (1, 5, 2), (4, 4, 4), (12, 2, 9)]:
        g, x, W = rng.normal(size=(n, units)), rng.normal(size=(n, inputs)), rng.normal(size=(inputs, units))
        expected = (g @ W.T, x.T @ g, g.sum(axis=0))
        expect(
            f"{n} samples, {inputs} inputs -> {units} units",
            dense_backward,
            args=(g, x, W),
            satisfies=same_arrays(expected).named("grad_x", "grad_W", "grad_b"),
        )
    g, x, W = (
        rng.normal(size=(5, 4)).astype(np.float32),
        rng.normal(size=(5, 3)).astype(np.float32),
        rng.normal(size=(3, 4)).astype(np.float32),
    )
    expect(
        "float32 arrays",
        dense_backward,
        args=(g, x, W),
        satisfies=same_arrays((g @ W.T, x.T @ g, g.sum(axis=0)), rtol=1e-5, atol=1e-6).named(
            "grad_x", "grad_W", "grad_b"
        ),
    )
with tests.part("they are the gradients: finite differences agree", points=1):
    # the meaning: central differences of L = sum(grad_out * (x @ W + b)), in float64
    g, x, W, b = rng.normal(size=(6, 3)), rng.normal(size=(6, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    total = lambda: np.sum(g * (x @ W + b))
    numeric = (central_differences(total, x), central_differences(total, W), central_differences(total, b))
    expect(
        "agrees with finite differences of sum(grad_out * dense_forward(x, W, b))",
        dense_backward,
        args=(g, x, W),
        satisfies=same_arrays(numeric, rtol=1e-5, atol=1e-6).named("grad_x", "grad_W", "grad_b"),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.dense_backward.hint()` and `q.dense_backward.solution()` are there.

# %%

# %% [markdown]
# ### Checking a gradient numerically
#
# A backward pass can be wrong and still produce arrays of the right shapes, and a network trained
# with a slightly wrong gradient often still learns, just worse, so the mistake hides. The cure is
# the **gradient check**: nudge one input by a tiny $h$ both ways and look at how the loss moves,
#
# $$\frac{\partial L}{\partial w} \approx \frac{L(w + h) - L(w - h)}{2h},$$
#
# then compare with the backward pass through the relative error, computed entry by entry and
# then the largest one kept: $\max_i |a_i - n_i| / \max(|a_i| + |n_i|, 10^{-8})$. We do it in float64, where a correct gradient gives
# errors around $10^{-9}$ or smaller and a wrong one gives something near 1. (In float32 the
# differences drown in rounding: always check in float64.)

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_10", "locked": true, "schema_version": 3, "solution": false, "task": false}
def numerical_gradient(f, x, h=1e-5):
    """Central differences of the scalar f() with respect to every entry of the array x.

    f must read x; each entry is nudged in place and put back.
    """
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


def relative_error(analytic, numeric):
    return float(np.max(np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-8)))


def gradient_check(name, analytic, numeric, tolerance=1e-6):
    """Print the relative error rounded up to a power of ten, and stop if it is too large."""
    error = relative_error(analytic, numeric)
    shown = "0" if error == 0 else f"< 1e{int(np.floor(np.log10(error))) + 1}"
    print(f"{name:<10} relative error {shown}")
    assert error < tolerance, f"{name}: the analytic and numerical gradients disagree (relative error {error:.2g})"


# %% [markdown]
# Now the dense layer. A random `G` plays the part of `grad_out`: with the loss
# $L = \sum G \odot \text{dense\_forward}(x, W, b)$, the gradient of $L$ with respect to the output is
# exactly `G`.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_11", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(1)
x = rng.normal(size=(5, 4))  # 5 samples, 4 inputs, 3 units: no two sizes equal,
W = rng.normal(size=(4, 3))  # so a misplaced transpose cannot hide
b = rng.normal(size=3)
G = rng.normal(size=(5, 3))
loss = lambda: np.sum(G * dense_forward(x, W, b))

grad_x, grad_W, grad_b = dense_backward(G, x, W)
gradient_check("grad_x", grad_x, numerical_gradient(loss, x))
gradient_check("grad_W", grad_W, numerical_gradient(loss, W))
gradient_check("grad_b", grad_b, numerical_gradient(loss, b))


# %% [markdown]
# ## 6. ReLU and its gradient
#
# `relu(z) = max(z, 0)` (notebook 02) has slope 1 where $z > 0$ and 0 where $z < 0$. At exactly
# $z = 0$ it has a kink and no slope at all; frameworks pick one, and Keras (like TensorFlow) picks
# 0. Through the chain rule, the backward pass lets the upstream gradient through where the unit was
# active and blocks it elsewhere:
#
# $$\frac{\partial L}{\partial z} = \frac{\partial L}{\partial h} \cdot [z > 0].$$

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_12", "locked": true, "schema_version": 3, "solution": false, "task": false}
def relu(z):
    return np.maximum(z, 0)


# %% [markdown]
# **Exercise: `relu_backward(grad_out, x)`.** `x` is the pre-activation (what went *into* relu).
# Return `grad_out` where `x > 0`, and 0 where `x <= 0`, for arrays of any shape, as a new array.

# %% nbgrader={"grade": false, "grade_id": "relu_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def relu_backward(grad_out, x):
    """Gradient through relu at pre-activation x: grad_out where x > 0, 0 where x <= 0 (a new array)."""
    ### BEGIN SOLUTION
    return grad_out * (x > 0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "relu_backward_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import mnist_mlp as q

q.relu_backward.check(relu_backward)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect, expect_true

rng = np.random.default_rng(42)
g, z = rng.normal(size=(6, 5)), rng.normal(size=(6, 5))
tests = HiddenTests(points=1)
with tests.part("grad_out where z > 0, 0 elsewhere (at 0 and -0.0 too)", points=0.75):
    expect("a 6 x 5 batch", relu_backward, args=(g, z), expected=np.where(z > 0, g, 0.0))
    expect(
        "exactly 0 blocks the gradient (as Keras)",
        relu_backward,
        args=(np.array([2.0, -3.0, 4.0]), np.array([0.0, 0.0, 0.0])),
        expected=np.zeros(3),
    )
    expect("-0.0 blocks it too", relu_backward, args=(np.array([1.5]), np.array([-0.0])), expected=np.zeros(1))
    expect(
        "negative upstream gradients pass where the unit is active",
        relu_backward,
        args=(np.array([-2.0, -3.0, 5.0, -1.0]), np.array([1.0, 2.0, -1.0, 1e-12])),
        expected=np.array([-2.0, -3.0, 0.0, -1.0]),
    )
    expect(
        "tiny positive and negative pre-activations",
        relu_backward,
        args=(np.array([1.0, 1.0, 1.0, 1.0]), np.array([1e-30, -1e-30, 1e30, -1e30])),
        expected=np.array([1.0, 0.0, 1.0, 0.0]),
    )
    cube_g, cube_z = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))
    expect("a 3-D tensor", relu_backward, args=(cube_g, cube_z), expected=np.where(cube_z > 0, cube_g, 0.0))
    expect("a vector", relu_backward, args=(g[0], z[0]), expected=np.where(z[0] > 0, g[0], 0.0))
    g32, z32 = g.astype(np.float32), z.astype(np.float32)
    expect("float32 arrays", relu_backward, args=(g32, z32), expected=np.where(z32 > 0, g32, 0).astype(np.float64))
with tests.part("a new array, even when every unit is active", points=0.25):
    g_all, z_all = rng.normal(size=(3, 4)), rng.random((3, 4)) + 0.1
    expect(
        "every unit active: the upstream gradient passes unchanged", relu_backward, args=(g_all, z_all), expected=g_all
    )
    out_all = relu_backward(g_all, z_all)
    expect_true(
        "returns a new array, not grad_out itself, even when every unit is active",
        isinstance(out_all, np.ndarray) and not np.shares_memory(out_all, g_all),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.relu_backward.hint()` and `q.relu_backward.solution()` are there.

# %%

# %% [markdown]
# The gradient check, at points safely away from the kink:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_13", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(2)
z = rng.normal(size=(4, 6))
z[np.abs(z) < 0.01] = 0.5  # a finite difference across the kink would be meaningless
G = rng.normal(size=(4, 6))
gradient_check("relu", relu_backward(G, z), numerical_gradient(lambda: np.sum(G * relu(z)), z))

# %% [markdown]
# And why "away from the kink": at $z = 0$ the central difference averages the two slopes,
# $(\max(h, 0) - \max(-h, 0)) / 2h = 0.5$, a value the true function never has.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_14", "locked": true, "schema_version": 3, "solution": false, "task": false}
z0 = np.zeros(1)
print("numerical slope of relu at 0:", numerical_gradient(lambda: relu(z0).sum(), z0))


# %% [markdown]
# ## 7. Softmax and crossentropy, together
#
# The output layer turns logits into probabilities with softmax (notebook 02), and the loss is the
# categorical crossentropy averaged over the batch (notebook 03). Keras 3's NumPy, JAX and PyTorch
# backends clip the probabilities to $[10^{-7}, 1 - 10^{-7}]$, so that a confident mistake costs a
# large but finite loss, and `crossentropy` below does the same; its TensorFlow backend computes the
# loss from the logits instead (notebook 03, section 3).

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_15", "locked": true, "schema_version": 3, "solution": false, "task": false}
def softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)  # the stable way: exp never overflows
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def crossentropy(y_onehot, probs):
    """Mean categorical crossentropy, probabilities clipped as Keras 3's NumPy backend does."""
    clipped = np.clip(probs, 1e-7, 1 - 1e-7)
    return float(-np.sum(y_onehot * np.log(clipped)) / len(probs))


# %% [markdown]
# Each step on its own has an awkward derivative: softmax's is a matrix per sample, and
# $\partial(-\log p)/\partial p = -1/p$ explodes for small $p$. Their product collapses into
# something very simple. For one sample with true class $c$, $L = -\log p_c$ with
# $p_c = e^{z_c} / \sum_k e^{z_k}$, so $L = -z_c + \log \sum_k e^{z_k}$ and
#
# $$\frac{\partial L}{\partial z_j} = -[j = c] + \frac{e^{z_j}}{\sum_k e^{z_k}} = p_j - y_j.$$
#
# The prediction minus the truth: large when the network is confidently wrong, near zero when it is
# right. For the batch loss, a mean over $N$ samples, every row is divided by $N$.
#
# **Exercise: `softmax_crossentropy_grad(probs, y_onehot)`.** Return the gradient of the mean
# crossentropy with respect to the logits, `(probs - y_onehot) / N`, without changing `probs`.

# %% nbgrader={"grade": false, "grade_id": "softmax_crossentropy_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def softmax_crossentropy_grad(probs, y_onehot):
    """d(mean categorical crossentropy)/d(logits), given softmax outputs probs (N, C): (probs - y_onehot) / N."""
    ### BEGIN SOLUTION
    return (probs - y_onehot) / probs.shape[0]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "softmax_crossentropy_grad_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import mnist_mlp as q

q.softmax_crossentropy_grad.check(softmax_crossentropy_grad)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect
from checks.mnist_mlp import central_differences
from answer_key.mnist_mlp import softmax_rows

rng = np.random.default_rng(43)
tests = HiddenTests(points=1)
with tests.part("(p - y) / N for any batch and number of classes", points=0.5):
    for n, c in [(3, 7), (8, 2), (5, 5), (1, 4), (128, 10)]:
        p, y = softmax_rows(rng.normal(size=(n, c))), np.eye(c)[rng.integers(0, c, size=n)]
        expect(f"{n} samples, {c} classes", softmax_crossentropy_grad, args=(p, y), expected=(p - y) / n)
    p, y = softmax_rows(rng.normal(size=(6, 10))).astype(np.float32), np.eye(10, dtype=np.float32)[[1, 0, 9, 4, 4, 7]]
    expect(
        "float32 arrays", softmax_crossentropy_grad, args=(p, y), expected=((p - y) / 6).astype(np.float64), atol=1e-8
    )
    p = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    expect(
        "perfect predictions give a zero gradient",
        softmax_crossentropy_grad,
        args=(p, p.copy()),
        expected=np.zeros((2, 3)),
    )
with tests.part("it is the gradient: finite differences agree", points=0.5):
    # the meaning: finite differences of the mean crossentropy of softmax(z) with respect to z
    z, y = rng.normal(size=(4, 6)), np.eye(6)[[2, 5, 0, 2]]
    numeric = central_differences(lambda: -np.sum(y * np.log(softmax_rows(z))) / 4, z)
    expect(
        "agrees with finite differences of the mean crossentropy",
        softmax_crossentropy_grad,
        args=(softmax_rows(z), y),
        expected=numeric,
        rtol=1e-5,
        atol=1e-8,
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.softmax_crossentropy_grad.hint()` and `q.softmax_crossentropy_grad.solution()` are there.

# %%

# %% [markdown]
# The check, straight from the logits through `softmax` and `crossentropy`:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_16", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(3)
logits = rng.normal(size=(5, 10))
y = np.eye(10)[[3, 1, 4, 1, 5]]
gradient_check(
    "logits",
    softmax_crossentropy_grad(softmax(logits), y),
    numerical_gradient(lambda: crossentropy(y, softmax(logits)), logits),
)


# %% [markdown]
# **Which gradient, for which Keras?** `(probs - y) / N` is the exact gradient of the crossentropy
# *without* the clip, computed from the logits: what Keras 3's TensorFlow backend differentiates. The
# NumPy, JAX and PyTorch backends differentiate the clipped loss, and a clip passes no gradient where
# it is active, so there a sample whose true class got less than $10^{-7}$ (or more than
# $1 - 10^{-7}$) contributes nothing; notebook 05 builds that masked gradient. Both are right for
# their backend, and they agree on every sample the clip leaves alone, as on the logits of the check
# above. The unclipped one is the better engineering: it never hides a confident mistake.

# %% [markdown]
# ## 8. The whole network, forward and backward
#
# The pieces compose. The forward pass goes left to right and keeps what the backward pass will
# need (`x`, `z1`, `h`); the backward pass goes right to left, each step consuming the gradient the
# previous one produced:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_17", "locked": true, "schema_version": 3, "solution": false, "task": false}
def forward_backward(params, x, y_onehot):
    """Loss, probabilities and the gradient of every parameter on one batch, built from your functions."""
    z1 = dense_forward(x, params["W1"], params["b1"])
    h = relu(z1)
    probs = softmax(dense_forward(h, params["W2"], params["b2"]))
    loss = crossentropy(y_onehot, probs)

    d_logits = softmax_crossentropy_grad(probs, y_onehot)
    d_h, grad_W2, grad_b2 = dense_backward(d_logits, h, params["W2"])
    d_z1 = relu_backward(d_h, z1)
    _, grad_W1, grad_b1 = dense_backward(d_z1, x, params["W1"])
    return loss, probs, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}


# %% [markdown]
# One gradient check for all 4 parameter arrays of a small network (6 inputs, 5 hidden units,
# 3 classes, in float64). If this passes, the pieces fit together.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_18", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(4)
tiny = {
    "W1": rng.normal(size=(6, 5)),
    "b1": rng.normal(size=5) * 0.1,
    "W2": rng.normal(size=(5, 3)),
    "b2": rng.normal(size=3) * 0.1,
}
x_tiny, y_tiny = rng.normal(size=(4, 6)), np.eye(3)[[0, 2, 1, 2]]
_, _, grads = forward_backward(tiny, x_tiny, y_tiny)
for name in ["W1", "b1", "W2", "b2"]:
    numeric = numerical_gradient(lambda: forward_backward(tiny, x_tiny, y_tiny)[0], tiny[name])
    gradient_check(name, grads[name], numeric)

# %% [markdown]
# ## 9. RMSprop
#
# Plain **stochastic gradient descent** moves every weight by `lr * grad`. One learning rate has to
# suit every weight, and the gradients of different weights can differ by orders of magnitude: a
# pixel in the corner of the image is almost never inked, so its weights get tiny gradients and
# barely move, while the weights of busy central pixels get large ones and risk overshooting.
#
# **RMSprop** gives every weight its own scale. It keeps a running mean of each weight's squared
# gradient (the `cache`) and divides the step by its square root, the gradient's recent
# root-mean-square; so each weight moves by roughly `lr` per step, whatever the size of its gradient:
#
# $$\text{cache}' = \rho\,\text{cache} + (1 - \rho)\,\text{grad}^2, \qquad
# \text{param}' = \text{param} - \text{lr}\,\frac{\text{grad}}{\sqrt{\text{cache}' + \epsilon}}.$$
#
# This is exactly Keras 3's RMSprop, with its defaults `lr = 0.001`, `rho = 0.9`, `eps = 1e-7`. Two
# details matter. The step uses the cache *after* this gradient went into it (on the very first
# step, with the cache at zero, dividing by the old cache would divide by nearly nothing). And
# $\epsilon$ sits *inside* the square root. Keras 2, which the study note ran, put it outside,
# $\sqrt{\text{cache}'} + \epsilon$, as PyTorch does; for gradients around $10^{-6}$ the two give very
# different steps (the cell after the exercise computes them).
#
# **Exercise: `rmsprop_update(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7)`.** Return
# `(new_param, new_cache)` as new arrays; leave `param` and `cache` unchanged.

# %% nbgrader={"grade": false, "grade_id": "rmsprop_update", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def rmsprop_update(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """One RMSprop step as Keras 3: returns (new_param, new_cache); the inputs are left unchanged.

    cache' = rho * cache + (1 - rho) * grad**2, then param' = param - lr * grad / sqrt(cache' + eps).
    """
    ### BEGIN SOLUTION
    new_cache = rho * cache + (1 - rho) * grad**2
    new_param = param - lr * grad / np.sqrt(new_cache + eps)
    return new_param, new_cache
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "rmsprop_update_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import mnist_mlp as q

q.rmsprop_update.check(rmsprop_update)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect, expect_true
from checks.mnist_mlp import same_arrays
from answer_key.mnist_mlp import keras_rmsprop

rng = np.random.default_rng(44)
param, grad, cache = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.random((4, 3))
tests = HiddenTests(points=2)
with tests.part("one Keras RMSprop step with the defaults: the new cache first, eps inside the root", points=1):
    expect(
        "a 4 x 3 step with the defaults",
        rmsprop_update,
        args=(param, grad, cache),
        satisfies=same_arrays(keras_rmsprop(param, grad, cache)).named("new_param", "new_cache"),
    )
    expect(
        "the first step (cache 0): the new cache is used, not the old one",
        rmsprop_update,
        args=(param, grad, np.zeros((4, 3))),
        satisfies=same_arrays(keras_rmsprop(param, grad, np.zeros((4, 3)))).named("new_param", "new_cache"),
    )
    tiny = np.array([[1e-6, -3e-6], [5e-7, 0.0]])
    expect(
        "tiny gradients: eps sits inside the square root",
        rmsprop_update,
        args=(np.ones((2, 2)), tiny, np.zeros((2, 2))),
        satisfies=same_arrays(keras_rmsprop(np.ones((2, 2)), tiny, np.zeros((2, 2))), rtol=1e-6, atol=1e-12).named(
            "new_param", "new_cache"
        ),
    )
    expect(
        "tiny gradients with a tiny cache",
        rmsprop_update,
        args=(np.zeros(3), np.array([2e-5, -1e-5, 1e-4]), np.full(3, 1e-9)),
        satisfies=same_arrays(
            keras_rmsprop(np.zeros(3), np.array([2e-5, -1e-5, 1e-4]), np.full(3, 1e-9)), rtol=1e-6, atol=1e-12
        ).named("new_param", "new_cache"),
    )
    expect(
        "a zero gradient leaves the parameter and decays the cache",
        rmsprop_update,
        args=(param, np.zeros((4, 3)), cache),
        satisfies=same_arrays((param, 0.9 * cache)).named("new_param", "new_cache"),
    )
    cube = [rng.normal(size=(2, 3, 2)).astype(np.float32) for _ in range(2)] + [
        rng.random((2, 3, 2)).astype(np.float32)
    ]
    expect(
        "float32 3-D arrays",
        rmsprop_update,
        args=tuple(cube),
        satisfies=same_arrays(keras_rmsprop(*[c.astype(np.float64) for c in cube]), rtol=1e-5, atol=1e-7).named(
            "new_param", "new_cache"
        ),
    )
    big = np.array([[10.0, -50.0], [3.0, 0.5]])
    expect(
        "large gradients are used as they are (no clipping)",
        rmsprop_update,
        args=(np.ones((2, 2)), big, np.zeros((2, 2))),
        satisfies=same_arrays(keras_rmsprop(np.ones((2, 2)), big, np.zeros((2, 2)))).named("new_param", "new_cache"),
    )
with tests.part("lr, rho and eps, by keyword and by position", points=0.5):
    expect(
        "lr, rho and eps given by keyword",
        rmsprop_update,
        args=(param, grad, cache),
        kwargs=dict(lr=0.05, rho=0.5, eps=1e-2),
        satisfies=same_arrays(keras_rmsprop(param, grad, cache, 0.05, 0.5, 1e-2)).named("new_param", "new_cache"),
    )
    expect(
        "lr, rho and eps given by position",
        rmsprop_update,
        args=(param, grad, cache, 0.02, 0.75, 1e-3),
        satisfies=same_arrays(keras_rmsprop(param, grad, cache, 0.02, 0.75, 1e-3)).named("new_param", "new_cache"),
    )
with tests.part("three steps in a row, each fed the last one's results", points=0.5):
    p, c, p_ref, c_ref = param.copy(), np.zeros((4, 3)), param.copy(), np.zeros((4, 3))
    for step in range(3):
        g = rng.normal(size=(4, 3))
        p, c = rmsprop_update(p, g, c)
        p_ref, c_ref = keras_rmsprop(p_ref, g, c_ref)
    expect_true(
        "three steps in a row",
        np.allclose(p, p_ref, rtol=1e-5, atol=1e-7) and np.allclose(c, c_ref, rtol=1e-5, atol=1e-7),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.rmsprop_update.hint()` and `q.rmsprop_update.solution()` are there.

# %%

# %% [markdown]
# The first step of each rule (cache at 0), for a tiny, a small and a large gradient. Inside the
# root, $\epsilon = 10^{-7}$ outweighs a squared gradient of $10^{-13}$ and damps the tiny one; outside,
# the tiny gradient is divided by almost nothing and takes a step nearly as large as the others'.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_30", "locked": true, "schema_version": 3, "solution": false, "task": false}
grad = np.array([1e-6, 1e-3, 1.0])
cache = np.zeros(3)
keras3_step = -rmsprop_update(np.zeros(3), grad, cache)[0]  # your rule: eps inside the root
first_cache = 0.9 * cache + 0.1 * grad**2
outside_step = 0.001 * grad / (np.sqrt(first_cache) + 1e-7)  # Keras 2, PyTorch
for g, inside, outside in zip(grad, keras3_step, outside_step):
    print(f"grad {g:7.0e}: step {inside:.2e} with eps inside the root (Keras 3), {outside:.2e} outside (Keras 2)")


# %% [markdown]
# ### RMSprop against plain SGD: compare learning rates, not only optimizers
#
# The same network from the same starting weights, one pass over the first 10,000 training images
# in batches of 128. SGD at Keras' default `lr = 0.01` against RMSprop at its default `lr = 0.001`
# would compare two learning rates as much as two optimizers, so SGD gets a sweep of rates. Each
# step calls your `forward_backward` and an update rule.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_19", "locked": true, "schema_version": 3, "solution": false, "task": false}
def one_epoch(update, x, y, hidden=512, batch_size=128, seed=0):
    """Train from Glorot-uniform weights for one pass over x; return the loss of every batch."""
    rng = np.random.default_rng(seed)
    params = {
        "W1": glorot_uniform(x.shape[1], hidden, rng),
        "b1": np.zeros(hidden, np.float32),
        "W2": glorot_uniform(hidden, y.shape[1], rng),
        "b2": np.zeros(y.shape[1], np.float32),
    }
    state = {name: np.zeros_like(value) for name, value in params.items()}
    losses = []
    for start in range(0, len(x), batch_size):
        loss, _, grads = forward_backward(params, x[start : start + batch_size], y[start : start + batch_size])
        for name in params:
            params[name], state[name] = update(params[name], grads[name], state[name])
        losses.append(loss)
    return np.array(losses)


def sgd_update(param, grad, state, lr=0.01):
    return param - lr * grad, state


sgd_rates = [0.01, 0.1, 0.3, 1.0]
sgd_losses = {
    lr: one_epoch(lambda p, g, s, lr=lr: sgd_update(p, g, s, lr), x_train[:10000], y_train[:10000]) for lr in sgd_rates
}
rmsprop_losses = one_epoch(rmsprop_update, x_train[:10000], y_train[:10000])

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_31", "locked": true, "schema_version": 3, "solution": false, "task": false}
fig, axis = plt.subplots(figsize=(7, 3.5))
for lr, losses in sgd_losses.items():
    axis.plot(losses, lw=1, label=f"SGD, lr = {lr}")
axis.plot(rmsprop_losses, "k", lw=2, label="RMSprop, lr = 0.001")
axis.set_xlabel("batch (128 images each)")
axis.set_ylabel("crossentropy of the batch")
axis.set_title("one epoch on 10,000 images, same start")
axis.legend()
plt.show()

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_32", "locked": true, "schema_version": 3, "solution": false, "task": false}
last_ten = {f"SGD     lr = {lr}": losses[-10:].mean() for lr, losses in sgd_losses.items()}
last_ten["RMSprop lr = 0.001"] = rmsprop_losses[-10:].mean()
for name, value in last_ten.items():
    print(f"{name:<20} mean loss over the last 10 batches {value:.2f}")
sgd_finals = [losses[-10:].mean() for losses in sgd_losses.values()]
assert all(a > b for a, b in zip(sgd_finals, sgd_finals[1:]))  # every faster rate did better


# %% [markdown]
# At Keras' default rate SGD is simply slow. Raise the rate and it catches up: up to 1.0 it does not
# overshoot on this network, and at `lr = 1.0` it ends the epoch level with RMSprop. So the first
# plot of an optimizer comparison is a learning-rate sweep; without it, "RMSprop is faster" may only
# mean "RMSprop's default rate suits this problem better".
#
# Where per-weight step sizes really win is an **ill-conditioned** loss: one that is steep in some
# directions and shallow in others. The bowl $f(w) = (w_0^2 + 100\,w_1^2) / 2$ is 100 times steeper
# along $w_1$. SGD's rate is capped by the steep direction (above $2 / 100$ the steps along $w_1$
# grow instead of shrinking), and at that rate the shallow direction crawls. RMSprop divides each
# coordinate's step by the size of its own gradients, so both directions move at a similar pace.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_33", "locked": true, "schema_version": 3, "solution": false, "task": false}
def bowl_gradient(w):
    """Gradient of f(w) = (w0**2 + 100 * w1**2) / 2."""
    return np.array([w[0], 100 * w[1]])


def trajectory(update, steps=60, start=(-9.0, 0.9)):
    """The points an update rule visits on the bowl, from start."""
    w, state = np.array(start), np.zeros(2)
    path = [w]
    for _ in range(steps):
        w, state = update(w, bowl_gradient(w), state)
        path.append(w)
    return np.array(path)


paths = {
    "SGD, lr = 0.019 (just below 2 / 100)": trajectory(lambda w, g, s: sgd_update(w, g, s, lr=0.019)),
    "RMSprop, lr = 0.3": trajectory(lambda w, g, s: rmsprop_update(w, g, s, lr=0.3)),
}
too_fast = trajectory(lambda w, g, s: sgd_update(w, g, s, lr=0.021), steps=60)
for name, path in paths.items():
    print(f"{name:<38} after 60 steps: w = ({path[-1, 0]:6.2f}, {path[-1, 1]:5.2f})")
print(f"{'SGD, lr = 0.021 (just above)':<38} after 60 steps: |w1| = {abs(too_fast[-1, 1]):.0f}, growing")

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_34", "locked": true, "schema_version": 3, "solution": false, "task": false}
w0, w1 = np.meshgrid(np.linspace(-10, 2, 200), np.linspace(-1.2, 1.2, 200))
fig, axis = plt.subplots(figsize=(8, 3.4))
axis.contour(w0, w1, 0.5 * (w0**2 + 100 * w1**2), levels=np.geomspace(0.05, 80, 12), colors="grey", linewidths=0.6)
for (name, path), colour in zip(paths.items(), ["C0", "C3"]):
    axis.plot(path[:, 0], path[:, 1], "o-", ms=2.5, lw=1, color=colour, label=name)
axis.plot(0, 0, "k*", ms=10)
axis.set_xlabel("$w_0$ (shallow)")
axis.set_ylabel("$w_1$ (steep)")
axis.set_title("60 steps on an ill-conditioned bowl, from (-9, 0.9)")
axis.legend(loc="upper right", fontsize=9)
plt.show()

# %% [markdown]
# SGD zig-zags across the steep direction and is still far from the minimum along the shallow one;
# RMSprop heads for the minimum and reaches it along $w_0$, then hovers around it across $w_1$
# (its steps stay about `lr` long however small the gradient gets, which is why real training
# lowers the rate late or lives with the jitter). Networks have millions of directions of very
# different steepness, such as the weights of rarely inked border pixels against those of the busy
# centre: that, and not the choice of one rate, is why adaptive optimizers (RMSprop, Adam) are the
# usual default.

# %% [markdown]
# ## 10. Accuracy
#
# The loss is what the optimizer minimizes; accuracy is what we care about and report. The network
# predicts the class with the highest probability, and accuracy is the fraction of samples where
# that prediction equals the label. Keras calls this a *metric*: watched during training, never
# differentiated.
#
# **Exercise: `accuracy(probs, labels)`.** `probs` has one row of class probabilities per sample,
# `labels` holds *integer* labels (like `test_labels`, not the one-hot `y_test`). Return the
# fraction of rows whose `argmax` equals the label, as a float.

# %% nbgrader={"grade": false, "grade_id": "accuracy", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def accuracy(probs, labels):
    """Fraction of rows of probs (N, C) whose argmax equals the integer label in labels (N,)."""
    ### BEGIN SOLUTION
    return float(np.mean(np.argmax(probs, axis=1) == labels))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "accuracy_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import mnist_mlp as q

q.accuracy.check(accuracy)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect

rng = np.random.default_rng(45)
probs = rng.dirichlet(np.ones(10), size=200)
labels = rng.integers(0, 10, size=200)
labels[:120] = probs[:120].argmax(axis=1)  # 120 right, plus the lucky ones
expected = float(np.mean(probs.argmax(axis=1) == labels))
tests = HiddenTests(points=1)
with tests.part("the share of rows whose argmax is the label", points=1):
    expect("200 samples, 10 classes", accuracy, args=(probs, labels), expected=expected)
    expect("uint8 labels (as MNIST's)", accuracy, args=(probs, labels.astype(np.uint8)), expected=expected)
    expect("all right", accuracy, args=(probs[:7], probs[:7].argmax(axis=1)), expected=1.0)
    expect("all wrong", accuracy, args=(probs[:7], (probs[:7].argmax(axis=1) + 1) % 10), expected=0.0)
    expect("a single sample", accuracy, args=(np.array([[0.2, 0.5, 0.3]]), np.array([2])), expected=0.0)
    square = np.array([[0.6, 0.3, 0.1], [0.5, 0.2, 0.3], [0.1, 0.1, 0.8]])
    expect(
        "3 samples, 3 classes: the argmax runs across each row",
        accuracy,
        args=(square, np.array([0, 1, 2])),
        expected=2 / 3,
    )
    expect(
        "4 samples, 2 classes",
        accuracy,
        args=(np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.45, 0.55]]), np.array([0, 1, 1, 1])),
        expected=0.75,
    )
    expect(
        "labels that are not the largest label value",
        accuracy,
        args=(np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], [0.1, 0.2, 0.7], [0.3, 0.6, 0.1]]), np.array([1, 0, 2, 0])),
        expected=0.75,
    )
    tied = np.array([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2], [0.1, 0.45, 0.45], [0.5, 0.25, 0.25], [1 / 3, 1 / 3, 1 / 3]])
    expect(
        "tied maxima: argmax takes the first of them, as np.argmax does",
        accuracy,
        args=(tied, np.array([0, 0, 1, 1, 2])),
        expected=0.6,
    )
    expect(
        "an untrained network's uniform rows: every row predicts class 0",
        accuracy,
        args=(np.full((4, 10), 0.1), np.array([0, 3, 0, 9])),
        expected=0.5,
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.accuracy.hint()` and `q.accuracy.solution()` are there.

# %%

# %% [markdown]
# ### A baseline on raw pixels: softmax regression
#
# Before the hidden layer, the network without it: `Dense(10, softmax)` on the 784 pixels, trained
# with the same loss and optimizer. This is *softmax regression*, the multi-class version of logistic
# regression, and it is the fair baseline for the MLP: the same inputs and the same training, with a
# purely linear score per class. Four epochs, from your own functions:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_35", "locked": true, "schema_version": 3, "solution": false, "task": false}
def softmax_regression(x, y, epochs=4, batch_size=128, seed=0):
    """Dense(classes, softmax) on x, trained with RMSprop on the mean crossentropy; returns (W, b)."""
    rng = np.random.default_rng(seed)
    W, b = glorot_uniform(x.shape[1], y.shape[1], rng), np.zeros(y.shape[1], np.float32)
    cache_W, cache_b = np.zeros_like(W), np.zeros_like(b)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start : start + batch_size]
            probs = softmax(dense_forward(x[batch], W, b))
            _, grad_W, grad_b = dense_backward(softmax_crossentropy_grad(probs, y[batch]), x[batch], W)
            W, cache_W = rmsprop_update(W, grad_W, cache_W)
            b, cache_b = rmsprop_update(b, grad_b, cache_b)
    return W, b


W_linear, b_linear = softmax_regression(x_train, y_train)
linear_accuracy = accuracy(softmax(dense_forward(x_test, W_linear, b_linear)), test_labels)
print(f"softmax regression on raw pixels: {linear_accuracy:.1%} of the test digits right")
assert 0.915 < linear_accuracy < 0.93

# %% [markdown]
# About ten points better than the nearest centroid on the same pixels: training the classifier,
# rather than averaging each class, buys that much. Each of its ten columns of `W` is a template,
# one per digit:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_36", "locked": true, "schema_version": 3, "solution": false, "task": false}
plots.show_weights(W_linear, count=10, title="softmax regression: the 10 columns of W (red +, blue \u2212)")
plt.show()

# %% [markdown]
# ## 11. The training loop
#
# Everything is ready. Training repeats, for each **epoch** (one pass over the 60,000 images):
#
# 1. shuffle: a new random order of the samples, so that the batches differ from epoch to epoch
#    (Keras does this by default);
# 2. for each **batch** of `batch_size` samples in that order (469 batches of 128; the last one holds
#    the 96 left over): forward, loss, backward, and one RMSprop step for each of `W1, b1, W2, b2`;
# 3. report the epoch: the mean loss and accuracy over its batches, and how long it took.
#
# Every random draw (the starting weights, then each epoch's order) comes from one generator,
# `np.random.default_rng(seed)`: the same seed reproduces the same run, number for number.
#
# For the report, use `TrainingLog` from `notebook_helpers.plots`: make one with `TrainingLog(epochs)`
# before the loop, and call its `epoch_done(mean_loss, accuracy)` after each epoch; it prints the line
# and remembers the numbers for the curves below.
#
# *Speed and memory.* The network does about 98 billion floating-point operations per epoch,
# nearly all in five matrix products per batch (NumPy hands them to an optimised BLAS library). The
# rest is cheap if we avoid waste: keep the data float32, take each batch by indexing (a 400 KB
# copy, never a shuffled copy of the whole 188 MB array), and update the weights in place
# (`param -= step`). Your `rmsprop_update` returns new arrays, as its contract says; inside its own
# loop `train_mlp` is free to do the same arithmetic in place. The reference answer stops there, so
# that it reads like the steps above; a tuned version of the same arithmetic (fewer passes over
# memory, blocks that fit the processor's cache) lives in the course repository's
# `benchmarks/mlp_training.py`, which times both.
#
# **Exercise: `train_mlp(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0)`.** Train
# `Dense(hidden, relu) -> Dense(10, softmax)` with categorical crossentropy and RMSprop (Keras'
# defaults) as described, and return the trained parameters as a dict with keys `W1, b1, W2, b2`.
# You may call your functions from above. Do not change `x` or `y_onehot` in place. With the
# defaults on all of MNIST it must reach at least 97.5% test accuracy.

# %% nbgrader={"grade": false, "grade_id": "train_mlp", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np
from notebook_helpers.plots import TrainingLog


def train_mlp(x, y_onehot, epochs=5, batch_size=128, hidden=512, seed=0):
    """Train Dense(hidden, relu) -> Dense(classes, softmax) on (x, y_onehot); return {W1, b1, W2, b2}.

    As Keras' fit with RMSprop (lr 0.001, rho 0.9, eps 1e-7) and categorical crossentropy:
    Glorot-uniform weights and zero biases, then per epoch a new random order of the rows and
    mini-batches of batch_size (the last may be shorter). Every random draw comes from
    np.random.default_rng(seed). Prints one line per epoch (TrainingLog), drawn live while it runs.
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float32)  # no copy when x is float32 already
    y = np.asarray(y_onehot, dtype=np.float32)
    if x.ndim != 2 or y.ndim != 2 or len(x) != len(y):
        raise ValueError(f"expected x (N, features) and y_onehot (N, classes), got shapes {x.shape} and {y.shape}")
    n, features = x.shape
    classes = y.shape[1]
    lr, rho, eps = 0.001, 0.9, 1e-7  # Keras' RMSprop defaults
    rng = np.random.default_rng(seed)  # the only source of randomness in the run

    def glorot(fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)

    params = {
        "W1": glorot(features, hidden),
        "b1": np.zeros(hidden, np.float32),
        "W2": glorot(hidden, classes),
        "b2": np.zeros(classes, np.float32),
    }
    caches = {name: np.zeros_like(value) for name, value in params.items()}  # RMSprop's running mean of grad**2

    log = TrainingLog(epochs, steps=-(-n // batch_size))  # a live line per epoch, as Keras' progress bar
    for epoch in range(epochs):
        order = rng.permutation(n)  # a new order every epoch, as Keras shuffles
        loss_sum, correct = 0.0, 0
        for step, start in enumerate(range(0, n, batch_size), start=1):
            rows = order[start : start + batch_size]
            xb, yb = x[rows], y[rows]  # one batch (the last may be shorter)

            # forward: dense, relu, dense, softmax
            z1 = xb @ params["W1"] + params["b1"]
            h = np.maximum(z1, 0)
            logits = h @ params["W2"] + params["b2"]
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            probs = e / e.sum(axis=1, keepdims=True)

            # what the epoch line reports: crossentropy (clipped as Keras) and accuracy
            loss_sum -= float(np.sum(yb * np.log(np.clip(probs, 1e-7, 1 - 1e-7))))
            correct += int(np.sum(probs.argmax(axis=1) == yb.argmax(axis=1)))
            seen = start + len(rows)
            log.batch_done(step, loss_sum / seen, correct / seen)

            # backward: the same steps in reverse order
            d_logits = (probs - yb) / len(rows)
            d_h = d_logits @ params["W2"].T
            d_z1 = d_h * (z1 > 0)
            grads = {"W1": xb.T @ d_z1, "b1": d_z1.sum(axis=0), "W2": h.T @ d_logits, "b2": d_logits.sum(axis=0)}

            # RMSprop, one step for each parameter, in place
            for name, grad in grads.items():
                caches[name] = rho * caches[name] + (1 - rho) * grad**2
                params[name] -= lr * grad / np.sqrt(caches[name] + eps)
        log.epoch_done(loss_sum / n, correct / n)
    return params
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "train_mlp_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import mnist_mlp as q

q.train_mlp.check(train_mlp)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect, expect_true
from checks.mnist_mlp import params_verdict, silenced
from answer_key.mnist_mlp import predict_mlp
from notebook_helpers.mnist import load_mnist

(mnist_images, mnist_labels), (mnist_test_images, mnist_test_labels) = load_mnist()
few_x = mnist_images[:2000].reshape(2000, 784).astype(np.float32) / 255
few_y = np.eye(10, dtype=np.float32)[mnist_labels[:2000]]
few_test_x = mnist_test_images[:2000].reshape(2000, 784).astype(np.float32) / 255
quiet = silenced(train_mlp)


setting = dict(epochs=2, batch_size=32, hidden=48, seed=3)  # 2000 / 32: the last batch is shorter
tests = HiddenTests(points=3)
with tests.part("a dict of W1, b1, W2, b2 of the right shapes", points=0.5):
    expect(
        "2000 MNIST images, 2 epochs, batch 32, hidden 48",
        quiet,
        args=(few_x, few_y),
        kwargs=setting,
        satisfies=params_verdict(784, 48, 10),
    )
    expect(
        "a hidden layer of 7 units",
        quiet,
        args=(few_x[:300], few_y[:300]),
        kwargs=dict(epochs=1, batch_size=64, hidden=7, seed=0),
        satisfies=params_verdict(784, 7, 10),
    )
# the runs the other parts look at: if one raises, the cell fails as a whole
np.random.seed(123)
global_state = np.random.get_state()[1].copy()
first = quiet(few_x, few_y, **setting)
global_state_after = np.random.get_state()[1].copy()
other_seed = quiet(few_x, few_y, **dict(setting, seed=4))
with tests.part("it learns: accuracy, trained biases, Keras' RMSprop steps, every batch trained on", points=1):
    subset_accuracy = float(np.mean(predict_mlp(first, few_test_x).argmax(axis=1) == mnist_test_labels[:2000]))
    expect_true(
        "2 epochs on 2000 images reach 70% test accuracy (a right answer gets about 81%)", subset_accuracy >= 0.70
    )
    expect_true("the biases are trained too", np.any(first["b1"] != 0) and np.any(first["b2"] != 0))
    one_step, two_steps = (quiet(few_x[:300], few_y[:300], epochs=e, batch_size=512, hidden=16, seed=0) for e in (1, 2))
    expect_true(
        "a batch larger than the data is one shorter batch per epoch, and it is trained on",
        not np.array_equal(one_step["W1"], two_steps["W1"]),
    )
    # RMSprop with Keras' defaults: the first step moves a bias by lr * g / sqrt((1 - rho) g**2 + eps), which is
    # lr * sqrt(10) = 0.00316 for lr = 0.001, rho = 0.9 and a gradient |g| >= 0.05 (every class: all labels are 0)
    first_step = quiet(
        few_x[:64], np.eye(10, dtype=np.float32)[np.zeros(64, int)], epochs=1, batch_size=64, hidden=16, seed=0
    )
    expect_true(
        "RMSprop with Keras' defaults (lr 0.001, rho 0.9): one step moves each output bias by 0.001 * sqrt(10)",
        np.allclose(np.abs(np.asarray(first_step["b2"], np.float64)), 0.001 * np.sqrt(10), rtol=1e-3),
    )
with tests.part(
    "randomness from np.random.default_rng(seed) alone: Glorot-uniform start, a new order each epoch", points=1
):
    expect_true(
        "the global np.random generator is left alone (draw from np.random.default_rng(seed) instead)",
        np.array_equal(global_state_after, global_state),
    )
    np.random.seed(321)
    again = quiet(few_x, few_y, **setting)
    expect_true(
        "the same seed gives the same weights",
        all(np.array_equal(first[k], again[k]) for k in ("W1", "b1", "W2", "b2")),
    )
    expect_true("another seed gives other weights", not np.array_equal(first["W1"], other_seed["W1"]))
    # pixels never inked in these images give their rows of W1 no gradient: those rows keep their starting weights
    blank = few_x.max(axis=0) == 0
    start, limit = first["W1"][blank].astype(np.float64), np.sqrt(6 / (784 + 48))
    expect_true(
        "the starting weights are Glorot-uniform: inside [-l, l], l = sqrt(6 / (fan_in + fan_out)), spread evenly",
        np.all(np.abs(start) <= limit * (1 + 1e-6)) and 0.85 < start.var() * 3 / limit**2 < 1.15,
    )
    expect_true("another seed gives other starting weights", not np.array_equal(start, other_seed["W1"][blank]))
    by_label = np.argsort(mnist_labels[:2000], kind="stable")
    sorted_run = quiet(few_x[by_label], few_y[by_label], **setting)
    sorted_accuracy = float(np.mean(predict_mlp(sorted_run, few_test_x).argmax(axis=1) == mnist_test_labels[:2000]))
    expect_true(
        "the same images sorted by label still reach 60% (each epoch takes the rows in a new random order)",
        sorted_accuracy >= 0.60,
    )
with tests.part("the number of epochs and the batch size are honoured", points=0.5):
    one_epoch_only = quiet(few_x, few_y, **dict(setting, epochs=1))
    expect_true("the number of epochs is honoured", not np.array_equal(first["W1"], one_epoch_only["W1"]))
    bigger_batches = quiet(few_x, few_y, **dict(setting, batch_size=100))
    expect_true("the batch size is honoured", not np.array_equal(first["W1"], bigger_batches["W1"]))
tests.report()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "train_mlp_tests_2", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# Graded by a hidden test: train_mlp with its defaults on all of MNIST must reach 97.5% test accuracy.
import numpy as np

### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import expect_true
from checks.mnist_mlp import silenced
from answer_key.mnist_mlp import predict_mlp
from notebook_helpers.mnist import load_mnist

(mnist_images, mnist_labels), (mnist_test_images, mnist_test_labels) = load_mnist()
full_x = mnist_images.reshape(60000, 784).astype(np.float32) / 255
full_y = np.eye(10, dtype=np.float32)[mnist_labels]
# a quick run first, so that an answer of the wrong form fails in a second rather than after training
quick = silenced(train_mlp)(full_x[:256], full_y[:256], epochs=1, batch_size=128, hidden=8, seed=0)
shapes = {"W1": (784, 8), "b1": (8,), "W2": (8, 10), "b2": (10,)}
expect_true(
    "train_mlp returns a dict of W1, b1, W2, b2 with the right shapes",
    isinstance(quick, dict) and all(np.shape(quick.get(k)) == shape for k, shape in shapes.items()),
)
trained = silenced(train_mlp)(full_x, full_y)
full_test_x = mnist_test_images.reshape(10000, 784).astype(np.float32) / 255
full_accuracy = float(np.mean(predict_mlp(trained, full_test_x).argmax(axis=1) == mnist_test_labels))
expect_true("with the defaults on all of MNIST: test accuracy >= 0.975", full_accuracy >= 0.975)
del full_x, full_y, trained, full_test_x
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.train_mlp.hint()` and `q.train_mlp.solution()` are there. (The second test cell trains
# the full network with the defaults and needs the 97.5%.)

# %%

# %% [markdown]
# ## 12. Training on all of MNIST
#
# Five epochs over the 60,000 training images, batches of 128, 512 hidden units:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_20", "locked": true, "schema_version": 3, "solution": false, "task": false}
params = train_mlp(x_train, y_train, epochs=5, batch_size=128, hidden=512, seed=0)


# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_21", "locked": true, "schema_version": 3, "solution": false, "task": false}
def predict(params, x):
    """The trained network's class probabilities for the rows of x."""
    return softmax(relu(x @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])


test_probs = predict(params, x_test)
test_predictions = test_probs.argmax(axis=1)
test_accuracy = accuracy(test_probs, test_labels)
print(f"test accuracy: {test_accuracy:.1%}   (Keras, same network and settings: about 98%)")
assert test_accuracy >= 0.975, f"test accuracy {test_accuracy:.4f} is below 0.975"

# %% [markdown]
# The loss and accuracy of each epoch, as `train_mlp` reported them. These are averages over the
# epoch's batches, measured while the weights were still changing, on the training images.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_22", "locked": true, "schema_version": 3, "solution": false, "task": false}
log = plots.TrainingLog.last  # the log train_mlp reported its epochs to
if log is None or not log.history["loss"]:
    print("train_mlp did not report its epochs to a TrainingLog, so there are no curves to draw.")
else:
    log.plot(title="train_mlp on MNIST (training set, per epoch)")
    plt.show()

# %% [markdown]
# ### Where it goes wrong
#
# The confusion matrix counts, for each true digit (row), what the network predicted (column). The
# diagonal holds the right answers; everything else is a mistake, and the shaded cells show which
# digits it confuses.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_23", "locked": true, "schema_version": 3, "solution": false, "task": false}
plots.plot_confusion_matrix(test_labels, test_predictions, title="test set: true digit vs prediction")
plt.show()

# %% [markdown]
# The first 30 test digits it gets wrong, as `true -> predicted`. Many would make a person hesitate too.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_24", "locked": true, "schema_version": 3, "solution": false, "task": false}
wrong = np.flatnonzero(test_predictions != test_labels)[:30]
plots.show_digits(
    test_images[wrong],
    test_labels[wrong],
    test_predictions[wrong],
    title="misclassified test digits (true \u2192 predicted)",
)
plt.show()

# %% [markdown]
# ### Precision and recall, next to accuracy
#
# Accuracy is one number for all ten digits. The confusion matrix gives two per digit. **Precision**:
# of the images the network *called* a 7, the fraction that are 7s (a column of the matrix).
# **Recall**: of the real 7s, the fraction it found (a row). A network that labels every doubtful
# image a 1 has a high recall for 1s and a poor precision; accuracy alone would not say which digit
# pays for it.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_37", "locked": true, "schema_version": 3, "solution": false, "task": false}
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (test_labels, test_predictions), 1)  # rows: true digit, columns: predicted
precision = confusion.diagonal() / confusion.sum(axis=0)
recall = confusion.diagonal() / confusion.sum(axis=1)
fig, axis = plt.subplots(figsize=(7, 3))
axis.bar(np.arange(10) - 0.2, precision, width=0.4, label="precision")
axis.bar(np.arange(10) + 0.2, recall, width=0.4, label="recall")
axis.set_ylim(0.9, 1.0)
axis.set_xticks(range(10))
axis.set_xlabel("digit")
axis.set_title("test set, per digit")
axis.legend(loc="lower left")
plt.show()
assert precision.min() > 0.93 and recall.min() > 0.93

# %% [markdown]
# ## 13. What the first layer learned
#
# Each hidden unit multiplies the 784 pixels by its column of `W1`; reshaped to 28 x 28, that column
# is the pattern the unit responds to. Red pixels excite the unit when inked, blue ones inhibit it.
# Here are 40 of the 512:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_25", "locked": true, "schema_version": 3, "solution": false, "task": false}
plots.show_weights(params["W1"], count=40, title="40 columns of W1 after training (red +, blue \u2212)")
plt.show()

# %% [markdown]
# Faint strokes, edges and blobs in the middle, speckle at the borders (pixels that are never inked
# get no gradient and keep their random starting weights). None of them is "ink amount" or "width":
# the network is not obliged to invent features a person can name, only features that help. Set
# side by side, the raw pixels beat the hand-made features with the same classifier, a trained
# linear classifier beats class averages on the same pixels, and learned features beat both:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_26", "locked": true, "schema_version": 3, "solution": false, "task": false}
print(f"10 hand-made features + nearest centroid: {handmade_accuracy:.1%}")
print(f"784 raw pixels + nearest centroid:        {raw_centroid_accuracy:.1%}")
print(f"784 raw pixels + softmax regression:      {linear_accuracy:.1%}")
print(f"512 learned features + a softmax layer:   {test_accuracy:.1%}")

# %% [markdown]
# ## 14. Experiments: validation, overfitting, batch size, initialisation
#
# The test set has one job: the final, honest score. Every decision before that (how many epochs, which
# batch size) needs data the network does not train on and that is not the test set either: a
# **validation set**. Keras' `fit(..., validation_split=0.2)` holds out the *last* 20% of the training
# arrays; here the last 2,000 training images play that part. The function below trains as
# `train_mlp` does, from your own functions, and measures both sets after every epoch. The
# experiments use a small network (256 hidden units) and small subsets, so that they run in seconds.

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_38", "locked": true, "schema_version": 3, "solution": false, "task": false}
x_val, y_val, val_labels = x_train[-2000:], y_train[-2000:], train_labels[-2000:]


def evaluate(params, x, y_onehot):
    """(mean crossentropy, accuracy) of the network on (x, y_onehot): the forward pass only."""
    probs = softmax(dense_forward(relu(dense_forward(x, params["W1"], params["b1"])), params["W2"], params["b2"]))
    return crossentropy(y_onehot, probs), accuracy(probs, y_onehot.argmax(axis=1))


def fit_with_validation(x, y_onehot, epochs, batch_size=128, hidden=128, seed=0):
    """Train as train_mlp does; return per-epoch loss and accuracy on (x, y_onehot) and on the validation set."""
    rng = np.random.default_rng(seed)
    params = {
        "W1": glorot_uniform(x.shape[1], hidden, rng),
        "b1": np.zeros(hidden, np.float32),
        "W2": glorot_uniform(hidden, 10, rng),
        "b2": np.zeros(10, np.float32),
    }
    caches = {name: np.zeros_like(value) for name, value in params.items()}
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start : start + batch_size]
            _, _, grads = forward_backward(params, x[batch], y_onehot[batch])
            for name in params:
                params[name], caches[name] = rmsprop_update(params[name], grads[name], caches[name])
        for prefix, (xs, ys) in (("", (x, y_onehot)), ("val_", (x_val, y_val))):
            loss, acc = evaluate(params, xs, ys)
            history[prefix + "loss"].append(loss)
            history[prefix + "accuracy"].append(acc)
    return history


# %% [markdown]
# ### Overfitting, seen
#
# Twenty epochs on only 1,000 training images, batches of 32. With so few images the network can
# learn them by heart:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_39", "locked": true, "schema_version": 3, "solution": false, "task": false}
small = fit_with_validation(x_train[:1000], y_train[:1000], epochs=20, batch_size=32, hidden=256)
epochs_axis = np.arange(1, 21)
best_epoch = int(np.argmin(small["val_loss"])) + 1
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
left.plot(epochs_axis, small["loss"], "o-", ms=3, label="training (1,000 images)")
left.plot(epochs_axis, small["val_loss"], "o-", ms=3, label="validation (2,000 others)")
left.axvline(best_epoch, color="grey", ls=":", lw=1)
left.set_title("loss")
right.plot(epochs_axis, small["accuracy"], "o-", ms=3, label="training")
right.plot(epochs_axis, small["val_accuracy"], "o-", ms=3, label="validation")
right.set_title("accuracy")
for axis in (left, right):
    axis.set_xlabel("epoch")
    axis.legend()
fig.tight_layout()
plt.show()
print(
    f"lowest validation loss after epoch {best_epoch}; training accuracy after 20 epochs: {small['accuracy'][-1]:.0%}"
)
assert small["accuracy"][-1] > 0.99 and small["val_accuracy"][-1] < small["accuracy"][-1] - 0.05
assert small["val_loss"][-1] > min(small["val_loss"]) * 1.1 and best_epoch < 20

# %% [markdown]
# The training loss keeps falling towards 0 while the validation loss turns and climbs: past that
# epoch the network learns the particular 1,000 images, not digits, and its confidence on new ones
# grows faster than its accuracy. That is **overfitting**. The usual answers: more data (the full
# 60,000 images overfit far later), fewer epochs (stop where the validation loss is lowest; Keras'
# `EarlyStopping` callback does it), a smaller network, or regularisation. The number of epochs is a
# setting to choose on the validation set, not "as many as possible".
#
# ### Batch size
#
# The batch size decides how many updates an epoch makes: 1,000 images are 32 updates of 32, 8 of
# 128, or 2 of 512. Ten epochs each, on the same 1,000 images:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_40", "locked": true, "schema_version": 3, "solution": false, "task": false}
batch_runs = {
    size: fit_with_validation(x_train[:1000], y_train[:1000], epochs=10, batch_size=size, hidden=256)
    for size in (32, 128, 512)
}
fig, axis = plt.subplots(figsize=(6.5, 3.4))
for size, history in batch_runs.items():
    axis.plot(
        np.arange(1, 11),
        history["val_accuracy"],
        "o-",
        ms=3,
        label=f"batch {size}: {-(-1000 // size)} updates an epoch",
    )
axis.set_xlabel("epoch")
axis.set_ylabel("validation accuracy")
axis.legend()
plt.show()
for size, history in batch_runs.items():
    print(f"batch {size:>3}, after 10 epochs: validation accuracy: {history['val_accuracy'][-1]:.3f}")
finals = [history["val_accuracy"][-1] for history in batch_runs.values()]
assert finals[0] > finals[2] and finals[1] > finals[2]


# %% [markdown]
# Per epoch, small batches learn more, because they make more updates; each update is noisier, and
# costs Python and BLAS overhead that a big batch spreads over more images. Per update, big batches
# are better: their gradient averages more samples. Keras' default of 32, and this series' 128, sit
# in between; a larger batch usually wants a larger learning rate or more epochs.
#
# ### Initialisation for ReLU: He against Glorot
#
# Glorot's variance $2 / (\text{fan\_in} + \text{fan\_out})$ assumes an activation that keeps the
# signal's scale. ReLU zeroes about half of its inputs, and so halves the mean square of what passes
# through; with Glorot weights on a square layer the scale then shrinks by $1/\sqrt{2}$ at every
# layer. He et al. (2015) double the variance to $2 / \text{fan\_in}$ to make up for it (Keras:
# `kernel_initializer="he_uniform"`; its default stays `glorot_uniform`). Ten ReLU layers of 256 units,
# a batch of 1,000 random inputs:

# %% nbgrader={"grade": false, "grade_id": "mnist_mlp_cell_41", "locked": true, "schema_version": 3, "solution": false, "task": false}
def he_uniform(fan_in, fan_out, rng):
    """U(-l, l) with l = sqrt(6 / fan_in): variance 2 / fan_in, for ReLU layers."""
    limit = np.sqrt(6.0 / fan_in)
    weights = rng.uniform(-limit, limit, size=(fan_in, fan_out))
    return weights.astype(np.float32)


def activation_scales(initializer, depth=10, width=256, seed=0):
    """Root-mean-square of the activations after each of `depth` ReLU layers."""
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(1000, width)).astype(np.float32)
    scales = []
    for _ in range(depth):
        h = relu(h @ initializer(width, width, rng))
        scales.append(float(np.sqrt(np.mean(h**2))))
    return np.array(scales)


scales = {"Glorot uniform": activation_scales(glorot_uniform), "He uniform": activation_scales(he_uniform)}
fig, axis = plt.subplots(figsize=(6, 3.2))
for name, values in scales.items():
    axis.semilogy(np.arange(1, 11), values, "o-", label=name)
axis.set_xlabel("layer")
axis.set_ylabel("RMS of the activations")
axis.legend()
plt.show()
for name, values in scales.items():
    print(f"{name:<15} RMS after layer 1: {values[0]:.2f}, after layer 10: {values[-1]:.3f}")
assert scales["Glorot uniform"][-1] < 0.05 < 0.5 < scales["He uniform"][-1] < 2

# %% [markdown]
# Glorot's signal fades by a factor of about $2^{-5} \approx 0.03$ over ten layers, and the gradients on
# the way back fade with it; He's keeps its scale. In this notebook's network there is one hidden
# layer, so the factor is paid only once, and Glorot (Keras' default, which the contract of
# `glorot_uniform` follows) trains it well; for deep ReLU stacks, He is the usual choice.

# %% [markdown]
# ## Summary
#
# **What you built.** Every moving part of `Dense(512, relu) -> Dense(10, softmax)`, trained with
# RMSprop on categorical crossentropy: Glorot-uniform starting weights from one seeded generator, the
# forward and backward pass of each layer, a gradient check, the optimizer, the training loop, and
# the metrics. Five epochs reach about 98% test accuracy, what Keras' five lines do.
#
# **Shapes and gradients** (batch of $N$, 784 inputs, 512 hidden units, 10 classes):
#
# | step | forward | backward |
# |---|---|---|
# | dense 1 | `z1 = x @ W1 + b1`: `(N, 784) @ (784, 512) -> (N, 512)` | `grad_W1 = x.T @ d_z1`, `grad_b1 = d_z1.sum(axis=0)` |
# | relu | `h = max(z1, 0)` | `d_z1 = d_h * (z1 > 0)` |
# | dense 2 | `logits = h @ W2 + b2`: `(N, 10)` | `d_h = d_logits @ W2.T`, `grad_W2 = h.T @ d_logits` |
# | softmax + crossentropy | `p = softmax(logits)`, `L = mean(-log p_true)` | `d_logits = (p - y) / N` (unclipped; see section 7) |
# | RMSprop | | `cache' = rho cache + (1 - rho) grad**2`, `param -= lr grad / sqrt(cache' + eps)` |
#
# Each gradient has the shape of what it is the gradient of; 407,050 numbers in all, biases included.
#
# **What the experiments showed.** Raw pixels beat ten hand-made features with the same nearest-centroid
# rule (82% against 55.6%); softmax regression on the pixels reaches about 92%, the hidden layer 98%.
# SGD is slow at Keras' default rate, not broken: a learning-rate sweep closes the gap to RMSprop
# here, and per-weight steps win where the loss is ill-conditioned. On 1,000 images the validation
# loss turns upwards long before the training loss stops falling (overfitting); the batch size sets
# how many updates an epoch makes; He initialisation keeps deep ReLU stacks at scale.
#
# **Common mistakes.**
# * A missing or misplaced transpose: check shapes with sizes that all differ, and gradient-check in
#   float64, never float32.
# * Dividing by the full batch size for the last, shorter batch; forgetting to train the biases.
# * Dividing RMSprop's step by the old cache, or putting `eps` outside the root (Keras 2 and PyTorch
#   do; Keras 3 does not).
# * Drawing from `np.random` instead of the given generator, or never reshuffling between epochs.
# * Choosing epochs or batch size on the test set instead of a validation set.
#
# Next, notebook 05 puts these pieces behind Keras' own interface (`Sequential`, `Dense`, `compile`,
# `fit`, `evaluate`), so that the study note's code runs on your engine.
