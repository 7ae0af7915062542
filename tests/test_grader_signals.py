"""Nothing outlives its grading, however the CLI ends: a worker that left its process group and made
os._exit a no-op is gone after Ctrl-C, SIGTERM or SIGHUP of `tfprep grade --watch`, and after SIGKILL of a
cold `tfprep grade` (the judge's parent-death signal)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="subreapers are Linux-only")

ESCAPING = """
import os
import signal
import threading
import time

import numpy as np

os.setpgid(0, os.getpgid(os.getppid()))  # out of its own process group
os._exit = lambda *a: None  # closing the channel does not end it
signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # nor does writing to it once it is closed
threading.Thread(target=lambda: time.sleep(3600)).start()  # nor does the end of the main thread
with open({pidfile!r}, "w") as f:
    f.write(str(os.getpid()))


def softmax(x, axis=-1):
    time.sleep({sleep})
    return np.zeros_like(x)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (ProcessLookupError, OSError):
        return False


def _wait(cond, timeout_s: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def _start(tmp_path: Path, sleep: float, *extra: str) -> tuple[subprocess.Popen, Path, Path]:
    pidfile = tmp_path / "worker.pid"
    work = tmp_path / "work"
    work.mkdir()
    temp = tmp_path / "tmp"
    temp.mkdir()
    (work / "softmax.py").write_text(ESCAPING.format(pidfile=str(pidfile), sleep=sleep))
    env = dict(os.environ, TFPREP_HOME=str(tmp_path / "home"), TMPDIR=str(temp))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tfprep",
            "grade",
            "softmax",
            "--file",
            str(work / "softmax.py"),
            "--json",
            *extra,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return proc, pidfile, temp


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_watch_ended_by_a_signal_leaves_no_process_and_no_folder(tmp_path, sig):
    proc, pidfile, temp = _start(tmp_path, 0, "--watch")
    try:
        assert proc.stdout.readline().startswith(b"{"), "the first grading printed its verdict"
        assert pidfile.exists()
        worker = int(pidfile.read_text())
        os.kill(proc.pid, sig)
        proc.wait(timeout=20)
        assert _wait(lambda: not _alive(worker), 5), "the escaped worker outlived the CLI"
        assert not list(temp.glob("tfprep-*")), "a grading folder was left behind"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_cold_grade_whose_cli_is_killed_leaves_no_process_and_no_folder(tmp_path):
    proc, pidfile, temp = _start(tmp_path, 60)
    try:
        assert _wait(pidfile.exists, 30), "the worker started"
        worker = int(pidfile.read_text())
        os.kill(proc.pid, signal.SIGKILL)  # cannot be caught: the judge's parent-death signal cleans up
        proc.wait(timeout=10)
        assert _wait(lambda: not _alive(worker), 10), "the escaped worker outlived the CLI"
        assert _wait(lambda: not list(temp.glob("tfprep-*")), 5), "a grading folder was left behind"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
