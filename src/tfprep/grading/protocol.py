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
from dataclasses import dataclass, field
from typing import Any

MAX_FRAME = 512 * 1024 * 1024
_HEADER = struct.Struct("!Q")


class ProtocolError(Exception):
    """The other side sent something that is not a frame of plain data."""


class Unsupported(TypeError):
    """A value of a type that cannot cross the wire (the message names the type)."""


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
    np = _numpy()

    blobs: list[bytes] = []

    def enc(v: Any) -> Any:
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v if abs(v) < 2**53 else {"__bigint__": str(v)}
        if isinstance(v, float):
            return (
                v if v == v and abs(v) != float("inf") else {"__float__": repr(float(v))}
            )  # np.float64 reprs as "np.float64(inf)"
        if isinstance(v, np.ndarray):
            if v.dtype.kind not in "biufc":
                raise Unsupported(f"an array of dtype {v.dtype}")
            blobs.append(np.ascontiguousarray(v).tobytes())
            return {"__nd__": len(blobs) - 1, "dtype": v.dtype.str, "shape": list(v.shape)}
        if isinstance(v, np.generic):
            return enc(v.item())
        if isinstance(v, tuple):
            return {"__tuple__": [enc(x) for x in v]}
        if isinstance(v, list):
            return [enc(x) for x in v]
        if isinstance(v, dict):
            return {"__dict__": [[enc(k), enc(x)] for k, x in v.items()]}
        if isinstance(v, Table):
            return {"__table__": [[enc(k), enc(x)] for k, x in v.rows.items()]}
        raise Unsupported(f"an object of type {type(v).__name__}")

    head = json.dumps({"v": enc(value), "blobs": [len(b) for b in blobs]}).encode()
    return b"".join([_HEADER.pack(len(head)), head, *blobs])


def decode(data: bytes) -> Any:
    np = _numpy()

    if len(data) < _HEADER.size:
        raise ProtocolError("short frame")
    (n,) = _HEADER.unpack_from(data)
    head = json.loads(data[_HEADER.size : _HEADER.size + n])
    pos = _HEADER.size + n
    blobs = []
    for size in head["blobs"]:
        blobs.append(data[pos : pos + size])
        pos += size

    def dec(v: Any) -> Any:
        if isinstance(v, list):
            return [dec(x) for x in v]
        if isinstance(v, dict):
            if "__nd__" in v:
                return _array(np, blobs[v["__nd__"]], v["dtype"], v["shape"])
            if "__tuple__" in v:
                return tuple(dec(x) for x in v["__tuple__"])
            if "__dict__" in v:
                return {_hashable(dec(k)): dec(x) for k, x in v["__dict__"]}
            if "__table__" in v:
                return Table({_hashable(dec(k)): dec(x) for k, x in v["__table__"]})
            if "__float__" in v:
                return float(v["__float__"])
            if "__bigint__" in v:
                return int(v["__bigint__"])
            raise ProtocolError("unknown tagged value")
        return v

    return dec(head["v"])


def _array(np, blob: bytes, dtype: str, shape: list):  # noqa: ANN001, ANN202 - numpy, ndarray
    """Raw bytes back into a writable array; only numeric dtypes (never objects, never pickles)."""
    try:
        kind = np.dtype(dtype) if isinstance(dtype, str) else None
        if kind is None or kind.kind not in "biufc" or kind.hasobject:
            raise ProtocolError(f"an array of dtype {dtype!r}")
        return np.frombuffer(blob, dtype=kind).reshape(shape).copy()
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"a malformed array: {exc}") from None


def _hashable(v: Any) -> Any:
    return tuple(_hashable(x) for x in v) if isinstance(v, (list, tuple)) else v


# ---------------------------------------------------------------- framing over a socket


def send(sock: socket.socket, value: Any) -> None:
    send_frame(sock, encode(value))


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def recv(sock: socket.socket) -> Any:
    """One frame, or EOFError when the other side is gone."""
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if size > MAX_FRAME:
        raise ProtocolError(f"frame of {size} bytes is over the limit")
    return decode(_recv_exact(sock, size))


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
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
    method: str | None = "forward"  # None: only construct (e.g. to test that __init__ raises)
    echo: bool = (
        False  # return (result, (args, kwargs) after the call), so the judge sees inputs modified in place
    )

    def to_wire(self) -> dict:
        return {
            "entry": self.entry,
            "args": tuple(self.args),
            "kwargs": dict(self.kwargs),
            "init": None if self.init is None else tuple(self.init),
            "init_kwargs": dict(self.init_kwargs),
            "state": self.state,
            "method": self.method,
            "echo": self.echo,
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
            bool(d.get("echo", False)),
        )


def to_framework(value: Any, framework: str) -> Any:
    """numpy arrays -> torch tensors for PyTorch drills (copies: the callee may write into them)."""
    np = _numpy()

    if isinstance(value, np.ndarray):
        if framework == "torch":
            import torch

            return torch.from_numpy(value.copy())
        return value.copy()
    if isinstance(value, tuple):
        return tuple(to_framework(x, framework) for x in value)
    if isinstance(value, list):
        return [to_framework(x, framework) for x in value]
    if isinstance(value, dict):
        return {k: to_framework(x, framework) for k, x in value.items()}
    return value


def to_plain(value: Any) -> Any:
    """Tensors -> numpy arrays, recursively; anything else that cannot cross the wire raises Unsupported."""
    np = _numpy()

    mod = type(value).__module__ or ""
    if mod.startswith("torch") and hasattr(value, "detach"):
        return value.detach().cpu().resolve_conj().resolve_neg().numpy().copy()
    if isinstance(value, (np.ndarray, np.generic, bool, int, float, str, type(None))):
        return value
    if isinstance(value, tuple):
        return tuple(to_plain(x) for x in value)
    if isinstance(value, list):
        return [to_plain(x) for x in value]
    if isinstance(value, dict):
        return {to_plain(k): to_plain(x) for k, x in value.items()}
    raise Unsupported(f"an object of type {type(value).__name__}")


def invoke(namespace: Any, call: Call, framework: str) -> Any:
    """Run `call` against `namespace` (a module or a dict of entries) and return plain data.

    With `call.echo`, return `(result, (args, kwargs))`: the arguments as they are after the call."""
    value, args, kwargs = _invoke(namespace, call, framework)
    if not call.echo:
        return value
    return value, (_echoed(args), _echoed(kwargs))


def _echoed(value: Any) -> Any:
    """An argument after the call as plain data (a Table, given as a function, is echoed as None)."""
    if isinstance(value, Table):
        return None
    if isinstance(value, tuple):
        return tuple(_echoed(x) for x in value)
    if isinstance(value, list):
        return [_echoed(x) for x in value]
    if isinstance(value, dict):
        return {k: _echoed(x) for k, x in value.items()}
    try:
        return to_plain(value)
    except Unsupported:
        return None


def _invoke(namespace: Any, call: Call, framework: str) -> tuple[Any, Any, Any]:
    get = namespace.get if isinstance(namespace, dict) else lambda n: getattr(namespace, n, None)
    target = get(call.entry)
    if target is None:
        raise LookupError(f"`{call.entry}` is not defined")
    args = to_framework(call.args, framework)
    kwargs = to_framework(call.kwargs, framework)
    if call.init is None:
        if framework == "torch":
            import torch

            with torch.no_grad():
                return to_plain(target(*args, **kwargs)), args, kwargs
        return to_plain(target(*args, **kwargs)), args, kwargs
    import torch

    obj = target(*to_framework(call.init, framework), **to_framework(call.init_kwargs, framework))
    if call.method is None:
        return None, args, kwargs
    if call.state is not None:
        state = to_framework(call.state, framework)
        dtypes = {t.dtype for t in state.values()}
        if len(dtypes) == 1:
            obj.to(dtypes.pop())
        obj.load_state_dict(state, strict=True)
    if hasattr(obj, "eval"):
        obj.eval()
    with torch.no_grad():
        return to_plain(getattr(obj, call.method)(*args, **kwargs)), args, kwargs
