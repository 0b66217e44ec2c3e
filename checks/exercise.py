"""Visible checks for self-study: `check()`, `hint()` and `solution()` for one exercise.

Each notebook's module (for example `checks.tensors`) builds one `Exercise` per graded function.  In a
notebook a learner writes::

    from checks import tensors as q
    q.describe_tensor.check(describe_tensor)   # runs the visible cases, smallest input first
    q.describe_tensor.hint()                   # a nudge, more specific each time
    q.describe_tensor.solution()               # the worked answer, when the course has it

A failing check raises `CheckFailure` with the smallest failing input, what was expected, what came
back and a hint; IPython shows that message alone, without a traceback.  A check that runs longer than
its time limit is stopped with a plain message, and a check cell run before its answer cell gets one
sentence saying to run the answer cell first (`install_notebook_messages`).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional, Sequence

from . import frozen
from .core import (
    FROZEN,
    Case,
    CheckFailure,
    NotJudged,
    Problem,
    describe_call,
    describe_value,
    numpy_warnings_as_errors,
    run_case,
    satisfied,
    stub_problem,
)
from .i18n import _

HIDE_SOLUTIONS_VARIABLE = "DL_FOUNDATIONS_HIDE_SOLUTIONS"
SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
TIME_LIMIT = 30.0  # seconds a visible check may run in a notebook before it is stopped
INDENT = " " * 12  # continuation lines of a value line up under its first line ("  expected: ")
SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)

EXERCISE_NAMES: set = set()  # every exercise defined so far, for the message of a check run too early


@dataclass
class Property:
    """A demand on the learner's function itself, checked after the cases.

    `test(function)` returns True (or None) when it holds, False or a sentence when it does not, and
    `NotJudged(reason)` when the function gave it nothing to judge by; `hint` is the hint for the mistake
    it catches.
    """

    label: str
    test: Callable[[Any], Any]
    hint: str = ""


@dataclass
class Exercise:
    """The visible side of one graded exercise, declared once with options.

    `cases` run in the order given: write them smallest first, so the first failure is the smallest
    failing input.  `hints` are shown one at a time, in order, by `hint()`.  Options:

    - `warnings_as_errors`: NumPy's overflow, division and invalid-value warnings fail the check;
    - `quiet`: whatever the function prints (a training loop's progress) is swallowed;
    - `outputs`: the names of the items of a tuple output, e.g. ("grad_x", "grad_W", "grad_b"), used in
      messages ("grad_W: 2 of 6 values differ");
    - `time_limit`: seconds the whole visible check may take in a notebook;
    - `Case(expected=FROZEN)`: the expected value comes from the module's frozen data (`checks.frozen`);
    - `properties`: demands on the function itself, checked after the cases, each a `Property` (or a
      `(label, test)` pair), usually registered with the `@exercise.property(label)` decorator.
    """

    name: str
    cases: List[Case]
    hints: List[str]
    warnings_as_errors: bool = False
    quiet: bool = False
    outputs: Sequence[str] = ()
    time_limit: float = TIME_LIMIT
    properties: List[Property] = field(default_factory=list)
    module: str = ""
    _hints_shown: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if not self.module:  # the checks module that declares this exercise, for its frozen data
            self.module = sys._getframe(2).f_globals.get("__name__", "").rpartition(".")[2]
        self.properties = [p if isinstance(p, Property) else Property(*p) for p in self.properties]
        EXERCISE_NAMES.add(self.name)

    @property  # (declared before the `property` decorator method below, which shadows the builtin)
    def check_count(self) -> int:
        return len(self.cases) + len(self.properties)

    def property(self, label: str, hint: str = "") -> Callable:
        """Decorator: register `test(function)` as a visible check of the function itself."""

        def register(test: Callable) -> Callable:
            self.properties.append(Property(label, test, hint))
            return test

        return register

    def resolved_cases(self) -> List[Case]:
        """The cases, with every `FROZEN` expected value replaced by the frozen one."""
        return [
            frozen.resolve(self.module, self.name, case) if case.expected is FROZEN else case for case in self.cases
        ]

    def check(self, function: Callable) -> None:
        """Run every visible case and property on `function`; print a success line or raise `CheckFailure`."""
        if not callable(function):
            raise CheckFailure(
                _("check() needs your function `{name}` itself, got {got}.").format(
                    name=self.name, got=describe_value(function)
                )
            )
        not_judged: List[tuple] = []  # (property, NotJudged) of the properties that had nothing to judge by
        try:
            with _time_limit(self.time_limit), self._conditions():
                message = self._first_failure(function, not_judged)
        except (_TimeUp, KeyboardInterrupt) as stop:
            how = (
                _("{name} did not finish its visible checks within {seconds:g} s, so they were stopped.")
                if isinstance(stop, _TimeUp)
                else _("{name} was interrupted before its visible checks finished.")
            )
            message = " ".join(
                [
                    how.format(name=self.name, seconds=self.time_limit),
                    _(
                        "If it runs forever, look for a loop that never ends (a `while` whose condition stays true, or a "  # noqa: E501 -- one gettext message
                        "loop over something that keeps growing), fix it, run the answer cell and this cell again."
                    ),
                ]
            )
        if message:
            raise CheckFailure(message)
        if not_judged:
            print(self._not_judged_lines(not_judged))
            return
        print(_("\u2714 {name}: all {count} visible checks pass.").format(name=self.name, count=self.check_count))

    def _not_judged_lines(self, not_judged: List[tuple]) -> str:
        """The success line of a check some of whose properties could not be judged, and why for each."""
        lines = [
            _("\u2714 {name}: {passed} of {count} visible checks pass; {left} could not be judged:").format(
                name=self.name,
                passed=self.check_count - len(not_judged),
                count=self.check_count,
                left=len(not_judged),
            )
        ]
        for prop, verdict in not_judged:
            lines.append(_("  not judged: {label}: {reason}.").format(label=_(prop.label), reason=_(verdict.reason)))
        return "\n".join(lines)

    def _conditions(self) -> contextlib.AbstractContextManager:
        stack = contextlib.ExitStack()
        if self.warnings_as_errors:
            stack.enter_context(numpy_warnings_as_errors())
        if self.quiet:
            stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        return stack

    def _first_failure(self, function: Callable, not_judged: List[tuple]) -> Optional[str]:
        for case in self.resolved_cases():
            problem = run_case(function, case, self.outputs)
            if problem is not None:
                return self.explain(problem)
        for prop in self.properties:
            message = self._check_property(prop, function, not_judged)
            if message:
                return message
        return None

    def _check_property(self, prop: Property, function: Callable, not_judged: List[tuple]) -> Optional[str]:
        try:
            verdict = prop.test(function)
        except NotImplementedError:
            return self.explain(stub_problem(Case(prop.label)))
        except Exception as error:  # the learner's code may raise anything: report it
            verdict = _("it raised {error}: {message}").format(error=type(error).__name__, message=error)
        if isinstance(verdict, NotJudged):
            not_judged.append((prop, verdict))
            return None
        if satisfied(verdict):
            return None
        reason = _(verdict) if isinstance(verdict, str) else _("the property does not hold")
        return "\n".join(
            [
                _("{name} is not right yet: {reason}.").format(name=self.name, reason=reason),
                _("  check:    {label}").format(label=_(prop.label)),
                _("Hint: {hint}").format(hint=_(prop.hint or self.hints[0])),
            ]
        )

    def explain(self, problem: Problem) -> str:
        """The learner's message for one failed case: input, expected, got, and a hint."""
        case = problem.case
        state = _("{name} is not written yet: {reason}.") if problem.stub else _("{name} is not right yet: {reason}.")
        lines = [
            state.format(name=self.name, reason=_(problem.reason)),
            _("  case:     {label}").format(label=_(case.label)),
        ]
        if case.args or case.kwargs:
            lines.append(_("  input:    {call}").format(call=describe_call(self.name, case)))
        if not problem.stub:
            lines += self._expected_and_got(problem)
        lines.append(_("Hint: {hint}").format(hint=_(problem.hint or case.hint or self.hints[0])))
        return "\n".join(line.replace("\n", "\n" + INDENT) for line in lines)

    @staticmethod
    def _expected_and_got(problem: Problem) -> List[str]:
        case, mismatch = problem.case, problem.mismatch
        if case.raises is not None:
            lines = [_("  expected: raises {error}").format(error=case.raises.__name__)]
        elif mismatch is not None and mismatch.where:
            lines = [
                _("  expected: {where} = {value}").format(
                    where=mismatch.where, value=describe_value(mismatch.expected)
                ),
                _("  got:      {where} = {value}").format(where=mismatch.where, value=describe_value(mismatch.got)),
            ]
            return lines + ([f"  ({mismatch.detail})"] if mismatch.detail else [])
        elif case.has_expected:
            lines = [_("  expected: {value}").format(value=describe_value(case.expected))]
        else:
            lines = []
        if problem.has_output:
            lines.append(_("  got:      {value}").format(value=describe_value(problem.got)))
        if mismatch is not None and mismatch.detail:
            lines.append(f"  ({mismatch.detail})")
        return lines

    def hint(self) -> None:
        """Print the next hint (they get more specific each time)."""
        index = min(self._hints_shown, len(self.hints) - 1)
        self._hints_shown += 1
        print(
            _("Hint {number} of {count} for {name}:\n{hint}").format(
                number=index + 1, count=len(self.hints), name=self.name, hint=_(self.hints[index])
            )
        )

    def solution(self) -> None:
        """Print the worked solution from the course's solution notebooks, when they are here."""
        if os.environ.get(HIDE_SOLUTIONS_VARIABLE):
            print(
                _("Solutions are switched off for this course (by {variable}). Try q.{name}.hint().").format(
                    variable=HIDE_SOLUTIONS_VARIABLE, name=self.name
                )
            )
            return
        source = reference_source(self.name)
        if source is None:
            print(
                _(
                    "Worked solutions are not part of this course, so there is none for {name} here. "
                    "q.{name}.hint() gives a hint, more specific each time you ask."
                ).format(name=self.name)
            )
            return
        print(_("A solution for {name}:\n{source}").format(name=self.name, source=source.strip()))


# ------------------------------------------------------------------ the solution notebooks


def reference_source(name: str, solutions: Optional[Path] = None) -> Optional[str]:
    """The answer cell of exercise `name` (nbgrader grade_id) in the solution notebooks, markers removed.

    None when the solution notebooks are not there (a student's install has none) or hold no such cell.
    """
    for notebook in sorted((solutions or SOLUTIONS).glob("*/*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") == "code" and meta.get("solution") and meta.get("grade_id") == name:
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                return SOLUTION_MARKER.sub("", source)
    return None


# ------------------------------------------------------------------ in a notebook: time limit, early checks


class _TimeUp(BaseException):
    """Raised in the learner's code when a visible check runs out of time (a BaseException, so that an
    answer's own `except Exception` cannot swallow it)."""


def _in_notebook() -> bool:
    """Whether this runs in IPython (a notebook's kernel), where nothing else stops a runaway cell."""
    shell = sys.modules.get("IPython")
    return shell is not None and shell.get_ipython() is not None


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Inside a notebook, raise `_TimeUp` after `seconds`; elsewhere (a grader has its own limits), nothing.

    Uses the real-time interval timer, so it needs the main thread of a POSIX system and a timer that
    no one else has set.
    """
    usable = (
        _in_notebook()
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return

    def time_up(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _missing_name(error: NameError) -> Optional[str]:
    name = getattr(error, "name", None)
    if name is None:
        match = re.search(r"name '(\w+)' is not defined", str(error))
        name = match.group(1) if match else None
    return name


def early_check_message(error: NameError) -> Optional[str]:
    """The sentence for a NameError whose missing name is an exercise (a check run before its answer cell)."""
    name = _missing_name(error)
    if name not in EXERCISE_NAMES:
        return None
    return _(
        "{name} is not defined yet: run its answer cell (the cell that defines {name}) first, then run this cell again."
    ).format(name=name)


def _show_name_error(shell, etype, value, tb, tb_offset=None) -> None:
    message = early_check_message(value)
    if message is None:  # any other NameError keeps IPython's usual traceback
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    else:
        shell._showtraceback(etype, value, [f"\x1b[1;31mNameError\x1b[0m: {message}"])


def install_notebook_messages() -> None:
    """In IPython, show a NameError for an exercise's name as one plain sentence (no traceback).

    Installed when `checks` is imported; does nothing outside IPython or when the notebook already has
    a handler of its own for NameError.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "custom_exceptions", ()):
        return  # not in IPython, or a handler is there already (ours, or the notebook's own): leave it
    shell.set_custom_exc((NameError,), _show_name_error)
