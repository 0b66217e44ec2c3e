"""The engine behind every check: run a function on one input, compare, and explain a failure.

A *case* is one input with what must hold of the output.  `run_case` calls the learner's function on
it and returns `None` when all is well or a `Problem` that says, in plain words, what went wrong.  The
visible checks (`checks.exercise`) and the hidden tests (`checks.hidden`) share this engine and differ
only in how much of the problem they show.

Every value a message shows is written as Python that pastes back into a cell
(`np.array([1, 2], dtype=np.int64)`), items are counted from 1, dtypes are named by their name.
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import sys
import types
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from .i18n import _

RTOL = 1e-5
ATOL = 1e-7
SHOWN_VALUES = 24  # arrays with at most this many values are written out in full

_NOTHING = object()


class CheckFailure(AssertionError):
    """A failed check, with a message written for the learner.

    IPython calls `_render_traceback_` instead of printing a traceback, so a learner sees the message
    alone.  Under a grader it is still an exception, so the test cell fails and earns no points.
    """

    def _render_traceback_(self):
        return [f"\x1b[1;31m{type(self).__name__}\x1b[0m: " + self.args[0]]


class _Frozen:
    """The marker `Case(expected=FROZEN)`: the expected value is read from the frozen data (`checks.frozen`)."""

    def __repr__(self) -> str:
        return "FROZEN"


FROZEN = _Frozen()


@dataclass
class Case:
    """One input for a function and what its output must satisfy.

    `expected` is compared with `compare` (`FROZEN`: taken from the frozen data of the exercise's
    module); `raises` names the exception the call must raise; `satisfies(output)` returns True (or
    None) when a property holds and False or a sentence when it does not.  `dtype` pins the output
    array's dtype where the contract fixes it.  `hint` is the hint for the mistake this case catches,
    shown with its failure instead of the exercise's first generic hint.
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
    hint: str = ""

    @property
    def has_expected(self) -> bool:
        return self.expected is not _NOTHING


@dataclass
class Mismatch:
    """Why an output differs from the expected value, and where: `where` names the item
    ("item 2", or its name such as "grad_W"); `expected`/`got` are the parts that differ.  `reason`
    never quotes an expected value (hidden tests show it); `detail` may (visible checks show it)."""

    reason: str
    where: str = ""
    expected: Any = _NOTHING
    got: Any = _NOTHING
    detail: str = ""

    def sentence(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason


@dataclass
class Problem:
    """What went wrong in one case: a sentence, and the output when there was one.

    `stub` marks an answer that is not written yet (it raised NotImplementedError); `mismatch` holds
    the differing parts when the output was compared with an expected value.
    """

    case: Case
    reason: str
    got: Any = _NOTHING
    hint: str = ""
    stub: bool = False
    mismatch: Optional[Mismatch] = None

    @property
    def has_output(self) -> bool:
        return self.got is not _NOTHING


# ------------------------------------------------------------------ values written as Python


def _float_literal(x: Any) -> str:
    value = float(x)
    if math.isnan(value):
        return "np.nan"
    if math.isinf(value):
        return "np.inf" if value > 0 else "-np.inf"
    return str(x)  # NumPy's shortest text that reads back as the same number of its own dtype


def _array_literal(value: np.ndarray) -> str:
    dtype = f"np.{value.dtype.name}" if hasattr(np, value.dtype.name) else repr(value.dtype.name)
    if value.size == 0:
        return f"np.zeros({value.shape}, dtype={dtype})"
    if value.size > SHOWN_VALUES:
        summary = f"np.array(...)  # shape {value.shape}, dtype {value.dtype.name}"
        if value.dtype.kind in "biuf" and np.all(value == value.flat[0]):
            fill = describe_value(value.flat[0].item())
            return f"np.full({value.shape}, {fill}, dtype={dtype})"
        return summary
    column_major = value.ndim > 1 and value.flags.f_contiguous and not value.flags.c_contiguous
    opening = "np.asfortranarray(np.array(" if column_major else "np.array("
    body = np.array2string(
        value,
        separator=", ",
        threshold=sys.maxsize,
        max_line_width=100,
        prefix=opening,
        formatter={"float_kind": _float_literal},
    )
    return f"{opening}{body}, dtype={dtype}){')' if column_major else ''}"


def _generator_literal(rng: np.random.Generator) -> str:
    seed = getattr(getattr(rng.bit_generator, "seed_seq", None), "entropy", None)
    return f"np.random.default_rng({seed})" if isinstance(seed, int) else "np.random.default_rng()"


def describe_value(value: Any) -> str:
    """`value` written as Python that pastes back into a cell; large arrays by shape and dtype."""
    if isinstance(value, np.ndarray):
        return _array_literal(value)
    if isinstance(value, np.generic):
        kind = type(value).__name__
        return f"np.{kind}({_float_literal(value) if value.dtype.kind == 'f' else value.item()!r})"
    if isinstance(value, float):
        return _float_literal(value) if not math.isfinite(value) else repr(value)
    if isinstance(value, np.dtype):
        return f"np.dtype({value.name!r})"
    if isinstance(value, np.random.Generator):
        return _generator_literal(value)
    if isinstance(value, tuple):
        items = [describe_value(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, list):
        return f"[{', '.join(describe_value(v) for v in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {describe_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


def describe_type(value: Any) -> str:
    """What kind of thing `value` is, in words a learner knows (`a NumPy dtype object (int64)`)."""
    if value is None:
        return "None"
    if isinstance(value, np.dtype):
        return _("a NumPy dtype object (np.dtype({name!r}), not its name)").format(name=value.name)
    if isinstance(value, np.ndarray):
        return _("a NumPy array of dtype {dtype}").format(dtype=value.dtype.name)
    if isinstance(value, np.generic):
        return _("a NumPy {kind}").format(kind=type(value).__name__)
    return _("a {kind}").format(kind=type(value).__name__)


def describe_call(name: str, case: Case) -> str:
    """`name(arg, ..., key=value)` with each argument written by `describe_value`."""
    parts = [describe_value(a) for a in case.args]
    parts += [f"{k}={describe_value(v)}" for k, v in case.kwargs.items()]
    return f"{name}({', '.join(parts)})"


# ------------------------------------------------------------------ comparing


def _is_real_number(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"


def find_mismatch(
    got: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL, dtype: Any = None, names: Sequence[str] = ()
) -> Optional[Mismatch]:
    """Where and why `got` does not match `expected`, or None when it does.

    Arrays must match in shape (and in dtype when `dtype` is given) and agree within the tolerance;
    floats agree within the tolerance; tuples and lists match item by item and in their own type
    (`names` names the items of a tuple output, e.g. ("grad_x", "grad_W", "grad_b"), which may then
    come back as a list too); ints, strings and
    booleans must be equal and of the same kind.
    """
    if isinstance(expected, np.ndarray):
        return _compare_arrays(got, expected, rtol, atol, dtype)
    if isinstance(expected, (tuple, list)):
        if names and isinstance(got, list) and isinstance(expected, tuple):
            got = tuple(got)  # named outputs may come back as a list: the names, not the brackets, matter
        return _compare_items(got, expected, rtol, atol, names)
    reason = _compare_scalars(got, expected, rtol, atol)
    return Mismatch(reason, expected=expected, got=got) if reason else None


def compare(got: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL, dtype: Any = None) -> Optional[str]:
    """Return why `got` does not match `expected` (a sentence), or None when it does."""
    mismatch = find_mismatch(got, expected, rtol, atol, dtype)
    return mismatch.sentence() if mismatch else None


def _compare_scalars(got: Any, expected: Any, rtol: float, atol: float) -> Optional[str]:
    if isinstance(expected, float):
        if not _is_real_number(got):
            return _("expected a number, got {got}").format(got=describe_type(got))
        value = float(got)
        if math.isinf(expected) or math.isnan(expected):
            same = (math.isnan(expected) and math.isnan(value)) or value == expected
        else:
            same = math.isclose(value, expected, rel_tol=rtol, abs_tol=atol)
        return None if same else _("the number is not the expected one")
    if isinstance(expected, bool):
        return None if isinstance(got, (bool, np.bool_)) and bool(got) == expected else _("wrong truth value")
    if isinstance(expected, int):
        if isinstance(got, bool) or not isinstance(got, int):
            return _("expected a Python int, got {got}").format(got=describe_type(got))
        return None if got == expected else _("the number is not the expected one")
    if isinstance(expected, str):
        if not isinstance(got, str):
            return _("expected a str, got {got}").format(got=describe_type(got))
        return None if got == expected else _("the text is not the expected one")
    return None if got == expected else _("the value is not the expected one")


def _compare_items(got: Any, expected: Any, rtol: float, atol: float, names: Sequence[str]) -> Optional[Mismatch]:
    kind = type(expected).__name__
    if not isinstance(got, type(expected)):
        return Mismatch(
            _("expected a {kind} of {count} items, got {got}").format(
                kind=kind, count=len(expected), got=describe_type(got)
            ),
            expected=expected,
            got=got,
        )
    if len(got) != len(expected):
        return Mismatch(
            _("expected a {kind} of {count} items, got {length}").format(
                kind=kind, count=len(expected), length=len(got)
            ),
            expected=expected,
            got=got,
        )
    for index, (g, e) in enumerate(zip(got, expected)):
        inner = find_mismatch(g, e, rtol, atol)
        if inner:
            label = names[index] if index < len(names) else _("item {number}").format(number=index + 1)
            where = f"{label}, {inner.where}" if inner.where else label
            return Mismatch(inner.reason, where, inner.expected, inner.got, inner.detail)
    return None


def _compare_arrays(got: Any, expected: np.ndarray, rtol: float, atol: float, dtype: Any) -> Optional[Mismatch]:
    def mismatch(reason: str) -> Mismatch:
        return Mismatch(reason, expected=expected, got=got)

    if not isinstance(got, (np.ndarray, np.generic)):
        return mismatch(_("expected a NumPy array, got {got}").format(got=describe_type(got)))
    got = np.asarray(got)
    if got.shape != expected.shape:
        return mismatch(_("expected shape {expected}, got shape {got}").format(expected=expected.shape, got=got.shape))
    if dtype is not None and got.dtype != np.dtype(dtype):
        return mismatch(
            _("expected dtype {expected}, got dtype {got}").format(expected=np.dtype(dtype).name, got=got.dtype.name)
        )
    if got.dtype.kind not in "biuf":
        return mismatch(_("expected numbers, got dtype {got}").format(got=got.dtype.name))
    close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if np.all(close):
        return None
    wrong = np.argwhere(~close)
    first = tuple(int(i) for i in wrong[0])
    found = mismatch(
        _("{wrong} of {size} values differ from the expected ones").format(wrong=len(wrong), size=expected.size)
    )
    found.detail = _("the first at index {index}: expected {expected}, got {got}").format(
        index=list(first), expected=describe_value(expected[first].item()), got=describe_value(got[first].item())
    )
    return found


# ------------------------------------------------------------------ running one case


def _fresh_copy(value: Any) -> Any:
    """A copy of an argument the function could change (arrays, lists, random generators); others as they are.

    A generator is copied so that every run of a check draws the same numbers from it.
    """
    return copy.deepcopy(value) if isinstance(value, (np.ndarray, list, np.random.Generator)) else value


def _changed(passed: Any, original: Any) -> bool:
    """Whether the function changed an argument it was given (compared with the case's original)."""
    if passed is original or isinstance(original, np.random.Generator):
        return False
    if isinstance(original, np.ndarray):
        return passed.shape != original.shape or not np.array_equal(
            passed, original, equal_nan=original.dtype.kind in "fc"
        )
    return not _lists_equal(passed, original)


def _lists_equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except ValueError:  # lists holding arrays: compare item by item
        return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


@dataclass(frozen=True)
class NotJudged:
    """A property's verdict when the function gave it nothing to judge by: `reason` says what was missing.

    The check then neither passes nor fails that property: its success line says which one it could not
    judge and why, so a learner is never told "all pass" for a demand nobody looked at.
    """

    reason: str


def runs_in_this_process(function: Any) -> bool:
    """Whether `function` is a plain Python function of this process.

    In a notebook the learner's function is; under the course's grader it is a handle to the student's
    process, whose module state (the last TrainingLog made, for one) a check running here cannot see, so a
    property that reads such state must say it could not judge.  (The grader carries the global `random`
    and `np.random` states back with every reply, so properties that watch those still judge.)
    """
    return isinstance(function, types.FunctionType)


def satisfied(verdict: Any) -> bool:
    """Whether a property's verdict (True, None, a NumPy bool, False or a sentence) says it holds."""
    return verdict is None or verdict is True or isinstance(verdict, np.bool_) and bool(verdict)


class _Tee(io.TextIOBase):
    """Passes what is printed on to `stream` and remembers whether anything was."""

    def __init__(self, stream):
        self.stream = stream
        self.printed = False

    def write(self, text: str) -> int:
        self.printed = self.printed or bool(text.strip())
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:  # a progress display that asks where it prints gets the true answer
        return self.stream.isatty()


def stub_problem(case: Case) -> Problem:
    return Problem(
        case,
        _("it raised NotImplementedError"),
        stub=True,
        hint="Replace the `raise NotImplementedError()` line with your code, run that cell, then this one.",
    )


def returned_none(case: Case, printed: bool) -> Problem:
    """The sentence for an answer that hands back None where a value was expected."""
    if printed:
        reason = _(
            "it printed its result but returned None: `print` only shows a value, `return` hands it back "
            "to the caller (and to this check)"
        )
    else:
        reason = _("it returned None: it needs a `return` statement that hands back the result")
    return Problem(case, reason, got=None)


def run_case(function: Callable, case: Case, names: Sequence[str] = ()) -> Optional[Problem]:
    """Call `function` on the case's input; return None when every demand holds, else a Problem.

    The function gets copies of the case's arrays and lists, so an answer that changes its input in
    place is caught by comparing the copies with the originals, and cannot spoil the case for later.
    `names` names the items of a tuple output in messages.
    """
    args = tuple(_fresh_copy(a) for a in case.args)
    kwargs = {k: _fresh_copy(v) for k, v in case.kwargs.items()}
    tee = _Tee(sys.stdout)
    try:
        with contextlib.redirect_stdout(tee):
            got = function(*args, **kwargs)
    except NotImplementedError:
        return stub_problem(case)
    except Exception as error:  # the learner's code may raise anything; report it, never crash
        if case.raises is not None and isinstance(error, case.raises):
            return _check_unmodified(case, args, kwargs)
        return Problem(case, _("it raised {error}: {message}").format(error=type(error).__name__, message=error))
    if case.raises is not None:
        return Problem(
            case, _("it should raise {error}, but returned normally").format(error=case.raises.__name__), got=got
        )
    wants_value = (case.has_expected and case.expected is not None) or case.satisfies is not None
    if got is None and wants_value:
        return returned_none(case, tee.printed)
    if case.has_expected:
        mismatch = find_mismatch(got, case.expected, case.rtol, case.atol, case.dtype, names)
        if mismatch:
            return Problem(case, mismatch.sentence(), got=got, mismatch=mismatch)
    elif case.dtype is not None:
        actual = getattr(got, "dtype", None)
        if actual is None or np.dtype(case.dtype) != actual:
            shown = actual.name if isinstance(actual, np.dtype) else describe_type(got)
            return Problem(
                case,
                _("expected dtype {expected}, got {got}").format(expected=np.dtype(case.dtype).name, got=shown),
                got=got,
            )
    if case.satisfies is not None:
        try:
            verdict = case.satisfies(got)
        except Exception as error:  # a property that cannot even be evaluated on the output fails
            return Problem(
                case,
                _("its output could not be checked ({error}: {message})").format(
                    error=type(error).__name__, message=error
                ),
                got=got,
            )
        if not satisfied(verdict):
            return Problem(
                case, _(verdict) if isinstance(verdict, str) else _("a required property does not hold"), got=got
            )
    return _check_unmodified(case, args, kwargs)


def _check_unmodified(case: Case, args: tuple, kwargs: dict) -> Optional[Problem]:
    passed = list(args) + list(kwargs.values())
    originals = list(case.args) + list(case.kwargs.values())
    if any(_changed(p, o) for p, o in zip(passed, originals)):
        return Problem(case, _("it changed its input in place; it must leave its arguments as they were"))
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
