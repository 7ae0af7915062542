"""Naming the mistake: which of a drill's known-mistake variants reproduce a failing check, and which one
explains every failure of a grading. Runs in the judge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tfprep.grading import compare, invoke
from tfprep.grading.protocol import Call

if TYPE_CHECKING:
    from tfprep.grading.harness import Judge


class Raised:
    """What the submission did instead of returning: raised this exception type."""

    def __init__(self, exc_type: str):
        self.exc_type = exc_type


def mistake_candidates(
    judge: Judge,
    call: Call,
    got: Any,
    atol: float,
    rtol: float,
    expected: Any = Raised,
    same_dtypes: bool = False,
) -> tuple[list[str], list[str]]:
    """The known mistakes whose output on this call equals the submission's (within the tolerance), and
    those whose output equals the `expected` one (they would pass: neither evidence for nor against)."""
    keys, neutral, exact = [], [], []
    for key, m in judge.mistakes.items():
        if judge.possible_mistakes is not None and key not in judge.possible_mistakes:
            continue  # an earlier failing test already ruled it out
        impl = m.get(call.entry)
        if impl is None:
            continue
        ns = {n: getattr(judge.reference, n) for n in dir(judge.reference)} | {call.entry: impl}
        wire = Call.from_wire(call.to_wire())  # in the dtype the submission saw: float32 overflows alike
        try:
            variant = invoke.invoke(ns, wire, judge.framework)
        except Exception as exc:  # noqa: BLE001 - a variant that raises matches a submission raising the same
            if isinstance(got, Raised) and got.exc_type == type(exc).__name__:
                keys.append(key)
            continue
        if isinstance(got, Raised):
            continue
        try:
            # a dtype failure is matched strictly: a mistake NaN where the submission is not explains nothing
            pair = (got, variant) if same_dtypes else _nan_blind(got, variant)
            matches = compare.difference(*pair, max(atol, 1e-9), max(rtol, 1e-7)) is None
        except (TypeError, ValueError, OverflowError, AttributeError, KeyError, IndexError):
            matches = False  # an odd value (see expect) matches no variant
        if expected is not Raised and same(variant, expected, atol, rtol, floor=False):
            neutral.append(key)  # it would pass here: it cannot explain a failure of this check
        elif matches and (not same_dtypes or _dtypes(variant) == _dtypes(got)):
            keys.append(key)
            if same(got, variant, atol, rtol):
                exact.append(key)
    # a mistake that matches NaN for NaN explains the result better than one matched by blinding its NaNs
    return (exact or keys), neutral


def _dtypes(value: Any) -> list[str]:
    return [str(a.dtype) for a in arrays(value)]


def same(a: Any, b: Any, atol: float, rtol: float, floor: bool = True) -> bool:
    """Equal within the tolerance (floor: never tighter than 1e-9 / 1e-7, for matching a mistake's output;
    without it, exactly the check's own tolerance: "would this pass the check")."""
    if floor:
        atol, rtol = max(atol, 1e-9), max(rtol, 1e-7)
    try:
        return compare.difference(a, b, atol, rtol) is None
    except (TypeError, ValueError, OverflowError, AttributeError, KeyError, IndexError):
        return False


def _nan_blind(got: Any, variant: Any) -> tuple[Any, Any]:
    """Both results with the entries where the mistake's result is NaN set to 0: a row with every key masked
    is NaN with -inf and uniform with -1e9, and either way it is the same mistake. A mistake's result that is
    NaN everywhere is left as it is."""
    if isinstance(got, (tuple, list)) and isinstance(variant, (tuple, list)) and len(got) == len(variant):
        pairs = [_nan_blind(g, v) for g, v in zip(got, variant, strict=True)]
        return type(got)(p[0] for p in pairs), type(variant)(p[1] for p in pairs)
    if (
        isinstance(got, np.ndarray)
        and isinstance(variant, np.ndarray)
        and got.shape == variant.shape
        and got.dtype.kind == "f"
        and variant.dtype.kind == "f"
    ):
        nan = np.isnan(
            variant
        )  # where the mistake itself is undefined; a NaN of the submission must match one
        if nan.any() and not nan.all():
            return np.where(nan, 0.0, got), np.where(nan, 0.0, variant)
    return got, variant


def arrays(value: Any) -> list:
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in arrays(v)]
    if isinstance(value, dict):
        return [a for v in value.values() for a in arrays(v)]
    return []


def explaining_mistake(tests: list[dict]) -> tuple[str | None, list[str] | None]:
    """The one known mistake that explains the failures (or None), and the mistakes still possible.

    Named only when the first failing test (the one people see) compared the submission's result with the
    reference, that mistake's result equals the submission's there, and it equals it in every other failing
    test that made such a comparison, unless its result passes there (the submission has a second bug).
    Failures that compare nothing a mistake could reproduce (a dtype, a property assertion) neither confirm
    nor refute it."""
    failing = [t for t in tests if t["status"] not in ("passed", "not_run")]
    if not failing:
        return None, None
    if failing[0].get("candidates") is None:
        return None, []
    common = list(failing[0]["candidates"])
    for t in failing[1:]:
        if t.get("candidates") is not None:  # a mistake that would pass this check is not refuted by it
            common = [k for k in common if k in t["candidates"] or k in t.get("neutral", ())]
    if not common:
        return None, common
    # the one that reproduces the most failures (a mistake merely passing elsewhere explains less)
    matched = {k: sum(k in (t.get("candidates") or ()) for t in failing) for k in common}
    return max(common, key=lambda k: matched[k]), common
