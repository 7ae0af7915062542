"""`tfprep today`: the plan, cards then drills, stop and resume, skip, give up, a review from a blank starter."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfprep import srs
from tfprep.cli import app
from tfprep.cli.quiz import local_tz
from tfprep.grading.drills import find_drill
from tfprep.paths import Paths
from tfprep.store import Store

runner = CliRunner()
LONG_AGO = datetime.now(UTC) - timedelta(days=21)


@pytest.fixture
def solved_long_ago(home):
    """softmax solved three weeks ago (before drills were scheduled): due today."""
    with Store.open(Paths(home)) as s:
        s.record_attempt("softmax", verdict="accepted", passed=5, total=5, duration_s=60, created_at=LONG_AGO)
    return home


def today(*args: str, input: str = "") -> str:
    result = runner.invoke(app, ["today", "--lang", "en", *args], input=input, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_plan_json_contract(solved_long_ago):
    data = json.loads(today("--plan", "--json", "--new", "3"))
    assert set(data) == {"day", "cards_due", "cards_new", "card_minutes", "drills", "total_minutes"}
    assert data["cards_new"] == 3 and data["cards_due"] == 0
    (step,) = data["drills"]
    assert set(step) == {"drill", "kind", "due", "minutes", "reason", "started"}
    assert (step["drill"], step["kind"], step["started"]) == ("softmax", "due", False)
    assert step["minutes"] == 1.0  # the user's own solve time, not the 10-minute default
    assert data["total_minutes"] == pytest.approx(data["card_minutes"] + 1.0, abs=0.11)


def test_stop_in_a_drill_then_resume_and_skip(solved_long_ago):
    home = solved_long_ago
    work = home / "workspace" / "softmax.py"
    work.parent.mkdir()
    work.write_text("# what I wrote three weeks ago\n")
    out = today("--new", "0", input="q\n")
    assert "review of softmax: it is due" in out
    (kept,) = (home / "backups").iterdir()
    assert kept.read_text() == "# what I wrote three weeks ago\n" and str(kept) in out.replace("\n", "")
    assert work.read_text() == find_drill("softmax").starter.read_text()  # a blank starter
    assert "stopped with 1 steps left" in out
    with Store.open(Paths(home)) as s:
        day = s.day_session(srs.local_date(datetime.now(UTC), local_tz()).isoformat())
        assert day is not None and day.ended_at is None
        (start,) = [e for e in s.drill_events("softmax") if e.kind == "start"]
        assert start.kept == str(kept)
    work.write_text("def softmax(x, axis=-1):\n    return x  # half done\n")
    out = today("--new", "0", input="s\n")
    assert "resuming today's session" in out
    assert "your file is already there" in out  # the practice under way is not reset again
    assert work.read_text() == "def softmax(x, axis=-1):\n    return x  # half done\n"
    assert "skipped today: softmax" in out and "session complete" in out
    assert "drill softmax" not in today("--plan")  # skipped for today
    again = today("--new", "0")  # the day's session is over: its summary again, nothing started
    assert "nothing due today" in again and "session complete" in again and "resuming" not in again


def test_give_up_rates_again_and_feeds_the_study_loop(solved_long_ago):
    out = today("--new", "0", input="x\n")
    assert "gave up softmax: rated Again" in out
    with Store.open(Paths(solved_long_ago)) as s:
        (r,) = s.drill_reviews()
        assert (r.drill, r.rating, r.reason) == ("softmax", srs.AGAIN, "gave-up")
        assert srs.state_from_json(r.state_after).due - r.reviewed_at >= timedelta(days=1)
        from tfprep.cli.studyloop import study_focus

        assert study_focus(s, datetime.now(UTC)).boost(["softmax"])[0] == 1.0
    plan = today("--plan")
    assert "drill softmax  due" not in plan and "drill softmax  overdue" not in plan  # not again today …
    assert "drill softmax given up" in plan.replace("\n", " ")  # … but its topic's drill comes forward


def test_a_plan_creates_no_database(home):
    data = json.loads(today("--plan", "--json", "--new", "4"))
    assert (data["cards_due"], data["cards_new"], data["drills"]) == (0, 4, [])
    assert "today's plan" in today("--plan") and not (home / "tfprep.db").exists()


def test_cards_first_then_the_summary(home):
    out = today("--new", "1", input="\n3\nq\n")
    assert "cards: 1 reviews of 1 cards" in out.replace("\n", " ")
    assert "stopped with" in out


def test_drill_command_starts_a_due_review_from_a_blank_starter(solved_long_ago):
    home = solved_long_ago
    work = home / "workspace" / "softmax.py"
    work.parent.mkdir()
    work.write_text("# old\n")
    for _ in range(2):  # hints seen three weeks ago …
        runner.invoke(app, ["hint", "softmax", "--lang", "en"])
    result = runner.invoke(app, ["drill", "softmax", "--no-editor", "--lang", "en"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "review of softmax" in result.stdout and "kept, unchanged, as" in result.stdout
    assert work.read_text() == find_drill("softmax").starter.read_text()
    again = runner.invoke(app, ["drill", "softmax", "--no-editor", "--lang", "en"], env={"COLUMNS": "200"})
    assert "your file is already there" in again.stdout  # the review is under way: not reset twice
    assert len(list((home / "backups").iterdir())) == 1
    assert "hint 1/" in runner.invoke(app, ["hint", "softmax", "--lang", "en"]).stdout  # … start over
    from tfprep.practice import current_practice

    with Store.open(Paths(home)) as s:
        assert current_practice(s, "softmax").hints == 1  # only the one seen in this review counts
    work.write_text(find_drill("softmax").solution.read_text())
    graded = runner.invoke(app, ["grade", "softmax", "--lang", "en"], env={"COLUMNS": "200"})
    assert graded.exit_code == 0 and "rated Hard (accepted after a hint)" in graded.stdout
    regraded = runner.invoke(app, ["grade", "softmax", "--lang", "en"], env={"COLUMNS": "200"})
    assert "rated" not in regraded.stdout  # a re-run of a solved file is not a recall
    runner.invoke(app, ["drill", "softmax", "--no-editor", "--reset"])  # a new practice …
    gave = runner.invoke(app, ["drill", "softmax", "--give-up"])
    assert gave.exit_code == 0 and "rated Again" in gave.stdout
    twice = runner.invoke(app, ["drill", "softmax", "--give-up"])
    assert twice.exit_code == 2 and "no practice to give up" in twice.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pexpect and a pty")
def test_interactive_session_grades_on_save_and_rates_from_what_it_saw(solved_long_ago):
    import pexpect

    home = solved_long_ago
    env = dict(os.environ, TFPREP_HOME=str(home), COLUMNS="80", TFPREP_LANG="en")
    child = pexpect.spawn(
        sys.executable, ["-m", "tfprep", "today", "--new", "0"], env=env, encoding="utf-8", timeout=120,
        dimensions=(40, 80),
    )  # fmt: skip
    try:
        child.expect("save the file to grade it")
        work = Path(home) / "workspace" / "softmax.py"
        work.write_text(find_drill("softmax").solution.read_text())  # the user saves a solution
        child.expect("ACCEPTED")
        child.expect("rated")
        child.expect("Easy")  # first grade, no hint, a few seconds: well within half of 10 minutes
        child.expect("session complete")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    with Store.open(Paths(home)) as s:
        (r,) = s.drill_reviews()
        (a,) = [a for a in s.attempts() if a.created_at > LONG_AGO]
        assert (r.rating, r.reason, r.grades, r.attempt_id) == (srs.EASY, "fast", 1, a.id)
        assert r.solve_s is not None and r.solve_s < 120
        assert s.day_session(srs.local_date(datetime.now(UTC), local_tz()).isoformat()).ended_at is not None


def test_due_cards_of_the_focus_come_first():
    from tfprep.bank.model import Card
    from tfprep.cli.today import focus_first
    from tfprep.mock import StudyFocus

    def item(cid, tags, kind="due"):
        return srs.QueueItem(Card(id=cid, question="?", answer="", line=1, tags=tags), kind)

    items = [
        item("a", ("training",)),
        item("b", ("decoding",)),
        item("c", ("attention",)),
        item("n", ("decoding",), "new"),
    ]
    focus = StudyFocus()
    focus.add("decoding", 1.0, "drill beam-search failed")
    assert [i.card.id for i in focus_first(items, focus)] == ["b", "a", "c", "n"]
    assert [i.card.id for i in focus_first(items, StudyFocus())] == ["a", "b", "c", "n"]


def test_solution_before_solving_rates_the_practice_again(home):
    runner.invoke(app, ["drill", "softmax", "--no-editor", "--lang", "en"])
    shown = runner.invoke(
        app, ["solution", "softmax", "--force", "--yes"], env={"COLUMNS": "200", "TFPREP_LANG": "en"}
    )
    assert shown.exit_code == 0, shown.output
    assert "rated Again (solution shown before solving)" in shown.stdout
    with Store.open(Paths(home)) as s:
        (r,) = s.drill_reviews()
        assert (r.drill, r.rating, r.reason) == ("softmax", srs.AGAIN, "solution")
