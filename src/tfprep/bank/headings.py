"""The heading structure of a bank: which headings are questions, sections, or content of an answer.

Headings inside the answer of a bold / list / Q-label question are demoted to content first (a `### Sub-point`
between two `**Q1：…**` questions); `2.1` after question `2.` is a part of it; the rest form a tree, decided
top-down in form.py with `is_question_heading`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from tfprep.bank.blocks import Document, substance
from tfprep.bank.candidates import Candidate, lead, qlike


@dataclass
class Node:
    cand: Candidate | None
    level: int
    children: list[Node] = field(default_factory=list)
    own: list[Candidate] = field(default_factory=list)  # body candidates before the first child heading
    parent: Node | None = None
    role: str = ""  # "q", "s" (section), "c" (content of an answer)


def next_at_or_above(heads: list[Candidate]) -> list[int]:
    """For each heading (in source order), the index of the next heading of the same or a higher level
    (len(heads) if none): where its section, or its answer, ends. One pass with a stack."""
    out = [len(heads)] * len(heads)
    stack: list[int] = []
    for i, h in enumerate(heads):
        while stack and heads[stack[-1]].level >= h.level:
            out[stack.pop()] = i
        stack.append(i)
    return out


def demote(doc: Document, heads: list[Candidate], body: list[Candidate]) -> set[int]:
    """Headings that sit inside the answer of a body question (see the module docstring, step 1)."""
    leads = [c for c in body if lead(c) and c.form != "table"]
    lead_units = [c.unit for c in leads]
    head_units = [h.unit for h in heads]
    by_form: dict[str, list[int]] = {}
    for c in leads:
        by_form.setdefault(c.key_form, []).append(c.unit)
    closes = next_at_or_above(heads)

    def next_lead(after: int, units: list[int]) -> int | None:
        k = bisect_right(units, after)
        return units[k] if k < len(units) else None

    # levels whose headings open straight onto body questions are section levels
    sections: set[int] = set()
    for i, h in enumerate(heads):
        nxt = next_lead(h.unit, lead_units)
        following = head_units[i + 1] if i + 1 < len(heads) else len(doc.units)
        if nxt is not None and following > nxt and not substance(doc, h.unit + 1, nxt):
            sections.add(h.level)
    out: set[int] = set()
    for i, h in enumerate(heads):
        if h.style == "q" or h.level in sections:
            continue
        k = bisect_left(lead_units, h.unit)
        if k == 0:
            continue
        prev = leads[k - 1]
        a = bisect_left(head_units, prev.unit)
        if a > 0 and heads[a - 1].level >= h.level:
            continue  # the body candidate sits in a heading's answer at this level or deeper
        if any(g.unit not in out for g in heads[a:i]):
            continue  # a real heading already closed that question
        after = next_lead(h.unit, by_form[prev.key_form])
        if after is None:
            # the last question of the file: a deeper heading with text of its own is its sub-heading
            if (
                i + 1 == len(heads)
                and (h.strong or not h.style)
                and substance(doc, h.unit + 1, len(doc.units))
            ):
                out.add(h.unit)
            continue
        if closes[i] < len(heads) and head_units[closes[i]] < after:
            continue
        if substance(doc, h.unit + 1, after):
            out.add(h.unit)
    return out


def subparts(heads: list[Candidate]) -> set[int]:
    """`## 2.1 …` after question `## 2. …?` (same level or deeper) is a part of question 2."""
    out: set[int] = set()
    anchor: Candidate | None = None
    for h in heads:
        a = anchor
        if (
            a is not None
            and h.level >= a.level
            and h.style == "num"
            and len(h.number) >= 2
            and a.style
            and len(a.number) < len(h.number)
            and a.strong
        ):
            out.add(h.unit)
            continue
        anchor = h
    return out


def tree(doc: Document, heads: list[Candidate], body: list[Candidate]) -> tuple[Node, dict[int, Node]]:
    root = Node(None, 0)
    nodes: dict[int, Node] = {}
    stack = [root]
    head_at = {h.unit: h for h in heads}
    body_at: dict[int, list[Candidate]] = {}
    for c in body:
        body_at.setdefault(c.unit, []).append(c)
    for k in range(len(doc.units)):
        if k in head_at:
            h = head_at[k]
            while stack[-1].level >= h.level:
                stack.pop()
            node = Node(h, h.level, parent=stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
            nodes[k] = node
        elif k in body_at:
            if not stack[-1].children:
                stack[-1].own.extend(body_at[k])
            else:  # after a child heading closed by a deeper one: still this node's text
                stack[-1].own.extend(body_at[k])
    return root, nodes


def is_question_heading(doc: Document, node: Node) -> bool:
    h = node.cand
    assert h is not None
    if h.stop or h.label_only and not node.children and not node.own:
        return not h.stop
    leads = own_leads(node)
    if leads:
        if not h.strong:
            return False
        if substance(doc, h.unit + 1, leads[0].unit):
            return True
        return not any(c.style == "q" and c.form != "qa" for c in leads)
    if node.children:
        kids = [c.cand for c in node.children if c.cand is not None]
        if h.strong:
            # a title or chapter over numbered questions (`# 大模型面试题有哪些？` over `## 1. …？`, `## 2. …？`)
            if sum(c.strong and bool(c.style) for c in kids) >= 3:
                return False
            # `## 什么是注意力？` over `### Q1:` headings is a section, unless it has text of its own
            first = node.children[0].cand
            own_text = substance(doc, h.unit + 1, first.unit) if first else False
            return own_text or not any(c.style == "q" for c in kids)
        return qlike(h) and not any(qlike(c) or n.own for c, n in zip(kids, node.children, strict=True))
    return qlike(h)


def own_leads(node: Node) -> list[Candidate]:
    """The question-like body lines under a heading. A lone plain line ending in `?` is prose (a rhetorical
    question), not a question form: plain lines count only when there are several."""
    leads = [c for c in node.own if lead(c)]
    plain = [c for c in leads if c.form == "plain" or c.style == "plain"]
    return leads if len(plain) != 1 else [c for c in leads if c not in plain]


def holds_questions(node: Node) -> bool:
    """Body questions under a heading that make it a section: several, or one with a `Q3:` label. A single
    unlabelled bold question under `### 2. Topic` is a sub-question of that heading's answer."""
    leads = own_leads(node)
    return len(leads) >= 2 or any(c.style == "q" for c in leads)


def descend(node: Node) -> list[Node]:
    out, todo = [], list(node.children)
    while todo:
        x = todo.pop()
        out.append(x)
        todo.extend(x.children)
    return out
