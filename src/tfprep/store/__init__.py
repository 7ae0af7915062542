"""The review database: `$TFPREP_HOME/tfprep.db`. The only package that opens SQLite.

One module per job: `schema` (the migrations, `PRAGMA user_version`), `connection` (opening safely, one
transaction per write), and one module per group of tables — `cards` (cards and reviews, v1), `attempts`
(graded drill attempts, v2), `mock_sessions` (v3), `drill_reviews` (drill schedules, reviews and practice
events, v4) and `day_sessions` (the state of `tfprep today`, v4). `Store` has the methods of all of them.
"""

from __future__ import annotations

from tfprep.store.attempts import Attempt, AttemptsMixin
from tfprep.store.cards import CardsMixin, Review, StoredCard
from tfprep.store.day_sessions import DaySession, DaySessionsMixin
from tfprep.store.drill_reviews import DrillEvent, DrillReview, DrillReviewsMixin, DrillReviewWrite
from tfprep.store.mock_sessions import MockSession, MockSessionsMixin
from tfprep.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, SOLVED_VERDICTS, migrate


class Store(CardsMixin, AttemptsMixin, DrillReviewsMixin, MockSessionsMixin, DaySessionsMixin):
    """A connection to the review database. Use `Store.open(paths)`; `Store.connect(":memory:")` in tests."""


__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SOLVED_VERDICTS",
    "Attempt",
    "DaySession",
    "DrillEvent",
    "DrillReview",
    "DrillReviewWrite",
    "MockSession",
    "Review",
    "Store",
    "StoredCard",
    "migrate",
]
