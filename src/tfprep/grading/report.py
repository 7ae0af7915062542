"""Raw judge output (or a static finding) -> GradeResult: the verdict people see. Pure."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

VERDICTS = (
    "accepted",
    "wrong_answer",
    "runtime_error",
    "time_limit_exceeded",
    "memory_limit_exceeded",
    "compile_error",
    "rule_violation",
    "internal_error",
)


MESSAGE_LIMIT = 1000  # characters of one test's message
TEXT_LIMIT = 300  # characters of any other text in a failure's detail (a value preview, a name)
PREVIEW_ITEMS = 1000  # values shown in all the previews of one failure together
OUTPUT_LIMIT = 4000  # characters of what the submission printed

# Control characters (C0 but tab and newline, DEL, C1) and Unicode bidi controls: a terminal would act on
# them (clear the screen, move the cursor, reorder text), so they are shown as escapes instead.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Text a submission influenced, made safe to print: every control character shown as an escape."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def capped(value: Any, budget: int = PREVIEW_ITEMS, text_limit: int = TEXT_LIMIT) -> Any:
    """JSON-able data cut to at most `budget` values in all (lists and dicts shortened with "…") and strings
    cut to `text_limit`, with control characters escaped: a failure's detail stays small and inert."""
    left = [budget]

    def cut(v: Any, depth: int) -> Any:
        left[0] -= 1
        if isinstance(v, str):
            v = inert(v[: text_limit + 1])
            return v if len(v) <= text_limit else v[:text_limit] + "…"
        if v is None or isinstance(v, (bool, int, float)):
            return v
        if depth >= 8 or left[0] <= 0:
            return "…"
        if isinstance(v, (list, tuple)):
            out = []
            for x in v:
                if left[0] <= 0:
                    out.append("…")
                    break
                out.append(cut(x, depth + 1))
            return out
        if isinstance(v, dict):
            d = {}
            for k, x in v.items():
                if left[0] <= 0:
                    d["…"] = "…"
                    break
                d[inert(str(k))[:text_limit]] = cut(x, depth + 1)
            return d
        return inert(repr(v)[:text_limit])

    return cut(value, 0)


def _clean_test(t: Any) -> dict:
    """One test's record from the judge, with every field the submission may have influenced capped."""
    t = t if isinstance(t, dict) else {}
    out = {
        "name": inert(str(t.get("name", "?")))[:200],
        "status": str(t.get("status", "internal_error")),
        "message": inert(str(t.get("message", "")))[:MESSAGE_LIMIT],
    }
    for key in ("about", "duration_s"):
        if key in t:
            out[key] = t[key] if key == "duration_s" else inert(str(t[key]))[:TEXT_LIMIT]
    if isinstance(t.get("detail"), dict):
        out["detail"] = capped(t["detail"])
    if isinstance(t.get("mistake"), dict):
        out["mistake"] = capped(t["mistake"])
    if isinstance(t.get("property"), str):  # which property failed (dtype, values, …): picks the hint
        out["property"] = inert(t["property"])[:40]
    return out


def internal_hint(drill: str, seed: int, lang: str = "en") -> str:
    from tfprep.i18n import tr_in

    return tr_in(
        lang,
        "This is a bug in tfprep, not in your code. Please report it to tfprep's maintainers with your file "
        "and the output of `tfprep grade {drill} --seed {seed} --json`.",
        drill=drill,
        seed=seed,
    )


@dataclass
class GradeResult:
    drill: str
    verdict: str
    passed: int
    total: int
    tests: list[dict] = field(default_factory=list)  # name, status, message (+ about, duration_s)
    hint: str | None = None
    seed: int = 0
    duration_s: float = 0.0
    failure: dict | None = None  # the first failing test: detail (input, expected vs got) for people
    mistake: dict | None = None  # {"key", "en", "zh"} when a known mistake matched
    peak_mb: float | None = None
    output: str = ""  # what the submission printed (first few KB)
    line: int | None = None  # source line for compile_error / rule_violation

    @property
    def accepted(self) -> bool:
        return self.verdict == "accepted"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["tests"] = [{k: t.get(k, "") for k in ("name", "status", "message")} for t in self.tests]
        return d


def from_static(
    drill: str,
    verdict: str,
    message: str,
    line: int | None,
    seed: int,
    duration_s: float,
    total: int = 0,
    where: dict | None = None,
) -> GradeResult:
    """A finding of the static check: nothing ran, so 0 of the suite's `total` tests passed. No hint: the
    message (file:line:col, the source line and a caret in `where`) says all there is to say."""
    message = inert(message)
    return GradeResult(
        drill,
        verdict,
        0,
        total,
        [{"name": "static check", "status": verdict, "message": message}],
        hint=None,
        seed=seed,
        duration_s=duration_s,
        line=line,
        failure=(where or {}) | {"message": message},
    )


def from_judge(
    drill: str, raw: dict, seed: int, duration_s: float, hints: tuple[str, ...] = (), lang: str = "en"
) -> GradeResult:
    tests = [_clean_test(t) for t in raw.get("tests", [])]
    passed = sum(t["status"] == "passed" for t in tests)
    total = max(len(tests), int(raw.get("collected", 0)))
    peak = raw.get("peak_kb")
    result = GradeResult(
        drill,
        "accepted",
        passed,
        total,
        tests,
        seed=seed,
        duration_s=round(duration_s, 3),
        peak_mb=round(peak / 1024, 1) if peak else None,
        output=inert(str(raw.get("output", ""))[:OUTPUT_LIMIT]),
    )
    if raw.get("interfered"):  # the submission broke the grader's channel or killed a grader process
        result.verdict = "runtime_error"
        result.failure = {"message": inert(str(raw["interfered"]))[:MESSAGE_LIMIT]}
        result.passed = 0
        return result
    problem = raw.get("internal") or (
        "; ".join(raw.get("suite_errors", [])) if raw.get("suite_errors") else None
    )
    from tfprep.i18n import tr_in

    def tr(text: str, **fields: object) -> str:  # in the grading's language (the CLI's may differ in tests)
        return tr_in(lang, text, **fields)

    if problem or total == 0:
        result.verdict = "internal_error"
        why = problem or tr("no tests collected")
        result.failure = {
            "message": inert(tr("the grader could not run the hidden suite: {why}", why=why))[:MESSAGE_LIMIT]
        }
        result.hint = internal_hint(drill, seed, lang)
        return result
    failing = [t for t in tests if t["status"] != "passed"]
    if not failing and len(tests) == total:
        return result
    internal = [t for t in failing if t["status"] == "internal_error"]
    first = (
        internal
        or failing
        or [{"status": "internal_error", "message": tr("not every test ran"), "name": "?"}]
    )[0]
    result.verdict = first["status"] if first["status"] in VERDICTS else "internal_error"
    result.failure = {
        "test": first.get("name"),
        "about": first.get("about"),
        "message": first.get("message"),
        **(first.get("detail") or {}),
    }
    if result.verdict == "internal_error":
        result.hint = internal_hint(drill, seed, lang)
        return result
    mistakes = [t["mistake"] for t in failing if t.get("mistake")]
    if mistakes:
        # the mistake named most often across failing tests, first-seen on ties
        keys = [m["key"] for m in mistakes]
        best = max(dict.fromkeys(keys), key=keys.count)
        result.mistake = next(m for m in mistakes if m["key"] == best)
        result.hint = result.mistake.get(lang) or result.mistake.get("en")
    elif hints and first.get("property") in (None, "values"):
        # the drill's first hint is about the computation: it does not fit a dtype, shape or crash failure
        result.hint = hints[0]
    return result
