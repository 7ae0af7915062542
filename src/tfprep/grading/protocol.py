"""The wire between the judge and the worker: length-prefixed frames of JSON plus raw array bytes.

Only plain data crosses: numbers, strings, lists, tuples, dicts and numeric numpy arrays (raw bytes with
their dtype and shape; no pickles). Objects that "compare equal to anything" cannot survive the trip.
Also: `invoke`, the one place that turns a call spec into a call, used alike for the submission (in the
worker), the reference and the known-mistake variants (in the judge).
"""

from __future__ import annotations

import json
import socket
import struct
import time
from dataclasses import dataclass, field
from typing import Any

from tfprep.i18n import tr

# Bounds on what one frame may hold, so decoding costs the judge little time and memory whatever the
# worker sends. An honest worker refuses to send more (Unsupported, a wrong answer with a message).
MAX_FRAME = 128 * 1024 * 1024  # all bytes of one frame (arrays travel as raw bytes)
MAX_HEAD = 8 * 1024 * 1024  # its JSON part: plain Python data
MAX_DEPTH = 32  # nesting of lists, tuples and dicts
MAX_ITEMS = 200_000  # plain values in one frame (an array counts as one)
MAX_DIGITS = 309  # an int must fit in a float (10**309 > the largest float)
_HEADER = struct.Struct("!Q")


class ProtocolError(Exception):
    """The other side sent something that is not a frame of plain data within the bounds above."""


class Unsupported(TypeError):
    """A value that cannot cross the wire. `reason` says why as data (reasons.py), for the judge to put in
    words in the user's language; str() is the phrase in the current language (English in a worker)."""

    def __init__(self, *reason: object):
        super().__init__(*reason)
        self.reason = list(reason)

    def __str__(self) -> str:
        from tfprep.grading.reasons import text

        return text(self.reason)


class Missing(LookupError):
    """The entry a call names is not defined (reason: not_defined)."""

    def __init__(self, name: str):
        super().__init__(name)
        self.reason = ["not_defined", name]

    def __str__(self) -> str:
        from tfprep.grading.reasons import text

        return text(self.reason)


@dataclass
class Table:
    """A callable given to the submission as data: prefix (tuple of ints) -> list of floats."""

    rows: dict[tuple, list] = field(default_factory=dict)

    def __call__(self, prefix):  # the callable the submission sees
        return list(self.rows[tuple(int(t) for t in prefix)])


# ---------------------------------------------------------------- encoding


class _NoNumpy:
    """Stands in for numpy in a worker whose drill forbids it (the rules hide it): no value is an array."""

    ndarray = generic = ()


def _numpy():
    try:
        import numpy
    except BaseException as exc:  # noqa: BLE001 - only the worker's ForbiddenCall (a BaseException) is expected
        if type(exc).__name__ != "ForbiddenCall":
            raise
        return _NoNumpy
    return numpy


def encode(value: Any) -> bytes:
    """One frame's payload. Unsupported for values that are not plain data or exceed the bounds."""
    np = _numpy()

    blobs: list[bytes] = []
    items = [0]

    def enc(v: Any, depth: int) -> Any:
        items[0] += 1
        if items[0] > MAX_ITEMS:
            raise Unsupported("too_many_items", MAX_ITEMS)
        if depth > MAX_DEPTH:
            raise Unsupported("too_deep", MAX_DEPTH)
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            if abs(v) < 2**53:
                return int(v)
            if v.bit_length() > 1023:
                raise Unsupported("int_too_large")
            return {"__bigint__": str(int(v))}
        if isinstance(v, float):
            return (
                float(v) if v == v and abs(v) != float("inf") else {"__float__": repr(float(v))}
            )  # np.float64 reprs as "np.float64(inf)"
        if isinstance(v, np.ndarray):
            if v.dtype.kind not in "biufc":
                raise Unsupported("array_dtype", str(v.dtype))
            blobs.append(np.ascontiguousarray(v).tobytes())
            return {"__nd__": len(blobs) - 1, "dtype": v.dtype.str, "shape": list(v.shape)}
        if isinstance(v, np.generic):
            return enc(v.item(), depth)
        if isinstance(v, tuple):
            return {"__tuple__": [enc(x, depth + 1) for x in v]}
        if isinstance(v, list):
            return [enc(x, depth + 1) for x in v]
        if isinstance(v, dict):
            return {"__dict__": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
        if isinstance(v, Table):
            return {"__table__": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.rows.items()]}
        raise Unsupported("object_type", type(v).__name__)

    head = json.dumps({"v": enc(value, 0), "blobs": [len(b) for b in blobs]}).encode()
    size = len(head) + sum(len(b) for b in blobs)
    if len(head) > MAX_HEAD or size > MAX_FRAME:
        raise Unsupported("too_large_mb", round(size / 2**20))
    return b"".join([_HEADER.pack(len(head)), head, *blobs])


_TAGS = {"__nd__": 3, "__tuple__": 1, "__dict__": 1, "__table__": 1, "__float__": 1, "__bigint__": 1}
_NONFINITE = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}


def decode(data: bytes) -> Any:
    """A frame's payload back into plain data. ProtocolError for anything an honest `encode` does not make:
    malformed or oversized frames, unknown tags, nesting or item counts past the bounds."""
    np = _numpy()

    if len(data) < _HEADER.size:
        raise ProtocolError(tr("short frame"))
    (n,) = _HEADER.unpack_from(data)
    if n > MAX_HEAD or _HEADER.size + n > len(data):
        raise ProtocolError(tr("a frame's head is over the limit or cut short"))
    try:
        head = json.loads(data[_HEADER.size : _HEADER.size + n])
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise ProtocolError(tr("a frame that is not JSON within the limits")) from None
    if not (isinstance(head, dict) and set(head) == {"v", "blobs"} and isinstance(head["blobs"], list)):
        raise ProtocolError(tr("a frame without its value and blob sizes"))
    sizes = head["blobs"]
    if not all(type(s) is int and s >= 0 for s in sizes) or _HEADER.size + n + sum(sizes) != len(data):
        raise ProtocolError(tr("blob sizes that do not add up to the frame"))
    blobs, pos = [], _HEADER.size + n
    for size in sizes:
        blobs.append(data[pos : pos + size])
        pos += size
    items = [0]

    def dec(v: Any, depth: int) -> Any:
        items[0] += 1
        if items[0] > MAX_ITEMS or depth > MAX_DEPTH:
            raise ProtocolError(tr("a value past the item or nesting limit"))
        if v is None or isinstance(v, (bool, str, float)):
            return v
        if isinstance(v, int):
            if abs(v) >= 2**53:  # an honest encoder tags these
                raise ProtocolError(tr("an untagged big integer"))
            return v
        if isinstance(v, list):
            return [dec(x, depth + 1) for x in v]
        tag = next(iter(v), None) if len(v) == _TAGS.get(next(iter(v), ""), -1) else None
        if tag == "__nd__" and set(v) == {"__nd__", "dtype", "shape"}:
            i = v["__nd__"]
            if type(i) is not int or not 0 <= i < len(blobs):
                raise ProtocolError(tr("an array without its bytes"))
            return _array(np, blobs[i], v["dtype"], v["shape"])
        if tag == "__tuple__" and isinstance(v[tag], list):
            return tuple(dec(x, depth + 1) for x in v[tag])
        if tag in ("__dict__", "__table__") and isinstance(v[tag], list):
            if not all(isinstance(p, list) and len(p) == 2 for p in v[tag]):
                raise ProtocolError(tr("a dict that is not a list of pairs"))
            d = {_hashable(dec(k, depth + 1)): dec(x, depth + 1) for k, x in v[tag]}
            return d if tag == "__dict__" else Table(d)
        if tag == "__float__" and v[tag] in _NONFINITE:
            return _NONFINITE[v[tag]]
        if tag == "__bigint__" and isinstance(v[tag], str):
            digits = v[tag].removeprefix("-")
            if not (digits.isascii() and digits.isdigit() and len(digits) <= MAX_DIGITS):
                raise ProtocolError(tr("a malformed big integer"))
            big = int(v[tag])
            if abs(big) < 2**53 or big.bit_length() > 1023:
                raise ProtocolError(tr("a big integer out of range"))
            return big
        raise ProtocolError(tr("an unknown tagged value"))

    return dec(head["v"], 0)


def _array(np, blob: bytes, dtype: str, shape: list):  # noqa: ANN001, ANN202 - numpy, ndarray
    """Raw bytes back into a writable array; only numeric dtypes (never objects, never pickles)."""
    if not (
        isinstance(shape, list) and len(shape) <= MAX_DEPTH and all(type(d) is int and d >= 0 for d in shape)
    ):
        raise ProtocolError(tr("a malformed array shape {shape}", shape=str(shape)[:40]))
    try:
        kind = np.dtype(dtype) if isinstance(dtype, str) else None
        if kind is None or kind.kind not in "biufc" or kind.hasobject:
            raise ProtocolError(tr("an array of dtype {dtype}", dtype=repr(str(dtype)[:40])))
        return np.frombuffer(blob, dtype=kind).reshape(shape).copy()
    except (TypeError, ValueError) as exc:
        raise ProtocolError(tr("a malformed array: {error}", error=str(exc)[:80])) from None


def _hashable(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, (dict, Table)) or not _is_hashable(v):
        raise ProtocolError(tr("a dict key that is not a plain value"))
    return v


def _is_hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


# ---------------------------------------------------------------- framing over a socket


def send(sock: socket.socket, value: Any) -> None:
    send_frame(sock, encode(value))


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def recv(sock: socket.socket, deadline: float | None = None) -> Any:
    """One frame, or EOFError when the other side is gone. With `deadline` (a time.monotonic() value),
    TimeoutError once it passes, however the frame's bytes are spread out in time."""
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, deadline))
    if size > MAX_FRAME:
        raise ProtocolError(tr("frame of {size} bytes is over the limit", size=size))
    return decode(_recv_exact(sock, size, deadline))


def _recv_exact(sock: socket.socket, n: int, deadline: float | None = None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------- call specs


@dataclass
class Call:
    """What to run: a function, or a class built, loaded with a state dict, then a method called."""

    entry: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    init: tuple | None = None  # set for classes: constructor arguments
    init_kwargs: dict = field(default_factory=dict)
    state: dict | None = None  # parameter name -> array, loaded with strict=True
    # None: only construct (e.g. to test that __init__ raises); a list: several steps on one object (run_steps)
    method: str | list | None = "forward"
    echo_args: bool = False  # return (result, (args, kwargs) as they are after the call)

    def to_wire(self) -> dict:
        return {
            "entry": self.entry,
            "args": tuple(self.args),
            "kwargs": dict(self.kwargs),
            "init": None if self.init is None else tuple(self.init),
            "init_kwargs": dict(self.init_kwargs),
            "state": self.state,
            "method": self.method,
            "echo_args": self.echo_args,
        }

    @classmethod
    def from_wire(cls, d: dict) -> Call:
        return cls(
            d["entry"],
            d["args"],
            d["kwargs"],
            d["init"],
            d["init_kwargs"],
            d["state"],
            d["method"],
            bool(d.get("echo_args", False)),
        )
