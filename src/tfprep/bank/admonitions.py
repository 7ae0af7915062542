"""MkDocs-Material admonitions (`??? question "…"` with an indented body) → plain CommonMark headings.

They are an extension, not CommonMark: markdown-it sees their bodies as indented code. Before parsing, each
admonition header becomes a heading (question-like types one level below the others) and its body is
dedented, so the usual heading rules apply. Line numbers are kept: one line in, one line out.
"""

from __future__ import annotations

import re

_HEADER = re.compile(
    r"^(?P<ind> *)(?:\?\?\?\+?|!!!)[ \t]+(?P<kind>[\w-]+)(?:[ \t]+\"(?P<title>[^\"]*)\")?[ \t]*$"
)
QUESTION_KINDS = {"question", "faq", "help", "q"}


def has_admonitions(text: str) -> bool:
    return "???" in text or "!!!" in text


def flatten(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    open_indents: list[int] = []  # indentation of the headers whose bodies we are in
    in_fence = False
    outer = 1  # level of the last Markdown heading outside admonitions: an admonition nests below it
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if line.strip():
            while open_indents and indent < open_indents[-1] + 4:
                open_indents.pop()  # a line indented no deeper than a header's body ends that body
        cut = 4 * len(open_indents)
        body = line[cut:] if line[:cut].strip() == "" else line.lstrip(" ")
        stripped = body.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        m = None if in_fence else _HEADER.match(body)
        if not in_fence and not open_indents and (h := re.match(r"^(#{1,6})\s", body)):
            outer = len(h.group(1))
        if m:
            kind = m.group("kind").lower()
            title = m.group("title") or kind.capitalize()
            base = max(1, outer) + 1
            level = min(6, base + len(open_indents) + (1 if kind in QUESTION_KINDS else 0))
            out.append(f"{'#' * level} {title}")
            open_indents.append(indent)
            continue
        out.append(body)
    return "\n".join(out)
