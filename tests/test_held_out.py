"""Held-out submissions (tests/held_out/): realistic bugs written from the statements alone that the grader
once judged wrongly, graded on several seeds. Each must get its verdict, the right mistake name or none,
and no hint that does not fit the failure."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tfprep.grading.drills import find_drill
from tfprep.grading.service import grade_source

HELD_OUT = Path(__file__).parent / "held_out"
EXPECTED = tomllib.loads((HELD_OUT / "expected.toml").read_text(encoding="utf-8"))
SEEDS = (20261126, 7)


@pytest.fixture(scope="module")
def grade_runner():
    from tfprep.grading.judges import WarmPool

    pool = WarmPool()
    yield pool.run
    pool.close()


def test_every_file_has_an_expectation():
    files = {p.relative_to(HELD_OUT).as_posix() for p in HELD_OUT.glob("*/*.py")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_held_out(name, grade_runner):
    want = EXPECTED[name]
    drill = find_drill(name.split("/")[0])
    source = (HELD_OUT / name).read_text(encoding="utf-8")
    for seed in SEEDS:
        result = grade_source(drill, source, seed=seed, runner=grade_runner)
        assert result.verdict == want["verdict"], (seed, result.verdict, result.failure)
        if result.accepted:
            continue
        named = result.mistake["key"] if result.mistake else ""
        assert named == want["mistake"], (seed, named, result.failure)
        if not want.get("hint", True):
            assert result.hint is None, (seed, result.hint)
