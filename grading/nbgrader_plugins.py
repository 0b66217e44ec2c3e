"""The grading design plugged into nbgrader, so that `nbgrader autograde` and `generate_feedback` use it.

`nbgrader_config.py` sets, for `Autograde`:

- `exporter_class = TolerantNotebookExporter`: a submission that is not valid JSON is graded as an
  empty notebook (zero, with a note saying why) instead of stopping nbgrader;
- `RebuildSubmission` first among the sanitize preprocessors: the notebook to grade is rebuilt from the
  instructor's source and the gradebook, with only the submission's answers (`grading.plan`);
- `SandboxedExecute` in place of nbgrader's `Execute`: the judge runs the tests apart from the student's
  code (`grading.judge`) and the test cells' outputs are filled in from its verdicts, so nbgrader's own
  `SaveAutoGrades`, gradebook, feedback and export work unchanged;

and for `GenerateFeedback`, `HideHiddenTests`: the feedback shows each test cell without its hidden
block and each failure as its plain-words message, never a traceback.

Every graded notebook also leaves an instructor's record, `autograded/.grading/<student>/<assignment>/
<notebook>.json` (outside what feedback copies): the structural issues, each test's verdict, what the
tamper scan found and which sandbox protections were active.
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
from traitlets import Float, Integer, Unicode

from nbgrader.preprocessors import NbGraderPreprocessor

from . import plan, runner, scan
from .judge import split_segments
from .sandbox import SandboxUnavailable

RECORD_FOLDER = ".grading"
# Results computed ahead (in parallel) by `grading.classroom`, keyed by (student, assignment, notebook, job key).
PRECOMPUTED: dict = {}
UNSANDBOXED_TITLE = "**Graded without a sandbox**"


class GraderError(RuntimeError):
    """The grader itself failed on a notebook: nothing is recorded for it (it is not the student's zero)."""


def _course_directory(preprocessor):
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=preprocessor.config)


def record_path(root: str, student: str, assignment: str, notebook: str) -> Path:
    return Path(root) / "autograded" / RECORD_FOLDER / student / assignment / f"{notebook}.json"


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
            maker = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
                     "raw": nbformat.v4.new_raw_cell}[cell["cell_type"]]
            new = maker(cell["source"])
            new.metadata = nbformat.from_dict(cell["metadata"])
            notebook.cells.append(new)
        notebook.metadata = nbformat.from_dict(parsed.get("metadata", {}))
    return notebook, {"grading_issues": [issue.to_dict() for issue in issues],
                      "grading_unreadable": parsed is None}


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


def rebuild_for_grading(nb, extra: dict, source_root: Path, assignment: str, notebook: str,
                        known: Optional[dict]) -> tuple:
    """`(rebuilt notebook, issues, source issues)` for a submission read by `read_notebook`."""
    source_cells, kernelspec, source_issues = plan.load_source(source_root / assignment / f"{notebook}.ipynb",
                                                               known)
    submission = None if extra.get("grading_unreadable") else nb
    early = [plan.Issue(**i) for i in extra.get("grading_issues", [])]
    rebuilt, issues = plan.rebuild(source_cells, kernelspec, submission, f"{notebook}.ipynb",
                                   catalogue(source_root), issues=early)
    return rebuilt, issues, source_issues


class RebuildSubmission(NbGraderPreprocessor):
    """Sanitize step: the notebook to grade is the instructor's source with the submission's answers."""

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        coursedir = _course_directory(self)
        source_root = Path(coursedir.format_path(coursedir.source_directory, ".", "."))
        known = plan.gradebook_cells(ids["db_url"], coursedir.course_id, ids["assignment"], ids["notebook"])
        rebuilt, issues, source_issues = rebuild_for_grading(nb, resources, source_root, ids["assignment"],
                                                             ids["notebook"], known)
        for issue in source_issues:
            self.log.warning("%s/%s: %s", ids["assignment"], ids["notebook"], issue.message)
        for issue in issues:
            self.log.warning("%s/%s/%s: %s", ids["student"], ids["assignment"], ids["notebook"], issue.message)
        rebuilt.metadata["dl_grading"] = {"issues": [i.to_dict() for i in issues],
                                          "source_issues": [i.to_dict() for i in source_issues]}
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
            found[f"{path.parent.name}/{path.name}"] = {plan.nbgrader_meta(c).get("grade_id") for c in notebook.cells} - {None}
        _CATALOGUE[key] = found
    return _CATALOGUE[key]


class SandboxedExecute(NbGraderPreprocessor):
    """Autograde step, in place of nbgrader's Execute: the judge grades, the test cells get its verdicts."""

    cell_timeout = Float(600.0, help="Seconds one cell, or one test cell's calls into the student's code, "
                         "may take before the grader stops it.").tag(config=True)
    notebook_timeout = Float(1800.0, help="Seconds one whole notebook may take.").tag(config=True)
    memory_mb = Integer(4096, help="Address space of the student's process, in MB.").tag(config=True)
    threads = Integer(0, help="BLAS threads of the student's process (0: the machine's cores).").tag(config=True)
    sandbox = Unicode("bwrap", help="'bwrap': run the student's code in a bubblewrap sandbox, and refuse to "
                      "grade where none can start; 'off': grade without a sandbox (every record and feedback "
                      "then says so).").tag(config=True)

    def limits(self) -> plan.Limits:
        return plan.Limits(cell_timeout=self.cell_timeout, notebook_timeout=self.notebook_timeout,
                           memory_mb=self.memory_mb, threads=self.threads, sandbox=self.sandbox)

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        state = nb.metadata.pop("dl_grading", {}) or {}
        job = plan.job_for(nb, self.limits())
        key = (ids["student"], ids["assignment"], ids["notebook"], plan.job_key(job))
        result = PRECOMPUTED.pop(key, None)
        if result is None:
            folder = resources.get("metadata", {}).get("path") or "."
            try:
                result = runner.run_job(job, file_folders=[Path(folder)])
            except SandboxUnavailable as refusal:
                raise GraderError(str(refusal)) from None
        if result.get("judge_error"):
            raise GraderError(f"{ids['student']}/{ids['assignment']}/{ids['notebook']}: {result['judge_error']}")
        fill_outputs(nb, result)
        note = result.get("sandbox", {}).get("note")
        if note:
            nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"{UNSANDBOXED_TITLE}\n\n{note}"))
        findings = scan.scan_notebook(nb) + list(result.get("tampering", []))
        record = {"student": ids["student"], "assignment": ids["assignment"], "notebook": ids["notebook"],
                  "issues": state.get("issues", []), "source_issues": state.get("source_issues", []),
                  "tests": result.get("tests", {}), "tampering": findings, "sandbox": result.get("sandbox", {}),
                  "notes": result.get("notes", []), "seconds": result.get("seconds"),
                  "cells": {k: v.get("status") for k, v in result.get("cells", {}).items()},
                  "limits": job["limits"]}
        write_record(_course_directory(self).root, record)
        resources["grading_record"] = record
        for finding in findings:
            self.log.warning("%s/%s/%s: possible tampering in %s: %s", ids["student"], ids["assignment"],
                             ids["notebook"], finding["cell"], finding["what"])
        return nb, resources


def fill_outputs(nb, result: dict) -> None:
    """Put the judge's outputs into the notebook; a test cell has an error output exactly when it failed."""
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
            verdict = tests.get(meta.get("grade_id"), {"passed": False, "message": "this test was not run"})
            outputs = [o for o in outputs if o.output_type == "stream" and o.get("name") == "stdout"]
            if not verdict.get("passed") and verdict.get("score"):   # partial credit: the failures, then the points
                outputs.append(nbformat.v4.new_output("stream", name="stdout", text=verdict.get("message", "") + "\n"))
                outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": f"{verdict['score']:g}"},
                                                      execution_count=count))
            elif not verdict.get("passed"):
                message = verdict.get("message") or "this test failed"
                outputs.append(nbformat.v4.new_output("error", ename=_ename(entry) or "TestFailure",
                                                      evalue=message, traceback=[message]))
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


class HideHiddenTests(NbGraderPreprocessor):
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
                parts.append("# (hidden tests are not shown; a failed one is named in the output below)")
            cell.source = "\n".join(p for p in parts if p.strip())
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
