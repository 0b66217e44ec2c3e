"""Grade a class: from a folder of submitted notebooks to a grade table, a report and feedback.

    python3 course.py grade [SUBMISSIONS] [--assignment A] [--jobs N] [--cluster tcp://HOST:8786] [--lang ko] ...

Steps (`grade_class`), each a function of its own:

1. `open_course`: the course as nbgrader sees it (the English course, or with `--lang ko` the Korean one
   in `ko/`), with the command's overrides;
2. `find_submissions`: nbgrader's layout `<student>/<assignment>/<notebook>.ipynb`, or
   `<student>/<notebook>.ipynb`, or, with `--assignment`, one `<student>.ipynb` per student;
3. `prepare_gradebook`: each assignment in the gradebook (`generate_assignment` into a scratch folder, so
   `notebooks/` is not touched), and the gradebook backed up (`grading.history`);
4. `import_submissions`: copied into nbgrader's `submitted/` (an earlier, different submission is kept
   beside it, never overwritten);
5. `judge_missing`: every notebook whose judge result is not in the on-disk cache (`grading.cache`) yet is
   judged, in parallel on this machine or on a Dask cluster (`grading.cluster`), each result stored as
   soon as it arrives;
6. `autograde_students`: nbgrader's own `autograde` (which finds the results in the cache, and flags and
   records the regrade, `grading.nbgrader_plugins.RecordGrading`) and `generate_feedback`, for each
   student whose gradebook entry is not already current;
7. `class_outcomes` and `write_reports`: `grades.csv`, `report.csv` and `report.md` over the whole class in
   `submitted/` (not only the students of this run); the earlier reports are kept in `earlier/<time>/`.

Nothing a submission does stops the batch: a notebook that cannot be graded is listed as such and its
grades in the gradebook are left as they were.  A second run on an unchanged class judges nothing and
runs nbgrader for no one; a run killed half-way resumes where it stopped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import cache, history, plan, runner
from .limits import DEFAULTS, blas_threads, from_options
from .sandbox import SandboxUnavailable, require

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"en": ROOT, "ko": ROOT / "ko"}  # each edition's course root, with its nbgrader_config.py
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")


@dataclass
class Submission:
    student: str
    assignment: str
    notebook: str  # the notebook's name without .ipynb
    path: Path  # the submitted file as found
    folder: Optional[Path]  # a folder of the student's other files for this assignment, if any

    def label(self) -> str:
        return f"{self.student}/{self.assignment}/{self.notebook}"


@dataclass
class Outcome:
    submission: Submission
    graded: bool = False
    error: str = ""
    record: dict = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Settings:
    course_root: Optional[Path] = None  # default: the edition's folder (this repository, or ko/)
    db_url: Optional[str] = None
    limits: plan.Limits = field(default_factory=plan.Limits)
    jobs: int = 0
    out: Optional[Path] = None
    feedback: bool = True
    quiet: bool = False
    cluster: Optional[str] = None  # a Dask scheduler's address: judge there instead of here
    edition: str = "en"  # "en" or "ko" (the Korean course in ko/)


# --- finding submissions ------------------------------------------------------------------------


def course_notebooks(source_root: Path) -> dict:
    """`{assignment: [notebook names]}` of the course's source folder."""
    return {
        folder.name: sorted(p.stem for p in folder.glob("*.ipynb"))
        for folder in sorted(source_root.iterdir())
        if folder.is_dir() and not folder.name.startswith(".")
    }


def find_submissions(folder: Path, notebooks: dict, assignment: Optional[str] = None) -> tuple:
    """`(submissions, problems)`: what could be matched to a student and a notebook, and what could not."""
    by_notebook = {name: a for a, names in notebooks.items() for name in names}
    found, problems = {}, []

    def add(student: str, assignment_id: str, notebook: str, path: Path, extra: Optional[Path]) -> None:
        if not STUDENT_ID.match(student):
            problems.append(f"{path}: {student!r} is not a usable student id (letters, digits, . _ - @ +)")
            return
        key = (student, assignment_id, notebook)
        if key in found:
            older, newer = sorted(
                [found[key], Submission(student, assignment_id, notebook, path, extra)],
                key=lambda s: s.path.stat().st_mtime,
            )
            problems.append(
                f"{student}/{assignment_id}/{notebook}.ipynb was submitted twice ({older.path} and "
                f"{newer.path}); the newer one was graded"
            )
            found[key] = newer
        else:
            found[key] = Submission(student, assignment_id, notebook, path, extra)

    for path in sorted(folder.rglob("*.ipynb")):
        relative = path.relative_to(folder)
        parts = relative.parts
        if any(p.startswith(".") or p.startswith("_") for p in parts) or ".ipynb_checkpoints" in parts:
            continue
        if "replaced-" in str(relative):
            continue
        if any((folder / Path(*parts[:depth])).is_symlink() for depth in range(1, len(parts) + 1)):
            problems.append(
                f"{relative}: a symbolic link (it could point at any file of the grader's); not followed, not graded"
            )
            continue
        stem = path.stem
        if len(parts) == 3 and parts[1] in notebooks and stem in notebooks[parts[1]]:
            add(parts[0], parts[1], stem, path, path.parent)
        elif len(parts) == 2 and stem in by_notebook and (assignment is None or by_notebook[stem] == assignment):
            add(parts[0], by_notebook[stem], stem, path, None)
        elif len(parts) == 1 and assignment is not None:
            if len(notebooks.get(assignment, [])) != 1:
                problems.append(f"{path}: --assignment {assignment} does not have exactly one notebook")
            else:
                add(stem, assignment, notebooks[assignment][0], path, None)
        else:
            hint = " (name the assignment with --assignment)" if len(parts) == 1 else ""
            problems.append(
                f"{relative}: not understood as <student>/<assignment>/<notebook>.ipynb, "
                f"<student>/<notebook>.ipynb or <student>.ipynb{hint}; skipped"
            )
    chosen = [s for s in found.values() if assignment is None or s.assignment == assignment]
    return sorted(chosen, key=lambda s: (s.assignment, s.student, s.notebook)), problems


# --- nbgrader -------------------------------------------------------------------------------------


def nbgrader_config(settings: Settings):
    """The edition's nbgrader config (`nbgrader_config.py`, or `ko/nbgrader_config.py`), with the command's
    overrides."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    if settings.edition not in EDITIONS:
        raise SystemExit(f"unknown edition {settings.edition!r}; choose one of: {', '.join(EDITIONS)}")
    edition_root = EDITIONS[settings.edition]
    config = PyFileConfigLoader("nbgrader_config.py", path=str(edition_root)).load_config()
    course_root = Path(settings.course_root or edition_root)
    overrides = Config()
    overrides.CourseDirectory.root = str(course_root)
    if course_root.resolve() != edition_root.resolve():
        overrides.CourseDirectory.source_directory = str(edition_root / "solutions")
    if settings.db_url:
        overrides.CourseDirectory.db_url = settings.db_url
    limits = settings.limits
    overrides.SandboxedExecute.cell_timeout = float(limits.cell_timeout)
    overrides.SandboxedExecute.notebook_timeout = float(limits.notebook_timeout)
    overrides.SandboxedExecute.memory_mb = int(limits.memory_mb)
    overrides.SandboxedExecute.threads = int(limits.threads)
    overrides.SandboxedExecute.sandbox = limits.sandbox
    overrides.SandboxedExecute.fit = limits.fit
    overrides.CourseLanguage.language = settings.edition  # each edition is taught in its language
    overrides.NbGraderAPI.log_level = "WARN"
    config.merge(overrides)
    return config


def nbgrader_api(config):
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=config)


@dataclass
class Course:
    """The course as nbgrader sees it: where sources, submissions, autograded copies and feedback are."""

    config: object
    coursedir: object
    out: Path

    @property
    def root(self) -> Path:
        return Path(self.coursedir.root)

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    def folder(self, kind: str, student: str = ".", assignment: str = ".") -> Path:
        directory = getattr(self.coursedir, f"{kind}_directory")
        return Path(self.coursedir.format_path(directory, student, assignment)).resolve()

    @property
    def source_root(self) -> Path:
        return self.folder("source")

    @property
    def submitted_root(self) -> Path:
        return self.folder("submitted")

    def submitted(self, s: Submission) -> Path:
        return self.folder("submitted", s.student, s.assignment) / f"{s.notebook}.ipynb"

    def autograded(self, s: Submission) -> Path:
        return self.folder("autograded", s.student, s.assignment) / f"{s.notebook}.ipynb"

    def feedback(self, s: Submission) -> Path:
        return self.folder("feedback", s.student, s.assignment) / f"{s.notebook}.html"


def open_course(settings: Settings) -> Course:
    config = nbgrader_config(settings)
    coursedir = nbgrader_api(config).coursedir
    return Course(config, coursedir, settings.out or Path(coursedir.root) / "autograded" / "_grading")


def ensure_assignments(api, assignments: list, log) -> list:
    """Put each assignment in the gradebook if it is not there yet; returns the ones that failed."""
    from nbgrader.api import Gradebook, MissingEntry

    failed = []
    coursedir = api.coursedir
    for assignment in assignments:
        notebooks = sorted(
            p.stem for p in Path(coursedir.format_path(coursedir.source_directory, ".", assignment)).glob("*.ipynb")
        )
        with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
            try:
                record = gradebook.find_assignment(assignment)
                missing = set(notebooks) - {n.name for n in record.notebooks}
            except MissingEntry:
                missing = set(notebooks)
        if not missing:
            continue
        log(f"adding {assignment} to the gradebook (generate_assignment into a scratch folder)")
        with tempfile.TemporaryDirectory() as scratch:
            release = coursedir.release_directory
            coursedir.release_directory = os.path.join(scratch, "release")
            try:
                result = api.generate_assignment(assignment, force=True, create=True)
            finally:
                coursedir.release_directory = release
        if not result.get("success"):
            failed.append((assignment, result.get("error", "")[-2000:]))
    return failed


def prepare_gradebook(course: Course, submissions: list, problems: list, log) -> tuple:
    """The course folder, every assignment of the submissions in the gradebook, and the gradebook backed up
    before anything is written: `(the submissions that can be graded, the backup or None)`."""
    from nbgrader.api import Gradebook

    course.root.mkdir(parents=True, exist_ok=True)
    for failed, error in ensure_assignments(
        nbgrader_api(course.config), sorted({s.assignment for s in submissions}), log
    ):
        problems.append(f"{failed}: could not be added to the gradebook: {error.strip().splitlines()[-1:]}")
        submissions = [s for s in submissions if s.assignment != failed]
    with Gradebook(course.db_url, course.course_id):
        pass
    return submissions, history.backup_once(course.db_url, course.out / "backups", fresh=True)


# --- copying into submitted/ --------------------------------------------------------------------


def _same_files(a: Path, b: Path) -> bool:
    files_a = {p.relative_to(a): p for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p for p in b.rglob("*") if p.is_file()}
    return files_a.keys() == files_b.keys() and all(files_a[k].read_bytes() == files_b[k].read_bytes() for k in files_a)


def import_submissions(submissions: list, submitted_root: Path, log, refused: Optional[dict] = None) -> list:
    """Copy submissions into nbgrader's `submitted/`; an earlier different one is moved aside, not lost.

    Symbolic links and other files that are not regular are not copied; each becomes a finding in
    `refused[(student, assignment)]`, for the report.
    """
    notes = []
    refused = {} if refused is None else refused
    by_folder: dict = {}
    for submission in submissions:
        by_folder.setdefault((submission.student, submission.assignment), []).append(submission)
    stamp = history.stamp()
    for (student, assignment), group in sorted(by_folder.items()):
        dest = submitted_root / student / assignment
        with tempfile.TemporaryDirectory() as scratch:
            staged = Path(scratch) / assignment
            staged.mkdir()
            for submission in group:
                if submission.folder is not None:
                    refused.setdefault((student, assignment), []).extend(
                        runner.copy_files(submission.folder, staged, notebooks=True)
                    )
                shutil.copyfile(submission.path, staged / f"{submission.notebook}.ipynb", follow_symlinks=False)
            if dest.exists():
                if dest.resolve() == Path(group[0].path).parent.resolve() or _same_files(staged, dest):
                    continue
                aside = dest.parent / f"{assignment}.replaced-{stamp}"
                dest.rename(aside)
                notes.append(
                    f"{student}/{assignment}: an earlier, different submission was in submitted/; "
                    f"it was kept as {aside.relative_to(submitted_root.parent)}"
                )
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(staged, dest)
    for note in notes:
        log(note)
    return notes


# --- judging: what the cache does not hold yet ---------------------------------------------------


def judge_job_of(submission: Submission, course: "Course", limits: plan.Limits) -> cache.JudgeJob:
    """The judge job of one submitted notebook, built exactly as nbgrader's autograde will build it
    (`RebuildSubmission`, then `SandboxedExecute`), so that both find the same result in the cache."""
    from .nbgrader_plugins import CourseLanguage, read_notebook, rebuild_for_grading, submission_folders

    nb, extra = read_notebook(str(course.submitted(submission)))
    known = plan.gradebook_cells(course.db_url, course.course_id, submission.assignment, submission.notebook)
    language = CourseLanguage(config=course.config).language
    rebuilt, _, _ = rebuild_for_grading(
        nb, extra, course.source_root, submission.assignment, submission.notebook, known, language
    )
    return cache.make_job(
        rebuilt, limits, submission_folders(course.coursedir, submission.student, submission.assignment), language
    )


def local_judge(jobs: int):
    """Run judge jobs on this machine, `jobs` at a time: `judge(list of JudgeJob)` yields `(index, result)`
    as each finishes."""

    def judge(pending: list):
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(cache.run_locally, job): index for index, job in enumerate(pending)}
            for future in as_completed(futures):
                yield futures[future], future.result()

    return judge


def judge_missing(submissions: list, course: "Course", limits: plan.Limits, judge, log) -> dict:
    """Judge every notebook whose result is not in the cache yet (identical jobs once), storing each result
    as soon as it arrives (a run killed half-way keeps what it finished).  Returns `{"keys", "faults",
    "judged", "reused"}`: each submission's cache key and, for notebooks the grader failed on, the reason."""
    store = cache.JudgeCache.of_course(course.root)
    keys, faults, pending = {}, {}, {}
    for submission in submissions:
        try:
            job = judge_job_of(submission, course, limits)
        except Exception as error:  # a fault in the grader on one notebook must not stop the others
            faults[id(submission)] = f"{type(error).__name__}: {error}"
            continue
        key = keys[id(submission)] = job.key()
        if key in pending:
            pending[key][1].append(submission)
        elif store.get(key) is None:
            pending[key] = (job, [submission])
    waiting = list(pending.values())
    judged = sum(len(group) for _, group in waiting)
    log(f"judging {judged} notebooks ({len(keys) - judged} already judged, in the cache)")
    for index, result in judge([job for job, _ in waiting]):
        job, group = waiting[index]
        if not result.judge_error:
            store.put(job.key(), result, about=group[0].label())
        for submission in group:
            if result.judge_error:
                faults[id(submission)] = result.judge_error
            log(
                f"  judged {submission.label()}"
                + (f" (grader error: {result.judge_error})" if result.judge_error else "")
            )
    return {"keys": keys, "faults": faults, "judged": judged, "reused": len(keys) - judged}


# --- nbgrader's autograde and feedback, for the students whose grades are not current -------------


def read_record(course_root: Path, submission: Submission) -> dict:
    from .nbgrader_plugins import record_path

    path = record_path(str(course_root), submission.student, submission.assignment, submission.notebook)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def is_current(course: "Course", group: list, keys: dict) -> bool:
    """Whether the gradebook already holds these notebooks' grades from their current judge results: the
    record (written after nbgrader saved the grades) has the same key and the autograded copy is there."""
    for submission in group:
        if read_record(course.root, submission).get("judge_key") != keys.get(id(submission)):
            return False
        if not course.autograded(submission).exists():
            return False
        if not history.notebook_grades(
            course.db_url, course.course_id, submission.student, submission.assignment, submission.notebook
        ):
            return False
    return True


def feedback_is_current(course: "Course", group: list) -> bool:
    return all(
        course.feedback(s).exists() and course.feedback(s).stat().st_mtime >= course.autograded(s).stat().st_mtime
        for s in group
    )


def autograde_students(course: "Course", submissions: list, judged: dict, settings: Settings, log) -> dict:
    """Run nbgrader's autograde (which finds the judge results in the cache) and feedback for each student
    whose grades are not current.  `{"errors": {id: message}, "regraded": [submission], "notes": [...]}`."""
    errors, regraded, notes = {}, [], []
    api = nbgrader_api(course.config)
    groups: dict = {}
    for submission in submissions:
        groups.setdefault((submission.student, submission.assignment), []).append(submission)
    for (student, assignment), group in sorted(groups.items()):
        fault = next((judged["faults"][id(s)] for s in group if id(s) in judged["faults"]), None)
        if fault is not None:  # the grader failed, not the student: write nothing
            for s in group:
                errors[id(s)] = f"grader error on {s.notebook}.ipynb: {fault}; the gradebook was not changed"
            continue
        if not is_current(course, group, judged["keys"]):
            result = api.autograde(assignment, student, force=True, create=True)
            if not result.get("success"):
                error = (result.get("error") or result.get("log") or "nbgrader autograde failed").strip()
                for s in group:
                    errors[id(s)] = "nbgrader autograde failed: " + error.splitlines()[-1][:500]
                continue
            regraded += group
            log(f"  graded {student}/{assignment}")
        if settings.feedback and not feedback_is_current(course, group):
            if not api.generate_feedback(assignment, student, force=True).get("success"):
                notes.append(f"{student}/{assignment}: feedback could not be generated")
    return {"errors": errors, "regraded": regraded, "notes": notes}


# --- reports over the whole class ----------------------------------------------------------------


def class_outcomes(course: Course, notebooks: dict, this_run: dict) -> list:
    """One `Outcome` per notebook in `submitted/` (the whole class, not only this run's students): its record
    on disk, or why it has none.  `this_run` maps `Submission.label()` to this run's error, if any."""
    submissions, _ = find_submissions(course.submitted_root, notebooks)
    outcomes = []
    for submission in submissions:
        outcome = Outcome(submission)
        record = read_record(course.root, submission)
        error = this_run.get(submission.label())
        if error:
            outcome.error = error
        elif record:
            outcome.graded, outcome.record = True, record
            outcome.seconds = float(record.get("seconds") or 0.0)
        else:
            outcome.error = "not graded yet (no record of a grading: run course.py grade)"
        outcomes.append(outcome)
    return outcomes


def final_grades(db_url: str, course_id: str, outcomes: list) -> dict:
    """`{(student, assignment): (score, max_score)}` from the gradebook, for the graded submissions."""
    from nbgrader.api import Gradebook, MissingEntry

    totals = {}
    with Gradebook(db_url, course_id) as gradebook:
        for outcome in outcomes:
            s = outcome.submission
            try:
                submission = gradebook.find_submission(s.assignment, s.student)
            except MissingEntry:
                continue
            totals[(s.student, s.assignment)] = (float(submission.score), float(submission.max_score))
    return totals


def regrades_of_this_run(course: Course, regraded: list, since: str) -> dict:
    """`{"changed": [(key, old, new)], "kept": [(key, manual, auto)]}` from the history the regrades wrote
    (`RecordGrading`), key = (student, assignment, notebook, cell)."""
    changed, kept = [], []
    for s in regraded:
        for entry in history.regrades_since(course.root, s.student, s.assignment, s.notebook, since):
            key = (s.student, s.assignment, s.notebook)
            changed += [((*key, cell), old, new) for cell, old, new, _ in entry["changed"]]
            kept += [((*key, cell), manual, auto) for cell, manual, auto in entry["kept"]]
    return {"changed": changed, "kept": kept}


REPORT_FILES = ("grades.csv", "report.csv", "report.md")

REPORT_TEXT = 500  # characters of one message in report.md
CSV_TEXT = 2000  # characters of one field of report.csv
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md(value, limit: int = REPORT_TEXT) -> str:
    """Text from a submission made safe for one line of report.md: one line, capped, every character
    that markdown gives a meaning (a heading's `#`, links, HTML) escaped."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[:limit] + " [...]"
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def csv_field(value) -> str:
    """A field of report.csv: capped, and never read by a spreadsheet as a formula."""
    text = str(value)[:CSV_TEXT]
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def keep_earlier_reports(out: Path) -> Optional[Path]:
    """Move the previous run's reports to `earlier/<time>/` (never overwritten); returns that folder."""
    present = [out / name for name in REPORT_FILES if (out / name).exists()]
    if not present:
        return None
    folder = out / "earlier" / history.stamp()
    folder.mkdir(parents=True)
    for path in present:
        path.rename(folder / path.name)
    return folder


def write_grades_csv(path: Path, outcomes: list, totals: dict, assignments: list) -> None:
    """One row per student, one column per assignment (points earned), then total and maximum."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student"] + assignments + ["total", "max_total"])
        for student in sorted({o.submission.student for o in outcomes}):
            row, total, maximum = [student], 0.0, 0.0
            for assignment in assignments:
                score = totals.get((student, assignment))
                row.append("" if score is None else f"{score[0]:g}")
                if score is not None:
                    total, maximum = total + score[0], maximum + score[1]
            writer.writerow(row + [f"{total:g}", f"{maximum:g}"])


def write_report_csv(path: Path, outcomes: list) -> None:
    """One row per graded test cell; a notebook that could not be graded has one `not graded` row."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["student", "assignment", "notebook", "test", "exercise", "points", "score", "status", "message"]
        )
        for outcome in outcomes:
            s = outcome.submission
            if not outcome.graded:
                writer.writerow(
                    [s.student, s.assignment, s.notebook, "", "", "", "", "not graded", csv_field(outcome.error)]
                )
                continue
            for grade_id, test in outcome.record.get("tests", {}).items():
                points = test.get("points", 0)
                writer.writerow(
                    [
                        s.student,
                        s.assignment,
                        s.notebook,
                        csv_field(grade_id),
                        csv_field(test.get("exercise")),
                        f"{points:g}",
                        f"{test.get('score', points if test.get('passed') else 0):g}",
                        csv_field(test.get("kind")),
                        csv_field(test.get("message", "")),
                    ]
                )


def md_overview(outcomes: list, run: dict) -> list:
    lines = ["# Grading report", ""]
    unsandboxed = [o for o in outcomes if o.record.get("sandbox", {}).get("note")]
    if unsandboxed:
        lines += [f"**{md(unsandboxed[0].record['sandbox']['note'])}**", ""]
    students = {o.submission.student for o in outcomes}
    lines += [
        f"{len(outcomes)} notebooks of {len(students)} students in the class; "
        f"{sum(o.graded for o in outcomes)} graded, {sum(not o.graded for o in outcomes)} not graded.",
        "",
        f"This run judged {run['judged']} notebooks ({run['reused']} results were already in the "
        f"cache) and ran nbgrader's autograde for {run['autograded']}.",
        "",
    ]
    if run.get("backup"):
        lines += [f"The gradebook was backed up first to `{run['backup']}`.", ""]
    sandbox = next((o.record.get("sandbox") for o in outcomes if o.record.get("sandbox")), None)
    if sandbox:
        lines += ["Sandbox: " + md(sandbox.get("sandbox", ""), 1000), ""]
    return lines


def md_not_graded(outcomes: list, problems: list) -> list:
    not_graded = [o for o in outcomes if not o.graded]
    if not (not_graded or problems):
        return []
    lines = ["## Not graded", ""]
    lines += [f"- {o.submission.label()}: {md(o.error)}" for o in not_graded]
    return lines + [f"- {md(p)}" for p in problems] + [""]


def md_regrades(regrades: dict) -> list:
    """Every score this run changed, and every manual score it kept."""
    lines = []
    if regrades["changed"]:
        lines += ["## Grades that changed (the earlier values are in the backup)", ""]
        for (student, assignment, notebook, cell), old, new in regrades["changed"]:
            lines.append(f"- {student}/{assignment}/{notebook} {md(cell)}: autograde {_fmt(old)} -> {_fmt(new)}")
        lines.append("")
    if regrades["kept"]:
        lines += ["## Manual scores kept (each cell is marked for review: the autograde under it may differ)", ""]
        for (student, assignment, notebook, cell), manual, auto in regrades["kept"]:
            lines.append(
                f"- {student}/{assignment}/{notebook} {md(cell)}: the manual score {manual:g} was kept "
                f"(autograde {_fmt(auto)})"
            )
        lines.append("")
    return lines


def md_review(outcomes: list) -> list:
    """Every notebook marked for manual grading, and why (the same reasons on both ways of grading)."""
    flagged = [(o, history.review_reasons(o.record)) for o in outcomes if o.graded]
    flagged = [(o, reasons) for o, reasons in flagged if reasons]
    if not flagged:
        return []
    lines = ["## Marked for manual grading", ""]
    for outcome, reasons in flagged:
        lines.append(f"- {outcome.submission.label()}: " + "; ".join(md(r, 300) for r in reasons))
    return lines + [""]


def md_tampering(outcomes: list) -> list:
    tampering = [(o, t) for o in outcomes for t in o.record.get("tampering", [])]
    if not tampering:
        return []
    lines = ["## Attempts seen, per student and exercise (information: each was blocked or made harmless)", ""]
    by_place: dict = {}
    for outcome, finding in tampering:
        place = f"{outcome.submission.label()}, {md(finding.get('cell'), 100)}"
        where = f"line {finding['line']}: " if finding.get("line") else ""
        by_place.setdefault(place, []).append(f"{where}{md(finding.get('what'), 300)} ({md(finding.get('how'), 100)})")
    for place, findings in by_place.items():
        lines.append(f"- {place}: " + "; ".join(findings[:30]) + ("; ..." if len(findings) > 30 else ""))
    return lines + [""]


def md_submissions(outcomes: list, totals: dict) -> list:
    lines = ["## Submissions", ""]
    for outcome in outcomes:
        s = outcome.submission
        score = totals.get((s.student, s.assignment))
        head = f"### {s.student} / {s.assignment} / {s.notebook}.ipynb"
        if score:
            head += f": {score[0]:g} of {score[1]:g}"
        lines += [head, ""]
        if not outcome.graded:
            lines += [f"Not graded: {md(outcome.error)}", ""]
            continue
        lines += [f"- submission: {md(issue['message'])}" for issue in outcome.record.get("issues", [])]
        lines += [f"- grader: {md(note)}" for note in outcome.record.get("notes", [])]
        for grade_id, test in outcome.record.get("tests", {}).items():
            if not test.get("passed"):
                detail = f" (instructor only: {md(test['detail'], 200)})" if test.get("detail") else ""
                lines.append(f"- {md(grade_id, 100)} ({md(test.get('kind'), 20)}): {md(test.get('message'))}{detail}")
        lines += [f"- time: {outcome.seconds:.1f} s", ""]
    return lines


def write_reports(
    out: Path, outcomes: list, totals: dict, regrades: dict, problems: list, notes: list, run: dict, assignments: list
) -> dict:
    """grades.csv, report.csv and report.md for the whole class, after keeping the earlier ones."""
    out.mkdir(parents=True, exist_ok=True)
    earlier = keep_earlier_reports(out)
    write_grades_csv(out / "grades.csv", outcomes, totals, assignments)
    write_report_csv(out / "report.csv", outcomes)
    lines = md_overview(outcomes, run) + md_not_graded(outcomes, problems) + md_regrades(regrades)
    lines += md_review(outcomes)
    if notes:
        lines += ["## Notes", ""] + [f"- {md(n)}" for n in notes] + [""]
    lines += md_tampering(outcomes) + md_submissions(outcomes, totals)
    (out / "report.md").write_text("\n".join(lines))
    return {"tampering": [(o, t) for o in outcomes for t in o.record.get("tampering", [])], "earlier": earlier}


def _fmt(value) -> str:
    return "none" if value is None else f"{value:g}"


# --- the command ---------------------------------------------------------------------------------


def choose_judge(settings: Settings, jobs: int):
    """Where the judges run: here, `jobs` at a time, or on the Dask cluster named by `settings.cluster`."""
    if settings.cluster:
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            raise SystemExit(
                "--cluster needs Dask's `distributed`, a grading requirement: pip install -r requirements-grading.txt"
            )
        from . import cluster

        return cluster.cluster_judge(settings.cluster)
    return local_judge(jobs)


def grade_class(submissions_folder: Optional[Path], settings: Settings, assignment: Optional[str] = None) -> dict:
    """Grade every submission found that is not graded yet; returns a summary (the reports go to the out folder)."""
    log = (lambda *a: None) if settings.quiet else (lambda message: print(message, flush=True))
    require(settings.limits.sandbox)  # SandboxUnavailable: nothing is graded, nothing is written
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings: noise here
    from tools.environment import with_bin_first

    os.environ["PATH"] = with_bin_first(os.environ)["PATH"]  # nbgrader starts `alembic` by name
    start, since = time.monotonic(), history.stamp()
    jobs = settings.jobs or os.cpu_count() or 1
    limits = plan.Limits(**{**settings.limits.to_dict(), "threads": settings.limits.threads or blas_threads(jobs)})
    course = open_course(Settings(**{**settings.__dict__, "limits": limits}))
    folder = Path(submissions_folder).resolve() if submissions_folder else course.submitted_root
    notebooks = course_notebooks(course.source_root)
    if assignment is not None and assignment not in notebooks:
        raise SystemExit(f"unknown assignment {assignment!r}; choose one of: {', '.join(notebooks)}")
    submissions, problems = find_submissions(folder, notebooks, assignment)
    log(f"{len(submissions)} submitted notebooks found in {folder}")
    submissions, backup = prepare_gradebook(course, submissions, problems, log)
    refused: dict = {}
    notes = (
        [] if folder == course.submitted_root else import_submissions(submissions, course.submitted_root, log, refused)
    )
    judged = judge_missing(submissions, course, limits, choose_judge(settings, jobs), log)
    graded = autograde_students(course, submissions, judged, settings, log)
    notes += graded["notes"] + [
        f"{s.label()}: nbgrader judged this notebook again (its job differed from the command's)"
        for s in graded["regraded"]
        if read_record(course.root, s).get("judge_key") != judged["keys"].get(id(s))
    ]
    outcomes = class_outcomes(
        course, notebooks, {s.label(): graded["errors"][id(s)] for s in submissions if id(s) in graded["errors"]}
    )
    for outcome in outcomes:
        found = refused.get((outcome.submission.student, outcome.submission.assignment), [])
        outcome.record["tampering"] = found + outcome.record.get("tampering", [])
    totals = final_grades(course.db_url, course.course_id, [o for o in outcomes if o.graded])
    regrades = regrades_of_this_run(course, graded["regraded"], since)
    run = {
        "judged": judged["judged"],
        "reused": judged["reused"],
        "autograded": len(graded["regraded"]),
        "backup": backup,
    }
    written = write_reports(course.out, outcomes, totals, regrades, problems, notes, run, sorted(notebooks))
    elapsed = time.monotonic() - start
    log(
        f"{sum(o.graded for o in outcomes)} of {len(outcomes)} notebooks of the class graded; this run judged "
        f"{judged['judged']} ({judged['reused']} from the cache) in {elapsed:.1f} s; reports in {course.out}"
    )
    return {
        "outcomes": outcomes,
        "totals": totals,
        "problems": problems,
        "out": course.out,
        "seconds": elapsed,
        "changed": regrades["changed"],
        "kept": regrades["kept"],
        "tampering": written["tampering"],
        "backup": backup,
        "judged": judged["judged"],
        "reused": judged["reused"],
        "autograded": len(graded["regraded"]),
        "this_run": [s.label() for s in submissions],
        "earlier_reports": written["earlier"],
    }


def parse_args(argv: list) -> tuple:
    parser = argparse.ArgumentParser(prog="course.py grade", description="Grade a class's submitted notebooks.")
    parser.add_argument("submissions", nargs="?", help="folder of submissions (default: nbgrader's submitted/)")
    parser.add_argument("--assignment", help="grade only this assignment (needed for one <student>.ipynb each)")
    parser.add_argument("--jobs", type=int, default=0, help="notebooks graded at once (default: the cores)")
    parser.add_argument(
        "--timeout",
        type=float,
        help="seconds for every cell or test cell (default: each cell's "
        f"from the reference's cost, at most {DEFAULTS.cell_timeout:g})",
    )
    parser.add_argument(
        "--notebook-timeout",
        type=float,
        help="cap on the seconds of a notebook's cells (default: the sum of their limits)",
    )
    parser.add_argument("--memory", type=int, help=f"MB for each student process ({DEFAULTS.memory_mb})")
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="grade without the bubblewrap sandbox (only where none can start; every report and feedback then says so)",
    )
    parser.add_argument("--out", help="where the reports go (default: autograded/_grading)")
    parser.add_argument("--course-dir", help="the nbgrader course root for submitted/, autograded/, feedback/")
    parser.add_argument("--gradebook", help="the gradebook's database URL (default: the course's)")
    parser.add_argument("--no-feedback", action="store_true", help="do not generate feedback")
    parser.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="judge on this Dask scheduler (tcp://HOST:8786); gradebook, feedback and reports are still written here",
    )
    parser.add_argument(
        "--lang",
        choices=sorted(EDITIONS),
        default="en",
        help="the edition: en (this folder's course) or ko (the Korean course in ko/)",
    )
    args = parser.parse_args(argv)
    settings = Settings(
        course_root=Path(args.course_dir).resolve() if args.course_dir else None,
        db_url=args.gradebook,
        limits=from_options(args.timeout, args.notebook_timeout, args.memory, "off" if args.no_sandbox else "bwrap"),
        jobs=args.jobs,
        out=Path(args.out).resolve() if args.out else None,
        feedback=not args.no_feedback,
        cluster=args.cluster,
        edition=args.lang,
    )
    return args, settings


def main(argv: list) -> int:
    args, settings = parse_args(argv)
    try:
        summary = grade_class(Path(args.submissions) if args.submissions else None, settings, args.assignment)
    except SandboxUnavailable as refusal:
        print(f"Not graded: {refusal}", file=sys.stderr)
        return 2
    this_run = set(summary["this_run"])
    ok = all(o.graded for o in summary["outcomes"] if o.submission.label() in this_run)
    return 0 if ok and not summary["problems"] else 1
