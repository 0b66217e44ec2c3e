"""Visible checks, hints and solutions for the notebooks, and the assertions of their hidden tests.

One module per notebook (`checks.tensors`, ...) holds that notebook's `Exercise` objects; `core` is
the engine they share and `hidden` the assertions the graded tests use.
"""
from .core import Case, CheckFailure
from .exercise import Exercise

__all__ = ["Case", "CheckFailure", "Exercise"]
