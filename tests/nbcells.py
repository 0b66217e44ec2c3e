"""Read the graded exercises out of the solution notebooks, and run their test cells in-process.

This is how the tests prove that a notebook's hidden tests reject wrong answers and accept right
ones, without starting a kernel per answer: the test cell's code is run against a namespace that holds
the answer under test, exactly as the notebook would hold it after its answer cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from grading.cells import nbgrader_meta  # noqa: F401 -- the tests read cells as the grader does

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"  # the English source notebooks (tests/editions.py has the Korean ones too)
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS[ \t]*$", re.M | re.S)
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*$", re.M | re.S)


@dataclass
class GradedExercise:
    """One exercise of a notebook: its answer cell and the graded test cells that follow it."""

    name: str
    notebook: Path
    answer_source: str
    test_sources: list = field(default_factory=list)
    points: float = 0.0

    @property
    def hidden_sources(self) -> list:
        """The hidden part of each test cell (without the visible asserts)."""
        return ["\n".join(m.group(1) for m in HIDDEN.finditer(s)) for s in self.test_sources]

    @property
    def reference_source(self) -> str:
        """The answer cell with its solution markers removed, as a student would have written it."""
        return SOLUTION.sub(lambda m: m.group(1), self.answer_source)


def load_exercises(notebook: Path) -> dict:
    """`{grade_id: GradedExercise}` for one source notebook, in notebook order.

    A graded test cell belongs to the last answer cell before it.
    """
    nb = nbformat.read(notebook, as_version=4)
    exercises: dict = {}
    current = None
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            current = GradedExercise(meta["grade_id"], notebook, cell.source)
            exercises[current.name] = current
        elif meta.get("grade") and cell.cell_type == "code":
            if current is None:
                raise ValueError(f"{notebook.name}: test cell {meta['grade_id']} comes before any answer cell")
            current.test_sources.append(cell.source)
            current.points += float(meta.get("points", 0))
    return exercises


def all_exercises(solutions: Path = SOLUTIONS) -> dict:
    """Every graded exercise of the series (of the source notebooks in `solutions`), by name."""
    found: dict = {}
    for notebook in sorted(solutions.glob("*/*.ipynb")):
        for name, exercise in load_exercises(notebook).items():
            if name in found:
                raise ValueError(f"grade_id {name} appears in {found[name].notebook} and {notebook}")
            found[name] = exercise
    return found


DISTINCTIVE = 25  # a secret line at least this long (stripped) is looked for where it must not be


def secret_lines(cells, blocks=(HIDDEN,), min_length: int = DISTINCTIVE) -> set:
    """The distinctive lines of the `blocks` (patterns such as HIDDEN, SOLUTION) of `cells` that stand nowhere
    outside every block, not even inside a longer line there: finding one elsewhere is a leak (a line the
    author also shows outside, such as an input a visible check prints, is none)."""
    secret, public = set(), []
    for cell in cells:
        source = cell.source
        for pattern in blocks:
            secret.update(line.strip() for match in pattern.finditer(source) for line in match.group(1).splitlines())
            source = pattern.sub("", source)
        public.append(source)
    public_text = "\n".join(public)
    return {line for line in secret if len(line) >= min_length and line not in public_text}


def run_source(source: str, namespace: dict) -> None:
    """Run notebook code in `namespace` (its own globals), raising whatever the code raises."""
    exec(compile(source, "<test cell>", "exec"), namespace)


def namespace_with(name: str, answer: Callable) -> dict:
    """A fresh notebook-like namespace in which `name` is bound to `answer`."""
    return {"__name__": "__main__", name: answer}
