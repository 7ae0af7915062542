"""Values and calls described for people, in the judge: what a failing check shows of its inputs and of
an answer it cannot compare."""

from __future__ import annotations

from typing import Any

import numpy as np

from tfprep.grading import compare, protocol
from tfprep.grading.protocol import Call
from tfprep.grading.static_check import param_names


def kind_of(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {tuple(value.shape)} ({value.dtype})"
    if isinstance(value, (list, tuple, dict)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"{type(value).__name__} {repr(value)[:40]}"


def shown(value: Any) -> Any:
    try:
        return compare.show(value)
    except (TypeError, ValueError, OverflowError):
        return kind_of(value)


def odd_value(value: Any) -> str | None:
    """What the comparison cannot take as an answer, said plainly: complex values where every drill
    expects real ones (e.g. RoPE computed with complex numbers and returned without taking the real part)."""
    todo, seen = [value], 0
    while todo and seen <= protocol.MAX_ITEMS:
        v = todo.pop()
        seen += 1
        if isinstance(v, np.ndarray) and v.dtype.kind == "c":
            return f"{v.dtype}; expected real values"
        if isinstance(v, (list, tuple)):
            todo.extend(v)
        elif isinstance(v, dict):
            todo.extend(v.values())
    return None


def short(call: Call) -> str:
    return ", ".join(brief(a) for a in (call.init or call.args))


def brief(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return f"array{tuple(v.shape)}"
    return repr(v)[:40]


def show_call(call: Call, entries: dict[str, str]) -> dict:
    """The call's inputs by parameter name (from the signature the statement fixes), for people."""
    out: dict = {}
    names = param_names(entries[call.entry]) if call.entry in entries else []
    if call.init is not None:
        for i, v in enumerate(call.init):
            out[names[i] if i < len(names) else f"init[{i}]"] = compare.show(v)
        out |= {k: compare.show(v) for k, v in call.init_kwargs.items()}
        names = []  # the method's parameters are not in the statement's signature
    for i, v in enumerate(call.args):
        out[names[i] if i < len(names) else f"arg {i + 1}"] = compare.show(v)
    out |= {k: compare.show(v) for k, v in call.kwargs.items()}
    if isinstance(call.method, list):  # steps on one object: show what was called, in order
        out["calls"] = [brief_step(step) for step in call.method]
    return out


def brief_step(step: Any) -> str:
    name, args = (*tuple(step), ())[:2]
    return f"{name}({', '.join(brief(a) for a in args)})"
