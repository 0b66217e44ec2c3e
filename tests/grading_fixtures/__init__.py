"""Submissions that try to fool, crash or confuse a grader, made from the series' real notebooks.

Each fixture is a function `build(release) -> bytes` that writes one submitted notebook: it starts from
the student version nbgrader released (`notebooks/<assignment>/`), fills the answer cells in (right,
wrong, or the stub) and then does the one thing the fixture is about.  Its docstring says what it
does; the test that grades it says what it did to a plain nbgrader setup (`plain_nbgrader.py` re-runs
that experiment).

Answers:
- *right*: the reference solution of the source notebook;
- *wrong*: the reference solution with every number in its result off by 10% (ints by one), so that
  shapes and dtypes are right and only values are wrong: exactly what a comparison cheat must hide.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
RELEASE = ROOT / "notebooks"
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*$", re.M | re.S)

OFF = '''
def _off(value):
    """The right value, off by a little: floats times 0.9, ints plus one, containers item by item."""
    import numpy as _np
    if isinstance(value, (bool, _np.bool_)):
        return value
    if isinstance(value, _np.ndarray):
        return value * _np.asarray(0.9, value.dtype) if value.dtype.kind in "fc" else \\
            (value + 1).astype(value.dtype) if value.dtype.kind in "iu" else value
    if isinstance(value, (float, _np.floating)):
        return type(value)(value * 0.9)
    if isinstance(value, (int, _np.integer)):
        return type(value)(value + 1)
    if isinstance(value, tuple):
        return tuple(_off(v) for v in value)
    if isinstance(value, list):
        return [_off(v) for v in value]
    if isinstance(value, dict):
        return {k: _off(v) for k, v in value.items()}
    return value
'''


def meta(cell) -> dict:
    """The nbgrader metadata of a cell of the course's own notebooks.  Not `grading.cells.nbgrader_meta`:
    old_grader.py imports this package beside an older checkout's grading/, from before grading/cells.py."""
    return cell.get("metadata", {}).get("nbgrader", {})


def notebook_path(assignment: str) -> tuple:
    source = next((SOLUTIONS / assignment).glob("*.ipynb"))
    return source, RELEASE / assignment / source.name


def references(assignment: str) -> dict:
    """`{exercise: reference solution source}` (markers removed) in notebook order."""
    source, _ = notebook_path(assignment)
    nb = nbformat.read(source, as_version=4)
    return {
        meta(c)["grade_id"]: SOLUTION.sub(lambda m: m.group(1), c.source) for c in nb.cells if meta(c).get("solution")
    }


def wrong_answer(name: str, reference: str) -> str:
    """The reference renamed `_right_<name>`, and `name` returning its result off by a little."""
    renamed = re.sub(rf"^def {name}\(", f"def _right_{name}(", reference, flags=re.M)
    return renamed + "\n" + OFF + f"\n\ndef {name}(*args, **kwargs):\n    return _off(_right_{name}(*args, **kwargs))\n"


def exercises(assignment: str) -> list:
    return list(references(assignment))


def answers(assignment: str, mode: str = "right", overrides: Optional[dict] = None) -> dict:
    """`{exercise: source}`: every answer right, wrong or the stub, then `overrides` on top."""
    chosen = {}
    for name, reference in references(assignment).items():
        chosen[name] = {"right": reference, "wrong": wrong_answer(name, reference), "stub": None}[mode]
    chosen.update(overrides or {})
    return chosen


def release(assignment: str):
    return nbformat.read(notebook_path(assignment)[1], as_version=4)


def filled(assignment: str, mode: str = "right", overrides: Optional[dict] = None, prefix: str = "", suffix: str = ""):
    """The student version with its answer cells filled in; `prefix` starts the first answer cell and
    `suffix` ends the last one (where a cheat is planted)."""
    nb = release(assignment)
    chosen = answers(assignment, mode, overrides)
    answer_cells = [c for c in nb.cells if meta(c).get("solution")]
    for cell in answer_cells:
        source = chosen.get(meta(cell)["grade_id"])
        if source is not None:
            cell.source = source
    if prefix:
        answer_cells[0].source = prefix.strip() + "\n\n" + answer_cells[0].source
    if suffix:
        answer_cells[-1].source = answer_cells[-1].source + "\n\n" + suffix.strip() + "\n"
    return nb


def to_bytes(nb) -> bytes:
    return nbformat.writes(nb).encode()


@dataclass
class Fixture:
    """One submission to grade, and what grading it must give."""

    name: str
    kind: str  # cheat | runaway | broken
    assignment: str
    build: Callable[[], bytes]
    zero: list = field(default_factory=list)  # exercises that must earn nothing
    full: list = field(default_factory=list)  # exercises that must earn their points
    issues: tuple = ()  # issue codes the report must carry
    tampering: tuple = ()  # words a finding of the static scan must contain
    reported: tuple = ()  # words a finding made while grading must contain
    student_message: str = ""  # words a failed test's message must contain
    plain: str = ""  # what it did to plain nbgrader (see plain_nbgrader.py)
    extra: Optional[Callable] = None  # extra(folder, context): files beside the notebook
    uses_context: bool = False  # build(context): the attack needs the class's paths

    def submission(self, context: Optional[dict] = None) -> bytes:
        """The submitted notebook; `context` (see `write_class`) for the attacks that need one."""
        return self.build(context or {}) if self.uses_context else self.build()

    @property
    def doc(self) -> str:
        return (self.build.__doc__ or "").strip()


REGISTRY: dict = {}


def fixture(name: str, kind: str, assignment: str, **expected):
    """Register a builder function as a fixture."""

    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        REGISTRY[name] = Fixture(name, kind, assignment, build, **expected)
        return build

    return register


def load_all() -> dict:
    from . import attacks, broken, cheats, runaways  # noqa: F401 - registers the fixtures

    return REGISTRY


def write_class(folder: Path, names: list, context: Optional[dict] = None) -> dict:
    """Write the named fixtures as a class, one student per fixture (`<student>/<assignment>/<nb>`).

    `context` tells the attacks that need it where things are: `course` (the course root), `incoming`
    (this folder), `sentinel` (a file of the instructor's), `victim` (a process id outside the grader)
    and `port` (a listener on this machine)."""
    load_all()
    context = dict(context or {}, incoming=folder)
    written = {}
    for name in names:
        fixture_ = REGISTRY[name]
        _, released = notebook_path(fixture_.assignment)
        target = folder / name / fixture_.assignment / released.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fixture_.submission(context))
        if fixture_.extra is not None:
            fixture_.extra(target.parent, context)
        written[name] = target
    return written


# The limits every class of these fixtures is graded with: 8 s a cell, 512 MB (old_grader.py's too).
TIGHT_LIMITS = {"cell_timeout": 8.0, "notebook_timeout": 240.0, "memory_mb": 512, "threads": 1}


def tight_limits(**changes):
    """`TIGHT_LIMITS` with `changes`, as the grader's `plan.Limits` (imported here, not at the top: old_grader.py
    puts an older checkout's grading/ first, whose `Limits` may lack a field, left out then)."""
    from grading import plan

    fields = {**TIGHT_LIMITS, **changes}
    return plan.Limits(**{k: v for k, v in fields.items() if k in plan.Limits.__dataclass_fields__})


def class_settings(course: Path, jobs: int = 1, feedback: bool = False, limits=None, **extra):
    """How the tests grade a class in `course`: its own gradebook there, the tight limits, quiet."""
    from grading import classroom

    return classroom.Settings(
        course_root=course,
        db_url=f"sqlite:///{course / 'gradebook.db'}",
        limits=limits or tight_limits(),
        jobs=jobs,
        feedback=feedback,
        quiet=True,
        **extra,
    )


def listener() -> tuple:
    """A TCP listener on this machine, for the attacks that try the network: `(socket, what it heard)`."""
    import socket
    import threading

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    heard: list = []

    def listen():
        while True:
            try:
                connection, _ = sock.accept()
            except OSError:
                return
            heard.append(connection.recv(4000))
            connection.close()

    threading.Thread(target=listen, daemon=True).start()
    return sock, heard


def deepcopy_nb(nb):
    return copy.deepcopy(nb)


def dumps(data) -> bytes:
    return json.dumps(data, indent=1).encode()


def processes_named(marker: bytes) -> list:
    """The pids of this machine's processes whose command line holds `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


class ProcessCounter:
    """Counts, from outside the grader, the processes whose command line holds one of `markers`, every
    `every` seconds while grading runs: `most[marker]` is the largest number seen at once."""

    def __init__(self, markers: tuple, every: float = 0.2):
        import threading

        self.markers, self.every = markers, every
        self.most = {marker: 0 for marker in markers}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for marker in self.markers:
                self.most[marker] = max(self.most[marker], len(processes_named(marker)))
            self._stop.wait(self.every)

    def __enter__(self) -> "ProcessCounter":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def printed_lines(notebook: Path, words: tuple) -> list:
    """The lines of a graded notebook's outputs that hold one of `words` (what an answer printed)."""
    if not notebook.exists():
        return []
    nb = nbformat.read(notebook, as_version=4)
    lines = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "") or output.get("data", {}).get("text/plain", "")
            lines += [line for line in str(text).splitlines() if any(w in line for w in words)]
    return lines
