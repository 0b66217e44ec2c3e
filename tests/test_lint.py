"""ruff, as pyproject.toml configures it, finds nothing in the Python code and in the code cells of solutions/."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import lint
from tools.notebooks import ROOT


def test_ruff_finds_nothing_in_the_code_and_the_notebooks():
    findings = lint.lint_findings()
    assert not findings, f"{len(findings)} ruff findings (`python3 course.py lint`):\n" + "\n".join(map(str, findings))


def test_ruff_format_would_change_nothing():
    files = sorted({place.path for place in lint.unformatted()})
    assert not files, f"{len(files)} files to format (`python3 course.py lint --fix`):\n" + "\n".join(files)


def test_the_solution_notebooks_are_linted_and_what_is_built_from_them_is_not():
    """solutions/ is linted; notebooks/, ko/ and review/ are built from it and would only repeat its findings."""
    listed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--show-files", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    files = [line.strip() for line in listed.splitlines() if line.strip()]
    relative = [str(Path(f).relative_to(ROOT)) for f in files if Path(f).is_absolute()]
    assert {str(p.relative_to(ROOT)) for p in (ROOT / "solutions").glob("*/*.ipynb")} <= set(relative)
    assert "course.py" in relative and "tools/lint.py" in relative
    built = [f for f in relative if f.split("/")[0] in ("notebooks", "ko", "review")]
    assert not built, f"ruff lints files built from solutions/: {built}"


@pytest.fixture
def project(tmp_path):
    """A folder with the repository's ruff configuration."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def notebook(path, *sources):
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path)


def test_findings_name_the_file_the_cell_the_line_and_the_rule(project):
    (project / "module.py").write_text("import os\n\n\ndef f(values):\n    return [lambda: v for v in values]\n")
    notebook(project / "lesson.ipynb", "x = 1", "import math\ny = 2\n")
    findings = [str(f) for f in lint.lint_findings(root=project)]
    assert "module.py:1:8: F401 `os` imported but unused" in findings
    assert any(f.startswith("module.py:5:") and " B023 " in f for f in findings)
    assert "lesson.ipynb:cell 2:1:8: F401 `math` imported but unused" in findings


def test_magics_and_nbgrader_markers_pass_and_bad_formatting_is_named(project):
    """IPython magics (%matplotlib, !pip, %%time) and `### BEGIN SOLUTION` markers are no findings."""
    clean = (
        "%matplotlib inline\n!pip --version\nimport numpy as np",
        "%%time\nnp.zeros(3)",
        'def f(x):\n    """Twice x."""\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION',
        "### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS",
    )
    notebook(project / "clean.ipynb", *clean)
    assert lint.lint_findings(root=project) == []
    assert lint.unformatted(root=project) == []
    notebook(project / "messy.ipynb", *clean, "f(  2 )")
    (project / "messy.py").write_text("x = {'a':1}\n")
    assert sorted({place.path for place in lint.unformatted(root=project)}) == ["messy.ipynb", "messy.py"]
    message = lint.report([], lint.unformatted(root=project))
    assert "messy.ipynb: would be reformatted" in message and "course.py lint --fix" in message
