"""The only messages the judge accepts from a worker, checked field by field (the worker is untrusted).

A worker says one of three things: it is ready (the hello), a call returned a value, or something raised
(an exception described as data). Each is a dict with exactly the fields below; anything else — another
field, another kind, a status, a reply to a request that was not made — is a ProtocolError, which the judge
reports as the submission writing to the grader's channel. No field can carry a verdict: whether a test
passed is decided by the judge comparing the value with its own reference.
"""

from __future__ import annotations

from typing import Any

from tfprep.grading import reasons
from tfprep.grading.protocol import ProtocolError, Table
from tfprep.i18n import tr

# What a worker may say went wrong (worker._failure); the judge maps each to a verdict itself.
FAILURE_KINDS = frozenset(
    {"runtime_error", "memory_limit_exceeded", "rule_violation", "bad_return", "output_limit_exceeded"}
)
TEXT_LIMIT = 2000  # characters of an exception's message or traceback kept
_FAILURE_FIELDS = {"ok", "kind", "exc_type", "message", "reason", "line", "frames", "peak_kb"}
MAX_FRAMES = 5  # of a traceback: [line, function, code] each


def _int(msg: dict, key: str, low: int = 0, high: int = 2**62) -> int:
    v = msg[key]
    if type(v) is not int or not low <= v <= high:
        raise ProtocolError(tr("field {field} is not a count", field=repr(key)))
    return v


def _text(msg: dict, key: str, limit: int = TEXT_LIMIT) -> str:
    v = msg[key]
    if not isinstance(v, str):
        raise ProtocolError(tr("field {field} is not text", field=repr(key)))
    return v[:limit]


def _failure(msg: dict) -> dict:
    if msg["kind"] not in FAILURE_KINDS:
        raise ProtocolError(tr("unknown failure kind {kind}", kind=repr(str(msg["kind"])[:40])))
    line = msg["line"]
    if line is not None and (type(line) is not int or not 0 <= line < 10**7):
        raise ProtocolError(tr("field 'line' is not a line number"))
    if msg["reason"] is not None and not reasons.valid(msg["reason"]):
        raise ProtocolError(tr("field 'reason' is not a known reason with its fields"))
    if msg["kind"] in ("bad_return", "rule_violation") and msg["reason"] is None:  # the judge words these
        raise ProtocolError(tr("field 'reason' is not a known reason with its fields"))
    return {
        "ok": False,
        "kind": msg["kind"],
        "exc_type": _text(msg, "exc_type", 100),
        "message": _text(msg, "message"),
        "reason": msg["reason"],  # checked above: a known code and plain fields (reasons.py)
        "line": line,
        "frames": _frames(msg["frames"]),
        "peak_kb": _int(msg, "peak_kb"),
    }


def _frames(frames: Any) -> list:
    """The submission's traceback frames: a few [line, function, code], with plain values."""
    if not isinstance(frames, list) or len(frames) > MAX_FRAMES:
        raise ProtocolError(tr("field 'frames' is not a short list"))
    out = []
    for f in frames:
        if not (
            isinstance(f, list)
            and len(f) == 3
            and type(f[0]) is int
            and 0 <= f[0] < 10**7
            and all(isinstance(t, str) for t in f[1:])
        ):
            raise ProtocolError(tr("a frame that is not [line, function, code]"))
        out.append([f[0], f[1][:200], f[2][:300]])
    return out


def _fields(msg: Any, allowed: set[str]) -> dict:
    if not isinstance(msg, dict) or set(msg) != allowed or msg.get("ok") not in (True, False):
        keys = sorted(map(str, msg))[:8] if isinstance(msg, dict) else type(msg).__name__
        raise ProtocolError(tr("an unexpected message ({keys})", keys=keys))
    return msg


def hello(msg: Any) -> dict:
    """The worker's first message: {"ok": True, "peak_kb"} once the submission is imported, or a failure
    (with "at_import": True) when importing it raised."""
    if isinstance(msg, dict) and msg.get("ok") is True:
        m = _fields(msg, {"ok", "peak_kb"})
        return {"ok": True, "peak_kb": _int(m, "peak_kb")}
    m = _fields(msg, _FAILURE_FIELDS | {"at_import"})
    if m["at_import"] is not True:
        raise ProtocolError(tr("a failure at import that does not say so"))
    return _failure(m) | {"at_import": True}


def reply(msg: Any, request_id: int) -> dict:
    """The answer to request `request_id`: {"ok": True, "id", "value", "seconds", "peak_kb"} or a failure
    with its "id". The id is random and sent with the request, so an answer written in advance fails."""
    if isinstance(msg, dict) and msg.get("ok") is True:
        m = _fields(msg, {"ok", "id", "value", "seconds", "peak_kb"})
        if not isinstance(m["seconds"], (int, float)) or isinstance(m["seconds"], bool):
            raise ProtocolError(tr("field 'seconds' is not a number"))
        if _holds_a_table(m["value"]):  # tables go to the worker, never back
            raise ProtocolError(tr("a returned value holding a table"))
        out = {"ok": True, "value": m["value"], "seconds": float(m["seconds"]), "peak_kb": _int(m, "peak_kb")}
    else:
        m = _fields(msg, _FAILURE_FIELDS | {"id"})
        out = _failure(m)
    if m["id"] != request_id or type(m["id"]) is not int:
        raise ProtocolError(tr("an answer to a request that was not made"))
    return out


def _holds_a_table(value: Any) -> bool:
    todo = [value]
    while todo:  # bounded: decoding already capped the number of items
        v = todo.pop()
        if isinstance(v, Table):
            return True
        if isinstance(v, (list, tuple)):
            todo.extend(v)
        elif isinstance(v, dict):
            todo.extend(v.keys())
            todo.extend(v.values())
    return False
