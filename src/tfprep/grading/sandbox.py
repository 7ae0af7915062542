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

OUTPUT_LIMIT_BYTES = 1 << 20  # what a submission may print per worker


@dataclass
class WorkerSpec:
    path: str
    framework: str
    forbidden_imports: list[str] = field(default_factory=list)
    forbidden_calls: list[str] = field(default_factory=list)
    memory_mb: int = 1024
    cpu_s: int = 60


class ZygoteGone(Exception):
    """The zygote stopped answering (killed or stopped, e.g. by a submission that signalled its parent)."""


ZYGOTE_TIMEOUT_S = 10.0  # a zygote answers in well under a millisecond; silence means it was stopped


class Zygote:
    """A clean fork of the judge taken before any request is read: workers are forked from it, so they
    inherit neither the judge's secrets nor its test data. It is the subreaper of its workers, so it can end
    (`sweep`) everything they started, by PID, whatever process group or session they moved to."""

    def __init__(self) -> None:
        self.sock, child = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # zygote
            self.sock.close()
            _zygote_loop(child)
            os._exit(0)
        child.close()
        self.sock.settimeout(ZYGOTE_TIMEOUT_S)
        self.pid = pid

    def _ask(self, msg: dict, fds: list[int] = ()) -> dict:
        try:
            socket.send_fds(self.sock, [json.dumps(msg).encode()], list(fds))
            answer = json.loads(self.sock.recv(4096))
            if not isinstance(answer, dict):
                raise ValueError
            return answer
        except (OSError, ValueError) as exc:  # timeout, EOF, broken pipe, garbage
            raise ZygoteGone(str(exc)) from None

    def spawn(self, spec: WorkerSpec, workdir: str) -> Worker:
        """A new worker in a fresh folder under `workdir`. Its output file is created here and read through
        this descriptor, never reopened by path (the worker could swap it for a FIFO or a link)."""
        tmp = tempfile.mkdtemp(prefix="w-", dir=workdir)
        out = os.open(
            os.path.join(tmp, "output.txt"), os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600
        )
        ours, theirs = socket.socketpair()
        try:
            reply = self._ask(spec.__dict__ | {"tmp": tmp}, [theirs.fileno(), out])
            if type(reply.get("pid")) is not int:
                raise ZygoteGone("no worker")
        except ZygoteGone:
            os.close(out)
            ours.close()
            raise
        finally:
            theirs.close()
        return Worker(
            pid=reply["pid"], sock=ours, tmp=Path(tmp), zygote=self, out_fd=out, started=time.monotonic()
        )

    def status(self, pid: int) -> int | None:
        """The wait status of a finished worker, or None while it is still running (or unknown)."""
        st = self._ask({"status": pid}).get("status")
        return st if type(st) is int else None

    def kill(self, pid: int) -> None:
        """SIGKILL a worker and its process group, by its parent (which knows the PID is still its own)."""
        self._ask({"kill": pid})

    def sweep(self) -> int:
        """Kill every process below the zygote (workers and all they started); returns when they are gone."""
        n = self._ask({"sweep": True}).get("killed")
        return n if type(n) is int else 0

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _zygote_loop(sock: socket.socket) -> None:
    from tfprep.grading import processes

    statuses: dict[int, int] = {}
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    processes.become_subreaper()  # orphans of the workers (double forks, setsid) come back here
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(sock, 65536, 2)
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
        if "status" in msg or "kill" in msg:
            pid = msg.get("status", msg.get("kill"))
            if pid not in statuses:
                with contextlib.suppress(ChildProcessError):  # not our child: nothing to do
                    done, st = os.waitpid(pid, os.WNOHANG)
                    if not done and "kill" in msg:  # our unreaped child: the PID and its group are its own
                        with contextlib.suppress(OSError):
                            os.killpg(pid, signal.SIGKILL)
                        with contextlib.suppress(OSError):
                            os.kill(pid, signal.SIGKILL)
                        done, st = os.waitpid(pid, 0)
                    if done:
                        statuses[pid] = st
            sock.sendall(json.dumps({"status": statuses.get(pid)}).encode())
            continue
        if "sweep" in msg:
            killed = processes.kill_descendants()
            statuses.clear()
            sock.sendall(json.dumps({"killed": killed}).encode())
            continue
        pid = os.fork()
        if pid == 0:
            sock.close()
            _become_worker(msg, fds[0], fds[1])
        for fd in fds:
            os.close(fd)
        sock.sendall(json.dumps({"pid": pid}).encode())


def _vm_size_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _become_worker(msg: dict, fd: int, out: int) -> None:
    """In the forked child: own process group, no inherited fds, limits, a fresh folder, a scrubbed env."""
    try:
        import resource

        os.setpgid(0, 0)
        _die_with_parent()
        tmp = msg["tmp"]
        null = os.open(os.devnull, os.O_RDONLY)
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
        from pathlib import Path

        from tfprep.grading import landlock

        # read-only view: the Python installation, system libraries, this folder and the snapshot's; never
        # the solutions, the hidden suites or the checkout they come from (where the kernel has Landlock)
        readable = landlock.readable_roots([Path(tmp), Path(msg["path"]).parent])
        landlock.forbid_reading_all_but(readable, landlock.hidden_paths())
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
    except BaseException:  # noqa: BLE001 - a bug here: say it where the judge shows the worker's output
        import traceback

        with contextlib.suppress(Exception):
            os.write(2, traceback.format_exc()[-2000:].encode())
    finally:
        os._exit(70)


class WorkerDied(Exception):
    def __init__(self, status: int | None, output: str):
        self.status, self.output = status, output
        super().__init__(describe_status(status))


class WorkerTimeout(Exception):
    pass


def describe_status(status: int | None) -> str:
    """How a worker ended, for people (in the judge, in the user's language)."""
    from tfprep.i18n import tr

    if status is None:
        return tr("your process ended unexpectedly")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return tr("your process was killed by {signal}", signal=name)
    return tr("your process exited with code {code} (sys.exit / os._exit?)", code=os.WEXITSTATUS(status))


class ChannelViolation(Exception):
    """The worker sent something that is not an answer to the judge's request (protocol/messages.py)."""


@dataclass
class Worker:
    pid: int
    sock: socket.socket
    tmp: Path
    zygote: Zygote
    out_fd: int  # the judge's own descriptor of the worker's output file
    started: float  # time.monotonic() when it was forked: the import deadline counts from here
    dead: bool = False

    def _recv(self, deadline: float, check):  # noqa: ANN001, ANN202 - messages.hello / reply
        from tfprep.grading import protocol

        try:
            msg = check(protocol.recv(self.sock, deadline))
            self._nothing_more()
            return msg
        except TimeoutError:
            self.kill()
            raise WorkerTimeout() from None
        except protocol.ProtocolError as exc:
            self.kill()
            raise ChannelViolation(str(exc)) from None
        except (EOFError, OSError):
            self._died()

    def _nothing_more(self) -> None:
        """After an answer, nothing else may be waiting: a second message was not asked for."""
        from tfprep.grading.protocol import ProtocolError
        from tfprep.i18n import tr

        self.sock.settimeout(0.0)  # with a timeout set, Python would wait out EAGAIN instead of raising it
        try:
            extra = self.sock.recv(1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            return
        if extra:
            raise ProtocolError(tr("more than one message for one request"))

    def hello(self, timeout_s: float) -> dict:
        from tfprep.grading import messages

        return self._recv(self.started + timeout_s, messages.hello)

    def request(self, wire: dict, timeout_s: float) -> dict:
        """Send one call and wait for its answer; the limit is a deadline from now, however the answer's
        bytes arrive."""
        import secrets

        from tfprep.grading import messages, protocol

        deadline = time.monotonic() + timeout_s
        request_id = secrets.randbits(62)
        try:
            # blocking again (_nothing_more left it non-blocking), within the deadline: a large frame fills
            # the socket's buffer, and a worker that does not read it is out of time, not dead
            self.sock.settimeout(timeout_s)
            protocol.send(self.sock, wire | {"id": request_id})
        except TimeoutError:
            self.kill()
            raise WorkerTimeout() from None
        except OSError:
            self._died()
        return self._recv(deadline, lambda msg: messages.reply(msg, request_id))

    def _died(self):
        self.dead = True
        status = None
        with contextlib.suppress(ZygoteGone):
            for _ in range(50):
                status = self.zygote.status(self.pid)
                if status is not None:
                    break
                time.sleep(0.01)
        self.kill()
        raise WorkerDied(status, self.output())

    def output(self, limit: int = 4000) -> str:
        try:
            return os.pread(self.out_fd, limit, 0).decode(errors="replace")
        except OSError:
            return ""

    def kill(self) -> None:
        self.dead = True
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(ZygoteGone):
            self.zygote.kill(self.pid)  # if the zygote is gone, the judge's sweep ends the worker

    def release(self) -> None:
        """After the grading's sweep: let go of the output file and remove the worker's folder."""
        with contextlib.suppress(OSError):
            os.close(self.out_fd)
        remove_tree(self.tmp)


def remove_tree(path: Path) -> None:
    """Remove a folder a submission wrote into, whatever it did to it: links are removed, never followed
    (shutil.rmtree works on descriptors), and folders it made unreadable are made readable first."""
    import shutil
    import stat

    def retry(func, failed: str, _exc) -> None:  # noqa: ANN001
        parent = os.path.dirname(failed)
        for p in (parent, failed):
            with contextlib.suppress(OSError):
                if stat.S_ISDIR(os.lstat(p).st_mode):
                    os.chmod(p, 0o700)
        with contextlib.suppress(OSError):
            if stat.S_ISDIR(os.lstat(failed).st_mode):
                shutil.rmtree(failed, ignore_errors=True)
            else:
                func(failed)

    for _ in range(3):
        if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
            with contextlib.suppress(OSError):
                os.unlink(path)  # the worker replaced its folder: remove what is there, follow nothing
        if not os.path.lexists(path):
            return
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=retry)
        else:
            shutil.rmtree(path, onerror=retry)


def _die_with_parent() -> None:
    """SIGKILL this process when its parent dies (Linux), so a worker does not outlive a killed zygote."""
    if sys.platform.startswith("linux"):
        from tfprep.grading.processes import set_parent_death_signal

        set_parent_death_signal(signal.SIGKILL)
