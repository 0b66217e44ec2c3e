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

A test cell passes when its code raises nothing.  Its outputs are rebuilt for nbgrader: the output of
the visible checks, and on failure one error output holding a plain-words message that never quotes
the hidden tests' source (`describe_failure`).
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

from . import remote, sandbox, wire
from .remote import SandboxFailure, StudentError, StudentTimeout

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*$")
END_HIDDEN = re.compile(r"^[ \t]*### END HIDDEN TESTS[ \t]*$")
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")
_IDENTIFIER = re.compile(r"[^0-9A-Za-z_.]")
MAX_IMAGE = 2_000_000             # base64 characters of one image
MAX_TEXT = 20_000                 # characters of text one output keeps
CELL_TEXT = 50_000                # characters of text one cell's outputs keep, all together
NOTEBOOK_TEXT = 500_000           # ... and one notebook's
NOTEBOOK_IMAGES = 8_000_000       # base64 characters of images one notebook keeps
MESSAGE_LIMIT = 2_000             # characters of a test's message
CUT = "\n[... cut: the grader keeps {} characters of output here]\n"


class OutputBudget:
    """What one notebook's outputs may still hold: whatever a submission prints or returns, the graded
    notebook, the record, the report and the feedback stay small."""

    def __init__(self):
        self.text, self.images = NOTEBOOK_TEXT, NOTEBOOK_IMAGES

    def take_text(self, text: str, cell_left: int) -> str:
        allowed = max(0, min(len(text), MAX_TEXT, cell_left, self.text))
        self.text -= allowed
        return text if allowed == len(text) else text[:allowed] + CUT.format(allowed)

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
    kind: str = "passed"      # passed | visible | hidden | timeout | crashed | missing | error
    ename: str = ""
    stdout: str = ""
    seconds: float = 0.0
    in_place: list = field(default_factory=list)   # student functions seen changing an argument, if it failed
    attempts: list = field(default_factory=list)   # what the student side reported trying during the calls
    detail: str = ""          # for the instructor only (the record and report): what the student is not shown

    def outputs(self, budget: OutputBudget) -> list:
        items = []
        if self.stdout:
            items.append({"output_type": "stream", "name": "stdout", "text": budget.take_text(self.stdout, CELL_TEXT)})
        if not self.passed:
            items.append({"output_type": "error", "ename": self.ename, "evalue": self.message,
                          "traceback": [f"\x1b[0;31m{self.ename}\x1b[0m: {self.message}"]})
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


def describe_failure(error: BaseException, segment: Segment, source: str, filename: str, exercise: str,
                     namespace: TestNamespace, limits: dict) -> TestOutcome:
    """A failure in words for the student: never the hidden tests' source, never an expected value."""
    from checks.core import CheckFailure
    from checks.hidden import HiddenTestFailure

    subject = exercise or "your answer"
    if isinstance(error, StudentTimeout):
        seconds = limits.get("cell_timeout")
        return TestOutcome(False, f"{subject} did not finish within the time limit ({seconds:g} s); the "
                           "grader stopped it. Look for a loop that never ends.", "timeout", "TimeLimitExceeded")
    if isinstance(error, SandboxFailure):
        return TestOutcome(False, f"{subject} could not be tested: {error}. (A call to os._exit or sys.exit, "
                           f"a crash, or more memory than the limit of {limits.get('memory_mb')} MB.)",
                           "crashed", "StudentProcessStopped")
    if isinstance(error, HiddenTestFailure):
        return TestOutcome(False, str(error.args[0]), "hidden", "HiddenTestFailure")
    if isinstance(error, CheckFailure):
        return TestOutcome(False, str(error.args[0]), "hidden" if segment.hidden else "visible", "CheckFailure")
    if isinstance(error, NameError) and namespace.missing:
        name = sorted(namespace.missing)[0]
        return TestOutcome(False, f"{name} is not defined: your notebook must define it, and its answer cell "
                           "must run without an error.", "missing", "NameError")
    if isinstance(error, StudentError):
        kind = getattr(type(error), "student_type", type(error).__name__)
        if kind == "NotImplementedError":
            return TestOutcome(False, f"{subject} is not written yet: it raised NotImplementedError.",
                               "hidden" if segment.hidden else "visible", "NotImplementedError")
        if segment.hidden:   # its message could carry a hidden test's input out: the instructor's record has it
            return TestOutcome(False, f"{subject} raised {kind} in a hidden test.", "hidden", kind)
        return TestOutcome(False, f"{subject} raised {kind}: {str(error)[:500]}", "visible", kind)
    line = _failing_line(error, filename)
    if segment.hidden:
        check = _statement_index(segment, line)
        return TestOutcome(False, f"hidden check {check} for {subject} failed ({type(error).__name__}).",
                           "hidden", "HiddenTestFailure")
    text = f"{type(error).__name__}: {str(error)[:500]}".rstrip(": ")
    lines = source.splitlines()
    if line is not None and 0 < line <= len(lines):
        text += f"\n  in the check: {lines[line - 1].strip()}"
    return TestOutcome(False, text, "visible", type(error).__name__)


class _Sink(io.StringIO):
    """Where the output of hidden checks goes: nowhere a student can read."""


def run_test_cell(session: remote.StudentSession, cell: dict, limits: dict,
                  parked: Optional[remote.Proc] = None) -> TestOutcome:
    """Run one test cell in the judge against a throw-away fork of `parked` (the current state by default)."""
    start = time.monotonic()
    deadline = min(start + limits["cell_timeout"], session.deadline)
    filename = f"<test cell {cell.get('grade_id')}>"
    shown = io.StringIO()
    outcome: Optional[TestOutcome] = None
    try:
        proc = session.test_process(deadline, parked)
    except SandboxFailure as failure:
        outcome = describe_failure(failure, Segment(1, "", False), "", filename, cell.get("exercise"),
                                   TestNamespace(None, deadline), limits)
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
            return TestOutcome(False, f"the test cell could not be read (a problem of the test, line "
                               f"{error.lineno}); ask your instructor.", "error", "TestError")
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
                    outcome = TestOutcome(False, "the test cell stopped the grader (an error in the test)",
                                          "error", "TestError")
                else:
                    outcome = describe_failure(error, segment, source, filename, cell.get("exercise"),
                                               namespace, limits)
                break
    finally:
        session.in_hidden_test = False
        session.call_deadline = session.deadline
        session.end_test(proc)
    if outcome is not None and session.hidden_messages and not outcome.detail:
        outcome.detail = "; ".join(session.hidden_messages[-3:])[:MESSAGE_LIMIT]
    session.hidden_messages.clear()
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
            clean.append({"output_type": "error", "ename": _IDENTIFIER.sub("_", str(item.get("ename", "Error")))[:100],
                          "evalue": text_of(str(item.get("evalue", ""))[:wire.TEXT_LIMIT]),
                          "traceback": [text_of(str(line)[:wire.TEXT_LIMIT]) for line in trace[-60:]]})
    return clean


def stopped_output(status: str, reason: str, limits: dict) -> list:
    if status == "timeout":
        text = (f"This cell did not finish within the time limit ({limits['cell_timeout']:g} s). The grader "
                "stopped it and went on without it.")
        name = "TimeLimitExceeded"
    else:
        text = (f"This cell stopped the student process ({reason}). The grader went on without it; a cell "
                f"may not call os._exit or sys.exit, or use more than {limits['memory_mb']} MB.")
        name = "StudentProcessStopped"
    return [{"output_type": "error", "ename": name, "evalue": text, "traceback": [f"\x1b[0;31m{name}\x1b[0m: {text}"]}]


def student_environment(layout: dict, threads: int = 0) -> dict:
    """Every environment variable the student process gets (nothing else of the judge's)."""
    threads = str(threads if threads and threads > 0 else os.cpu_count() or 1)
    tmp = layout["tmp"]
    env = {
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": layout["workdir"], "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "agg",
        "MPLCONFIGDIR": os.path.join(tmp, "matplotlib"), "IPYTHONDIR": os.path.join(tmp, "ipython"),
        "TMPDIR": tmp, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads,
        "NBGRADER_EXECUTION": "autograde", "DL_FOUNDATIONS_CACHE": mnist_cache(),
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
    keras = os.path.join(os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras"),
                         "datasets")
    return [mnist_cache(), keras]


def grader_files(folder: str) -> str:
    """The judge's read-only extras for the student process: matplotlib's font list, so that each
    student process need not rebuild it."""
    import glob
    import shutil

    os.makedirs(folder, exist_ok=True)
    home = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "matplotlib")
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


SANDBOX_LAYOUT = {"workdir": sandbox.MOUNT_WORK, "tmp": sandbox.MOUNT_TMP, "submission": sandbox.MOUNT_SUBMISSION,
                  "grader_files": sandbox.MOUNT_GRADER, "course": sandbox.MOUNT_COURSE}


# --- the whole notebook ---------------------------------------------------------------------------


class Judge:
    def __init__(self, job: dict):
        self.job = job
        self.limits = job["limits"]
        self.start = time.monotonic()
        self.deadline = self.start + self.limits["notebook_timeout"]
        self.session: Optional[remote.StudentSession] = None
        self.done_sources: list = []   # cells whose state the student process holds, for a restart
        self.restarts = 0
        self.retired: list = []        # sessions replaced after their process stopped, kept for their tests
        self.budget = OutputBudget()
        self.scratch = tempfile.mkdtemp(prefix="dl-judge-")
        self.grader_files = grader_files(os.path.join(self.scratch, "grader"))
        self.result = {"cells": {}, "tests": {}, "tampering": list(job.get("refused", [])),
                       "sandbox": sandbox.require(self.limits.get("sandbox", "bwrap")), "notes": []}

    def new_session(self) -> remote.StudentSession:
        """A student process in a sandbox of its own, with a fresh private working folder."""
        packages = self.job.get("course_packages", ["checks", "notebook_helpers"])
        settings = sandbox.SandboxSettings(
            submission=self.job["files"], grader_files=self.grader_files, memory_mb=self.limits["memory_mb"],
            mode=self.limits.get("sandbox", "bwrap"), course_root=ROOT, course_packages=packages,
            data_paths=data_paths())
        if settings.mode == "off":
            layout = dict(unsandboxed_layout(self.scratch, packages), submission=self.job["files"],
                          grader_files=self.grader_files)
        else:
            layout = dict(SANDBOX_LAYOUT)
        layout.update(memory_mb=settings.memory_mb, file_size_mb=settings.file_size_mb,
                      **sandbox.runaway_limits(self.limits, sum(c["role"] == "test" for c in self.job["cells"])))
        env = student_environment(layout, int(self.limits.get("threads", 0)))
        session = remote.StudentSession(settings, sys.executable, env, layout, self.deadline)
        session.start()
        return session

    def ensure_session(self) -> bool:
        """A live student process holding every cell run so far; False when none can be had."""
        if self.session is not None and self.session.zygote is not None and not self.session.zygote.dead:
            return True
        if self.session is not None:
            if self.restarts >= 2:
                return False
            self.restarts += 1
            self.retired.append(self.session)   # its parked states still serve their tests; closed at the end
            self.result["notes"].append("The student process stopped between cells; it was restarted and the "
                                        "cells before were run again.")
        try:
            self.session = self.new_session()
            for source in self.done_sources:
                reply = self.session.run_cell(source, self.limits["cell_timeout"])
                if reply.get("status") != "ok":
                    return False
        except SandboxFailure as failure:
            self.result["notes"].append(f"The student process could not be started: {failure}")
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
        self.result["seconds"] = time.monotonic() - self.start
        return self.result

    def out_of_time(self) -> bool:
        return time.monotonic() >= self.deadline

    def run_code_cell(self, cell: dict) -> None:
        index = str(cell["index"])
        if self.out_of_time():
            self.result["cells"][index] = {"status": "skipped", "outputs": stopped_output(
                "timeout", "", {**self.limits, "cell_timeout": self.limits["notebook_timeout"]})}
            return
        if not self.ensure_session():
            self.result["cells"][index] = {"status": "skipped", "outputs": stopped_output(
                "crashed", "the student process could not be restarted", self.limits)}
            return
        started = time.monotonic()
        try:
            reply = self.session.run_cell(cell["source"], self.limits["cell_timeout"])
        except SandboxFailure as failure:  # the state before this cell was lost: try once more afresh
            if not self.ensure_session():
                self.result["cells"][index] = {"status": "crashed", "outputs": stopped_output(
                    "crashed", str(failure), self.limits)}
                return
            reply = self.session.run_cell(cell["source"], self.limits["cell_timeout"])
        status = reply.get("status")
        if status == "ok":
            self.done_sources.append(cell["source"])
            outputs = clean_outputs(reply.get("outputs"), self.budget)
            self.result["cells"][index] = {"status": "error" if reply.get("error") else "ok", "outputs": outputs,
                                           "seconds": round(time.monotonic() - started, 3)}
            changes = reply.get("tampering")
            if cell["role"] != "locked" and isinstance(changes, list) and changes:
                for change in changes[:20]:
                    self.result["tampering"].append({"cell": cell.get("label", index), "what": str(change)[:300],
                                                     "how": "reported while the cell ran"})
        else:
            self.result["cells"][index] = {"status": status, "reason": str(reply.get("reason", ""))[:500],
                                           "outputs": stopped_output(status, str(reply.get("reason", "")),
                                                                     self.limits)}

    def park(self, cell: dict):
        """The student's state for this test cell, kept until the tests run, or why there is none."""
        if self.out_of_time():
            return "timeout"
        if not self.ensure_session():
            return "crashed"
        try:
            return self.session.park(min(time.monotonic() + self.limits["cell_timeout"], self.deadline))
        except SandboxFailure:
            return "crashed"

    def run_test(self, cell: dict, state) -> None:
        index = str(cell["index"])
        if state == "timeout" or self.out_of_time():
            outcome = TestOutcome(False, "not run: the notebook used up its time limit "
                                  f"({self.limits['notebook_timeout']:g} s) before this test.", "timeout",
                                  "TimeLimitExceeded")
        elif state == "crashed":
            outcome = TestOutcome(False, "not run: the student process could not be restarted.", "crashed",
                                  "StudentProcessStopped")
        else:
            state.session.activate()
            outcome = run_test_cell(state.session, cell, self.limits, state)
            state.kill()
        self.result["cells"][index] = {"status": "passed" if outcome.passed else "failed",
                                       "outputs": outcome.outputs(self.budget)}
        for what in outcome.attempts:
            self.result["tampering"].append({"cell": cell.get("exercise") or cell["grade_id"], "line": 0,
                                             "what": what, "how": f"reported while {cell['grade_id']} ran"})
        for name in outcome.in_place:
            self.result["tampering"].append({"cell": cell.get("exercise") or cell["grade_id"], "line": 0,
                                             "what": f"{name[:100]} changed an input in place, and "
                                                     f"{cell['grade_id']} failed", "how": "seen by the judge"})
        self.result["tests"][cell["grade_id"]] = {
            "exercise": cell.get("exercise"), "points": cell.get("points", 0), "passed": outcome.passed,
            "message": outcome.message[:MESSAGE_LIMIT], "kind": outcome.kind, "seconds": round(outcome.seconds, 3),
            **({"detail": outcome.detail} if outcome.detail else {})}


def main(argv: list) -> int:
    with open(argv[0]) as handle:
        job = json.load(handle)
    result = Judge(job).run()
    with open(argv[1], "w") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
