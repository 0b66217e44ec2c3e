"""The live training line: rewritten in place where someone watches, one final line per epoch everywhere."""

import contextlib
import io
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbval.plugin import coalesce_streams

from notebook_helpers import progress
from notebook_helpers.plots import TrainingLog
from tools import notebooks

FINAL = "epoch 1/2 - 4/4 [==============================] - 2.0 s - loss: 0.5000 - accuracy: 0.7500"


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    """A clock that moves only when told to, so that elapsed seconds and redraw throttling are exact."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def run_epoch(stream, clock, step_seconds=0.5):
    bar = progress.ProgressBar(4, prefix="epoch 1/2", clock=clock)
    with contextlib.redirect_stdout(stream):
        for step in range(1, 5):
            clock.now += step_seconds
            bar.update(step, loss=1.0 / step, accuracy=0.25 * step)
        clock.now = 2.0
        bar.finish(loss=0.5, accuracy=0.75)
    return stream.getvalue()


def as_saved(text):
    """What nbval compares (and nbclient with coalesce_streams saves) for a cell that printed `text`."""
    output = nbformat.v4.new_output("stream", name="stdout", text=text)
    return coalesce_streams([output])[0].text


def test_the_bar_fills_with_the_steps():
    assert progress.bar(0, 4, width=8) == "[........]"
    assert progress.bar(1, 4, width=8) == "[=>......]"
    assert progress.bar(4, 4, width=8) == "[========]"


def test_a_terminal_sees_each_batch_and_keeps_the_final_line():
    text = run_epoch(Terminal(), Clock())
    assert text.count("\r") >= 4
    assert "epoch 1/2 - 1/4 [======>.......................] - 0.5 s - loss: 1.0000 - accuracy: 0.2500" in text
    assert as_saved(text) == FINAL + "\n"


def test_redraws_are_throttled_but_the_last_step_is_drawn():
    text = run_epoch(Terminal(), Clock(), step_seconds=progress.MIN_INTERVAL / 10)
    assert "1/4" in text and "4/4" in text
    assert "2/4" not in text and "3/4" not in text


def test_quiet_where_nobody_watches():
    text = run_epoch(io.StringIO(), Clock())
    assert text == FINAL + "\n"


def test_a_progress_bar_needs_steps():
    with pytest.raises(ValueError, match="at least one step"):
        progress.ProgressBar(0)


def test_training_log_with_steps_shows_batches_and_keeps_the_history():
    log = TrainingLog(2, steps=3)
    stream = Terminal()
    with contextlib.redirect_stdout(stream):
        for epoch in range(2):
            for step in (1, 2, 3):
                log.batch_done(step, 1.0 / step, 0.3 * step)
            log.epoch_done(0.25 * (2 - epoch), 0.9)
    lines = as_saved(stream.getvalue()).splitlines()
    assert [line.split(" - ")[:2] for line in lines] == [
        ["epoch 1/2", "3/3 " + progress.bar(3, 3)],
        ["epoch 2/2", "3/3 " + progress.bar(3, 3)],
    ]
    assert lines[1].endswith("loss: 0.2500 - accuracy: 0.9000")
    assert log.history == {"loss": [0.5, 0.25], "accuracy": [0.9, 0.9]}
    assert len(log.seconds) == 2 and TrainingLog.last is log


def test_training_log_without_steps_prints_its_epoch_line():
    stream = Terminal()
    with contextlib.redirect_stdout(stream):
        TrainingLog(5).epoch_done(0.26371, 0.92419)
    assert stream.getvalue().startswith("epoch 1/5 - loss: 0.2637 - accuracy: 0.9242 - ")
    with pytest.raises(ValueError, match="steps=batches_per_epoch"):
        TrainingLog(5).batch_done(1, 0.1, 0.2)


def test_a_kernel_shows_the_live_line_and_a_saved_notebook_keeps_one_line_per_epoch(tmp_path):
    """In a real kernel the line is live (carriage returns reach the notebook); the saved notebook keeps
    only each epoch's final line, as nbclient writes it for `course.py refresh`."""
    source = (
        "import time\nfrom notebook_helpers.plots import TrainingLog\nlog = TrainingLog(2, steps=3)\n"
        "for epoch in range(2):\n    for step in (1, 2, 3):\n        time.sleep(0.15)\n"
        "        log.batch_done(step, 0.5, 0.5)\n    log.epoch_done(0.5, 0.5)\n"
    )
    path = tmp_path / "train.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    live = nbformat.read(path, as_version=4)
    NotebookClient(live, kernel_name="python3", timeout=60, extra_arguments=notebooks.QUIET_KERNEL).execute()
    live_text = "".join(o.text for o in live.cells[0].outputs if o.output_type == "stream")
    assert "\r" in live_text and "1/3" in live_text
    assert notebooks.execute_notebook(path, write=True).ok
    saved = nbformat.read(path, as_version=4).cells[0].outputs
    lines = "".join(o.text for o in saved).splitlines()
    assert [line.split(" - ")[:2] for line in lines] == [
        ["epoch 1/2", "3/3 " + progress.bar(3, 3)],
        ["epoch 2/2", "3/3 " + progress.bar(3, 3)],
    ]


# --- notebook 05: Sequential.fit(verbose=1) draws the same live line through its given ProgressLine -----------


def sequential_of_notebook_05():
    """The reference `Sequential` of notebook 05 (its answer cell, given code included) and a compiled model."""
    from answer_key.keras_from_scratch import model_of
    from nbcells import load_exercises

    exercise = load_exercises(notebooks.ROOT / "solutions" / "05_keras_from_scratch" / "keras_from_scratch.ipynb")
    namespace = {"__name__": "__main__"}
    exec(compile(exercise["Sequential"].reference_source, "<Sequential>", "exec"), namespace)
    model, _ = model_of(namespace["Sequential"], [4, 3], ["relu", "softmax"], 5, seed=1)
    return model


def fit_printing_to(stream, verbose=1):
    from answer_key.keras_from_scratch import toy_data

    x, y = toy_data(n=10, features=5, classes=3, seed=2)
    with contextlib.redirect_stdout(stream):
        history = sequential_of_notebook_05().fit(x, y, epochs=2, batch_size=4, verbose=verbose)
    return stream.getvalue(), history


EPOCH_LINE = re.compile(r"^3/3 \[={30}\] - \d+\.\d s - loss: \d\.\d{4} - accuracy: \d\.\d{4}$")


def test_notebook_05_fit_shows_each_batch_where_someone_watches_and_saves_keras_two_lines_per_epoch():
    text, history = fit_printing_to(Terminal())
    assert f"\r1/3 {progress.bar(1, 3)} - " in text and "accuracy: " in text.split("\r")[1]  # the first batch, live
    lines = as_saved(text).splitlines()
    assert lines[0::2] == ["Epoch 1/2", "Epoch 2/2"]
    assert all(EPOCH_LINE.match(line) for line in lines[1::2]), lines
    assert lines[3].endswith(f"loss: {history.history['loss'][1]:.4f} - accuracy: {history.history['accuracy'][1]:.4f}")


def test_notebook_05_fit_is_quiet_while_it_runs_where_nobody_watches_and_silent_with_verbose_0():
    text, _ = fit_printing_to(io.StringIO())
    assert "\r" not in text
    lines = text.splitlines()
    assert lines[0::2] == ["Epoch 1/2", "Epoch 2/2"] and all(EPOCH_LINE.match(line) for line in lines[1::2]), lines
    assert fit_printing_to(Terminal(), verbose=0)[0] == ""
