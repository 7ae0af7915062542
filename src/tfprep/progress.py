"""Progress that `tfprep stats` draws: per-drill history and retention curves for cards and drills. Pure.

- `drill_history`: per drill — attempts (every grading), practices rated, solves, the first-try rate (share
  of rated practices accepted on their first grade without a hint), the time to solve of each rated practice
  (median, best, the series for a sparkline), the last rating and the next due time.
- `memory_curve`: FSRS retrievability — the mean predicted chance of recalling each scheduled card / drill —
  now and 1, 3, 7, 14 and 30 days ahead if nothing is reviewed meanwhile: how fast things fade.
- `retention_by_interval`: measured retention — of the reviews made after an interval in a bucket (days
  since the item's previous review), the share remembered (card rated Hard or better; drill not Again).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from tfprep import srs

CURVE_DAYS = (0, 1, 3, 7, 14, 30)
BUCKETS = (
    (0, 1, "≤1d"),
    (2, 3, "2-3d"),
    (4, 7, "4-7d"),
    (8, 14, "8-14d"),
    (15, 30, "15-30d"),
    (31, None, ">30d"),
)
FIRST_TRY = frozenset({"fast", "first-try", "slow"})


def drill_history(
    slugs: Iterable[str],
    attempts: Sequence[Any],
    reviews: Sequence[Any],
    states: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """One row per drill attempted or reviewed (in `slugs` order, then the others)."""
    order = list(dict.fromkeys([*slugs, *(a.drill for a in attempts), *(r.drill for r in reviews)]))
    rows = []
    for slug in order:
        mine = [a for a in attempts if a.drill == slug]
        rated = [r for r in reviews if r.drill == slug]
        if not mine and not rated:
            continue
        times = [r.solve_s for r in rated if r.solve_s]
        if not rated:  # solved before drills were scheduled: the first accepted attempt's time
            first = next((a for a in mine if a.solved), None)
            times = [first.duration_s] if first is not None and first.duration_s else []
        first_try = sum(1 for r in rated if r.reason in FIRST_TRY)
        state = states.get(slug)
        last = rated[-1] if rated else None
        rows.append(
            {
                "drill": slug,
                "attempts": len(mine),
                "solves": sum(1 for a in mine if a.solved),
                "practices": len(rated),
                "first_try_rate": first_try / len(rated) if rated else None,
                "solve_s": [round(t, 1) for t in times],
                "median_solve_s": round(statistics.median(times), 1) if times else None,
                "best_solve_s": round(min(times), 1) if times else None,
                "last_rating": None if last is None else last.rating,
                "last_reason": None if last is None else last.reason,
                "last_reviewed": None if last is None else last.reviewed_at.isoformat(),
                "due": None if state is None else srs.utc(state.due).isoformat(),
            }
        )
    return rows


def memory_curve(scheduler: Any, states: Iterable[Any], now: datetime) -> list[dict[str, Any]]:
    """[{days, retrievability}] — the mean over `states` (None when there are none)."""
    states = [s for s in states if getattr(s, "last_review", None) is not None]
    out = []
    for days in CURVE_DAYS:
        at = srs.utc(now) + timedelta(days=days)
        values = [float(scheduler.get_card_retrievability(s, at)) for s in states]
        out.append({"days": days, "retrievability": round(statistics.fmean(values), 4) if values else None})
    return out


def _bucket(days: int) -> str:
    for _lo, hi, label in BUCKETS:
        if hi is None or days <= hi:
            return label
    return BUCKETS[-1][2]


def retention_by_interval(reviews: Iterable[Any]) -> list[dict[str, Any]]:
    """[{bucket, reviews, retention}] over the reviews of items in the Review state (past learning steps):
    the interval is the time since the previous review (from `state_before`); remembered = rated Hard or
    better, as in the cards' true retention."""
    counts: dict[str, list[int]] = {label: [0, 0] for _, _, label in BUCKETS}
    for r in reviews:
        if r.prev_state != srs.REVIEW or not r.state_before:
            continue
        try:
            last = json.loads(r.state_before).get("last_review")
        except ValueError:
            continue
        if not last:
            continue
        days = (srs.utc(r.reviewed_at) - srs.utc(datetime.fromisoformat(last))).total_seconds() / 86400
        c = counts[_bucket(round(days))]
        c[0] += 1
        c[1] += r.rating >= srs.HARD
    return [
        {"bucket": label, "reviews": n, "retention": (ok / n) if n else None}
        for label, (n, ok) in counts.items()
    ]
