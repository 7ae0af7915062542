"""Playing a round in the terminal: `RoundRunner` asks the questions of a `mock.Plan` in order, under one clock.

The outside world comes in as callables (`Hooks`: grading, recording, rating a card, saving), so the runner
can be driven by a script in tests. A concept question is played by concept.py, a coding question (a drill
or a chain of follow-ups) by coding.py. Every line of an answer is appended (and fsync'ed) to the session
folder the moment it is entered; the report is saved after every question and grading.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfprep import mock
from tfprep.i18n import tr_in
from tfprep.ui.mock.clock import LiveClock
from tfprep.ui.mock.input import LineInput, TerminalInput

if TYPE_CHECKING:
    from rich.console import Console

    from tfprep.bank.model import Card
    from tfprep.grading.drills import Drill
    from tfprep.grading.report import GradeResult


@dataclass
class Hooks:
    """What the runner needs from the outside world."""

    grade: Callable[[Drill, str], GradeResult]  # grade a source (the warm pool)
    record: Callable[[Drill, Path, str, GradeResult, float], None]  # save an attempt (+ seconds on it)
    rate: Callable[[Card, int, int | None], str]  # a self-score → the card's schedule; returns feedback
    labels: Callable[[Card], str]  # `1 Again <1m  2 Hard …` for a card
    save: Callable[[dict[str, Any], bool], None]  # (report, final): store + session folder
    report: Callable[[list[mock.Outcome], str, datetime | None], dict[str, Any]]  # outcomes → report
    open_editor: Callable[[Path], bool] | None = None


class RoundRunner:
    def __init__(
        self,
        plan: mock.Plan,
        *,
        cards: Mapping[str, Card],
        drills: Mapping[str, Drill],
        console: Console,
        input: TerminalInput | LineInput,
        folder: Path,
        clock: Callable[[], datetime],
        started_at: datetime,
        hooks: Hooks,
        concepts: Mapping[str, Sequence[Any]] | None = None,
    ):
        self.plan = plan
        self.cards = cards
        self.drills = drills
        self.console = console
        self.input = input
        self.folder = folder
        self.clock = clock
        self.started_at = started_at
        self.deadline = started_at.timestamp() + plan.minutes * 60
        self.hooks = hooks
        self.concepts = concepts or {}
        self.lang = plan.lang
        self.outcomes = [mock.Outcome(q.number) for q in plan.questions]
        self.report: dict[str, Any] | None = None
        self.live = LiveClock(console, self.remaining, self.lang)

    def tr(self, text: str, **fields: Any) -> str:
        return tr_in(self.lang, text, **fields)

    # -- time -------------------------------------------------------------------------------------------

    def remaining(self) -> float:
        return self.deadline - self.clock().timestamp()

    def header(self, q: mock.Question, extra: str = "") -> None:
        from rich.rule import Rule
        from rich.text import Text

        left = max(0.0, self.remaining())
        where = self.tr("Q{n}/{total}", n=q.number, total=len(self.plan.questions))
        self.live.context = f"{self.plan.title} · {where}" + (f" · {extra}" if extra else "")
        parts = [
            self.plan.title,
            where,
            *([extra] if extra else []),
            self.tr("{t} left", t=mock.fmt_seconds(left)),
        ]
        style = "bold red" if left < 120 else "bold"
        self.console.print(Rule(Text(f" {' · '.join(parts)} ", style=style), style="cyan"))

    def dim(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text(text, style="dim"), soft_wrap=True)

    def fresh_line(self) -> None:
        """Move off a half-typed line before printing (time ran out while the user was typing)."""
        if getattr(self.input, "partial", ""):
            self.console.print()
            self.input.partial = ""

    def save_running(self) -> None:
        self.hooks.save(self.hooks.report(self.outcomes, "running", None), False)

    # -- the loop ---------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Play the round; returns the final report (also saved through hooks.save). Ctrl-C (and SIGTERM)
        save what was done as an incomplete session, then propagate."""
        from tfprep.ui.mock.coding import ask_coding
        from tfprep.ui.mock.concept import ask_concept

        ended_by = "finished"
        self.save_running()
        try:
            with self.live:
                for q, outcome in zip(self.plan.questions, self.outcomes, strict=True):
                    if self.remaining() <= 0:
                        ended_by = "time"
                        break
                    ask = ask_concept if q.kind == "concept" else ask_coding
                    step = ask(self, q, outcome)
                    self.save_running()
                    if step in ("time", "quit"):
                        ended_by = step
                        break
            if ended_by == "time":  # said once, on a line of its own
                from rich.text import Text

                self.fresh_line()
                self.console.print(Text(self.tr("time's up"), style="bold red"))
        except (KeyboardInterrupt, SystemExit):
            self.fresh_line()
            self._finish("interrupted")
            raise
        return self._finish(ended_by)

    def _finish(self, ended_by: str) -> dict[str, Any]:
        self.report = self.hooks.report(self.outcomes, ended_by, self.clock())
        self.hooks.save(self.report, True)
        return self.report
