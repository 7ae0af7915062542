"""Stage 4: which candidates are questions — the document's (or each section's) question form.

1. Headings inside the answer of a bold / list / Q-label question are demoted to content: a `### Sub-point`
   between two `**Q1：…**` questions, with text of its own, is part of Q1's answer, not a section.
2. The remaining headings form a tree, decided top-down: a heading that reads as a question (or sits at a
   level where nearly every heading does) is a question and its whole subtree is its answer; a heading
   holding questions below it is a section.
3. In a section's own text (and in a file without headings), the form with the most question-like
   candidates (`**…**` paragraphs, bold bullets, `Q:` lines, `1、` lines, `<details>`, quotes, tables) is
   the section's form; weak candidates of that form (topics without `?`) count too. Another form is split
   on as well only when no form dominates (a file mixing styles).
4. A strong candidate that continues a question's numbering (`1.1` → `1.2`) is a sibling, whatever its
   form; any other question-like candidate inside an answer stays there and is reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tfprep.bank import text as tx
from tfprep.bank.blocks import Document, substance
from tfprep.bank.candidates import Candidate, lead, qlike
from tfprep.bank.headings import (
    Node,
    demote,
    descend,
    holds_questions,
    is_question_heading,
    next_at_or_above,
    subparts,
    tree,
)


@dataclass
class Question:
    cand: Candidate
    end: int  # one past the last unit of its answer; the answer is units (cand.unit, end) plus cand.head


@dataclass
class Layout:
    questions: list[Question]
    inside: list[tuple[Candidate, Candidate]]  # (question-like candidate, question whose answer holds it)
    quiet: set[int] = field(default_factory=set)  # units never reported as dropped (stop sections)


def _shares(cands: list[Candidate]) -> dict[str, float]:
    """Per body form: the share of its candidates that read as questions (forms with ≥ 2 such only)."""
    forms: dict[str, list[Candidate]] = {}
    for c in cands:
        forms.setdefault(c.key_form, []).append(c)
    out = {}
    for f, cs in forms.items():
        strong = sum(lead(c) for c in cs)
        if strong >= 2:
            out[f] = strong / len(cs)
    return out


def _choose_body(doc: Document, region: list[Candidate], shares: dict[str, float]) -> list[Candidate]:
    """The questions among one section's own body candidates (module docstring, step 3). `shares` are the
    document-wide shares of question-like candidates per form: a section of topic-style bullets in a bank
    of bullet questions is still a section of questions."""
    if not region:
        return []
    forms: dict[str, list[Candidate]] = {}
    for c in region:
        forms.setdefault(c.key_form, []).append(c)
    strong = {f: sum(lead(c) for c in cs) for f, cs in forms.items()}
    ranked = sorted(
        forms,
        key=lambda f: (-strong[f], -shares.get(f, 0), f.endswith(("plain", ":")), region.index(forms[f][0])),
    )
    first = next((c for c in region if lead(c)), None)
    if first is not None and first.style == "q" and first.key_form in ranked:
        # the section opens with a `Q1：` / `第1题` label: labels mark its questions, whatever else is more frequent
        ranked.remove(first.key_form)
        ranked.insert(0, first.key_form)
    best = ranked[0]
    if best in ("plain:", "item:plain") and strong[best] < 2:  # lines ending in `?`: a form when several
        return []
    if strong[best] == 0 and shares.get(best, 0) < 0.5:
        return []
    share = max(shares.get(best, 0), strong[best] / len(forms[best]))
    chosen = {id(c) for c in forms[best] if lead(c) or _weak_ok(c, share)}
    chosen |= {id(c) for c in region if c.form == "table"}
    labelled = forms[best][0].style in ("q", "num")
    for f in ranked[1:]:
        if labelled:
            continue  # `**Q3：…**` / `1、…` questions say which lines are questions: others are in answers
        dominant = len(forms[best]) >= 2 and strong[best] >= 2 * strong[f]
        if not dominant:
            chosen |= {id(c) for c in forms[f] if lead(c)}
        elif not labelled:  # a `**Q3：…**` among unlabelled bold questions is a question all the same
            chosen |= {id(c) for c in forms[f] if c.style == "q" and c.form != "qa"}
    # another form's line right under a question of the section's form, before any answer, is its sub-question
    for prev, c in zip(region, region[1:], strict=False):
        if (
            id(c) in chosen
            and c.key_form != best
            and id(prev) in chosen
            and prev.key_form == best
            and not prev.head.strip()
            and not substance(doc, prev.unit + 1, c.unit)
        ):
            chosen.discard(id(c))
    first = min((c.unit for c in region if id(c) in chosen), default=None)
    for c in region:  # question-like lines before the section's first question are questions too
        if first is not None and c.unit < first and lead(c) and c.form != "plain":
            chosen.add(id(c))
    return [c for c in region if id(c) in chosen]


def _weak_ok(c: Candidate, share: float) -> bool:
    """A topic-style candidate of the section's form ("Precision-recall trade-off") is a question when
    most of its form reads as questions, unless it is a label with text after it (`**Note:** …`)."""
    if c.form == "plain" or (c.form == "item" and c.style == "plain"):
        return False
    return share >= 0.5 and not c.question.endswith((":", "：")) and not c.key.rstrip().endswith((":", "："))


def _mixed(doc: Document, cands: list[Candidate]) -> Layout:
    """A short file that asks each question a different way (a `##` question, a `- **Q2:**` bullet, a bold
    line, a `### 4.` heading, a `> Q5:` quote…): every question-like candidate is a question; an answer
    runs to the next question, the next heading of its level or above, or a `---`."""
    heads = [c for c in cands if c.form.startswith("h")]
    closes = next_at_or_above(heads)
    quiet: set[int] = set()
    for i, h in enumerate(heads):
        if h.stop and not h.answer_label:  # References, 目录, …: never questions, never reported
            quiet.update(
                range(h.unit + 1, heads[closes[i]].unit if closes[i] < len(heads) else len(doc.units))
            )
    qs = [c for c in cands if lead(c) and not c.stop and not c.answer_label and c.unit not in quiet]
    units = sorted({c.unit for c in qs})
    out = []
    for c in qs:
        end = next((u for u in units if u > c.unit), len(doc.units))
        stop = c.unit + 1
        while stop < end:
            u = doc.units[stop]
            if u.kind == "hr" or (u.kind == "heading" and (not c.level or u.level <= c.level)):
                break
            stop += 1
        out.append(Question(c, c.unit + 1 if c.form == "table" else stop))
    return Layout(out, [], quiet)


def decide(doc: Document, cands: list[Candidate]) -> Layout:
    heads = [c for c in cands if c.form.startswith("h")]
    body = [c for c in cands if not c.form.startswith("h")]
    per_form = Counter(
        c.key_form
        for c in cands
        if lead(c) and not c.stop and c.form not in ("table", "plain") and c.style != "plain"
    )
    if (
        len(per_form) >= 3
        and max(per_form.values()) <= 3
        and max(per_form.values()) * 2 < sum(per_form.values())
    ):
        return _mixed(doc, cands)
    shares = _shares(body)
    demoted = demote(doc, heads, body) | subparts(heads)
    heads = [h for h in heads if h.unit not in demoted]
    root, _nodes = tree(doc, heads, body)

    # question levels: where nearly all candidate headings read as questions
    stats: dict[int, list[int]] = {}
    for n in [root, *descend(root)]:
        h = n.cand
        if h is None or h.stop or holds_questions(n) or any(c.cand and qlike(c.cand) for c in n.children):
            continue
        s = stats.setdefault(h.level, [0, 0])
        s[0] += qlike(h)
        s[1] += 1
    dense = {lv for lv, (q, n) in stats.items() if q >= 2 and q * 4 >= n * 3}

    q_heads: list[Node] = []
    sections: list[Node] = [root]
    quiet: set[int] = set()

    def visit(node: Node) -> None:
        for c in node.children:
            h = c.cand
            assert h is not None
            own_lead = holds_questions(c)
            kid_q = any(x.cand and qlike(x.cand) for x in c.children)
            if is_question_heading(doc, c) or (
                h.level in dense and not h.stop and not own_lead and not kid_q
            ):
                c.role = "q"
                q_heads.append(c)
                for d in descend(c):
                    d.role = "c"
            else:
                c.role = "s"
                sections.append(c)
                if h.stop:
                    quiet.add(h.unit)
                visit(c)

    visit(root)
    if not q_heads and not any(lead(c) for c in body):
        leaves = [n for n in descend(root) if not n.children and n.cand and not n.cand.stop]
        counts: dict[int, int] = {}
        for n in leaves:
            counts[n.level] = counts.get(n.level, 0) + 1
        many = [lv for lv, k in counts.items() if k >= 2]
        if many:
            q_heads = [n for n in leaves if n.level == max(many)]

    n_units = len(doc.units)
    closes = next_at_or_above(heads)
    index_of = {h.unit: i for i, h in enumerate(heads)}

    def next_boundary(h: Candidate) -> int:
        """Where the answer (or the section) of heading h ends: the next heading of its level or above;
        a same-level `## Answer` right under a `## Question` joins it."""
        i = closes[index_of[h.unit]]
        while i < len(heads) and heads[i].answer_label and heads[i].level == h.level:
            i = closes[i]
        return heads[i].unit if i < len(heads) else n_units

    questions: list[Question] = []
    for node in q_heads:
        h = node.cand
        assert h is not None
        questions.append(Question(h, next_boundary(h)))
    for sec in sections:
        stop_here = sec.cand is not None and sec.cand.stop
        start = sec.cand.unit + 1 if sec.cand else 0
        end = sec.children[0].cand.unit if sec.children and sec.children[0].cand else None
        if end is None:
            end = next_boundary(sec.cand) if sec.cand else n_units
        if stop_here:
            quiet.update(range(start, end))
            continue
        blocked = _stop_runs(doc, start, end)
        quiet |= blocked
        chosen = _choose_body(doc, [c for c in sec.own if c.unit not in blocked], shares)
        units = sorted({c.unit for c in chosen})
        for c in chosen:
            nxt = next((u for u in units if u > c.unit), end)
            stop = c.unit + 1
            while stop < nxt and doc.units[stop].kind != "hr":
                stop += 1
            questions.append(Question(c, c.unit + 1 if c.form == "table" else stop))
    questions.sort(key=lambda q: (q.cand.unit, q.cand.line))
    return _continue_numbering(doc, cands, questions, quiet)


def _stop_runs(doc: Document, start: int, end: int) -> set[int]:
    """Units from a `**总结：**` / `References:` label paragraph to the next `---` or heading."""
    out: set[int] = set()
    k = start
    while k < end:
        u = doc.units[k]
        if u.kind == "paragraph":
            text = tx.plain_inline(doc.tokens[u.i + 1].children, first_line_only=True)
            if tx.is_stop(text[tx.lead_symbols(text) :].strip(" :：")):
                m = k
                while m < end and doc.units[m].kind not in ("hr", "heading"):
                    out.add(m)
                    m += 1
                k = m
        k += 1
    return out


def _continue_numbering(doc: Document, cands: list[Candidate], qs: list[Question], quiet: set[int]) -> Layout:
    """Step 4: siblings by numbering; other question-like candidates inside answers are reported."""
    chosen = {id(q.cand) for q in qs}
    out: list[Question] = []
    inside: list[tuple[Candidate, Candidate]] = []
    by_unit: dict[int, list[Candidate]] = {}
    for c in cands:
        by_unit.setdefault(c.unit, []).append(c)
    for q in qs:
        current = q
        for k in range(q.cand.unit + 1, q.end):
            for c in by_unit.get(k, ()):
                if (
                    id(c) in chosen
                    or c.stop
                    or c.answer_label
                    or (current.cand.label_only and k == q.cand.unit + 1)
                ):
                    continue  # (the paragraph under `## Question 3` is that question's text)
                if (
                    c.strong
                    and c.style
                    and current.cand.style
                    and tx.successor(current.cand.number, c.number)
                ):
                    out.append(Question(current.cand, k))
                    current = Question(c, q.end)
                    chosen.add(id(c))
                elif c.strong and (
                    (c.style == "q" and c.form != "qa") or c.question.rstrip().endswith(("?", "？"))
                ):
                    inside.append((c, current.cand))
        out.append(current)
    out.sort(key=lambda q: (q.cand.unit, q.cand.line))
    return Layout(out, inside, quiet)
