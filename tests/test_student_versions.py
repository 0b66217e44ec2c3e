"""The student versions in notebooks/ are exactly what nbgrader writes, and give nothing away."""
import filecmp
import re

import nbformat
import pytest

from nbcells import HIDDEN, SOLUTION, SOLUTIONS, load_exercises
from tools.notebooks import NOTEBOOKS, generate_student_versions

SOURCE_NOTEBOOKS = sorted(SOLUTIONS.glob("*/*.ipynb"))
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
DISTINCTIVE = 25  # a solution or hidden-test line at least this long must not appear in a student version


def relative_files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def student_version(source):
    return NOTEBOOKS / source.relative_to(SOLUTIONS)


def distinctive_lines(block):
    return [line.strip() for line in block.splitlines() if len(line.strip()) >= DISTINCTIVE]


def test_every_assignment_has_a_notebook():
    assert SOURCE_NOTEBOOKS, "no source notebooks under solutions/"


def test_student_versions_are_up_to_date(tmp_path):
    """Regenerating from solutions/ with nbgrader gives notebooks/ byte for byte (else: course.py generate)."""
    generate_student_versions(release_dir=tmp_path)
    assert relative_files(tmp_path) == relative_files(NOTEBOOKS)
    stale = [str(p) for p in relative_files(tmp_path) if not filecmp.cmp(tmp_path / p, NOTEBOOKS / p, shallow=False)]
    assert not stale, f"stale student versions (run `python3 course.py generate`): {stale}"


@pytest.mark.parametrize("source", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_no_solution_or_hidden_test_reaches_students(source):
    student = student_version(source).read_text()
    text = "\n".join(cell.source for cell in nbformat.reads(student, as_version=4).cells)
    for marker in MARKERS:
        assert marker not in student
    original = nbformat.read(source, as_version=4)
    for cell in original.cells:
        secret_blocks = [m.group(1) for pattern in (SOLUTION, HIDDEN) for m in pattern.finditer(cell.source)]
        for block in secret_blocks:
            for line in distinctive_lines(block):
                assert line not in text, f"{source.name}: a solution or hidden-test line reached students: {line!r}"


@pytest.mark.parametrize("source", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_student_versions_have_stubs_and_no_outputs(source):
    nb = nbformat.read(student_version(source), as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    assert set(answers) == set(load_exercises(source))
    for name, cell in answers.items():
        assert re.search(r"raise NotImplementedError\(\)", cell.source), f"{name}: no stub in the student version"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("source", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_source_notebooks_are_executed_and_pinned(source):
    """solutions/ is committed with outputs (nbval's reference) and the pinned kernel."""
    nb = nbformat.read(source, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code if c.source.strip()), "run `python3 course.py refresh`"
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
