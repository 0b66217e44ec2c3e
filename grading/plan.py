"""A submitted notebook, rebuilt around the instructor's source, and the grading job made from it.

A submission is never trusted for anything but its answers.  `rebuild` walks the instructor's source
notebook (its order and markdown) and takes from the gradebook the source of every read-only and test
cell; from the submission it takes only the code of the answer cells (found by `grade_id`) and the
student's own extra code cells, each placed after the graded cell it followed.  What was wrong with the
submission's structure becomes an `Issue` in plain words, and the fairest reading is graded:

- a read-only or test cell that was deleted, edited, duplicated or retyped is simply restored;
- an answer cell turned into markdown is run as code; a duplicated answer cell runs every copy in
  order, the last one last (as re-running the notebook would);
- an answer cell whose `grade_id` was changed or that was deleted leaves a placeholder, and the
  student's code still runs, so a function defined in another cell still earns its marks;
- a notebook of another assignment, an empty notebook, or one that is not JSON gets zero with a message
  that says so (and, for another assignment, which one it looks like).

Student markdown is left out of the graded copy (it is not graded, and HTML in it would run in the
instructor's browser in formgrader).  `job_for` turns the rebuilt notebook into the judge's job.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import nbformat

from . import limits as limits_
from . import messages
from .records import Issue
from .cells import nbgrader_meta  # noqa: F401 -- read as plan.nbgrader_meta by the grader's modules
from .limits import Limits

COSTS_KEY = "dl_grading_costs"  # the rebuilt notebook's metadata: the reference's seconds per graded cell


@dataclass
class SourceCell:
    """A cell of the instructor's source notebook, as grading sees it."""

    cell_type: str
    source: str
    role: str  # markdown | raw | locked | answer | test | free
    grade_id: Optional[str] = None
    metadata: dict = field(default_factory=dict)
    cost: Optional[float] = None  # seconds the reference solution took in this cell (`grading.limits`)


def role_of(cell_type: str, meta: dict) -> str:
    if cell_type == "markdown":
        return "markdown"
    if cell_type != "code":
        return "raw"
    if meta.get("solution"):
        return "answer"
    if meta.get("grade"):
        return "test"
    if meta.get("locked"):
        return "locked"
    return "free"


def said(code: str, message: messages.Message, severity: str, **values: object) -> Issue:
    """An issue the student's grading notes show, in each language of the course (the English is the
    instructor's `message`)."""
    every = messages.every_language(message, **values)
    return Issue(code, every[messages.ENGLISH], severity, said=every)


def _text(value) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def load_source(path: Path, gradebook_cells: Optional[dict] = None) -> tuple:
    """The instructor's notebook as `SourceCell`s, sources taken from the gradebook when it has them.

    Returns `(cells, kernelspec, issues)`; the issues are for the instructor (a source notebook changed
    after `generate_assignment`).  Each cell carries the reference's measured cost, when the source
    notebook was measured (`grading.limits`).
    """
    notebook = nbformat.read(str(path), as_version=4)
    costs = limits_.read_costs(Path(path))
    cells, issues = [], []
    for cell in notebook.cells:
        meta = dict(nbgrader_meta(cell))
        role = role_of(cell.cell_type, meta)
        grade_id = meta.get("grade_id") if role in ("locked", "answer", "test") or meta else None
        source = cell.source
        if role == "free":
            continue  # scratch cells belong to the student: they come from the submission
        if gradebook_cells is not None and grade_id is not None and role != "markdown":
            known = gradebook_cells.get(grade_id)
            if known is None:
                issues.append(
                    Issue(
                        "source_not_in_gradebook",
                        f"The source cell {grade_id} is not in the "
                        "gradebook (run generate_assignment again); it was not graded.",
                        "error",
                    )
                )
                continue
            if role in ("locked", "test"):
                if known["source"] != source:
                    issues.append(
                        Issue(
                            "source_changed",
                            f"The source of cell {grade_id} changed after the "
                            "assignment was generated; the gradebook's version was used.",
                            "info",
                        )
                    )
                source = known["source"]
            if role == "test":
                meta["points"] = known.get("points", meta.get("points", 0))
            meta["checksum"] = known.get("checksum", meta.get("checksum"))
        elif gradebook_cells is not None and grade_id is not None and role == "markdown":
            known = gradebook_cells.get(grade_id)
            if known is not None and known.get("locked"):
                source = known["source"]
        cells.append(SourceCell(cell.cell_type, source, role, grade_id, meta, costs.get(grade_id or "")))
    if gradebook_cells is not None:
        present = {c.grade_id for c in cells if c.grade_id}
        for grade_id, known in gradebook_cells.items():
            if known.get("graded") and grade_id not in present:
                issues.append(
                    Issue(
                        "gradebook_cell_not_in_source",
                        f"The gradebook has a graded cell {grade_id} "
                        "that the source notebook no longer has; it was not graded.",
                        "error",
                    )
                )
    kernelspec = dict(notebook.metadata.get("kernelspec", {}))
    return cells, kernelspec, issues


def gradebook_cells(db_url: str, course_id: str, assignment: str, notebook: str) -> Optional[dict]:
    """`{grade_id: {cell_type, locked, source, checksum, points, graded, solution}}` or None if unknown."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gradebook:
        try:
            record = gradebook.find_notebook(notebook, assignment)
        except MissingEntry:
            return None
        cells = {
            c.name: {
                "cell_type": c.cell_type,
                "locked": bool(c.locked),
                "source": c.source,
                "checksum": c.checksum,
                "graded": False,
                "solution": False,
            }
            for c in record.source_cells
        }
        for graded in record.grade_cells:
            cells.setdefault(
                graded.name,
                {"cell_type": graded.cell_type, "locked": True, "source": "", "checksum": None, "solution": False},
            )
            cells[graded.name].update(graded=True, points=float(graded.max_score))
        for solution in record.solution_cells:
            cells.setdefault(
                solution.name, {"cell_type": "code", "locked": False, "source": "", "checksum": None, "graded": False}
            )
            cells[solution.name]["solution"] = True
        return cells


# --- reading what was submitted ------------------------------------------------------------------


def read_submission(raw: bytes) -> tuple:
    """Parse a submitted notebook as leniently as is safe: `(notebook or None, issues)`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [said("unreadable", messages.NOT_UTF8, "error", byte=error.start)]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            said("invalid_json", messages.INVALID_JSON, "error", line=error.lineno, column=error.colno, error=error.msg)
        ]
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        return None, [said("not_a_notebook", messages.JSON_NOT_A_NOTEBOOK, "error")]
    issues = []
    if data.get("nbformat") == 3 or "worksheets" in data:
        try:
            return nbformat.reads(text, as_version=4), [said("old_format", messages.OLD_FORMAT, "info")]
        except Exception:
            return None, [said("not_a_notebook", messages.UNREADABLE_OLD_FORMAT, "error")]
    cells = []
    for index, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            issues.append(said("bad_cell", messages.DAMAGED_CELL, "warning", number=index + 1))
            continue
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        cells.append(
            {
                "cell_type": cell["cell_type"],
                "source": _text(cell.get("source")),
                "metadata": metadata,
                "id": cell.get("id") if isinstance(cell.get("id"), str) else None,
            }
        )
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    return {"cells": cells, "metadata": metadata}, issues


def submission_cells(notebook) -> list:
    """Plain dicts `{cell_type, source, metadata, id}` for a parsed submission (dict or NotebookNode).

    A `grade_id` that is not a string (a list, a number) is dropped: the cell is then the student's own.
    """
    cells = []
    for cell in notebook["cells"]:
        metadata = dict(cell.get("metadata") or {})
        if isinstance(metadata.get("nbgrader"), dict):
            metadata["nbgrader"] = dict(metadata["nbgrader"])
            if "grade_id" in metadata["nbgrader"] and not isinstance(metadata["nbgrader"]["grade_id"], str):
                metadata["nbgrader"].pop("grade_id")
                metadata["bad_grade_id"] = True
        elif "nbgrader" in metadata:
            metadata.pop("nbgrader")
        cells.append(
            {
                "cell_type": cell.get("cell_type"),
                "source": _text(cell.get("source")),
                "metadata": metadata,
                "id": cell.get("id"),
            }
        )
    return cells


# --- rebuilding ----------------------------------------------------------------------------------


def _guess_notebook(grade_ids: set, catalogue: Optional[dict]) -> Optional[str]:
    best, overlap = None, 0
    for name, ids in (catalogue or {}).items():
        common = len(grade_ids & ids)
        if common > overlap:
            best, overlap = name, common
    return best


@dataclass
class Submitted:
    """The submission's cells sorted out against the source: which copy of each graded cell counts, and
    which of the student's own cells follow which graded cell."""

    cells: list  # the submission's cells, as plain dicts
    chosen: dict  # grade_id -> index of the copy that is graded (the last one)
    occurrences: dict  # grade_id -> indices of every copy
    unknown: list  # (index, grade_id) of code cells with an id the source does not have
    extras: dict  # grade_id of the graded cell before (None: the start) -> the student's cells


def sort_out(source_cells: list, submission) -> Submitted:
    """Match the submission's cells to the source's graded cells by `grade_id`."""
    cells = submission_cells(submission) if submission is not None else []
    spine_ids = {c.grade_id for c in source_cells if c.grade_id and c.role in ("locked", "answer", "test")}
    locked_markdown_ids = {c.grade_id for c in source_cells if c.grade_id and c.role == "markdown"}
    occurrences: dict = {}
    unknown: list = []
    for index, cell in enumerate(cells):
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in spine_ids:
            occurrences.setdefault(grade_id, []).append(index)
        elif grade_id and grade_id not in locked_markdown_ids and cell["cell_type"] == "code":
            unknown.append((index, grade_id))
    chosen = {grade_id: indices[-1] for grade_id, indices in occurrences.items()}
    chosen_index = {index: grade_id for grade_id, index in chosen.items()}
    extras: dict = {}
    anchor = None
    for index, cell in enumerate(cells):
        if index in chosen_index:
            anchor = chosen_index[index]
        elif cell["cell_type"] == "code" and cell["source"].strip():
            extras.setdefault(anchor, []).append(cell)
    return Submitted(cells, chosen, occurrences, unknown, extras)


def whole_file_issues(
    source_cells: list, submission, found: Submitted, notebook_name: str, catalogue: Optional[dict]
) -> list:
    """A submission with none of the graded cells: another notebook, an empty one, or unrecognisable."""
    spine = [c for c in source_cells if c.grade_id and c.role in ("locked", "answer", "test")]
    if submission is None or found.chosen or not spine:
        return []
    submitted_ids = {nbgrader_meta(c).get("grade_id") for c in found.cells} - {None}
    guess = _guess_notebook(submitted_ids, catalogue) if submitted_ids else None
    if guess and guess != notebook_name:
        notebook = notebook_name or messages.EXPECTED_NOTEBOOK
        return [said("wrong_notebook", messages.WRONG_NOTEBOOK, "error", notebook=notebook, guess=guess)]
    if not found.cells:
        return [said("empty", messages.EMPTY_NOTEBOOK, "error")]
    return [said("no_graded_cells", messages.NO_GRADED_CELLS, "error")]


def cell_id_issues(source_cells: list, found: Submitted) -> list:
    """Graded cells submitted twice, and cells whose nbgrader id is not text or not the source's."""
    roles = {c.grade_id: c.role for c in source_cells if c.grade_id}
    issues = []
    for grade_id, indices in sorted(found.occurrences.items()):
        if len(indices) > 1:
            what = messages.DUPLICATE_ANSWER if roles[grade_id] == "answer" else messages.DUPLICATE_READ_ONLY
            issues.append(
                said("duplicate_cell", messages.DUPLICATE_CELL, "warning", cell=grade_id, count=len(indices), what=what)
            )
    for index, cell in enumerate(found.cells):
        if cell["metadata"].get("bad_grade_id"):
            issues.append(said("bad_cell_id", messages.ID_NOT_TEXT, "warning", number=index + 1))
    for _, grade_id in found.unknown:
        issues.append(said("unknown_cell_id", messages.UNKNOWN_ID, "warning", grade_id=grade_id[:100]))
    return issues


def empty_graded_notebook(kernelspec: dict, submission) -> tuple:
    """`(notebook, issues)`: the notebook to fill, with the course's kernel whatever the submission asked."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": kernelspec or {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    submitted_spec = submission.get("metadata", {}).get("kernelspec") if submission is not None else None
    if isinstance(submitted_spec, dict) and kernelspec and submitted_spec.get("name") != kernelspec.get("name"):
        used = kernelspec.get("display_name", kernelspec.get("name"))
        asked = submitted_spec.get("name")
        return notebook, [said("kernelspec", messages.OTHER_KERNEL, "info", asked=asked, used=used)]
    return notebook, []


def answer_source(spine: SourceCell, submitted: Optional[dict], submission, found: Submitted, language: str) -> tuple:
    """`(source, issues)` of an answer cell: the student's code, or a placeholder (a comment in `language`)
    when there is none."""
    if submitted is None:
        placeholder = messages.NO_ANSWER_CELL.text(language)
        if submission is not None and found.chosen:
            return placeholder, [said("missing_answer", messages.MISSING_ANSWER, "warning", cell=spine.grade_id)]
        return placeholder, []
    issues = []
    if submitted["cell_type"] != "code":
        kind = submitted["cell_type"]
        issues.append(said("answer_not_code", messages.ANSWER_NOT_CODE, "warning", cell=spine.grade_id, kind=kind))
    flags = nbgrader_meta(submitted)
    if not flags.get("solution") or flags.get("locked") or flags.get("grade"):
        issues.append(said("metadata_changed", messages.SETTINGS_CHANGED, "info", cell=spine.grade_id))
    return submitted["source"], issues


def restored_cell_issues(spine: SourceCell, submitted: Optional[dict], submission, found: Submitted) -> list:
    """A read-only or test cell is always the instructor's: say so when the submission's was missing or changed."""
    if submitted is None:
        if submission is not None and found.chosen:
            return [said("restored_cell", messages.READ_ONLY_MISSING, "info", cell=spine.grade_id)]
        return []
    as_released = _visible(spine.source) if spine.role == "test" else spine.source
    if submitted["cell_type"] != "code" or _normal(submitted["source"]) not in (
        _normal(as_released),
        _normal(spine.source),
    ):
        return [said("restored_cell", messages.READ_ONLY_CHANGED, "info", cell=spine.grade_id)]
    return []


def graded_cell(spine: SourceCell, submission, found: Submitted, language: str) -> tuple:
    """`(cell, issues)`: one cell of the source's spine as it is graded (a missing answer's placeholder in
    `language`)."""
    if spine.role in ("markdown", "raw"):
        new = (
            nbformat.v4.new_markdown_cell(spine.source)
            if spine.role == "markdown"
            else nbformat.v4.new_raw_cell(spine.source)
        )
        if spine.metadata:
            new.metadata["nbgrader"] = copy.deepcopy(spine.metadata)
        return new, []
    submitted = found.cells[found.chosen[spine.grade_id]] if spine.grade_id in found.chosen else None
    if spine.role == "answer":
        source, issues = answer_source(spine, submitted, submission, found, language)
    else:
        source, issues = spine.source, restored_cell_issues(spine, submitted, submission, found)
    new = nbformat.v4.new_code_cell(source)
    new.metadata["nbgrader"] = copy.deepcopy(spine.metadata)
    if spine.role != "answer":
        new.metadata["editable"] = False
        new.metadata["deletable"] = False
    return new, issues


def notes_cell(issues: list, language: str):
    """The *Grading notes* cell at the top of the graded notebook (and so of the feedback), in `language`."""
    lines = [messages.GRADING_NOTES.text(language), ""] + [
        f"- {issue.said.get(language, issue.message)}"
        for issue in issues
        if issue.severity != "info" or issue.code in ("restored_cell", "kernelspec", "old_format")
    ]
    return nbformat.v4.new_markdown_cell("\n".join(lines))


def rebuild(
    source_cells: list,
    kernelspec: dict,
    submission,
    notebook_name: str = "",
    catalogue: Optional[dict] = None,
    issues: Optional[list] = None,
    language: str = messages.ENGLISH,
) -> tuple:
    """The notebook to grade: the source's structure with the submission's answers.  `(notebook, issues)`.

    `submission` is a parsed notebook or None (unreadable: every answer is missing).  `catalogue` maps
    other notebooks' names to their grade_ids, to name the notebook a wrong file belongs to; `issues`
    are problems found while reading the file, to report first; `language` is the course's, which the
    grading notes speak.  The reference's measured costs of the source cells (`SourceCell.cost`) go into
    the notebook's metadata, for the cells' time limits.
    """
    found = sort_out(source_cells, submission)
    issues = list(issues or []) + whole_file_issues(source_cells, submission, found, notebook_name, catalogue)
    issues += cell_id_issues(source_cells, found)
    notebook, kernel_issues = empty_graded_notebook(kernelspec, submission)
    issues += kernel_issues
    own_cells = {
        after: [nbformat.v4.new_code_cell(extra["source"]) for extra in extras]
        for after, extras in found.extras.items()
    }
    notebook.cells += own_cells.get(None, [])
    for spine in source_cells:
        cell, cell_issues = graded_cell(spine, submission, found, language)
        issues += cell_issues
        notebook.cells.append(cell)
        if spine.role not in ("markdown", "raw"):
            notebook.cells += own_cells.get(spine.grade_id, [])
    if issues:
        notebook.cells.insert(0, notes_cell(issues, language))
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"graded-{number:03d}"
    costs = {c.grade_id: c.cost for c in source_cells if c.grade_id and c.cost is not None}
    if costs:
        notebook.metadata[COSTS_KEY] = costs
    return notebook, issues


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def _visible(source: str) -> str:
    """A test cell as the student version shows it: without its hidden block."""
    from .judge import split_segments

    return "".join(segment.text for segment in split_segments(source) if not segment.hidden)


# --- the judge's job ------------------------------------------------------------------------------


def job_for(
    notebook, limits: Limits, language: str = messages.ENGLISH, course_packages: tuple = ("checks", "notebook_helpers")
) -> dict:
    """The judge's job for a rebuilt notebook: every code cell with its role and its time limit, in order,
    and the course's language, which the judge's messages and the check messages speak.

    Each cell's limit comes from the reference's measured cost (`limits.cell_limit`); a cell with none
    (the student's own) gets the largest limit of the notebook's measured cells.  The job's limits say
    how long the cells may take together (`cells_timeout`) and the judge as a whole (`notebook_timeout`:
    that, plus every test cell's own limit).
    """
    costs = notebook.metadata.get(COSTS_KEY) or {}
    measured = [limits.cell_limit(float(cost)) for cost in costs.values()]
    fallback = max(measured) if measured else None
    cells, exercise = [], None
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        role = role_of("code", meta)
        if role == "answer":
            exercise = meta.get("grade_id")
        cost = costs.get(meta.get("grade_id")) if role != "free" else None
        entry = {
            "index": index,
            "role": role,
            "source": cell.source,
            "label": meta.get("grade_id") or f"cell {index + 1}",
            "timeout": limits.cell_limit(cost, fallback),
        }
        if role == "test":
            entry.update(grade_id=meta.get("grade_id"), exercise=exercise, points=float(meta.get("points", 0)))
        cells.append(entry)
    return {
        "cells": cells,
        "limits": job_limits(limits, cells),
        "course_packages": list(course_packages),
        "language": messages.checked(language),
    }


def job_limits(limits: Limits, cells: list) -> dict:
    """The limits as the judge reads them: the cells' time together, and the judge's as a whole."""
    code = sum(c["timeout"] for c in cells if c["role"] != "test") + limits_.START_SLACK
    if limits.notebook_timeout:
        code = min(code, float(limits.notebook_timeout))
    tests = sum(c["timeout"] for c in cells if c["role"] == "test")
    return {**limits.to_dict(), "cells_timeout": round(code, 1), "notebook_timeout": round(code + tests, 1)}


def job_key(job: dict) -> str:
    """A fingerprint of what a job runs and under which limits (to match precomputed results)."""
    text = json.dumps({"cells": job["cells"], "limits": job["limits"]}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
