"""What a regrade replaces, kept: the gradebook backed up, every score it changed or kept, and review flags.

Used by both ways of grading (`course.py grade` calls nbgrader's autograde, whose preprocessors are this
repository's), so they keep the same history:

- before the first grade of a process is written, the SQLite gradebook is copied to
  `autograded/_grading/backups/gradebook-<time>.db` (`backup_once`);
- each regraded notebook appends one line to `autograded/.grading/history/<student>/<assignment>/<notebook>.jsonl`:
  when, under which judge key, every score that changed (old and new) and every manual score that was kept
  (`record_regrade`);
- a notebook that could not be read, or whose judge result lists reasons for review, has every grade marked
  *needs manual grade* (`flag_for_review`), so that formgrader lists it.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path
from typing import Optional

from .cache import GRADING_FOLDER

BACKUP_FOLDER = Path("autograded") / "_grading" / "backups"
# Structural issue codes that leave nothing to grade: the notebook gets zero and is marked for review.
SEVERE = ("invalid_json", "unreadable", "not_a_notebook", "wrong_notebook", "empty", "no_graded_cells")
_BACKED_UP: dict = {}  # {db_url: the backup made by this process}


def stamp() -> str:
    return f"{datetime.datetime.now():%Y%m%d-%H%M%S-%f}"


def backup_once(db_url: str, folder: Path, fresh: bool = False) -> Optional[Path]:
    """A consistent copy of a SQLite gradebook, made once per process before anything is written to it
    (`fresh`: made now even if this process made one before, as each run of `course.py grade` does)."""
    if db_url in _BACKED_UP and not fresh:
        return _BACKED_UP[db_url]
    if not db_url.startswith("sqlite:///"):
        return None
    path = Path(db_url[len("sqlite:///") :])
    if not path.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"gradebook-{stamp()}.db"
    with sqlite3.connect(str(path)) as source, sqlite3.connect(str(target)) as copy:
        source.backup(copy)
    _BACKED_UP[db_url] = target
    return target


def notebook_grades(db_url: str, course_id: str, student: str, assignment: str, notebook: str) -> dict:
    """`{cell: [auto, manual, needs_manual, max]}` of one submitted notebook ({} when it is not graded yet)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gradebook:
        try:
            submitted = gradebook.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return {}
        return {
            grade.name: [grade.auto_score, grade.manual_score, bool(grade.needs_manual_grade), grade.max_score]
            for grade in submitted.grades
        }


def review_reasons(record: dict) -> list:
    """Why a graded notebook must be looked at: its severe structural issues and the judge's `review` list."""
    reasons = [issue["message"] for issue in record.get("issues", []) if issue.get("code") in SEVERE]
    return reasons + [str(reason) for reason in record.get("review", [])]


def flag_for_review(db_url: str, course_id: str, student: str, assignment: str, notebook: str) -> None:
    """Mark every grade of a submitted notebook as needing a look from the instructor (formgrader lists it)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gradebook:
        try:
            submitted = gradebook.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return
        for grade in submitted.grades:
            grade.needs_manual_grade = True
        gradebook.db.commit()


def compare(before: dict, after: dict) -> dict:
    """`{"changed": [[cell, old auto, new auto, manual]], "kept": [[cell, manual, new auto]]}`.

    A manual score is never overwritten (nbgrader keeps it); it is listed as kept whether or not the
    automatic score under it changed.  A cell without any score before (nbgrader makes the empty grades
    before it grades) is new, not changed."""
    changed, kept = [], []
    for cell, old in sorted(before.items()):
        new = after.get(cell)
        if new is None or (old[0] is None and old[1] is None):  # not graded before: nothing replaced
            continue
        if old[0] != new[0] or old[1] != new[1]:
            changed.append([cell, old[0], new[0], new[1]])
        if old[1] is not None and new[1] == old[1]:
            kept.append([cell, old[1], new[0]])
    return {"changed": changed, "kept": kept}


def history_path(course_root, student: str, assignment: str, notebook: str) -> Path:
    return Path(course_root) / GRADING_FOLDER / "history" / student / assignment / f"{notebook}.jsonl"


def record_regrade(course_root, student: str, assignment: str, notebook: str, entry: dict) -> Path:
    """Append one regrade to the notebook's history (one JSON line; earlier lines are never rewritten)."""
    path = history_path(course_root, student, assignment, notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        handle.write(json.dumps(entry, default=str) + "\n")
    return path


def regrades_since(course_root, student: str, assignment: str, notebook: str, since: str) -> list:
    """The history entries written at or after `since` (a `stamp()`)."""
    path = history_path(course_root, student, assignment, notebook)
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut by a killed run
        if str(entry.get("time", "")) >= since:
            entries.append(entry)
    return entries
