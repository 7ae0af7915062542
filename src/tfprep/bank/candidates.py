"""Stage 3: units → question candidates, each with its form.

A candidate is a unit that *could* start a question: a heading, a paragraph opening with bold text or a
label (`**Q3:** …`, `Q：…`, `1、…`), a list item opening the same way, a blockquote whose first line asks,
a `<details>` whose summary is not an answer label, a row of a question | answer table. Whether it *is*
a question is decided later, per document or section, from the forms around it (see form.py).

The form key (`h3`, `bold:q`, `item:`, `details:` …) is what "the document's form" is made of: a bank asks
its questions one way, and a bold line inside an answer of a `**Q3：…**` bank is not of that form.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from tfprep.bank import text as tx
from tfprep.bank.blocks import Document, Unit
from tfprep.bank.meta import html_meta

_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_QA_HEADER_Q = re.compile(r"^(?:q|questions?|问题|题目|面试题|问)$", re.I)
_QA_HEADER_A = re.compile(r"^(?:a|answers?|explanation|solution|答案|解答|回答|参考答案|答|解析|说明)$", re.I)
_KEY_VALUE = re.compile(r"^[^:：?？]{1,12}[:：]")


@dataclass
class Candidate:
    unit: int  # index of its unit
    form: str  # "h2", "bold", "item", "qa", "num", "quote", "details", "table", "plain"
    style: str  # label style: "q" (Q3:, 问：, 第3题), "num" (1., 1、, 2.1), "" (none)
    line: int  # 0-based source line of the question
    question: str  # as shown: rendered, label stripped
    key: str  # plain text, for the id and duplicate detection
    number: tuple[str, ...] = ()
    strong: bool = False  # reads as a question or carries a Q label
    topic: bool = False  # reads as a topic ("X and Y", "X的作用")
    head: str = ""  # answer text inside the unit itself
    closed: bool = False  # the answer ends with the unit (table rows, details, self-contained items)
    stop: bool = False  # a heading that is never a question (References, 目录, Answer)
    answer_label: bool = False  # `## Answer` / `## 答案`
    label_only: bool = False  # `## Question 3`: the question is the next paragraph
    bold_line: bool = False  # the whole first line is bold (`- **Topic**` with the answer indented below)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def key_form(self) -> str:
        if self.form.startswith("h"):
            return self.form
        if self.form == "item" and self.style != "plain":
            return "item"  # bold items of one list are siblings, labelled or not
        return f"{self.form}:{self.style}"

    @property
    def level(self) -> int:
        return int(self.form[1:]) if self.form.startswith("h") and self.form[1:].isdigit() else 0


def qlike(c: Candidate) -> bool:
    return not c.stop and (c.strong or c.topic or bool(c.style))


def lead(c: Candidate) -> bool:
    """A body candidate that asks on its own: strong, labelled `Q3:` / `第3题`, or a bold bullet with its
    answer indented below it (`- **KL divergence**` then the answer: the layout itself says Q and A)."""
    return c.strong or c.style == "q" or (c.bold_line and bool(c.head.strip()))


def _style(label: tx.Label) -> str:
    return {"q": "q", "ti": "q", "num": "num"}.get(label.kind, "")


def _dedent(lines: list[str]) -> str:
    width = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
    return "\n".join(x[width:] for x in lines).strip("\n")


def _leading(children: list[Any]) -> list[Any]:
    """Inline children without empty text and leading decoration (emoji, spaces)."""
    kids = [c for c in children or () if c.type != "text" or c.content]
    first = kids[0].content if kids and kids[0].type == "text" else None
    if first is not None and not tx.NON_WORD.sub("", first.strip()):
        kids = kids[1:]  # emoji / symbols only: decoration
    return kids


_BR_SPLIT = re.compile(r"<br\s*/?>", re.I)


def _until_br(kids: list[Any]) -> list[Any]:
    for i, c in enumerate(kids):
        if c.type == "html_inline" and _BR_SPLIT.match(c.content):
            return kids[:i]
    return kids


def link_only(kids: list[Any]) -> bool:
    """A first line made only of links (a table of contents, navigation, a list of references)."""
    depth = 0
    inert = ("text", "strong_open", "strong_close", "em_open", "em_close", "image")
    for c in kids:
        if c.type in ("softbreak", "hardbreak"):
            break
        if c.type in ("link_open", "link_close"):
            depth += 1 if c.type == "link_open" else -1
        elif depth == 0 and (c.type not in inert or c.type == "text" and tx.NON_WORD.sub("", c.content)):
            return False
    return True


def first_line(inline: Any, bullet: bool = False) -> tuple[str, str, tx.Label, str, str] | None:
    """The question a paragraph's first line asks: (form, shown, plain, label, same-line remainder).

    Bold first (`**Q3: …?**`, `**Q3:** …`, `**Why?** Because…`, `**Why X**, derive it`), then a plain
    `Q:` / `问：` label, then a plain number (`1、…`, `（1）…`), then a plain line ending in `?`.
    """
    kids = _leading(inline.children)
    if not kids or link_only(kids):
        return None
    found = _first_line(kids, inline.content.split("\n", 1)[0], bullet)
    if found is None:
        return None
    form, shown, plain, label, same = found
    after_br = _BR_SPLIT.split(inline.content.split("\n", 1)[0], maxsplit=1)
    if len(after_br) == 2 and after_br[1].strip():  # the rest of a `Q … <br> A …` line is the answer
        same = "\n".join(x for x in (same, after_br[1].strip()) if x)
    return form, shown, plain, label, same


def _first_line(kids: list[Any], raw_first: str, bullet: bool) -> tuple[str, str, tx.Label, str, str] | None:
    raw_first = _BR_SPLIT.split(raw_first, maxsplit=1)[0]
    kids = _until_br(kids)
    if not kids:
        return None
    if kids[0].type == "strong_open":
        depth, k = 0, 0
        while k < len(kids):
            ty = kids[k].type
            depth += (ty == "strong_open") - (ty == "strong_close")
            if ty == "strong_close" and depth == 0:
                break
            if ty in ("softbreak", "hardbreak"):
                return None  # bold running over lines is emphasis, not a question line
            k += 1
        bold = tx.render_inline(kids[1:k])
        after = tx.render_inline(kids[k + 1 :], first_line_only=True)
        delim = kids[0].markup or "**"
        close = raw_first.find(delim, raw_first.find(delim) + len(delim))
        after_raw = raw_first[close + len(delim) :].strip() if close > 0 else ""
        label = tx.read_label(tx.nfkc(bold))
        if (
            not label.kind and after_raw[:1] and after_raw[0] in ":："
        ):  # `**Q**: question`: the label's colon after the bold
            outside = tx.read_label(tx.nfkc(bold + after_raw[0]))
            if outside.kind in ("q", "ti") and not outside.rest.strip():
                label = outside
        if label.kind and not label.rest.strip(" :："):  # `**Q3:** question text`: a Q line, bold label
            form = "qa" if label.kind in ("q", "ti") else "bold"
            after = after.lstrip(" :：")  # `**题目**：…`: the colon belongs to the label
            return (form, after, after, label, "") if after else None
        if not after.strip(" :：。.!！"):
            return "bold", bold, bold, label, ""
        if bold.rstrip().endswith(("?", "？", ":", "：")) or after_raw[:1] in "-–—":
            return "bold", bold.rstrip(" :："), bold, label, after_raw.lstrip("-–— ")
        if after_raw[:1] in ":：" and not after.rstrip().endswith(("?", "？")):  # `**Term**: definition`
            return "bold", bold, bold, label, after_raw[1:].strip()
        # `**Why X**, derive it`: bold that asks, carried on by the line. A bold lead word in a sentence
        # (`**Bias** is the error of …`) is emphasis in an answer, not a question line.
        line = tx.render_inline(kids, first_line_only=True)
        if not (label.kind or tx.reads_as_question(label.rest or bold) or tx.reads_as_question(line)):
            return None
        return "bold", line, line, tx.read_label(tx.nfkc(line)), ""
    line = tx.render_inline(kids, first_line_only=True)
    label = tx.read_label(tx.nfkc(line))
    if label.kind in ("q", "ti") and label.rest.strip():
        return "qa", line, line, label, ""
    if label.kind == "num" and label.rest.strip() and len(line) <= 200:
        return "num", line, line, label, ""
    if line.rstrip().endswith(("?", "？")) and len(line) <= 200 and not _KEY_VALUE.match(line):
        return "plain", line, line, label, ""
    if bullet and len(line) <= 200 and tx.reads_as_question(label.rest) and not _KEY_VALUE.match(line):
        return "plain", line, line, label, ""  # `* Explain decorators.` in a list of questions
    return None


def _make(u_idx: int, form: str, line: int, shown: str, plain: str, label: tx.Label, head: str) -> Candidate:
    rest = tx.read_label(tx.nfkc(plain)).rest if label.kind else tx.nfkc(plain)
    question = tx.strip_label(shown)
    return Candidate(
        unit=u_idx,
        form=form,
        style=_style(label),
        line=line,
        question=question,
        key=tx.nfkc(plain),
        number=label.number,
        strong=label.kind in ("q", "ti") or tx.reads_as_question(rest),
        topic=tx.reads_as_topic(rest),
        head=head,
    )


def _heading(doc: Document, k: int, u: Unit) -> Candidate | None:
    inline = doc.tokens[u.i + 1]
    plain = tx.plain_inline(inline.children)
    if not tx.NON_WORD.sub("", plain):
        return None  # an empty or image-only heading is content
    meta: dict[str, str] = {}
    for c in inline.children or ():
        if c.type == "html_inline" and html_meta(c.content) is not None:
            meta = html_meta(c.content) or {}
    label = tx.read_label(plain)
    c = _make(k, f"h{u.level}", u.start, tx.render_inline(inline.children), plain, label, "")
    c.meta = meta
    c.answer_label = tx.is_answer_label(plain)
    c.stop = c.answer_label or (not c.strong and tx.is_stop(plain))
    c.label_only = bool(label.kind) and not tx.NON_WORD.sub("", label.rest)
    return c


def _paragraph(doc: Document, k: int, u: Unit) -> Candidate | None:
    inline = doc.tokens[u.i + 1]
    found = first_line(inline)
    if found is None:
        return None
    form, shown, plain, label, same = found
    rest = [x.lstrip() for x in inline.content.split("\n")[1:]]
    head = "\n".join(x for x in (same, "\n".join(rest)) if x.strip())
    return _make(k, form, u.start, shown, plain, label, head)


def _item(doc: Document, k: int, u: Unit) -> Candidate | None:
    toks = doc.tokens
    if u.i + 2 >= u.j or toks[u.i + 1].type != "paragraph_open":
        return None
    inline = toks[u.i + 2]
    found = first_line(inline, bullet=not u.ordered)
    if found is None and u.ordered and not link_only(_leading(inline.children)):  # `1. What is X?`
        line = tx.render_inline(inline.children, first_line_only=True)
        found = ("plain", line, line, tx.Label("num", (toks[u.i].info or "",), line), "")
    if found is None:
        return None
    form, shown, plain, label, same = found
    if form == "plain" and u.ordered:
        label = tx.Label("num", (toks[u.i].info or "",), plain)
    body = doc.lines[u.start + 1 : u.end]
    meta: dict[str, str] = {}
    nxt = u.i + 4
    if nxt < u.j and toks[nxt].type == "html_block" and toks[nxt].map:
        parsed = html_meta(toks[nxt].content)
        if parsed is not None:
            meta = parsed
            m0, m1 = toks[nxt].map
            body = doc.lines[u.start + 1 : m0] + doc.lines[m1 : u.end]
    head = "\n".join(x for x in (same, _dedent(body)) if x.strip())
    c = _make(k, "item", u.start, shown, plain, label, head)
    c.style = c.style or ("plain" if form == "plain" else "")
    c.bold_line = form == "bold" and not same and inline.children is not None and _whole_bold(inline)
    c.meta = meta
    return c


def _quote(doc: Document, k: int, u: Unit, details_next: bool) -> Candidate | None:
    toks = doc.tokens
    if u.i + 2 >= u.j or toks[u.i + 1].type != "paragraph_open":
        return None
    inline = toks[u.i + 2]
    line = tx.render_inline(inline.children, first_line_only=True)
    if not line or (_KEY_VALUE.match(line) and "?" not in line and "？" not in line):
        return None
    label = tx.read_label(tx.nfkc(line))
    if not (details_next or tx.reads_as_question(label.rest) or label.kind in ("q", "ti")):
        return None
    inner = [re.sub(r"^ {0,3}> ?", "", x) for x in doc.lines[u.start + 1 : u.end]]
    c = _make(k, "quote", u.start, line, line, label, "\n".join(inner).strip("\n"))
    c.strong = c.strong or details_next
    return c


def _whole_bold(inline: Any) -> bool:
    """The first line is one bold span (`**Topic**`, trailing spaces or a colon aside)."""
    first = inline.content.split("\n", 1)[0].strip().rstrip(":：").rstrip()
    return first.startswith(("**", "__")) and first.endswith(("**", "__")) and len(first) > 4


def summary_text(content: str) -> str | None:
    m = _SUMMARY.search(content)
    if not m:
        return None
    inner = re.sub(r"(\*\*|__)(.+?)\1", r"\2", _TAG.sub("", m.group(1)))
    return " ".join(html.unescape(inner).split())


def _details(doc: Document, k: int, u: Unit) -> Candidate | None:
    content = "\n".join(doc.lines[u.start : u.end])
    summary = summary_text(content)
    if not summary or tx.is_answer_label(summary):
        return None
    m = _SUMMARY.search(content)
    inner = content[m.end() :] if m else ""
    inner = re.sub(r"\s*</details\s*>\s*$", "", inner, flags=re.I).strip("\n")
    label = tx.read_label(tx.nfkc(summary))
    c = _make(k, "details", u.start, summary, summary, label, _dedent(inner.split("\n")))
    c.closed = True
    return c


def _table(doc: Document, k: int, u: Unit) -> list[Candidate]:
    """Rows of a `| question | answer |` table (an optional leading `#` column is skipped)."""
    toks = doc.tokens[u.i : u.j]
    rows: list[list[tuple[str, Any]]] = []
    for t in toks:
        if t.type == "tr_open":
            rows.append([])
        elif t.type == "inline" and rows:
            rows[-1].append((t.content, t))
    if len(rows) < 2:
        return []
    header = [tx.NON_WORD.sub("", tx.nfkc(c).casefold()) for c, _ in rows[0]]
    qi = next((i for i, h in enumerate(header) if _QA_HEADER_Q.match(h)), None)
    ai = next((i for i, h in enumerate(header) if _QA_HEADER_A.match(h)), None)
    if qi is None or ai is None or qi >= ai:
        return []
    out = []
    for n, row in enumerate(rows[1:]):
        if len(row) <= ai:
            continue
        q_raw, q_tok = row[qi]
        shown = tx.render_inline(q_tok.children)
        if not tx.NON_WORD.sub("", shown):
            continue
        answer = re.sub(r"<br\s*/?>", "\n", row[ai][0], flags=re.I).strip()
        c = _make(
            k, "table", u.start + 2 + n, shown, tx.plain_inline(q_tok.children), tx.Label("", (), ""), answer
        )
        c.strong = True
        c.closed = True
        out.append(c)
    return out


def find_candidates(doc: Document) -> list[Candidate]:
    """Every candidate of the document, in source order."""
    out: list[Candidate] = []
    units = doc.units
    for k, u in enumerate(units):
        c: Candidate | None = None
        if u.kind == "heading":
            c = _heading(doc, k, u)
        elif u.kind == "paragraph":
            c = _paragraph(doc, k, u)
        elif u.kind == "item":
            c = _item(doc, k, u)
        elif u.kind == "quote":
            nxt = units[k + 1] if k + 1 < len(units) else None
            details_next = nxt is not None and nxt.kind == "details" and _answer_details(doc, nxt)
            c = _quote(doc, k, u, details_next)
        elif u.kind == "details":
            c = _details(doc, k, u)
        elif u.kind == "table":
            out.extend(_table(doc, k, u))
        if c is not None and tx.NON_WORD.sub("", c.question):
            out.append(c)
    return out


def _answer_details(doc: Document, u: Unit) -> bool:
    summary = summary_text("\n".join(doc.lines[u.start : u.end]))
    return summary is None or tx.is_answer_label(summary) or not tx.reads_as_question(summary)
