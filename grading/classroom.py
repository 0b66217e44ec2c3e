"""Grade a class: from a folder of submitted notebooks to a grade table, a report and feedback.

    python3 course.py grade [SUBMISSIONS] [--assignment A] [--jobs N] [--timeout S] [--memory MB] ...

Steps (`grade_class`):

1. find the submissions (`find_submissions`): nbgrader's layout `<student>/<assignment>/<notebook>.ipynb`,
   or `<student>/<notebook>.ipynb`, or, with `--assignment`, one `<student>.ipynb` per student;
2. make sure each assignment is in the gradebook (`generate_assignment` into a scratch folder, so
   `notebooks/` is not touched), back the gradebook up and note every grade it already holds;
3. copy the submissions into nbgrader's `submitted/` (an earlier, different submission is kept beside
   it, never overwritten);
4. run every notebook's judge in parallel, one per core (`grading.runner`);
5. run nbgrader's own `autograde` for each student (which finds those results ready, see
   `nbgrader_plugins.PRECOMPUTED`) and `generate_feedback`;
6. write `grades.csv` (one row per student, one column per assignment), `report.csv` (one row per
   graded test cell) and `report.md` (what each student's submission had wrong, every runaway answer,
   every tampering attempt, every grade that changed, every submission that could not be graded).

Nothing a submission does stops the batch: a notebook that cannot be graded is listed as such and its
grades in the gradebook are left as they were.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import plan, runner
from .sandbox import SandboxUnavailable, require

ROOT = Path(__file__).resolve().parent.parent
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")
SEVERE = ("invalid_json", "unreadable", "not_a_notebook", "wrong_notebook", "empty", "no_graded_cells")


@dataclass
class Submission:
    student: str
    assignment: str
    notebook: str            # the notebook's name without .ipynb
    path: Path               # the submitted file as found
    folder: Optional[Path]   # a folder of the student's other files for this assignment, if any


@dataclass
class Outcome:
    submission: Submission
    graded: bool = False
    error: str = ""
    record: dict = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Settings:
    course_root: Path = ROOT
    db_url: Optional[str] = None
    limits: plan.Limits = field(default_factory=plan.Limits)
    jobs: int = 0
    out: Optional[Path] = None
    feedback: bool = True
    quiet: bool = False


# --- finding submissions ------------------------------------------------------------------------


def course_notebooks(source_root: Path) -> dict:
    """`{assignment: [notebook names]}` of the course's source folder."""
    return {folder.name: sorted(p.stem for p in folder.glob("*.ipynb"))
            for folder in sorted(source_root.iterdir()) if folder.is_dir() and not folder.name.startswith(".")}


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
            older, newer = sorted([found[key], Submission(student, assignment_id, notebook, path, extra)],
                                  key=lambda s: s.path.stat().st_mtime)
            problems.append(f"{student}/{assignment_id}/{notebook}.ipynb was submitted twice ({older.path} and "
                            f"{newer.path}); the newer one was graded")
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
            problems.append(f"{relative}: a symbolic link (it could point at any file of the grader's); "
                            "not followed, not graded")
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
            problems.append(f"{relative}: not understood as <student>/<assignment>/<notebook>.ipynb, "
                            f"<student>/<notebook>.ipynb or <student>.ipynb{hint}; skipped")
    chosen = [s for s in found.values() if assignment is None or s.assignment == assignment]
    return sorted(chosen, key=lambda s: (s.assignment, s.student, s.notebook)), problems


# --- nbgrader -------------------------------------------------------------------------------------


def nbgrader_config(settings: Settings):
    """This repository's nbgrader config, with the command's overrides."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    overrides = Config()
    overrides.CourseDirectory.root = str(settings.course_root)
    if Path(settings.course_root).resolve() != ROOT.resolve():
        overrides.CourseDirectory.source_directory = str(ROOT / "solutions")
    if settings.db_url:
        overrides.CourseDirectory.db_url = settings.db_url
    limits = settings.limits
    overrides.SandboxedExecute.cell_timeout = float(limits.cell_timeout)
    overrides.SandboxedExecute.notebook_timeout = float(limits.notebook_timeout)
    overrides.SandboxedExecute.memory_mb = int(limits.memory_mb)
    overrides.SandboxedExecute.threads = int(limits.threads)
    overrides.SandboxedExecute.sandbox = limits.sandbox
    overrides.NbGraderAPI.log_level = "WARN"
    config.merge(overrides)
    return config


def nbgrader_api(config):
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=config)


def ensure_assignments(api, assignments: list, log) -> list:
    """Put each assignment in the gradebook if it is not there yet; returns the ones that failed."""
    from nbgrader.api import Gradebook, MissingEntry

    failed = []
    coursedir = api.coursedir
    for assignment in assignments:
        notebooks = sorted(p.stem for p in Path(coursedir.format_path(coursedir.source_directory, ".",
                                                                      assignment)).glob("*.ipynb"))
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


def snapshot_grades(db_url: str, course_id: str, pairs: set) -> dict:
    """`{(student, assignment, notebook, cell): (auto, manual, needs_manual)}` for the given students."""
    from nbgrader.api import Gradebook, MissingEntry

    grades = {}
    with Gradebook(db_url, course_id) as gradebook:
        for student, assignment in pairs:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                continue
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grades[(student, assignment, notebook.name, grade.name)] = (
                        grade.auto_score, grade.manual_score, bool(grade.needs_manual_grade), grade.max_score)
    return grades


def backup_gradebook(db_url: str, folder: Path) -> Optional[Path]:
    """A consistent copy of a SQLite gradebook before anything is written to it."""
    if not db_url.startswith("sqlite:///"):
        return None
    path = Path(db_url[len("sqlite:///"):])
    if not path.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"gradebook-{datetime.datetime.now():%Y%m%d-%H%M%S}.db"
    with sqlite3.connect(str(path)) as source, sqlite3.connect(str(target)) as copy:
        source.backup(copy)
    return target


def flag_for_review(db_url: str, course_id: str, student: str, assignment: str, notebook: str) -> None:
    """Mark every grade of a submitted notebook as needing a look from the instructor (formgrader lists it)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gradebook:
        try:
            submitted = gradebook.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return
        for grade in submitted.grades:
            grade.needs_manual_grade = True
        gradebook.db.commit()


# --- copying into submitted/ --------------------------------------------------------------------


def _same_files(a: Path, b: Path) -> bool:
    files_a = {p.relative_to(a): p for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p for p in b.rglob("*") if p.is_file()}
    return files_a.keys() == files_b.keys() and all(files_a[k].read_bytes() == files_b[k].read_bytes()
                                                    for k in files_a)


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
    stamp = f"{datetime.datetime.now():%Y%m%d-%H%M%S}"
    for (student, assignment), group in sorted(by_folder.items()):
        dest = submitted_root / student / assignment
        with tempfile.TemporaryDirectory() as scratch:
            staged = Path(scratch) / assignment
            staged.mkdir()
            for submission in group:
                if submission.folder is not None:
                    refused.setdefault((student, assignment), []).extend(
                        runner.copy_files(submission.folder, staged, notebooks=True))
                shutil.copyfile(submission.path, staged / f"{submission.notebook}.ipynb", follow_symlinks=False)
            if dest.exists():
                if dest.resolve() == Path(group[0].path).parent.resolve() or _same_files(staged, dest):
                    continue
                aside = dest.parent / f"{assignment}.replaced-{stamp}"
                dest.rename(aside)
                notes.append(f"{student}/{assignment}: an earlier, different submission was in submitted/; "
                             f"it was kept as {aside.relative_to(submitted_root.parent)}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(staged, dest)
    for note in notes:
        log(note)
    return notes


# --- the parallel pass ----------------------------------------------------------------------------


def precompute(submission: Submission, submitted_root: Path, source_root: Path, limits: plan.Limits,
               db_url: str, course_id: str) -> tuple:
    """Run one notebook's judge ahead of nbgrader: `(key, result, seconds)`.

    The job is built exactly as nbgrader's sanitize step will build it (`rebuild_for_grading`), so
    `SandboxedExecute` finds the result under the same key.
    """
    from .nbgrader_plugins import read_notebook, rebuild_for_grading

    start = time.monotonic()
    path = submitted_root / submission.student / submission.assignment / f"{submission.notebook}.ipynb"
    nb, extra = read_notebook(str(path))
    known = plan.gradebook_cells(db_url, course_id, submission.assignment, submission.notebook)
    rebuilt, _, _ = rebuild_for_grading(nb, extra, source_root, submission.assignment, submission.notebook, known)
    job = plan.job_for(rebuilt, limits)
    result = runner.run_job(job, file_folders=[path.parent, source_root / submission.assignment])
    key = (submission.student, submission.assignment, submission.notebook, plan.job_key(job))
    return key, result, time.monotonic() - start


# --- reports -------------------------------------------------------------------------------------


def read_record(course_root: Path, submission: Submission) -> dict:
    from .nbgrader_plugins import record_path

    path = record_path(str(course_root), submission.student, submission.assignment, submission.notebook)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


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


REPORT_TEXT = 500      # characters of one message in report.md
CSV_TEXT = 2000        # characters of one field of report.csv
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


def write_reports(out: Path, outcomes: list, totals: dict, before: dict, after: dict, problems: list,
                  notes: list, backup: Optional[Path], assignments: list) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    students = sorted({o.submission.student for o in outcomes})
    with open(out / "grades.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student"] + assignments + ["total", "max_total"])
        for student in students:
            row, total, maximum = [student], 0.0, 0.0
            for assignment in assignments:
                score = totals.get((student, assignment))
                row.append("" if score is None else f"{score[0]:g}")
                if score is not None:
                    total, maximum = total + score[0], maximum + score[1]
            writer.writerow(row + [f"{total:g}", f"{maximum:g}"])
    with open(out / "report.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "notebook", "test", "exercise", "points", "score", "status",
                         "message"])
        for outcome in outcomes:
            s = outcome.submission
            if not outcome.graded:
                writer.writerow([s.student, s.assignment, s.notebook, "", "", "", "", "not graded",
                                 csv_field(outcome.error)])
                continue
            for grade_id, test in outcome.record.get("tests", {}).items():
                writer.writerow([s.student, s.assignment, s.notebook, csv_field(grade_id),
                                 csv_field(test.get("exercise")), f"{test.get('points', 0):g}",
                                 f"{test.get('score', test.get('points', 0) if test.get('passed') else 0):g}", csv_field(test.get("kind")),
                                 csv_field(test.get("message", ""))])
    changed = []
    for key, old in sorted(before.items()):
        new = after.get(key)
        if new is None:
            continue
        if old[0] != new[0] or old[1] != new[1]:
            changed.append((key, old, new))
    lines = ["# Grading report", ""]
    unsandboxed = [o for o in outcomes if o.record.get("sandbox", {}).get("note")]
    if unsandboxed:
        lines += [f"**{md(unsandboxed[0].record['sandbox']['note'])}**", ""]
    lines += [f"{len(outcomes)} notebooks of {len(students)} students; "
              f"{sum(o.graded for o in outcomes)} graded, {sum(not o.graded for o in outcomes)} not graded.", ""]
    if backup:
        lines += [f"The gradebook was backed up first to `{backup}`.", ""]
    sandbox = next((o.record.get("sandbox") for o in outcomes if o.record.get("sandbox")), None)
    if sandbox:
        lines += ["Sandbox: " + md(sandbox.get("sandbox", ""), 1000), ""]
    not_graded = [o for o in outcomes if not o.graded]
    if not_graded or problems:
        lines += ["## Not graded", ""]
        lines += [f"- {o.submission.student}/{o.submission.assignment}/{o.submission.notebook}: {md(o.error)}"
                  for o in not_graded]
        lines += [f"- {md(p)}" for p in problems] + [""]
    if changed:
        lines += ["## Grades that changed (the earlier values are in the backup)", ""]
        for (student, assignment, notebook, cell), old, new in changed:
            manual = f"; the manual score {old[1]:g} was kept and the cell is marked for review" \
                if old[1] is not None else ""
            lines.append(f"- {student}/{assignment}/{notebook} {md(cell)}: autograde {_fmt(old[0])} -> "
                         f"{_fmt(new[0])}{manual}")
        lines.append("")
    if notes:
        lines += ["## Notes", ""] + [f"- {md(n)}" for n in notes] + [""]
    tampering = [(o, t) for o in outcomes for t in o.record.get("tampering", [])]
    if tampering:
        lines += ["## Attempts seen, per student and exercise (information: each was blocked or made harmless)", ""]
        by_place: dict = {}
        for outcome, finding in tampering:
            s = outcome.submission
            place = f"{s.student}/{s.assignment}/{s.notebook}, {md(finding.get('cell'), 100)}"
            where = f"line {finding['line']}: " if finding.get("line") else ""
            by_place.setdefault(place, []).append(f"{where}{md(finding.get('what'), 300)} "
                                                  f"({md(finding.get('how'), 100)})")
        for place, findings in by_place.items():
            lines.append(f"- {place}: " + "; ".join(findings[:30]) + ("; ..." if len(findings) > 30 else ""))
        lines.append("")
    lines += ["## Submissions", ""]
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
        for issue in outcome.record.get("issues", []):
            lines.append(f"- submission: {md(issue['message'])}")
        for note in outcome.record.get("notes", []):
            lines.append(f"- grader: {md(note)}")
        for grade_id, test in outcome.record.get("tests", {}).items():
            if not test.get("passed"):
                detail = f" (instructor only: {md(test['detail'], 200)})" if test.get("detail") else ""
                lines.append(f"- {md(grade_id, 100)} ({md(test.get('kind'), 20)}): {md(test.get('message'))}{detail}")
        lines.append(f"- time: {outcome.seconds:.1f} s")
        lines.append("")
    (out / "report.md").write_text("\n".join(lines))
    return {"changed": changed, "tampering": tampering}


def _fmt(value) -> str:
    return "none" if value is None else f"{value:g}"


# --- the command ---------------------------------------------------------------------------------


def grade_class(submissions_folder: Optional[Path], settings: Settings, assignment: Optional[str] = None) -> dict:
    """Grade every submission found; returns a summary (also written to `settings.out`)."""
    from nbgrader.api import Gradebook

    log = (lambda *a: None) if settings.quiet else (lambda message: print(message, flush=True))
    require(settings.limits.sandbox)   # SandboxUnavailable: nothing is graded, nothing is written
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings: noise here
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    start = time.monotonic()
    config = nbgrader_config(settings)
    api = nbgrader_api(config)
    coursedir = api.coursedir
    course_root = Path(coursedir.root)
    source_root = Path(coursedir.format_path(coursedir.source_directory, ".", ".")).resolve()
    submitted_root = Path(coursedir.format_path(coursedir.submitted_directory, ".", ".")).resolve()
    out = settings.out or course_root / "autograded" / "_grading"
    db_url, course_id = coursedir.db_url, coursedir.course_id
    folder = Path(submissions_folder).resolve() if submissions_folder else submitted_root
    notebooks = course_notebooks(source_root)
    if assignment is not None and assignment not in notebooks:
        raise SystemExit(f"unknown assignment {assignment!r}; choose one of: {', '.join(notebooks)}")
    submissions, problems = find_submissions(folder, notebooks, assignment)
    log(f"{len(submissions)} submitted notebooks found in {folder}")
    assignments = sorted({s.assignment for s in submissions})
    for failed, error in ensure_assignments(api, assignments, log):
        problems.append(f"{failed}: could not be added to the gradebook: {error.strip().splitlines()[-1:]}")
        submissions = [s for s in submissions if s.assignment != failed]
    with Gradebook(db_url, course_id):
        pass
    backup = backup_gradebook(db_url, out / "backups")
    pairs = {(s.student, s.assignment) for s in submissions}
    before = snapshot_grades(db_url, course_id, pairs)
    refused: dict = {}
    notes = [] if folder == submitted_root else import_submissions(submissions, submitted_root, log, refused)
    if folder != submitted_root:
        for s in submissions:
            s.path = submitted_root / s.student / s.assignment / f"{s.notebook}.ipynb"

    from . import nbgrader_plugins

    jobs = settings.jobs or os.cpu_count() or 1
    limits = plan.Limits(**{**settings.limits.to_dict(),
                            "threads": settings.limits.threads or max(1, (os.cpu_count() or 1) // jobs)})
    config.SandboxedExecute.threads = limits.threads
    outcomes = {id(s): Outcome(s) for s in submissions}
    log(f"running {len(submissions)} notebooks, {jobs} at a time")

    def work(submission):
        try:
            return submission, precompute(submission, submitted_root, source_root, limits, db_url,
                                          course_id), None
        except Exception as error:  # a fault in the grader on one notebook must not stop the others
            return submission, None, f"{type(error).__name__}: {error}"

    faults: dict = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for submission, computed, error in pool.map(work, submissions):
            if computed is not None:
                key, result, seconds = computed
                outcomes[id(submission)].seconds = seconds
                if result.get("judge_error"):
                    error = result["judge_error"]
                else:
                    nbgrader_plugins.PRECOMPUTED[key] = result
            if error:
                faults[(submission.student, submission.assignment)] = \
                    f"grader error on {submission.notebook}.ipynb: {error}"
            log(f"  ran {submission.student}/{submission.assignment}/{submission.notebook}"
                + (f" (grader error: {error})" if error else ""))

    api = nbgrader_api(config)
    for student, assignment_id in sorted(pairs):
        group = [s for s in submissions if (s.student, s.assignment) == (student, assignment_id)]
        if (student, assignment_id) in faults:  # the grader failed, not the student: write nothing
            for s in group:
                outcomes[id(s)].error = faults[(student, assignment_id)] + "; the gradebook was not changed"
            continue
        result = api.autograde(assignment_id, student, force=True, create=True)
        if not result.get("success"):
            error = (result.get("error") or result.get("log") or "nbgrader autograde failed").strip()
            for s in group:
                outcomes[id(s)].error = "nbgrader autograde failed: " + error.splitlines()[-1][:500]
            continue
        for s in group:
            record = read_record(course_root, s)
            outcome = outcomes[id(s)]
            if record:
                record["tampering"] = refused.get((s.student, s.assignment), []) + record.get("tampering", [])
                outcome.graded, outcome.record = True, record
                if any(i.get("code") in SEVERE for i in record.get("issues", [])):
                    flag_for_review(db_url, course_id, s.student, s.assignment, s.notebook)
            else:
                outcome.error = "nbgrader did not grade this notebook (see its log)"
        if settings.feedback:
            feedback = api.generate_feedback(assignment_id, student, force=True)
            if not feedback.get("success"):
                notes.append(f"{student}/{assignment_id}: feedback could not be generated")
        log(f"  graded {student}/{assignment_id}")
    leftover = len(nbgrader_plugins.PRECOMPUTED)
    nbgrader_plugins.PRECOMPUTED.clear()
    if leftover:
        notes.append(f"{leftover} results computed ahead were not used (nbgrader ran those notebooks again)")
    ordered = [outcomes[id(s)] for s in submissions]
    after = snapshot_grades(db_url, course_id, pairs)
    totals = final_grades(db_url, course_id, [o for o in ordered if o.graded])
    summary = write_reports(out, ordered, totals, before, after, problems, notes, backup,
                            sorted(notebooks) if assignment is None else [assignment])
    elapsed = time.monotonic() - start
    log(f"{sum(o.graded for o in ordered)} of {len(ordered)} notebooks graded in {elapsed:.1f} s; "
        f"reports in {out}")
    return {"outcomes": ordered, "totals": totals, "problems": problems, "out": out, "seconds": elapsed,
            "changed": summary["changed"], "tampering": summary["tampering"], "backup": backup}


def parse_args(argv: list) -> tuple:
    parser = argparse.ArgumentParser(prog="course.py grade", description="Grade a class's submitted notebooks.")
    parser.add_argument("submissions", nargs="?", help="folder of submissions (default: nbgrader's submitted/)")
    parser.add_argument("--assignment", help="grade only this assignment (needed for one <student>.ipynb each)")
    parser.add_argument("--jobs", type=int, default=0, help="notebooks graded at once (default: the cores)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per cell or test cell (600)")
    parser.add_argument("--notebook-timeout", type=float, default=1800.0, help="seconds per notebook (1800)")
    parser.add_argument("--memory", type=int, default=4096, help="MB for each student process (4096)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="grade without the bubblewrap sandbox (only where none can start; every report and "
                             "feedback then says so)")
    parser.add_argument("--out", help="where the reports go (default: autograded/_grading)")
    parser.add_argument("--course-dir", help="the nbgrader course root for submitted/, autograded/, feedback/")
    parser.add_argument("--gradebook", help="the gradebook's database URL (default: the course's)")
    parser.add_argument("--no-feedback", action="store_true", help="do not generate feedback")
    args = parser.parse_args(argv)
    settings = Settings(
        course_root=Path(args.course_dir).resolve() if args.course_dir else ROOT, db_url=args.gradebook,
        limits=plan.Limits(cell_timeout=args.timeout, notebook_timeout=args.notebook_timeout,
                           memory_mb=args.memory, sandbox="off" if args.no_sandbox else "bwrap"),
        jobs=args.jobs, out=Path(args.out).resolve() if args.out else None, feedback=not args.no_feedback)
    return args, settings


def main(argv: list) -> int:
    args, settings = parse_args(argv)
    try:
        summary = grade_class(Path(args.submissions) if args.submissions else None, settings, args.assignment)
    except SandboxUnavailable as refusal:
        print(f"Not graded: {refusal}", file=sys.stderr)
        return 2
    return 0 if all(o.graded for o in summary["outcomes"]) and not summary["problems"] else 1
