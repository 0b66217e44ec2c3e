"""The checks engine: what it accepts, what it rejects, and what a learner reads when it rejects."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from checks import FROZEN, Case, CheckFailure, Exercise
from checks import exercise as exercise_module
from checks import frozen
from checks.core import NotJudged, compare, describe_value, run_case
from checks.exercise import HIDE_SOLUTIONS_VARIABLE, early_check_message, reference_source
from checks.hidden import HiddenTestFailure, expect, expect_true


ROOT = Path(__file__).resolve().parent.parent


def double(x):
    return np.asarray(x) * 2


def double_in_place(x):
    x *= 2
    return x


def not_written(x):
    raise NotImplementedError()


EXERCISE = Exercise(
    name="double",
    cases=[Case("a small vector", args=(np.array([1.0, 2.0]),), expected=np.array([2.0, 4.0]))],
    hints=["Multiply by two.", "Use `* 2`."],
)


def failure_of(exercise, function) -> str:
    with pytest.raises(CheckFailure) as failure:
        exercise.check(function)
    return str(failure.value)


@pytest.mark.parametrize(
    "got, expected",
    [
        (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])),
        (1.0 + 1e-9, 1.0),
        (np.float32(0.5), 0.5),
        ((1, (2, 3), "int64"), (1, (2, 3), "int64")),
        (float("inf"), float("inf")),
    ],
)
def test_compare_accepts_matching_values(got, expected):
    assert compare(got, expected) is None


@pytest.mark.parametrize(
    "got, expected, words",
    [
        (np.array([1.0, 2.0]), np.array([1.0, 2.1]), "1 of 2 values differ"),
        (np.array([1.0, 2.0]), np.array([[1.0, 2.0]]), "shape"),
        ([1, 2], np.array([1, 2]), "NumPy array"),
        ((1, [2, 3], "int64"), (1, (2, 3), "int64"), "tuple"),
        (np.int64(3), 3, "Python int"),
        (True, 1, "Python int"),
        ("int32", "int64", "text"),
        (np.nan, 1.0, "number"),
        (1.0, float("inf"), "number"),
    ],
)
def test_compare_rejects_mismatches_with_a_reason(got, expected, words):
    assert words in compare(got, expected)


def test_compare_counts_items_from_one_and_names_dtypes_by_name():
    reason = compare((1, (2, 3), np.dtype("int64")), (1, (2, 3), "int64"))
    assert reason.startswith("item 3: ") and "np.dtype('int64')" in reason and "DType" not in reason


def test_compare_checks_dtype_only_when_asked():
    assert compare(np.array([1.0], np.float64), np.array([1.0], np.float32)) is None
    assert "dtype float32" in compare(np.array([1.0], np.float64), np.array([1.0]), dtype=np.float32)


@pytest.mark.parametrize(
    "value",
    [
        np.array([1, 2, 3], dtype=np.int64),
        np.array([[0.5, np.nan], [-np.inf, 1e-9]]),
        np.zeros((2, 0)),
        np.array([0.2, 0.7], np.float32),
        np.array([True, False]),
        np.full((5, 10), 3, np.uint8),
        (np.array([1.0]), "int64", 3),
        [1, 2.5],
        np.float32(0.25),
        2.5,
        float("inf"),
        np.dtype("uint8"),
        np.asfortranarray(np.arange(6).reshape(2, 3)),
    ],
)
def test_values_are_shown_as_python_that_pastes_back(value):
    text = describe_value(value)
    again = eval(text, {"np": np})
    if isinstance(value, np.ndarray):
        assert again.dtype == value.dtype and again.shape == value.shape
        assert again.flags.f_contiguous == value.flags.f_contiguous  # column-major input stays column-major
        np.testing.assert_array_equal(again, value)
    elif isinstance(value, tuple):
        assert [describe_value(v) for v in again] == [describe_value(v) for v in value]
    else:
        assert again == value and type(again) is type(value)


def test_a_generator_is_shown_with_its_seed_and_every_run_draws_the_same_numbers():
    rng = np.random.default_rng(7)
    assert describe_value(rng) == "np.random.default_rng(7)"
    case = Case("draws", args=(rng,), satisfies=lambda out: True)
    draws = []
    for _ in range(2):
        run_case(lambda g: draws.append(g.random()) or 1, case)
    assert draws[0] == draws[1]


def test_run_case_reports_in_place_changes():
    problem = run_case(double_in_place, Case("v", args=(np.array([1.0, 2.0]),), expected=np.array([2.0, 4.0])))
    assert "changed its input in place" in problem.reason


def test_run_case_reports_missing_and_unexpected_exceptions():
    assert "NotImplementedError" in run_case(not_written, Case("v", args=(1,), expected=2)).reason
    assert "should raise ValueError" in run_case(double, Case("v", args=(1,), raises=ValueError)).reason
    assert run_case(not_written, Case("v", args=(1,), raises=NotImplementedError)) is not None
    assert run_case(lambda x: int("x"), Case("v", args=(1,), raises=ValueError)) is None


def test_run_case_checks_properties():
    assert run_case(double, Case("v", args=(1.0,), satisfies=lambda out: out > 1)) is None
    assert run_case(double, Case("v", args=(1.0,), satisfies=lambda out: "too big")).reason == "too big"
    assert "could not be checked" in run_case(double, Case("v", args=(1.0,), satisfies=lambda out: out.nope)).reason


def test_visible_check_passes_and_says_what_it_checked(capsys):
    EXERCISE.check(double)
    assert capsys.readouterr().out == "\u2714 double: all 1 visible checks pass.\n"


def test_visible_check_failure_shows_input_expected_got_and_hint():
    message = failure_of(EXERCISE, lambda x: x * 3)
    for words in (
        "a small vector",
        "input:    double(np.array([1.0, 2.0], dtype=np.float64))",
        "expected: np.array([2.0, 4.0], dtype=np.float64)",
        "got:      np.array([3.0, 6.0], dtype=np.float64)",
        "Hint: Multiply by two.",
    ):
        assert words in message
    with pytest.raises(CheckFailure) as failure:
        EXERCISE.check(lambda x: x * 3)
    assert failure.value._render_traceback_()[0].endswith(message)


def test_every_mismatch_shows_the_expected_values_even_of_large_arrays_and_named_outputs():
    big = Exercise(
        "grads",
        [Case("many", args=(np.ones(100),), expected=(np.ones(100), np.zeros(100)))],
        ["h"],
        outputs=("grad_x", "grad_W"),
    )
    message = failure_of(big, lambda x: [x, x.copy()])
    assert "grad_W: 100 of 100 values differ" in message
    assert "expected: grad_W = np.full((100,), 0.0, dtype=np.float64)" in message
    assert "the first at index [0]: expected 0.0, got 1.0" in message


def test_a_stub_is_not_written_yet_without_a_stutter():
    message = failure_of(EXERCISE, not_written)
    assert message.startswith("double is not written yet: it raised NotImplementedError.")
    assert "not right yet" not in message and "raise NotImplementedError()" in message


def test_an_answer_that_prints_instead_of_returning_is_told_so(capsys):
    message = failure_of(EXERCISE, lambda x: print(x * 2))
    assert "printed its result but returned None" in message and "`return`" in message
    assert "returned None: it needs a `return` statement" in failure_of(EXERCISE, lambda x: None)


def test_a_case_hint_is_shown_with_its_own_failure():
    exercise = Exercise(
        "double",
        [
            Case("positive", args=(1.0,), expected=2.0),
            Case("negative", args=(-1.0,), expected=-2.0, hint="Negative numbers double too: no abs()."),
        ],
        ["Multiply by two."],
    )
    assert "Hint: Multiply by two." in failure_of(exercise, lambda x: 0.0)
    assert "Hint: Negative numbers double too" in failure_of(exercise, lambda x: abs(x) * 2)


def test_properties_registered_with_the_decorator_run_after_the_cases(capsys):
    exercise = Exercise("double", [Case("one", args=(1.0,), expected=2.0)], ["generic"])

    @exercise.property("is linear", hint="Scale, do not shift.")
    def linear(function):
        return function(3.0) == 3 * function(1.0) or "f(3) is not 3 f(1)"

    message = failure_of(exercise, lambda x: 2.0 if x == 1.0 else 0.0)
    assert "f(3) is not 3 f(1)" in message and "check:    is linear" in message and "Scale, do not shift." in message
    exercise.check(lambda x: 2 * x)
    assert "all 2 visible checks pass" in capsys.readouterr().out


def test_a_property_with_nothing_to_judge_by_is_named_in_the_success_line_and_does_not_hide_a_failure(capsys):
    exercise = Exercise("double", [Case("one", args=(1.0,), expected=2.0)], ["generic"])

    @exercise.property("keeps a log", hint="Log it.")
    def logged(function):
        return True if getattr(function, "log", None) else NotJudged("it made no log to read")

    @exercise.property("doubles 3")
    def doubles_three(function):
        return function(3.0) == 6.0 or "f(3) is not 6"

    exercise.check(lambda x: 2 * x)
    out = capsys.readouterr().out
    assert "1 of 2" not in out and "2 of 3 visible checks pass; 1 could not be judged:" in out
    assert "not judged: keeps a log: it made no log to read." in out and "all 3" not in out
    assert "f(3) is not 6" in failure_of(exercise, lambda x: 2.0 if x == 1.0 else 0.0)


def test_warnings_as_errors_and_quiet_are_options(capsys):
    def overflowing(x):
        print("epoch 1/1")
        return 1.0 / np.exp(np.asarray(x))  # right (exp overflows to inf, 1 / inf is 0), with a warning

    cases = [Case("huge", args=(np.array([1e4]),), expected=np.array([0.0]))]
    Exercise("f", cases, ["h"], quiet=True).check(overflowing)
    assert capsys.readouterr().out == "\u2714 f: all 1 visible checks pass.\n"
    assert "RuntimeWarning" in failure_of(Exercise("f", cases, ["h"], warnings_as_errors=True), overflowing)


def test_visible_check_needs_a_function():
    with pytest.raises(CheckFailure, match="needs your function"):
        EXERCISE.check(None)


def test_a_hanging_answer_is_stopped_with_a_plain_message_in_a_notebook(monkeypatch):
    monkeypatch.setattr(exercise_module, "_in_notebook", lambda: True)
    exercise = Exercise("spin", [Case("forever", args=(1,), expected=1)], ["h"], time_limit=0.2)

    def spin(x):
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # an answer's own broad except cannot swallow the time limit
                pass

    started = time.monotonic()
    message = failure_of(exercise, spin)
    assert time.monotonic() - started < 5
    assert message.startswith("spin did not finish its visible checks within 0.2 s") and "loop" in message


def test_an_interrupted_check_ends_in_a_plain_message_not_a_traceback():
    def interrupted(x):
        raise KeyboardInterrupt()

    assert "double was interrupted before its visible checks finished" in failure_of(EXERCISE, interrupted)


def test_a_check_run_before_its_answer_cell_gets_one_sentence():
    import checks.tensors  # noqa: F401 -- registers describe_tensor, as the check cell's import does

    try:
        describe_tensor  # noqa: F821, B018 -- the name an early check cell uses
    except NameError as error:
        message = early_check_message(error)
    assert message.startswith("describe_tensor is not defined yet: run its answer cell")
    try:
        undefined_helper  # noqa: F821, B018
    except NameError as error:
        assert early_check_message(error) is None  # other NameErrors keep their usual meaning


IPYTHON_SESSION = """
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell.run_cell("from checks import tensors as q\\nq.describe_tensor.check(describe_tensor)")
print("--- another NameError")
shell.run_cell("print(undefined_helper)")
print("--- a hanging answer")
shell.run_cell("def get_batch(x, i, n):\\n    while True:\\n        pass\\nq.get_batch.time_limit = 0.5\\n"
               "q.get_batch.check(get_batch)")
"""


def test_in_ipython_an_early_check_and_a_hanging_answer_get_one_plain_sentence_each():
    """A real IPython shell, in a process of its own (its singleton would outlive this test)."""
    done = subprocess.run(
        [sys.executable, "-c", IPYTHON_SESSION],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    early, other, hanging = done.stdout.split("--- ")
    assert "describe_tensor is not defined yet: run its answer cell" in early and "Traceback" not in early
    assert "Traceback" in other and "undefined_helper" in other
    assert "get_batch did not finish its visible checks within 0.5 s" in hanging
    assert "Traceback" not in hanging and "KeyboardInterrupt" not in hanging


def test_hints_come_in_order_then_repeat_the_last(capsys):
    exercise = Exercise("double", [], ["first", "second"])
    for _ in range(3):
        exercise.hint()
    out = capsys.readouterr().out
    assert out.index("first") < out.index("second") and out.count("second") == 2


def write_solution_notebook(folder, name, source):
    cell = {
        "cell_type": "code",
        "source": source,
        "metadata": {"nbgrader": {"solution": True, "grade_id": name}},
        "outputs": [],
        "execution_count": None,
    }
    (folder / "01_x").mkdir(parents=True)
    (folder / "01_x" / "x.ipynb").write_text(json.dumps({"cells": [cell]}))


def test_solution_comes_from_the_solution_notebook_and_can_be_switched_off(monkeypatch, capsys, tmp_path):
    write_solution_notebook(
        tmp_path, "double", "def double(x):\n    ### BEGIN SOLUTION\n    return x * 2\n    ### END SOLUTION\n"
    )
    assert reference_source("double", tmp_path) == "def double(x):\n    return x * 2\n"
    monkeypatch.setattr(exercise_module, "SOLUTIONS", tmp_path)
    EXERCISE.solution()
    assert "return x * 2" in capsys.readouterr().out
    monkeypatch.setenv(HIDE_SOLUTIONS_VARIABLE, "1")
    EXERCISE.solution()
    assert "return x * 2" not in capsys.readouterr().out


def test_without_the_solution_notebooks_solution_says_they_are_not_part_of_the_course(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(exercise_module, "SOLUTIONS", tmp_path / "absent")
    EXERCISE.solution()
    out = capsys.readouterr().out
    assert "Worked solutions are not part of this course" in out and "hint()" in out


def test_frozen_expected_values_come_from_the_module_data(monkeypatch, tmp_path):
    table = {"double": {"a pair": frozen.encode((np.array([2.0, 4.0], np.float32), 3.5))}}
    (tmp_path / "mymodule.json").write_text(frozen.dumps(table))
    monkeypatch.setattr(frozen, "FOLDER", tmp_path)
    frozen.load.cache_clear()
    try:
        exercise = Exercise("double", [Case("a pair", args=(1.0,), expected=FROZEN)], ["h"], module="mymodule")
        (case,) = exercise.resolved_cases()
        assert case.expected[0].dtype == np.float32 and case.expected[1] == 3.5
        exercise.check(lambda x: (np.array([2.0, 4.0], np.float32), 3.5))
        missing = Exercise("double", [Case("another", args=(1.0,), expected=FROZEN)], ["h"], module="mymodule")
        with pytest.raises(KeyError, match="course.py freeze"):
            missing.check(double)
    finally:
        frozen.load.cache_clear()


def test_hidden_failure_names_the_test_but_not_the_expected_value():
    secret = np.array([123.456, 654.321])
    with pytest.raises(HiddenTestFailure) as failure:
        expect("doubles a pair", double, args=(np.array([1.0, 2.0]),), expected=secret)
    message = str(failure.value)
    assert "doubles a pair" in message and "input: double(" in message
    assert "123.456" not in message and "654.321" not in message


def test_hidden_failure_hides_large_inputs_and_the_values_of_large_outputs():
    with pytest.raises(HiddenTestFailure) as failure:
        expect("big", double, args=(np.ones(100),), expected=np.full(100, 7.5), outputs=("out",))
    message = str(failure.value)
    assert "input:" not in message and "7.5" not in message


def test_hidden_expect_passes_right_answers_and_checks_properties():
    expect("doubles", double, args=(np.array([1.0]),), expected=np.array([2.0]))
    expect("raises", lambda x: int("x"), args=(1,), raises=ValueError)
    expect_true("holds", np.allclose(double(1.0), 2.0))
    with pytest.raises(HiddenTestFailure, match="'does not hold' failed"):
        expect_true("does not hold", False)


def test_an_in_place_answer_does_not_spoil_the_cases_for_the_next_check(capsys):
    with pytest.raises(CheckFailure, match="changed its input in place"):
        EXERCISE.check(double_in_place)
    np.testing.assert_array_equal(EXERCISE.cases[0].args[0], [1.0, 2.0])
    EXERCISE.check(double)
    assert "pass" in capsys.readouterr().out
