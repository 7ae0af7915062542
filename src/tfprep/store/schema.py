"""The schema of the review database: `MIGRATIONS` (one entry per version), `migrate`, time helpers.

`PRAGMA user_version` is the schema version: v1 cards + reviews, v2 drill attempts, v3 mock sessions, v4 drill
schedules, drill reviews, practice events and daily sessions. `PRAGMA application_id` marks the file as ours.
Times are stored as ISO-8601 UTC text with microseconds (`2024-05-01T09:30:00.000000+00:00`), which sorts in
time order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

APPLICATION_ID = 0x74667072  # "tfpr"
SQLITE_HEADER = b"SQLite format 3\x00"

# Each entry brings the schema from version i to i+1. Never edit a released entry: append a new one.
MIGRATIONS: list[str] = [
    # v1: the schedule of every card reviewed at least once, and every review (with the state it replaced,
    # so a rating can be undone). Card rows keep the last-seen question, deck, source and tags for stats.
    """
    CREATE TABLE cards (
        id         TEXT PRIMARY KEY,              -- the bank card id
        state      TEXT NOT NULL,                 -- JSON of fsrs.Card.to_dict()
        due        TEXT NOT NULL,                 -- ISO-8601 UTC, copied from state for queries
        question   TEXT NOT NULL DEFAULT '',
        deck       TEXT NOT NULL DEFAULT '',
        source     TEXT NOT NULL DEFAULT '',
        line       INTEGER NOT NULL DEFAULT 0,
        tags       TEXT NOT NULL DEFAULT '[]',    -- JSON list of tags
        lang       TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    );
    CREATE INDEX cards_due ON cards(due);
    CREATE TABLE reviews (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        card_id      TEXT NOT NULL REFERENCES cards(id),
        rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at  TEXT NOT NULL,
        duration_ms  INTEGER,
        prev_state   INTEGER NOT NULL,            -- 0 new, 1 learning, 2 review, 3 relearning
        state_before TEXT,                        -- JSON; NULL when the card was new
        state_after  TEXT NOT NULL                -- JSON
    );
    CREATE INDEX reviews_card ON reviews(card_id, id);
    CREATE INDEX reviews_time ON reviews(reviewed_at);
    """,
    # v2: graded drill attempts. The submitted code is kept in the row, so a user's code is never lost.
    """
    CREATE TABLE attempts (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        drill             TEXT NOT NULL,
        verdict           TEXT NOT NULL,          -- the grader's verdict, e.g. passed / failed / error / timeout
        passed            INTEGER NOT NULL DEFAULT 0,
        total             INTEGER NOT NULL DEFAULT 0,
        duration_s        REAL,
        seed              INTEGER,
        created_at        TEXT NOT NULL,
        submission_path   TEXT NOT NULL DEFAULT '',
        submission_sha256 TEXT NOT NULL DEFAULT '',
        code              TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX attempts_drill ON attempts(drill, id);
    """,
    # v3: mock interview rounds.
    """
    CREATE TABLE mock_sessions (
        id         TEXT PRIMARY KEY,
        round      TEXT NOT NULL,
        lang       TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL,
        ended_at   TEXT,
        complete   INTEGER NOT NULL DEFAULT 0,
        score      REAL,
        report     TEXT NOT NULL DEFAULT '{}'      -- JSON
    );
    CREATE INDEX mock_sessions_started ON mock_sessions(started_at);
    """,
    # v4: drills on a schedule, like cards. A drill's FSRS schedule; each drill review with the rule that rated
    # it from what tfprep saw (see tfprep.drill_schedule) and the state it replaced; the events of a practice
    # that grading does not record (a fresh starter written = the clock starts, a hint, the solution shown);
    # and the state of each day's `tfprep today` session, so it can be stopped and resumed.
    """
    CREATE TABLE drill_schedules (
        drill      TEXT PRIMARY KEY,
        state      TEXT NOT NULL,                 -- JSON of fsrs.Card.to_dict()
        due        TEXT NOT NULL,                 -- ISO-8601 UTC, copied from state for queries
        updated_at TEXT NOT NULL
    );
    CREATE INDEX drill_schedules_due ON drill_schedules(due);
    CREATE TABLE drill_reviews (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        drill        TEXT NOT NULL,
        rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reason       TEXT NOT NULL DEFAULT '',    -- the rule that gave the rating, e.g. first-try, hints, gave-up
        reviewed_at  TEXT NOT NULL,
        started_at   TEXT,                        -- when this practice's clock started (NULL: unknown)
        solve_s      REAL,                        -- time to the accepted grade (NULL: not solved)
        grades       INTEGER NOT NULL DEFAULT 0,  -- grades in this practice, the accepted one included
        hints        INTEGER NOT NULL DEFAULT 0,  -- hints shown in this practice
        attempt_id   INTEGER REFERENCES attempts(id),
        prev_state   INTEGER NOT NULL,            -- 0 new, else the fsrs.State before
        state_before TEXT,                        -- JSON; NULL when the drill had no schedule
        state_after  TEXT NOT NULL                -- JSON
    );
    CREATE INDEX drill_reviews_drill ON drill_reviews(drill, id);
    CREATE INDEX drill_reviews_time ON drill_reviews(reviewed_at);
    CREATE TABLE drill_events (
        id    INTEGER PRIMARY KEY AUTOINCREMENT,
        drill TEXT NOT NULL,
        kind  TEXT NOT NULL CHECK (kind IN ('start', 'hint', 'solution')),
        at    TEXT NOT NULL,
        path  TEXT NOT NULL DEFAULT '',           -- start: the fresh file
        kept  TEXT NOT NULL DEFAULT ''            -- start: where the previous file was kept ('' if none)
    );
    CREATE INDEX drill_events_drill ON drill_events(drill, id);
    CREATE TABLE day_sessions (
        day        TEXT PRIMARY KEY,              -- the local date, YYYY-MM-DD
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ended_at   TEXT,
        state      TEXT NOT NULL DEFAULT '{}'     -- JSON: phase, skipped drills, …
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

SOLVED_VERDICTS = frozenset({"pass", "passed", "ok", "solved", "accepted"})


def ts(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware datetime")
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def migrate(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Bring the schema up to `target` (default: the latest), one transaction per version. Returns the version
    reached."""
    target = len(MIGRATIONS) if target is None else target
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    while version < target:
        conn.execute("BEGIN IMMEDIATE")
        # read again under the write lock: another tfprep started at the same moment (two terminals on
        # a new home) may have migrated since, and its tables must not be created twice
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= target:
            conn.execute("COMMIT")
            break
        try:
            # executescript() would COMMIT first; run the statements one by one inside our transaction
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
    return version


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script (split at each `;` that ends a complete statement)."""
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\n;"):
                yield buf
            buf = ""
    if buf.strip(" \t\n;"):
        yield buf
