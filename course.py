#!/usr/bin/env python3
"""One entry point for the series: set-up, JupyterLab, the headless run, the tests, and the chores.

    python3 course.py lab              open your own copy of the series (my-notebooks/) in JupyterLab
    python3 course.py lab --instructor open the repository in JupyterLab, with nbgrader's instructor tools
    python3 course.py lab --headless   execute every solution notebook from a clean kernel
    python3 course.py reset NAME       start an exercise (describe_tensor) or notebook (01_tensors) afresh
    python3 course.py test [ARGS]      run every test (pytest ARGS are passed on)
    python3 course.py generate [A ..]  rewrite notebooks/ from solutions/ (student versions)
    python3 course.py refresh [A ..]   re-execute solutions/ in place, then regenerate notebooks/
    python3 course.py prefetch         fetch and verify MNIST into the cache (classrooms, CI)
    python3 course.py grade [DIR]      grade a class safely: gradebook, grades.csv, report, feedback
    python3 course.py benchmark        print the training benchmark's JSON line
    python3 course.py freeze [--check] write checks/frozen/ (the visible checks' expected values) from answer_key
    python3 course.py handout DIR [A ..] [--closed A ..] [--lang ko]
                                       build what students receive: notebooks and the checks wheel, scanned
  (A: assignment folders such as 01_tensors; all of them when none is named)

Only Python 3.10+ is needed to start: the first call makes a virtual environment in `.venv`
(`DL_FOUNDATIONS_VENV` chooses another place), installs `requirements.txt` and this repository into
it, and runs the command there.  Later calls reuse it until the requirements change.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DL_FOUNDATIONS_VENV", ROOT / ".venv"))
INSTALL_INPUTS = ("requirements.txt", "pyproject.toml")
MIN_PYTHON = (3, 10)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirements_digest() -> str:
    """A fingerprint of what the environment must hold; a change means install again."""
    digest = hashlib.sha256()
    for name in INSTALL_INPUTS:
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_environment() -> Path:
    """Create or update `.venv` so that it holds exactly what the series needs; return its python."""
    python = venv_python()
    stamp = VENV / ".dl-foundations-installed"
    wanted = requirements_digest()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the series' requirements (first run only; a few minutes; pip reports as it goes) ...",
          flush=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run(pip + ["-r", str(ROOT / "requirements.txt")], check=True)
    subprocess.run(pip + ["--no-deps", "-e", str(ROOT)], check=True)
    stamp.write_text(wanted)
    return python


def in_environment() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def with_venv_path(env: dict) -> dict:
    """nbgrader starts `alembic` and Jupyter starts kernels by name: the venv's bin must lead PATH."""
    env = dict(env)
    env["PATH"] = str(venv_python().parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"The series needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is {sys.version.split()[0]}.")
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if not in_environment():
        python = ensure_environment()
        command = subprocess.Popen([str(python), str(Path(__file__).resolve()), *argv], env=with_venv_path(os.environ))
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
