"""The same class graded both ways: plain nbgrader against the course's grader, in one run.

    python3 course.py benchmark grading [--students 30] [--assignments 02_activations 03_losses] [--jobs N]

Writes one made-up class of `--students` students, each submitting every chosen assignment: mostly
right answers (the reference solutions), a wrong answer here and there (a plausible mistake from
`tests/answers/`), an unanswered exercise here and there (the stub left in), and one endless loop per 30
students (student 15 of each 30, in the assignment's first exercise).  Then, on the same machine in
the same run, one assignment after the other:

- **plain**: a temporary course with nbgrader 0.9.6 as it comes (`autograde` with nbgrader's own
  `Execute`, one kernel per notebook, one notebook at a time) and none of `grading/`, then
  `generate_feedback`.  Its cell time limits are the course grader's own (each cell's limit from the
  reference's measured cost, `grading.limits.validate_timeout`), or `--plain-timeout S` for every cell;
- **course**: `course.py grade`'s engine (`grading.classroom.grade_class`: judges `--jobs` at a time, then
  nbgrader's autograde and feedback), under its default limits.

Each way starts from a gradebook that already holds the assignments (`generate_assignment` is not
timed).  Prints one JSON line: seconds per submitted notebook each way (wall clock, feedback included),
their ratio (course / plain), the same per assignment, the mean judge time per notebook, how many
notebooks got a different score each way, and the effect of sharing the cores' BLAS threads among the
judges (`--threads-students` students of `--threads-assignment`, notebook 04 by default, graded twice by
the course's grader: BLAS threads per process = cores // jobs, and every process with all the cores'
threads).

30 students of notebooks 02 and 03, with 4 students of 02 for the threads' effect, took 23 minutes on a
quiet 2-core machine (2026-12-02; GRADING.md quotes the figures); with one student of 02 and today's
threads' default (4 students of notebook 04) it took 3.3 to 3.7 minutes there.  Notebook 04 trains the MNIST
network twice per submission (about half a minute of judge time each), so add it to `--assignments` only
with fewer students.  Run it on a quiet machine: the cores are shared with whatever else runs.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import answers  # noqa: E402
import grading_fixtures as fixtures  # noqa: E402
from grading import classroom, limits  # noqa: E402
from tools.notebooks import subprocess_env  # noqa: E402

DEFAULT_ASSIGNMENTS = ("02_activations", "03_losses")
THREADS_ASSIGNMENT = "04_mnist_mlp"  # trains a network: where BLAS threads matter
# 2 students showed no effect (15.4 s a notebook shared, 14.3 s not; the second one's train_mlp is a wrong
# answer, so the two notebooks do not train alike), 4 showed it (13.1 s against 25.8 s): GRADING.md.
THREADS_STUDENTS = 4
COURSE_ID = "dl-foundations"
LOOP_STUDENT = 15  # of every 30 students, this one's first exercise never returns
ENDLESS = "def {name}(*args, **kwargs):\n    while True:\n        pass\n"
PLAIN_CONFIG = """import sys
sys.path.insert(0, {root!r})
from grading import limits

c = get_config()
c.CourseDirectory.root = {course!r}
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = "sqlite:///{course}/gradebook.db"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*" + limits.COSTS_SUFFIX]
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
c.Execute.timeout = {timeout!r}
c.Execute.timeout_func = {timeout_func}
"""


# --- the class -------------------------------------------------------------------------------------


def wrong_answer(assignment: str, name: str, turn: int) -> str:
    """One of the plausible mistakes `tests/answers/` holds for `name`, renamed to the exercise (or, for
    an exercise it has none for, the reference with its result a little off)."""
    answers.load_all()
    mistakes = answers.WRONG.get(name)
    if not mistakes:
        return fixtures.wrong_answer(name, fixtures.references(assignment)[name])
    mistake = mistakes[turn % len(mistakes)]
    source = inspect.getsource(mistake)
    source = re.sub(rf"^def {mistake.__name__}\(", f"def {name}(", source, flags=re.M)
    return "import math\nimport warnings\n\nimport numpy as np\n\n\n" + source


def answers_of(assignment: str, student: int) -> dict:
    """Student `student`'s answers: `{exercise: source}`, None for the stub; the rest right."""
    chosen = {}
    for position, name in enumerate(fixtures.exercises(assignment)):
        turn = (student + 3 * position) % 11
        if position == 0 and student % 30 == LOOP_STUDENT:
            chosen[name] = ENDLESS.format(name=name)
        elif turn == 0:
            chosen[name] = wrong_answer(assignment, name, student)
        elif turn == 1:
            chosen[name] = None
    return chosen


def write_class(folder: Path, students: int, assignments: list) -> list:
    """`<student>/<assignment>/<notebook>.ipynb` for every student and assignment; returns the students."""
    names = [f"student{number:02d}" for number in range(students)]
    for number, student in enumerate(names):
        for assignment in assignments:
            _, released = fixtures.notebook_path(assignment)
            target = folder / student / assignment / released.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nb = fixtures.filled(assignment, "right", overrides=answers_of(assignment, number))
            target.write_bytes(fixtures.to_bytes(nb))
    return names


# --- plain nbgrader --------------------------------------------------------------------------------


def nbgrader(course: Path, *args: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=subprocess_env(), capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{(completed.stdout + completed.stderr)[-3000:]}")


def plain_course(scratch: Path, assignments: list, timeout) -> Path:
    """A course of plain nbgrader, its assignments already in the gradebook."""
    course = scratch / "plain"
    course.mkdir()
    timeout_func = "None" if timeout else "limits.validate_timeout"
    (course / "nbgrader_config.py").write_text(
        PLAIN_CONFIG.format(
            root=str(ROOT),
            course=str(course),
            course_id=COURSE_ID,
            timeout=float(timeout or limits.DEFAULTS.cell_timeout),
            timeout_func=timeout_func,
        )
    )
    shutil.copytree(ROOT / "solutions", course / "source")
    for assignment in assignments:
        nbgrader(course, "generate_assignment", assignment, "--force")
    return course


def grade_plain(course: Path, incoming: Path, assignment: str, feedback: bool) -> float:
    """Seconds plain nbgrader takes to autograde (and give feedback on) one assignment for the class."""
    for folder in sorted(incoming.glob(f"*/{assignment}")):
        shutil.copytree(folder, course / "submitted" / folder.parent.name / assignment)
    start = time.monotonic()
    nbgrader(course, "autograde", assignment, "--force")
    if feedback:
        nbgrader(course, "generate_feedback", assignment, "--force")
    return time.monotonic() - start


# --- the course's grader ---------------------------------------------------------------------------


def course_settings(course: Path, jobs: int, feedback: bool, threads: int = 0) -> classroom.Settings:
    return classroom.Settings(
        course_root=course,
        db_url=f"sqlite:///{course / 'gradebook.db'}",
        limits=limits.Limits(threads=threads),
        jobs=jobs,
        feedback=feedback,
        quiet=True,
    )


def graders_course(scratch: Path, name: str, assignments: list, jobs: int, feedback: bool) -> Path:
    """A course for the course's grader, its assignments already in the gradebook."""
    course = scratch / name
    course.mkdir()
    api = classroom.nbgrader_api(classroom.nbgrader_config(course_settings(course, jobs, feedback)))
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        failed = classroom.ensure_assignments(api, assignments, lambda message: None)
    if failed:
        raise RuntimeError(f"generate_assignment failed: {failed}")
    return course


def grade_course(course: Path, incoming: Path, assignment: str, jobs: int, feedback: bool, threads: int = 0) -> tuple:
    """`(seconds, judge seconds per notebook)` of `course.py grade`'s engine on one assignment."""
    start = time.monotonic()
    summary = classroom.grade_class(incoming, course_settings(course, jobs, feedback, threads), assignment)
    seconds = time.monotonic() - start
    outcomes = summary["outcomes"]
    missed = [f"{o.submission.student}: {o.error}" for o in outcomes if not o.graded]
    if missed:
        raise RuntimeError(f"{assignment}: not graded by the course's grader: {'; '.join(missed[:3])}")
    return seconds, [o.seconds for o in outcomes]


# --- comparing -------------------------------------------------------------------------------------


def scores(course: Path, assignment: str, students: list) -> dict:
    """`{student: score}` in a course's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for student in students:
            try:
                found[student] = round(gradebook.find_submission(assignment, student).score, 6)
            except MissingEntry:
                found[student] = None
    return found


def threads_effect(scratch: Path, assignment: str, students: int, jobs: int) -> dict:
    """The course's grader on a few students of `assignment`, with the cores' BLAS threads shared and not.

    The students are the first of the class's pattern (right answers, a wrong one or a stub here and there).
    Each setting grades in a fresh course of its own: in the same course the second would take every result from
    the judge cache (whose key leaves the thread count out), and measure nothing."""
    if students <= 0:
        return {}
    small = scratch / "incoming-threads"
    write_class(small, students, [assignment])
    cores = os.cpu_count() or 1
    effect = {"students": students, "assignment": assignment}
    for label, threads in (("shared", limits.blas_threads(jobs)), ("not_shared", cores)):
        course = graders_course(scratch, f"course-threads-{label}", [assignment], jobs, False)
        seconds, _ = grade_course(course, small, assignment, jobs, False, threads)
        effect[label] = {"blas_threads": threads, "seconds_per_notebook": round(seconds / students, 3)}
    return effect


def run(
    students: int,
    assignments: list,
    jobs: int,
    feedback: bool,
    plain_timeout,
    threads_students: int,
    threads_assignment: str = THREADS_ASSIGNMENT,
) -> dict:
    jobs = jobs or os.cpu_count() or 1
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")  # alembic
    with tempfile.TemporaryDirectory(prefix="grading-benchmark-") as name:
        scratch = Path(name)
        incoming = scratch / "incoming"
        names = write_class(incoming, students, assignments)
        plain = plain_course(scratch, assignments, plain_timeout)
        course = graders_course(scratch, "course", assignments, jobs, feedback)
        per_assignment, differing = {}, 0
        for assignment in assignments:
            plain_seconds = grade_plain(plain, incoming, assignment, feedback)
            course_seconds, judged = grade_course(course, incoming, assignment, jobs, feedback)
            plain_scores, course_scores = scores(plain, assignment, names), scores(course, assignment, names)
            differing += sum(plain_scores[s] != course_scores[s] for s in names)
            per_assignment[assignment] = {
                "plain_seconds_per_notebook": round(plain_seconds / students, 3),
                "course_seconds_per_notebook": round(course_seconds / students, 3),
                "ratio": round(course_seconds / plain_seconds, 3),
                "judge_seconds_per_notebook": round(statistics.mean(judged), 3),
            }
        effect = threads_effect(scratch, threads_assignment, threads_students, jobs)
    notebooks = students * len(assignments)
    plain_total = sum(a["plain_seconds_per_notebook"] for a in per_assignment.values()) * students
    course_total = sum(a["course_seconds_per_notebook"] for a in per_assignment.values()) * students
    return {
        "students": students,
        "assignments": assignments,
        "notebooks": notebooks,
        "cores": os.cpu_count(),
        "jobs": jobs,
        "feedback": feedback,
        "plain_timeouts": f"{plain_timeout:g} s every cell"
        if plain_timeout
        else "each cell's limit from the reference's measured cost (the course grader's)",
        "course_timeouts": "each cell's limit from the reference's measured cost (grading/limits.py)",
        "plain_seconds_per_notebook": round(plain_total / notebooks, 3),
        "course_seconds_per_notebook": round(course_total / notebooks, 3),
        "ratio": round(course_total / plain_total, 3),
        "per_assignment": per_assignment,
        "notebooks_scored_differently": differing,
        "threads": effect,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="course.py benchmark grading", description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--assignments", nargs="+", default=list(DEFAULT_ASSIGNMENTS))
    parser.add_argument("--jobs", type=int, default=0, help="notebooks judged at once (default: the cores)")
    parser.add_argument(
        "--plain-timeout",
        type=float,
        default=None,
        help="plain nbgrader's Execute.timeout for every cell (default: the grader's per-cell limits)",
    )
    parser.add_argument(
        "--threads-students",
        type=int,
        default=THREADS_STUDENTS,
        help="students graded twice for the effect of sharing BLAS threads (0: skip)",
    )
    parser.add_argument(
        "--threads-assignment",
        default=THREADS_ASSIGNMENT,
        help=f"the assignment they submit (default: {THREADS_ASSIGNMENT}, which trains a network; "
        "02 and 03 do too little linear algebra to show an effect)",
    )
    parser.add_argument("--no-feedback", action="store_true", help="neither way generates feedback")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")
    unknown = [a for a in [*args.assignments, args.threads_assignment] if not (ROOT / "solutions" / a).is_dir()]
    if unknown:
        parser.error(f"unknown assignments: {', '.join(unknown)}")
    result = run(
        args.students,
        args.assignments,
        args.jobs,
        not args.no_feedback,
        args.plain_timeout,
        args.threads_students,
        args.threads_assignment,
    )
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
