"""`tfprep grade` in zh: each test is named by what it checks, in Chinese (the suite's zh.toml); in en by
its name and what it checks in English."""

from __future__ import annotations

import re
import tomllib

import pytest
from rich.console import Console

from tfprep.content import grader_dir, solutions_dir
from tfprep.grading.drills import find_drill
from tfprep.grading.service import grade_source
from tfprep.i18n import set_lang
from tfprep.ui.grade import render_result

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def graded():
    """The attention reference without its 1/sqrt(d_k) scale, graded in zh and in en on one seed."""
    from tfprep.grading.judges import WarmPool

    source = (solutions_dir() / "attention.py").read_text(encoding="utf-8")
    buggy = source.replace(" / math.sqrt(q.size(-1))", "")
    assert buggy != source, "the reference changed: update how this test removes the scale"
    pool = WarmPool()
    try:
        drill = find_drill("attention")
        yield {lang: grade_source(drill, buggy, seed=5, lang=lang, runner=pool.run) for lang in ("zh", "en")}
    finally:
        pool.close()


def _shown(result, lang: str) -> str:
    console = Console(width=100, record=True, color_system=None)
    set_lang(lang)
    try:
        render_result(console, result, lang)
    finally:
        set_lang("en")
    return console.export_text()


def test_zh_grading_describes_every_test_in_chinese(graded):
    catalog = tomllib.loads((grader_dir() / "attention" / "zh.toml").read_text(encoding="utf-8"))
    zh, en = graded["zh"], graded["en"]
    assert zh.verdict == en.verdict == "wrong_answer"
    assert [t["name"] for t in zh.tests] == [t["name"] for t in en.tests]
    for z, e in zip(zh.tests, en.tests, strict=True):
        assert z["about"] == catalog[e["about"]]
    text = _shown(zh, "zh")
    for t in zh.tests:
        assert t["about"] in text
        assert t["name"].removeprefix("test_").replace("_", " ") not in text  # no English identifier
    assert zh.failure["about"] in text.splitlines()[len(zh.tests) + 2]  # the failure panel's title


def test_en_grading_keeps_names_and_english(graded):
    en = graded["en"]
    text = _shown(en, "en")
    assert not CJK.search("".join(t["about"] for t in en.tests))
    for t in en.tests:
        assert t["name"].removeprefix("test_").replace("_", " ") in text
    assert "checks: the 2×2 example of the statement" in text


def test_zh_assert_messages_come_from_the_catalog(graded):
    """A suite's own assert message is shown in Chinese: weights whose rows do not sum to 1."""
    from tfprep.grading.judges import WarmPool

    source = (solutions_dir() / "attention.py").read_text(encoding="utf-8")
    doubled = source.replace("return weights @ v, weights", "return weights @ v, weights * 2")
    assert doubled != source
    pool = WarmPool()
    try:
        result = grade_source(find_drill("attention"), doubled, seed=5, lang="zh", runner=pool.run)
    finally:
        pool.close()
    (test,) = [t for t in result.tests if t["name"] == "test_weights_are_distributions"]
    assert test["message"] == "weights 的每一行之和必须为 1"


def test_en_at_60_columns_puts_what_it_checks_under_the_name(graded):
    console = Console(width=60, record=True, color_system=None)
    render_result(console, graded["en"], "en")
    text = console.export_text()
    assert all(len(line) <= 60 for line in text.splitlines())
    lines = text.splitlines()
    for t in graded["en"].tests:
        name = t["name"].removeprefix("test_").replace("_", " ")
        (row,) = [i for i, line in enumerate(lines) if line[4:].split("  ")[0].strip() == name]
        # the description starts on the next line, at least three words of it together
        assert " ".join(t["about"].split()[:3]) in lines[row + 1], (name, lines[row + 1])
