"""`tfprep history` and `tfprep history show ID` (CliRunner, a private TFPREP_HOME): the list, the --json
contract, re-rendering a scorecard, unknown ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from tfprep import mock
from tfprep.cli import app
from tfprep.paths import Paths
from tfprep.store import Store

runner = CliRunner()
T0 = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def history(*args: str):
    return runner.invoke(app, ["history", *args], env={"COLUMNS": "140"})


def a_report(sid: str, ended_by: str = "finished") -> dict:
    plan = mock.Plan(
        round="kuaishou-2", title="Kuaishou — second round", lang="en", seed=9, minutes=40,
        questions=(
            mock.Question(1, "coding", "attention", "Scaled dot-product attention", "attention", ("attention",),
                          2.0, 20.0, "", "named"),
            mock.Question(2, "concept", "en.attention.multihead-how", "How does multi-head attention work?",
                          "attention", ("attention",), 1.0, 5.0, "", "new"),
        ),
    )  # fmt: skip
    outcomes = [
        mock.Outcome(1, "answered", 600, stages=[mock.StageResult("attention", "wrong_answer", 2, 10, 2)]),
        mock.Outcome(2, "answered", 90, "h heads", 2, [mock.PointMatch("h parallel heads", "covered", 1.0)]),
    ]
    return mock.build_report(plan, outcomes, session_id=sid, started_at=T0, ended_at=T0 + timedelta(minutes=12),
                             ended_by=ended_by, folder="")  # fmt: skip


@pytest.fixture
def sessions(home):
    with Store.open(Paths(home)) as s:
        for sid, when, ended_by in (
            ("20240501-093000-kuaishou-2", T0, "finished"),
            ("20240502-100000-kuaishou-2", T0 + timedelta(days=1), "interrupted"),
        ):
            r = a_report(sid, ended_by)
            s.save_mock_session(sid, round="kuaishou-2", lang="en", started_at=when, ended_at=when,
                                complete=r["complete"], score=r["score"], report=r)  # fmt: skip
    return home


def test_no_history_yet(home):
    result = history()
    assert result.exit_code == 0
    assert "No mock sessions yet" in result.stdout and "tfprep mock" in result.stdout
    assert json.loads(history("--json").stdout) == {"sessions": []}
    assert not (home / "tfprep.db").exists()  # listing creates nothing


def test_history_lists_sessions_most_recent_first(sessions):
    result = history()
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("20240502-100000-kuaishou-2") < out.index("20240501-093000-kuaishou-2")
    assert "interrupted" in out and "complete" in out
    assert "2/2" in out
    score = a_report("x")["score"]
    assert mock.fmt_score(score) in out


def test_history_json_contract(sessions):
    result = history("--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    rows = data["sessions"]
    assert [r["id"] for r in rows] == ["20240502-100000-kuaishou-2", "20240501-093000-kuaishou-2"]
    assert set(rows[0]) == {
        "id", "round", "title", "lang", "started_at", "ended_at", "score", "complete", "ended_by", "answered",
        "questions", "weak_topics", "folder", "status",
    }  # fmt: skip
    assert [r["status"] for r in rows] == ["interrupted", "complete"]
    assert rows[1]["complete"] is True and rows[0]["complete"] is False
    assert rows[0]["ended_by"] == "interrupted" and rows[1]["ended_by"] == "finished"
    assert rows[1]["round"] == "kuaishou-2" and rows[1]["title"] == "Kuaishou — second round"
    assert rows[1]["questions"] == 2 and rows[1]["answered"] == 2
    assert datetime.fromisoformat(rows[1]["started_at"]) == T0


@pytest.mark.parametrize("key", ["20240501-093000-kuaishou-2", "20240501", "20240501-09"])
def test_show_rerenders_a_scorecard(sessions, key):
    result = history("show", key)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Kuaishou — second round — scorecard" in out
    assert "Scaled dot-product attention" in out and "wrong_answer 2/10" in out
    assert "How does multi-head attention work?" in out and "Hard · 1/1 key points" in out
    assert "practise next" in out and "tfprep drill attention" in out
    assert "complete" in out


def test_show_last_and_json(sessions):
    result = history("show", "last", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["id"] == "20240502-100000-kuaishou-2" and report["ended_by"] == "interrupted"
    assert report == a_report("20240502-100000-kuaishou-2", "interrupted")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("nope", "no mock session 'nope'; `tfprep history` lists the ids"),
        ("2024050", "'2024050' matches 2 sessions"),
    ],
)
def test_unknown_or_ambiguous_ids_are_one_line_exit_2(sessions, key, message):
    result = history("show", key)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.output


def test_show_without_any_session(home):
    result = history("show", "x")
    assert result.exit_code == 2
    assert "there are none yet; play one with `tfprep mock`" in result.stderr


def test_show_a_session_saved_without_a_report(home):
    with Store.open(Paths(home)) as s:
        s.save_mock_session("old", round="basics", lang="en", started_at=T0, complete=True, score=7.5)
    result = history("show", "old")
    assert result.exit_code == 0, result.output
    assert "basics — scorecard" in result.stdout and "7.5/100" in result.stdout
    listing = history()
    assert "basics" in listing.stdout and "7.5" in listing.stdout


def test_ids_are_never_cut_in_a_narrow_terminal(sessions):
    result = runner.invoke(app, ["history"], env={"COLUMNS": "70"})
    assert "20240501-093000-kuaishou-2" in result.stdout


def _running(home, sid: str, started: datetime, process: dict | None) -> None:
    r = a_report(sid, "running")
    if process is not None:
        r["process"] = process | {"saved_at": (started + timedelta(minutes=3)).isoformat()}
    with Store.open(Paths(home)) as s:
        s.save_mock_session(sid, round="kuaishou-2", lang="en", started_at=started, ended_at=None,
                            complete=False, score=r["score"], report=r)  # fmt: skip


def test_a_session_whose_process_died_shows_as_interrupted(home):
    import os
    import socket
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    now = datetime.now(UTC)
    host = socket.gethostname()
    _running(home, "a-dead-one", now - timedelta(minutes=5), {"pid": int(dead.stdout), "host": host})
    _running(home, "a-live-one", now - timedelta(minutes=4), {"pid": os.getpid(), "host": host})
    _running(home, "an-old-one", now - timedelta(days=3), None)  # saved before sessions named their process
    rows = {r["id"]: r for r in json.loads(history("--json").stdout)["sessions"]}
    assert rows["a-dead-one"]["status"] == "interrupted" and rows["a-dead-one"]["ended_by"] == "interrupted"
    assert rows["a-dead-one"]["ended_at"] is not None  # when it was last saved
    assert rows["a-live-one"]["status"] == "running"  # still being played in another terminal
    assert rows["an-old-one"]["status"] == "interrupted"
    assert "interrupted" in history().stdout
    narrow = runner.invoke(app, ["history"], env={"COLUMNS": "80"}).stdout
    assert (
        "a-dead-one" in narrow and "interrupted" in narrow and "running" in narrow
    )  # the status is never cut
