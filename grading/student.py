"""The student process: it runs a submission's own code and answers the judge's calls into it.

Nothing here is trusted.  This process runs the submission's cells (and the notebook's read-only
cells, which the submission's answers may rely on) in an IPython shell, and serves requests from the
judge: run a cell, look a name up, call a function, read an attribute.  Whatever it replies is read by
the judge with `grading.wire.JudgeUnpickler`, so a submission that rewrites this very module gains
nothing but wrong replies.

It is started once per graded notebook as a *zygote*; before each cell the judge asks it to `fork`, and
the child runs the cell and becomes the new zygote, so a cell that hangs, exits or crashes is simply
dropped with its process while the state before it lives on.  Each test cell is served by a fork
thrown away afterwards, so nothing a test does to the student's objects leaks into the next one.
"""

from __future__ import annotations

import base64
import builtins
import functools
import io
import json
import os
import pickle
import socket
import sys
import time
import types
import warnings
from typing import Optional

import numpy as np

from . import sandbox, wire

TEXT_CAP = 200_000  # characters of printed text kept per cell or call
ITER_CAP = 1_000_000  # items fetched when the judge iterates over a student object
DATA_KEYS = ("text/plain", "image/png", "image/jpeg")


# --- values going back to the judge ----------------------------------------------------------------


class StudentPickler(pickle.Pickler):
    """Sends plain values as themselves and everything else as a handle the judge can only proxy."""

    def __init__(self, file, worker: "Worker", **kwargs):
        super().__init__(file, **kwargs)
        self.worker = worker

    def reducer_override(self, obj):
        kind = type(obj)
        if kind in (int, float, str, bytes, bool, type(None), tuple, list, dict, set, frozenset):
            return NotImplemented
        if kind is complex:
            return complex, (obj.real, obj.imag)
        if kind in (slice, range):
            return kind, (obj.start, obj.stop, obj.step)
        if kind is bytearray:
            return bytearray, (bytes(obj),)
        if obj is Ellipsis or obj is NotImplemented or wire.is_constructor(obj):
            return NotImplemented
        if isinstance(obj, JudgeObject):
            return wire._jref, (object.__getattribute__(obj, "_ident"),)
        # a test's array goes back as itself, one the judge shares with its id
        linked = wire.reduce_linked_array(obj, self.worker.link, self.worker.share_array, wire._jarr, wire._nds)
        if linked is not None:
            return linked
        numpy_form = wire.reduce_numpy(obj)
        if numpy_form is not NotImplemented:
            return numpy_form
        plain = _plain_base(obj)
        if plain is not None:
            return plain
        return wire._handle, (self.worker.handle_for(obj), _describe_object(obj))


def _plain_base(obj):
    """A subclass of a plain type (a namedtuple, a float subclass ...) is sent as its plain value.

    The value is read with the base type's own methods, so an overridden `__eq__`, `__float__` or
    `__iter__` plays no part: the judge compares the data, never the student's behaviour.
    """
    if isinstance(obj, bool):
        return None
    if isinstance(obj, int):
        return int, (int.__int__(obj),)
    if isinstance(obj, float):
        return float, (float.__float__(obj),)
    if isinstance(obj, complex):
        return complex, (complex.real.__get__(obj), complex.imag.__get__(obj))
    if isinstance(obj, str):
        return str, (str.__str__(obj),)
    if isinstance(obj, bytes):
        return bytes, (bytes(memoryview(obj)),)
    if isinstance(obj, tuple):
        return tuple, (list(tuple.__iter__(obj)),)
    if isinstance(obj, list):
        return list, (list(list.__iter__(obj)),)
    if isinstance(obj, dict):
        return dict, (list(dict.items(obj)),)
    if isinstance(obj, frozenset):
        return frozenset, (list(frozenset.__iter__(obj)),)
    if isinstance(obj, set):
        return set, (list(set.__iter__(obj)),)
    if isinstance(obj, np.ndarray) and wire.plain_array_dtype(obj.dtype):
        return wire.reduce_array(np.ndarray.view(obj, np.ndarray))
    return None


NAMED = (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType, functools.partial)


def _describe_object(obj) -> dict:
    kind = type(obj)
    name = None
    if isinstance(obj, NAMED):
        try:
            name = getattr(obj, "__name__", None) or getattr(getattr(obj, "func", None), "__name__", None)
        except Exception:
            name = None
    return {
        "type": f"{kind.__module__}.{kind.__qualname__}"[:200],
        "callable": callable(obj),
        "is_class": isinstance(obj, type),
        "name": name[:200] if isinstance(name, str) else None,
    }


def describe_exception(error: BaseException) -> dict:
    """An exception as plain data: its class name, the builtin classes it derives from, its message."""
    try:
        message = str(error)
    except BaseException:  # a student's __str__ may itself fail
        message = "<the exception's message could not be read>"
    bases = [klass.__name__ for klass in type(error).__mro__ if getattr(builtins, klass.__name__, None) is klass]
    return {"type": type(error).__name__[:100], "bases": bases, "message": message[: wire.TEXT_LIMIT]}


# --- output capture -------------------------------------------------------------------------------


class Outputs:
    """The outputs of one cell or call, in order: stream text, rich displays, an error."""

    def __init__(self):
        self.items: list = []
        self.size = 0
        self.truncated = False

    def stream(self, name: str, text: str) -> None:
        if self.size >= TEXT_CAP:
            self.truncated = True
            return
        text = text[: TEXT_CAP - self.size]
        self.size += len(text)
        if self.items and self.items[-1].get("output_type") == "stream" and self.items[-1]["name"] == name:
            self.items[-1]["text"] += text
        else:
            self.items.append({"output_type": "stream", "name": name, "text": text})

    def display(self, output_type: str, data: dict, execution_count=None) -> None:
        clean = {}
        for key in DATA_KEYS:
            value = data.get(key)
            if isinstance(value, bytes):
                value = base64.b64encode(value).decode("ascii")
            if isinstance(value, str):
                clean[key] = value[:TEXT_CAP] if key == "text/plain" else value
        if not clean:
            return
        output = {"output_type": output_type, "data": clean, "metadata": {}}
        if output_type == "execute_result":
            output["execution_count"] = execution_count
        self.items.append(output)

    def text(self, name: str) -> str:
        return "".join(i["text"] for i in self.items if i.get("output_type") == "stream" and i["name"] == name)


class StreamTo(io.TextIOBase):
    def __init__(self, outputs: Outputs, name: str):
        self.outputs, self.name = outputs, name

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            text = str(text)
        self.outputs.stream(self.name, text)
        return len(text)

    @property
    def encoding(self):
        return "utf-8"


def make_shell():
    """An IPython shell without a kernel: magics work, history is off, outputs are captured."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class CapturingHook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self.shell.outputs.display("execute_result", format_dict, self.prompt_count)

        def finish_displayhook(self):
            self._is_active = False

    class CapturingPublisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            self.shell.outputs.display("display_data", data)

        def clear_output(self, wait=False):
            pass

    class GradingShell(InteractiveShell):
        outputs = Outputs()
        displayhook_class = CapturingHook
        display_pub_class = CapturingPublisher

        def enable_gui(self, gui=None):
            pass

        def _showtraceback(self, etype, evalue, stb):
            self.outputs.items.append(
                {
                    "output_type": "error",
                    "ename": getattr(etype, "__name__", "Error"),
                    "evalue": str(evalue)[: wire.TEXT_LIMIT],
                    "traceback": list(stb)[-60:],
                }
            )

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Context"
    shell = GradingShell.instance(config=config)
    shell.user_ns["__name__"] = "__main__"
    return shell


# --- what a submission changes about its own process (reported, not needed for safety) -------------


WATCHED = [
    ("numpy", "allclose"),
    ("numpy", "isclose"),
    ("numpy", "array_equal"),
    ("numpy", "asarray"),
    ("numpy.testing", "assert_allclose"),
    ("numpy.testing", "assert_array_equal"),
    ("numpy.testing", "assert_equal"),
    ("math", "isclose"),
    ("sys", "exit"),
    ("os", "_exit"),
    ("sys", "excepthook"),
    ("sys", "displayhook"),
    ("atexit", "register"),
    ("checks.hidden", "run_case"),
    ("checks.exercise", "run_case"),
    ("checks.hidden", "expect"),
    ("checks.hidden", "expect_true"),
    ("checks.core", "run_case"),
    ("checks.core", "compare"),
    ("checks.exercise", "Exercise"),
]


# What an answer can change in the IPython shell to rewrite or hide the cells after it: its transformer
# lists and the methods that run a cell or show its error (grading/scan.py names them in the code too).
SHELL_TRANSFORMERS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
SHELL_METHODS = (
    "run_cell",
    "run_code",
    "transform_cell",
    "run_ast_nodes",
    "showtraceback",
    "_showtraceback",
    "run_cell_async",
    "should_run_async",
)


def integrity_snapshot(shell) -> dict:
    """What a submission could patch to fool a grader that shared its process, as object identities."""
    state = {f"{module}.{name}": id(getattr(sys.modules.get(module), name, None)) for module, name in WATCHED}
    state.update({f"builtins.{name}": id(value) for name, value in vars(builtins).items()})
    state["sys.modules"] = {
        name: id(module)
        for name, module in list(sys.modules.items())
        if name == "checks" or name.startswith(("checks.", "numpy"))
    }
    state["sys.meta_path"] = len(sys.meta_path)
    for attribute in SHELL_TRANSFORMERS:
        state[f"IPython {attribute}"] = len(getattr(shell, attribute, []))
    for method in SHELL_METHODS:
        own = vars(shell).get(method)
        state[f"IPython shell.{method}"] = id(own) if own is not None else id(getattr(type(shell), method, None))
    return state


def integrity_changes(before: dict, after: dict) -> list:
    """What changed between two snapshots, in words; a module imported for the first time is no change."""
    changed = []
    for key in sorted(set(before) | set(after)):
        if key == "sys.modules":
            old, new = before.get(key, {}), after.get(key, {})
            for name in sorted(new):
                module = sys.modules.get(name)
                if name in old and old[name] != new[name]:
                    changed.append(f"replaced the module {name} in sys.modules")
                elif name not in old and not getattr(module, "__file__", None) and name.startswith("checks"):
                    changed.append(f"put a module {name} without a file into sys.modules")
        elif before.get(key) != after.get(key):
            changed.append(f"changed {key}")
    return changed


def preload_watched() -> None:
    """Import what the watch list names, so that a patch made right after an import is still seen."""
    import importlib

    for module in {m for m, _ in WATCHED}:
        try:
            importlib.import_module(module)
        except Exception:
            pass


# --- what the submission tried that the sandbox refuses (reported, for information) ----------------


class Attempts:
    """Audit events of the submission's code that the sandbox makes fail or harmless, in words.

    Installed with `sys.addaudithook` before any submitted code runs (a hook cannot be removed); what
    it reports is the student side's word, so the report shows it as information, not as proof.
    """

    EVENTS = {
        "socket.connect": "tried to reach the network",
        "socket.bind": "tried to open a network port",
        "socket.getaddrinfo": "looked up a network address",
        "os.kill": "sent a signal to a process",
        "os.killpg": "sent a signal to a process group",
        "os.symlink": "created a symbolic link",
        "os.link": "created a hard link",
        "os.chmod": "changed a file's permissions",
    }
    COURSE = ("grading", "answer_key", "solutions")

    def __init__(self):
        self.seen: list = []
        self.allowed: tuple = ()

    def install(self, allowed: tuple) -> None:
        self.allowed = tuple(os.path.realpath(p) for p in allowed if p)
        sys.addaudithook(self.hook)

    def note(self, text: str) -> None:
        if text not in self.seen and len(self.seen) < 20:
            self.seen.append(text)

    def hook(self, event: str, args: tuple) -> None:
        try:
            self.observe(event, args)
        except Exception:  # never let the report break the submission's code
            pass

    def observe(self, event: str, args: tuple) -> None:
        if event in self.EVENTS:
            self.note(self.EVENTS[event])
        elif event == "open" and args and isinstance(args[0], str):
            path = os.path.realpath(os.path.join(os.getcwd(), args[0])) if not args[0].startswith("/") else args[0]
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
            if not path.startswith(self.allowed):
                what = "write" if any(c in mode for c in "wax+") else "read"
                self.note(f"tried to {what} a file outside its folder ({path[:120]})")
        elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], str):
            path = os.path.realpath(args[0])
            if not path.startswith(self.allowed):
                self.note(f"tried to list a folder outside its folder ({path[:120]})")
        elif event == "import" and args and isinstance(args[0], str) and args[0].split(".")[0] in self.COURSE:
            self.note(f"imported {args[0][:80]} (course internals)")

    def take(self) -> list:
        found, self.seen = self.seen, []
        return found


ATTEMPTS = Attempts()


# --- the request loop -----------------------------------------------------------------------------


class JudgeObject:
    """One of the test's objects (a layer, a function it passed): using it asks the judge to.

    Public attributes can be read (arrays held by them are shared: in-place changes go back) and set to
    data; calling it runs it in the judge.  Nothing else of the judge is reachable through it.
    """

    __slots__ = ("_worker", "_ident", "_info", "__dict__")

    def __init__(self, worker: "Worker", ident: int, info: dict):
        object.__setattr__(self, "_worker", worker)
        object.__setattr__(self, "_ident", ident)
        object.__setattr__(self, "_info", info if isinstance(info, dict) else {})
        if isinstance(self._info.get("name"), str):
            object.__setattr__(self, "__name__", self._info["name"])

    def _op(self, op, **params):
        return self._worker.judge_op(self._ident, op, params)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._op("getattr", name=name)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            raise AttributeError(name)
        self._op("setattr", name=name, value=value)

    def __call__(self, *args, **kwargs):
        return self._op("call", args=args, kwargs=kwargs)

    def __repr__(self):
        return self._op("repr")

    def __len__(self):
        return self._op("len")

    def __iter__(self):
        return iter(self._op("iter"))

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return hash(("judge", self._ident))


def exception_like(info) -> BaseException:
    """The test's exception, raised in the student's code: same name, same builtin base class."""
    info = info if isinstance(info, dict) else {}
    base = Exception
    for name in info.get("bases", []):
        candidate = getattr(builtins, str(name), None)
        if isinstance(candidate, type) and issubclass(candidate, Exception):
            base = candidate
            break
    name = str(info.get("type", "Exception"))
    if not name.isidentifier():
        name = "TestError"
    try:
        kind = type(name, (base,), {"__module__": "test"})
        return kind(str(info.get("message", "")))
    except TypeError:
        return base(str(info.get("message", "")))


class Worker:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.handles: dict = {}
        self.handle_ids: dict = {}
        self.next_handle = 1
        self.exit_status: dict = {}
        self.judge_objects: dict = {}
        self.link = wire.ArrayLink()  # arrays shared with the judge, both ways
        self.shell = make_shell()
        preload_watched()
        self.baseline = integrity_snapshot(self.shell)
        wire._HREF_RESOLVER[0] = self.handles.__getitem__
        wire._JUDGE_OBJECT[0] = self.judge_object
        wire._SHARED_ARRAY[0] = lambda array, ident: self.link.import_(array, ident)
        wire._SARR_RESOLVER[0] = self.link.original

    # framing
    def send(self, reply: dict) -> None:
        pickler = lambda f, protocol: StudentPickler(f, self, protocol=protocol)  # noqa: E731
        exported, imported = self.link.changes()
        if exported or imported:
            wire.send_bytes(
                self.sock, wire.dumps_with(pickler, {"status": "sync", "exported": exported, "imported": imported})
            )
        try:
            payload = wire.dumps_with(pickler, reply)
        except BaseException as error:  # an unpicklable or self-referencing value: say so instead
            payload = wire.dumps_with(
                pickler,
                {
                    "status": "error",
                    "message": f"the value could not be sent back ({type(error).__name__}: {str(error)[:300]})",
                },
            )
        wire.send_bytes(self.sock, payload)

    def recv(self):
        return wire.student_loads(wire.recv_bytes(self.sock))

    def handle_for(self, obj) -> int:
        ident = self.handle_ids.get(id(obj))
        if ident is None or self.handles.get(ident) is not obj:
            ident = self.next_handle
            self.next_handle += 1
            self.handles[ident] = obj
            self.handle_ids[id(obj)] = ident
        return ident

    # the test's objects and shared arrays
    def judge_object(self, ident: int, info: dict) -> JudgeObject:
        if ident not in self.judge_objects:
            self.judge_objects[ident] = JudgeObject(self, ident, info)
        return self.judge_objects[ident]

    def share_array(self, array) -> Optional[int]:
        """The id under which one of this process's arrays is shared with the judge: an array held by a
        public attribute of an object the judge holds a proxy of (a layer's kernel)."""
        return self.link.share(array, self.handles.values())

    def op_sync(self, exported, imported):
        self.link.apply(exported, imported)
        return None

    def judge_op(self, ident: int, op: str, params: dict):
        self.send({"status": "judge_op", "target": ident, "op": op, **params})
        while True:
            message = self.recv()
            if message[0] == "judge_result":
                _, value, changed = message
                if changed is not None:
                    wire.copy_args_back(params.get("args", ()), params.get("kwargs", {}), changed)
                return value
            if message[0] == "judge_raised":
                raise exception_like(message[1])
            reply = self.dispatch(message)
            if reply is not None:
                self.send(reply)

    def serve(self) -> None:
        while True:
            message = self.recv()
            reply = self.dispatch(message)
            if reply is not None:
                self.send(reply)

    def dispatch(self, message):
        op, *params = message
        try:
            return getattr(self, "op_" + op)(*params)
        except BaseException as error:
            return {"status": "raised", "exc": describe_exception(error), "stdout": "", "stderr": ""}

    # process life
    def op_fork(self):
        _, fds, _, _ = socket.recv_fds(self.sock, 1, 1)
        pid = os.fork()
        if pid == 0:
            self.sock.close()
            self.sock = socket.socket(fileno=fds[0])
            self.exit_status = {}
            return {"status": "hello"}
        os.close(fds[0])
        self.reap()
        return {"status": "ok", "value": pid}

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.exit_status[pid] = status

    def op_status(self, pid):
        if pid not in self.exit_status:
            try:
                _, status = os.waitpid(pid, 0)
                self.exit_status[pid] = status
            except ChildProcessError:
                return {"status": "ok", "value": None}
        status = self.exit_status.pop(pid)
        if os.WIFSIGNALED(status):
            return {"status": "ok", "value": ("signal", os.WTERMSIG(status))}
        return {"status": "ok", "value": ("exit", os.WEXITSTATUS(status))}

    def op_exit(self):
        self.sock.close()
        os._exit(0)

    # cells
    def op_run_cell(self, source: str):
        outputs = Outputs()
        self.shell.outputs = outputs
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = StreamTo(outputs, "stdout"), StreamTo(outputs, "stderr")
        try:
            result = self.shell.run_cell(source, store_history=True)
        finally:
            sys.stdout, sys.stderr = saved
        error = result.error_before_exec or result.error_in_exec
        now = integrity_snapshot(self.shell)
        changes = integrity_changes(self.baseline, now)
        self.baseline = now
        return {
            "status": "ok",
            "outputs": outputs.items,
            "error": type(error).__name__ if error else None,
            "truncated": outputs.truncated,
            "tampering": changes + ATTEMPTS.take(),
        }

    # the judge's operations on student values
    def op_lookup(self, name: str):
        if name not in self.shell.user_ns:
            return {"status": "missing"}
        return {"status": "ok", "value": self.shell.user_ns[name]}

    def run_guarded(self, function, args=(), kwargs=None, context=None, watch=None):
        """Call `function` under the test's warnings filters and NumPy error state; capture its output.

        `watch` (a call's arguments) is sent back as it is after the call, whether or not it changed:
        the judge compares it with its own copies and decides what changed in place.
        """
        kwargs = kwargs or {}
        context = context or {}
        outputs = Outputs()
        saved = sys.stdout, sys.stderr
        wire.set_random_states(context)
        with warnings.catch_warnings(record=True) as caught:
            _apply_filters(context.get("filters"))
            sys.stdout, sys.stderr = StreamTo(outputs, "stdout"), StreamTo(outputs, "stderr")
            try:
                with np.errstate(**context.get("errstate", {})):
                    value = function(*args, **kwargs)
                reply = {"status": "ok", "value": value}
            except BaseException as error:
                reply = {"status": "raised", "exc": describe_exception(error)}
            finally:
                sys.stdout, sys.stderr = saved
        reply["stdout"], reply["stderr"] = outputs.text("stdout"), outputs.text("stderr")
        reply["attempts"] = ATTEMPTS.take()
        reply["warnings"] = [_describe_warning(w) for w in caught[:50]]
        if context:
            reply["globals"] = wire.random_states()
        if watch is not None:
            reply["changed"] = watch
        return reply

    def op_call(self, target, args, kwargs, context):
        return self.run_guarded(target, args, kwargs, context, watch=(args, kwargs))

    def op_getattr(self, target, name, context):
        return self.run_guarded(getattr, (target, name), {}, context)

    def op_setattr(self, target, name, value, context):
        return self.run_guarded(setattr, (target, name, value), {}, context)

    def op_getitem(self, target, key, context):
        return self.run_guarded(lambda: target[key], (), {}, context, watch=None)

    def op_setitem(self, target, key, value, context):
        def assign():
            target[key] = value

        return self.run_guarded(assign, (), {}, context)

    def op_len(self, target, context):
        return self.run_guarded(len, (target,), {}, context)

    def op_iter(self, target, context):
        def items():
            collected = []
            for item in target:
                collected.append(item)
                if len(collected) > ITER_CAP:
                    raise OverflowError("the object yields too many items")
            return collected

        return self.run_guarded(items, (), {}, context)

    def op_contains(self, target, item, context):
        return self.run_guarded(lambda: bool(item in target), (), {}, context)

    def op_bool(self, target, context):
        return self.run_guarded(lambda: bool(target), (), {}, context)

    def op_repr(self, target, context):
        return self.run_guarded(lambda: repr(target)[: wire.TEXT_LIMIT], (), {}, context)

    def op_str(self, target, context):
        return self.run_guarded(lambda: str(target)[: wire.TEXT_LIMIT], (), {}, context)

    def op_isinstance_of(self, klass, value, context):
        return self.run_guarded(lambda: bool(isinstance(value, klass)), (), {}, context)

    def op_issubclass_of(self, klass, value, context):
        return self.run_guarded(lambda: bool(issubclass(value, klass)), (), {}, context)


def _apply_filters(filters) -> None:
    if filters is None:
        return
    warnings.resetwarnings()
    for action, message, category, module, lineno in reversed(filters):
        warnings.filterwarnings(action, message or "", _warning_class(category), module or "", lineno, append=False)


def _warning_class(name: str) -> type:
    candidate = getattr(builtins, name, None) or getattr(np.exceptions, name, None)
    return candidate if isinstance(candidate, type) and issubclass(candidate, Warning) else Warning


def _describe_warning(w) -> dict:
    return {"category": w.category.__name__, "message": str(w.message)[: wire.TEXT_LIMIT], "lineno": int(w.lineno or 0)}


def copy_submission(source: str, dest: str) -> None:
    """The submission's files into the fresh working folder, as regular files; links and the rest skipped."""
    for folder, dirs, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        for name in list(dirs):
            if os.path.islink(os.path.join(folder, name)):
                dirs.remove(name)
        for name in files:
            path = os.path.join(folder, name)
            target = os.path.normpath(os.path.join(dest, relative, name))
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(path, "rb") as handle, open(target, "xb") as out:
                out.write(handle.read())


def prepare(layout: dict) -> None:
    """Before any submitted code: the private folders, the submission's files, matplotlib's font list."""
    for name in ("MPLCONFIGDIR", "IPYTHONDIR", "TMPDIR"):
        os.makedirs(os.environ[name], exist_ok=True)
    grader = layout["grader_files"]
    for name in os.listdir(grader) if os.path.isdir(grader) else []:
        if name.startswith("fontlist-") and name.endswith(".json"):
            with (
                open(os.path.join(grader, name), "rb") as handle,
                open(os.path.join(os.environ["MPLCONFIGDIR"], name), "wb") as out,
            ):
                out.write(handle.read())
    copy_submission(layout["submission"], layout["workdir"])


def keep_the_sandbox_open(sock: socket.socket) -> None:
    """Fork: the child goes on to serve the judge; this first process stays, reaping, and runs no code of
    the submission.  (The sandbox ends when its first process does, and the zygote that serves the
    judge is replaced after every cell.)"""
    if os.fork() == 0:
        return
    sock.close()
    while True:
        try:
            os.wait()
        except ChildProcessError:
            time.sleep(3600)


def main() -> None:
    fd = int(sys.argv[1])
    layout = json.loads(sys.argv[2])
    sock = socket.socket(fileno=fd)
    prepare(layout)
    dropped = sandbox.drop_privileges((layout["workdir"], layout["tmp"]))
    keep_the_sandbox_open(sock)
    os.chdir(layout["workdir"])
    sys.path[:0] = [layout["workdir"], layout["course"]]
    processes = layout.get("processes", 0) if sandbox.counts_are_the_sandboxs(dropped) else 0
    sandbox.set_limits(
        layout["memory_mb"], layout["file_size_mb"], processes, layout.get("cpu_seconds", 0)
    )  # from here on, submitted code may run
    ATTEMPTS.install(
        (
            layout["workdir"],
            layout["tmp"],
            layout["course"],
            layout["submission"],
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
            "/usr",
            "/proc",
            "/dev",
            "/etc",
            "/sys",
            os.environ.get("DL_FOUNDATIONS_CACHE", ""),
        )
    )
    worker = Worker(sock)
    worker.send({"status": "hello"})
    try:
        worker.serve()
    except wire.ChannelClosed:
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
