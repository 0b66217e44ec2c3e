"""Frozen expected values: the outputs of visible cases, computed once by the instructor and stored as data.

A visible check must not compute an answer (`checks` ships to students), so a case whose expected
value is not a short literal says `Case(..., expected=FROZEN)`, and its value is read from
`checks/frozen/<module>.json`: `{exercise name: {case label: value}}`.  The files are written from the
instructor-only reference solutions by `python3 course.py freeze` (`answer_key.freeze`), and a test fails
when they are stale.  Values are stored as JSON that diffs well: floats exactly (shortest round-trip
text), arrays as `{"array": nested list, "dtype": name, "shape": [...]}`, tuples as `{"tuple": [...]}`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

from .i18n import _

FOLDER = Path(__file__).resolve().parent / "frozen"


def path_for(module: str) -> Path:
    return FOLDER / f"{module}.json"


def encode(value: Any) -> Any:
    """A JSON-ready form of an expected value (arrays, tuples, lists, numbers, strings, None)."""
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": value.dtype.name, "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return encode(np.asarray(value)) if value.dtype.kind not in "biuf" else value.item()
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(_("cannot freeze a value of type {name}").format(name=type(value).__name__))


def decode(data: Any) -> Any:
    """The expected value back from its JSON form (the inverse of `encode`)."""
    if isinstance(data, dict) and "array" in data:
        return np.array(data["array"], dtype=data["dtype"]).reshape(data["shape"])
    if isinstance(data, dict) and "tuple" in data:
        return tuple(decode(v) for v in data["tuple"])
    if isinstance(data, list):
        return [decode(v) for v in data]
    return data


def dumps(table: dict) -> str:
    """The text of one module's frozen file: one line per case, exercises and cases in the order given."""
    blocks = []
    for exercise, cases in table.items():
        rows = [f"  {json.dumps(label)}: {json.dumps(value)}" for label, value in cases.items()]
        blocks.append(f" {json.dumps(exercise)}: {{\n" + ",\n".join(rows) + "\n }")
    return "{\n" + ",\n".join(blocks) + "\n}\n"


@functools.lru_cache(maxsize=None)
def load(module: str) -> dict:
    """`{exercise: {label: value}}` of one checks module, decoded."""
    path = path_for(module)
    if not path.exists():
        raise FileNotFoundError(
            _("{path} is missing: the instructor runs `python3 course.py freeze` to write it").format(path=path)
        )
    table = json.loads(path.read_text(encoding="utf-8"))
    return {exercise: {label: decode(v) for label, v in cases.items()} for exercise, cases in table.items()}


def resolve(module: str, exercise: str, case):
    """`case` with its `FROZEN` expected value replaced by the frozen one."""
    try:
        value = load(module)[exercise][case.label]
    except KeyError:
        raise KeyError(
            _("no frozen value for {exercise!r}, case {label!r} in {name}: run `python3 course.py freeze`").format(
                exercise=exercise, label=case.label, name=path_for(module).name
            )
        ) from None
    return dataclasses.replace(case, expected=value)
