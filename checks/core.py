"""The engine behind every check: run a function on one input, compare, and explain a failure.

A *case* is one input with what must hold of the output.  `run_case` calls the learner's function on
it and returns `None` when all is well or a `Problem` that says, in plain words, what went wrong.  The
visible checks (`checks.exercise`) and the hidden tests (`checks.hidden`) share this engine and differ
only in how much of the problem they show.
"""
from __future__ import annotations

import contextlib
import copy
import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

RTOL = 1e-5
ATOL = 1e-7

_NOTHING = object()


class CheckFailure(AssertionError):
    """A failed check, with a message written for the learner.

    IPython calls `_render_traceback_` instead of printing a traceback, so a learner sees the message
    alone.  Under a grader it is still an exception, so the test cell fails and earns no points.
    """

    def _render_traceback_(self):
        return [f"\x1b[1;31m{type(self).__name__}\x1b[0m: " + self.args[0]]


@dataclass
class Case:
    """One input for a function and what its output must satisfy.

    `expected` is compared with `compare`; `raises` names the exception the call must raise;
    `satisfies(output)` returns True (or None) when a property holds and False or a sentence when it
    does not.  `dtype` pins the output array's dtype where the contract fixes it.
    """

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    expected: Any = _NOTHING
    raises: Optional[type] = None
    satisfies: Optional[Callable[[Any], Any]] = None
    dtype: Any = None
    rtol: float = RTOL
    atol: float = ATOL

    @property
    def has_expected(self) -> bool:
        return self.expected is not _NOTHING


@dataclass
class Problem:
    """What went wrong in one case: a sentence, and the output when there was one."""

    case: Case
    reason: str
    got: Any = _NOTHING
    hint: str = ""

    @property
    def has_output(self) -> bool:
        return self.got is not _NOTHING


def describe_value(value: Any, limit: int = 12) -> str:
    """A short, readable rendering of a value: small arrays in full, large ones by shape and dtype."""
    if isinstance(value, np.ndarray):
        if value.size <= limit:
            body = np.array2string(value, separator=", ", precision=6, threshold=limit)
            return f"np.array({body}, dtype={value.dtype.name})"
        return f"<array of shape {value.shape}, dtype {value.dtype.name}>"
    if isinstance(value, np.random.Generator):
        return "np.random.default_rng(...)"
    if isinstance(value, (list, tuple)) and len(value) > limit:
        return f"<{type(value).__name__} of length {len(value)}>"
    return repr(value)


def describe_call(name: str, case: Case) -> str:
    """`name(arg, ..., key=value)` with each argument rendered by `describe_value`."""
    parts = [describe_value(a) for a in case.args]
    parts += [f"{k}={describe_value(v)}" for k, v in case.kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _is_real_number(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"


def compare(got: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL, dtype: Any = None) -> Optional[str]:
    """Return why `got` does not match `expected`, or None when it does.

    Arrays must match in shape (and in dtype when `dtype` is given) and agree within the tolerance;
    floats agree within the tolerance; tuples and lists match item by item and in their own type;
    ints, strings and booleans must be equal and of the same kind.
    """
    if isinstance(expected, np.ndarray):
        return _compare_arrays(got, expected, rtol, atol, dtype)
    if isinstance(expected, float):
        if not _is_real_number(got):
            return f"expected a number, got {type(got).__name__}"
        value = float(got)
        if math.isinf(expected) or math.isnan(expected):
            same = (math.isnan(expected) and math.isnan(value)) or value == expected
        else:
            same = math.isclose(value, expected, rel_tol=rtol, abs_tol=atol)
        return None if same else "the number is not the expected one"
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, type(expected)):
            return f"expected a {type(expected).__name__}, got {type(got).__name__}"
        if len(got) != len(expected):
            return f"expected {len(expected)} items, got {len(got)}"
        for index, (g, e) in enumerate(zip(got, expected)):
            reason = compare(g, e, rtol, atol)
            if reason:
                return f"item {index}: {reason}"
        return None
    if isinstance(expected, bool):
        return None if isinstance(got, (bool, np.bool_)) and bool(got) == expected else "wrong truth value"
    if isinstance(expected, int):
        if isinstance(got, bool) or not isinstance(got, int):
            return f"expected a Python int, got {type(got).__name__}"
        return None if got == expected else "the number is not the expected one"
    if isinstance(expected, str):
        if not isinstance(got, str):
            return f"expected a str, got {type(got).__name__}"
        return None if got == expected else "the text is not the expected one"
    return None if got == expected else "the value is not the expected one"


def _compare_arrays(got: Any, expected: np.ndarray, rtol: float, atol: float, dtype: Any) -> Optional[str]:
    if not isinstance(got, (np.ndarray, np.generic)):
        return f"expected a NumPy array, got {type(got).__name__}"
    got = np.asarray(got)
    if got.shape != expected.shape:
        return f"expected shape {expected.shape}, got shape {got.shape}"
    if dtype is not None and got.dtype != np.dtype(dtype):
        return f"expected dtype {np.dtype(dtype).name}, got dtype {got.dtype.name}"
    if got.dtype.kind not in "biuf":
        return f"expected numbers, got dtype {got.dtype.name}"
    if not np.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True):
        wrong = int(np.sum(~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)))
        return f"{wrong} of {expected.size} values differ from the expected ones"
    return None


def _fresh_copy(value: Any) -> Any:
    """A copy of an argument the function could change in place (arrays, lists); others as they are."""
    return copy.deepcopy(value) if isinstance(value, (np.ndarray, list)) else value


def _changed(passed: Any, original: Any) -> bool:
    """Whether the function changed an argument it was given (compared with the case's original)."""
    if passed is original:
        return False
    if isinstance(original, np.ndarray):
        return passed.shape != original.shape or not np.array_equal(
            passed, original, equal_nan=original.dtype.kind in "fc")
    return not _lists_equal(passed, original)


def _lists_equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except ValueError:  # lists holding arrays: compare item by item
        return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def _satisfied(verdict: Any) -> bool:
    return verdict is None or verdict is True or isinstance(verdict, np.bool_) and bool(verdict)


def run_case(function: Callable, case: Case) -> Optional[Problem]:
    """Call `function` on the case's input; return None when every demand holds, else a Problem.

    The function gets copies of the case's arrays and lists, so an answer that changes its input in
    place is caught by comparing the copies with the originals, and cannot spoil the case for later.
    """
    args = tuple(_fresh_copy(a) for a in case.args)
    kwargs = {k: _fresh_copy(v) for k, v in case.kwargs.items()}
    try:
        got = function(*args, **kwargs)
    except NotImplementedError:
        return Problem(case, "is not written yet: it raised NotImplementedError",
                       hint="Replace the `raise NotImplementedError()` line with your code.")
    except Exception as error:  # the learner's code may raise anything; report it, never crash
        if case.raises is not None and isinstance(error, case.raises):
            return _check_unmodified(case, args, kwargs)
        return Problem(case, f"raised {type(error).__name__}: {error}")
    if case.raises is not None:
        return Problem(case, f"should raise {case.raises.__name__}, but returned normally", got=got)
    if case.has_expected:
        reason = compare(got, case.expected, case.rtol, case.atol, case.dtype)
        if reason:
            return Problem(case, reason, got=got)
    elif case.dtype is not None:
        actual = getattr(got, "dtype", type(got).__name__)
        if np.dtype(case.dtype) != actual:
            return Problem(case, f"expected dtype {np.dtype(case.dtype).name}, got {actual}", got=got)
    if case.satisfies is not None:
        try:
            verdict = case.satisfies(got)
        except Exception as error:  # a property that cannot even be evaluated on the output fails
            return Problem(case, f"its output could not be checked ({type(error).__name__}: {error})", got=got)
        if not _satisfied(verdict):
            return Problem(case, verdict if isinstance(verdict, str) else "a required property does not hold", got=got)
    return _check_unmodified(case, args, kwargs)


def _check_unmodified(case: Case, args: tuple, kwargs: dict) -> Optional[Problem]:
    passed = list(args) + list(kwargs.values())
    originals = list(case.args) + list(case.kwargs.values())
    if any(_changed(p, o) for p, o in zip(passed, originals)):
        return Problem(case, "changed its input in place; it must leave its arguments as they were")
    return None


@contextlib.contextmanager
def numpy_warnings_as_errors():
    """Inside: NumPy's overflow, division and invalid-value warnings are errors; underflow is ignored.

    NumPy is set to *warn* (not raise) and the warnings module turns RuntimeWarnings into errors, so an
    answer that silences its own warnings (with np.errstate or the warnings module) stays silent, while
    one that lets them out fails.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            yield
