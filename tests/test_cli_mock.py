"""`tfprep mock` through CliRunner (stdin is not a terminal: one line per action): --list, a scripted round
saved in the store, the session folder and --json-report; user errors; the study loop in quiz and dashboard."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfprep.cli import app
from tfprep.paths import Paths
from tfprep.store import Store

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "mock"
CONCEPTS = FIXTURES / "concepts.toml"


def mock(*args: str, input: str = ""):
    return runner.invoke(app, ["mock", *args], input=input, env={"COLUMNS": "120"})


def error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_list_shows_the_shipped_rounds(home):
    result = mock("--list", "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for rid, title in (("bytedance-1", "ByteDance — first round"), ("kuaishou-2", "Kuaishou — second round"),
                       ("general-45", "General round — 45 minutes")):  # fmt: skip
        assert rid in out and title in out
    assert "9 concept · 3 coding" in out and "2 concept · 1 coding" in out
    assert "follow-ups: attention → multihead" in out  # the Kuaishou chain
    assert "attention-followups" in out and "attention → causal-attention → multihead → kv-cache" in out
    zh = mock("--list", "--lang", "zh").stdout
    assert "字节跳动 一面" in zh and "快手 二面" in zh
    # `tfprep mock list` is what people type: the same list, not "no round named 'list'"
    typed = mock("list", "--lang", "en")
    assert typed.exit_code == 0 and typed.stdout == out


SCRIPT = (
    "The variance of q·k grows like d_k, so large logits saturate the softmax\n"
    "and the gradients vanish.\n"
    "\n"
    "3\n"
    "LayerNorm normalizes each token over its features; BatchNorm depends on the batch statistics,\n"
    "\n"
    "2\n"
)


def test_a_scripted_round_is_saved_everywhere(home, tmp_path):
    report_path = tmp_path / "report.json"
    result = mock(
        str(CONCEPTS), "--lang", "en", "--seed", "11", "--json-report", str(report_path), input=SCRIPT
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Concept test round · Q1/2 · 5:00 left" in out
    assert "Why divide QKᵀ by √dₖ?" in out
    assert "key points:" in out and "✓" in out and "✗" in out
    assert "Concept test round — scorecard" in out and "overall" in out

    with Store.open(Paths(home)) as s:
        sessions = s.mock_sessions()
        assert len(sessions) == 1
        m = sessions[0]
        assert m.complete and m.round == "concepts" and m.lang == "en" and m.score is not None
        # the self-scores fed the cards' FSRS schedules, like quiz ratings
        assert [(r.card_id, r.rating) for r in s.reviews()] == [
            ("en.attention.why-sqrt-dk", 3),
            ("en.norm.layernorm-vs-batchnorm", 2),
        ]
        assert s.card("en.attention.why-sqrt-dk") is not None
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report == m.report
    assert report["seed"] == 11 and report["ended_by"] == "finished"
    assert report["replay"] == f"tfprep mock {CONCEPTS.resolve()} --seed 11 --lang en"
    q1, q2 = report["questions"]
    assert q1["ref"] == "en.attention.why-sqrt-dk" and q1["self_score"] == 3 and q1["covered"] >= 2
    assert q2["ref"] == "en.norm.layernorm-vs-batchnorm" and q2["self_score"] == 2
    folder = Path(report["folder"])
    assert folder.parent == home / "sessions" and folder.name == m.id
    md = (folder / "scorecard.md").read_text(encoding="utf-8")
    assert md.startswith("# Concept test round — ") and "> and the gradients vanish." in md
    assert (folder / "q01-answer.md").read_text(encoding="utf-8").endswith("and the gradients vanish.\n")
    assert json.loads((folder / "plan.json").read_text())["seed"] == 11
    assert json.loads((folder / "session.json").read_text()) == report


def test_the_same_seed_asks_the_same_questions(home):
    def refs() -> list[str]:
        result = mock("general-45", "--lang", "zh", "--seed", "5", input="")  # end of input: quits at once
        assert result.exit_code == 0, result.output
        with Store.open(Paths(home)) as s:
            return [q["ref"] for q in s.latest_mock_session(complete_only=False).report["questions"]]

    first = refs()
    assert len(first) == 10 and all(r.startswith("zh.") for r in first[:8])
    assert refs() == first


def test_the_end_of_input_saves_an_incomplete_session(home):
    result = mock(str(CONCEPTS), "--lang", "zh", "--seed", "1", input="方差随 d_k 增大\n")
    assert result.exit_code == 0, result.output
    with Store.open(Paths(home)) as s:
        m = s.latest_mock_session(complete_only=False)
        assert not m.complete and m.report["ended_by"] == "quit"
        assert m.report["questions"][0]["answer"] == "方差随 d_k 增大"
        assert m.report["questions"][1]["status"] == "unanswered"
        assert s.latest_mock_session() is None  # only complete rounds count as "the last mock"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-round"], "no round named 'no-such-round'"),
        (["bytedance"], "did you mean bytedance-1?"),
        (["./nope.toml"], "nope.toml: no such round file"),
        (["general-45", "--minutes", "0"], "--minutes must be between 1 and 600"),
        (["general-45", "--lang", "fr"], "'fr'; use zh or en"),
        (["general-45", "--json-report", "/no/such/dir/r.json"], "folder /no/such/dir does not exist"),
        (
            [str(FIXTURES / "missing-drill.toml"), "--lang", "en"],
            "names drill 'no-such-drill', which is not installed",
        ),
    ],
)
def test_user_errors_are_one_line(home, args, message):
    line = error_line(mock(*args))
    assert message in line


def test_a_broken_round_file_is_one_line(home, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "T"\nduration = 10\n[[slots]]\nkind = "concept"\ntagz = ["x"]\n')
    assert "unknown field 'tagz'" in error_line(mock(str(bad)))


def test_help_has_an_example():
    for args in (["mock", "--help"], ["history", "--help"], ["history", "show", "--help"]):
        result = runner.invoke(app, args, env={"COLUMNS": "120"})
        assert result.exit_code == 0
        assert "Example" in result.stdout, args
    assert "tfprep mock --list" in runner.invoke(app, ["mock", "--help"], env={"COLUMNS": "200"}).stdout


# -- the study loop -------------------------------------------------------------------------------------


@pytest.fixture
def layer_norm_drill(tmp_path, monkeypatch):
    """A content folder with one drill, `layer-norm`, tagged normalization (its drill.toml tags)."""
    from tfprep import content
    from tfprep.grading import drills

    folder = tmp_path / "content" / "drills" / "layer-norm"
    folder.mkdir(parents=True)
    (folder / "drill.toml").write_text(
        'title = { en = "LayerNorm" }\ntopic = "normalization"\ndifficulty = 2\nframework = "numpy"\n'
        'tags = ["normalization", "layernorm"]\n[entries]\nlayer_norm = "(x, gamma, beta, eps=1e-5)"\n'
    )
    monkeypatch.setenv("TFPREP_CONTENT_DIR", str(tmp_path / "content"))
    content.content_root.cache_clear()
    drills.all_drills.cache_clear()
    yield
    content.content_root.cache_clear()
    drills.all_drills.cache_clear()


def first_new_question(quiz_bank: Path) -> str:
    result = runner.invoke(app, ["quiz", "--bank", str(quiz_bank)], input="q\n", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "new  Q")
    return lines[at + 1]


def test_a_failed_drill_brings_its_cards_forward_in_the_quiz(home, quiz_bank, layer_norm_drill):
    """The quiz fixture banks: attention cards first, then normalization. After a failed `layer-norm`
    attempt, the cards tagged like the drill (normalization) come first among the new cards."""
    assert "Why divide" in first_new_question(quiz_bank)
    now = datetime.now(UTC)
    with Store.open(Paths(home)) as s:
        s.record_attempt("layer-norm", verdict="wrong_answer", passed=1, total=8, created_at=now)
    assert "What does LayerNorm normalise over?" in first_new_question(quiz_bank)
    with Store.open(Paths(home)) as s:  # solved (quickly) since: back to bank order
        s.record_attempt("layer-norm", verdict="accepted", passed=8, total=8, duration_s=60, created_at=now)
    assert "Why divide" in first_new_question(quiz_bank)


def test_a_weak_mock_topic_brings_its_cards_forward_in_the_quiz(home, quiz_bank):
    now = datetime.now(UTC)
    with Store.open(Paths(home)) as s:
        s.save_mock_session("m1", round="r", started_at=now - timedelta(hours=1), complete=True, score=40,
                            report={"topics": {"normalization": 20.0, "attention": 90.0}})  # fmt: skip
    assert "What does LayerNorm normalise over?" in first_new_question(quiz_bank)


def test_the_dashboard_shows_the_last_mock_and_suggests_its_weak_topic(home):
    now = datetime.now(UTC)
    report = {"topics": {"attention": 35.0, "training": 80.0}, "weak_topics": ["attention"]}
    with Store.open(Paths(home)) as s:
        s.save_mock_session("m1", round="kuaishou-2", lang="en", started_at=now - timedelta(hours=2),
                            complete=True, score=52.5, report=report)  # fmt: skip
    from tfprep.cli.dashboard import Dashboard, collect

    board = collect(now)
    assert board.last_mock.id == "m1"
    assert board.weak_topics() == [("attention", 35.0)]
    quiet = Dashboard(lang="en", now=now, last_mock=board.last_mock)
    assert quiet.suggestion() == (
        "tfprep quiz --topic attention",
        "your last mock round scored 35 on attention",
    )
    result = runner.invoke(app, [], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "last round kuaishou-2" in result.stdout and "score 52.5 · weak: attention" in result.stdout


def test_the_dashboard_suggests_a_mock_when_the_last_one_is_old(home):
    from tfprep.cli.dashboard import Dashboard
    from tfprep.store import MockSession

    now = datetime.now(UTC)
    old = MockSession("m", "general-45", "en", now - timedelta(days=10), None, True, 90.0, {"topics": {}})
    board = Dashboard(lang="en", now=now, last_mock=old)
    assert board.suggestion() == ("tfprep mock", "your last mock round was 10 days ago")
    assert Dashboard(lang="en", now=now, last_mock=None).suggestion()[0] == "tfprep mock"


@pytest.mark.parametrize("args", [["mock", "--help"], ["history", "--help"], ["mock", "--list"]])
def test_mock_commands_import_nothing_heavy(home, args):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tfprep", *args],
        capture_output=True, text=True, timeout=60, env={"TFPREP_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    imported = {
        line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")
    }
    assert not {"torch", "numpy", "pytest", "fsrs", "rapidfuzz"} & imported


def test_ending_the_round_at_an_untried_drill_is_unanswered_not_weak(home):
    result = mock("kuaishou-2", "--lang", "en", "--seed", "3", input="q\n")
    assert result.exit_code == 0, result.output
    with Store.open(Paths(home)) as s:
        report = s.latest_mock_session(complete_only=False).report
    assert report["questions"][0]["kind"] == "coding"
    assert [q["status"] for q in report["questions"]] == ["unanswered"] * 3
    assert report["weak_topics"] == []
