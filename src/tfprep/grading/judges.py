"""The judge seen from the CLI: a cold judge for one grading, or a warm judge server for many.

Kept light (no numpy, no pytest): `tfprep grade` imports it before anything else to start the judge early.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

from tfprep.grading.processes import become_subreaper, descendants, kill_descendants, kill_group


class JudgeFailed(Exception):
    """The judge itself did not produce a result (crashed, killed, timed out)."""


def judge_command(framework: str | None = None) -> list[str]:
    # -S: no site, whose .pth files can cost more than the judge's own start-up (judge_env passes our
    # sys.path instead); -P: the working folder is not on the judge's path, so a user's numpy.py or
    # pytest.py next to their drill cannot shadow what the judge imports.
    cmd = [sys.executable, "-S", "-P", "-m", "tfprep.grading.judge"]
    return [*cmd, "--framework", framework] if framework else cmd


def judge_path() -> list[str]:
    """Where the judge imports from: where tfprep is, then our own path without the working folder."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cwd = os.getcwd()
    rest = [p for p in sys.path if p and os.path.abspath(p) not in (cwd, here)]
    return [here, *rest]


def judge_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(judge_path()),
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYTHONDONTWRITEBYTECODE="1",
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
        PYTHONHASHSEED="0",  # set iteration order is part of what --seed replays
    )
    return env


_prestarted: list[tuple[subprocess.Popen, set[int]]] = []  # a cold judge started early by `tfprep grade`


def _start_cold_judge() -> tuple[subprocess.Popen, set[int]]:
    """The judge, and the processes that were already below us (the sweep afterwards spares them)."""
    before = set(descendants())
    proc = subprocess.Popen(
        judge_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=judge_env(),
    )
    become_subreaper()  # after the start (it loads ctypes): the judge forks nothing before it is ready
    return proc, before


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
