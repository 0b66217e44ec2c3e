"""The grader's own sentences speak the course's language: the table, the judge, the cache.

`grading/messages.py` holds every sentence of the grader's that a student reads, in English and in Korean.
The judge's job carries the course's language (`plan.job_for`), so the judge speaks it whatever the
machine's `DL_FOUNDATIONS_LANGUAGE` (a cluster worker's may be anything), and the cache key holds it, so
that a result judged for one course is never handed to the other.  The autograded notebook and feedback
of a class are tested in tests/test_grading_classroom.py (`test_a_runaway_is_told_in_the_courses_language`).
"""

import json

import nbformat
import pytest

from grading import cache, messages, plan, runner
from test_grading_judge import IMPORTS, LOOPING, LIMITS, job, shown


@pytest.mark.parametrize("name", sorted(messages.catalogue()))
def test_every_message_has_every_language_with_the_same_placeholders(name):
    """A message without a language (an empty field) or whose translation drops or renames a placeholder
    would show a student an English or a broken sentence."""
    message = messages.catalogue()[name]
    for language in messages.LANGUAGES:
        assert getattr(message, language).strip(), f"{name} has no {language}"
        assert message.placeholders(language) == message.placeholders(messages.ENGLISH), (name, language)
    assert any("\uac00" <= ch <= "\ud7a3" for ch in message.ko), f"{name}'s Korean is not Korean"


def test_an_unknown_language_is_refused_in_plain_words():
    with pytest.raises(ValueError, match="speaks: en, ko"):
        messages.TEST_FAILED.text("fr")


def korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


@pytest.mark.parametrize("language, machines", [("ko", "en"), ("en", "ko")])
def test_a_runaway_is_told_in_the_jobs_language_whatever_the_machines(language, machines, monkeypatch):
    """A looping `relu`, in its read-only demo cell and then in its test: both say it ran out of time in the
    job's language, though the machine (a cluster worker, say) is set to the other.  Fails on the old judge,
    which spoke English, and took the check messages' language from the machine."""
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, machines)
    cells = job(IMPORTS, LOOPING, ("locked", "print(relu(1))", None), ("test", "relu(3)", "relu"))
    result = runner.run_job(dict(cells, language=language))
    seconds = LIMITS.cell_timeout
    running = messages.WAS_RUNNING.text(language, names="relu")
    cell = messages.CELL_TIMED_OUT.text(language, seconds=seconds, running=running)
    assert result["cells"]["2"]["status"] == "timeout" and cell in shown(result, 2)
    (test,) = result["tests"].values()
    assert test["kind"] == "timeout"
    said = messages.TIMED_OUT.text(language, subject="relu", seconds=seconds)
    assert test["message"].startswith(said), test["message"]
    where = messages.CELL_NUMBER.text(language, number=3)
    assert messages.TIMED_OUT_EARLIER.text(language, where=where) in test["message"]
    assert korean(shown(result, 2) + test["message"]) == (language == "ko")


def test_a_cell_that_runs_out_of_time_outside_a_graded_function_says_only_that():
    """Fails on the old judge, whose message ended "... went on without it.out of time" (the process's own
    reason for stopping, where the name of a running graded function goes)."""
    result = runner.run_job(job(IMPORTS, ("locked", "while True:\n    pass", None)))
    (output,) = result["cells"]["1"]["outputs"]
    assert output["evalue"] == messages.CELL_TIMED_OUT.text("en", seconds=LIMITS.cell_timeout, running="")


def test_output_cut_short_says_so_in_the_jobs_language():
    """Fails on the old judge, whose note on a cut output was English in every course."""
    result = runner.run_job(dict(job(("locked", "print('x' * 30_000)", None)), language="ko"))
    (output,) = result["cells"]["0"]["outputs"]
    assert output["text"].endswith(messages.OUTPUT_CUT.text("ko", count=20_000))


def test_the_cache_hands_no_course_the_other_courses_result(tmp_path):
    """The same answers judged for the English and for the Korean course are two results under two keys.
    Fails on the old key, which left the language out: the second course got the first one's result."""
    nb = nbformat.v4.new_notebook()
    answer, test = {"solution": True, "grade_id": "f"}, {"grade": True, "grade_id": "f_tests", "points": 1}
    nb.cells = [
        nbformat.v4.new_code_cell("def f(x):\n    return x\n", metadata={"nbgrader": answer}),
        nbformat.v4.new_code_cell("f(1)\n", metadata={"nbgrader": test}),
    ]
    english = plan.job_for(nb, plan.Limits())
    jobs = {
        language: cache.JudgeJob(dict(english, language=language), grader=cache.grader_version())
        for language in messages.LANGUAGES
    }
    assert len({judge_job.key() for judge_job in jobs.values()}) == len(messages.LANGUAGES)
    store = cache.JudgeCache(tmp_path)
    for language, judge_job in jobs.items():
        said = messages.TEST_FAILED.text(language)
        result, fresh = store.judged(judge_job, run=lambda _, said=said: cache.JudgeResult(notes=[said]))
        assert fresh and result.notes == [said], f"the {language} course was given another course's result"
    again = cache.JudgeJob.from_json(json.loads(json.dumps(jobs["ko"].to_json())))
    assert again.job["language"] == "ko" and again.key() == jobs["ko"].key()


def test_a_job_in_a_language_the_grader_does_not_speak_is_refused():
    data = cache.JudgeJob({"cells": [], "limits": {}, "language": "fr"}).to_json()
    with pytest.raises(cache.RecordError, match="'language' must be one of en, ko"):
        cache.JudgeJob.from_json(data)


@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_the_grading_notes_speak_the_courses_language(language):
    """A submission with an answer cell deleted and another turned into markdown: the grading notes at the top
    of its feedback, and the placeholder of the missing answer, are in the course's language; the
    instructor's issue messages stay English.  Fails on the old plan, whose notes were English."""
    import grading_fixtures as fixtures

    source, _ = fixtures.notebook_path("02_activations")
    cells, kernelspec, _ = plan.load_source(source)
    submission = fixtures.filled("02_activations")
    answers = [c for c in submission.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    submission.cells.remove(answers[0])
    answers[1].cell_type = "markdown"
    rebuilt, issues = plan.rebuild(cells, kernelspec, submission, source.name, language=language)
    assert {i.code for i in issues} >= {"missing_answer", "answer_not_code"}
    notes = rebuilt.cells[0].source
    missing = answers[0].metadata["nbgrader"]["grade_id"]
    for other in messages.LANGUAGES:
        said = (
            messages.GRADING_NOTES.text(other),
            messages.MISSING_ANSWER.text(other, cell=missing),
            messages.NO_ANSWER_CELL.text(other).strip(),
        )
        shown = notes + "".join(c.source for c in rebuilt.cells)
        assert all((sentence in shown) == (other == language) for sentence in said), (other, notes)
    assert all(not korean(issue.message) for issue in issues)


def test_a_placeholder_may_have_any_name():
    """`RAISED` has a placeholder `message`: filling it must not clash with the functions' own parameters
    (fails when they are not positional-only: a TypeError, and the judge fails on the notebook)."""
    said = messages.say(messages.RAISED, subject="f", error="ValueError", message="bad")
    assert said == messages.RAISED.text(messages.ENGLISH, subject="f", error="ValueError", message="bad")
    assert messages.every_language(messages.RAISED, subject="f", error="E", message="m")["en"] == "f raised E: m"
