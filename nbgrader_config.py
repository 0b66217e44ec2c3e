"""nbgrader configuration for this repository as a course.

`solutions/` holds the instructor's source notebooks and `notebooks/` the student versions nbgrader
writes from them (its "release" folder).  The course root is this file's folder, so the commands work
whatever the working directory.  Submissions, autograded copies and feedback go to the usual nbgrader
folders under the root (`submitted/`, `autograded/`, `feedback/`), which git ignores.
"""
import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.course_id = "dl-foundations"
c.CourseDirectory.db_url = os.environ.get(
    "DL_FOUNDATIONS_GRADEBOOK", "sqlite:///" + os.path.join(ROOT, "gradebook.db")
)

# Training the MNIST network takes tens of seconds: allow it, but stop a runaway cell.
c.Execute.timeout = 600
# Student notebooks are run with the kernel the series pins, whatever a submission claims.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
