"""The study loop: failed or slow drills and weak mock topics become tag boosts that bring related cards
forward (in the mock planner and in the quiz's new cards). Also the session id. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from tfprep.mock.focus import StudyFocus
from tfprep.mock.health import RECENT
from tfprep.mock.plan import DrillLike
from tfprep.mock.report import WEAK_TOPIC

if TYPE_CHECKING:
    from tfprep.bank.model import Card

SLOW_PER_DIFFICULTY_S = 600.0  # a solved drill is slow when it took longer than difficulty × 10 min


class AttemptLike(Protocol):
    drill: str
    duration_s: float | None
    created_at: datetime

    @property
    def solved(self) -> bool: ...


class SessionLike(Protocol):
    started_at: datetime
    report: dict[str, Any]


def study_focus(
    attempts: Sequence[AttemptLike],
    drills: Sequence[DrillLike],
    sessions: Sequence[SessionLike],
    now: datetime,
    *,
    recent: timedelta = RECENT,
) -> StudyFocus:
    """Tags to bring forward, from the last `recent` days:
    - a drill whose latest attempt failed: its drill.toml tags, weight 1.0;
    - a drill solved slowly (its first pass took longer than difficulty × 10 min): its tags, weight 0.5;
    - a topic that scored under WEAK_TOPIC in one of the last three mock sessions: weight 0.5–1.0 (lower
      score, more weight)."""
    focus = StudyFocus()
    by_slug = {d.slug: d for d in drills}
    latest: dict[str, AttemptLike] = {}
    first_pass: dict[str, AttemptLike] = {}
    for a in attempts:  # in the order they were made
        if now - a.created_at > recent:
            continue
        latest[a.drill] = a
        if a.solved and a.drill not in first_pass:
            first_pass[a.drill] = a
    for slug, a in latest.items():
        d = by_slug.get(slug)
        tags = list(d.tags) if d else []
        if d and d.topic not in tags:
            tags.append(d.topic)
        if not a.solved:
            for t in tags:
                focus.add(t, 1.0, f"drill {slug} failed")
        elif slug in first_pass and d is not None:
            took = first_pass[slug].duration_s
            if took is not None and took > SLOW_PER_DIFFICULTY_S * max(1, d.difficulty):
                for t in tags:
                    focus.add(t, 0.5, f"drill {slug} was slow")
    recent_sessions = sorted(
        (s for s in sessions if now - s.started_at <= recent), key=lambda s: s.started_at, reverse=True
    )[:3]
    for s in recent_sessions:
        for topic, score in (s.report.get("topics") or {}).items():
            if isinstance(score, (int, float)) and score < WEAK_TOPIC:
                focus.add(topic, 0.5 + 0.5 * (WEAK_TOPIC - score) / WEAK_TOPIC, f"mock: {topic} {score:g}")
    return focus


def prefer_related(cards: Sequence[Card], focus: StudyFocus) -> list[Card]:
    """The cards, those related to the focus tags first (strongest boost first); otherwise in bank order.

    `srs.build_queue` takes new cards in the order given, so this brings a failed drill's cards forward among
    the new cards without touching anyone's schedule."""
    if not focus:
        return list(cards)
    keyed = [(-focus.boost(c.tags)[0], i, c) for i, c in enumerate(cards)]
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in keyed]


def session_id(started_at: datetime, round_id: str, taken: Iterable[str] = ()) -> str:
    """`20240501-093012-bytedance-1` (local time given), with `-2`, `-3` … when taken."""
    base = f"{started_at:%Y%m%d-%H%M%S}-{re.sub(r'[^a-z0-9-]+', '-', round_id.lower()).strip('-') or 'round'}"
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
