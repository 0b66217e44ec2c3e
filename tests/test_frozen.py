"""The frozen expected values of the visible checks are what the reference solutions give today."""

import pytest

from answer_key import freeze
from checks import FROZEN, frozen

MODULES = freeze.modules_with_frozen_cases()


def test_some_visible_cases_are_frozen():
    assert {"activations", "losses", "mnist_mlp"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_frozen_file_is_up_to_date(module):
    path = frozen.path_for(module)
    assert path.exists(), f"{path} is missing: run `python3 course.py freeze`"
    assert path.read_text(encoding="utf-8") == frozen.dumps(freeze.frozen_table(module)), (
        f"{path.name} is stale (a visible case or a reference solution changed): run `python3 course.py freeze`"
    )


@pytest.mark.parametrize("module", MODULES)
def test_every_frozen_case_resolves_to_a_value(module):
    for exercise in freeze.exercises_of(module):
        for case in exercise.resolved_cases():
            assert case.expected is not FROZEN


def test_the_staleness_check_notices_a_changed_value(tmp_path, monkeypatch):
    for module in MODULES:
        (tmp_path / f"{module}.json").write_text(frozen.path_for(module).read_text(encoding="utf-8"))
    monkeypatch.setattr(frozen, "FOLDER", tmp_path)
    assert freeze.stale_modules() == []
    path = tmp_path / "losses.json"
    path.write_text(path.read_text().replace("0.3250829733914483", "0.3250829733914484"))
    assert freeze.stale_modules() == ["losses"]


@pytest.mark.parametrize("value", [1.5, float("inf"), 3, "int64", None, True, [1, (2.0, "a")]])
def test_values_survive_the_round_trip(value):
    import json

    assert frozen.decode(json.loads(json.dumps(frozen.encode(value)))) == value


def test_arrays_survive_the_round_trip_exactly():
    import json
    import numpy as np

    for array in (
        np.array([[0.1, 1 / 3]], np.float32),
        np.arange(6, dtype=np.uint8).reshape(2, 3, 1),
        np.zeros((0, 2)),
    ):
        again = frozen.decode(json.loads(json.dumps(frozen.encode(array))))
        assert again.dtype == array.dtype and again.shape == array.shape and np.array_equal(again, array)
