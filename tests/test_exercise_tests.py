"""The graded tests of every exercise: right answers pass, wrong answers and the stub fail.

For each exercise of `solutions/` (and of `ko/solutions/`: the `edition` fixture), the reference
solution must pass all its test cells; every wrong answer in `tests/answers/` must be rejected by the
*hidden* tests alone (the visible ones are a courtesy); every right alternative must pass all test
cells; and nbgrader's stub must fail.

"Pass" means full marks: a cell whose `checks.hidden.HiddenTests` records a failed check earns partial
points without raising (its last line returns them), so `run_graded` raises for it too.
"""

import ast
import sys

import pytest

from answers import RIGHT, WRONG, load_all
from editions import EDITIONS, TRAINED_ON_ONE_EDITION, edition_fixture
from nbcells import SOLUTIONS, all_exercises, namespace_with, nbgrader_meta, run_source
from checks.hidden import HiddenTests
from checks_solutions import checks_exercises, solution_shown

load_all()
EXERCISES = all_exercises()  # the English edition's; each test sees its edition's (the `edition` fixture)
MIN_WRONG_ANSWERS = 3


@pytest.fixture(autouse=True, params=EDITIONS, ids=str)
def edition(request):
    """Every test runs on both editions, with the edition's notebooks and check messages (tests/editions.py),
    but those of the exercises that train on MNIST, whose Korean test cells are the English ones."""
    yield from edition_fixture(request, sys.modules[__name__], "EXERCISES", english_only=TRAINED_ON_ONE_EDITION)


def stub(*args, **kwargs):
    raise NotImplementedError()


def run_graded(source, namespace):
    """Run a test cell; raise unless it earns full marks (a failed check of its HiddenTests included)."""
    run_source(source, namespace)
    for tests in [value for value in namespace.values() if type(value) is HiddenTests]:
        if tests.failed():
            raise AssertionError("partial marks: " + "; ".join(r.label for r in tests.failed()))


def run_tests(namespace, sources):
    for source in sources:
        run_graded(source, namespace)


def defined_by(source, name):
    """Run an answer cell alone in a fresh namespace and return what it defines as `name`.

    Alone: an answer cell must import what it needs, as the curriculum says, so that it works in
    the grader's sandbox as in the notebook.
    """
    namespace = {"__name__": "__main__"}
    run_source(source, namespace)
    return namespace[name]


def code_lines(source):
    """The non-blank lines of some code (removing a marker line may leave a blank line or not)."""
    return [line for line in source.splitlines() if line.strip()]


def params(registry):
    return [
        pytest.param(name, answer, id=f"{name}-{answer.__name__}")
        for name, answers in sorted(registry.items())
        for answer in answers
    ]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_solution_passes_every_test_cell(name):
    exercise = EXERCISES[name]
    run_tests(namespace_with(name, defined_by(exercise.reference_source, name)), exercise.test_sources)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_hidden_tests_alone_pass_the_reference_solution(name):
    """So that a wrong answer's rejection is the tests' verdict, never a NameError of a hidden block
    that leans on an import from the visible part or from the notebook."""
    exercise = EXERCISES[name]
    answer = defined_by(exercise.reference_source, name)
    for hidden in exercise.hidden_sources:
        run_graded(hidden, namespace_with(name, answer))


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_exercise_has_hidden_tests(name):
    exercise = EXERCISES[name]
    assert exercise.test_sources, f"{name} has no graded test cell"
    assert all(h.strip() for h in exercise.hidden_sources), f"{name}: a test cell has no hidden tests"
    assert exercise.points > 0


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_stub_fails_hidden_tests(name):
    exercise = EXERCISES[name]
    for hidden in exercise.hidden_sources:
        with pytest.raises(Exception):  # noqa: B017 -- any failure of the cell counts: the stub's own error or a check's
            run_graded(hidden, namespace_with(name, stub))


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_enough_wrong_answers_are_tried(name):
    assert len(WRONG.get(name, [])) >= MIN_WRONG_ANSWERS, (
        f"{name}: register at least {MIN_WRONG_ANSWERS} plausible wrong answers in tests/answers/"
    )


@pytest.mark.parametrize("name, answer", params(WRONG))
def test_hidden_tests_reject_wrong_answer(name, answer):
    exercise = EXERCISES[name]
    failures = 0
    for hidden in exercise.hidden_sources:
        try:
            run_graded(hidden, namespace_with(name, answer))
        except Exception:
            failures += 1
    assert failures, f"the hidden tests of {name} accept a wrong answer: {answer.__doc__}"


@pytest.mark.parametrize("name, answer", params(RIGHT))
def test_right_alternative_passes(name, answer):
    exercise = EXERCISES[name]
    run_tests(namespace_with(name, answer), exercise.test_sources)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_checks_solution_passes_every_test_cell(name):
    """`q.<exercise>.solution()` shows code that earns full marks: the answer cell of the notebook."""
    exercises = checks_exercises()
    assert name in exercises, f"checks has no Exercise named {name}"
    code = solution_shown(exercises[name])
    assert code_lines(code) == code_lines(EXERCISES[name].reference_source)
    run_tests(namespace_with(name, defined_by(code, name)), EXERCISES[name].test_sources)


def hidden_tests_cells():
    """`(grade_id, points, source)` of every test cell of the series that uses `HiddenTests`."""
    import nbformat

    found = []
    for notebook in sorted(SOLUTIONS.glob("*/*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade") and not meta.get("solution") and "HiddenTests(" in cell.source:
                found.append(pytest.param(meta["grade_id"], float(meta["points"]), cell.source, id=meta["grade_id"]))
    return found


@pytest.mark.parametrize("grade_id, points, source", hidden_tests_cells())
def test_hidden_tests_cells_declare_their_points_and_end_with_the_report(grade_id, points, source):
    """`HiddenTests(points=...)` is the cell's nbgrader points, and `tests.report()` is the cell's last
    statement, so that its value (the partial points) is the cell's value under plain nbgrader."""
    tree = ast.parse(source)
    declared = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "HiddenTests"
    ]
    assert len(declared) == 1, f"{grade_id}: one HiddenTests per cell"
    (keyword,) = declared[0].keywords
    assert keyword.arg == "points" and ast.literal_eval(keyword.value) == points, grade_id
    last = tree.body[-1]
    assert isinstance(last, ast.Expr) and ast.unparse(last) == "tests.report()", grade_id


def test_enough_cells_give_partial_credit():
    """The series' cells that hold several behaviours split their points (issue 15): not a token few."""
    assert len(hidden_tests_cells()) >= 35
