"""What a newcomer's first hour showed: hints printed intact, TFPREP_HOME problems named, quiz keys that tell
the truth, a stable counter, learning cards labelled as such."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfprep.cli import app
from tfprep.grading.drills import all_drills
from tfprep.paths import Paths
from tfprep.store import Store

runner = CliRunner()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_shipped_hint_prints_every_character(home, lang):
    for drill in all_drills():
        hints = drill.hints(lang)
        for i, hint in enumerate(hints):
            result = runner.invoke(app, ["hint", drill.slug, "--lang", lang], env={"COLUMNS": "100"})
            assert result.exit_code == 0, result.output
            assert _flat(hint) in _flat(result.stdout), f"{drill.slug} hint {i + 1} ({lang}) lost characters"
        assert ("last hint" if lang == "en" else "最后一条提示") in result.stdout


def test_hint_without_a_name_says_which_drill(home):
    assert runner.invoke(app, ["drill", "softmax", "--no-editor"]).exit_code == 0
    result = runner.invoke(app, ["hint", "--lang", "en"])
    assert result.exit_code == 0
    assert "hints for softmax" in result.stdout and "hint 1/" in result.stdout


def test_brackets_in_a_hint_survive(home):
    # the max-dot-product DP hint: dp[i][j] = max(p + max(dp[i-1][j-1], 0), …) lost its brackets as markup
    out = ""
    for _ in range(3):
        out += runner.invoke(app, ["hint", "max-dot-product", "--lang", "en"], env={"COLUMNS": "200"}).stdout
    assert "dp[i][j] = max(p + max(dp[i-1][j-1], 0), dp[i-1][j], dp[i][j-1])" in out


@pytest.mark.parametrize(
    "args", [["quiz", "--limit", "1"], ["drill", "softmax", "--no-editor"], ["hint", "softmax"]]
)
def test_home_that_is_a_file_is_named(tmp_path, monkeypatch, args):
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("TFPREP_HOME", str(home))
    result = runner.invoke(app, args, input="q\n")
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr and "Traceback" not in result.output
    assert home.read_text() == "not a folder"


def test_home_that_cannot_be_created_is_named(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("TFPREP_HOME", str(blocker / "home"))
    result = runner.invoke(app, ["quiz", "--limit", "1"], input="q\n")
    assert result.exit_code == 2
    assert "cannot create TFPREP_HOME" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def _quiz(bank: Path, script: str, *extra: str):
    return runner.invoke(
        app, ["quiz", "--bank", str(bank), "--lang", "en", *extra], input=script, env={"COLUMNS": "120"}
    )


def test_each_key_schedules_exactly_the_interval_it_shows(tmp_path, monkeypatch, quiz_bank):
    # fuzz makes Easy's interval random: over several fresh homes, the label always equals what was saved
    for n in range(6):
        home = tmp_path / f"h{n}"
        monkeypatch.setenv("TFPREP_HOME", str(home))
        result = _quiz(quiz_bank, "\n4\nq\n")
        assert result.exit_code == 0, result.output
        label = re.search(r"4 Easy (\d+)d", result.stdout)
        assert label, result.stdout
        with Store.open(Paths(home)) as store:
            (review,) = store.reviews()
            card = store.card(review.card_id)
        days = (card.due - review.reviewed_at).total_seconds() / 86400
        assert round(days) == int(label[1]), (days, label[1])


def test_counter_is_stable_when_cards_come_back(home, quiz_bank):
    result = _quiz(quiz_bank, "\n1\n\n3\n\n3\nq\n", "--limit", "2")
    assert result.exit_code == 0, result.output
    progress = re.findall(r"(\d+) done · (\d+) left", result.stdout)
    done = [int(d) for d, _ in progress]
    assert done == list(range(len(done))), progress  # one more done per card shown, never a jump back
    assert [int(left) for _, left in progress][:2] == [2, 2]  # Again brings the card back: still 2 left


def test_a_learning_card_from_an_earlier_session_is_labelled_learning(home, quiz_bank):
    assert _quiz(quiz_bank, "\n1\nq\n", "--limit", "1").exit_code == 0  # Again: the card is in learning
    result = _quiz(quiz_bank, "q\n", "--limit", "1")
    assert result.exit_code == 0
    first_card = result.stdout.split("Q\n", 1)[0]
    assert "learning" in first_card.splitlines()[-1] and "review" not in first_card.splitlines()[-1]


def _read_only_home(home: Path) -> None:
    Store.open(Paths(home)).close()
    for path in [home, *home.rglob("*")]:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)


def test_read_only_home_in_process(home, monkeypatch):
    """Read-only (as tfprep sees it): reading commands work on the database, writing ones say read-only."""
    _read_only_home(home)
    real_access = os.access
    monkeypatch.setattr(
        "tfprep.paths.os.access", lambda p, mode: False if mode & os.W_OK else real_access(p, mode)
    )
    try:
        for args in ([], ["stats"], ["history"], ["drill", "list"]):
            result = runner.invoke(app, [*args], env={"COLUMNS": "100"})
            assert result.exit_code == 0, (args, result.output)
            assert "damaged" not in result.output
        for args in (["quiz", "--limit", "1"], ["drill", "softmax", "--no-editor"]):
            result = runner.invoke(app, args, input="q\n")
            assert result.exit_code == 2 and "is read-only" in result.stderr, (args, result.output)
    finally:
        for path in [home, *home.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)


def test_read_only_home_for_real(tmp_path):
    """The same with real permissions (as nobody when run as root, since root ignores them)."""
    home = tmp_path / "home"
    env = {**os.environ, "TFPREP_HOME": str(home), "COLUMNS": "100", "TFPREP_LANG": "en"}
    run_as = {}
    if os.getuid() == 0:
        run_as = {"user": 65534, "group": 65534}
        os.chmod(tmp_path, 0o755)
        try:
            subprocess.run([sys.executable, "-c", "import tfprep"], env=env, check=True, timeout=60, **run_as)
        except (OSError, subprocess.CalledProcessError):
            pytest.skip(
                "nobody cannot run this Python (the checkout is private); the in-process test covers it"
            )
    _read_only_home(home)
    try:
        cmd = [sys.executable, "-m", "tfprep"]
        for args in ([], ["stats"], ["history"]):
            done = subprocess.run(
                [*cmd, *args], env=env, capture_output=True, text=True, timeout=60, **run_as
            )
            assert done.returncode == 0, (args, done.stderr)
            assert "damaged" not in done.stderr
        done = subprocess.run(
            [*cmd, "drill", "softmax", "--no-editor"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            **run_as,
        )
        assert done.returncode == 2 and "is read-only" in done.stderr and "Traceback" not in done.stderr
    finally:
        for path in [home, *home.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)


def _all_commands():
    from typer.main import get_command

    root = get_command(app)
    found = []

    def walk(cmd, path):
        found.append(path)
        for name in getattr(cmd, "commands", {}):
            walk(cmd.commands[name], [*path, name])

    walk(root, [])
    return found


def test_help_is_plain_text_and_names_arguments_one_way():
    commands = _all_commands()
    assert ["mock"] in commands and ["history", "show"] in commands and ["bank", "check"] in commands
    for path in commands:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
        assert result.exit_code == 0, path
        out = result.stdout
        assert "**" not in out, f"{path}: raw Markdown in --help"
        # values are named the same way everywhere (PATH, N, zh|en), never by a Python type
        assert not re.search(r"<(str|int|float|path|list\[\w+\])>", out), f"{path}: {out}"
        usage = out.splitlines()[0]
        assert "{" not in usage and "[[" not in usage, usage
        assert re.fullmatch(
            r"Usage: tfprep[ \w-]* \[OPTIONS\]( (\[?[A-Z_]+\]?(\.\.\.)?|COMMAND \[ARGS\]\.\.\.))*", usage
        ), usage


def test_ctrl_c_while_arguments_are_parsed_says_interrupted(monkeypatch):
    """Typer turns a Ctrl-C during argument parsing into a silent exit 130; tfprep says it was interrupted."""
    from typer.core import TyperGroup

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(TyperGroup, "make_context", interrupted)
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 130
    assert "interrupted" in result.stderr


def test_root_lang_sets_the_language_of_every_command(home):
    env = {**os.environ, "TFPREP_HOME": str(home), "COLUMNS": "80"}
    env.pop("TFPREP_LANG", None)
    zh = subprocess.run(
        [sys.executable, "-m", "tfprep", "--lang", "zh"], env=env, capture_output=True, text=True
    )
    assert zh.returncode == 0 and "面试教练" in zh.stdout
    en = subprocess.run(
        [sys.executable, "-m", "tfprep", "--lang=en", "drill", "list"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert en.returncode == 0 and "Drills, easy to hard" in en.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "tfprep", "--lang", "fr", "stats"], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "unknown --lang 'fr'" in bad.stderr and len(bad.stderr.splitlines()) == 1


def test_stats_heatmap_title_counts_the_weeks_it_draws(home, quiz_bank):
    assert _quiz(quiz_bank, "\n3\n", "--limit", "1").exit_code == 0
    out = runner.invoke(app, ["stats", "--lang", "en"], env={"COLUMNS": "100"}).stdout
    weeks = int(re.search(r"last (\d+) weeks", out)[1])
    monday_row = next(line for line in out.splitlines() if line.startswith("Mon "))
    assert monday_row.count("■") == weeks


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_mock_list_is_readable_at_any_width(home, columns):
    result = runner.invoke(app, ["mock", "--list", "--lang", "en"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= columns for line in lines)
    for name in ("bytedance-1", "kuaishou-2", "general-45"):
        assert any(line.lstrip("│ ").startswith(name) for line in lines), name
    # the description reads as words, not a column of word fragments
    assert "ByteDance — first round" in result.stdout


BUGGY_SOFTMAX = "import numpy as np\n\ndef softmax(x, axis=-1):\n    e = np.exp(x)\n    return e / e.sum(axis=axis, keepdims=True)\n"


def test_grade_footer_regrades_the_same_file_and_speaks_zh(home, tmp_path):
    elsewhere = tmp_path / "wrong" / "softmax.py"
    elsewhere.parent.mkdir()
    elsewhere.write_text(BUGGY_SOFTMAX)
    result = runner.invoke(
        app, ["grade", "softmax", "--file", str(elsewhere), "--lang", "zh"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 1
    assert "答案错误" in result.stdout and "可能的错误" in result.stdout and "项测试" in result.stdout
    assert f"tfprep grade softmax --file {elsewhere}" in result.stdout  # not the workspace file


def test_a_missing_file_path_says_to_check_it(home, tmp_path):
    result = runner.invoke(app, ["grade", "softmax", "--file", str(tmp_path / "nope.py"), "--lang", "en"])
    assert result.exit_code == 2
    assert "check the --file path" in result.stderr and "or pass --file" not in result.stderr


def test_zh_punctuation_error_colon_and_brackets(home):
    error = runner.invoke(app, ["drill", "no-such-drill"], env={"TFPREP_LANG": "zh"})
    assert error.exit_code == 2
    assert error.stderr.startswith("错误：") and not error.stderr.startswith("错误： ")  # no space after "："
    board = runner.invoke(app, [], env={"TFPREP_LANG": "zh", "COLUMNS": "120"}).stdout
    (nxt,) = [line for line in board.splitlines() if line.startswith("下一步")]
    assert "（" in nxt and "(" not in nxt  # full-width brackets around the reason
