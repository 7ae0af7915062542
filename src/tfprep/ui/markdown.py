"""Markdown for the terminal: LaTeX math turned into readable Unicode, code blocks highlighted.

`render_math(md)` rewrites every `$…$` and `$$…$$` span of a markdown text into Unicode text (pylatexenc's
`LatexNodes2Text`, plus sub/superscript digits and letters: `\\sqrt{d_k}` → `√dₖ`, `QK^\\top` → `QKᵀ`), leaving
fenced code blocks and inline code untouched. `markdown(md)` returns the Rich renderable of the result.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.markdown import Markdown

CODE_THEME = "monokai"

_SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ",
        strict=True,
    )
)
_SUB = dict(
    zip("0123456789+-=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True)
)
_SCRIPT_MACROS = {
    "\\top": "T",
    "\\intercal": "T",
    "\\prime": "′",
    "\\alpha": "α",
    "\\beta": "β",
    "\\gamma": "γ",
    "\\delta": "δ",
    "\\epsilon": "ε",
    "\\theta": "θ",
    "\\phi": "φ",
    "\\rho": "ρ",
    "\\chi": "χ",
    "\\iota": "ι",
}
_OPERATOR_NAMES = "argmax|argmin|softmax|log|ln|exp|max|min|sup|inf|lim|sin|cos|tan|tanh|sigmoid|det|dim|Pr|arg|rank|diag|var|Var|mean"
_SPACED = "≤≥≠≈→←⇒⇐⇔↦∈∉∝≡≪≫⊂⊆⊙⊗⊕×±∼"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def _group(s: str, i: int) -> tuple[str, int] | None:
    """The argument of `^`/`_` starting at s[i]: a {balanced group}, a \\macro, or one character."""
    if i >= len(s):
        return None
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            if s[j] == "{" and (j == 0 or s[j - 1] != "\\"):
                depth += 1
            elif s[j] == "}" and s[j - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return s[i + 1 : j], j + 1
        return None
    if s[i] == "\\":
        m = re.match(r"\\[A-Za-z]+", s[i:])
        if m:
            return m.group(0), i + len(m.group(0))
        return s[i : i + 2], i + 2
    if s[i].isspace():
        return None
    return s[i], i + 1


def _scripts(s: str) -> str:
    """Rewrite `x^{…}` / `x_{…}` into Unicode super/subscripts where every character has one, else `x^(…)`."""
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s):
            m = re.match(r"\\[A-Za-z]+|\\.", s[i:])
            out.append(m.group(0))
            i += len(m.group(0))
            continue
        if ch in "^_":
            got = _group(s, i + 1)
            if got is not None:
                content, end = got
                table = _SUP if ch == "^" else _SUB
                plain = _SCRIPT_MACROS.get(content.strip(), content.strip())
                plain = re.sub(r"\\(top|intercal)\b", "T", plain).replace(" ", "")
                if out and re.search(r"\\[A-Za-z]+$", out[-1]):
                    out.append("{}")  # `\\sum_j` → `\\sum{}ⱼ`, not the macro `\\sumⱼ`
                if plain and all(c in table for c in plain):
                    out.append("".join(table[c] for c in plain))
                else:
                    inner = _scripts(content)
                    if re.fullmatch(r"[A-Za-z0-9]+|\\[A-Za-z]+", inner.strip()):
                        out.append(ch + inner.strip() + ("{}" if inner.strip().startswith("\\") else ""))
                    elif re.fullmatch(r"\([^()]*\)", inner.strip()):
                        out.append(ch + inner.strip())  # already in parentheses
                    else:
                        out.append(f"{ch}({inner})")
                i = end
                continue
        out.append(ch)
        i += 1
    return "".join(out)


_COMPOUND = re.compile(r"[+\-]|\\(?:pm|mp)(?![A-Za-z])")  # a sum or a difference needs its parentheses


def _fractions(s: str) -> str:
    """`\\frac{A}{B}` → `A/B`, with parentheses around a side that is a sum or a difference: pylatexenc writes
    `\\frac{x - \\mu}{s}` as "x - μ/s", which reads as x − (μ/s)."""
    out, i = [], 0
    while True:
        m = re.compile(r"\\[dt]?frac(?![A-Za-z])\s*").search(s, i)
        if not m:
            return "".join(out) + s[i:]
        num = _group(s, m.end())
        den = _group(s, re.compile(r"\s*").match(s, num[1]).end()) if num else None
        if not (num and den):
            return "".join(out) + s[i:]  # malformed: left to pylatexenc as it is
        sides = []
        for side, _ in (num, den):
            side = _fractions(side)
            flat = side
            while re.search(r"\{[^{}]*\}", flat):  # what is inside braces (a \sqrt{…}) is one term
                flat = re.sub(r"\{[^{}]*\}", "", flat)
            sides.append(f"({side})" if _COMPOUND.search(flat) else f"{{{side}}}")
        out.append(s[i : m.start()] + f"{sides[0]}/{sides[1]}")
        i = den[1]


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 - pylatexenc object, imported lazily
    import logging

    from pylatexenc.latex2text import LatexNodes2Text

    # pylatexenc logs malformed input as warnings, which would print over the quiz screen
    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL + 1)
    return LatexNodes2Text(math_mode="text", keep_comments=False)


@lru_cache(maxsize=2048)
def latex_to_unicode(tex: str) -> str:
    """LaTeX math source → readable Unicode text (best effort; never raises)."""
    src = tex.strip()
    src = re.sub(r"\\(?:\||lVert|rVert|Vert)", "‖", src)
    src = re.sub(r"\\operatorname\*?\{([^{}]*)\}", r"\\mathrm{\1}", src)
    src = re.sub(r"\\begin\{cases\}(.*?)\\end\{cases\}", _cases, src, flags=re.S)
    # `\log x` → "log x" (pylatexenc would eat the space), but `\log_k n` → "logₖ n"
    src = re.sub(rf"\\({_OPERATOR_NAMES})(?![A-Za-z])\s*(?![_^])", lambda m: m.group(1) + " ", src)
    src = re.sub(rf"\\({_OPERATOR_NAMES})(?![A-Za-z])\s*(?=[_^])", lambda m: m.group(1), src)
    src = _fractions(_scripts(src))
    try:
        text = _converter().latex_to_text(src)
    except Exception:  # noqa: BLE001 - pylatexenc on malformed input; show the source rather than crash
        return tex.strip()
    if "%s" in text and "%s" not in src:  # a macro whose arguments were missing
        return tex.strip()
    text = re.sub(rf"\s*([{_SPACED}])\s*", r" \1 ", text)
    # `γ+ β`, `μ= 1/D` (spaced on one side only, as pylatexenc leaves them) → `γ + β`, `μ = 1/D`
    text = re.sub(r"(?<=\S)([+=]) | ([+=])(?=\S)", lambda m: f" {m[1] or m[2]} ", text)
    text = re.sub(r"√\(([\w′]+)\)", r"√\1", text)
    text = re.sub(r"(\w) \(", r"\1(", text)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _cases(m: re.Match[str]) -> str:
    """`\\begin{cases} a & c \\\\ b & d \\end{cases}` → `{a, c; b, d}` on one line."""
    rows = [r.strip() for r in re.split(r"\\\\", m.group(1)) if r.strip()]
    return r"\{" + "; ".join(", ".join(c.strip() for c in row.split("&")) for row in rows) + r"\}"


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def render_math(md: str) -> str:
    """Replace the math spans of markdown text by Unicode text; code (fenced or inline) is left as is."""
    out: list[str] = []
    chunk: list[str] = []
    fence: str | None = None
    for line in md.splitlines(keepends=True):
        if fence is None:
            m = _FENCE.match(line)
            if m and not (m.group(1)[0] == "`" and "`" in line[m.end() :]):
                out.append(_math_in_text("".join(chunk)))
                chunk = []
                fence = m.group(1)
                out.append(line)
            else:
                chunk.append(line)
        else:
            out.append(line)
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                fence = None
    out.append(_math_in_text("".join(chunk)))
    return "".join(out)


def _math_in_text(text: str) -> str:
    """Math spans of markdown text outside fences; inline code spans are skipped."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            out.append(text[i : i + 2])
            i += 2
            continue
        if ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            ticks = "`" * run
            close = re.compile(rf"(?<!`){ticks}(?!`)").search(text, i + run)
            if close:
                out.append(text[i : close.end()])
                i = close.end()
            else:
                out.append(ticks)
                i += run
            continue
        if text.startswith("$$", i):
            end = text.find("$$", i + 2)
            if end != -1:
                out.append(_display(text, i, text[i + 2 : end]))
                i = end + 2
                continue
        if ch == "$":
            end = _inline_end(text, i)
            if end is not None:
                out.append(_escape(latex_to_unicode(text[i + 1 : end])))
                i = end + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _inline_end(text: str, start: int) -> int | None:
    """Index of the `$` closing an inline math span opened at `start` (pandoc's rules), or None."""
    if start + 1 >= len(text) or text[start + 1].isspace() or text[start + 1] == "$":
        return None
    j = start + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "`" or (c == "\n" and text[j + 1 : j + 2] == "\n"):
            return None  # a code span or a blank line: no math here
        if c == "$":
            if text[j - 1].isspace() or text[j + 1 : j + 2].isdigit():
                return None
            return j
        j += 1
    return None


def _display(text: str, start: int, tex: str) -> str:
    """A `$$…$$` span: its own paragraph when it starts a line, inline otherwise."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    converted = latex_to_unicode(tex)
    if before.strip():
        return _escape(converted.replace("\n", "; "))
    # a paragraph of its own, indented like the line (a formula inside a list item stays in it)
    body = ("\\\n" + before).join(_escape(line) for line in converted.splitlines())
    return "\n" + before + body + "\n"


# a Chinese character or full-width punctuation (CJK ideographs, CJK punctuation, full-width forms)
_WIDE = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])\n[ \t]*(?=[{_WIDE}])")  # (`中文  ⏎` stays a hard break)


def join_cjk_lines(md: str) -> str:
    """A line break inside a Chinese paragraph, between two wide characters, joined without a space:
    Markdown renders a soft break as a space, which is right between English words and wrong in Chinese
    ("把 它们存在"). Code blocks are left as they are."""
    parts = re.split(r"(^[ \t]*(?:```|~~~).*?^[ \t]*(?:```|~~~)[ \t]*$)", md, flags=re.M | re.S)
    return "".join(part if i % 2 else _CJK_BREAK.sub("", part) for i, part in enumerate(parts))


def markdown(md: str) -> Markdown:
    """The Rich renderable of a card's markdown: math as Unicode, code highlighted."""
    from rich.markdown import Markdown

    return Markdown(join_cjk_lines(render_math(md)), code_theme=CODE_THEME, hyperlinks=False)
