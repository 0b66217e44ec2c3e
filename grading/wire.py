"""How the judge and the student process talk: framed messages, and values that cannot smuggle code.

Every message is a pickle, but the judge never unpickles with the standard rules: `JudgeUnpickler`
resolves *no* global except the few constructors listed in `_ALLOWED`, so what comes out of a student's
message is always built from plain data -- None, bools, numbers, strings, bytes, tuples, lists, dicts,
sets, slices, NumPy arrays (rebuilt from raw bytes by `_nd`), NumPy scalars and dtypes, random
generators (rebuilt from their state) and *handles*: a reference to an object that stays in the
student process (a class instance, a function, a module ...), which the judge wraps in a proxy
(`grading.remote`).  No student class, no `__reduce__`, no `__eq__` of the student's ever reaches the
judge, so no comparison the tests make can be answered by student code.

The student side (`StudentPickler`) turns values into exactly those forms; a student may of course
tamper with its own side, but whatever bytes it sends are read by the judge's rules alone.
"""

from __future__ import annotations

import io
import pickle
import random
import socket
import struct
import time
from typing import Any, Callable, Optional

import numpy as np

PROTOCOL = 5
HEADER = struct.Struct("!Q")
DEFAULT_MAX_MESSAGE = 512 << 20  # 512 MiB: above any legitimate reply (all of MNIST as float64 is 376 MB)
MAX_KEY_DEPTH = 32  # nesting of a tuple used as a set item or dict key (hashing it recurses)
CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid
ARRAY_KINDS = "biufcmMSU"  # bool, ints, floats, complex, datetimes, bytes and str; not object, not void
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
TEXT_LIMIT = 2000  # longest string the judge accepts as a name, message or repr


class ChannelClosed(EOFError):
    """The other process went away (it exited, crashed or was killed)."""


class MessageTooLarge(ValueError):
    """A message longer than the judge accepts."""


class OutOfTime(TimeoutError):
    """A reply was not read, or not decoded, before its deadline."""


# --- framing ---------------------------------------------------------------------------------------


def send_bytes(sock: socket.socket, payload: bytes) -> None:
    if len(payload) < 1 << 16:
        sock.sendall(HEADER.pack(len(payload)) + payload)
    else:
        sock.sendall(HEADER.pack(len(payload)))
        sock.sendall(payload)


def _wait(sock: socket.socket, deadline: Optional[float]) -> None:
    """One deadline for a whole message: each read may wait only for what is left of it."""
    if deadline is not None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise OutOfTime("out of time")
        sock.settimeout(remaining)


def recv_exact(sock: socket.socket, size: int, deadline: Optional[float] = None) -> bytes:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        _wait(sock, deadline)
        try:
            n = sock.recv_into(view[got:], size - got)
        except socket.timeout:
            raise OutOfTime("out of time") from None
        if n == 0:
            raise ChannelClosed("the other process closed the channel")
        got += n
    return bytes(buffer)


def recv_bytes(sock: socket.socket, max_size: int = DEFAULT_MAX_MESSAGE, deadline: Optional[float] = None) -> bytes:
    (size,) = HEADER.unpack(recv_exact(sock, HEADER.size, deadline))
    if size > max_size:
        raise MessageTooLarge(f"a message of {size} bytes is over the limit of {max_size}")
    return recv_exact(sock, size, deadline)


def recv_sender(sock: socket.socket, max_size: int, deadline: float) -> tuple:
    """`(message, the sender's process id as the kernel saw it)`, on a socket with SO_PASSCRED set.

    The id is the kernel's, translated into the judge's PID namespace: nothing the student process
    says about itself plays a part in which process the judge may later stop.
    """
    _wait(sock, deadline)
    try:
        header, ancillary, _, _ = sock.recvmsg(HEADER.size, socket.CMSG_SPACE(CREDENTIALS.size), socket.MSG_WAITALL)
    except socket.timeout:
        raise OutOfTime("out of time") from None
    if len(header) == 0:
        raise ChannelClosed("the other process closed the channel")
    pid = None
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS and len(data) >= CREDENTIALS.size:
            pid = CREDENTIALS.unpack(data[: CREDENTIALS.size])[0]
    if len(header) < HEADER.size:
        header += recv_exact(sock, HEADER.size - len(header), deadline)
    (size,) = HEADER.unpack(header)
    if size > max_size:
        raise MessageTooLarge(f"a message of {size} bytes is over the limit of {max_size}")
    return recv_exact(sock, size, deadline), pid


# --- constructors the judge accepts ----------------------------------------------------------------


def _nd(dtype: str, shape: tuple, data: bytes, writeable: bool) -> np.ndarray:
    dt = np.dtype(dtype)
    if dt.kind not in ARRAY_KINDS or dt.fields is not None or dt.subdtype is not None:
        raise pickle.UnpicklingError(f"arrays of dtype {dtype!r} are not accepted")
    shape = tuple(int(n) for n in shape)
    if any(n < 0 for n in shape):
        raise pickle.UnpicklingError("negative array dimension")
    count = 1
    for n in shape:
        count *= n
    if count * dt.itemsize != len(data):
        raise pickle.UnpicklingError("array data does not match its shape")
    array = np.frombuffer(data, dtype=dt).reshape(shape).copy() if count else np.empty(shape, dt)
    array.flags.writeable = bool(writeable)
    return array


def _ndobj(shape: tuple, items: list, writeable: bool) -> np.ndarray:
    shape = tuple(int(n) for n in shape)
    array = np.empty(shape, dtype=object)
    flat = array.reshape(-1)
    if len(items) != flat.size:
        raise pickle.UnpicklingError("object array items do not match its shape")
    for index, item in enumerate(items):
        flat[index] = item
    array.flags.writeable = bool(writeable)
    return array


def _npscalar(dtype: str, data: bytes) -> Any:
    dt = np.dtype(dtype)
    if dt.kind not in ARRAY_KINDS or dt.fields is not None or len(data) != dt.itemsize:
        raise pickle.UnpicklingError(f"scalars of dtype {dtype!r} are not accepted")
    return np.frombuffer(data, dtype=dt)[0]


def _npdtype(text: str) -> np.dtype:
    dt = np.dtype(text)
    if dt.kind not in ARRAY_KINDS + "O" or dt.fields is not None:
        raise pickle.UnpicklingError(f"dtype {text!r} is not accepted")
    return dt


def _nptype(text: str) -> type:
    """A NumPy scalar type such as np.float32, named by its dtype."""
    return _npdtype(text).type


def _rng(bit_generator: str, state: dict) -> np.random.Generator:
    if bit_generator not in BIT_GENERATORS:
        raise pickle.UnpicklingError(f"bit generator {bit_generator!r} is not accepted")
    bits = getattr(np.random, bit_generator)()
    bits.state = state
    return np.random.Generator(bits)


def _randomstate(state: tuple) -> np.random.RandomState:
    legacy = np.random.RandomState()
    legacy.set_state(state)
    return legacy


_DEADLINE: list = [None]  # the deadline of the message being decoded (JudgeUnpickler sets it)


def check_time() -> None:
    if _DEADLINE[0] is not None and time.monotonic() > _DEADLINE[0]:
        raise OutOfTime("out of time while decoding a reply")


def _check_key(item: Any) -> None:
    """A set item or dict key the judge may hash: no tuple nested deeper than MAX_KEY_DEPTH."""
    pending = [(item, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (tuple, frozenset)):
            if depth >= MAX_KEY_DEPTH:
                raise pickle.UnpicklingError("a set item or dict key nested too deeply")
            pending.extend((v, depth + 1) for v in value)


def _add_all(target, items) -> None:
    """Items into a set one at a time, the deadline checked between two: colliding hashes cost their call."""
    for item in items:
        _check_key(item)
        target.add(item)
        check_time()


def _set(items=()) -> set:
    target: set = set()
    _add_all(target, items)
    return target


def _frozenset(items=()) -> frozenset:
    return frozenset(_set(items))


def _put_all(target: dict, pairs) -> None:
    for key, value in pairs:
        _check_key(key)
        target[key] = value
        check_time()


def _dict(pairs=()) -> dict:
    target: dict = {}
    _put_all(target, pairs.items() if isinstance(pairs, dict) else pairs)
    return target


# Each side registers here how it turns references into objects (see grading.remote and grading.student).
_HANDLE_FACTORY: list[Callable[..., Any]] = [lambda *a: RuntimeError("no handle factory")]
_HREF_RESOLVER: list[Callable[[int], Any]] = [lambda i: RuntimeError("no handle resolver")]
_JUDGE_OBJECT: list[Callable[..., Any]] = [lambda *a: RuntimeError("no judge object factory")]
_SHARED_ARRAY: list[Callable[..., Any]] = [lambda a, i: a]
_JREF_RESOLVER: list[Callable[[int], Any]] = [lambda i: RuntimeError("no judge object resolver")]
_JARR_RESOLVER: list[Callable[[int], Any]] = [lambda i: RuntimeError("no judge array resolver")]
_STUDENT_ARRAY: list[Callable[..., Any]] = [lambda a, i: a]
_SARR_RESOLVER: list[Callable[[int], Any]] = [lambda i: RuntimeError("no student array resolver")]


def _handle(ident: int, info: dict) -> Any:
    """Judge side: an object that stayed in the student process (becomes a proxy)."""
    return _HANDLE_FACTORY[0](int(ident), info)


def _href(ident: int) -> Any:
    """Student side: one of its own objects, sent back by the judge as an argument."""
    return _HREF_RESOLVER[0](int(ident))


def _jobj(ident: int, info: dict) -> Any:
    """Student side: an object of the test (a layer, a function): a proxy whose use runs in the judge."""
    return _JUDGE_OBJECT[0](int(ident), info)


def _ndj(dtype: str, shape: tuple, data: bytes, writeable: bool, ident: int) -> np.ndarray:
    """Student side: an array held by an attribute of a test's object; in-place changes go back."""
    return _SHARED_ARRAY[0](_nd(dtype, shape, data, writeable), int(ident))


def _nds(dtype: str, shape: tuple, data: bytes, writeable: bool, ident: int) -> np.ndarray:
    """Judge side: an array held by an attribute of a student's object; read twice, it is one array."""
    return _STUDENT_ARRAY[0](_nd(dtype, shape, data, writeable), int(ident))


def _sarr(ident: int) -> Any:
    """Student side: one of its own shared arrays, sent back by the judge."""
    return _SARR_RESOLVER[0](int(ident))


def _jref(ident: int) -> Any:
    """Judge side: one of the test's objects, sent back by the student."""
    return _JREF_RESOLVER[0](int(ident))


def _jarr(ident: int) -> Any:
    """Judge side: one of the test's shared arrays, sent back by the student."""
    return _JARR_RESOLVER[0](int(ident))


_ALLOWED = {
    ("builtins", "int"): int,
    ("builtins", "float"): float,
    ("builtins", "str"): str,
    ("builtins", "bytes"): bytes,
    ("builtins", "tuple"): tuple,
    ("builtins", "list"): list,
    ("builtins", "dict"): _dict,
    ("builtins", "complex"): complex,
    ("builtins", "set"): _set,
    ("builtins", "frozenset"): _frozenset,
    ("builtins", "slice"): slice,
    ("builtins", "range"): range,
    ("builtins", "bytearray"): bytearray,
    ("builtins", "Ellipsis"): Ellipsis,
    ("builtins", "NotImplemented"): NotImplemented,
    (__name__, "_nd"): _nd,
    (__name__, "_ndobj"): _ndobj,
    (__name__, "_npscalar"): _npscalar,
    (__name__, "_npdtype"): _npdtype,
    (__name__, "_nptype"): _nptype,
    (__name__, "_rng"): _rng,
    (__name__, "_randomstate"): _randomstate,
    (__name__, "_handle"): _handle,
    (__name__, "_jref"): _jref,
    (__name__, "_jarr"): _jarr,
    (__name__, "_nds"): _nds,
}


def _refuse(self: Any) -> None:
    raise pickle.UnpicklingError("this pickle instruction is not accepted from the student process")


CONSTRUCTORS = frozenset(id(value) for value in _ALLOWED.values()) | {id(_href), id(_jobj), id(_ndj), id(_sarr)}


def is_constructor(obj: Any) -> bool:
    """One of the functions and types a message may name (pickled by reference, never as a handle)."""
    return id(obj) in CONSTRUCTORS


def _counted(function):
    """An unpickler instruction that checks the message's deadline every 1024 instructions."""

    def run(self):
        self.operations += 1
        if not self.operations & 1023:
            check_time()
        return function(self)

    return run


class JudgeUnpickler(pickle._Unpickler):  # the Python implementation: its instruction table can be cut
    """Unpickles a student's message with no global but the constructors above.

    Besides `find_class`, the instructions that could call anything else are removed: BUILD (which
    would call a `__setstate__`), INST/OBJ/NEWOBJ (which create instances of a class), persistent ids
    and the extension registry.  What is left can only build plain containers and call `_ALLOWED`.
    """

    dispatch = dict(pickle._Unpickler.dispatch)
    for _opcode in (
        pickle.BUILD,
        pickle.INST,
        pickle.OBJ,
        pickle.NEWOBJ,
        pickle.NEWOBJ_EX,
        pickle.PERSID,
        pickle.BINPERSID,
        pickle.EXT1,
        pickle.EXT2,
        pickle.EXT4,
    ):
        dispatch[_opcode[0]] = _refuse
    del _opcode

    def load_additems(self):
        items = self.pop_mark()
        _add_all(self.stack[-1], items)

    def load_frozenset(self):
        items = self.pop_mark()
        self.append(_frozenset(items))

    def load_setitems(self):
        items = self.pop_mark()
        _put_all(self.stack[-1], zip(items[0::2], items[1::2]))

    def load_setitem(self):
        value = self.stack.pop()
        key = self.stack.pop()
        _put_all(self.stack[-1], [(key, value)])

    dispatch[pickle.ADDITEMS[0]] = load_additems
    dispatch[pickle.FROZENSET[0]] = load_frozenset
    dispatch[pickle.SETITEMS[0]] = load_setitems
    dispatch[pickle.SETITEM[0]] = load_setitem
    dispatch = {code: _counted(function) for code, function in dispatch.items()}
    operations = 0

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"refused to load {module}.{name} from the student process") from None

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("persistent ids are not accepted")


def judge_loads(data: bytes, deadline: Optional[float] = None) -> Any:
    """A student's message decoded by the judge's rules, by `deadline` (else `OutOfTime`)."""
    _DEADLINE[0] = deadline
    try:
        return JudgeUnpickler(io.BytesIO(data)).load()
    finally:
        _DEADLINE[0] = None


class StudentUnpickler(pickle.Unpickler):
    """Unpickles what the judge sends: its values plus references to the student's own objects."""

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name in ("_href", "_jobj", "_ndj", "_sarr"):
            return {"_href": _href, "_jobj": _jobj, "_ndj": _ndj, "_sarr": _sarr}[name]
        allowed = _ALLOWED.get((module, name))
        if allowed is not None:
            return allowed
        return super().find_class(module, name)


def student_loads(data: bytes) -> Any:
    return StudentUnpickler(io.BytesIO(data)).load()


# --- reducers shared by both sides -----------------------------------------------------------------


def _array_fields(array: np.ndarray) -> tuple:
    """What `_nd` (and the shared arrays' `_ndj`, `_nds`) rebuild an array from: dtype, shape, bytes, writeable."""
    return array.dtype.str, array.shape, np.ascontiguousarray(array).tobytes(), bool(array.flags.writeable)


def reduce_array(array: np.ndarray) -> tuple:
    if array.dtype.kind == "O":
        return _ndobj, (array.shape, list(array.reshape(-1)), bool(array.flags.writeable))
    return _nd, _array_fields(array)


def reduce_linked_array(obj: Any, link: "ArrayLink", share: Callable, returned: Callable, shared: Callable) -> Any:
    """How one side sends an array kept in step with the other side, or None for any other value.

    The other side's own array (this side's copy of it, in `link`) goes back as a reference to it
    (`returned`: `_sarr` from the judge, `_jarr` from the student); an array this side shares (`share`
    gives its id, or None) goes as its bytes and that id (`shared`: `_ndj` from the judge, `_nds` from
    the student)."""
    if type(obj) is not np.ndarray or obj.dtype.kind == "O" or not plain_array_dtype(obj.dtype):
        return None
    ident = link.imported_ident(obj)
    if ident is not None:
        return returned, (ident,)
    ident = share(obj)
    if ident is not None:
        return shared, (*_array_fields(obj), ident)
    return None


def plain_array_dtype(dtype: np.dtype) -> bool:
    return dtype.kind in ARRAY_KINDS + "O" and dtype.fields is None and dtype.subdtype is None


def reduce_numpy(obj: Any) -> Any:
    """The reduction of a NumPy value both sides send the same way, or NotImplemented."""
    if type(obj) is np.ndarray and plain_array_dtype(obj.dtype):
        return reduce_array(obj)
    if isinstance(obj, np.generic) and type(obj).__module__ == "numpy" and obj.dtype.kind in ARRAY_KINDS:
        return _npscalar, (obj.dtype.str, obj.tobytes())
    if type(obj) is np.random.Generator:
        bits = obj.bit_generator
        if type(bits).__name__ in BIT_GENERATORS:
            return _rng, (type(bits).__name__, bits.state)
    if type(obj) is np.random.RandomState:
        return _randomstate, (obj.get_state(),)
    if isinstance(obj, np.dtype) and plain_array_dtype(obj):
        return _npdtype, (obj.str,)
    if isinstance(obj, type) and issubclass(obj, np.generic) and obj.__module__ == "numpy":
        try:
            if np.dtype(obj).kind in ARRAY_KINDS:
                return _nptype, (np.dtype(obj).str,)
        except TypeError:
            pass
    return NotImplemented


def random_states() -> dict:
    """This process's global `np.random` and `random` states, which travel with every call and its reply."""
    return {"np_random": np.random.get_state(), "random": random.getstate()}


def set_random_states(states: dict) -> None:
    """Give this process's global generators the states the other side sent (`random_states`); a state
    that is missing or cannot be set leaves that generator as it is."""
    try:
        if states.get("np_random") is not None:
            np.random.set_state(states["np_random"])
        if states.get("random") is not None:
            random.setstate(states["random"])
    except (TypeError, ValueError):
        pass


def dumps_with(pickler_class: type, value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler_class(buffer, protocol=PROTOCOL).dump(value)
    return buffer.getvalue()


def copy_back(original: Any, new: Any) -> None:
    """Make `original` look as `new` does, in place: how a change made on the other side shows on this one.

    Arrays (same shape and dtype) are overwritten, lists and dicts updated item by item (arrays in them
    in place), sets replaced, random generators given the new state.
    """
    if isinstance(original, np.ndarray) and isinstance(new, np.ndarray):
        if original.shape != new.shape or original.dtype != new.dtype:
            raise ShapeChanged("the function changed the shape or dtype of an argument in place")
        if not np.array_equal(original, new, equal_nan=original.dtype.kind in "fc"):
            if not original.flags.writeable:
                raise ValueError("assignment destination is read-only")
            original[...] = new
    elif isinstance(original, list) and isinstance(new, list):
        if len(original) == len(new):
            for index, (a, b) in enumerate(zip(original, new)):
                if isinstance(a, (np.ndarray, list, dict, np.random.Generator)) and type(a) is type(b):
                    copy_back(a, b)
                elif not _same(a, b):
                    original[index] = b
        else:
            original[:] = new
    elif isinstance(original, dict) and isinstance(new, dict):
        for key in list(original):
            if key not in new:
                del original[key]
        for key, value in new.items():
            if (
                key in original
                and isinstance(original[key], (np.ndarray, list, dict, np.random.Generator))
                and type(original[key]) is type(value)
            ):
                copy_back(original[key], value)
            else:
                original[key] = value
    elif isinstance(original, set) and isinstance(new, set):
        original.clear()
        original.update(new)
    elif isinstance(original, np.random.Generator) and isinstance(new, np.random.Generator):
        original.bit_generator.state = new.bit_generator.state
    elif isinstance(original, np.random.RandomState) and isinstance(new, np.random.RandomState):
        original.set_state(new.get_state())
    elif isinstance(original, bytearray) and isinstance(new, bytearray):
        original[:] = new


class ShapeChanged(ValueError):
    """A function changed the shape or dtype of an array argument in place."""


def _same(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:
        return False


def copy_args_back(args: tuple, kwargs: dict, changed: Any) -> None:
    """Apply a `(new_args, new_kwargs)` pair reported after a call to the caller's own arguments."""
    if not (isinstance(changed, tuple) and len(changed) == 2):
        return
    new_args, new_kwargs = changed
    if isinstance(new_args, tuple) and len(new_args) == len(args):
        for original, new in zip(args, new_args):
            copy_back(original, new)
    if isinstance(new_kwargs, dict):
        for key, original in kwargs.items():
            if key in new_kwargs:
                copy_back(original, new_kwargs[key])


def _holds(obj: Any, array: np.ndarray) -> bool:
    """Whether a public attribute of `obj` (in its own `__dict__`, read without its class's help) is `array`."""
    try:
        attributes = object.__getattribute__(obj, "__dict__")
    except Exception:
        return False
    return isinstance(attributes, dict) and any(
        value is array and isinstance(name, str) and not name.startswith("_")
        for name, value in list(attributes.items())
    )


class ArrayLink:
    """Arrays shared between the two processes, kept in step both ways.

    Each side *exports* its own arrays that the other side may change in place (the weights a layer
    holds in a public attribute) and *imports* the other side's: one copy per array, so that reading it
    twice gives the same object, updated in place when the owner changes it.  Before either side sends
    anything, `changes` lists what changed since the last message; the receiver `apply`s them.
    """

    def __init__(self):
        self.exported: dict = {}  # ident -> [my array, its bytes as both sides last saw them]
        self.exported_ids: dict = {}  # id(array) -> ident
        self.imported: dict = {}  # ident (the owner's) -> [my copy, its bytes as last seen]
        self.imported_ids: dict = {}

    def clear(self) -> None:
        for table in (self.exported, self.exported_ids, self.imported, self.imported_ids):
            table.clear()

    def export(self, array: np.ndarray) -> int:
        ident = self.exported_ident(array)
        if ident is None:
            ident = len(self.exported) + 1
            self.exported_ids[id(array)] = ident
        self.exported[ident] = [array, array.tobytes()]
        return ident

    def exported_ident(self, array) -> Optional[int]:
        ident = self.exported_ids.get(id(array))
        return ident if ident is not None and self.exported.get(ident, [None])[0] is array else None

    def share(self, array, holders) -> Optional[int]:
        """The id under which `array` is shared: it is already, or a public attribute of one of `holders`
        (the objects the other side holds a proxy of: a layer, whose kernel it is) holds it; else None."""
        if self.exported_ident(array) is not None or any(_holds(obj, array) for obj in list(holders)):
            return self.export(array)
        return None

    def imported_ident(self, array) -> Optional[int]:
        ident = self.imported_ids.get(id(array))
        return ident if ident is not None and self.imported.get(ident, [None])[0] is array else None

    def original(self, ident: int) -> np.ndarray:
        if ident not in self.exported:
            raise pickle.UnpicklingError("a reference to an unknown shared array")
        return self.exported[ident][0]

    def import_(self, array: np.ndarray, ident: int) -> np.ndarray:
        known = self.imported.get(ident)
        if known is not None and known[0].shape == array.shape and known[0].dtype == array.dtype:
            copy = known[0]
            writeable = copy.flags.writeable
            copy.flags.writeable = True
            copy[...] = array
            copy.flags.writeable = writeable
        else:
            copy = array
            self.imported_ids[id(copy)] = ident
        self.imported[ident] = [copy, copy.tobytes()]
        return copy

    def changes(self) -> tuple:
        """`(changed exported, changed imported)`: `(ident, copy)` pairs, each array changed in place."""
        found = ([], [])
        for table, out in ((self.exported, found[0]), (self.imported, found[1])):
            for ident, entry in table.items():
                now = entry[0].tobytes()
                if now != entry[1]:
                    entry[1] = now
                    out.append((ident, np.array(entry[0], copy=True)))
        return found

    def apply(self, exported_there, imported_there) -> None:
        """The other side's changes: to its arrays (update my copies), to my arrays (update them)."""
        for ident, array in exported_there if isinstance(exported_there, list) else []:
            if isinstance(array, np.ndarray):
                self.import_(array, int(ident))
        for ident, array in imported_there if isinstance(imported_there, list) else []:
            original = self.original(int(ident))
            if not isinstance(array, np.ndarray) or array.shape != original.shape or array.dtype != original.dtype:
                raise ValueError("a shared array changed its shape or dtype")
            if not original.flags.writeable:
                raise ValueError("a read-only array was changed")
            original[...] = array
            self.exported[int(ident)] = [original, original.tobytes()]
