"""Drill practices against the store: read a drill's practice, rate it by the rule in `tfprep.drill_schedule`,
and save the rating in the same transaction as what caused it. Used by `tfprep grade`, `tfprep drill`,
`tfprep solution` and `tfprep today`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tfprep import drill_schedule as ds
from tfprep import srs

if TYPE_CHECKING:
    import fsrs

    from tfprep.store import DrillReviewWrite, Store


def drill_states(store: Store, scheduler: fsrs.Scheduler | None = None) -> dict[str, fsrs.Card]:
    """drill slug → schedule (stored, or adopted from a solve made before drills were scheduled)."""
    return ds.effective_states(
        store.drill_states(), store.attempts(), scheduler or ds.make_scheduler(fuzz=False)
    )


def current_practice(store: Store, slug: str) -> ds.Practice:
    return ds.practice_of(slug, store.attempts(slug), store.drill_events(slug), store.drill_reviews(slug))


def _review(
    store: Store, slug: str, rating: int, reason: str, now: datetime, practice: ds.Practice, **extra: Any
) -> DrillReviewWrite:
    from tfprep.store import DrillReviewWrite

    before = drill_states(store).get(slug)
    after = srs.review(ds.make_scheduler(), before, rating, now)
    return DrillReviewWrite(
        drill=slug,
        rating=rating,
        reason=reason,
        reviewed_at=now,
        state_before=None if before is None else srs.state_to_json(before),
        state_after=srs.state_to_json(after),
        due=after.due,
        prev_state=srs.state_kind(before),
        started_at=practice.started_at,
        hints=practice.hints,
        **extra,
    )


def record_grade(
    store: Store,
    drill: Any,
    *,
    verdict: str,
    accepted: bool,
    passed: int,
    total: int,
    duration_s: float | None,
    seed: int | None,
    now: datetime,
    path: str,
    code: str,
) -> DrillReviewWrite | None:
    """Save a graded attempt; when it is accepted and ends an open practice, its drill review too — one
    transaction. Returns the review saved (None when the schedule did not change)."""
    review = None
    if accepted:
        practice = current_practice(store, drill.slug)
        if practice.open:
            solve_s = duration_s
            if solve_s is None and practice.started_at is not None:
                solve_s = (now - practice.started_at).total_seconds()
            rating, reason = ds.rate_accepted(practice, solve_s, ds.expected_seconds(drill))
            review = _review(
                store,
                drill.slug,
                rating,
                reason,
                now,
                practice,
                solve_s=solve_s,
                grades=len(practice.attempts) + 1,
            )
    store.record_attempt(
        drill.slug,
        verdict=verdict,
        passed=passed,
        total=total,
        duration_s=duration_s,
        seed=seed,
        created_at=now,
        submission_path=path,
        code=code,
        review=review,
    )
    return review


def give_up(store: Store, slug: str, now: datetime) -> DrillReviewWrite:
    """Rate the drill Again (given up): it comes back tomorrow, from a blank starter."""
    practice = current_practice(store, slug)
    review = _review(store, slug, srs.AGAIN, "gave-up", now, practice, grades=len(practice.attempts))
    store.record_drill_review(review)
    return review


def solution_shown(store: Store, slug: str, now: datetime) -> DrillReviewWrite | None:
    """Record that the reference was shown; before the open practice was solved, that rates it Again."""
    practice = current_practice(store, slug)
    store.record_drill_event(slug, "solution", at=now)
    if not practice.open or practice.accepted:
        return None
    review = _review(store, slug, srs.AGAIN, "solution", now, practice, grades=len(practice.attempts))
    store.record_drill_review(review)
    return review


def needs_fresh_starter(store: Store, slug: str, now: datetime, end_of_day: datetime) -> bool:
    """Whether `tfprep drill` should start a review from a blank starter: the drill is due and no practice of
    it has started since its last review."""
    state = drill_states(store).get(slug)
    if state is None or not srs.is_due(state, now, end_of_day):
        return False
    return not current_practice(store, slug).open
