"""The only module that starts processes: the judge (a subprocess of the CLI), the zygote and the workers
(forks inside the judge), with their limits, and the sweep that leaves nothing running afterwards.

Limits are POSIX rlimits plus wall-clock timers enforced from outside; see SECURITY.md for what they do
and do not guard against.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

OUTPUT_LIMIT_BYTES = 1 << 20  # what a submission may print per worker
PR_SET_CHILD_SUBREAPER = 36


# ---------------------------------------------------------------- process tree hygiene


def become_subreaper() -> bool:
    """Orphans of our descendants (double forks, setsid daemons) are re-parented to us, so we can end them."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except Exception:  # noqa: BLE001 - best effort; process groups still apply
        return False


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: split after the last ')'
        fields = stat[stat.rfind(b")") + 2 :].split()
        kids.setdefault(int(fields[1]), []).append(int(entry))
    return kids


def descendants(root: int | None = None) -> list[int]:
    root = os.getpid() if root is None else root
    if not os.path.isdir("/proc"):
        return []
    kids = _children_map()
    out, todo = [], list(kids.get(root, []))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def kill_descendants(keep: set[int] = frozenset()) -> int:
    """SIGKILL every descendant except `keep` (and theirs), then reap. Returns how many were killed."""
    killed = 0
    for _ in range(5):  # a process may fork while we sweep: go round until nothing is left
        kids = _children_map() if os.path.isdir("/proc") else {}
        spared: set[int] = set()
        todo = list(keep)
        while todo:
            p = todo.pop()
            spared.add(p)
            todo.extend(kids.get(p, []))
        victims = [p for p in descendants() if p not in spared]
        if not victims:
            break
        for pid in victims:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGSTOP)
        for pid in victims:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
        reap()
    return killed


def reap() -> None:
    """Collect every finished child so none stays a zombie."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# ---------------------------------------------------------------- the judge, seen from the CLI


class JudgeFailed(Exception):
    """The judge itself did not produce a result (crashed, killed, timed out)."""


def judge_command(framework: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "tfprep.grading.judge"]
    return [*cmd, "--framework", framework] if framework else cmd


def judge_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYTHONDONTWRITEBYTECODE="1",
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
        PYTHONHASHSEED="0",
    )
    return env


_prestarted: list[tuple[subprocess.Popen, set[int]]] = []  # a cold judge started early by `tfprep grade`


def _start_cold_judge() -> tuple[subprocess.Popen, set[int]]:
    """The judge, and the processes that were already below us (the sweep afterwards spares them)."""
    become_subreaper()
    before = set(descendants())
    return subprocess.Popen(
        judge_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=judge_env(),
    ), before


def prestart_judge() -> None:
    """Start a cold judge now, so its imports overlap with the CLI's own start-up; `run_judge` uses it.
    Stopped at exit if nothing used it (a usage error, a compile error)."""
    import atexit

    if not _prestarted:
        _prestarted.append(_start_cold_judge())
        atexit.register(_discard_prestarted)


def _discard_prestarted() -> None:
    while _prestarted:
        proc, _ = _prestarted.pop()
        kill_group(proc.pid)
        with contextlib.suppress(Exception):
            proc.wait(timeout=5)


def run_judge(request: dict, timeout_s: float) -> dict:
    """Run one grading in a fresh judge process; return its result dict. Leaves no process behind."""
    import secrets

    proc, before = _prestarted.pop() if _prestarted else _start_cold_judge()
    nonce = secrets.token_hex(16)
    lines = (
        json.dumps({"framework": request["framework"]}) + "\n" + json.dumps(request | {"nonce": nonce}) + "\n"
    )
    try:
        out, err = proc.communicate(lines.encode(), timeout=timeout_s)
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)
        proc.communicate()
        raise JudgeFailed(f"grading took longer than {timeout_s:.0f} s and was stopped") from None
    finally:
        kill_group(proc.pid)
        kill_descendants(keep=before)  # the judge's strays, not processes that were ours before it
    return parse_judge_output(out, err, proc.returncode, nonce)


def parse_judge_output(out: bytes, err: bytes, returncode: int, nonce: str) -> dict:
    for line in reversed(out.decode(errors="replace").splitlines()):
        if line.startswith("{"):
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("nonce") == nonce:
                return msg["result"]
    tail = err.decode(errors="replace").strip().splitlines()[-3:]
    how = f"signal {-returncode}" if returncode < 0 else f"exit code {returncode}"
    raise JudgeFailed(f"the grader stopped without a result ({how}): {' | '.join(tail)}")


class WarmJudge:
    """A judge server with the heavy imports done once; each grading is a fork of it (judge.serve)."""

    def __init__(self, framework: str):
        become_subreaper()
        self.framework = framework
        self.before = set(descendants())
        self.proc = subprocess.Popen(
            [*judge_command(framework), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=judge_env(),
        )

    def run(self, request: dict, timeout_s: float = 300.0) -> dict:
        import secrets
        import selectors

        nonce = secrets.token_hex(16)
        line = json.dumps(request | {"nonce": nonce, "timeout_s": timeout_s}) + "\n"
        try:
            self.proc.stdin.write(line.encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise JudgeFailed("the warm grader has stopped") from None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout_s + 10
        while True:  # lines without our nonce (e.g. forged by a submission through /proc) are ignored
            if not sel.select(max(0.0, deadline - time.monotonic())):
                self.close()
                raise JudgeFailed(f"grading took longer than {timeout_s:.0f} s and was stopped")
            out = self.proc.stdout.readline()
            if not out:
                raise JudgeFailed("the warm grader stopped without a result")
            try:
                return parse_judge_output(out, b"", 0, nonce)
            except JudgeFailed:
                continue

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self, keep: set[int] = frozenset()) -> None:
        """Stop the server and its strays; spare what was ours before it started, and `keep`."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        kill_group(self.proc.pid)
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        kill_descendants(keep=self.before | set(keep))


class WarmPool:
    """One warm judge per framework, started on first use. `run` has the shape of a grading runner."""

    def __init__(self) -> None:
        self.judges: dict[str, WarmJudge] = {}

    def run(self, request: dict) -> dict:
        judge = self.judges.get(request["framework"])
        if judge is None or not judge.alive:
            judge = self.judges[request["framework"]] = WarmJudge(request["framework"])
        try:
            return judge.run(request)
        except JudgeFailed as exc:
            self.judges.pop(request["framework"], None)
            judge.close(keep={j.proc.pid for j in self.judges.values()})
            return {"tests": [], "collected": 0, "internal": str(exc)}

    def close(self) -> None:
        for judge in reversed(list(self.judges.values())):  # newest first: each spares the older ones
            judge.close()
        self.judges.clear()


# ---------------------------------------------------------------- inside the judge: zygote and workers


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
