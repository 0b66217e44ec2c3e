"""The fence around a student process: memory and file limits, a private folder, no signals out.

`confine` runs inside the student process before any submitted code does.  It sets resource limits
(address space, file size, no core dumps) and, where the Linux kernel offers Landlock (5.13+), makes
the file system read-only except for a private working folder and hides every folder the process does
not need: the course's `solutions/`, the gradebook, other students' submissions and feedback.  With
Landlock ABI 6 (Linux 6.12+) the process can also no longer signal any process outside its own
sandbox, so it cannot kill the judge or the grading command.  Root's capabilities, if any, are dropped
so that the limits cannot be raised again.  What could be applied is reported back to the judge, and
the grade report says which protections were active.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import resource
import sys
from dataclasses import asdict, dataclass, field

# Landlock: https://docs.kernel.org/userspace-api/landlock.html
SYS_LANDLOCK_CREATE_RULESET = {"x86_64": 444, "aarch64": 444}
SYS_LANDLOCK_ADD_RULE = {"x86_64": 445, "aarch64": 445}
SYS_LANDLOCK_RESTRICT_SELF = {"x86_64": 446, "aarch64": 446}
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR, MAKE_REG = 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8
MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

READ_ONLY = EXECUTE | READ_FILE | READ_DIR
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
SYSTEM_READ_PATHS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/opt", "/proc", "/sys",
                     "/dev", "/run/systemd/resolve", "/nix/store")


@dataclass
class SandboxSettings:
    """What the student process may use.  Sizes in MB; paths absolute."""

    workdir: str
    memory_mb: int = 4096
    file_size_mb: int = 256
    filesystem: str = "auto"   # "auto": Landlock when the kernel has it; "off": no file-system fence
    import_paths: list = field(default_factory=list)
    read_paths: list = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "SandboxSettings":
        return cls(**json.loads(text))


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def set_limits(settings: SandboxSettings) -> None:
    memory = settings.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    size = settings.file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 when it has none (or this is not Linux)."""
    machine = os.uname().machine if hasattr(os, "uname") else ""
    if sys.platform != "linux" or machine not in SYS_LANDLOCK_CREATE_RULESET:
        return 0
    libc = _libc()
    version = libc.syscall(SYS_LANDLOCK_CREATE_RULESET[machine], None, ctypes.c_size_t(0),
                           ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return max(int(version), 0)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _fs_rights(abi: int) -> int:
    rights = (EXECUTE | WRITE_FILE | READ_FILE | READ_DIR | REMOVE_DIR | REMOVE_FILE | MAKE_CHAR | MAKE_DIR
              | MAKE_REG | MAKE_SOCK | MAKE_FIFO | MAKE_BLOCK | MAKE_SYM)
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


def read_paths(settings: SandboxSettings) -> list:
    """Everything the student process may read: the system, Python, the course's packages, data."""
    paths = list(SYSTEM_READ_PATHS)
    paths += [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    paths += [p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p]
    paths += list(settings.import_paths) + list(settings.read_paths)
    real = []
    for path in paths:
        if path and os.path.exists(path):
            resolved = os.path.realpath(path)
            if resolved not in real:
                real.append(resolved)
    return real


def landlock(settings: SandboxSettings, abi: int) -> None:
    machine = os.uname().machine
    libc = _libc()
    handled = _fs_rights(abi)
    attr = _RulesetAttr(handled_access_fs=handled, handled_access_net=0,
                        scoped=(SCOPE_SIGNAL | SCOPE_ABSTRACT_UNIX_SOCKET) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = libc.syscall(SYS_LANDLOCK_CREATE_RULESET[machine], ctypes.byref(attr), ctypes.c_size_t(size),
                           ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        def allow(path: str, rights: int) -> None:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                return
            try:
                if not os.path.isdir(path):
                    rights &= FILE_RIGHTS
                rule = _PathBeneathAttr(allowed_access=rights & handled, parent_fd=fd)
                if libc.syscall(SYS_LANDLOCK_ADD_RULE[machine], ctypes.c_int(ruleset),
                                ctypes.c_int(LANDLOCK_RULE_PATH_BENEATH), ctypes.byref(rule),
                                ctypes.c_uint32(0)) < 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
            finally:
                os.close(fd)

        for path in read_paths(settings):
            allow(path, READ_ONLY)
        allow("/dev/null", READ_FILE | WRITE_FILE)
        allow(os.path.realpath(settings.workdir), handled)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if libc.syscall(SYS_LANDLOCK_RESTRICT_SELF[machine], ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)


def drop_capabilities() -> bool:
    """Running as root: give up every capability, so that no limit can be raised again."""
    if os.geteuid() != 0 or sys.platform != "linux":
        return False
    libc = _libc()
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)
    data = (Data * 2)()
    return libc.capset(ctypes.byref(header), data) == 0


def confine(settings: SandboxSettings) -> dict:
    """Apply every protection this machine offers; return what is in force."""
    status = {"memory_mb": settings.memory_mb, "filesystem": "off", "signals": "not fenced",
              "capabilities": "none held"}
    set_limits(settings)
    if settings.filesystem != "off":
        abi = landlock_abi()
        if abi:
            landlock(settings, abi)
            status["filesystem"] = f"Landlock ABI {abi}: read-only system and course packages, private folder"
            if abi >= 6:
                status["signals"] = "Landlock: no signals outside the sandbox"
        else:
            status["filesystem"] = "unavailable (no Landlock in this kernel)"
    if drop_capabilities():
        status["capabilities"] = "dropped (was root)"
    return status


def become_subreaper() -> bool:
    """Let orphaned student processes be re-parented to this process, so it can reap and kill them."""
    if sys.platform != "linux":
        return False
    return _libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
