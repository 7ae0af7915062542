"""The quiz session: show a card, reveal its answer, rate it with one key, undo, quit with a summary.

`QuizSession` drives one session over a queue chosen by `srs.build_queue`. Each rating is saved by the store
in its own transaction before the next card is shown. Cram sessions keep their ratings in memory only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from tfprep import srs
from tfprep.ui import keys

if TYPE_CHECKING:
    import fsrs
    from rich.console import Console

    from tfprep.store import Store

RATING_STYLE = {1: "bold red", 2: "bold yellow", 3: "bold green", 4: "bold blue"}


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Step:
    """One rating made in this session (what undo needs)."""

    item: srs.QueueItem
    rating: int
    before: fsrs.Card | None
    review_id: int | None  # None in cram sessions
    requeued: srs.QueueItem | None


@dataclass
class Summary:
    reviewed: int = 0
    again: int = 0
    cards: int = 0
    left: int = 0
    seconds: float = 0.0
    next_due: datetime | None = None
    cram: bool = False
    finished: bool = False
    ratings: dict[int, int] = field(default_factory=dict)


def when(moment: datetime | None, now: datetime, tz: tzinfo | None) -> str:
    """`in 10m (14:32)`, `in 3d (Fri 14 Jun)` or `now`."""
    if moment is None:
        return "nothing scheduled"
    delta = moment - now
    local = moment.astimezone(tz or UTC)
    if delta <= timedelta(0):
        return "now"
    label = srs.format_interval(delta).lstrip("<")
    if delta < timedelta(hours=20):
        return f"in {label} ({local:%H:%M})"
    return f"in {label} ({local:%a %d %b})"


class QuizSession:
    def __init__(
        self,
        *,
        queue: srs.Queue,
        states: Mapping[str, fsrs.Card],
        scheduler: fsrs.Scheduler,
        store: Store | None,
        console: Console,
        reader: keys.KeyReader | keys.LineReader,
        cram: bool = False,
        clock: Callable[[], datetime] = _now,
        tz: tzinfo | None = None,
        title: str = "",
    ):
        self.items: list[srs.QueueItem] = list(queue.items)
        self.states: dict[str, fsrs.Card] = dict(states)
        self.scheduler = scheduler
        self.store = store
        self.console = console
        self.reader = reader
        self.cram = cram
        self.clock = clock
        self.tz = tz
        self.title = title
        self.history: list[_Step] = []
        self.message = ""
        self.started = clock()

    # -- the loop ---------------------------------------------------------------------------------------

    def run(self) -> Summary:
        """Play the session until the queue is empty, `q`, or end of input. Returns the summary (not shown)."""
        with self.reader:
            while self.items:
                if self._one_card() == keys.QUIT:
                    return self.summary(finished=False)
        return self.summary(finished=True)

    def _one_card(self) -> str:
        item = self.items[0]
        self._show_question(item)
        shown_at = self.clock()
        revealed = False
        while True:
            action, raw = self.reader.read()
            if action == keys.QUIT:
                return keys.QUIT
            if action == keys.UNDO:
                if self.undo():
                    return keys.UNDO
                self._hint("nothing to undo in this session")
                continue
            if action == keys.REVEAL:
                if not revealed:
                    self._show_answer(item)
                    revealed = True
                continue
            if action in keys.RATINGS:
                if not revealed:
                    if self.reader.interactive:
                        self._hint("press Enter to see the answer first")
                        continue
                    self._show_answer(item)  # a scripted rating reveals the answer on its way
                self.rate(item, int(action), duration_ms=_ms(self.clock() - shown_at))
                return action
            self._hint("Enter: show the answer · 1-4: rate · u: undo · q: quit")

    # -- rating and undo --------------------------------------------------------------------------------

    def rate(self, item: srs.QueueItem, rating: int, duration_ms: int | None = None) -> None:
        """Rate the card at the head of the queue: save it (one transaction), maybe requeue it."""
        now = self.clock()
        card = item.card
        before = self.states.get(card.id)
        after = srs.review(self.scheduler, before, rating, now, duration_ms)
        review_id = None
        if not self.cram and self.store is not None:
            review_id = self.store.record_review(
                card,
                rating=rating,
                reviewed_at=now,
                state_before=None if before is None else srs.state_to_json(before),
                state_after=srs.state_to_json(after),
                due=after.due,
                prev_state=srs.state_kind(before),
                duration_ms=duration_ms,
            )
        self.states[card.id] = after
        self.items.pop(0)
        requeued = None
        if self.cram:
            if rating == srs.AGAIN:
                requeued = srs.QueueItem(card, "cram")
        elif srs.should_requeue(after, now):
            requeued = srs.QueueItem(card, "learn")
        if requeued is not None:
            self.items.append(requeued)
        self.history.append(_Step(item, rating, before, review_id, requeued))
        name = srs.RATING_NAMES[rating]
        if self.cram:
            again = " — again later in this session" if requeued else ""
            self.message = f"[{RATING_STYLE[rating]}]{name}[/] (cram: schedule unchanged){again}"
        else:
            later = "later in this session" if requeued else when(after.due, now, self.tz)
            self.message = f"[{RATING_STYLE[rating]}]{name}[/] — next {later}"

    def undo(self) -> bool:
        """Undo the last rating of this session: restore the card's schedule, delete its review, show it again."""
        if not self.history:
            return False
        step = self.history.pop()
        if step.review_id is not None and self.store is not None:
            self.store.undo_review(step.review_id)
        if step.before is None:
            self.states.pop(step.item.card.id, None)
        else:
            self.states[step.item.card.id] = step.before
        if step.requeued is not None:
            for i in range(len(self.items) - 1, -1, -1):
                if self.items[i] is step.requeued:
                    del self.items[i]
                    break
        self.items.insert(0, step.item)
        self.message = (
            f"undid [{RATING_STYLE[step.rating]}]{srs.RATING_NAMES[step.rating]}[/] — rate this card again"
        )
        return True

    def summary(self, finished: bool) -> Summary:
        ratings: dict[int, int] = {}
        for step in self.history:
            ratings[step.rating] = ratings.get(step.rating, 0) + 1
        later = [s.due for s in self.states.values()]
        return Summary(
            reviewed=len(self.history),
            again=ratings.get(1, 0),
            cards=len({s.item.card.id for s in self.history}),
            left=len(self.items),
            seconds=(self.clock() - self.started).total_seconds(),
            next_due=None if self.cram or not later else min(later),
            cram=self.cram,
            finished=finished,
            ratings=ratings,
        )

    # -- rendering --------------------------------------------------------------------------------------

    def _counts(self) -> str:
        kinds: dict[str, int] = {}
        for it in self.items:
            kinds[it.kind] = kinds.get(it.kind, 0) + 1
        if self.cram:
            return f"cram · {kinds.get('cram', 0)} left"
        parts = [f"due {kinds.get('due', 0)}", f"new {kinds.get('new', 0)}"]
        if kinds.get("learn"):
            parts.append(f"learning {kinds['learn']}")
        return " · ".join(parts)

    def _show_question(self, item: srs.QueueItem) -> None:
        from rich.rule import Rule
        from rich.text import Text

        from tfprep.ui.markdown import markdown

        c = self.console
        card = item.card
        if self.reader.interactive:
            c.clear()
        done = len(self.history)
        total = done + len(self.items)
        deck = card.deck or self.title or "quiz"
        c.print(Rule(Text(f" {deck} · {done + 1}/{total} · {self._counts()} ", style="bold"), style="cyan"))
        if self.message:
            c.print(self.message, highlight=False)
            self.message = ""
        label = {"new": "new", "learn": "learning", "due": "review", "cram": "cram"}[item.kind]
        c.print(f"[dim]{label}[/]  [bold]Q[/]", highlight=False)
        c.print(markdown(card.question))
        where = f"{_short(card.source)}:{card.line}" if card.source else ""
        meta = " · ".join(x for x in (", ".join(card.tags), where) if x)
        if meta:
            c.print(Text(meta, style="dim"))
        c.print(Text("Enter: show answer · u: undo · q: quit", style="dim"))

    def _show_answer(self, item: srs.QueueItem) -> None:
        from rich.rule import Rule

        from tfprep.ui.markdown import markdown

        c = self.console
        c.print(Rule("answer", style="dim"))
        c.print(markdown(item.card.answer or "_(no answer written)_"))
        c.print(Rule(style="dim"))
        c.print(self._labels(item), highlight=False)

    def _labels(self, item: srs.QueueItem) -> Any:
        from rich.text import Text

        text = Text()
        if self.cram:
            intervals = None
        else:
            intervals = srs.preview(self.scheduler, self.states.get(item.card.id), self.clock())
        for r, name in srs.RATING_NAMES.items():
            text.append(f"{r} ", style="bold")
            text.append(name, style=RATING_STYLE[r])
            if intervals is not None:
                text.append(f" {srs.format_interval(intervals[r])}")
            text.append("   ")
        text.append("u undo  q quit", style="dim")
        if self.cram:
            text.append("   (cram: schedule unchanged)", style="dim")
        return text

    def _hint(self, message: str) -> None:
        self.console.print(f"[dim]{message}[/]", highlight=False)


def _short(source: str) -> str:
    """A bank's path relative to the current folder when it is inside it."""
    import os

    try:
        rel = os.path.relpath(source)
    except ValueError:  # another drive (Windows)
        return source
    return source if rel.startswith("..") else rel


def _ms(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() * 1000))


def print_summary(console: Console, summary: Summary, now: datetime, tz: tzinfo | None) -> None:
    from rich.rule import Rule

    console.print(Rule("summary", style="cyan"))
    minutes, seconds = divmod(int(summary.seconds), 60)
    breakdown = " · ".join(
        f"[{RATING_STYLE[r]}]{srs.RATING_NAMES[r]}[/] {summary.ratings[r]}" for r in sorted(summary.ratings)
    )
    console.print(
        f"reviewed [bold]{summary.reviewed}[/] ({summary.cards} card{'' if summary.cards == 1 else 's'}) · again [bold]{summary.again}[/]"
        f" · {minutes}m {seconds:02d}s" + (f"   {breakdown}" if breakdown else ""),
        highlight=False,
    )
    if summary.cram:
        console.print("cram session: your schedule and review history are unchanged.", highlight=False)
    else:
        console.print(f"next due: {when(summary.next_due, now, tz)}", highlight=False)
    if summary.finished:
        console.print("[green]session complete[/]", highlight=False)
    elif summary.left:
        console.print(
            f"{summary.left} left in this session — run the same command to continue.", highlight=False
        )
