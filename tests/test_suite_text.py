"""Every English string a hidden suite shows (what a test checks, its failure messages) has a Chinese entry
in the suite's zh.toml, with the same {placeholders}; messages with values go through judge.tr."""

from __future__ import annotations

import ast
import string
import tomllib
from pathlib import Path

import pytest

from tfprep.content import grader_dir
from tfprep.grading.suite_text import CATALOG, SuiteText

SUITES = sorted(p for p in grader_dir().iterdir() if list(p.glob("test_*.py")))


def suite_strings(suite_dir: Path) -> tuple[list[tuple[int, str]], list[int]]:
    """(line, English text) of every string the suite shows, and the lines of messages built as f-strings
    (which no catalog can hold: they must use judge.tr with fields)."""
    found, dynamic = [], []
    for file in sorted(suite_dir.glob("test_*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                doc = ast.get_docstring(node)
                if doc:
                    found.append((node.lineno, doc.strip().splitlines()[0]))
            shown = []
            if isinstance(node, ast.Assert) and node.msg is not None:
                shown.append(node.msg)
            if isinstance(node, ast.Call):
                shown += [kw.value for kw in node.keywords if kw.arg == "message"]
                if getattr(node.func, "attr", None) == "tr" and node.args:
                    shown.append(node.args[0])
            for value in shown:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.append((value.lineno, value.value))
                elif not (isinstance(value, ast.Call) and getattr(value.func, "attr", None) == "tr"):
                    dynamic.append(value.lineno)
    return found, dynamic


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scan_finds_the_suites():
    assert len(SUITES) >= 30
    texts = [text for _, text in suite_strings(grader_dir() / "attention")[0]]
    assert "the 2×2 example of the statement" in texts  # a docstring
    assert "each row of the weights must sum to 1" in texts  # an assert's message


@pytest.mark.parametrize("suite", SUITES, ids=[p.name for p in SUITES])
def test_every_suite_string_has_a_zh_entry(suite: Path):
    strings, dynamic = suite_strings(suite)
    assert not dynamic, (
        f"{suite.name}: messages with values must use judge.tr('… {{x}} …', x=…): lines {dynamic}"
    )
    catalog_file = suite / CATALOG
    assert catalog_file.is_file(), f"{suite.name} has no {CATALOG}"
    catalog = tomllib.loads(catalog_file.read_text(encoding="utf-8"))
    missing = [f"line {line}: {text!r}" for line, text in strings if text not in catalog]
    assert not missing, f"{suite.name}: untranslated:\n" + "\n".join(missing)
    wrong = [text for _, text in strings if _fields(text) != _fields(catalog[text])]
    assert not wrong, f"{suite.name}: zh entries whose placeholders differ: {wrong}"
    stale = sorted(set(catalog) - {text for _, text in strings})
    assert not stale, f"{suite.name}: zh entries no suite string uses: {stale}"
    not_chinese = [k for k, v in catalog.items() if not any("\u4e00" <= c <= "\u9fff" for c in v)]
    assert not not_chinese, f"{suite.name}: entries without Chinese: {not_chinese}"


def test_suite_text_looks_up_and_fills(tmp_path: Path):
    (tmp_path / CATALOG).write_text('"step {t} is off" = "第 {t} 步不对"\n', encoding="utf-8")
    assert SuiteText(tmp_path, "zh")("step {t} is off", t=3) == "第 3 步不对"
    assert SuiteText(tmp_path, "en")("step {t} is off", t=3) == "step 3 is off"
    assert SuiteText(tmp_path, "zh")("not in the catalog") == "not in the catalog"
