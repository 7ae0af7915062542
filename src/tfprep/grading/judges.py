"""The judge seen from the CLI: a cold judge for one grading, or a warm judge server for many.

Kept light (no numpy, no pytest): `tfprep grade` imports it before anything else to start the judge early.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

from tfprep.grading.processes import (
    become_subreaper,
    descendants,
    kill_descendants,
    kill_group,
    make_undumpable,
    set_parent_death_signal,
)
from tfprep.i18n import tr

MAX_JUDGE_OUTPUT = 32 * 1024 * 1024  # a judge's answer is a few KB; more is not read


def _socketpair() -> tuple[int, int]:
    import socket

    a, b = socket.socketpair()
    return a.detach(), b.detach()


def exit_cleanly_on_signals() -> None:
    """SIGTERM and SIGHUP of the CLI raise SystemExit (as Ctrl-C raises KeyboardInterrupt), so the `finally`
    blocks that end the judges and sweep their processes run. Only where nothing else handles them."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def leave(signum, _frame) -> None:  # noqa: ANN001
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) == signal.SIG_DFL:
            signal.signal(sig, leave)


class JudgeFailed(Exception):
    """The judge itself did not produce a result (crashed, killed, timed out)."""


def judge_command(framework: str | None = None) -> list[str]:
    """A judge as a new interpreter. -S: no site, whose .pth files can cost more than the judge's own
    start-up (judge_env passes our sys.path instead); -P: the working folder is not on its path."""
    cmd = [sys.executable, "-S", "-P", "-m", "tfprep.grading.judge"]
    return [*cmd, "--framework", framework] if framework else cmd


def judge_path() -> list[str]:
    """Where a judge imports from: where tfprep is, then our own path without the working folder, so a
    user's numpy.py or pytest.py next to their drill cannot shadow what the judge imports."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cwd = os.getcwd()
    rest = [p for p in sys.path if p and os.path.abspath(p) not in (cwd, here)]
    return [here, *rest]


# What a judge runs with. No PYTHONHASHSEED: --seed replays the inputs, and a submission's set order is as
# random as in any Python run (a cold judge is forked, so it could not be fixed there anyway).
JUDGE_VARS = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
}


def judge_env() -> dict[str, str]:
    return dict(os.environ) | JUDGE_VARS | {"PYTHONPATH": os.pathsep.join(judge_path())}


class ColdJudge:
    """The judge of one grading: one prestart.py forked from the `tfprep` process itself before anything was
    loaded (it starts importing numpy and pytest at once, without an interpreter start-up of its own, while
    the CLI loads on the other core), or a new interpreter (judge_command's flags), e.g. for a grading
    started from a process that has run other code."""

    def __init__(self, forked: tuple[int, int, int, int] | None = None) -> None:
        """`forked`: (pid, stdin, stdout, stderr) of a judge prestart.py forked from this process; else a new
        interpreter is started."""
        exit_cleanly_on_signals()
        if forked is not None:
            self.before: set[int] = set()  # forked first thing: nothing of ours was running before it
            self.pid, self.stdin, self.stdout, self.stderr = forked
        else:
            self.before = set(descendants())  # ours already: the sweep afterwards spares them
            # socket pairs, not pipes: a pipe can be reopened by any process of the user through
            # /proc/PID/fd/N (to read the request or write a fake result), a socket cannot
            in_r, in_w = _socketpair()
            out_r, out_w = _socketpair()
            err_r, err_w = _socketpair()
            dup2 = os.POSIX_SPAWN_DUP2
            self.pid = os.posix_spawn(
                sys.executable,
                judge_command(),
                judge_env(),
                file_actions=[(dup2, in_r, 0), (dup2, out_w, 1), (dup2, err_w, 2)],
                setsid=True,
            )
            for fd in (in_r, out_w, err_w):
                os.close(fd)
            self.stdin, self.stdout, self.stderr = in_w, out_r, err_r
        self.returncode: int | None = None
        become_subreaper()  # after the start (it loads ctypes): the judge forks nothing before it is ready
        make_undumpable()  # a worker (same user, not root) cannot ptrace or read the CLI through /proc

    def communicate(self, data: bytes, timeout_s: float) -> tuple[bytes, bytes, int]:
        """Send `data`, then read all the judge says until it exits. JudgeFailed after `timeout_s`."""
        import selectors

        deadline = time.monotonic() + timeout_s
        sel = selectors.DefaultSelector()
        sel.register(self.stdin, selectors.EVENT_WRITE)
        sel.register(self.stdout, selectors.EVENT_READ)
        sel.register(self.stderr, selectors.EVENT_READ)
        chunks: dict[int, list[bytes]] = {self.stdout: [], self.stderr: []}
        while len(sel.get_map()) > 0:
            ready = sel.select(max(0.0, deadline - time.monotonic()))
            if not ready:
                self.kill()
                raise JudgeFailed(tr("grading took longer than {s:.0f} s and was stopped", s=timeout_s))
            for key, _ in ready:
                if key.fd == self.stdin:
                    try:
                        data = data[os.write(self.stdin, data) :]
                    except OSError:  # the judge is gone: its exit status says why
                        data = b""
                    if not data:
                        sel.unregister(self.stdin)
                        os.close(self.stdin)
                    continue
                try:
                    chunk = os.read(key.fd, 1 << 16)
                except OSError:
                    chunk = b""
                if chunk and sum(map(len, chunks[key.fd])) < MAX_JUDGE_OUTPUT:
                    chunks[key.fd].append(chunk)
                else:
                    sel.unregister(key.fd)
        _, status = os.waitpid(self.pid, 0)
        self.returncode = os.waitstatus_to_exitcode(status)
        return b"".join(chunks[self.stdout]), b"".join(chunks[self.stderr]), self.returncode

    def kill(self) -> None:
        """End the judge and its process group (a no-op once it has exited and been reaped)."""
        if self.returncode is None:
            kill_group(self.pid)
            with contextlib.suppress(ChildProcessError):
                _, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
        for fd in (self.stdin, self.stdout, self.stderr):
            with contextlib.suppress(OSError):
                os.close(fd)


def _become_cold_judge(stdin_fd: int, stdout_fd: int, stderr_fd: int) -> None:
    """In the forked child: take the pipes as stdio, leave the CLI's session, run the judge. Never returns."""
    code = 70
    try:
        os.setsid()
        set_parent_death_signal(signal.SIGTERM)  # the CLI died, even by SIGKILL: the judge cleans up and goes
        for fd, std in ((stdin_fd, 0), (stdout_fd, 1), (stderr_fd, 2)):
            os.dup2(fd, std)
            os.close(fd)
        os.environ.update(JUDGE_VARS)
        sys.dont_write_bytecode = True
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the process's own stdio, for its lifetime
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        sys.path[:] = judge_path()
        from tfprep.grading import judge

        judge.main([])
        code = 0
    except BaseException:  # noqa: BLE001 - say why on stderr; the CLI reports it as internal_error
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


_prestarted: list[ColdJudge] = []  # a cold judge started early by `tfprep grade`


def prestart_judge() -> None:
    """Take the cold judge `prestart.fork_judge()` forked (launch.py, before anything was loaded), so its
    imports overlap with the CLI's own start-up; `run_judge` uses it. Stopped at exit if nothing used it (a
    usage error, a compile error)."""
    import atexit

    from tfprep.grading import prestart

    forked = prestart.take()
    if forked is not None and not _prestarted:
        _prestarted.append(ColdJudge(forked))
        atexit.register(_discard_prestarted)


def _discard_prestarted() -> None:
    while _prestarted:
        _prestarted.pop().kill()


def run_judge(request: dict, timeout_s: float) -> dict:
    """Run one grading in a fresh judge process; return its result dict. Leaves no process behind."""
    import json
    import secrets

    judge = _prestarted.pop() if _prestarted else ColdJudge()
    nonce = secrets.token_hex(16)
    lines = (
        json.dumps({"framework": request["framework"]}) + "\n" + json.dumps(request | {"nonce": nonce}) + "\n"
    )
    try:
        out, err, returncode = judge.communicate(lines.encode(), timeout_s)
    finally:
        judge.kill()
        kill_descendants(keep=judge.before)  # the judge's strays, not processes that were ours before it
    return parse_judge_output(out, err, returncode, nonce)


def parse_judge_output(out: bytes, err: bytes, returncode: int, nonce: str) -> dict:
    import json

    if returncode < 0 or returncode in (128 + signal.SIGTERM, 128 + signal.SIGHUP) and nonce not in str(out):
        # killed (or terminated, after its clean-up): by a submission, or by a crash (internal_error)
        from tfprep.grading.judge import killed_result

        return killed_result(-returncode if returncode < 0 else returncode - 128)
    for line in reversed(out.decode(errors="replace").splitlines()):
        if line.startswith("{"):
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("nonce") == nonce:
                return msg["result"]
    tail = err.decode(errors="replace").strip().splitlines()[-3:]
    how = tr("signal {n}", n=-returncode) if returncode < 0 else tr("exit code {n}", n=returncode)
    raise JudgeFailed(
        tr("the grader stopped without a result ({how}): {tail}", how=how, tail=" | ".join(tail))
    )


class WarmJudge:
    """A judge server with the heavy imports done once; each grading is a fork of it (judge.serve)."""

    def __init__(self, framework: str):
        import socket
        import subprocess

        exit_cleanly_on_signals()
        become_subreaper()
        make_undumpable()
        self.framework = framework
        self.before = set(descendants())
        self.sock, theirs = socket.socketpair()  # not pipes: see ColdJudge
        self.proc = subprocess.Popen(
            [*judge_command(framework), "--serve"],
            stdin=theirs,
            stdout=theirs,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=judge_env(),
        )
        theirs.close()
        self._buffer = b""

    def run(self, request: dict, timeout_s: float = 300.0) -> dict:
        import json
        import secrets
        import selectors

        nonce = secrets.token_hex(16)
        line = json.dumps(request | {"nonce": nonce, "timeout_s": timeout_s}) + "\n"
        try:
            self.sock.sendall(line.encode())
        except OSError:
            raise JudgeFailed(tr("the warm grader has stopped")) from None
        sel = selectors.DefaultSelector()
        sel.register(self.sock, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout_s + 10
        while True:  # lines without our nonce are ignored
            while b"\n" in self._buffer:
                out, self._buffer = self._buffer.split(b"\n", 1)
                try:
                    return parse_judge_output(out, b"", 0, nonce)
                except JudgeFailed:
                    continue
            if not sel.select(max(0.0, deadline - time.monotonic())):
                self.close()
                raise JudgeFailed(tr("grading took longer than {s:.0f} s and was stopped", s=timeout_s))
            try:
                chunk = self.sock.recv(1 << 20)
            except OSError:
                chunk = b""
            if not chunk or len(self._buffer) > MAX_JUDGE_OUTPUT:
                self.close()
                raise JudgeFailed(tr("the warm grader stopped without a result"))
            self._buffer += chunk

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self, keep: set[int] = frozenset()) -> None:
        """Stop the server and its strays; spare what was ours before it started, and `keep`."""
        with contextlib.suppress(OSError):
            self.sock.close()
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
