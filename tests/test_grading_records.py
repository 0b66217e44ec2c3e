"""The typed records, the cache key and the cluster worker's refusals, without grading a notebook."""

import json

import nbformat
import pytest

from grading import cache, cluster, plan, sandbox
from grading.records import CellResult, Finding, Issue, JudgeResult, RecordError, TestVerdict

RESULT = JudgeResult(
    cells={"3": CellResult("ok", [{"output_type": "stream", "name": "stdout", "text": "hi\n"}], 0.5)},
    tests={"relu_tests": TestVerdict(False, 1.0, "relu", "relu([-1.0]) returned -1.0", "visible", 0.2, "why")},
    tampering=[Finding("relu", "patches numpy", "scan", 3)],
    sandbox={"sandbox": "bwrap"},
    notes=["restarted"],
    seconds=2.5,
    review=["the cell relu_tests did not finish within its time limit"],
)


def test_a_judge_result_survives_json_unchanged():
    assert JudgeResult.from_json(json.loads(json.dumps(RESULT.to_json()))) == RESULT


def test_fields_a_newer_judge_adds_are_kept_and_partial_points_are_typed():
    """Fails on records that drop what they do not name (a partial score would be lost on the way)."""
    data = RESULT.to_json()
    data["tests"]["relu_tests"].update(score=0.5, failed_checks=["negative inputs"], new_field={"a": 1})
    data["cells"]["3"]["new_cell_field"] = 1
    data["new_result_field"] = [1]
    read = JudgeResult.from_json(json.loads(json.dumps(data)))
    assert read.tests["relu_tests"].score == 0.5 and read.tests["relu_tests"].failed_checks == ["negative inputs"]
    assert read.to_json() == data


def test_a_result_without_review_has_an_empty_review():
    """The contract with the judge: an absent `review` is empty."""
    data = RESULT.to_json()
    del data["review"]
    assert JudgeResult.from_json(data).review == []


@pytest.mark.parametrize(
    "damage, field",
    [
        (lambda d: d["tests"]["relu_tests"].update(passed="yes"), "'passed'"),
        (lambda d: d["tests"]["relu_tests"].pop("passed"), "'passed'"),
        (lambda d: d["cells"]["3"].update(outputs=[{"text": "no type"}]), "output_type"),
        (lambda d: d.update(review="one reason, not a list"), "'review'"),
        (lambda d: d["tampering"].append({"cell": "x"}), "'what'"),
        (lambda d: d.update(seconds=True), "'seconds'"),
    ],
)
def test_a_damaged_record_is_refused_naming_the_field(damage, field):
    """Fails on records read as plain dicts: the damage would surface later as a KeyError or a wrong grade."""
    data = json.loads(json.dumps(RESULT.to_json()))
    damage(data)
    with pytest.raises(RecordError, match=field):
        JudgeResult.from_json(data)


def test_an_issue_is_the_plans_own_and_is_checked():
    assert plan.Issue is Issue  # one record of an issue, for the plan and for everything it crosses
    issue = plan.Issue("invalid_json", "The notebook is not valid JSON (line 3, column 1).", "error")
    assert Issue.from_json(issue.to_json()) == issue
    with pytest.raises(RecordError, match="'message'"):
        Issue.from_json({"code": "invalid_json"})


def tiny_job(answer="def f(x):\n    return x\n", test="assert f(1) == 1\n", limits=None, files=None):
    limits = limits or plan.Limits()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(answer, metadata={"nbgrader": {"solution": True, "grade_id": "f"}}),
        nbformat.v4.new_code_cell(test, metadata={"nbgrader": {"grade": True, "grade_id": "f_tests", "points": 1}}),
    ]
    return cache.JudgeJob(plan.job_for(nb, limits), files=files or {}, grader=cache.grader_version())


def test_the_cache_key_follows_the_submission_the_tests_the_limits_the_files_and_the_grader():
    """Each of these changes a verdict, so each must change the key (fails on a key that leaves one out);
    the BLAS threads do not, so they leave it alone (the two ways of grading choose them differently)."""
    base = tiny_job().key()
    assert tiny_job(answer="def f(x):\n    return -x\n").key() != base
    assert tiny_job(test="assert f(2) == 2\n").key() != base
    assert tiny_job(limits=plan.Limits(cell_timeout=5)).key() != base
    assert tiny_job(files={"data.csv": b"1,2"}).key() != base
    other_grader = tiny_job()
    other_grader.grader = "another version"
    assert other_grader.key() != base
    assert tiny_job(limits=plan.Limits(threads=7)).key() == base


def test_a_judge_job_survives_json_and_refuses_paths_outside_its_folder():
    job = tiny_job(files={"sub/data.bin": bytes(range(256))})
    again = cache.JudgeJob.from_json(json.loads(json.dumps(job.to_json())))
    assert again == job and again.key() == job.key()
    for name in ("../escape", "/etc/passwd"):
        data = job.to_json()
        data["files"] = {name: ""}
        with pytest.raises(RecordError, match="plain relative path"):
            cache.JudgeJob.from_json(data)


def test_a_damaged_cache_entry_is_judged_again(tmp_path):
    """An entry cut short (or edited) is not taken for a result.  Fails on a cache that trusts what it reads."""
    store = cache.JudgeCache(tmp_path)
    store.put("ab" * 32, RESULT)
    assert store.get("ab" * 32) == RESULT
    path = store.path("ab" * 32)
    path.write_text(path.read_text()[:-10])
    assert store.get("ab" * 32) is None
    path.write_text(json.dumps({"key": "ab" * 32, "result": {"tests": {"x": {"passed": "yes"}}}}))
    assert store.get("ab" * 32) is None
    store.put("cd" * 32, JudgeResult.failure("the judge failed"))
    assert store.get("cd" * 32) is None, "a grader fault must be retried, never stored"


def test_a_worker_without_the_sandbox_refuses_the_job(monkeypatch):
    """The worker's check is the local one (`sandbox.require`); fails on a worker that judges anyway."""
    monkeypatch.setattr(sandbox, "availability", lambda: (False, "bubblewrap (`bwrap`) is not installed"))
    with pytest.raises(cluster.WorkerRefused, match="sandbox cannot start.*bwrap.*apt-get install bubblewrap"):
        cluster.judge_on_worker(json.dumps(tiny_job().to_json()))


def test_a_worker_with_another_grader_refuses_the_job():
    job = tiny_job()
    job.grader = "0" * 64
    with pytest.raises(cluster.WorkerRefused, match="not the instructor's"):
        cluster.judge_on_worker(json.dumps(job.to_json()))
