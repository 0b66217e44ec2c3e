"""A pytest plugin for the test tiers of `course.py test`: which tests are slow, and how they run in parallel.

*Slow* tests start kernels, run nbgrader, grade whole notebooks or train on MNIST; `course.py test --quick`
leaves them out (`-m "not slow"`). The list is kept here, in one place, rather than as decorators spread over
the test files, and a test (tests/test_course_commands.py) keeps it honest: every name below must match a
collected test.

Under pytest-xdist the cells of one notebook must run in order in one kernel: `course.py test` uses
`--dist loadscope`, which keeps each notebook (and each test module) on one worker.
"""

from __future__ import annotations

import pytest

# Test modules whose every test is slow, with the reason.
SLOW_MODULES = {
    "test_grading_pipeline": "nbgrader's generate, autograde, feedback and export on every notebook",
    "test_grading_fixtures": "grades whole notebooks full of cheats, runaways and broken files",
    "test_grading_judge": "starts a judge and a student process per test",
    "test_grading_classroom": "grades small classes several times, with nbgrader",
    "test_grading_cluster": "starts a Dask scheduler and two workers and grades a class through them",
    "test_benchmark": "trains the network to time it",
    "test_browser": "drives JupyterLab in Chromium",
}
# Single slow tests elsewhere: (module, a substring of the test's id), with the reason.
SLOW_TESTS = {
    ("test_exercise_tests", "train_mlp"): "trains the MNIST network",
    ("test_student_versions", "test_student_versions_are_up_to_date"): "runs nbgrader generate_assignment",
    ("test_korean_edition", "test_korean_student_versions_are_up_to_date"): "runs nbgrader generate_assignment",
    ("test_student_versions", "run_all_with_stubs"): "executes every student version in a kernel",
    ("test_progress", "a_kernel"): "starts a kernel",
    ("test_partial_credit", "_under_"): "starts a kernel, and a judge with a student process",
}


def slow_reason(item: pytest.Item) -> str | None:
    """Why this test is slow, or None when it is quick."""
    if is_notebook_cell(item):
        return "runs a notebook's cells in a kernel (nbval)"
    module = item.path.stem
    if module in SLOW_MODULES:
        return SLOW_MODULES[module]
    for (slow_module, fragment), reason in SLOW_TESTS.items():
        if module == slow_module and fragment in item.nodeid:
            return reason
    return None


def is_notebook_cell(item: pytest.Item) -> bool:
    return item.path.suffix == ".ipynb"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: left out by `course.py test --quick` (see tools/pytest_tiers.py)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if slow_reason(item):
            item.add_marker(pytest.mark.slow)
