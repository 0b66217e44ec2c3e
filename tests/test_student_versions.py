"""The student versions in notebooks/ are exactly what nbgrader writes, give nothing away, and run to the end."""

import filecmp
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nbcells import HIDDEN, SOLUTION, SOLUTIONS, load_exercises, nbgrader_meta, secret_lines
from tools.notebooks import CELL_TIMEOUT, KERNEL_NAME, NOTEBOOKS, QUIET_KERNEL, ROOT, generate_student_versions
from tools.run_all_tags import TAG
from tools.selfstudy import holds_learner_work

SOURCE_NOTEBOOKS = sorted(SOLUTIONS.glob("*/*.ipynb"))
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def relative_files(folder):
    """The files under `folder`, relative to it, leaving out hidden ones such as .ipynb_checkpoints/."""
    return sorted(
        p.relative_to(folder)
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def tracked_student_files():
    """The files git tracks under notebooks/ (None outside a git checkout, e.g. an unpacked archive)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", NOTEBOOKS.name], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted(Path(p).relative_to(NOTEBOOKS.name) for p in listed.split("\0") if p)


def student_version(source):
    return NOTEBOOKS / source.relative_to(SOLUTIONS)


def advice(stale, with_work):
    """What to do about student versions that differ from nbgrader's, never at the cost of someone's answers."""
    lines = []
    for path in with_work:
        lines.append(
            f"notebooks/{path} holds answers or outputs, perhaps a learner's work. Self-study now "
            f"works on a copy (`python3 course.py lab` opens my-notebooks/). To keep this work, copy "
            f"it to a new name first, e.g. `cp notebooks/{path} "
            f"my-notebooks/{path.with_name(path.stem + '-from-notebooks' + path.suffix)}`, then "
            f"`git checkout -- notebooks/{path}`."
        )
    if stale:
        lines.append(
            f"stale student versions {[str(p) for p in stale]}: run `python3 course.py generate`"
            + (" once the work above is kept" if with_work else "")
        )
    return "\n".join(lines)


def test_every_assignment_has_a_notebook():
    assert SOURCE_NOTEBOOKS, "no source notebooks under solutions/"


def test_student_versions_are_up_to_date(tmp_path):
    """Regenerating from solutions/ with nbgrader gives notebooks/ byte for byte.

    Hidden files (JupyterLab's .ipynb_checkpoints/) and files git does not track (a learner's own)
    are no part of the student versions and are left out of the comparison.
    """
    generate_student_versions(release_dir=tmp_path)
    generated = relative_files(tmp_path)
    missing = [str(p) for p in generated if not (NOTEBOOKS / p).is_file()]
    assert not missing, f"student versions missing from notebooks/ (run `python3 course.py generate`): {missing}"
    tracked = tracked_student_files()
    leftovers = [str(p) for p in tracked or [] if p not in generated]
    assert not leftovers, f"tracked files in notebooks/ that nbgrader no longer writes (git rm them): {leftovers}"
    differ = [p for p in generated if not filecmp.cmp(tmp_path / p, NOTEBOOKS / p, shallow=False)]
    with_work = [p for p in differ if p.suffix == ".ipynb" and holds_learner_work(NOTEBOOKS / p)]
    stale = [p for p in differ if p not in with_work]
    assert not differ, advice(stale, with_work)


def test_the_advice_keeps_a_learners_work(tmp_path):
    """A notebook someone answered in is never met with `course.py generate` alone."""
    answered, untouched = tmp_path / "tensors.ipynb", tmp_path / "untouched.ipynb"
    generate_student_versions(release_dir=tmp_path / "generated", chosen=["01_tensors"])
    nb = nbformat.read(tmp_path / "generated" / "01_tensors" / "tensors.ipynb", as_version=4)
    nbformat.write(nb, untouched)
    answer = next(c for c in nb.cells if nbgrader_meta(c).get("solution"))
    answer.source = "def describe_tensor(x):\n    return 0, (), 'int64'\n"
    nbformat.write(nb, answered)
    assert holds_learner_work(answered)
    assert not holds_learner_work(untouched)
    text = advice(stale=[], with_work=[answered.relative_to(tmp_path)])
    assert "course.py generate" not in text and "cp notebooks/tensors.ipynb my-notebooks/" in text


def refuse_learner_work(student):
    """A student version someone has worked in is reported as such (with advice that keeps the work),
    not as a leaked solution or a missing stub."""
    if holds_learner_work(student):
        pytest.fail(advice(stale=[], with_work=[student.relative_to(NOTEBOOKS)]))


@pytest.mark.parametrize("source", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_no_solution_or_hidden_test_reaches_students(source):
    refuse_learner_work(student_version(source))
    student = student_version(source).read_text()
    text = "\n".join(cell.source for cell in nbformat.reads(student, as_version=4).cells)
    for marker in MARKERS:
        assert marker not in student
    original = nbformat.read(source, as_version=4)
    for line in sorted(secret_lines(original.cells, (SOLUTION, HIDDEN))):
        assert line not in text, f"{source.name}: a solution or hidden-test line reached students: {line!r}"


@pytest.mark.parametrize("source", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_student_versions_have_stubs_and_no_outputs(source):
    refuse_learner_work(student_version(source))
    nb = nbformat.read(student_version(source), as_version=4)
    answers = {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c).get("solution")}
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
    tagged = [c for c in code if TAG in c.metadata.get("tags", [])]
    assert not tagged, f"{TAG} in a source notebook would let nbval pass a cell that fails (tag student versions only)"


@pytest.mark.parametrize("source", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_run_all_with_stubs_reaches_the_end(source, tmp_path):
    """Every answer a stub, the student version runs to its last cell as Run All does: a cell that fails
    stops the run unless it is tagged raises-exception (nbclient honours the tag as JupyterLab does).
    Every visible check fails on its stub."""
    folder = tmp_path / source.parent.name
    shutil.copytree(student_version(source).parent, folder, ignore=shutil.ignore_patterns(".*"))
    nb = nbformat.read(folder / source.name, as_version=4)
    NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL_NAME,
        extra_arguments=QUIET_KERNEL,
        resources={"metadata": {"path": str(folder)}},
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code if c.source.strip()), "Run All left cells unrun"
    checks = [
        c for c in code if nbgrader_meta(c).get("grade") and ".check(" in c.source
    ]  # hidden-only cells run nothing
    unfailed = [nbgrader_meta(c)["grade_id"] for c in checks if not any(o.output_type == "error" for o in c.outputs)]
    assert checks and not unfailed, f"checks that do not fail on a stub: {unfailed}"
