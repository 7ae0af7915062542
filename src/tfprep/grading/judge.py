"""The judge process: `main()`, in a child forked by `tfprep grade` (judges.ColdJudge) or in
`python -S -P -m tfprep.grading.judge [--framework torch|numpy|python] [--serve]`.

Imports the heavy modules, forks the clean zygote, THEN reads the request (with its nonce) from stdin, runs
the hidden suite under pytest, and prints one JSON line {"nonce", "result"} on its original stdout.
With --serve it answers one request per line, each in a fresh fork of itself (`serve`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def preload_common() -> None:
    """What every grading needs, whatever the framework (a cold judge does this while the CLI starts)."""
    import numpy  # noqa: F401
    import pytest  # noqa: F401

    from tfprep.grading import plugin  # noqa: F401 - and the harness it uses


def preload(framework: str, warm: bool = False) -> None:
    """The imports every grading of this framework needs, done before forking anything. A warm server
    also imports hypothesis once for all its gradings; a cold judge leaves it to the suites that use it."""
    preload_common()
    if warm:
        import hypothesis  # noqa: F401
    if framework == "torch":
        import torch

        torch.set_num_threads(1)


def run_grading(request: dict, zygote, workdir: str) -> dict:  # noqa: ANN001 - sandbox.Zygote
    """Run the hidden suite; the workers' folders go under `workdir` (the caller removes it after its
    sweep, when no process of this grading is left to write into it)."""
    import pytest

    from tfprep.grading.plugin import Plugin
    from tfprep.i18n import set_lang

    set_lang(request.get("lang", "en"))  # the judge's own messages, in the user's language
    plugin = Plugin(request, zygote, workdir)
    suite = Path(request["suite"])
    args = [
        str(suite),
        "--assert=plain",  # plain asserts: the suite's source is never shown in messages
        "--import-mode=importlib",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:stepwise",
        "--rootdir",
        str(suite),
        "-c",
        str(Path(request["suite_ini"])),
        "-p",
        "no:terminal",  # fd 1 is silenced anyway; results come from our plugin
    ]
    # builtin plugins the hidden suites never use: each one costs hook calls in every test
    for name in (
        "doctest",
        "junitxml",
        "pastebin",
        "nose",
        "legacypath",
        "tmpdir",
        "recwarn",
        "logging",
        "capture",
        "faulthandler",
        "setuponly",
        "setupplan",
        "unittest",
        "debugging",
        "warnings",
        "monkeypatch",
        "unraisableexception",  # its clean-up runs gc.collect() five times: ~0.5 s with torch loaded
        "threadexception",
    ):
        args += ["-p", f"no:{name}"]
    if request.get("select"):
        args += ["-k", request["select"]]
    import gc

    gc.freeze()  # the preloaded modules' objects never die: keep them out of every collection
    start = time.perf_counter()
    with _quiet():
        code = pytest.main(args, plugins=[plugin])
    judge = plugin.judge_obj
    result = {
        "tests": plugin.results,
        "collected": plugin.collected,
        "pytest_exit": int(code),
        "suite_errors": plugin.errors,
        "seconds": round(time.perf_counter() - start, 4),
        "peak_kb": max(0, judge.peak_kb - judge.base_kb) if judge else 0,
        "output": judge.output[:4000] if judge else "",
    }
    if judge:
        judge.close()
    if judge and judge.interfered:
        result["interfered"] = judge.interfered
    return result


def result_line(nonce: str, result: dict) -> bytes:
    """The judge's answer as one JSON line; anything not JSON-able (a bug) becomes its repr, capped."""
    return (json.dumps({"nonce": nonce, "result": result}, default=lambda o: repr(o)[:200]) + "\n").encode()


def internal(exc: BaseException) -> dict:
    return {"tests": [], "collected": 0, "internal": f"{type(exc).__name__}: {exc}"[:1000]}


def _on_termination(cleanup) -> None:  # noqa: ANN001 - () -> None
    """SIGTERM / SIGHUP (sent by the CLI's parent-death signal, or a user) end the judge only after it has
    killed everything below it and removed its folders."""
    import signal

    def handler(signum, _frame) -> None:  # noqa: ANN001
        try:
            cleanup()
        finally:
            os._exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


@contextlib.contextmanager
def _quiet():
    """pytest prints to fd 1, which is our result channel: send it to /dev/null meanwhile."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def serve(zygote) -> None:  # noqa: ANN001 - sandbox.Zygote
    """Warm mode: one request per stdin line; each grading runs in a fresh fork of this process, so the
    imports are paid once and nothing leaks from one grading to the next. Between gradings every process
    below this one except the zygote is killed, the zygote sweeps its own subtree, and the grading's folder
    is removed; the next grading starts only then."""
    import pytest  # noqa: F401 - preloaded for the forks

    from tfprep.grading import (
        plugin,  # noqa: F401 - and the harness it uses
        processes,
        sandbox,
    )

    state = {"workdir": None}

    def cleanup() -> None:
        zygote.close()
        processes.kill_descendants()
        if state["workdir"]:
            sandbox.remove_tree(Path(state["workdir"]))

    _on_termination(cleanup)
    while True:
        # checked before the next request is read, so a new zygote never holds a request or its nonce
        if not _zygote_ready(zygote):
            zygote.close()
            processes.kill_descendants()
            zygote = sandbox.Zygote()
        line = sys.stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        request = json.loads(line)
        nonce = request.pop("nonce", "")
        timeout_s = float(request.pop("timeout_s", 300.0))
        workdir = state["workdir"] = tempfile.mkdtemp(prefix="tfprep-run-")
        result = _one_grading(request, zygote, workdir, nonce, timeout_s)
        # nothing of this grading may outlive it: the grading judge is gone (reaped), its strays are
        # ours (subreaper), and the zygote kills everything below it (or is replaced, at the loop's top)
        ready = _zygote_ready(zygote)
        processes.kill_descendants(keep={zygote.pid} if ready else set())
        sandbox.remove_tree(Path(workdir))
        state["workdir"] = None
        sys.stdout.buffer.write(result_line(nonce, result))
        sys.stdout.flush()
    zygote.close()


def _zygote_ready(zygote) -> bool:  # noqa: ANN001 - sandbox.Zygote
    """Sweep the zygote's subtree; False if it does not answer (a submission killed or stopped it)."""
    from tfprep.grading import processes, sandbox

    try:
        zygote.sweep()
    except sandbox.ZygoteGone:
        return False
    return not processes.descendants(zygote.pid)


def _one_grading(request: dict, zygote, workdir: str, nonce: str, timeout_s: float) -> dict:  # noqa: ANN001
    """Fork the judge of one grading and read its result through a socket (which, unlike a pipe, no
    other process can open through /proc/PID/fd). The result must carry this grading's nonce and the
    judge must exit normally: a submission that writes into the judge or kills it gets no verdict it
    chose."""
    import select
    import signal
    import socket

    from tfprep.grading import processes

    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the judge of this one grading
        ours.close()
        os.setpgid(0, 0)
        # a signal from the submission ends this judge as a signal, which the server reports
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        try:
            result = run_grading(request, zygote, workdir)
        except BaseException as exc:  # noqa: BLE001
            result = internal(exc)
        with contextlib.suppress(OSError):
            theirs.sendall(result_line(nonce, result))
        os._exit(0)
    theirs.close()
    chunks, deadline, size = [], time.monotonic() + timeout_s, 0
    timed_out = False
    while size <= MAX_RESULT_BYTES:
        ready, _, _ = select.select([ours], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            timed_out = True
            break
        chunk = ours.recv(1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    ours.close()
    processes.kill_group(pid)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"tests": [], "collected": 0, "internal": f"grading took longer than {timeout_s:.0f} s"}
    if os.WIFSIGNALED(status):
        return killed_result(os.WTERMSIG(status))
    try:
        msg = json.loads(b"".join(chunks))
        if msg["nonce"] == nonce and isinstance(msg["result"], dict):
            return msg["result"]
    except (ValueError, KeyError, TypeError):
        pass
    return {"tests": [], "collected": 0, "internal": "the grading process ended without a result"}


SNAPSHOT_PREFIX = "tfprep-sub-"  # service.py's folder for the snapshot of the file graded
MAX_RESULT_BYTES = 16 * 1024 * 1024  # a result is a few KB (messages and previews are capped)
# A judge killed by one of these crashed (a bug in tfprep); by any other signal, it was killed — by the
# submission (which runs as the same user) or by the system running out of memory.
CRASH_SIGNALS = {"SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGABRT", "SIGSYS"}


def killed_result(sig: int) -> dict:
    import signal

    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else f"signal {sig}"
    if name in CRASH_SIGNALS:
        return {"tests": [], "collected": 0, "internal": f"the grader crashed ({name})"}
    return {
        "tests": [],
        "collected": 0,
        "interfered": f"the grader was killed by {name} while your code ran "
        "(your code signalled it, or the machine ran out of memory)",
    }


def main(argv: list[str] | None = None) -> None:
    import gc

    gc.disable()  # no collections while numpy, pytest (and torch) load: ~3 % of the imports' time
    from tfprep.grading import processes, sandbox

    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--framework", help="preload for this framework (else: read from the first stdin line)"
    )
    parser.add_argument("--serve", action="store_true", help="warm mode: one JSON request per line")
    opts = parser.parse_args(argv)
    processes.become_subreaper()
    processes.make_undumpable()
    processes.stay_on_this_cpu()
    import signal

    processes.set_parent_death_signal(signal.SIGTERM)  # the CLI died: clean up (_on_termination) and go
    # The judge is in a session of its own: Ctrl-C in the terminal never reaches it (the CLI ends it). A
    # SIGINT can only come from the submission, and must not interrupt pytest into a partial result.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if opts.serve:
        preload(opts.framework, warm=True)
        gc.enable()  # before the zygote: submissions run with the collector on
        zygote = sandbox.Zygote()
        serve(zygote)
        return
    # Cold mode: the common imports run while the CLI is still starting; then the framework line, then
    # the zygote is forked, and only then the request (with its nonce) is read.
    workdir: list[str] = []
    zygotes: list = []

    def cleanup() -> None:
        for z in zygotes:
            z.close()
        processes.kill_descendants()
        for w in workdir:
            sandbox.remove_tree(Path(w))

    def cleanup_for_a_dead_cli() -> None:
        cleanup()
        # the CLI removes the snapshot's folder when it ends; killed (SIGKILL), it cannot: do it here
        snapshot = Path(request.get("submission", "")).parent if request else None
        if snapshot and snapshot.name.startswith(SNAPSHOT_PREFIX):
            sandbox.remove_tree(snapshot)

    request: dict = {}
    _on_termination(cleanup_for_a_dead_cli)
    preload_common()
    framework = opts.framework or json.loads(sys.stdin.readline())["framework"]
    preload(framework)
    gc.enable()  # before the zygote: submissions run with the collector on
    zygotes.append(sandbox.Zygote())
    request.update(json.loads(sys.stdin.readline()))
    nonce = request.pop("nonce", "")
    workdir.append(tempfile.mkdtemp(prefix="tfprep-run-"))
    try:
        result = run_grading(request, zygotes[0], workdir[0])
    except Exception as exc:  # noqa: BLE001 - report as internal_error rather than die silently
        result = internal(exc)
    finally:
        cleanup()  # every process below the judge is gone before its folder is removed
    sys.stdout.buffer.write(result_line(nonce, result))
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is cleaned up and said; skip the interpreter's teardown of numpy, pytest (and torch),
    # which costs ~0.1 s that the user would wait for.
    os._exit(0)


if __name__ == "__main__":
    main()
