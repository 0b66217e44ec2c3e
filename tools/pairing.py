"""The solution notebooks as readable Python: `review/<assignment>/<name>.py` beside each `solutions/` notebook.

    python3 course.py pair [A ...]     write the pairs of the named assignments (all by default)
    python3 course.py pair --check     list the notebooks whose pair is missing or stale; exit 1 if any

A notebook is JSON, and its diff is escaped strings. Its pair is jupytext's percent format: code cells as code,
markdown cells as comments, and each cell's nbgrader metadata (grade_id, points, locked, solution) as JSON on its
`# %%` line, so that a change to a hidden test, an answer or a cell's points reads as a Python diff in review.
Outputs are left out. The notebook stays the source of truth (nbgrader, nbval and the graders read it): a pair is
written from it (`course.py pair`, and `generate` and `refresh` after them), never edited by hand, and
tests/test_pairing.py fails naming each notebook whose pair is stale.

The pairs live outside solutions/ because nbgrader's generate_assignment copies every other file of a source
assignment folder into the student version: a .py beside the notebook would hand out its answers and hidden tests.
ruff leaves review/ out (pyproject.toml); it lints the notebooks themselves, cell by cell.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .notebooks import ROOT, SOLUTIONS, solution_notebooks

PAIRS = ROOT / "review"
FORMAT = "py:percent"


def pair_path(notebook: Path, solutions: Path = SOLUTIONS, pairs: Path = PAIRS) -> Path:
    """Where the pair of a source notebook lives: solutions/01_tensors/tensors.ipynb -> review/01_tensors/tensors.py."""
    return (pairs / notebook.relative_to(solutions)).with_suffix(".py")


def pair_text(notebook: Path) -> str:
    """The notebook in jupytext's percent format (outputs left out), as its pair holds it."""
    import jupytext

    return jupytext.writes(jupytext.read(notebook), fmt=FORMAT)


def stale_pairs(notebooks: list[Path], solutions: Path = SOLUTIONS, pairs: Path = PAIRS) -> list[Path]:
    """The notebooks whose pair is missing or no longer what the notebook holds."""
    stale = []
    for notebook in notebooks:
        pair = pair_path(notebook, solutions, pairs)
        if not pair.is_file() or pair.read_text(encoding="utf-8") != pair_text(notebook):
            stale.append(notebook)
    return stale


def orphan_pairs(solutions: Path = SOLUTIONS, pairs: Path = PAIRS) -> list[Path]:
    """The pair files whose notebook is gone (renamed or removed)."""
    found = sorted(pairs.glob("*/*.py")) if pairs.is_dir() else []
    return [pair for pair in found if not (solutions / pair.relative_to(pairs)).with_suffix(".ipynb").is_file()]


def write_pairs(notebooks: list[Path], solutions: Path = SOLUTIONS, pairs: Path = PAIRS) -> list[Path]:
    """Write the pair of each stale notebook; return the pairs written."""
    written = []
    for notebook in stale_pairs(notebooks, solutions, pairs):
        pair = pair_path(notebook, solutions, pairs)
        pair.parent.mkdir(parents=True, exist_ok=True)
        pair.write_text(pair_text(notebook), encoding="utf-8")
        written.append(pair)
    return written


def staleness_report(stale: list[Path], orphans: list[Path]) -> str:
    """One line per stale notebook or orphan pair, each saying what to do."""
    lines = [f"{n.relative_to(ROOT)}: its pair {pair_path(n).relative_to(ROOT)} is stale or missing" for n in stale]
    lines += [f"{p.relative_to(ROOT)}: its notebook is gone (git rm it)" for p in orphans]
    if stale:
        lines.append("run `python3 course.py pair` and commit review/")
    return "\n".join(lines)


def main(args: list[str]) -> int:
    chosen = [a for a in args if a != "--check"]
    notebooks = solution_notebooks(chosen)
    if "--check" in args:
        report = staleness_report(stale_pairs(notebooks), orphan_pairs())
        if report:
            print(report, file=sys.stderr)
            return 1
        print(f"the pairs of {len(notebooks)} notebooks are up to date")
        return 0
    for pair in write_pairs(notebooks):
        print(f"wrote {pair.relative_to(ROOT)}")
    for orphan in [] if chosen else orphan_pairs():
        orphan.unlink()
        print(f"removed {orphan.relative_to(ROOT)} (its notebook is gone)")
    return 0
