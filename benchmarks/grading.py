"""How long grading a class takes: `course.py grade`'s engine on a made-up class of the whole series.

    .venv/bin/python benchmarks/grading.py [--students 30] [--assignments A ...] [--jobs N] [--no-feedback]

Makes a temporary nbgrader course and a class of `--students` students, each submitting every
assignment that has a student version in `notebooks/`: mostly right answers, with a few wrong ones
and a few unanswered exercises that differ from student to student (so the runs are not all alike).
Grades it with `grading.classroom.grade_class` (judges in parallel, one per core by default; then
nbgrader's autograde and feedback) under the default limits, and prints seconds per submission, per
assignment and in total.  The machine's cores are shared with whatever else runs: run it on a quiet
machine to compare runs.  Notebook 04 trains the MNIST network (once in a read-only cell and once in
its hidden test), so it dominates: expect about half a minute of judge time per submission there.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import grading_fixtures as fixtures  # noqa: E402
from grading import classroom, plan  # noqa: E402


def released_assignments() -> list:
    return sorted(p.name for p in (ROOT / "solutions").iterdir()
                  if p.is_dir() and list((ROOT / "notebooks" / p.name).glob("*.ipynb")))


def submission(assignment: str, student: int) -> bytes:
    """Student `student`'s notebook: right answers, except a wrong one or an unanswered one here and there."""
    names = fixtures.exercises(assignment)
    references = fixtures.references(assignment)
    overrides = {}
    for position, name in enumerate(names):
        turn = (student + 3 * position) % 11
        if turn == 0:
            overrides[name] = fixtures.wrong_answer(name, references[name])
        elif turn == 1:
            overrides[name] = None
    return fixtures.to_bytes(fixtures.filled(assignment, "right", overrides=overrides))   # None: the stub stays


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--assignments", nargs="*", default=None, help="default: every released assignment")
    parser.add_argument("--jobs", type=int, default=0, help="notebooks at once (default: the cores)")
    parser.add_argument("--no-feedback", action="store_true")
    args = parser.parse_args(argv)
    assignments = args.assignments or released_assignments()
    with tempfile.TemporaryDirectory(prefix="grading-benchmark-") as scratch:
        course = Path(scratch)
        incoming = course / "incoming"
        for student in range(args.students):
            for assignment in assignments:
                _, released = fixtures.notebook_path(assignment)
                target = incoming / f"student{student:02d}" / assignment / released.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(submission(assignment, student))
        settings = classroom.Settings(course_root=course, db_url=f"sqlite:///{course / 'gradebook.db'}",
                                      limits=plan.Limits(), jobs=args.jobs, feedback=not args.no_feedback,
                                      quiet=True)
        print(f"grading {args.students} students x {len(assignments)} assignments ({', '.join(assignments)}) "
              f"with {settings.jobs or os.cpu_count()} judges at once on {os.cpu_count()} cores ...", flush=True)
        start = time.monotonic()
        summary = classroom.grade_class(incoming, settings)
        elapsed = time.monotonic() - start
    outcomes = summary["outcomes"]
    count = len(outcomes)
    print(f"\n{count} submitted notebooks graded in {elapsed:.1f} s: {elapsed / count:.2f} s per submission "
          f"(wall clock, everything included), {elapsed / max(args.students, 1):.1f} s per student")
    for assignment in assignments:
        seconds = [o.seconds for o in outcomes if o.submission.assignment == assignment]
        if seconds:
            print(f"  {assignment:22} judge time per notebook: mean {statistics.mean(seconds):7.1f} s, "
                  f"max {max(seconds):7.1f} s")
    judged = sum(o.seconds for o in outcomes)
    jobs = settings.jobs or os.cpu_count() or 1
    print(f"  judge time summed over notebooks: {judged:.1f} s (about {judged / jobs:.1f} s of wall clock with "
          f"{jobs} at once); the rest is nbgrader's autograde and feedback, one student at a time")
    not_graded = [o for o in outcomes if not o.graded]
    if not_graded:
        print(f"  {len(not_graded)} not graded: " + "; ".join(o.error for o in not_graded[:5]))
    return 0 if not not_graded else 1


if __name__ == "__main__":
    sys.exit(main())
