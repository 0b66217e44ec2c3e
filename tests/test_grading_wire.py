"""What may cross from the student's process to the judge's, and what the judge does with it.

The judge reads every reply with `grading.wire.JudgeUnpickler`: no global but a handful of
constructors, no instruction that could call a student's class.  These tests feed it what a hostile
student process could send, and check that the values it lets through are plain data.
"""

import io
import pickle
import types
from collections import namedtuple

import numpy as np
import pytest

from grading import remote, wire
from grading.student import StudentPickler


class Evil:
    def __reduce__(self):
        return (print, ("pwned",))


class AlwaysEqual(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class FakeWorker:
    """Enough of grading.student.Worker for its pickler: a table of handles."""

    def __init__(self):
        self.handles, self.ids = {}, {}

    def handle_for(self, obj):
        ident = self.ids.setdefault(id(obj), len(self.ids) + 1)
        self.handles[ident] = obj
        return ident

    link = __import__("grading.wire", fromlist=["ArrayLink"]).ArrayLink()

    def share_array(self, array):
        return None


def student_dumps(value, worker=None):
    buffer = io.BytesIO()
    StudentPickler(buffer, worker or FakeWorker(), protocol=wire.PROTOCOL).dump(value)
    return buffer.getvalue()


@pytest.fixture
def handles(monkeypatch):
    """Make handles decode to a plain record instead of a proxy bound to a live process."""
    made = []
    saved = wire._HANDLE_FACTORY[0]
    wire._HANDLE_FACTORY[0] = lambda ident, info: made.append((ident, info)) or ("handle", ident)
    yield made
    wire._HANDLE_FACTORY[0] = saved


@pytest.mark.parametrize(
    "payload",
    [
        pickle.dumps(Evil(), protocol=2),
        pickle.dumps(Evil(), protocol=5),
        pickle.dumps(types.SimpleNamespace(a=1)),
        pickle.dumps(AlwaysEqual(1.0)),
        b"cos\nsystem\n(S'echo pwned'\ntR.",  # protocol 0: os.system('echo pwned')
        b"\x80\x05cbuiltins\neval\n\x8c\x041+1\x85R.",  # builtins.eval('1+1')
        b"\x80\x02]q\x00}b.",  # BUILD on a list
        b"\x80\x05\x95\x06\x00\x00\x00\x00\x00\x00\x00P\x8c\x01x\x94.",  # a persistent id
    ],
    ids=["reduce-p2", "reduce-p5", "instance", "float-subclass", "os.system", "eval", "build", "persid"],
)
def test_judge_refuses_anything_but_plain_data(payload):
    with pytest.raises(Exception) as raised:
        wire.judge_loads(payload)
    assert "pwned" not in str(raised.value)


def test_judge_accepts_plain_values_and_numpy(handles):
    value = {
        "none": None,
        "flag": True,
        "int": 10**30,
        "float": 1.5,
        "complex": 1 + 2j,
        "text": "é",
        "bytes": b"\0",
        "tuple": (1, (2,)),
        "list": [1, [2]],
        "set": {1, 2},
        "frozen": frozenset({3}),
        "slice": slice(1, 5, 2),
        "range": range(3),
        "bytearray": bytearray(b"ab"),
        "array": np.arange(6, dtype=np.float32).reshape(2, 3),
        "bools": np.array([True, False]),
        "strings": np.array(["a", "bc"]),
        "empty": np.zeros((0, 4), np.int16),
        "scalar": np.float32(2.5),
        "int_scalar": np.int8(-3),
        "dtype": np.dtype("uint8"),
        "type": np.float64,
        "rng": np.random.default_rng(3),
        "legacy": np.random.RandomState(4),
        "objects": np.array([1, "a"], dtype=object),
    }
    back = wire.judge_loads(student_dumps(value))
    assert back.keys() == value.keys()
    for key in (
        "none",
        "flag",
        "int",
        "float",
        "complex",
        "text",
        "bytes",
        "tuple",
        "list",
        "set",
        "frozen",
        "slice",
        "range",
        "bytearray",
        "dtype",
        "type",
    ):
        assert back[key] == value[key] and type(back[key]) is type(value[key]), key
    for key in ("array", "bools", "strings", "empty", "objects"):
        assert type(back[key]) is np.ndarray and back[key].dtype == value[key].dtype
        assert np.array_equal(back[key], value[key]), key
    assert type(back["scalar"]) is np.float32 and back["scalar"] == np.float32(2.5)
    assert type(back["int_scalar"]) is np.int8
    assert back["rng"].random() == np.random.default_rng(3).random()
    assert back["legacy"].rand() == np.random.RandomState(4).rand()
    assert not handles


def test_read_only_arrays_stay_read_only():
    frozen = np.arange(3)
    frozen.flags.writeable = False
    back = wire.judge_loads(student_dumps(frozen))
    assert not back.flags.writeable


def test_student_objects_become_handles_and_subclasses_become_their_base(handles):
    Point = namedtuple("Point", "x y")

    class Matrix(np.ndarray):
        pass

    def describe_tensor(x):
        return x

    back = wire.judge_loads(
        student_dumps([AlwaysEqual(2.0), Point(1, 2), np.eye(2).view(Matrix), describe_tensor, types.SimpleNamespace()])
    )
    always, point, matrix, function, namespace = back
    assert type(always) is float and always == 2.0 and not always == 3.0  # the student's __eq__ is gone
    assert type(point) is tuple and point == (1, 2)
    assert type(matrix) is np.ndarray
    assert function == ("handle", 1) and namespace == ("handle", 2)
    assert handles[0][1]["name"] == "describe_tensor" and handles[0][1]["callable"] is True
    assert handles[1][1]["callable"] is False


class Crafted:
    """A pickle that calls one of the accepted constructors with arguments of our choosing."""

    def __init__(self, function, args):
        self.function, self.args = function, args

    def __reduce__(self):
        return self.function, self.args


@pytest.mark.parametrize(
    "function, args",
    [
        (wire._nd, ("<f8", (3,), b"\0" * 8, True)),  # fewer bytes than the shape needs
        (wire._nd, ("|O", (1,), b"\0" * 8, True)),  # raw bytes as object pointers
        (wire._nd, ("<f8", (-1,), b"", True)),  # a negative dimension
        (wire._nd, ([("a", "<f8")], (1,), b"\0" * 8, True)),  # a structured dtype
        (wire._npscalar, ("|O", b"\0" * 8)),
        (wire._npdtype, ("V8",)),
        (wire._rng, ("os", {})),
    ],
    ids=["short", "object-bytes", "negative", "structured", "object-scalar", "void-dtype", "bit-generator"],
)
def test_malformed_numpy_values_are_refused(function, args):
    with pytest.raises(Exception):  # noqa: B017 -- refused is what counts; the kind depends on what is malformed
        wire.judge_loads(pickle.dumps(Crafted(function, args), protocol=5))


def test_message_size_is_capped():
    import socket

    a, b = socket.socketpair()
    with a, b:
        a.sendall(wire.HEADER.pack(10**12))
        with pytest.raises(wire.MessageTooLarge):
            wire.recv_bytes(b, max_size=1000)


def test_student_exceptions_keep_their_builtin_base_and_lose_everything_else():
    error = remote.exception_from(
        {"type": "ShapeError", "bases": ["ValueError", "Exception", "BaseException"], "message": "bad shape"}
    )
    assert isinstance(error, ValueError) and isinstance(error, remote.StudentError)
    assert type(error).__name__ == "ShapeError" and str(error) == "bad shape"
    exit_ = remote.exception_from({"type": "SystemExit", "bases": ["SystemExit", "BaseException"], "message": "1"})
    assert isinstance(exit_, Exception), "a student's SystemExit must not stop the judge"
    garbage = remote.exception_from(["not", "a", "dict"])
    assert isinstance(garbage, remote.SandboxFailure)
    odd = remote.exception_from({"type": "os.system('x')", "bases": "nope", "message": 3})
    assert type(odd).__name__.isidentifier() and isinstance(odd, Exception)


def test_in_place_changes_are_copied_back():
    original = np.zeros(3)
    wire.copy_back(original, np.array([1.0, 2.0, 3.0]))
    assert original.tolist() == [1.0, 2.0, 3.0]
    nested = {"W": np.zeros(2), "steps": [np.zeros(1), 5]}
    inner = nested["W"]
    wire.copy_back(nested, {"W": np.ones(2), "steps": [np.ones(1), 6]})
    assert nested["W"] is inner and inner.tolist() == [1.0, 1.0] and nested["steps"][1] == 6
    rng = np.random.default_rng(0)
    advanced = np.random.default_rng(0)
    advanced.random(5)
    wire.copy_back(rng, advanced)
    assert rng.random() == advanced.random()
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError):
        wire.copy_back(frozen, np.ones(2))
    with pytest.raises(wire.ShapeChanged):
        wire.copy_back(np.zeros(2), np.zeros(3))


class RecordingProc:
    dead = None

    def __init__(self):
        self.requests = []

    def request(self, message, deadline=None):
        self.requests.append(message[0])
        return {"status": "ok", "value": "remote"}


def test_a_proxy_decides_nothing_a_test_relies_on():
    proc = RecordingProc()
    proxy = remote.RemoteObject(proc, 7, {"type": "student.Thing", "name": None})
    twin = remote.RemoteObject(proc, 7, {"type": "student.Thing", "name": None})
    assert proxy == proxy and proxy != twin and not (proxy == 1.0)
    for name in (
        "__array__",
        "__array_interface__",
        "__array_struct__",
        "_repr_html_",
        "__eq__x__",
        "_ipython_display_",
    ):
        with pytest.raises(AttributeError):
            getattr(proxy, name)
    assert proc.requests == [], "no dunder or display hook may be asked of the student"
    assert proxy.weights == "remote" and proc.requests == ["getattr"]
    with pytest.raises(TypeError):
        pickle.dumps(proxy)


def test_a_reply_slow_to_decode_or_to_read_stops_at_its_deadline():
    """A set of ints that share one hash is quadratic to decode; a reply sent a byte at a time never
    stalls a per-read timeout. One deadline covers each whole reply, decoding included."""
    import socket
    import threading
    import time

    mersenne = 2**61 - 1
    items = b"".join(pickle.dumps(i * mersenne, protocol=2)[2:-1] for i in range(60000))
    colliding = b"\x80\x05\x8f(" + items + b"\x90."
    start = time.monotonic()
    with pytest.raises(wire.OutOfTime):
        wire.judge_loads(colliding, time.monotonic() + 0.5)
    assert time.monotonic() - start < 2.0
    assert wire.judge_loads(pickle.dumps({1: {2, 3}, "a": frozenset([4]), (5, 6): [7]}, protocol=5)) == {
        1: {2, 3},
        "a": frozenset([4]),
        (5, 6): [7],
    }
    nested = b"\x80\x05\x8f()" + b"\x85" * 100 + b"\x90."  # a tuple 100 deep as a set item
    with pytest.raises(pickle.UnpicklingError):
        wire.judge_loads(nested)

    judge_end, student_end = socket.socketpair()
    payload = pickle.dumps("x" * 200, protocol=5)

    def dribble():
        student_end.sendall(wire.HEADER.pack(len(payload)))
        for index in range(len(payload)):
            try:
                student_end.sendall(payload[index : index + 1])
            except OSError:
                return
            time.sleep(0.05)

    threading.Thread(target=dribble, daemon=True).start()
    start = time.monotonic()
    with pytest.raises(wire.OutOfTime):
        wire.recv_bytes(judge_end, deadline=time.monotonic() + 1.0)
    assert time.monotonic() - start < 2.0
    judge_end.close()
    student_end.close()
