"""Drills on an FSRS schedule, rated from what tfprep saw — never from a self-rating. Pure: no clock, files or
database (the caller passes `now` and the rows the store returned).

A *practice* of a drill runs from the moment a fresh starter is written (a `start` event: the clock starts)
until it is rated. It is rated once, by the first of:

- an accepted grade (`rate_accepted`):
  - first grade of the practice, no hint, solved within half the expected time  → Easy  (`fast`)
  - first grade of the practice, no hint, solved within the expected time       → Good  (`first-try`)
  - first grade, no hint, but slower than the expected time (or time unknown → Good) → Hard (`slow`)
  - accepted after failed grades, or after a hint                               → Hard  (`retries` / `hints`)
- the reference solution shown before the practice was solved → Again (`solution`);
- `tfprep drill NAME --give-up` (or `g` in `tfprep today`) → Again (`gave-up`).

A failed grade is any verdict but accepted, except `internal_error` (the grader's fault, not the user's).
The solve time is the accepted attempt's `duration_s` (the time since the starter was written, as the store
recorded it). The expected time is `expected_minutes` from drill.toml, else 10 minutes per difficulty level
(1 warm-up → 10 min … 5 hard → 50 min) — the same yardstick the study loop uses for a "slow" drill.

A practice is *open* — an accepted grade will rate it — when the drill has never been rated, or when a fresh
starter was written after its last review. Re-grading a file already accepted (no new starter) changes no
schedule: that is a re-run, not a recall.

Drills use FSRS without learning steps: every interval is at least a day, so a drill never comes back the same
day (Again → tomorrow). A drill solved before tfprep scheduled drills (an accepted attempt, no schedule) counts
as one Good review at its first accepted attempt (`effective_states`), so old solves come back when due.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from tfprep import srs

if TYPE_CHECKING:
    import fsrs

MINUTES_PER_DIFFICULTY = 10.0  # expected minutes per difficulty level when drill.toml sets none
EASY_SHARE = 0.5  # solved within this share of the expected time → Easy
NOT_COUNTED = frozenset({"internal_error"})  # verdicts that are not the user's failure

REASONS = ("fast", "first-try", "slow", "retries", "hints", "solution", "gave-up", "before-scheduling")


class AttemptLike(Protocol):
    drill: str
    verdict: str
    duration_s: float | None
    created_at: datetime

    @property
    def solved(self) -> bool: ...


class EventLike(Protocol):
    drill: str
    kind: str
    at: datetime


class ReviewLike(Protocol):
    drill: str
    reviewed_at: datetime


def expected_seconds(drill: Any) -> float:
    """The time a drill should take: drill.toml's `expected_minutes`, else 10 minutes per difficulty level."""
    minutes = getattr(drill, "expected_minutes", None)
    if not minutes:
        minutes = MINUTES_PER_DIFFICULTY * max(1, int(getattr(drill, "difficulty", 1) or 1))
    return 60.0 * float(minutes)


def make_scheduler(retention: float = srs.DEFAULT_RETENTION, *, fuzz: bool = True) -> fsrs.Scheduler:
    """FSRS for drills: the cards' parameters, no learning steps (never the same day again)."""
    import fsrs

    return fsrs.Scheduler(
        desired_retention=srs.check_retention(retention),
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=fuzz,
    )


@dataclass(frozen=True)
class Practice:
    """The current practice of one drill, from the store's rows."""

    drill: str
    open: bool  # an accepted grade will rate it
    started_at: datetime | None  # when the fresh starter was written (None: before any start event)
    attempts: tuple[Any, ...]  # attempts graded in this practice, oldest first
    hints: int  # hints shown in this practice
    solution: bool  # the reference solution was shown in this practice

    @property
    def failed(self) -> int:
        return sum(1 for a in self.attempts if not a.solved and a.verdict not in NOT_COUNTED)

    @property
    def accepted(self) -> bool:
        return any(a.solved for a in self.attempts)


def practice_of(
    drill: str,
    attempts: Iterable[AttemptLike],
    events: Iterable[EventLike],
    reviews: Iterable[ReviewLike],
) -> Practice:
    """The practice of `drill` now: opened by its last `start` event after its last review (or by nothing, when
    the drill was never rated nor solved), holding the attempts, hints and solution views since."""
    last_review = max((r.reviewed_at for r in reviews if r.drill == drill), default=None)
    if last_review is None:  # a solve from before drills were scheduled counts as a review (effective_states)
        last_review = min((a.created_at for a in attempts if a.drill == drill and a.solved), default=None)
    starts = [e.at for e in events if e.drill == drill and e.kind == "start"]
    last_start = max(starts, default=None)
    if last_review is None or (last_start is not None and last_start > last_review):
        is_open, since = True, last_start
    else:
        is_open, since = False, last_review

    def inside(at: datetime) -> bool:
        return (since is None or at >= since) and (last_review is None or at > last_review)

    mine = tuple(a for a in attempts if a.drill == drill and inside(a.created_at))
    later = [e for e in events if e.drill == drill and inside(e.at)]
    return Practice(
        drill=drill,
        open=is_open,
        started_at=last_start if is_open else None,
        attempts=mine,
        hints=sum(1 for e in later if e.kind == "hint"),
        solution=any(e.kind == "solution" for e in later),
    )


def rate_accepted(practice: Practice, solve_s: float | None, expected_s: float) -> tuple[int, str]:
    """(rating, reason) of a practice that an accepted grade ends. `practice.attempts` are the grades BEFORE the
    accepted one."""
    if practice.solution:
        return srs.AGAIN, "solution"
    if practice.hints:
        return srs.HARD, "hints"
    if practice.failed:
        return srs.HARD, "retries"
    if solve_s is None:
        return srs.GOOD, "first-try"
    if solve_s <= EASY_SHARE * expected_s:
        return srs.EASY, "fast"
    if solve_s <= expected_s:
        return srs.GOOD, "first-try"
    return srs.HARD, "slow"


def effective_states(
    stored: Mapping[str, str], attempts: Sequence[AttemptLike], scheduler: fsrs.Scheduler
) -> dict[str, fsrs.Card]:
    """drill → schedule: the stored ones, plus drills solved before tfprep scheduled drills (one Good review
    at their first accepted attempt)."""
    states = {slug: srs.state_from_json(js) for slug, js in stored.items()}
    for a in attempts:  # oldest first
        if a.drill not in states and a.solved:
            states[a.drill] = srs.review(scheduler, None, srs.GOOD, a.created_at)
    return states


def due_drills(states: Mapping[str, fsrs.Card], now: datetime, end_of_day: datetime) -> list[str]:
    """Drills due today, most overdue first."""
    due = [(srs.utc(s.due), slug) for slug, s in states.items() if srs.is_due(s, now, end_of_day)]
    return [slug for _, slug in sorted(due)]


def retrievability(scheduler: fsrs.Scheduler, state: fsrs.Card, at: datetime) -> float:
    """FSRS's predicted chance of recalling `state` at `at` (0 when it was never reviewed)."""
    return float(scheduler.get_card_retrievability(state, srs.utc(at)))


def focus_on_lapses(
    focus: Any, reviews: Iterable[Any], drills: Sequence[Any], now: datetime, recent: Any
) -> Any:
    """Extend the study loop (`mock.StudyFocus`): a drill rated Again in the last `recent` (given up, or its
    solution shown) brings its tags forward with weight 1.0, like a failed drill. Returns `focus`."""
    by_slug = {d.slug: d for d in drills}
    latest: dict[str, Any] = {}
    for r in reviews:  # oldest first
        if now - r.reviewed_at <= recent:
            latest[r.drill] = r
    for slug, r in latest.items():
        d = by_slug.get(slug)
        if r.rating == srs.AGAIN and d is not None:
            for tag in {*d.tags, d.topic}:
                why = {"gave-up": "given up", "solution": "solution shown"}.get(r.reason, r.reason)
                focus.add(tag, 1.0, f"drill {slug} {why}")
    return focus
