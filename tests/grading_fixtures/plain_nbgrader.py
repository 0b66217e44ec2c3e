"""Grade the fixtures with a plain nbgrader setup, to see what each one does to it.

    .venv/bin/python tests/grading_fixtures/plain_nbgrader.py [FIXTURE ...] [--timeout S] [--out FILE]

"Plain" is nbgrader 0.9.6 as it comes, with this course's settings (`Execute.timeout`, the code stub)
and none of `grading/`: a temporary course whose `nbgrader_config.py` is only that.  Each fixture is a
student of its own, autograded by its own `nbgrader autograde --student` run, so that one fixture's
crash cannot hide another's effect.  A fixture that eats memory is run inside a 1 GiB memory cgroup
when the machine lets us make one (standing in for a machine it would exhaust).  Prints one line per
fixture: nbgrader's exit status, the seconds it took, and the points each exercise earned; writes the
details as JSON.  This is how the docstrings of tests/test_grading_fixtures.py were written; it is a
manual experiment, not part of the test suite (it takes minutes, and some fixtures kill nbgrader).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

import grading_fixtures  # noqa: E402
from tools.notebooks import subprocess_env  # noqa: E402

PLAIN_CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.course_id = "dl-foundations"
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.Execute.timeout = {timeout}
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
"""
CGROUP = Path("/sys/fs/cgroup/memory")


def nbgrader(course: Path, *args, cgroup: Path | None = None, timeout: float = 900):
    def enter_cgroup():
        if cgroup is not None:
            (cgroup / "cgroup.procs").write_text(str(os.getpid()))

    start = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=course,
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=enter_cgroup,
        )
        code, out = result.returncode, result.stdout + result.stderr
    except subprocess.TimeoutExpired as expired:
        code, out = "timeout", str(expired.stdout or "") + str(expired.stderr or "")
    return code, time.monotonic() - start, out


def memory_cgroup(limit: int) -> Path | None:
    if not CGROUP.is_dir():
        return None
    group = CGROUP / f"plain-nbgrader-{os.getpid()}"
    try:
        group.mkdir(exist_ok=True)
        (group / "memory.limit_in_bytes").write_text(str(limit))
        return group
    except OSError:
        return None


def scores(course: Path, student: str, assignment: str) -> dict:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course}/gradebook.db", "dl-foundations") as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return {}
        return {
            g.name: [g.score, g.max_score, bool(g.needs_manual_grade)] for n in submission.notebooks for g in n.grades
        }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("fixtures", nargs="*")
    parser.add_argument("--timeout", type=int, default=30, help="Execute.timeout (the course uses 600)")
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "plain_nbgrader.json"))
    args = parser.parse_args(argv)
    registry = grading_fixtures.load_all()
    names = args.fixtures or list(registry)
    course = Path(tempfile.mkdtemp(prefix="plain-nbgrader-"))
    (course / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(root=str(course), timeout=args.timeout))
    shutil.copytree(ROOT / "solutions", course / "source")
    for assignment in sorted({registry[n].assignment for n in names}):
        code, _, out = nbgrader(course, "generate_assignment", assignment, "--force")
        assert code == 0, out
    results = {}
    for name in names:
        fixture = registry[name]
        submitted = course / "submitted" / name / fixture.assignment
        submitted.mkdir(parents=True)
        _, released = grading_fixtures.notebook_path(fixture.assignment)
        (submitted / released.name).write_bytes(fixture.submission())
        group = memory_cgroup(1 << 30) if name == "memory_hog" else None
        code, seconds, out = nbgrader(
            course, "autograde", fixture.assignment, "--student", name, "--force", cgroup=group
        )
        if group is not None:
            try:
                group.rmdir()
            except OSError:
                pass
        earned = scores(course, name, fixture.assignment)
        lines = [line for line in out.splitlines() if "ERROR" in line or "WARNING" in line or "Error" in line]
        results[name] = {
            "exit": code,
            "seconds": round(seconds, 1),
            "scores": earned,
            "log": lines[-12:],
            "memory cgroup": group is not None,
        }
        points = (
            ", ".join(f"{k}: {v[0]:g}/{v[1]:g}{' (needs manual grade)' if v[2] else ''}" for k, v in earned.items())
            or "no grades recorded"
        )
        print(f"{name:22} exit {code!s:8} {seconds:6.1f} s  {points}", flush=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"details: {args.out}; course left in {course}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
