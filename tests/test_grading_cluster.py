"""Grading through a real Dask cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1.

The class (three students of notebook 02) is graded once on this machine and once through the cluster,
each in a course folder of its own; the gradebooks must hold exactly the same grades.  While the cluster
run goes, judging on the instructor's machine is made to fail, so every result must have come from the
workers.  Needs `distributed` (requirements-grading.txt); the test is skipped, saying so, without it.
"""

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

import grading_fixtures as fixtures
from grading import cache, classroom
from tools.notebooks import ROOT, subprocess_env

distributed = pytest.importorskip(
    "distributed", reason="distributed is not installed: pip install -r requirements-grading.txt"
)

CLASS = ["right_answers", "wrong_answers", "invalid_json"]
COURSE = "dl-foundations"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler():
    """The address of a scheduler with two workers; every process is killed at the end, whatever happened."""
    dask = dask_command()
    address = f"tcp://127.0.0.1:{free_port()}"
    env = dict(subprocess_env(), PYTHONPATH=str(ROOT))
    processes = []

    def start(*args):
        processes.append(
            subprocess.Popen(
                [dask, *args],
                cwd=str(ROOT),
                env=env,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    try:
        start("scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard")
        for name in ("worker-a", "worker-b"):
            start(
                "worker",
                address,
                "--name",
                name,
                "--nthreads",
                "1",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
                "--no-nanny",
                "--memory-limit",
                "0",
            )
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, 9)
            except ProcessLookupError:
                pass
            process.wait()


def dask_command():
    found = shutil.which("dask", path=os.path.dirname(sys.executable))
    if not found:
        pytest.skip("the `dask` command is not installed beside this Python")
    return found


def grades(course) -> dict:
    from nbgrader.api import Gradebook

    rows = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE) as gradebook:
        for student in gradebook.students:
            for submission in student.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        rows[(student.id, notebook.name, grade.name)] = (grade.score, bool(grade.needs_manual_grade))
    return rows


def grade(course, incoming, cluster=None):
    return classroom.grade_class(incoming, fixtures.class_settings(course, jobs=2, cluster=cluster))


def test_a_class_graded_through_the_cluster_gets_exactly_the_local_grades(scheduler, tmp_path, monkeypatch):
    """Fails if the cluster path loses or alters a result, or judges on the instructor's machine."""
    fixtures.write_class(tmp_path / "incoming", CLASS)
    start = time.monotonic()
    local = grade(tmp_path / "local", tmp_path / "incoming")
    local_seconds = time.monotonic() - start

    def no_local_judging(job):
        raise AssertionError("a job was judged on the instructor's machine")

    monkeypatch.setattr(cache, "run_locally", no_local_judging)  # in this process only; workers are apart
    start = time.monotonic()
    remote = grade(tmp_path / "cluster", tmp_path / "incoming", cluster=scheduler)
    print(f"local {local_seconds:.1f} s, through the cluster {time.monotonic() - start:.1f} s")
    assert remote["judged"] == local["judged"] == len(CLASS)
    assert all(o.graded for o in remote["outcomes"]), [o.error for o in remote["outcomes"]]
    assert remote["totals"] == local["totals"]
    assert local["totals"][("right_answers", "02_activations")] == (7.0, 7.0)
    assert grades(tmp_path / "cluster") == grades(tmp_path / "local")
    assert sorted(
        p.name for p in (tmp_path / "cluster" / "autograded" / ".grading" / "cache").glob("*/*.json")
    ) == sorted(p.name for p in (tmp_path / "local" / "autograded" / ".grading" / "cache").glob("*/*.json"))
