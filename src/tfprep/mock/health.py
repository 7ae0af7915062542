"""How well the user knows a card (from its FSRS schedule and last rating), and how much it needs asking."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

LOW_STABILITY_DAYS = 7.0  # stability below this adds need (1 day → +0.86, 7 days → 0)
RECENT = timedelta(days=14)  # an Again this recent counts; drills and mocks this recent feed the study loop


@dataclass(frozen=True)
class CardHealth:
    """How well the user knows a card (from its FSRS schedule and its last rating)."""

    new: bool = True
    due: bool = False
    stability: float | None = None  # days
    last_rating: int | None = None
    again_recent: bool = False  # last rated Again within RECENT


def card_health(
    states: Mapping[str, Any],
    last_ratings: Mapping[str, tuple[int, datetime]],
    now: datetime,
    end_of_day: datetime,
) -> dict[str, CardHealth]:
    """card id → CardHealth, for the cards with a stored schedule (`states`: id → fsrs.Card)."""
    from tfprep import srs

    out: dict[str, CardHealth] = {}
    for cid, state in states.items():
        rating, at = last_ratings.get(cid, (None, None))
        out[cid] = CardHealth(
            new=False,
            due=srs.is_due(state, now, end_of_day),
            stability=getattr(state, "stability", None),
            last_rating=rating,
            again_recent=rating == 1 and at is not None and now - at <= RECENT,
        )
    return out


def need_of(health: CardHealth | None, boost: float = 0.0) -> tuple[float, str]:
    """How much a card needs asking (higher first) and why."""
    if health is None or health.new:
        return 0.3 + boost, "new"
    need, why = 0.0, []
    if health.again_recent:
        need += 1.5
        why.append("recent Again")
    if health.due:
        need += 1.0
        why.append("due")
    if health.stability is not None and health.stability < LOW_STABILITY_DAYS:
        need += max(0.0, 1.0 - health.stability / LOW_STABILITY_DAYS)
        why.append(f"stability {health.stability:.1f}d")
    return need + boost, ", ".join(why) or "known"
