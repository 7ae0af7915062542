"""`tfprep` with no arguments: the dashboard (due/new cards, drills, last mock, one next command)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfprep import content, srs
from tfprep.cli import app
from tfprep.paths import Paths
from tfprep.store import Store

runner = CliRunner()


@pytest.fixture
def content_dir(tmp_path, quiz_bank, monkeypatch):
    """A content folder with the fixture banks as the built-in en banks and two drills."""
    root = tmp_path / "content"
    for slug in ("softmax", "attention"):
        (root / "drills" / slug).mkdir(parents=True)
        (root / "drills" / slug / "drill.toml").write_text(f'title = "{slug}"\n')
    (root / "questions" / "en").mkdir(parents=True)
    for f in quiz_bank.glob("*.md"):
        (root / "questions" / "en" / f.name).write_text(f.read_text())
    monkeypatch.setenv("TFPREP_CONTENT_DIR", str(root))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    content.content_root.cache_clear()
    yield root
    content.content_root.cache_clear()


def dashboard() -> str:
    result = runner.invoke(app, [], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.stdout


def next_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("next"))


def test_fresh_user(home, content_dir):
    out = dashboard()
    assert "0 due today · 5 new for today (5 unseen of 5, en banks)" in out
    assert "drills  0 due today · 0 solved · 0 attempted · 2 in all" in out
    assert "mock" not in out.split("next")[0]
    assert "1  cards  0 due + 5 new" in out  # today's plan
    assert "tfprep today" in next_line(out) and "5 new cards" in next_line(out)
    assert not (home / "tfprep.db").exists()


def test_due_cards_come_first(home, content_dir, quiz_bank):
    from tfprep.bank.load import all_cards, load_banks

    card = all_cards(load_banks([quiz_bank]))[0]
    sched = srs.make_scheduler(fuzz=False)
    at = datetime.now(UTC) - timedelta(days=30)
    after = srs.review(sched, None, 4, at)
    with Store.open(Paths(home)) as s:
        s.record_review(
            card, rating=4, reviewed_at=at, state_before=None, state_after=srs.state_to_json(after),
            due=after.due, prev_state=0,
        )  # fmt: skip
        s.record_attempt("softmax", verdict="failed", passed=1, total=5, created_at=at)
    out = dashboard()
    assert "1 due today" in out and "4 unseen of 5" in out
    assert next_line(out).split()[1:3] == ["tfprep", "today"] and "due: cards 1 · drills 0" in next_line(out)


def test_an_unfinished_drill_is_suggested_when_nothing_is_due(home, content_dir):
    now = datetime.now(UTC)
    with Store.open(Paths(home)) as s:
        s.record_attempt("softmax", verdict="failed", passed=1, total=5, created_at=now)
        s.record_attempt("attention", verdict="accepted", passed=5, total=5, duration_s=1.2, created_at=now)
        s.save_mock_session(
            "m1", round="basics", lang="en", started_at=now - timedelta(days=1), complete=True, score=7.5
        )
    out = dashboard()
    assert "drills  0 due today · 1 solved · 1 attempted · 2 in all" in out
    assert "last round basics" in out and "score 7.5" in out
    assert "tfprep drill softmax" in next_line(out)


def test_a_drill_solved_weeks_ago_is_due_in_the_plan(home, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    long_ago = datetime.now(UTC) - timedelta(days=21)
    with Store.open(Paths(home)) as s:  # solved before drills were scheduled: adopted as one Good review
        s.record_attempt("softmax", verdict="accepted", passed=5, total=5, duration_s=60, created_at=long_ago)
    out = dashboard()
    assert "drills  1 due today · 1 solved" in out
    plan = out.split("today   ")[1]
    assert re.search(r"drill softmax  overdue \d+d", plan)  # adopted as a Good review 21 days ago
    assert plan.index("cards") < plan.index("drill softmax")  # cards first, then drills
    assert "tfprep today" in next_line(out) and "drills 1" in next_line(out)


def test_dashboard_imports_no_heavy_modules(home, content_dir):
    code = (
        "import sys; from tfprep.cli import app\n"
        "try:\n    app([])\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('torch', 'numpy', 'pytest') if m in sys.modules]\n"
        "print('HEAVY', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


@pytest.mark.parametrize("args", [["--help"], ["quiz", "--help"], ["stats", "--help"], ["today", "--help"]])
def test_help_imports_no_heavy_modules(args):
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tfprep", *args],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    imported = {
        line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")
    }
    for heavy in ("torch", "numpy", "pytest", "fsrs"):
        assert heavy not in imported, f"{heavy} imported by tfprep {' '.join(args)}"


def test_quiz_session_imports_no_torch_numpy_pytest(home, quiz_bank):
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tfprep", "quiz", "--bank", str(quiz_bank)],
        input="\n3\nq\n", capture_output=True, text=True, timeout=60,
        env={"TFPREP_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    imported = {
        line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")
    }
    assert "fsrs" in imported  # the session really ran
    assert not {"torch", "numpy", "pytest"} & imported


def test_bank_ids_are_cached_and_refreshed_when_a_bank_changes(tmp_path, quiz_bank, monkeypatch):
    import os

    import tfprep.bank.load as load_mod
    from tfprep.cli.dashboard import bank_ids

    banks = tmp_path / "banks"
    banks.mkdir()
    for f in quiz_bank.glob("*.md"):
        (banks / f.name).write_text(f.read_text())
    files = sorted(banks.glob("*.md"))
    cache = tmp_path / "cache" / "ids.json"
    first = bank_ids(files, cache)
    assert len(first) == 5 and cache.exists()

    def no_parsing(path):
        raise AssertionError(f"parsed {path} although it was cached")

    monkeypatch.setattr(load_mod, "load_bank", no_parsing)
    assert bank_ids(files, cache) == first
    monkeypatch.undo()

    norm = banks / "normalization.md"
    norm.write_text(
        norm.read_text() + "\n## What is RMSNorm?\n<!-- id: fx.norm.rms -->\n\nLayerNorm without the mean.\n"
    )
    os.utime(norm, ns=(norm.stat().st_atime_ns, norm.stat().st_mtime_ns + 10**9))
    assert bank_ids(files, cache) == first | {"fx.norm.rms"}
    cache.write_text("{not json")
    assert bank_ids(files, cache) == first | {"fx.norm.rms"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dashboard_wraps_under_its_text_at_60_columns(home, lang):
    out = CliRunner().invoke(app, [], env={"COLUMNS": "60", "TFPREP_LANG": lang}).stdout
    lines = [line for line in out.splitlines() if line.strip()]
    assert all(len(line) <= 60 for line in lines)
    labels = {
        "en": ("cards", "drills", "today", "next", "mock"),
        "zh": ("卡片", "练习", "今天", "下一步", "模拟"),
    }
    for line in lines[1:-1]:  # between the title and the closing --help line
        # a label, or a continuation indented under the text (never back at the first column)
        assert line.startswith(labels[lang]) or line.startswith(" "), line
    assert any(line.startswith(" ") and line.strip() for line in lines[1:3])  # the cards line did wrap
