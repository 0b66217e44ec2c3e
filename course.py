#!/usr/bin/env python3
"""One entry point for the series: set-up, JupyterLab, the headless run, the tests, and the chores.

    python3 course.py lab              open your own copy of the series (my-notebooks/) in JupyterLab
    python3 course.py lab --instructor open the repository in JupyterLab, with nbgrader's instructor tools
    python3 course.py lab --headless   execute every solution notebook, both editions, from a clean kernel
    python3 course.py reset NAME       start an exercise (describe_tensor) or notebook (01_tensors) afresh
    (lab, lab --headless and reset take --lang ko for the Korean edition: my-notebooks-ko/, ko/)
    python3 course.py test [ARGS]      run every test (pytest ARGS are passed on)
    python3 course.py generate [A ..]  rewrite notebooks/ from solutions/ (student versions), and review/ (pairs)
    python3 course.py refresh [A ..]   re-execute solutions/ in place, then regenerate notebooks/
    python3 course.py prefetch         fetch and verify MNIST into the cache (classrooms, CI)
    python3 course.py grade [DIR]      grade a class safely: gradebook, grades.csv, report, feedback
    python3 course.py benchmark        print the training benchmark's JSON line
    python3 course.py freeze [--check] write checks/frozen/ (the visible checks' expected values) from answer_key
    python3 course.py handout DIR [A ..] [--closed A ..] [--lang ko]
                                       build what students receive: notebooks and the checks wheel, scanned
    python3 course.py lint [--fix]     ruff over the code and the notebooks' code cells (--fix: fix and format)
    python3 course.py pair [--check]   write review/, solutions/ as readable Python files (--check: only compare)
  (A: assignment folders such as 01_tensors; all of them when none is named)

Only Python 3.10+ is needed to start: the first call makes a virtual environment in `.venv`
(`DL_FOUNDATIONS_VENV` chooses another place), installs `requirements.txt` and this repository into
it, and runs the command there.  `test` also installs requirements-dev.txt and requirements-grading.txt,
`grade` and `benchmark` requirements-grading.txt.  Later calls reuse it until a requirements file they
need changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from collections.abc import Mapping
from pathlib import Path

from tools.environment import with_bin_first

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DL_FOUNDATIONS_VENV", ROOT / ".venv"))
MIN_PYTHON = (3, 10)
# What every command needs: the learner's set (requirements.txt) and this repository itself (pyproject.toml).
BASE_INPUTS = ("requirements.txt", "pyproject.toml")
# The commands that need more, and the requirements files they add, so that a learner's install stays small.
EXTRA_REQUIREMENTS = {
    "test": ("requirements-dev.txt", "requirements-grading.txt"),
    "grade": ("requirements-grading.txt",),
    "benchmark": ("requirements-grading.txt",),
    "lint": ("requirements-dev.txt",),
    "pair": ("requirements-dev.txt",),
    "generate": ("requirements-dev.txt",),  # writes the pairs too (jupytext)
    "refresh": ("requirements-dev.txt",),
}
STAMP_NAME = ".dl-foundations-installed"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install_inputs(command: str) -> tuple[str, ...]:
    """The files (relative to the repository) whose content the environment must reflect for `command`."""
    return BASE_INPUTS + EXTRA_REQUIREMENTS.get(command, ())


def requirements_digests(inputs: tuple[str, ...]) -> dict[str, str]:
    """A fingerprint of each input and of this Python; one that changed means install again."""
    digests = {"python": hashlib.sha256(sys.version.encode()).hexdigest()}
    digests.update({name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest() for name in inputs})
    return digests


def read_stamp(stamp: Path) -> dict[str, str]:
    """What was installed, as `name digest` lines (empty for a new environment or an older stamp)."""
    lines = stamp.read_text().splitlines() if stamp.exists() else []
    return dict(line.split(" ", 1) for line in lines if " " in line)


def missing_inputs(installed: dict[str, str], wanted: dict[str, str]) -> list[str]:
    """The wanted inputs that the environment does not hold in their current version."""
    return [name for name, digest in wanted.items() if installed.get(name) != digest]


def ensure_environment(command: str) -> Path:
    """Create or update the venv so that it holds what `command` needs; return its python."""
    python = venv_python()
    stamp = VENV / STAMP_NAME
    inputs = install_inputs(command)
    wanted = requirements_digests(inputs)
    installed = read_stamp(stamp) if python.exists() else {}
    if installed.get("python") != wanted["python"]:
        installed = {}
    if not missing_inputs(installed, wanted):
        return python
    if not python.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the series' requirements (first run only; a few minutes; pip reports as it goes) ...", flush=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    requirements = [arg for name in inputs if name.endswith(".txt") for arg in ("-r", str(ROOT / name))]
    subprocess.run(pip + requirements, check=True)
    subprocess.run(pip + ["--no-deps", "-e", str(ROOT)], check=True)
    installed.update(wanted)
    stamp.write_text("".join(f"{name} {digest}\n" for name, digest in installed.items()))
    return python


def in_environment() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def command_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The command's environment: the venv's bin folder leads PATH, and this repository leads PYTHONPATH."""
    env = with_bin_first(env, venv_python().parent)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        needed, found = ".".join(map(str, MIN_PYTHON)), sys.version.split()[0]
        sys.exit(f"The series needs Python {needed} or newer; this is {found}.")
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if not in_environment():
        python = ensure_environment(argv[0])
        command = subprocess.Popen(
            [str(python), str(Path(__file__).resolve()), *argv], env=command_environment(os.environ)
        )
        while True:
            try:
                return command.wait()
            except KeyboardInterrupt:  # the command got the same Ctrl-C: let it stop in its own way
                continue
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from tools import commands  # inside the venv: the commands need its packages

    return commands.dispatch(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
