"""Grade one submission: static checks here (cheap), the hidden suite in the sandboxed judge."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from tfprep.errors import SubmissionError
from tfprep.grading import report, static_check
from tfprep.grading.drills import Drill

JUDGE_TIMEOUT_S = 300.0


def read_submission(path: Path) -> str:
    if not path.exists():
        raise SubmissionError(
            f"{path} does not exist; start the drill with `tfprep drill NAME` or pass --file"
        )
    if path.is_dir():
        raise SubmissionError(f"{path} is a folder; pass the .py file with --file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SubmissionError(f"{path} is not UTF-8 text; save it as UTF-8 and grade again") from None
    except OSError as exc:
        raise SubmissionError(f"cannot read {path}: {exc.strerror}") from None


def build_request(
    drill: Drill, snapshot: Path, seed: int, select: str | None = None, lang: str = "en"
) -> dict:
    return {
        "lang": lang,  # the language of the suite's messages and the judge's
        "drill": drill.slug,
        "framework": drill.framework,
        "entries": dict(drill.entries),
        "submission": str(snapshot),
        "reference": str(drill.solution),
        "mistakes": str(drill.mistakes) if drill.mistakes else None,
        "suite": str(drill.suite),
        "suite_ini": str(drill.suite.parent / "pytest.ini"),
        "seed": seed,
        "select": select,
        "forbidden_imports": list(drill.forbidden_imports),
        "forbidden_calls": list(drill.forbidden_calls),
        "time_factor": drill.time_factor,
        "time_floor_s": drill.time_floor_s,
        "memory_mb": drill.memory_mb,
    }


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


def grade_source(
    drill: Drill,
    source: str,
    seed: int | None = None,
    lang: str = "en",
    runner=None,
    select: str | None = None,
    filename: str | None = None,
) -> report.GradeResult:  # noqa: ANN001
    """Grade `source` as a submission for `drill`. `runner(request) -> raw` defaults to a cold judge.
    `filename` is the name compile errors show (default: the workspace file's name)."""
    seed = new_seed() if seed is None else int(seed)
    start = time.perf_counter()
    finding = static_check.check_source(source, drill.entries, drill.forbidden_imports, drill.forbidden_calls)
    if finding:
        shown = static_check.located(finding, source, filename or f"{drill.slug.replace('-', '_')}.py")
        return report.from_static(
            drill.slug,
            finding.verdict,
            shown["message"],
            finding.line,
            seed,
            time.perf_counter() - start,
            total=static_check.count_tests(drill.suite),
            where=shown,
        )
    tmp = Path(tempfile.mkdtemp(prefix="tfprep-sub-"))  # judge.SNAPSHOT_PREFIX
    try:
        snapshot = tmp / f"{drill.slug.replace('-', '_')}.py"
        snapshot.write_text(source, encoding="utf-8")
        request = build_request(drill, snapshot, seed, select, lang)
        if runner is None:
            from tfprep.grading import judges

            try:
                raw = judges.run_judge(request, JUDGE_TIMEOUT_S)
            except judges.JudgeFailed as exc:
                raw = {"tests": [], "collected": 0, "internal": str(exc)}
        else:
            raw = runner(request)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = report.from_judge(drill.slug, raw, seed, time.perf_counter() - start, drill.hints(lang), lang)
    # warnings name the temporary snapshot graded; show the file's own name instead
    result.output = result.output.replace(str(snapshot), snapshot.name)
    return result
