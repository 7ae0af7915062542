"""The drill rating rule (tfprep.drill_schedule) and practices against a real store (tfprep.practice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tfprep import drill_schedule as ds
from tfprep import practice, srs

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class FakeDrill:
    slug: str = "softmax"
    difficulty: int = 2
    expected_minutes: float | None = None


@dataclass(frozen=True)
class A:
    drill: str
    verdict: str
    created_at: datetime
    duration_s: float | None = None

    @property
    def solved(self) -> bool:
        return self.verdict == "accepted"


@dataclass(frozen=True)
class E:
    drill: str
    kind: str
    at: datetime


@dataclass(frozen=True)
class R:
    drill: str
    reviewed_at: datetime


def test_expected_time_comes_from_drill_toml_or_difficulty():
    assert ds.expected_seconds(FakeDrill(difficulty=1)) == 600
    assert ds.expected_seconds(FakeDrill(difficulty=3)) == 1800
    assert ds.expected_seconds(FakeDrill(difficulty=3, expected_minutes=12)) == 720


def _practice(attempts=(), hints=0, solution=False) -> ds.Practice:
    return ds.Practice("softmax", True, T0, tuple(attempts), hints, solution)


@pytest.mark.parametrize(
    ("attempts", "hints", "solution", "solve_s", "expected"),
    [
        ([], 0, False, 5 * 60, (srs.EASY, "fast")),  # half of 20 min is 10 min
        ([], 0, False, 10 * 60, (srs.EASY, "fast")),  # the boundary is inclusive
        ([], 0, False, 10 * 60 + 1, (srs.GOOD, "first-try")),
        ([], 0, False, 20 * 60, (srs.GOOD, "first-try")),
        ([], 0, False, 20 * 60 + 1, (srs.HARD, "slow")),
        ([], 0, False, None, (srs.GOOD, "first-try")),  # time unknown: no Easy, no Hard
        ([A("softmax", "wrong_answer", T0)], 0, False, 60, (srs.HARD, "retries")),
        ([], 1, False, 60, (srs.HARD, "hints")),
        ([A("softmax", "internal_error", T0)], 0, False, 60, (srs.EASY, "fast")),  # not the user's fault
        ([], 0, True, 60, (srs.AGAIN, "solution")),
    ],
)
def test_rating_rule(attempts, hints, solution, solve_s, expected):
    assert ds.rate_accepted(_practice(attempts, hints, solution), solve_s, 20 * 60) == expected


def test_a_practice_opens_with_a_fresh_starter_after_the_last_review():
    attempts = [
        A("softmax", "wrong_answer", T0),
        A("softmax", "accepted", T0 + timedelta(minutes=5)),  # rated by the review below
        A("softmax", "wrong_answer", T0 + timedelta(days=3, minutes=2)),
        A("other", "wrong_answer", T0 + timedelta(days=3, minutes=3)),
    ]
    events = [
        E("softmax", "start", T0 - timedelta(minutes=1)),
        E("softmax", "hint", T0 + timedelta(minutes=1)),
        E("softmax", "start", T0 + timedelta(days=3)),
    ]
    reviews = [R("softmax", T0 + timedelta(minutes=5))]
    p = ds.practice_of("softmax", attempts, events, reviews)
    assert p.open and p.started_at == T0 + timedelta(days=3)
    assert [a.created_at for a in p.attempts] == [T0 + timedelta(days=3, minutes=2)]
    assert p.hints == 0 and p.failed == 1 and not p.accepted
    # before the second start: closed (a re-grade of the solved file is a re-run, not a recall)
    closed = ds.practice_of("softmax", attempts[:2], events[:2], reviews)
    assert not closed.open and closed.attempts == ()


def test_a_drill_never_rated_is_open_from_the_beginning():
    p = ds.practice_of("softmax", [A("softmax", "wrong_answer", T0)], [E("softmax", "hint", T0)], [])
    assert p.open and p.started_at is None and p.failed == 1 and p.hints == 1


def test_drills_never_come_back_the_same_day():
    sched = ds.make_scheduler(fuzz=False)
    for rating in (srs.AGAIN, srs.HARD, srs.GOOD, srs.EASY):
        after = srs.review(sched, None, rating, T0)
        assert after.due - T0 >= timedelta(days=1), rating
    again = srs.review(sched, srs.review(sched, None, srs.GOOD, T0), srs.AGAIN, T0 + timedelta(days=3))
    assert again.due - (T0 + timedelta(days=3)) >= timedelta(days=1)


def test_solves_made_before_scheduling_are_adopted_as_good():
    sched = ds.make_scheduler(fuzz=False)
    attempts = [A("rope", "wrong_answer", T0), A("rope", "accepted", T0 + timedelta(hours=1))]
    states = ds.effective_states({}, attempts, sched)
    assert set(states) == {"rope"}
    assert states["rope"].due == srs.review(sched, None, srs.GOOD, T0 + timedelta(hours=1)).due
    three_weeks = T0 + timedelta(days=21)
    assert ds.due_drills(states, three_weeks, three_weeks + timedelta(hours=1)) == ["rope"]


# -- against the store ------------------------------------------------------------------------------


def grade(store, verdict: str, at: datetime, duration_s: float | None = None, drill=FakeDrill()):
    return practice.record_grade(
        store,
        drill,
        verdict=verdict,
        accepted=verdict == "accepted",
        passed=1,
        total=1,
        duration_s=duration_s,
        seed=None,
        now=at,
        path="/w/softmax.py",
        code="x = 1",
    )


def test_first_accepted_grade_rates_and_saves_the_schedule_with_the_attempt(mem_store):
    mem_store.record_drill_event("softmax", "start", at=T0)
    review = grade(mem_store, "accepted", T0 + timedelta(minutes=4), duration_s=240)
    assert (review.rating, review.reason, review.grades) == (srs.EASY, "fast", 1)
    (row,) = mem_store.drill_reviews()
    (attempt,) = mem_store.attempts()
    assert row.attempt_id == attempt.id and row.solve_s == 240 and row.started_at == T0
    assert mem_store.drill_states()["softmax"] == review.state_after
    # grading the solved file again changes nothing: no new practice was started
    assert grade(mem_store, "accepted", T0 + timedelta(minutes=6), duration_s=360) is None
    assert len(mem_store.drill_reviews()) == 1 and len(mem_store.attempts()) == 2


def test_failed_grades_and_hints_make_it_hard(mem_store):
    mem_store.record_drill_event("softmax", "start", at=T0)
    assert grade(mem_store, "wrong_answer", T0 + timedelta(minutes=2)) is None
    mem_store.record_drill_event("softmax", "hint", at=T0 + timedelta(minutes=3))
    review = grade(mem_store, "accepted", T0 + timedelta(minutes=5), duration_s=300)
    assert (review.rating, review.reason, review.grades, review.hints) == (srs.HARD, "hints", 2, 1)


def test_solution_before_solving_is_again_and_after_is_nothing(mem_store):
    mem_store.record_drill_event("softmax", "start", at=T0)
    review = practice.solution_shown(mem_store, "softmax", T0 + timedelta(minutes=5))
    assert review.rating == srs.AGAIN and review.reason == "solution"
    assert practice.solution_shown(mem_store, "softmax", T0 + timedelta(minutes=6)) is None
    assert [r.rating for r in mem_store.drill_reviews()] == [srs.AGAIN]


def test_give_up_is_again_and_the_drill_is_due_tomorrow_from_a_blank_starter(mem_store):
    mem_store.record_drill_event("softmax", "start", at=T0)
    review = practice.give_up(mem_store, "softmax", T0 + timedelta(minutes=30))
    assert review.rating == srs.AGAIN and review.reason == "gave-up"
    end_today = srs.day_end(T0, UTC)
    assert not practice.needs_fresh_starter(mem_store, "softmax", T0 + timedelta(hours=1), end_today)
    tomorrow = T0 + timedelta(days=1, hours=1)
    assert practice.needs_fresh_starter(mem_store, "softmax", tomorrow, srs.day_end(tomorrow, UTC))
    mem_store.record_drill_event("softmax", "start", at=tomorrow)  # the review has started: no second reset
    assert not practice.needs_fresh_starter(mem_store, "softmax", tomorrow, srs.day_end(tomorrow, UTC))
