"""`python3 -m tools.hygiene NOTEBOOK ...`: the student versions carry no outputs (pre-commit runs it on notebooks/).

nbgrader writes notebooks/ without outputs or execution counts; one that has them was run and saved by hand, and
would hand out a learner's (or the reference solution's) results. The fix is `python3 course.py generate`, never an
edit. Standard library only, so that the hook needs no environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def executed_cells(notebook: Path) -> list[int]:
    """The code cells (counted from 1) that hold outputs or an execution count."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    code = [cell for cell in cells if cell.get("cell_type") == "code"]
    return [n for n, cell in enumerate(code, 1) if cell.get("outputs") or cell.get("execution_count") is not None]


def main(paths: list[str]) -> int:
    dirty = {path: executed_cells(Path(path)) for path in paths}
    dirty = {path: cells for path, cells in dirty.items() if cells}
    for path, cells in dirty.items():
        print(
            f"{path}: code cells {cells} carry outputs; run `python3 course.py generate` to rewrite it", file=sys.stderr
        )
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
