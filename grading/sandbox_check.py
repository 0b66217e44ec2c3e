"""`python3 course.py sandbox-check`: verify, on this machine, that the sandbox isolates a student process.

It grades one tiny notebook whose answer cell tries what a determined student would: read the course
root, `solutions/`, `answer_key/`, a gradebook beside the course and the home folder; write outside its
folder; reach the network; see or signal a process outside; keep capabilities or gain privileges; fork
past the sandbox's process limit (a fork bomb), raise that limit or the CPU-time limit, busy-loop past
the CPU-time limit; leave a process running after grading. Each attempt is printed with what happened,
and the command exits 0 only when every one was refused. Where no sandbox can start it says what is
missing and how to get it, and exits 2.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import textwrap
import time

from . import plan, runner, sandbox
from .judge import data_paths as judge_data_paths

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = "dl-sandbox-check-stray"

PROBE = """
import json, os, resource, signal, socket, subprocess, sys, time
found = {}
def attempt(name, action, detail=False):
    try:
        action()
        found[name] = "ALLOWED"
    except BaseException as error:
        found[name] = f"refused ({type(error).__name__}{': ' + str(error)[:120] if detail else ''})"
def read(path):
    with open(path, "rb") as handle:
        handle.read(1)
def listing(path):
    if not set(os.listdir(path)) - MOUNT_POINTS:
        raise FileNotFoundError("nothing but the folders above the Python environment")
def outside_process():
    os.kill(JUDGE, 0)
def capabilities():
    status = open("/proc/self/status").read()
    effective = [line for line in status.splitlines() if line.startswith(("CapEff", "CapPrm"))]
    nnp = [line for line in status.splitlines() if line.startswith("NoNewPrivs")]
    if any(int(line.split()[1], 16) for line in effective) or not nnp or nnp[0].split()[1] != "1":
        return
    raise PermissionError("no capabilities, no new privileges")
def fork_bomb():
    children = []
    try:
        while len(children) < PROCESS_LIMIT + 50:
            pid = os.fork()
            if pid == 0:
                time.sleep(60)
                os._exit(0)
            children.append(pid)
    except OSError:
        raise PermissionError(f"stopped after {len(children)} processes (the limit is {PROCESS_LIMIT})")
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
def raise_limit(which):
    resource.setrlimit(which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
def busy_past_the_cpu_limit():
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard == resource.RLIM_INFINITY:
        return
    pid = os.fork()
    if pid == 0:
        resource.setrlimit(resource.RLIMIT_CPU, (1, 1))   # a lower limit, so that the check is quick
        while True:
            pass
    end = time.monotonic() + 15
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            raise PermissionError(f"a busy process was stopped ({signal.Signals(os.WTERMSIG(status)).name}); "
                                  f"each may use {hard} s")
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
def stray():
    if os.fork() == 0:
        os.setsid()
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(120)", MARKER])
    raise PermissionError("started; checked from outside after grading")
attempt("read the course root", lambda: listing(ROOT))
attempt("read solutions/", lambda: listing(os.path.join(ROOT, "solutions")))
attempt("import answer_key", lambda: __import__("answer_key"))
attempt("read a gradebook beside the course", lambda: read(GRADEBOOK))
attempt("read the home folder", lambda: listing(HOME))
found["home folder shows"] = sorted(os.listdir(HOME)) if os.path.isdir(HOME) else []
attempt("write outside its folder", lambda: open(os.path.join(OUTSIDE, "planted.txt"), "w").write("x"))
attempt("reach the network", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3))
attempt("reach this machine's loopback", lambda: socket.create_connection(("127.0.0.1", PORT), timeout=3))
attempt("signal a process outside", outside_process)
attempt("keep capabilities or gain privileges", capabilities)
attempt("fork past the process limit", fork_bomb, detail=True)
attempt("raise the process limit", lambda: raise_limit(resource.RLIMIT_NPROC))
attempt("raise the CPU-time limit", lambda: raise_limit(resource.RLIMIT_CPU))
attempt("busy-loop past the CPU-time limit", busy_past_the_cpu_limit, detail=True)
attempt("leave a process running", stray)
print(json.dumps(found))
def done():
    return True
"""


def probe_job(gradebook: str, outside: str, port: int, limits: plan.Limits) -> dict:
    points = {
        os.path.relpath(f, ROOT).split(os.sep)[0] for f in sandbox.python_folders() if f.startswith(ROOT + os.sep)
    }
    constants = (
        f"MOUNT_POINTS = {points!r}\nROOT = {ROOT!r}\nGRADEBOOK = {gradebook!r}\nHOME = {os.path.expanduser('~')!r}\n"
        f"OUTSIDE = {outside!r}\nPORT = {port}\nJUDGE = {os.getpid()}\nMARKER = {MARKER!r}\n"
        f"PROCESS_LIMIT = {sandbox.runaway_limits(limits.to_dict(), test_cells=1)['processes']}\n"
    )
    cells = [
        {"index": 0, "role": "answer", "source": constants + textwrap.dedent(PROBE), "label": "probe"},
        {
            "index": 1,
            "role": "test",
            "source": "assert done()",
            "label": "probe_tests",
            "grade_id": "probe_tests",
            "exercise": "probe",
            "points": 1.0,
        },
    ]
    return {"cells": cells, "limits": limits.to_dict(), "course_packages": ["checks", "notebook_helpers"]}


def stray_alive() -> bool:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if MARKER.encode() in handle.read():
                        return True
            except OSError:
                continue
    return False


def run_check(mode: str = "bwrap") -> tuple:
    """`(every attempt refused, {attempt: what happened})` for one probe graded in `mode`."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.1)
    with tempfile.TemporaryDirectory(prefix="dl-sandbox-check-") as outside:
        gradebook = os.path.join(outside, "gradebook.db")
        with open(gradebook, "w") as handle:
            handle.write("grades")
        limits = plan.Limits(cell_timeout=30.0, notebook_timeout=120.0, memory_mb=1024, threads=1, sandbox=mode)
        result = runner.run_job(probe_job(gradebook, outside, listener.getsockname()[1], limits))
        planted = os.path.exists(os.path.join(outside, "planted.txt"))
    try:
        listener.accept()[0].close()
        reached = True
    except OSError:
        reached = False
    listener.close()
    if result.get("judge_error"):
        return False, {"the grader": result["judge_error"]}
    text = "".join(o.get("text", "") for o in result["cells"].get("0", {}).get("outputs", []))
    try:
        found = json.loads(text.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return False, {"the probe": f"did not run ({text[-300:]!r})"}
    home = os.path.realpath(os.path.expanduser("~"))
    mounted = {
        os.path.relpath(path, home).split(os.sep)[0]
        for path in sandbox.python_folders() + [os.path.realpath(p) for p in judge_data_paths()]
        if path.startswith(home + os.sep)
    }
    shown = set(found.pop("home folder shows", []))
    found["read the home folder"] = (
        f"ALLOWED ({sorted(shown - mounted)[:5]})"
        if shown - mounted
        else "refused (only the empty folders above the Python environment and the MNIST cache)"
    )
    if planted:
        found["write outside its folder"] = "ALLOWED (the file is there)"
    if reached:
        found["reach this machine's loopback"] = "ALLOWED (the listener was reached)"
    time.sleep(0.5)
    found["leave a process running"] = "ALLOWED (still running)" if stray_alive() else "refused (ended with it)"
    found["the sandbox"] = result.get("sandbox", {}).get("sandbox", "?")
    return all(not str(v).startswith("ALLOWED") for v in found.values()), found


def main(argv: list) -> int:
    ok, detail = sandbox.availability()
    if not ok:
        print(f"No sandbox can start on this machine: {detail}.\nTo grade, {sandbox.INSTALL_HINT}.")
        return 2
    print(f"Sandbox: {detail}")
    isolated, found = run_check()
    for attempt, outcome in found.items():
        print(f"  {attempt:<40} {outcome}")
    print("every attempt was refused: the sandbox works" if isolated else "SOME ATTEMPTS GOT THROUGH: do not grade")
    return 0 if isolated else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
