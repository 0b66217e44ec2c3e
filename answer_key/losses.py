"""Reference code the hidden tests of notebook 03 (losses) compare with: the losses in float64, written
independently of the notebook's answer cells, and the fixed inputs several test cells share."""

from __future__ import annotations

import math

import numpy as np

CLIP = 1e-7  # keras.backend.epsilon(): what Keras clips probabilities to, [CLIP, 1 - CLIP]


def reference_entropy(dist) -> float:
    """-sum(p log p) in nats, outcomes of probability 0 left out (0 log 0 = 0)."""
    dist = np.asarray(dist, dtype=float)
    kept = dist[dist > 0]
    return float(-np.sum(kept * np.log(kept)))


def _where_truth_lives(truth, model):
    """(truth, model) as float arrays restricted to the outcomes where truth > 0; None if the model gives
    one of them probability 0 (the loss is then inf)."""
    truth = np.asarray(truth, dtype=float)
    model = np.asarray(model, dtype=float)
    live = truth > 0
    if np.any(model[live] == 0):
        return None
    return truth[live], model[live]


def reference_cross_entropy(truth, model) -> float:
    """H(p, q) = -sum(p log q) in nats: terms with p = 0 count 0, inf where q = 0 and p > 0."""
    terms = _where_truth_lives(truth, model)
    if terms is None:
        return math.inf
    truth, model = terms
    return float(-np.sum(truth * np.log(model)))


def reference_kl(truth, model) -> float:
    """KL(p || q) = sum(p log(p / q)) in nats: terms with p = 0 count 0, inf where q = 0 and p > 0."""
    terms = _where_truth_lives(truth, model)
    if terms is None:
        return math.inf
    truth, model = terms
    return float(np.sum(truth * np.log(truth / model)))


def dice():
    """(fair, loaded): a fair six-sided die and one that shows 6 half the time, as distributions."""
    return np.full(6, 1.0 / 6.0), np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.5])


def reference_bce(targets, outputs) -> float:
    """Keras' binary crossentropy: outputs clipped to [1e-7, 1 - 1e-7], the mean over every element."""
    clipped = np.clip(np.asarray(outputs, dtype=float), CLIP, 1.0 - CLIP)
    return float(np.mean(-(targets * np.log(clipped) + (1.0 - targets) * np.log(1.0 - clipped))))


def reference_cce(targets, outputs, dtype=float) -> float:
    """Keras' categorical crossentropy: rows divided by their sum, then clipped, -sum(t log p) per row, mean.

    Computed in float64 by default; `dtype=None` keeps the outputs' own dtype (a float32 model's loss, as
    Keras computes it for that model).
    """
    rows = np.asarray(outputs, dtype=dtype)
    rows = np.clip(rows / rows.sum(axis=-1, keepdims=True), CLIP, 1.0 - CLIP)
    return float(np.mean(-np.sum(targets * np.log(rows), axis=-1)))


def categorical_on_one_hot(labels, outputs) -> float:
    """reference_cce on the one-hot version of integer labels (what sparse categorical crossentropy is)."""
    return reference_cce(np.eye(np.shape(outputs)[-1])[labels], outputs)


def to_categorical_docstring_probs():
    """The (4, 4) predictions of Keras' to_categorical docstring example, for the labels 0, 1, 2, 3."""
    return np.array(
        [0.9, 0.04, 0.03, 0.03, 0.3, 0.45, 0.15, 0.13, 0.04, 0.01, 0.94, 0.05, 0.12, 0.21, 0.5, 0.17]
    ).reshape(4, 4)
