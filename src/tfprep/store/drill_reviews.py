"""Drills on a schedule (schema v4): each drill's FSRS schedule, its reviews, and the events of a practice.

A drill review is written in ONE transaction with what caused it: with the accepted attempt
(`record_attempt(..., review=…)`), or alone for a give-up or a solution shown (`record_drill_review`).
The rating itself is decided by `tfprep.drill_schedule`; this module only stores it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from tfprep.store.connection import Connection
from tfprep.store.schema import dt as _dt
from tfprep.store.schema import ts as _ts

EVENT_KINDS = ("start", "hint", "solution")


@dataclass(frozen=True)
class DrillReviewWrite:
    """A drill review to save: the rating, why, and the schedule it replaces and gives."""

    drill: str
    rating: int
    reason: str
    reviewed_at: datetime
    state_after: str  # JSON of fsrs.Card.to_dict()
    due: datetime
    prev_state: int
    state_before: str | None = None
    started_at: datetime | None = None
    solve_s: float | None = None
    grades: int = 0
    hints: int = 0


@dataclass(frozen=True)
class DrillReview:
    id: int
    drill: str
    rating: int
    reason: str
    reviewed_at: datetime
    started_at: datetime | None
    solve_s: float | None
    grades: int
    hints: int
    attempt_id: int | None
    prev_state: int
    state_before: str | None
    state_after: str


@dataclass(frozen=True)
class DrillEvent:
    id: int
    drill: str
    kind: str  # start | hint | solution
    at: datetime
    path: str
    kept: str


def insert_drill_review(conn: sqlite3.Connection, r: DrillReviewWrite, attempt_id: int | None) -> int:
    """Inside an open transaction: the review row and the drill's new schedule."""
    if r.rating not in (1, 2, 3, 4):
        raise ValueError(f"rating must be 1-4, got {r.rating!r}")
    now = _ts(r.reviewed_at)
    cur = conn.execute(
        """
        INSERT INTO drill_reviews (drill, rating, reason, reviewed_at, started_at, solve_s, grades, hints,
                                   attempt_id, prev_state, state_before, state_after)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            r.drill,
            r.rating,
            r.reason,
            now,
            None if r.started_at is None else _ts(r.started_at),
            r.solve_s,
            r.grades,
            r.hints,
            attempt_id,
            r.prev_state,
            r.state_before,
            r.state_after,
        ),
    )
    conn.execute(
        """
        INSERT INTO drill_schedules (drill, state, due, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(drill) DO UPDATE SET state = excluded.state, due = excluded.due,
                                         updated_at = excluded.updated_at
        """,
        (r.drill, r.state_after, _ts(r.due), now),
    )
    return int(cur.lastrowid)


class DrillReviewsMixin(Connection):
    def drill_states(self) -> dict[str, str]:
        """drill slug → stored schedule JSON. Drills never rated are absent."""
        return dict(self._conn.execute("SELECT drill, state FROM drill_schedules"))

    def record_drill_review(self, review: DrillReviewWrite) -> int:
        """Save a drill review that no attempt caused (given up, solution shown): one transaction."""
        with self._tx() as conn:
            return insert_drill_review(conn, review, None)

    def drill_reviews(self, drill: str | None = None, since: datetime | None = None) -> list[DrillReview]:
        """Drill reviews in the order they were made, optionally of one drill and/or since a time."""
        sql, args = f"SELECT {_REVIEW_COLS} FROM drill_reviews WHERE 1", []
        if drill is not None:
            sql += " AND drill = ?"
            args.append(drill)
        if since is not None:
            sql += " AND reviewed_at >= ?"
            args.append(_ts(since))
        return [_review(r) for r in self._conn.execute(sql + " ORDER BY id", args)]

    def record_drill_event(
        self, drill: str, kind: str, *, at: datetime, path: str = "", kept: str = ""
    ) -> int:
        """A practice event: `start` (a fresh starter was written; the clock starts), `hint`, `solution`."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"kind must be one of {EVENT_KINDS}, got {kind!r}")
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO drill_events (drill, kind, at, path, kept) VALUES (?, ?, ?, ?, ?)",
                (drill, kind, _ts(at), path, kept),
            )
            return int(cur.lastrowid)

    def drill_events(self, drill: str | None = None, since: datetime | None = None) -> list[DrillEvent]:
        sql, args = "SELECT id, drill, kind, at, path, kept FROM drill_events WHERE 1", []
        if drill is not None:
            sql += " AND drill = ?"
            args.append(drill)
        if since is not None:
            sql += " AND at >= ?"
            args.append(_ts(since))
        return [
            DrillEvent(r[0], r[1], r[2], _dt(r[3]), r[4], r[5])
            for r in self._conn.execute(sql + " ORDER BY id", args)
        ]


_REVIEW_COLS = (
    "id, drill, rating, reason, reviewed_at, started_at, solve_s, grades, hints, attempt_id, prev_state, "
    "state_before, state_after"
)


def _review(r: tuple) -> DrillReview:
    return DrillReview(
        id=r[0],
        drill=r[1],
        rating=r[2],
        reason=r[3],
        reviewed_at=_dt(r[4]),
        started_at=_dt(r[5]),
        solve_s=r[6],
        grades=r[7],
        hints=r[8],
        attempt_id=r[9],
        prev_state=r[10],
        state_before=r[11],
        state_after=r[12],
    )
