"""`tfprep quiz` through CliRunner (stdin is not a terminal: one line per action), plus kill -9 durability."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfprep import srs
from tfprep.cli import app
from tfprep.paths import Paths
from tfprep.store import Store

runner = CliRunner()

SQRT = "fx.attention.sqrt-dk"
MASK = "fx.attention.causal-mask"
HEADS = "fx.attention.multi-head"
LN = "fx.norm.layernorm-axis"
PRENORM = "fx.norm.pre-norm"


def quiz(bank: Path, *args: str, input: str = "q\n"):
    return runner.invoke(app, ["quiz", "--bank", str(bank), *args], input=input, env={"COLUMNS": "120"})


def reviews(home: Path) -> list[tuple[str, int]]:
    with Store.open(Paths(home)) as s:
        return [(r.card_id, r.rating) for r in s.reviews()]


def snapshot(home: Path) -> tuple:
    with Store.open(Paths(home)) as s:
        return tuple(s.reviews()), tuple(s.cards())


def test_scripted_session_reveal_rate_undo_quit(home, quiz_bank):
    script = "\n3\n\n1\nu\n\n4\nq\n"  # reveal, Good; reveal, Again; undo; reveal, Easy; quit
    result = quiz(quiz_bank, input=script)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # header, question, answer with math as Unicode, key labels with intervals
    assert "Quiz fixture — attention · 0 done · 5 left · due 0 · new 5" in out
    assert "Why divide QKᵀ by √d_k?" in out
    assert "1/√dₖ" in out and "softmax(QKᵀ/√dₖ)" in out and "$" not in out.split("answer")[1].split("Q")[0]
    # Easy's interval is fuzzed: the label is decided once, and it is what Easy then schedules
    shown = re.findall(r"1 Again <1m   2 Hard <6m   3 Good <10m   4 Easy (\d+)d", out)
    assert len(shown) == 3, out
    assert f"Easy — next in {shown[-1]}d" in out
    # code blocks are not touched by the math rendering
    assert "# $not math$" in out
    assert "undid Again" in out
    assert "reviewed 2 (2 cards)" in out and "again 0" in out
    assert "next due: in 10m" in out
    assert reviews(home) == [(SQRT, 3), (MASK, 4)]


def test_end_of_input_ends_the_session_cleanly(home, quiz_bank):
    result = quiz(quiz_bank, input="\n4\n")
    assert result.exit_code == 0, result.output
    assert "summary" in result.stdout and "reviewed 1 (1 card)" in result.stdout
    assert reviews(home) == [(SQRT, 4)]


def test_a_rating_line_reveals_the_answer_on_its_way(home, quiz_bank):
    result = quiz(quiz_bank, input="good\n2\nq\n")
    assert result.exit_code == 0
    assert result.stdout.count("─ answer ─") == 2
    assert reviews(home) == [(SQRT, 3), (MASK, 2)]


def test_unknown_lines_get_a_hint(home, quiz_bank):
    result = quiz(quiz_bank, input="what\nq\n")
    assert result.exit_code == 0
    assert "Enter: show the answer · 1-4: rate · u: undo · q: quit" in result.stdout


def test_undo_with_nothing_rated(home, quiz_bank):
    result = quiz(quiz_bank, input="u\nq\n")
    assert "nothing to undo" in result.stdout
    assert reviews(home) == []


def test_undo_twice_then_rate_again(home, quiz_bank):
    result = quiz(quiz_bank, input="4\n4\nu\nu\n1\nq\n")
    assert result.exit_code == 0
    assert reviews(home) == [(SQRT, 1)]
    with Store.open(Paths(home)) as s:
        assert [c.id for c in s.cards()] == [SQRT]  # the undone new card is new again


def test_again_brings_the_card_back_later_in_the_session(home, quiz_bank):
    result = quiz(quiz_bank, "--limit", "2", input="1\n4\n4\n")
    assert result.exit_code == 0
    assert reviews(home) == [(SQRT, 1), (MASK, 4), (SQRT, 4)]
    assert "session complete" in result.stdout


def test_topic_filter(home, quiz_bank):
    result = quiz(quiz_bank, "--topic", "normalization", input="4\n4\n")
    assert result.exit_code == 0, result.output
    assert "Why divide" not in result.stdout
    assert "0 done · 2 left" in result.stdout and "LayerNorm" in result.stdout
    assert reviews(home) == [(LN, 4), (PRENORM, 4)]
    # fine tags work too, and several --topic are OR-ed
    result = quiz(quiz_bank, "--cram", "--topic", "masking", "--topic", "Training", input="q\n")
    assert "0 done · 2 left · cram" in result.stdout


def test_unknown_topic_lists_the_topics(home, quiz_bank):
    result = quiz(quiz_bank, "--topic", "astrology")
    assert result.exit_code == 2
    assert "no card has topic astrology" in result.stderr and "attention" in result.stderr
    assert "Traceback" not in result.output


def test_new_cards_per_day_cap(home, quiz_bank):
    result = quiz(quiz_bank, "--new", "2", input="4\n4\n")
    assert "0 done · 2 left" in result.stdout and "session complete" in result.stdout
    result = quiz(quiz_bank, "--new", "2")
    assert result.exit_code == 0
    assert "Nothing due" in result.stdout
    assert "today's limit of 2 is used" in result.stdout and "--new 12" in result.stdout
    assert "--cram" in result.stdout
    result = quiz(quiz_bank, "--new", "3", input="q\n")
    assert "0 done · 1 left · due 0 · new 1" in result.stdout


def test_nothing_due_says_when_and_suggests_cram(home, quiz_bank):
    quiz(quiz_bank, input="4\n" * 5)
    assert len(reviews(home)) == 5
    result = quiz(quiz_bank)
    assert result.exit_code == 0
    assert "Nothing due among 5 cards" in result.stdout
    assert "Next review: in" in result.stdout
    assert "tfprep quiz --cram" in result.stdout


def test_due_cards_come_before_new_ones(home, quiz_bank):
    long_ago = datetime.now(UTC) - timedelta(days=60)
    sched = srs.make_scheduler(fuzz=False)
    from tfprep.bank.load import all_cards, load_banks

    cards = {c.id: c for c in all_cards(load_banks([quiz_bank]))}
    with Store.open(Paths(home)) as s:
        for cid, when in ((PRENORM, long_ago + timedelta(days=5)), (HEADS, long_ago)):
            after = srs.review(sched, None, 4, when)
            s.record_review(
                cards[cid], rating=4, reviewed_at=when, state_before=None,
                state_after=srs.state_to_json(after), due=after.due, prev_state=0,
            )  # fmt: skip
    result = quiz(quiz_bank, input="q\n")
    assert "0 done · 5 left · due 2 · new 3" in result.stdout
    assert "review  Q" in result.stdout
    assert "What is multi-head attention?" in result.stdout  # the most overdue card first
    assert "Why divide" not in result.stdout


def test_cram_changes_nothing_stored(home, quiz_bank):
    quiz(quiz_bank, input="4\n3\n")
    before = snapshot(home)
    result = quiz(quiz_bank, "--cram", input="1\n2\n3\n4\n4\nu\n4\n")
    assert result.exit_code == 0, result.output
    assert "cram" in result.stdout and "schedule and review history are unchanged" in result.stdout
    assert snapshot(home) == before


def test_limit(home, quiz_bank):
    result = quiz(quiz_bank, "--limit", "1", input="4\n")
    assert "0 done · 1 left" in result.stdout and "session complete" in result.stdout
    assert len(reviews(home)) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--lang", "fr"], "unknown --lang 'fr'"),
        (["--retention", "1.5"], "--retention must be between"),
        (["--retention", "0.2"], "--retention must be between"),
        (["--limit", "0"], "--limit must be at least 1"),
        (["--new", "-1"], "--new must be 0 or more"),
    ],
)
def test_bad_options_are_one_line_exit_2(home, quiz_bank, args, words):
    result = quiz(quiz_bank, *args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not (home / "tfprep.db").exists()


def test_missing_bank_is_one_line_exit_2(home, tmp_path):
    result = runner.invoke(app, ["quiz", "--bank", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert "nope.md" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_foreign_database_is_one_line_exit_2_and_untouched(home, quiz_bank):
    db = home / "tfprep.db"
    db.write_bytes(b"not sqlite at all" * 100)
    before = db.read_bytes()
    result = quiz(quiz_bank)
    assert result.exit_code == 2
    assert "is not a tfprep database" in result.stderr and "TFPREP_HOME" in result.stderr
    assert db.read_bytes() == before


def _content(tmp_path: Path, quiz_bank: Path, lang: str) -> Path:
    root = tmp_path / "content"
    (root / "drills").mkdir(parents=True)
    (root / "questions" / lang).mkdir(parents=True)
    (root / "questions" / lang / "n.md").write_text((quiz_bank / "normalization.md").read_text())
    return root


@pytest.mark.parametrize(("env_lang", "flag", "used"), [("zh_CN.UTF-8", [], "zh"), ("en_US.UTF-8", [], "en"),
                                                        ("zh_CN.UTF-8", ["--lang", "en"], "en")])  # fmt: skip
def test_builtin_banks_follow_lang(home, tmp_path, quiz_bank, monkeypatch, env_lang, flag, used):
    from tfprep import content

    monkeypatch.setenv("TFPREP_CONTENT_DIR", str(_content(tmp_path, quiz_bank, used)))
    monkeypatch.setenv("LANG", env_lang)
    content.content_root.cache_clear()
    try:
        result = runner.invoke(app, ["quiz", *flag], input="q\n")
    finally:
        content.content_root.cache_clear()
    assert result.exit_code == 0, result.output
    assert "LayerNorm" in result.stdout


def test_no_builtin_banks_for_a_language(home, tmp_path, quiz_bank, monkeypatch):
    from tfprep import content

    monkeypatch.setenv("TFPREP_CONTENT_DIR", str(_content(tmp_path, quiz_bank, "en")))
    content.content_root.cache_clear()
    try:
        result = runner.invoke(app, ["quiz", "--lang", "zh"])
    finally:
        content.content_root.cache_clear()
    assert result.exit_code == 2
    assert "没有内置的 zh 题库" in result.stderr


def test_help_has_an_example():
    for command in (["quiz"], ["stats"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.stdout, command


def test_kill_9_loses_no_rating(home, quiz_bank):
    """A rating is committed when it is made: SIGKILL mid-session keeps every rating already given."""
    env = {**os.environ, "TFPREP_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tfprep", "quiz", "--bank", str(quiz_bank)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    try:
        proc.stdin.write("\n3\n4\n")  # reveal + Good; Easy (a scripted rating reveals on its way)
        proc.stdin.flush()
        db = home / "tfprep.db"
        deadline = time.monotonic() + 20
        count = 0
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                        count = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
                    conn.close()
                except sqlite3.OperationalError:
                    count = 0  # the schema is being created
                if count == 2:
                    break
            time.sleep(0.05)
        assert count == 2, proc.stderr.read() if proc.poll() is not None else "no reviews in time"
        assert proc.poll() is None, "the quiz should still be waiting for the next action"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert reviews(home) == [(SQRT, 3), (MASK, 4)]
    with Store.open(Paths(home)) as s:
        assert {c.id for c in s.cards()} == {SQRT, MASK}


def test_header_fits_a_60_column_terminal_without_cutting_the_counts(home, quiz_bank):
    result = runner.invoke(app, ["quiz", "--bank", str(quiz_bank)], input="q\n", env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    (head,) = [line for line in result.stdout.splitlines() if "done" in line and "left" in line][:1]
    assert len(head) <= 60 and "…" not in head, head
    assert "0 done · 5 left" in head
