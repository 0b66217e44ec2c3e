"""The visible checks tell the truth: every registered wrong answer fails them, every right one passes.

A learner who sees "all visible checks pass" should not be holding an answer that the exercise text
calls wrong. So every `@wrong` answer in `tests/answers/` must make its exercise's visible check
(`q.<name>.check`) fail with a `CheckFailure` (a message, never a bare traceback), unless it is listed
in `HIDDEN_ONLY` with the reason why it is caught by the hidden tests alone. That list stays short,
and is printed by `test_hidden_only_list_is_short`. The other way round, the notebook's own solution
and every `@right` answer pass the visible checks (here directly, without the slow hidden tests of
`tests/test_exercise_tests.py`).

Every notebook's checks: notebooks 01-05, the modules of `CHECKED_MODULES`.
"""

import contextlib
import importlib
import io
import re
import sys

import pytest

from answers import RIGHT, WRONG, load_all
from checks import CheckFailure, Exercise
from checks.i18n import _ as translated
from editions import EDITIONS, edition_fixture
from nbcells import all_exercises
from test_exercise_tests import defined_by

load_all()

CHECKED_MODULES = ("tensors", "activations", "losses", "mnist_mlp", "keras_from_scratch")

# (exercise, wrong answer's function name) -> why the visible checks let it through on purpose.
HIDDEN_ONLY = {
    (
        "train_mlp",
        "train_mlp_never_shuffles",
    ): "that the rows are shuffled shows only in how well a run learns data sorted by label; on the toy "
    "problems the visible checks train in about a second, a loop that never shuffles scores within the "
    "spread of right answers (tried: three blobs sorted by label, batch sizes 1 to 5), so the hidden test "
    "trains on 2000 MNIST images sorted by label",
}
MAX_HIDDEN_ONLY = 5

# (exercise, right answer's function name) -> (what the success line must name, why): a right answer that skips
# what the text asks beyond the curriculum's contract, so that a visible property has nothing to judge by. The
# check passes it (the visible checks sit in graded cells, and the contract allows it) but says which property it
# could not judge, instead of "all N pass".
NOT_JUDGED = {
    ("train_mlp", "train_mlp_without_training_log"): (
        "TrainingLog",
        "the text asks the loop to report each epoch to a TrainingLog; the visible check reads how well the "
        "loop learns from that report (it has no forward pass of its own: checks ship to students)",
    ),
}


def visible_exercises() -> dict:
    """`{exercise name: Exercise}` for the notebooks of `CHECKED_MODULES`."""
    found = {}
    for module in CHECKED_MODULES:
        for value in vars(importlib.import_module(f"checks.{module}")).values():
            if isinstance(value, Exercise):
                found[value.name] = value
    return found


EXERCISES = visible_exercises()
NOTEBOOK_EXERCISES = all_exercises()  # the English edition's; each test sees its edition's (the `edition` fixture)


@pytest.fixture(autouse=True, params=EDITIONS, ids=str)
def edition(request):
    """Every test runs on both editions: the edition's notebooks, the checks in its language (tests/editions.py)."""
    yield from edition_fixture(request, sys.modules[__name__], "NOTEBOOK_EXERCISES")


def visible_verdict(name, answer):
    """None when `answer` passes every visible check of `name`, else the CheckFailure it got."""
    with contextlib.redirect_stdout(io.StringIO()):  # the success line, and what an answer prints
        try:
            EXERCISES[name].check(answer)
        except CheckFailure as failure:
            return failure
    return None


def wrong_answers(hidden_only: bool) -> list:
    return [
        pytest.param(name, answer, id=f"{name}-{answer.__name__}")
        for name in sorted(EXERCISES)
        for answer in WRONG.get(name, [])
        if ((name, answer.__name__) in HIDDEN_ONLY) == hidden_only
    ]


@pytest.mark.parametrize("name, answer", wrong_answers(hidden_only=False))
def test_visible_checks_reject_wrong_answer(name, answer):
    assert visible_verdict(name, answer) is not None, (
        f"the visible checks of {name} pass a wrong answer ({answer.__name__}): {answer.__doc__}"
    )


@pytest.mark.parametrize(
    "name, answer",
    [
        pytest.param(name, answer, id=f"{name}-{answer.__name__}")
        for name in sorted(EXERCISES)
        for answer in RIGHT.get(name, [])
    ],
)
def test_visible_checks_pass_right_answer(name, answer):
    failure = visible_verdict(name, answer)
    assert failure is None, f"the visible checks of {name} reject a right answer ({answer.__name__}):\n{failure}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_visible_checks_pass_the_reference_solution(name):
    failure = visible_verdict(name, defined_by(NOTEBOOK_EXERCISES[name].reference_source, name))
    assert failure is None, f"the visible checks of {name} reject the notebook's own solution:\n{failure}"


def assert_one_not_judged(name, out):
    """The check's success line counts all its checks but one as passed ("5 of 6" in English, "6개 중 5개" in
    Korean): one property could not be judged."""
    count = EXERCISES[name].check_count
    assert {str(count - 1), str(count)} <= set(re.findall(r"\d+", out.splitlines()[0])), out


@pytest.mark.parametrize(
    "name, answer_name", [pytest.param(name, answer, id=f"{name}-{answer}") for name, answer in sorted(NOT_JUDGED)]
)
def test_a_right_answer_that_skips_what_the_text_asks_is_told_what_was_not_judged(name, answer_name, capsys):
    (answer,) = [answer for answer in RIGHT[name] if answer.__name__ == answer_name]
    named, reason = NOT_JUDGED[name, answer_name]
    EXERCISES[name].check(answer)
    out = capsys.readouterr().out
    assert_one_not_judged(name, out)
    assert named in out, f"{name}: {answer_name} ({reason}) printed: {out}"


@pytest.mark.parametrize("name, answer", wrong_answers(hidden_only=True))
def test_hidden_only_answer_still_passes_the_visible_checks(name, answer):
    """A listed answer that the visible checks now catch no longer belongs on the list."""
    assert visible_verdict(name, answer) is None, (
        f"{name}: {answer.__name__} is listed as hidden-only but the visible checks reject it; drop it from HIDDEN_ONLY"
    )


def test_hidden_only_list_names_registered_answers_with_reasons():
    registered = {(name, answer.__name__) for name, answers in WRONG.items() for answer in answers}
    assert not set(HIDDEN_ONLY) - registered, f"not registered wrong answers: {set(HIDDEN_ONLY) - registered}"
    assert all(reason.strip() for reason in HIDDEN_ONLY.values())


def test_hidden_only_list_is_short(capsys):
    with capsys.disabled():
        print(f"\nWrong answers caught by the hidden tests only, on purpose ({len(HIDDEN_ONLY)}):")
        for (name, answer), reason in sorted(HIDDEN_ONLY.items()):
            print(f"  {name}: {answer}: {reason}")
    assert len(HIDDEN_ONLY) <= MAX_HIDDEN_ONLY


class ElsewhereCallable:
    """A callable that is not a plain function of this process, as the course's grader hands a check the
    learner's function (a handle to the student's process, whose module state a check cannot see)."""

    def __init__(self, function):
        self.function = function

    def __call__(self, *args, **kwargs):
        from notebook_helpers.plots import TrainingLog

        before = TrainingLog.last
        try:
            return self.function(*args, **kwargs)
        finally:
            TrainingLog.last = before  # a log the function makes is made over there, not here


# exercise -> the reason its success line must give when the function runs elsewhere (the state the property reads)
# (Not glorot_uniform's "Python's random module is left alone": the grader carries random's state back with every
# reply, GRADING.md.)
READS_THE_PROCESS_STATE = {
    "train_mlp": "it runs in a process of its own (the grader's), where this check cannot read its TrainingLog; "
    "the hidden tests train it on MNIST",
}


@pytest.mark.parametrize("name", sorted(READS_THE_PROCESS_STATE))
def test_a_property_that_reads_the_learners_process_says_so_when_the_function_runs_elsewhere(name, capsys):
    """Under the course's grader such a property would pass unjudged (it saw this process's state, not the
    learner's): it must say it could not judge, and the reference still passes the check."""
    reference = defined_by(NOTEBOOK_EXERCISES[name].reference_source, name)
    EXERCISES[name].check(ElsewhereCallable(reference))
    out = capsys.readouterr().out
    assert_one_not_judged(name, out)
    assert translated(READS_THE_PROCESS_STATE[name]) in out, out
