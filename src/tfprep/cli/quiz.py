"""`tfprep quiz`: review flashcards with spaced repetition (FSRS)."""

from __future__ import annotations

import re
import sys
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfprep.cli.app import app
from tfprep.cli.common import pick_lang
from tfprep.errors import BankError, TfprepError
from tfprep.i18n import tr

if TYPE_CHECKING:
    from datetime import tzinfo

    from tfprep.bank.model import Card


def local_tz() -> tzinfo | None:
    from datetime import datetime

    return datetime.now().astimezone().tzinfo


def normalise_tag(tag: str) -> str:
    return re.sub(r"[\s_]+", "-", tag.strip().lower())


def load_cards(banks: list[Path] | None, lang: str) -> tuple[list[Card], list[str]]:
    """The cards of the banks named (else the built-in banks of `lang`), first copy of each id; and warnings."""
    from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks

    if banks:
        decks = load_banks(list(banks))
    else:
        paths = builtin_bank_paths(lang)
        if not paths:
            raise TfprepError(
                tr(
                    "there are no built-in {lang} banks; pass --bank PATH or try --lang {other}.",
                    lang=lang,
                    other="en" if lang == "zh" else "zh",
                )
            )
        decks = load_banks(paths)
    seen: set[str] = set()
    cards: list[Card] = []
    dupes = 0
    for card in all_cards(decks):
        if card.id in seen:
            dupes += 1
            continue
        seen.add(card.id)
        cards.append(card)
    warnings = (
        [tr("{n} cards share an id with an earlier card and were skipped; see `tfprep bank check`.", n=dupes)]
        if dupes
        else []
    )
    return cards, warnings


def filter_topics(cards: list[Card], topics: list[str]) -> list[Card]:
    wanted = {normalise_tag(t) for t in topics}
    chosen = [c for c in cards if wanted & {normalise_tag(t) for t in c.tags}]
    if not chosen:
        from collections import Counter

        common = [t for t, _ in Counter(t for c in cards for t in c.tags).most_common(12)]
        known = ", ".join(common) if common else tr("(these cards have no tags)")
        raise TfprepError(
            tr(
                "no card has topic {topics}; topics here: {known}.",
                topics=", ".join(sorted(wanted)),
                known=known,
            )
        )
    return chosen


@app.command()
def quiz(
    bank: list[Path] | None = typer.Option(
        None,
        "--bank",
        "-b",
        metavar="PATH",
        help="A bank file or a folder of .md banks; repeat for several. Default: the built-in banks.",
    ),
    topic: list[str] | None = typer.Option(
        None,
        "--topic",
        "-t",
        metavar="TAG",
        help="Only cards with this tag (e.g. attention, kv-cache); repeat for several.",
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        metavar="zh|en",
        help="Built-in banks in zh or en. Default: from $LANG (zh* → zh, else en).",
    ),
    limit: int | None = typer.Option(
        None, "--limit", "-n", metavar="N", help="At most this many cards in the session."
    ),
    new: int = typer.Option(
        20, "--new", metavar="N", help="New cards allowed per day (counting those already started today)."
    ),
    cram: bool = typer.Option(
        False, "--cram", help="Review the selected cards whatever their schedule; changes nothing stored."
    ),
    retention: float = typer.Option(
        0.9,
        "--retention",
        metavar="R",
        help="Desired retention, 0.70-0.99: higher = more reviews, fewer lapses.",
    ),
) -> None:
    """Review flashcards: due cards first (most overdue first), then new ones.

    Each card shows its question; **Enter** reveals the answer (math as Unicode, code highlighted); then one
    key rates it — **1** Again, **2** Hard, **3** Good, **4** Easy — each labelled with the interval it would
    give. **u** undoes the last rating (again and again, within the session), **q** quits with a summary.
    Every rating is saved the moment you make it. Cards you rate Again come back later in the session.

    When stdin is not a terminal, each line is one action (empty line = reveal, `1`-`4`, `u`, `q`; end of
    input quits), so a session can be scripted.

    `--cram` reviews regardless of schedule and stores nothing: your schedule and review history are
    unchanged, and cram ratings are not logged.

    Example: `tfprep quiz --lang en --topic attention --limit 10`
    """
    from datetime import datetime

    from rich.console import Console
    from rich.text import Text

    from tfprep import srs
    from tfprep.paths import Paths
    from tfprep.store import Store
    from tfprep.ui import keys
    from tfprep.ui.quiz import QuizSession, print_summary, when

    retention = srs.check_retention(retention)
    lang_code = pick_lang(lang)
    if limit is not None and limit < 1:
        raise TfprepError(tr("--limit must be at least 1 (got {n}).", n=limit))
    if new < 0:
        raise TfprepError(tr("--new must be 0 or more (got {n}).", n=new))
    if bank:
        missing = [str(p) for p in bank if not Path(p).exists()]
        if missing:
            raise BankError(
                tr("{path}: no such bank file or folder; check the --bank path.", path=missing[0])
            )

    cards, warnings = load_cards(bank, lang_code)
    if not cards:
        raise BankError(tr("these banks have no questions; check them with `tfprep bank check`."))
    if topic:
        cards = filter_topics(cards, topic)

    console = Console(highlight=False, markup=False)  # card decks, paths and warnings are text
    err = Console(stderr=True, highlight=False)
    for w in warnings:
        err.print(Text.assemble((tr("warning:"), "yellow"), " ", w))

    tz = local_tz()
    now = datetime.now(UTC)
    with Store.open(Paths.from_env()) as store:
        stored = store.card_states(c.id for c in cards)
        states = {cid: srs.state_from_json(js) for cid, js in stored.items()}
        spent = store.new_cards_since(srs.day_start(now, tz))
        new_left = max(0, new - spent)
        if not cram:  # the study loop: new cards related to failed/slow drills and weak mock topics first
            from tfprep.cli.studyloop import related_first

            cards = related_first(cards, store, now)
        queue = srs.build_queue(
            cards, states, now, end_of_day=srs.day_end(now, tz), new_left=new_left, limit=limit, cram=cram
        )
        if not queue.items:
            console.print(
                tr(
                    "Nothing due among {n} cards. Next review: {when}.",
                    n=len(cards),
                    when=when(queue.next_due, now, tz),
                )
            )
            if queue.new_total and new_left == 0 and new > 0:
                console.print(
                    tr(
                        "New cards: {n} waiting, but today's limit of {limit} is used ({spent} started today) — `tfprep quiz --new {more}` to learn more.",
                        n=queue.new_total,
                        limit=new,
                        spent=spent,
                        more=new + 10,
                    )
                )
            elif queue.new_total:
                console.print(
                    tr("New cards: {n} waiting — `tfprep quiz --new 10` to start some.", n=queue.new_total)
                )
            console.print(tr("Review anyway with `tfprep quiz --cram` (your schedule stays unchanged)."))
            return
        session = QuizSession(
            queue=queue,
            states=states,
            scheduler=srs.make_scheduler(retention),
            store=None if cram else store,
            console=console,
            reader=keys.reader_for(sys.stdin),
            cram=cram,
            tz=tz,
        )
        try:
            summary = session.run()
        except KeyboardInterrupt:
            print_summary(console, session.summary(finished=False), datetime.now(UTC), tz)
            raise
        print_summary(console, summary, datetime.now(UTC), tz)
