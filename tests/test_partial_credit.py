"""Hidden tests that report every failure and split a cell's points (`checks.hidden.HiddenTests`).

One test cell, written as the series' cells are: three parts (behaviours) worth 1, 0.5 and 0.5 of its 2
points, each holding named checks.  It is graded for a right answer, an answer with two behaviours wrong,
an answer whose direct call raises in one part, and an answer with everything wrong:

- in this process: the record lists each failed check, the score is the points of the parts that passed;
- under plain nbgrader: the cell runs in a Jupyter kernel, as nbgrader's `Execute` runs it, and nbgrader's
  own `determine_grade` reads the cell's value (an `execute_result` holding a number) as the points;
- under this repository's judge (`grading.runner`), then `fill_outputs`: the instructor's record lists
  both failures, and `determine_grade` on the filled notebook gives the same points.
"""

import textwrap

import nbformat
import pytest
from nbgrader.utils import determine_grade

from checks.hidden import (
    FAILURES_SHOWN_VARIABLE,
    PARTIAL_CREDIT_VARIABLE,
    HiddenTestError,
    HiddenTestFailure,
    HiddenTests,
    expect,
    expect_true,
)
from nbcells import ROOT

TEST_CELL = textwrap.dedent("""\
    import numpy as np
    assert clip01(np.array([0.5])) is not None
    ### BEGIN HIDDEN TESTS
    import numpy as np
    from checks.hidden import HiddenTests, expect, expect_true
    tests = HiddenTests(points=2)
    with tests.part("values inside [0, 1] stay as they are", points=1):
        expect("two values inside", clip01, args=(np.array([0.25, 0.75]),), expected=np.array([0.25, 0.75]))
    with tests.part("values below 0 become 0", points=0.5):
        expect("a negative value", clip01, args=(np.array([-3.0]),), expected=np.array([0.0]))
    with tests.part("values above 1 become 1", points=0.5):
        top = clip01(np.array([7.0]))      # a direct call: if it raises, this part alone fails
        expect_true("a value above 1", np.allclose(top, 1.0))
    tests.report()
    ### END HIDDEN TESTS
""")
ANSWERS = {
    "right": "import numpy as np\ndef clip01(x):\n    return np.clip(x, 0.0, 1.0)\n",
    "two_wrong": "import numpy as np\ndef clip01(x):\n    return np.asarray(x, dtype=float)\n",
    "raises_above": (
        "import numpy as np\ndef clip01(x):\n    if np.any(x > 1):\n"
        "        raise ValueError('secret 7.0')\n    return np.maximum(x, 0.0)\n"
    ),
    "all_wrong": "import numpy as np\ndef clip01(x):\n    return np.asarray(x, dtype=float) * 0 - 5\n",
}
POINTS = {"right": 2.0, "two_wrong": 1.0, "raises_above": 1.5, "all_wrong": 0.0}
FAILED = {
    "right": [],
    "two_wrong": ["a negative value", "a value above 1"],
    "raises_above": ["values above 1 become 1"],
    "all_wrong": ["two values inside", "a negative value", "a value above 1"],
}


def graded_in_process(answer: str):
    """Run the answer and the test cell here; return (the HiddenTests, what report() returned or raised)."""
    namespace = {"__name__": "__main__"}
    exec(answer, namespace)
    hidden = TEST_CELL.split("### BEGIN HIDDEN TESTS\n")[1].split("### END HIDDEN TESTS")[0]
    body, last = hidden.rstrip().rsplit("\n", 1)
    exec(body, namespace)
    try:
        outcome = eval(last, namespace)
    except HiddenTestFailure as failure:
        outcome = failure
    return namespace["tests"], outcome


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_the_record_lists_every_failed_check_and_the_parts_points(name):
    tests, outcome = graded_in_process(ANSWERS[name])
    assert [r.label for r in tests.failed()] == FAILED[name]
    assert tests.score() == POINTS[name]
    if name == "right":
        assert outcome is None  # no value: full marks, nothing printed
    elif name == "all_wrong":
        assert isinstance(outcome, HiddenTestFailure)  # an error output: zero
    else:
        assert outcome == POINTS[name]


def test_a_raising_direct_call_fails_its_part_alone_and_keeps_its_message_for_the_instructor():
    tests, _ = graded_in_process(ANSWERS["raises_above"])
    (failure,) = tests.failed()
    assert "ValueError" in failure.message and "secret" not in failure.message
    assert "secret 7.0" in failure.detail


def test_the_student_sees_the_first_failure_unless_the_course_shows_all(monkeypatch):
    tests, _ = graded_in_process(ANSWERS["two_wrong"])
    first = tests.student_message()
    assert "a negative value" in first and "a value above 1" not in first and "1 more" in first
    assert "1 of 2 points" in first
    monkeypatch.setenv(FAILURES_SHOWN_VARIABLE, "all")
    every = tests.student_message()
    assert "a negative value" in every and "a value above 1" in every and "more" not in every


def test_without_partial_credit_a_failed_check_costs_the_cell(monkeypatch):
    monkeypatch.setenv(PARTIAL_CREDIT_VARIABLE, "off")
    tests, outcome = graded_in_process(ANSWERS["two_wrong"])
    assert isinstance(outcome, HiddenTestFailure) and tests.earned == 0


def test_a_cell_whose_parts_do_not_add_up_or_check_nothing_is_refused():
    tests = HiddenTests(points=2)
    with tests.part("one", points=1):
        expect_true("holds", True)
    with pytest.raises(HiddenTestError, match="worth 1 points, the cell 2"):
        tests.report()
    tests = HiddenTests(points=1)
    with tests.part("empty", points=1):
        pass
    with pytest.raises(HiddenTestError, match="holds no check"):
        tests.report()


def test_while_a_core_part_fails_the_other_parts_earn_nothing():
    """An answer that always raises ValueError passes "bad input is refused", and earns nothing for it."""

    def always_refuses(x):
        raise ValueError("no")

    tests = HiddenTests(points=1)
    with tests.part("the values", points=0.5, core=True):
        expect("doubles", always_refuses, args=(1.0,), expected=2.0)
    with tests.part("bad input is refused", points=0.5):
        expect("a string is refused", always_refuses, args=("x",), raises=ValueError)
    assert [r.label for r in tests.failed()] == ["doubles"] and tests.score() == 0
    with pytest.raises(HiddenTestFailure, match="doubles"):
        tests.report()


def test_outside_a_part_a_check_raises_at_once():
    HiddenTests(points=1)
    with pytest.raises(HiddenTestFailure, match="'outside' failed"):
        expect("outside", abs, args=(-1,), expected=2)


# --- plain nbgrader and the judge --------------------------------------------------------------------


def notebook(answer: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(answer), nbformat.v4.new_code_cell(TEST_CELL)]
    nb.cells[0].metadata["nbgrader"] = {
        "grade": False,
        "solution": True,
        "locked": False,
        "grade_id": "clip01",
        "schema_version": 3,
    }
    nb.cells[1].metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "points": 2,
        "grade_id": "clip01_tests",
        "schema_version": 3,
    }
    return nb


def test_partial_points_under_plain_nbgrader(monkeypatch):
    """The cells executed in a kernel as nbgrader's Execute does; nbgrader's determine_grade decides."""
    from nbclient import NotebookClient

    monkeypatch.setenv(FAILURES_SHOWN_VARIABLE, "all")
    for name in ANSWERS:
        nb = notebook(ANSWERS[name])
        NotebookClient(
            nb, timeout=120, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(ROOT)}}
        ).execute()
        assert determine_grade(nb.cells[1]) == (POINTS[name], 2.0), name
        printed = "".join(o.get("text", "") for o in nb.cells[1].outputs if o.output_type == "stream")
        for label in FAILED[name] if name in ("two_wrong", "raises_above") else []:
            assert label in printed, (name, label)


def test_partial_points_and_every_failure_under_the_judge():
    from grading import plan, runner
    from grading.nbgrader_plugins import fill_outputs

    limits = plan.Limits(cell_timeout=20.0, notebook_timeout=90.0, memory_mb=1024, threads=1)
    for name in ANSWERS:
        job = {
            "cells": [
                {"index": 0, "role": "answer", "source": ANSWERS[name], "label": "clip01"},
                {
                    "index": 1,
                    "role": "test",
                    "source": TEST_CELL,
                    "label": "clip01_tests",
                    "grade_id": "clip01_tests",
                    "exercise": "clip01",
                    "points": 2.0,
                },
            ],
            "limits": limits.to_dict(),
            "course_packages": ["checks", "notebook_helpers"],
        }
        result = runner.run_job(job)
        assert "judge_error" not in result, result.get("judge_error")
        verdict = result["tests"]["clip01_tests"]
        assert [c["label"] for c in verdict.get("failed_checks", [])] == FAILED[name], name
        assert verdict["score"] == POINTS[name], name
        nb = notebook(ANSWERS[name])
        fill_outputs(nb, result, "en")
        assert determine_grade(nb.cells[1]) == (POINTS[name], 2.0), name
        shown = "".join(str(o.get("text", "")) + str(o.get("evalue", "")) for o in nb.cells[1].outputs)
        assert "secret" not in shown and "7.0" not in shown, name
