"""One real nbgrader round trip per assignment and edition, each edition with its own nbgrader config.

For every assignment, in a temporary course directory of each edition (English: the repository root's
`nbgrader_config.py`; Korean: `ko/nbgrader_config.py`, a course of its own whose grader speaks Korean):
`generate_assignment`; submit, for student `good`, the student versions with every answer cell filled in
from the reference solution and, for student `blank`, the untouched student versions; then `autograde`,
`generate_feedback` and `export`.  The good submission must earn full marks on every graded cell, the
blank one zero on every graded cell, and the exported CSV must say the same; the Korean course must give
every graded cell the score the English one gives for the same answers; and each student's feedback
speaks the edition's language.

The tests of each edition are a class (`TestEnglishCourse`, `TestKoreanCourse`), so that pytest-xdist's
`--dist loadscope` can grade the two editions on two workers; `-k "Korean and 02_activations"` runs the
round trip of one assignment in one edition.
"""

import csv
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from checks import i18n
from editions import EDITIONS, ENGLISH, KOREAN, Edition, speaking
from nbcells import SOLUTION, nbgrader_meta
from tools.notebooks import assignments, nbgrader_command, subprocess_env

STUDENTS = ("good", "blank")
# What a blank submission's visible checks say in its feedback (a stub raises NotImplementedError).
STUB_REASON = "it raised NotImplementedError"


@dataclass(frozen=True)
class Course:
    """A temporary nbgrader course of one edition, taken through the round trip of one assignment."""

    edition: Edition
    assignment: str
    root: Path

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def nbgrader(self, *args):
        """Run one nbgrader command on this course, from the edition's folder so that its config applies."""
        options = [f"--CourseDirectory.root={self.root}", f"--CourseDirectory.db_url={self.db_url}"]
        result = subprocess.run(
            nbgrader_command(*args, *options),
            cwd=self.edition.course_root,
            env=subprocess_env(),
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def sources(self) -> list[Path]:
        return sorted((self.edition.solutions / self.assignment).glob("*.ipynb"))


def filled_in(student_notebook, source_notebook):
    """The student version with each answer cell replaced by the reference solution, markers removed."""
    solutions = {
        nbgrader_meta(c)["grade_id"]: SOLUTION.sub(lambda m: m.group(1), c.source)
        for c in source_notebook.cells
        if nbgrader_meta(c).get("solution")
    }
    for cell in student_notebook.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = solutions[nbgrader_meta(cell)["grade_id"]]
    return student_notebook


def submit(course: Course, student, make_notebook):
    folder = course.root / "submitted" / student / course.assignment
    folder.mkdir(parents=True)
    for released in sorted((course.root / "notebooks" / course.assignment).glob("*.ipynb")):
        nbformat.write(make_notebook(released), folder / released.name)


def round_trip(course: Course) -> Course:
    """generate, submit (good and blank), autograde, feedback and export, on one assignment of one edition."""
    shutil.copytree(course.edition.solutions / course.assignment, course.root / "solutions" / course.assignment)
    course.nbgrader("generate_assignment", course.assignment, "--force")
    submit(course, "blank", lambda p: nbformat.read(p, as_version=4))
    submit(
        course,
        "good",
        lambda p: filled_in(
            nbformat.read(p, as_version=4),
            nbformat.read(course.edition.solutions / course.assignment / p.name, as_version=4),
        ),
    )
    course.nbgrader("autograde", course.assignment, "--force")
    course.nbgrader("generate_feedback", course.assignment, "--force")
    course.nbgrader("export", f"--to={course.root / 'grades.csv'}")
    return course


def graded_cells(course: Course):
    """`(student, assignment, notebook, grade_id, score, max_score)` for every graded cell."""
    rows = []
    with Gradebook(course.db_url, course.edition.course_id) as gradebook:
        for student in STUDENTS:
            submission = gradebook.find_submission(course.assignment, student)
            for notebook in submission.notebooks:
                rows += [
                    (student, course.assignment, notebook.name, grade.name, grade.score, grade.max_score)
                    for grade in notebook.grades
                ]
    return rows


def feedback_pages(course: Course, student: str) -> dict:
    """`{notebook name: the text of its feedback page}` for one student."""
    pages = {}
    for source in course.sources():
        page = course.root / "feedback" / student / course.assignment / f"{source.stem}.html"
        assert page.is_file(), f"no feedback for {student}'s {source.name}"
        pages[source.name] = page.read_text(encoding="utf-8")
    return pages


def stub_reason(edition: Edition) -> str:
    with speaking(edition):
        return i18n._(STUB_REASON)


@pytest.fixture(scope="class", params=assignments())
def course(request, tmp_path_factory):
    """A course of the test class's edition taken through generate, submit, autograde, feedback and export
    of one assignment."""
    edition = request.cls.EDITION
    root = tmp_path_factory.mktemp(f"course-{edition}-{request.param}")
    return round_trip(Course(edition, request.param, root))


class RoundTrip:
    """The round-trip tests of one edition's course (`EDITION`), one course per assignment."""

    EDITION: Edition

    def test_every_graded_cell_is_graded(self, course):
        rows = graded_cells(course)
        graded_ids = {(r[0], r[2], r[3]) for r in rows}
        for source in course.sources():
            test_cells = [
                nbgrader_meta(c)["grade_id"]
                for c in nbformat.read(source, as_version=4).cells
                if nbgrader_meta(c).get("grade")
            ]
            assert test_cells, f"{source.name} has no graded cell"
            for student in STUDENTS:
                missing = [g for g in test_cells if (student, source.stem, g) not in graded_ids]
                assert not missing, f"{student}'s {source.name}: graded cells without a grade: {missing}"

    def test_reference_solutions_earn_full_marks(self, course):
        short = [r for r in graded_cells(course) if r[0] == "good" and r[4] != r[5]]
        assert not short, f"graded cells the reference solution does not get full marks on: {short}"

    def test_untouched_student_versions_earn_zero(self, course):
        earned = [r for r in graded_cells(course) if r[0] == "blank" and r[4] != 0]
        assert not earned, f"graded cells the unfilled stubs earn marks on (a broken test): {earned}"

    def test_feedback_is_written_for_every_submission(self, course):
        for student in STUDENTS:
            assert feedback_pages(course, student)

    def test_feedback_speaks_the_editions_language(self, course):
        """A blank submission's feedback shows its failed visible checks in the edition's language, no other."""
        reason = stub_reason(course.edition)
        others = {stub_reason(e) for e in EDITIONS} - {reason}
        assert len(others) == len(EDITIONS) - 1, f"{STUB_REASON!r} has no translation in every edition"
        for name, page in feedback_pages(course, "blank").items():
            assert reason in page, f"the feedback of a blank {name} does not say {reason!r}"
            spoken = [other for other in others if other in page]
            assert not spoken, f"the feedback of a blank {name} ({course.edition} course) says {spoken}"

    def test_export_has_the_expected_scores(self, course):
        with open(course.root / "grades.csv", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r["student_id"] in STUDENTS]
        assert {(r["student_id"], r["assignment"]) for r in rows} == {(s, course.assignment) for s in STUDENTS}
        for row in rows:
            expected = float(row["max_score"]) if row["student_id"] == "good" else 0.0
            assert float(row["raw_score"]) == pytest.approx(expected), row


class TestEnglishCourse(RoundTrip):
    EDITION = ENGLISH


class TestKoreanCourse(RoundTrip):
    EDITION = KOREAN

    def test_every_graded_cell_scores_as_in_the_english_course(self, course):
        """The graded cells are the English notebooks' (grade_ids, points), and the same answers score as the
        English course is tested to score them: full marks for the reference solution, zero for a blank."""
        expected = []
        for source in sorted((ENGLISH.solutions / course.assignment).glob("*.ipynb")):
            for cell in nbformat.read(source, as_version=4).cells:
                meta = nbgrader_meta(cell)
                if meta.get("grade"):
                    points = float(meta["points"])
                    expected += [
                        ("good", course.assignment, source.stem, meta["grade_id"], points, points),
                        ("blank", course.assignment, source.stem, meta["grade_id"], 0.0, points),
                    ]
        assert expected and sorted(graded_cells(course)) == sorted(expected)
