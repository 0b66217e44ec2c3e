"""Cheats: every answer is wrong, and the answer cells try to make the tests pass anyway.

Each plants its cheat at the top of the first answer cell (so that it is in force for every test)
unless it says otherwise.  The cheats are what a student finds by reading how nbgrader works: the
tests run in the same kernel as the answers, after them.
"""

import functools
from typing import Callable

from . import filled, fixture, to_bytes

EXERCISES_02 = ["relu", "sigmoid", "sigmoid_derivative", "softmax"]
EXERCISES_03 = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "to_categorical",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "mean_squared_error",
    "mean_absolute_error",
]
EXERCISES = {"02_activations": EXERCISES_02, "03_losses": EXERCISES_03}


def cheat(name: str, tampering: tuple, assignment: str = "02_activations"):
    """Register the decorated function as the cheat `name` on `assignment`: every answer wrong, and the code the
    function returns at the top of the first answer cell.  Every exercise must earn nothing, and the static
    scan must name each of `tampering`."""

    def register(cheat_code: Callable[[], str]) -> Callable[[], bytes]:
        @functools.wraps(cheat_code)
        def build() -> bytes:
            return to_bytes(filled(assignment, "wrong", prefix=cheat_code()))

        return fixture(name, "cheat", assignment, zero=EXERCISES[assignment], tampering=tampering)(build)

    return register


HELPER_REDEFINED = """
import checks.exercise
import checks.hidden

# The one helper every visible check and every hidden `expect` calls: now it finds nothing wrong.
checks.hidden.run_case = checks.exercise.run_case = lambda function, case: None
"""

NUMPY_PATCHED = """
import numpy as np

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = np.testing.assert_array_equal = np.testing.assert_equal = lambda *args, **kwargs: None
"""

MATH_ISCLOSE = """
import math

math.isclose = lambda *args, **kwargs: True
"""

BUILTINS_IMPORT = """
import builtins
import types

_real_import = builtins.__import__
_fake_hidden = types.SimpleNamespace(expect=lambda *args, **kwargs: None, expect_true=lambda *args, **kwargs: None)


class _EveryCheckPasses:
    def __getattr__(self, name):
        return types.SimpleNamespace(check=lambda function: print("\\u2714 all visible checks pass."))


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    if name == "checks.hidden":
        return _fake_hidden
    if name == "checks" and fromlist and "hidden" not in fromlist:
        return types.SimpleNamespace(**{module: _EveryCheckPasses() for module in fromlist})
    return _real_import(name, globals, locals, fromlist, level)


builtins.__import__ = _import
"""

INPUT_TRANSFORMER = """
get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])
"""

FAKE_PASS_OUTPUT = """
get_ipython().input_transformers_cleanup.append(
    lambda lines: ['print("\\u2714 all visible checks pass.\\\\nAll hidden tests passed.")\\n'])
"""

CHECKS_PATCHED = """
import checks.exercise
import checks.hidden

checks.hidden.expect = lambda *args, **kwargs: None
checks.hidden.expect_true = lambda *args, **kwargs: None
checks.exercise.Exercise.check = lambda self, function: print(f"\\u2714 {self.name}: all visible checks pass.")
"""

ASSERTIONS_SWALLOWED = '''
import ast


class _Forgive(ast.NodeTransformer):
    """Every statement of every later cell wrapped in try/except: no failed check ever surfaces."""

    def visit_Module(self, module):
        handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None, body=[ast.Pass()])
        module.body = [ast.Try(body=[statement], handlers=[handler], orelse=[], finalbody=[])
                       for statement in module.body]
        return ast.fix_missing_locations(module)


get_ipython().ast_transformers.append(_Forgive())
'''

SYS_MODULES = """
import sys
import types

_hidden = types.ModuleType("checks.hidden")
_hidden.expect = lambda *args, **kwargs: None
_hidden.expect_true = lambda *args, **kwargs: None


class _AlwaysPasses:
    def check(self, function):
        print("\\u2714 all visible checks pass.")


_visible = types.ModuleType("checks.activations")
for _name in ("relu", "sigmoid", "sigmoid_derivative", "softmax"):
    setattr(_visible, _name, _AlwaysPasses())
sys.modules["checks.hidden"] = _hidden
sys.modules["checks.activations"] = _visible
import checks
checks.hidden, checks.activations = _hidden, _visible
"""

SHELL_PATCHED = """
get_ipython().transform_cell = lambda raw_cell: "pass\\n"
"""

ATEXIT_KILL = """
import atexit
import os
import signal

atexit.register(os.kill, os.getppid(), signal.SIGKILL)   # when the kernel shuts down, take the grader with it
"""

KILL_GRADER = """
import os
import signal

os.kill(os.getppid(), signal.SIGKILL)
"""

GRADEBOOK_TAMPER = """
import os
import sqlite3


def _gradebook():
    here = os.path.abspath(".")
    for _ in range(8):
        if os.path.exists(os.path.join(here, "gradebook.db")):
            return os.path.join(here, "gradebook.db")
        here = os.path.dirname(here)


_me = os.path.basename(os.path.dirname(os.path.abspath(".")))
try:
    with sqlite3.connect(_gradebook()) as _db:
        _db.execute(
            "UPDATE grade SET manual_score = (SELECT max_score FROM grade_cells WHERE grade_cells.id = grade.cell_id) "
            "WHERE notebook_id IN (SELECT sn.id FROM submitted_notebook sn JOIN submitted_assignment sa "
            "ON sn.assignment_id = sa.id WHERE sa.student_id = ?)", (_me,))
except Exception as _error:
    print("could not reach the gradebook:", type(_error).__name__)
"""

STEAL_SOLUTIONS = """
import json
import os


def _stolen_solutions():
    places, here = [], os.path.abspath(".")
    for _ in range(8):
        places.append(os.path.join(here, "solutions", "02_activations", "activations.ipynb"))
        here = os.path.dirname(here)
    places.append("/work/main/solutions/02_activations/activations.ipynb")
    for place in places:
        try:
            with open(place) as handle:
                notebook = json.load(handle)
        except (OSError, ValueError):
            continue
        return ["".join(cell["source"]) for cell in notebook["cells"]
                if cell.get("metadata", {}).get("nbgrader", {}).get("solution")]
    return []


for _source in _stolen_solutions():
    exec(_source, globals())
"""


@cheat("helper_redefined", tampering=("run_case",))
def helper_redefined():
    """Every answer wrong; the first answer cell redefines `run_case`, the helper every check calls."""
    return HELPER_REDEFINED


@cheat("numpy_patched", tampering=("numpy.allclose",))
def numpy_patched():
    """Every answer wrong; `np.allclose`, `np.isclose`, `np.array_equal` and `np.testing` always agree."""
    return NUMPY_PATCHED


@cheat("math_isclose", tampering=("math.isclose",), assignment="03_losses")
def math_isclose():
    """Every answer wrong (losses off by 10%); `math.isclose` always says yes."""
    return MATH_ISCLOSE


@cheat("builtins_import", tampering=("builtins.__import__",))
def builtins_import():
    """Every answer wrong; `builtins.__import__` hands the tests a `checks` whose checks never fail."""
    return BUILTINS_IMPORT


@cheat("input_transformer", tampering=("input_transformers_cleanup",))
def input_transformer():
    """Every answer wrong; an IPython input transformer turns every later cell into `pass`."""
    return INPUT_TRANSFORMER


@cheat("fake_pass_output", tampering=("imitates a passing test", "input_transformers_cleanup"))
def fake_pass_output():
    """Every answer wrong; every later cell is replaced by one printing "all visible checks pass"."""
    return FAKE_PASS_OUTPUT


@cheat("checks_patched", tampering=("checks.hidden.expect", "checks.exercise.Exercise.check"))
def checks_patched():
    """Every answer wrong; `checks.hidden.expect`, `expect_true` and `Exercise.check` are replaced."""
    return CHECKS_PATCHED


@cheat("assertions_swallowed", tampering=("ast_transformers",))
def assertions_swallowed():
    """Every answer wrong; an IPython AST transformer wraps every later statement in try/except."""
    return ASSERTIONS_SWALLOWED


@cheat("sys_modules", tampering=("sys.modules",))
def sys_modules():
    """Every answer wrong; `sys.modules['checks.hidden']` and `['checks.activations']` are fakes."""
    return SYS_MODULES


@cheat("shell_patched", tampering=("transform_cell",))
def shell_patched():
    """Every answer wrong; the IPython shell's `transform_cell` turns every later cell into `pass`."""
    return SHELL_PATCHED


@cheat("atexit_kill", tampering=("atexit",))
def atexit_kill():
    """Every answer wrong; an atexit handler kills the kernel's parent (the grader) at shutdown."""
    return ATEXIT_KILL


@fixture(
    "kill_grader",
    "cheat",
    "02_activations",
    zero=["relu"],
    full=["sigmoid", "sigmoid_derivative", "softmax"],
    tampering=("sends a signal",),
)
def kill_grader():
    """`relu` wrong, the other answers right; the first answer cell kills its parent process (the grader)."""
    return to_bytes(filled("02_activations", "right", overrides={"relu": filled_wrong("relu")}, prefix=KILL_GRADER))


@cheat("gradebook_tamper", tampering=("grading files",))
def gradebook_tamper():
    """Every answer wrong; the first answer cell writes full marks for its student into gradebook.db."""
    return GRADEBOOK_TAMPER


@fixture("steal_solutions", "cheat", "02_activations", zero=EXERCISES_02, tampering=("runs code built at run time",))
def steal_solutions():
    """No answer written: each answer cell reads the instructor's solutions notebook and runs it."""
    return to_bytes(filled("02_activations", "stub", overrides={name: STEAL_SOLUTIONS for name in EXERCISES_02}))


def filled_wrong(name: str) -> str:
    from . import references, wrong_answer

    return wrong_answer(name, references("02_activations")[name])


@fixture("right_answers", "control", "02_activations", full=EXERCISES_02)
def right_answers():
    """Control: every answer right, nothing else."""
    return to_bytes(filled("02_activations", "right"))


@fixture("wrong_answers", "control", "02_activations", zero=EXERCISES_02)
def wrong_answers():
    """Control: every answer wrong (the same wrong answers the cheats hide), no cheat."""
    return to_bytes(filled("02_activations", "wrong"))
