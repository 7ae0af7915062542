"""The content check (like rustlings' `dev check`): for every drill, the starter fails, the reference
passes, and every known-mistake variant fails with its own name, on several seeds (a suite must be as
strong on every seed). Graded by the real grader."""

from __future__ import annotations

import ast

import pytest

from tfprep.grading.drills import all_drills
from tfprep.grading.service import grade_source
from tfprep.grading.static_check import count_tests
from tfprep.grading.variants import mistake_keys, mistake_source

DRILLS = all_drills()
SEED = 20261126
SEEDS = (SEED, 7, 424242)  # the reference passes and every mistake is named as itself on each


@pytest.fixture(scope="module")
def grade_runner():
    """Warm judges (one per framework): each grading is a fresh fork, as in `tfprep grade --watch`."""
    from tfprep.grading.judges import WarmPool

    pool = WarmPool()
    yield pool.run
    pool.close()


def _cases():
    for d in DRILLS:
        yield pytest.param(d, "reference", id=f"{d.slug}-reference")
        yield pytest.param(d, "starter", id=f"{d.slug}-starter")
        for key in mistake_keys(d):
            yield pytest.param(d, key, id=f"{d.slug}-mistake-{key}")


@pytest.mark.parametrize(("drill", "case"), list(_cases()))
def test_drill_content(drill, case, grade_runner):
    if case == "reference":
        for seed in SEEDS:
            result = grade_source(
                drill, drill.solution.read_text(encoding="utf-8"), seed=seed, runner=grade_runner
            )
            assert result.verdict == "accepted", (seed, result.verdict, result.failure)
            assert result.passed == result.total >= 5
            assert result.total == count_tests(drill.suite), "0/N of a compile error shows this N"
    elif case == "starter":
        result = grade_source(
            drill, drill.starter.read_text(encoding="utf-8"), seed=SEED, runner=grade_runner
        )
        assert result.verdict != "accepted"
        assert result.verdict in ("runtime_error", "wrong_answer"), (result.verdict, result.failure)
    else:
        for seed in SEEDS:
            result = grade_source(drill, mistake_source(drill, case), seed=seed, runner=grade_runner)
            assert result.verdict == "wrong_answer", (seed, result.verdict, result.failure)
            assert result.mistake is not None and result.mistake["key"] == case, (
                seed,
                result.mistake,
                result.failure,
            )


@pytest.mark.parametrize("drill", DRILLS, ids=[d.slug for d in DRILLS])
def test_drill_metadata(drill):
    assert drill.title_en and drill.title_zh and drill.title_zh != drill.title_en
    assert 1 <= drill.difficulty <= 5
    assert len(drill.hints_en) >= 2 and len(drill.hints_zh) == len(drill.hints_en)
    assert drill.tags, "tags link the drill to its cards"
    for lang in ("en", "zh"):
        text = (drill.folder / f"prompt.{lang}.md").read_text(encoding="utf-8")
        for name in drill.entries:
            assert name in text, f"prompt.{lang}.md must show the signature of {name}"
        assert "```python" in text, f"prompt.{lang}.md needs a worked example"
    assert drill.solution.exists() and drill.suite.is_dir()
    assert len(mistake_keys(drill)) >= 2
    starter = ast.parse(drill.starter.read_text(encoding="utf-8"))
    defined = {n.name for n in starter.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    assert set(drill.entries) <= defined, "the starter defines every entry point"
