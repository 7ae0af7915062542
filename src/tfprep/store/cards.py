"""Cards and their reviews (schema v1): the schedule of every card reviewed, every rating, undo."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tfprep.errors import StoreError
from tfprep.store.connection import Connection
from tfprep.store.schema import dt as _dt
from tfprep.store.schema import ts as _ts

if TYPE_CHECKING:
    from tfprep.bank.model import Card


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


class CardsMixin(Connection):
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


_CARD_COLS = "id, state, due, question, deck, source, line, tags, lang, updated_at"
_REVIEW_COLS = "id, card_id, rating, reviewed_at, duration_ms, prev_state, state_before, state_after"


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
