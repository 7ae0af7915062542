"""`tfprep stats` and `tfprep stats --json` (the contract is pinned here)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from rich.console import Console
from typer.testing import CliRunner

from tfprep import srs
from tfprep.bank.model import Card
from tfprep.cli import app
from tfprep.paths import Paths
from tfprep.store import Store
from tfprep.ui.stats import heat_level, heatmap

runner = CliRunner()

JSON_KEYS = {
    "reviews", "cards", "due", "due_now", "reviews_today", "retention", "retention_reviews", "streak",
    "forecast", "topics", "heatmap", "next_due", "today", "drills", "memory_curve", "retention_by_interval",
}  # fmt: skip
DRILL_KEYS = {"rows", "reviews", "due", "retention", "retention_reviews"}
DRILL_ROW_KEYS = {
    "drill", "attempts", "solves", "practices", "first_try_rate", "solve_s", "median_solve_s", "best_solve_s",
    "last_rating", "last_reason", "last_reviewed", "due",
}  # fmt: skip


def seed(home, plan):
    """plan: [(card id, tags, [(days ago, rating), ...])] — reviews made long enough ago to be due now."""
    now = datetime.now(UTC)
    sched = srs.make_scheduler(fuzz=False)
    with Store.open(Paths(home)) as s:
        for cid, tags, steps in plan:
            card = Card(id=cid, question=f"{cid}?", answer="", line=1, tags=tags, deck="D")
            state = None
            for days_ago, rating in steps:
                at = now - timedelta(days=days_ago)
                after = srs.review(sched, state, rating, at)
                s.record_review(
                    card, rating=rating, reviewed_at=at, state_before=None if state is None else srs.state_to_json(state),
                    state_after=srs.state_to_json(after), due=after.due, prev_state=srs.state_kind(state),
                )  # fmt: skip
                state = after


def stats_json():
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_contract_with_no_database(home):
    data = stats_json()
    assert set(data) == JSON_KEYS
    assert (data["reviews"], data["due"], data["cards"], data["streak"]) == (0, 0, 0, 0)
    assert data["retention"] is None and data["next_due"] is None
    assert len(data["forecast"]) == 7 and all(f["due"] == 0 for f in data["forecast"])
    assert not (home / "tfprep.db").exists()  # a read-only command creates nothing
    assert set(data["drills"]) == DRILL_KEYS and data["drills"]["rows"] == []
    for kind in ("cards", "drills"):
        assert [p["days"] for p in data["memory_curve"][kind]] == [0, 1, 3, 7, 14, 30]
        assert all(p["retrievability"] is None for p in data["memory_curve"][kind])
        assert all(b["reviews"] == 0 for b in data["retention_by_interval"][kind])


def test_json_numbers(home):
    seed(
        home,
        [
            # new → Easy (8d) → 40 days later Good (prev_state review) → Again (review, lapse)
            ("a", ("attention",), [(60, 4), (52, 3), (50, 1)]),
            ("b", ("attention", "softmax"), [(30, 4), (22, 3)]),
            ("c", ("normalization",), [(2, 1), (1, 3)]),  # learning only: not in retention
        ],
    )
    data = stats_json()
    assert set(data) == JSON_KEYS
    assert (
        isinstance(data["reviews"], int) and isinstance(data["due"], int) and isinstance(data["cards"], int)
    )
    assert data["reviews"] == 7 and data["cards"] == 3
    assert data["due"] >= 2 and data["due_now"] >= 2  # a and c are overdue
    assert data["retention_reviews"] == 3 and abs(data["retention"] - 2 / 3) < 1e-9
    assert data["topics"]["attention"]["cards"] == 2 and data["topics"]["attention"]["reviews"] == 5
    assert data["topics"]["softmax"]["retention"] == 1.0
    assert data["topics"]["normalization"]["retention"] is None
    assert data["reviews_today"] == 0
    assert data["streak"] == 2  # yesterday and the day before; today not yet: still alive
    assert sum(d["reviews"] for d in data["heatmap"]) == 7
    assert len({d["date"] for d in data["heatmap"]}) == len(data["heatmap"]) >= 7 * 15


def test_stats_text(home):
    seed(home, [("a", ("attention",), [(9, 4), (1, 3)]), ("b", ("decoding",), [(3, 1)])])
    result = runner.invoke(app, ["stats"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "reviews 3" in out and "streak" in out
    assert "true retention 100%" in out
    assert "next 7 days" in out and "today" in out
    assert "attention" in out and "decoding" in out
    assert "Mon" in out and "Wed" in out and "less" in out and "more" in out
    assert "■" in out


def test_stats_refuses_a_foreign_database(home):
    db = home / "tfprep.db"
    db.write_bytes(b"\x00garbage" * 512)
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 2
    assert "not a tfprep database" in result.stderr


def test_heat_levels():
    assert heat_level(0, 10) == 0
    assert heat_level(1, 10) == 1
    assert heat_level(10, 10) == 4
    assert [heat_level(n, 4) for n in range(5)] == [0, 1, 2, 3, 4]


def test_heatmap_grid():
    start = datetime(2024, 1, 1).date()  # a Monday
    days = [{"date": (start + timedelta(days=i)).isoformat(), "reviews": i % 3} for i in range(7 * 3 + 2)]
    console = Console(width=100, record=True, color_system=None)
    console.print(heatmap(days))
    lines = console.export_text().splitlines()
    assert lines[0].startswith("    Jan")
    rows = lines[1:8]
    assert rows[0].startswith("Mon ") and rows[2].startswith("Wed ") and rows[4].startswith("Fri ")
    assert [r.count("■") for r in rows] == [4, 4, 3, 3, 3, 3, 3]  # the 4th week has Mon and Tue so far
    assert "less" in lines[8] and "more" in lines[8]


def seed_drill(home):
    """softmax practised twice: 20 days ago (a failed grade, then accepted after 300 s → Hard), 10 days ago
    (accepted on the first grade after 200 s)."""
    from tfprep import practice
    from tfprep.grading.drills import find_drill

    d = find_drill("softmax")
    now = datetime.now(UTC)
    with Store.open(Paths(home)) as s:
        for days, grades in ((20, [("wrong_answer", 100), ("accepted", 300)]), (10, [("accepted", 200)])):
            start = now - timedelta(days=days)
            s.record_drill_event("softmax", "start", at=start)
            for verdict, took in grades:
                practice.record_grade(
                    s, d, verdict=verdict, accepted=verdict == "accepted", passed=1, total=1, duration_s=took,
                    seed=1, now=start + timedelta(seconds=took), path="x", code="x",
                )  # fmt: skip
        s.record_attempt("rope", verdict="wrong_answer", created_at=now, code="x")
    return d


def test_drill_history_and_curves_json(home):
    from tfprep import drill_schedule

    d = seed_drill(home)
    data = stats_json()
    assert set(data["drills"]) == DRILL_KEYS
    rows = {r["drill"]: r for r in data["drills"]["rows"]}
    assert set(rows) == {"softmax", "rope"} and all(set(r) == DRILL_ROW_KEYS for r in rows.values())
    sm = rows["softmax"]
    assert (sm["attempts"], sm["solves"], sm["practices"]) == (3, 2, 2)
    assert sm["first_try_rate"] == 0.5  # the second practice only
    assert sm["solve_s"] == [300.0, 200.0] and sm["median_solve_s"] == 250.0 and sm["best_solve_s"] == 200.0
    expected = drill_schedule.rate_accepted(
        drill_schedule.Practice("softmax", True, None, (), 0, False), 200, drill_schedule.expected_seconds(d)
    )
    assert (sm["last_rating"], sm["last_reason"]) == expected
    assert rows["rope"]["practices"] == 0 and rows["rope"]["first_try_rate"] is None
    assert data["drills"]["reviews"] == 2
    curve = [p["retrievability"] for p in data["memory_curve"]["drills"]]
    assert all(0 < r <= 1 for r in curve) and curve == sorted(curve, reverse=True)  # memory fades
    buckets = {b["bucket"]: b for b in data["retention_by_interval"]["drills"]}
    assert buckets["8-14d"]["reviews"] == 1 and buckets["8-14d"]["retention"] == 1.0  # 10 days later
    assert sum(b["reviews"] for b in buckets.values()) == 1  # the first practice had no previous review


def test_stats_text_shows_drills_beside_cards_at_80_columns(home):
    seed(home, [("a", ("attention",), [(9, 4), (1, 3)])])
    seed_drill(home)
    result = runner.invoke(app, ["stats"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "drills: 2 reviews" in out and "softmax" in out and "50%" in out and "4:10" in out
    assert "memory if you stopped reviewing now" in out and "+30d" in out
    memory = out.split("memory if you stopped reviewing now")[1]
    assert "cards" in memory and "drills" in memory
    zh = runner.invoke(app, ["stats"], env={"COLUMNS": "80", "TFPREP_LANG": "zh"})
    assert "练习" in zh.stdout


def test_sparkline_and_buckets():
    from tfprep.progress import _bucket
    from tfprep.ui.stats import sparkline

    assert sparkline([]) == "" and sparkline([5, 5]) == "▄▄"
    assert sparkline([1, 2, 3]) == "▁▅█"
    assert [_bucket(d) for d in (0, 1, 2, 5, 14, 15, 30, 31, 400)] == [
        "≤1d", "≤1d", "2-3d", "4-7d", "8-14d", "15-30d", "15-30d", ">30d", ">30d",
    ]  # fmt: skip
