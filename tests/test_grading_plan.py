"""The notebook that gets graded: rebuilt from the instructor's source around the submission's answers.

No execution here: these tests check `grading.plan.rebuild` on damaged submissions (which issues it
reports, which cells it restores), the judge's job made from it, the tamper scan, and the rule the
judge relies on: a test cell refers to no notebook name but its own exercise.
"""

import ast

import nbformat
import pytest

import grading_fixtures as fixtures
from grading import limits, messages, plan, scan
from grading.nbgrader_plugins import catalogue, read_notebook
from nbcells import SOLUTIONS, nbgrader_meta

fixtures.load_all()


def rebuild_bytes(assignment, data, tmp_path):
    path = tmp_path / "submitted.ipynb"
    path.write_bytes(data)
    nb, extra = read_notebook(str(path))
    source, _ = fixtures.notebook_path(assignment)
    cells, kernelspec, _ = plan.load_source(source)
    early = [plan.Issue(**i) for i in extra.get("grading_issues", [])]
    submission = None if extra.get("grading_unreadable") else nb
    return plan.rebuild(cells, kernelspec, submission, source.name, catalogue(SOLUTIONS), issues=early)


def codes(issues):
    return {issue.code for issue in issues}


def graded_sources(nb):
    """`{grade_id: source}` of the rebuilt notebook's nbgrader cells."""
    return {nbgrader_meta(c)["grade_id"]: c.source for c in nb.cells if nbgrader_meta(c).get("grade_id")}


def test_a_clean_submission_is_its_own_answers_inside_the_source(tmp_path):
    rebuilt, issues = rebuild_bytes("02_activations", fixtures.to_bytes(fixtures.filled("02_activations")), tmp_path)
    assert issues == []
    source = nbformat.read(fixtures.notebook_path("02_activations")[0], as_version=4)
    expected = {nbgrader_meta(c)["grade_id"]: c.source for c in source.cells if nbgrader_meta(c).get("grade_id")}
    got = graded_sources(rebuilt)
    assert got.keys() == expected.keys()
    references = fixtures.references("02_activations")
    for grade_id, text in got.items():
        assert text == (references[grade_id] if grade_id in references else expected[grade_id]), grade_id


@pytest.mark.parametrize("name", [n for n, f in fixtures.REGISTRY.items() if f.kind == "broken"])
def test_each_broken_submission_is_named_for_what_is_wrong(name, tmp_path):
    fixture = fixtures.REGISTRY[name]
    rebuilt, issues = rebuild_bytes(fixture.assignment, fixture.build(), tmp_path)
    assert set(fixture.issues) <= codes(issues), [i.message for i in issues]
    notes = rebuilt.cells[0]
    assert notes.cell_type == "markdown" and notes.source.startswith(messages.GRADING_NOTES.en)
    source = nbformat.read(fixtures.notebook_path(fixture.assignment)[0], as_version=4)
    for cell in source.cells:  # every test and read-only cell is the instructor's
        meta = nbgrader_meta(cell)
        if meta.get("locked") or meta.get("grade"):
            assert graded_sources(rebuilt)[meta["grade_id"]] == cell.source


def test_another_assignments_notebook_is_recognised(tmp_path):
    _, issues = rebuild_bytes("02_activations", fixtures.REGISTRY["other_assignment"].build(), tmp_path)
    wrong = [i for i in issues if i.code == "wrong_notebook"]
    assert wrong and "03_losses/losses.ipynb" in wrong[0].message


def test_a_file_that_is_not_json_says_where_it_breaks(tmp_path):
    _, issues = rebuild_bytes("02_activations", fixtures.REGISTRY["invalid_json"].build(), tmp_path)
    assert "not valid JSON (line" in issues[0].message


def test_edits_to_a_test_cell_are_undone_and_reported(tmp_path):
    nb = fixtures.filled("02_activations")
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == "softmax_tests":
            cell.source = "pass  # these tests were in my way"
    rebuilt, issues = rebuild_bytes("02_activations", fixtures.to_bytes(nb), tmp_path)
    assert "restored_cell" in codes(issues)
    assert "expect(" in graded_sources(rebuilt)["softmax_tests"]


def test_the_students_own_cells_follow_the_cell_they_followed(tmp_path):
    nb = fixtures.filled("02_activations")
    index = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == "relu_tests")
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell("my_note = relu(-3)"))
    nb.cells.insert(index + 1, nbformat.v4.new_markdown_cell("<script>alert('formgrader')</script>"))
    rebuilt, _ = rebuild_bytes("02_activations", fixtures.to_bytes(nb), tmp_path)
    ids = [nbgrader_meta(c).get("grade_id") for c in rebuilt.cells]
    mine = next(i for i, c in enumerate(rebuilt.cells) if c.source == "my_note = relu(-3)")
    assert ids[mine - 1] == "relu_tests" and not nbgrader_meta(rebuilt.cells[mine])
    assert not any("<script>" in c.source for c in rebuilt.cells), "student markdown is not carried over"


def test_the_job_gives_each_code_cell_its_role_and_each_test_its_exercise(tmp_path):
    rebuilt, _ = rebuild_bytes("02_activations", fixtures.to_bytes(fixtures.filled("02_activations")), tmp_path)
    job = plan.job_for(rebuilt, plan.Limits(cell_timeout=5))
    roles = {c["role"] for c in job["cells"]}
    assert roles <= {"locked", "answer", "test", "free"} and {"locked", "answer", "test"} <= roles
    tests = {c["grade_id"]: c["exercise"] for c in job["cells"] if c["role"] == "test"}
    assert tests == {
        "relu_tests": "relu",
        "sigmoid_tests": "sigmoid",
        "sigmoid_derivative_tests": "sigmoid_derivative",
        "softmax_tests": "softmax",
    }
    assert job["limits"]["cell_timeout"] == 5.0
    assert plan.job_key(job) == plan.job_key(plan.job_for(rebuilt, plan.Limits(cell_timeout=5.0)))
    assert plan.job_key(job) != plan.job_key(plan.job_for(rebuilt, plan.Limits(cell_timeout=6)))


# --- limits that fit the exercise ------------------------------------------------------------------


def test_each_cell_gets_the_limit_its_reference_cost_allows(tmp_path):
    """From 02's measured costs: a cheap cell gets COST_FACTOR x its cost + COST_SLACK, a student's own
    cell the largest of the notebook, and the cells' time is their sum; with `fit` off (or no
    measurement) every cell gets the fixed limit, as before (the first checks fail on that)."""
    nb = fixtures.filled("02_activations")
    nb.cells.insert(8, nbformat.v4.new_code_cell("print('my own cell')"))
    rebuilt, _ = rebuild_bytes("02_activations", fixtures.to_bytes(nb), tmp_path)
    costs = limits.read_costs(fixtures.notebook_path("02_activations")[0])
    job = plan.job_for(rebuilt, plan.Limits())
    timeouts = {c["label"]: c["timeout"] for c in job["cells"]}
    relu_tests = costs["relu_tests"] * limits.COST_FACTOR + limits.COST_SLACK
    assert timeouts["relu_tests"] == pytest.approx(relu_tests, abs=0.1)
    assert timeouts["relu_tests"] < limits.DEFAULTS.cell_timeout / 5
    (own,) = [c for c in job["cells"] if c["role"] == "free"]
    assert own["timeout"] == max(timeouts[name] for name in costs)
    cells = sum(c["timeout"] for c in job["cells"] if c["role"] != "test")
    assert job["limits"]["cells_timeout"] == pytest.approx(cells + limits.START_SLACK, abs=0.2)
    assert job["limits"]["notebook_timeout"] > job["limits"]["cells_timeout"]
    fixed = plan.job_for(rebuilt, limits.from_options(timeout=7))
    assert {c["timeout"] for c in fixed["cells"]} == {7.0} and not fixed["limits"]["fit"]
    capped = plan.job_for(rebuilt, plan.Limits(cell_timeout=3, notebook_timeout=20))
    assert max(c["timeout"] for c in capped["cells"]) == 3 and capped["limits"]["cells_timeout"] == 20


def test_a_submission_cannot_choose_its_own_limits(tmp_path):
    """The costs come from the source folder only: costs written into the submission's metadata, or a
    costs file beside it, change nothing."""
    nb = fixtures.filled("02_activations")
    nb.metadata[plan.COSTS_KEY] = {"relu_tests": 10_000.0}
    for cell in nb.cells:
        cell.metadata[plan.COSTS_KEY] = 10_000.0
    (tmp_path / f"submitted{limits.COSTS_SUFFIX}").write_text('{"seconds": {"relu_tests": 10000}}')
    rebuilt, _ = rebuild_bytes("02_activations", fixtures.to_bytes(nb), tmp_path)
    clean, _ = rebuild_bytes("02_activations", fixtures.to_bytes(fixtures.filled("02_activations")), tmp_path)
    assert plan.job_for(rebuilt, plan.Limits()) == plan.job_for(clean, plan.Limits())
    assert max(c["timeout"] for c in plan.job_for(rebuilt, plan.Limits())["cells"]) < limits.DEFAULTS.cell_timeout / 5


def test_validate_gets_the_graders_limit_for_each_cell():
    source = nbformat.read(fixtures.notebook_path("02_activations")[0], as_version=4)
    tests = next(c for c in source.cells if nbgrader_meta(c).get("grade_id") == "relu_tests")
    costs = limits.read_costs(fixtures.notebook_path("02_activations")[0])
    expected = limits.DEFAULTS.cell_limit(costs["relu_tests"])
    assert limits.validate_timeout(tests) == expected < limits.DEFAULTS.cell_timeout / 5
    assert limits.validate_timeout(nbformat.v4.new_code_cell("x = 1")) <= limits.DEFAULTS.cell_timeout


def test_blas_threads_share_the_cores():
    assert limits.blas_threads(jobs=2, cores=8) == 4 and limits.blas_threads(jobs=16, cores=8) == 1
    assert limits.blas_environment(3) == {"OPENBLAS_NUM_THREADS": "3", "OMP_NUM_THREADS": "3", "MKL_NUM_THREADS": "3"}


# --- the tamper scan -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, f in fixtures.REGISTRY.items() if f.tampering])
def test_the_scan_names_each_cheat(name, tmp_path):
    fixture = fixtures.REGISTRY[name]
    context = {"course": tmp_path, "incoming": tmp_path, "sentinel": tmp_path / "notes.txt", "victim": 1, "port": 9}
    rebuilt, _ = rebuild_bytes(fixture.assignment, fixture.submission(context), tmp_path)
    found = " | ".join(f["what"] for f in scan.scan_notebook(rebuilt))
    for words in fixture.tampering:
        assert words in found, found


RELEASED = sorted(
    p.name for p in SOLUTIONS.iterdir() if p.is_dir() and list((fixtures.RELEASE / p.name).glob("*.ipynb"))
)


@pytest.mark.parametrize("assignment", RELEASED)
def test_the_scan_finds_nothing_in_the_reference_solutions(assignment, tmp_path):
    rebuilt, _ = rebuild_bytes(assignment, fixtures.to_bytes(fixtures.filled(assignment)), tmp_path)
    assert scan.scan_notebook(rebuilt) == []


# --- what the judge relies on ------------------------------------------------------------------------


def free_names(source: str) -> set:
    """Names a cell reads that it never binds (nor are builtins): what the judge binds to the student's objects."""
    return scan.free_names(ast.parse(source))[0]


@pytest.mark.parametrize("source_path", sorted(SOLUTIONS.glob("*/*.ipynb")), ids=lambda p: p.parent.name)
def test_test_cells_refer_to_no_notebook_name_but_their_exercise(source_path):
    """The judge binds the names a test cell does not define to the student's objects: a test cell that
    read a variable of a read-only cell would read the student's copy of it."""
    nb = nbformat.read(source_path, as_version=4)
    exercise = None
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            exercise = meta["grade_id"]
        elif meta.get("grade") and cell.cell_type == "code":
            assert free_names(cell.source) <= {exercise}, (meta["grade_id"], free_names(cell.source))


def test_the_limits_defaults_are_written_in_one_place():
    """grading/limits.py holds the defaults; before, 600, 1800 and 4096 were also written in the command's
    options, nbgrader's traitlets, the plan, the sandbox settings and nbgrader_config.py."""
    import re

    root = fixtures.ROOT
    defaults = {f"{limits.DEFAULTS.cell_timeout:g}", f"{limits.DEFAULTS.memory_mb}", "1800"}
    pattern = re.compile(rf"\b({'|'.join(sorted(defaults))})(\.0)?\b")
    files = [*sorted((root / "grading").glob("*.py")), root / "nbgrader_config.py"]
    found = [
        f"{path.name}:{number}"
        for path in files
        if path.name != "limits.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []
