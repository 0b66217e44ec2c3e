"""Grading that a submission cannot fool: the instructor's tests and the student's code in two processes.

`grading.judge` runs the graded test cells, `grading.student` the submission's code behind the fence of
`grading.sandbox`; `grading.wire` carries plain values between them and `grading.remote` proxies what
stays behind.  `grading.plan` rebuilds a submitted notebook around the instructor's source,
`grading.nbgrader_plugins` plugs all of it into nbgrader's autograde and feedback, and
`grading.classroom` grades a whole class (`python3 course.py grade`).  `grading.records` types what
crosses a process boundary, `grading.cache` keeps judge results on disk, `grading.history` keeps what
a regrade replaced, and `grading.cluster` judges on a Dask cluster.  GRADING.md explains the design.
"""
