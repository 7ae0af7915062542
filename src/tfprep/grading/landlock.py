"""Hide the references from the worker: with Linux's Landlock (no privileges needed), the worker may read
only the Python installation it runs on, the system's libraries and its own folder — never the drills'
solutions and hidden suites, nor the source checkout they came from, wherever they are on disk.

Landlock is an allow-list: every folder the worker may read from is one rule, and a folder that holds a
hidden one (e.g. site-packages holds tfprep/_content, a checkout on sys.path holds solutions/) is carved:
its other entries become rules one by one, down to the hidden path. Writing, running programs and
networking are not handled here (the worker's limits and folder deal with those). On a kernel without
Landlock (before Linux 5.13, or other systems) nothing is restricted; SECURITY.md says so.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446  # the same numbers on every architecture
_RULE_PATH_BENEATH = 1
_READ_FILE, _READ_DIR = 1 << 2, 1 << 3
_PR_SET_NO_NEW_PRIVS = 38
SYSTEM_FOLDERS = (
    "/usr",
    "/lib",
    "/lib32",
    "/lib64",
    "/bin",
    "/sbin",
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/opt",
)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def hidden_paths() -> list[Path]:
    """What the worker must not read: the solutions and hidden suites tfprep runs on, and, when they come
    from a source checkout, the rest of it that holds copies (git objects, builds, golden submissions)."""
    from tfprep.content import content_root

    root = content_root().resolve()
    hidden = [root / "solutions", root / "grader"]
    if (root / "src" / "tfprep").is_dir():  # a checkout: its history, builds and tests hold copies too
        hidden += [root / name for name in (".git", "build", "dist", "tests", "bench")]
    for entry in sys.path:  # any installed copy of the content, not only the one in use
        copy = Path(entry or ".") / "tfprep" / "_content"
        if copy.is_dir():
            hidden.append(copy.resolve())
    return hidden


def readable_roots(extra: list[Path]) -> list[Path]:
    roots = [Path(p) for p in sys.path if p] + [Path(sys.prefix), Path(sys.base_prefix), *extra]
    roots += [Path(p) for p in SYSTEM_FOLDERS]
    out = []
    for p in roots:
        try:
            p = p.resolve()
        except OSError:
            continue
        if p.exists() and p not in out:
            out.append(p)
    return out


def rules(roots: list[Path], hidden: list[Path]) -> list[Path]:
    """The paths to allow: each root, or, for a root that holds a hidden path, its entries carved around it.
    Plain strings and os.scandir: this runs in every worker, before your code, so it must cost little."""
    hidden_s = [os.path.realpath(h) for h in hidden]
    above = {os.path.dirname(h) for h in hidden_s}  # every folder on the way to a hidden path
    for h in list(above):
        while h not in ("/", ""):
            h = os.path.dirname(h)
            above.add(h)
    allowed: list[str] = []

    def inside_hidden(path: str) -> bool:
        return any(path == h or path.startswith(h + os.sep) for h in hidden_s)

    def add(path: str) -> None:
        if inside_hidden(path):
            return
        if path in above:  # holds a hidden path: carve
            try:
                entries = list(os.scandir(path))
            except OSError:
                return
            for entry in entries:
                # a link (e.g. a venv's lib64 -> lib) is judged by what it opens
                add(os.path.realpath(entry.path) if entry.is_symlink() else entry.path)
            return
        if path not in allowed:
            allowed.append(path)

    for root in roots:
        add(os.path.realpath(root))
    return [Path(p) for p in allowed]


def forbid_reading_all_but(roots: list[Path], hidden: list[Path]) -> bool:
    """Restrict this process (and what it starts) to reading `roots` minus `hidden`. True if in force."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    attr = _RulesetAttr(_READ_FILE | _READ_DIR)
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), 0)
    if ruleset < 0:
        return False  # no Landlock in this kernel
    try:
        for path in rules(roots, hidden):
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            access = _READ_FILE | _READ_DIR if path.is_dir() else _READ_FILE
            rule = _PathBeneath(access, fd)
            libc.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
            os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(_RESTRICT_SELF, ruleset, 0) == 0
    finally:
        os.close(ruleset)
