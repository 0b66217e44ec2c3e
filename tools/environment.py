"""Environment variables for the programs the series starts; standard library only, so that course.py can use
it before the virtual environment exists and grading/ without course.py's set-up."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path


def with_bin_first(env: Mapping[str, str], bin_folder: Path | None = None) -> dict[str, str]:
    """A copy of `env` whose PATH starts with `bin_folder` (by default the running Python's own).

    nbgrader starts `alembic` and Jupyter starts kernels by name, so the environment's bin folder must lead PATH
    even when the environment was not activated.
    """
    folder = Path(sys.executable).parent if bin_folder is None else bin_folder
    return {**env, "PATH": str(folder) + os.pathsep + env.get("PATH", "")}
