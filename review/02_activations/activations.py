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
# # 02 · Activations: ReLU, sigmoid and softmax
#
# The network this series builds is the classic MNIST one:
#
# ```python
# network.add(layers.Dense(512, activation='relu', input_shape=(28 * 28,)))
# network.add(layers.Dense(10, activation='softmax'))
# ```
#
# Each `Dense` layer computes `x @ W + b`, and then applies an **activation**. This notebook is about
# those activations: what they are for, how to compute them without numerical accidents, and which one
# belongs at the end of which kind of network.
#
# You will write four functions: `relu`, `sigmoid`, `sigmoid_derivative` and `softmax`.
# Each comes with visible checks (run the cell below your answer) and hints
# (`q.<name>.hint()`).

# %% [markdown] tags=["korean-terms"]
# **Korean terms (한국어 용어).** The study note this series follows is written in Korean, and the series has a Korean edition: in the course repository, `ko/notebooks/02_activations/activations.ipynb` (`python3 course.py lab --lang ko` opens your own copy of it), which gives after its title a glossary of 17 terms taught here, each in Korean and English with the section that teaches it. Among them: activation (활성화 함수), gradient (그레이디언트), sigmoid (시그모이드), overflow (오버플로), softmax (소프트맥스).

# %% nbgrader={"grade": false, "grade_id": "activations_cell_01", "locked": true, "schema_version": 3, "solution": false, "task": false}
import warnings

import matplotlib.pyplot as plt
import numpy as np

from checks import activations as q

# %matplotlib inline
np.set_printoptions(precision=4, suppress=True)
plt.rcParams.update(
    {"figure.dpi": 90, "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}
)

# %% [markdown]
# ## 1. Why a layer needs an activation
#
# Without an activation, stacking layers buys nothing: two linear maps in a row are one linear map,
# because `(x @ W1) @ W2 == x @ (W1 @ W2)`. A hundred such layers could still only draw straight
# lines through the data. See it with two random layers:

# %% nbgrader={"grade": false, "grade_id": "activations_cell_02", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(0)
x = rng.normal(size=(5, 4))  # 5 samples, 4 features
W1 = rng.normal(size=(4, 8))  # a "hidden layer" of 8 units
W2 = rng.normal(size=(8, 3))  # an output layer of 3 units

two_layers = (x @ W1) @ W2
one_layer = x @ (W1 @ W2)  # a single 4 -> 3 layer does exactly the same
print("two linear layers == one linear layer:", np.allclose(two_layers, one_layer))

# %% [markdown]
# An activation is a cheap **non-linear** function applied between the layers. It breaks that
# collapse, so that depth adds expressive power. ReLU and the sigmoid work element by element;
# softmax, the last one here, does not: each of its outputs depends on the whole row. The last layer's activation has a
# second job: it turns raw scores (*logits*) into the kind of output the task needs, such as a
# probability. We meet one activation for each job.

# %% [markdown]
# ## 2. ReLU, the hidden-layer workhorse
#
# The rectified linear unit keeps positive values and zeroes the rest:
#
# $$\operatorname{relu}(x) = \max(x, 0)$$
#
# It is about as cheap as a function can be, and its slope is exactly 1 wherever a unit is active,
# so gradients pass through active units undiminished (we will see why that matters when we look at
# the sigmoid's slope). In notebook 01 you wrote `naive_relu` with Python loops over a matrix; here it is
# the real thing.
#
# **Exercise: `relu(x)`.** Return `max(x, 0)` element-wise for an array of *any* shape, with NumPy
# doing the loop. Return a new array: a function that quietly overwrites its input corrupts the
# caller's data (in a network, the pre-activations the backward pass still needs).

# %% nbgrader={"grade": false, "grade_id": "relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def relu(x):
    """max(x, 0) element-wise, for an array of any shape; `x` is left unchanged."""
    ### BEGIN SOLUTION
    return np.maximum(x, 0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "relu_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import activations as q

q.relu.check(relu)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect, expect_true

rng = np.random.default_rng(12)
cube = rng.normal(size=(3, 4, 5))
tests = HiddenTests(points=1)
with tests.part("max(x, 0) for any shape and dtype, 0-d included", points=1):
    expect("a 3-D tensor of random values", relu, args=(cube,), expected=np.where(cube > 0, cube, 0.0))
    # A 0-d result may come back as a 0-d array, a NumPy scalar or a Python number.
    expect("a 0-d array", relu, args=(np.array(-2.5),), expected=0.0)
    expect("a positive 0-d array", relu, args=(np.array(4.25),), expected=4.25)
    expect(
        "a column of non-positive values", relu, args=(np.array([[-3.0], [0.0], [-0.5]]),), expected=np.zeros((3, 1))
    )
    expect(
        "large values pass through unclipped",
        relu,
        args=(np.array([1e300, -1e300, 7.0, 1e4]),),
        expected=np.array([1e300, 0.0, 7.0, 1e4]),
    )
    expect("an int matrix", relu, args=(np.array([[-2, 3], [4, -5]]),), expected=np.array([[0, 3], [4, 0]]))
    wide = rng.normal(size=(2, 7))
    expect("a 2 x 7 matrix keeps its shape", relu, args=(wide,), expected=np.where(wide > 0, wide, 0.0))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Stuck? `q.relu.hint()` gives a nudge (call it again for a more specific one), and
# `q.relu.solution()` shows a worked answer.

# %%

# %% [markdown]
# Here is ReLU with its derivative. The derivative is a step: 1 where the unit is active, 0 where it
# is not (at exactly 0 we take 0, the usual convention). The backward pass of notebook 04 is built on
# that step.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_03", "locked": true, "schema_version": 3, "solution": false, "task": false}
grid = np.linspace(-4, 4, 401)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
left.plot(grid, relu(grid), color="C0", lw=2)
left.set_title("relu(x) = max(x, 0)")
right.plot(grid, (grid > 0).astype(float), color="C1", lw=2)
right.set_title("relu'(x): 0 or 1")
for axis in (left, right):
    axis.set_xlabel("x")
fig.tight_layout()
plt.show()


# %% [markdown]
# ## 3. Sigmoid: one probability per question
#
# A binary classifier answers one yes/no question ("is this review positive?"). Its last layer has a
# single unit, and the sigmoid squashes that unit's logit into a probability:
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}} \in (0, 1), \qquad \sigma(0) = \tfrac12, \qquad \sigma(-x) = 1 - \sigma(x).$$
#
# The same function also serves **multi-label** problems, where one input can carry several tags at
# once (a photo can be *outdoor* and *night* and *contain a dog*). Each tag gets its own unit and its
# own sigmoid: the probabilities are independent and need not sum to 1.
#
# ### Why the textbook formula is not enough
#
# Float64 numbers stop at about $1.8 \times 10^{308}$, so $e^{x}$ overflows once $x > 709.8$.
# A logit of $-1000$ is unusual but not absurd (a badly initialised or diverging network produces
# them), and the textbook formula then computes `np.exp(1000)`:

# %% nbgrader={"grade": false, "grade_id": "activations_cell_04", "locked": true, "schema_version": 3, "solution": false, "task": false}
def naive_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    result = naive_sigmoid(np.array([-1000.0, 0.0, 1000.0]))
print("naive_sigmoid([-1000, 0, 1000]) =", result)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")


# %% [markdown]
# The value happens to survive here (`1 / inf` is 0), but the warning is a symptom. The same
# expression inside a derivative or a loss turns into `inf / inf = nan`, and a single `nan` poisons
# every weight it touches. Here is the textbook derivative $e^{-x} / (1 + e^{-x})^2$:

# %% nbgrader={"grade": false, "grade_id": "activations_cell_05", "locked": true, "schema_version": 3, "solution": false, "task": false}
def naive_sigmoid_slope(x):
    return np.exp(-x) / (1.0 + np.exp(-x)) ** 2


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    result = naive_sigmoid_slope(np.array([-1000.0, 0.0, 1000.0]))
print("naive slope at [-1000, 0, 1000] =", result)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")

# %% [markdown]
# ### Two stable ways
#
# The cure is to exponentiate only numbers that are $\le 0$, whose exponentials lie in $(0, 1]$:
#
# * **Two branches.** For $x \ge 0$ use $\frac{1}{1 + e^{-x}}$; for $x < 0$ multiply top and bottom by
#   $e^{x}$ to get $\frac{e^{x}}{1 + e^{x}}$. Both only ever see $e^{-|x|}$. (Careful with
#   `np.where`: it evaluates *both* of its branches on every element, so each branch must be safe
#   everywhere, not just where it is chosen.)
# * **Through tanh.** $\sigma(x) = \tfrac12\,(1 + \tanh(x/2))$ never overflows either, since NumPy's
#   `tanh` is finite for any input. But it is not accurate in the left tail, where $\tanh(x/2)$ is
#   close to $-1$ and the sum $1 + \tanh(x/2)$ keeps only the few bits in which they differ (the cell
#   after the exercise measures it). The two-branch form is the accurate one.
#
# A very negative $x$ gives $e^{-|x|}$ so small that it rounds to `0.0` (*underflow*). That is harmless
# and NumPy is silent about it by default: $0$ is the nearest float to the true answer.
#
# **Exercise: `sigmoid(x)`.** Compute $\sigma$ element-wise, for a Python scalar or an array of any
# shape. It must be finite, in $[0, 1]$ and free of warnings for logits as large as $\pm 10^4$.
# The checks run with NumPy's overflow and invalid-value warnings turned into errors.

# %% nbgrader={"grade": false, "grade_id": "sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def sigmoid(x):
    """1 / (1 + exp(-x)) element-wise, without overflow: exp only ever sees -|x|."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "sigmoid_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import activations as q

q.sigmoid.check(sigmoid)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect, expect_true, numpy_warnings_as_errors


def expected_sigmoid(v):
    """An independent stable sigmoid: exp(-log(1 + exp(-v)))."""
    with np.errstate(under="ignore"):
        return np.exp(-np.logaddexp(0.0, -np.asarray(v, dtype=float)))


def probabilities(out):
    out = np.asarray(out, dtype=float)
    return (
        bool(np.all(np.isfinite(out)) and np.all(out >= 0.0) and np.all(out <= 1.0))
        or "outputs must be finite and within [0, 1]"
    )


rng = np.random.default_rng(22)
tests = HiddenTests(points=2)
with (
    tests.part("sigmoid values for any shape, Python floats and 0-d arrays", points=1, core=True),
    numpy_warnings_as_errors(),
):
    ramp = np.linspace(-40.0, 40.0, 17)
    expect("values on a grid from -40 to 40", sigmoid, args=(ramp,), expected=expected_sigmoid(ramp))
    block = rng.normal(scale=6.0, size=(2, 3, 4))
    expect("a 3-D tensor keeps its shape", sigmoid, args=(block,), expected=expected_sigmoid(block))
    expect("a Python float", sigmoid, args=(1.5,), expected=float(expected_sigmoid(1.5)))
    expect("a 0-d array", sigmoid, args=(np.array(-0.75),), expected=float(expected_sigmoid(-0.75)))
    expect("an int vector", sigmoid, args=(np.array([-3, 0, 3]),), expected=expected_sigmoid([-3, 0, 3]))
with tests.part("huge logits: finite, within [0, 1], no warning", points=0.5), numpy_warnings_as_errors():
    expect("a Python float of -1e4", sigmoid, args=(-1e4,), expected=0.0)
    expect("a Python float of +1e4", sigmoid, args=(1e4,), expected=1.0)
    huge = np.array([-1e4, -1e3, -745.0, -710.0, -40.0, 0.0, 40.0, 710.0, 745.0, 1e3, 1e4])
    expect(
        "logits up to +-1e4: finite, in [0, 1], no warning",
        sigmoid,
        args=(huge,),
        expected=expected_sigmoid(huge),
        satisfies=probabilities,
    )
    wild = rng.uniform(-1e4, 1e4, size=(5, 7))
    expect(
        "a 5 x 7 matrix of huge random logits",
        sigmoid,
        args=(wild,),
        expected=expected_sigmoid(wild),
        satisfies=probabilities,
    )
with tests.part("the symmetry sigmoid(-x) == 1 - sigmoid(x)", points=0.5), numpy_warnings_as_errors():
    mirrored = np.asarray(sigmoid(-block), dtype=float)
    expect_true(
        "sigmoid(-x) == 1 - sigmoid(x)",
        np.allclose(mirrored, 1.0 - np.asarray(sigmoid(block), dtype=float), rtol=1e-5, atol=1e-7),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.sigmoid.hint()`; a worked answer: `q.sigmoid.solution()`.

# %%

# %% [markdown]
# ### The left tail: two branches against tanh
#
# For negative $x$, $e^{x} / (1 + e^{x})$ is safe and accurate (the exponential is below 1), so it
# gives the true value to compare with. The tanh form against it, and your `sigmoid`:

# %% nbgrader={"grade": false, "grade_id": "activations_cell_16", "locked": true, "schema_version": 3, "solution": false, "task": false}
tail = np.array([-20.0, -30.0, -37.0, -38.0, -40.0])
truth = np.exp(tail) / (1.0 + np.exp(tail))  # accurate here: every x is negative
via_tanh = 0.5 * (1.0 + np.tanh(0.5 * tail))
for x, true_value, tanh_value, yours in zip(tail, truth, via_tanh, sigmoid(tail)):
    print(
        f"x = {x:4.0f}: true {true_value:.3e}   tanh form {tanh_value:.3e} "
        f"(off by {abs(tanh_value - true_value) / true_value:4.0%})   your sigmoid {yours:.3e}"
    )

# %% [markdown]
# At $x = -37$ the tanh form is off by about a third, and from $x = -38$ on it returns exactly 0 where
# the truth is about $3 \times 10^{-17}$: $\tanh(-19)$ rounds to exactly $-1$. Such tiny
# probabilities matter as soon as a loss takes their logarithm, and $\log 0 = -\infty$. The two-branch
# form never subtracts, so it keeps full relative precision all the way down.

# %% [markdown]
# The curve, with its three landmarks: $\sigma(0) = 0.5$, and it saturates towards 0 and 1 a few units
# away from the origin.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_06", "locked": true, "schema_version": 3, "solution": false, "task": false}
grid = np.linspace(-8, 8, 401)
fig, axis = plt.subplots(figsize=(6, 3))
axis.plot(grid, sigmoid(grid), lw=2)
axis.axhline(0.5, color="grey", lw=0.8, ls=":")
axis.set_title(r"$\sigma(x) = 1 / (1 + e^{-x})$")
axis.set_xlabel("logit x")
axis.set_ylabel("probability")
plt.show()

# %% [markdown]
# And the multi-label case: four tags, four independent probabilities. Nothing forces them to sum to 1.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_07", "locked": true, "schema_version": 3, "solution": false, "task": false}
tags = ["outdoor", "night", "dog", "text"]
tag_logits = np.array([2.5, 1.0, -0.5, -3.0])
tag_probabilities = sigmoid(tag_logits)
for tag, p in zip(tags, tag_probabilities):
    print(f"P({tag:>7}) = {p:.3f}")
print(f"sum = {tag_probabilities.sum():.3f}  (not 1, and it need not be)")

# %% [markdown]
# ## 4. The sigmoid's slope
#
# Training needs the derivative of every activation. The sigmoid's has a famous closed form, written
# with the sigmoid itself:
#
# $$\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr).$$
#
# (Differentiate $(1 + e^{-x})^{-1}$ to get $e^{-x} / (1 + e^{-x})^2$, then split it into
# $\frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}}$.) Written this way it inherits the stability of
# a stable $\sigma$, unlike the textbook quotient we saw produce `nan`. Not quite its accuracy: once
# $\sigma(x)$ rounds to 1 (for $x$ above about 37), $1 - \sigma(x)$ is exactly 0, while the true slope
# is about $e^{-x}$. The cure is an identity from section 3: $1 - \sigma(x) = \sigma(-x)$, so compute
# both factors with the two-branch form, and no subtraction is left.
#
# **Exercise: `sigmoid_derivative(x)`.** Return $\sigma(x)(1 - \sigma(x))$ element-wise, with the same
# stability as `sigmoid`: finite and warning-free up to $\pm 10^4$. A graded test runs one function
# at a time, so compute $\sigma$ inside this function rather than calling your `sigmoid`.

# %% nbgrader={"grade": false, "grade_id": "sigmoid_derivative", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def sigmoid_derivative(x):
    """d sigmoid / dx = s * (1 - s) with s = sigmoid(x), computed without overflow."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    s = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))  # sigmoid(x)
    one_minus_s = np.where(x >= 0, z / (1.0 + z), 1.0 / (1.0 + z))  # sigmoid(-x): 1 - s, no subtraction
    return s * one_minus_s
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "sigmoid_derivative_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import activations as q

q.sigmoid_derivative.check(sigmoid_derivative)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect, expect_true, numpy_warnings_as_errors


def expected_slope(v):
    """s * (1 - s) with an independent stable s."""
    with np.errstate(under="ignore"):
        s = np.exp(-np.logaddexp(0.0, -np.asarray(v, dtype=float)))
        return s * (1.0 - s)


rng = np.random.default_rng(32)
tests = HiddenTests(points=1)
with (
    tests.part("s(x) * (1 - s(x)) for any shape, Python floats and 0-d arrays", points=0.5),
    numpy_warnings_as_errors(),
):
    ramp = np.linspace(-30.0, 30.0, 13)
    expect("values on a grid from -30 to 30", sigmoid_derivative, args=(ramp,), expected=expected_slope(ramp))
    block = rng.normal(scale=3.0, size=(3, 2, 4))
    expect("a 3-D tensor keeps its shape", sigmoid_derivative, args=(block,), expected=expected_slope(block))
    expect("a Python float", sigmoid_derivative, args=(1.0,), expected=float(expected_slope(1.0)))
    expect("a 0-d array", sigmoid_derivative, args=(np.array(-2.0),), expected=float(expected_slope(-2.0)))
    expect("an int vector", sigmoid_derivative, args=(np.array([-2, 0, 2]),), expected=expected_slope([-2, 0, 2]))
with tests.part("huge logits: finite, no warning", points=0.25), numpy_warnings_as_errors():
    huge = np.array([-1e4, -1e3, -710.0, 0.0, 710.0, 1e3, 1e4])
    expect(
        "logits up to +-1e4: finite, no warning",
        sigmoid_derivative,
        args=(huge,),
        expected=expected_slope(huge),
        satisfies=lambda out: bool(np.all(np.isfinite(out))) or "some outputs are not finite",
    )
    wild = rng.uniform(-1e4, 1e4, size=(4, 6))
    expect("a matrix of huge random logits", sigmoid_derivative, args=(wild,), expected=expected_slope(wild))
with (
    tests.part("it is the sigmoid's slope: finite differences agree, s'(-x) == s'(x)", points=0.25),
    numpy_warnings_as_errors(),
):
    step = 1e-5
    centre = np.linspace(-6.0, 6.0, 25)
    numeric = (np.exp(-np.logaddexp(0.0, -(centre + step))) - np.exp(-np.logaddexp(0.0, -(centre - step)))) / (2 * step)
    expect_true(
        "agrees with a central finite difference of the sigmoid",
        np.allclose(np.asarray(sigmoid_derivative(centre), dtype=float), numeric, rtol=1e-5, atol=1e-7),
    )
    expect_true(
        "the slope is symmetric: s'(-x) == s'(x)",
        np.allclose(
            np.asarray(sigmoid_derivative(-block), dtype=float),
            np.asarray(sigmoid_derivative(block), dtype=float),
            rtol=1e-5,
            atol=1e-7,
        ),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.sigmoid_derivative.hint()`; a worked answer: `q.sigmoid_derivative.solution()`.

# %%

# %% [markdown]
# The right tail, where `1 - s` gives up: the exact slope there is $e^{-|x|} / (1 + e^{-|x|})^2$.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_17", "locked": true, "schema_version": 3, "solution": false, "task": false}
far = np.array([-40.0, 40.0])
s = sigmoid(far)
exact = np.exp(-np.abs(far)) / (1.0 + np.exp(-np.abs(far))) ** 2
for name, slope in [
    ("s * (1 - s)", s * (1.0 - s)),
    ("sigmoid(x) * sigmoid(-x)", sigmoid(far) * sigmoid(-far)),
    ("exact", exact),
]:
    print(f"{name:<25} at x = -40: {slope[0]:.3e}   at x = 40: {slope[1]:.3e}")

# %% [markdown]
# ### A gradient check
#
# Whenever you write a derivative by hand, compare it with a finite difference of the function itself,
# $\frac{f(x + h) - f(x - h)}{2h}$. It is slow but hard to get wrong, which makes it the standard way to
# test hand-written gradients.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_08", "locked": true, "schema_version": 3, "solution": false, "task": false}
h = 1e-5
points = np.linspace(-6, 6, 13)
numeric_slope = (sigmoid(points + h) - sigmoid(points - h)) / (2 * h)
analytic_slope = sigmoid_derivative(points)
worst = np.max(np.abs(numeric_slope - analytic_slope))
print("largest gap between the analytic and the numeric slope is below 1e-9:", worst < 1e-9)

# %% [markdown]
# Now the two activations side by side, each with its derivative. Look at the scales: the sigmoid's
# slope never exceeds **0.25** and is nearly 0 beyond $|x| \approx 5$. On its way back through a layer
# $h = \sigma(x W)$, the gradient is multiplied by that slope and by the transposed weights:
# $\partial L / \partial x = (\partial L / \partial h \odot \sigma'(xW))\, W^T$. Weights large enough to
# make up for a factor of 0.25 at every layer would push the units into the flat tails, so through
# several sigmoid layers the gradient usually fades away (*vanishing gradients*). ReLU's slope is
# exactly 1 wherever a unit is active, which is a large part of why ReLU replaced the sigmoid in
# hidden layers.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_09", "locked": true, "schema_version": 3, "solution": false, "task": false}
grid = np.linspace(-6, 6, 601)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
axes[0].plot(grid, sigmoid(grid), lw=2, label=r"$\sigma(x)$")
axes[0].plot(grid, sigmoid_derivative(grid), lw=2, label=r"$\sigma'(x)$, at most 0.25")
axes[0].set_title("sigmoid")
axes[1].plot(grid, relu(grid), lw=2, label="relu(x)")
axes[1].plot(grid, (grid > 0).astype(float), lw=2, label="relu'(x), 0 or 1")
axes[1].set_title("ReLU")
for axis in axes:
    axis.set_xlabel("x")
    axis.legend(loc="upper left", fontsize=9)
fig.tight_layout()
plt.show()
print(f"sigmoid slope at x = 0: {sigmoid_derivative(0.0):.4f};  at x = 10: {sigmoid_derivative(10.0):.1e}")


# %% [markdown]
# ## 5. Softmax: one distribution over mutually exclusive classes
#
# A digit is a 0 *or* a 1 *or* ... a 9, never two at once. The last layer then has one unit per class,
# and softmax turns its ten logits into ten probabilities that are positive and sum to 1:
#
# $$\operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}.$$
#
# A batch of logits is a matrix with one row per sample, so softmax is applied along an **axis**
# (the class axis, last by default), each row on its own.
#
# The textbook formula has the sigmoid's weakness, only worse: a single large logit makes the
# numerator and the denominator both `inf`.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_10", "locked": true, "schema_version": 3, "solution": false, "task": false}
def naive_softmax(x):
    e = np.exp(x)
    return e / e.sum()


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    result = naive_softmax(np.array([1000.0, 1001.0, 1002.0]))
print("naive_softmax([1000, 1001, 1002]) =", result)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")

# %% [markdown]
# ### The shift by the maximum
#
# Adding the same constant $c$ to every logit changes nothing, because $e^{c}$ cancels:
#
# $$\frac{e^{x_i + c}}{\sum_j e^{x_j + c}} = \frac{e^{c}\, e^{x_i}}{e^{c} \sum_j e^{x_j}} = \operatorname{softmax}(x)_i.$$
#
# Choose $c = -\max_j x_j$. The largest exponent becomes $e^0 = 1$, so nothing overflows, and the
# denominator is at least 1, so nothing divides by zero. Logits far below the maximum underflow to
# probability 0, the float nearest to their true, astronomically small value. The maximum must be taken **along
# the same axis** as the sum, separately for each row. One maximum for the whole batch would still
# leave every row with a valid constant, but a row far below the batch's maximum then underflows to
# all zeros and gives `0 / 0`.
#
# **Exercise: `softmax(x, axis=-1)`.** Exponentials normalised along `axis`, for a 1-D vector or an
# N-D array with any axis. Along that axis the outputs sum to 1; adding a constant along it changes
# nothing; logits as large as $10^4$ give finite, warning-free results. Do not modify `x`.

# %% nbgrader={"grade": false, "grade_id": "softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def softmax(x, axis=-1):
    """exp(x) normalised along `axis`, shifted by the maximum so that exp never overflows."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))  # largest exponent is exp(0) = 1
    return e / np.sum(e, axis=axis, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "softmax_tests", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import activations as q

q.softmax.check(softmax)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect, expect_true, numpy_warnings_as_errors


def expected_softmax(v, axis=-1):
    """An independent stable softmax: exp(v - logsumexp(v)) along `axis`."""
    v = np.asarray(v, dtype=float)
    top = np.max(v, axis=axis, keepdims=True)
    with np.errstate(under="ignore"):
        return np.exp(v - top - np.log(np.sum(np.exp(v - top), axis=axis, keepdims=True)))


def distribution_along(axis):
    def verdict(out):
        out = np.asarray(out, dtype=float)
        if not np.all(np.isfinite(out)) or np.any(out < 0):
            return "outputs must be finite and non-negative"
        return (
            bool(np.allclose(out.sum(axis=axis), 1.0, rtol=1e-5, atol=1e-7))
            or f"outputs must sum to 1 along axis {axis}"
        )

    return verdict


rng = np.random.default_rng(42)
tests = HiddenTests(points=3)
with tests.part("probabilities along the last axis", points=1), numpy_warnings_as_errors():
    vector = rng.normal(scale=3.0, size=7)
    expect(
        "a 1-D vector of 7 logits",
        softmax,
        args=(vector,),
        expected=expected_softmax(vector),
        satisfies=distribution_along(-1),
    )
    batch = rng.normal(scale=2.0, size=(4, 6))
    expect(
        "a 4 x 6 batch, default axis",
        softmax,
        args=(batch,),
        expected=expected_softmax(batch),
        satisfies=distribution_along(-1),
    )
    expect("int logits", softmax, args=(np.array([1, 2, 3]),), expected=expected_softmax([1, 2, 3]))
with tests.part("the axis argument, by keyword and by position", points=1), numpy_warnings_as_errors():
    tall = rng.normal(size=(3, 5))
    expect(
        "axis=0 on a 3 x 5 matrix (columns)",
        softmax,
        args=(tall,),
        kwargs={"axis": 0},
        expected=expected_softmax(tall, axis=0),
        satisfies=distribution_along(0),
    )
    square = rng.normal(scale=2.0, size=(4, 4))
    expect("a square 4 x 4 batch, default axis", softmax, args=(square,), expected=expected_softmax(square))
    expect(
        "axis=0 on a square 4 x 4 matrix",
        softmax,
        args=(square,),
        kwargs={"axis": 0},
        expected=expected_softmax(square, axis=0),
    )
    cube = rng.normal(scale=2.0, size=(2, 3, 4))
    expect(
        "axis=1 on a 2 x 3 x 4 tensor",
        softmax,
        args=(cube,),
        kwargs={"axis": 1},
        expected=expected_softmax(cube, axis=1),
        satisfies=distribution_along(1),
    )
    expect(
        "axis=0 on a 2 x 3 x 4 tensor",
        softmax,
        args=(cube,),
        kwargs={"axis": 0},
        expected=expected_softmax(cube, axis=0),
    )
    expect(
        "axis=-2 on a 2 x 3 x 4 tensor",
        softmax,
        args=(cube,),
        kwargs={"axis": -2},
        expected=expected_softmax(cube, axis=-2),
    )
    expect("axis given by position", softmax, args=(tall, 0), expected=expected_softmax(tall, axis=0))
with tests.part("stable for shifted, huge and single-class logits", points=1), numpy_warnings_as_errors():
    shifts = rng.uniform(-500.0, 500.0, size=(4, 1))
    expect(
        "adding a constant to each row changes nothing",
        softmax,
        args=(batch + shifts,),
        expected=expected_softmax(batch),
    )
    expect(
        "adding a constant to each column changes nothing (axis=0)",
        softmax,
        args=(tall + rng.uniform(-500.0, 500.0, size=(1, 5)),),
        kwargs={"axis": 0},
        expected=expected_softmax(tall, axis=0),
    )
    huge = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4], [-1e4, -1e4, 1.0 - 1e4]])
    expect(
        "logits as large as 1e4: finite, no warning",
        softmax,
        args=(huge,),
        expected=expected_softmax(huge),
        satisfies=distribution_along(-1),
    )
    expect(
        "rows on very different scales (each row needs its own maximum)",
        softmax,
        args=(np.array([[1000.0, 0.0], [-1000.0, -1001.0]]),),
        expected=expected_softmax(np.array([[1000.0, 0.0], [-1000.0, -1001.0]])),
    )
    expect(
        "a single class per row gives probability 1", softmax, args=(rng.normal(size=(3, 1)),), expected=np.ones((3, 1))
    )
    wild = rng.uniform(-1e4, 1e4, size=(3, 4, 5))
    expect(
        "huge random logits, axis=1",
        softmax,
        args=(wild,),
        kwargs={"axis": 1},
        expected=expected_softmax(wild, axis=1),
        satisfies=distribution_along(1),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.softmax.hint()`; a worked answer: `q.softmax.solution()`.

# %%

# %% [markdown]
# What softmax does to a row of logits: it keeps their order, turns differences into ratios
# ($p_i / p_j = e^{x_i - x_j}$), and makes the largest logit stand out.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_11", "locked": true, "schema_version": 3, "solution": false, "task": false}
digit_logits = np.array([1.2, -0.3, 0.4, 4.1, -1.0, 2.2, 0.0, -2.0, 1.5, 0.8])
probs = softmax(digit_logits)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3))
left.bar(range(10), digit_logits, color="C7")
left.set_title("logits (any real numbers)")
right.bar(range(10), probs, color="C0")
right.set_title(f"softmax: positive, sum = {probs.sum():.1f}")
for axis in (left, right):
    axis.set_xticks(range(10))
    axis.set_xlabel("class")
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Softmax's derivatives
#
# Each output depends on *every* logit, so softmax has a matrix of derivatives (a Jacobian):
#
# $$\frac{\partial p_i}{\partial x_j} = p_i\,(\delta_{ij} - p_j).$$
#
# On the diagonal this is $p_i(1 - p_i)$, the sigmoid's slope again; off the diagonal it is
# $-p_i p_j$: raising one logit takes probability away from every other class. Below, three classes
# with logits $(t, 0, 0)$: as $t$ grows, class 0 takes over.

# %% nbgrader={"grade": false, "grade_id": "activations_cell_12", "locked": true, "schema_version": 3, "solution": false, "task": false}
t = np.linspace(-6, 6, 401)
curve = softmax(np.stack([t, np.zeros_like(t), np.zeros_like(t)], axis=1))  # shape (401, 3)
p0, p1 = curve[:, 0], curve[:, 1]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2))
left.plot(t, p0, lw=2, label="$p_0$")
left.plot(t, p1, lw=2, label="$p_1 = p_2$")
left.set_title("softmax of the logits (t, 0, 0)")
right.plot(t, p0 * (1 - p0), lw=2, label=r"$\partial p_0 / \partial t = p_0(1 - p_0)$")
right.plot(t, -p0 * p1, lw=2, label=r"$\partial p_1 / \partial t = -p_0 p_1$")
right.set_title("their derivatives with respect to t")
for axis in (left, right):
    axis.set_xlabel("t")
    axis.legend(fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# The Jacobian formula passes a finite-difference check too:

# %% nbgrader={"grade": false, "grade_id": "activations_cell_13", "locked": true, "schema_version": 3, "solution": false, "task": false}
logits = np.array([0.5, -1.0, 2.0, 0.0])
p = softmax(logits)
jacobian = np.diag(p) - np.outer(p, p)
h = 1e-6
numeric = np.stack(
    [(softmax(logits + h * np.eye(4)[j]) - softmax(logits - h * np.eye(4)[j])) / (2 * h) for j in range(4)], axis=1
)
print("Jacobian matches finite differences:", np.allclose(jacobian, numeric, atol=1e-8))
print("each column sums to 0 (the probabilities still sum to 1):", np.allclose(jacobian.sum(axis=0), 0.0))

# %% [markdown]
# ## 6. Two classes: softmax is a sigmoid in disguise
#
# With two classes and logits $(a, b)$, divide the top and bottom of softmax by $e^{a}$:
#
# $$\operatorname{softmax}(a, b)_0 = \frac{e^{a}}{e^{a} + e^{b}} = \frac{1}{1 + e^{-(a - b)}} = \sigma(a - b).$$
#
# So a two-unit softmax layer and a one-unit sigmoid layer can represent exactly the same models: only
# the *difference* of the two logits matters. That is why binary problems normally use the cheaper
# single sigmoid unit. Check it on random logit pairs, including huge ones:

# %% nbgrader={"grade": false, "grade_id": "activations_cell_14", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(6)
pairs = np.concatenate([rng.normal(scale=4.0, size=(1000, 2)), [[1e4, -1e4], [-1e4, 1e4], [3e3, 3e3]]])
via_softmax = softmax(pairs)[:, 0]
via_sigmoid = sigmoid(pairs[:, 0] - pairs[:, 1])
print(
    f"{len(pairs)} logit pairs; softmax(a, b)[0] == sigmoid(a - b) everywhere:",
    np.allclose(via_softmax, via_sigmoid, rtol=1e-12, atol=1e-15),
)

# %% nbgrader={"grade": false, "grade_id": "activations_cell_15", "locked": true, "schema_version": 3, "solution": false, "task": false}
d = np.linspace(-8, 8, 161)
fig, axis = plt.subplots(figsize=(6, 3))
axis.plot(d, sigmoid(d), lw=5, alpha=0.35, label=r"$\sigma(a - b)$")
axis.plot(
    d,
    softmax(np.stack([d + 1.5, np.full_like(d, 1.5)], axis=1))[:, 0],
    "k--",
    lw=1.5,
    label=r"softmax$(a, b)_0$ with $b = 1.5$",
)
axis.set_xlabel("logit difference a - b")
axis.set_ylabel("P(class 0)")
axis.legend()
plt.show()

# %% [markdown]
# ## 7. Which activation where
#
# A table to keep. The loss column is the subject of notebook 03.
#
# | where | the output means | activation | Keras |
# |---|---|---|---|
# | hidden layers | features for the next layer | ReLU | `activation='relu'` |
# | output, binary (one yes/no) | P(yes), one unit | sigmoid | `Dense(1, activation='sigmoid')` |
# | output, multi-label (several yes/no at once) | one independent P per label | sigmoid | `Dense(k, activation='sigmoid')` |
# | output, multi-class (exactly one of C) | a distribution over C classes, sums to 1 | softmax | `Dense(C, activation='softmax')` |
# | output, regression (any real number) | the value itself | none (linear) | `Dense(1)` |
#
# Rules of thumb:
# * The outputs are probabilities of **independent** events: sigmoid. The outputs are **mutually
#   exclusive** classes: softmax.
# * Two mutually exclusive classes: one sigmoid unit does the job of a two-unit softmax (section 6).
# * Whatever you use, compute it the stable way: the shift by the maximum for softmax, and the two
#   branches for the sigmoid (the `tanh` form avoids overflow but loses the left tail).

# %% [markdown]
# ## Summary
#
# **What you learned.** Activations make depth worth having (without them, layers collapse into one
# linear map), and the last one shapes the output for the task: `relu` in hidden layers, `sigmoid`
# for independent yes/no outputs, `softmax` for one of several exclusive classes. Each has a naive
# formula that overflows and a stable one; with two classes, softmax is the sigmoid of the logit
# difference. Notebook 03 puts sigmoid and softmax to work with their losses, and trains a sigmoid
# unit on MNIST.
#
# **Shapes and gradients.**
#
# | function | input -> output | derivative |
# |---|---|---|
# | `relu(x)` | any shape -> same shape, element-wise | 1 where $x > 0$, else 0 |
# | `sigmoid(x)` | any shape -> same shape, element-wise, in $[0, 1]$ | $\sigma(x)\,\sigma(-x)$, at most 0.25 |
# | `softmax(x, axis)` | any shape -> same shape; each slice along `axis` sums to 1 | a Jacobian per slice: $p_i(\delta_{ij} - p_j)$ |
#
# **Common mistakes.**
# * `np.exp` of a large logit: overflow, then `inf / inf = nan`. Exponentiate only numbers $\le 0$.
# * `np.where` evaluates both branches everywhere: each must be safe on every element.
# * The tanh form of the sigmoid, or `1 - s` in its slope: no overflow, but tails rounded to 0.
# * Softmax's maximum taken over the whole batch instead of along `axis` with `keepdims=True`.
# * Overwriting the input in place (the backward pass still needs it).
#
# Next, notebook 03 measures how wrong these probabilities are: the losses.
