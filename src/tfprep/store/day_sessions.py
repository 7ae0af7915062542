"""The daily session (`tfprep today`, schema v4): one row per local day, so a session can be stopped and
resumed. The reviews themselves are in the cards' and drills' tables; this keeps only where the session is."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tfprep.store.connection import Connection
from tfprep.store.schema import dt as _dt
from tfprep.store.schema import ts as _ts


@dataclass(frozen=True)
class DaySession:
    day: str  # local date, YYYY-MM-DD
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    state: dict[str, Any] = field(default_factory=dict)


class DaySessionsMixin(Connection):
    def day_session(self, day: str) -> DaySession | None:
        row = self._conn.execute(
            "SELECT day, started_at, updated_at, ended_at, state FROM day_sessions WHERE day = ?", (day,)
        ).fetchone()
        if row is None:
            return None
        return DaySession(row[0], _dt(row[1]), _dt(row[2]), _dt(row[3]), json.loads(row[4] or "{}"))

    def save_day_session(
        self,
        day: str,
        *,
        started_at: datetime,
        updated_at: datetime,
        state: dict[str, Any],
        ended_at: datetime | None = None,
    ) -> None:
        """Insert or update the session of `day` (one transaction)."""
        with self._tx() as conn:
            conn.execute(
                """
                INSERT INTO day_sessions (day, started_at, updated_at, ended_at, state) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(day) DO UPDATE SET updated_at = excluded.updated_at,
                                               ended_at = excluded.ended_at, state = excluded.state
                """,
                (
                    day,
                    _ts(started_at),
                    _ts(updated_at),
                    None if ended_at is None else _ts(ended_at),
                    json.dumps(state, ensure_ascii=False, sort_keys=True),
                ),
            )
