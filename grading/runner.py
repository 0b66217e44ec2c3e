"""Run one grading job in a judge process, from the grading command or from nbgrader's autograde.

`run_job` gives the judge a private working folder (a copy of the assignment's other files, such as
data files, and the submission's own extra files), waits for it with a time limit of its own, and
returns its result; if even the judge fails, the result says so and grades nothing, so that a grader
fault is never mistaken for a student's zero.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parent.parent
JUDGE_MARGIN = 120.0   # seconds the judge may take beyond the notebook's own limit (start-up, clean-up)
SKIP_FILES = {".ipynb_checkpoints", "__pycache__", "timestamp.txt"}


def _copy_files(source: Path, dest: Path) -> None:
    """Copy a folder's files except notebooks (the submission's notebook is run, not read, by the student)."""
    if not source.is_dir():
        return
    for path in source.rglob("*"):
        parts = set(path.relative_to(source).parts)
        if parts & SKIP_FILES or path.suffix == ".ipynb" or not path.is_file() or path.is_symlink():
            continue
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def judge_environment(threads: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(max(threads, 1))
    env.setdefault("MPLBACKEND", "agg")
    return env


def judge_failure(message: str, job: dict) -> dict:
    return {"judge_error": message, "cells": {}, "tests": {}, "tampering": [], "sandbox": {}, "notes": [],
            "seconds": 0.0}


def run_job(job: dict, file_folders: Iterable[Path] = (), python: Optional[str] = None) -> dict:
    """Grade one notebook: the judge's result, or `{"judge_error": ...}` when the judge itself failed."""
    limits = job["limits"]
    with tempfile.TemporaryDirectory(prefix="dl-grading-") as scratch:
        scratch_path = Path(scratch)
        workdir = scratch_path / "work"
        workdir.mkdir()
        for folder in file_folders:
            _copy_files(Path(folder), workdir)
        job = dict(job, workdir=str(workdir))
        job_path, result_path = scratch_path / "job.json", scratch_path / "result.json"
        job_path.write_text(json.dumps(job))
        threads = int(limits.get("threads") or 0) or os.cpu_count() or 1
        start = time.monotonic()
        try:
            completed = subprocess.run([python or sys.executable, "-m", "grading.judge", str(job_path),
                                        str(result_path)], cwd=str(ROOT), env=judge_environment(threads),
                                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                       timeout=float(limits["notebook_timeout"]) + JUDGE_MARGIN)
        except subprocess.TimeoutExpired:
            return judge_failure("the judge did not finish in time", job)
        if completed.returncode != 0 or not result_path.exists():
            tail = (completed.stderr or completed.stdout or "").strip().splitlines()[-12:]
            return judge_failure("the judge failed: " + "\n".join(tail), job)
        result = json.loads(result_path.read_text())
        result.setdefault("seconds", time.monotonic() - start)
        return result
