"""`tfprep bank`: check and export question banks. Heavy imports stay inside the commands."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from tfprep.cli.app import app
from tfprep.i18n import tr

bank_app = typer.Typer(
    name="bank",
    help="Check and export question banks (markdown files; see docs/bank-format.md).",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(bank_app, name="bank")

PATHS_HELP = "Bank files, folders of *.md banks, or builtin:en / builtin:zh (the banks tfprep ships)."


class ExportFormat(StrEnum):
    anki = "anki"
    json = "json"


def _load(paths: list[Path]):  # noqa: ANN202 - list[Deck], imported lazily
    from tfprep.bank.load import load_banks

    return load_banks(paths)


def cards_count(n: int) -> str:
    return tr("1 card") if n == 1 else tr("{n} cards", n=n)


def problems_count(n: int) -> str:
    return tr("1 problem") if n == 1 else tr("{n} problems", n=n)


def files_count(n: int) -> str:
    return tr("1 file") if n == 1 else tr("{n} files", n=n)


def _cross_file_id_problems(decks) -> list:  # noqa: ANN001 - list[Deck]
    """Ids must be unique across every bank loaded together."""
    from tfprep.bank.model import Problem

    first: dict[str, tuple[str, int]] = {}
    out = []
    for deck in decks:
        for card in deck.cards:
            if card.id in first and first[card.id][0] != card.source:
                src, line = first[card.id]
                msg = tr(
                    "id {id} is also used at {where}; ids must be unique",
                    id=repr(card.id),
                    where=f"{src}:{line}",
                )
                out.append(Problem(card.line, msg, card.source))
            first.setdefault(card.id, (card.source, card.line))
    return out


@bank_app.command("check")
def check(
    paths: list[Path] = typer.Argument(..., help=PATHS_HELP, show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object: cards and problems."),
    list_cards: bool = typer.Option(False, "--list", "-l", help="Also list every card (line, id, question)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when there is any problem (for CI)."),
) -> None:
    """Parse banks and report their cards and problems (`file:line: message`).

    Problems are warnings (exit 0) unless `--strict`: questions without answers, placeholder answers, text
    that lands in no card, question-like lines inside an answer, files in a folder that cannot be read. A
    file named directly that cannot be read is an error (exit 2).

    Example: `tfprep bank check builtin:en --list`

    Example: `tfprep bank check my-notes/ --json | jq '.problems'`
    """
    decks = _load(paths)
    problems = [p for d in decks for p in d.problems] + _cross_file_id_problems(decks)
    if as_json:
        import json

        from tfprep.bank.export import card_dict, problem_dict

        out = {
            "cards": [card_dict(c) for d in decks for c in d.cards],
            "problems": [problem_dict(p) for p in problems],
        }
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        _print_check(decks, problems, list_cards)
    if strict and problems:
        raise typer.Exit(1)


def _print_check(decks, problems, list_cards: bool) -> None:  # noqa: ANN001
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    by_source: dict[str, list] = {}
    for p in problems:
        by_source.setdefault(p.source, []).append(p)
    total = 0
    for deck in decks:
        mine = sorted(by_source.get(deck.source, []), key=lambda p: p.line)
        total += len(deck.cards)
        line = Text(deck.source, style="bold")
        line.append(": ")
        counts = tr(
            "{cards}, {problems}", cards=cards_count(len(deck.cards)), problems=problems_count(len(mine))
        )
        line.append(counts, style="yellow" if mine else "green")
        line.append(f"  ({deck.title or '-'}, {deck.lang or '?'})", style="dim")
        console.print(line)
        for p in mine:
            console.print(f"{p.source}:{p.line}: {p.message}", markup=False)
        if list_cards:
            for c in deck.cards:
                question = " ".join(c.question.split())
                console.print(
                    f"{c.line:>6}  {c.id}  {question}",
                    markup=False,
                    no_wrap=True,
                    overflow="ellipsis",
                    soft_wrap=False,
                )
    if len(decks) > 1:
        summary = tr(
            "{files}: {cards}, {problems}",
            files=files_count(len(decks)),
            cards=cards_count(total),
            problems=problems_count(len(problems)),
        )
        console.print(Text(summary, style="bold"))


@bank_app.command("export")
def export(
    paths: list[Path] = typer.Argument(..., help=PATHS_HELP, show_default=False),
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="anki (tab-separated, HTML) or json."),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="PATH", help="Write here instead of stdout."
    ),
) -> None:
    """Export cards for Anki (File → Import) or as JSON.

    Anki: a tab-separated file whose headers (`#separator:tab`, `#html:true`, `#guid column:1`,
    `#tags column:4`) Anki reads on import; columns are the note GUID (from the card id, so importing
    again after edits updates the notes instead of duplicating them), front (question), back (answer as
    HTML, math as `\\(…\\)` / `\\[…\\]` for MathJax), tags.
    JSON: an array of cards, the same objects as `bank check --json` prints under "cards".

    Example: `tfprep bank export builtin:zh --format anki -o tfprep-zh.txt`
    """
    from tfprep.bank.export import to_anki, to_json
    from tfprep.bank.load import all_cards
    from tfprep.errors import BankError

    cards = all_cards(_load(paths))
    text = to_anki(cards) if fmt is ExportFormat.anki else to_json(cards)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BankError(
            tr(
                "cannot write {path} ({reason}); choose another --output path.",
                path=output,
                reason=exc.strerror or exc,
            )
        ) from None
    typer.echo(tr("wrote {cards} to {path}", cards=cards_count(len(cards)), path=output), err=True)
