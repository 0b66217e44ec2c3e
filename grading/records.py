"""The records that cross a process boundary, typed: what the judge returns and what the grader keeps.

A judge result travels from the judge process to the grading command or nbgrader's autograde (a JSON
file), from a cluster worker to the instructor's machine, and into the on-disk cache (`grading.cache`).
Each record here is a dataclass with an explicit `to_json` (plain JSON values) and `from_json`, which
checks every field it reads and raises `RecordError` naming the field: a damaged cache entry or a
worker of another grader version is refused in plain words instead of failing later with a `KeyError`.
A field these classes do not name (one a newer judge adds) is kept as it is, in `extra`, and written
back by `to_json`, so that nothing the judge said is lost on the way.

- `Finding`: one thing the tamper scan or the judge saw a submission try (`cell`, `line`, `what`, `how`);
- `TestVerdict`: one graded test cell's outcome;
- `CellResult`: one code cell's status and the outputs shown in feedback;
- `JudgeResult`: a whole notebook: cells, tests, findings, sandbox, notes, seconds, and `review`, the
  plain-words reasons the notebook must be looked at by the instructor (each becomes a
  needs-manual-grade flag and a line of the report);
- `Issue`: something wrong with a submission's structure (`grading.plan.Issue`'s fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


class RecordError(ValueError):
    """A record read from another process or from disk is not what it should be."""


def _field(data: dict, name: str, kinds: tuple, record: str, default=None, required: bool = False):
    if name not in data or data[name] is None:
        if required:
            raise RecordError(f"{record}: the field {name!r} is missing")
        return default
    value = data[name]
    if isinstance(value, bool) and bool not in kinds:
        raise RecordError(f"{record}: {name!r} must be {' or '.join(k.__name__ for k in kinds)}, not a bool")
    if not isinstance(value, kinds):
        raise RecordError(
            f"{record}: {name!r} must be {' or '.join(k.__name__ for k in kinds)}, not {type(value).__name__}"
        )
    return value


def _number(value) -> Optional[float]:
    return None if value is None else float(value)


def _mapping(data, record: str) -> dict:
    if not isinstance(data, dict):
        raise RecordError(f"{record}: expected a JSON object, not {type(data).__name__}")
    return data


def _extra(data: dict, cls) -> dict:
    known = set(cls.__dataclass_fields__) - {"extra"}
    return {k: v for k, v in data.items() if k not in known}


def _strings(data: dict, name: str, record: str) -> list:
    values = _field(data, name, (list,), record, default=[])
    if not all(isinstance(v, str) for v in values):
        raise RecordError(f"{record}: every item of {name!r} must be a string")
    return list(values)


@dataclass
class Issue:
    """Something wrong with a submission's structure; `message` is for the student and the instructor, and
    `said` is that message in each language of the course (`grading.messages`), for the student's grading
    notes (an issue only the instructor sees has none)."""

    code: str
    message: str
    severity: str = "warning"  # info | warning | error
    said: dict = field(default_factory=dict)  # {language: message}

    def to_json(self) -> dict:
        data = {"code": self.code, "message": self.message, "severity": self.severity}
        if self.said:
            data["said"] = dict(self.said)
        return data

    @classmethod
    def from_json(cls, data) -> "Issue":
        data = _mapping(data, "issue")
        said = _field(data, "said", (dict,), "issue", default={})
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in said.items()):
            raise RecordError("issue: 'said' must map languages to text")
        return cls(
            _field(data, "code", (str,), "issue", required=True),
            _field(data, "message", (str,), "issue", required=True),
            _field(data, "severity", (str,), "issue", default="warning"),
            dict(said),
        )


@dataclass
class Finding:
    """Something a submission tried (the scan's or the judge's), for the report: never for the grade."""

    cell: str
    what: str
    how: str
    line: int = 0

    def to_json(self) -> dict:
        return {"cell": self.cell, "line": self.line, "what": self.what, "how": self.how}

    @classmethod
    def from_json(cls, data) -> "Finding":
        data = _mapping(data, "finding")
        cell = _field(data, "cell", (str, int), "finding", default="")
        return cls(
            str(cell),
            _field(data, "what", (str,), "finding", required=True),
            _field(data, "how", (str,), "finding", default=""),
            _field(data, "line", (int,), "finding", default=0),
        )


@dataclass
class TestVerdict:
    """One graded test cell: passed or not, the student's message, and what only the instructor sees."""

    __test__ = False  # a record, not a pytest test class

    passed: bool
    points: float = 0.0
    exercise: Optional[str] = None
    message: str = ""
    kind: str = "passed"  # passed | visible | hidden | timeout | crashed | missing | error
    seconds: float = 0.0
    detail: str = ""  # instructor only
    score: Optional[float] = None  # points earned when only some named checks passed
    failed_checks: list = field(default_factory=list)  # the failed named checks of a cell with parts
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data = {
            **self.extra,
            "exercise": self.exercise,
            "points": self.points,
            "passed": self.passed,
            "message": self.message,
            "kind": self.kind,
            "seconds": self.seconds,
        }
        if self.detail:
            data["detail"] = self.detail
        if self.score is not None:
            data["score"] = self.score
        if self.failed_checks:
            data["failed_checks"] = self.failed_checks
        return data

    @classmethod
    def from_json(cls, data) -> "TestVerdict":
        data = _mapping(data, "test verdict")
        name = "test verdict"
        return cls(
            passed=_field(data, "passed", (bool,), name, required=True),
            points=float(_field(data, "points", (int, float), name, default=0.0)),
            exercise=_field(data, "exercise", (str,), name),
            message=_field(data, "message", (str,), name, default=""),
            kind=_field(data, "kind", (str,), name, default="passed"),
            seconds=float(_field(data, "seconds", (int, float), name, default=0.0)),
            detail=_field(data, "detail", (str,), name, default=""),
            score=_number(_field(data, "score", (int, float), name)),
            failed_checks=list(_field(data, "failed_checks", (list,), name, default=[])),
            extra=_extra(data, cls),
        )


@dataclass
class CellResult:
    """One code cell as the judge ran it: its status and the outputs the feedback shows."""

    status: str  # ok | error | timeout | crashed | exited | skipped | passed | failed ...
    outputs: list = field(default_factory=list)
    seconds: Optional[float] = None
    reason: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data = {**self.extra, "status": self.status, "outputs": self.outputs}
        if self.seconds is not None:
            data["seconds"] = self.seconds
        if self.reason:
            data["reason"] = self.reason
        return data

    @classmethod
    def from_json(cls, data) -> "CellResult":
        data = _mapping(data, "cell result")
        outputs = _field(data, "outputs", (list,), "cell result", default=[])
        if not all(isinstance(o, dict) and isinstance(o.get("output_type"), str) for o in outputs):
            raise RecordError("cell result: every output must be an object with an 'output_type'")
        seconds = _field(data, "seconds", (int, float), "cell result")
        return cls(
            _field(data, "status", (str,), "cell result", required=True),
            list(outputs),
            _number(seconds),
            _field(data, "reason", (str,), "cell result", default=""),
            _extra(data, cls),
        )


@dataclass
class JudgeResult:
    """A whole notebook as the judge graded it (or `judge_error`: the grader failed, nothing is graded)."""

    cells: dict = field(default_factory=dict)  # {cell index as str: CellResult}
    tests: dict = field(default_factory=dict)  # {grade_id: TestVerdict}
    tampering: list = field(default_factory=list)  # [Finding]
    sandbox: dict = field(default_factory=dict)  # the protections in force (grading.sandbox.require)
    notes: list = field(default_factory=list)  # [str] the grader's notes for the student
    seconds: float = 0.0
    review: list = field(default_factory=list)  # [str] why the instructor must look at this notebook
    judge_error: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data = {
            **self.extra,
            "cells": {k: c.to_json() for k, c in self.cells.items()},
            "tests": {k: t.to_json() for k, t in self.tests.items()},
            "tampering": [f.to_json() for f in self.tampering],
            "sandbox": self.sandbox,
            "notes": list(self.notes),
            "seconds": self.seconds,
            "review": list(self.review),
        }
        if self.judge_error:
            data["judge_error"] = self.judge_error
        return data

    @classmethod
    def from_json(cls, data) -> "JudgeResult":
        data = _mapping(data, "judge result")
        name = "judge result"
        cells = _field(data, "cells", (dict,), name, default={})
        tests = _field(data, "tests", (dict,), name, default={})
        return cls(
            cells={str(k): CellResult.from_json(v) for k, v in cells.items()},
            tests={str(k): TestVerdict.from_json(v) for k, v in tests.items()},
            tampering=[Finding.from_json(f) for f in _field(data, "tampering", (list,), name, default=[])],
            sandbox=_field(data, "sandbox", (dict,), name, default={}),
            notes=_strings(data, "notes", name),
            seconds=float(_field(data, "seconds", (int, float), name, default=0.0)),
            review=_strings(data, "review", name),
            judge_error=_field(data, "judge_error", (str,), name, default=""),
            extra=_extra(data, cls),
        )

    @classmethod
    def failure(cls, message: str) -> "JudgeResult":
        """The grader itself failed on this notebook: nothing in it may be taken for a grade."""
        return cls(judge_error=message)
