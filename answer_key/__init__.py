"""Instructor-only material: the reference solutions, what the hidden tests need, and what freezes the checks.

Never handed to students: the handout (`python3 course.py handout DIR`) holds `checks` and
`notebook_helpers` only, a test scans it for every function defined here and for every answer cell of
`solutions/`, and the grader's student process cannot see this folder.  The hidden tests, which run in
the instructor's judge, import from it (`from answer_key.mnist_mlp import predict_mlp`).

`reference(name)` is the reference solution of exercise `name`, defined by running its answer cell in
the solution notebooks (the single source of truth): `answer_key.freeze` computes the frozen expected
values of the visible checks with it.
"""

from __future__ import annotations

import functools
from typing import Any

from checks.exercise import reference_source


@functools.lru_cache(maxsize=None)
def reference(name: str) -> Any:
    """The function (or class) `name` as the answer cell of its solution notebook defines it."""
    source = reference_source(name)
    if source is None:
        raise LookupError(f"no answer cell with grade_id {name!r} in solutions/")
    namespace = {"__name__": f"answer_key.reference_{name}"}
    exec(compile(source, f"<answer cell {name}>", "exec"), namespace)
    return namespace[name]
