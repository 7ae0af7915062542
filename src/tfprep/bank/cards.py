"""Stage 5: questions → cards: answer text from the source lines, metadata, key points, ids, duplicates,
placeholders — with a problem (and its line) for everything that does not become a card."""

from __future__ import annotations

from dataclasses import dataclass, field

from tfprep.bank import cleanup
from tfprep.bank import text as tx
from tfprep.bank.blocks import Document
from tfprep.bank.candidates import first_line
from tfprep.bank.form import Question
from tfprep.bank.meta import html_meta, key_points, split_tags
from tfprep.bank.model import Card, Problem
from tfprep.i18n import tr


@dataclass
class Draft:
    """One question with its answer, before duplicates are merged and ids given."""

    line: int  # 0-based
    question: str
    key: str  # plain text for the id and duplicate detection
    number: tuple[str, ...]
    answer: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    key_points: tuple[str, ...] = ()
    placeholder: bool = False
    units: tuple[int, int] = (0, 0)  # the units [a, b) its answer covers


def draft(doc: Document, q: Question) -> Draft:
    c = q.cand
    units = doc.units
    d = Draft(c.line, c.question, c.key, c.number, meta=dict(c.meta))
    a, b = c.unit + 1, max(c.unit + 1, q.end)
    head = c.head
    if c.label_only and a < b and units[a].kind == "paragraph":  # `## Question 3` then the question
        found = first_line(doc.tokens[units[a].i + 1])
        if found is not None or doc.tokens[units[a].i + 1].content.strip():
            inline = doc.tokens[units[a].i + 1]
            d.question = tx.strip_label(tx.render_inline(inline.children, first_line_only=True))
            d.key = tx.plain_inline(inline.children, first_line_only=True)
            head = "\n".join(inline.content.split("\n")[1:])
            a += 1
    b = cleanup.trim_trailing(doc.lines, units, a, b)
    if a < b and units[a].kind == "heading" and tx.is_answer_label(_heading_text(doc, a)):
        a += 1  # a leading `### Answer` is only a label
    if a < b and units[a].kind == "html" and not d.meta:
        parsed = html_meta(doc.tokens[units[a].i].content)
        if parsed is not None:
            d.meta = parsed
            a += 1
    d.units = (c.unit, b)
    parts = [head] if head.strip() else []
    if a < b:
        parts.append("\n".join(doc.lines[units[a].start : units[b - 1].end]))
    answer = "\n".join(parts).strip("\n")
    answer = cleanup.unwrap_details(answer)
    answer = cleanup.strip_answer_prefix(answer)
    d.answer = cleanup.clean_answer(answer)
    d.placeholder = cleanup.is_placeholder(d.answer)
    i, j = units[c.unit].i, units[b - 1].j if b > c.unit else units[c.unit].j
    d.key_points = key_points(doc.tokens, i, j)
    return d


def _heading_text(doc: Document, k: int) -> str:
    return tx.plain_inline(doc.tokens[doc.units[k].i + 1].children)


def _short(text: str, n: int = 60) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def to_cards(drafts: list[Draft], base_tags: list[str], source: str) -> tuple[list[Card], list[Problem]]:
    """Drafts → cards: empty and placeholder answers skipped, copies merged, ids given; with problems."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(line=line, message=message, source=source))

    answered = [d for d in drafts if not d.placeholder]
    empty = [d for d in drafts if d.placeholder]
    keys = {id(d): tx.normalise_question(d.key) for d in drafts}
    kept: list[Draft] = []
    first_by_key: dict[str, Draft] = {}
    for d in answered:
        k = keys[id(d)]
        if k and k in first_by_key:
            problem(
                d.line + 1,
                tr(
                    "duplicate question (first at line {line}); only the first is kept",
                    line=first_by_key[k].line + 1,
                ),
            )
            continue
        first_by_key[k] = d
        kept.append(d)
    for d in empty:
        match = first_by_key.get(keys[id(d)])
        if match is None and not d.answer.strip():  # a placeholder is not a copy of a similar question
            match = _similar(d, keys, kept)
        if match is not None:
            problem(
                d.line + 1,
                tr(
                    "duplicate question without an answer; merged into the answered copy at line {line}",
                    line=match.line + 1,
                ),
            )
        elif d.answer.strip():
            problem(
                d.line + 1,
                tr(
                    "placeholder answer {answer} skipped: {question}; write a real answer",
                    answer=repr(_short(d.answer, 20)),
                    question=_short(d.question),
                ),
            )
        else:
            problem(
                d.line + 1,
                tr("question has no answer: {question}; write one below it", question=_short(d.question)),
            )
    cards: list[Card] = []
    seen: dict[str, int] = {}
    for d in kept:
        explicit = d.meta.get("id", "").strip()
        cid = explicit or tx.derived_id(d.key or d.question)
        if cid in seen:
            if explicit:
                msg = tr(
                    "duplicate id {id} (first at line {line}); give this card a unique id",
                    id=repr(cid),
                    line=seen[cid],
                )
            else:
                msg = tr(
                    "duplicate derived id {id} (first at line {line}); give this card a unique id",
                    id=repr(cid),
                    line=seen[cid],
                )
            problem(d.line + 1, msg)
            continue
        seen[cid] = d.line + 1
        tags = tuple(dict.fromkeys(base_tags + split_tags(d.meta.get("tags", ""))))
        cards.append(Card(cid, d.question, d.answer, d.line + 1, tags, d.key_points))
    return cards, problems


def _similar(d: Draft, keys: dict[int, str], answered: list[Draft]) -> Draft | None:
    """The answered question an empty one is a copy of: same text up to a typo, a shortening, or a renaming
    under the same number. None if nothing is close enough."""
    a = keys[id(d)]
    if len(a) < 2 or not answered:
        return None
    from difflib import SequenceMatcher

    best: tuple[float, Draft] | None = None
    sa = set(a)
    for c in answered:
        b = keys[id(c)]
        if not b:
            continue
        short, long = (a, b) if len(a) <= len(b) else (b, a)
        if len(short) >= 4 and short in long and len(short) * 2 >= len(long):
            score = 0.9
        else:
            sb = set(b)
            if len(sa & sb) * 2 < min(len(sa), len(sb)):  # cheap filter before difflib
                continue
            score = SequenceMatcher(None, a, b, autojunk=False).ratio()
        same_number = bool(d.number) and d.number == c.number
        if score >= (0.6 if same_number else 0.85) and (best is None or score > best[0]):
            best = (score, c)
    return best[1] if best else None
