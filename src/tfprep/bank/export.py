"""Cards → JSON dicts, Anki TSV. Pure: returns strings, writes nothing."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tfprep.bank.model import Card, Problem

# Anki's "Notes in Plain Text" import reads these file headers; `#guid column:1` makes a re-import update
# the notes it made before (matched by GUID) instead of adding duplicates.
ANKI_HEADER = ("#separator:tab", "#html:true", "#guid column:1", "#tags column:4")
GUID_PREFIX = "tfprep:"

_HTML_MD: Any = None


def card_dict(card: Card) -> dict[str, Any]:
    """The JSON shape of one card (`bank check --json` and `bank export --format json`)."""
    return {
        "id": card.id,
        "question": card.question,
        "answer": card.answer,
        "line": card.line,
        "tags": list(card.tags),
        "source": card.source,
        "key_points": list(card.key_points),
        "deck": card.deck,
        "lang": card.lang,
    }


def problem_dict(problem: Problem) -> dict[str, Any]:
    return {"line": problem.line, "message": problem.message, "source": problem.source}


def to_json(cards: list[Card]) -> str:
    """A JSON array of card objects, one per card, in file order."""
    return json.dumps([card_dict(c) for c in cards], ensure_ascii=False, indent=2) + "\n"


def _mathjax(content: str, opts: dict[str, Any]) -> str:
    from markdown_it.common.utils import escapeHtml

    if opts.get("display_mode"):
        return escapeHtml(f"\\[{content}\\]")
    return escapeHtml(f"\\({content}\\)")


def html_renderer() -> Any:
    """markdown-it configured like the parser, but rendering math as `\\(…\\)` / `\\[…\\]` for MathJax."""
    global _HTML_MD
    if _HTML_MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin
        from mdit_py_plugins.front_matter import front_matter_plugin

        _HTML_MD = (
            MarkdownIt("commonmark")
            .enable("table")
            .use(front_matter_plugin)
            .use(dollarmath_plugin, renderer=_mathjax)
        )
    return _HTML_MD


def to_html(markdown: str) -> str:
    return html_renderer().render(markdown).strip()


def inline_html(markdown: str) -> str:
    return html_renderer().renderInline(markdown).strip()


def anki_guid(card: Card) -> str:
    """The note GUID of a card: stable as long as its id is (explicit `<!-- id: … -->`, or the question)."""
    return GUID_PREFIX + card.id


def to_anki(cards: list[Card]) -> str:
    """Anki "Notes in plain text" import file: header lines, then guid<TAB>front<TAB>back<TAB>tags per note.

    Fields are HTML (`#html:true`); a field holding a tab, newline or quote is quoted CSV-style with
    doubled quotes, which Anki's importer reads back exactly.
    """
    buf = io.StringIO()
    buf.write("\n".join(ANKI_HEADER) + "\n")
    writer = csv.writer(buf, delimiter="\t", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    for c in cards:
        writer.writerow([anki_guid(c), inline_html(c.question), to_html(c.answer), " ".join(c.tags)])
    return buf.getvalue()
