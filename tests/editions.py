"""The two editions of the series, English and Korean (한국어판), for the tests that must hold for both.

The exercise tests, the visible checks and the nbgrader round trip run once per edition: on the
edition's source notebooks (`solutions/` or `ko/solutions/`), with the check messages in the edition's
language, as its notebooks and its nbgrader course show them (`ko/nbgrader_config.py` makes the Korean
grader speak Korean).

The Korean code cells, hidden tests included, are the English ones, cell by cell
(tests/test_korean_edition.py, `test_korean_code_cells_are_the_english_ones`). So the exercises whose
tests train a network (`TRAINED_ON_ONE_EDITION`) are tried with every answer on the English edition only.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from checks import i18n
from nbcells import SOLUTIONS, all_exercises
from tools import korean
from tools.notebooks import ROOT


@dataclass(frozen=True)
class Edition:
    language: str
    solutions: Path  # nbgrader's source folder: the instructor notebooks
    course_root: Path  # the folder of the edition's nbgrader_config.py
    course_id: str  # as that nbgrader_config.py names the course

    def __str__(self) -> str:
        return self.language


ENGLISH = Edition("en", SOLUTIONS, ROOT, "dl-foundations")
KOREAN = Edition(korean.LANGUAGE, korean.SOLUTIONS, korean.COURSE, "dl-foundations-ko")
EDITIONS = (ENGLISH, KOREAN)

# Exercises whose tests train a network on MNIST: their every answer is tried on the English edition
# only, since the Korean test cells are byte-identical (see the module docstring).
TRAINED_ON_ONE_EDITION = ("train_mlp",)


@cache
def exercises(edition: Edition) -> dict:
    """`{exercise name: GradedExercise}` read from the edition's source notebooks."""
    return all_exercises(edition.solutions)


@contextmanager
def speaking(edition: Edition):
    """Check messages in the edition's language while the block runs, then in the process's default again."""
    i18n.use_language(edition.language)
    try:
        yield edition
    finally:
        i18n.use_language(os.environ.get(i18n.LANGUAGE_VARIABLE) or i18n.ENGLISH)


def edition_fixture(request, module, variable: str, english_only: tuple[str, ...] = ()):
    """The body of a test module's `edition` fixture: point the module's `variable` at the edition's exercises.

    A test module parametrised over the editions this way keeps its tests as they are (they read
    `EXERCISES[name]`, for example). The Korean run of a test of an exercise in `english_only` (the
    `name` parameter) is skipped, saying why.
    """
    edition = request.param
    params = getattr(request.node, "callspec", None)
    if edition is not ENGLISH and params and params.params.get("name") in english_only:
        pytest.skip(
            f"{params.params['name']} trains on MNIST: its Korean test cells are the English ones, byte for "
            "byte (test_korean_code_cells_are_the_english_ones), so it runs on the English edition only"
        )
    patch = pytest.MonkeyPatch()
    patch.setattr(module, variable, exercises(edition))
    try:
        with speaking(edition):
            yield edition
    finally:
        patch.undo()
