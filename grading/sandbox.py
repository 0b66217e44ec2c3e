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
  `RLIMIT_AS`, set by the student process before any submitted code runs: `set_limits`);
- a cap on its processes (`RLIMIT_NPROC`) and on each process's CPU time (`RLIMIT_CPU`), so that a fork
  bomb cannot take the machine (`runaway_limits`), and every process a cell or a test started ends with
  it (`end_strays`, called by the judge);
- each test sees the private folders as the last cell left them (`snapshot_folders`, `restore_folders`,
  called by the judge), so no file an earlier test's calls wrote reaches a later test.

`RLIMIT_NPROC` counts the tasks of one user id, and the kernel never applies it to root. So when the
grader runs as an ordinary user, bubblewrap's user namespace makes the count the sandbox's own (the
kernel counts per user namespace since Linux 5.14; on older kernels the count would be all of the
instructor's processes, so no process cap is set there); when the grader runs as root, the sandbox gets
no user namespace and the student process drops, before any submitted code runs, to a user id of its own
that nothing else on the machine uses (`student_uid`, `drop_privileges`), whose count is that sandbox's
alone.

Where bubblewrap cannot start (not installed, no user namespaces, not Linux), grading refuses
(`SandboxUnavailable`, whose message names the missing piece and how to get it) unless the instructor
asks for grading without a sandbox (`--no-sandbox`, `c.SandboxedExecute.sandbox = "off"`); every
report and feedback then says so (`UNSANDBOXED_NOTE`).  `python3 course.py sandbox-check` verifies
the sandbox on an instructor's machine (`grading.sandbox_check`).
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Optional

BWRAP = "bwrap"
MOUNT_WORK, MOUNT_TMP, MOUNT_SUBMISSION, MOUNT_COURSE, MOUNT_GRADER = (
    "/sandbox/work",
    "/tmp",
    "/sandbox/submission",
    "/sandbox/course",
    "/sandbox/grader",
)
# The modules of `grading` the student process runs (nothing of the judge's side is needed there).
STUDENT_MODULES = ("__init__.py", "student.py", "wire.py", "sandbox.py")
# System folders a Python process needs (libraries, the dynamic loader's cache); `/usr` holds no course file.
SYSTEM_FOLDERS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
SYSTEM_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/fonts",
    "/etc/ssl/certs/ca-certificates.crt",
)
INSTALL_HINT = (
    "install bubblewrap (Debian and Ubuntu: `apt-get install bubblewrap`; Fedora: `dnf install "
    "bubblewrap`) and allow user namespaces (`sysctl kernel.unprivileged_userns_clone=1` where the "
    "kernel has that switch), then check with `python3 course.py sandbox-check`; or grade without "
    "a sandbox, knowingly, with `--no-sandbox` (see GRADING.md)"
)
# When the grader runs as root: the student processes' own user ids, one per sandbox (the judge's pid
# times 8 plus the sandbox's number, far above any user id a system hands out), and what the student
# process keeps until it has dropped to one (`drop_privileges`).
UID_BASE = 1_500_000_000
UID_ENV = "DL_FOUNDATIONS_SANDBOX_UID"
ROOT_CAPABILITIES = ("CAP_SETUID", "CAP_SETGID", "CAP_CHOWN")
# Tasks (processes and threads) a sandbox may hold: the grader's own (the first process, the zygote,
# one parked state per test cell, the test's fork), each with its BLAS threads, plus a few the answers
# may start.  CPU seconds each process may use: what a cell could use in its time limit, plus slack.
GRADER_PROCESSES = 8
STUDENT_PROCESSES = 32
CPU_SLACK_SECONDS = 30
UNSANDBOXED_NOTE = (
    "These grades were made WITHOUT a sandbox (--no-sandbox): the submissions' code could read "
    "and write the grader's files and use the network."
)


class SandboxUnavailable(RuntimeError):
    """No sandbox can start on this machine, and grading without one was not asked for."""


@dataclass
class SandboxSettings:
    """What the student process may use.  Sizes in MB; paths absolute, on the instructor's machine."""

    submission: str  # the submission's files, prepared by the judge (read-only inside)
    grader_files: str  # the judge's read-only extras (matplotlib's font list)
    memory_mb: int  # address space, from the job's limits (grading/limits.py)
    file_size_mb: int = 256
    work_mb: int = 512  # size of the private /work and /tmp folders, each
    mode: str = "bwrap"  # "bwrap": the OS sandbox; "off": none (the flagged fallback)
    course_root: str = ""
    course_packages: list = field(default_factory=lambda: ["checks", "notebook_helpers"])
    data_paths: list = field(default_factory=list)
    uid: Optional[int] = None  # set by `command`: the user id the student processes drop to (as root)


def runaway_limits(limits: dict, test_cells: int) -> dict:
    """`{"processes", "cpu_seconds"}` for a notebook with `test_cells` test cells graded under `limits`
    (`grading.plan.Limits.to_dict()`): room for every process the grader keeps, never for a fork bomb."""
    threads = int(limits.get("threads") or 0) or os.cpu_count() or 1
    return {
        "processes": (test_cells + GRADER_PROCESSES) * (threads + 1) + STUDENT_PROCESSES,
        "cpu_seconds": math.ceil(float(limits["cell_timeout"]) * threads) + CPU_SLACK_SECONDS,
    }


def set_limits(memory_mb: int, file_size_mb: int, processes: int = 0, cpu_seconds: int = 0) -> None:
    """Address space, file size, no core dumps, tasks, CPU seconds: set in the student process before
    submitted code runs (0: that limit is not set).

    The sandbox makes the process unable to raise them again (no capabilities, no new privileges).  Soft
    and hard limits are equal, so the CPU limit ends a process with SIGKILL, which nothing can catch.
    """
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    size = file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    if cpu_seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


_SANDBOX_NUMBERS = itertools.count()


def student_uid():
    """The user id this sandbox's processes drop to when the grader runs as root, else None (then the
    user namespace keeps the sandbox's process count apart, and there is nothing to drop)."""
    if os.geteuid() != 0:
        return None
    return UID_BASE + os.getpid() * 8 + next(_SANDBOX_NUMBERS) % 8


def counts_are_the_sandboxs(dropped: bool) -> bool:
    """Whether `RLIMIT_NPROC` counts this sandbox's processes alone: always for a user id of its own
    (`dropped`), in a user namespace of its own only since Linux 5.14 (before, and without a sandbox,
    every process of the instructor's user would count)."""
    if dropped:
        return True
    try:
        with open("/proc/self/uid_map") as handle:
            own_namespace = handle.read().split() != ["0", "0", "4294967295"]
        version = tuple(int(part) for part in os.uname().release.split("-")[0].split(".")[:2])
    except (OSError, ValueError):
        return False
    return own_namespace and version >= (5, 14)


def drop_privileges(folders: tuple) -> bool:
    """In the student process, before any submitted code: when the sandbox was started by root, give the
    private `folders` (and what the grader copied into them) to the sandbox's own user id and become it,
    for good (real, effective and saved ids; no supplementary groups; every capability gone).  Returns
    whether it dropped."""
    uid = os.environ.pop(UID_ENV, "")
    if not uid:
        return False
    uid = int(uid)
    for folder in folders:
        for path, dirs, files in os.walk(folder):
            for name in [*dirs, *files]:
                os.chown(os.path.join(path, name), uid, uid, follow_symlinks=False)
        os.chown(folder, uid, uid)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getuid() != uid or os.geteuid() != uid or 0 in os.getresgid():
        raise SystemExit("the student process could not drop its privileges")
    return True


def python_folders() -> list:
    """The Python environment the student process runs in: the interpreter's and the venv's prefixes."""
    folders = []
    for path in (
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
    ):
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


def _folders_above(paths: list) -> list:
    """Every folder above `paths` (not `/`), parents first, each once."""
    folders = []
    for path in paths:
        parts = path.strip(os.sep).split(os.sep)[:-1]
        for depth in range(1, len(parts) + 1):
            folder = os.sep + os.sep.join(parts[:depth])
            if folder not in folders:
                folders.append(folder)
    return folders


def _namespaces(uid) -> list:
    """bubblewrap's namespace and capability options: every namespace, no capability; when root starts
    the sandbox (`uid` given), no user namespace (its count of processes would be root's, which the
    kernel never limits) and just what the student process needs to become `uid` (`drop_privileges`)."""
    if uid is None:
        return ["--unshare-all", "--cap-drop", "ALL"]
    keep = [option for cap in ROOT_CAPABILITIES for option in ("--cap-add", cap)]
    return [
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--cap-drop",
        "ALL",
        *keep,
    ]


def command(settings: SandboxSettings, python_args: list, env: dict) -> list:
    """The `bwrap` command that runs `python_args` (an interpreter and its arguments) in the sandbox,
    with exactly the environment variables `env`."""
    for folder in python_folders():
        if settings.course_root and (settings.course_root + os.sep).startswith(folder + os.sep):
            raise SandboxUnavailable(
                f"the Python environment {folder} holds the course folder itself, so the "
                "sandbox cannot show one without the other; use a virtual environment "
                "inside or beside the course (python3 course.py makes .venv)"
            )
    uid = settings.uid = student_uid()
    args = [BWRAP, *_namespaces(uid), "--die-with-parent", "--new-session", "--hostname", "sandbox", "--clearenv"]
    for name, value in {**env, **({UID_ENV: str(uid)} if uid is not None else {})}.items():
        args += ["--setenv", name, value]
    size = str(settings.work_mb * 1024 * 1024)
    args += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        size,
        "--tmpfs",
        MOUNT_WORK,
        "--size",
        size,
        "--tmpfs",
        MOUNT_TMP,
    ]
    _bind_system(args)
    binds = [
        (folder, folder)
        for folder in python_folders()
        if not any(folder == s or folder.startswith(s + os.sep) for s in SYSTEM_FOLDERS)
    ]
    binds += [(settings.submission, MOUNT_SUBMISSION), (settings.grader_files, MOUNT_GRADER)]
    root = settings.course_root
    binds += [
        (os.path.join(root, package), f"{MOUNT_COURSE}/{package}")
        for package in settings.course_packages
        if os.path.isdir(os.path.join(root, package))
    ]
    binds += [(os.path.join(root, "grading", module), f"{MOUNT_COURSE}/grading/{module}") for module in STUDENT_MODULES]
    binds += [(real, real) for real in map(os.path.realpath, settings.data_paths) if os.path.isdir(real)]
    for folder in _folders_above([dest for _, dest in binds]):
        args += ["--perms", "0755", "--dir", folder]  # bubblewrap would make them 0700: closed to a dropped uid
    for source, dest in binds:
        args += ["--ro-bind", source, dest]
    args += ["--chdir", MOUNT_WORK, "--"]
    return args + python_args


def pid_namespace(pid: int) -> Optional[str]:
    """The PID namespace of process `pid` (as the kernel names it: "pid:[inode]"), or None if it is gone."""
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def ancestors_in(pid: int, namespace: str) -> list:
    """The processes above `pid` in its PID namespace, nearest first (the student's first process, then
    bubblewrap's init), read once, when the first student process says hello, before any submitted code."""
    found = []
    while True:
        try:
            with open(f"/proc/{pid}/status") as handle:
                parent = int(next(line for line in handle if line.startswith("PPid:")).split()[1])
        except (OSError, StopIteration, ValueError):
            return found
        if parent <= 1 or pid_namespace(parent) != namespace:
            return found
        found.append(parent)
        pid = parent


def end_strays(namespace: Optional[str], keep: set, rounds: int = 50, wait: float = 2.0) -> int:
    """SIGKILL every process of the sandbox whose PID namespace is `namespace` but whose pid is not in
    `keep` (the grader's own student processes), and wait (up to `wait` seconds) until they are gone;
    returns how many were ended.

    Called by the judge after each cell and each test: whatever a cell or a test started (workers, a
    fork bomb, a process in a session of its own) ends with it, before the next one starts.  Each process
    is found through a pidfd and checked to be in the sandbox's namespace before the signal; the scan
    repeats until a round finds none, so that children forked meanwhile end too (there are at most
    `runaway_limits` of them).
    """
    if not namespace:
        return 0
    handles: dict = {}
    try:
        for _ in range(rounds):
            found = 0
            for entry in os.listdir("/proc"):
                if (
                    not entry.isdigit()
                    or int(entry) in keep
                    or int(entry) in handles
                    or pid_namespace(int(entry)) != namespace
                ):
                    continue
                try:
                    handle = os.pidfd_open(int(entry))
                except OSError:
                    continue
                handles[int(entry)] = handle
                try:
                    if pid_namespace(int(entry)) == namespace:
                        signal.pidfd_send_signal(handle, signal.SIGKILL)
                        found += 1
                except OSError:
                    pass
            if not found:
                break
        _wait_until_gone(list(handles.values()), wait)
    finally:
        for handle in handles.values():
            os.close(handle)
    return len(handles)


def _wait_until_gone(handles: list, seconds: float) -> None:
    """Wait until every process behind `handles` (pidfds) has ended, or `seconds` have passed."""
    import select
    import time

    end = time.monotonic() + seconds
    waiting = list(handles)
    while waiting and time.monotonic() < end:
        poller = select.poll()
        for handle in waiting:
            poller.register(handle, select.POLLIN)
        ready = {fd for fd, _ in poller.poll(max(1, int((end - time.monotonic()) * 1000)))}
        waiting = [handle for handle in waiting if handle not in ready]


# --- each test sees the private folders as the cells left them -----------------------------------------
# The judge reaches the sandbox's folders through /proc/PID/root of the sandbox's first process, and
# opens every name relative to its folder with O_NOFOLLOW: a symbolic link a submission made is copied as
# a link (its text), never followed.  Only folders, regular files and links are kept.

PRIVATE_FOLDERS = (MOUNT_WORK, MOUNT_TMP)
_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def _open_folder(parent: int, name: str) -> int:
    return os.open(name, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW, dir_fd=parent)


def _open_in_sandbox(pid: int, folder: str) -> int:
    """A descriptor of `folder` as process `pid` of the sandbox sees it, no link followed on the way."""
    handle = os.open(f"/proc/{pid}/root", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in folder.strip("/").split("/"):
            inner = _open_folder(handle, part)
            os.close(handle)
            handle = inner
    except OSError:
        os.close(handle)
        raise
    return handle


def _copy_out(source: int, dest: str) -> None:
    os.makedirs(dest, exist_ok=True)
    for entry in os.scandir(source):
        info = os.stat(entry.name, dir_fd=source, follow_symlinks=False)
        target = os.path.join(dest, entry.name)
        if stat.S_ISDIR(info.st_mode):
            inner = _open_folder(source, entry.name)
            try:
                _copy_out(inner, target)
            finally:
                os.close(inner)
            os.chmod(target, stat.S_IMODE(info.st_mode) | 0o700)
        elif stat.S_ISREG(info.st_mode):
            handle = os.open(entry.name, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW, dir_fd=source)
            try:
                if not stat.S_ISREG(os.fstat(handle).st_mode):
                    continue
                with open(target, "xb") as out, os.fdopen(os.dup(handle), "rb") as data:
                    shutil.copyfileobj(data, out)
                os.chmod(target, stat.S_IMODE(info.st_mode) | 0o600)
            finally:
                os.close(handle)
        elif stat.S_ISLNK(info.st_mode):
            os.symlink(os.readlink(entry.name, dir_fd=source), target)


def _wipe(folder: int) -> None:
    for entry in os.scandir(folder):
        info = os.stat(entry.name, dir_fd=folder, follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode):
            inner = _open_folder(folder, entry.name)
            try:
                _wipe(inner)
            finally:
                os.close(inner)
            os.rmdir(entry.name, dir_fd=folder)
        else:
            os.unlink(entry.name, dir_fd=folder)


def _copy_in(source: str, dest: int, uid: Optional[int]) -> None:
    for entry in os.scandir(source):
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode):
            os.mkdir(entry.name, stat.S_IMODE(info.st_mode), dir_fd=dest)
            inner = _open_folder(dest, entry.name)
            try:
                if uid is not None:
                    os.fchown(inner, uid, uid)
                _copy_in(entry.path, inner, uid)
            finally:
                os.close(inner)
        elif stat.S_ISREG(info.st_mode):
            handle = os.open(
                entry.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, stat.S_IMODE(info.st_mode), dir_fd=dest
            )
            with os.fdopen(handle, "wb") as out, open(entry.path, "rb") as data:
                if uid is not None:
                    os.fchown(out.fileno(), uid, uid)
                shutil.copyfileobj(data, out)
        elif stat.S_ISLNK(info.st_mode):
            os.symlink(os.readlink(entry.path), entry.name, dir_fd=dest)
            if uid is not None:
                os.chown(entry.name, uid, uid, dir_fd=dest, follow_symlinks=False)


def snapshot_folders(pid: int, dest: str) -> str:
    """Copy the sandbox's private folders (as its process `pid` sees them) into `dest`, a folder of the
    judge's own; returns `dest`.  Taken once, after the last cell and before the first test."""
    for folder in PRIVATE_FOLDERS:
        handle = _open_in_sandbox(pid, folder)
        try:
            _copy_out(handle, os.path.join(dest, folder.strip("/").replace("/", "_")))
        finally:
            os.close(handle)
    return dest


def restore_folders(pid: int, snapshot: str, uid: Optional[int]) -> Optional[str]:
    """Empty the sandbox's private folders and put back what `snapshot_folders` copied (owned by `uid`
    when the sandbox runs as one), so that nothing an earlier test's calls wrote is there for the next.
    Run while no process of the sandbox but the judge's idle ones is alive.  Returns what went wrong,
    in words, or None."""
    for folder in PRIVATE_FOLDERS:
        try:
            handle = _open_in_sandbox(pid, folder)
        except OSError as error:
            return f"its folder {folder} could not be reset before a test ({error.strerror})"
        try:
            _wipe(handle)
            _copy_in(os.path.join(snapshot, folder.strip("/").replace("/", "_")), handle, uid)
        except OSError as error:
            return f"its folder {folder} could not be reset before a test ({error.strerror})"
        finally:
            os.close(handle)
    return None


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
        probe = subprocess.run(
            [
                path,
                "--unshare-all",
                "--die-with-parent",
                "--cap-drop",
                "ALL",
                "--ro-bind",
                "/",
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "true",
            ],
            capture_output=True,
            text=True,
            timeout=20,
        )
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
    return {
        "sandbox": f"{detail}: own mount, PID, network, IPC and UTS namespaces; read-only Python, course "
        "packages and MNIST cache; private /sandbox/work and /tmp, put back for each test; no "
        "capabilities, no new privileges; processes capped and ended with the cell or test that "
        "started them; CPU time capped"
    }
