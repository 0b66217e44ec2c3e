"""Shared set-up: the tests import their helpers from this folder and the packages from the root."""

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for path in (HERE, HERE.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from checks.i18n import LANGUAGE_VARIABLE  # noqa: E402 - importable once the root is on the path


def pytest_report_header(config):
    """Which sandbox the grading tests run student code in (GRADING.md, "The sandbox")."""
    from grading import sandbox

    ok, detail = sandbox.availability()
    return f"grading sandbox: {detail}" if ok else f"grading sandbox: none ({detail}); grading refuses without it"


@pytest.fixture(autouse=True)
def course_language_left_as_found():
    """Put DL_FOUNDATIONS_LANGUAGE back as it was after every test.

    Opening the Korean course in this process (`classroom.open_course` loads ko/nbgrader_config.py, which
    sets the variable) would otherwise leave it set for every later test of the same worker: the browser
    test's English JupyterLab, started with this environment, then showed its learner Korean messages.
    """
    before = os.environ.get(LANGUAGE_VARIABLE)
    yield
    if before is None:
        os.environ.pop(LANGUAGE_VARIABLE, None)
    else:
        os.environ[LANGUAGE_VARIABLE] = before
