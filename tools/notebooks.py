"""Where the series' notebooks are, and the chores done on them: execute, generate student versions.

An *assignment* is a folder `solutions/<assignment>/` of nbgrader source notebooks; its student
versions are `notebooks/<assignment>/`, written by nbgrader's own `generate_assignment`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .environment import with_bin_first

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
KERNEL_NAME = "python3"
CELL_TIMEOUT = 900
# What nbgrader leaves in an answer cell of a student version in place of the solution.
ANSWER_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
# The kernel's own log (its start-up warning that it talks TCP unencrypted, on this machine only)
# would print a line per notebook; errors still show.  Cell outputs are not affected.
QUIET_KERNEL = ["--IPKernelApp.log_level=ERROR"]


def assignments() -> list[str]:
    """The assignment folders under solutions/, in course order."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and not p.name.startswith("."))


def solution_notebooks(chosen: list[str] | None = None) -> list[Path]:
    """The source notebooks of the chosen assignments (all by default), in course order."""
    return sorted(p for a in chosen or assignments() for p in (SOLUTIONS / a).glob("*.ipynb"))


def nbgrader_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "nbgrader", *args]


def subprocess_env() -> dict:
    """This process's environment for the programs it starts (nbgrader, pytest), with its Python's bin leading PATH."""
    return with_bin_first(os.environ)


def generate_student_versions(
    release_dir: Path = NOTEBOOKS, chosen: list[str] | None = None, course_root: Path = ROOT
) -> None:
    """Write the student version of every assignment into `release_dir`, exactly as nbgrader does.

    This *is* `nbgrader generate_assignment --force`, run with this repository's config; only the
    output folder and a throw-away gradebook are set, so the instructor's gradebook is not touched.
    """
    with tempfile.TemporaryDirectory() as scratch:
        for assignment in chosen or assignments():
            result = subprocess.run(
                nbgrader_command(
                    "generate_assignment",
                    assignment,
                    "--force",
                    f"--CourseDirectory.release_directory={release_dir}",
                    f"--CourseDirectory.db_url=sqlite:///{scratch}/gradebook.db",
                ),
                cwd=course_root,
                env=subprocess_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n{result.stderr}")


@dataclass
class RunResult:
    notebook: Path
    ok: bool
    seconds: float
    error: str = ""


def execute_notebook(path: Path, write: bool = False) -> RunResult:
    """Run a notebook top to bottom in a fresh kernel; with `write`, save its outputs in place."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    # coalesce_streams: a line rewritten in place (notebook_helpers.progress) is saved as its final state.
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL_NAME,
        record_timing=False,
        coalesce_streams=True,
        extra_arguments=QUIET_KERNEL,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        return RunResult(path, False, time.perf_counter() - start, str(error).strip().splitlines()[-1])
    if write:
        nbformat.write(notebook, path)
    return RunResult(path, True, time.perf_counter() - start)
