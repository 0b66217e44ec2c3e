"""The checks engine: what it accepts, what it rejects, and what a learner reads when it rejects."""
import numpy as np
import pytest

from checks import Case, CheckFailure, Exercise
from checks.core import compare, run_case
from checks.exercise import HIDE_SOLUTIONS_VARIABLE
from checks.hidden import HiddenTestFailure, expect, expect_true


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
    solution_code="def double(x):\n    return x * 2\n",
)


@pytest.mark.parametrize("got, expected", [
    (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])),
    (1.0 + 1e-9, 1.0),
    (np.float32(0.5), 0.5),
    ((1, (2, 3), "int64"), (1, (2, 3), "int64")),
    (float("inf"), float("inf")),
])
def test_compare_accepts_matching_values(got, expected):
    assert compare(got, expected) is None


@pytest.mark.parametrize("got, expected, words", [
    (np.array([1.0, 2.0]), np.array([1.0, 2.1]), "1 of 2 values differ"),
    (np.array([1.0, 2.0]), np.array([[1.0, 2.0]]), "shape"),
    ([1, 2], np.array([1, 2]), "NumPy array"),
    ((1, [2, 3], "int64"), (1, (2, 3), "int64"), "tuple"),
    (np.int64(3), 3, "Python int"),
    (True, 1, "Python int"),
    ("int32", "int64", "text"),
    (np.nan, 1.0, "number"),
    (1.0, float("inf"), "number"),
])
def test_compare_rejects_mismatches_with_a_reason(got, expected, words):
    assert words in compare(got, expected)


def test_compare_checks_dtype_only_when_asked():
    assert compare(np.array([1.0], np.float64), np.array([1.0], np.float32)) is None
    assert "dtype float32" in compare(np.array([1.0], np.float64), np.array([1.0]), dtype=np.float32)


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


def test_visible_check_passes_and_says_so(capsys):
    EXERCISE.check(double)
    assert "all 1 visible checks pass" in capsys.readouterr().out


def test_visible_check_failure_shows_input_expected_got_and_hint():
    with pytest.raises(CheckFailure) as failure:
        EXERCISE.check(lambda x: x * 3)
    message = str(failure.value)
    for words in ("a small vector", "input:    double(np.array([1., 2.]", "expected: np.array([2., 4.]",
                  "got:      np.array([3., 6.]", "Hint: Multiply by two."):
        assert words in message
    assert failure.value._render_traceback_()[0].endswith(message)


def test_visible_check_explains_the_stub():
    with pytest.raises(CheckFailure, match="raise NotImplementedError"):
        EXERCISE.check(not_written)


def test_visible_check_needs_a_function():
    with pytest.raises(CheckFailure, match="needs your function"):
        EXERCISE.check(None)


def test_hints_come_in_order_then_repeat_the_last(capsys):
    exercise = Exercise("double", [], ["first", "second"], "")
    for _ in range(3):
        exercise.hint()
    out = capsys.readouterr().out
    assert out.index("first") < out.index("second") and out.count("second") == 2


def test_solution_can_be_switched_off(monkeypatch, capsys):
    EXERCISE.solution()
    assert "return x * 2" in capsys.readouterr().out
    monkeypatch.setenv(HIDE_SOLUTIONS_VARIABLE, "1")
    EXERCISE.solution()
    assert "return x * 2" not in capsys.readouterr().out


def test_hidden_failure_names_the_test_but_not_the_expected_value():
    secret = np.array([123.456, 654.321])
    with pytest.raises(HiddenTestFailure) as failure:
        expect("doubles a pair", double, args=(np.array([1.0, 2.0]),), equals=secret)
    message = str(failure.value)
    assert "doubles a pair" in message and "input: double(" in message
    assert "123.456" not in message and "654.321" not in message


def test_hidden_failure_hides_large_inputs():
    with pytest.raises(HiddenTestFailure) as failure:
        expect("big", double, args=(np.ones(100),), equals=np.zeros(100))
    assert "input:" not in str(failure.value)


def test_hidden_expect_passes_right_answers_and_checks_properties():
    expect("doubles", double, args=(np.array([1.0]),), equals=np.array([2.0]))
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
