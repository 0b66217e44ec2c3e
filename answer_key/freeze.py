"""Write the frozen expected values of the visible checks: `python3 course.py freeze [--check]`.

For every case declared `Case(..., expected=FROZEN)` in a `checks` module, the reference solution of its
exercise (`answer_key.reference`, the answer cell of the solution notebook) is called on the case's input
and its output is stored in `checks/frozen/<module>.json` (`checks.frozen`).  Run it after changing a
visible case's input or a reference solution; `--check` only reports which files are stale, and
tests/test_frozen.py fails while any is.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
import checks
from checks import FROZEN, Exercise, frozen
from checks.core import _fresh_copy

from . import reference


def exercises_of(module: str) -> list:
    """The `Exercise` objects of `checks.<module>`, in the order the module defines them."""
    loaded = importlib.import_module(f"checks.{module}")
    return [value for value in vars(loaded).values() if isinstance(value, Exercise)]


def answer_key_values(module: str):
    """`answer_key.<module>.frozen_values`, when that module defines it (checks of classes, whose expected
    values are observations rather than one call's output: notebook 05), else None."""
    if importlib.util.find_spec(f"answer_key.{module}") is None:
        return None
    return getattr(importlib.import_module(f"answer_key.{module}"), "frozen_values", None)


def frozen_table(module: str) -> dict:
    """`{exercise: {case label: encoded reference output}}` for the FROZEN cases of one module."""
    computed = answer_key_values(module)
    table = {
        exercise: {label: frozen.encode(value) for label, value in values.items()}
        for exercise, values in (computed() if computed else {}).items()
    }
    for exercise in exercises_of(module):
        cases = [case for case in exercise.cases if case.expected is FROZEN]
        if not cases:
            continue
        solution = reference(exercise.name)
        table[exercise.name] = {
            case.label: frozen.encode(
                solution(*map(_fresh_copy, case.args), **{k: _fresh_copy(v) for k, v in case.kwargs.items()})
            )
            for case in cases
        }
    return table


def modules_with_frozen_cases() -> list:
    """The checks modules that declare at least one FROZEN case."""
    return [
        info.name
        for info in pkgutil.iter_modules(checks.__path__)
        if any(case.expected is FROZEN for exercise in exercises_of(info.name) for case in exercise.cases)
        or answer_key_values(info.name) is not None
    ]


def stale_modules() -> list:
    """The modules whose frozen file is missing or differs from what the references give now."""
    stale = []
    for module in modules_with_frozen_cases():
        path = frozen.path_for(module)
        if not path.exists() or path.read_text(encoding="utf-8") != frozen.dumps(frozen_table(module)):
            stale.append(module)
    return stale


def main(args: list) -> int:
    if "--check" in args:
        stale = stale_modules()
        for module in stale:
            print(f"stale: {frozen.path_for(module)}")
        return 1 if stale else 0
    frozen.FOLDER.mkdir(exist_ok=True)
    for module in modules_with_frozen_cases():
        path = frozen.path_for(module)
        path.write_text(frozen.dumps(frozen_table(module)), encoding="utf-8")
        print(f"wrote {path.relative_to(frozen.FOLDER.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
