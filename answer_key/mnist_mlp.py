"""Reference code the hidden tests of notebooks 04 (mnist_mlp) and 05 use: softmax, Keras' RMSprop step and
the trained network's predictions."""

from __future__ import annotations

import numpy as np


def softmax_rows(z: np.ndarray) -> np.ndarray:
    """Softmax of each row, shifted by the row's maximum so that exp never overflows."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def keras_rmsprop(param, grad, cache, lr=0.001, rho=0.9, eps=1e-7):
    """One step of Keras 3's RMSprop: the new cache first, then eps inside the square root; (new param, new cache)."""
    cache = rho * cache + (1 - rho) * np.square(grad)
    return param - lr * grad / np.sqrt(cache + eps), cache


def predict_mlp(params: dict, x: np.ndarray) -> np.ndarray:
    """Class probabilities of the network Dense(relu) -> Dense(softmax) with weights W1, b1, W2, b2."""
    h = np.maximum(x @ params["W1"] + params["b1"], 0)
    return softmax_rows(h @ params["W2"] + params["b2"])
