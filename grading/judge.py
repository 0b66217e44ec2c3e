"""The judge: runs the instructor's tests against a submission that runs in another process.

    python -m grading.judge JOB.json RESULT.json

A *job* is a graded notebook reduced to what grading needs (`grading.plan.job_for`): its code cells in
order, each with a role.  Cells the submission may write (`answer`, `free`) and the read-only cells
the answers may rely on (`locked`) run in the student process (`grading.remote.StudentSession`); the
graded `test` cells run here, in the judge, from the instructor's source, with every name the test
does not define itself looked up in the student process and bound to a proxy.  So no student code
ever runs in this process: nothing it patches (NumPy, builtins, `checks`, `sys.modules`, IPython,
atexit, input transformers) can reach the tests, and what it prints cannot pass for a result -- the
judge decides by the exceptions the tests raise.

A test cell passes when its code raises nothing and its `checks.hidden.HiddenTests` (if it has one)
records no failed check; with failed checks and no exception it earns its passing parts' points.  Its
outputs are rebuilt for nbgrader: the output of the visible checks, and on failure one error output
holding a plain-words message that never quotes the hidden tests' source (`describe_failure`).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from typing import Optional

from . import limits as limits_
from . import messages, records, remote, sandbox, wire
from .messages import say
from .remote import SandboxFailure, StudentError, StudentTimeout

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*$")
END_HIDDEN = re.compile(r"^[ \t]*### END HIDDEN TESTS[ \t]*$")
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")
_IDENTIFIER = re.compile(r"[^0-9A-Za-z_.]")
MAX_IMAGE = 2_000_000  # base64 characters of one image
MAX_TEXT = 20_000  # characters of text one output keeps
CELL_TEXT = 50_000  # characters of text one cell's outputs keep, all together
NOTEBOOK_TEXT = 500_000  # ... and one notebook's
NOTEBOOK_IMAGES = 8_000_000  # base64 characters of images one notebook keeps
MESSAGE_LIMIT = 2_000  # characters of a test's message


class OutputBudget:
    """What one notebook's outputs may still hold: whatever a submission prints or returns, the graded
    notebook, the record, the report and the feedback stay small."""

    def __init__(self):
        self.text, self.images = NOTEBOOK_TEXT, NOTEBOOK_IMAGES

    def take_text(self, text: str, cell_left: int) -> str:
        allowed = max(0, min(len(text), MAX_TEXT, cell_left, self.text))
        self.text -= allowed
        return text if allowed == len(text) else text[:allowed] + say(messages.OUTPUT_CUT, count=allowed)

    def take_image(self, image: str) -> bool:
        if len(image) > min(MAX_IMAGE, self.images):
            return False
        self.images -= len(image)
        return True


# --- test cells -----------------------------------------------------------------------------------


@dataclass
class Segment:
    """A run of a test cell's lines: visible checks, or a hidden block."""

    first_line: int
    text: str
    hidden: bool

    def code(self) -> str:
        return "\n" * (self.first_line - 1) + self.text


def split_segments(source: str) -> list:
    """The visible and hidden parts of a test cell, in order, keeping line numbers."""
    segments, lines, hidden, first = [], [], False, 1
    for number, line in enumerate(source.splitlines(), start=1):
        marker_begin, marker_end = BEGIN_HIDDEN.match(line), END_HIDDEN.match(line)
        if marker_begin or marker_end:
            if lines:
                segments.append(Segment(first, "\n".join(lines) + "\n", hidden))
            lines, first, hidden = [], number + 1, bool(marker_begin)
        else:
            lines.append(line)
    if lines:
        segments.append(Segment(first, "\n".join(lines) + "\n", hidden))
    return segments


class TestNamespace(dict):
    """The globals of a test cell: what the test defines, else the student's objects, else builtins."""

    def __init__(self, proc: remote.Proc, deadline: float):
        super().__init__({"__name__": "__main__", "__builtins__": builtins})
        self.proc, self.deadline = proc, deadline
        self.missing: set = set()

    def __missing__(self, name: str):
        if hasattr(builtins, name) or name.startswith("__"):
            raise KeyError(name)
        reply = self.proc.request(("lookup", name), self.deadline)
        if reply.get("status") == "missing":
            self.missing.add(name)
            raise KeyError(name)
        value = remote._value_of(reply)
        self[name] = value
        return value


@dataclass
class TestOutcome:
    passed: bool
    message: str = ""
    kind: str = "passed"  # passed | partial | visible | hidden | timeout | crashed | missing | error
    ename: str = ""
    stdout: str = ""
    seconds: float = 0.0
    in_place: list = field(default_factory=list)  # student functions seen changing an argument, if it failed
    attempts: list = field(default_factory=list)  # what the student side reported trying during the calls
    detail: str = ""  # for the instructor only (the record and report): what the student is not shown
    repeated: bool = False  # a call that failed at once: its function ran out of time earlier
    score: Optional[float] = None  # the points of a cell whose named checks partly passed
    failed_checks: list = field(default_factory=list)  # every failed named check of a HiddenTests cell

    def outputs(self, budget: OutputBudget) -> list:
        items = []
        if self.stdout:
            items.append({"output_type": "stream", "name": "stdout", "text": budget.take_text(self.stdout, CELL_TEXT)})
        if not self.passed and not self.score:  # partial points are no error: fill_outputs writes them
            items.append(
                {
                    "output_type": "error",
                    "ename": self.ename,
                    "evalue": self.message,
                    "traceback": [f"\x1b[0;31m{self.ename}\x1b[0m: {self.message}"],
                }
            )
        return items


def _failing_line(error: BaseException, filename: str) -> Optional[int]:
    line = None
    for frame, number in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == filename:
            line = number
    return line


def _statement_index(segment: Segment, line: Optional[int]) -> int:
    """Which top-level statement of a hidden block holds `line` (1-based), for a name like 'check 3'."""
    import ast

    try:
        tree = ast.parse(segment.code())
    except SyntaxError:
        return 1
    for index, node in enumerate(tree.body, start=1):
        if line is not None and node.lineno <= line <= (node.end_lineno or node.lineno):
            return index
    return 1


def describe_failure(
    error: BaseException,
    segment: Segment,
    source: str,
    filename: str,
    exercise: str,
    namespace: TestNamespace,
    limits: dict,
) -> TestOutcome:
    """A failure in words for the student: never the hidden tests' source, never an expected value."""
    from checks.core import CheckFailure
    from checks.hidden import HiddenTestFailure

    subject = exercise or say(messages.YOUR_ANSWER)
    if isinstance(error, StudentTimeout):
        stopped = limits.get("stopped", {}).get(getattr(error, "function", None))
        if stopped is not None:  # a function that ran out of time earlier: this call failed at once
            message = timeout_message(error.function, *stopped)
            return TestOutcome(False, message, "timeout", "TimeLimitExceeded", repeated=True)
        return TestOutcome(False, timeout_message(subject, limits.get("cell_timeout")), "timeout", "TimeLimitExceeded")
    if isinstance(error, SandboxFailure):
        message = say(messages.CANNOT_BE_TESTED, subject=subject, reason=error, memory_mb=limits.get("memory_mb"))
        return TestOutcome(False, message, "crashed", "StudentProcessStopped")
    if isinstance(error, HiddenTestFailure):
        return TestOutcome(False, str(error.args[0]), "hidden", "HiddenTestFailure")
    if isinstance(error, CheckFailure):
        return TestOutcome(False, str(error.args[0]), "hidden" if segment.hidden else "visible", "CheckFailure")
    if isinstance(error, NameError) and namespace.missing:
        name = sorted(namespace.missing)[0]
        return TestOutcome(False, say(messages.NOT_DEFINED, name=name), "missing", "NameError")
    if isinstance(error, StudentError):
        kind = getattr(type(error), "student_type", type(error).__name__)
        if kind == "NotImplementedError":  # the visible checks' own words, in the course's language
            from checks.i18n import _

            message = _("{name} is not written yet: {reason}.").format(
                name=subject, reason=_("it raised NotImplementedError")
            )
            return TestOutcome(False, message, "hidden" if segment.hidden else "visible", "NotImplementedError")
        if segment.hidden:  # its message could carry a hidden test's input out: the instructor's record has it
            return TestOutcome(False, say(messages.RAISED_IN_HIDDEN_TEST, subject=subject, error=kind), "hidden", kind)
        message = say(messages.RAISED, subject=subject, error=kind, message=str(error)[:500])
        return TestOutcome(False, message, "visible", kind)
    line = _failing_line(error, filename)
    if segment.hidden:
        check = _statement_index(segment, line)
        message = say(messages.HIDDEN_CHECK_FAILED, number=check, subject=subject, error=type(error).__name__)
        return TestOutcome(False, message, "hidden", "HiddenTestFailure")
    text = f"{type(error).__name__}: {str(error)[:500]}".rstrip(": ")
    lines = source.splitlines()
    if line is not None and 0 < line <= len(lines):
        text += say(messages.IN_THE_CHECK, line=lines[line - 1].strip())
    return TestOutcome(False, text, "visible", type(error).__name__)


def timeout_message(subject: str, seconds: float, where: str = "") -> str:
    """The one message for a function or cell that ran out of time (`where`: the cell it ran out in, when
    this call failed at once because of it)."""
    text = say(messages.TIMED_OUT, subject=subject, seconds=seconds)
    return text + (say(messages.TIMED_OUT_EARLIER, where=where) if where else "")


def _hidden_tests_verdict(namespace: TestNamespace) -> Optional[dict]:
    """The verdict of the cell's `checks.hidden.HiddenTests` (its partial points and failed checks), if it has one.

    Only an object of the judge's own class counts (`type` is asked, never the object), so no student
    value can pass for one."""
    from checks.hidden import HiddenTests

    found = [value for value in dict.values(namespace) if type(value) is HiddenTests]
    if not found:
        return None
    tests = found[-1]
    return tests.verdict()


class _Sink(io.StringIO):
    """Where the output of hidden checks goes: nowhere a student can read."""


def run_test_cell(
    session: remote.StudentSession, cell: dict, limits: dict, parked: Optional[remote.Proc] = None
) -> TestOutcome:
    """Run one test cell in the judge against a throw-away fork of `parked` (the current state by default)."""
    start = time.monotonic()
    deadline = start + limits["cell_timeout"]  # a test's own limit: what cells before it used does not count
    filename = f"<test cell {cell.get('grade_id')}>"
    shown = io.StringIO()
    outcome: Optional[TestOutcome] = None
    try:
        proc = session.test_process(deadline, parked)
    except SandboxFailure as failure:
        outcome = describe_failure(
            failure, Segment(1, "", False), "", filename, cell.get("exercise"), TestNamespace(None, deadline), limits
        )
        outcome.seconds = time.monotonic() - start
        return outcome
    session.call_deadline = deadline
    namespace = TestNamespace(proc, deadline)
    source = cell["source"]
    segments = split_segments(source)
    try:
        compiled = [(segment, compile(segment.code(), filename, "exec")) for segment in segments]
    except SyntaxError:  # markers inside a block: run the cell whole, and show nothing of its output
        try:
            compiled = [(Segment(1, source, True), compile(source, filename, "exec"))]
        except SyntaxError as error:  # the instructor's test cell itself is broken
            session.end_test(proc)
            session.call_deadline = session.deadline
            return TestOutcome(False, say(messages.TEST_UNREADABLE, line=error.lineno), "error", "TestError")
    try:
        for segment, code in compiled:
            target = _Sink() if segment.hidden else shown
            session.in_hidden_test = segment.hidden
            try:
                with contextlib.redirect_stdout(target), contextlib.redirect_stderr(target):
                    exec(code, namespace)
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # a test fails by raising; a sandbox failure ends it too
                if isinstance(error, SystemExit):
                    outcome = TestOutcome(False, say(messages.TEST_STOPPED_GRADER), "error", "TestError")
                else:
                    outcome = describe_failure(
                        error, segment, source, filename, cell.get("exercise"), namespace, limits
                    )
                break
    finally:
        session.in_hidden_test = False
        session.call_deadline = session.deadline
        session.end_test(proc)
    if outcome is not None and session.hidden_messages and not outcome.detail:
        outcome.detail = "; ".join(session.hidden_messages[-3:])[:MESSAGE_LIMIT]
    session.hidden_messages.clear()
    hidden = _hidden_tests_verdict(namespace)
    if outcome is None and hidden and hidden["failed_checks"]:  # tests.report() returned partial points
        outcome = TestOutcome(False, hidden["message"], "partial", "HiddenTestFailure", score=hidden["score"])
    if outcome is not None and hidden:
        outcome.failed_checks = hidden["failed_checks"][:50]
    if outcome is None:
        outcome = TestOutcome(True)
    elif session.in_place:
        outcome.in_place = sorted(set(session.in_place))[:5]
    outcome.attempts = session.attempts[:20]
    session.in_place.clear()
    session.attempts = []
    outcome.stdout = shown.getvalue()
    outcome.seconds = time.monotonic() - start
    return outcome


# --- cells of the submission ---------------------------------------------------------------------


def clean_outputs(items, budget: OutputBudget) -> list:
    """Outputs from the student process, checked and cut down: text and images only, never HTML, and no
    more than `budget` allows."""
    clean, cell_left = [], CELL_TEXT

    def text_of(value) -> str:
        nonlocal cell_left
        kept = budget.take_text(str(value), cell_left)
        cell_left -= min(len(kept), cell_left)
        return kept

    for item in items[:200] if isinstance(items, list) else []:
        if not isinstance(item, dict) or item.get("output_type") not in OUTPUT_TYPES:
            continue
        kind = item["output_type"]
        if kind == "stream" and item.get("name") in ("stdout", "stderr") and isinstance(item.get("text"), str):
            clean.append({"output_type": "stream", "name": item["name"], "text": text_of(item["text"])})
        elif kind in ("display_data", "execute_result") and isinstance(item.get("data"), dict):
            data = {}
            text = item["data"].get("text/plain")
            if isinstance(text, str):
                data["text/plain"] = text_of(text)
            for key in ("image/png", "image/jpeg"):
                image = item["data"].get(key)
                if isinstance(image, str) and BASE64.match(image) and budget.take_image(image):
                    data[key] = image
            if data:
                output = {"output_type": kind, "data": data, "metadata": {}}
                if kind == "execute_result":
                    count = item.get("execution_count")
                    output["execution_count"] = count if type(count) is int else None
                clean.append(output)
        elif kind == "error":
            trace = item.get("traceback") if isinstance(item.get("traceback"), list) else []
            clean.append(
                {
                    "output_type": "error",
                    "ename": _IDENTIFIER.sub("_", str(item.get("ename", "Error")))[:100],
                    "evalue": text_of(str(item.get("evalue", ""))[: wire.TEXT_LIMIT]),
                    "traceback": [text_of(str(line)[: wire.TEXT_LIMIT]) for line in trace[-60:]],
                }
            )
    return clean


def stopped_output(status: str, reason: str, limits: dict) -> list:
    """The error output of a cell that did not finish: ran out of time (`reason`: which graded function was
    running, or ""), was not run, or stopped its process (`reason`: how)."""
    if status == "timeout":
        text = say(messages.CELL_TIMED_OUT, seconds=limits["cell_timeout"], running=reason)
        name = "TimeLimitExceeded"
    elif status == "skipped":
        text = say(messages.CELL_NOT_RUN, seconds=limits["cells_timeout"])
        name = "NotRun"
    else:
        text = say(messages.CELL_STOPPED_PROCESS, reason=reason, memory_mb=limits["memory_mb"])
        name = "StudentProcessStopped"
    return [{"output_type": "error", "ename": name, "evalue": text, "traceback": [f"\x1b[0;31m{name}\x1b[0m: {text}"]}]


def student_environment(layout: dict, threads: int = 0) -> dict:
    """Every environment variable the student process gets (nothing else of the judge's)."""
    tmp = layout["tmp"]
    env = {
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": layout["workdir"],
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "MPLBACKEND": "agg",
        "MPLCONFIGDIR": os.path.join(tmp, "matplotlib"),
        "IPYTHONDIR": os.path.join(tmp, "ipython"),
        "TMPDIR": tmp,
        **limits_.blas_environment(threads if threads and threads > 0 else limits_.blas_threads(1)),
        "NBGRADER_EXECUTION": "autograde",
        "DL_FOUNDATIONS_CACHE": mnist_cache(),
    }
    for name in ("KERAS_HOME", "DL_FOUNDATIONS_HIDE_SOLUTIONS"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def mnist_cache() -> str:
    """The folder of the MNIST cache the notebooks load (shown read-only to the student process)."""
    if os.environ.get("DL_FOUNDATIONS_CACHE"):
        return os.path.realpath(os.environ["DL_FOUNDATIONS_CACHE"])
    try:
        import platformdirs

        return os.path.realpath(platformdirs.user_cache_dir("dl-foundations"))
    except ImportError:
        return os.path.realpath(os.path.join(os.path.expanduser("~"), ".cache", "dl-foundations"))


def data_paths() -> list:
    """Read-only data the notebooks load: the MNIST cache (ours and Keras')."""
    keras = os.path.join(os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras"), "datasets")
    return [mnist_cache(), keras]


def grader_files(folder: str) -> str:
    """The judge's read-only extras for the student process: matplotlib's font list, so that each
    student process need not rebuild it."""
    import glob
    import shutil

    os.makedirs(folder, exist_ok=True)
    home = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "matplotlib"
    )
    for path in glob.glob(os.path.join(home, "fontlist-*.json")):
        try:
            shutil.copyfile(path, os.path.join(folder, os.path.basename(path)))
        except OSError:
            pass
    return folder


def unsandboxed_layout(scratch: str, packages: list) -> dict:
    """Without a sandbox: a fresh working folder and a folder of links to the course's packages."""
    work = tempfile.mkdtemp(prefix="work-", dir=scratch)
    tmp = tempfile.mkdtemp(prefix="tmp-", dir=scratch)
    course = tempfile.mkdtemp(prefix="course-", dir=scratch)
    for package in [*packages, "grading"]:
        if os.path.isdir(os.path.join(ROOT, package)):
            os.symlink(os.path.join(ROOT, package), os.path.join(course, package))
    return {"workdir": work, "tmp": tmp, "course": course}


SANDBOX_LAYOUT = {
    "workdir": sandbox.MOUNT_WORK,
    "tmp": sandbox.MOUNT_TMP,
    "submission": sandbox.MOUNT_SUBMISSION,
    "grader_files": sandbox.MOUNT_GRADER,
    "course": sandbox.MOUNT_COURSE,
}


# --- the whole notebook ---------------------------------------------------------------------------


# The grader's own code, run in the student process (like the read-only cells, it is the instructor's): a
# graded function that ran out of time once fails at once in every later call, in any process of the
# notebook.  Each graded function is wrapped so that it knows when it runs; when the judge's time is up it
# sends SIGUSR1 just before it kills the process, and the handler writes the outermost graded function
# that was running into memory shared with every later fork.  A submission can undo this only to its own
# cost (its runaway then costs its time limit again).
GUARD_SETUP = '''
def _dl_grading_guard_setup(stopped):
    import functools, mmap, os, signal, types
    shared = mmap.mmap(-1, 8192)     # anonymous and shared: every later fork sees what one of them writes
    running = []

    class TimeLimitExceeded(Exception):
        """A graded function that ran out of time earlier: the grader does not run it again."""

    def names():
        text = bytes(shared[:]).split(b"\\0", 1)[0].decode("ascii", "replace")
        return [name for name in text.split(",") if name]

    def add(name):
        known = names()
        if name not in known:
            data = ",".join(known + [name]).encode("ascii", "replace")[:8000] + b"\\0"
            shared[:len(data)] = data

    def on_time_up(signum, frame):
        if running:
            add(running[0])
        os._exit(0)

    def guarded(name, function):
        @functools.wraps(function)
        def call(*args, **kwargs):
            if name in names():
                raise TimeLimitExceeded(name)
            running.append(name)
            try:
                return function(*args, **kwargs)
            finally:
                running.pop()
        call._dl_grading_guarded = True
        return call

    def guard(exercises):
        namespace = globals()
        for name in exercises:
            function = namespace.get(name)
            if type(function) is types.FunctionType and not getattr(function, "_dl_grading_guarded", False):
                namespace[name] = guarded(name, function)

    for name in stopped:
        add(name)
    signal.signal(signal.SIGUSR1, on_time_up)
    return guard, names


_dl_grading_guard, _dl_grading_stopped = _dl_grading_guard_setup({stopped!r})
del _dl_grading_guard_setup
'''
GUARD = "_dl_grading_guard({exercises!r})\n"
PROBE = "print(','.join(_dl_grading_stopped()))\n"
GRADER_CODE_SECONDS = 30.0  # what the grader's own code in the student process may take


class Judge:
    def __init__(self, job: dict):
        self.job = job
        self.limits = {"cells_timeout": job["limits"]["notebook_timeout"], **job["limits"]}
        self.start = time.monotonic()
        self.deadline = self.start + self.limits["cells_timeout"]  # the cells' time; each test has its own
        self.session: Optional[remote.StudentSession] = None
        self.done_sources: list = []  # (source, seconds) of the cells whose state the student process holds
        self.restarts = 0
        self.retired: list = []  # sessions replaced after their process stopped, kept for their tests
        self.budget = OutputBudget()
        self.scratch = tempfile.mkdtemp(prefix="dl-judge-")
        self.grader_files = grader_files(os.path.join(self.scratch, "grader"))
        self.exercises = sorted({c["label"] for c in job["cells"] if c["role"] == "answer"})
        self.numbers = {cell["index"]: number for number, cell in enumerate(job["cells"], start=1)}
        self.stopped: dict = {}  # graded function -> (its time limit, the cell it ran out of time in)
        self.result = {
            "cells": {},
            "tests": {},
            "tampering": list(job.get("refused", [])),
            "sandbox": sandbox.require(self.limits.get("sandbox", "bwrap")),
            "notes": [],
            "review": [],
        }

    def timeout_of(self, cell: dict) -> float:
        return float(cell.get("timeout", self.limits["cell_timeout"]))

    def name_of(self, cell: dict, language: str = messages.ENGLISH) -> str:
        """A cell as the student finds it in the feedback: by its number (the In [n] prompt), in `language`
        (English for the instructor's review, the course's for the student)."""
        return messages.CELL_NUMBER.text(language, number=self.numbers[cell["index"]])

    def new_session(self) -> remote.StudentSession:
        """A student process in a sandbox of its own, with a fresh private working folder and the guard."""
        packages = self.job.get("course_packages", ["checks", "notebook_helpers"])
        settings = sandbox.SandboxSettings(
            submission=self.job["files"],
            grader_files=self.grader_files,
            memory_mb=self.limits["memory_mb"],
            mode=self.limits.get("sandbox", "bwrap"),
            course_root=ROOT,
            course_packages=packages,
            data_paths=data_paths(),
        )
        if settings.mode == "off":
            layout = dict(
                unsandboxed_layout(self.scratch, packages), submission=self.job["files"], grader_files=self.grader_files
            )
        else:
            layout = dict(SANDBOX_LAYOUT)
        layout.update(
            memory_mb=settings.memory_mb,
            file_size_mb=settings.file_size_mb,
            **sandbox.runaway_limits(self.limits, sum(c["role"] == "test" for c in self.job["cells"])),
        )
        env = student_environment(layout, int(self.limits.get("threads", 0)))
        session = remote.StudentSession(settings, sys.executable, env, layout, self.deadline)
        session.start()
        session.run_cell(GUARD_SETUP.format(stopped=sorted(self.stopped)), GRADER_CODE_SECONDS)
        return session

    def ensure_session(self) -> bool:
        """A live student process holding every cell run so far; False when none can be had."""
        if self.session is not None and self.session.zygote is not None and not self.session.zygote.dead:
            return True
        if self.session is not None:
            if self.restarts >= 2:
                return False
            self.restarts += 1
            self.retired.append(self.session)  # its parked states still serve their tests; closed at the end
            self.result["notes"].append(say(messages.RESTARTED))
        try:
            self.session = self.new_session()
            for source, seconds in self.done_sources:
                reply = self.session.run_cell(source, seconds)
                if reply.get("status") != "ok":
                    return False
        except SandboxFailure as failure:
            self.result["notes"].append(say(messages.NOT_STARTED, reason=failure))
            return False
        return True

    def run(self) -> dict:
        """Every cell in order, each test's state parked where its cell stands; then the tests."""
        parked = []
        try:
            for cell in self.job["cells"]:
                if cell["role"] in ("locked", "answer", "free"):
                    self.run_code_cell(cell)
                elif cell["role"] == "test":
                    parked.append((cell, self.park(cell)))
            for cell, state in parked:
                self.run_test(cell, state)
        finally:
            for session in self.retired + [self.session]:
                if session is not None:
                    session.close()
            shutil.rmtree(self.scratch, ignore_errors=True)
        self.note_cells_not_run()
        self.result["seconds"] = time.monotonic() - self.start
        return self.result

    def out_of_time(self) -> bool:
        return time.monotonic() >= self.deadline

    def mark_not_run_for_time(self, index: str) -> None:
        """A cell the notebook's cells' time ran out before: not run, and it says why."""
        self.result["cells"][index] = {"status": "skipped", "outputs": stopped_output("skipped", "", self.limits)}

    def run_code_cell(self, cell: dict) -> None:
        index = str(cell["index"])
        if self.out_of_time():
            self.mark_not_run_for_time(index)
            return
        if not self.ensure_session():
            self.result["cells"][index] = {
                "status": "skipped",
                "outputs": stopped_output("crashed", say(messages.NO_RESTART), self.limits),
            }
            return
        started = time.monotonic()
        seconds = round(min(self.timeout_of(cell), self.deadline - started), 1)  # the cells' time may end first
        if seconds <= 0:  # used up while the student process restarted, or too little left to run anything
            self.mark_not_run_for_time(index)
            return
        try:
            reply = self.session.run_cell(cell["source"], seconds)
        except SandboxFailure as failure:  # the state before this cell was lost: try once more afresh
            if not self.ensure_session():
                self.result["cells"][index] = {
                    "status": "crashed",
                    "outputs": stopped_output("crashed", str(failure), self.limits),
                }
                return
            reply = self.session.run_cell(cell["source"], seconds)
        status = reply.get("status")
        if status == "ok":
            self.done_sources.append((cell["source"], seconds))
            outputs = self.plain_stop_messages(clean_outputs(reply.get("outputs"), self.budget))
            self.result["cells"][index] = {
                "status": "error" if reply.get("error") else "ok",
                "outputs": outputs,
                "seconds": round(time.monotonic() - started, 3),
            }
            changes = reply.get("tampering")
            if cell["role"] != "locked" and isinstance(changes, list) and changes:
                for change in changes[:20]:
                    self.result["tampering"].append(
                        {
                            "cell": cell.get("label", index),
                            "what": str(change)[:300],
                            "how": "reported while the cell ran",
                        }
                    )
            if cell["role"] in ("answer", "free") and self.exercises:
                self.run_grader_code(GUARD.format(exercises=self.exercises))
        else:
            stopped = (
                self.learn_stopped(self.name_of(cell, messages.process_language()), seconds)
                if status == "timeout"
                else []
            )
            running = say(messages.WAS_RUNNING, names=", ".join(stopped)) if stopped else ""
            reported = str(reply.get("reason", ""))
            reason = running if status == "timeout" else reported
            self.result["cells"][index] = {
                "status": status,
                "reason": reported[:500],
                "outputs": stopped_output(status, reason, {**self.limits, "cell_timeout": seconds}),
            }
            self.flag_stopped_cell(cell, status, seconds, stopped)

    def run_grader_code(self, source: str) -> None:
        """Run the grader's own code in the student process, as part of its state from now on."""
        try:
            if self.session.run_cell(source, GRADER_CODE_SECONDS).get("status") == "ok":
                self.done_sources.append((source, GRADER_CODE_SECONDS))
        except SandboxFailure:
            pass

    def learn_stopped(self, where: str, seconds: float) -> list:
        """The graded functions that ran out of time in `where`, as the guard recorded them."""
        if self.session is None or self.session.zygote is None or self.session.zygote.dead:
            return []
        self.session.deadline = max(self.session.deadline, time.monotonic() + GRADER_CODE_SECONDS)
        try:
            reply = self.session.run_cell(PROBE, GRADER_CODE_SECONDS)
        except SandboxFailure:
            return []
        text = "".join(
            o.get("text", "")
            for o in reply.get("outputs") or []
            if isinstance(o, dict) and o.get("output_type") == "stream" and isinstance(o.get("text"), str)
        )
        names = [n for n in text.strip().split(",") if n in self.exercises and n not in self.stopped]
        for name in names:
            self.stopped[name] = (seconds, where)
        return names

    def plain_stop_messages(self, outputs: list) -> list:
        """A call that failed at once (its function ran out of time earlier) shows the plain message."""
        for output in outputs:
            if (
                output.get("output_type") == "error"
                and output.get("ename") == "TimeLimitExceeded"
                and output.get("evalue") in self.stopped
            ):
                name = output["evalue"]
                text = timeout_message(name, *self.stopped[name])
                output.update(evalue=text, traceback=[f"\x1b[0;31mTimeLimitExceeded\x1b[0m: {text}"])
        return outputs

    def flag_stopped_cell(self, cell: dict, status: str, seconds: float, stopped: list) -> None:
        """A cell that ran out of time or stopped its process: a reason for the instructor to look."""
        what = (
            f"did not finish within its time limit ({seconds:g} s)"
            if status == "timeout"
            else "stopped the student process"
        )
        running = f"; {', '.join(stopped)} was running, and later calls to it failed at once" if stopped else ""
        self.result["review"].append(f"{self.name_of(cell)} ({cell.get('label')}) {what}{running}.")

    def note_cells_not_run(self) -> None:
        skipped = [
            self.name_of(c)
            for c in self.job["cells"]
            if self.result["cells"].get(str(c["index"]), {}).get("status") == "skipped"
        ]
        if skipped:
            self.result["review"].append(
                f"{', '.join(skipped)} were not run (the notebook's cells used up their "
                "time, or the student process could not be restarted)."
            )

    def park(self, cell: dict):
        """The student's state for this test cell, kept until the tests run, or why there is none."""
        if not self.ensure_session():
            return "crashed"
        try:
            return self.session.park(time.monotonic() + self.timeout_of(cell))
        except SandboxFailure:
            return "crashed"

    def run_test(self, cell: dict, state) -> None:
        index = str(cell["index"])
        seconds = self.timeout_of(cell)
        if state == "crashed":
            outcome = TestOutcome(False, say(messages.TEST_NOT_RUN_NO_PROCESS), "crashed", "StudentProcessStopped")
        else:
            state.session.activate()
            outcome = run_test_cell(
                state.session, cell, {**self.limits, "cell_timeout": seconds, "stopped": self.stopped}, state
            )
            state.kill()
            if outcome.kind == "timeout" and not outcome.repeated:
                self.flag_stopped_cell(
                    cell,
                    "timeout",
                    seconds,
                    self.learn_stopped(self.name_of(cell, messages.process_language()), seconds),
                )
        self.result["cells"][index] = {
            "status": "passed" if outcome.passed else "failed",
            "outputs": outcome.outputs(self.budget),
        }
        for what in outcome.attempts:
            self.result["tampering"].append(
                {
                    "cell": cell.get("exercise") or cell["grade_id"],
                    "line": 0,
                    "what": what,
                    "how": f"reported while {cell['grade_id']} ran",
                }
            )
        for name in outcome.in_place:
            self.result["tampering"].append(
                {
                    "cell": cell.get("exercise") or cell["grade_id"],
                    "line": 0,
                    "what": f"{name[:100]} changed an input in place, and {cell['grade_id']} failed",
                    "how": "seen by the judge",
                }
            )
        self.result["tests"][cell["grade_id"]] = {
            "exercise": cell.get("exercise"),
            "points": cell.get("points", 0),
            "passed": outcome.passed,
            "message": outcome.message[:MESSAGE_LIMIT],
            "kind": outcome.kind,
            "seconds": round(outcome.seconds, 3),
            "score": outcome.score if outcome.score is not None else (cell.get("points", 0) if outcome.passed else 0),
            **({"failed_checks": outcome.failed_checks} if outcome.failed_checks else {}),
            **({"detail": outcome.detail} if outcome.detail else {}),
        }


def main(argv: list) -> int:
    with open(argv[0]) as handle:
        job = json.load(handle)
    result = Judge(job).run()
    with open(argv[1], "w") as handle:
        json.dump(records.JudgeResult.from_json(result).to_json(), handle)  # checked before it leaves
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
