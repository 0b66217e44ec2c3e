"""The judge and the student process, on small notebooks written here: what a test sees of an answer.

Each test grades a tiny job (`grading.runner.run_job`): cells with roles, as `grading.plan.job_for`
makes them.  The tests run in the judge; the answers in a sandboxed process of their own.  So these tests
check that nothing is lost in between (warnings filters, NumPy error state, the global random state,
in-place changes, exceptions, objects and callbacks behave as in one process), that what must not
cross does not (patches, printed text, hidden inputs), and that runaways cost only their exercise.
Limits are small: a few seconds, 512 MB.
"""

import os
import textwrap
import time

import pytest

from grading import plan, runner, sandbox

LIMITS = plan.Limits(cell_timeout=4.0, notebook_timeout=90.0, memory_mb=512, threads=1)


def job(*cells, limits=LIMITS):
    """`cells`: ("locked" | "answer" | "free", source, name) or ("test", source, exercise)."""
    entries = []
    for index, (role, source, name) in enumerate(cells):
        entry = {"index": index, "role": role, "source": textwrap.dedent(source), "label": name or f"cell {index}"}
        if role == "test":
            entry.update(grade_id=f"{name}_tests_{index}", exercise=name, points=1.0)
        entries.append(entry)
    return {"cells": entries, "limits": limits.to_dict(), "course_packages": ["checks", "notebook_helpers"]}


def run(*cells, limits=LIMITS):
    result = runner.run_job(job(*cells, limits=limits))
    assert "judge_error" not in result, result.get("judge_error")
    return result


def verdicts(result):
    """Each test cell's verdict, in notebook order."""
    return [t["passed"] for t in result["tests"].values()]


def only_test(result):
    (test,) = result["tests"].values()
    return test


def shown(result, index):
    """Everything a student would read in a cell's outputs."""
    return "\n".join(
        str(o.get("text", "")) + str(o.get("evalue", "")) + "".join(o.get("traceback", []))
        for o in result["cells"][str(index)]["outputs"]
    )


IMPORTS = ("locked", "import numpy as np", None)


def exercise(name, answer, test):
    """One exercise as `run` takes it: its answer cell, then its test cell."""
    return ("answer", answer, name), ("test", test, name)


SQUARE_TEST = """
    import numpy as np
    assert square(3) == 9
    ### BEGIN HIDDEN TESTS
    from checks.hidden import expect
    secret_input = np.array([1.5, -2.0, 0.25])
    expect("three floats, one negative", square, args=(secret_input,), expected=np.array([2.25, 4.0, 0.0625]))
    ### END HIDDEN TESTS
"""


def test_a_right_answer_passes_and_a_wrong_one_fails_in_plain_words():
    right = run(IMPORTS, ("answer", "def square(x):\n    return x * x", "square"), ("test", SQUARE_TEST, "square"))
    assert only_test(right)["passed"]
    wrong = run(
        IMPORTS,
        ("answer", "def square(x):\n    return x * 2 if isinstance(x, np.ndarray) else x * x", "square"),
        ("test", SQUARE_TEST, "square"),
    )
    failure = only_test(wrong)
    assert not failure["passed"] and failure["kind"] == "hidden"
    assert "three floats, one negative" in failure["message"]
    text = shown(wrong, 2)
    for secret in ("2.25", "0.0625", "secret_input", "expect(", "BEGIN HIDDEN"):
        assert secret not in text, secret


def test_a_visible_check_shows_its_line():
    result = run(IMPORTS, ("answer", "def square(x):\n    return x + x", "square"), ("test", SQUARE_TEST, "square"))
    failure = only_test(result)
    assert failure["kind"] == "visible" and "assert square(3) == 9" in failure["message"]


def test_the_tests_warnings_filters_and_error_state_apply_to_the_answer():
    answer = ("answer", "def grow(x):\n    return np.exp(x)", "grow")
    strict = """
        import warnings
        import numpy as np
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            grow(np.array([1000.0]))
    """
    raising = """
        import numpy as np
        with np.errstate(over="raise"):
            try:
                grow(np.array([1000.0]))
                raised = False
            except FloatingPointError:
                raised = True
        assert raised
    """
    recorded = """
        import warnings
        import numpy as np
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            grow(np.array([1000.0]))
        assert any("overflow" in str(w.message) for w in caught)
    """
    result = run(IMPORTS, answer, ("test", strict, "grow"), ("test", raising, "grow"), ("test", recorded, "grow"))
    assert verdicts(result) == [False, True, True]


def test_the_global_random_generators_are_the_tests():
    answer = ("answer", "import random\ndef draw():\n    return np.random.rand() + random.random()", "draw")
    test = """
        import random
        import numpy as np
        np.random.seed(0); random.seed(0)
        first = draw()
        np.random.seed(0); random.seed(0)
        assert draw() == first
        np.random.seed(1)
        state = np.random.get_state()[1].copy()
        draw()
        assert not np.array_equal(np.random.get_state()[1], state), "the student's draw advanced the test's generator"
    """
    assert only_test(run(IMPORTS, answer, ("test", test, "draw")))["passed"]


def test_changes_made_in_place_reach_the_test():
    answer = (
        "answer",
        """
        def scale(x, rng):
            rng.random()
            x *= 2
            return x
    """,
        "scale",
    )
    test = """
        import numpy as np
        from checks.hidden import expect
        x = np.ones(3)
        rng = np.random.default_rng(0)
        start = rng.bit_generator.state
        scale(x, rng)
        assert x.tolist() == [2.0, 2.0, 2.0] and rng.bit_generator.state != start
        expect("scaling leaves its input alone", scale, args=(np.ones(2), np.random.default_rng(1)),
               expected=np.array([2.0, 2.0]))
    """
    failure = only_test(run(IMPORTS, answer, ("test", test, "scale")))
    assert not failure["passed"] and "changed its input in place" in failure["message"]


def test_exceptions_keep_their_kind():
    answer = (
        "answer",
        """
        class ShapeError(ValueError):
            pass
        def flatten(x):
            if np.ndim(x) != 3:
                raise ShapeError("expected 3 dimensions")
            return np.reshape(x, (len(x), -1))
        def later(x):
            raise NotImplementedError()
    """,
        "flatten",
    )
    test = """
        import numpy as np
        from checks.hidden import expect
        expect("a matrix is refused", flatten, args=(np.zeros((2, 2)),), raises=ValueError)
        later(1)
    """
    failure = only_test(run(IMPORTS, answer, ("test", test, "flatten")))
    assert "is not written yet" in failure["message"]


def test_objects_and_classes_of_the_student_work_through_proxies():
    answer = (
        "answer",
        """
        class Dense:
            def __init__(self, units, activation=None):
                self.units, self.activation, self.W = units, activation, None
            def build(self, inputs):
                self.W = np.zeros((inputs, self.units), dtype=np.float32)
                return self
        class Sequential:
            def __init__(self):
                self.layers = []
            def add(self, layer):
                self.layers.append(layer)
            def __len__(self):
                return len(self.layers)
    """,
        "Sequential",
    )
    test = """
        import numpy as np
        model = Sequential()
        model.add(Dense(3, activation="relu"))
        assert len(model) == 1 and len(model.layers) == 1
        layer = model.layers[0]
        assert isinstance(layer, Dense) and not isinstance(model, Dense)
        assert layer.units == 3 and layer.activation == "relu"
        assert layer.build(4).W.shape == (4, 3) and layer.W.dtype == np.float32
        assert model.layers[0] is layer and layer == model.layers[0] and layer != model
    """
    assert only_test(run(IMPORTS, answer, ("test", test, "Sequential")))["passed"]


def test_a_function_of_the_test_can_be_called_back():
    answer = ("answer", "def twice(f, x):\n    return f(f(x))", "twice")
    test = "assert twice(lambda v: v * 3, 2) == 18\nassert twice(abs, -4) == 4"
    assert only_test(run(IMPORTS, answer, ("test", test, "twice")))["passed"]


def test_each_test_cell_starts_from_the_state_the_answers_left():
    answer = ("answer", "calls = []\ndef count():\n    calls.append(1)\n    return len(calls)", "count")
    test = "assert count() == 1\nassert count() == 2"
    result = run(IMPORTS, answer, ("test", test, "count"), ("test", test, "count"))
    assert all(verdicts(result))


def test_what_the_answer_prints_during_hidden_tests_is_not_shown():
    answer = ("answer", "def echo(x):\n    print('I was given', x)\n    return x", "echo")
    test = "echo(1)\n### BEGIN HIDDEN TESTS\nassert echo(424242) == 0\n### END HIDDEN TESTS\n"
    result = run(IMPORTS, answer, ("test", test, "echo"))
    text = shown(result, 2)
    assert "I was given 1" in text and "424242" not in text
    assert only_test(result)["message"] == "hidden check 1 for echo failed (AssertionError)."


def test_patches_made_by_an_answer_do_not_reach_the_tests():
    answer = (
        "answer",
        """
        import builtins, math, sys, types
        import checks.hidden
        np.allclose = lambda *a, **k: True
        math.isclose = lambda *a, **k: True
        checks.hidden.expect = lambda *a, **k: None
        sys.modules["checks.hidden"] = types.SimpleNamespace(expect=lambda *a, **k: None)
        builtins.AssertionError = KeyboardInterrupt
        get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])
        def half(x):
            return x / 3
    """,
        "half",
    )
    test = """
        import math
        import numpy as np
        from checks.hidden import expect
        assert np.allclose(half(np.ones(2)), [0.5, 0.5]) or math.isclose(half(1.0), 0.5)
    """
    test_hidden = "from checks.hidden import expect\nexpect('one half', half, args=(1.0,), expected=0.5)"
    result = run(IMPORTS, answer, ("test", test, "half"), ("test", test_hidden, "half"))
    assert not any(verdicts(result))
    seen = " | ".join(f["what"] for f in result["tampering"])
    for patched in (
        "numpy.allclose",
        "math.isclose",
        "checks.hidden.expect",
        "builtins.AssertionError",
        "input_transformers_cleanup",
    ):
        assert patched in seen, seen


def test_runaway_answers_cost_only_their_own_exercise():
    stubborn = (
        "import time\ndef stubborn(x):\n    while True:\n        try:\n            time.sleep(0.05)\n"
        "        except KeyboardInterrupt:\n            pass"
    )
    result = run(
        IMPORTS,
        *exercise("loops", "def loops(x):\n    while True:\n        pass", "loops(1)"),
        *exercise("fine", "def fine(x):\n    return x", "assert fine(2) == 2"),
        *exercise("stubborn", stubborn, "stubborn(1)"),
        *exercise("leaves", "import os\ndef leaves(x):\n    os._exit(3)", "leaves(1)"),
        *exercise("quits", "import sys\ndef quits(x):\n    sys.exit('bye')", "quits(1)"),
        *exercise("greedy", "def greedy(x):\n    return np.ones(2 ** 30)", "greedy(1)"),
        *exercise("still_fine", "def still_fine(x):\n    return x", "assert still_fine(3) == 3"),
    )
    tests = {t["exercise"]: t for t in result["tests"].values()}
    assert {name for name, t in tests.items() if t["passed"]} == {"fine", "still_fine"}
    assert tests["loops"]["kind"] == "timeout" and "time limit" in tests["loops"]["message"]
    assert tests["stubborn"]["kind"] == "timeout"
    assert tests["leaves"]["kind"] == "crashed" and "status 3" in tests["leaves"]["message"]
    assert "SystemExit" in tests["quits"]["message"]
    assert "MemoryError" in tests["greedy"]["message"]


def test_a_runaway_answer_cell_is_dropped_and_grading_goes_on():
    result = run(
        IMPORTS,
        *exercise("first", "def first(x):\n    return x\nwhile True:\n    pass", "first(1)"),
        *exercise("second", "import os\ndef second(x):\n    return x\nos._exit(0)", "second(1)"),
        *exercise("third", "def third(x):\n    return x", "assert third(1) == 1"),
    )
    statuses = [result["cells"][str(i)]["status"] for i in (1, 3, 5)]
    assert statuses == ["timeout", "crashed", "ok"]
    tests = {t["exercise"]: t for t in result["tests"].values()}
    assert not tests["first"]["passed"] and "is not defined" in tests["first"]["message"]
    assert tests["third"]["passed"]
    assert "np" not in shown(result, 5)


def test_the_student_process_sees_only_its_sandbox(tmp_path):
    """Files outside (a gradebook beside the course, the course root, solutions/, answer_key/, home) are
    not there; its own folder is writable; /proc shows only its own processes; there is no network."""
    secret = tmp_path / "gradebook.db"
    secret.write_text("grades")
    root = os.path.dirname(os.path.dirname(os.path.abspath(runner.__file__)))
    answer = (
        "answer",
        f"""
        import os, socket
        for attempt in ("read", "write", "list", "solutions", "answer_key", "home", "network"):
            try:
                if attempt == "read":
                    open({str(secret)!r}).read()
                elif attempt == "write":
                    open({str(tmp_path / "planted.py")!r}, "w").write("x")
                elif attempt == "list":
                    os.listdir({str(tmp_path)!r})
                elif attempt == "solutions":
                    os.listdir({os.path.join(root, "solutions")!r})
                elif attempt == "answer_key":
                    import answer_key
                elif attempt == "home":
                    os.listdir({os.path.expanduser("~")!r} + "/.ssh")
                else:
                    socket.create_connection(("127.0.0.1", 9), timeout=2)
                print(attempt, "allowed")
            except (OSError, ImportError) as error:
                print(attempt, "refused", type(error).__name__)
        open("mine.txt", "w").write("my own folder is writable")
        print(open("mine.txt").read())
        print("processes:", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
        print("judge visible:", os.path.exists("/proc/{os.getpid()}") and {os.getpid()} > 100)
        def ok():
            return 1
    """,
        "ok",
    )
    result = run(IMPORTS, answer, ("test", "assert ok() == 1", "ok"))
    text = shown(result, 1)
    for attempt in ("read", "write", "list", "solutions", "answer_key", "home", "network"):
        assert f"{attempt} refused" in text, text
    assert "my own folder is writable" in text and "judge visible: False" in text
    processes = eval(text.split("processes:")[1].splitlines()[0])
    assert max(processes) < 100, processes  # its own PID namespace: a handful of small numbers
    assert not (tmp_path / "planted.py").exists()
    assert only_test(result)["passed"]
    reported = " | ".join(f["what"] for f in result["tampering"])
    for words in ("tried to reach the network", "imported answer_key", "tried to list a folder outside its folder"):
        assert words in reported, reported


def test_the_student_process_cannot_signal_the_judge():
    """The judge's process is not in the sandbox's PID namespace: there is nothing to signal."""
    judge = os.getpid()  # this test's process, an ancestor of the judge; its number means nothing inside
    answer = (
        "answer",
        f"""
        import os, signal
        try:
            os.kill({judge}, 0)
            print("reached the grader")
        except ProcessLookupError:
            print("refused: no such process")
        def alive():
            return True
    """,
        "alive",
    )
    result = run(IMPORTS, answer, ("test", "assert alive()", "alive"))
    assert "refused: no such process" in shown(result, 1) and only_test(result)["passed"]


def test_the_sandbox_is_reported_with_the_result():
    result = run(IMPORTS)
    assert "bubblewrap" in result["sandbox"]["sandbox"] and "network" in result["sandbox"]["sandbox"]
    assert "note" not in result["sandbox"]


def test_without_the_sandbox_grading_refuses_unless_asked_and_then_says_so(monkeypatch):
    monkeypatch.setattr(sandbox, "availability", lambda: (False, "bubblewrap (`bwrap`) is not installed"))
    with pytest.raises(sandbox.SandboxUnavailable) as refusal:
        runner.run_job(job(IMPORTS))
    assert "bwrap" in str(refusal.value) and "apt-get install bubblewrap" in str(refusal.value)
    assert "--no-sandbox" in str(refusal.value)
    result = run(
        IMPORTS,
        ("answer", "def ok():\n    return 1", "ok"),
        ("test", "assert ok() == 1", "ok"),
        limits=plan.Limits(cell_timeout=4.0, notebook_timeout=90.0, memory_mb=512, threads=1, sandbox="off"),
    )
    assert only_test(result)["passed"]
    assert result["sandbox"]["note"] == sandbox.UNSANDBOXED_NOTE


REFERENCE_LAYER_TEST = """
import numpy as np


class Recorder:
    '''A test's layer (as notebook 05 passes to the student's Sequential): it records what it sees.'''

    def __init__(self, units):
        self.units = units
        self.kernel = None
        self.steps = []

    @property
    def weights(self):
        return [self.kernel]

    def build(self, inputs, rng):
        self.kernel = rng.uniform(-1, 1, size=(inputs, self.units))

    def forward(self, x):
        self.steps.append(np.array(x, copy=True))
        return x @ self.kernel


layers = [Recorder(3), Recorder(2)]
model = Model(layers, seed=0)
model.compile(4)
assert list(model.layers) == layers and model.layers[0] is layers[0]
assert [layer.kernel.shape for layer in layers] == [(4, 3), (3, 2)]
first = layers[0].kernel.copy()
out = model.train(np.ones((5, 4)))
assert out.shape == (5, 2)
assert np.allclose(layers[0].kernel, first - 0.5), "the in-place update reached the test's layer"
assert len(layers[0].steps) == 1 and len(layers[1].steps) == 1
again = [Recorder(3), Recorder(2)]
Model(again, seed=0).compile(4)
assert np.array_equal(again[0].kernel, first), "build drew from the model's generator, which advanced"
"""

MODEL = """
class Model:
    def __init__(self, layers, seed=0):
        self.layers = list(layers)
        self.rng = np.random.default_rng(seed)

    def compile(self, inputs):
        for layer in self.layers:
            layer.build(inputs, self.rng)
            inputs = layer.units
        self.after_build = self.rng.random()

    def train(self, x):
        out = x
        for layer in self.layers:
            out = layer.forward(out)
        for weight in self.layers[0].weights:
            weight -= 0.5                       # in place, as an optimizer does
        return out
"""


def test_the_tests_objects_can_be_used_by_the_answer_and_keep_their_records():
    """Notebook 05 hands its own layers to the student's Sequential: they stay in the judge, the student's
    code calls them there, and its in-place weight updates reach them."""
    result = run(IMPORTS, ("answer", MODEL, "Model"), ("test", REFERENCE_LAYER_TEST, "Model"))
    test = only_test(result)
    assert test["passed"], test["message"]


def test_the_answer_cannot_rewrite_a_tests_records():
    answer = (
        "answer",
        MODEL
        + """
def forge(layer):
    outcomes = []
    try:
        layer.steps = ["forged"]
        outcomes.append("set")
    except AttributeError:
        outcomes.append("refused")
    steps = layer.steps
    steps.append("forged")
    if steps and hasattr(steps[0], "fill"):
        steps[0].fill(99)
    try:
        layer.forward = lambda x: x
        outcomes.append("replaced")
    except AttributeError:
        outcomes.append("refused")
    try:
        layer._Recorder__private
        outcomes.append("reached a private attribute")
    except AttributeError:
        outcomes.append("refused")
    return outcomes
""",
        "forge",
    )
    test = """
import numpy as np


class Recorder:
    def __init__(self):
        self.steps = [np.zeros(2)]

    def forward(self, x):
        return x


layer = Recorder()
assert forge(layer) == ["refused", "refused", "refused"]
assert len(layer.steps) == 1 and not layer.steps[0].any(), "the records are the test's"
assert layer.forward(3) == 3
"""
    result = run(IMPORTS, answer, ("test", test, "forge"))
    assert only_test(result)["passed"], only_test(result)["message"]


def test_the_answers_arrays_read_twice_are_one_array_and_the_test_can_change_them():
    """Notebook 05 checks that `layer.weights` holds the layer's arrays themselves, and a test may set
    weights in place before calling forward: as in one process."""
    answer = (
        "answer",
        """
        class Layer:
            def __init__(self):
                self.kernel = np.ones((2, 2))
                self.bias = np.zeros(2)
            @property
            def weights(self):
                return [self.kernel, self.bias]
            def forward(self, x):
                return x @ self.kernel + self.bias
    """,
        "Layer",
    )
    test = """
        import numpy as np
        layer = Layer()
        assert layer.weights[0] is layer.kernel and layer.weights[1] is layer.bias
        kernel = layer.kernel
        kernel[...] = 0.0
        layer.bias += 1.0
        assert layer.forward(np.ones((1, 2))).tolist() == [[1.0, 1.0]]
        assert layer.kernel is kernel and not kernel.any()
    """
    result = run(IMPORTS, answer, ("test", test, "Layer"))
    assert only_test(result)["passed"], only_test(result)["message"]


def test_a_student_exception_in_a_hidden_test_carries_no_message_out():
    """An answer that raises with its input as the message: in a hidden block the student sees the
    exception's kind only; the instructor's record keeps the message."""
    answer = ("answer", "def square(x):\n    raise ValueError('LEAKED ' + repr(list(x)))", "square")
    test = """
        ### BEGIN HIDDEN TESTS
        import numpy as np
        square(np.array([0.123456, 7.654321]))
        ### END HIDDEN TESTS
    """
    failure = only_test(run(IMPORTS, answer, ("test", test, "square")))
    assert not failure["passed"] and "LEAKED" not in failure["message"] and "ValueError" in failure["message"]
    assert "0.123456" in failure["detail"]


def test_the_sandbox_check_command_finds_every_attempt_refused(capsys):
    """`python3 course.py sandbox-check`, the instructor's one command: every attempt is refused here."""
    from grading import sandbox_check

    assert sandbox_check.main([]) == 0
    printed = capsys.readouterr().out
    assert "ALLOWED" not in printed and "every attempt was refused" in printed


# --- limits that fit the exercise ------------------------------------------------------------------

LOOPING = ("answer", "def relu(x):\n    while True:\n        pass", "relu")


def test_a_function_that_ran_out_of_time_fails_at_once_in_later_calls():
    """The looping `relu` runs out of time once, in the first read-only cell that calls it; the next cell
    and its test fail at once with the same message, naming that cell, and `fine` is graded as usual.
    Before, every call cost the full cell limit again (the next cell and the test each took 4 s here):
    the `seconds` checks fail on that behaviour."""
    result = run(
        IMPORTS,
        LOOPING,
        ("locked", "print(relu(1))", None),
        ("locked", "print(relu(2))", None),
        ("test", "relu(3)", "relu"),
        ("answer", "def fine(x):\n    return x", "fine"),
        ("test", "assert fine(2) == 2", "fine"),
    )
    assert [result["cells"][str(i)]["status"] for i in (2, 3)] == ["timeout", "error"]
    assert "relu was running" in shown(result, 2)
    assert result["cells"]["3"]["seconds"] < LIMITS.cell_timeout / 2
    tests = {t["exercise"]: t for t in result["tests"].values()}
    assert tests["relu"]["kind"] == "timeout" and tests["relu"]["seconds"] < LIMITS.cell_timeout / 2
    repeated = "relu did not finish within the time limit (4 s)"
    assert repeated in tests["relu"]["message"] and "cell [3]" in tests["relu"]["message"]
    assert repeated in shown(result, 3) and "cell [3]" in shown(result, 3)
    assert tests["fine"]["passed"]
    assert len(result["review"]) == 1 and "cell [3]" in result["review"][0] and "relu" in result["review"][0]


def test_a_test_that_runs_out_of_time_teaches_the_later_tests():
    """A function that runs out of time inside a test fails at once in the next test that calls it."""
    result = run(IMPORTS, LOOPING, ("test", "relu(1)", "relu"), ("test", "relu(2)", "relu"))
    first, second = result["tests"].values()
    assert first["kind"] == second["kind"] == "timeout"
    assert first["seconds"] >= LIMITS.cell_timeout and second["seconds"] < LIMITS.cell_timeout / 2
    assert "cell [3]" in second["message"] and len(result["review"]) == 1


def test_each_cell_has_its_own_limit_and_the_cells_time_does_not_cut_the_tests():
    """When the cells' time is used up (here during a loop whose own limit is longer), that cell names
    the time it had, the cells left are not run and the review says which, but every test still runs
    on its own limit.  Before, the notebook's time covered the tests too, and `fine`'s test failed as
    'not run' (the `passed` check fails on that)."""
    cells = job(
        IMPORTS,
        ("answer", "def fine(x):\n    return x", "fine"),
        ("locked", "while True:\n    pass", None),
        ("locked", "x = 1", None),
        ("test", "assert fine(2) == 2", "fine"),
    )
    cells["cells"][2]["timeout"] = 60.0
    cells["limits"].update(cells_timeout=20.0)  # counted from the start: used up while the loop runs
    result = runner.run_job(cells)
    assert result["cells"]["2"]["status"] == "timeout" and "(60 s)" not in shown(result, 2)
    assert result["cells"]["3"]["status"] == "skipped" and "was not run" in shown(result, 3)
    assert only_test(result)["passed"]
    assert any("cell [4]" in reason and "not run" in reason for reason in result["review"])


def test_a_cell_whose_time_runs_out_while_the_process_restarts_is_not_run(monkeypatch, tmp_path):
    """The cells' time can end after a cell's check of it, while the student process is (re)started: the
    cell is then not run and says so.  Before, it was started with no time left, its fork failed, and it
    showed as 'crashed' (test_each_cell_has_its_own_limit... failed so, now and then, in CI).  The judge
    runs in this process here, so that its start of a session can be slowed down."""
    from grading import judge

    start_session = judge.Judge.ensure_session

    def slow_start(self):
        started = start_session(self)
        if "1" in self.result["cells"]:  # the second cell: its check of the time has just passed
            time.sleep(max(0.0, self.deadline - time.monotonic()) + 0.1)
        return started

    monkeypatch.setattr(judge.Judge, "ensure_session", slow_start)
    cells = job(IMPORTS, ("locked", "x = 1", None), ("locked", "y = 2", None))
    cells["limits"].update(cells_timeout=5.0)
    (tmp_path / "files").mkdir()
    result = judge.Judge(dict(cells, files=str(tmp_path / "files"), refused=[])).run()
    assert result["cells"]["1"]["status"] == "ok"
    assert result["cells"]["2"]["status"] == "skipped" and "was not run" in shown(result, 2)


def test_a_looping_relu_in_the_real_notebook_costs_one_short_limit_and_the_rest_scores():
    """The issue's case, on notebook 02 as graded: `relu` loops, the other answers are right.  With the
    old fixed limits, the loop cost 600 s in its test and again in each read-only cell that calls it,
    and the notebook limit then kept `softmax` from being tested (3/7).  Now `relu` runs out of its
    demo cell's limit (from the reference's measured cost) once and fails at once afterwards: 6/7, the
    timed-out cell is named, no cell is left unrun, and the notebook is flagged for review."""
    import nbformat

    import grading_fixtures as fixtures

    fixtures.load_all()
    source, _ = fixtures.notebook_path("02_activations")
    cells, kernelspec, _ = plan.load_source(source)
    submission = nbformat.reads(fixtures.REGISTRY["infinite_loop"].build().decode(), as_version=4)
    rebuilt, _ = plan.rebuild(cells, kernelspec, submission, source.name)
    graded = plan.job_for(rebuilt, plan.Limits(memory_mb=1024, threads=1))
    assert max(c["timeout"] for c in graded["cells"]) < plan.Limits().cell_timeout / 5  # seconds, not 600 s
    result = runner.run_job(graded, file_folders=[source.parent])
    tests = {t["exercise"]: t for t in result["tests"].values()}
    assert sum(t["points"] for t in tests.values() if t["passed"]) == 6 and not tests["relu"]["passed"]
    assert tests["softmax"]["passed"] and tests["relu"]["kind"] == "timeout"
    timed_out = [c for c in graded["cells"] if result["cells"][str(c["index"])]["status"] == "timeout"]
    assert len(timed_out) == 1  # the loop ran out of time once
    assert not [c for c in result["cells"].values() if c["status"] == "skipped"]
    (reason,) = result["review"]
    assert "relu" in reason and timed_out[0]["label"] in reason
    assert "did not run it again" in tests["relu"]["message"]
