"""The worker: the only process that imports the submission. It answers call specs over a socket.

It runs after sandbox.fork_worker has set its limits, fds, folder and environment. Nothing it says is
trusted: the judge only ever receives plain data from it (protocol.py) and judges that.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import resource
import sys
import time
import traceback
from typing import Any

from tfprep.grading import invoke, protocol, reasons, tripwires
from tfprep.grading.messages import MAX_FRAMES

SUBMISSION_MODULE = "submission"


class ForbiddenCall(BaseException):
    """Raised by a tripwire put in place of a forbidden function (BaseException: hard to swallow).
    `reason` (reasons.py): import_blocked, call_blocked or subclass_blocked, and the name."""

    def __init__(self, code: str, name: str):
        super().__init__(code, name)
        self.reason = [code, name]

    def __str__(self) -> str:
        return reasons.text(self.reason)


class _BlockImports(importlib.abc.MetaPathFinder):
    def __init__(self, blocked: list[str]):
        self.blocked = blocked

    def find_spec(self, name, path=None, target=None):  # noqa: ANN001 - importlib's signature
        for b in self.blocked:
            if name == b or name.startswith(b + "."):
                raise ForbiddenCall("import_blocked", name)
        return None


def install_rules(forbidden_imports: list[str], forbidden_calls: list[str]) -> None:
    """Runtime half of the rules (the static half is static_check.py): block imports, trip calls."""
    for name in list(sys.modules):
        if any(name == b or name.startswith(b + ".") for b in forbidden_imports):
            del sys.modules[name]
    sys.meta_path.insert(0, _BlockImports(forbidden_imports))
    tripwires.install(forbidden_calls, ForbiddenCall)  # every alias of a forbidden kernel too


def _peak_rss_kb() -> int:
    """The high-water mark of resident memory (Linux: the same figure as VmHWM), one syscall per call."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _where(exc: BaseException, path: str) -> tuple[int | None, list]:
    """The submission's own frames of a traceback (the last few), as [line, function, code] each, and the
    last line number in it. Data: the judge words it in the user's language."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    shown = [[f.lineno or 0, f.name[:200], (f.line or "").strip()[:300]] for f in frames[-MAX_FRAMES:]]
    return (frames[-1].lineno if frames else None), shown


def _failure(exc: BaseException, path: str) -> dict[str, Any]:
    """What went wrong, as data. A failure of our own making carries a `reason` (reasons.py) that the judge
    puts in words in the user's language; "message" is the exception's own text (the submission's, or
    Python's), or the reason in English for the output of older judges and people reading raw replies."""
    line, frames = _where(exc, path)
    exc_type = type(exc).__name__
    text = f"{exc_type}: {exc}".strip()
    reason = None
    if isinstance(exc, ForbiddenCall):
        kind = "rule_violation"
        text, reason = str(exc), exc.reason
    elif (
        isinstance(exc, MemoryError)
        or "can't allocate memory" in str(exc)
        or "DefaultCPUAllocator" in str(exc)
    ):
        kind = "memory_limit_exceeded"
    elif isinstance(exc, SystemExit):
        kind = "runtime_error"
        reason = ["exit_called", repr(exc.code)[: reasons.TEXT_LIMIT]]
        text = reasons.text(reason)
    elif isinstance(exc, protocol.Unsupported):
        kind = "bad_return"
        reason = exc.reason
        text = f"returned {exc}; return tensors/arrays, numbers or lists as the statement says"
    elif isinstance(exc, protocol.Missing):
        kind, exc_type, reason = "runtime_error", "LookupError", exc.reason
        text = f"{exc_type}: {exc}"
    elif isinstance(exc, OSError) and getattr(exc, "errno", None) == 27:  # EFBIG: output cap reached
        kind = "output_limit_exceeded"
        reason = ["output_limit"]
        text = reasons.text(reason)
    else:
        kind = "runtime_error"
    return {
        "ok": False,
        "kind": kind,
        "exc_type": exc_type,
        "message": text[:2000],
        "reason": reasons.capped(reason),
        "line": line,
        "frames": frames,
    }


def serve(sock, path: str, framework: str, forbidden_imports: list[str], forbidden_calls: list[str]) -> None:
    """Import the submission, then answer calls until the socket closes. Never returns normally."""
    install_rules(forbidden_imports, forbidden_calls)
    if framework == "torch":
        try:
            import torch

            torch.set_num_threads(1)
        except Exception:  # noqa: BLE001
            pass
    sys.path.insert(0, os.path.dirname(path))
    try:
        spec = importlib.util.spec_from_file_location(SUBMISSION_MODULE, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[SUBMISSION_MODULE] = module
        spec.loader.exec_module(module)
        hello: dict[str, Any] = {"ok": True, "peak_kb": _peak_rss_kb()}
    except BaseException as exc:  # noqa: BLE001 - anything at import is the submission's failure
        module = None
        hello = _failure(exc, path) | {"peak_kb": _peak_rss_kb(), "at_import": True}
    protocol.send(sock, hello)
    if module is None:
        os._exit(0)
    while True:
        try:
            msg = protocol.recv(sock)
        except EOFError:
            os._exit(0)
        start = time.perf_counter()
        request_id = msg.get("id") if isinstance(msg, dict) else None  # echoed: messages.reply checks it
        try:
            value = invoke.invoke(module, protocol.Call.from_wire(msg), framework)
            reply = protocol.encode(
                {
                    "ok": True,
                    "id": request_id,
                    "value": value,
                    "seconds": time.perf_counter() - start,
                    "peak_kb": _peak_rss_kb(),
                }
            )
        except BaseException as exc:  # noqa: BLE001
            reply = protocol.encode(_failure(exc, path) | {"id": request_id, "peak_kb": _peak_rss_kb()})
        protocol.send_frame(sock, reply)
