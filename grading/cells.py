"""The one reading of a notebook cell's nbgrader metadata, for the grader and the course's tools alike.

nbgrader keeps a cell's role in `cell.metadata.nbgrader` (`grade_id`, `solution`, `grade`, `locked`, `points`).
A submission can put anything there, so this reading never fails: whatever is not a dict reads as no metadata.
"""

from __future__ import annotations


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata, or `{}` when it has none or it is not a dict."""
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else {}
