"""The commands behind `course.py`, run inside the series' virtual environment."""
from __future__ import annotations

import os
import subprocess
import sys

from answer_key import freeze

from . import handout, korean, notebooks

NBVAL_OPTIONS = [
    "--nbval", "--nbval-current-env",
    "--nbval-sanitize-with", str(notebooks.ROOT / "tools" / "nbval_sanitize.cfg"),
    "--nbval-cell-timeout", str(notebooks.CELL_TIMEOUT),
]


def lab(args: list[str]) -> int:
    """Open JupyterLab on notebooks/, or with --headless execute every solution notebook (--lang ko: ko/)."""
    language, args = korean.language_option(args)
    student_folder, sources = korean.edition_notebooks(language)
    if "--headless" in args:
        return run_headless([a for a in args if a != "--headless"], sources=sources)
    command = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={notebooks.ROOT}",
               str(student_folder.relative_to(notebooks.ROOT)), *args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # classroom containers often run as root; Jupyter refuses without this
    return subprocess.call(command, env=notebooks.subprocess_env())


def run_headless(chosen: list[str], write: bool = False, sources=notebooks.solution_notebooks) -> int:
    """Execute each chosen solution notebook (all by default) from a clean kernel.

    Prints one line per notebook (ok/failed, seconds) and a total; exits non-zero if any failed.
    """
    results = []
    for path in sources(chosen):
        result = notebooks.execute_notebook(path, write=write)
        results.append(result)
        status = "ok    " if result.ok else "FAILED"
        name = path.relative_to(path.parent.parent)
        detail = f"  {result.error}" if result.error else ""
        print(f"{status} {str(name):<45} {result.seconds:7.1f} s{detail}", flush=True)
    failed = sum(not r.ok for r in results)
    total = sum(r.seconds for r in results)
    print(f"{len(results) - failed} of {len(results)} notebooks ran clean in {total:.1f} s")
    return 1 if failed else 0


def test(args: list[str]) -> int:
    """Every test: the unit and pipeline tests in tests/, and nbval over solutions/ and ko/solutions/."""
    command = [sys.executable, "-m", "pytest", "tests", "solutions", "ko/solutions", *NBVAL_OPTIONS, *args]
    return subprocess.call(command, cwd=notebooks.ROOT, env=notebooks.subprocess_env())


def generate(args: list[str]) -> int:
    """Rewrite the student versions of the named assignments (all by default) from solutions/."""
    notebooks.generate_student_versions(chosen=args)
    print(f"Student versions written to {notebooks.NOTEBOOKS}")
    return 0


def refresh(args: list[str]) -> int:
    """Re-execute solutions/ in place (their committed outputs are nbval's reference), then regenerate."""
    status = run_headless(args, write=True)
    if status == 0:
        generate(args)
    return status


def prefetch(args: list[str]) -> int:
    return subprocess.call([sys.executable, "-m", "notebook_helpers.mnist", *args])


def grade(args: list[str]) -> int:
    """Grade a class: submitted notebooks -> gradebook, grades.csv, report and feedback (see GRADING.md)."""
    from grading import classroom

    return classroom.main(args)


def benchmark(args: list[str]) -> int:
    """Train the reference network as notebook 04 does and print one JSON line of timings."""
    return subprocess.call([sys.executable, "-m", "benchmarks.mlp_training", *args])


# One command a line, so that adding one touches one line.
COMMANDS = {
    "lab": lab,
    "test": test,
    "generate": generate,
    "refresh": refresh,
    "prefetch": prefetch,
    "grade": grade,
    "benchmark": benchmark,
    "freeze": freeze.main,
    "handout": handout.main,
    "korean": korean.main,
}


def dispatch(argv: list[str]) -> int:
    command = COMMANDS.get(argv[0])
    if command is None:
        print(f"Unknown command {argv[0]!r}; choose one of: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    os.chdir(notebooks.ROOT)
    return command(argv[1:])
