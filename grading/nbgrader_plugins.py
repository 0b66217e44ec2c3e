"""The grading design plugged into nbgrader, so that `nbgrader autograde` and `generate_feedback` use it.

`nbgrader_config.py` sets, for `Autograde`:

- `exporter_class = TolerantNotebookExporter`: a submission that is not valid JSON is graded as an
  empty notebook (zero, with a note saying why) instead of stopping nbgrader;
- `RebuildSubmission` first among the sanitize preprocessors: the notebook to grade is rebuilt from the
  instructor's source and the gradebook, with only the submission's answers (`grading.plan`);
- `SandboxedExecute` in place of nbgrader's `Execute`: the judge runs the tests apart from the student's
  code (`grading.judge`), or its result is taken from the on-disk cache (`grading.cache`, shared with
  `course.py grade`), and the test cells' outputs are filled in from its verdicts, so nbgrader's own
  `SaveAutoGrades`, gradebook, feedback and export work unchanged;
- `RecordGrading` right after `SaveAutoGrades`: the review flags (an unreadable notebook, the judge
  result's `review` reasons), the regrade's history and the instructor's record (`grading.history`);

and for `GenerateFeedback`, `HideHiddenTests`: the feedback shows each test cell without its hidden
block and each failure as its plain-words message, never a traceback.

What these write for the student speaks the course's language, `CourseLanguage.language` (the Korean
course's `ko/nbgrader_config.py` sets "ko"; `course.py grade --lang ko` does the same): the grader's own
sentences (`grading.messages`) and, through the judge's job, the check messages.

Every graded notebook also leaves an instructor's record, `autograded/.grading/<student>/<assignment>/
<notebook>.json` (outside what feedback copies): the structural issues, each test's verdict, what the
tamper scan found, which sandbox protections were active, the review reasons and the judge result's
cache key.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Optional

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.exporters.exporter import ResourcesDict
from traitlets import Bool, Float, Integer, Unicode, default, validate

from nbgrader.preprocessors import NbGraderPreprocessor

from . import cache, history, messages, plan, records, scan
from .limits import DEFAULTS
from .judge import split_segments
from .sandbox import SandboxUnavailable


class CourseLanguage(NbGraderPreprocessor):
    """A step that writes for the student, in the course's language (`c.CourseLanguage.language` sets it
    for all of them)."""

    language = Unicode(
        help="The language of what the grader writes for students ('en' or 'ko'); by default the "
        "DL_FOUNDATIONS_LANGUAGE of the environment (ko/nbgrader_config.py sets it), else English.",
    ).tag(config=True)

    @default("language")
    def _language_of_the_environment(self) -> str:
        return messages.process_language()

    @validate("language")
    def _a_language_the_grader_speaks(self, proposal) -> str:
        return messages.checked(proposal["value"])


class GraderError(RuntimeError):
    """The grader itself failed on a notebook: nothing is recorded for it (it is not the student's zero)."""


def _course_directory(preprocessor):
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=preprocessor.config)


def record_path(root: str, student: str, assignment: str, notebook: str) -> Path:
    return Path(root) / cache.GRADING_FOLDER / student / assignment / f"{notebook}.json"


def read_notebook(filename: str) -> tuple:
    """A submitted notebook as nbformat reads it, or as leniently as is safe: `(notebook, extra resources)`.

    The extra resources say what could not be read (`grading_issues`) and whether nothing could
    (`grading_unreadable`: the notebook returned is then empty).
    """
    with open(filename, "rb") as handle:
        raw = handle.read()
    try:
        notebook = nbformat.reads(raw.decode("utf-8-sig"), as_version=4)
        if not isinstance(notebook.get("cells"), list):
            raise ValueError("no cells")
        return notebook, {}
    except Exception:
        pass
    parsed, issues = plan.read_submission(raw)
    notebook = nbformat.v4.new_notebook()
    if parsed is not None:
        for cell in plan.submission_cells(parsed):
            maker = {
                "code": nbformat.v4.new_code_cell,
                "markdown": nbformat.v4.new_markdown_cell,
                "raw": nbformat.v4.new_raw_cell,
            }[cell["cell_type"]]
            new = maker(cell["source"])
            new.metadata = nbformat.from_dict(cell["metadata"])
            notebook.cells.append(new)
        notebook.metadata = nbformat.from_dict(parsed.get("metadata", {}))
    return notebook, {"grading_issues": [issue.to_json() for issue in issues], "grading_unreadable": parsed is None}


class TolerantNotebookExporter(NotebookExporter):
    """Reads a submitted notebook leniently; one that cannot be read at all becomes an empty notebook."""

    def from_filename(self, filename, resources=None, **kw):
        if resources is None:
            resources = ResourcesDict()
        if "metadata" not in resources or resources["metadata"] == "":
            resources["metadata"] = ResourcesDict()
        path, basename = os.path.split(filename)
        resources["metadata"]["name"] = os.path.splitext(basename)[0]
        resources["metadata"]["path"] = path
        modified = datetime.datetime.fromtimestamp(os.path.getmtime(filename), tz=datetime.timezone.utc)
        resources["metadata"]["modified_date"] = modified.strftime("%B %d, %Y")
        notebook, extra = read_notebook(filename)
        resources.update(extra)
        return self.from_notebook_node(notebook, resources, **kw)


def rebuild_for_grading(
    nb, extra: dict, source_root: Path, assignment: str, notebook: str, known: Optional[dict], language: str
) -> tuple:
    """`(rebuilt notebook, issues, source issues)` for a submission read by `read_notebook`, its grading notes
    in `language`."""
    source_cells, kernelspec, source_issues = plan.load_source(source_root / assignment / f"{notebook}.ipynb", known)
    submission = None if extra.get("grading_unreadable") else nb
    early = [plan.Issue(**records.Issue.from_json(i).to_json()) for i in extra.get("grading_issues", [])]
    rebuilt, issues = plan.rebuild(
        source_cells, kernelspec, submission, f"{notebook}.ipynb", catalogue(source_root), early, language
    )
    return rebuilt, issues, source_issues


class RebuildSubmission(CourseLanguage):
    """Sanitize step: the notebook to grade is the instructor's source with the submission's answers."""

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        coursedir = _course_directory(self)
        source_root = Path(coursedir.format_path(coursedir.source_directory, ".", "."))
        known = plan.gradebook_cells(ids["db_url"], coursedir.course_id, ids["assignment"], ids["notebook"])
        rebuilt, issues, source_issues = rebuild_for_grading(
            nb, resources, source_root, ids["assignment"], ids["notebook"], known, self.language
        )
        for issue in source_issues:
            self.log.warning("%s/%s: %s", ids["assignment"], ids["notebook"], issue.message)
        for issue in issues:
            self.log.warning("%s/%s/%s: %s", ids["student"], ids["assignment"], ids["notebook"], issue.message)
        rebuilt.metadata["dl_grading"] = {
            "issues": [i.to_json() for i in issues],
            "source_issues": [i.to_json() for i in source_issues],
        }
        return rebuilt, resources


_CATALOGUE: dict = {}


def catalogue(source_root: Path) -> dict:
    """`{"<assignment>/<notebook>.ipynb": grade_ids}` of every source notebook, to name a wrong file."""
    key = str(source_root)
    if key not in _CATALOGUE:
        found = {}
        for path in sorted(source_root.glob("*/*.ipynb")):
            try:
                notebook = nbformat.read(str(path), as_version=4)
            except Exception:
                continue
            found[f"{path.parent.name}/{path.name}"] = {
                plan.nbgrader_meta(c).get("grade_id") for c in notebook.cells
            } - {None}
        _CATALOGUE[key] = found
    return _CATALOGUE[key]


class SandboxedExecute(CourseLanguage):
    """Autograde step, in place of nbgrader's Execute: the judge grades, the test cells get its verdicts."""

    cell_timeout = Float(
        DEFAULTS.cell_timeout,
        help="Seconds one cell, or one test cell's calls into the student's "
        "code, may take before the grader stops it (with `fit`, the ceiling of each cell's own "
        "limit).",
    ).tag(config=True)
    notebook_timeout = Float(
        DEFAULTS.notebook_timeout, help="Cap on the seconds of a notebook's cells (0: the sum of their limits)."
    ).tag(config=True)
    memory_mb = Integer(DEFAULTS.memory_mb, help="Address space of the student's process, in MB.").tag(config=True)
    threads = Integer(DEFAULTS.threads, help="BLAS threads of the student's process (0: the machine's cores).").tag(
        config=True
    )
    fit = Bool(
        DEFAULTS.fit,
        help="Each cell's time limit from the reference solution's measured cost "
        "(grading/limits.py); False: `cell_timeout` for every cell.",
    ).tag(config=True)
    sandbox = Unicode(
        DEFAULTS.sandbox,
        help="'bwrap': run the student's code in a bubblewrap sandbox, and refuse to "
        "grade where none can start; 'off': grade without a sandbox (every record and feedback "
        "then says so).",
    ).tag(config=True)

    def limits(self) -> plan.Limits:
        return plan.Limits(
            cell_timeout=self.cell_timeout,
            notebook_timeout=self.notebook_timeout,
            memory_mb=self.memory_mb,
            threads=self.threads,
            sandbox=self.sandbox,
            fit=self.fit,
        )

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        coursedir = _course_directory(self)
        state = nb.metadata.pop("dl_grading", {}) or {}
        where = f"{ids['student']}/{ids['assignment']}/{ids['notebook']}"
        judge_job = cache.make_job(
            nb, self.limits(), submission_folders(coursedir, ids["student"], ids["assignment"]), self.language
        )
        try:
            result, _ = cache.JudgeCache.of_course(coursedir.root).judged(judge_job, about=where)
        except SandboxUnavailable as refusal:
            raise GraderError(str(refusal)) from None
        if result.judge_error:
            raise GraderError(f"{where}: {result.judge_error}")
        fill_outputs(nb, result.to_json(), self.language)
        if result.sandbox.get("note"):
            title, note = (m.text(self.language) for m in (messages.UNSANDBOXED_TITLE, messages.UNSANDBOXED_NOTE))
            nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"{title}\n\n{note}"))
        findings = scan.scan_notebook(nb) + [finding.to_json() for finding in result.tampering]
        record = {
            "student": ids["student"],
            "assignment": ids["assignment"],
            "notebook": ids["notebook"],
            "issues": state.get("issues", []),
            "source_issues": state.get("source_issues", []),
            "tests": {k: t.to_json() for k, t in result.tests.items()},
            "tampering": findings,
            "sandbox": result.sandbox,
            "notes": result.notes,
            "review": result.review,
            "seconds": result.seconds,
            "cells": {k: c.status for k, c in result.cells.items()},
            "limits": judge_job.job["limits"],
            "judge_key": judge_job.key(),
        }
        history.backup_once(ids["db_url"], Path(coursedir.root) / history.BACKUP_FOLDER)
        resources["grading_record"] = record
        resources["grading_before"] = history.notebook_grades(
            ids["db_url"], coursedir.course_id, ids["student"], ids["assignment"], ids["notebook"]
        )
        for finding in findings:
            self.log.warning("%s: possible tampering in %s: %s", where, finding["cell"], finding["what"])
        return nb, resources


def submission_folders(coursedir, student: str, assignment: str) -> list:
    """The folders whose files the judge gets, the same whoever grades: `submitted/<student>/<assignment>/`,
    then the assignment's source folder."""
    return cache.judge_folders(
        Path(coursedir.format_path(coursedir.submitted_directory, student, assignment)),
        Path(coursedir.format_path(coursedir.source_directory, ".", assignment)),
    )


class RecordGrading(NbGraderPreprocessor):
    """Autograde step after `SaveAutoGrades`: flags for review, the regrade's history, the instructor's record.

    The record is written last, once the gradebook holds this notebook's grades, so that a record on disk
    (with its `judge_key`) means the gradebook was updated from that judge result (`course.py grade` relies
    on it to skip notebooks already graded).
    """

    def preprocess(self, nb, resources):
        record = resources.get("grading_record")
        if not record:
            return nb, resources
        ids = resources["nbgrader"]
        coursedir = _course_directory(self)
        where = (ids["student"], ids["assignment"], ids["notebook"])
        reasons = history.review_reasons(record)
        if reasons:
            history.flag_for_review(ids["db_url"], coursedir.course_id, *where)
            for reason in reasons:
                self.log.warning("%s: marked for manual grading: %s", "/".join(where), reason)
        before = resources.get("grading_before") or {}
        after = history.notebook_grades(ids["db_url"], coursedir.course_id, *where)
        first = all(old[0] is None and old[1] is None for old in before.values())
        entry = {
            "time": history.stamp(),
            "judge_key": record["judge_key"],
            "first": first,
            "review": reasons,
            **history.compare(before, after),
        }
        history.record_regrade(coursedir.root, *where, entry)
        for cell, old, new, _ in entry["changed"]:
            self.log.warning("%s %s: autograde %s -> %s", "/".join(where), cell, old, new)
        for cell, manual, _ in entry["kept"]:
            self.log.warning("%s %s: the manual score %s was kept", "/".join(where), cell, manual)
        write_record(coursedir.root, record)
        return nb, resources


def fill_outputs(nb, result: dict, language: str) -> None:
    """Put the judge's outputs into the notebook; a test cell has an error output exactly when it failed
    (a test with no verdict says, in `language`, that it was not run)."""
    count = 0
    tests = result.get("tests", {})
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        entry = result.get("cells", {}).get(str(index), {"outputs": []})
        outputs = [nbformat.from_dict(o) for o in entry.get("outputs", [])]
        meta = plan.nbgrader_meta(cell)
        if meta.get("grade") and not meta.get("solution"):
            not_run = {"passed": False, "message": messages.TEST_NOT_RUN.text(language)}
            verdict = tests.get(meta.get("grade_id"), not_run)
            outputs = [o for o in outputs if o.output_type == "stream" and o.get("name") == "stdout"]
            if not verdict.get("passed") and verdict.get("score"):  # partial credit: the failures, then the points
                outputs.append(nbformat.v4.new_output("stream", name="stdout", text=verdict.get("message", "") + "\n"))
                outputs.append(
                    nbformat.v4.new_output(
                        "execute_result", data={"text/plain": f"{verdict['score']:g}"}, execution_count=count
                    )
                )
            elif not verdict.get("passed"):
                message = verdict.get("message") or messages.TEST_FAILED.text(language)
                outputs.append(
                    nbformat.v4.new_output(
                        "error", ename=_ename(entry) or "TestFailure", evalue=message, traceback=[message]
                    )
                )
        cell.outputs = outputs
        cell.execution_count = count


def _ename(entry: dict) -> str:
    for output in entry.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", "")
    return ""


def write_record(root: str, record: dict) -> Path:
    path = record_path(root, record["student"], record["assignment"], record["notebook"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, default=str))
    return path


class HideHiddenTests(CourseLanguage):
    """Feedback step: test cells lose their hidden blocks; errors show their message, no traceback."""

    def preprocess_cell(self, cell, resources, index):
        meta = plan.nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            parts, hidden = [], False
            for segment in split_segments(cell.source):
                if segment.hidden:
                    hidden = True
                else:
                    parts.append(segment.text.rstrip("\n"))
            if hidden:
                parts.append(messages.HIDDEN_TESTS_NOT_SHOWN.text(self.language))
            cell.source = "\n".join(p for p in parts if p.strip())
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
