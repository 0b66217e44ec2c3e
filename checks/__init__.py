"""Visible checks and hints for the notebooks, and the assertions of their hidden tests.

One module per notebook (`checks.tensors`, ...) holds that notebook's `Exercise` objects; `core` is
the engine they share, `exercise` the visible side and `hidden` the assertions the graded tests use.

This package ships to students, so it holds nothing that computes an exercise's answer:

- the expected value of a visible case is a literal, or `FROZEN`: data in `checks/frozen/<module>.json`,
  written from the instructor-only reference solutions by `python3 course.py freeze` (see
  `checks.frozen`); a test fails when a frozen file is stale;
- reference implementations the hidden tests need live in the instructor-only package `answer_key`;
- `Exercise.solution()` reads the worked solution from the solution notebooks in `solutions/` when the
  repository is there, and says that worked solutions are not part of the course when it is not.

Importing it in IPython installs the plain message for a check cell run before its answer cell
(`checks.exercise.install_notebook_messages`).
"""

from .core import FROZEN, Case, CheckFailure
from .exercise import Exercise, install_notebook_messages

__all__ = ["FROZEN", "Case", "CheckFailure", "Exercise"]

install_notebook_messages()
