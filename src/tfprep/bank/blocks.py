"""Stage 1–2: markdown text → markdown-it tokens → top-level units with their source lines.

A unit is what a question or a piece of an answer can be: a heading, a paragraph, one item of a top-level
list, a blockquote, a table, a fence, an HTML block. A `<details>` block is one unit from `<details>` to its
matching `</details>`, whatever markdown (headings included) sits inside: it is structure, like a fence.
Structure comes only from the token stream, never from line regexes, so a `#` line inside a fence is never
a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_MD: Any = None

_KIND = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "blockquote_open": "quote",
    "table_open": "table",
    "fence": "fence",
    "code_block": "code",
    "hr": "hr",
    "html_block": "html",
    "math_block": "math",
    "math_block_label": "math",
    "front_matter": "front_matter",
}
_WORD = re.compile(r"[^\W_]")
_OPEN = re.compile(r"<details\b", re.I)
_CLOSE = re.compile(r"</details\s*>", re.I)


def markdown_parser() -> Any:
    """The one markdown-it configuration banks are read with (CommonMark + table + front matter + math)."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin
        from mdit_py_plugins.front_matter import front_matter_plugin

        _MD = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(dollarmath_plugin)
    return _MD


@dataclass
class Unit:
    kind: str  # heading, paragraph, item, quote, details, table, fence, code, math, html, hr, front_matter
    i: int  # first token
    j: int  # one past the last token
    start: int  # first source line (0-based)
    end: int  # one past the last source line
    level: int = 0  # heading level
    ordered: bool = False  # an item of an ordered list


@dataclass
class Document:
    text: str
    lines: list[str]
    tokens: list[Any]
    units: list[Unit]


def normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(text: str) -> Document:
    """Tokens and units of a bank (MkDocs admonitions are first turned into headings, line for line)."""
    from tfprep.bank import admonitions

    text = normalise_newlines(text)
    if admonitions.has_admonitions(text):
        text = admonitions.flatten(text)
    tokens = markdown_parser().parse(text)
    lines = text.split("\n")
    return Document(text, lines, tokens, _merge_details(split_units(tokens), tokens, lines))


def _close(tokens: list[Any], i: int) -> int:
    """One past the closing token of the block opened at i (a level-0 block)."""
    level = tokens[i].level
    j = i + 1
    while j < len(tokens) and not (tokens[j].nesting == -1 and tokens[j].level == level):
        j += 1
    return j + 1


def split_units(tokens: list[Any]) -> list[Unit]:
    units: list[Unit] = []
    n = len(tokens)
    i = 0
    last_end = 0
    while i < n:
        t = tokens[i]
        j = _close(tokens, i) if t.nesting == 1 else i + 1
        start, end = (t.map[0], t.map[1]) if t.map else (last_end, last_end)
        if t.type in ("bullet_list_open", "ordered_list_open"):
            ordered = t.type == "ordered_list_open"
            k = i + 1
            while k < j - 1:
                item = tokens[k]
                if item.type == "list_item_open":
                    e = _close(tokens, k)
                    s0, e0 = item.map if item.map else (start, end)
                    units.append(Unit("item", k, e, s0, e0, ordered=ordered))
                    k = e
                else:
                    k += 1
        else:
            kind = _KIND.get(t.type, "other")
            level = int(t.tag[1:]) if kind == "heading" else 0
            units.append(Unit(kind, i, j, start, end, level))
        last_end = max(last_end, end)
        i = j
    return units


def _balance(text: str) -> int:
    return len(_OPEN.findall(text)) - len(_CLOSE.findall(text))


def _merge_details(units: list[Unit], tokens: list[Any], lines: list[str]) -> list[Unit]:
    """A `<details>` html block and everything up to its matching `</details>` become one unit."""
    out: list[Unit] = []
    k = 0
    while k < len(units):
        u = units[k]
        if u.kind == "html" and tokens[u.i].content.lstrip().lower().startswith("<details"):
            depth = _balance(tokens[u.i].content)
            m = k + 1
            while depth > 0 and m < len(units):
                if units[m].kind in ("html", "paragraph"):
                    depth += _balance("\n".join(lines[units[m].start : units[m].end]))
                m += 1
            if depth <= 0:
                last = units[m - 1]
                out.append(Unit("details", u.i, last.j, u.start, max(u.end, last.end)))
                k = m
                continue
        out.append(u)
        k += 1
    return out


def substance(doc: Document, a: int, b: int) -> bool:
    """Any visible content in units [a, b)?"""
    return any(doc.units[k].kind not in ("hr", "html") or _html_text(doc, k) for k in range(a, b))


def _html_text(doc: Document, k: int) -> bool:
    u = doc.units[k]
    return bool(_WORD.search(re.sub(r"<[^>]*>", " ", "\n".join(doc.lines[u.start : u.end]))))
