"""store.py additions for mock rounds: the latest rating per card, the latest (complete) mock session,
sessions since a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tfprep import srs
from tfprep.bank.model import Card

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def rate(store, card_id: str, rating: int, at: datetime) -> None:
    card = Card(id=card_id, question="?", answer="", line=1)
    before = store.card_states([card_id]).get(card_id)
    state = srs.state_from_json(before) if before else None
    after = srs.review(srs.make_scheduler(fuzz=False), state, rating, at)
    store.record_review(
        card, rating=rating, reviewed_at=at, state_before=before, state_after=srs.state_to_json(after),
        due=after.due, prev_state=srs.state_kind(state),
    )  # fmt: skip


def test_last_ratings(mem_store):
    assert mem_store.last_ratings() == {}
    rate(mem_store, "a", 3, T0)
    rate(mem_store, "b", 4, T0 + timedelta(minutes=1))
    rate(mem_store, "a", 1, T0 + timedelta(days=2))
    assert mem_store.last_ratings() == {"a": (1, T0 + timedelta(days=2)), "b": (4, T0 + timedelta(minutes=1))}
    mem_store.undo_review()
    assert mem_store.last_ratings()["a"] == (3, T0)


def test_latest_mock_session_and_sessions_since(mem_store):
    assert mem_store.latest_mock_session() is None
    mem_store.save_mock_session("old", round="r", started_at=T0, complete=True, score=50.0)
    mem_store.save_mock_session(
        "mid", round="r", started_at=T0 + timedelta(days=1), complete=True, score=70.0
    )
    mem_store.save_mock_session("new", round="r", started_at=T0 + timedelta(days=2), complete=False)
    assert mem_store.latest_mock_session().id == "mid"
    assert mem_store.latest_mock_session(complete_only=False).id == "new"
    assert [m.id for m in mem_store.mock_sessions_since(T0 + timedelta(hours=1))] == ["new", "mid"]
    assert mem_store.mock_sessions_since(T0 + timedelta(days=3)) == []


def test_additions_work_on_a_database_file(store):
    rate(store, "a", 2, T0)
    store.save_mock_session("s", round="r", started_at=T0, complete=True, score=1.0, report={"topics": {}})
    assert store.last_ratings() == {"a": (2, T0)}
    assert store.latest_mock_session().report == {"topics": {}}
