"""Graded drill attempts (schema v2): every grading with the submitted code, so a user's code is never lost."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tfprep.store.connection import Connection
from tfprep.store.drill_reviews import DrillReviewWrite, insert_drill_review
from tfprep.store.schema import SOLVED_VERDICTS
from tfprep.store.schema import dt as _dt
from tfprep.store.schema import ts as _ts


@dataclass(frozen=True)
class Attempt:
    id: int
    drill: str
    verdict: str
    passed: int
    total: int
    duration_s: float | None
    seed: int | None
    created_at: datetime
    submission_path: str
    submission_sha256: str
    code: str

    @property
    def solved(self) -> bool:
        return self.verdict.lower() in SOLVED_VERDICTS


class AttemptsMixin(Connection):
    def record_attempt(
        self,
        drill: str,
        *,
        verdict: str,
        passed: int = 0,
        total: int = 0,
        duration_s: float | None = None,
        seed: int | None = None,
        created_at: datetime,
        submission_path: str | Path = "",
        code: str = "",
        submission_sha256: str | None = None,
        review: DrillReviewWrite | None = None,
    ) -> int:
        """Save one graded attempt, with the submitted code, and the drill review it causes (if any) in the same
        transaction: an accepted grade and its rating are saved together or not at all. Returns its id."""
        sha = submission_sha256 or hashlib.sha256(code.encode("utf-8")).hexdigest()
        with self._tx() as conn:
            cur = conn.execute(
                """
                INSERT INTO attempts (drill, verdict, passed, total, duration_s, seed, created_at,
                                      submission_path, submission_sha256, code)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    drill,
                    verdict,
                    passed,
                    total,
                    duration_s,
                    seed,
                    _ts(created_at),
                    str(submission_path),
                    sha,
                    code,
                ),
            )
            attempt_id = int(cur.lastrowid)
            if review is not None:
                insert_drill_review(conn, review, attempt_id)
            return attempt_id

    def attempts(self, drill: str | None = None) -> list[Attempt]:
        """Attempts in the order they were made, of one drill or all."""
        sql = (
            "SELECT id, drill, verdict, passed, total, duration_s, seed, created_at, submission_path, "
            "submission_sha256, code FROM attempts"
        )
        rows = (
            self._conn.execute(sql + " WHERE drill = ? ORDER BY id", (drill,))
            if drill is not None
            else self._conn.execute(sql + " ORDER BY id")
        )
        return [
            Attempt(
                id=r[0],
                drill=r[1],
                verdict=r[2],
                passed=r[3],
                total=r[4],
                duration_s=r[5],
                seed=r[6],
                created_at=_dt(r[7]),
                submission_path=r[8],
                submission_sha256=r[9],
                code=r[10],
            )
            for r in rows
        ]

    def drill_summary(self, drills: Iterable[str] = ()) -> dict[str, dict[str, Any]]:
        """{drill: {"status": "new" | "attempted" | "solved", "best_time": seconds | None, "attempts": n}}.

        Drills with attempts are always listed; `drills` adds the ones never attempted (status "new").
        A drill is solved once an attempt's verdict is a pass; best_time is its fastest passing run."""
        out: dict[str, dict[str, Any]] = {
            d: {"status": "new", "best_time": None, "attempts": 0} for d in drills
        }
        for a in self.attempts():
            entry = out.setdefault(a.drill, {"status": "new", "best_time": None, "attempts": 0})
            entry["attempts"] += 1
            if a.solved:
                entry["status"] = "solved"
                if a.duration_s is not None and (
                    entry["best_time"] is None or a.duration_s < entry["best_time"]
                ):
                    entry["best_time"] = a.duration_s
            elif entry["status"] == "new":
                entry["status"] = "attempted"
        return out
