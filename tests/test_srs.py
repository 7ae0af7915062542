"""srs.py: scheduling, previews, queue choice and statistics, on a fixed clock without fuzz."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfprep import srs
from tfprep.bank.model import Card
from tfprep.errors import TfprepError

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
EOD = srs.day_end(T0, UTC)


def card(i: int | str, tags: tuple[str, ...] = ()) -> Card:
    return Card(id=f"c{i}", question=f"Q{i}?", answer=f"A{i}", line=1, tags=tags)


@pytest.fixture
def sched():
    return srs.make_scheduler(0.9, fuzz=False)


def graduated(sched, when: datetime = T0):
    """A card rated Easy when new: in the Review state, due 8 days later."""
    return srs.review(sched, None, srs.EASY, when)


def test_new_card_intervals_are_ordered(sched):
    iv = srs.preview(sched, None, T0)
    assert iv[1] < iv[2] < iv[3] < iv[4]
    # fsrs defaults: learning steps 1m and 10m; Easy graduates a new card straight to days
    assert iv[1] == timedelta(minutes=1)
    assert iv[3] == timedelta(minutes=10)
    assert iv[4] >= timedelta(days=1)


def test_review_card_intervals_are_ordered(sched):
    state = graduated(sched)
    iv = srs.preview(sched, state, state.due)
    assert iv[1] < iv[2] < iv[3] < iv[4]
    assert iv[1] < timedelta(days=1) <= iv[2]  # Again relearns within the day; the others are days away


@settings(max_examples=60, deadline=None)
@given(
    ratings=st.lists(st.integers(1, 4), min_size=0, max_size=8),
    gaps=st.lists(st.integers(0, 60 * 24 * 40), min_size=8, max_size=8),
)
def test_intervals_never_decrease_with_the_rating(ratings, gaps):
    sched = srs.make_scheduler(0.9, fuzz=False)
    state, now = None, T0
    for rating, gap in zip(ratings, gaps, strict=False):
        state = srs.review(sched, state, rating, now)
        now = now + timedelta(minutes=gap)
    iv = srs.preview(sched, state, now)
    assert iv[1] <= iv[2] <= iv[3] <= iv[4]
    assert iv[1] < iv[4]


def test_preview_ignores_fuzz():
    fuzzy = srs.make_scheduler(0.9, fuzz=True)
    plain = srs.make_scheduler(0.9, fuzz=False)
    state = graduated(plain)
    later = state.due + timedelta(days=30)
    assert srs.preview(fuzzy, state, later) == srs.preview(plain, state, later)


def test_higher_retention_gives_shorter_intervals():
    lo, hi = srs.make_scheduler(0.8, fuzz=False), srs.make_scheduler(0.97, fuzz=False)
    assert srs.preview(hi, None, T0)[4] < srs.preview(lo, None, T0)[4]


@pytest.mark.parametrize("bad", [0.0, 0.5, 0.995, 1.0, 1.5, -0.9])
def test_retention_out_of_range_is_a_user_error(bad):
    with pytest.raises(TfprepError, match="--retention"):
        srs.make_scheduler(bad)


def test_state_json_round_trip(sched):
    state = srs.review(sched, graduated(sched), srs.HARD, T0 + timedelta(days=8))
    back = srs.state_from_json(srs.state_to_json(state))
    assert back.to_dict() == state.to_dict()
    assert back.due.tzinfo is not None


def test_garbage_state_json_is_a_user_error():
    with pytest.raises(TfprepError):
        srs.state_from_json('{"nope": 1}')


def test_review_requires_aware_datetimes(sched):
    with pytest.raises(ValueError, match="naive"):
        srs.review(sched, None, 3, datetime(2024, 1, 1))
    # any timezone is fine: converted to UTC for fsrs
    local = T0.astimezone(ZoneInfo("Asia/Shanghai"))
    assert srs.review(sched, None, 3, local).last_review == T0


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (timedelta(seconds=20), "<1m"),
        (timedelta(minutes=1), "<1m"),
        (timedelta(minutes=5, seconds=30), "<6m"),
        (timedelta(minutes=10), "<10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=8), "8d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=60), "2mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_format_interval(delta, label):
    assert srs.format_interval(delta) == label


def test_rating_labels(sched):
    assert (
        srs.rating_labels(srs.preview(sched, None, T0)) == "1 Again <1m  2 Hard <6m  3 Good <10m  4 Easy 8d"
    )


# -- queue ---------------------------------------------------------------------------------------------


def test_due_cards_come_first_most_overdue_first(sched):
    cards = [card(i) for i in range(6)]
    states = {
        "c1": graduated(sched, T0 - timedelta(days=9)),  # due 1 day ago
        "c3": graduated(sched, T0 - timedelta(days=20)),  # due 12 days ago: most overdue
        "c4": graduated(sched, T0 - timedelta(days=1)),  # due in 7 days: not due
    }
    q = srs.build_queue(cards, states, T0, end_of_day=EOD, new_left=10)
    assert [i.card.id for i in q.items] == ["c3", "c1", "c0", "c2", "c5"]
    assert [i.kind for i in q.items] == ["due", "due", "new", "new", "new"]
    assert (q.due, q.new, q.due_total, q.new_total) == (2, 3, 2, 3)
    assert q.next_due == states["c4"].due


def test_new_cards_are_capped_per_day_and_limit_caps_all(sched):
    cards = [card(i) for i in range(30)]
    states = {"c29": graduated(sched, T0 - timedelta(days=10))}
    q = srs.build_queue(cards, states, T0, end_of_day=EOD, new_left=20)
    assert q.due == 1 and q.new == 20 and q.new_total == 29
    assert [i.card.id for i in q.items][:3] == ["c29", "c0", "c1"]  # new cards keep bank order
    assert srs.build_queue(cards, states, T0, end_of_day=EOD, new_left=0).new == 0
    limited = srs.build_queue(cards, states, T0, end_of_day=EOD, new_left=20, limit=5)
    assert len(limited.items) == 5 and limited.items[0].kind == "due"


def test_review_cards_due_later_today_are_due_learning_cards_only_when_close(sched):
    review_card = graduated(sched, T0 - timedelta(days=8) + timedelta(hours=5))  # due at 14:00 today
    learning_soon = srs.review(sched, None, srs.GOOD, T0 - timedelta(minutes=5))  # due in 5 min
    learning_late = srs.review(sched, None, srs.GOOD, T0)  # due in 10 min ... within LEARN_AHEAD
    states = {"c0": review_card, "c1": learning_soon, "c2": learning_late}
    q = srs.build_queue([card(0), card(1), card(2)], states, T0, end_of_day=EOD, new_left=0)
    assert {i.card.id for i in q.items} == {"c0", "c1", "c2"}
    # an hour before, the learning cards are not due yet, the review card (later today) is
    q = srs.build_queue(
        [card(0), card(1), card(2)], states, T0 - timedelta(hours=1), end_of_day=EOD, new_left=0
    )
    assert [i.card.id for i in q.items] == ["c0"]


def test_should_requeue_learning_steps_only(sched):
    assert srs.should_requeue(srs.review(sched, None, srs.AGAIN, T0), T0)
    assert srs.should_requeue(srs.review(sched, None, srs.GOOD, T0), T0)
    assert not srs.should_requeue(srs.review(sched, None, srs.EASY, T0), T0)


def test_cram_takes_every_card_in_bank_order(sched):
    cards = [card(i) for i in range(5)]
    states = {"c2": graduated(sched), "c4": graduated(sched)}  # not due
    before = {k: v.to_dict() for k, v in states.items()}
    q = srs.build_queue(cards, states, T0, end_of_day=EOD, new_left=0, cram=True)
    assert [i.card.id for i in q.items] == ["c0", "c1", "c2", "c3", "c4"]
    assert {i.kind for i in q.items} == {"cram"}
    assert srs.build_queue(cards, states, T0, end_of_day=EOD, cram=True, limit=2).items[1].card.id == "c1"
    assert {k: v.to_dict() for k, v in states.items()} == before


def test_day_bounds_follow_the_local_timezone():
    shanghai = ZoneInfo("Asia/Shanghai")  # UTC+8
    now = datetime(2024, 5, 1, 20, 0, tzinfo=UTC)  # 04:00 on 2 May in Shanghai
    assert srs.day_start(now, shanghai) == datetime(2024, 5, 1, 16, 0, tzinfo=UTC)
    assert srs.day_end(now, shanghai) == datetime(2024, 5, 2, 16, 0, tzinfo=UTC)
    assert srs.day_end(now, None) == datetime(2024, 5, 2, 0, 0, tzinfo=UTC)


# -- statistics ----------------------------------------------------------------------------------------


def rr(cid: str, rating: int, at: datetime, prev: int = srs.REVIEW) -> srs.ReviewRow:
    return srs.ReviewRow(card_id=cid, rating=rating, reviewed_at=at, prev_state=prev)


def test_retention_counts_only_reviews_of_graduated_cards():
    rows = [
        rr("a", 1, T0, srs.NEW),  # new: not counted
        rr("a", 1, T0, srs.LEARNING),  # learning: not counted
        rr("a", 3, T0, srs.REVIEW),
        rr("a", 2, T0, srs.REVIEW),
        rr("a", 1, T0, srs.REVIEW),
        rr("a", 4, T0, srs.REVIEW),
    ]
    assert srs.retention_of(rows) == (0.75, 4)
    assert srs.retention_of(rows[:2]) == (None, 0)


def test_streak_counts_back_from_today_or_yesterday():
    d = T0.date()
    days = [d, d - timedelta(days=1), d - timedelta(days=2), d - timedelta(days=4)]
    assert srs.streak(days, d) == 3
    assert srs.streak(days[1:], d) == 2  # nothing yet today: the streak is still alive
    assert srs.streak([d - timedelta(days=2)], d) == 0
    assert srs.streak([], d) == 0


def test_compute_stats(sched):
    now = T0
    cards = [
        srs.CardRow("a", now - timedelta(hours=1), ("attention",)),  # overdue
        srs.CardRow("b", now + timedelta(hours=3), ("attention", "softmax")),  # later today
        srs.CardRow("c", now + timedelta(days=2), ("normalization",)),
        srs.CardRow("d", now + timedelta(days=30), ()),
    ]
    reviews = [
        rr("a", 3, now - timedelta(days=1), srs.NEW),
        rr("a", 1, now - timedelta(hours=2), srs.REVIEW),
        rr("b", 3, now - timedelta(hours=1), srs.REVIEW),
        rr("c", 4, now - timedelta(days=3), srs.REVIEW),
    ]
    s = srs.compute_stats(cards, reviews, now, UTC)
    assert (s["reviews"], s["cards"], s["due"], s["due_now"], s["reviews_today"]) == (4, 4, 2, 1, 2)
    assert s["retention"] == pytest.approx(2 / 3) and s["retention_reviews"] == 3
    assert s["streak"] == 2
    assert [f["due"] for f in s["forecast"]] == [2, 0, 1, 0, 0, 0, 0]
    assert s["forecast"][0]["date"] == "2024-05-01"
    assert s["topics"]["attention"] == {"cards": 2, "reviews": 3, "retention": 0.5, "retention_reviews": 2}
    assert s["topics"]["normalization"]["retention"] == 1.0
    assert s["heatmap"][-1] == {"date": "2024-05-01", "reviews": 2}
    assert len(s["heatmap"]) == 7 * (srs.HEATMAP_WEEKS - 1) + T0.weekday() + 1
    assert datetime.fromisoformat(s["heatmap"][0]["date"]).weekday() == 0  # weeks start on Monday
    assert s["next_due"] == (now + timedelta(hours=3)).isoformat()
