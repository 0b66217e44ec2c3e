"""Grading a class again: incremental, restartable, the same on both paths, reports over the whole class.

Small classes of notebook 02 (`tests/grading_fixtures/`), graded by `grading.classroom.grade_class` (the
engine of `course.py grade`) and by plain `nbgrader autograde` with this repository's config.  Each
test's docstring says how it fails on the grader before the on-disk cache (the in-memory hand-off
`nbgrader_plugins.PRECOMPUTED`) or on a wrong implementation.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import nbformat
import pytest
from nbgrader.api import Gradebook

import grading_fixtures as fixtures
from grading_fixtures import class_settings
from grading import cache, classroom
from grading.cells import nbgrader_meta
from tools.notebooks import ROOT, nbgrader_command, subprocess_env

LIMITS = fixtures.tight_limits()
COURSE = "dl-foundations"
ASSIGNMENT = "02_activations"


def cache_entries(course):
    return sorted(cache.JudgeCache.of_course(course).folder.glob("*/*.json"))


def gradebook_rows(course, course_id=COURSE, db=None):
    """`{(student, notebook, cell): (score, needs_manual_grade)}`, and the number of submissions per student,
    of the course's gradebook (or of the gradebook file `db`, a backup)."""
    rows, submissions = {}, {}
    with Gradebook(f"sqlite:///{db or course / 'gradebook.db'}", course_id) as gradebook:
        for student in gradebook.students:
            for submission in student.submissions:
                submissions[student.id] = submissions.get(student.id, 0) + 1
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        rows[(student.id, notebook.name, grade.name)] = (grade.score, bool(grade.needs_manual_grade))
    return rows, submissions


def nbgrader_options(course):
    """Plain nbgrader's options for a course in `course`: its gradebook there, this repository's source notebooks,
    the tight limits."""
    return [
        f"--CourseDirectory.root={course}",
        f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}",
        f"--CourseDirectory.source_directory={ROOT / 'solutions'}",
        *(f"--SandboxedExecute.{name}={value}" for name, value in LIMITS.to_dict().items()),
    ]


def run_nbgrader(course, *step):
    """One plain `nbgrader` command in `course`, with this repository's config; it must succeed."""
    command = nbgrader_command(*step, *nbgrader_options(course))
    done = subprocess.run(command, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def release_in(course):
    """The assignment put into the course's gradebook by plain `nbgrader generate_assignment`."""
    release = f"--CourseDirectory.release_directory={course / 'release'}"
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", release)


def history_lines(course, student):
    path = course / "autograded" / ".grading" / "history" / student / ASSIGNMENT / "activations.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def backups(course):
    return set((course / "autograded" / "_grading" / "backups").glob("gradebook-*.db"))


def with_answer(path, grade_id, source):
    """Rewrite the submitted notebook at `path` with `source` as the answer cell `grade_id`."""
    nb = nbformat.reads(path.read_text(), as_version=4)
    next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id).source = source
    path.write_text(nbformat.writes(nb))


def kill_once_a_result_is_cached(command, course):
    """Start a grading `command` in a session of its own and SIGKILL its whole process group (its judges too)
    as soon as the first judge result is in `course`'s cache; the run must still be going then."""
    log_path = course / "killed-run.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=str(ROOT), env=subprocess_env(), start_new_session=True, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 240
        while not cache_entries(course) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, "the run must still be going when it is killed: " + log_path.read_text()[-2000:]
        assert len(cache_entries(course)) == 1
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def grades_csv(summary):
    return (summary["out"] / "grades.csv").read_text().splitlines()


def resubmitted_right_answers() -> str:
    """Every answer right, with a comment of the student's (identical bytes to a classmate's would share
    the classmate's cached result, rightly: the cache is keyed by content)."""
    nb = nbformat.reads(fixtures.REGISTRY["right_answers"].build().decode(), as_version=4)
    answer = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == "relu")
    answer.source = "# fixed after the first grading\n" + answer.source
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def regraded(tmp_path_factory):
    """One class graded three times: first; again unchanged; then with one student's resubmission alone
    in the incoming folder.  `{course, first, unchanged, resubmitted}`."""
    course = tmp_path_factory.mktemp("class")
    fixtures.write_class(course / "incoming", ["right_answers", "wrong_answers"])
    first = classroom.grade_class(course / "incoming", class_settings(course, jobs=2))
    first["entries"] = len(cache_entries(course))
    unchanged = classroom.grade_class(course / "incoming", class_settings(course, jobs=2))
    unchanged["entries"] = len(cache_entries(course))
    resubmission = course / "resubmission" / "wrong_answers" / ASSIGNMENT / "activations.ipynb"
    resubmission.parent.mkdir(parents=True)
    resubmission.write_text(resubmitted_right_answers())
    resubmitted = classroom.grade_class(course / "resubmission", class_settings(course, jobs=2))
    resubmitted["entries"] = len(cache_entries(course))
    print(
        f"first run {first['seconds']:.1f} s, unchanged class {unchanged['seconds']:.1f} s, "
        f"one resubmission {resubmitted['seconds']:.1f} s"
    )
    return {"course": course, "first": first, "unchanged": unchanged, "resubmitted": resubmitted}


def test_a_second_run_on_an_unchanged_class_judges_nothing(regraded):
    """Fails on the old grader: it judged every notebook again (and ran nbgrader for every student), and
    on a cache key that changes between runs (a time stamp, a scratch path, the BLAS threads)."""
    first, unchanged = regraded["first"], regraded["unchanged"]
    assert (first["judged"], first["reused"], first["autograded"]) == (2, 0, 2)
    assert (unchanged["judged"], unchanged["reused"], unchanged["autograded"]) == (0, 2, 0)
    assert (
        unchanged["totals"]
        == first["totals"]
        == {("right_answers", ASSIGNMENT): (7.0, 7.0), ("wrong_answers", ASSIGNMENT): (0.0, 7.0)}
    )
    assert first["entries"] == unchanged["entries"] == 2


def test_one_resubmission_is_the_only_notebook_judged_again(regraded):
    """Fails on the old grader (it judged both) and on a key that ignores the submission's answers (it
    judges none, and the resubmission keeps its old zero)."""
    resubmitted = regraded["resubmitted"]
    assert (resubmitted["judged"], resubmitted["reused"], resubmitted["autograded"]) == (1, 0, 1)
    assert resubmitted["totals"][("wrong_answers", ASSIGNMENT)] == (7.0, 7.0)
    changed = {key[3] for key, old, new in resubmitted["changed"] if key[0] == "wrong_answers"}
    assert changed == {"relu_tests", "sigmoid_tests", "sigmoid_derivative_tests", "softmax_tests"}
    assert resubmitted["entries"] == 3


def test_the_reports_cover_the_whole_class_after_regrading_one_student(regraded):
    """Regrading one student (the only one in the incoming folder) updates that student's row and keeps
    everyone else's; the earlier reports are kept.  Fails on the old grader: its grades.csv and report.md
    held only the student of the last run, and the earlier report was overwritten."""
    resubmitted = regraded["resubmitted"]
    assert grades_csv(resubmitted) == [
        "student,01_tensors,02_activations,03_losses,04_mnist_mlp,05_keras_from_scratch,total,max_total",
        "right_answers,,7,,,,7,7",
        "wrong_answers,,7,,,,7,7",
    ]
    report = (resubmitted["out"] / "report.md").read_text()
    assert "2 notebooks of 2 students in the class" in report
    assert "### right_answers / 02_activations / activations.ipynb: 7 of 7" in report
    assert "### wrong_answers / 02_activations / activations.ipynb: 7 of 7" in report
    earlier = sorted((resubmitted["out"] / "earlier").iterdir())
    assert len(earlier) == 2, "the reports of both earlier runs must be kept"
    assert "wrong_answers,,0,,,,0,7" in (earlier[-1] / "grades.csv").read_text().splitlines()


def test_a_run_killed_half_way_resumes_without_redoing_or_duplicating(tmp_path):
    """A grading process killed (SIGKILL, with its judges) once the first notebook's result is on disk;
    the next run judges only the other notebook, and the gradebook holds each submission once, with the
    right grades.  Fails on the old grader: nothing survived the kill, so the next run judged both."""
    fixtures.write_class(tmp_path / "incoming", ["right_answers", "wrong_answers"])
    script = textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "tests")!r}]
        from pathlib import Path
        import grading_fixtures
        from grading import classroom
        settings = grading_fixtures.class_settings(Path({str(tmp_path)!r}))
        classroom.grade_class(Path({str(tmp_path / "incoming")!r}), settings)
    """)
    kill_once_a_result_is_cached([sys.executable, "-c", script], tmp_path)
    resumed = classroom.grade_class(tmp_path / "incoming", class_settings(tmp_path))
    assert (resumed["judged"], resumed["reused"]) == (1, 1)
    assert resumed["totals"] == {("right_answers", ASSIGNMENT): (7.0, 7.0), ("wrong_answers", ASSIGNMENT): (0.0, 7.0)}
    rows, submissions = gradebook_rows(tmp_path)
    assert submissions == {"right_answers": 1, "wrong_answers": 1}
    assert len(rows) == 2 * 4


def test_both_paths_apply_the_same_flags(tmp_path, monkeypatch):
    """`course.py grade` and plain `nbgrader autograde` flag the same cells for manual grading: every cell of
    an unreadable notebook, and every cell of a notebook whose judge result lists a reason for review
    (injected here: a wrapped judge adds one).  The plain run finds every result in the shared cache (it
    judges nothing), so the flags come from the same results.  Fails on the old grader: plain autograde
    did not flag the unreadable notebook (only the command did, after the fact), and neither knew `review`."""
    reason = "the cell relu_tests did not finish within its time limit (injected by the test)"
    judge = cache.run_locally

    def judge_with_a_review(job):
        result = judge(job)
        if any("import" in c["source"] and "relu_wrong_marker" in c["source"] for c in job.job["cells"]):
            result.review.append(reason)
        return result

    monkeypatch.setattr(cache, "run_locally", judge_with_a_review)
    names = ["right_answers", "wrong_answers", "invalid_json"]
    command, plain = tmp_path / "command", tmp_path / "plain"
    written = fixtures.write_class(command / "incoming", names)
    target = written["wrong_answers"]
    marked = nbformat.reads(target.read_text(), as_version=4)
    answer = next(c for c in marked.cells if nbgrader_meta(c).get("grade_id") == "relu")
    answer.source = "import math  # relu_wrong_marker\n" + answer.source
    target.write_text(nbformat.writes(marked))
    summary = classroom.grade_class(command / "incoming", class_settings(command, jobs=2))
    command_rows, _ = gradebook_rows(command)

    (plain / "submitted").mkdir(parents=True)
    for name in names:
        (plain / "submitted" / name).mkdir()
        subprocess.run(
            ["cp", "-r", str(command / "submitted" / name / ASSIGNMENT), str(plain / "submitted" / name)], check=True
        )
    cache.JudgeCache.of_course(plain).folder.parent.mkdir(parents=True)
    subprocess.run(
        [
            "cp",
            "-r",
            str(cache.JudgeCache.of_course(command).folder),
            str(cache.JudgeCache.of_course(plain).folder.parent),
        ],
        check=True,
    )
    release_in(plain)
    run_nbgrader(plain, "autograde", ASSIGNMENT, "--force")
    plain_rows, _ = gradebook_rows(plain)
    assert len(cache_entries(plain)) == len(cache_entries(command)) == 3, "plain autograde must judge nothing"

    flagged = {(student, cell) for (student, _, cell), (_, needs) in command_rows.items() if needs}
    assert {s for s, _ in flagged} == {"wrong_answers", "invalid_json"}
    assert len(flagged) == 8
    assert plain_rows == command_rows
    report = (summary["out"] / "report.md").read_text()
    assert "## Marked for manual grading" in report and classroom.md(reason, 300) in report
    record = json.loads(next((plain / "autograded" / ".grading" / "wrong_answers").rglob("*.json")).read_text())
    assert record["review"] == [reason]
    # the plain path keeps the same history: the gradebook backed up before its first write, one line per grading
    assert backups(plain)
    for name in names:
        (line,) = history_lines(plain, name)
        assert line["first"] is True


def test_a_plain_regrade_backs_the_gradebook_up_first_and_logs_what_it_changed_and_kept(tmp_path):
    """Plain `nbgrader autograde --force` a second time, after the instructor gave a manual score and one
    student changed an answer: the gradebook is backed up again before the regrade writes anything (the new
    backup holds the first grading's scores and the manual one), and each notebook's history gets a second
    line, not `first`, with the scores the regrade changed (relu_tests 1 -> 0) and the manual score it kept.
    The changed student (right_answers) is the first nbgrader grades, so a backup made after its first
    write would hold the new score.  Fails if the backup is made once per course (or per gradebook) rather
    than once per run, or after SaveAutoGrades; or if RecordGrading takes the regrade for a first grading
    or compares the wrong scores."""
    written = fixtures.write_class(tmp_path / "submitted", ["right_answers", "wrong_answers"])
    release_in(tmp_path)
    run_nbgrader(tmp_path, "autograde", ASSIGNMENT, "--force")
    (first_backup,) = backups(tmp_path)
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}", COURSE) as gradebook:
        grade = gradebook.find_grade("sigmoid_tests", "activations", ASSIGNMENT, "right_answers")
        grade.manual_score = 0.5
        gradebook.db.commit()
    graded_once, _ = gradebook_rows(tmp_path)
    with_answer(written["right_answers"], "relu", fixtures.answers(ASSIGNMENT, "wrong")["relu"])

    run_nbgrader(tmp_path, "autograde", ASSIGNMENT, "--force")
    (backup,) = backups(tmp_path) - {first_backup}
    assert gradebook_rows(tmp_path, db=backup)[0] == graded_once, "the backup must be the gradebook before the regrade"
    regraded, submissions = gradebook_rows(tmp_path)
    assert submissions == {"right_answers": 1, "wrong_answers": 1}
    assert regraded[("right_answers", "activations", "relu_tests")][0] == 0.0
    assert regraded[("right_answers", "activations", "sigmoid_tests")][0] == 0.5
    first, again = history_lines(tmp_path, "right_answers")
    assert (first["first"], first["changed"], first["kept"]) == (True, [], [])
    assert again["first"] is False
    assert again["changed"] == [["relu_tests", 1.0, 0.0, None]]
    assert again["kept"] == [["sigmoid_tests", 0.5, 2.0]]  # its auto score (2 points) under the manual 0.5
    assert again["judge_key"] != first["judge_key"]
    first, again = history_lines(tmp_path, "wrong_answers")
    assert (again["first"], again["changed"], again["kept"]) == (False, [], [])
    assert again["judge_key"] == first["judge_key"]


def test_a_plain_autograde_killed_half_way_resumes_without_redoing_or_duplicating(tmp_path):
    """Plain `nbgrader autograde` killed (SIGKILL of its process group, its judges with it) once the first
    notebook's judge result is in the on-disk cache; the next plain `nbgrader autograde --force` takes that
    result from the cache (the entry is not written again) and judges only the other notebook, and the
    gradebook holds each submission once, with the right grades.  Fails on the grader before the on-disk
    cache (the in-memory hand-off `PRECOMPUTED` died with the process: both were judged again) and on a cache
    that a killed run leaves unreadable or that the plain path does not read."""
    fixtures.write_class(tmp_path / "submitted", ["right_answers", "wrong_answers"])
    release_in(tmp_path)
    kill_once_a_result_is_cached(
        nbgrader_command("autograde", ASSIGNMENT, "--force", *nbgrader_options(tmp_path)), tmp_path
    )
    (judged_before,) = cache_entries(tmp_path)
    before = judged_before.stat()

    run_nbgrader(tmp_path, "autograde", ASSIGNMENT, "--force")
    assert len(cache_entries(tmp_path)) == 2
    after = judged_before.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "judged again after the kill"
    rows, submissions = gradebook_rows(tmp_path)
    assert submissions == {"right_answers": 1, "wrong_answers": 1}
    assert len(rows) == 2 * 4
    totals = {}
    for (student, _, _), (score, _) in rows.items():
        totals[student] = totals.get(student, 0.0) + score
    assert totals == {"right_answers": 7.0, "wrong_answers": 0.0}


def test_a_korean_class_is_graded_in_the_korean_course(tmp_path, monkeypatch):
    """`--lang ko` grades a class that worked in Korean against ko/ (the Korean source notebooks, the Korean
    course's gradebook id, Korean check messages).  Fails on the old grader: it had no `--lang`, graded
    the class in the English course (course id dl-foundations) with English messages."""
    monkeypatch.delenv("DL_FOUNDATIONS_LANGUAGE", raising=False)
    korean = ROOT / "ko" / "notebooks" / ASSIGNMENT / "activations.ipynb"
    for student, mode in (("minji", "right"), ("jisoo", "wrong")):
        nb = nbformat.read(str(korean), as_version=4)
        chosen = fixtures.answers(ASSIGNMENT, mode)
        for cell in nb.cells:
            if nbgrader_meta(cell).get("solution"):
                cell.source = chosen[nbgrader_meta(cell)["grade_id"]]
        target = tmp_path / "incoming" / student / ASSIGNMENT / "activations.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(nb, str(target))
    args, settings = classroom.parse_args(
        [
            "--lang",
            "ko",
            "--course-dir",
            str(tmp_path),
            "--gradebook",
            f"sqlite:///{tmp_path / 'gradebook.db'}",
            "--no-feedback",
            "--timeout",
            "8",
            "--memory",
            "512",
            "--jobs",
            "2",
        ]
    )
    settings.quiet = True
    summary = classroom.grade_class(tmp_path / "incoming", settings)  # conftest puts the language back after
    assert not summary["problems"]
    assert summary["totals"] == {("minji", ASSIGNMENT): (7.0, 7.0), ("jisoo", ASSIGNMENT): (0.0, 7.0)}
    rows, submissions = gradebook_rows(tmp_path, course_id="dl-foundations-ko")
    assert submissions == {"minji": 1, "jisoo": 1}
    wrong = next(o for o in summary["outcomes"] if o.submission.student == "jisoo")
    messages = " ".join(t["message"] for t in wrong.record["tests"].values())
    assert any("\uac00" <= ch <= "\ud7a3" for ch in messages), f"the check messages must be Korean: {messages}"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_runaway_is_told_in_the_courses_language(language, tmp_path, monkeypatch):
    """A `relu` that loops, in a class of the Korean course (`--lang ko`, with `ko/nbgrader_config.py`) and
    of the English one: the autograded notebook and the feedback say, in the course's language, that the
    demo cell and relu's test ran out of time, and not in the other's.  Fails on the old grader (the Korean
    case), whose own sentences were English in every course."""
    from grading import messages
    from grading_fixtures.runaways import INFINITE_LOOP

    monkeypatch.delenv(messages.LANGUAGE_VARIABLE, raising=False)
    source = classroom.EDITIONS[language] / "notebooks" / ASSIGNMENT / "activations.ipynb"
    nb = nbformat.read(str(source), as_version=4)
    chosen = fixtures.answers(ASSIGNMENT, "right", {"relu": INFINITE_LOOP})
    for cell in nb.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = chosen[nbgrader_meta(cell)["grade_id"]]
    target = tmp_path / "incoming" / "loops" / ASSIGNMENT / "activations.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(nb, str(target))
    options = ["--lang", language, "--course-dir", str(tmp_path), "--timeout", "8", "--memory", "512"]
    _, settings = classroom.parse_args([*options, "--gradebook", f"sqlite:///{tmp_path / 'gradebook.db'}"])
    settings.quiet = True
    summary = classroom.grade_class(tmp_path / "incoming", settings)  # conftest puts the language back after
    assert not summary["problems"]
    (outcome,) = summary["outcomes"]
    course = classroom.open_course(settings)
    autograded = course.autograded(outcome.submission).read_text(encoding="utf-8")
    feedback = course.feedback(outcome.submission).read_text(encoding="utf-8")
    for other in messages.LANGUAGES:
        cell = messages.CELL_TIMED_OUT.text(other, seconds=8, running="").rstrip()
        test = messages.TIMED_OUT.text(other, subject="relu", seconds=8)
        hidden = messages.HIDDEN_TESTS_NOT_SHOWN.text(other)
        for page, name in ((autograded, "autograded notebook"), (feedback, "feedback")):
            for sentence in (cell, test) + ((hidden,) if page is feedback else ()):
                assert (json.dumps(sentence)[1:-1] in page or sentence in page) == (other == language), (
                    f"the {name} of the {language} course {'lacks' if other == language else 'has'} {sentence!r}"
                )
