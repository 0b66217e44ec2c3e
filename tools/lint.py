"""`python3 course.py lint`: ruff over the Python code and the code cells of solutions/, the same for everyone.

    python3 course.py lint            list what `ruff check` finds and the files `ruff format` would change
    python3 course.py lint --fix      let ruff fix what it can and format, then list what is left
    python3 course.py lint PATH ...   only those files or folders (pre-commit passes the staged files)

pyproject.toml's [tool.ruff] says what is linted and what is left out (the notebooks built from solutions/), and
tests/test_lint.py makes a clean report part of the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .notebooks import ROOT


@dataclass(frozen=True)
class Finding:
    """One place ruff objects to: a rule broken (`code` such as F401), or `unformatted` for `ruff format`."""

    path: str
    cell: int | None  # the notebook's cell, counted from 1 as ruff does; None in a .py file
    row: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{cell}{self.row}:{self.column}: {self.code} {self.message}"


def run_ruff(arguments: list[str], paths: list[str], root: Path) -> list[Finding]:
    """Run ruff with the configuration found under `root`; its findings, read from its JSON report.

    `--force-exclude` applies pyproject.toml's exclusions to files named one by one (as pre-commit names them).
    """
    command = [sys.executable, "-m", "ruff", *arguments, "--output-format", "json", "--force-exclude", "--", *paths]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"ruff failed ({' '.join(command[2:])}):\n{result.stderr.strip()}")
    return [finding(entry, root) for entry in json.loads(result.stdout or "[]")]


def finding(entry: dict, root: Path) -> Finding:
    path = Path(entry["filename"])
    location = entry.get("location") or {"row": 1, "column": 1}
    return Finding(
        str(path.relative_to(root)) if path.is_relative_to(root) else str(path),
        entry.get("cell"),
        location["row"],
        location["column"],
        entry["code"],
        entry["message"],
    )


def lint_findings(paths: list[str] | None = None, root: Path = ROOT) -> list[Finding]:
    """What `ruff check` finds in `paths` (the whole repository by default)."""
    return run_ruff(["check"], paths or ["."], root)


def unformatted(paths: list[str] | None = None, root: Path = ROOT) -> list[Finding]:
    """The places `ruff format` would change in `paths` (the whole repository by default)."""
    return run_ruff(["format", "--check"], paths or ["."], root)


def fix(paths: list[str], root: Path = ROOT) -> None:
    """Apply ruff's safe fixes, then format."""
    for arguments in (["check", "--fix", "--quiet"], ["format", "--quiet"]):
        subprocess.run([sys.executable, "-m", "ruff", *arguments, "--force-exclude", "--", *paths], cwd=root)


def report(findings: list[Finding], unformatted_places: list[Finding]) -> str:
    """What to tell a contributor: each finding, each file to format, and the command that formats it."""
    lines = [str(f) for f in findings]
    files = sorted({f.path for f in unformatted_places})
    lines += [f"{path}: would be reformatted" for path in files]
    if files:
        lines.append("`python3 course.py lint --fix [PATH ...]` formats them and fixes what ruff can")
    return "\n".join(lines)


def main(args: list[str]) -> int:
    paths = [a for a in args if a != "--fix"]
    if "--fix" in args:
        fix(paths or ["."])
    findings, places = lint_findings(paths), unformatted(paths)
    if findings or places:
        print(report(findings, places))
        print(f"{len(findings)} findings, {len({p.path for p in places})} files to format")
        return 1
    print("ruff: no findings, nothing to format")
    return 0
