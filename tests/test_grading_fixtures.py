"""A class of submissions that cheat, run away or are broken, graded by `course.py grade`'s engine.

Every fixture of `tests/grading_fixtures/` is one student of one class, graded once
(`grading.classroom.grade_class`, two at a time) with small limits set first: 8 s per cell, 512 MB.
Each test below names one fixture and says, in its docstring, what the same submission did to a plain
nbgrader 0.9.6 setup with this course's settings (reproduce with
`.venv/bin/python tests/grading_fixtures/plain_nbgrader.py NAME`; it used a 30 s cell timeout and, for
the memory fixture, a 1 GiB memory cgroup).  The controls show that the wrong answers are caught
when nothing is done to hide them, so the marks a cheat earned in plain nbgrader were the cheat's.

Here, a cheat's wrong answers earn nothing and the report names the cheat; a runaway costs only its
own exercise; a broken submission gets the fairest score with a message in the report; the batch
never stops; and no feedback shows a hidden test.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import grading_fixtures as fixtures
from grading_fixtures import attacks as attack_fixtures
from grading_fixtures import class_settings
from grading import classroom, sandbox
from nbcells import SOLUTIONS, nbgrader_meta, secret_lines

LIMITS = fixtures.tight_limits()


REGISTRY = fixtures.load_all()


SENTINEL_TEXT = "the instructor's own file\n"
STRAY_MARKER = b"dl-grading-stray-fixture"


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """What the attacks aim at outside the grader: a file of the instructor's, a process of the machine,
    a listener on it.  `{sentinel, victim, port, heard}`."""
    folder = tmp_path_factory.mktemp("outside")
    sentinel = folder / "instructor_notes.txt"
    sentinel.write_text(SENTINEL_TEXT)
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    listener, heard = fixtures.listener()
    yield {"sentinel": sentinel, "victim": victim, "port": listener.getsockname()[1], "heard": heard}
    victim.kill()
    victim.wait()
    listener.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, outside):
    """The whole class, graded once: `(summary, course folder)`."""
    course = tmp_path_factory.mktemp("class")
    context = {
        "course": course,
        "sentinel": outside["sentinel"],
        "victim": outside["victim"].pid,
        "port": outside["port"],
    }
    fixtures.write_class(course / "incoming", list(REGISTRY), context)
    settings = class_settings(course, jobs=2, feedback=True)
    summary = classroom.grade_class(course / "incoming", settings)
    return summary, course


def outcome_of(graded, name):
    summary, _ = graded
    return next(o for o in summary["outcomes"] if o.submission.student == name)


def expect_outcome(graded, name):
    """Check one fixture's grades, report entries and messages against what it registered."""
    fixture = REGISTRY[name]
    outcome = outcome_of(graded, name)
    assert outcome.graded, outcome.error
    tests = outcome.record["tests"]
    by_exercise = {}
    for test in tests.values():
        by_exercise.setdefault(test["exercise"], []).append(test["passed"])
    for exercise in fixture.zero:
        assert not any(by_exercise[exercise]), f"{name}: {exercise} earned marks"
    for exercise in fixture.full:
        assert all(by_exercise[exercise]), f"{name}: {exercise} lost marks: " + "; ".join(
            t["message"] for t in tests.values() if t["exercise"] == exercise
        )
    codes = {issue["code"] for issue in outcome.record["issues"]}
    assert set(fixture.issues) <= codes, outcome.record["issues"]
    found = " | ".join(f["what"] for f in outcome.record["tampering"])
    for words in fixture.tampering + fixture.reported:
        assert words in found, f"{name}: the report does not name {words!r}: {found}"
    if fixture.student_message:
        messages = " | ".join(t["message"] for t in tests.values() if not t["passed"])
        assert fixture.student_message in messages, messages
    summary, course = graded
    points = sum(t.get("score", t["points"] if t["passed"] else 0) for t in tests.values())  # partial points too
    student, assignment = fixture.name, fixture.assignment
    assert summary["totals"][(student, assignment)][0] == pytest.approx(points)
    report = (course / "autograded" / "_grading" / "report.md").read_text()
    assert f"### {student} / {assignment}" in report


# --- controls ------------------------------------------------------------------------------------


def test_right_answers(graded):
    """Control. Plain nbgrader: 7 of 7. Here: 7 of 7."""
    expect_outcome(graded, "right_answers")


def test_wrong_answers(graded):
    """Control: the wrong answers every cheat below hides. Plain nbgrader: 0 of 7. Here: 0 of 7."""
    expect_outcome(graded, "wrong_answers")


# --- cheats: wrong answers, and a trick to pass anyway ---------------------------------------------


def test_helper_redefined(graded):
    """`checks.hidden.run_case = checks.exercise.run_case = lambda function, case: None` (the helper every
    check calls). Plain nbgrader fooled: 4 of 7 points for wrong answers (relu and softmax; sigmoid's hidden
    tests also compute their own comparisons). Here: 0, and the report names the replaced helper."""
    expect_outcome(graded, "helper_redefined")


def test_numpy_patched(graded):
    """`np.allclose`, `np.isclose`, `np.array_equal` and `np.testing.assert_*` replaced to always agree.
    Plain nbgrader fooled: 4 of 7 (relu, softmax). Here: 0; the report names each patched function."""
    expect_outcome(graded, "numpy_patched")


def test_math_isclose(graded):
    """`math.isclose = lambda *a, **k: True` over nine wrong losses (notebook 03). Plain nbgrader fooled:
    10 of 11 points (all but to_categorical). Here: 0; the report names math.isclose."""
    expect_outcome(graded, "math_isclose")


def test_builtins_import(graded):
    """`builtins.__import__` replaced so that `from checks.hidden import expect` and `from checks import
    activations as q` hand the tests checks that never fail. Plain nbgrader fooled: 7 of 7. Here: 0."""
    expect_outcome(graded, "builtins_import")


def test_input_transformer(graded):
    """`get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])`: every later cell, the
    hidden tests included, becomes `pass`. Plain nbgrader fooled: 7 of 7. Here: 0 (the later answer cells
    became `pass` too, so their functions are not defined); reported."""
    expect_outcome(graded, "input_transformer")


def test_fake_pass_output(graded):
    """An input transformer that replaces every later cell with a print of "all visible checks pass".
    Plain nbgrader fooled: 7 of 7, and the autograded notebook shows passing checks. Here: 0; the test
    cells' outputs come from the judge; reported (the transformer and the imitation text)."""
    expect_outcome(graded, "fake_pass_output")
    _, course = graded
    autograded = nbformat.read(
        course / "autograded" / "fake_pass_output" / "02_activations" / "activations.ipynb", as_version=4
    )
    for cell in autograded.cells:
        if nbgrader_meta(cell).get("grade"):
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "All hidden tests passed" not in text
            assert any(o.output_type == "error" for o in cell.outputs)


def test_checks_patched(graded):
    """`checks.hidden.expect`, `expect_true` and `checks.exercise.Exercise.check` replaced by functions
    that pass. Plain nbgrader fooled: 7 of 7. Here: 0; reported."""
    expect_outcome(graded, "checks_patched")


def test_assertions_swallowed(graded):
    """An IPython AST transformer wraps every statement of every later cell in `try/except
    BaseException: pass`, so no failed assertion surfaces. Plain nbgrader fooled: 7 of 7. Here: 0."""
    expect_outcome(graded, "assertions_swallowed")


def test_sys_modules(graded):
    """Fake modules put in `sys.modules['checks.hidden']` and `['checks.activations']`. Plain nbgrader
    fooled: 7 of 7. Here: 0; reported."""
    expect_outcome(graded, "sys_modules")


def test_shell_patched(graded):
    """The IPython shell's `transform_cell` replaced: every later cell runs as `pass`. Plain nbgrader
    fooled: 7 of 7. Here: 0; reported."""
    expect_outcome(graded, "shell_patched")


def test_atexit_kill(graded):
    """`atexit.register(os.kill, os.getppid(), signal.SIGKILL)`: when the kernel shuts down it kills its
    parent. Plain nbgrader crashed: nbgrader itself was killed (exit -9) after running the notebook, no
    grade was saved, and in a class run every later student would be left ungraded. Here: the student
    process is never shut down gently (atexit never runs) and cannot signal the grader; 0, reported."""
    expect_outcome(graded, "atexit_kill")


def test_kill_grader(graded):
    """`os.kill(os.getppid(), signal.SIGKILL)` in the first answer cell (relu wrong, the rest right).
    Plain nbgrader crashed: nbgrader was killed at once (exit -9), nothing graded. Here: the signal can only
    reach the student's own processes; the right answers earn their 6 points, relu 0; reported."""
    expect_outcome(graded, "kill_grader")


def test_gradebook_tamper(graded):
    """The answer cell finds gradebook.db and writes each grade's maximum as its manual score. Plain
    nbgrader fooled: 7 of 7 for wrong answers (marked "needs manual grade", nothing says why). Here: the
    gradebook is not in the student's sandbox; 0; reported."""
    expect_outcome(graded, "gradebook_tamper")
    summary, _ = graded
    changed = [c for c in summary["changed"] if c[0][0] == "gradebook_tamper"]
    assert not changed


def test_steal_solutions(graded):
    """No answer written: each answer cell reads the instructor's solutions notebook and runs its solution
    cells. Plain nbgrader fooled: 7 of 7. Here: solutions/ is not in the student's sandbox; 0."""
    expect_outcome(graded, "steal_solutions")


# --- runaways: one exercise never comes back --------------------------------------------------------


def test_infinite_loop(graded):
    """`relu` loops forever; the other answers are right. Plain nbgrader stalled: each cell that calls relu
    waited out the whole cell timeout (three of them: 103 s at a 30 s timeout, half an hour at the course's
    600 s). Here: relu's test is stopped at the limit; 6 of 7."""
    expect_outcome(graded, "infinite_loop")


def test_swallows_interrupt(graded):
    """`relu` loops forever and swallows KeyboardInterrupt. Plain nbgrader crashed: the interrupt after the
    timeout did nothing, nbgrader gave up on the notebook (CellTimeoutError), 0 of 7 for three right
    answers. Here: the process is killed, not interrupted; 6 of 7."""
    expect_outcome(graded, "swallows_interrupt")


def test_os_exit(graded):
    """`sigmoid` calls `os._exit(0)`. Plain nbgrader crashed: DeadKernelError, the whole notebook lost
    (0 of 7). Here: only sigmoid's test fails, with a message naming os._exit; 5 of 7."""
    expect_outcome(graded, "os_exit")


def test_sys_exit(graded):
    """`sigmoid_derivative` calls `sys.exit()`. Plain nbgrader coped (IPython catches SystemExit): 6 of 7.
    Here too: 6 of 7, the message names SystemExit."""
    expect_outcome(graded, "sys_exit")


def test_exit_kernel(graded):
    """`sigmoid_derivative` calls IPython's `exit()`. Plain nbgrader crashed: the kernel shut down,
    DeadKernelError, the whole notebook lost (0 of 7). Here: 6 of 7."""
    expect_outcome(graded, "exit_kernel")


def test_memory_hog(graded):
    """`softmax` allocates 4 GiB. Plain nbgrader crashed: in a 1 GiB memory cgroup the kernel was killed,
    DeadKernelError, the whole notebook lost (0 of 7); without a limit it takes the machine's memory.
    Here (512 MB): MemoryError in softmax's test only; 4 of 7."""
    expect_outcome(graded, "memory_hog")


# --- broken submissions -----------------------------------------------------------------------------


def test_invalid_json(graded):
    """A right notebook cut off half-way. Plain nbgrader crashed on it: NotJSONError, nbgrader exited 1,
    grades 0 with "needs manual grade" and no word anywhere but its log. Here: 0, marked for review, and
    the report says the file is not valid JSON and where it breaks."""
    expect_outcome(graded, "invalid_json")
    summary, course = graded
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dl-foundations") as gradebook:
        notebook = gradebook.find_submission_notebook("activations", "02_activations", "invalid_json")
        assert all(grade.needs_manual_grade for grade in notebook.grades)


def test_other_assignment(graded):
    """The losses notebook (right answers) submitted as activations.ipynb. Plain nbgrader crashed:
    "Notebook failed to validate", exit 1, notebook lost. Here: 0, and the report says it looks like
    03_losses/losses.ipynb."""
    expect_outcome(graded, "other_assignment")
    issues = outcome_of(graded, "other_assignment").record["issues"]
    assert any("03_losses/losses.ipynb" in issue["message"] for issue in issues)


def test_deleted_cells(graded):
    """Right answers; the imports cell and `sigmoid_tests` deleted. Plain nbgrader was fooled against the
    student: sigmoid's 2 points lost (0, "needs manual grade") for a right answer. Here: both cells are
    restored from the assignment; 7 of 7, and the report says what was restored."""
    expect_outcome(graded, "deleted_cells")


def test_duplicated_cells(graded):
    """Right answers in the end: relu's answer cell copied below its test and fixed there, softmax_tests
    duplicated. Plain nbgrader crashed: "old version of the nbgrader metadata" (its de-duplication empties
    the copies' metadata), exit 1, notebook lost. Here: the last copy counts; 7 of 7; reported."""
    expect_outcome(graded, "duplicated_cells")


def test_changed_grade_ids(graded):
    """Right answers; relu's answer cell id became `relu_1` and softmax_tests' `softmax_tests_copy`.
    Plain nbgrader crashed: "Notebook failed to validate", exit 1, notebook lost. Here: the renamed answer
    still runs (as the student's own cell), the test is the instructor's; 7 of 7; reported."""
    expect_outcome(graded, "changed_grade_ids")


def test_changed_cell_types(graded):
    """Right answers; relu_tests turned into markdown and the imports cell into a raw cell. Plain nbgrader
    coped (7 of 7: it restores types) but said so only in its log. Here: 7 of 7 and the report says so."""
    expect_outcome(graded, "changed_cell_types")


def test_answer_to_markdown(graded):
    """Right answers; sigmoid's answer cell turned into markdown. Plain nbgrader coped (7 of 7) with only a
    log warning. Here: its text is run as code; 7 of 7; the report says so."""
    expect_outcome(graded, "answer_to_markdown")


def test_changed_kernelspec(graded):
    """Right answers; the kernel spec names R. Plain nbgrader coped (7 of 7: it restores the kernel spec)
    without a word. Here: 7 of 7, graded with Python 3, and the report says so."""
    expect_outcome(graded, "changed_kernelspec")


# --- the class as a whole -------------------------------------------------------------------------


def test_nothing_stopped_the_batch_and_every_student_has_a_row(graded):
    summary, course = graded
    assert all(o.graded for o in summary["outcomes"]) and not summary["problems"]
    rows = (course / "autograded" / "_grading" / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("student,") and len(rows) == 1 + len(REGISTRY)
    assert {r.split(",")[0] for r in rows[1:]} == set(REGISTRY)


def test_runaways_and_leaks_graded_among_the_class(graded):
    """The fork bomb, the busy workers, the leak between tests and the hidden in-place change, graded two
    at a time among every other fixture: each gets what its own test says, and so does everyone else."""
    for name in ("fork_bomb", "busy_workers", "file_leak_between_tests", "inplace_hidden_by_copies"):
        expect_outcome(graded, name)
    assert not fixtures.processes_named(BOMB) and not fixtures.processes_named(BUSY)


def test_every_result_was_computed_in_parallel_and_used(graded):
    summary, _ = graded
    report = (summary["out"] / "report.md").read_text()
    assert "were not used" not in report


def hidden_lines():
    """Distinctive lines found only in hidden blocks of the series (what must never reach a student): not in
    any visible check, read-only cell, solution or markdown of any source notebook, not even as part of a
    longer line there (the leak checks look for them as substrings).  A feedback page also shows the student's
    own code, which may import what a hidden test imports (`from checks.hidden import expect`) and name an
    exercise as a hidden test's argument line does (`categorical_crossentropy,`, 25 characters): import lines
    are left out, and a line must be longer than the student versions' 25 characters."""
    cells = [cell for path in sorted(SOLUTIONS.glob("*/*.ipynb")) for cell in nbformat.read(path, as_version=4).cells]
    return {line for line in secret_lines(cells, min_length=26) if "import" not in line}


def test_feedback_shows_no_hidden_test(graded):
    _, course = graded
    pages = sorted((course / "feedback").glob("*/*/*.html"))
    assert len(pages) == len(REGISTRY)
    secrets = hidden_lines()
    for page in pages:
        text = page.read_text()
        assert "BEGIN HIDDEN TESTS" not in text, page
        plain = re.sub(r"<[^>]+>", "", text).replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")
        leaked = [line for line in secrets if line in plain]
        assert not leaked, (page, leaked[:3])


def test_a_failed_hidden_test_is_named_in_the_feedback(graded):
    _, course = graded
    page = (course / "feedback" / "wrong_answers" / "02_activations" / "activations.html").read_text()
    assert "relu is not right yet" in page and "hidden tests are not shown" in page


def test_student_versions_hold_no_hidden_test():
    secrets = hidden_lines()
    for path in fixtures.RELEASE.glob("*/*.ipynb"):
        text = path.read_text()
        assert "BEGIN HIDDEN TESTS" not in text
        assert not [line for line in secrets if line in text], path


# --- grading again ---------------------------------------------------------------------------------


def test_grading_again_keeps_manual_grades_and_reports_every_change(tmp_path):
    """A second run over a changed class: a manual grade is kept and flagged, a changed auto grade is
    listed in the report, the gradebook was backed up first, the earlier submission is kept aside."""
    from nbgrader.api import Gradebook

    incoming = tmp_path / "incoming"
    fixtures.write_class(incoming, ["right_answers", "wrong_answers"])
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    settings = class_settings(tmp_path, jobs=2)
    classroom.grade_class(incoming, settings)
    with Gradebook(db_url, "dl-foundations") as gradebook:
        grade = gradebook.find_grade("relu_tests", "activations", "02_activations", "wrong_answers")
        grade.manual_score = 0.5
        gradebook.db.commit()
    # wrong_answers re-submits: now everything is right
    target = incoming / "wrong_answers" / "02_activations" / "activations.ipynb"
    target.write_bytes(REGISTRY["right_answers"].build())
    summary = classroom.grade_class(incoming, settings)
    with Gradebook(db_url, "dl-foundations") as gradebook:
        grade = gradebook.find_grade("relu_tests", "activations", "02_activations", "wrong_answers")
        assert grade.manual_score == 0.5 and grade.auto_score == 1.0 and grade.needs_manual_grade
    changed = {key[3]: (old, new) for key, old, new in summary["changed"] if key[0] == "wrong_answers"}
    assert set(changed) == {"relu_tests", "sigmoid_tests", "sigmoid_derivative_tests", "softmax_tests"}
    report = (summary["out"] / "report.md").read_text()
    assert "manual score 0.5 was kept" in report
    assert summary["backup"] and summary["backup"].exists()
    with Gradebook(f"sqlite:///{summary['backup']}", "dl-foundations") as backup:
        assert backup.find_grade("softmax_tests", "activations", "02_activations", "wrong_answers").auto_score == 0
    aside = list((tmp_path / "submitted" / "wrong_answers").glob("02_activations.replaced-*"))
    assert aside, "the earlier submission must be kept"


def test_a_grader_fault_is_never_a_students_zero(tmp_path, monkeypatch):
    """If the judge itself fails, nothing is written for that notebook and the report says so."""
    from nbgrader.api import Gradebook, MissingEntry

    from grading import runner

    incoming = tmp_path / "incoming"
    fixtures.write_class(incoming, ["right_answers"])
    monkeypatch.setattr(
        runner, "run_job", lambda job, file_folders=(), python=None: runner.judge_failure("simulated fault")
    )
    settings = class_settings(tmp_path)
    summary = classroom.grade_class(incoming, settings)
    (outcome,) = summary["outcomes"]
    assert not outcome.graded and "simulated fault" in outcome.error
    assert ("right_answers", "02_activations") not in summary["totals"]
    with Gradebook(settings.db_url, "dl-foundations") as gradebook:
        with pytest.raises(MissingEntry):
            gradebook.find_submission("02_activations", "right_answers")
    assert "Not graded" in (summary["out"] / "report.md").read_text()


# --- attacks on the grader itself (issue 10): what the grader before the sandbox did with each -------
# Each docstring says what the grader of main before the sandbox did with the fixture, as printed by
# `python tests/grading_fixtures/old_grader.py /tmp/main-copy NAME` (same limits as here).


def autograded_of(graded, name):
    _, course = graded
    return course / "autograded" / name / "02_activations" / "activations.ipynb"


def feedback_of(graded, name):
    _, course = graded
    return (course / "feedback" / name / "02_activations" / "activations.html").read_text()


def test_symlink_in_submission(graded):
    """Links in the submission to the solutions, a classmate and the gradebook, the answers run the solutions
    read through the link. Old grader fooled: 7 of 7 for no answer (the links were followed when the
    submission was copied in). Here: the links are refused and reported, 0."""
    expect_outcome(graded, "symlink_in_submission")
    _, course = graded
    submitted = course / "submitted" / "symlink_in_submission" / "02_activations"
    assert not any(p.is_symlink() for p in submitted.iterdir())
    assert not (submitted / "notes.txt").exists()
    page = feedback_of(graded, "symlink_in_submission")
    assert "readable: True" not in page
    notes = (course / "autograded" / "_grading" / "report.md").read_text()
    assert "symbolic link" in notes and "notes.txt" in notes


def test_log_symlink(graded, outside):
    """A link named like the grader's log, to a file of the instructor's, then a restart. Old grader: the
    judge reopened its log through the link and the file became "overwritten by a submission". Here: the
    judge's log is its own, the file is untouched; sigmoid's dropped cell costs only sigmoid."""
    expect_outcome(graded, "log_symlink")
    assert outside["sentinel"].read_text() == SENTINEL_TEXT


def test_fork_pid_lie(graded, outside):
    """The fork reply names a process outside the grader. Old grader: the judge SIGKILLed that process.
    Here: the pid comes from the kernel and is checked to be in the sandbox; the process lives, 7 of 7."""
    expect_outcome(graded, "fork_pid_lie")
    assert outside["victim"].poll() is None, "a process outside the grader was killed"


def test_inplace_hidden(graded):
    """relu overwrites its input and the student side reports no change. Old grader fooled: 7 of 7,
    unreported. Here: the judge compares the arguments sent back with its own copies: relu 0, reported."""
    expect_outcome(graded, "inplace_hidden")


def stray_processes():
    return fixtures.processes_named(STRAY_MARKER)


def test_stray_process(graded):
    """A grandchild in its own session, sleeping. Old grader: ended it too (its /proc reaper), after
    grading. Here: it ends with the cell that started it (as the sandbox's PID namespace would at the
    end); none is left."""
    expect_outcome(graded, "stray_process")
    assert not stray_processes()


def test_slow_reply(graded):
    """The first reply to relu sent a byte every 0.2 s. Old grader: the judge waited past the cell limit
    until the runner gave up: the notebook was not graded at all. Here: relu's call fails at the 8 s
    limit, the other exercises are scored."""
    expect_outcome(graded, "slow_reply")
    relu = next(t for t in outcome_of(graded, "slow_reply").record["tests"].values() if t["exercise"] == "relu")
    assert relu["seconds"] < LIMITS.cell_timeout + 5


def test_slow_hash(graded):
    """Replies of 60,000 colliding ints. Old grader: decoding held the judge to the notebook limit (240 s):
    0 of 7, the other exercises "not run", a 3 MB autograded notebook. Here: relu's calls fail at the
    limit, 6 of 7."""
    expect_outcome(graded, "slow_hash")
    relu = next(t for t in outcome_of(graded, "slow_hash").record["tests"].values() if t["exercise"] == "relu")
    assert relu["seconds"] < LIMITS.cell_timeout + 5


def test_output_flood(graded):
    """40 MB printed after lifting the student side's cap. Old grader: a 40 MB autograded notebook and a
    1.5 MB report.md for the class. Here: a notebook's outputs are capped (500,000 characters of text)."""
    expect_outcome(graded, "output_flood")
    summary, course = graded
    assert autograded_of(graded, "output_flood").stat().st_size < 2_000_000
    assert (course / "feedback" / "output_flood" / "02_activations" / "activations.html").stat().st_size < 3_000_000
    for name in ("report.md", "report.csv"):
        assert (summary["out"] / name).stat().st_size < 1_000_000


def test_fake_report_heading(graded):
    """An exception message that is a report heading. Old grader: report.md held two headings for
    right_answers, one of them fake. Here: one line, escaped."""
    expect_outcome(graded, "fake_report_heading")
    report = (graded[0]["out"] / "report.md").read_text()
    headings = [line for line in report.splitlines() if line.startswith("### right_answers /")]
    assert len(headings) == 1, headings
    assert "copied from a classmate" in report  # still reported, as one escaped line
    assert not any(line.startswith("- copied") for line in report.splitlines())


def test_network_leak(graded, outside):
    """relu sends its inputs to a listener on the grading machine. Old grader: the listener received
    the tests' inputs. Here: no network; nothing arrives; reported."""
    expect_outcome(graded, "network_leak")
    assert outside["heard"] == []


def test_exception_leak(graded):
    """relu raises with the hidden input as message. Old grader: the hidden input was in the feedback.
    Here: a student exception raised in a hidden block reaches the test without its message (the
    instructor's record keeps it); relu 0."""
    expect_outcome(graded, "exception_leak")
    messages = " ".join(t["message"] for t in outcome_of(graded, "exception_leak").record["tests"].values())
    assert "LEAKED" not in messages and "not shown in a hidden test" in messages
    assert "LEAKED" not in feedback_of(graded, "exception_leak")


def test_file_leak(graded):
    """relu writes its inputs to a file that a later cell prints. Old grader: the hidden inputs reach the
    feedback through sigmoid's cell output. Here: every cell runs before any test (each test's state is
    kept aside), so no cell output can hold what a test gave; 7 of 7."""
    expect_outcome(graded, "file_leak")
    # The read-only demo cells call relu too (their inputs are public); the hidden tests' 3-D tensor
    # would show as a list of lists of lists.
    assert "LEAKED [[[" not in feedback_of(graded, "file_leak")


def test_list_grade_id(graded):
    """A list as grade_id. Old grader: TypeError, the notebook was not graded and no zero recorded.
    Here: the cell runs as the student's own, 7 of 7, noted."""
    expect_outcome(graded, "list_grade_id")


def test_file_named_like_folder(graded):
    """Plain files named like the folders the judge made. Old grader: the judge failed, the notebook
    was not graded. Here: 7 of 7 (the grader writes nothing into the student's folder)."""
    expect_outcome(graded, "file_named_like_folder")


# --- runaway processes: capped, and ended with the cell or test that started them ---------------------
# Graded as a class of their own, with the controls, while a counter outside the grader watches how many
# of their processes run at once.  The docstrings say what main's grader before the limits did, as
# printed by `python tests/grading_fixtures/old_grader.py /tmp/main-copy fork_bomb busy_workers`.

RUNAWAY_CLASS = ["fork_bomb", "busy_workers", "right_answers", "wrong_answers"]
BOMB, BUSY = attack_fixtures.BOMB_MARKER.encode(), attack_fixtures.BUSY_MARKER.encode()


@pytest.fixture(scope="module")
def runaway_class(tmp_path_factory):
    """`(summary, course folder, {marker: most processes seen at once})`."""
    course = tmp_path_factory.mktemp("runaways")
    fixtures.write_class(course / "incoming", RUNAWAY_CLASS)
    settings = class_settings(course, jobs=2)
    with fixtures.ProcessCounter((BOMB, BUSY), every=0.05) as counter:
        summary = classroom.grade_class(course / "incoming", settings)
    return summary, course, counter.most


def printed_numbers(runaway_class, name, words):
    _, course, _ = runaway_class
    lines = fixtures.printed_lines(course / "autograded" / name / "02_activations" / "activations.ipynb", (words,))
    return [int(line.rsplit(":", 1)[1]) for line in lines]


def test_fork_bomb(runaway_class):
    """A fork bomb in relu (bounded at 256 processes for the experiment). Old grader: nothing stopped it:
    656 processes in the sandbox, 513 of the bomb's running at once on the machine (an unbounded bomb
    takes the machine down), and relu out of time: 6 of 7. Here: the sandbox's processes are capped
    (RLIMIT_NPROC, counted per sandbox), the bomb's end with relu's test, 7 of 7, none left; the
    class's other notebooks are graded as usual."""
    summary, course, most = runaway_class
    for name in ("fork_bomb", "right_answers", "wrong_answers"):
        expect_outcome((summary, course), name)
    limit = sandbox.runaway_limits(LIMITS.to_dict(), test_cells=4)["processes"]
    seen = printed_numbers(runaway_class, "fork_bomb", "processes in the sandbox after the fork bomb")
    assert seen and max(seen) <= limit + 1, (seen, limit)  # + 1: bubblewrap's own init, not the sandbox's user
    assert 0 < most[BOMB] <= limit, (most, limit)
    assert not fixtures.processes_named(BOMB)


def test_busy_workers(runaway_class):
    """relu starts four busy-looping workers and leaves them running. Old grader: they kept running
    through the cells and tests after it (sigmoid saw all 4; 8 ran at once on the machine) until the
    notebook's grading ended. Here: every process a cell or a test started ends with it: sigmoid sees
    none, at most one call's 4 run at once, 7 of 7, none left."""
    summary, course, most = runaway_class
    expect_outcome((summary, course), "busy_workers")
    seen = printed_numbers(runaway_class, "busy_workers", "busy workers still running")
    assert seen and set(seen) == {0}, seen
    assert 0 < most[BUSY] <= 4, most
    assert not fixtures.processes_named(BUSY)


def test_file_leak_between_tests(tmp_path):
    """relu writes its inputs to a file in its folder and in /tmp; sigmoid, tested later, prints them.
    Old grader: every test's process shared the sandbox's folders, so sigmoid's visible checks showed
    relu's hidden 3 x 4 x 5 input in the autograded notebook and the feedback. Here: before each test the
    judge puts the folders back as the last cell left them; nothing relu's tests wrote is there; 7 of 7."""
    fixtures.write_class(tmp_path / "incoming", ["file_leak_between_tests"])
    settings = class_settings(tmp_path, feedback=True)
    summary = classroom.grade_class(tmp_path / "incoming", settings)
    expect_outcome((summary, tmp_path), "file_leak_between_tests")
    folder = Path("file_leak_between_tests") / "02_activations"
    graded = (tmp_path / "autograded" / folder / "activations.ipynb").read_text()
    assert "leak.txt holds" in graded and "/tmp/leak.txt holds" in graded  # what the cells wrote is there
    assert "LEAKED [[[" not in graded
    assert "LEAKED [[[" not in (tmp_path / "feedback" / folder / "activations.html").read_text()


def test_inplace_hidden_by_copies(tmp_path):
    """relu overwrites its input; the student process, reached through a function's `__globals__`, sends
    back copies of the arguments taken before each call. Old grader fooled: 7 of 7, unreported. Here:
    still 7 of 7 -- no judge can see inside the student process (GRADING.md, "What it does not do") and
    the test's own arrays were never changed -- but the scan reports the code that hid it."""
    fixtures.write_class(tmp_path / "incoming", ["inplace_hidden_by_copies"])
    settings = class_settings(tmp_path)
    summary = classroom.grade_class(tmp_path / "incoming", settings)
    expect_outcome((summary, tmp_path), "inplace_hidden_by_copies")
    record = outcome_of((summary, tmp_path), "inplace_hidden_by_copies").record
    found = " | ".join(f["what"] for f in record["tampering"])
    assert "changed an input in place" not in found  # the limit, as it is


# --- where no sandbox can start --------------------------------------------------------------------


def test_without_a_sandbox_the_command_refuses_and_names_what_is_missing(tmp_path, monkeypatch, capsys):
    from grading import sandbox

    monkeypatch.setattr(sandbox, "availability", lambda: (False, "bubblewrap (`bwrap`) is not installed"))
    fixtures.write_class(tmp_path / "incoming", ["right_answers"])
    status = classroom.main(
        [
            str(tmp_path / "incoming"),
            "--course-dir",
            str(tmp_path),
            "--gradebook",
            f"sqlite:///{tmp_path / 'gradebook.db'}",
            "--no-feedback",
        ]
    )
    error = capsys.readouterr().err
    assert status == 2 and "bwrap" in error and "apt-get install bubblewrap" in error and "--no-sandbox" in error
    assert not (tmp_path / "gradebook.db").exists() and not (tmp_path / "submitted").exists()


def test_the_flagged_fallback_grades_and_every_report_and_feedback_says_so(tmp_path, monkeypatch):
    from grading import sandbox

    monkeypatch.setattr(sandbox, "availability", lambda: (False, "bubblewrap (`bwrap`) is not installed"))
    fixtures.write_class(tmp_path / "incoming", ["right_answers"])
    limits = fixtures.tight_limits(sandbox="off")
    settings = class_settings(tmp_path, feedback=True, limits=limits)
    summary = classroom.grade_class(tmp_path / "incoming", settings)
    assert summary["totals"][("right_answers", "02_activations")] == (7.0, 7.0)
    report = (summary["out"] / "report.md").read_text().splitlines()
    assert "WITHOUT a sandbox" in report[2]
    (outcome,) = summary["outcomes"]
    assert outcome.record["sandbox"]["note"] == sandbox.UNSANDBOXED_NOTE
    page = (tmp_path / "feedback" / "right_answers" / "02_activations" / "activations.html").read_text()
    assert "Graded without a sandbox" in page and "WITHOUT a sandbox" in page


@pytest.mark.skipif(os.geteuid() != 0, reason="without a sandbox, only root's processes are never counted")
def test_the_sandbox_check_sees_a_fork_bomb_and_a_busy_loop_where_nothing_limits_them():
    """The check can fail: graded without a sandbox by root (whose processes the kernel never counts), the
    fork bomb gets past the limit; with the sandbox it is stopped at the limit, and a busy loop at the
    CPU-time limit."""
    from grading import sandbox_check

    _, without = sandbox_check.run_check("off")
    for pid in fixtures.processes_named(sandbox_check.MARKER.encode()):  # without a sandbox it stays
        os.kill(pid, 9)
    assert without["fork past the process limit"].startswith("ALLOWED"), without
    isolated, found = sandbox_check.run_check()
    assert isolated, {k: v for k, v in found.items() if v.startswith("ALLOWED")}
    assert found["fork past the process limit"].startswith("refused"), found
    assert "each may use" in found["busy-loop past the CPU-time limit"], found
