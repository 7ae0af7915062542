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
import time
from pathlib import Path


def preload_common() -> None:
    """What every grading needs, whatever the framework (a cold judge does this while the CLI starts)."""
    import numpy  # noqa: F401
    import pytest  # noqa: F401

    from tfprep.grading import harness  # noqa: F401


def preload(framework: str, warm: bool = False) -> None:
    """The imports every grading of this framework needs, done before forking anything. A warm server
    also imports hypothesis once for all its gradings; a cold judge leaves it to the suites that use it."""
    preload_common()
    if warm:
        import hypothesis  # noqa: F401
    if framework == "torch":
        import torch

        torch.set_num_threads(1)


def run_grading(request: dict, zygote) -> dict:  # noqa: ANN001 - sandbox.Zygote
    import pytest

    from tfprep.grading.harness import Plugin

    plugin = Plugin(request, zygote)
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
        "peak_kb": (judge.peak_kb - judge.base_kb) if judge else 0,
        "output": judge.output[:4000] if judge else "",
    }
    if judge:
        judge.close()
    return result


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
    imports are paid once and nothing leaks from one grading to the next."""
    import select
    import signal

    import pytest  # noqa: F401 - preloaded for the forks

    from tfprep.grading import (
        harness,  # noqa: F401
        processes,
        sandbox,
    )

    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        nonce = request.pop("nonce", "")
        timeout_s = float(request.pop("timeout_s", 300.0))
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the judge of this one grading
            os.close(r)
            os.setpgid(0, 0)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                result = run_grading(request, zygote)
            except BaseException as exc:  # noqa: BLE001
                result = {"tests": [], "collected": 0, "internal": f"{type(exc).__name__}: {exc}"}
            data = json.dumps(result).encode()
            with os.fdopen(w, "wb") as f:
                f.write(data)
            os._exit(0)
        os.close(w)
        chunks, deadline, result = [], time.monotonic() + timeout_s, None
        while True:
            ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                processes.kill_group(pid)
                result = {
                    "tests": [],
                    "collected": 0,
                    "internal": f"grading took longer than {timeout_s:.0f} s",
                }
                break
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(r)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        processes.kill_descendants(keep={zygote.pid})
        if result is None:
            try:
                result = json.loads(b"".join(chunks))
            except ValueError:
                result = {
                    "tests": [],
                    "collected": 0,
                    "internal": "the grading process died without a result",
                }
        if "internal" in result:  # the zygote's conversation may be broken: start a clean one
            zygote.close()
            zygote = sandbox.Zygote()
        sys.stdout.write(json.dumps({"nonce": nonce, "result": result}) + "\n")
        sys.stdout.flush()
    zygote.close()


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
    processes.stay_on_this_cpu()
    if opts.serve:
        preload(opts.framework, warm=True)
        gc.enable()  # before the zygote: submissions run with the collector on
        zygote = sandbox.Zygote()
        serve(zygote)
        return
    # Cold mode: the common imports run while the CLI is still starting; then the framework line, then
    # the zygote is forked, and only then the request (with its nonce) is read.
    preload_common()
    framework = opts.framework or json.loads(sys.stdin.readline())["framework"]
    preload(framework)
    gc.enable()  # before the zygote: submissions run with the collector on
    zygote = sandbox.Zygote()
    request = json.loads(sys.stdin.readline())
    nonce = request.pop("nonce", "")
    try:
        result = run_grading(request, zygote)
    except Exception as exc:  # noqa: BLE001 - report as internal_error rather than die silently
        result = {"tests": [], "collected": 0, "internal": f"{type(exc).__name__}: {exc}"}
    finally:
        zygote.close()
        processes.kill_descendants()
    sys.stdout.write(json.dumps({"nonce": nonce, "result": result}) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is cleaned up and said; skip the interpreter's teardown of numpy, pytest (and torch),
    # which costs ~0.1 s that the user would wait for.
    os._exit(0)


if __name__ == "__main__":
    main()
