"""Each solution notebook has an up-to-date readable pair in review/ (tools/pairing.py), and a stale one is named."""

import shutil

import nbformat

from grading.cells import nbgrader_meta
from tools import pairing
from tools.notebooks import ROOT, SOLUTIONS, solution_notebooks


def test_every_solution_notebook_has_an_up_to_date_pair():
    report = pairing.staleness_report(pairing.stale_pairs(solution_notebooks()), pairing.orphan_pairs())
    assert not report, report


def test_the_pairs_are_outside_what_nbgrader_copies_into_the_student_versions():
    """generate_assignment copies every non-notebook file of solutions/<A>/ into notebooks/<A>/."""
    assert not [p for p in SOLUTIONS.rglob("*.py")], "a .py in solutions/ would be handed out with the notebook"
    assert pairing.PAIRS.parent == ROOT and pairing.PAIRS.name != SOLUTIONS.name


def hidden_test_cell(notebook):
    return next(c for c in notebook.cells if "### BEGIN HIDDEN TESTS" in c.source)


def test_a_changed_hidden_test_makes_the_pair_stale_and_reads_as_a_python_diff(tmp_path):
    solutions, pairs = tmp_path / "solutions", tmp_path / "review"
    source = solution_notebooks()[0]
    copy = solutions / source.parent.name / source.name
    copy.parent.mkdir(parents=True)
    shutil.copy(source, copy)
    assert pairing.stale_pairs([copy], solutions, pairs) == [copy], "a missing pair is not reported"
    assert pairing.write_pairs([copy], solutions, pairs) == [pairs / source.parent.name / f"{source.stem}.py"]
    assert pairing.stale_pairs([copy], solutions, pairs) == []
    before = pairing.pair_path(copy, solutions, pairs).read_text()

    notebook = nbformat.read(copy, as_version=4)
    cell = hidden_test_cell(notebook)
    cell.source = cell.source.replace(
        "### END HIDDEN TESTS", "assert 1 + 1 == 2  # a new hidden test\n### END HIDDEN TESTS"
    )
    points = nbgrader_meta(cell)["points"]
    nbgrader_meta(cell)["points"] = points + 1
    nbformat.write(notebook, copy)
    assert pairing.stale_pairs([copy], solutions, pairs) == [copy]
    pairing.write_pairs([copy], solutions, pairs)
    after = pairing.pair_path(copy, solutions, pairs).read_text()
    added = set(after.splitlines()) - set(before.splitlines())
    grade_id = nbgrader_meta(cell)["grade_id"]
    assert "assert 1 + 1 == 2  # a new hidden test" in added
    assert any(
        line.startswith("# %% nbgrader=") and grade_id in line and f'"points": {points + 1}' in line for line in added
    )
    assert len(added) == 2, f"more than the two changed lines differ: {added}"


def test_a_pair_whose_notebook_is_gone_is_named(tmp_path):
    solutions, pairs = tmp_path / "solutions", tmp_path / "review"
    (solutions / "01_a").mkdir(parents=True)
    (pairs / "01_a").mkdir(parents=True)
    (pairs / "01_a" / "gone.py").write_text("# %%\n")
    assert pairing.orphan_pairs(solutions, pairs) == [pairs / "01_a" / "gone.py"]
