"""Plotting helpers the notebooks use but do not teach.

Each function draws one figure with matplotlib and returns it; the notebook calls `plt.show()`.
`TrainingLog` is the progress display of a training loop (a line per epoch, and given the batches
per epoch a live Keras-like line while it runs); it keeps the numbers it prints so that the loss and
accuracy curves can be drawn afterwards.
"""

from __future__ import annotations

import math
import time
from typing import Mapping, Optional, Sequence

import numpy as np

from .progress import ProgressBar


def _pyplot():
    """matplotlib.pyplot, imported on first use: `TrainingLog` works where matplotlib is not installed."""
    import matplotlib.pyplot as plt

    return plt


def show_digits(
    images: np.ndarray,
    labels: Optional[Sequence] = None,
    predictions: Optional[Sequence] = None,
    ncols: int = 10,
    title: Optional[str] = None,
    size: float = 1.1,
):
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
    figure, axes = _pyplot().subplots(nrows, ncols, figsize=(ncols * size, nrows * (size + 0.25)), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index >= count:
            continue
        axis.imshow(images[index], cmap="gray_r")
        if labels is not None and predictions is not None:
            wrong = labels[index] != predictions[index]
            axis.set_title(
                f"{labels[index]} \u2192 {predictions[index]}", fontsize=9, color="red" if wrong else "black"
            )
        elif labels is not None:
            axis.set_title(str(labels[index]), fontsize=9)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    xlabel: str = "epoch",
    ylabel: str = "",
    title: Optional[str] = None,
    start: int = 1,
):
    """Draw named curves against their index (epochs start at 1), one line each, with a legend."""
    figure, axis = _pyplot().subplots(figsize=(6, 3.5))
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


def plot_confusion_matrix(
    labels: Sequence[int],
    predictions: Sequence[int],
    num_classes: int = 10,
    title: Optional[str] = None,
    size: float = 5.0,
):
    """Draw the confusion matrix of integer `labels` (rows) against `predictions` (columns), with counts.

    The diagonal (right answers) is left white so that the mistakes stand out; every cell shows its
    count.  Returns the figure; the counts are `figure.counts`, an `(num_classes, num_classes)` int array.
    """
    labels = np.asarray(labels).astype(np.int64).ravel()
    predictions = np.asarray(predictions).astype(np.int64).ravel()
    if labels.shape != predictions.shape:
        raise ValueError(f"labels and predictions differ in length: {labels.size} vs {predictions.size}")
    if labels.size and (
        min(labels.min(), predictions.min()) < 0 or max(labels.max(), predictions.max()) >= num_classes
    ):
        raise ValueError(f"labels and predictions must lie in [0, {num_classes})")
    counts = np.bincount(labels * num_classes + predictions, minlength=num_classes * num_classes).reshape(
        num_classes, num_classes
    )
    mistakes = counts.copy()
    np.fill_diagonal(mistakes, 0)
    figure, axis = _pyplot().subplots(figsize=(size, size))
    axis.imshow(mistakes, cmap="Reds", vmin=0, vmax=max(1, int(mistakes.max())))
    for row in range(num_classes):
        for col in range(num_classes):
            if counts[row, col]:
                strong = row != col and counts[row, col] > 0.6 * max(1, mistakes.max())
                axis.text(
                    col,
                    row,
                    str(counts[row, col]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if strong else "black",
                    fontweight="bold" if row == col else "normal",
                )
    axis.set_xticks(range(num_classes))
    axis.set_yticks(range(num_classes))
    axis.set_xlabel("predicted")
    axis.set_ylabel("true label")
    axis.grid(False)
    axis.set_title(title or "confusion matrix (diagonal: right answers)")
    figure.tight_layout()
    figure.counts = counts
    return figure


def show_weights(weights: np.ndarray, count: int = 40, ncols: int = 10, title: Optional[str] = None, size: float = 1.0):
    """Draw the incoming weights of the first `count` units of a layer fed with square images.

    `weights` is a layer's `(pixels, units)` kernel, e.g. `W1` of shape `(784, 512)`: column `j` holds
    what unit `j` multiplies each pixel by, so reshaped to 28x28 it is the pattern that unit responds
    to.  Red is a positive weight (ink there excites the unit), blue a negative one; each unit gets its
    own symmetric colour scale.
    """
    weights = np.asarray(weights)
    if weights.ndim != 2:
        raise ValueError(f"expected a (pixels, units) matrix, got shape {weights.shape}")
    side = math.isqrt(weights.shape[0])
    if side * side != weights.shape[0]:
        raise ValueError(f"the inputs must be square images, got {weights.shape[0]} pixels")
    count = max(1, min(count, weights.shape[1]))
    ncols = max(1, min(ncols, count))
    nrows = math.ceil(count / ncols)
    figure, axes = _pyplot().subplots(nrows, ncols, figsize=(ncols * size, nrows * size), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index >= count:
            continue
        pattern = weights[:, index].reshape(side, side)
        scale = float(np.abs(pattern).max()) or 1.0
        axis.imshow(pattern, cmap="RdBu_r", vmin=-scale, vmax=scale)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


class TrainingLog:
    """The progress display of a training loop: one line per epoch, remembered for the curves.

        log = TrainingLog(epochs)
        for epoch in range(epochs):
            ...                                   # one pass over the data
            log.epoch_done(loss, accuracy)        # prints "epoch 1/5 - loss: 0.2573 - accuracy: 0.9254 - 2.1 s"
        log.plot()                                # loss and accuracy per epoch

    Given the number of batches per epoch, it also shows a live line while each epoch runs, as Keras
    does (see `notebook_helpers.progress`; quiet where the output is not a notebook or a terminal):

        log = TrainingLog(epochs, steps=math.ceil(n / batch_size))
        for epoch in range(epochs):
            for step, start in enumerate(range(0, n, batch_size), start=1):
                ...                               # one batch
                log.batch_done(step, loss_sum / seen, correct / seen)   # the epoch's means so far
            log.epoch_done(loss_sum / n, correct / n)
            # leaves "epoch 1/5 - 469/469 [==============================] - 2.1 s - loss: 0.2573 - accuracy: 0.9254"

    The seconds are the wall time since the previous epoch ended (or since the log was made).
    `TrainingLog.last` is the most recently made log, so a notebook can plot the curves of a run
    whose function returned only the trained weights.
    """

    last: Optional["TrainingLog"] = None

    def __init__(self, epochs: int, verbose: bool = True, steps: Optional[int] = None):
        if steps is not None and int(steps) < 1:
            raise ValueError(f"steps is the number of batches per epoch, at least 1; got {steps}")
        self.epochs = int(epochs)
        self.verbose = verbose
        self.steps = None if steps is None else int(steps)
        self.history = {"loss": [], "accuracy": []}
        self.seconds: list = []
        self._started = time.perf_counter()
        self._bar: Optional[ProgressBar] = None
        TrainingLog.last = self

    def batch_done(self, step: int, loss: float, accuracy: float) -> None:
        """Show the running epoch after `step` of `steps` batches: its mean loss and accuracy so far."""
        if self.steps is None:
            raise ValueError("to show batches, make the log with TrainingLog(epochs, steps=batches_per_epoch)")
        if self.verbose:
            self._epoch_bar().update(step, loss=loss, accuracy=accuracy)

    def epoch_done(self, loss: float, accuracy: float) -> None:
        """Record one epoch's mean loss and accuracy, and print its line."""
        now = time.perf_counter()
        self.seconds.append(now - self._started)
        self.history["loss"].append(float(loss))
        self.history["accuracy"].append(float(accuracy))
        if self.verbose and self.steps is not None:
            self._epoch_bar().finish(loss=loss, accuracy=accuracy)
        elif self.verbose:
            print(
                f"epoch {len(self.seconds)}/{self.epochs} - loss: {float(loss):.4f} - "
                f"accuracy: {float(accuracy):.4f} - {self.seconds[-1]:.1f} s",
                flush=True,
            )
        self._started = now
        self._bar = None

    def _epoch_bar(self) -> ProgressBar:
        """The live line of the epoch under way, made at its first batch and timed from the epoch's start."""
        if self._bar is None:
            epoch = len(self.seconds) + 1
            self._bar = ProgressBar(self.steps, prefix=f"epoch {epoch}/{self.epochs}", started=self._started)
        return self._bar

    def plot(self, title: Optional[str] = None):
        """Loss and accuracy per epoch, side by side."""
        return plot_history(self.history, title=title)


def plot_history(history: Mapping[str, Sequence[float]], title: Optional[str] = None):
    """Draw each metric of a Keras-style `history` dict (`{"loss": [...], "accuracy": [...]}`) per epoch.

    One panel per metric, side by side, epochs counted from 1.
    """
    names = [name for name, values in history.items() if len(values)]
    if not names:
        raise ValueError("the history holds no values to plot")
    figure, axes = _pyplot().subplots(1, len(names), figsize=(4.2 * len(names), 3.2), squeeze=False)
    for axis, name in zip(axes.flat, names):
        values = list(history[name])
        axis.plot(range(1, len(values) + 1), values, marker="o", color="C0" if "loss" in name else "C2")
        axis.set_xlabel("epoch")
        axis.set_title(name)
        axis.set_xticks(range(1, len(values) + 1))
        axis.grid(alpha=0.3)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure
