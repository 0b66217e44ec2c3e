"""Assertions for the hidden tests that grade an exercise.

The hidden tests live only in the instructor's notebooks in `solutions/`, between
`### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`.  They use the same engine as the visible checks,
but a failure names the test and says what went wrong in plain words (the `reason` of the mismatch,
never its `detail`), with the input when it is small, and never the expected value: the feedback a student gets must not give the answer away.

    from checks.hidden import expect, expect_true
    expect("a rank-3 int16 tensor", describe_tensor,
           args=(np.zeros((2, 3, 4), np.int16),), equals=(3, (2, 3, 4), "int16"))
    expect("a matrix is refused", flatten_images, args=(np.zeros((2, 3)),), raises=ValueError)
    expect_true("adding a constant to the logits changes nothing", np.allclose(a, b))
    with numpy_warnings_as_errors():    # an answer that lets an overflow warning out fails
        expect("logits of 1e4", softmax, args=(np.array([1e4, 0.0]),), equals=np.array([1.0, 0.0]))
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from .core import ATOL, RTOL, Case, CheckFailure, _NOTHING, describe_call, numpy_warnings_as_errors, run_case

SMALL_INPUT = 12  # inputs with at most this many numbers are shown in the failure message


class HiddenTestFailure(CheckFailure):
    """A hidden test that failed: its name and a plain-words reason, never the expected value."""


def _is_small(case: Case) -> bool:
    sizes = [getattr(a, "size", 1) for a in (*case.args, *case.kwargs.values())]
    return sum(sizes) <= SMALL_INPUT


def expect(label: str, function: Callable, *, args: tuple = (), kwargs: Optional[dict] = None,
           equals: Any = _NOTHING, raises: Optional[type] = None, satisfies: Optional[Callable] = None,
           dtype: Any = None, rtol: float = RTOL, atol: float = ATOL, names: Sequence[str] = ()) -> None:
    """Call `function(*args, **kwargs)` and demand what the keywords say; raise HiddenTestFailure if not.

    The keywords mean what `Case`'s do (`equals` is `Case.expected`; `names` is `Exercise.outputs`,
    the names of a tuple output's items).  Whatever else is demanded, the call must leave its array and
    list arguments unchanged.
    """
    case = Case(label, tuple(args), dict(kwargs or {}), equals, raises, satisfies, dtype, rtol, atol)
    problem = run_case(function, case, names)
    if problem is None:
        return
    name = getattr(function, "__name__", "the function")
    if problem.stub:
        message = f"hidden test '{label}' failed: {name} is not written yet: {problem.reason}."
    else:
        message = f"hidden test '{label}' failed for {name}: {problem.reason}."
    if _is_small(case):
        message += f"\n  input: {describe_call(name, case)}"
    raise HiddenTestFailure(message)


def expect_true(label: str, condition: Any) -> None:
    """Demand that a property computed in the test holds; raise HiddenTestFailure if it does not."""
    if not bool(condition):
        raise HiddenTestFailure(f"hidden test '{label}' failed.")
