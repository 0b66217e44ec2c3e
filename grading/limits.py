"""How much one submission may use: the one place the grader's limits and their defaults are written.

A graded cell's time limit fits the exercise: it comes from what the reference solution itself costs
in that cell, measured by running the source notebook through the judge (`python3 course.py limits`,
also run by `course.py refresh`) and written beside the source notebook as `<notebook>.costs.json`.
The limit is `COST_FACTOR` times the measured seconds plus `COST_SLACK`, never more than the fixed
ceiling `cell_timeout`; a cell with no measurement (a student's own cell, or a notebook never measured)
gets the largest limit of its notebook's measured cells, or the ceiling when there is none.  So a
runaway in a cheap exercise costs about a minute, not ten.  The instructor can still ask for one fixed
limit for every cell (`--timeout S`, or `c.SandboxedExecute.fit = False`).

The cells' limits add up to the notebook's: the cells of a notebook may take the sum of their limits
(an instructor's `notebook_timeout` caps that sum), and each test cell has its own limit on top, so no
test is ever cut short because an earlier cell used up the notebook's time.

Memory stays one limit per notebook (`memory_mb`): it is the address space (`RLIMIT_AS`) of the
student process, set once before any submitted code runs and inherited by every fork; a process
without privileges cannot raise it again, so a per-cell limit could only shrink from cell to cell,
and NumPy, IPython and matplotlib alone take about 200 MB of address space.  A runaway allocation
costs only the exercise whose call made it (`MemoryError` there, or that process killed).

The measured costs come from the instructor's side only (the source folder), never from a
submission: `grading.plan.load_source` reads them, and the judge's job carries each cell's limit.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .cells import nbgrader_meta

COST_FACTOR = 50.0  # a cell may take this many times what the reference solution took there ...
COST_SLACK = 60.0  # ... plus these seconds (start-up noise, a slower or busier machine: under a loaded CI run a
# 1 s cell of 04's reference took over 29 s, so 20 x + 10 s failed a right answer)
START_SLACK = 60.0  # seconds a notebook gets beyond its cells' limits: sandbox start, forks, restarts
COSTS_SUFFIX = ".costs.json"
SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


@dataclass(frozen=True)
class Limits:
    """The limits one graded notebook runs under.  Seconds and MB."""

    cell_timeout: float = 600.0  # ceiling of one cell's limit (every cell's limit when `fit` is off)
    notebook_timeout: float = 0.0  # cap on the sum of the cells' limits; 0: no cap but that sum
    memory_mb: int = 4096  # address space of the student process
    threads: int = 0  # BLAS threads per process; 0: the cores divided among the judges at once
    sandbox: str = "bwrap"  # "bwrap": the OS sandbox (grading refuses without it); "off": none
    fit: bool = True  # each cell's limit from the reference's measured cost

    def to_dict(self) -> dict:
        return {
            "cell_timeout": float(self.cell_timeout),
            "notebook_timeout": float(self.notebook_timeout),
            "memory_mb": int(self.memory_mb),
            "threads": int(self.threads),
            "sandbox": str(self.sandbox),
            "fit": bool(self.fit),
        }

    def cell_limit(self, cost: Optional[float], fallback: Optional[float] = None) -> float:
        """One cell's time limit: from the reference's measured `cost` (seconds), else `fallback`."""
        if not self.fit:
            return float(self.cell_timeout)
        if cost is None:
            return float(min(self.cell_timeout, fallback)) if fallback else float(self.cell_timeout)
        return float(min(self.cell_timeout, round(COST_FACTOR * cost + COST_SLACK, 1)))


DEFAULTS = Limits()


def from_options(
    timeout: Optional[float] = None,
    notebook_timeout: Optional[float] = None,
    memory_mb: Optional[int] = None,
    sandbox: str = DEFAULTS.sandbox,
) -> Limits:
    """The limits a command line asks for: a `timeout` given is one fixed limit for every cell."""
    return Limits(
        cell_timeout=DEFAULTS.cell_timeout if timeout is None else float(timeout),
        notebook_timeout=DEFAULTS.notebook_timeout if notebook_timeout is None else float(notebook_timeout),
        memory_mb=DEFAULTS.memory_mb if memory_mb is None else int(memory_mb),
        sandbox=sandbox,
        fit=timeout is None,
    )


def blas_threads(jobs: int, cores: Optional[int] = None) -> int:
    """BLAS threads for each process when `jobs` judges run at once: the cores shared, at least one."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, jobs))


def blas_environment(threads: int) -> dict:
    """The variables that set OpenBLAS', OpenMP's and MKL's thread counts when a process starts."""
    value = str(max(1, int(threads)))
    return {"OPENBLAS_NUM_THREADS": value, "OMP_NUM_THREADS": value, "MKL_NUM_THREADS": value}


# --- the reference's measured costs ---------------------------------------------------------------


def costs_path(source_notebook: Path) -> Path:
    return Path(source_notebook).with_suffix(COSTS_SUFFIX)


def read_costs(source_notebook: Path) -> dict:
    """`{grade_id: seconds}` measured for a source notebook; empty when it was never measured."""
    try:
        data = json.loads(costs_path(source_notebook).read_text())
    except (OSError, ValueError):
        return {}
    seconds = data.get("seconds") if isinstance(data, dict) else None
    if not isinstance(seconds, dict):
        return {}
    return {str(k): float(v) for k, v in seconds.items() if isinstance(v, (int, float)) and v >= 0}


def measured_costs(job: dict, result: dict) -> dict:
    """`{grade_id: seconds}` of every instructor cell, from the judge's result on the reference solution."""
    seconds = {}
    for cell in job["cells"]:
        if cell["role"] == "test":
            seconds[cell["grade_id"]] = result["tests"][cell["grade_id"]]["seconds"]
        elif cell["role"] in ("locked", "answer"):  # their label is their grade_id
            seconds[cell["label"]] = result["cells"][str(cell["index"])].get("seconds", 0.0)
    return {name: round(float(value), 3) for name, value in seconds.items()}


def measure(source_notebook: Path, sandbox: str = DEFAULTS.sandbox) -> dict:
    """Grade the reference solution (the source notebook itself) under the ceilings and return its costs.

    Raises `RuntimeError` when the reference does not pass its own tests (its costs would mean nothing).
    """
    import nbformat

    from . import plan, runner

    source_notebook = Path(source_notebook)
    cells, kernelspec, _ = plan.load_source(source_notebook)
    reference = nbformat.read(str(source_notebook), as_version=4)
    rebuilt, _ = plan.rebuild(cells, kernelspec, reference, source_notebook.name)
    job = plan.job_for(rebuilt, Limits(fit=False, sandbox=sandbox))
    result = runner.run_job(job, file_folders=[source_notebook.parent])
    if result.get("judge_error"):
        raise RuntimeError(f"{source_notebook}: {result['judge_error']}")
    failed = [name for name, test in result["tests"].items() if not test["passed"]]
    if failed:
        raise RuntimeError(f"{source_notebook}: the reference solution fails {', '.join(failed)}")
    return measured_costs(job, result)


@functools.lru_cache(maxsize=1)
def series_costs() -> dict:
    """`{grade_id: seconds}` over every measured source notebook of the series (grade_ids are unique)."""
    seconds = {}
    for notebook in sorted(SOLUTIONS.glob("*/*.ipynb")):
        seconds.update(read_costs(notebook))
    return seconds


def validate_timeout(cell) -> float:
    """Seconds one cell may run under nbgrader's own execution (the students' Validate button): the
    limit the grader gives that cell, or the largest of the series for a cell of the student's own."""
    grade_id = nbgrader_meta(cell).get("grade_id")
    costs = series_costs()
    fallback = max((DEFAULTS.cell_limit(cost) for cost in costs.values()), default=None)
    return DEFAULTS.cell_limit(costs.get(grade_id), fallback)


def write_costs(source_notebook: Path, seconds: dict) -> Path:
    path = costs_path(source_notebook)
    record = {
        "about": "seconds the reference solution took in each cell, through the judge "
        "(python3 course.py limits); each cell's time limit is "
        f"{COST_FACTOR:g} x these + {COST_SLACK:g} s, at most the ceiling",
        "measured": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "seconds": seconds,
    }
    path.write_text(json.dumps(record, indent=1, sort_keys=False) + "\n")
    return path


def main(argv: list) -> int:
    """`course.py limits [ASSIGNMENT ...]`: measure the reference solutions' costs (all by default)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="course.py limits",
        description="Measure what each cell of the "
        "reference solutions costs through the judge, for the cells' time limits.",
    )
    parser.add_argument("assignments", nargs="*", help="default: every assignment in solutions/")
    parser.add_argument("--no-sandbox", action="store_true", help="measure without the bubblewrap sandbox")
    args = parser.parse_args(argv)
    chosen = args.assignments or sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir())
    for assignment in chosen:
        for notebook in sorted((SOLUTIONS / assignment).glob("*.ipynb")):
            seconds = measure(notebook, sandbox="off" if args.no_sandbox else DEFAULTS.sandbox)
            path = write_costs(notebook, seconds)
            slowest = max(seconds.items(), key=lambda item: item[1])
            print(
                f"{assignment}/{notebook.name}: {len(seconds)} cells, {sum(seconds.values()):.1f} s in all, "
                f"slowest {slowest[0]} {slowest[1]:.1f} s -> {path.name}",
                flush=True,
            )
    return 0
