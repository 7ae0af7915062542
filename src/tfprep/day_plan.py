"""The plan of a study day: due cards, then due drills, in a suggested order with an estimated time. Pure.

Order: cards first (due, then today's new ones: short, and they warm up the topics), then drills — the ones
the study loop points at first (failed drills and weak mock topics, `StudyFocus`), then the most overdue.
Besides the due drills, at most one drill that is not due joins the plan when the study loop points at it
and it was never solved (a failed drill, or a weak topic's unsolved drill).

Estimates: a card takes the median time of the user's last 200 card reviews (5 s – 2 min; 20 s before any
review); a drill takes the median of the user's solve times of that drill, else its expected time
(`drill_schedule.expected_seconds`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tfprep import drill_schedule as ds
from tfprep import srs

if TYPE_CHECKING:
    import fsrs

DEFAULT_CARD_SECONDS = 20.0
CARD_SECONDS_RANGE = (5.0, 120.0)
RECENT_CARD_REVIEWS = 200
MAX_FOCUS_DRILLS = 1


def card_seconds(durations_ms: Iterable[int | None]) -> float:
    """Seconds per card: the median of the last reviews' durations, clamped; the default before any."""
    known = [d / 1000 for d in durations_ms if d is not None and d > 0][-RECENT_CARD_REVIEWS:]
    if not known:
        return DEFAULT_CARD_SECONDS
    lo, hi = CARD_SECONDS_RANGE
    return min(hi, max(lo, statistics.median(known)))


@dataclass(frozen=True)
class DrillStep:
    slug: str
    kind: str  # "due" (on its schedule) or "focus" (not due; the study loop points at it)
    due: datetime | None
    seconds: float  # estimated time
    reason: str  # why it is here, e.g. "mock: attention 45" or "" (plainly due)
    started: bool = False  # a practice of it is already under way (the session resumes it)

    def to_json(self) -> dict[str, Any]:
        return {
            "drill": self.slug,
            "kind": self.kind,
            "due": None if self.due is None else self.due.isoformat(),
            "minutes": round(self.seconds / 60, 1),
            "reason": self.reason,
            "started": self.started,
        }


@dataclass
class DayPlan:
    cards_due: int = 0
    cards_new: int = 0
    seconds_per_card: float = DEFAULT_CARD_SECONDS
    drills: list[DrillStep] = field(default_factory=list)

    @property
    def cards(self) -> int:
        return self.cards_due + self.cards_new

    @property
    def card_seconds(self) -> float:
        return self.cards * self.seconds_per_card

    @property
    def total_seconds(self) -> float:
        return self.card_seconds + sum(d.seconds for d in self.drills)

    @property
    def empty(self) -> bool:
        return not self.cards and not self.drills

    def to_json(self) -> dict[str, Any]:
        return {
            "cards_due": self.cards_due,
            "cards_new": self.cards_new,
            "card_minutes": round(self.card_seconds / 60, 1),
            "drills": [d.to_json() for d in self.drills],
            "total_minutes": round(self.total_seconds / 60, 1),
        }


def plan_drills(
    drills: Sequence[Any],
    states: Mapping[str, fsrs.Card],
    now: datetime,
    end_of_day: datetime,
    *,
    focus: Any = None,
    solve_times: Mapping[str, Sequence[float]] | None = None,
    started: Iterable[str] = (),
    skipped: Iterable[str] = (),
    failed: Iterable[str] = (),
) -> list[DrillStep]:
    """The drills of the day, in order. `drills`: the installed drills (slug, difficulty, tags, topic);
    `focus`: a `mock.StudyFocus` (or None); `solve_times`: drill → the user's solve times in seconds;
    `started`: drills with a practice under way; `skipped`: drills left out today; `failed`: drills whose
    latest attempt failed (among the drills the loop points at, these come first)."""
    solve_times = solve_times or {}
    started, skipped, failed = set(started), set(skipped), set(failed)

    def boost(d: Any) -> tuple[float, str]:
        if not focus:
            return 0.0, ""
        return focus.boost([*getattr(d, "tags", ()), getattr(d, "topic", "")])

    def seconds(d: Any) -> float:
        times = [t for t in solve_times.get(d.slug, ()) if t and t > 0]
        return statistics.median(times) if times else ds.expected_seconds(d)

    steps: list[tuple[tuple, DrillStep]] = []
    extra: list[tuple[tuple, DrillStep]] = []
    for order, d in enumerate(drills):
        weight, why = boost(d)
        state = states.get(d.slug)
        if state is not None and srs.is_due(state, now, end_of_day):
            due = srs.utc(state.due)
            step = DrillStep(d.slug, "due", due, seconds(d), why, d.slug in started)
            steps.append(((-weight, due, order), step))
        elif state is None and weight > 0:
            key = (d.slug not in failed, -weight, order)
            extra.append((key, DrillStep(d.slug, "focus", None, seconds(d), why, d.slug in started)))
    steps.sort(key=lambda t: t[0])
    extra.sort(key=lambda t: t[0])
    chosen = [s for _, s in steps] + [s for _, s in extra[:MAX_FOCUS_DRILLS]]
    return [s for s in chosen if s.slug not in skipped]  # a skipped drill is not replaced by another


def plan_day(
    *,
    cards_due: int,
    cards_new: int,
    card_durations_ms: Iterable[int | None],
    drills: list[DrillStep],
) -> DayPlan:
    return DayPlan(cards_due, cards_new, card_seconds(card_durations_ms), drills)
