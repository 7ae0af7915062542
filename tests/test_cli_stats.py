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
    "forecast", "topics", "heatmap", "next_due", "today",
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
