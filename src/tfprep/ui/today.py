"""Rendering the day: the plan (dashboard and `tfprep today`), the drill step's keys, and the summary.

Every string goes through `tr`; drill names, paths and reasons are printed as text, never as markup.
"""

from __future__ import annotations

import os
import select
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import IO, TYPE_CHECKING, Any

from tfprep.i18n import tr
from tfprep.topics import topic_name

if TYPE_CHECKING:
    from rich.console import Console

    from tfprep.day_plan import DayPlan

GRADE, HINT, SKIP, GIVE_UP, QUIT = "grade", "hint", "skip", "give-up", "quit"
RATING_STYLE = {1: "bold red", 2: "bold yellow", 3: "bold green", 4: "bold blue"}


def fmt_minutes(seconds: float) -> str:
    """`~6 min`, `~1 h 10 min`, `<1 min`."""
    minutes = round(seconds / 60)
    if seconds > 0 and minutes < 1:
        return tr("<1 min")
    if minutes < 60:
        return tr("~{n} min", n=minutes)
    h, m = divmod(minutes, 60)
    return tr("~{h} h {m} min", h=h, m=m) if m else tr("~{h} h", h=h)


def rating_name(rating: int) -> str:
    return {1: tr("Again"), 2: tr("Hard"), 3: tr("Good"), 4: tr("Easy")}[rating]


def reason_text(reason: str) -> str:
    """The rule that rated a drill, in words (reasons are the codes of `drill_schedule.REASONS`)."""
    return {
        "fast": tr("first grade, no hint, within half the expected time"),
        "first-try": tr("first grade, no hint, within the expected time"),
        "slow": tr("first grade, but slower than the expected time"),
        "retries": tr("accepted after failed grades"),
        "hints": tr("accepted after a hint"),
        "solution": tr("solution shown before solving"),
        "gave-up": tr("given up"),
    }.get(reason, reason)


def focus_reason(reason: str) -> str:
    """The study loop's reason (`mock.study_focus`, `drill_schedule.focus_on_lapses`), in the UI's language."""
    import re

    patterns = (
        (r"drill (\S+) failed", lambda m: tr("drill {drill} failed", drill=m[1])),
        (r"drill (\S+) was slow", lambda m: tr("drill {drill} was slow", drill=m[1])),
        (r"drill (\S+) given up", lambda m: tr("drill {drill} given up", drill=m[1])),
        (r"drill (\S+) solution shown", lambda m: tr("drill {drill}: solution shown", drill=m[1])),
        (
            r"mock: (\S+) (\S+)",
            lambda m: tr("mock round: {topic} scored {score}", topic=topic_name(m[1]), score=m[2]),
        ),
    )
    for pattern, say in patterns:
        if m := re.fullmatch(pattern, reason):
            return say(m)
    return reason


def review_line(review: Any) -> Any:
    """`rated Good (first grade, no hint, within the expected time) · next review in 3d (Fri 14 Jun)`."""
    from rich.text import Text

    from tfprep.ui.quiz import when

    now = datetime.now(UTC)
    local = datetime.now().astimezone().tzinfo
    return Text.assemble(
        (tr("rated") + " ", "bold"),
        (rating_name(review.rating), RATING_STYLE[review.rating]),
        " " + tr("({why})", why=reason_text(review.reason)) + " · ",
        tr("next review {when}", when=when(review.due, now, local)),
    )


def plan_lines(plan: DayPlan, tz: tzinfo | None, now: datetime | None = None) -> list[Any]:
    """The suggested order, one Text per step: `1  cards   3 due + 5 new   ~3 min`."""
    from rich.text import Text

    from tfprep.ui.quiz import when

    now = now or datetime.now(UTC)
    lines: list[Any] = []
    n = 0
    if plan.cards:
        n += 1
        what = tr("{due} due + {new} new", due=plan.cards_due, new=plan.cards_new)
        lines.append(
            Text.assemble(
                (f"{n:>2}  ", "dim"),
                (tr("cards"), "bold"),
                f"  {what}  ",
                (fmt_minutes(plan.card_seconds), "cyan"),
            )
        )
    for step in plan.drills:
        n += 1
        if step.kind == "due":
            late = (now - step.due).days if step.due else 0
            if step.due and step.due > now:
                why = tr("due {when}", when=when(step.due, now, tz))
            else:
                why = tr("overdue {days}d", days=late) if late >= 1 else tr("due")
        else:  # not due: the study loop points here
            why = tr("not due, but: {reason}", reason=focus_reason(step.reason))
        if step.started:
            why += " · " + tr("started")
        lines.append(
            Text.assemble(
                (f"{n:>2}  ", "dim"),
                (tr("drill"), "bold"),
                " ",
                (step.slug, "bold magenta"),
                f"  {why}  ",
                (fmt_minutes(step.seconds), "cyan"),
            )
        )
    return lines


def print_plan(console: Console, plan: DayPlan, tz: tzinfo | None) -> None:
    from rich.text import Text

    if plan.empty:
        console.print(Text(tr("nothing due today — you are all caught up"), style="green"))
        return
    console.print(
        Text.assemble((tr("today's plan"), "bold"), "  ", (fmt_minutes(plan.total_seconds), "bold cyan"))
    )
    for line in plan_lines(plan, tz):
        console.print(line)


# -- the keys of a drill step ------------------------------------------------------------------------------


def action_of(word: str) -> str | None:
    word = word.strip().lower()
    if word in ("", "g", "grade", "\r", "\n"):
        return GRADE
    if word in ("h", "hint"):
        return HINT
    if word in ("s", "skip"):
        return SKIP
    if word in ("x", "give-up", "giveup", "give up"):
        return GIVE_UP
    if word in ("q", "quit", "stop", "exit", "\x04", "\x1b"):
        return QUIT
    return None


class LineInput:
    """One action per line (scripts, pipes): the drill step waits for a line; end of input = stop."""

    interactive = False

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def __enter__(self) -> LineInput:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self, timeout: float) -> str | None:
        line = self.stream.readline()
        if line == "":
            return QUIT
        return action_of(line) or ""


class KeyInput:
    """Single keys in cbreak mode (the quiz's KeyReader); `read` returns None after `timeout` seconds, so the
    caller can look at the file in between."""

    interactive = True

    def __init__(self, stream: IO[str]):
        from tfprep.ui.keys import KeyReader

        self.reader = KeyReader(stream.fileno())

    def __enter__(self) -> KeyInput:
        self.reader.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.reader.__exit__(*exc)

    def read(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.reader.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.reader.fd, 64)
        if not data:
            return QUIT
        key = data.decode("utf-8", "replace")
        if key.startswith("\x1b") and len(key) > 1:
            return ""  # an arrow or function key
        return action_of(key[:1]) or ""


def input_for(stream: IO[str] | None = None) -> LineInput | KeyInput:
    stream = stream if stream is not None else sys.stdin
    try:
        if stream.isatty():
            return KeyInput(stream)
    except (AttributeError, ValueError, OSError):
        pass
    return LineInput(stream)


def drill_keys(interactive: bool) -> str:
    if interactive:
        return tr("save the file to grade it · Enter: grade now · h: hint · s: skip · x: give up · q: stop")
    return tr("one line per action: g grade · h hint · s skip · x give up · q stop")


# -- the summary -----------------------------------------------------------------------------------------


@dataclass
class DaySummary:
    started_at: datetime
    card_reviews: int = 0
    card_again: int = 0
    cards: int = 0
    drills: list[dict[str, Any]] = field(default_factory=list)  # {drill, rating, reason, solve_s, due}
    skipped: list[str] = field(default_factory=list)
    finished: bool = False
    left: int = 0  # steps left when stopped
    next_card: datetime | None = None
    next_drill: datetime | None = None


def print_summary(console: Console, s: DaySummary, now: datetime, tz: tzinfo | None) -> None:
    from rich.rule import Rule
    from rich.text import Text

    from tfprep.mock import fmt_seconds
    from tfprep.ui.quiz import when

    console.print(Rule(tr("today's summary"), style="cyan"))
    local = s.started_at.astimezone(tz or UTC)
    console.print(
        Text(
            tr(
                "cards: {n} reviews of {cards} cards, {again} Again · started at {start}",
                n=s.card_reviews,
                cards=s.cards,
                again=s.card_again,
                start=f"{local:%H:%M}",
            )
        )
    )
    if not s.drills:
        console.print(Text(tr("drills: none rated")))
    for d in s.drills:
        line = Text.assemble(
            (tr("drill"), "bold"),
            " ",
            (d["drill"], "bold magenta"),
            "  ",
            (rating_name(d["rating"]), RATING_STYLE[d["rating"]]),
            f"  {reason_text(d['reason'])}",
        )
        if d.get("solve_s"):
            line.append(f" · {fmt_seconds(d['solve_s'])}")
        line.append(" · " + tr("next {when}", when=when(d["due"], now, tz)), style="dim")
        console.print(line)
    if s.skipped:
        console.print(Text(tr("skipped today: {drills}", drills=", ".join(s.skipped)), style="yellow"))
    if s.finished:
        nxt = [t for t in (s.next_card, s.next_drill) if t is not None]
        tail = tr("next review {when}", when=when(min(nxt), now, tz)) if nxt else ""
        console.print(Text(tr("session complete") + (f" · {tail}" if tail else ""), style="green"))
    else:
        console.print(
            Text(
                tr("stopped with {n} steps left — `tfprep today` resumes where you were", n=s.left),
                style="yellow",
            )
        )
