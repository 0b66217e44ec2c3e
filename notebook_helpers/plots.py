"""Plotting helpers the notebooks use but do not teach.

Each function draws one figure with matplotlib and returns it; the notebook calls `plt.show()`.
"""
from __future__ import annotations

import math
from typing import Mapping, Optional, Sequence

import matplotlib.pyplot as plt
import numpy as np


def show_digits(images: np.ndarray, labels: Optional[Sequence] = None, predictions: Optional[Sequence] = None,
                ncols: int = 10, title: Optional[str] = None, size: float = 1.1):
    """Draw a grid of 28x28 (or flattened 784) grey-scale images, captioned with labels.

    With `predictions`, each caption reads `label -> prediction`, red where they differ.
    """
    images = np.asarray(images)
    if images.ndim == 2:
        side = math.isqrt(images.shape[1])
        if side * side != images.shape[1]:
            raise ValueError(f"flattened images must be square, got {images.shape[1]} pixels")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3:
        raise ValueError(f"expected images of shape (N, H, W) or (N, H*W), got {images.shape}")
    count = len(images)
    ncols = max(1, min(ncols, count))
    nrows = math.ceil(count / ncols)
    figure, axes = plt.subplots(nrows, ncols, figsize=(ncols * size, nrows * (size + 0.25)), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index >= count:
            continue
        axis.imshow(images[index], cmap="gray_r")
        if labels is not None and predictions is not None:
            wrong = labels[index] != predictions[index]
            axis.set_title(f"{labels[index]} \u2192 {predictions[index]}", fontsize=9, color="red" if wrong else "black")
        elif labels is not None:
            axis.set_title(str(labels[index]), fontsize=9)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_curves(curves: Mapping[str, Sequence[float]], xlabel: str = "epoch", ylabel: str = "",
                title: Optional[str] = None, start: int = 1):
    """Draw named curves against their index (epochs start at 1), one line each, with a legend."""
    figure, axis = plt.subplots(figsize=(6, 3.5))
    for name, values in curves.items():
        axis.plot(range(start, start + len(values)), values, marker="o", label=name)
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    if title:
        axis.set_title(title)
    axis.grid(alpha=0.3)
    axis.legend()
    figure.tight_layout()
    return figure
