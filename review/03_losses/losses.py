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
# # 03 · Losses: what each one measures, and what it is for
#
# Compiling the MNIST network names three things:
#
# ```python
# network.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
# ```
#
# The **loss** turns "how wrong is the network on this batch?" into a single number. The optimizer's
# only job is to push that number down, so the loss decides what "better" means. A loss that does
# not fit the problem trains the network to do the wrong thing well.
#
# This notebook builds the losses from one idea, the information content of a surprise, and then
# matches each loss to the problem it serves. You will write nine functions:
#
# * information: `entropy`, `cross_entropy`, `kl_divergence`;
# * labels: `to_categorical`;
# * classification: `binary_crossentropy`, `categorical_crossentropy`, `sparse_categorical_crossentropy`;
# * regression: `mean_squared_error`, `mean_absolute_error`.
#
# Every batch loss gives the same numbers as Keras 3's NumPy backend; section 8 checks it.

# %% [markdown] tags=["korean-terms"]
# **Korean terms (한국어 용어).** The study note this series follows is written in Korean, and the series has a Korean edition: in the course repository, `ko/notebooks/03_losses/losses.ipynb` (`python3 course.py lab --lang ko` opens your own copy of it), which gives after its title a glossary of 20 terms taught here, each in Korean and English with the section that teaches it. Among them: loss (손실 함수), cross-entropy (교차 엔트로피), one-hot (원-핫 인코딩), categorical crossentropy (범주형 크로스엔트로피), mean squared error (평균 제곱 오차).

# %% nbgrader={"grade": false, "grade_id": "losses_cell_01", "locked": true, "schema_version": 3, "solution": false, "task": false}
import warnings

import matplotlib.pyplot as plt
import numpy as np

from checks import losses as q

# %matplotlib inline
np.set_printoptions(precision=4, suppress=True)
plt.rcParams.update(
    {"figure.dpi": 90, "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}
)

# %% [markdown]
# ## 1. Surprise, entropy, and the fair coin
#
# An outcome you gave probability $p$ surprises you by $-\log p$: a certain event ($p = 1$) by
# nothing, a one-in-a-million event by a lot. With the natural log the unit is the **nat**; with
# $\log_2$ it is the bit ($1 \text{ bit} = \log 2 \approx 0.693$ nats). Keras and this series use nats.
#
# The **entropy** of a distribution is the surprise you should expect on average when outcomes are
# drawn from it:
#
# $$H(p) = -\sum_i p_i \log p_i .$$
#
# An outcome that never happens contributes nothing: $p \log p \to 0$ as $p \to 0$, so we set
# $0 \log 0 = 0$. (NumPy does not know that convention: `0 * np.log(0)` is `nan`.)
#
# **Exercise: `entropy(p)`.** Return $H(p)$ in nats for one distribution `p` (a 1-D array of
# probabilities), with $0 \log 0 = 0$.

# %% nbgrader={"grade": false, "grade_id": "entropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def entropy(p):
    """-sum p log p in nats, with 0 log 0 = 0."""
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=float)
    nz = p[p > 0]  # 0 log 0 = 0: those terms are simply left out
    return float(np.sum(nz * np.log(1.0 / nz)))  # p times the surprise log(1/p), each term >= 0
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "entropy_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.entropy.check(entropy)
### BEGIN HIDDEN TESTS
import math
import numpy as np
from checks.hidden import HiddenTests, expect
from answer_key.losses import reference_entropy

rng = np.random.default_rng(301)
holes = rng.dirichlet(np.ones(12))
holes[[1, 4, 9]] = 0.0
holes /= holes.sum()
smooth = rng.dirichlet(np.full(30, 0.5))
tests = HiddenTests(points=1)
with tests.part("-sum(p log p) in nats", points=0.5):
    expect("a fair coin is log 2 nats", entropy, args=(np.array([0.5, 0.5]),), expected=math.log(2.0))
    expect("a fair 6-sided die", entropy, args=(np.full(6, 1.0 / 6.0),), expected=math.log(6.0))
    expect("a fair 10-sided die", entropy, args=(np.full(10, 0.1),), expected=math.log(10.0))
    expect("a 70/30 coin", entropy, args=(np.array([0.7, 0.3]),), expected=reference_entropy([0.7, 0.3]))
    expect("30 random probabilities", entropy, args=(smooth,), expected=reference_entropy(smooth))
    expect(
        "a tiny probability next to a large one",
        entropy,
        args=(np.array([1e-12, 1.0 - 1e-12]),),
        expected=reference_entropy([1e-12, 1.0 - 1e-12]),
    )
with tests.part("outcomes of probability 0 add nothing (0 log 0 = 0)", points=0.5):
    expect("a single certain outcome", entropy, args=(np.array([1.0]),), expected=0.0)
    expect("certain outcome among impossible ones", entropy, args=(np.array([0.0, 0.0, 1.0, 0.0]),), expected=0.0)
    expect(
        "zeros inside (0 log 0 = 0)",
        entropy,
        args=(np.array([0.25, 0.0, 0.25, 0.5, 0.0]),),
        expected=reference_entropy([0.25, 0.0, 0.25, 0.5, 0.0]),
    )
    expect("12 random probabilities with three zeros", entropy, args=(holes,), expected=reference_entropy(holes))
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.entropy.hint()` (call again for more); a worked answer: `q.entropy.solution()`.

# %%

# %% [markdown]
# A few coins and dice. Entropy is largest when every outcome is equally likely, and 0 when one is
# certain:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_02", "locked": true, "schema_version": 3, "solution": false, "task": false}
examples = {
    "fair coin          ": [0.5, 0.5],
    "90/10 coin         ": [0.9, 0.1],
    "two-headed coin    ": [1.0, 0.0],
    "fair die           ": [1 / 6] * 6,
    "die loaded on six  ": [0.1, 0.1, 0.1, 0.1, 0.1, 0.5],
}
for name, dist in examples.items():
    h = entropy(np.array(dist))
    print(f"{name} H = {h:.4f} nats = {h / np.log(2):.4f} bits")

# %% nbgrader={"grade": false, "grade_id": "losses_cell_03", "locked": true, "schema_version": 3, "solution": false, "task": false}
p_heads = np.linspace(0, 1, 201)
coin_entropy = [entropy(np.array([p, 1 - p])) for p in p_heads]
fig, axis = plt.subplots(figsize=(6, 3))
axis.plot(p_heads, coin_entropy, lw=2)
axis.axhline(np.log(2), color="grey", ls=":", lw=1)
axis.annotate("fair coin: log 2 = 0.693 nats", (0.5, np.log(2)), xytext=(0.56, 0.45), arrowprops={"arrowstyle": "->"})
axis.set_xlabel("P(heads)")
axis.set_ylabel("entropy (nats)")
axis.set_title("The entropy of a coin")
plt.show()

# %% [markdown]
# ## 2. Cross-entropy: reality, scored by your model
#
# Now outcomes come from the true distribution $p$, but you *predict* with a model $q$. Each outcome
# $i$ surprises you by $-\log q_i$, and it happens with probability $p_i$, so your average surprise is
# the **cross-entropy**
#
# $$H(p, q) = -\sum_i p_i \log q_i .$$
#
# (Texts differ in which letter is the truth; here $p$ is always the truth and $q$ the model.)
# An outcome that never happens ($p_i = 0$) costs nothing whatever $q_i$ is. An outcome that
# *does* happen but that the model called impossible ($q_i = 0$, $p_i > 0$) is infinitely surprising:
# $H(p, q) = \infty$.
#
# **Exercise: `cross_entropy(p, q)`.** Return $H(p, q)$ in nats for two distributions of the same
# shape: terms where `p` is 0 count 0, and the result is `inf` when `q` is 0 where `p` is not.

# %% nbgrader={"grade": false, "grade_id": "cross_entropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def cross_entropy(p, q):
    """-sum p log q in nats: terms with p = 0 count 0; inf if q = 0 where p > 0."""
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p has shape {p.shape} but q has shape {q.shape}")
    nz = p > 0
    if np.any(q[nz] == 0):
        return float("inf")
    return float(-np.sum(p[nz] * np.log(q[nz])))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "cross_entropy_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.cross_entropy.check(cross_entropy)
### BEGIN HIDDEN TESTS
import math
import numpy as np
from checks.hidden import HiddenTests, expect
from answer_key.losses import dice, reference_cross_entropy

rng = np.random.default_rng(302)
fair, loaded = dice()
tests = HiddenTests(points=1)
with tests.part("-sum(p log q), arguments in the order p, q", points=0.5):
    expect("a fair die scored by itself: its entropy", cross_entropy, args=(fair, fair), expected=math.log(6.0))
    expect(
        "a fair die scored by a loaded model",
        cross_entropy,
        args=(fair, loaded),
        expected=reference_cross_entropy(fair, loaded),
    )
    expect("a loaded die scored by a fair model", cross_entropy, args=(loaded, fair), expected=math.log(6.0))
    expect(
        "one-hot truth: -log of the model's probability",
        cross_entropy,
        args=(np.array([0.0, 0.0, 1.0, 0.0]), np.array([0.1, 0.2, 0.3, 0.4])),
        expected=-math.log(0.3),
    )
    expect(
        "truth with a zero, model without (arguments in the order p, q)",
        cross_entropy,
        args=(np.array([0.9, 0.1, 0.0]), np.array([0.5, 0.3, 0.2])),
        expected=reference_cross_entropy([0.9, 0.1, 0.0], [0.5, 0.3, 0.2]),
    )
    for trial in range(3):
        truth = rng.dirichlet(np.ones(8))
        truth[rng.integers(0, 8)] = 0.0
        truth /= truth.sum()
        model = rng.dirichlet(np.ones(8))
        expect(
            f"random distributions over 8 outcomes (#{trial + 1})",
            cross_entropy,
            args=(truth, model),
            expected=reference_cross_entropy(truth, model),
        )
with tests.part("zeros: a term with p = 0 counts 0, q = 0 where p > 0 gives inf", points=0.5):
    expect(
        "p = 0 and q = 0 on the same outcome: that term counts 0",
        cross_entropy,
        args=(np.array([0.9, 0.1, 0.0]), np.array([0.6, 0.4, 0.0])),
        expected=reference_cross_entropy([0.9, 0.1, 0.0], [0.6, 0.4, 0.0]),
    )
    expect(
        "q = 0 where p > 0 gives inf",
        cross_entropy,
        args=(np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.5, 0.0])),
        expected=math.inf,
    )
    expect(
        "one-hot truth on a class the model calls impossible gives inf",
        cross_entropy,
        args=(np.array([0.0, 1.0]), np.array([1.0, 0.0])),
        expected=math.inf,
    )
    expect(
        "a tiny q that is not 0 (1e-50) gives a large finite value, not inf",
        cross_entropy,
        args=(np.array([0.5, 0.5]), np.array([1e-50, 1.0 - 1e-50])),
        expected=reference_cross_entropy([0.5, 0.5], [1e-50, 1.0 - 1e-50]),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.cross_entropy.hint()`; a worked answer: `q.cross_entropy.solution()`.

# %%

# %% [markdown]
# ## 3. KL divergence: the price of the wrong model
#
# Cross-entropy mixes two things: the surprise that is unavoidable (the entropy of reality, $H(p)$)
# and the extra surprise caused by using $q$ instead of $p$. The extra part is the
# **Kullback-Leibler divergence**:
#
# $$\mathrm{KL}(p \,\|\, q) = H(p, q) - H(p) = \sum_i p_i \log \frac{p_i}{q_i} \;\ge\; 0,$$
#
# which is 0 exactly when $q = p$. It is not a distance: in general
# $\mathrm{KL}(p \,\|\, q) \ne \mathrm{KL}(q \,\|\, p)$.
#
# **Exercise: `kl_divergence(p, q)`.** Return $H(p, q) - H(p)$ in nats, with the same conventions
# (terms where `p` is 0 count 0; `inf` where `q` is 0 and `p` is not). A graded test runs one function
# at a time, so compute it here without calling your `cross_entropy` or `entropy`.

# %% nbgrader={"grade": false, "grade_id": "kl_divergence", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def kl_divergence(p, q):
    """KL(p || q) = H(p, q) - H(p) = sum p log(p / q) in nats; inf if q = 0 where p > 0."""
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p has shape {p.shape} but q has shape {q.shape}")
    nz = p > 0
    if np.any(q[nz] == 0):
        return float("inf")
    return float(np.sum(p[nz] * (np.log(p[nz]) - np.log(q[nz]))))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "kl_divergence_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.kl_divergence.check(kl_divergence)
### BEGIN HIDDEN TESTS
import math
import numpy as np
from checks.hidden import HiddenTests, expect
from answer_key.losses import dice, reference_kl

rng = np.random.default_rng(303)
fair, loaded = dice()
tests = HiddenTests(points=1)
with tests.part("sum(p log(p / q)), which is not symmetric, and 0 for q = p", points=0.5):
    expect("a fair die modelled as loaded", kl_divergence, args=(fair, loaded), expected=reference_kl(fair, loaded))
    expect(
        "a loaded die modelled as fair (not symmetric)",
        kl_divergence,
        args=(loaded, fair),
        expected=reference_kl(loaded, fair),
    )
    expect(
        "one-hot truth: -log of the model's probability",
        kl_divergence,
        args=(np.array([0.0, 1.0, 0.0]), np.array([0.3, 0.6, 0.1])),
        expected=-math.log(0.6),
    )
    for trial in range(3):
        truth = rng.dirichlet(np.ones(10))
        model = rng.dirichlet(np.ones(10))
        expect(
            f"random distributions over 10 outcomes (#{trial + 1})",
            kl_divergence,
            args=(truth, model),
            expected=reference_kl(truth, model),
            satisfies=lambda value: float(value) >= 0.0 or "KL must be >= 0",
        )
        expect(
            f"a random distribution against itself (#{trial + 1})",
            kl_divergence,
            args=(truth, truth.copy()),
            expected=0.0,
        )
with tests.part("zeros: a term with p = 0 counts 0, q = 0 where p > 0 gives inf", points=0.5):
    with_zeros = np.array([0.0, 0.3, 0.0, 0.7])
    expect("a distribution with zeros against itself is 0", kl_divergence, args=(with_zeros, with_zeros), expected=0.0)
    expect(
        "zeros of p where q is positive count 0",
        kl_divergence,
        args=(with_zeros, np.array([0.1, 0.2, 0.3, 0.4])),
        expected=reference_kl(with_zeros, [0.1, 0.2, 0.3, 0.4]),
    )
    expect(
        "q = 0 where p > 0 gives inf",
        kl_divergence,
        args=(np.array([0.5, 0.5, 0.0]), np.array([1.0, 0.0, 0.0])),
        expected=math.inf,
    )
    expect(
        "q = 0 only where p = 0 stays finite",
        kl_divergence,
        args=(np.array([0.5, 0.5, 0.0]), np.array([0.8, 0.2, 0.0])),
        expected=reference_kl([0.5, 0.5, 0.0], [0.8, 0.2, 0.0]),
    )
    expect(
        "a tiny q that is not 0 (1e-50) gives a large finite value, not inf",
        kl_divergence,
        args=(np.array([0.5, 0.5]), np.array([1e-50, 1.0 - 1e-50])),
        expected=reference_kl([0.5, 0.5], [1e-50, 1.0 - 1e-50]),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.kl_divergence.hint()`; a worked answer: `q.kl_divergence.solution()`.

# %%

# %% [markdown]
# The three quantities on the die. Reality is a die loaded on six; two models of it are scored.
# The better model has the smaller cross-entropy, and KL measures exactly how much worse than
# perfect each one is:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_04", "locked": true, "schema_version": 3, "solution": false, "task": false}
truth = np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.5])  # the loaded die
models = {
    "the truth itself": truth,
    "a fair die": np.full(6, 1 / 6),
    "loaded on one": np.array([0.5, 0.1, 0.1, 0.1, 0.1, 0.1]),
}
print(f"entropy of the loaded die: H(p) = {entropy(truth):.4f} nats\n")
print(f"{'model q':>18} {'H(p, q)':>9} {'KL(p||q)':>9} {'H(p, q) - H(p)':>15}")
for name, model in models.items():
    h_pq, kl = cross_entropy(truth, model), kl_divergence(truth, model)
    print(f"{name:>18} {h_pq:9.4f} {kl:9.4f} {h_pq - entropy(truth):15.4f}")
fair = models["a fair die"]
print(
    f"\nnot symmetric: KL(loaded || fair) = {kl_divergence(truth, fair):.4f}, "
    f"KL(fair || loaded) = {kl_divergence(fair, truth):.4f}"
)

# %% [markdown]
# ### From information to a loss
#
# In classification the "truth" for one sample is a one-hot row: all its probability sits on the
# true class $y$. Its entropy is 0, so cross-entropy and KL coincide, and they reduce to one term:
#
# $$H(\text{one-hot}_y,\, q) = -\log q_y .$$
#
# The loss of a sample is the surprise of the model at the true label, and training minimises the
# average surprise over the data (which is the same as maximising the likelihood of the labels).
# The curve below shows how hard it punishes a confident mistake, next to the squared error of the
# same probability:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_05", "locked": true, "schema_version": 3, "solution": false, "task": false}
q_true = np.linspace(1e-4, 1, 1000)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
left.plot(q_true, -np.log(q_true), lw=2, label=r"cross-entropy $-\log q_y$")
left.plot(q_true, (1 - q_true) ** 2, lw=2, label=r"squared error $(1 - q_y)^2$")
left.set_ylim(0, 5)
left.set_xlabel("probability given to the true class, $q_y$")
left.set_ylabel("loss")
left.set_title("A confident mistake costs without bound")
left.legend()
tiny = np.logspace(-12, 0, 500)
right.semilogx(tiny, -np.log(tiny), color="C0", lw=1, ls=":", label=r"$-\log q_y$")
right.semilogx(tiny, -np.log(np.maximum(tiny, 1e-7)), color="C3", lw=2, label=r"Keras: $q_y$ clipped at $10^{-7}$")
right.axhline(-np.log(1e-7), color="grey", lw=0.8)
right.text(1e-5, -np.log(1e-7) + 1.0, "ceiling: -log(1e-7) = 16.12", fontsize=9)
right.set_xlabel("$q_y$ (log scale)")
right.set_title("Clipping caps the loss of one sample")
right.legend(loc="lower left")
fig.tight_layout()
plt.show()


# %% [markdown]
# Keras 3's NumPy, JAX and PyTorch backends clip probabilities to $[10^{-7},\, 1 - 10^{-7}]$ before
# taking logs (its `epsilon()`). A sample whose true class got probability 0 then costs 16.12 instead of
# `inf`; one `inf` in a batch would make the batch's mean loss `inf`, and the update computed from it
# would fill the weights with `nan`.
#
# What the clip does *not* do is keep that sample's gradient. Outside $[10^{-7}, 1 - 10^{-7}]$ the
# clipped function is flat, so its derivative there is exactly 0: the sample the model gets most
# wrong contributes nothing to the update. The clip protects the loss value by hiding the sample from
# the optimizer. A finite difference shows it:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_11", "locked": true, "schema_version": 3, "solution": false, "task": false}
def clipped_surprise(q):
    return -np.log(np.clip(q, 1e-7, 1 - 1e-7))


h = 1e-12
for q_y in [0.3, 1e-3, 1e-9]:
    slope = (clipped_surprise(q_y + h) - clipped_surprise(q_y - h)) / (2 * h)
    surprise = clipped_surprise(q_y)
    print(f"q_y = {q_y:<6g}  loss {surprise:6.2f}   d loss / d q_y = {slope:.4g}   (unclipped: {-1 / q_y:.4g})")


# %% [markdown]
# The better engineering never forms the probability at all. A network's softmax comes from logits
# $z$, and $\log \operatorname{softmax}(z)_y = z_y - \log \sum_j e^{z_j}$, where the *log-sum-exp* is
# computed stably by shifting by the maximum, as softmax is. No probability is rounded to 0, so no
# clip is needed, the loss of any mistake is its true (finite) value, and the gradient with respect
# to the logits is $p - y$, which is never 0 for a wrong sample. Three classes, the true one given a
# logit 40 below the best:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_12", "locked": true, "schema_version": 3, "solution": false, "task": false}
def loss_from_logits(z, label):
    """-log softmax(z)[label], through a stable log-sum-exp: no probability, no clip."""
    top = z.max()
    return float(top + np.log(np.sum(np.exp(z - top))) - z[label])


def loss_from_clipped_probs(z, label):
    p = np.exp(z - z.max()) / np.sum(np.exp(z - z.max()))
    return float(-np.log(np.clip(p[label], 1e-7, 1 - 1e-7)))


def logit_gradient(loss, z, label, h=1e-6):
    return np.array([(loss(z + h * e, label) - loss(z - h * e, label)) / (2 * h) for e in np.eye(len(z))])


z, label = np.array([-30.0, 0.0, 10.0]), 0
for name, loss in [("clipped probabilities", loss_from_clipped_probs), ("from the logits", loss_from_logits)]:
    gradient = np.round(logit_gradient(loss, z, label), 4)
    print(f"{name:<22} loss {loss(z, label):7.3f}   gradient w.r.t. the logits {gradient}")
p = np.exp(z - z.max()) / np.sum(np.exp(z - z.max()))
print(f"{'p - y':<22}{'':14}   {np.round(p - np.eye(3)[label], 4)}")

# %% [markdown]
# Clipped, the sample costs 16.12 and pushes on nothing; from the logits it costs its real 40 and
# pulls the true class's logit up and the winner's down. This is why frameworks offer
# `from_logits=True`, and what Keras 3's **TensorFlow** backend does on its own when the predictions
# come straight from a softmax or sigmoid layer: it goes back to the cached logits, with no clip, and
# its gradient is exactly $p - y$. Its NumPy, JAX and PyTorch backends clip. This notebook's
# exercises follow the NumPy backend (the series' reference for "as Keras"); notebook 04's gradient
# is the logits one, and notebook 05's is the clipped one.

# %% [markdown]
# ## 4. Labels as one-hot rows: `to_categorical`
#
# MNIST labels are integers 0-9, one per image. `categorical_crossentropy` wants the truth as a
# distribution per sample, i.e. a one-hot row, so the Keras workflow prepares the labels like this:
#
# ```python
# from keras.utils import to_categorical
# train_labels = to_categorical(train_labels)
# test_labels = to_categorical(test_labels)
# ```
#
# **Exercise: `to_categorical(labels, num_classes=None)`.** As Keras: turn integer labels (an array
# of shape `(N,)` or a list) into one-hot rows of shape `(N, num_classes)`; `num_classes` defaults to
# `max(labels) + 1`. Return them as `float32`, as tf.keras 2 did (Keras 3 returns float64 for a list,
# and for arrays too outside its NumPy backend): float32 is the precision networks compute in, at
# half the memory of float64. Think about what should happen to a label that does not fit, such as `7` with
# `num_classes=5`, or `-1`: silently doing something odd (NumPy's negative indexing would put the 1 in
# the last column) is worse than a clear `ValueError`.

# %% nbgrader={"grade": false, "grade_id": "to_categorical", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def to_categorical(labels, num_classes=None):
    """Integer class labels -> float32 one-hot rows, as keras.utils.to_categorical."""
    ### BEGIN SOLUTION
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    shape = labels.shape[:-1] if labels.ndim > 1 and labels.shape[-1] == 1 else labels.shape
    labels = labels.reshape(-1)
    if num_classes is None:
        num_classes = int(labels.max()) + 1
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes - 1}], got [{labels.min()}, {labels.max()}]")
    one_hot = np.zeros((labels.size, num_classes), dtype=np.float32)
    one_hot[np.arange(labels.size), labels] = 1.0
    return one_hot.reshape(shape + (num_classes,))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "to_categorical_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.to_categorical.check(to_categorical)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect


def one_hot_expected(values, classes):
    values = np.asarray(values, dtype=np.int64)
    table = np.zeros((values.size, classes), dtype=np.float32)
    table[np.arange(values.size), values] = 1.0
    return table


rng = np.random.default_rng(304)
digits = rng.integers(0, 10, size=200).astype(np.uint8)
digits[:10] = np.arange(10, dtype=np.uint8)
rng.shuffle(digits)
tests = HiddenTests(points=1)
with tests.part("one float32 row per label, max + 1 columns or num_classes", points=0.5, core=True):
    expect(
        "200 uint8 digit labels, as MNIST's",
        to_categorical,
        args=(digits,),
        expected=one_hot_expected(digits, 10),
        dtype=np.float32,
    )
    expect(
        "classes 1 to 3 never appear: still max + 1 = 5 columns",
        to_categorical,
        args=(np.array([4, 0, 4, 0]),),
        expected=one_hot_expected([4, 0, 4, 0], 5),
        dtype=np.float32,
    )
    expect(
        "num_classes=10 for labels up to 3",
        to_categorical,
        args=(np.array([3, 1, 0]),),
        kwargs={"num_classes": 10},
        expected=one_hot_expected([3, 1, 0], 10),
        dtype=np.float32,
    )
    expect(
        "num_classes given by position",
        to_categorical,
        args=(np.array([0, 1]), 3),
        expected=one_hot_expected([0, 1], 3),
        dtype=np.float32,
    )
    expect("a single label", to_categorical, args=(np.array([6]),), expected=one_hot_expected([6], 7), dtype=np.float32)
    expect(
        "a Python list of labels",
        to_categorical,
        args=([1, 3, 3, 0],),
        expected=one_hot_expected([1, 3, 3, 0], 4),
        dtype=np.float32,
    )
    expect(
        "int32 labels",
        to_categorical,
        args=(np.array([2, 0, 1], dtype=np.int32),),
        expected=one_hot_expected([2, 0, 1], 3),
        dtype=np.float32,
    )
    expect(
        "every label 0",
        to_categorical,
        args=(np.zeros(3, dtype=np.int64),),
        expected=np.ones((3, 1), np.float32),
        dtype=np.float32,
    )
    many = rng.integers(0, 7, size=50)
    expect(
        "50 labels, num_classes=7",
        to_categorical,
        args=(many,),
        kwargs={"num_classes": 7},
        expected=one_hot_expected(many, 7),
        dtype=np.float32,
    )
with tests.part("a label that does not fit is refused with ValueError", points=0.5):
    # a label that does not fit is refused with a clear ValueError (the exercise text asks for one)
    expect(
        "a label of 9 with num_classes=6 is refused",
        to_categorical,
        args=(np.array([2, 9, 0]),),
        kwargs={"num_classes": 6},
        raises=ValueError,
    )
    expect(
        "a label equal to num_classes is refused",
        to_categorical,
        args=(np.array([0, 4]),),
        kwargs={"num_classes": 4},
        raises=ValueError,
    )
    expect(
        "a negative label is refused (not wrapped to the last column)",
        to_categorical,
        args=(np.array([1, -1, 2]),),
        raises=ValueError,
    )
    expect(
        "a negative label is refused with num_classes given too",
        to_categorical,
        args=(np.array([-2]),),
        kwargs={"num_classes": 3},
        raises=ValueError,
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.to_categorical.hint()`; a worked answer: `q.to_categorical.solution()`.

# %%

# %% [markdown]
# On the real MNIST labels. Each integer becomes ten floats, a 40-fold growth in memory, which is why
# the sparse loss of section 6 exists.

# %% nbgrader={"grade": false, "grade_id": "losses_cell_06", "locked": true, "schema_version": 3, "solution": false, "task": false}
from notebook_helpers import load_mnist

(_, train_labels), (_, test_labels) = load_mnist()
train_one_hot = to_categorical(train_labels)
print("labels:", train_labels[:5], train_labels.dtype, train_labels.shape, f"{train_labels.nbytes / 1e6:.2f} MB")
print("one-hot:", train_one_hot.dtype, train_one_hot.shape, f"{train_one_hot.nbytes / 1e6:.2f} MB")
print(train_one_hot[:5])

# %% [markdown]
# ## 5. Binary crossentropy: one yes/no question per output
#
# **Problem:** binary classification (spam or not) with one sigmoid output per sample, or
# multi-label classification with one sigmoid per label. Each output $p$ is the probability of "yes"
# and each target $y$ is 1 or 0. That is a two-outcome distribution $(y, 1 - y)$ scored by the model
# $(p, 1 - p)$, so the cross-entropy of section 2 gives, per output,
#
# $$\ell(y, p) = -\bigl(y \log p + (1 - y) \log(1 - p)\bigr).$$
#
# Keras 3's NumPy backend clips $p$ to $[10^{-7}, 1 - 10^{-7}]$ and averages $\ell$ over the outputs of a sample, then
# over the samples of the batch. With the same number of outputs per sample this is simply the
# mean over all elements, for shapes `(N,)` and `(N, k)` alike. Without the clip, one saturated
# sigmoid is enough to ruin the batch:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_07", "locked": true, "schema_version": 3, "solution": false, "task": false}
y_demo = np.array([1.0, 0.0, 1.0])
p_demo = np.array([0.0, 0.0, 0.8])  # the first output is confidently wrong, exactly 0
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    unclipped = -(y_demo * np.log(p_demo) + (1 - y_demo) * np.log(1 - p_demo))
print("per-output loss without clipping:", unclipped, " mean:", unclipped.mean())
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")

# %% [markdown]
# The confident mistake gives `inf`, and the correct "no" for the second output gives
# `0 * log(0) = nan`. The clip fixes both, which is why Keras 3's NumPy, JAX and PyTorch backends
# clip every crossentropy (its TensorFlow backend goes back to the logits when it can; section 3).
#
# **Exercise: `binary_crossentropy(y_true, y_pred)`.** As Keras: clip `y_pred` to
# $[10^{-7}, 1 - 10^{-7}]$, compute $\ell$ element-wise, and return the mean over all elements as one
# float, for shapes `(N,)` and `(N, k)`. Do not modify `y_pred` (`np.clip` returns a new array unless
# you give it `out=`).

# %% nbgrader={"grade": false, "grade_id": "binary_crossentropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def binary_crossentropy(y_true, y_pred):
    """Mean over all elements of -(y log p + (1 - y) log(1 - p)), p clipped as Keras does."""
    ### BEGIN SOLUTION
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    eps = 1e-7  # keras.backend.epsilon()
    p = np.clip(y_pred, eps, 1.0 - eps)  # a new array: y_pred is not touched
    per_element = -(y_true * np.log(p) + (1.0 - y_true) * np.log(1.0 - p))
    return float(np.mean(per_element))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "binary_crossentropy_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.binary_crossentropy.check(binary_crossentropy)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect
from answer_key.losses import reference_bce

rng = np.random.default_rng(305)
targets = rng.integers(0, 2, size=64).astype(float)
outputs = rng.uniform(0.0, 1.0, size=64)
outputs[:4] = [0.0, 1.0, 0.0, 1.0]
# Fixed figures: Keras 3's NumPy backend transcribed in float64 (nn.binary_crossentropy: clip to
# [1e-7, 1 - 1e-7], -(t log p + (1 - t) log(1 - p)); losses.binary_crossentropy: mean over the last
# axis; then the default "sum_over_batch_size" reduction). The first is Keras' docstring example,
# whose per-sample values it prints as [0.916, 0.714].
tests = HiddenTests(points=2)
with tests.part("Keras' formula, averaged over every element", points=1):
    expect(
        "Keras' docstring example, (2, 2)",
        binary_crossentropy,
        args=(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[0.6, 0.4], [0.4, 0.6]])),
        expected=0.814924454847114,
    )
    expect(
        "five yes/no predictions, shape (N,)",
        binary_crossentropy,
        args=(np.array([1.0, 0.0, 1.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.6, 0.99, 0.01])),
        expected=0.17188607248900595,
    )
    expect(
        "int targets",
        binary_crossentropy,
        args=(np.array([1, 0, 1, 1, 0]), np.array([0.9, 0.2, 0.6, 0.99, 0.01])),
        expected=0.17188607248900595,
    )
    expect(
        "soft targets, as Keras' formula allows",
        binary_crossentropy,
        args=(np.array([0.3, 0.8, 0.5]), np.array([0.4, 0.9, 0.5])),
        expected=0.6234725892944851,
    )
    expect(
        "(3, 3) multi-label targets: mean over every element",
        binary_crossentropy,
        args=(
            np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]]),
            np.array([[0.8, 0.1, 0.7], [0.3, 0.2, 0.9], [0.6, 0.5, 0.4]]),
        ),
        expected=0.34279516110149594,
    )
    wide_targets = rng.integers(0, 2, size=(10, 4)).astype(float)
    wide_outputs = rng.uniform(0.01, 0.99, size=(10, 4))
    expect(
        "a random (10, 4) multi-label batch",
        binary_crossentropy,
        args=(wide_targets, wide_outputs),
        expected=reference_bce(wide_targets, wide_outputs),
    )
    expect("a single sample", binary_crossentropy, args=(np.array([0.0]), np.array([0.25])), expected=-np.log(0.75))
with tests.part("predictions clipped to [1e-7, 1 - 1e-7], and no further", points=1):
    expect(
        "predictions of exactly 0 and 1 are clipped",
        binary_crossentropy,
        args=(np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.0, 1.0, 1.0, 0.0])),
        expected=8.059047875610753,
    )
    expect(
        "tiny probabilities inside [1e-7, 1 - 1e-7] are used as they are",
        binary_crossentropy,
        args=(np.array([1.0, 0.0, 1.0]), np.array([1e-6, 1.0 - 1e-6, 0.5])),
        expected=9.441389432153246,
    )
    expect(
        "predictions within 1e-7 of 0 or 1 (not exactly 0 or 1) are clipped too",
        binary_crossentropy,
        args=(np.array([1.0, 0.0, 1.0, 0.0, 1.0]), np.array([1e-9, 1.0 - 1e-9, 3e-8, 1.0 - 5e-8, 0.7])),
        expected=12.965811509764944,
    )
    expect(
        "64 random predictions, some exactly 0 or 1",
        binary_crossentropy,
        args=(targets, outputs),
        expected=reference_bce(targets, outputs),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.binary_crossentropy.hint()`; a worked answer: `q.binary_crossentropy.solution()`.

# %%

# %% [markdown]
# ## 6. Categorical and sparse categorical crossentropy: one class out of C
#
# **Problem:** multi-class classification, exactly one class per sample (MNIST digits), with a softmax
# output. The truth is a one-hot row, so per sample the loss is the cross-entropy of section 2,
# $-\sum_c y_c \log p_c = -\log p_{\text{true class}}$, averaged over the batch.
#
# Keras 3's NumPy backend adds two safety steps: it first divides each row of `y_pred` by its sum, so that a row that is
# not quite a distribution is read as one, and *then* clips to $[10^{-7}, 1 - 10^{-7}]$. The order
# matters for rows that do not sum to 1.
#
# **Exercise: `categorical_crossentropy(y_true, y_pred)`.** One-hot targets `(N, C)` and probability
# rows `(N, C)`; as Keras: normalise the rows, clip, take $-\sum y \log p$ per row, and return the mean
# over the rows as one float.

# %% nbgrader={"grade": false, "grade_id": "categorical_crossentropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def categorical_crossentropy(y_true, y_pred):
    """Mean over samples of -sum(y log p); rows of y_pred normalised, then clipped, as Keras does."""
    ### BEGIN SOLUTION
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    eps = 1e-7  # keras.backend.epsilon()
    p = y_pred / np.sum(y_pred, axis=-1, keepdims=True)  # rows normalised first ...
    p = np.clip(p, eps, 1.0 - eps)  # ... then clipped, as Keras does
    per_sample = -np.sum(y_true * np.log(p), axis=-1)
    return float(np.mean(per_sample))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "categorical_crossentropy_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.categorical_crossentropy.check(categorical_crossentropy)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect
from answer_key.losses import reference_cce, to_categorical_docstring_probs

rng = np.random.default_rng(306)
labels = rng.integers(0, 10, size=40)
targets = np.eye(10, dtype=np.float32)[labels]
outputs = rng.dirichlet(np.full(10, 0.7), size=40)
# Fixed figures: Keras 3's NumPy backend transcribed in float64 (nn.categorical_crossentropy: rows
# divided by their sum, clipped to [1e-7, 1 - 1e-7], -sum(t log p) along the last axis; then the
# default "sum_over_batch_size" reduction). The first two are the examples of Keras' docstrings of
# categorical_crossentropy ([0.0513, 2.303]) and of to_categorical ([0.10536 0.82807 0.1011 1.77196]).
documented = to_categorical_docstring_probs()
tests = HiddenTests(points=2)
with tests.part("Keras' formula, -sum(t log p) per sample, averaged", points=1):
    expect(
        "Keras' docstring example",
        categorical_crossentropy,
        args=(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])),
        expected=1.176939193690798,
    )
    expect(
        "Keras' to_categorical docstring example",
        categorical_crossentropy,
        args=(np.eye(4, dtype=np.float32), documented),
        expected=0.7016199932300966,
    )
    expect(
        "40 random samples, 10 classes",
        categorical_crossentropy,
        args=(targets, outputs),
        expected=reference_cce(targets, outputs),
    )
    expect(
        "a single sample",
        categorical_crossentropy,
        args=(np.array([[0.0, 0.0, 1.0]]), np.array([[0.2, 0.3, 0.5]])),
        expected=-np.log(0.5),
    )
    expect(
        "a perfect prediction costs (almost) nothing",
        categorical_crossentropy,
        args=(np.eye(3), np.eye(3)),
        expected=0.0,
        atol=1e-6,
    )
with tests.part("rows normalised first, then clipped to [1e-7, 1 - 1e-7]", points=1):
    expect(
        "rows that do not sum to 1 are normalised first",
        categorical_crossentropy,
        args=(np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), np.array([[2.0, 1.0, 1.0], [0.2, 0.2, 5.0]])),
        expected=0.38505411084803687,
    )
    expect(
        "normalised first, then clipped (not the other way round)",
        categorical_crossentropy,
        args=(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([[0.2, 0.2, 5.0], [3.0, 1.0, 0.0]])),
        expected=2.34106561356211,
    )
    expect(
        "probability 0 on the true class is clipped to 1e-7",
        categorical_crossentropy,
        args=(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([[0.0, 0.5, 0.5], [0.1, 0.8, 0.1]])),
        expected=8.170619601136265,
    )
    expect(
        "small probabilities inside [1e-7, 1 - 1e-7] are used as they are",
        categorical_crossentropy,
        args=(
            np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
            np.array([[1e-6, 0.5, 0.5 - 1e-6], [0.3, 0.7 - 2e-6, 2e-6]]),
        ),
        expected=13.4689369676843,
    )
    expect(
        "probabilities below 1e-7 (not exactly 0) on the true class are clipped too",
        categorical_crossentropy,
        args=(
            np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
            np.array([[1e-9, 0.6, 0.4 - 1e-9], [0.3, 0.7 - 3e-8, 3e-8]]),
        ),
        expected=16.11809565095832,
    )
    expect(
        "scaling every row by a constant changes nothing",
        categorical_crossentropy,
        args=(targets, outputs * rng.uniform(0.5, 3.0, size=(40, 1))),
        expected=reference_cce(targets, outputs),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.categorical_crossentropy.hint()`; a worked answer: `q.categorical_crossentropy.solution()`.

# %%

# %% [markdown]
# ### Sparse: the same loss on integer labels
#
# A one-hot row multiplies every log-probability by 0 except one. So why build it at all? With
# integer labels you can pick the true class's probability directly. That is
# `sparse_categorical_crossentropy`: the same numbers as `categorical_crossentropy` on the one-hot
# labels, without the `(N, C)` matrix. Use it whenever the labels are integers, as MNIST's are.
#
# **Exercise: `sparse_categorical_crossentropy(y_true, y_pred)`.** Integer labels `(N,)`, probability
# rows `(N, C)`: normalise and clip the rows as before, then average $-\log p_{i, y_i}$ over the
# samples. The number of classes is `C`, the width of `y_pred`, even if the batch's labels do not
# use them all.

# %% nbgrader={"grade": false, "grade_id": "sparse_categorical_crossentropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def sparse_categorical_crossentropy(y_true, y_pred):
    """categorical_crossentropy with integer labels: -log of the true class's probability, averaged."""
    ### BEGIN SOLUTION
    labels = np.asarray(y_true)
    y_pred = np.asarray(y_pred, dtype=float)
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(f"y_true has shape {labels.shape}; y_pred of shape {y_pred.shape} needs {y_pred.shape[:-1]}")
    if labels.size and (labels.min() < 0 or labels.max() >= y_pred.shape[-1]):
        raise ValueError(f"labels must lie in [0, {y_pred.shape[-1] - 1}] for {y_pred.shape[-1]} classes")
    eps = 1e-7  # keras.backend.epsilon()
    p = y_pred / np.sum(y_pred, axis=-1, keepdims=True)  # rows normalised first ...
    p = np.clip(p, eps, 1.0 - eps)  # ... then clipped, as Keras does
    true_class = np.take_along_axis(p, labels[..., None].astype(np.intp), axis=-1)[..., 0]
    return float(np.mean(-np.log(true_class)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "sparse_categorical_crossentropy_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.sparse_categorical_crossentropy.check(sparse_categorical_crossentropy)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect
from answer_key.losses import categorical_on_one_hot, to_categorical_docstring_probs

rng = np.random.default_rng(307)
digits = rng.integers(0, 10, size=50).astype(np.uint8)
outputs = rng.dirichlet(np.full(10, 0.5), size=50)
few = rng.integers(0, 3, size=20).astype(np.int32)
wide = rng.dirichlet(np.ones(6), size=20)
# Fixed figures: Keras 3's NumPy backend transcribed in float64 (nn.sparse_categorical_crossentropy:
# rows normalised, clipped to [1e-7, 1 - 1e-7], one_hot(target, C), -sum(t log p); then the default
# reduction). The first is Keras' docstring example, printed there as [0.0513, 2.303].
documented = to_categorical_docstring_probs()
tests = HiddenTests(points=1)
with tests.part("categorical crossentropy on the one-hot version of integer labels", points=0.5):
    expect(
        "Keras' docstring example: labels [1, 2]",
        sparse_categorical_crossentropy,
        args=(np.array([1, 2]), np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])),
        expected=1.176939193690798,
    )
    expect(
        "Keras' to_categorical docstring example, as integer labels",
        sparse_categorical_crossentropy,
        args=(np.array([0, 1, 2, 3]), documented),
        expected=0.7016199932300966,
    )
    expect(
        "50 uint8 labels: equals categorical crossentropy on the one-hot labels",
        sparse_categorical_crossentropy,
        args=(digits, outputs),
        expected=categorical_on_one_hot(digits, outputs),
    )
    expect(
        "int32 labels using 3 of 6 classes",
        sparse_categorical_crossentropy,
        args=(few, wide),
        expected=categorical_on_one_hot(few, wide),
    )
    expect(
        "a single sample",
        sparse_categorical_crossentropy,
        args=(np.array([2]), np.array([[0.2, 0.3, 0.5]])),
        expected=-np.log(0.5),
    )
    expect(
        "the last class",
        sparse_categorical_crossentropy,
        args=(np.array([4, 4]), np.full((2, 5), 0.2)),
        expected=-np.log(0.2),
    )
with tests.part("rows normalised, then clipped to [1e-7, 1 - 1e-7]", points=0.5):
    expect(
        "rows that do not sum to 1 are normalised first",
        sparse_categorical_crossentropy,
        args=(np.array([0, 2]), np.array([[2.0, 1.0, 1.0], [0.2, 0.2, 5.0]])),
        expected=0.38505411084803687,
    )
    expect(
        "labels that leave classes unused; a 0 on the true class is clipped",
        sparse_categorical_crossentropy,
        args=(np.array([0, 1, 1]), np.array([[0.7, 0.1, 0.1, 0.1], [0.2, 0.5, 0.2, 0.1], [0.0, 0.0, 0.0, 1.0]])),
        expected=5.722639258485667,
    )
    expect(
        "small probabilities inside [1e-7, 1 - 1e-7] are used as they are",
        sparse_categorical_crossentropy,
        args=(np.array([0, 2]), np.array([[1e-6, 0.5, 0.5 - 1e-6], [0.3, 0.7 - 2e-6, 2e-6]])),
        expected=13.4689369676843,
    )
    expect(
        "probabilities below 1e-7 (not exactly 0) on the true class are clipped too",
        sparse_categorical_crossentropy,
        args=(np.array([0, 2]), np.array([[1e-9, 0.6, 0.4 - 1e-9], [0.3, 0.7 - 3e-8, 3e-8]])),
        expected=16.11809565095832,
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.sparse_categorical_crossentropy.hint()`; a worked answer:
# `q.sparse_categorical_crossentropy.solution()`.

# %%

# %% [markdown]
# The two losses agree on a batch of MNIST labels with made-up predictions, and each equals the average
# of the per-sample cross-entropies of section 2:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_08", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(3)
batch_labels = train_labels[:128]
batch_probs = rng.dirichlet(np.ones(10), size=128)
dense = categorical_crossentropy(to_categorical(batch_labels, 10), batch_probs)
sparse = sparse_categorical_crossentropy(batch_labels, batch_probs)
by_hand = np.mean([cross_entropy(np.eye(10)[label], probs) for label, probs in zip(batch_labels, batch_probs)])
print(f"categorical on one-hot: {dense:.6f}")
print(f"sparse on integers:     {sparse:.6f}")
print(f"mean of cross_entropy:  {by_hand:.6f}")

# %% [markdown]
# ## 7. Regression: mean squared error and mean absolute error
#
# **Problem:** predict a real number (a price, a temperature) with a linear output, no activation.
# It looks as if there were no distribution to score, only a distance, but the information view of
# section 1 still holds. Read the prediction $\hat y$ as the centre of a belief about $y$: "the truth
# is $\hat y$ plus noise". With Gaussian noise of spread $\sigma$ the surprise of the actual $y$ is
# $-\log p(y) = (y - \hat y)^2 / 2\sigma^2 + \log(\sigma \sqrt{2\pi})$; with Laplace noise of scale $b$
# it is $|y - \hat y| / b + \log 2b$. For a fixed spread, the average surprise is MSE or MAE up to a
# scale and a constant: they are the crossentropies of regression, for two beliefs about the noise
# (the cell after the exercises checks it).
#
# $$\text{MSE} = \frac{1}{n}\sum (y - \hat y)^2, \qquad \text{MAE} = \frac{1}{n}\sum |y - \hat y|,$$
#
# averaged over every element, for shapes `(N,)` and `(N, k)` alike (as Keras' mean over the last axis
# followed by its mean over samples).
#
# **Exercises: `mean_squared_error(y_true, y_pred)` and `mean_absolute_error(y_true, y_pred)`**, each
# returning one float.

# %% nbgrader={"grade": false, "grade_id": "mean_squared_error", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def mean_squared_error(y_true, y_pred):
    """Mean over all elements of (y_true - y_pred)**2."""
    ### BEGIN SOLUTION
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    return float(np.mean((y_true - y_pred) ** 2))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "mean_squared_error_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.mean_squared_error.check(mean_squared_error)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect

rng = np.random.default_rng(308)
tests = HiddenTests(points=1)
with tests.part("the mean of the squared errors over every element", points=1):
    expect(
        "four targets, one big miss",
        mean_squared_error,
        args=(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.5, 2.0, 2.0, 6.0])),
        expected=1.3125,
    )
    expect(
        "a (2, 3) batch with errors of both signs",
        mean_squared_error,
        args=(np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]), np.array([[2.0, -4.0, 3.5], [-0.5, 1.0, -1.0]])),
        expected=1.2083333333333333,
    )
    expect(
        "a (2, 2) batch",
        mean_squared_error,
        args=(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])),
        expected=0.5,
    )
    expect("int arrays", mean_squared_error, args=(np.array([3, -1, 2]), np.array([1, 1, 2])), expected=8.0 / 3.0)
    expect("a single element", mean_squared_error, args=(np.array([2.5]), np.array([-0.5])), expected=9.0)
    expect("equal arrays cost 0", mean_squared_error, args=(np.arange(6.0), np.arange(6.0)), expected=0.0)
    truth = rng.normal(size=(25, 3))
    guess = truth + rng.normal(scale=2.0, size=(25, 3))
    expect(
        "a random (25, 3) batch", mean_squared_error, args=(truth, guess), expected=float(np.mean((truth - guess) ** 2))
    )
    flat_truth = rng.normal(size=40) * 10.0
    flat_guess = rng.normal(size=40) * 10.0
    expect(
        "a random vector of 40",
        mean_squared_error,
        args=(flat_truth, flat_guess),
        expected=float(np.mean((flat_truth - flat_guess) ** 2)),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.mean_squared_error.hint()`; a worked answer: `q.mean_squared_error.solution()`.

# %% nbgrader={"grade": false, "grade_id": "mean_absolute_error", "locked": false, "schema_version": 3, "solution": true, "task": false}
import numpy as np


def mean_absolute_error(y_true, y_pred):
    """Mean over all elements of |y_true - y_pred|."""
    ### BEGIN SOLUTION
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    return float(np.mean(np.abs(y_true - y_pred)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "mean_absolute_error_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from checks import losses as q

q.mean_absolute_error.check(mean_absolute_error)
### BEGIN HIDDEN TESTS
import numpy as np
from checks.hidden import HiddenTests, expect

rng = np.random.default_rng(309)
tests = HiddenTests(points=1)
with tests.part("the mean of the absolute errors over every element", points=1):
    expect(
        "four targets, one big miss",
        mean_absolute_error,
        args=(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.5, 2.0, 2.0, 6.0])),
        expected=0.875,
    )
    expect(
        "a (2, 3) batch with errors of both signs",
        mean_absolute_error,
        args=(np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]), np.array([[2.0, -4.0, 3.5], [-0.5, 1.0, -1.0]])),
        expected=0.9166666666666667,
    )
    expect(
        "errors that cancel in sum still count",
        mean_absolute_error,
        args=(np.array([1.0, -1.0, 2.0, -2.0]), np.zeros(4)),
        expected=1.5,
    )
    expect(
        "a (2, 2) batch",
        mean_absolute_error,
        args=(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])),
        expected=0.5,
    )
    expect("int arrays", mean_absolute_error, args=(np.array([3, -1, 2]), np.array([1, 1, 2])), expected=4.0 / 3.0)
    expect("a single element", mean_absolute_error, args=(np.array([2.5]), np.array([-0.5])), expected=3.0)
    expect("equal arrays cost 0", mean_absolute_error, args=(np.arange(6.0), np.arange(6.0)), expected=0.0)
    truth = rng.normal(size=(25, 3))
    guess = truth + rng.normal(scale=2.0, size=(25, 3))
    expect(
        "a random (25, 3) batch",
        mean_absolute_error,
        args=(truth, guess),
        expected=float(np.mean(np.abs(truth - guess))),
    )
    flat_truth = rng.normal(size=40) * 10.0
    flat_guess = rng.normal(size=40) * 10.0
    expect(
        "a random vector of 40",
        mean_absolute_error,
        args=(flat_truth, flat_guess),
        expected=float(np.mean(np.abs(flat_truth - flat_guess))),
    )
tests.report()
### END HIDDEN TESTS

# %% [markdown]
# Hints: `q.mean_absolute_error.hint()`; a worked answer: `q.mean_absolute_error.solution()`.

# %%

# %% [markdown]
# MSE and MAE as average surprises (spread $\sigma = 1$, scale $b = 1$), on 50 made-up targets and predictions:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_13", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(7)
targets, predictions = rng.normal(size=50), rng.normal(size=50)
residuals = targets - predictions
gaussian_surprise = np.mean(residuals**2 / 2 + np.log(np.sqrt(2 * np.pi)))
laplace_surprise = np.mean(np.abs(residuals) + np.log(2.0))
print(
    f"mean Gaussian surprise {gaussian_surprise:.4f} = MSE / 2 + log sqrt(2 pi) = "
    f"{mean_squared_error(targets, predictions) / 2 + np.log(np.sqrt(2 * np.pi)):.4f}"
)
print(
    f"mean Laplace surprise  {laplace_surprise:.4f} = MAE + log 2             = "
    f"{mean_absolute_error(targets, predictions) + np.log(2.0):.4f}"
)

# %% [markdown]
# ### One outlier, two verdicts
#
# Squaring makes big errors count a lot more. Fit the simplest model there is, one constant $c$ for
# every sample, to seven measurements with one outlier, and look for the $c$ each loss prefers. MSE is
# smallest at the **mean**, which the outlier drags towards itself. MAE is smallest at the **median**,
# which ignores how far away the outlier is. Use MSE when large errors really are much worse; use MAE
# (or a compromise such as Huber) when the data hold outliers you do not want to chase. In the
# language of noise: a Laplace belief has heavier tails than a Gaussian one, so an outlier
# surprises it less.

# %% nbgrader={"grade": false, "grade_id": "losses_cell_09", "locked": true, "schema_version": 3, "solution": false, "task": false}
measurements = np.array([2.1, 2.6, 3.0, 3.3, 3.6, 3.9, 15.0])  # the last one is an outlier
candidates = np.linspace(0, 16, 641)
mse_curve = [mean_squared_error(measurements, np.full_like(measurements, c)) for c in candidates]
mae_curve = [mean_absolute_error(measurements, np.full_like(measurements, c)) for c in candidates]
mean, median = measurements.mean(), np.median(measurements)
step = candidates[1] - candidates[0]
assert abs(candidates[np.argmin(mse_curve)] - mean) <= step  # MSE's best constant is the mean
assert abs(candidates[np.argmin(mae_curve)] - median) <= step  # MAE's best constant is the median

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
left.plot(range(len(measurements)), measurements, "ko", label="measurements")
left.axhline(mean, color="C0", lw=2, label=f"best for MSE: the mean, {mean:.2f}")
left.axhline(median, color="C1", lw=2, label=f"best for MAE: the median, {median:.2f}")
left.set_xlabel("sample")
left.set_title("One constant fitted to data with an outlier")
left.legend(fontsize=9)
right.plot(candidates, mse_curve, color="C0", lw=2, label="MSE(c)")
right.plot(candidates, mae_curve, color="C1", lw=2, label="MAE(c)")
right.plot([mean], [mean_squared_error(measurements, np.full_like(measurements, mean))], "o", color="C0")
right.plot([median], [mean_absolute_error(measurements, np.full_like(measurements, median))], "o", color="C1")
right.set_ylim(0, 40)
right.set_xlabel("constant prediction c")
right.set_title("The loss as a function of c")
right.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 8. The same numbers as Keras
#
# The figures below were computed by transcribing the loss code of Keras 3's NumPy backend
# (`keras/src/backend/numpy/nn.py` and `keras/src/losses/losses.py`: the clip to
# $[10^{-7}, 1 - 10^{-7}]$, the row normalisation, the mean over the last axis and then over the samples)
# and running it on float64 arrays. Three of the examples come from Keras' own documentation. Your
# functions must agree with every figure to within $10^{-6}$.
#
# (Keras' `Loss` objects, which `model.compile` uses, first cast to float32, the default `floatx`. That
# moves the last digits, and it rounds the upper clip bound $1 - 10^{-7}$ to $0.99999988$.)

# %% nbgrader={"grade": false, "grade_id": "losses_cell_10", "locked": true, "schema_version": 3, "solution": false, "task": false}
keras_doc = np.array(
    [[0.9, 0.04, 0.03, 0.03], [0.3, 0.45, 0.15, 0.13], [0.04, 0.01, 0.94, 0.05], [0.12, 0.21, 0.5, 0.17]]
)
comparisons = [  # (what, our value, the Keras figure)
    (
        "binary, docstring example",
        binary_crossentropy(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[0.6, 0.4], [0.4, 0.6]])),
        0.814924454847114,
    ),
    (
        "binary, five predictions",
        binary_crossentropy(np.array([1.0, 0.0, 1.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.6, 0.99, 0.01])),
        0.17188607248900595,
    ),
    (
        "binary, exact 0s and 1s",
        binary_crossentropy(np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.0, 1.0, 1.0, 0.0])),
        8.059047875610753,
    ),
    (
        "categorical, docstring example",
        categorical_crossentropy(
            np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        ),
        1.176939193690798,
    ),
    (
        "categorical, to_categorical doc",
        categorical_crossentropy(to_categorical([0, 1, 2, 3]), keras_doc),
        0.7016199932300966,
    ),
    (
        "categorical, unnormalised rows",
        categorical_crossentropy(
            np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), np.array([[2.0, 1.0, 1.0], [0.2, 0.2, 5.0]])
        ),
        0.38505411084803687,
    ),
    (
        "sparse, docstring example",
        sparse_categorical_crossentropy(np.array([1, 2]), np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])),
        1.176939193690798,
    ),
    (
        "sparse, unused classes and a 0",
        sparse_categorical_crossentropy(
            np.array([0, 1, 1]), np.array([[0.7, 0.1, 0.1, 0.1], [0.2, 0.5, 0.2, 0.1], [0.0, 0.0, 0.0, 1.0]])
        ),
        5.722639258485667,
    ),
    (
        "mean squared error",
        mean_squared_error(
            np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]), np.array([[2.0, -4.0, 3.5], [-0.5, 1.0, -1.0]])
        ),
        1.2083333333333333,
    ),
    (
        "mean absolute error",
        mean_absolute_error(
            np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]), np.array([[2.0, -4.0, 3.5], [-0.5, 1.0, -1.0]])
        ),
        0.9166666666666667,
    ),
]
print(f"{'example':<34}{'ours':>12}{'Keras':>12}   agree")
for what, ours, keras_value in comparisons:
    agree = abs(ours - keras_value) <= 1e-6
    print(f"{what:<34}{ours:12.6f}{keras_value:12.6f}   {'yes' if agree else 'NO'}")
assert all(abs(ours - keras_value) <= 1e-6 for _, ours, keras_value in comparisons)

# %% [markdown]
# ## 9. Which loss for which problem
#
# | problem | example | last layer | loss | targets look like |
# |---|---|---|---|---|
# | binary classification | spam or not | `Dense(1, activation='sigmoid')` | `binary_crossentropy` | 0 or 1 per sample, shape `(N,)` |
# | multi-label classification | tags of a photo | `Dense(k, activation='sigmoid')` | `binary_crossentropy` | k zeros and ones per sample, `(N, k)` |
# | multi-class, one-hot labels | MNIST after `to_categorical` | `Dense(C, activation='softmax')` | `categorical_crossentropy` | one-hot rows, `(N, C)` |
# | multi-class, integer labels | MNIST as loaded | `Dense(C, activation='softmax')` | `sparse_categorical_crossentropy` | integers in `[0, C)`, `(N,)` |
# | regression | a house price | `Dense(1)`, no activation | `mean_squared_error` (`mean_absolute_error` with outliers) | real numbers |

# %% [markdown]
# ## 10. The table at work: "is it a 0?"
#
# The first row of the table, used for real: a binary classifier for one question about an MNIST
# image, "is this digit a 0?". One sigmoid unit on the 784 pixels (logistic regression), trained with
# `binary_crossentropy` on 10,000 training images. Its gradient with respect to the logit has the same
# shape as softmax's with categorical crossentropy: $(p - y) / N$ (the sigmoid's slope
# $p(1 - p)$ cancels the $1 / p(1 - p)$ of the loss). The sigmoid is computed as
# $e^{-\log(1 + e^{-z})}$ with NumPy's stable `np.logaddexp`, another accurate route than notebook
# 02's two branches.

# %% nbgrader={"grade": false, "grade_id": "losses_cell_14", "locked": true, "schema_version": 3, "solution": false, "task": false}
(train_images, _), (test_images, _) = load_mnist()
x_zero = train_images[:10000].reshape(10000, 784).astype(np.float32) / 255
y_zero = (train_labels[:10000] == 0).astype(np.float64)  # 1 for a 0, else 0
x_zero_test = test_images.reshape(10000, 784).astype(np.float32) / 255
y_zero_test = (test_labels == 0).astype(np.float64)


def probability_of_zero(x, w, b):
    return np.exp(-np.logaddexp(0.0, -(x @ w + b)))  # sigmoid, accurate in both tails


w, b = np.zeros(784), 0.0
zero_losses = []
for step in range(150):  # full-batch gradient descent
    p = probability_of_zero(x_zero, w, b)
    zero_losses.append(binary_crossentropy(y_zero, p))
    d_logit = (p - y_zero) / len(p)
    w, b = w - 0.2 * (x_zero.T @ d_logit), b - 0.2 * d_logit.sum()  # learning rate 0.2
print(f"binary crossentropy: {zero_losses[0]:.3f} at the start (log 2), {zero_losses[-1]:.3f} after 150 steps")


# %% [markdown]
# How good is it? **Accuracy** alone misleads here: only about one test image in ten is a 0, so a
# "classifier" that always answers *no* is right 90% of the time. **Precision** (of the images called
# 0, the fraction that are 0s) and **recall** (of the real 0s, the fraction found) tell them apart:

# %% nbgrader={"grade": false, "grade_id": "losses_cell_15", "locked": true, "schema_version": 3, "solution": false, "task": false}
def scores(said_yes, truth):
    """Accuracy, precision and recall of yes/no answers against the truth (both boolean arrays)."""
    hits = np.sum(said_yes & truth)
    precision = hits / said_yes.sum() if said_yes.sum() else float("nan")
    return np.mean(said_yes == truth), precision, hits / truth.sum()


is_zero = y_zero_test == 1
answers = {"always 'no'": np.zeros(10000, bool), "sigmoid unit, p > 0.5": probability_of_zero(x_zero_test, w, b) > 0.5}
print(f"{'':<22}{'accuracy':>9}{'precision':>11}{'recall':>8}")
for name, said_yes in answers.items():
    acc, precision, recall = scores(said_yes, is_zero)
    shown = "0 / 0" if np.isnan(precision) else f"{precision:.1%}"
    print(f"{name:<22}{acc:>9.1%}{shown:>11}{recall:>8.1%}")
acc, precision, recall = scores(answers["sigmoid unit, p > 0.5"], is_zero)
assert acc > 0.98 and precision > 0.9 and recall > 0.9

# %% nbgrader={"grade": false, "grade_id": "losses_cell_16", "locked": true, "schema_version": 3, "solution": false, "task": false}
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2))
left.plot(zero_losses, lw=2)
left.set_xlabel("gradient step")
left.set_ylabel("binary crossentropy")
left.set_title("training the sigmoid unit")
test_p = probability_of_zero(x_zero_test, w, b)
right.hist([test_p[is_zero], test_p[~is_zero]], bins=25, log=True, label=["0s", "other digits"])
right.axvline(0.5, color="grey", ls=":")
right.set_xlabel("predicted P(it is a 0)")
right.set_title("test images")
right.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# The always-*no* answer has 90% accuracy and finds no 0 at all (its precision is undefined, 0 / 0);
# the sigmoid unit is right on nearly every image and finds nearly every 0. Keras lists
# `Precision()` and `Recall()` among its metrics for this reason: on unbalanced yes/no problems, report
# them next to accuracy.
#
# ## Summary
#
# **What you learned.** Surprise is $-\log p$; entropy is the expected surprise, cross-entropy the
# surprise under a model, KL the excess of one over the other. Every classification loss is a
# cross-entropy between the 0/1 truth and the predicted probabilities, and MSE and MAE are the same
# idea for Gaussian and Laplace noise. The clip keeps a loss finite but gives a clipped sample a zero
# gradient; computing from logits keeps both the value and the gradient.
#
# **Shapes and gradients.**
#
# | loss | `y_true` | `y_pred` | gradient |
# |---|---|---|---|
# | `binary_crossentropy` | 0/1, `(N,)` or `(N, k)` | sigmoid outputs, same shape | w.r.t. the logits, $(p - y)$ / (number of elements) |
# | `categorical_crossentropy` | one-hot `(N, C)` | softmax rows `(N, C)` | w.r.t. the logits, $(p - y) / N$ |
# | `sparse_categorical_crossentropy` | integers `(N,)` | softmax rows `(N, C)` | the same, with $y$ one-hot |
# | `mean_squared_error` | `(N,)` or `(N, k)` | same shape | $2(\hat y - y)$ / (number of elements) |
# | `mean_absolute_error` | `(N,)` or `(N, k)` | same shape | $\operatorname{sign}(\hat y - y)$ / (number of elements) |
#
# In the clipped (Keras NumPy backend) forms, the gradient is 0 for any probability the clip moved.
#
# **Common mistakes.**
# * `0 * np.log(0)` is `nan`: leave out the terms where $p = 0$ instead.
# * Clipping before normalising the rows of `categorical_crossentropy` (Keras normalises first).
# * Taking log of an exact 0 without a clip, or trusting the clip to keep a gradient.
# * Targets of shape `(N,)` against predictions of shape `(N, 1)`: a silent `(N, N)` broadcast.
# * Reporting only accuracy on an unbalanced yes/no problem.
#
# Next, notebook 04 trains the MNIST network from scratch with these pieces.
