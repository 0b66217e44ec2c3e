"""The OS sandbox around a student process: bubblewrap (Linux namespaces), and what to do without it.

`command` builds the `bwrap` command line that starts a student process in a sandbox of its own:

- its own mount namespace, which shows the Python environment, the course's `checks` and
  `notebook_helpers` packages, the student side of `grading` and the MNIST cache, all read-only, plus
  the submission's files (read-only, at `/sandbox/submission`) and two fresh, size-limited, private folders
  (`/sandbox/work`, where it runs, and `/tmp`).  Nothing else of the machine is there: no course root, no
  `solutions/`, no `answer_key/`, no gradebook, no classmates, no home folder;
- its own PID namespace: it sees and can signal only its own processes, and all of them die with it;
- its own network namespace (no network at all), IPC and UTS namespaces; no new privileges and no
  capabilities; the time and memory limits of `grading.plan.Limits` (time from the judge, memory by
  `RLIMIT_AS`, set by the student process before any submitted code runs: `set_limits`).

Where bubblewrap cannot start (not installed, no user namespaces, not Linux), grading refuses
(`SandboxUnavailable`, whose message names the missing piece and how to get it) unless the instructor
asks for grading without a sandbox (`--no-sandbox`, `c.SandboxedExecute.sandbox = "off"`); every
report and feedback then says so (`UNSANDBOXED_NOTE`).  `python3 course.py sandbox-check` verifies
the sandbox on an instructor's machine (`grading.sandbox_check`).
"""
from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Optional

BWRAP = "bwrap"
MOUNT_WORK, MOUNT_TMP, MOUNT_SUBMISSION, MOUNT_COURSE, MOUNT_GRADER = \
    "/sandbox/work", "/tmp", "/sandbox/submission", "/sandbox/course", "/sandbox/grader"
# The modules of `grading` the student process runs (nothing of the judge's side is needed there).
STUDENT_MODULES = ("__init__.py", "student.py", "wire.py", "sandbox.py")
# System folders a Python process needs (libraries, the dynamic loader's cache); `/usr` holds no course file.
SYSTEM_FOLDERS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
                "/etc/nsswitch.conf", "/etc/fonts", "/etc/ssl/certs/ca-certificates.crt")
INSTALL_HINT = ("install bubblewrap (Debian and Ubuntu: `apt-get install bubblewrap`; Fedora: `dnf install "
                "bubblewrap`) and allow user namespaces (`sysctl kernel.unprivileged_userns_clone=1` where the "
                "kernel has that switch), then check with `python3 course.py sandbox-check`; or grade without "
                "a sandbox, knowingly, with `--no-sandbox` (see GRADING.md)")
UNSANDBOXED_NOTE = ("These grades were made WITHOUT a sandbox (--no-sandbox): the submissions' code could read "
                    "and write the grader's files and use the network.")


class SandboxUnavailable(RuntimeError):
    """No sandbox can start on this machine, and grading without one was not asked for."""


@dataclass
class SandboxSettings:
    """What the student process may use.  Sizes in MB; paths absolute, on the instructor's machine."""

    submission: str                    # the submission's files, prepared by the judge (read-only inside)
    grader_files: str                  # the judge's read-only extras (matplotlib's font list)
    memory_mb: int                     # address space, from the job's limits (grading/limits.py)
    file_size_mb: int = 256
    work_mb: int = 512                 # size of the private /work and /tmp folders, each
    mode: str = "bwrap"                # "bwrap": the OS sandbox; "off": none (the flagged fallback)
    course_root: str = ""
    course_packages: list = field(default_factory=lambda: ["checks", "notebook_helpers"])
    data_paths: list = field(default_factory=list)


def set_limits(memory_mb: int, file_size_mb: int) -> None:
    """Address space, file size, no core dumps: set in the student process before submitted code runs.

    The sandbox makes the process unable to raise them again (no capabilities, no new privileges).
    """
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    size = file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def python_folders() -> list:
    """The Python environment the student process runs in: the interpreter's and the venv's prefixes."""
    folders = []
    for path in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                 os.path.dirname(os.path.realpath(sys.executable))):
        real = os.path.realpath(path)
        if os.path.isdir(real) and not any(real == f or real.startswith(f + os.sep) for f in folders):
            folders = [f for f in folders if not f.startswith(real + os.sep)] + [real]
    return folders


def _bind_system(args: list) -> None:
    for path in SYSTEM_FOLDERS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]


def command(settings: SandboxSettings, python_args: list, env: dict) -> list:
    """The `bwrap` command that runs `python_args` (an interpreter and its arguments) in the sandbox,
    with exactly the environment variables `env`."""
    for folder in python_folders():
        if settings.course_root and (settings.course_root + os.sep).startswith(folder + os.sep):
            raise SandboxUnavailable(f"the Python environment {folder} holds the course folder itself, so the "
                                     "sandbox cannot show one without the other; use a virtual environment "
                                     "inside or beside the course (python3 course.py makes .venv)")
    args = [BWRAP, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--hostname", "sandbox", "--clearenv"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    size = str(settings.work_mb * 1024 * 1024)
    args += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", MOUNT_WORK, "--size", size,
             "--tmpfs", MOUNT_TMP]
    _bind_system(args)
    for folder in python_folders():
        if not any(folder == s or folder.startswith(s + os.sep) for s in SYSTEM_FOLDERS):
            args += ["--ro-bind", folder, folder]
    args += ["--ro-bind", settings.submission, MOUNT_SUBMISSION, "--ro-bind", settings.grader_files, MOUNT_GRADER]
    root = settings.course_root
    for package in settings.course_packages:
        if os.path.isdir(os.path.join(root, package)):
            args += ["--ro-bind", os.path.join(root, package), f"{MOUNT_COURSE}/{package}"]
    for module in STUDENT_MODULES:
        args += ["--ro-bind", os.path.join(root, "grading", module), f"{MOUNT_COURSE}/grading/{module}"]
    for path in settings.data_paths:
        real = os.path.realpath(path)
        if os.path.isdir(real):
            args += ["--ro-bind", real, real]
    args += ["--chdir", MOUNT_WORK, "--"]
    return args + python_args


def bwrap_path() -> Optional[str]:
    return shutil.which(BWRAP)


@functools.lru_cache(maxsize=1)
def availability() -> tuple:
    """`(True, version)` when bubblewrap can start a sandbox here, else `(False, what is missing)`."""
    if not sys.platform.startswith("linux"):
        return False, f"this is {sys.platform}, not Linux: bubblewrap needs Linux namespaces"
    path = bwrap_path()
    if path is None:
        return False, "bubblewrap (`bwrap`) is not installed"
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
        probe = subprocess.run([path, "--unshare-all", "--die-with-parent", "--cap-drop", "ALL", "--ro-bind", "/",
                                "/", "--proc", "/proc", "--dev", "/dev", "true"], capture_output=True, text=True,
                               timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, f"bubblewrap could not be run ({error})"
    if probe.returncode != 0:
        reason = (probe.stderr or probe.stdout).strip().splitlines()[-1:] or ["no message"]
        return False, f"bubblewrap is installed but cannot create namespaces here ({reason[0][:300]})"
    return True, version or "bubblewrap"


def require(mode: str) -> dict:
    """The sandbox status to record for `mode`; raises `SandboxUnavailable` when "bwrap" cannot start."""
    if mode == "off":
        return {"sandbox": "none: graded without a sandbox (--no-sandbox)", "note": UNSANDBOXED_NOTE}
    ok, detail = availability()
    if not ok:
        raise SandboxUnavailable(f"No sandbox can start on this machine: {detail}. To grade, {INSTALL_HINT}.")
    return {"sandbox": f"{detail}: own mount, PID, network, IPC and UTS namespaces; read-only Python, course "
                       "packages and MNIST cache; private /sandbox/work and /tmp; no capabilities, no new privileges"}
