"""A concept question in the terminal: the answer typed (and saved line by line), the reference answer, the
key points (✓ covered, ? check yourself, ✗! contradicted, ✗ missed), one keystroke per "check yourself"
point to confirm or reject it, then the self-score that also schedules the card. Confirming and scoring are
not interview time: the clock does not close them."""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING

from tfprep import mock
from tfprep.mock.keypoints import concepts_for
from tfprep.mock.keypoints.text import warm_up
from tfprep.topics import topic_name
from tfprep.ui import keys

if TYPE_CHECKING:
    from tfprep.bank.model import Card
    from tfprep.ui.mock.runner import RoundRunner

YES = ("y", "yes", "是", "对")
NO = ("n", "no", "否", "不")


def ask_concept(run: RoundRunner, q: mock.Question, outcome: mock.Outcome) -> str:
    """Play one concept question: "next", "time" or "quit"."""
    from tfprep.ui.markdown import markdown

    card = run.cards[q.ref]
    run.header(q)
    meta = [run.tr("concept"), topic_name(q.topic, run.lang)]
    if q.label:
        meta.append(q.label)
    if q.why:
        meta.append(run.tr("chosen: {why}", why=q.why))
    run.dim(" · ".join(meta))
    run.console.print(markdown(card.question))
    path = run.folder / f"q{q.number:02d}-answer.md"
    outcome.file = str(path)
    run.dim(run.tr("Type your answer — several lines; an empty line (or Ctrl-D) ends it."))
    run.dim(f"{run.tr('saved as you type:')} {path}")
    start = run.clock()
    lines: list[str] = []
    timed_out = False
    with path.open("a", encoding="utf-8") as fh, run.input.answer_mode():
        if fh.tell() == 0:
            fh.write(f"<!-- {card.id} -->\n# Q{q.number}. {card.question}\n\n")
            fh.flush()

        def keep(line: str) -> None:
            lines.append(line)  # first: a Ctrl-C from here on cannot lose the line
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())
            if len(lines) == 1:
                warm_up()  # the Chinese segmenter loads while the rest of the answer is typed

        try:
            while True:
                line, timed_out = run.input.read_line(run.remaining)
                if timed_out:
                    if line:
                        keep(line)
                    break
                if line is None and not lines and not run.input.interactive:
                    outcome.status = "unanswered"  # the script ended: so does the round
                    return "quit"
                if line is None or not line.strip():
                    break
                keep(line)
        except (KeyboardInterrupt, SystemExit):
            for line in (run.input.partial or run.input.pending()).splitlines():
                keep(line)
            _close(run, card, outcome, lines, start, "interrupted" if _said(lines) else "unanswered")
            raise
    if timed_out:
        _close(run, card, outcome, lines, start, "timeout" if _said(lines) else "unanswered")
        run.fresh_line()
        if _said(lines):
            run.dim(f"{run.tr('answer kept:')} {path}")
        return "time"
    _close(run, card, outcome, lines, start, "answered" if _said(lines) else "skipped")
    _show_reference(run, card, outcome)
    if _confirm_points(run, q, outcome) == "quit":
        return "quit"
    return _self_score(run, q, card, outcome)


def _said(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)


def _close(
    run: RoundRunner, card: Card, outcome: mock.Outcome, lines: list[str], start: datetime, status: str
) -> None:
    outcome.answer = "\n".join(lines)
    outcome.points = mock.coverage(card.key_points, outcome.answer, concepts_for(card.id, run.concepts))
    outcome.seconds = (run.clock() - start).total_seconds()
    outcome.status = status


POINT_STYLE = {
    "covered": ("✓ ", "bold green", ""),
    "check": ("? ", "bold yellow", ""),
    "contradicted": ("✗! ", "bold red", ""),
    "missed": ("✗ ", "bold red", "dim"),
}


def _show_reference(run: RoundRunner, card: Card, outcome: mock.Outcome) -> None:
    from rich.rule import Rule
    from rich.text import Text

    from tfprep.ui.markdown import markdown
    from tfprep.ui.mock.mathtext import plain_math

    c = run.console
    c.print(Rule(run.tr("reference answer"), style="dim"))
    c.print(markdown(card.answer or run.tr("_(no answer written)_")))
    c.print(Rule(style="dim"))
    if not outcome.points:
        run.dim(run.tr("(this card marks no key points)"))
        return
    if not outcome.answer.strip():
        c.print(Text(run.tr("empty answer: this question scores 0"), style="bold red"))
        return
    counts = {s: sum(p.state == s for p in outcome.points) for s in ("covered", "check", "contradicted")}
    summary = run.tr("key points: {c}/{t} covered", c=counts["covered"], t=len(outcome.points))
    if counts["check"]:
        summary += " · " + run.tr("{n} to check yourself", n=counts["check"])
    if counts["contradicted"]:
        summary += " · " + run.tr("{n} contradicted", n=counts["contradicted"])
    c.print(Text(summary, style="bold"))
    for p in outcome.points:
        mark, style, text_style = POINT_STYLE[p.state]
        line = Text("  ")
        line.append(mark, style=style)
        line.append(plain_math(p.point, delimited=False), style=text_style)
        if p.state == "contradicted" and p.evidence:
            line.append(f"  — {run.tr('you said')}: “{p.evidence}”", style="red")
        c.print(line)


def _confirm_points(run: RoundRunner, q: mock.Question, outcome: mock.Outcome) -> str:
    """One keystroke per "check yourself" point: y it was in my answer, n it was not. "quit" on q."""
    from rich.text import Text

    from tfprep.ui.mock.mathtext import plain_math

    todo = [p for p in outcome.points if p.state == "check"]
    if not todo or not outcome.answer.strip():
        return "next"
    run.console.print(Text(run.tr("Check yourself: did your answer say it? y yes · n no"), style="bold"))
    with run.input.key_mode():
        for p in todo:
            run.console.print(
                Text.assemble("  ? ", (plain_math(p.point, delimited=False), ""), "  [y/n] "), end=""
            )
            while True:
                action, raw, _ = run.input.read_key(lambda: None)
                key = raw.strip().lower()
                if key in YES or key in NO:
                    p.confirmed = key in YES
                    run.console.print(
                        Text("✓" if p.confirmed else "✗", style="green" if p.confirmed else "red")
                    )
                    break
                if action == keys.QUIT:
                    run.console.print()
                    return "quit"
    run.save_running()
    return "next"


def _self_score(run: RoundRunner, q: mock.Question, card: Card, outcome: mock.Outcome) -> str:
    from rich.text import Text

    run.header(q)
    prompt = Text(run.tr("Score yourself (also schedules the card): "), style="bold")
    prompt.append(run.hooks.labels(card), style="")
    run.console.print(prompt)
    with run.input.key_mode():
        while True:
            action, _raw, _ = run.input.read_key(lambda: None)  # scoring is not interview time
            if action in keys.RATINGS:
                rating = int(action)
                outcome.self_score = rating
                message = run.hooks.rate(card, rating, int(outcome.seconds * 1000))
                if message:
                    run.console.print(message, highlight=False)
                return "next"
            if action == keys.QUIT:
                return "quit"
            run.dim(run.tr("press 1-4 to score yourself · q ends the round"))
