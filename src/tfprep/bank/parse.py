"""Markdown text → `Deck`: the pipeline. Pure: no I/O, no clock.

    blocks.read_document      tokens → top-level units with source lines (<details> spans kept whole)
    candidates.find_candidates units → question candidates, each with its form
    form.decide               the document's / each section's question form → questions with answer spans
    cards.draft / to_cards    answers from source lines, metadata, key points, ids, duplicates, placeholders
    cleanup                   stray HTML, `A：` prefixes, footers and banners out of answers
    coverage (here)           text that lands in no card is reported with its lines

See docs/bank-format.md for the user-facing rules.
"""

from __future__ import annotations

import gc
import html
import re

from tfprep.bank import cleanup
from tfprep.bank.blocks import Document, markdown_parser, read_document
from tfprep.bank.candidates import find_candidates
from tfprep.bank.cards import Draft, draft, to_cards
from tfprep.bank.form import Layout, decide
from tfprep.bank.meta import front_matter, guess_lang
from tfprep.bank.model import Card, Deck, Problem
from tfprep.bank.text import derived_id, normalise_question, render_inline, strip_label
from tfprep.i18n import tr

__all__ = ["derived_id", "markdown_parser", "normalise_question", "parse_text"]


def _unclosed_fences(doc: Document) -> list[Problem]:
    out = []
    for t in doc.tokens:
        if t.type != "fence" or not t.map:
            continue
        start, end = t.map
        last = doc.lines[end - 1].lstrip(" \t>") if end - 1 < len(doc.lines) else ""
        ch = t.markup[:1]
        closed = end - start >= 2 and last.startswith(t.markup) and not last.strip().strip(ch)
        if not closed:
            msg = tr("code fence opened here is never closed; add a closing {fence}", fence=t.markup)
            out.append(Problem(start + 1, msg))
    return out


def _dropped(doc: Document, layout: Layout, drafts: list[Draft]) -> list[Problem]:
    """Text that lands in no card, outside the title area: one problem per run of units."""
    covered: set[int] = set(layout.quiet)
    for d in drafts:
        covered.update(range(d.units[0], d.units[1]))
    heads = {q.cand.unit for q in layout.questions}
    # the title area (before the first `##` heading and the first question: title, badges, description)
    # is not reported; a section's own text before its questions is
    sub_heading = next(
        (k for k, u in enumerate(doc.units) if u.kind == "heading" and u.level >= 2), len(doc.units)
    )
    first = min(min(heads, default=len(doc.units)), sub_heading) if heads else len(doc.units)
    out: list[Problem] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            a, b = doc.units[run[0]], doc.units[run[-1]]
            if a.end - a.start <= 1 and a is b:
                msg = tr("this text is in no card (not under a question); check the layout")
            else:
                msg = tr(
                    "lines {start}–{end} are in no card (not under a question); check the layout",
                    start=a.start + 1,
                    end=b.end,
                )
            out.append(Problem(a.start + 1, msg))
            run.clear()

    for k in range(first, len(doc.units)):
        u = doc.units[k]
        if k in covered or u.kind in ("heading", "hr", "front_matter"):
            flush()
            continue
        if cleanup.is_boilerplate(doc.lines, u) or u.kind == "html" and u.end - u.start <= 1:
            continue
        run.append(k)
    flush()
    return out


def _parse(text: str, source: str, default_title: str) -> Deck:
    doc = read_document(text)
    fm = {"title": "", "lang": "", "tags": []}
    if doc.units and doc.units[0].kind == "front_matter":
        fm = front_matter(doc.tokens[doc.units[0].i].content)
    cands = find_candidates(doc)
    layout = decide(doc, cands)
    drafts = [draft(doc, q) for q in layout.questions]
    cards, problems = to_cards(drafts, list(fm["tags"]), source)
    problems += _unclosed_fences(doc)
    problems += _dropped(doc, layout, drafts)
    for c, q in layout.inside:
        problems.append(
            Problem(
                c.line + 1,
                tr(
                    "line {line} looks like a question inside the answer of line {question}",
                    line=c.line + 1,
                    question=q.line + 1,
                ),
            )
        )
    title = fm["title"] or _first_title(doc, layout) or default_title
    lang = fm["lang"] if fm["lang"] in ("zh", "en") else guess_lang(doc.text)
    cards = [
        Card(c.id, c.question, c.answer, c.line, c.tags, c.key_points, source, title, lang) for c in cards
    ]
    if not cards and not drafts:
        if not doc.text.strip():
            msg = tr(
                "empty file: no questions; write `## Question?` headings with answers (see docs/bank-format.md)"
            )
        else:
            msg = tr(
                "no questions found; write `## Question?` headings with answers (see docs/bank-format.md)"
            )
        problems.append(Problem(1, msg))
    problems = sorted((Problem(p.line, p.message, source) for p in problems), key=lambda p: p.line)
    return Deck(
        title=title,
        lang=lang,
        tags=tuple(dict.fromkeys(fm["tags"])),
        source=source,
        cards=cards,
        problems=problems,
    )


def _first_title(doc: Document, layout: Layout) -> str:
    questions = {q.cand.unit for q in layout.questions}
    for k, u in enumerate(doc.units):
        if u.kind == "heading" and u.level == 1 and k not in questions:
            title = strip_label(render_inline(doc.tokens[u.i + 1].children))
            if title:
                return title
        if u.kind == "html" and k < 5:  # `<h1 align="center">Title</h1>` of a README
            m = re.search(r"<h1\b[^>]*>(.*?)</h1>", doc.tokens[u.i].content, re.S | re.I)
            title = " ".join(html.unescape(re.sub(r"<[^>]*>", "", m.group(1))).split()) if m else ""
            if title:
                return title
    return ""


def parse_text(text: str, source: str = "", default_title: str = "") -> Deck:
    """Parse one bank's markdown into a Deck (cards + problems). Pure: no files, no clock."""
    # markdown-it allocates a few hundred thousand tokens for a big bank and none of them form cycles;
    # pausing the cyclic GC meanwhile saves ~20% of the time (bench/bench_bank.py). State is restored.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, source, default_title)
    finally:
        if was_enabled:
            gc.enable()
