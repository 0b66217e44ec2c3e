"""Grade fixtures with another copy of the grader (the one before the sandbox), to see what they did to it.

    python tests/grading_fixtures/old_grader.py GRADER_ROOT [NAME ...]

`GRADER_ROOT` is a checkout of the repository whose `grading/` is used (make one of main with
`git -C MAIN archive HEAD | tar -x -C /tmp/main-copy`; never point it at a checkout you care about: the
attacks may overwrite files of the course they are graded in).  The class is graded in a scratch course
folder with the limits of tests/test_grading_fixtures.py and one line per fixture is printed: its score,
what the report says of it, and what the attack did outside the grader (a sentinel file overwritten,
a process killed, a listener reached, a process left running, the size of what was written).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# What the runaway and leak fixtures' answers print about what they saw inside the sandbox.
PRINTED = ("processes in the sandbox", "busy workers still running", "LEAKED [[[")


def main(argv: list) -> int:
    root = Path(argv[0]).resolve()
    sys.path[:0] = [str(root), str(HERE.parent)]
    import grading_fixtures as fixtures
    from grading import classroom

    names = argv[1:] or list(fixtures.load_all())
    fixtures.load_all()
    listener, heard = fixtures.listener()
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    with tempfile.TemporaryDirectory(prefix="dl-old-grader-") as scratch:
        course = Path(scratch)
        sentinel = course / "instructor_notes.txt"
        sentinel.write_text("the instructor's own file\n")
        context = {"course": course, "sentinel": sentinel, "victim": victim.pid, "port": listener.getsockname()[1]}
        fixtures.write_class(course / "incoming", names + ["right_answers"] * ("right_answers" not in names), context)
        settings = fixtures.class_settings(course, jobs=2, feedback=True)
        start = time.monotonic()
        from grading_fixtures.attacks import BOMB_MARKER, BUSY_MARKER

        counter = fixtures.ProcessCounter((BOMB_MARKER.encode(), BUSY_MARKER.encode()))
        try:
            with counter:
                summary = classroom.grade_class(course / "incoming", settings)
            error = ""
        except BaseException as failure:  # the grader itself may be what the attack stops
            summary, error = {"outcomes": [], "totals": {}}, f"{type(failure).__name__}: {failure}"
        seconds = time.monotonic() - start
        time.sleep(1)
        strays = subprocess.run(["pgrep", "-f", "dl-grading-stray-fixture"], capture_output=True, text=True).stdout
        report = course / "autograded" / "_grading" / "report.md"
        for outcome in summary["outcomes"]:
            s = outcome.submission
            score = summary["totals"].get((s.student, s.assignment))
            autograded = course / "autograded" / s.student / s.assignment / f"{s.notebook}.ipynb"
            print(
                json.dumps(
                    {
                        "fixture": s.student,
                        "graded": outcome.graded,
                        "error": outcome.error[:300],
                        "score": score,
                        "tampering": [t.get("what") for t in outcome.record.get("tampering", [])][:8],
                        "autograded_bytes": autograded.stat().st_size if autograded.exists() else None,
                        "printed": sorted(set(fixtures.printed_lines(autograded, PRINTED)))[:8],
                        "messages": [
                            t["message"][:300] for t in outcome.record.get("tests", {}).values() if not t["passed"]
                        ][:4],
                    }
                )
            )
        print(
            json.dumps(
                {
                    "class": True,
                    "error": error,
                    "seconds": round(seconds, 1),
                    "sentinel": sentinel.read_text()[:200] if sentinel.exists() else None,
                    "victim_alive": victim.poll() is None,
                    "listener_heard": [h[:200].decode("utf-8", "replace") for h in heard[:3]],
                    "strays": strays.split(),
                    "most_seen_at_once": {k.decode(): v for k, v in counter.most.items()},
                    "left_running": {m: len(fixtures.processes_named(m.encode())) for m in (BOMB_MARKER, BUSY_MARKER)},
                    "report_bytes": report.stat().st_size if report.exists() else None,
                    "report_fake_headings": report.read_text().count("### right_answers") if report.exists() else None,
                }
            )
        )
    victim.kill()
    for pid in strays.split():  # the processes a fixture left running: ended by their ids
        try:
            os.kill(int(pid), 9)
        except (OSError, ValueError):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
