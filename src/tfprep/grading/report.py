"""Raw judge output (or a static finding) -> GradeResult: the verdict people see. Pure."""

from __future__ import annotations

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
    tests = list(raw.get("tests", []))
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
        output=raw.get("output", ""),
    )
    problem = raw.get("internal") or (
        "; ".join(raw.get("suite_errors", [])) if raw.get("suite_errors") else None
    )
    if problem or total == 0:
        result.verdict = "internal_error"
        result.failure = {
            "message": f"the grader could not run the hidden suite: {problem or 'no tests collected'}"
        }
        result.hint = "This is a bug in tfprep, not in your code; please report it with the seed."
        return result
    failing = [t for t in tests if t["status"] != "passed"]
    if not failing and len(tests) == total:
        return result
    internal = [t for t in failing if t["status"] == "internal_error"]
    first = (
        internal or failing or [{"status": "internal_error", "message": "not every test ran", "name": "?"}]
    )[0]
    result.verdict = first["status"] if first["status"] in VERDICTS else "internal_error"
    result.failure = {
        "test": first.get("name"),
        "about": first.get("about"),
        "message": first.get("message"),
        **(first.get("detail") or {}),
    }
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
