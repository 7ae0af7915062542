"""`--help` and usage errors in Chinese when the UI language is zh, English otherwise.

The checks are derived from the real command tree (typer.main.get_command), so a command or option added
later with an English help text and no zh entry fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

import tfprep.cli  # noqa: F401 - registers every command
from tfprep import i18n
from tfprep.cli.app import _plain, app
from tfprep.cli.help_zh import cells, help_keys, wrap

runner = CliRunner()
ZH = {"TFPREP_LANG": "zh", "COLUMNS": "80"}
EN = {"TFPREP_LANG": "en", "COLUMNS": "80"}


def _tree() -> list[tuple[list[str], object]]:
    """(path, command) for the root and every command under it, as Typer builds them for `tfprep`."""
    root = get_command(app)
    _plain(root)  # the help texts as shown: the form the catalog keys are written in
    found = []

    def walk(command, path):
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return found


def _help_texts(command) -> list[str]:
    texts = [command.help, command.short_help, command.epilog, *(param.help for param in command.params)]
    return [text for text in texts if text]


def _flat(text: str) -> str:
    """Text without any whitespace: wrapping moves line breaks, never characters."""
    return re.sub(r"\s+", "", text)


def _english_sentences(command) -> list[str]:
    """The sentences of the command's English help that are prose: three words in a row outside `code`
    (not a list of JSON keys, not a command line)."""
    found = []
    for text in _help_texts(command):
        for paragraph in help_keys(text):
            for sentence in re.split(r"(?<=[.;:])\s+", paragraph):
                if re.search(r"\b[A-Za-z][a-z]+ [a-z]+ [a-z]+\b", re.sub(r"`[^`]*`", "", sentence)):
                    found.append(sentence)
    return found


TREE = _tree()
PATHS = [path for path, _ in TREE]


def test_the_tree_has_every_command():
    assert ["quiz"] in PATHS and ["bank", "export"] in PATHS and ["history", "show"] in PATHS
    assert len(PATHS) >= 14


def test_every_help_paragraph_has_a_zh_entry():
    catalog = i18n.zh_catalog()
    missing = [
        f"{' '.join(['tfprep', *path])}: {key!r}"
        for path, command in TREE
        for text in _help_texts(command)
        for key in help_keys(text)
        if catalog.get(key, key) == key
    ]
    assert not missing, "help paragraphs without a zh entry in locale/zh/help.toml:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "tfprep")
def test_zh_help_leaves_no_english_sentence(path):
    command = dict((tuple(p), c) for p, c in TREE)[tuple(path)]
    result = runner.invoke(app, [*path, "--help"], env=ZH)
    assert result.exit_code == 0, result.output
    out = result.stdout
    flat = " ".join(out.split())
    left = [sentence for sentence in _english_sentences(command) if sentence in flat]
    assert not left, f"English left in `tfprep {' '.join(path)} --help` (zh): {left}"
    # Typer's own words
    for english in (
        "Usage:",
        "Options:",
        "Arguments:",
        "Commands:",
        "Show this message",
        "[default:",
        "required]",
    ):
        assert english not in out, english
    assert out.startswith("用法：tfprep") and "选项：" in out and "显示本帮助并退出。" in out
    # every paragraph of the zh help is there whole (wrapping moved line breaks, nothing else)
    for text in _help_texts(command):
        for key in help_keys(text):
            assert _flat(i18n.zh_catalog()[key]) in _flat(out), key


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "tfprep")
def test_en_help_is_english_and_the_same_after_a_zh_run(path):
    before = runner.invoke(app, [*path, "--help"], env=EN).stdout
    assert runner.invoke(app, [*path, "--help"], env=ZH).exit_code == 0
    after = runner.invoke(app, [*path, "--help"], env=EN).stdout
    assert after == before
    assert after.startswith("Usage: tfprep") and "Show this message and exit." in after
    assert not re.search(r"[\u4e00-\u9fff]", after)


def test_en_help_does_not_load_the_zh_catalog(monkeypatch):
    monkeypatch.setattr(i18n, "_catalog", None)
    assert runner.invoke(app, ["quiz", "--help"], env=EN).exit_code == 0
    assert i18n._catalog is None


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "tfprep")
def test_zh_help_fits_the_terminal(path, columns):
    """No line wider than the terminal, counting a CJK character as two columns, and no line starting with
    closing punctuation. (Click writes help 2 columns narrower than the terminal; CliRunner would force 80.)"""
    out = runner.invoke(app, [*path, "--help"], env=ZH, terminal_width=columns - 2).stdout
    assert out.startswith("用法：")
    for line in out.splitlines():
        assert cells(line) <= columns - 2, line
        assert line.strip()[:1] not in set("，。、；：）」』"), (
            f"a line starts with closing punctuation: {line}"
        )


@pytest.mark.parametrize("path", [["quiz"], ["bank", "export"]], ids=str)
def test_zh_help_fits_a_real_60_column_terminal(path):
    out = subprocess.run(
        [sys.executable, "-m", "tfprep", *path, "--help"],
        capture_output=True, text=True, timeout=60, env={**ZH, "PATH": "/usr/bin:/bin", "COLUMNS": "60"},
    ).stdout  # fmt: skip
    assert out.startswith("用法：") and max(cells(line) for line in out.splitlines()) in range(50, 61)


@pytest.mark.parametrize(
    "args, lang",
    [
        (["quiz", "--lang", "zh", "--help"], "zh"),
        (["quiz", "--lang=zh", "--help"], "zh"),
        (["mock", "--lang", "en", "--help"], "en"),  # a command's own --lang wins over $TFPREP_LANG
    ],
)
def test_a_commands_own_lang_picks_the_help_language(args, lang):
    out = runner.invoke(app, args, env={"TFPREP_LANG": "en" if lang == "zh" else "zh"}).stdout
    assert out.startswith("用法：" if lang == "zh" else "Usage:")


@pytest.mark.parametrize(
    "args, message",
    [
        (["quix"], "没有命令 'quix'。你是想用 'quiz' 吗？"),
        (["quiz", "--foo"], "没有选项 --foo"),
        (["quiz", "--limt", "3"], "没有选项 --limt（相近的选项：--limit）"),
        (["solution"], "缺少参数 'NAME'。"),
        (["stats", "extra"], "多余的参数：extra"),
        (["quiz", "--limit", "abc"], "'--limit' / '-n' 的值无效：不是整数。"),
        (["bank", "export", "x.md"], "缺少选项 '--format' / '-f'。可选：anki, json。"),
        (["bank", "export", "x.md", "--format", "csv"], "'csv' 不在可选值 'anki', 'json' 之中。"),
        (["quiz", "--limit"], "选项 '--limit' 需要一个值。"),
    ],
)
def test_usage_errors_in_zh(home, args, message):
    result = runner.invoke(app, args, env=ZH)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not re.search(r"\b(Usage|Error|Try|No such|Missing|Invalid|Got|Did you mean)\b", result.stderr)


def test_usage_errors_stay_english_in_en(home):
    result = runner.invoke(app, ["quix"], env=EN)
    assert result.exit_code == 2 and "Error: No such command 'quix'. Did you mean 'quiz'?" in result.stderr


def test_a_group_without_its_command_shows_its_zh_help(home):
    result = runner.invoke(app, ["bank"], env=ZH)
    assert result.exit_code == 2 and "检查和导出题库" in result.stderr


def test_the_launcher_shows_zh_help_without_heavy_imports():
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tfprep", "--lang", "zh", "quiz", "--help"],
        capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("用法：") and "tfprep quiz [选项]" in out.stdout.splitlines()[0]
    imported = {
        line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")
    }
    assert "tfprep.cli.help_zh" in imported
    assert not {"torch", "numpy", "pytest"} & imported


def test_wrap_breaks_between_cjk_characters_by_cells():
    text = "每天最多学习的新卡片数（包括今天已经开始学的）。 [默认：20]"
    lines = wrap(text, 20).splitlines()
    assert all(cells(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert "[默认：20]" in lines[-1]  # a bracketed note is never cut
    assert wrap("用 `tfprep quiz --cram` 复习", 12).splitlines() == ["用 `tfprep", "quiz --cram`", "复习"]
