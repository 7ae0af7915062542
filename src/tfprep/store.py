"""The review database: `$TFPREP_HOME/tfprep.db`. The only module that opens SQLite.

- WAL journal, `synchronous=FULL`, and one transaction per write: a review is committed the moment it is
  rated, so killing the process loses nothing already rated.
- `PRAGMA application_id` = `APPLICATION_ID` marks the file as ours; `PRAGMA user_version` is the schema
  version, brought up to date by `MIGRATIONS` (v1 cards + reviews, v2 drill attempts, v3 mock sessions).
- A file that is not a tfprep database (not SQLite, another application's database, damaged, or from a newer
  tfprep) raises `StoreError` and is never written to, overwritten or deleted.

Times are stored as ISO-8601 UTC text with microseconds (`2024-05-01T09:30:00.000000+00:00`), which sorts
in time order.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfprep.errors import StoreError

if TYPE_CHECKING:
    from tfprep.bank.model import Card
    from tfprep.paths import Paths

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
]
SCHEMA_VERSION = len(MIGRATIONS)

SOLVED_VERDICTS = frozenset({"pass", "passed", "ok", "solved", "accepted"})


def _ts(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware datetime")
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class StoredCard:
    id: str
    state: str  # JSON of fsrs.Card.to_dict()
    due: datetime
    question: str
    deck: str
    source: str
    line: int
    tags: tuple[str, ...]
    lang: str
    updated_at: datetime


@dataclass(frozen=True)
class Review:
    id: int
    card_id: str
    rating: int
    reviewed_at: datetime
    duration_ms: int | None
    prev_state: int  # 0 new, 1 learning, 2 review, 3 relearning
    state_before: str | None
    state_after: str


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


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target`, one transaction per version. Returns the version reached."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    while version < target:
        conn.execute("BEGIN IMMEDIATE")
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


def _not_ours(path: Path | str, why: str = "is not a tfprep database") -> StoreError:
    return StoreError(
        f"{path} {why}; tfprep left it untouched — move it away or set TFPREP_HOME to another folder."
    )


def _probe(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not SQLite at all."""
    if path.is_dir():
        raise _not_ours(path, "is a directory, not a tfprep database")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(
            f"{path}: cannot read ({exc.strerror or exc}); check its permissions or set TFPREP_HOME."
        ) from None
    if head and head != SQLITE_HEADER:
        raise _not_ours(path)


class Store:
    """A connection to the review database. Use `Store.open(paths)`; `Store.connect(":memory:")` in tests."""

    def __init__(self, conn: sqlite3.Connection, path: Path | str):
        self._conn = conn
        self.path = path

    # -- opening ----------------------------------------------------------------------------------------

    @classmethod
    def open(cls, paths: Paths) -> Store:
        """Open (creating if needed) `paths.db`, migrating it to the current schema."""
        paths.ensure()
        if not paths.writable():
            raise paths.read_only_error()
        return cls.connect(paths.db)

    @classmethod
    def open_existing(cls, paths: Paths) -> Store | None:
        """Like `open`, but None when there is no database yet (read-only commands do not create one).
        In a read-only home the database is opened read-only, so that reading commands still work."""
        if not paths.db.is_file():
            if paths.db.exists():
                _probe(paths.db)  # a folder where the database should be: say so
            return None
        if not paths.writable():
            return cls.connect_read_only(paths.db)
        return cls.connect(paths.db)

    @classmethod
    def connect_read_only(cls, path: Path) -> Store:
        """Open for reading only, without the WAL files SQLite would need to create (immutable: nothing
        can write in a read-only home). No migration: an older schema is refused with what to do."""
        _probe(path)
        from urllib.parse import quote

        try:
            conn = sqlite3.connect(
                f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True, isolation_level=None
            )
            cls._check(conn, path)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _not_ours(path, f"cannot be read ({exc})") from None
        if version != SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{path} needs an upgrade to this tfprep's schema, and its folder is read-only; "
                "make the folder writable once and run tfprep again."
            )
        return cls(conn, path)

    @classmethod
    def connect(cls, path: Path | str) -> Store:
        memory = str(path) == ":memory:"
        if not memory:
            path = Path(path)
            if path.exists():
                _probe(path)
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=10.0)
        except sqlite3.Error as exc:
            raise StoreError(
                f"{path}: cannot open the database ({exc}); check the folder or set TFPREP_HOME."
            ) from None
        try:
            cls._check(conn, path)
            if not memory:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"{path} is damaged or not a tfprep database ({exc}); tfprep left it untouched — "
                "move it away or set TFPREP_HOME to another folder."
            ) from None
        return cls(conn, path)

    @staticmethod
    def _check(conn: sqlite3.Connection, path: Path | str) -> None:
        """Read-only checks: ours (or empty), not from a newer tfprep, not damaged."""
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id != 0 or version != 0 or has_tables:
                raise _not_ours(path)
            return  # an empty database: ours to initialise
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer tfprep (schema v{version}, this one knows v{SCHEMA_VERSION}); "
                "upgrade tfprep (pip install -U tfprep)."
            )
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _not_ours(path, f"is damaged ({problems[0]})")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed (durably: WAL + synchronous=FULL) when the block ends."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"{self.path}: cannot write ({exc}); is another tfprep busy with it? Try again."
            ) from None
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- cards and reviews ------------------------------------------------------------------------------

    def card_states(self, ids: Iterable[str] | None = None) -> dict[str, str]:
        """card id → stored schedule JSON, for `ids` (all cards when None). New cards are absent."""
        if ids is None:
            return dict(self._conn.execute("SELECT id, state FROM cards"))
        wanted = set(ids)
        return {i: s for i, s in self._conn.execute("SELECT id, state FROM cards") if i in wanted}

    def cards(self) -> list[StoredCard]:
        """Every card reviewed at least once, by id."""
        return [_card(r) for r in self._conn.execute(f"SELECT {_CARD_COLS} FROM cards ORDER BY id")]

    def card(self, card_id: str) -> StoredCard | None:
        row = self._conn.execute(f"SELECT {_CARD_COLS} FROM cards WHERE id = ?", (card_id,)).fetchone()
        return None if row is None else _card(row)

    def record_review(
        self,
        card: Card,
        *,
        rating: int,
        reviewed_at: datetime,
        state_before: str | None,
        state_after: str,
        due: datetime,
        prev_state: int,
        duration_ms: int | None = None,
    ) -> int:
        """Save one rating: the card's new schedule and the review, in one committed transaction.

        `card` is the bank card (its question, deck, source and tags are kept for stats). Returns the review id.
        """
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, got {rating!r}")
        now = _ts(reviewed_at)
        with self._tx() as conn:
            conn.execute(
                """
                INSERT INTO cards (id, state, due, question, deck, source, line, tags, lang, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    state = excluded.state, due = excluded.due, question = excluded.question,
                    deck = excluded.deck, source = excluded.source, line = excluded.line,
                    tags = excluded.tags, lang = excluded.lang, updated_at = excluded.updated_at
                """,
                (
                    card.id,
                    state_after,
                    _ts(due),
                    card.question,
                    card.deck,
                    card.source,
                    card.line,
                    json.dumps(list(card.tags), ensure_ascii=False),
                    card.lang,
                    now,
                ),
            )
            cur = conn.execute(
                """
                INSERT INTO reviews (card_id, rating, reviewed_at, duration_ms, prev_state, state_before, state_after)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                (card.id, rating, now, duration_ms, prev_state, state_before, state_after),
            )
            return int(cur.lastrowid)

    def undo_review(self, review_id: int | None = None) -> Review | None:
        """Undo a review (the most recent one when `review_id` is None): restore the card's previous schedule
        (a card that was new becomes new again) and delete the review. Only the latest review of a card can
        be undone. Returns the undone review, or None when there is nothing to undo."""
        with self._tx() as conn:
            if review_id is None:
                row = conn.execute(f"SELECT {_REVIEW_COLS} FROM reviews ORDER BY id DESC LIMIT 1").fetchone()
            else:
                row = conn.execute(
                    f"SELECT {_REVIEW_COLS} FROM reviews WHERE id = ?", (review_id,)
                ).fetchone()
            if row is None:
                return None
            rev = _review(row)
            latest = conn.execute("SELECT max(id) FROM reviews WHERE card_id = ?", (rev.card_id,)).fetchone()[
                0
            ]
            if latest != rev.id:
                raise StoreError(
                    f"review {rev.id} is not the latest review of {rev.card_id}; undo the later ones first."
                )
            conn.execute("DELETE FROM reviews WHERE id = ?", (rev.id,))
            if rev.state_before is None:
                conn.execute("DELETE FROM cards WHERE id = ?", (rev.card_id,))
            else:
                due = json.loads(rev.state_before)["due"]
                conn.execute(
                    "UPDATE cards SET state = ?, due = ? WHERE id = ?",
                    (rev.state_before, _ts(datetime.fromisoformat(due)), rev.card_id),
                )
            return rev

    def reviews(self, card_id: str | None = None, since: datetime | None = None) -> list[Review]:
        """Reviews in the order they were made, optionally of one card and/or since a time."""
        sql, args = f"SELECT {_REVIEW_COLS} FROM reviews WHERE 1", []
        if card_id is not None:
            sql += " AND card_id = ?"
            args.append(card_id)
        if since is not None:
            sql += " AND reviewed_at >= ?"
            args.append(_ts(since))
        return [_review(r) for r in self._conn.execute(sql + " ORDER BY id", args)]

    def last_ratings(self) -> dict[str, tuple[int, datetime]]:
        """card id → (rating, reviewed_at) of its latest review (what `tfprep mock` calls weak: a recent Again)."""
        rows = self._conn.execute(
            """
            SELECT r.card_id, r.rating, r.reviewed_at FROM reviews r
            JOIN (SELECT card_id, max(id) AS last FROM reviews GROUP BY card_id) m ON r.id = m.last
            """
        )
        return {cid: (rating, _dt(at)) for cid, rating, at in rows}

    def review_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM reviews").fetchone()[0]

    def new_cards_since(self, since: datetime) -> int:
        """How many cards had their first review at or after `since` (the daily new-card budget spent)."""
        return self._conn.execute(
            "SELECT count(*) FROM reviews WHERE prev_state = 0 AND reviewed_at >= ?", (_ts(since),)
        ).fetchone()[0]

    # -- drill attempts (v2) ----------------------------------------------------------------------------

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
    ) -> int:
        """Save one graded attempt, with the submitted code. Returns its id."""
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
            return int(cur.lastrowid)

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

    # -- mock sessions (v3) -----------------------------------------------------------------------------

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


_CARD_COLS = "id, state, due, question, deck, source, line, tags, lang, updated_at"
_REVIEW_COLS = "id, card_id, rating, reviewed_at, duration_ms, prev_state, state_before, state_after"
_MOCK_COLS = "id, round, lang, started_at, ended_at, complete, score, report"


def _card(r: tuple) -> StoredCard:
    return StoredCard(
        id=r[0],
        state=r[1],
        due=_dt(r[2]),
        question=r[3],
        deck=r[4],
        source=r[5],
        line=r[6],
        tags=tuple(json.loads(r[7] or "[]")),
        lang=r[8],
        updated_at=_dt(r[9]),
    )


def _review(r: tuple) -> Review:
    return Review(
        id=r[0],
        card_id=r[1],
        rating=r[2],
        reviewed_at=_dt(r[3]),
        duration_ms=r[4],
        prev_state=r[5],
        state_before=r[6],
        state_after=r[7],
    )


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
