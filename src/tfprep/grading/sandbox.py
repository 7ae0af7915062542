"""Inside the judge: the zygote and the workers it forks, with their limits.

The zygote is a clean fork of the judge taken before any request is read; each worker is forked from it,
imports the submission and answers calls over a socket. The judge itself is started by judges.py, and
processes.py ends whatever is left. Limits are POSIX rlimits plus wall-clock timers enforced from outside;
see SECURITY.md for what they do and do not guard against.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tfprep.grading.processes import kill_group

OUTPUT_LIMIT_BYTES = 1 << 20  # what a submission may print per worker


@dataclass
class WorkerSpec:
    path: str
    framework: str
    forbidden_imports: list[str] = field(default_factory=list)
    forbidden_calls: list[str] = field(default_factory=list)
    memory_mb: int = 1024
    cpu_s: int = 60


class Zygote:
    """A clean fork of the judge taken before any request is read: workers are forked from it, so they
    inherit neither the judge's secrets nor its test data."""

    def __init__(self) -> None:
        self.sock, child = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # zygote
            self.sock.close()
            _zygote_loop(child)
            os._exit(0)
        child.close()
        self.pid = pid

    def spawn(self, spec: WorkerSpec) -> Worker:
        ours, theirs = socket.socketpair()
        tmp = tempfile.mkdtemp(prefix="tfprep-run-")
        payload = json.dumps(spec.__dict__ | {"tmp": tmp}).encode()
        socket.send_fds(self.sock, [payload], [theirs.fileno()])
        theirs.close()
        reply = json.loads(self.sock.recv(4096))
        return Worker(pid=reply["pid"], sock=ours, tmp=Path(tmp), zygote=self)

    def status(self, pid: int) -> int | None:
        """The wait status of a finished worker, or None while it is still running (or unknown)."""
        self.sock.sendall(json.dumps({"status": pid}).encode())
        return json.loads(self.sock.recv(4096))["status"]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _zygote_loop(sock: socket.socket) -> None:
    statuses: dict[int, int] = {}
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(sock, 65536, 1)
        except OSError:
            return
        if not data:
            return
        while True:  # reap finished workers, remember how they ended
            try:
                pid, st = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            statuses[pid] = st
        msg = json.loads(data)
        if "status" in msg:
            pid = msg["status"]
            if pid not in statuses:
                with contextlib.suppress(ChildProcessError):
                    done, st = os.waitpid(pid, os.WNOHANG)
                    if done:
                        statuses[pid] = st
            sock.sendall(json.dumps({"status": statuses.get(pid)}).encode())
            continue
        pid = os.fork()
        if pid == 0:
            sock.close()
            _become_worker(msg, fds[0])
        os.close(fds[0])
        sock.sendall(json.dumps({"pid": pid}).encode())


def _vm_size_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _become_worker(msg: dict, fd: int) -> None:
    """In the forked child: own process group, no inherited fds, limits, a fresh folder, a scrubbed env."""
    try:
        import resource

        os.setpgid(0, 0)
        tmp = msg["tmp"]
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(os.path.join(tmp, "output.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        keep = os.dup2(fd, 3, inheritable=False) if fd != 3 else 3
        os.closerange(4, 65536)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the cap fail with EFBIG instead
        if sys.platform.startswith("linux"):
            budget = _vm_size_bytes() + msg["memory_mb"] * (1 << 20)
            resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT_BYTES, OUTPUT_LIMIT_BYTES))
        resource.setrlimit(resource.RLIMIT_CPU, (msg["cpu_s"], msg["cpu_s"] + 1))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.chdir(tmp)
        base = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT") if k in os.environ}
        os.environ.clear()
        os.environ.update(base, HOME=tmp, TMPDIR=tmp, OMP_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
        sys.stdout = open(1, "w", closefd=False, buffering=1)  # noqa: SIM115 - lives as long as the process
        sys.stderr = open(2, "w", closefd=False, buffering=1)  # noqa: SIM115
        from tfprep.grading import worker

        worker.serve(
            socket.socket(fileno=keep),
            msg["path"],
            msg["framework"],
            msg["forbidden_imports"],
            msg["forbidden_calls"],
        )
    finally:
        os._exit(70)


class WorkerDied(Exception):
    def __init__(self, status: int | None, output: str):
        self.status, self.output = status, output
        super().__init__(describe_status(status))


class WorkerTimeout(Exception):
    pass


def describe_status(status: int | None) -> str:
    if status is None:
        return "your process ended unexpectedly"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return f"your process was killed by {name}"
    return f"your process exited with code {os.WEXITSTATUS(status)} (sys.exit / os._exit?)"


@dataclass
class Worker:
    pid: int
    sock: socket.socket
    tmp: Path
    zygote: Zygote
    dead: bool = False

    def _recv(self, timeout_s: float):
        from tfprep.grading import protocol

        self.sock.settimeout(timeout_s)
        try:
            return protocol.recv(self.sock)
        except TimeoutError:
            self.kill()
            raise WorkerTimeout() from None
        except (EOFError, ConnectionError, OSError):
            self._died()

    def hello(self, timeout_s: float) -> dict:
        return self._recv(timeout_s)

    def request(self, wire: dict, timeout_s: float) -> dict:
        from tfprep.grading import protocol

        try:
            protocol.send(self.sock, wire)
        except (BrokenPipeError, ConnectionError, OSError):
            self._died()
        return self._recv(timeout_s)

    def _died(self):
        self.dead = True
        status = None
        for _ in range(50):
            status = self.zygote.status(self.pid)
            if status is not None:
                break
            time.sleep(0.01)
        kill_group(self.pid)
        raise WorkerDied(status, self.output())

    def output(self, limit: int = 4000) -> str:
        try:
            with open(self.tmp / "output.txt", "rb") as f:
                return f.read(limit).decode(errors="replace")
        except OSError:
            return ""

    def kill(self) -> None:
        self.dead = True
        kill_group(self.pid)
        with contextlib.suppress(OSError):
            self.sock.close()

    def cleanup(self) -> None:
        self.kill()
        import shutil

        shutil.rmtree(self.tmp, ignore_errors=True)
