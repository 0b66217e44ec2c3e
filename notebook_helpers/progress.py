"""A Keras-like progress line for a training loop, rewritten in place while an epoch runs.

    bar = ProgressBar(steps=469, prefix="epoch 1/5")
    for step in range(1, 470):
        ...                                            # one batch
        bar.update(step, loss=mean_loss_so_far, accuracy=accuracy_so_far)
    bar.finish(loss=epoch_loss, accuracy=epoch_accuracy)

While the loop runs the line reads `epoch 1/5 - 123/469 [=======>......................] - 0.4 s -
loss: 0.3512 - accuracy: 0.8912`; `finish` leaves the full bar and the epoch's figures.

Notebook 04 draws it through `notebook_helpers.plots.TrainingLog(epochs, steps=...)`; notebook 05's
`Sequential.fit` through the small `ProgressLine` its answer cell gives (no prefix: Keras' own
`Epoch 1/5` line comes first).

Where the line goes (`sys.stdout`, looked up at each write):
- a Jupyter kernel or a terminal: the line is rewritten with a carriage return, at most
  `MIN_INTERVAL` apart.  JupyterLab draws it in place; nbclient (with `coalesce_streams`) and nbval
  keep only the final line of each epoch, so a saved notebook holds one line per epoch;
- anything else (a file, a pipe, a captured `io.StringIO`, a grading process): quiet while the epoch
  runs, then the final line only.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, Optional

BAR_WIDTH = 30
MIN_INTERVAL = 0.1  # seconds between two redraws: smooth to watch, few messages for a kernel to send


def is_live(stream) -> bool:
    """Whether `stream` shows a line rewritten with a carriage return: a kernel's output or a terminal."""
    if type(stream).__module__.startswith("ipykernel."):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def bar(done: int, steps: int, width: int = BAR_WIDTH) -> str:
    """`[=========>....................]`: `done` of `steps` as a bar of `width` characters."""
    filled = min(width, width * done // steps)
    head = ">" if 0 < filled < width else ""
    return "[" + "=" * (filled - len(head)) + head + "." * (width - filled) + "]"


class ProgressBar:
    """The progress of one pass of `steps` steps: step/steps, a bar, elapsed seconds and named metrics."""

    def __init__(
        self,
        steps: int,
        prefix: str = "",
        started: Optional[float] = None,
        clock: Callable[[], float] = time.perf_counter,
    ):
        steps = int(steps)
        if steps < 1:
            raise ValueError(f"a progress bar needs at least one step, got steps={steps}")
        self.steps = steps
        self.prefix = prefix
        self._clock = clock
        self._started = clock() if started is None else started
        self._last_draw: Optional[float] = None
        self._drawn_width = 0

    def line(self, step: int, **metrics: float) -> str:
        """The text of the line after `step` steps, with `metrics` (such as loss, accuracy) to 4 decimals."""
        count = f"{step:>{len(str(self.steps))}}/{self.steps}"
        parts = [self.prefix] if self.prefix else []
        parts += [f"{count} {bar(step, self.steps)}", f"{self._clock() - self._started:.1f} s"]
        parts += [f"{name}: {float(value):.4f}" for name, value in metrics.items()]
        return " - ".join(parts)

    def update(self, step: int, **metrics: float) -> None:
        """Redraw the line after `step` of `steps` steps, unless it was drawn less than MIN_INTERVAL ago."""
        stream = sys.stdout
        now = self._clock()
        if not is_live(stream):
            return
        if self._last_draw is not None and now - self._last_draw < MIN_INTERVAL and step < self.steps:
            return
        text = self.line(step, **metrics)
        stream.write("\r" + text.ljust(self._drawn_width))
        stream.flush()
        self._last_draw = now
        self._drawn_width = max(self._drawn_width, len(text))

    def finish(self, **metrics: float) -> str:
        """Print the final line (full bar, total seconds, `metrics`) on a line of its own and return it."""
        text = self.line(self.steps, **metrics)
        stream = sys.stdout
        if self._drawn_width:
            # Blank the live line first: a saved notebook then keeps exactly `text`, with no padding.
            stream.write("\r" + " " * self._drawn_width + "\r")
        stream.write(text + "\n")
        stream.flush()
        return text
