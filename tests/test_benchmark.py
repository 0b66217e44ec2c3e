"""The training benchmark's code path, on a tiny subset (a smoke test: nothing here is timed)."""

import contextlib
import io
import json

import numpy as np
import pytest

from benchmarks import mlp_training

KEYS = {
    "epoch_seconds",
    "test_accuracy",
    "tuned_epoch_seconds",
    "tuned_test_accuracy",
    "matmul_bound_seconds",
    "matmul_gflops",
    "epoch_gflop",
    "forward_backward_seconds",
}


def test_reference_is_the_notebooks_answer_cell():
    train_mlp = mlp_training.reference_train_mlp()
    assert train_mlp.__name__ == "train_mlp"
    assert list(train_mlp.__code__.co_varnames[:6]) == ["x", "y_onehot", "epochs", "batch_size", "hidden", "seed"]


def test_the_tuned_version_computes_the_plain_references_numbers():
    """Same seed, same data: the tuned loop must end at the plain answer cell's weights, up to float32 rounding."""
    x_train, y_train, _, _, _ = mlp_training.mnist(600)
    setting = dict(epochs=2, batch_size=128, hidden=16, seed=0)
    with contextlib.redirect_stdout(io.StringIO()):
        plain = mlp_training.reference_train_mlp()(x_train, y_train, **setting)
        tuned = mlp_training.tuned_train_mlp(x_train, y_train, **setting)
    for name in ("W1", "b1", "W2", "b2"):
        assert tuned[name].shape == plain[name].shape and tuned[name].dtype == np.float32
        assert np.allclose(tuned[name], plain[name], rtol=1e-3, atol=1e-5), name


def test_epoch_flops_are_about_98_gflop():
    assert abs(mlp_training.epoch_matmul_flops(60000) / 1e9 - 98.2) < 0.1


def test_json_line_on_a_tiny_subset(capsys, monkeypatch):
    monkeypatch.setattr(mlp_training, "matmul_gflops", lambda **kwargs: 50.0)  # skip the timing loop
    assert mlp_training.main(["--subset", "600", "--epochs", "1", "--repeats", "1", "--no-torch"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(line)
    assert KEYS <= set(result) and "torch_epoch_seconds" not in result
    assert result["epoch_seconds"] > 0 and result["matmul_bound_seconds"] > 0 and result["forward_backward_seconds"] > 0
    assert 0.0 <= result["test_accuracy"] <= 1.0 and 0.0 <= result["tuned_test_accuracy"] <= 1.0
    assert result["tuned_epoch_seconds"] > 0
    assert np.isclose(result["matmul_bound_seconds"], mlp_training.epoch_matmul_flops(600) / 50e9, atol=1e-3)


def test_a_subset_smaller_than_a_batch_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        mlp_training.main(["--subset", "100", "--no-torch"])
    assert stop.value.code == 2
    assert "at least one batch (128 images), got 100" in capsys.readouterr().err


def test_grading_benchmark_json_line_on_a_tiny_class(capsys):
    """Both ways grade the same tiny class (one student, notebook 02) and agree on its score; the line
    has every field, with seconds that are positive and a ratio that is their quotient (no thresholds)."""
    from benchmarks import grading

    assert (
        grading.main(
            ["--students", "1", "--assignments", "02_activations", "--threads-students", "1"]
            + ["--threads-assignment", "02_activations", "--no-feedback"]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {
        "plain_seconds_per_notebook",
        "course_seconds_per_notebook",
        "ratio",
        "per_assignment",
        "threads",
        "plain_timeouts",
        "course_timeouts",
        "notebooks",
        "jobs",
    } <= set(result)
    assert result["notebooks"] == 1 and result["notebooks_scored_differently"] == 0
    plain, course = result["plain_seconds_per_notebook"], result["course_seconds_per_notebook"]
    assert plain > 0 and course > 0 and abs(result["ratio"] - course / plain) < 0.01
    (only,) = result["per_assignment"].values()
    assert only["judge_seconds_per_notebook"] > 0 and only["plain_seconds_per_notebook"] == plain
    threads = result["threads"]
    assert threads["assignment"] == "02_activations" and threads["students"] == 1
    assert threads["shared"]["blas_threads"] >= 1 and threads["not_shared"]["seconds_per_notebook"] > 0


def test_the_grading_benchmarks_class_has_right_wrong_stub_and_one_endless_answer():
    """Student 15 of every 30 loops in the first exercise; the others mix right answers with a few
    wrong ones (from tests/answers/, renamed to the exercise) and stubs."""
    from benchmarks import grading

    first = grading.fixtures.exercises("02_activations")[0]
    assert "while True" in grading.answers_of("02_activations", grading.LOOP_STUDENT)[first]
    kinds = [grading.answers_of("02_activations", s) for s in range(30) if s != grading.LOOP_STUDENT]
    chosen = [source for answers in kinds for source in answers.values()]
    assert None in chosen and any(s and f"def {first}(" in s for s in chosen)
    assert not any(s and "while True" in s for s in chosen)
    assert sum(len(a) for a in kinds) < 0.5 * len(kinds) * len(grading.fixtures.exercises("02_activations"))
