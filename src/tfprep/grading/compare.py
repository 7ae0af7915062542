"""Compare what a submission returned with what was expected; describe the difference for a person.

Runs in the judge. Pure: numpy only. Each difference says in words what differs ("problem", in the user's
language) and as data which property of the result it breaks ("property": type, shape, dtype or values).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tfprep.i18n import tr

SMALL = 64  # arrays with at most this many elements are shown in full


def show(value: Any) -> Any:
    """A JSON-able, short description of a value (arrays small enough are shown in full)."""
    if isinstance(value, np.ndarray):
        if value.size <= SMALL:
            return {
                "shape": list(value.shape),
                "dtype": str(value.dtype),
                "values": np.round(value, 6).tolist() if value.dtype.kind in "fc" else value.tolist(),
            }
        return {"shape": list(value.shape), "dtype": str(value.dtype)}
    if isinstance(value, np.generic):  # a NumPy scalar (np.float32 is not JSON-able): as a Python number
        return show(value.item())
    if isinstance(value, tuple):
        return [show(v) for v in value]
    if isinstance(value, list):
        return [show(v) for v in value[:SMALL]] + (["…"] if len(value) > SMALL else [])
    if isinstance(value, dict):
        items = list(value.items())[:SMALL]
        return {str(k): show(v) for k, v in items}
    if isinstance(value, float):
        return round(value, 10)
    if callable(value):
        return "<function>"
    return value


def _kind(dtype: np.dtype) -> str:
    return {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex"}.get(dtype.kind, str(dtype))


def difference(got: Any, expected: Any, atol: float, rtol: float, label: str = "result") -> dict | None:
    """None when `got` matches `expected`; else a dict saying what differs, for the report."""
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return {
                "label": label,
                "problem": tr(
                    "expected a tuple of {n} values, got {what}", n=len(expected), what=_describe(got)
                ),
                "property": "type",
            }
        names = label.split("|") if "|" in label else [f"{label}[{i}]" for i in range(len(expected))]
        for i, (g, e) in enumerate(zip(got, expected, strict=False)):
            d = difference(g, e, atol, rtol, names[i] if i < len(names) else f"{label}[{i}]")
            if d:
                return d
        return None
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return {
                "label": label,
                "problem": tr(
                    "expected an array of shape {shape}, got {what}",
                    shape=tuple(expected.shape),
                    what=_describe(got),
                ),
                "property": "type",
            }
        if got.shape != expected.shape:
            return {
                "label": label,
                "problem": tr(
                    "shape {got}, expected {expected}", got=tuple(got.shape), expected=tuple(expected.shape)
                ),
                "property": "shape",
                "shape_got": list(got.shape),
                "shape_expected": list(expected.shape),
            }
        if _kind(got.dtype) != _kind(expected.dtype):
            return {
                "label": label,
                "problem": tr(
                    "dtype {got}, expected {kind} values", got=got.dtype, kind=_kind(expected.dtype)
                ),
                "property": "dtype",
                "dtype_got": str(got.dtype),
                "dtype_expected": str(expected.dtype),
            }
        if expected.dtype.kind in "biu":
            bad = np.argwhere(got != expected)
            if len(bad) == 0:
                return None
            idx = tuple(int(i) for i in bad[0])
            return {
                "label": label,
                "problem": tr("{n} of {size} entries differ", n=len(bad), size=expected.size),
                "property": "values",
                "where": list(idx),
                "got_at": got[idx].item(),
                "expected_at": expected[idx].item(),
            }
        g = got.astype(np.complex128 if got.dtype.kind == "c" else np.float64)
        e = expected.astype(np.complex128 if expected.dtype.kind == "c" else np.float64)
        nan_got = int(np.isnan(g).sum())
        same_special = (np.isnan(g) & np.isnan(e)) | (np.isinf(g) & np.isinf(e) & (g == e))
        with np.errstate(invalid="ignore", over="ignore"):
            err = np.where(same_special, 0.0, np.abs(g - e))
            err = np.where(np.isnan(err), np.inf, err)
            tol = atol + rtol * np.where(np.isfinite(e), np.abs(e), 0.0)
        bad = err > tol
        if not bad.any():
            return None
        scaled = np.where(bad, err - tol, -np.inf)
        idx = (
            tuple(int(i) for i in np.unravel_index(int(np.argmax(scaled)), scaled.shape))
            if scaled.ndim
            else ()
        )
        worst = float(np.max(err))
        d = {
            "label": label,
            "problem": tr(
                "{n} of {size} values off (max abs error {err:.3g})",
                n=int(bad.sum()),
                size=expected.size,
                err=worst,
            ),
            "property": "values",
            "max_abs_err": worst,
            "where": list(idx),
            "got_at": _num(g[idx]),
            "expected_at": _num(e[idx]),
            "tolerance": {"atol": atol, "rtol": rtol},
        }
        if nan_got:
            d["nan_got"] = nan_got
            d["problem"] += tr("; {n} NaN", n=nan_got)
        return d
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return (
            None
            if (type(got) is type(expected) and got == expected)
            else _values(
                label, tr("got {what}, expected {expected}", what=_describe(got), expected=repr(expected))
            )
        )
    if isinstance(expected, int):
        if isinstance(got, bool) or not isinstance(got, int):
            return _type(label, tr("expected an int, got {what}", what=_describe(got)))
        return (
            None
            if got == expected
            else {
                "label": label,
                "problem": tr("got {got}, expected {expected}", got=got, expected=expected),
                "property": "values",
                "got_at": got,
                "expected_at": expected,
            }
        )
    if isinstance(expected, float):
        if isinstance(got, np.ndarray) and got.size == 1:
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return _type(label, tr("expected a float, got {what}", what=_describe(got)))
        if np.isnan(got) and np.isnan(expected):  # (only a variant's output is ever NaN: names that mistake)
            return None
        if np.isnan(got) and not np.isnan(expected):
            return _values(label, tr("got NaN, expected {expected:.6g}", expected=expected)) | {"nan_got": 1}
        if (
            abs(got - expected) <= atol + rtol * (abs(expected) if np.isfinite(expected) else 0.0)
            or got == expected
        ):
            return None
        return {
            "label": label,
            "problem": tr(
                "got {got:.8g}, expected {expected:.8g} (abs error {err:.3g})",
                got=got,
                expected=expected,
                err=abs(got - expected),
            ),
            "property": "values",
            "max_abs_err": abs(got - expected),
            "got_at": got,
            "expected_at": expected,
        }
    if isinstance(expected, list):
        if not isinstance(got, list):
            return _type(label, tr("expected a list, got {what}", what=_describe(got)))
        if len(got) != len(expected):
            return {
                "label": label,
                "problem": tr("a list of {n} items, expected {expected}", n=len(got), expected=len(expected)),
                "property": "type",
                "got": show(got),
                "expected": show(expected),
            }
        for i, (g, e) in enumerate(zip(got, expected, strict=False)):
            d = difference(g, e, atol, rtol, f"{label}[{i}]")
            if d:
                return d | {"got": show(got), "expected": show(expected)}
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return _type(label, tr("expected a dict, got {what}", what=_describe(got)))
        if set(got) != set(expected):
            missing = [k for k in expected if k not in got][:3]
            extra = [k for k in got if k not in expected][:3]
            return _type(
                label, tr("keys differ: missing {missing}, unexpected {extra}", missing=missing, extra=extra)
            )
        for k in expected:
            d = difference(got[k], expected[k], atol, rtol, f"{label}[{k!r}]")
            if d:
                return d
        return None
    return (
        None
        if got == expected
        else _values(
            label, tr("got {what}, expected {expected}", what=_describe(got), expected=repr(expected))
        )
    )


def _type(label: str, problem: str) -> dict:
    """A difference in the kind of value returned (a list for a tuple, a str for a float…)."""
    return {"label": label, "problem": problem, "property": "type"}


def _values(label: str, problem: str) -> dict:
    return {"label": label, "problem": problem, "property": "values"}


def _num(x: Any) -> Any:
    x = complex(x) if isinstance(x, (complex, np.complexfloating)) else float(x)
    return str(x) if isinstance(x, complex) else x


def _describe(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return tr("an array of shape {shape} ({dtype})", shape=tuple(v.shape), dtype=v.dtype)
    if isinstance(v, (list, tuple)):
        return tr("a {type} of {n} items", type=type(v).__name__, n=len(v))
    return f"{type(v).__name__} {v!r}"[:80]
