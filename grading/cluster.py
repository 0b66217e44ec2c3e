"""Judging on a Dask cluster, for a class one machine cannot grade in time.

    python3 course.py grade SUBMISSIONS --cluster tcp://HOST:8786

Only the judging moves: each notebook's job (`grading.cache.JudgeJob`: the rebuilt notebook with the
submission's answers and the gradebook's tests, the submission's and the assignment's files by content,
the limits, the grader version) is sent as JSON text to a worker, which runs the same judge and the same
sandbox as this machine would (`judge_on_worker`) and sends the result back as JSON text.  The gradebook,
the cache, feedback and reports are written on the instructor's machine only; workers need no access to
the course folder, and keep nothing.

A worker refuses a job (`WorkerRefused`, shown in the report for that notebook, which is then not graded)
when its sandbox cannot start (`grading.sandbox.require`, the same check as a local run), or when its
grader is not the instructor's version (its results could differ).  Workers run from an install of this
repository with `requirements-grading.txt` (GRADING.md shows how, on Kubernetes or a batch cluster).
"""

from __future__ import annotations

import json
import socket

from . import cache, sandbox
from .records import JudgeResult, RecordError

CONNECT_TIMEOUT = "60s"  # how long the instructor's machine waits to reach the scheduler


class WorkerRefused(RuntimeError):
    """A worker cannot judge as the instructor's machine would (no sandbox, another grader version)."""


def judge_on_worker(job_text: str) -> str:
    """Run on a worker: one judge job (JSON text) -> its result (JSON text); refuses what it cannot judge
    faithfully."""
    job = cache.JudgeJob.from_json(json.loads(job_text))
    host = socket.gethostname()
    try:
        sandbox.require(job.job["limits"].get("sandbox", "bwrap"))
    except sandbox.SandboxUnavailable as refusal:
        raise WorkerRefused(f"worker {host} refused the job: its grading sandbox cannot start ({refusal})") from None
    version = cache.grader_version()
    if job.grader != version:
        raise WorkerRefused(
            f"worker {host} refused the job: its grader (version {version[:12]}) is not the "
            f"instructor's ({job.grader[:12]}); install the same commit of the course on every "
            "worker"
        )
    return json.dumps(cache.run_locally(job).to_json())


def result_of(future) -> JudgeResult:
    """A finished future's result; a refusal or a failure of the cluster is a judge error (nothing graded)."""
    try:
        return JudgeResult.from_json(json.loads(future.result()))
    except WorkerRefused as refusal:
        return JudgeResult.failure(str(refusal))
    except RecordError as error:
        return JudgeResult.failure(f"the worker's result could not be read: {error}")
    except Exception as error:  # a worker lost, a connection cut: that notebook is not graded, the others are
        return JudgeResult.failure(f"the cluster could not judge this notebook: {type(error).__name__}: {error}")


def cluster_judge(address: str):
    """`judge(list of JudgeJob)` yielding `(index, JudgeResult)` as the cluster at `address` finishes each."""

    def judge(pending: list):
        if not pending:
            return
        from distributed import Client, as_completed

        with Client(address, timeout=CONNECT_TIMEOUT) as client:
            futures = {
                client.submit(judge_on_worker, json.dumps(job.to_json()), key=f"judge-{job.key()}", retries=0): index
                for index, job in enumerate(pending)
            }
            for future in as_completed(futures):
                yield futures[future], result_of(future)

    return judge
