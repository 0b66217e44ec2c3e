"""nbgrader configuration for this repository as a course.

`solutions/` holds the instructor's source notebooks and `notebooks/` the student versions nbgrader
writes from them (its "release" folder).  The course root is this file's folder, so the commands work
whatever the working directory.  Submissions, autograded copies and feedback go to the usual nbgrader
folders under the root (`submitted/`, `autograded/`, `feedback/`), which git ignores.
"""

import os
import sys

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.course_id = "dl-foundations"
c.CourseDirectory.db_url = os.environ.get("DL_FOUNDATIONS_GRADEBOOK", "sqlite:///" + os.path.join(ROOT, "gradebook.db"))

# Grading that an answer cell cannot fool (GRADING.md): the tests run in a judge process, the student's
# code in a bubblewrap sandbox of its own; a broken submission is rebuilt around the source or graded zero
# with a note; feedback never shows hidden tests.  Limits are per submitted notebook.
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from grading.nbgrader_plugins import (  # noqa: E402
    HideHiddenTests,
    RebuildSubmission,
    RecordGrading,
    SandboxedExecute,
    TolerantNotebookExporter,
)
from nbgrader.converters import GenerateAssignment  # noqa: E402
from nbgrader.coursedir import CourseDirectory  # noqa: E402

from grading import limits  # noqa: E402
from tools.notebooks import ANSWER_STUB  # noqa: E402
from tools.run_all_tags import TagCellsThatNeedAnswers  # noqa: E402

# nbgrader's own execution (the students' Validate button): each cell may take what the grader gives it,
# from the reference solution's measured cost (grading/limits.py), so a runaway stops in seconds while
# training the MNIST network (tens of seconds) still fits.  The measured costs (<notebook>.costs.json
# beside each source notebook) are the instructor's: generate_assignment does not release them.
c.CourseDirectory.ignore = [*CourseDirectory.ignore.default(), "*" + limits.COSTS_SUFFIX]
c.Execute.timeout = limits.DEFAULTS.cell_timeout
c.Execute.timeout_func = limits.validate_timeout

# Student versions (generate_assignment): each answer becomes ANSWER_STUB, and each cell that fails while
# the answers are stubs is tagged raises-exception, so that JupyterLab's Run All shows the failure and goes
# on to the end (tools/run_all_tags.py).
c.ClearSolutions.code_stub = {"python": ANSWER_STUB}
c.GenerateAssignment.preprocessors = [*GenerateAssignment.preprocessors.default(), TagCellsThatNeedAnswers]

c.Autograde.exporter_class = TolerantNotebookExporter
c.Autograde.sanitize_preprocessors = [
    RebuildSubmission,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    SandboxedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    RecordGrading,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
# The grader's limits and their defaults are in grading/limits.py; to change them, set here
# c.SandboxedExecute.cell_timeout (the ceiling of each cell's limit), .fit = False (that ceiling for every
# cell), .notebook_timeout (a cap on a notebook's cells), .memory_mb, .threads, or .sandbox = "off" (flagged).
