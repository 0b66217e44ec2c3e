"""nbgrader configuration of the Korean edition (한국어판), a course of its own.

It is the English course's configuration (the repository root's `nbgrader_config.py`: the same grader,
limits and preprocessors) with this folder as the course root: `solutions/` here holds the Korean
instructor notebooks and `notebooks/` their student versions, both built by `python3 course.py
korean`.  The gradebook, submissions, autograded copies and feedback of a Korean class live here too,
so a class working in Korean is never marked as missing an English notebook.  Run nbgrader from this
folder (`cd ko && nbgrader autograde 01_tensors --force`).
"""
import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = os.path.dirname(os.path.abspath(__file__))
load_subconfig(os.path.join(os.path.dirname(HERE), "nbgrader_config.py"))  # noqa: F821 - likewise

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "dl-foundations-ko"
c.CourseDirectory.db_url = os.environ.get(
    "DL_FOUNDATIONS_GRADEBOOK", "sqlite:///" + os.path.join(HERE, "gradebook.db")
)
# The grader speaks Korean: its own sentences (grading/messages.py) and, through each judge job, the check
# messages, as the Korean notebooks show them (checks/i18n.py).  The variable is also the default of
# c.CourseLanguage.language, for what runs in this process.
os.environ.setdefault("DL_FOUNDATIONS_LANGUAGE", "ko")
c.CourseLanguage.language = "ko"
