"""Visible checks for self-study: `check()`, `hint()` and `solution()` for one exercise.

Each notebook's module (for example `checks.tensors`) builds one `Exercise` per graded function.  In a
notebook a learner writes::

    from checks import tensors as q
    q.describe_tensor.check(describe_tensor)   # runs the visible cases, smallest input first
    q.describe_tensor.hint()                   # a nudge
    q.describe_tensor.solution()               # a worked answer (self-study only)

A failing check raises `CheckFailure` with the smallest failing input, what was expected, what came
back and a hint; IPython shows that message alone, without a traceback.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, List

from .core import Case, CheckFailure, Problem, describe_call, describe_value, run_case

HIDE_SOLUTIONS_VARIABLE = "DL_FOUNDATIONS_HIDE_SOLUTIONS"


def _print_box(title: str, body: str) -> None:
    print(f"{title}\n{body}")


@dataclass
class Exercise:
    """The visible side of one graded exercise.

    `cases` run in the order given: write them smallest first, so the first failure is the smallest
    failing input.  `hints` are shown one at a time, in order, by `hint()`.
    """

    name: str
    cases: List[Case]
    hints: List[str]
    solution_code: str
    _hints_shown: int = field(default=0, repr=False)

    def check(self, function: Callable) -> None:
        """Run every visible case on `function`; print a success line or raise `CheckFailure`."""
        if not callable(function):
            raise CheckFailure(f"check() needs your function `{self.name}` itself, got {describe_value(function)}.")
        for case in self.cases:
            problem = run_case(function, case)
            if problem is not None:
                raise CheckFailure(self.explain(problem))
        print(f"\u2714 {self.name}: all {len(self.cases)} visible checks pass.")

    def explain(self, problem: Problem) -> str:
        """The learner's message for one failed case: input, expected, got, and a hint."""
        case = problem.case
        lines = [f"{self.name} is not right yet: {problem.reason}.",
                 f"  case:     {case.label}",
                 f"  input:    {describe_call(self.name, case)}"]
        if case.raises is not None:
            lines.append(f"  expected: raises {case.raises.__name__}")
        elif case.has_expected:
            lines.append(f"  expected: {describe_value(case.expected)}")
        if problem.has_output:
            lines.append(f"  got:      {describe_value(problem.got)}")
        lines.append(f"Hint: {problem.hint or self.hints[0]}")
        return "\n".join(lines)

    def hint(self) -> None:
        """Print the next hint (they get more specific each time)."""
        index = min(self._hints_shown, len(self.hints) - 1)
        self._hints_shown += 1
        _print_box(f"Hint {index + 1} of {len(self.hints)} for {self.name}:", self.hints[index])

    def solution(self) -> None:
        """Print a worked solution, unless the instructor has switched solutions off."""
        if os.environ.get(HIDE_SOLUTIONS_VARIABLE):
            print(f"Solutions are switched off for this course (by {HIDE_SOLUTIONS_VARIABLE}). Try hint().")
            return
        _print_box(f"A solution for {self.name}:", self.solution_code.strip())
