"""Judge results kept on disk, so that grading a class again judges only what changed.

A result is stored under a key computed from everything that decides it:

- what the judge runs: the notebook rebuilt from the submission's answers and the gradebook's read-only
  and test cells (`grading.plan.job_for`), the limits, and the course packages the student may import;
- the course's language, which the messages of the result speak (`grading.messages`): a Korean course is
  never given an English course's result for the same answers, nor the other way round;
- the files the judge is given: the submission's own files and the assignment's data files, by content;
- the grader version: a digest of every file of `grading/`, `checks/`, `answer_key/` and
  `notebook_helpers/` (a changed test helper, reference or frozen value changes every key).

The number of BLAS threads is left out of the key: it is chosen per machine (`cores / jobs`) and differs
between `course.py grade`, plain `nbgrader autograde` and a cluster's workers, and no test's verdict
depends on it (every comparison has a tolerance).

The cache lives in `autograded/.grading/cache/` of the course (outside what `generate_feedback` copies to
students), one JSON file per result, written atomically (a temporary file renamed into place), so a run
killed at any moment leaves only whole entries.  `course.py grade` and `nbgrader autograde` (this
repository's `nbgrader_config.py`) build the same job for the same submission and share the cache.  A
judge error (the grader failed, not the student) is never stored: it is retried on the next run.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from . import messages, plan, runner
from .records import Finding, JudgeResult, RecordError

ROOT = Path(__file__).resolve().parent.parent
GRADING_FOLDER = Path("autograded") / ".grading"  # the instructor's records, under the course root
VERSIONED_FOLDERS = ("grading", "checks", "answer_key", "notebook_helpers")
KEY_FREE_LIMITS = ("threads",)  # limits that do not change a verdict, left out of the key


@functools.lru_cache(maxsize=None)
def grader_version(root: Path = ROOT) -> str:
    """A digest of the grader's own files: a change to any of them makes every earlier result stale."""
    digest = hashlib.sha256()
    for folder in VERSIONED_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class JudgeJob:
    """One notebook's judge job, self-contained: the judge's job, the files it is given (by content), what
    was refused while gathering them, and the grader version it was made for.  Plain JSON, so it can be
    sent to another machine (`grading.cluster`)."""

    job: dict
    files: dict = field(default_factory=dict)  # {relative path: bytes}
    refused: list = field(default_factory=list)  # [Finding]: symbolic links and other files not copied
    grader: str = ""

    def key(self) -> str:
        limits = {k: v for k, v in self.job["limits"].items() if k not in KEY_FREE_LIMITS}
        text = json.dumps(
            {
                "grader": self.grader,
                "cells": self.job["cells"],
                "limits": limits,
                "packages": self.job.get("course_packages"),
                "language": self.job["language"],
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in self.files.items()},
            },
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def to_json(self) -> dict:
        return {
            "job": self.job,
            "grader": self.grader,
            "refused": [f.to_json() for f in self.refused],
            "files": {name: base64.b64encode(data).decode("ascii") for name, data in self.files.items()},
        }

    @classmethod
    def from_json(cls, data) -> "JudgeJob":
        if not isinstance(data, dict) or not isinstance(data.get("job"), dict):
            raise RecordError("judge job: expected an object with a 'job'")
        job = data["job"]
        if not isinstance(job.get("cells"), list) or not isinstance(job.get("limits"), dict):
            raise RecordError("judge job: the job needs 'cells' (a list) and 'limits' (an object)")
        if job.get("language") not in messages.LANGUAGES:
            raise RecordError(f"judge job: 'language' must be one of {', '.join(messages.LANGUAGES)}")
        files = data.get("files", {})
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            raise RecordError("judge job: 'files' must map names to base64 text")
        for name in files:
            parts = Path(name).parts
            if Path(name).is_absolute() or ".." in parts or not parts:
                raise RecordError(f"judge job: the file name {name!r} is not a plain relative path")
        return cls(
            job=job,
            grader=str(data.get("grader", "")),
            refused=[Finding.from_json(f) for f in data.get("refused", [])],
            files={name: base64.b64decode(text) for name, text in files.items()},
        )

    def materialise(self, folder: Path) -> Path:
        """Write the job's files into `folder` (for the judge); returns it."""
        for name, data in self.files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return folder


def make_job(rebuilt_notebook, limits: plan.Limits, folders: Iterable[Path], language: str) -> JudgeJob:
    """The judge job of a rebuilt notebook in the course's `language`, with the files of `folders` (a later
    folder's file wins), gathered by the rules of `runner.copy_files` (regular files only; symbolic links
    refused and reported)."""
    job = plan.job_for(rebuilt_notebook, limits, language)
    refused, files = [], {}
    with tempfile.TemporaryDirectory(prefix="dl-grading-files-") as scratch:
        for folder in folders:
            refused += runner.copy_files(Path(folder), Path(scratch))
        for path in sorted(Path(scratch).rglob("*")):
            if path.is_file():
                files[str(path.relative_to(scratch))] = path.read_bytes()
    return JudgeJob(job=job, files=files, refused=[Finding.from_json(f) for f in refused], grader=grader_version())


def judge_folders(submitted_folder: Path, source_folder: Path) -> list:
    """The folders whose files a notebook's judge is given, in order: the submission's, then the assignment's."""
    return [Path(submitted_folder), Path(source_folder)]


def run_locally(judge_job: JudgeJob) -> JudgeResult:
    """Run one judge job on this machine (`runner.run_job`), with the job's own copy of its files."""
    with tempfile.TemporaryDirectory(prefix="dl-grading-job-") as scratch:
        job = dict(judge_job.job, refused=[f.to_json() for f in judge_job.refused])
        raw = runner.run_job(job, file_folders=[judge_job.materialise(Path(scratch))])
    try:
        return JudgeResult.from_json(raw)
    except RecordError as error:
        return JudgeResult.failure(f"the judge's result could not be read: {error}")


class JudgeCache:
    """Results on disk, one file per key (`<folder>/<key[:2]>/<key>.json`)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @classmethod
    def of_course(cls, course_root) -> "JudgeCache":
        return cls(Path(course_root) / GRADING_FOLDER / "cache")

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[JudgeResult]:
        """The stored result, or None (also for an entry that cannot be read: it is judged again)."""
        try:
            entry = json.loads(self.path(key).read_text())
            if entry.get("key") != key:
                return None
            return JudgeResult.from_json(entry["result"])
        except (OSError, ValueError, KeyError, AttributeError):  # RecordError is a ValueError
            return None

    def put(self, key: str, result: JudgeResult, about: str = "") -> None:
        """Store a result (never a judge error), atomically."""
        if result.judge_error:
            return
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-", suffix=".json")
        with os.fdopen(handle, "w") as stream:
            json.dump({"key": key, "about": about, "result": result.to_json()}, stream)
        os.replace(temporary, path)

    def judged(self, judge_job: JudgeJob, about: str = "", run=run_locally) -> tuple:
        """`(result, fresh)`: the stored result for this job, or a fresh one (`run(job)`), then stored."""
        key = judge_job.key()
        stored = self.get(key)
        if stored is not None:
            return stored, False
        result = run(judge_job)
        self.put(key, result, about)
        return result, True
