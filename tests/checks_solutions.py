"""Find every `Exercise` the `checks` package defines, to test what `solution()` shows."""

import contextlib
import importlib
import io
import pkgutil

import checks
from checks import Exercise, i18n


def checks_exercises() -> dict:
    """`{exercise name: Exercise}` over every notebook module of `checks`."""
    found = {}
    for module in pkgutil.iter_modules(checks.__path__):
        loaded = importlib.import_module(f"checks.{module.name}")
        for value in vars(loaded).values():
            if isinstance(value, Exercise):
                found[value.name] = value
    return found


def solution_shown(exercise: Exercise) -> str:
    """The code `exercise.solution()` prints, without its title line."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exercise.solution()
    title, _, code = printed.getvalue().partition("\n")
    expected = i18n._("A solution for {name}:\n{source}").format(name=exercise.name, source="").partition("\n")[0]
    assert title == expected, f"solution() printed no solution: {title}"  # in the language of the checks
    return code
