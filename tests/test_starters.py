"""The starter file in the user's language: starter.zh.py is starter.py with its docstrings, comments and
messages in Chinese and nothing else changed, so it fails the hidden suite exactly as starter.py does (which
tests/test_content.py checks); `tfprep drill` writes it in zh."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfprep.cli import app
from tfprep.grading.drills import all_drills, find_drill

DRILLS = all_drills()
ZH = [d for d in DRILLS if (d.folder / "starter.zh.py").is_file()]
CJK = re.compile(r"[\u4e00-\u9fff]")


def code_only(path: Path) -> str:
    """The file's syntax tree with every string constant blanked (comments are not in it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree)


@pytest.mark.parametrize("drill", ZH, ids=[d.slug for d in ZH])
def test_zh_starter_is_the_same_code_in_chinese(drill):
    zh = drill.folder / "starter.zh.py"
    assert code_only(zh) == code_only(drill.starter), f"{drill.slug}: starter.zh.py changed more than words"
    text = zh.read_text(encoding="utf-8")
    assert CJK.search(text), f"{drill.slug}: starter.zh.py has no Chinese"
    for node in ast.walk(ast.parse(text)):  # the nudge the grade panel shows until the user replaces it
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            message = node.exc.args[0]
            if isinstance(message, ast.Constant) and isinstance(message.value, str) and message.value:
                prose = re.search(
                    r"[A-Za-z]{2,} [A-Za-z]{2,}", message.value
                )  # a formula alone is no language
                assert CJK.search(message.value) or not prose, (
                    f"{drill.slug}: an English message: {message.value!r}"
                )


def test_every_drill_has_a_zh_starter():
    assert [d.slug for d in DRILLS if d not in ZH] == []


def test_drill_writes_the_starter_in_the_ui_language(home, tmp_path):
    drill = find_drill("softmax")
    runner = CliRunner()
    for lang, expected in (("zh", drill.starter_for("zh")), ("en", drill.starter)):
        folder = tmp_path / lang
        result = runner.invoke(
            app,
            ["drill", "softmax", "--dir", str(folder), "--no-editor", "--lang", lang],
            env={"COLUMNS": "100"},
        )
        assert result.exit_code == 0, result.output
        written = folder / "softmax.py"
        assert written.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    assert drill.starter_for("zh") != drill.starter or not ZH
