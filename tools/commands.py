"""The commands behind `course.py`, run inside the series' virtual environment."""

from __future__ import annotations

import os
import subprocess
import sys

from answer_key import freeze

from . import handout, korean, lint, notebooks, pairing, selfstudy

NBVAL_OPTIONS = [
    "--nbval",
    "--nbval-current-env",
    "--nbval-sanitize-with",
    str(notebooks.ROOT / "tools" / "nbval_sanitize.cfg"),
    "--nbval-cell-timeout",
    str(notebooks.CELL_TIMEOUT),
]


def lab(args: list[str]) -> int:
    """Open JupyterLab on the learner's copy (--instructor: the repository, with nbgrader's tools), or with
    --headless execute every solution notebook of both editions; --lang ko (en): the Korean (English) one only."""
    language, args = korean.language_option(args, default=None)
    if "--headless" in args:
        return run_headless([a for a in args if a != "--headless"], sources=korean.headless_sources(language))
    student_folder, _ = korean.edition_notebooks(language or "en")
    return selfstudy.run_lab(args, language or "en", student_folder)


def run_headless(chosen: list[str], write: bool = False, sources=notebooks.solution_notebooks) -> int:
    """Execute each chosen solution notebook (all by default) from a clean kernel.

    Prints one line per notebook (ok/failed, seconds) and a total; exits non-zero if any failed.
    """
    results = []
    for path in sources(chosen):
        result = notebooks.execute_notebook(path, write=write)
        results.append(result)
        status = "ok    " if result.ok else "FAILED"
        name = path.relative_to(notebooks.ROOT) if path.is_relative_to(notebooks.ROOT) else path  # shows the edition
        detail = f"  {result.error}" if result.error else ""
        print(f"{status} {str(name):<60} {result.seconds:7.1f} s{detail}", flush=True)
    failed = sum(not r.ok for r in results)
    total = sum(r.seconds for r in results)
    print(f"{len(results) - failed} of {len(results)} notebooks ran clean in {total:.1f} s")
    return 1 if failed else 0


def test(args: list[str]) -> int:
    """Run the tests; CI runs the full tier (no arguments).

    no arguments        every test: tests/ and nbval over solutions/ and ko/solutions/, on every core
    --quick             every test not marked slow (tools/pytest_tiers.py), no notebook executed
    PATH ... / -k EXPR  just those (pytest options pass through; add -n 2 for two workers)
    """
    quick = "--quick" in args
    args = [a for a in args if a != "--quick"]
    targets = test_targets(args)
    tier = not targets and not has_option(args, "-k")
    if not targets:
        targets = ["tests"] if quick else ["tests", "solutions", "ko/solutions"]
    options = ["-m", "not slow"] if quick else []
    if any(runs_notebooks(t) for t in targets):
        options += NBVAL_OPTIONS
    if tier and not has_option(args, "-n") and xdist_installed():
        options += ["-n", str(os.cpu_count() or 1), "--dist", "loadscope"]
    command = [sys.executable, "-m", "pytest", *options, *args, *[t for t in targets if t not in args]]
    return subprocess.call(command, cwd=notebooks.ROOT, env=notebooks.subprocess_env())


# pytest options that take a value as the next argument (that value is no test path).
VALUE_OPTIONS = {
    "-k",
    "-m",
    "-n",
    "-p",
    "-c",
    "-o",
    "--maxfail",
    "--timeout",
    "--dist",
    "--durations",
    "--rootdir",
    "--deselect",
    "--ignore",
    "--basetemp",
}


def test_targets(args: list[str]) -> list[str]:
    """The test paths (or node ids such as tests/test_x.py::test_y) among pytest arguments."""
    targets, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-") and (notebooks.ROOT / arg.split("::")[0]).exists():
            targets.append(arg)
    return targets


def has_option(args: list[str], option: str) -> bool:
    return any(a == option or a.startswith(option) and not a.startswith("--") for a in args)


def runs_notebooks(target: str) -> bool:
    """Whether pytest would collect notebooks under this target (nbval then needs its options)."""
    path = notebooks.ROOT / target.split("::")[0]
    return path.suffix == ".ipynb" or path.is_dir() and any(path.rglob("*.ipynb"))


def xdist_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("xdist") is not None


def generate(args: list[str]) -> int:
    """Rewrite the student versions of the named assignments (all by default) and their readable pairs (review/)."""
    notebooks.generate_student_versions(chosen=args)
    print(f"Student versions written to {notebooks.NOTEBOOKS}")
    return pairing.main(args)


def refresh(args: list[str]) -> int:
    """Re-execute solutions/ in place (their committed outputs are nbval's reference), regenerate, and
    measure the reference solutions' costs for the grader's time limits (`course.py limits`)."""
    status = run_headless(args, write=True)
    if status == 0:
        generate(args)
        status = limits(args)
    return status


def limits(args: list[str]) -> int:
    """Measure each cell's cost in the reference solutions, from which the grader's time limits come."""
    from grading import limits as grading_limits

    return grading_limits.main(args)


def prefetch(args: list[str]) -> int:
    return subprocess.call([sys.executable, "-m", "notebook_helpers.mnist", *args])


def grade(args: list[str]) -> int:
    """Grade a class: submitted notebooks -> gradebook, grades.csv, report and feedback (see GRADING.md)."""
    from grading import classroom

    return classroom.main(args)


def sandbox_check(args: list[str]) -> int:
    """Verify that the grading sandbox isolates a student process on this machine (see GRADING.md)."""
    from grading import sandbox_check as check

    return check.main(args)


def benchmark(args: list[str]) -> int:
    """`benchmark [training]`: train the reference network as notebook 04 does; `benchmark grading`: grade
    one class with plain nbgrader and with the course's grader.  Each prints one JSON line."""
    name = args[0] if args and args[0] in BENCHMARKS else "training"
    rest = args[1:] if args and args[0] in BENCHMARKS else args
    return subprocess.call([sys.executable, "-m", BENCHMARKS[name], *rest])


BENCHMARKS = {"training": "benchmarks.mlp_training", "grading": "benchmarks.grading"}


# One command a line, so that adding one touches one line.
COMMANDS = {
    "lab": lab,
    "reset": selfstudy.run_reset,
    "test": test,
    "generate": generate,
    "refresh": refresh,
    "prefetch": prefetch,
    "grade": grade,
    "sandbox-check": sandbox_check,
    "benchmark": benchmark,
    "limits": limits,
    "freeze": freeze.main,
    "handout": handout.main,
    "korean": korean.main,
    "lint": lint.main,
    "pair": pairing.main,
}


def dispatch(argv: list[str]) -> int:
    command = COMMANDS.get(argv[0])
    if command is None:
        print(f"Unknown command {argv[0]!r}; choose one of: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    os.chdir(notebooks.ROOT)
    return command(argv[1:])
