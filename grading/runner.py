"""Run one grading job in a judge process, from the grading command or from nbgrader's autograde.

`run_job` gives the judge a private copy of the assignment's other files (data files) and of the
submission's own extra files, as regular files (symbolic links are refused and reported), waits for it
with a time limit of its own, and returns its result; if even the judge fails, the result says so and
grades nothing, so that a grader fault is never mistaken for a student's zero.
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

from . import messages, sandbox
from .limits import blas_environment

ROOT = Path(__file__).resolve().parent.parent
JUDGE_MARGIN = 120.0  # seconds the judge may take beyond the notebook's own limit (start-up, clean-up)
SKIP_FILES = {".ipynb_checkpoints", "__pycache__", "timestamp.txt"}


def copy_files(source: Path, dest: Path, notebooks: bool = False) -> list:
    """Copy a folder's files (except notebooks, unless `notebooks`: the submission's notebook is run, not
    read, by the student) as regular files; returns what was refused: `[{cell, line, what, how}]` findings
    for the report.

    A symbolic link is never followed (it may point at `solutions/`, the gradebook or a classmate's
    work), nor is anything that is not a regular file.
    """
    refused = []
    if not source.is_dir() or source.is_symlink():
        return refused
    for folder, dirs, files in os.walk(source):
        base = Path(folder)
        for name in sorted(dirs + files):
            path = base / name
            relative = path.relative_to(source)
            if set(relative.parts) & SKIP_FILES:
                continue
            if path.is_symlink():
                refused.append(
                    {
                        "cell": "submitted files",
                        "line": 0,
                        "how": "refused by the grader",
                        "what": f"a symbolic link {str(relative)[:200]!r} (not followed, not copied)",
                    }
                )
                if name in dirs:
                    dirs.remove(name)
                continue
            if name in dirs or (path.suffix == ".ipynb" and not notebooks):
                continue
            if not path.is_file():
                refused.append(
                    {
                        "cell": "submitted files",
                        "line": 0,
                        "how": "refused by the grader",
                        "what": f"{str(relative)[:200]!r} is not a regular file (not copied)",
                    }
                )
                continue
            target = dest / relative  # a later folder's file (the assignment's own) replaces an earlier one's
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_dir():
                shutil.copyfile(path, target, follow_symlinks=False)
    return refused


def judge_environment(threads: int, language: str) -> dict:
    """The judge process's environment: this one's, with the course's packages importable, the BLAS threads
    and the job's language (for the check messages, `checks.i18n`, and the grader's, `grading.messages`)."""
    env = dict(os.environ)
    env[messages.LANGUAGE_VARIABLE] = language
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(blas_environment(threads))
    env.setdefault("MPLBACKEND", "agg")
    return env


def judge_failure(message: str) -> dict:
    return {
        "judge_error": message,
        "cells": {},
        "tests": {},
        "tampering": [],
        "sandbox": {},
        "notes": [],
        "seconds": 0.0,
    }


def run_job(job: dict, file_folders: Iterable[Path] = (), python: Optional[str] = None) -> dict:
    """Grade one notebook: the judge's result, or `{"judge_error": ...}` when the judge itself failed."""
    limits = job["limits"]
    language = messages.checked(job.get("language", messages.ENGLISH))
    sandbox.require(limits.get("sandbox", "bwrap"))  # SandboxUnavailable: refuse before anything runs
    with tempfile.TemporaryDirectory(prefix="dl-grading-") as scratch:
        scratch_path = Path(scratch)
        files = scratch_path / "files"  # the judge's own copy: the student process sees it read-only
        files.mkdir()
        refused = []
        for folder in file_folders:
            refused += copy_files(Path(folder), files)
        job = dict(job, files=str(files), refused=list(job.get("refused", [])) + refused)
        job_path, result_path = scratch_path / "job.json", scratch_path / "result.json"
        job_path.write_text(json.dumps(job))
        threads = int(limits.get("threads") or 0) or os.cpu_count() or 1
        start = time.monotonic()
        try:
            completed = subprocess.run(
                [python or sys.executable, "-m", "grading.judge", str(job_path), str(result_path)],
                cwd=str(ROOT),
                env=judge_environment(threads, language),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=float(limits["notebook_timeout"]) + JUDGE_MARGIN,
            )
        except subprocess.TimeoutExpired:
            return judge_failure(messages.JUDGE_OUT_OF_TIME.text(language))
        if completed.returncode != 0 or not result_path.exists():
            tail = (completed.stderr or completed.stdout or "").strip().splitlines()[-12:]
            return judge_failure(messages.JUDGE_FAILED.text(language, detail="\n".join(tail)[-2000:]))
        result = json.loads(result_path.read_text())
        result.setdefault("seconds", time.monotonic() - start)
        return result
