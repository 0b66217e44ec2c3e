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
# # 01 · Tensors: how neural networks see data
#
# A neural network takes in numbers, transforms them and gives back numbers. Those numbers always
# come packed in the same kind of container: a **tensor**, a grid of numbers with any number of axes.
# Before we build networks, we learn to read and handle tensors fluently, because nearly every bug in
# deep learning code is, in the end, a tensor with the wrong shape or the wrong dtype.
#
# In this notebook you will
#
# 1. meet tensors of rank 0, 1, 2, 3 and more, and the three things that describe them: `ndim`,
#    `shape` and `dtype`;
# 2. look at MNIST, 60,000 handwritten digits held in a single rank-3 tensor;
# 3. prepare those images for a dense network (flatten them, scale them) and fix two bugs on the way;
# 4. cut a dataset into batches along its first axis;
# 5. see how vectors, time series, images and videos are stored;
# 6. write the basic tensor operations (element-wise ReLU, addition, the matrix product) with plain
#    Python loops, then measure how much faster NumPy does the same.
#
# **How the exercises work.** You will write seven small functions. Each has an *answer cell* (replace
# `raise NotImplementedError()` with your code) followed by a *test cell*. Running the test cell checks
# your function on a few inputs and prints `✔` when they pass, or the smallest input that fails, what
# was expected and what came back. When you are stuck, `q.<name>.hint()` gives a hint (call it again
# for a more specific one) and `q.<name>.solution()` shows a worked answer. When the notebook is graded,
# more tests run than you see here: do what each explanation asks, error cases included.

# %% [markdown] tags=["korean-terms"]
# **Korean terms (한국어 용어).** The study note this series follows is written in Korean, and the series has a Korean edition: in the course repository, `ko/notebooks/01_tensors/tensors.ipynb` (`python3 course.py lab --lang ko` opens your own copy of it), which gives after its title a glossary of 22 terms taught here, each in Korean and English with the section that teaches it. Among them: tensor (텐서), axis (축), rank (랭크), batch (배치), broadcasting (브로드캐스팅), dot product (점곱).

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_01", "locked": true, "schema_version": 3, "solution": false, "task": false}
import time

import matplotlib.pyplot as plt
import numpy as np

from notebook_helpers import load_mnist
from notebook_helpers.plots import show_digits

# %% [markdown]
# ## 1. What is a tensor?
#
# A tensor is a container of numbers laid out along **axes**. The number of axes is the tensor's
# **rank**; NumPy calls it `ndim`. In NumPy every tensor is an `ndarray`, and three attributes say
# almost everything about it:
#
# | attribute | what it tells you | example |
# |---|---|---|
# | `ndim` | the number of axes (the rank) | `3` |
# | `shape` | how many entries lie along each axis | `(60000, 28, 28)` |
# | `dtype` | the type of every number in it | `uint8` |
#
# ### Rank 0: a scalar
# One number on its own is a tensor with no axes at all. Its shape is the empty tuple.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_02", "locked": true, "schema_version": 3, "solution": false, "task": false}
x = np.array(12)
print(x, "| ndim:", x.ndim, "| shape:", x.shape, "| dtype:", x.dtype)

# %% [markdown]
# ### Rank 1: a vector
# A list of numbers has one axis. The vector below has five entries, so people call it a
# *5-dimensional vector*, yet it is a *rank-1* tensor. "Dimension" can mean the length along one axis
# or the number of axes; "rank" and "shape" never mix the two up.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_03", "locked": true, "schema_version": 3, "solution": false, "task": false}
x = np.array([12, 3, 6, 14, 7])
print(x, "| ndim:", x.ndim, "| shape:", x.shape, "| dtype:", x.dtype)

# %% [markdown]
# ### Rank 2: a matrix
# A matrix has two axes: rows (axis 0) and columns (axis 1). A table of samples and their features,
# such as a spreadsheet, is the typical example.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_04", "locked": true, "schema_version": 3, "solution": false, "task": false}
x = np.array([[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]])
print(x)
print("ndim:", x.ndim, "| shape:", x.shape, "| dtype:", x.dtype)

# %% [markdown]
# A word clash to be aware of: in linear algebra the *rank of a matrix* is something else, the number
# of linearly independent rows (`np.linalg.matrix_rank`). Every matrix is a rank-2 tensor; its matrix
# rank can be anything up to its smaller side. In the matrix above, each row is the previous one plus
# `[1, 1, 1, 1, 1]`, so only two rows are independent:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_35", "locked": true, "schema_version": 3, "solution": false, "task": false}
print("tensor rank (ndim):", x.ndim, "| matrix rank:", np.linalg.matrix_rank(x))
print("np.ones((3, 3)): tensor rank", np.ones((3, 3)).ndim, "| matrix rank", np.linalg.matrix_rank(np.ones((3, 3))))

# %% [markdown]
# ### Rank 3 and beyond
# Stack matrices on top of each other and you get a rank-3 tensor, a cube of numbers. Stack cubes and
# you get rank 4, and so on. Deep learning mostly uses ranks 0 to 4; video goes up to 5.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_05", "locked": true, "schema_version": 3, "solution": false, "task": false}
x = np.arange(36).reshape(3, 3, 4)
print("ndim:", x.ndim, "| shape:", x.shape, "| dtype:", x.dtype)
print("the first of the three matrices:")
print(x[0])


# %% [markdown]
# Drawn as grids, the four ranks look like this (the drawing code is only here to make the picture):

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_06", "locked": true, "schema_version": 3, "solution": false, "task": false}
def draw_grid(ax, values, left=0.0, top=0.0, color="#cfe2f3", highlight=None, highlight_color="#f6b26b", layer=0):
    """Draw a matrix as labelled squares with its top-left corner at (left, top); higher layers on top."""
    values = np.atleast_2d(values)
    for (r, c), v in np.ndenumerate(values):
        face = highlight_color if highlight is not None and highlight[r, c] else color
        ax.add_patch(
            plt.Rectangle((left + c, top - r - 1), 1, 1, facecolor=face, edgecolor="#333333", zorder=2 * layer + 1)
        )
        ax.text(left + c + 0.5, top - r - 0.5, str(v), ha="center", va="center", fontsize=9, zorder=2 * layer + 2)


def finish(ax, title, width, height):
    ax.set_xlim(-0.5, width + 0.5)
    ax.set_ylim(-height - 0.5, 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)


fig, axes = plt.subplots(1, 4, figsize=(12, 2.8), gridspec_kw={"width_ratios": [1, 4, 4, 5.5]})
draw_grid(axes[0], [[12]], color="#fce5cd")
finish(axes[0], "rank 0: scalar\nshape ()", 1, 4)
draw_grid(axes[1], [[12, 3, 6, 14]], color="#d9ead3")
finish(axes[1], "rank 1: vector\nshape (4,)", 4, 4)
draw_grid(axes[2], np.arange(12).reshape(3, 4) % 10)
finish(axes[2], "rank 2: matrix\nshape (3, 4)", 4, 4)
cube = np.arange(36).reshape(3, 3, 4) % 10
for depth in reversed(range(3)):  # draw the back matrix first, the front one last
    draw_grid(
        axes[3],
        cube[depth],
        left=0.6 * depth,
        top=0.6 * depth,
        layer=3 - depth,
        color=["#cfe2f3", "#b4cde8", "#9fc5e8"][depth],
    )
finish(axes[3], "rank 3: a stack of matrices\nshape (3, 3, 4)", 5.2, 4)
axes[3].set_ylim(-3.5, 1.8)
plt.show()

# %% [markdown]
# ### The dtype: one type for every number
# An array holds numbers of a single type. NumPy picks one from the data, or you choose it. Images are
# usually stored as `uint8`: unsigned 8-bit integers, 0 to 255, one byte per pixel. Networks compute
# in `float32`. Mixing a float into a list of ints makes the whole array float:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_07", "locked": true, "schema_version": 3, "solution": false, "task": false}
print(np.array([1, 2, 3]).dtype)
print(np.array([1, 2.5, 3]).dtype)
print(np.array([1, 2, 3], dtype=np.uint8).dtype)

# %% [markdown]
# The dtype is not a detail. A `uint8` can only count to 255, and array arithmetic that goes past
# it *wraps around* (it is computed modulo 256), without a word of warning. This is one of the reasons images are turned into floats
# before a network computes with them:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_08", "locked": true, "schema_version": 3, "solution": false, "task": false}
pixels = np.array([250, 100], dtype=np.uint8)
print(pixels + 10)  # 250 + 10 wraps around to 4
print(pixels * 2)  # 250 * 2 = 500 wraps around to 244

# %% [markdown]
# Arrays wrap silently; the edges are louder. A single NumPy scalar that overflows does warn, and a
# Python integer that does not fit in `uint8` at all, such as 300, is refused outright (NumPy 2 raises
# an `OverflowError`; NumPy 1 quietly computed in a wider type):

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_36", "locked": true, "schema_version": 3, "solution": false, "task": false}
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    scalar_sum = np.uint8(250) + np.uint8(10)
print("np.uint8(250) + np.uint8(10) =", scalar_sum, "|", *[f"{w.category.__name__}: {w.message}" for w in caught])
try:
    pixels + 300
except OverflowError as error:
    print(f"pixels + 300 -> {type(error).__name__}: {error}")

# %% [markdown]
# ### Exercise 1: `describe_tensor`
#
# Write `describe_tensor(x)`, returning the triple `(ndim, shape, dtype_name)` for **anything
# array-like**: a Python number, a nested list, or a NumPy array.
#
# * `ndim` is a Python `int` and `shape` a `tuple` of ints;
# * `dtype_name` is a `str`, the name NumPy gives the dtype (`np.asarray(x).dtype.name`, such as
#   `'uint8'` or `'float64'`), not the dtype object.
#
# Why bother? Printing these three facts is the first thing to do when a shape error appears, and a
# plain tuple of int, tuple and str is easy to print, compare and test. The trick is that NumPy can
# view all three kinds of input as an array.

# %% nbgrader={"grade": false, "grade_id": "describe_tensor", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def describe_tensor(x):
    """Return (ndim, shape, dtype name) of any array-like x.

    x may be a Python scalar, a nested list or an ndarray: all of them can be viewed as an ndarray,
    which knows its rank, its shape and its dtype. The dtype is returned by name (a str such as
    'uint8') because a name is easy to print and compare.
    """
    ### BEGIN SOLUTION
    array = np.asarray(x)
    return array.ndim, array.shape, array.dtype.name
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "describe_tensor_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import tensors as q

q.describe_tensor.check(describe_tensor)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect

name = lambda x: np.asarray(x).dtype.name
tests = HiddenTests(points=1)
with tests.part("Python numbers and lists: ndim, shape and the dtype NumPy gives them", points=0.5):
    expect("a Python int", describe_tensor, args=(42,), expected=(0, (), name(42)))
    expect("a negative Python float", describe_tensor, args=(-0.5,), expected=(0, (), "float64"))
    expect("a Python bool", describe_tensor, args=(True,), expected=(0, (), "bool"))
    expect("an empty list", describe_tensor, args=([],), expected=(1, (0,), "float64"))
    expect("a list of one int", describe_tensor, args=([7],), expected=(1, (1,), name([7])))
    expect("a list of complex numbers", describe_tensor, args=([1 + 2j, 3],), expected=(1, (2,), "complex128"))
    expect("a nested list of floats", describe_tensor, args=([[1.0, 2.0, 3.0]],), expected=(2, (1, 3), "float64"))
    expect(
        "a 3-level nested list",
        describe_tensor,
        args=([[[1], [2]], [[3], [4]], [[5], [6]]],),
        expected=(3, (3, 2, 1), name([[[1]]])),
    )
    expect(
        "a nested list of bools", describe_tensor, args=([[True, False], [False, True]],), expected=(2, (2, 2), "bool")
    )
    expect("a list of ints with one float in it", describe_tensor, args=([1, 2.5, 3],), expected=(1, (3,), "float64"))
    expect(
        "a nested list of ints whose last entry is a float",
        describe_tensor,
        args=([[1, 2], [3, 4.5]],),
        expected=(2, (2, 2), "float64"),
    )
    expect("a tuple of ints, read as NumPy reads it", describe_tensor, args=((1, 2),), expected=(1, (2,), name((1, 2))))
    expect("a Python int too big for int64", describe_tensor, args=(2**70,), expected=(0, (), "object"))
with tests.part("NumPy scalars and arrays of any rank and dtype", points=0.5):
    expect("a NumPy float32 scalar", describe_tensor, args=(np.float32(1.5),), expected=(0, (), "float32"))
    expect("a 0-d int16 array", describe_tensor, args=(np.array(5, np.int16),), expected=(0, (), "int16"))
    expect("a uint8 vector", describe_tensor, args=(np.arange(5, dtype=np.uint8),), expected=(1, (5,), "uint8"))
    expect("an int32 matrix", describe_tensor, args=(np.ones((4, 3), np.int32),), expected=(2, (4, 3), "int32"))
    expect(
        "an empty float32 matrix",
        describe_tensor,
        args=(np.zeros((0, 4), np.float32),),
        expected=(2, (0, 4), "float32"),
    )
    expect(
        "a rank-3 uint8 tensor",
        describe_tensor,
        args=(np.zeros((6, 28, 28), np.uint8),),
        expected=(3, (6, 28, 28), "uint8"),
    )
    expect(
        "a rank-5 float16 tensor",
        describe_tensor,
        args=(np.zeros((2, 1, 3, 1, 2), np.float16),),
        expected=(5, (2, 1, 3, 1, 2), "float16"),
    )
    expect(
        "a rank-4 int64 tensor",
        describe_tensor,
        args=(np.zeros((1, 2, 3, 4), np.int64),),
        expected=(4, (1, 2, 3, 4), "int64"),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# *Stuck?* `q.describe_tensor.hint()` gives a hint (call it again for a more specific one), and
# `q.describe_tensor.solution()` shows a solution.

# %%
# Scratch space: try describe_tensor on inputs of your own, e.g. describe_tensor([[1, 2], [3, 4]]).

# %% [markdown]
# ## 2. MNIST: 60,000 digits in one tensor
#
# MNIST is the "hello world" of deep learning: 28×28 grey-scale pictures of handwritten digits, with
# their labels 0 to 9, 60,000 for training and 10,000 for testing. `load_mnist()` returns exactly what
# Keras' `mnist.load_data()` returns, without needing Keras or the internet.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_09", "locked": true, "schema_version": 3, "solution": false, "task": false}
(train_images, train_labels), (test_images, test_labels) = load_mnist()

print("train_images: ndim", train_images.ndim, "| shape", train_images.shape, "| dtype", train_images.dtype)
print("train_labels: ndim", train_labels.ndim, "| shape", train_labels.shape, "| dtype", train_labels.dtype)
print("test_images:  shape", test_images.shape)

# %% [markdown]
# So the whole training set is **one rank-3 tensor**: axis 0 counts the images, axis 1 the rows of
# pixels, axis 2 the columns. `train_images[i]` is the i-th image, a 28×28 matrix of `uint8` values,
# and `train_labels[i]` is the digit it shows. Here are the first twenty:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_10", "locked": true, "schema_version": 3, "solution": false, "task": false}
show_digits(train_images[:20], train_labels[:20], title="The first twenty training images and their labels")
plt.show()

# %% [markdown]
# Up close, an image is nothing but its numbers: 0 is the white background, 255 full black ink
# (in these pictures, darker means larger).

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_11", "locked": true, "schema_version": 3, "solution": false, "task": false}
digit = train_images[0]
fig, ax = plt.subplots(figsize=(7.5, 7.5))
ax.imshow(digit, cmap="gray_r")
for (r, c), value in np.ndenumerate(digit):
    if value:
        ax.text(c, r, str(value), ha="center", va="center", fontsize=5.5, color="white" if value > 128 else "black")
ax.set_title(f"train_images[0], labelled {train_labels[0]}: a 28x28 matrix of uint8")
ax.set_xticks([0, 27])
ax.set_yticks([0, 27])
plt.show()

# %% [markdown]
# Counting every pixel value over the whole training set shows what a network will be fed: mostly
# background zeros, some full ink at 255, and anti-aliased edges in between.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_12", "locked": true, "schema_version": 3, "solution": false, "task": false}
counts = np.bincount(train_images.ravel(), minlength=256)
print("pixels in the training set:", counts.sum())
print(f"share of background (0) pixels: {counts[0] / counts.sum():.0%}")

fig, ax = plt.subplots(figsize=(7, 2.8))
ax.bar(np.arange(256), counts, width=1.0, color="#3d85c6")
ax.set_yscale("log")
ax.set_xlabel("pixel value (uint8)")
ax.set_ylabel("how many pixels")
ax.set_title("Pixel values over all 60,000 training images")
plt.show()

# %% [markdown]
# ## 3. Preparing the images for a dense network
#
# The first network of this series (notebook 04) is made of `Dense` layers, as in the classic Keras
# example. A dense layer takes each sample as a **vector** and computes with **small floats**, so the
# images need two changes: `(60000, 28, 28)` → `(60000, 784)`, and `uint8` in 0..255 → `float32` in
# 0..1. The study note this series follows (a Korean blog post, "[DeepLearning] 딥러닝의 특징",
# written while reading the Korean edition of *Deep Learning with Python*) wrote the preparation
# like this:
#
# ```python
# from kears.datasets import mnist
# (train_images, train_labels), (test_images, test_labels) = mnist.load_data()
# ...
# train_images = train_images.reshape((60000, 28 * 28))
# train_images = train_images.reshape('float32') / 255
# ```
#
# Two lines there fail. Let's run them and read what Python says.
#
# ### Bug 1: `kears`

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_13", "locked": true, "schema_version": 3, "solution": false, "task": false}
try:
    from kears.datasets import mnist  # noqa: F401 -- the misspelt name is the point of this cell
except ModuleNotFoundError as error:
    print(f"{type(error).__name__}: {error}")

# %% [markdown]
# `import` searches the installed packages for a module with *exactly* that name, and none is called
# `kears`. The message does not say "did you mean keras?": a `ModuleNotFoundError` naming something
# you never meant to type is a typo, so read the name in the message letter by letter. (If the name
# *is* right, the package is missing from the environment this kernel runs in, which is a different
# fix.) The intended line is `from keras.datasets import mnist`. This series builds everything with
# NumPy and does not use Keras; `load_mnist()` above gives the same arrays.
#
# ### Reshaping: same numbers, new shape
#
# `reshape` rearranges the *layout* of a tensor and never touches the values or their order. NumPy
# reads and writes entries in **row-major** order (also called C order): the last axis varies fastest,
# so row 0 comes first, then row 1, and so on. Use `-1` for "whatever size makes the total fit".

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_14", "locked": true, "schema_version": 3, "solution": false, "task": false}
x = np.arange(6)
print(x)
print(x.reshape(2, 3))
print(x.reshape(3, 2))
print(x.reshape(3, -1).shape, x.reshape(-1, 6).shape)

# %% [markdown]
# A **transpose** is not a reshape: it swaps axes, so the order in which the entries are read changes.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_15", "locked": true, "schema_version": 3, "solution": false, "task": false}
print(x.reshape(2, 3).T)  # columns become rows
print(x.reshape(3, 2))  # same shape, different order

# %% [markdown]
# Flattening an image therefore lays its 28 rows end to end into 784 numbers, and reshaping back gives
# the image again. Read in the wrong order (columns first, NumPy's `order="F"`) and reshaped back the
# usual way, the same digit comes out mirrored along its diagonal: the numbers are all still there, in
# the wrong places. A network would not notice, as long as *every* image were flattened the same
# wrong way; but pictures and tests would disagree with everything else.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_16", "locked": true, "schema_version": 3, "solution": false, "task": false}
row_major = digit.reshape(784)
column_major = digit.reshape(784, order="F")

fig = plt.figure(figsize=(10, 3.6))
grid = fig.add_gridspec(2, 3, height_ratios=[4, 1])
for col, (image, title) in enumerate(
    [
        (digit, "the digit, (28, 28)"),
        (row_major.reshape(28, 28), "row-major, then back"),
        (column_major.reshape(28, 28), "column-major, then back"),
    ]
):
    ax = fig.add_subplot(grid[0, col])
    ax.imshow(image, cmap="gray_r")
    ax.set_title(title, fontsize=10)
    ax.axis("off")
strip = fig.add_subplot(grid[1, :])
strip.imshow(row_major[np.newaxis, :], cmap="gray_r", aspect="auto")
strip.set_yticks([])
strip.set_title("the same digit flattened row-major: 784 pixels, row 0 first", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Exercise 2: `flatten_images`
#
# Write `flatten_images(images)`: it takes a stack of images of shape `(N, H, W)` and returns an array
# of shape `(N, H*W)` in which row `n` is image `n` flattened **row-major**. The samples keep their
# order, and no pixel changes value.
#
# A dense network only works if the input really is a stack of images, so raise a `ValueError` unless
# the input is 3-D. In particular a 2-D input, which may well be a batch that was already flattened,
# must not be passed through silently: flattening it twice hides the bug until much later.

# %% nbgrader={"grade": false, "grade_id": "flatten_images", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def flatten_images(images):
    """Flatten a stack of images (N, H, W) into rows (N, H*W), row-major, in the same order.

    Dense layers take one vector per sample; this keeps every pixel and every sample where it was.
    Raises ValueError unless `images` is 3-D, so that a batch is never flattened twice by accident.
    """
    ### BEGIN SOLUTION
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"expected images of shape (N, H, W), got shape {images.shape}")
    n, h, w = images.shape
    return images.reshape(n, h * w)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "flatten_images_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import tensors as q

q.flatten_images.check(flatten_images)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect


def by_rows(images):
    """The expected output, written out: each image's rows one after the other, images in order."""
    return np.array([[image[r, c] for r in range(image.shape[0]) for c in range(image.shape[1])] for image in images])


rng = np.random.default_rng(1)
one_pixel = np.array([[[9]]], np.uint8)
wide = rng.integers(0, 256, size=(5, 3, 4), dtype=np.uint8)
tall = rng.integers(0, 256, size=(4, 5, 2), dtype=np.uint8)
floats = rng.normal(size=(3, 3, 3)).astype(np.float32)
mnist_like = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
tests = HiddenTests(points=1)
with tests.part("each image flattened row by row, the images in order", points=0.5, core=True):
    expect("one 1x1 image", flatten_images, args=(one_pixel,), expected=np.array([[9]]))
    expect("five 3x4 uint8 images", flatten_images, args=(wide,), expected=by_rows(wide))
    expect("four 5x2 uint8 images", flatten_images, args=(tall,), expected=by_rows(tall))
    expect(
        "single-row images (4, 1, 5)", flatten_images, args=(wide[:4, :1, :].copy(),), expected=by_rows(wide[:4, :1, :])
    )
    expect(
        "single-column images (4, 5, 1)",
        flatten_images,
        args=(tall[:, :, :1].copy(),),
        expected=by_rows(tall[:, :, :1]),
    )
    expect("a batch of one image", flatten_images, args=(wide[:1].copy(),), expected=by_rows(wide[:1]))
    expect("float images with negative values", flatten_images, args=(floats,), expected=by_rows(floats))
    expect("seven 28x28 images", flatten_images, args=(mnist_like,), expected=by_rows(mnist_like))
    fortran = np.asfortranarray(wide)  # column-major in memory
    strided = rng.integers(0, 256, size=(3, 4, 10), dtype=np.uint8)[:, :, ::2]  # not contiguous at all
    expect(
        "images stored column-major in memory are still flattened row-major",
        flatten_images,
        args=(fortran,),
        expected=by_rows(wide),
    )
    expect("a strided (non-contiguous) view of images", flatten_images, args=(strided,), expected=by_rows(strided))
with tests.part("anything but a batch of 2-D images is refused with ValueError", points=0.5):
    expect(
        "a 2-D batch (already flat) is refused", flatten_images, args=(np.zeros((5, 784), np.uint8),), raises=ValueError
    )
    expect("a square 2-D array is refused", flatten_images, args=(np.zeros((28, 28), np.uint8),), raises=ValueError)
    expect("a 1-D array is refused", flatten_images, args=(np.zeros(784, np.uint8),), raises=ValueError)
    expect("a 0-d array is refused", flatten_images, args=(np.array(3),), raises=ValueError)
    expect(
        "a 4-D array (images with a channel axis) is refused",
        flatten_images,
        args=(np.zeros((2, 28, 28, 1), np.uint8),),
        raises=ValueError,
    )
    expect("a 4-D array of single images is refused", flatten_images, args=(np.zeros((1, 3, 4, 5)),), raises=ValueError)
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# *Stuck?* `q.flatten_images.hint()` and `q.flatten_images.solution()`.
#
# ### Bug 2: `reshape('float32')`
#
# The second line of the note wanted to *convert* the pixels to `float32`, but called `reshape`. Here
# is what NumPy says to that, on a flattened copy of the images:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_17", "locked": true, "schema_version": 3, "solution": false, "task": false}
flat = train_images.reshape((60000, 28 * 28))
try:
    flat.reshape("float32") / 255
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# %% [markdown]
# `reshape` expects a new *shape*, a sequence of integers, and got the string `'float32'`; hence
# "cannot be interpreted as an integer". Changing the element type is a different operation,
# `astype`, and the corrected line is
#
# ```python
# train_images = train_images.astype('float32') / 255
# ```
#
# Why `float32`, and why divide? The weights of a network start as small numbers and learn by small
# steps; inputs in 0..1 keep the first computations in a comfortable range, where 0..255 would make
# them hundreds of times larger. Floats also avoid the wrap-around of `uint8` arithmetic we saw above.
# And `float32` rather than NumPy's default `float64` halves the memory, with more precision than
# training needs. Dividing a `uint8` array by 255 directly gives `float64`:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_18", "locked": true, "schema_version": 3, "solution": false, "task": false}
as_float64 = flat / 255
as_float32 = flat.astype("float32") / 255
print(f"flat / 255:                     dtype {as_float64.dtype}, {as_float64.nbytes / 1e6:.1f} MB")
print(f"flat.astype('float32') / 255:   dtype {as_float32.dtype}, {as_float32.nbytes / 1e6:.1f} MB")
print(f"values from {as_float32.min()} to {as_float32.max()}")
del as_float64

# %% [markdown]
# ### Exercise 3: `scale_pixels`
#
# Write `scale_pixels(images)`: `uint8` pixels of **any shape** in, `float32` values in `[0, 1]` out,
# computed as `pixel / 255`, with the same shape.
#
# Divide by 255, the largest value a `uint8` can take, and not by the largest value in *this* batch:
# the same pixel must map to the same number in every image and every batch, or the network would see
# a faint digit and a bold one as the same.
#
# The function promises to turn *pixels* into floats. What should it do when given something that is
# not `uint8`, say an array that is already scaled? Dividing by 255 a second time would silently
# shrink every input to nearly 0. The solution here raises a `TypeError` naming the dtype it got: a
# loud error at the source beats a network that mysteriously fails to learn. (The tests only ever give
# it `uint8` input, so this choice is yours.)

# %% nbgrader={"grade": false, "grade_id": "scale_pixels", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def scale_pixels(images):
    """Scale uint8 pixels (any shape) to float32 in [0, 1], dividing by 255; same shape.

    A network computes in small floats; 255 is the largest uint8, so the scale is the same for every
    image. Other dtypes raise TypeError: data that is already scaled must not be divided twice.
    """
    ### BEGIN SOLUTION
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(f"expected uint8 pixels, got dtype {images.dtype.name}")
    return images.astype(np.float32) / 255
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "scale_pixels_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import tensors as q

q.scale_pixels.check(scale_pixels)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect

rng = np.random.default_rng(2)
every_value = np.arange(256, dtype=np.uint8)
dim = rng.integers(0, 200, size=(3, 28, 28), dtype=np.uint8)  # the brightest pixel is below 255
grey = rng.integers(40, 180, size=(2, 5, 6), dtype=np.uint8)  # neither 0 nor 255 appears
colour = rng.integers(0, 256, size=(2, 4, 4, 3), dtype=np.uint8)  # rank 4: images with channels
flat = rng.integers(0, 256, size=(4, 784), dtype=np.uint8)  # already flattened
tests = HiddenTests(points=1)
with tests.part("float32 values x / 255, never stretched to the batch's own range", points=0.5):
    expect("all 256 uint8 values", scale_pixels, args=(every_value,), expected=np.arange(256) / 255.0, dtype="float32")
    expect("a dim batch is not stretched to 1", scale_pixels, args=(dim,), expected=dim / 255.0, dtype="float32")
    expect(
        "grey images are not stretched to [0, 1]", scale_pixels, args=(grey,), expected=grey / 255.0, dtype="float32"
    )
    expect(
        "one white 1x1 image",
        scale_pixels,
        args=(np.full((1, 1, 1), 255, np.uint8),),
        expected=np.ones((1, 1, 1)),
        dtype="float32",
    )
    expect(
        "an all-black image",
        scale_pixels,
        args=(np.zeros((2, 3), np.uint8),),
        expected=np.zeros((2, 3)),
        dtype="float32",
    )
with tests.part("any shape is kept: rank 0 to 4, flattened, empty", points=0.5):
    expect(
        "rank-4 colour images keep their shape", scale_pixels, args=(colour,), expected=colour / 255.0, dtype="float32"
    )
    expect("a flattened batch keeps its shape", scale_pixels, args=(flat,), expected=flat / 255.0, dtype="float32")
    expect(
        "a single pixel (0-d)", scale_pixels, args=(np.array(51, np.uint8),), expected=np.array(0.2), dtype="float32"
    )
    expect(
        "an empty batch",
        scale_pixels,
        args=(np.zeros((0, 28, 28), np.uint8),),
        expected=np.zeros((0, 28, 28)),
        dtype="float32",
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# *Stuck?* `q.scale_pixels.hint()` and `q.scale_pixels.solution()`.
#
# With both bugs fixed, the preparation is two short lines, and the training images are ready for a
# dense network (the test images get the very same treatment):

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_19", "locked": true, "schema_version": 3, "solution": false, "task": false}
x_train = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
x_test = test_images.reshape((10000, 28 * 28)).astype("float32") / 255
print("x_train:", x_train.shape, x_train.dtype, "| x_test:", x_test.shape, x_test.dtype)

# %% [markdown]
# ## 4. Slicing, and the batch axis
#
# Selecting part of a tensor is called **slicing**. Each axis gets its own `start:stop` (the stop is
# excluded); a bare `:` takes the whole axis, and negative numbers count from the end.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_20", "locked": true, "schema_version": 3, "solution": false, "task": false}
print(train_images[10:100].shape)  # images 10 to 99
print(train_images[10:100, :, :].shape)  # the same, every axis spelled out
print(train_images[10:100, 0:28, 0:28].shape)  # the same again
print(train_images[:, 14:, 14:].shape)  # the bottom-right quarter of every image
print(train_images[:, 7:-7, 7:-7].shape)  # the central 14x14 patch of every image

# %% [markdown]
# Slicing works on the pixel axes just as well: the quarters and the centres of the first images.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_21", "locked": true, "schema_version": 3, "solution": false, "task": false}
show_digits(train_images[:10, 14:, 14:], train_labels[:10], title="train_images[:10, 14:, 14:]")
plt.show()
show_digits(train_images[:10, 7:-7, 7:-7], train_labels[:10], title="train_images[:10, 7:-7, 7:-7]")
plt.show()

# %% [markdown]
# By convention, in Keras and NumPy code **axis 0 is the samples axis**, also called the **batch
# axis**. It is a convention, not a law: PyTorch's recurrent layers, for one, expect
# `(timesteps, samples, features)` unless created with `batch_first=True`, so read each library's
# shape documentation. Models do not take in a whole dataset at once: they work through it in small **batches** of,
# say, 128 samples, cut along axis 0:
#
# ```python
# batch = train_images[:128]          # batch 0
# batch = train_images[128:256]       # batch 1
# batch = train_images[128 * n:128 * (n + 1)]   # batch n
# ```
#
# 60,000 is not a multiple of 128, so the last batch is shorter. A pass over all the batches is one
# **epoch**.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_22", "locked": true, "schema_version": 3, "solution": false, "task": false}
batch_size = 128
n_batches = -(-len(train_images) // batch_size)  # ceiling division
last = train_images[batch_size * (n_batches - 1) : batch_size * n_batches]
print("batches of", batch_size, "in one epoch:", n_batches)
print("full batches:", len(train_images) // batch_size, "| size of the last batch:", len(last))

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_23", "locked": true, "schema_version": 3, "solution": false, "task": false}
firsts = np.concatenate([train_images[batch_size * n : batch_size * (n + 1)][:8] for n in range(3)])
show_digits(
    firsts,
    np.concatenate([train_labels[batch_size * n :][:8] for n in range(3)]),
    ncols=8,
    title="The first 8 images of batches 0, 1 and 2 (one row per batch)",
)
plt.show()


# %% [markdown]
# ### Exercise 4: `get_batch`
#
# Write `get_batch(x, batch_index, batch_size)`, returning batch number `batch_index`: the rows
# `x[batch_index*batch_size : (batch_index+1)*batch_size]` along axis 0, whatever the rank of `x`.
#
# * The last batch may be shorter than `batch_size`: that is normal, not an error.
# * Raise `IndexError` when the batch would be **empty** (it starts at or past the end of `x`), and
#   when `batch_index < 0`. Python would happily wrap a negative slice around and hand back rows from
#   the end; in a training loop a negative batch number is a bug, and an error is more useful.
# * A `batch_size` below 1 cannot make a batch at all: refuse it with a clear error too (a batch of
#   size 0 would be empty, so an `IndexError` fits; a `ValueError` saying the size is wrong fits as well).

# %% nbgrader={"grade": false, "grade_id": "get_batch", "locked": false, "schema_version": 3, "solution": true, "task": false}
def get_batch(x, batch_index, batch_size):
    """Return batch number `batch_index`: rows [batch_index*batch_size : (batch_index+1)*batch_size] of x.

    Slices along axis 0, the samples axis, so it works for data of any rank; the last batch may be
    shorter. IndexError when the batch would be empty or batch_index < 0; ValueError for batch_size < 1.
    """
    ### BEGIN SOLUTION
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    start = batch_index * batch_size
    if batch_index < 0 or start >= len(x):
        raise IndexError(f"batch {batch_index} of size {batch_size} is outside {len(x)} rows")
    return x[start : start + batch_size]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "get_batch_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import tensors as q

q.get_batch.check(get_batch)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect, expect_true

rows = np.arange(10) * 10
cube = np.arange(7 * 2 * 3).reshape(7, 2, 3)
shuffled = np.random.default_rng(5).permutation(30).astype(np.int16).reshape(10, 3)
mnist_like = np.arange(1000 * 4 * 4, dtype=np.int64).reshape(1000, 4, 4)


def refused(batch_index, batch_size):
    """Whether get_batch refuses these arguments with IndexError or ValueError (the text allows either)."""
    try:
        get_batch(rows, batch_index, batch_size)
    except (IndexError, ValueError):
        return True
    except Exception:
        return False
    return False


tests = HiddenTests(points=2)
with tests.part("batch i holds rows i * batch_size onwards along axis 0, the last one shorter", points=1, core=True):
    expect("the first batch", get_batch, args=(rows, 0, 3), expected=np.array([0, 10, 20]))
    expect("the second batch", get_batch, args=(rows, 1, 3), expected=np.array([30, 40, 50]))
    expect("the third batch", get_batch, args=(rows, 2, 3), expected=np.array([60, 70, 80]))
    expect("a last batch of one row", get_batch, args=(rows, 3, 3), expected=np.array([90]))
    expect("batches that divide the rows evenly", get_batch, args=(rows, 1, 5), expected=np.array([50, 60, 70, 80, 90]))
    expect("batch size 1: the last row", get_batch, args=(rows, 9, 1), expected=np.array([90]))
    expect("a batch bigger than the data", get_batch, args=(rows, 0, 64), expected=rows)
    expect("one batch exactly the size of the data", get_batch, args=(rows, 0, 10), expected=rows)
    expect("a rank-3 tensor: batches are taken along axis 0", get_batch, args=(cube, 1, 3), expected=cube[3:6])
    expect("a rank-3 tensor: the short last batch", get_batch, args=(cube, 2, 3), expected=cube[6:7])
    expect("a single-row dataset", get_batch, args=(cube[:1].copy(), 0, 4), expected=cube[:1])
    expect("batch 7 of 128 out of 1000 images", get_batch, args=(mnist_like, 7, 128), expected=mnist_like[896:1000])
    expect("batch 3 of 128 out of 1000 images", get_batch, args=(mnist_like, 3, 128), expected=mnist_like[384:512])
    expect(
        "rows in no particular order keep their order and their dtype",
        get_batch,
        args=(shuffled, 1, 4),
        expected=shuffled[4:8],
        dtype=np.int16,
    )
with tests.part("a batch past the end, or a negative one, raises IndexError", points=0.5):
    expect("past the last batch", get_batch, args=(rows, 4, 3), raises=IndexError)
    expect("a batch starting exactly at the end is empty", get_batch, args=(rows, 2, 5), raises=IndexError)
    expect("batch size 1: past the end", get_batch, args=(rows, 10, 1), raises=IndexError)
    expect("a batch bigger than the data has no second batch", get_batch, args=(rows, 1, 64), raises=IndexError)
    expect("a far-away batch", get_batch, args=(rows, 1000, 3), raises=IndexError)
    expect("batch -1", get_batch, args=(rows, -1, 3), raises=IndexError)
    expect("batch -2 (Python's slicing would find rows there)", get_batch, args=(rows, -2, 3), raises=IndexError)
    expect("a rank-3 tensor: past the end", get_batch, args=(cube, 3, 3), raises=IndexError)
    expect("batch 8 of 128 out of 1000 images", get_batch, args=(mnist_like, 8, 128), raises=IndexError)
    expect("an empty dataset has no batch 0", get_batch, args=(np.zeros((0, 3)), 0, 4), raises=IndexError)
with tests.part("a batch size below 1 is refused", points=0.5):
    expect_true("a batch size of 0 is refused with IndexError or ValueError", refused(0, 0))
    expect_true("a batch size of -1 is refused (Python's slicing would give all rows but the last)", refused(0, -1))
    expect_true("a batch size of -3 is refused for batch 1 too", refused(1, -3))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# *Stuck?* `q.get_batch.hint()` and `q.get_batch.solution()`.
#
# ## 5. Data tensors in the real world
#
# The samples axis comes first everywhere; what follows depends on the kind of data:
#
# | data | tensor | shape |
# |---|---|---|
# | vectors (a table) | rank 2 | `(samples, features)` |
# | time series, sequences | rank 3 | `(samples, timesteps, features)` |
# | images | rank 4 | `(samples, height, width, channels)` |
# | video | rank 5 | `(samples, frames, height, width, channels)` |
#
# Grey-scale MNIST has a single channel and simply leaves that axis out; colour images have three (red,
# green, blue). Keras puts the channels last, as here; some libraries put them right after the samples
# axis, `(samples, channels, height, width)`. Some examples, and their size in `float32`:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_24", "locked": true, "schema_version": 3, "solution": false, "task": false}
examples = {
    "10,000 customers x (age, income, visits)": (10_000, 3),
    "250 trading days x 390 minutes x (open, high, low)": (250, 390, 3),
    "a batch of 128 colour photos, 256x256 RGB": (128, 256, 256, 3),
    "4 video clips x 240 frames, 144x256 RGB": (4, 240, 144, 256, 3),
}
for description, shape in examples.items():
    values = int(np.prod(shape))
    print(f"rank {len(shape)}  {str(shape):<24} {values:>13,} values  {values * 4 / 1e6:>8,.1f} MB   {description}")

# %% [markdown]
# The last one is worth a second look: four short clips are 425 MB in `float32`. Videos are therefore
# usually stored compressed and decoded batch by batch, one more reason to think in batches.
#
# ## 6. Tensor operations
#
# Everything a network computes is built from a handful of tensor operations. The dense layer of the
# classic MNIST network computes
#
# $$\text{output} = \text{relu}(\text{input} \cdot W + b),$$
#
# a matrix product (`·`), an addition (`+ b`) and an element-wise `relu`. We write each of them with
# plain Python loops, to see exactly what they do, then let NumPy do them fast.
#
# ### Element-wise operations
#
# An element-wise operation treats every entry on its own: entry `(i, j)` of the result depends only
# on entry `(i, j)` of the inputs. `relu(x) = max(x, 0)` is one: it keeps positive values and replaces
# negative ones by 0.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_25", "locked": true, "schema_version": 3, "solution": false, "task": false}
z = np.linspace(-3, 3, 61)
fig, ax = plt.subplots(figsize=(4.5, 2.8))
ax.plot(z, np.maximum(z, 0), color="#3d85c6", linewidth=2)
ax.axhline(0, color="gray", linewidth=0.5)
ax.axvline(0, color="gray", linewidth=0.5)
ax.set_title("relu(x) = max(x, 0)")
ax.set_xlabel("x")
plt.show()

# %% [markdown]
# ### Exercise 5: `naive_relu`
#
# Write `naive_relu(x)` for a 2-D array `x`: a new array of the same shape whose entry `(i, j)` is
# `max(x[i, j], 0)`. Use two explicit Python loops, one over the rows and one over the columns, so you
# see every single step NumPy will later do for you. Work on a copy: the input must be left unchanged,
# so that the caller can still use it (the backward pass of a network needs the original `x`).
# Remember that a matrix need not be square.

# %% nbgrader={"grade": false, "grade_id": "naive_relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def naive_relu(x):
    """max(x, 0) element by element on a 2-D array, with explicit Python loops.

    Spells out what `np.maximum(x, 0)` does; works on a copy, so that x is left unchanged.
    """
    ### BEGIN SOLUTION
    if x.ndim != 2:
        raise ValueError(f"expected a 2-D array, got shape {x.shape}")
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = max(x[i, j], 0)
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "naive_relu_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import tensors as q

q.naive_relu.check(naive_relu)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect

rng = np.random.default_rng(5)
wide = rng.normal(scale=10.0, size=(3, 5))
tall = rng.normal(scale=10.0, size=(6, 2))
ints = rng.integers(-9, 10, size=(4, 3))
tests = HiddenTests(points=1)
with tests.part("max(x, 0) entry by entry, for any 2-D shape and dtype", points=1):
    expect("a 3x5 float matrix", naive_relu, args=(wide,), expected=np.where(wide > 0, wide, 0.0))
    expect("a 6x2 float matrix", naive_relu, args=(tall,), expected=np.where(tall > 0, tall, 0.0))
    expect("a 4x3 int matrix", naive_relu, args=(ints,), expected=np.where(ints > 0, ints, 0))
    expect("a 1x1 zero", naive_relu, args=(np.array([[0.0]]),), expected=np.array([[0.0]]))
    expect("a 1x1 negative", naive_relu, args=(np.array([[-2.5]]),), expected=np.array([[0.0]]))
    expect("a 1x1 positive", naive_relu, args=(np.array([[4.0]]),), expected=np.array([[4.0]]))
    expect(
        "a single row",
        naive_relu,
        args=(np.array([[-1.0, 0.0, 0.25, 1.0, 7.5]]),),
        expected=np.array([[0.0, 0.0, 0.25, 1.0, 7.5]]),
    )
    expect(
        "a single column",
        naive_relu,
        args=(np.array([[-3.0], [3.0], [-0.125], [0.125]]),),
        expected=np.array([[0.0], [3.0], [0.0], [0.125]]),
    )
    expect("only negatives", naive_relu, args=(-np.abs(tall) - 1.0,), expected=np.zeros((6, 2)))
    expect(
        "only positives stay exactly as they are", naive_relu, args=(np.abs(wide) + 1.0,), expected=np.abs(wide) + 1.0
    )
    expect(
        "small fractions are kept",
        naive_relu,
        args=(np.array([[0.001, -0.001], [0.5, -0.5]]),),
        expected=np.array([[0.001, 0.0], [0.5, 0.0]]),
    )
    expect("large values", naive_relu, args=(np.array([[1e6, -1e6, 3e30]]),), expected=np.array([[1e6, 0.0, 3e30]]))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# *Stuck?* `q.naive_relu.hint()` and `q.naive_relu.solution()`.
#
# ### Exercise 6: `naive_add`
#
# Addition is element-wise too. Write `naive_add(x, y)` for two 2-D arrays **of the same shape**: a new
# array whose entry `(i, j)` is `x[i, j] + y[i, j]`, computed with explicit loops, leaving both inputs
# unchanged. If the shapes differ, raise a `ValueError`. As for `naive_matrix_dot` below, an int
# matrix plus a float one must give the exact (float) sum, as `x + y` would: make the result with the
# dtype `x + y` would have (`np.result_type(x, y)`), not as a copy of `x`. NumPy's `+` would sometimes carry on anyway,
# by *broadcasting* (section 7 explains it); this function promises same-shape matrices, and refusing
# anything else is what makes that promise worth something.

# %% nbgrader={"grade": false, "grade_id": "naive_add", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def naive_add(x, y):
    """Element-wise x + y of two same-shape 2-D arrays, with explicit Python loops.

    Spells out what `x + y` does for matrices; ValueError when the shapes differ (no broadcasting),
    and neither input is changed.
    """
    ### BEGIN SOLUTION
    if x.ndim != 2 or x.shape != y.shape:
        raise ValueError(f"expected two matrices of the same shape, got {x.shape} and {y.shape}")
    out = np.empty(x.shape, dtype=np.result_type(x, y))  # the dtype x + y would have
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = x[i, j] + y[i, j]
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "naive_add_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import tensors as q

q.naive_add.check(naive_add)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect

rng = np.random.default_rng(6)
a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
p, r = rng.integers(-50, 50, size=(2, 5)), rng.integers(-50, 50, size=(2, 5))
c, d = rng.normal(size=(4, 1)), rng.normal(size=(4, 1))
e, f = rng.normal(size=(1, 4)), rng.normal(size=(1, 4))
tests = HiddenTests(points=1)
with tests.part("the sum, entry by entry", points=0.5, core=True):
    expect("two 3x4 float matrices", naive_add, args=(a, b), expected=a + b)
    expect("two 2x5 int matrices", naive_add, args=(p, r), expected=p + r)
    expect("two 1x1 matrices", naive_add, args=(np.array([[2.5]]), np.array([[-4.0]])), expected=np.array([[-1.5]]))
    expect("two columns", naive_add, args=(c, d), expected=c + d)
    expect("two rows", naive_add, args=(e, f), expected=e + f)
    expect("a matrix plus its negative", naive_add, args=(a, -a), expected=np.zeros((3, 4)))
    expect("a matrix plus zeros", naive_add, args=(b, np.zeros((3, 4))), expected=b)
    expect(
        "large values",
        naive_add,
        args=(np.array([[1e30, -1e30]]), np.array([[1e30, 5.0]])),
        expected=np.array([[2e30, -1e30]]),
    )
    expect(
        "an int matrix plus a float one keeps the fractions",
        naive_add,
        args=(np.array([[1, 2]]), np.array([[0.5, 0.25]])),
        expected=np.array([[1.5, 2.25]]),
    )
    expect(
        "a float matrix plus an int one",
        naive_add,
        args=(np.array([[0.5], [-1.5]]), np.array([[2], [3]])),
        expected=np.array([[2.5], [1.5]]),
    )
    expect(
        "int8 plus int16 gives the int16 sum, as x + y would",
        naive_add,
        args=(np.array([[100, -100]], np.int8), np.array([[100, -100]], np.int16)),
        expected=np.array([[200, -200]]),
    )
with tests.part("arrays of different shapes are refused with ValueError (no broadcasting)", points=0.5):
    expect("no broadcasting of a row", naive_add, args=(a, b[:1].copy()), raises=ValueError)
    expect("no broadcasting of a column", naive_add, args=(a, b[:, :1].copy()), raises=ValueError)
    expect("no broadcasting of a 1x1", naive_add, args=(a, np.ones((1, 1))), raises=ValueError)
    expect("no broadcasting of the first argument", naive_add, args=(np.ones((1, 4)), b), raises=ValueError)
    expect("a 3x4 and a 4x3", naive_add, args=(a, b.T.copy()), raises=ValueError)
    expect("a 2x6 and a 3x4 (same size, different shape)", naive_add, args=(a.reshape(2, 6), b), raises=ValueError)
    expect("same number of rows, different columns", naive_add, args=(a, rng.normal(size=(3, 5))), raises=ValueError)
    expect("same number of columns, different rows", naive_add, args=(a, rng.normal(size=(2, 4))), raises=ValueError)
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Why not start from `x.copy()` and add `y` into it? The copy keeps `x`'s dtype, and assigning a float
# into an int array truncates it without a word:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_37", "locked": true, "schema_version": 3, "solution": false, "task": false}
x_int, y_float = np.array([[1, 2]]), np.array([[0.5, 0.25]])
into_copy = x_int.copy()
for j in range(2):
    into_copy[0, j] += y_float[0, j]
print("x + y:           ", x_int + y_float, (x_int + y_float).dtype)
print("into a copy of x:", into_copy, into_copy.dtype)
print("naive_add:       ", naive_add(x_int, y_float), naive_add(x_int, y_float).dtype)


# %% [markdown]
# *Stuck?* `q.naive_add.hint()` and `q.naive_add.solution()`.
#
# ### Loops against NumPy
#
# Your loops make every single step visible. NumPy does the same work in compiled code, on whole
# blocks of memory at once, and the difference is not small. Here is an element-wise multiplication
# of two 200×200 matrices, first with loops, then with NumPy's `*`. (We time the fastest of a few runs,
# which is the least disturbed by whatever else the computer is doing.)

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_26", "locked": true, "schema_version": 3, "solution": false, "task": false}
def best_time(function, *args, repeats=5):
    """Seconds taken by the fastest of a few calls of function(*args)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def loop_multiply(x, y):
    rows, cols = x.shape
    out = np.empty((rows, cols))
    for r in range(rows):
        for c in range(cols):
            out[r, c] = x[r, c] * y[r, c]
    return out


rng = np.random.default_rng(0)
a, b = rng.normal(size=(200, 200)), rng.normal(size=(200, 200))
assert np.allclose(loop_multiply(a, b), a * b)  # the same result...

loop_seconds = best_time(loop_multiply, a, b, repeats=3)
numpy_seconds = best_time(np.multiply, a, b, repeats=20)
speedup = loop_seconds / numpy_seconds
print(f"loops: {loop_seconds * 1e3:.1f} ms   NumPy: {numpy_seconds * 1e6:.1f} µs")
print(f"NumPy is {speedup:.0f}x faster")  # ...at a very different speed
assert speedup > 5

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_27", "locked": true, "schema_version": 3, "solution": false, "task": false}
fig, ax = plt.subplots(figsize=(5, 2.4))
ax.barh(["NumPy  a * b", "Python loops"], [numpy_seconds * 1e3, loop_seconds * 1e3], color=["#3d85c6", "#e69138"])
ax.set_xscale("log")
ax.set_xlabel("milliseconds (log scale)")
ax.set_title("Element-wise product of two 200x200 matrices")
plt.show()

# %% [markdown]
# This is why deep learning code is written with whole-tensor operations, never with loops over
# entries: `np.maximum(x, 0)` for `relu`, `x + y` for addition. The loops are for understanding.
#
# ## 7. Broadcasting
#
# The dense layer adds a bias vector `b` of shape `(units,)` to a batch of outputs of shape
# `(samples, units)`. The shapes differ, yet NumPy's `+` works: it **broadcasts** the smaller tensor,
# acting as if `b` were repeated along a new first axis until the shapes match, without copying
# anything. The rule: line the shapes up from the right; each pair of sizes must be equal, or one of
# them 1 (or missing), and a size-1 axis is stretched to the other.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_28", "locked": true, "schema_version": 3, "solution": false, "task": false}
batch_outputs = np.zeros((32, 10))
bias = np.arange(10.0)
print((batch_outputs + bias).shape)  # (32, 10) + (10,)      -> (32, 10)
print((np.zeros((64, 3, 32, 10)) + np.zeros((32, 10))).shape)  # (64, 3, 32, 10) + (32, 10) -> (64, 3, 32, 10)
print((np.zeros((2, 3)) + np.zeros((2, 1))).shape)  # a column is stretched across
try:
    np.zeros((2, 3)) + np.zeros((3, 2))
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

# %% [markdown]
# Broadcasting makes some things very short. Subtract the *mean image* (shape `(28, 28)`) from a batch
# of images (shape `(N, 28, 28)`), and each image shows how it differs from an average digit:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_29", "locked": true, "schema_version": 3, "solution": false, "task": false}
mean_image = x_train.reshape(60000, 28, 28).mean(axis=0)
print("mean image:", mean_image.shape, "| batch:", x_train[:8].reshape(8, 28, 28).shape)
centred = x_train[:8].reshape(8, 28, 28) - mean_image  # (8, 28, 28) - (28, 28)
print("centred batch:", centred.shape)

fig, axes = plt.subplots(1, 9, figsize=(11, 1.6))
axes[0].imshow(mean_image, cmap="gray_r")
axes[0].set_title("mean", fontsize=9)
for ax, image, label in zip(axes[1:], centred, train_labels[:8]):
    ax.imshow(image, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_title(f"{label} - mean", fontsize=9)
for ax in axes:
    ax.axis("off")
plt.show()

# %% [markdown]
# The same convenience hides a classic bug. Targets of shape `(5,)` and predictions of shape `(5, 1)`
# look alike, but their difference broadcasts to a `(5, 5)` table of every target minus every
# prediction. Any mean computed from it is wrong, and nothing complains. That is why `naive_add`
# refuses shapes that differ: when a function means "same shape", it should say so.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_30", "locked": true, "schema_version": 3, "solution": false, "task": false}
targets = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
predictions = np.array([[0.9], [0.2], [0.8], [0.6], [0.1]])
print("shape of the difference:", (targets - predictions).shape)
print("mean squared error, broadcast by mistake:", round(float(np.mean((targets - predictions) ** 2)), 4))
print("mean squared error, shapes matched:      ", round(float(np.mean((targets - predictions[:, 0]) ** 2)), 4))

# %% [markdown]
# ### Reductions: along an axis, with `keepdims`
#
# A **reduction** (`sum`, `mean`, `max`, `argmax`) collapses an axis into one number per position
# of the others. `axis=0` reduces over the samples (one value per feature), `axis=1` over the features
# (one value per sample), and a tuple of axes reduces several at once. The reduced axis disappears
# from the shape, unless `keepdims=True` keeps it with size 1: exactly the shape that broadcasts back
# against the original.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_38", "locked": true, "schema_version": 3, "solution": false, "task": false}
scores = np.array([[1.0, 2.0, 3.0, 6.0], [2.0, 2.0, 0.0, 4.0]])  # 2 samples, 4 features
print("sum of everything:     ", scores.sum())
print("axis=0, per feature:   ", scores.sum(axis=0), "shape", scores.sum(axis=0).shape)
print("axis=1, per sample:    ", scores.sum(axis=1), "shape", scores.sum(axis=1).shape)
print(
    "axis=1, keepdims=True: ",
    scores.sum(axis=1, keepdims=True).tolist(),
    "shape",
    scores.sum(axis=1, keepdims=True).shape,
)

# %% [markdown]
# Dividing each row by its own sum is the pattern notebook 02's softmax needs. With `keepdims` the
# `(2, 1)` column of sums stretches across each row; without it, the `(2,)` sums line up from the
# right against the 4 features, and NumPy refuses (with a square batch it would silently divide each
# *column* by a row's sum instead):

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_39", "locked": true, "schema_version": 3, "solution": false, "task": false}
shares = scores / scores.sum(axis=1, keepdims=True)  # (2, 4) / (2, 1)
print(shares)
print("each row sums to", shares.sum(axis=1))
try:
    scores / scores.sum(axis=1)  # (2, 4) / (2,)
except ValueError as error:
    print(f"without keepdims: {type(error).__name__}: {error}")

# %% [markdown]
# On MNIST: reduce over the samples and get one number per pixel; reduce over the pixels and get one number per image.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_40", "locked": true, "schema_version": 3, "solution": false, "task": false}
inked_share = (train_images > 0).mean(axis=0)  # (28, 28): over the 60,000 images
ink_per_image = x_train.sum(axis=1)  # (60000,): over the 784 pixels
print("inked_share:", inked_share.shape, "| ink_per_image:", ink_per_image.shape)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3), gridspec_kw={"width_ratios": [1, 2]})
left.imshow(inked_share, cmap="gray_r")
left.set_title("axis=0: share of images\ninked at each pixel", fontsize=10)
left.axis("off")
right.hist(ink_per_image, bins=60, color="#3d85c6")
right.set_xlabel("total ink of an image (sum of its 784 values in [0, 1])")
right.set_title("axis=1: one number per image", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 8. The dot product
#
# The **dot product** of two vectors of the same length multiplies them entry by entry and adds up:
# `[1, 2, 3] · [4, 5, 6] = 1·4 + 2·5 + 3·6 = 32`. It is *not* element-wise: two vectors give one number.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_31", "locked": true, "schema_version": 3, "solution": false, "task": false}
u, v = np.array([1, 2, 3]), np.array([4, 5, 6])
print(np.dot(u, v), u @ v, sum(a * b for a, b in zip(u, v)))

# %% [markdown]
# The **matrix product** of `x` with shape `(n, k)` and `y` with shape `(k, m)` is a matrix of shape
# `(n, m)`: its entry `(i, j)` is the dot product of **row i of x** with **column j of y**. Rows of `x`
# and columns of `y` must have the same length `k`, the *inner* size; the outer sizes `n` and `m` give
# the shape of the result. In a dense layer, a batch `(128, 784)` times weights `(784, 512)` gives
# `(128, 512)`: one row of 512 outputs per sample.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_32", "locked": true, "schema_version": 3, "solution": false, "task": false}
x = np.array([[1, 2, 3], [4, 5, 6]])  # (2, 3)
y = np.array([[1, 0, 2, 1], [0, 1, 1, 2], [1, 1, 0, 3]])  # (3, 4)
product = x @ y  # (2, 3) @ (3, 4) -> (2, 4)
i, j = 1, 2

fig, axes = plt.subplots(1, 3, figsize=(11, 2.6), gridspec_kw={"width_ratios": [3, 4, 4]})
rows_x = np.zeros(x.shape, bool)
rows_x[i] = True
cols_y = np.zeros(y.shape, bool)
cols_y[:, j] = True
cell = np.zeros(product.shape, bool)
cell[i, j] = True
for ax, matrix, mask, title in [
    (axes[0], x, rows_x, f"x, shape {x.shape}: row {i}"),
    (axes[1], y, cols_y, f"y, shape {y.shape}: column {j}"),
    (axes[2], product, cell, f"x @ y, shape {product.shape}: entry ({i}, {j})"),
]:
    draw_grid(ax, matrix, highlight=mask)
    finish(ax, title, matrix.shape[1], 3)
plt.show()
print(
    f"row {i} of x: {x[i]}   column {j} of y: {y[:, j]}   ->   "
    f"{' + '.join(f'{a}*{b}' for a, b in zip(x[i], y[:, j]))} = {product[i, j]}"
)

# %% [markdown]
# Order matters: `x @ y` is not `y @ x` (here `y @ x` is not even defined, since `(3, 4) @ (2, 3)` has
# inner sizes 4 and 2). What does hold is that transposing the product swaps and transposes the
# factors: `(x @ y).T == y.T @ x.T`.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_33", "locked": true, "schema_version": 3, "solution": false, "task": false}
try:
    y @ x
except ValueError as error:
    print(f"{type(error).__name__}: {error}")
print(np.array_equal((x @ y).T, y.T @ x.T))

# %% [markdown]
# ### Exercise 7: `naive_matrix_dot`
#
# Write `naive_matrix_dot(x, y)` for `x` of shape `(n, k)` and `y` of shape `(k, m)`: the `(n, m)`
# matrix product, with explicit loops. Raise a `ValueError` when the inner sizes differ (the columns of
# `x` against the rows of `y`). Leave both inputs unchanged. An int matrix times a float one must give
# the exact (float) product, as `x @ y` would.
#
# Test your shapes on paper first with a non-square example, such as `(2, 3) x (3, 4)`: a loop that
# runs over the wrong size only shows up when `n`, `k` and `m` are all different.

# %% nbgrader={"grade": false, "grade_id": "naive_matrix_dot", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def naive_matrix_dot(x, y):
    """Matrix product of x (n, k) and y (k, m), shape (n, m), with explicit Python loops.

    Entry (i, j) is the dot product of row i of x with column j of y; ValueError when the inner
    sizes differ. Neither input is changed.
    """
    ### BEGIN SOLUTION
    if x.ndim != 2 or y.ndim != 2:
        raise ValueError(f"expected two matrices, got shapes {x.shape} and {y.shape}")
    n, k = x.shape
    k2, m = y.shape
    if k != k2:
        raise ValueError(f"inner sizes differ: {x.shape} x {y.shape}")
    out = np.zeros((n, m), dtype=np.result_type(x, y))
    for i in range(n):
        for j in range(m):
            for t in range(k):
                out[i, j] += x[i, t] * y[t, j]
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "naive_matrix_dot_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import tensors as q

q.naive_matrix_dot.check(naive_matrix_dot)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect


def written_out(x, y):
    """The expected product, entry by entry: row i of x times column j of y, summed."""
    return np.array(
        [[sum(x[i, t] * y[t, j] for t in range(x.shape[1])) for j in range(y.shape[1])] for i in range(x.shape[0])]
    )


rng = np.random.default_rng(7)
x23, y34 = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
x35, y52 = rng.normal(size=(3, 5)), rng.normal(size=(5, 2))
square_x, square_y = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
ints_x, ints_y = rng.integers(-9, 10, size=(4, 2)), rng.integers(-9, 10, size=(2, 3))
tests = HiddenTests(points=2)
with tests.part("the product, entry by entry, for any compatible shapes", points=1, core=True):
    expect("1x1 times 1x1", naive_matrix_dot, args=(np.array([[-3.0]]), np.array([[0.5]])), expected=np.array([[-1.5]]))
    expect("(2, 3) x (3, 4)", naive_matrix_dot, args=(x23, y34), expected=written_out(x23, y34))
    expect("(3, 5) x (5, 2)", naive_matrix_dot, args=(x35, y52), expected=written_out(x35, y52))
    expect("(3, 3) x (3, 3)", naive_matrix_dot, args=(square_x, square_y), expected=written_out(square_x, square_y))
    expect(
        "(4, 2) x (2, 3) ints with negatives and zeros",
        naive_matrix_dot,
        args=(ints_x, ints_y),
        expected=written_out(ints_x, ints_y),
    )
    expect(
        "a row times a column (1, 5) x (5, 1)",
        naive_matrix_dot,
        args=(x35[:1].copy(), y52[:, :1].copy()),
        expected=written_out(x35[:1], y52[:, :1]),
    )
    expect(
        "a column times a row (4, 1) x (1, 3)",
        naive_matrix_dot,
        args=(ints_x[:, :1].copy(), ints_y[:1].copy()),
        expected=written_out(ints_x[:, :1], ints_y[:1]),
    )
    expect("the identity changes nothing", naive_matrix_dot, args=(np.eye(2), x23), expected=x23)
    expect("times the identity changes nothing", naive_matrix_dot, args=(x23, np.eye(3)), expected=x23)
    expect("zeros give zeros", naive_matrix_dot, args=(np.zeros((2, 3)), y34), expected=np.zeros((2, 4)))
    expect(
        "large values",
        naive_matrix_dot,
        args=(np.array([[1e10, -1e10]]), np.array([[1e10], [2e10]])),
        expected=np.array([[-1e20]]),
    )
with tests.part("inner sizes that differ are refused with ValueError", points=0.5):
    expect("(2, 3) x (2, 3): inner sizes 3 and 2", naive_matrix_dot, args=(x23, x23.copy()), raises=ValueError)
    expect("(2, 3) x (4, 3): inner sizes 3 and 4", naive_matrix_dot, args=(x23, y34.T.copy()), raises=ValueError)
    expect(
        "(3, 1) x (3, 1): inner sizes 1 and 3",
        naive_matrix_dot,
        args=(y34[:, :1].copy(), y34[:, 1:2].copy()),
        raises=ValueError,
    )
    expect(
        "(1, 2) x (3, 2): inner sizes 2 and 3",
        naive_matrix_dot,
        args=(x23[:1, :2].copy(), y52[:3].copy()),
        raises=ValueError,
    )
    expect("(3, 5) x (2, 5): a shorter y", naive_matrix_dot, args=(x35, y52.T.copy()), raises=ValueError)
with tests.part("ints times floats keep the fractions", points=0.5):
    expect(
        "(4, 2) ints x (2, 4) floats keeps the fractions",
        naive_matrix_dot,
        args=(ints_x, y34[:2].copy()),
        expected=written_out(ints_x, y34[:2]),
    )
    expect(
        "(2, 3) floats x (3, 2) ints",
        naive_matrix_dot,
        args=(x23, ints_y.T.copy()),
        expected=written_out(x23, ints_y.T),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# *Stuck?* `q.naive_matrix_dot.hint()` and `q.naive_matrix_dot.solution()`.
#
# ### Loops against NumPy, once more
#
# A matrix product is a great many dot products, and a dot product is a loop of multiply-and-add. Even
# a single dot product of two vectors of 10,000 entries shows how much faster NumPy's `np.dot` is than a Python loop:

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_34", "locked": true, "schema_version": 3, "solution": false, "task": false}
def loop_dot(u, v):
    total = 0.0
    for t in range(len(u)):
        total += u[t] * v[t]
    return total


u, v = rng.normal(size=10_000), rng.normal(size=10_000)
assert np.isclose(loop_dot(u, v), np.dot(u, v))

loop_seconds = best_time(loop_dot, u, v, repeats=3)
numpy_seconds = best_time(np.dot, u, v, repeats=20)
speedup = loop_seconds / numpy_seconds
print(f"loop: {loop_seconds * 1e3:.1f} ms   np.dot: {numpy_seconds * 1e6:.1f} µs")
print(f"NumPy is {speedup:.0f}x faster")
assert speedup > 10

# %% [markdown]
# For a matrix product the gap grows further: NumPy hands `@` to a BLAS library, which reorders the
# three loops to use the processor's caches and vector units. The dense layer of notebook 04 multiplies
# `(128, 784)` by `(784, 512)` for each of its 469 batches per epoch: about 51 million multiply-adds a
# batch. The cell below scales the cost of one multiply-add in `loop_dot`'s loop (timed above) up to one
# batch and one epoch, and times `@` on the same shapes: loops like yours would need many seconds per
# batch and over half an hour per epoch, where `@` is thousands of times faster: on a quiet machine it does the whole
# epoch's products in a fraction of a second.

# %% nbgrader={"grade": false, "grade_id": "tensors_cell_41", "locked": true, "schema_version": 3, "solution": false, "task": false}
multiply_adds = 128 * 784 * 512  # one batch through notebook 04's first dense layer
loop_batch_seconds = multiply_adds * loop_seconds / len(u)
a = rng.normal(size=(128, 784)).astype(np.float32)
b = rng.normal(size=(784, 512)).astype(np.float32)
matmul_batch_seconds = best_time(np.matmul, a, b, repeats=20)
print(f"one batch:  loops about {loop_batch_seconds:.0f} s, @ {matmul_batch_seconds * 1e3:.2f} ms")
print(f"one epoch:  loops about {469 * loop_batch_seconds:.0f} s, @ {469 * matmul_batch_seconds:.2f} s")
assert 469 * loop_batch_seconds > 1800  # over half an hour an epoch by loops (a busy machine only adds to it)
# @'s time is printed, not asserted: on a busy machine BLAS threads waiting for a core can slow it a hundredfold

# %% [markdown]
# ## Summary
#
# **What you learned.** A tensor is a grid of numbers described by `ndim` (its rank, not a matrix's
# rank), `shape` and `dtype` (`describe_tensor`). MNIST's training images are one `(60000, 28, 28)`
# `uint8` tensor; for a dense network they become `(60000, 784)` (`flatten_images`, a row-major
# `reshape`) and `float32` in `[0, 1]` (`scale_pixels`: `astype` then `/ 255`, not `reshape('float32')`).
# Models work through the samples axis in batches (`get_batch`). Element-wise operations
# (`naive_relu`, `naive_add`), broadcasting, reductions along an axis and the matrix product
# (`naive_matrix_dot`) are the building blocks of every layer, and NumPy runs them far faster than
# Python loops.
#
# **Shapes to know.**
#
# | what | shape |
# |---|---|
# | MNIST images, as loaded / flattened | `(60000, 28, 28)` / `(60000, 784)` |
# | a batch | `(128, 784)`; the last of an epoch `(96, 784)` |
# | vectors, sequences, images, video | `(samples, features)`, `(samples, timesteps, features)`, `(samples, h, w, channels)`, `(samples, frames, h, w, channels)` |
# | `(n, k) @ (k, m)` | `(n, m)` |
# | `(32, 10) + (10,)` | `(32, 10)`, broadcast from the right |
# | `x.sum(axis=1)` / `x.sum(axis=1, keepdims=True)` on `(N, C)` | `(N,)` / `(N, 1)` |
#
# **Common mistakes.**
# * `reshape('float32')` for `astype('float32')`; dividing a `uint8` array straight away (float64).
# * `uint8` arithmetic that wraps around silently.
# * Building a result as a copy of an int input: float sums are truncated.
# * Shapes `(N,)` and `(N, 1)` mixed: a silent `(N, N)` broadcast.
# * A reduction without `keepdims` that no longer lines up with what it came from.
# * A negative batch index, silently taken from the end.
#
# Next, notebook 02 looks at the functions that give a network its shape of output: `relu`, `sigmoid`
# and `softmax`.
