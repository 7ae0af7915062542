"""Fork the cold judge of `tfprep grade` first thing, before the CLI imports anything.

A cold grade waits for the judge's `import numpy, pytest` (or torch); every millisecond before the fork is
added to it. This module needs only `os`, `_socket` and `atexit` (built in), so the judge starts importing
about 20 ms sooner than it would after importing judges.py. `judges.prestart_judge()` adopts the judge right
after (the signal handlers, the subreaper and the rest run in the CLI while the judge imports).
"""

from __future__ import annotations

import os

started: list[tuple[int, int, int, int]] = []  # (pid, stdin, stdout, stderr) of a judge nobody adopted yet


def fork_judge() -> None:
    """Fork a cold judge now; `take()` hands it over. Killed at exit if nobody took it."""
    if started or not hasattr(os, "fork"):
        return
    import _socket

    # socket pairs, not pipes: a pipe can be reopened by any process of the user through /proc/PID/fd/N
    (in_r, in_w), (out_r, out_w), (err_r, err_w) = (
        tuple(s.detach() for s in _socket.socketpair()) for _ in range(3)
    )
    pid = os.fork()
    if pid == 0:
        for fd in (in_w, out_r, err_r):
            os.close(fd)
        from tfprep.grading.judges import _become_cold_judge

        _become_cold_judge(in_r, out_w, err_w)  # never returns
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    started.append((pid, in_w, out_r, err_r))
    import atexit

    atexit.register(_discard)


def take() -> tuple[int, int, int, int] | None:
    return started.pop() if started else None


def _discard() -> None:
    import contextlib
    import signal

    while started:
        pid, *fds = started.pop()
        try:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError, PermissionError):
            pass
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
