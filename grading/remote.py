"""The judge's side of the student process: start it, fork it, time it, and proxy its objects.

`StudentSession` owns the processes that run one submission.  `run_cell` runs a cell in a fork of the
current state and keeps the fork only when the cell finished in time; `test_process` gives a throw-away
fork on which a test cell's calls are served.  Objects that stay in the student process are seen in
the judge as `RemoteObject` / `RemoteCallable` proxies: calling one sends the arguments over, and the
reply is decoded by `grading.wire.judge_loads`, so the judge only ever holds plain data.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import json
import os
import pickle
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import types
import warnings
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from . import messages, sandbox, wire
from .messages import say

STARTUP_SECONDS = 60.0
TIME_UP_GRACE = 1.0  # seconds a process that ran out of time has to note which graded function was running
TIME_LIMIT_EXCEEDED = "TimeLimitExceeded"  # what the guard (grading.judge.GUARD_SETUP) raises for a stopped one


class SandboxFailure(BaseException):
    """The student process did not answer: it ran out of time, exited or crashed.

    A BaseException, so that no `except Exception` in a test can swallow it: the test cell fails at once.
    """

    reason = "stopped"


class StudentTimeout(SandboxFailure):
    reason = "timeout"

    def __init__(self, reason: str = "out of time", function: Optional[str] = None):
        super().__init__(reason)
        self.function = function  # a graded function that ran out of time earlier and was not run again


class StudentDied(SandboxFailure):
    reason = "crashed"


class StudentProtocolError(SandboxFailure):
    reason = "invalid reply"


class StudentError(Exception):
    """Base of the judge's stand-ins for exceptions raised by student code."""

    student_type = "Exception"


class StudentExit(StudentError):
    """The student's code raised SystemExit, KeyboardInterrupt or another non-Exception."""


_EXCEPTION_CLASSES: dict = {}
_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]")


def exception_from(info: Any) -> BaseException:
    """The judge's version of an exception the student's code raised: same name, builtin base class.

    `expect(..., raises=ValueError)` accepts a student's `ValueError` subclass as it would in one
    process; nothing of the student's class but its name is used.
    """
    if not isinstance(info, dict):
        return StudentProtocolError(say(messages.EXCEPTION_MISDESCRIBED))
    name = _IDENTIFIER.sub("_", str(info.get("type", "Exception")))[:80] or "Exception"
    message = str(info.get("message", ""))[: wire.TEXT_LIMIT]
    base: type = Exception
    for base_name in info.get("bases", []) if isinstance(info.get("bases"), list) else []:
        candidate = getattr(builtins, str(base_name), None)
        if isinstance(candidate, type) and issubclass(candidate, BaseException):
            base = candidate
            break
    if not issubclass(base, Exception):
        base = StudentExit
    key = (name, base)
    if key not in _EXCEPTION_CLASSES:
        bases = (base,) if issubclass(base, StudentError) else (base, StudentError)
        try:
            _EXCEPTION_CLASSES[key] = type(name, bases, {"__module__": "student", "student_type": name})
        except TypeError:  # a layout conflict between builtin bases: fall back to the base alone
            _EXCEPTION_CLASSES[key] = type(name, (StudentError,), {"__module__": "student", "student_type": name})
    return _EXCEPTION_CLASSES[key](message)


def _warning_class(name: str) -> type:
    candidate = getattr(builtins, str(name), None) or getattr(np.exceptions, str(name), None)
    return candidate if isinstance(candidate, type) and issubclass(candidate, Warning) else UserWarning


def call_context() -> dict:
    """The state a test sets around a call, to apply in the student process while it runs.

    The judge's warnings filters and NumPy error state (a test may turn warnings into errors), and the
    global random generators of `np.random` and `random`, which travel there and back so that "the
    global generator is left alone" means the same thing as it would in one process.
    """
    filters = []
    for action, message, category, module, lineno in warnings.filters:
        filters.append(
            (
                action,
                getattr(message, "pattern", message) or "",
                category.__name__,
                getattr(module, "pattern", module) or "",
                lineno,
            )
        )
    return {
        "filters": filters,
        "errstate": {k: v for k, v in np.geterr().items()},
        **wire.random_states(),
    }


def _restore_globals(reply: dict) -> None:
    states = reply.get("globals")
    if isinstance(states, dict):
        wire.set_random_states(states)


# --- processes ------------------------------------------------------------------------------------


@dataclass
class Proc:
    """One student process and the judge's end of its channel.

    `pid` is the process id the kernel gave with the process's first message (SO_PASSCRED), in the
    judge's namespace; `local_pid` is what the student side said (only ever used to ask its parent
    how it ended, never to signal anything).
    """

    pid: Optional[int]
    sock: socket.socket
    session: "StudentSession"
    dead: Optional[str] = None
    local_pid: Optional[int] = None
    parent: Optional["Proc"] = None  # the process it was forked from (which can say how it ended)

    def kill(self) -> None:
        self.session.stop_process(self.pid)
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, message: tuple) -> None:
        if self.dead:
            raise StudentDied(self.dead)
        exported, imported = self.session.link.changes()
        try:
            if exported or imported:
                wire.send_bytes(self.sock, wire.dumps_with(JudgePickler, ("sync", exported, imported)))
            wire.send_bytes(self.sock, wire.dumps_with(JudgePickler, message))
        except OSError:
            self.fail(StudentDied, say(messages.PROCESS_STOPPED))

    def recv(self, deadline: float) -> dict:
        """The student's next message, after applying the in-place changes it reports first."""
        while True:
            reply = self._recv_one(deadline)
            if reply["status"] != "sync":
                return reply
            try:
                self.session.link.apply(reply.get("exported"), reply.get("imported"))
            except (TypeError, ValueError, KeyError, pickle.UnpicklingError) as error:
                self.fail(StudentProtocolError, say(messages.CHANGE_REFUSED, error=error))

    def _recv_one(self, deadline: float) -> dict:
        """One message, read and decoded by `deadline`: a slow reply costs this call, nothing more."""
        try:
            if self.pid is None:
                data, self.pid = wire.recv_sender(self.sock, self.session.max_message, deadline)
            else:
                data = wire.recv_bytes(self.sock, self.session.max_message, deadline)
        except wire.OutOfTime:
            self.session.stop_process(self.pid, signal.SIGUSR1, TIME_UP_GRACE)  # the guard notes what ran
            self.fail(StudentTimeout, "out of time")
        except (wire.ChannelClosed, OSError):
            self.kill()  # it may have closed the channel and kept running: stop it before asking why
            self.fail(StudentDied, self.session.death_reason(self))
        except wire.MessageTooLarge as error:
            self.fail(StudentProtocolError, str(error))
        try:
            reply = wire.judge_loads(data, deadline)
        except wire.OutOfTime:
            self.fail(StudentTimeout, "out of time")
        except Exception as error:
            self.fail(StudentProtocolError, say(messages.VALUE_REFUSED, error=str(error)[:200]))
        if not isinstance(reply, dict) or not isinstance(reply.get("status"), str):
            self.fail(StudentProtocolError, say(messages.MALFORMED_REPLY))
        return reply

    def fail(self, kind: type, reason: str):
        self.kill()
        self.dead = reason
        raise kind(reason)

    def request(self, message: tuple, deadline: Optional[float] = None) -> dict:
        """Send a request and wait for its reply, doing what the student's code asks of the test's
        objects meanwhile (calling a test's function, reading a layer's weights ...)."""
        deadline = deadline or self.session.call_deadline
        self.send(message)
        while True:
            reply = self.recv(deadline)
            if reply["status"] != "judge_op":
                return reply
            self._run_judge_op(reply)

    def _run_judge_op(self, reply: dict) -> None:
        try:
            value, changed = self.session.judge_op(reply)
        except SandboxFailure:
            raise
        except Exception as error:  # the test's code raised: the student's code sees that exception
            self.send(("judge_raised", describe_judge_exception(error)))
            return
        self.send(("judge_result", value, changed))


def describe_judge_exception(error: BaseException) -> dict:
    bases = [klass.__name__ for klass in type(error).__mro__ if getattr(builtins, klass.__name__, None) is klass]
    return {"type": type(error).__name__[:100], "bases": bases, "message": str(error)[: wire.TEXT_LIMIT]}


BY_VALUE_MODULES = ("builtins", "fractions", "decimal", "datetime", "collections")


class JudgePickler(pickle.Pickler):
    """Sends the judge's values to the student.

    Plain data goes by value.  A proxy goes back as a reference to the student's own object.  Any other
    object of the test (an instance of a test's class, a function, a bound method) stays here: the student
    gets a reference whose use runs in the judge (`StudentSession.judge_op`).  An array held by a public
    attribute of such an object is *shared*: the student's in-place changes to it come back.
    """

    def reducer_override(self, obj):
        session = StudentSession.current
        if wire.is_constructor(obj):
            return NotImplemented
        if isinstance(obj, RemoteObject):
            return wire._href, (object.__getattribute__(obj, "_ident"),)
        if session is not None:  # a student's array goes back as itself, one the student shares with its id
            linked = wire.reduce_linked_array(obj, session.link, session.share_array, wire._sarr, wire._ndj)
            if linked is not None:
                return linked
        numpy_form = wire.reduce_numpy(obj)
        if numpy_form is not NotImplemented:
            return numpy_form
        if isinstance(obj, types.ModuleType):
            raise pickle.PicklingError(f"a module ({obj.__name__}) cannot be given to the student's code")
        if session is None or type(obj).__module__ in BY_VALUE_MODULES and not callable(obj) or _by_reference(obj):
            return NotImplemented
        return wire._jobj, (session.register_object(obj), _describe_judge_object(obj))


def _by_reference(obj) -> bool:
    """Library functions and classes the student can import itself travel by name (np.exp, abs, int)."""
    if isinstance(obj, (types.BuiltinFunctionType, np.ufunc)) and isinstance(
        getattr(obj, "__self__", None), (types.ModuleType, type(None))
    ):
        return True
    if isinstance(obj, type):
        return obj.__module__ in BY_VALUE_MODULES or obj.__module__.split(".")[0] == "numpy"
    return False


def _describe_judge_object(obj) -> dict:
    kind = (
        "function"
        if isinstance(obj, (types.FunctionType, types.MethodType, types.BuiltinMethodType, functools.partial))
        else "class"
        if isinstance(obj, type)
        else "object"
    )
    name = getattr(obj, "__name__", None) if kind != "object" else None
    return {
        "type": type(obj).__qualname__[:200],
        "kind": kind,
        "callable": callable(obj),
        "name": name if isinstance(name, str) else None,
    }


class StudentSession:
    """The processes that run one submission's code, from the first cell to the last test."""

    current: "StudentSession" = None

    def __init__(
        self,
        settings: sandbox.SandboxSettings,
        python: str,
        env: dict,
        layout: dict,
        deadline: float,
        max_message: int = wire.DEFAULT_MAX_MESSAGE,
    ):
        self.settings, self.python, self.env, self.layout = settings, python, env, layout
        self.deadline = deadline
        self.call_deadline = deadline
        self.max_message = max_message
        self.zygote: Optional[Proc] = None
        self.popen: Optional[subprocess.Popen] = None
        self.pid_namespace: Optional[str] = None
        self.proxies: dict = {}
        self.judge_objects: dict = {}  # ident -> an object of the test the student may use
        self.judge_object_ids: dict = {}  # id(object) -> ident
        self.link = wire.ArrayLink()  # arrays shared with the student process, both ways
        self.in_place: list = []  # names of the student's functions that changed an argument
        self.attempts: list = []  # what the student side reported trying during a test's calls
        self.in_hidden_test = False  # a hidden block is running: student exception messages stay here
        self.hidden_messages: list = []  # ... for the instructor's record
        self.private = tempfile.mkdtemp(prefix="dl-judge-")  # the judge's own; the student cannot see it
        self.procs: list = []  # every student process the judge started or forked ...
        self.keep: set = set()  # ... and those above them in the sandbox (sandbox.end_strays)
        self.first: Optional[int] = None  # the sandbox's first process, through which the judge sees its folders
        self.snapshot: Optional[str] = None  # the private folders as the last cell left them
        self._proc_for_proxies: Optional[Proc] = None
        self.activate()

    def activate(self) -> None:
        """Make this session the one the wire's references resolve in (a test may run in an older one)."""
        StudentSession.current = self
        wire._HANDLE_FACTORY[0] = self._make_proxy
        wire._JREF_RESOLVER[0] = self._judge_object
        wire._JARR_RESOLVER[0] = self.link.original
        wire._STUDENT_ARRAY[0] = lambda array, ident: self.link.import_(array, ident)

    # life cycle
    def start(self) -> None:
        """Start the student process (in the sandbox, unless grading without one was asked for)."""
        judge_end, student_end = socket.socketpair()
        judge_end.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        bootstrap = (
            "import sys; sys.path.insert(0, sys.argv[3]); from grading import student; del sys.path[0]; student.main()"
        )
        python = [
            self.python,
            "-I",
            "-c",
            bootstrap,
            str(student_end.fileno()),
            json.dumps(self.layout),
            self.layout["course"],
        ]
        sandboxed = self.settings.mode != "off"
        argv = sandbox.command(self.settings, python, self.env) if sandboxed else python
        # Its output goes to a file of the judge's own, read only when it could not start (before any
        # submitted code ran); the student process can neither see nor replace that file.
        log_fd = os.open(
            os.path.join(self.private, "student.log"), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600
        )
        try:
            self.popen = subprocess.Popen(
                argv,
                pass_fds=[student_end.fileno()],
                cwd=self.private if sandboxed else self.layout["workdir"],
                env=None if sandboxed else self.env,
                stdin=subprocess.DEVNULL,
                stdout=log_fd,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            os.close(log_fd)
            student_end.close()
        proc = Proc(None, judge_end, self)
        try:
            hello = proc.recv(time.monotonic() + STARTUP_SECONDS)
        except SandboxFailure as failure:
            raise StudentDied(f"{failure}: {self.startup_log()}") from None
        if hello.get("status") != "hello" or proc.pid is None:
            proc.fail(StudentProtocolError, "the student process did not start")
        self.pid_namespace = _pid_namespace(proc.pid)
        if sandboxed and (self.pid_namespace is None or self.pid_namespace == _pid_namespace(os.getpid())):
            proc.fail(StudentProtocolError, "the sandbox did not give the student process its own PID namespace")
        self.zygote = proc
        self.procs.append(proc)
        above = sandbox.ancestors_in(proc.pid, self.pid_namespace) if sandboxed else []
        self.keep, self.first = set(above), (above[0] if above else None)

    def startup_log(self) -> str:
        """The end of what the sandbox printed before the student process could start."""
        try:
            with open(os.path.join(self.private, "student.log"), "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 1000))
                text = handle.read().decode("utf-8", "replace")
        except OSError:
            return "no output"
        return " ".join(text.split())[-500:] or "no output"

    def belongs(self, pid: int) -> bool:
        """Whether process `pid` is one of the student's: in the sandbox's PID namespace (or, without a
        sandbox, in the session the student process was started in)."""
        if self.settings.mode == "off":
            try:
                return self.popen is not None and os.getsid(pid) == self.popen.pid
            except OSError:
                return False
        return self.pid_namespace is not None and _pid_namespace(pid) == self.pid_namespace

    def stop_process(self, pid: Optional[int], signum: int = signal.SIGKILL, wait: float = 0.0) -> None:
        """SIGKILL (or `signum`, then wait up to `wait` seconds for it to end) one student process, found
        through a pidfd and checked to be the student's first."""
        if not pid or pid <= 0:
            return
        try:
            handle = os.pidfd_open(pid)
        except OSError:
            return
        try:
            if self.belongs(pid):
                signal.pidfd_send_signal(handle, signum)
                if wait:
                    select.select([handle], [], [], wait)  # a pidfd is readable once its process has ended
        except OSError:
            pass
        finally:
            os.close(handle)

    def fork(self, deadline: float, parent: Optional[Proc] = None) -> Proc:
        """A child of `parent` (the current state by default), talking on a fresh channel."""
        parent = parent or self.zygote
        judge_end, student_end = socket.socketpair()
        judge_end.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        try:
            parent.send(("fork",))
            socket.send_fds(parent.sock, [b"F"], [student_end.fileno()])
        except OSError:
            parent.fail(StudentDied, say(messages.PROCESS_STOPPED))
        finally:
            student_end.close()
        reply = parent.recv(deadline)
        if reply.get("status") != "ok":
            parent.fail(StudentProtocolError, say(messages.DID_NOT_FORK))
        local = reply.get("value")
        child = Proc(None, judge_end, self, local_pid=local if type(local) is int else None, parent=parent)
        hello = child.recv(deadline)
        if hello.get("status") != "hello":
            child.fail(StudentProtocolError, say(messages.FORK_DID_NOT_START))
        self.procs.append(child)
        return child

    def reset_folders(self) -> None:
        """Before each test, the private folders as the last cell left them (sandbox.restore_folders)."""
        if self.first is None:
            return
        if self.snapshot is None:
            try:
                self.snapshot = sandbox.snapshot_folders(self.first, os.path.join(self.private, "snapshot"))
            except OSError as error:
                self.first = None
                self.attempts.append(f"its folders could not be kept for the tests ({error.strerror})")
            return
        problem = sandbox.restore_folders(self.first, self.snapshot, self.settings.uid)
        if problem:
            self.attempts.append(problem)

    def end_strays(self) -> None:
        """End every process of the sandbox that is not one the judge holds (what a cell or test started)."""
        self.procs = [p for p in self.procs if not p.dead and p.sock.fileno() != -1]
        if self.settings.mode != "off":
            sandbox.end_strays(self.pid_namespace, self.keep | {p.pid for p in self.procs})

    def death_reason(self, proc: Proc) -> str:
        """Why a student process went away, in words (asked of its parent, which reaps it)."""
        status = None
        parent = proc.parent
        if parent is not None and not parent.dead and proc.local_pid:
            try:
                reply = parent.request(("status", proc.local_pid), time.monotonic() + 5)
                status = reply.get("value")
            except SandboxFailure:
                status = None
        return describe_status(status)

    def run_cell(self, source: str, timeout: float) -> dict:
        """Run one cell of the submission in a fork; keep the fork's state only if the cell finished."""
        deadline = min(time.monotonic() + timeout, self.deadline)
        previous = self.zygote
        child = self.fork(deadline)
        try:
            reply = child.request(("run_cell", source), deadline)
        except SandboxFailure as failure:
            self.end_strays()
            return {"status": failure.reason, "reason": child.dead or str(failure)}
        if reply.get("status") != "ok":
            child.kill()
            return {"status": "invalid reply", "reason": say(messages.CELL_NOT_RUN_BY_PROCESS)}
        try:
            previous.send(("exit",))
        except SandboxFailure:  # the cell may have killed its own parent: no matter, the child goes on
            pass
        previous.sock.close()
        self.zygote = child
        self.end_strays()
        reply["status"] = "ok"
        return reply

    def park(self, deadline: float) -> Proc:
        """Keep the current state for a test to be run after the last cell; the cells go on in a fork.

        So the outputs of every cell are made before any test runs: no cell can show what a test gave.
        """
        parked = self.zygote
        self.zygote = self.fork(deadline)
        return parked

    def test_process(self, deadline: float, parent: Optional[Proc] = None) -> Proc:
        self.reset_folders()
        child = self.fork(deadline, parent)
        self._proc_for_proxies = child
        return child

    def end_test(self, child: Proc) -> None:
        child.kill()
        self.end_strays()
        self._proc_for_proxies = None
        self.proxies.clear()
        self.judge_objects.clear()
        self.judge_object_ids.clear()
        self.link.clear()
        parent = child.parent
        if parent is not None and not parent.dead and child.local_pid:
            try:
                parent.request(("status", child.local_pid), time.monotonic() + 5)
            except SandboxFailure:
                pass

    def close(self) -> None:
        """End every student process: killing the sandbox ends its PID namespace, and all in it."""
        if self.zygote is not None:
            self.zygote.kill()
        if self.popen is not None:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.popen.wait()
        shutil.rmtree(self.private, ignore_errors=True)

    # proxies
    # the test's objects, used by the student's code
    def register_object(self, obj) -> int:
        ident = self.judge_object_ids.get(id(obj))
        if ident is None or self.judge_objects.get(ident) is not obj:
            ident = len(self.judge_objects) + 1
            self.judge_objects[ident] = obj
            self.judge_object_ids[id(obj)] = ident
        return ident

    def _judge_object(self, ident: int):
        if ident not in self.judge_objects:
            raise pickle.UnpicklingError("a reference to an unknown object of the test")
        return self.judge_objects[ident]

    def share_array(self, array: np.ndarray) -> Optional[int]:
        """The id under which `array` is shared, if a public attribute of a test's object holds it."""
        return self.link.share(array, self.judge_objects.values())

    def judge_op(self, request: dict) -> tuple:
        """What the student's code asks of one of the test's objects: `(value, changed arguments)`.

        Only what a caller may do in one process and nothing that reaches the judge's modules: call a
        function or a callable object; read a public attribute of an object (not of a class, function
        or module); set a public attribute that holds data (an array, a number, None) to data, never a
        method or an attribute holding other objects (so a test's records cannot be rewritten).
        """
        target = self.judge_objects.get(request.get("target"))
        if target is None:
            raise LookupError("unknown object of the test")
        op, name = request.get("op"), request.get("name")
        args = request.get("args") if isinstance(request.get("args"), tuple) else ()
        kwargs = request.get("kwargs") if isinstance(request.get("kwargs"), dict) else {}
        data = (np.ndarray, np.generic, int, float, complex, type(None))
        if op == "call":
            if not callable(target):
                raise TypeError(f"'{type(target).__name__}' object is not callable")
            before = _fingerprint((args, kwargs))
            value = target(*args, **kwargs)
            return value, ((args, kwargs) if _fingerprint((args, kwargs)) != before else None)
        if op in ("getattr", "setattr"):
            if not isinstance(name, str) or name.startswith("_"):
                raise AttributeError(f"{name!r}: the test's objects show only their public attributes")
            if isinstance(
                target,
                (
                    type,
                    types.ModuleType,
                    types.FunctionType,
                    types.MethodType,
                    types.BuiltinFunctionType,
                    functools.partial,
                ),
            ):
                raise AttributeError(f"{name!r}: a test's {_describe_judge_object(target)['kind']} shows no attributes")
            if op == "getattr":
                return getattr(target, name), None
            value = request.get("value")
            static = inspect.getattr_static(type(target), name, None)
            settable = static is None or isinstance(static, property) and static.fset is not None
            current = getattr(target, "__dict__", {}).get(name)
            if not settable or not isinstance(value, data) or not isinstance(current, data):
                raise AttributeError(f"the test's {type(target).__name__} does not let its {name!r} be set")
            setattr(target, name, value)
            return None, None
        if op == "repr":
            return repr(target)[: wire.TEXT_LIMIT], None
        if op == "len":
            return len(target), None
        if op == "iter":
            return list(target)[:1_000_000], None
        raise ValueError(f"unknown operation {op!r}")

    def _make_proxy(self, ident: int, info: dict) -> "RemoteObject":
        """One proxy per student object, so that `is` and `==` hold between two reads of it."""
        proc = self._proc_for_proxies
        key = (id(proc), ident)
        if key not in self.proxies:
            info = info if isinstance(info, dict) else {}
            kind = RemoteCallable if info.get("callable") is True else RemoteObject
            self.proxies[key] = kind(proc, ident, info)
        return self.proxies[key]


def describe_status(status) -> str:
    if isinstance(status, tuple) and len(status) == 2:
        how, number = status
        if how == "exit" and isinstance(number, int):
            return say(messages.EXITED, status=number)
        if how == "signal" and isinstance(number, int):
            if number == signal.SIGKILL:
                return say(messages.KILLED)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            return say(messages.CRASHED, signal=name)
    return say(messages.STOPPED)


def _pid_namespace(pid: int) -> Optional[str]:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


# --- proxies --------------------------------------------------------------------------------------


def _value_of(reply: dict) -> Any:
    """The value of a reply, or the student's exception raised in the judge."""
    session = StudentSession.current
    proc = session._proc_for_proxies if session is not None else None
    _echo_output(reply)
    _restore_globals(reply)
    attempts = reply.get("attempts")
    if session is not None and isinstance(attempts, list):
        session.attempts += [str(a)[:200] for a in attempts[:20] if str(a)[:200] not in session.attempts][:20]
    status = reply.get("status")
    if status == "ok":
        return reply.get("value")
    if status == "raised":
        info = reply.get("exc")
        if isinstance(info, dict) and info.get("type") == TIME_LIMIT_EXCEEDED:  # fails the test, as the first time
            raise StudentTimeout("stopped earlier", str(info.get("message", ""))[:100])
        if session is not None and session.in_hidden_test and isinstance(info, dict):
            # its message could carry the hidden test's input out: the instructor's record keeps it
            session.hidden_messages.append(f"{str(info.get('type'))[:100]}: {str(info.get('message'))[:300]}")
            info = dict(info, message=say(messages.HIDDEN_EXCEPTION_MESSAGE))
        raise exception_from(info)
    if status == "missing":
        raise LookupError("missing")
    if status == "error":
        raise StudentProtocolError(str(reply.get("message", "the student process failed"))[: wire.TEXT_LIMIT])
    if proc is not None:
        proc.fail(StudentProtocolError, say(messages.UNEXPECTED_REPLY))
    raise StudentProtocolError("unexpected reply")


def _echo_output(reply: dict) -> None:
    """What the student's code printed during a call appears where the test's own output goes."""
    for name, stream in (("stdout", sys.stdout), ("stderr", sys.stderr)):
        text = reply.get(name)
        if isinstance(text, str) and text:
            stream.write(text[:200_000])
    for w in reply.get("warnings", []) if isinstance(reply.get("warnings"), list) else []:
        if isinstance(w, dict):
            warnings.warn_explicit(
                str(w.get("message", ""))[: wire.TEXT_LIMIT],
                _warning_class(w.get("category")),
                "<student code>",
                int(w.get("lineno", 0)) if isinstance(w.get("lineno"), int) else 0,
                module="student",
            )


def _fingerprint(value) -> bytes:
    try:
        return wire.dumps_with(JudgePickler, value)
    except Exception:
        return b""


class RemoteObject:
    """An object that lives in the student process.  Attribute access and calls go there; equality,
    hashing and anything NumPy or IPython look for (`__array__`, `_repr_html_` ...) stay here, so the
    student's code never decides whether a test passed."""

    __slots__ = ("_proc", "_ident", "_info", "__dict__")

    def __init__(self, proc: Proc, ident: int, info: dict):
        object.__setattr__(self, "_proc", proc)
        object.__setattr__(self, "_ident", ident)
        object.__setattr__(self, "_info", info)
        name = info.get("name")
        if isinstance(name, str):
            object.__setattr__(self, "__name__", name[:200])
            object.__setattr__(self, "__qualname__", name[:200])

    def _ask(self, op: str, *params) -> Any:
        proc = object.__getattribute__(self, "_proc")
        if proc is None or proc.dead:
            raise StudentDied(proc.dead if proc is not None else say(messages.OBJECT_GONE))
        return _value_of(proc.request((op, self, *params, call_context())))

    def __getattr__(self, name: str) -> Any:
        if (
            name.startswith("__")
            or name.startswith("_repr_")
            or name.startswith("_ipython")
            or name.startswith("_render")
            or name in ("_fields", "_asdict")
        ):
            raise AttributeError(name)
        return self._ask("getattr", name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._ask("setattr", name, value)

    def __getitem__(self, key):
        return self._ask("getitem", key)

    def __setitem__(self, key, value):
        self._ask("setitem", key, value)

    def __len__(self):
        value = self._ask("len")
        if type(value) is not int or value < 0:
            raise TypeError("the student's __len__ did not return a non-negative int")
        return value

    def __iter__(self):
        value = self._ask("iter")
        if type(value) is not list:
            raise TypeError("the student's object could not be iterated")
        return iter(value)

    def __contains__(self, item):
        return self._ask("contains", item) is True

    def __bool__(self):
        value = self._ask("bool")
        if type(value) is not bool:
            raise TypeError("the student's __bool__ did not return a bool")
        return value

    def __repr__(self):
        try:
            text = self._ask("repr")
        except (Exception, SandboxFailure):
            text = None
        if type(text) is str:
            return text[:300]
        return f"<{object.__getattribute__(self, '_info').get('type', 'student object')} object>"

    def __str__(self):
        try:
            text = self._ask("str")
        except (Exception, SandboxFailure):
            text = None
        return text[: wire.TEXT_LIMIT] if type(text) is str else repr(self)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __hash__(self):
        return hash((id(object.__getattribute__(self, "_proc")), object.__getattribute__(self, "_ident")))

    def __instancecheck__(self, instance):
        return self._ask("isinstance_of", instance) is True

    def __subclasscheck__(self, subclass):
        return self._ask("issubclass_of", subclass) is True

    def __reduce__(self):
        raise TypeError("student objects cannot be pickled in the judge")


class RemoteCallable(RemoteObject):
    """A function or class of the student's: calling it runs it in the student process."""

    __slots__ = ()

    def __call__(self, *args, **kwargs):
        proc = object.__getattribute__(self, "_proc")
        if proc is None or proc.dead:
            raise StudentDied(proc.dead if proc is not None else say(messages.FUNCTION_GONE))
        reply = proc.request(("call", self, args, kwargs, call_context()))
        changed = reply.get("changed")
        value = _value_of(reply)
        if changed is not None:  # the arguments as they are after the call: the judge decides what changed
            if not (isinstance(changed, tuple) and len(changed) == 2):
                proc.fail(StudentProtocolError, say(messages.ARGUMENTS_MISDESCRIBED))
            before = _fingerprint((args, kwargs))
            try:
                wire.copy_args_back(args, kwargs, changed)
            except wire.ShapeChanged as error:
                raise StudentProtocolError(str(error)) from None
            if _fingerprint((args, kwargs)) != before and proc.session is not None:
                proc.session.in_place.append(str(object.__getattribute__(self, "_info").get("name") or "a function"))
        return value
