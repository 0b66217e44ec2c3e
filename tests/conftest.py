"""Shared set-up: the tests import their helpers from this folder and the packages from the root."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (HERE, HERE.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def pytest_report_header(config):
    """Which sandbox the grading tests run student code in (GRADING.md, "The sandbox")."""
    from grading import sandbox

    ok, detail = sandbox.availability()
    return f"grading sandbox: {detail}" if ok else f"grading sandbox: none ({detail}); grading refuses without it"
