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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

import nbformat

PLACEHOLDER = "# (The submission has no answer cell with this id; see the grading notes.)\n"
NOTES_TITLE = "**Grading notes**"


@dataclass
class Issue:
    """Something wrong with a submission: `message` is for the student (and the instructor)."""

    code: str
    message: str
    severity: str = "warning"   # info | warning | error

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SourceCell:
    """A cell of the instructor's source notebook, as grading sees it."""

    cell_type: str
    source: str
    role: str                   # markdown | raw | locked | answer | test | free
    grade_id: Optional[str] = None
    metadata: dict = field(default_factory=dict)


def nbgrader_meta(cell) -> dict:
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else {}


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


def _text(value) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def load_source(path: Path, gradebook_cells: Optional[dict] = None) -> tuple:
    """The instructor's notebook as `SourceCell`s, sources taken from the gradebook when it has them.

    Returns `(cells, kernelspec, issues)`; the issues are for the instructor (a source notebook changed
    after `generate_assignment`).
    """
    notebook = nbformat.read(str(path), as_version=4)
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
                issues.append(Issue("source_not_in_gradebook", f"The source cell {grade_id} is not in the "
                                    "gradebook (run generate_assignment again); it was not graded.", "error"))
                continue
            if role in ("locked", "test"):
                if known["source"] != source:
                    issues.append(Issue("source_changed", f"The source of cell {grade_id} changed after the "
                                        "assignment was generated; the gradebook's version was used.", "info"))
                source = known["source"]
            if role == "test":
                meta["points"] = known.get("points", meta.get("points", 0))
            meta["checksum"] = known.get("checksum", meta.get("checksum"))
        elif gradebook_cells is not None and grade_id is not None and role == "markdown":
            known = gradebook_cells.get(grade_id)
            if known is not None and known.get("locked"):
                source = known["source"]
        cells.append(SourceCell(cell.cell_type, source, role, grade_id, meta))
    if gradebook_cells is not None:
        present = {c.grade_id for c in cells if c.grade_id}
        for grade_id, known in gradebook_cells.items():
            if known.get("graded") and grade_id not in present:
                issues.append(Issue("gradebook_cell_not_in_source", f"The gradebook has a graded cell {grade_id} "
                                    "that the source notebook no longer has; it was not graded.", "error"))
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
        cells = {c.name: {"cell_type": c.cell_type, "locked": bool(c.locked), "source": c.source,
                          "checksum": c.checksum, "graded": False, "solution": False}
                 for c in record.source_cells}
        for graded in record.grade_cells:
            cells.setdefault(graded.name, {"cell_type": graded.cell_type, "locked": True, "source": "",
                                           "checksum": None, "solution": False})
            cells[graded.name].update(graded=True, points=float(graded.max_score))
        for solution in record.solution_cells:
            cells.setdefault(solution.name, {"cell_type": "code", "locked": False, "source": "", "checksum": None,
                                             "graded": False})
            cells[solution.name]["solution"] = True
        return cells


# --- reading what was submitted ------------------------------------------------------------------


def read_submission(raw: bytes) -> tuple:
    """Parse a submitted notebook as leniently as is safe: `(notebook or None, issues)`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [Issue("unreadable", f"The notebook file could not be read: it is not UTF-8 text "
                            f"(byte {error.start}).", "error")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [Issue("invalid_json", f"The notebook file is not valid JSON (line {error.lineno}, "
                            f"column {error.colno}: {error.msg}), so no answer could be read from it. It may "
                            "have been damaged while saving or uploading; a re-submission can be graded.",
                            "error")]
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        return None, [Issue("not_a_notebook", "The file is JSON but not a Jupyter notebook (it has no cells).",
                            "error")]
    issues = []
    if data.get("nbformat") == 3 or "worksheets" in data:
        try:
            return nbformat.reads(text, as_version=4), [Issue("old_format", "The notebook was in the old "
                                                              "format 3; it was converted.", "info")]
        except Exception:
            return None, [Issue("not_a_notebook", "The notebook is in an old format that could not be read.",
                                "error")]
    cells = []
    for index, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            issues.append(Issue("bad_cell", f"Cell {index + 1} is damaged and was ignored.", "warning"))
            continue
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        cells.append({"cell_type": cell["cell_type"], "source": _text(cell.get("source")),
                      "metadata": metadata, "id": cell.get("id") if isinstance(cell.get("id"), str) else None})
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
        cells.append({"cell_type": cell.get("cell_type"), "source": _text(cell.get("source")),
                      "metadata": metadata, "id": cell.get("id")})
    return cells


# --- rebuilding ----------------------------------------------------------------------------------


def _guess_notebook(grade_ids: set, catalogue: Optional[dict]) -> Optional[str]:
    best, overlap = None, 0
    for name, ids in (catalogue or {}).items():
        common = len(grade_ids & ids)
        if common > overlap:
            best, overlap = name, common
    return best


def rebuild(source_cells: list, kernelspec: dict, submission, notebook_name: str = "",
            catalogue: Optional[dict] = None, issues: Optional[list] = None) -> tuple:
    """The notebook to grade: the source's structure with the submission's answers.  `(notebook, issues)`.

    `submission` is a parsed notebook or None (unreadable: every answer is missing).  `catalogue` maps
    other notebooks' names to their grade_ids, to name the notebook a wrong file belongs to; `issues`
    are problems found while reading the file, to report first.
    """
    issues = list(issues or [])
    cells = submission_cells(submission) if submission is not None else []
    spine_ids = {c.grade_id: c for c in source_cells if c.grade_id and c.role in ("locked", "answer", "test")}
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

    # Which spine cell each of the student's other cells follows.
    extras: dict = {}
    anchor = None
    for index, cell in enumerate(cells):
        if index in chosen_index:
            anchor = chosen_index[index]
            continue
        if cell["cell_type"] == "code" and cell["source"].strip():
            extras.setdefault(anchor, []).append(cell)

    submitted_ids = {nbgrader_meta(c).get("grade_id") for c in cells} - {None}
    if submission is not None and not chosen and spine_ids:
        guess = _guess_notebook(submitted_ids, catalogue) if submitted_ids else None
        if guess and guess != notebook_name:
            issues.append(Issue("wrong_notebook", f"This is not the {notebook_name or 'expected'} notebook: none "
                                f"of its graded cells are here. It looks like {guess}; was the wrong file "
                                "submitted?", "error"))
        elif not cells:
            issues.append(Issue("empty", "The notebook is empty.", "error"))
        else:
            issues.append(Issue("no_graded_cells", "None of the notebook's graded cells were found in the "
                                "submission; its code was run as it is.", "error"))
    for grade_id, indices in sorted(occurrences.items()):
        if len(indices) > 1:
            role = spine_ids[grade_id].role
            what = "the copies ran in order, the last one counts" if role == "answer" else \
                "the original was used; the copies ran as your own cells"
            issues.append(Issue("duplicate_cell", f"Cell {grade_id} appears {len(indices)} times: {what}.", "warning"))
    for index, cell in enumerate(cells):
        if cell["metadata"].get("bad_grade_id"):
            issues.append(Issue("bad_cell_id", f"Cell {index + 1} has an nbgrader id that is not text; it ran as an "
                                "ordinary cell of yours.", "warning"))
    for index, grade_id in unknown:
        issues.append(Issue("unknown_cell_id", f"A cell has the id {grade_id[:100]!r}, which this notebook does not "
                            "have (was its id changed?); it ran as an ordinary cell of yours.", "warning"))

    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": kernelspec or {"name": "python3", "display_name": "Python 3",
                                                      "language": "python"},
                         "language_info": {"name": "python"}}
    submitted_spec = (submission or {}).get("metadata", {}).get("kernelspec") if submission is not None else None
    if isinstance(submitted_spec, dict) and kernelspec and submitted_spec.get("name") != kernelspec.get("name"):
        issues.append(Issue("kernelspec", f"The notebook asked for the kernel {submitted_spec.get('name')!r}; "
                            f"it was graded with {kernelspec.get('display_name', kernelspec.get('name'))}.", "info"))

    def add_extras(after: Optional[str]) -> None:
        for extra in extras.get(after, []):
            notebook.cells.append(nbformat.v4.new_code_cell(extra["source"]))

    add_extras(None)
    for spine in source_cells:
        if spine.role in ("markdown", "raw"):
            new = nbformat.v4.new_markdown_cell(spine.source) if spine.role == "markdown" else \
                nbformat.v4.new_raw_cell(spine.source)
            if spine.metadata:
                new.metadata["nbgrader"] = copy.deepcopy(spine.metadata)
            notebook.cells.append(new)
            continue
        submitted = cells[chosen[spine.grade_id]] if spine.grade_id in chosen else None
        if spine.role == "answer":
            if submitted is None:
                source = PLACEHOLDER
                if submission is not None and chosen:
                    issues.append(Issue("missing_answer", f"The answer cell {spine.grade_id} is missing. Any code "
                                        "of yours elsewhere in the notebook still ran, so a function defined "
                                        "in another cell was still tested.", "warning"))
            else:
                source = submitted["source"]
                if submitted["cell_type"] != "code":
                    issues.append(Issue("answer_not_code", f"The answer cell {spine.grade_id} was turned into a "
                                        f"{submitted['cell_type']} cell; its text was run as code.", "warning"))
                flags = nbgrader_meta(submitted)
                if not flags.get("solution") or flags.get("locked") or flags.get("grade"):
                    issues.append(Issue("metadata_changed", f"The nbgrader settings of answer cell {spine.grade_id} "
                                        "were changed; they were restored.", "info"))
        else:
            source = spine.source
            if submitted is None and submission is not None and chosen:
                issues.append(Issue("restored_cell", f"The read-only cell {spine.grade_id} was missing; it was "
                                    "restored from the assignment.", "info"))
            elif submitted is not None:
                as_released = _visible(spine.source) if spine.role == "test" else spine.source
                if submitted["cell_type"] != "code" or \
                        _normal(submitted["source"]) not in (_normal(as_released), _normal(spine.source)):
                    issues.append(Issue("restored_cell", f"The read-only cell {spine.grade_id} was changed; it "
                                        "was restored from the assignment.", "info"))
        new = nbformat.v4.new_code_cell(source)
        new.metadata["nbgrader"] = copy.deepcopy(spine.metadata)
        if spine.role != "answer":
            new.metadata["editable"] = False
            new.metadata["deletable"] = False
        notebook.cells.append(new)
        add_extras(spine.grade_id)
    if issues:
        lines = [NOTES_TITLE, ""] + [f"- {issue.message}" for issue in issues if issue.severity != "info"
                                     or issue.code in ("restored_cell", "kernelspec", "old_format")]
        notebook.cells.insert(0, nbformat.v4.new_markdown_cell("\n".join(lines)))
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"graded-{number:03d}"
    return notebook, issues


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def _visible(source: str) -> str:
    """A test cell as the student version shows it: without its hidden block."""
    from .judge import split_segments

    return "".join(segment.text for segment in split_segments(source) if not segment.hidden)


# --- the judge's job ------------------------------------------------------------------------------


@dataclass
class Limits:
    """How much one submission may use.  Seconds and MB."""

    cell_timeout: float = 600.0        # one cell, or one test cell's calls into the student's code
    notebook_timeout: float = 1800.0   # the whole notebook
    memory_mb: int = 4096              # address space of the student process
    threads: int = 0                   # BLAS threads of the student process; 0: the machine's cores
    sandbox: str = "bwrap"             # "bwrap": the OS sandbox (grading refuses without it); "off": none

    def to_dict(self) -> dict:
        return {"cell_timeout": float(self.cell_timeout), "notebook_timeout": float(self.notebook_timeout),
                "memory_mb": int(self.memory_mb), "threads": int(self.threads), "sandbox": str(self.sandbox)}


def job_for(notebook, limits: Limits, course_packages: tuple = ("checks", "notebook_helpers")) -> dict:
    """The judge's job for a rebuilt notebook: every code cell with its role, in order."""
    cells, exercise = [], None
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        role = role_of("code", meta)
        if role == "answer":
            exercise = meta.get("grade_id")
        entry = {"index": index, "role": role, "source": cell.source, "label": meta.get("grade_id") or
                 f"cell {index + 1}"}
        if role == "test":
            entry.update(grade_id=meta.get("grade_id"), exercise=exercise, points=float(meta.get("points", 0)))
        cells.append(entry)
    return {"cells": cells, "limits": limits.to_dict(), "course_packages": list(course_packages)}


def job_key(job: dict) -> str:
    """A fingerprint of what a job runs and under which limits (to match precomputed results)."""
    text = json.dumps({"cells": job["cells"], "limits": job["limits"]}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
