"""Nothing notebook 05's hidden tests demand is left untaught.

`COVERAGE` names, for every hidden-test label of notebook 05 (the first argument of each `expect_true`
or `expect` call, an f-string as written in the source), what teaches it: a visible check of
`checks.keras_from_scratch` (`check(...)`: the label of one of its checks) or a sentence of the
notebook's text (`text(...)`: a phrase of its markdown, whitespace aside). The tests fail when a hidden
label has no entry, when an entry names a check or a phrase that does not exist, and when an entry is
left over after its hidden test went away.
"""

import ast
import re

import nbformat
import pytest

from checks import keras_from_scratch as q
from nbcells import ROOT, load_exercises

NOTEBOOK = ROOT / "solutions" / "05_keras_from_scratch" / "keras_from_scratch.ipynb"


def check(label):
    return ("check", label)


def text(phrase):
    return ("text", phrase)


D_CONSTRUCTOR = check("the constructor keeps units, activation and input_shape")
D_UNKNOWN = check("an unknown activation raises ValueError")
D_BUILD = check("build(input_dim, rng): a Glorot-uniform float32 kernel and a zero bias; weights = [kernel, bias]")
D_FORWARD = check("forward: activation(x @ kernel + bias) for 'relu', 'softmax' and None")
D_BACKWARD = check("backward: the returned dL/dx, grad_kernel and grad_bias for 'relu', 'softmax' and None")
D_SOFTMAX = check("softmax stays finite and exact for logits of +-1000, row by row")
S_ADD = check("add() keeps the layers in order; Sequential(layers) adds them in order")
S_RNG = check("self.rng is np.random.default_rng(seed), seed 0 by default")
S_BUILDS = check("compile() builds every layer, sizes chained from input_shape")
S_BUILDS_RNG = text("it calls each layer's `build(input_dim, self.rng)`")
S_ACCEPTS = check(
    "compile() accepts the names Keras 3 accepts: 'rmsprop' in any letter case, "
    "'categorical_crossentropy' or 'CategoricalCrossentropy', metrics None or 'accuracy'/'acc'"
)
S_REFUSES = check(
    "compile() refuses an unknown optimizer, loss or metric, and a first layer without input_shape (ValueError)"
)
S_PREDICT = check("predict(x): each layer's forward in order, the last layer's output returned")
S_RESULT = check("train_on_batch(): the batch's [loss, accuracy] from before the step")
S_RMSPROP = check(
    "train_on_batch(): one Keras RMSprop step on every weight array, in place; three steps keep one cache per array"
)
S_LOSS_ALONE = check("without metrics, train_on_batch() returns the loss alone")
S_SATURATED_LOSS = check("saturated predictions: the loss clips p to [1e-7, 1 - 1e-7]")
S_SATURATED_GRAD = check("saturated predictions: dL/dp is 0 wherever p was clipped")
S_BATCHES = check("fit(): 10 samples in batches of 4, each epoch a new order from self.rng.permutation")
S_HISTORY = check("fit(): a History whose .history holds the epoch means of the loss and the accuracy")
S_FIT_WEIGHTS = check("fit(): the weights after 2 epochs are 6 RMSprop steps on, in one call of fit or two")
S_FIT_GRADIENTS = check("fit(): every step's dL/dp divides by its own batch's length, the short last batch too")
D_INPUTS = check("forward and backward leave x and grad_output unchanged")
S_EVALUATE = check("evaluate(): [loss, accuracy] of the current weights, whatever the batch size")
S_EVALUATE_STILL = check("evaluate() changes no weights and takes no training step")
SEED_RUN = text("so that the same seed gives the same training run")
GLOBAL_ALONE = text("and the global `np.random` generator is left alone")
ONLY_RNG = text("drawn with `rng` (and nothing else)")

COVERAGE = {
    # Dense
    "units, activation and input_shape are kept": [D_CONSTRUCTOR],
    "the defaults: no activation, no input_shape": [D_CONSTRUCTOR],
    "'linear' is accepted": [D_CONSTRUCTOR, text("`None` or `'linear'`: none")],
    'f"activation {name!r} raises ValueError"': [D_UNKNOWN],
    'f"build({input_dim}, rng) gives a float32 ({input_dim}, {units}) Glorot-uniform kernel"': [D_BUILD],
    'f"build({input_dim}, rng) gives float32 zero biases of shape ({units},)"': [D_BUILD],
    "a large kernel is uniform on [-l, l]": [text("from $U(-l, l)$")],
    "the same seed gives the same kernel": [D_BUILD],
    "another seed gives another kernel": [ONLY_RNG],
    "build draws from the given generator": [ONLY_RNG],
    "build leaves the global np.random generator alone": [ONLY_RNG],
    "weights is [kernel, bias], the arrays themselves": [D_BUILD, text("the arrays themselves, not copies")],
    'f"forward, activation {activation!r}"': [D_FORWARD, text("`None` or `'linear'`: none")],
    'f"backward returns dL/dx, activation {activation!r}"': [D_BACKWARD],
    'f"backward sets grad_kernel, activation {activation!r}"': [D_BACKWARD],
    'f"backward sets grad_bias (a sum over the batch), activation {activation!r}"': [
        D_BACKWARD,
        text("`grad_bias = dz.sum(axis=0)` (a sum over the batch"),
    ],
    'f"grads is [grad_kernel, grad_bias], activation {activation!r}"': [D_BACKWARD],
    'f"forward and backward leave their inputs unchanged, activation {activation!r}"': [
        D_INPUTS,
        text("Neither method may change its input in place."),
    ],
    "relu passes no gradient at exactly 0": [text("(0 at exactly 0 too)")],
    "softmax is stable for logits of +-1000": [D_SOFTMAX],
    "softmax is shifted by each row's own maximum: rows [1000, 999, 0] and [-1000, -999, 0]": [D_SOFTMAX],
    "backward uses the most recent forward": [text("for the most recent `forward`")],
    # Sequential, step 2.1
    "add keeps the layers in order": [S_ADD],
    "Sequential(layers) adds them in order": [S_ADD],
    "a new model starts with no layers": [S_ADD],
    "model.rng is a np.random.Generator": [S_RNG],
    "model.rng is np.random.default_rng(seed)": [S_RNG],
    "Sequential() uses seed=0 by default": [S_RNG],
    "the constructor leaves the global np.random generator alone": [GLOBAL_ALONE],
    # step 2.2
    "compile builds every layer, sizes chained from input_shape": [S_BUILDS],
    "compile passes a np.random.Generator to build": [S_BUILDS_RNG],
    "the same seed builds the same weights": [SEED_RUN],
    "another seed builds other weights": [SEED_RUN],
    "compile leaves the global np.random generator alone": [GLOBAL_ALONE],
    'f"compile({options}) raises ValueError"': [S_REFUSES, text("(so `'Categorical_Crossentropy'` is an error)")],
    'f"compile({options}) is accepted, as Keras 3 accepts it"': [
        S_ACCEPTS,
        text("`'rmsprop'`, `'RMSprop'` and `'RMSPROP'` are the same optimizer"),
    ],
    "a first layer without input_shape: compile raises ValueError": [S_REFUSES],
    # step 2.3
    "predict returns the last layer's output": [S_PREDICT],
    "predict changes no weights": [text("It changes nothing: no weights, no input.")],
    "predict leaves x unchanged": [text("It changes nothing: no weights, no input.")],
    # step 2.4
    "train_on_batch returns [loss, accuracy] of the batch before the step": [S_RESULT],
    "train_on_batch takes one Keras RMSprop step on every weight": [S_RMSPROP],
    "train_on_batch updates the weight arrays in place (layer.weights are the same arrays after the step)": [S_RMSPROP],
    "train_on_batch leaves x and y unchanged": [text("Neither `x` nor `y` may change.")],
    "three steps keep one RMSprop cache per weight": [S_RMSPROP],
    "without metrics, train_on_batch returns the loss alone": [S_LOSS_ALONE],
    # step 2.5
    "evaluate clips p to [1e-7, 1 - 1e-7] (true-class p of about 1e-9 and 1e-22 here)": [
        S_SATURATED_LOSS,
        text("Write them in `scores(probs, y)`, which `evaluate` uses too"),
    ],
    "train_on_batch's loss clips p to [1e-7, 1 - 1e-7]": [S_SATURATED_LOSS],
    "backward starts from dL/dp = -y / (N clip(p)), 0 where p was clipped (the output layer's gradients)": [
        S_SATURATED_GRAD
    ],
    "the RMSprop step after saturated predictions": [S_SATURATED_GRAD, S_RMSPROP],
    # step 2.6
    "fit returns a History whose .history has 'loss' and 'accuracy'": [S_HISTORY],
    "history['loss']: one mean crossentropy per epoch": [S_HISTORY],
    "history['accuracy']: one accuracy per epoch": [S_HISTORY],
    "after 3 full-batch epochs the weights are 3 Keras RMSprop steps on": [S_FIT_WEIGHTS],
    "fit leaves x and y unchanged": [text("`x` and `y` stay as they are")],
    "fit, train_on_batch, fit again: training goes on with the same RMSprop caches (3 steps)": [
        S_FIT_WEIGHTS,
        text("Calling `fit` again goes on training from where the last call stopped"),
    ],
    "each fit returns the history of its own epochs (the second fit: 1 epoch, the third step's loss)": [
        S_FIT_WEIGHTS,
        text("returns the history of its own epochs"),
    ],
    "a batch size larger than the data: one batch per epoch": [
        text("a `batch_size` larger than `N` gives one batch per epoch")
    ],
    "without metrics the history still has 'loss'": [text("maps `'loss'` and each metric's name")],
    "metrics=['Accuracy']: the history keeps the metric's name as given, as Keras 3 does": [
        S_HISTORY,
        text("it keeps the name you gave it (`metrics=['Accuracy']` is reported as `Accuracy`)"),
    ],
    "10 samples in batches of 4: steps of 4, 4 and 2 samples, each epoch": [S_BATCHES],
    "every epoch uses every sample exactly once": [
        S_BATCHES,
        text("One **epoch** is one pass over all the training samples"),
    ],
    "each epoch's order is model.rng.permutation(N), drawn from the model's own generator": [S_BATCHES],
    "history: per epoch, the loss and the accuracy are means over the epoch's samples (batches weighted by size)": [
        S_HISTORY,
        text("add up each batch's loss and accuracy times the batch's size"),
    ],
    "every step divides by its own batch's size, the last, shorter one too (dL/dz = (p - y) / len(batch))": [
        S_FIT_GRADIENTS,
        text("Each call of `train_on_batch` divides by its own batch's length, the last, shorter batch included."),
    ],
    "the samples are shuffled": [S_BATCHES],
    "a new order every epoch": [S_BATCHES],
    "the same seed gives the same batches and the same history": [text("so the same seed gives the same run")],
    "another seed gives other batches": [text("so the same seed gives the same run")],
    "the epoch's loss is the mean over its samples (each batch weighted by its size)": [S_HISTORY],
    "fit does not shuffle x in place": [text("never shuffle them in place")],
    # step 2.7
    "evaluate returns [loss, accuracy]": [S_EVALUATE],
    "evaluate's loss is Keras' mean crossentropy": [S_EVALUATE],
    "evaluate's accuracy": [S_EVALUATE],
    "evaluate does not depend on its batch size": [S_EVALUATE],
    "evaluate changes no weights": [S_EVALUATE_STILL],
    "evaluate leaves x and y unchanged": [text("leaves `x` and `y` as they are")],
    "without metrics, evaluate returns the loss alone": [text("or the loss alone without metrics")],
}


def hidden_labels():
    """Every label of a hidden test of notebook 05, in order (f-strings as their source text)."""
    labels = []
    for exercise in load_exercises(NOTEBOOK).values():
        for source in exercise.hidden_sources:
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("expect_true", "expect"):
                    first = node.args[0]
                    labels.append(
                        first.value if isinstance(first, ast.Constant) else ast.get_source_segment(source, first)
                    )
    return labels


def squeezed(words):
    return re.sub(r"\s+", " ", words).strip()


def markdown_text():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    return squeezed(" ".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown"))


def visible_labels():
    return {prop.label for exercise in (q.Dense, q.Sequential) for prop in exercise.properties}


def test_every_hidden_label_has_a_cover():
    uncovered = [label for label in hidden_labels() if label not in COVERAGE]
    assert not uncovered, f"hidden tests of notebook 05 that nothing visible teaches: {uncovered}"


def test_no_cover_outlives_its_hidden_test():
    stale = set(COVERAGE) - set(hidden_labels())
    assert not stale, f"COVERAGE entries whose hidden test is gone: {sorted(stale)}"


@pytest.mark.parametrize("label", sorted(COVERAGE))
def test_each_cover_exists(label):
    markdown, checks = markdown_text(), visible_labels()
    for kind, where in COVERAGE[label]:
        if kind == "check":
            assert where in checks, f"{label!r}: no visible check is labelled {where!r}"
        else:
            assert squeezed(where) in markdown, f"{label!r}: the notebook's text does not say {where!r}"


def test_the_coverage_test_fails_on_an_uncovered_label(monkeypatch):
    """The test above is not vacuous: a hidden label without an entry is reported."""
    monkeypatch.delitem(COVERAGE, "fit does not shuffle x in place")
    with pytest.raises(AssertionError, match="fit does not shuffle x in place"):
        test_every_hidden_label_has_a_cover()
