"""Databases left by every earlier tfprep (built from the released CREATE statements, frozen in
tests/fixtures/schema/) migrate to the current schema with every row kept; the new tables work after."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tfprep import srs
from tfprep.paths import Paths
from tfprep.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, DrillReviewWrite, Store, migrate

FROZEN = Path(__file__).parent / "fixtures" / "schema"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def ts(dt: datetime) -> str:
    return dt.isoformat(timespec="microseconds")


def old_database(path: Path, version: int) -> None:
    """A database as tfprep v`version` left it: its released DDL, its pragmas and a row in each table."""
    conn = sqlite3.connect(path)
    for v in range(1, version + 1):
        conn.executescript((FROZEN / f"v{v}.sql").read_text())
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    state = srs.state_to_json(srs.review(srs.make_scheduler(fuzz=False), None, 3, T0))
    conn.execute(
        "INSERT INTO cards (id, state, due, question, deck, tags, lang, updated_at)"
        " VALUES ('c1', ?, ?, 'Why √d?', 'Attention', '[\"attention\"]', 'en', ?)",
        (state, ts(T0 + timedelta(days=3)), ts(T0)),
    )
    conn.execute(
        "INSERT INTO reviews (card_id, rating, reviewed_at, duration_ms, prev_state, state_after)"
        " VALUES ('c1', 3, ?, 4200, 0, ?)",
        (ts(T0), state),
    )
    if version >= 2:
        conn.execute(
            "INSERT INTO attempts (drill, verdict, passed, total, duration_s, created_at, code)"
            " VALUES ('softmax', 'accepted', 5, 5, 321.0, ?, 'def softmax(x): ...')",
            (ts(T0),),
        )
    if version >= 3:
        conn.execute(
            "INSERT INTO mock_sessions (id, round, started_at, complete, score, report)"
            " VALUES ('m1', 'general-45', ?, 1, 72.5, '{\"weak_topics\": [\"decoding\"]}')",
            (ts(T0),),
        )
    conn.commit()
    conn.close()


def _columns(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {
        t: [tuple(c[1:]) for c in conn.execute(f"PRAGMA table_info({t})")]
        for t in tables
        if t != "sqlite_sequence"
    }


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_frozen_ddl_matches_the_migrations(version):
    """The fixtures are what those versions created: same tables, columns, types, defaults."""
    frozen = sqlite3.connect(":memory:")
    for v in range(1, version + 1):
        frozen.executescript((FROZEN / f"v{v}.sql").read_text())
    migrated = sqlite3.connect(":memory:", isolation_level=None)
    migrate(migrated, target=version)
    assert _columns(frozen) == _columns(migrated)


def test_every_earlier_version_has_a_frozen_fixture():
    assert sorted(p.stem for p in FROZEN.glob("v*.sql")) == [f"v{v}" for v in range(1, SCHEMA_VERSION)]
    assert len(MIGRATIONS) == SCHEMA_VERSION


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_old_database_migrates_and_keeps_every_row(home, version):
    old_database(home / "tfprep.db", version)
    with Store.open(Paths(home)) as s:
        assert s.schema_version == SCHEMA_VERSION
        c = s.card("c1")
        assert (c.question, c.deck, c.tags, c.due) == (
            "Why √d?",
            "Attention",
            ("attention",),
            T0 + timedelta(days=3),
        )
        (r,) = s.reviews()
        assert (r.card_id, r.rating, r.duration_ms) == ("c1", 3, 4200)
        if version >= 2:
            (a,) = s.attempts()
            assert (a.drill, a.solved, a.duration_s, a.code) == (
                "softmax",
                True,
                321.0,
                "def softmax(x): ...",
            )
        if version >= 3:
            m = s.mock_session("m1")
            assert m.complete and m.score == 72.5 and m.report == {"weak_topics": ["decoding"]}
        # the new tables work on the migrated file
        state = srs.review(srs.make_scheduler(fuzz=False), None, 3, T0)
        s.record_drill_review(
            DrillReviewWrite(
                drill="softmax", rating=3, reason="first-try", reviewed_at=T0, state_after=srs.state_to_json(state),
                due=state.due, prev_state=0,
            )
        )  # fmt: skip
        s.record_drill_event("softmax", "start", at=T0)
        s.save_day_session("2024-05-01", started_at=T0, updated_at=T0, state={"skipped": []})
        assert s.drill_states() and s.drill_events() and s.day_session("2024-05-01") is not None
    conn = sqlite3.connect(home / "tfprep.db")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_a_v3_user_with_an_old_solve_sees_it_due_after_the_upgrade(home):
    """The story of the issue: rope solved weeks ago under v3 comes back on its own after migrating."""
    from tfprep.practice import drill_states

    old_database(home / "tfprep.db", 3)
    with Store.open(Paths(home)) as s:
        state = drill_states(s)["softmax"]  # adopted from the v3 attempt: one Good review then
        assert state.last_review == T0
        later = T0 + timedelta(days=30)
        assert srs.is_due(state, later, later + timedelta(hours=1))
