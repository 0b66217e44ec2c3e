"""One real nbgrader round trip over the whole series, with this repository's config.

In a temporary course directory: `generate_assignment` every assignment; submit, for student `good`,
the student versions with every answer cell filled in from the reference solution and, for student
`blank`, the untouched student versions; then `autograde`, `generate_feedback` and `export`.  The
good submission must earn full marks on every graded cell, the blank one zero on every graded cell,
and the exported CSV must say the same.
"""
import csv
import shutil
import subprocess

import nbformat
import pytest
from nbgrader.api import Gradebook

from nbcells import SOLUTION, SOLUTIONS, nbgrader_meta
from tools.notebooks import ROOT, assignments, nbgrader_command, subprocess_env

STUDENTS = ("good", "blank")
COURSE = "dl-foundations"


def nbgrader(course, *args):
    """Run one nbgrader command on the temporary course; fail with its output when it fails."""
    options = [f"--CourseDirectory.root={course}", f"--CourseDirectory.db_url={db_url(course)}"]
    result = subprocess.run(nbgrader_command(*args, *options), cwd=ROOT, env=subprocess_env(),
                            capture_output=True, text=True)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def db_url(course):
    return f"sqlite:///{course / 'gradebook.db'}"


def filled_in(student_notebook, source_notebook):
    """The student version with each answer cell replaced by the reference solution, markers removed."""
    solutions = {nbgrader_meta(c)["grade_id"]: SOLUTION.sub(lambda m: m.group(1), c.source)
                 for c in source_notebook.cells if nbgrader_meta(c).get("solution")}
    for cell in student_notebook.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = solutions[nbgrader_meta(cell)["grade_id"]]
    return student_notebook


def submit(course, student, assignment, make_notebook):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for released in sorted((course / "notebooks" / assignment).glob("*.ipynb")):
        nbformat.write(make_notebook(released), folder / released.name)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory taken through generate, submit, autograde, feedback and export."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(SOLUTIONS, course / "solutions")
    for assignment in assignments():
        nbgrader(course, "generate_assignment", assignment, "--force")
        submit(course, "blank", assignment, lambda p: nbformat.read(p, as_version=4))
        submit(course, "good", assignment, lambda p, a=assignment: filled_in(
            nbformat.read(p, as_version=4), nbformat.read(SOLUTIONS / a / p.name, as_version=4)))
    for assignment in assignments():
        nbgrader(course, "autograde", assignment, "--force")
        nbgrader(course, "generate_feedback", assignment, "--force")
    nbgrader(course, "export", f"--to={course / 'grades.csv'}")
    return course


def graded_cells(course):
    """`(student, assignment, notebook, grade_id, score, max_score)` for every graded cell."""
    rows = []
    with Gradebook(db_url(course), COURSE) as gradebook:
        for assignment in assignments():
            for student in STUDENTS:
                submission = gradebook.find_submission(assignment, student)
                for notebook in submission.notebooks:
                    rows += [(student, assignment, notebook.name, grade.name, grade.score, grade.max_score)
                             for grade in notebook.grades]
    return rows


def test_every_graded_cell_is_graded(course):
    rows = graded_cells(course)
    for assignment in assignments():
        for student in STUDENTS:
            assert any(r[0] == student and r[1] == assignment for r in rows), (student, assignment)


def test_reference_solutions_earn_full_marks(course):
    short = [r for r in graded_cells(course) if r[0] == "good" and r[4] != r[5]]
    assert not short, f"graded cells the reference solution does not get full marks on: {short}"


def test_untouched_student_versions_earn_zero(course):
    earned = [r for r in graded_cells(course) if r[0] == "blank" and r[4] != 0]
    assert not earned, f"graded cells the unfilled stubs earn marks on (a broken test): {earned}"


def test_feedback_is_written_for_every_submission(course):
    for student in STUDENTS:
        for assignment in assignments():
            for source in (SOLUTIONS / assignment).glob("*.ipynb"):
                assert (course / "feedback" / student / assignment / f"{source.stem}.html").is_file()


def test_export_has_the_expected_scores(course):
    with open(course / "grades.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["student_id"] in STUDENTS]
    assert {(r["student_id"], r["assignment"]) for r in rows} == {(s, a) for s in STUDENTS for a in assignments()}
    for row in rows:
        expected = float(row["max_score"]) if row["student_id"] == "good" else 0.0
        assert float(row["raw_score"]) == pytest.approx(expected), row
