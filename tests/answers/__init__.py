"""Answers a learner might write, wrong and right, for every graded exercise.

Each module (one per notebook) registers plain functions with `@wrong("exercise")` or
`@right("exercise")`; a wrong answer's docstring names the mistake it stands for.  The tests prove that
the hidden tests of the exercise reject every wrong answer and that every right one earns full marks.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from typing import Callable

WRONG: dict = defaultdict(list)
RIGHT: dict = defaultdict(list)


def wrong(exercise: str) -> Callable:
    """Register a plausible mistake for `exercise`: the hidden tests must reject it."""

    def register(answer: Callable) -> Callable:
        WRONG[exercise].append(answer)
        return answer

    return register


def right(exercise: str) -> Callable:
    """Register a correct alternative for `exercise`: every test cell must accept it."""

    def register(answer: Callable) -> Callable:
        RIGHT[exercise].append(answer)
        return answer

    return register


def load_all() -> None:
    """Import every answers module so that its answers are registered."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
