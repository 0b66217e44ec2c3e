"""Let "Run All" reach the end of a student notebook whose answers are still stubs.

A student version's answer cells hold `raise NotImplementedError()` until the learner writes them,
so the checks after them fail, and so does every cell that uses an exercise or a name such a cell
should have made (`params = train_mlp(...)`, then `accuracy(params, ...)`).  JupyterLab's Run All
stops at the first cell that raises, unless it is tagged `raises-exception`: then JupyterLab asks
the kernel not to cancel the cells queued after it (`stop_on_error: false`), the failure still
shows in red, and the run goes on.  The tag means the same to nbclient (the error is allowed) and
to nbval (an error is expected but not required), and nbgrader ignores it: a failing test cell is
graded as failed whatever its tags.

`TagCellsThatNeedAnswers` is appended to nbgrader's GenerateAssignment preprocessors
(nbgrader_config.py), so only the student versions carry the tag; the source notebooks in
solutions/ must run clean under nbval, where the tag would hide a real error.
"""

from __future__ import annotations

import ast

from nbgrader.preprocessors import NbGraderPreprocessor

from grading.cells import nbgrader_meta

TAG = "raises-exception"


def python_source(cell_source: str) -> str:
    """The cell as plain Python (IPython's `%magics` and `!shell` lines turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)


def names_used_and_bound(cell_source: str) -> tuple[set, set]:
    """(names the cell reads, names it binds other than by an import).

    Imports are left out of the bound names: they open a cell, so they run even when a later line
    of the cell fails.
    """
    tree = ast.parse(python_source(cell_source))
    used, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
    return used, bound


def cells_that_need_answers(cells) -> list[int]:
    """Indices of the code cells that fail while the answers are stubs.

    Those are the graded test cells, and every other code cell that reads an exercise's name or a
    name that only a cell already counted binds (its value never came).  Answer cells only define
    the exercise, which succeeds with a stub; they are never counted.
    """
    exercises, missing, found = set(), set(), []
    for cell in cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            exercises.add(meta.get("grade_id"))
    for index, cell in enumerate(cells):
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code" or meta.get("solution"):
            continue
        used, bound = names_used_and_bound(cell.source)
        if meta.get("grade") or used & (exercises | missing):
            found.append(index)
            missing |= bound
        else:
            missing -= bound  # bound again by a cell that runs
    return found


class TagCellsThatNeedAnswers(NbGraderPreprocessor):
    """Tag `raises-exception` on each cell of a student version that fails until the answers are written."""

    def preprocess(self, nb, resources):
        for index in cells_that_need_answers(nb.cells):
            tags = nb.cells[index].metadata.setdefault("tags", [])
            if TAG not in tags:
                tags.append(TAG)
        return nb, resources
