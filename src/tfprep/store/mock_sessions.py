"""Mock interview rounds (schema v3): each session, its score and its report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tfprep.store.connection import Connection
from tfprep.store.schema import dt as _dt
from tfprep.store.schema import ts as _ts


@dataclass(frozen=True)
class MockSession:
    id: str
    round: str
    lang: str
    started_at: datetime
    ended_at: datetime | None
    complete: bool
    score: float | None
    report: dict[str, Any]


class MockSessionsMixin(Connection):
    def save_mock_session(
        self,
        id: str,
        *,
        round: str,
        lang: str = "",
        started_at: datetime,
        ended_at: datetime | None = None,
        complete: bool = False,
        score: float | None = None,
        report: dict[str, Any] | None = None,
    ) -> None:
        """Insert or update a mock session (save it when it starts, again when it ends)."""
        with self._tx() as conn:
            conn.execute(
                """
                INSERT INTO mock_sessions (id, round, lang, started_at, ended_at, complete, score, report)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    round = excluded.round, lang = excluded.lang, started_at = excluded.started_at,
                    ended_at = excluded.ended_at, complete = excluded.complete, score = excluded.score,
                    report = excluded.report
                """,
                (
                    id,
                    round,
                    lang,
                    _ts(started_at),
                    None if ended_at is None else _ts(ended_at),
                    int(complete),
                    score,
                    json.dumps(report or {}, ensure_ascii=False),
                ),
            )

    def mock_sessions(self) -> list[MockSession]:
        """All mock sessions, most recent first."""
        return [
            _mock(r)
            for r in self._conn.execute(
                f"SELECT {_MOCK_COLS} FROM mock_sessions ORDER BY started_at DESC, id DESC"
            )
        ]

    def latest_mock_session(self, *, complete_only: bool = True) -> MockSession | None:
        """The most recent mock session (only complete ones by default), or None."""
        where = "WHERE complete = 1 " if complete_only else ""
        row = self._conn.execute(
            f"SELECT {_MOCK_COLS} FROM mock_sessions {where}ORDER BY started_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else _mock(row)

    def mock_sessions_since(self, since: datetime) -> list[MockSession]:
        """Mock sessions started at or after `since`, most recent first (the study loop reads these)."""
        return [
            _mock(r)
            for r in self._conn.execute(
                f"SELECT {_MOCK_COLS} FROM mock_sessions WHERE started_at >= ? ORDER BY started_at DESC, id DESC",
                (_ts(since),),
            )
        ]

    def mock_session(self, id: str) -> MockSession | None:
        row = self._conn.execute(f"SELECT {_MOCK_COLS} FROM mock_sessions WHERE id = ?", (id,)).fetchone()
        return None if row is None else _mock(row)


_MOCK_COLS = "id, round, lang, started_at, ended_at, complete, score, report"


def _mock(r: tuple) -> MockSession:
    return MockSession(
        id=r[0],
        round=r[1],
        lang=r[2],
        started_at=_dt(r[3]),
        ended_at=_dt(r[4]),
        complete=bool(r[5]),
        score=r[6],
        report=json.loads(r[7] or "{}"),
    )
