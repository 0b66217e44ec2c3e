"""The contributors' pre-commit hooks (.pre-commit-config.yaml): the configuration is valid, every hook's command
exists, and the output-hygiene check for notebooks/ names a notebook that carries outputs."""

import importlib.util
import shlex
import subprocess
import sys

import nbformat
import yaml

from tools import commands, hygiene
from tools.notebooks import NOTEBOOKS, ROOT

CONFIG = ROOT / ".pre-commit-config.yaml"


def hooks():
    return [hook for repo in yaml.safe_load(CONFIG.read_text())["repos"] for hook in repo["hooks"]]


def test_the_configuration_is_valid_for_pre_commit():
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def missing_command(entry):
    """Why the command of a hook's entry does not exist, or None when it does."""
    words = shlex.split(entry)
    if words[:2] == ["python3", "-m"]:
        return None if importlib.util.find_spec(words[2]) else f"no module {words[2]}"
    if words[:2] != ["python3", "course.py"]:
        return f"{entry!r} runs neither course.py nor a module of the repository"
    if words[2] not in commands.COMMANDS:
        return f"course.py has no command {words[2]!r}"
    for target in commands.test_targets(words[3:]) if words[2] == "test" else []:
        path, _, test = target.partition("::")
        if test and f"def {test}(" not in (ROOT / path).read_text():
            return f"{path} has no test {test}"
    return None


def test_every_hook_is_local_and_its_command_exists():
    config = yaml.safe_load(CONFIG.read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "a remote hook repository would be downloaded"
    found = {hook["id"]: missing_command(hook["entry"]) for hook in hooks()}
    assert {"ruff", "student-versions-carry-no-outputs", "student-versions-up-to-date", "pairs-up-to-date"} <= set(
        found
    )
    assert not {hook: why for hook, why in found.items() if why}
    assert missing_command("python3 course.py test tests/test_student_versions.py::no_such_test")
    assert missing_command("python3 course.py nonsense") and missing_command("python3 -m tools.no_such_module")


def test_the_student_versions_carry_no_outputs():
    dirty = {str(p.relative_to(ROOT)): hygiene.executed_cells(p) for p in sorted(NOTEBOOKS.glob("*/*.ipynb"))}
    assert dirty and not any(dirty.values()), dirty


def test_a_notebook_with_outputs_is_named(tmp_path, capsys):
    clean, run = tmp_path / "clean.ipynb", tmp_path / "run.ipynb"
    cells = [
        nbformat.v4.new_markdown_cell("# title"),
        nbformat.v4.new_code_cell("1 + 1"),
        nbformat.v4.new_code_cell("x = 2"),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), clean)
    cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    cells[2].execution_count = 2
    nbformat.write(nbformat.v4.new_notebook(cells=cells), run)
    assert hygiene.executed_cells(clean) == [] and hygiene.executed_cells(run) == [1, 2]
    assert hygiene.main([str(clean)]) == 0
    assert hygiene.main([str(clean), str(run)]) == 1
    err = capsys.readouterr().err
    assert str(run) in err and str(clean) not in err and "course.py generate" in err
