"""Every exercise the curriculum fixes exists, under its name, with its signature.

`../shared/curriculum.md` is the series' public API (gradebooks and outside graders depend on it);
`docs/curriculum-additions.md` lists exercises added since, in the same table format.
"""

import ast
import inspect
import re
from pathlib import Path

import pytest

from nbcells import ROOT, all_exercises, run_source

CURRICULUM = ROOT.parent / "shared" / "curriculum.md"
ADDITIONS = ROOT / "docs" / "curriculum-additions.md"
ROW = re.compile(r"^\|\s*`([A-Za-z_]\w*)(\(.*?\))?`\s*\|")


def contract_rows(path: Path) -> dict:
    """`{name: signature text or None}` from the first column of the markdown tables in `path`."""
    rows = {}
    for line in path.read_text().splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def contract() -> dict:
    if not CURRICULUM.exists():
        pytest.skip(f"{CURRICULUM} is not beside this checkout")
    rows = contract_rows(CURRICULUM)
    if ADDITIONS.exists():
        rows.update(contract_rows(ADDITIONS))
    return rows


def parameters(signature_text: str) -> list:
    """`[(name, default or inspect.Parameter.empty)]` of a signature written as `(a, b=1)`."""
    function = ast.parse(f"def f{signature_text}: pass").body[0]
    names = [a.arg for a in function.args.args]
    defaults = [ast.literal_eval(d) for d in function.args.defaults]
    padded = [inspect.Parameter.empty] * (len(names) - len(defaults)) + defaults
    return list(zip(names, padded))


def test_curriculum_is_parsed():
    rows = contract()
    assert {"describe_tensor", "softmax", "train_mlp"} <= set(rows)


def test_every_curriculum_exercise_is_in_the_notebooks():
    missing = sorted(set(contract()) - set(all_exercises()))
    assert not missing, f"curriculum exercises with no answer cell in solutions/: {missing}"


def test_every_exercise_is_in_the_curriculum():
    unlisted = sorted(set(all_exercises()) - set(contract()))
    assert not unlisted, f"answer cells not in the curriculum (add them to {ADDITIONS.name}): {unlisted}"


def test_signatures_match_the_curriculum():
    exercises = all_exercises()
    for name, signature_text in contract().items():
        if name not in exercises or not signature_text:
            continue
        namespace = {"__name__": "__main__"}
        run_source(exercises[name].reference_source, namespace)
        actual = [(p.name, p.default) for p in inspect.signature(namespace[name]).parameters.values()]
        assert actual == parameters(signature_text), f"{name}: signature differs from the curriculum"
