"""`course.py test`'s tiers: what it runs for which arguments, and a slow list that names real tests."""

import subprocess
import sys

from tools import commands, pytest_tiers
from tools.notebooks import ROOT


def test_paths_and_node_ids_are_targets_but_option_values_are_not():
    args = ["-k", "tests", "tests/test_mnist.py::test_x", "-x", "-m", "solutions", "solutions/01_tensors"]
    assert commands.test_targets(args) == ["tests/test_mnist.py::test_x", "solutions/01_tensors"]


def test_words_that_are_no_path_are_no_target():
    assert commands.test_targets(["no_such_folder", "--lf"]) == []


def test_nbval_options_only_where_notebooks_are_collected():
    assert commands.runs_notebooks("solutions")
    assert commands.runs_notebooks("solutions/01_tensors/tensors.ipynb")
    assert not commands.runs_notebooks("tests")
    assert not commands.runs_notebooks("tests/test_mnist.py::test_x")


def test_short_options_are_recognised_glued_or_apart():
    assert commands.has_option(["-n", "2"], "-n")
    assert commands.has_option(["-n2"], "-n")
    assert commands.has_option(["-kmnist"], "-k")
    assert not commands.has_option(["--nbval"], "-n")
    assert not commands.has_option(["-x"], "-k")


def test_every_slow_module_exists():
    missing = [m for m in pytest_tiers.SLOW_MODULES if not (ROOT / "tests" / f"{m}.py").exists()]
    assert not missing, f"tools/pytest_tiers.py names test modules that do not exist: {missing}"


def test_every_single_slow_test_matches_a_collected_test():
    """A renamed test must not silently leave the slow list (it would then slow the quick tier down)."""
    modules = sorted({f"tests/{module}.py" for module, _ in pytest_tiers.SLOW_TESTS})
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--co", "-q", "-m", "slow", *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    unmatched = [
        (module, fragment)
        for module, fragment in pytest_tiers.SLOW_TESTS
        if not any(line.startswith(f"tests/{module}.py::") and fragment in line for line in collected.splitlines())
    ]
    assert not unmatched, f"entries of SLOW_TESTS that match no test: {unmatched}"
