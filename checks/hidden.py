"""Assertions for the hidden tests that grade an exercise, and the record of a cell's named checks.

The hidden tests live only in the instructor's notebooks in `solutions/`, between
`### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`.  They use the same engine as the visible checks,
but a failure names the test and says what went wrong in plain words (the `reason` of the mismatch,
never its `detail`), with the input when it is small, and never the expected value: the feedback a
student gets must not give the answer away.

    from checks.hidden import HiddenTests, expect, expect_true
    tests = HiddenTests(points=2)
    with tests.part("the values", points=1, core=True):   # inside a part, expect and expect_true record
        expect("a rank-3 int16 tensor", describe_tensor,
               args=(np.zeros((2, 3, 4), np.int16),), expected=(3, (2, 3, 4), "int16"))
        with numpy_warnings_as_errors():        # an answer that lets an overflow warning out fails
            expect("logits of 1e4", softmax, args=(np.array([1e4, 0.0]),), expected=np.array([1.0, 0.0]))
    with tests.part("bad input is refused", points=1):
        expect("a matrix is refused", flatten_images, args=(np.zeros((2, 3)),), raises=ValueError)
        first = glorot_uniform(3, 2, rng)       # student code called directly: if it raises, this part fails
        expect_true("the same seed gives the same weights", np.array_equal(first, glorot_uniform(3, 2, rng2)))
    tests.report()

Each `expect` / `expect_true` is one *named check* (its label).  A `part` is one behaviour of the
exercise with its share of the cell's points (the shares add up to the cell's points): it earns them
when every check in it passes.  A part declared `core=True` (the exercise's main computation) gates the
others: while it fails, they earn nothing, so that an answer that always raises, or does nothing, earns
nothing for "bad input is refused" or "the inputs are left alone".  An exception that escapes a part
(the student's code, called directly, raised) fails that part alone, and the cell goes on with the
next one; code outside the parts (the test's own set-up) fails the whole cell if it raises.
`tests.report()`, the cell's last line, decides:

- every check passed: it returns None and prints nothing (full marks, as for any cell that raises
  nothing);
- some parts failed, others passed: it prints the failures and returns the points earned, so that the
  cell's value (an `execute_result` holding a number) is nbgrader's partial credit;
- every part failed, or the course gives no partial credit: it raises `HiddenTestFailure` (zero).

Two settings of the course, read from the environment of the grader (`nbgrader autograde` or
`course.py grade`), choose what a student sees; the instructor's record always lists every failure:
`DL_FOUNDATIONS_HIDDEN_FAILURES` = `first` (the default: the first failed check only) or `all`;
`DL_FOUNDATIONS_PARTIAL_CREDIT` = `on` (the default) or `off` (a cell with a failed check earns zero).

Outside a part, `expect` and `expect_true` raise HiddenTestFailure at once.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterator, Optional, Sequence

from .core import ATOL, RTOL, Case, CheckFailure, _NOTHING, describe_call, run_case
from .core import numpy_warnings_as_errors  # noqa: F401  (the hidden tests import it from here)
from .i18n import _

SMALL_INPUT = 12  # inputs with at most this many numbers are shown in the failure message
FAILURES_SHOWN_VARIABLE = "DL_FOUNDATIONS_HIDDEN_FAILURES"  # "first" (default) or "all"
PARTIAL_CREDIT_VARIABLE = "DL_FOUNDATIONS_PARTIAL_CREDIT"  # "on" (default) or "off"


class HiddenTestFailure(CheckFailure):
    """A hidden test that failed: its name and a plain-words reason, never the expected value."""


class HiddenTestError(RuntimeError):
    """A hidden test cell written wrongly (points that do not add up, a part that checks nothing)."""


@dataclass
class CheckResult:
    """One named check of a hidden test cell: its label, its part, and why it failed if it did.

    `message` may be shown to the student (no expected value, no message of a student's exception);
    `detail` is for the instructor's record only (what a student's exception said).
    """

    label: str
    part: str
    passed: bool
    message: str = ""
    detail: str = ""


@dataclass
class Part:
    label: str
    points: float
    core: bool = False  # while a core part fails, the parts that are not core earn nothing


def failures_shown() -> str:
    """How many failed checks a student sees: "first" or "all" (the course's setting)."""
    return "all" if os.environ.get(FAILURES_SHOWN_VARIABLE, "first").strip().lower() == "all" else "first"


def partial_credit() -> bool:
    """Whether a cell whose parts partly pass earns their points (the course's setting)."""
    return os.environ.get(PARTIAL_CREDIT_VARIABLE, "on").strip().lower() not in ("off", "0", "no", "false")


_active: Optional["HiddenTests"] = None  # the HiddenTests whose part is running: expect records into it


class HiddenTests:
    """The named checks of one hidden test cell, its parts and their points; see the module docstring."""

    def __init__(self, points: float):
        self.points = float(points)
        self.parts: list = []
        self.results: list = []
        self.earned: Optional[float] = None  # set by report()
        self._part: Optional[str] = None

    @contextlib.contextmanager
    def part(self, label: str, points: float, core: bool = False) -> Iterator[None]:
        """One behaviour worth `points`: earned when every check inside passes (and, for a part that is not
        `core`, when every core part of the cell passes too: refusing bad input, or leaving the inputs
        alone, is worth nothing in an answer that does not compute).  An exception that escapes the block
        fails this part (as a check named after it) and is not raised further."""
        global _active
        if _active is not None:
            raise HiddenTestError(f"part {label!r} is inside another part; parts do not nest")
        if any(p.label == label for p in self.parts):
            raise HiddenTestError(f"two parts are labelled {label!r}")
        self.parts.append(Part(label, float(points), core))
        self._part, _active = label, self
        try:
            yield
        except Exception as error:  # the student's code (or the test) raised: this part fails, the cell goes on
            self.results.append(_raised(label, error))
        finally:
            self._part, _active = None, None

    def record(self, label: str, failure: Optional[HiddenTestFailure]) -> None:
        message = "" if failure is None else str(failure.args[0])
        self.results.append(CheckResult(label, self._part, failure is None, message))

    def _validate(self) -> None:
        total = sum(p.points for p in self.parts)
        if abs(total - self.points) > 1e-9:
            raise HiddenTestError(f"the parts are worth {total:g} points, the cell {self.points:g}")
        checked = {r.part for r in self.results}
        empty = [p.label for p in self.parts if p.label not in checked]
        if empty:
            raise HiddenTestError(f"part {empty[0]!r} holds no check: it could not fail")

    def failed(self) -> list:
        return [r for r in self.results if not r.passed]

    def score(self) -> float:
        """The points of the parts whose every check passed (the parts that are not core: if the core ones did)."""
        failed_parts = {r.part for r in self.failed()}
        core_holds = not any(p.core and p.label in failed_parts for p in self.parts)
        return round(sum(p.points for p in self.parts if p.label not in failed_parts and (p.core or core_holds)), 6)

    def report(self) -> Optional[float]:
        """The cell's verdict: None when every check passed; the points earned when only some parts did
        (printing the failures); HiddenTestFailure when none did or the course gives no partial credit."""
        self._validate()
        self.earned = self.score()
        if not self.failed():
            return None
        if self.earned <= 0 or not partial_credit():
            self.earned = 0.0
            raise HiddenTestFailure(self.student_message())
        print(self.student_message())
        return self.earned

    def student_message(self) -> str:
        """What a student is told: the first failed check (or all, if the course allows), and the points."""
        failed = self.failed()
        shown = failed if failures_shown() == "all" else failed[:1]
        lines = [r.message for r in shown]
        if len(shown) < len(failed):
            lines.append(_("({count} more hidden checks failed)").format(count=len(failed) - len(shown)))
        if self.earned:
            lines.append(
                _("partial credit: {earned:g} of {points:g} points").format(earned=self.earned, points=self.points)
            )
        return "\n".join(lines)

    def verdict(self) -> dict:
        """For the grader's record: the points earned, what the student is told, and every failed check."""
        return {
            "score": self.earned,
            "points": self.points,
            "message": self.student_message(),
            "failed_checks": [asdict(r) for r in self.failed()],
        }


def _raised(part: str, error: Exception) -> CheckResult:
    """A part whose block raised: the student sees the exception's type, the record its message too."""
    if isinstance(error, HiddenTestFailure):
        return CheckResult(part, part, False, str(error.args[0]))
    kind = getattr(type(error), "student_type", type(error).__name__)
    if isinstance(error, NameError) and not hasattr(type(error), "student_type"):  # the notebook lacks a name
        message = _("hidden test '{label}' failed: {error} (the notebook must define it).")
        return CheckResult(part, part, False, message.format(label=part, error=error))
    if kind == "NotImplementedError":
        message = _("hidden test '{label}' failed: the answer is not written yet (it raised NotImplementedError).")
    else:
        message = _("hidden test '{label}' failed: it raised {error}.")
    message = message.format(label=part, error=kind)
    return CheckResult(part, part, False, message, f"{kind}: {str(error)[:500]}")


def _is_small(case: Case) -> bool:
    sizes = [getattr(a, "size", 1) for a in (*case.args, *case.kwargs.values())]
    return sum(sizes) <= SMALL_INPUT


def _settle(label: str, failure: Optional[HiddenTestFailure]) -> None:
    """Record the check in the active HiddenTests, or raise its failure when there is none."""
    if _active is not None:
        _active.record(label, failure)
    elif failure is not None:
        raise failure


def expect(
    label: str,
    function: Callable,
    *,
    args: tuple = (),
    kwargs: Optional[dict] = None,
    expected: Any = _NOTHING,
    raises: Optional[type] = None,
    satisfies: Optional[Callable] = None,
    dtype: Any = None,
    rtol: float = RTOL,
    atol: float = ATOL,
    outputs: Sequence[str] = (),
) -> None:
    """Call `function(*args, **kwargs)` and demand what the keywords say: one named check.

    The keywords mean what `Case`'s and `Exercise`'s do (`outputs` names the items of a tuple output).
    Whatever else is demanded, the call must leave its array and list arguments unchanged.  Inside a
    `HiddenTests` the result is recorded; outside, a failure raises HiddenTestFailure.
    """
    case = Case(label, tuple(args), dict(kwargs or {}), expected, raises, satisfies, dtype, rtol, atol)
    problem = run_case(function, case, outputs)
    if problem is None:
        _settle(label, None)
        return
    name = getattr(function, "__name__", "the function")
    if problem.stub:
        message = _("hidden test '{label}' failed: {name} is not written yet: {reason}.")
    else:
        message = _("hidden test '{label}' failed for {name}: {reason}.")
    message = message.format(label=label, name=name, reason=problem.reason)
    if _is_small(case):
        message += "\n  " + _("input: {call}").format(call=describe_call(name, case))
    _settle(label, HiddenTestFailure(message))


def expect_true(label: str, condition: Any) -> None:
    """Demand that a property computed in the test holds: one named check (recorded, or raised)."""
    failure = None if bool(condition) else HiddenTestFailure(_("hidden test '{label}' failed.").format(label=label))
    _settle(label, failure)
