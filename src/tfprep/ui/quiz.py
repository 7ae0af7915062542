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
from tfprep.i18n import tr
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
        return tr("nothing scheduled")
    delta = moment - now
    local = moment.astimezone(tz or UTC)
    if delta <= timedelta(0):
        return tr("now")
    label = srs.format_interval(delta).lstrip("<")
    if delta < timedelta(hours=20):
        return tr("in {interval} ({time})", interval=label, time=f"{local:%H:%M}")
    return tr("in {interval} ({date})", interval=label, date=f"{local:%Y-%m-%d}")


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
        self.message: Any = ""
        # the schedule each key gives the card on screen, decided once when its answer is shown
        self.pending: tuple[str, dict[int, fsrs.Card]] | None = None
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
                self._hint(tr("nothing to undo in this session"))
                continue
            if action == keys.REVEAL:
                if not revealed:
                    self._show_answer(item)
                    revealed = True
                continue
            if action in keys.RATINGS:
                if not revealed:
                    if self.reader.interactive:
                        self._hint(tr("press Enter to see the answer first"))
                        continue
                    self._show_answer(item)  # a scripted rating reveals the answer on its way
                self.rate(item, int(action), duration_ms=_ms(self.clock() - shown_at))
                return action
            self._hint(tr("Enter: show the answer · 1-4: rate · u: undo · q: quit"))

    # -- rating and undo --------------------------------------------------------------------------------

    def rate(self, item: srs.QueueItem, rating: int, duration_ms: int | None = None) -> None:
        """Rate the card at the head of the queue: save it (one transaction), maybe requeue it."""
        now = self.clock()
        card = item.card
        before = self.states.get(card.id)
        if self.pending is not None and self.pending[0] == card.id:
            after = self.pending[1][rating]  # exactly the interval its key showed
        else:
            after = srs.review(self.scheduler, before, rating, now, duration_ms)
        self.pending = None
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
        from rich.text import Text

        name = Text(srs.rating_name(rating), style=RATING_STYLE[rating])
        if self.cram:
            again = tr(" — again later in this session") if requeued else ""
            self.message = Text.assemble(name, tr(" (cram: schedule unchanged)"), again)
        else:
            later = tr("later in this session") if requeued else when(after.due, now, self.tz)
            self.message = Text.assemble(name, tr(" — next {when}", when=later))

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
        self.pending = None
        from rich.text import Text

        name = Text(srs.rating_name(step.rating), style=RATING_STYLE[step.rating])
        self.message = Text.assemble(tr("undid "), name, tr(" — rate this card again"))
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
            return tr("cram")
        parts = [tr("due {n}", n=kinds.get("due", 0)), tr("new {n}", n=kinds.get("new", 0))]
        if kinds.get("learn"):
            parts.append(tr("learning {n}", n=kinds["learn"]))
        return " · ".join(parts)

    def _label(self, item: srs.QueueItem) -> str:
        """new / learning / review / cram: a due card still in (re)learning steps is a learning card."""
        state = self.states.get(item.card.id)
        if (
            item.kind == "due"
            and state is not None
            and srs.state_kind(state) in (srs.LEARNING, srs.RELEARNING)
        ):
            return tr("learning")
        return {"new": tr("new"), "learn": tr("learning"), "due": tr("review"), "cram": tr("cram")}[item.kind]

    def _show_question(self, item: srs.QueueItem) -> None:
        from rich.rule import Rule
        from rich.text import Text

        from tfprep.ui.markdown import markdown

        c = self.console
        card = item.card
        if self.reader.interactive:
            c.clear()
        deck = card.deck or self.title or tr("quiz")
        # a stable counter: cards coming back in this session add to "left", never to a moving total
        progress = tr("{done} done · {left} left", done=len(self.history), left=len(self.items))
        from rich.cells import cell_len

        head = f" {deck} · {progress} · {self._counts()} "
        if cell_len(head) > c.width - 6:  # a narrow terminal: the counts that matter, never cut mid-word
            head = f" {progress} · {self._counts()} "
        if cell_len(head) > c.width - 6:
            head = f" {progress} "
        c.print(Rule(Text(head, style="bold"), style="cyan"))
        if self.message:
            c.print(self.message, highlight=False)
            self.message = ""
        c.print(Text.assemble((self._label(item), "dim"), "  ", ("Q", "bold")), highlight=False)
        c.print(markdown(card.question))
        where = f"{_short(card.source)}:{card.line}" if card.source else ""
        meta = " · ".join(x for x in (", ".join(card.tags), where) if x)
        if meta:
            c.print(Text(meta, style="dim"))
        c.print(Text(tr("Enter: show answer · u: undo · q: quit"), style="dim"))

    def _show_answer(self, item: srs.QueueItem) -> None:
        from rich.rule import Rule

        from tfprep.ui.markdown import markdown

        c = self.console
        c.print(Rule(tr("answer"), style="dim"))
        c.print(markdown(item.card.answer or tr("_(no answer written)_")))
        c.print(Rule(style="dim"))
        c.print(self._labels(item), highlight=False)

    def _labels(self, item: srs.QueueItem) -> Any:
        from rich.text import Text

        text = Text()
        intervals = None
        if not self.cram:
            now = self.clock()
            outcomes = srs.outcomes(self.scheduler, self.states.get(item.card.id), now)
            self.pending = (item.card.id, outcomes)
            intervals = {r: state.due - now for r, state in outcomes.items()}
        for r in srs.RATING_NAMES:
            text.append(f"{r} ", style="bold")
            text.append(srs.rating_name(r), style=RATING_STYLE[r])
            if intervals is not None:
                text.append(f" {srs.format_interval(intervals[r])}")
            text.append("   ")
        text.append(tr("u undo  q quit"), style="dim")
        if self.cram:
            text.append(tr("   (cram: schedule unchanged)"), style="dim")
        return text

    def _hint(self, message: str) -> None:
        from rich.text import Text

        self.console.print(Text(message, style="dim"), highlight=False)


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
    from rich.text import Text

    console.print(Rule(tr("summary"), style="cyan"))
    minutes, seconds = divmod(int(summary.seconds), 60)
    line = Text.assemble(
        tr(
            "reviewed {n} ({cards})",
            n=summary.reviewed,
            cards=tr("1 card") if summary.cards == 1 else tr("{n} cards", n=summary.cards),
        ),
        " · ",
        tr("again {n}", n=summary.again),
        " · ",
        tr("{m}m {s}s", m=minutes, s=f"{seconds:02d}"),
    )
    for r in sorted(summary.ratings):
        line.append("   " if r == min(summary.ratings) else " · ")
        line.append(srs.rating_name(r), style=RATING_STYLE[r])
        line.append(f" {summary.ratings[r]}")
    console.print(line, highlight=False)
    if summary.cram:
        console.print(tr("cram session: your schedule and review history are unchanged."), highlight=False)
    else:
        console.print(tr("next due: {when}", when=when(summary.next_due, now, tz)), highlight=False)
    if summary.finished:
        console.print(Text(tr("session complete"), style="green"), highlight=False)
    elif summary.left:
        console.print(
            tr("{n} left in this session — run the same command to continue.", n=summary.left),
            highlight=False,
        )
