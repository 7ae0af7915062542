"""Spaced repetition on top of the `fsrs` package. Pure: no files, clock, terminal or database.

Every function takes `now` (a timezone-aware datetime; converted to UTC) instead of reading the clock. A card's
schedule is an `fsrs.Card`; the store keeps it as the JSON of `fsrs.Card.to_dict()` (`state_to_json` /
`state_from_json`). A card with no stored state is *new*.

Session queue (`build_queue`):
- due cards first, most overdue first (earliest `due`); a card in the Review state is due when its due time
  falls before the end of the local day (intervals are whole days, so a card due at 18:00 can be reviewed in
  the morning); a card in (re)learning steps is due when its due time is at most `LEARN_AHEAD` away;
- then new cards in bank order, at most `new_left` of them (the daily new-card budget left today);
- at most `limit` cards in all.
During a session a card whose new due time is within `LEARN_AHEAD` (Again / learning steps) comes back at the
end of the queue (`should_requeue`), as in Anki.

Cram (`cram=True`): every selected card in bank order, whatever its schedule. Cram ratings are NOT written to
the store: neither the schedule nor the review history changes, and they do not count in `tfprep stats`.

Statistics (`compute_stats`) are computed here too, from the rows the store returns.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from tfprep.errors import TfprepError
from tfprep.i18n import tr

if TYPE_CHECKING:  # fsrs is imported lazily: `tfprep --help` must stay quick
    import fsrs

    from tfprep.bank.model import Card

DEFAULT_RETENTION = 0.9
MIN_RETENTION = 0.7
MAX_RETENTION = 0.99
DEFAULT_NEW_PER_DAY = 20
LEARN_AHEAD = timedelta(minutes=20)

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}

# fsrs.State values, plus 0 for "never reviewed"; stored as reviews.prev_state.
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3


def utc(dt: datetime) -> datetime:
    """`dt` in UTC (fsrs insists on `tzinfo == timezone.utc`). Naive datetimes are a programming error."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware datetime (UTC)")
    return dt.astimezone(UTC)


def check_retention(retention: float) -> float:
    if not (MIN_RETENTION <= retention <= MAX_RETENTION):
        raise TfprepError(
            tr(
                "--retention must be between {low} and {high} (got {retention}); {default} is a good default.",
                low=MIN_RETENTION,
                high=MAX_RETENTION,
                retention=retention,
                default=DEFAULT_RETENTION,
            )
        )
    return float(retention)


def make_scheduler(retention: float = DEFAULT_RETENTION, *, fuzz: bool = True) -> fsrs.Scheduler:
    """An FSRS scheduler with the default parameters and the given desired retention."""
    import fsrs

    return fsrs.Scheduler(desired_retention=check_retention(retention), enable_fuzzing=fuzz)


def new_state(now: datetime) -> fsrs.Card:
    """The schedule of a card never reviewed (fsrs' Learning state, step 0)."""
    import fsrs

    return fsrs.Card(card_id=0, due=utc(now))


def state_to_json(state: fsrs.Card) -> str:
    return json.dumps(state.to_dict(), sort_keys=True)


def state_from_json(text: str) -> fsrs.Card:
    import fsrs

    try:
        return fsrs.Card.from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise TfprepError(
            tr(
                "a card schedule in the review database is unreadable ({why}); the database may be damaged — "
                "move tfprep.db away or set TFPREP_HOME to start afresh.",
                why=exc,
            )
        ) from None


def state_kind(state: fsrs.Card | None) -> int:
    """NEW (None) or the fsrs.State value of `state`."""
    return NEW if state is None else int(state.state)


def review(
    scheduler: fsrs.Scheduler,
    state: fsrs.Card | None,
    rating: int,
    now: datetime,
    duration_ms: int | None = None,
) -> fsrs.Card:
    """The schedule after rating `state` (None = a new card) with 1 Again … 4 Easy at `now`."""
    import fsrs

    if rating not in RATING_NAMES:
        raise ValueError(f"rating must be 1-4, got {rating!r}")
    now = utc(now)
    card = new_state(now) if state is None else state
    after, _log = scheduler.review_card(
        card, fsrs.Rating(rating), review_datetime=now, review_duration=duration_ms
    )
    return after


def preview(scheduler: fsrs.Scheduler, state: fsrs.Card | None, now: datetime) -> dict[int, timedelta]:
    """The interval each rating 1-4 would give now (without fuzz, so the labels are stable)."""
    import fsrs

    plain = scheduler
    if scheduler.enable_fuzzing:
        plain = fsrs.Scheduler(
            parameters=scheduler.parameters,
            desired_retention=scheduler.desired_retention,
            learning_steps=scheduler.learning_steps,
            relearning_steps=scheduler.relearning_steps,
            maximum_interval=scheduler.maximum_interval,
            enable_fuzzing=False,
        )
    now = utc(now)
    return {r: review(plain, state, r, now).due - now for r in RATING_NAMES}


def outcomes(scheduler: fsrs.Scheduler, state: fsrs.Card | None, now: datetime) -> dict[int, fsrs.Card]:
    """The schedule each rating 1-4 gives now, fuzz included, decided once: the quiz shows these intervals
    when the answer is revealed and saves the one the user picks, so the label on a key is what it schedules."""
    return {r: review(scheduler, state, r, now) for r in RATING_NAMES}


def format_interval(delta: timedelta) -> str:
    """A short label in the UI's language: `<1m`, `<10m`, `3h`, `4d`, `2.5mo`, `1.2y` (zh: `<10分钟`, `4天` …)."""
    from tfprep.i18n import tr

    seconds = max(0.0, delta.total_seconds())
    minutes = seconds / 60
    if minutes < 60:
        return tr("<{n}m", n=max(1, round(minutes)))
    hours = minutes / 60
    if hours < 24:
        return tr("{n}h", n=round(hours))
    days = hours / 24
    if days < 30:
        return tr("{n}d", n=round(days))
    if days < 365:
        return tr("{n}mo", n=f"{days / 30:.1f}".removesuffix(".0"))
    return tr("{n}y", n=f"{days / 365:.1f}".removesuffix(".0"))


def rating_name(rating: int) -> str:
    """Again / Hard / Good / Easy in the UI's language."""
    from tfprep.i18n import tr

    return {AGAIN: tr("Again"), HARD: tr("Hard"), GOOD: tr("Good"), EASY: tr("Easy")}[rating]


def rating_labels(intervals: Mapping[int, timedelta]) -> str:
    """`1 Again <10m  2 Hard 1d  3 Good 3d  4 Easy 8d`."""
    return "  ".join(f"{r} {rating_name(r)} {format_interval(intervals[r])}" for r in RATING_NAMES)


# ---------------------------------------------------------------------------------------------------------
# days


def day_start(now: datetime, tz: tzinfo | None) -> datetime:
    """The UTC instant the local day containing `now` began (local midnight in `tz`; UTC when None)."""
    local = utc(now).astimezone(tz or UTC)
    return utc(datetime.combine(local.date(), datetime.min.time(), tzinfo=local.tzinfo))


def local_date(moment: datetime, tz: tzinfo | None) -> date:
    return utc(moment).astimezone(tz or UTC).date()


def day_end(now: datetime, tz: tzinfo | None) -> datetime:
    """The UTC instant the local day containing `now` ends (next local midnight)."""
    local = utc(now).astimezone(tz or UTC).date() + timedelta(days=1)
    return utc(datetime.combine(local, datetime.min.time(), tzinfo=tz or UTC))


# ---------------------------------------------------------------------------------------------------------
# the session queue


def is_due(state: fsrs.Card, now: datetime, end_of_day: datetime) -> bool:
    now = utc(now)
    if int(state.state) == REVIEW:
        return utc(state.due) < end_of_day
    return utc(state.due) <= now + LEARN_AHEAD


def should_requeue(state: fsrs.Card, now: datetime) -> bool:
    """Whether a card just rated comes back later in the same session (its next step is minutes away)."""
    return utc(state.due) <= utc(now) + LEARN_AHEAD


@dataclass(frozen=True)
class QueueItem:
    card: Card
    kind: str  # "due", "new" or "cram"


@dataclass
class Queue:
    items: list[QueueItem] = field(default_factory=list)
    due: int = 0  # due cards in the queue
    new: int = 0  # new cards in the queue
    due_total: int = 0  # due cards among the selected cards (before --limit)
    new_total: int = 0  # new cards among the selected cards (before the daily cap and --limit)
    next_due: datetime | None = None  # earliest due time of a selected card not in the queue


def build_queue(
    cards: Sequence[Card],
    states: Mapping[str, fsrs.Card],
    now: datetime,
    *,
    end_of_day: datetime,
    new_left: int = DEFAULT_NEW_PER_DAY,
    limit: int | None = None,
    cram: bool = False,
) -> Queue:
    """Choose the cards of a session. `states` maps card id → schedule of the cards reviewed before."""
    now = utc(now)
    queue = Queue()
    if cram:
        chosen = list(cards) if limit is None else list(cards)[: max(0, limit)]
        queue.items = [QueueItem(c, "cram") for c in chosen]
        return queue
    due: list[tuple[datetime, int, Card]] = []
    new: list[Card] = []
    for index, card in enumerate(cards):
        state = states.get(card.id)
        if state is None:
            new.append(card)
        elif is_due(state, now, end_of_day):
            due.append((utc(state.due), index, card))
    due.sort(key=lambda t: (t[0], t[1]))
    queue.due_total, queue.new_total = len(due), len(new)
    items = [QueueItem(c, "due") for _, _, c in due]
    items += [QueueItem(c, "new") for c in new[: max(0, new_left)]]
    if limit is not None:
        items = items[: max(0, limit)]
    queue.items = items
    queue.due = sum(1 for i in items if i.kind == "due")
    queue.new = sum(1 for i in items if i.kind == "new")
    queued = {i.card.id for i in items}
    left_out = [utc(states[c.id].due) for c in cards if c.id in states and c.id not in queued]
    queue.next_due = min(left_out) if left_out else None
    return queue


# ---------------------------------------------------------------------------------------------------------
# statistics


@dataclass(frozen=True)
class ReviewRow:
    """What statistics need of one stored review."""

    card_id: str
    rating: int
    reviewed_at: datetime
    prev_state: int  # NEW, LEARNING, REVIEW or RELEARNING before this review


@dataclass(frozen=True)
class CardRow:
    """What statistics need of one stored card."""

    id: str
    due: datetime
    tags: tuple[str, ...] = ()
    deck: str = ""


def retention_of(reviews: Iterable[ReviewRow]) -> tuple[float | None, int]:
    """True retention: of the reviews of cards in the Review state (past their learning steps — not new,
    not relearning), the share rated 2-4 (Hard, Good or Easy). Returns (share or None, number of such reviews)."""
    counted = [r for r in reviews if r.prev_state == REVIEW]
    if not counted:
        return None, 0
    return sum(1 for r in counted if r.rating >= HARD) / len(counted), len(counted)


def streak(review_days: Iterable[date], today: date) -> int:
    """Consecutive days with at least one review, ending today — or yesterday, while today has none yet."""
    days = set(review_days)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


HEATMAP_WEEKS = 16


def compute_stats(
    cards: Sequence[CardRow], reviews: Sequence[ReviewRow], now: datetime, tz: tzinfo | None
) -> dict[str, Any]:
    """Everything `tfprep stats` shows, as plain JSON-able values (the `--json` contract)."""
    now = utc(now)
    today = local_date(now, tz)
    end_today = day_end(now, tz)
    due_now = sum(1 for c in cards if utc(c.due) <= now)
    due_today = sum(1 for c in cards if utc(c.due) < end_today)

    forecast = []
    for offset in range(7):
        day = today + timedelta(days=offset)
        n = due_today if offset == 0 else sum(1 for c in cards if local_date(c.due, tz) == day)
        forecast.append({"date": day.isoformat(), "due": n})

    per_day = Counter(local_date(r.reviewed_at, tz) for r in reviews)
    retention, retention_n = retention_of(reviews)

    tags_of = {c.id: c.tags for c in cards}
    topic_cards: dict[str, int] = Counter(t for c in cards for t in c.tags)
    topic_reviews: dict[str, list[ReviewRow]] = defaultdict(list)
    for r in reviews:
        for t in tags_of.get(r.card_id, ()):
            topic_reviews[t].append(r)
    topics = {}
    for tag in sorted(set(topic_cards) | set(topic_reviews)):
        share, n = retention_of(topic_reviews.get(tag, []))
        topics[tag] = {
            "cards": topic_cards.get(tag, 0),
            "reviews": len(topic_reviews.get(tag, [])),
            "retention": share,
            "retention_reviews": n,
        }

    # heatmap: whole weeks (Monday first) ending with the current week
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=HEATMAP_WEEKS - 1)
    heatmap = [
        {
            "date": (first + timedelta(days=i)).isoformat(),
            "reviews": per_day.get(first + timedelta(days=i), 0),
        }
        for i in range((today - first).days + 1)
    ]

    later = [utc(c.due) for c in cards if utc(c.due) > now]
    return {
        "reviews": len(reviews),
        "cards": len(cards),
        "due": due_today,
        "due_now": due_now,
        "reviews_today": per_day.get(today, 0),
        "retention": retention,
        "retention_reviews": retention_n,
        "streak": streak(per_day, today),
        "forecast": forecast,
        "topics": topics,
        "heatmap": heatmap,
        "next_due": min(later).isoformat() if later else None,
        "today": today.isoformat(),
    }
