"""Stage 6: clean answers (stray HTML, `A：` prefixes, footers and banners) and spot placeholder answers.

Code fences and `$$` math blocks are never touched: cleaning works line by line outside them.
"""

from __future__ import annotations

import re
from typing import Any

from tfprep.bank import text as tx

PLACEHOLDER = re.compile(
    r"^(?:answer\s+here|your\s+answer(?:\s+here)?|add\s+(?:an\s+)?answer|todo|to\s*do|tbd|tba|fixme|wip|"
    r"coming\s+soon|work\s+in\s+progress|n/?a|none|xxx+|\.\.\.|…+|[-–—?？!！.。]+|"
    r"待补充|待完善|待更新|待填|待填写|待写|待续|未完待续|略|无|暂无|暂无答案|空|占位|答案待补充|todo[:：].*)"
    r"[\s.。!！:：]*$|^answer$",
    re.I,
)
_ANSWER_PREFIX = re.compile(
    r"^[ \t]*(?:\*\*|__)?(?:A|Ans|Answer|答|答案|回答|解答|参考答案|我|候选人)\s*\d*\s*(?:\*\*|__)?\s*[:：]"
    r"(?:\*\*|__)?[ \t]*",
    re.I,
)
_ANSWER_LABEL_LINE = re.compile(
    r"^[ \t]*(?:\*\*|__|#+\s*)?(?:A|Ans|Answer|Solution|答|答案|回答|解答|参考答案|解析)\s*[:：]?\s*(?:\*\*|__)?[:：]?[ \t]*$",
    re.I,
)
_FOOTER = re.compile(
    r"explore\s+all|star\s+(?:this|the|our)\s+repo|give\s+(?:it|us|this)\s+a\s+star|⭐|back\s+to\s+top|"
    r"返回顶部|回到顶部|license|licensed|copyright|©|版权|转载|公众号|关注我|关注我们|follow\s+(?:me|us)|"
    r"sponsor|buy\s+me\s+a\s+coffee|if\s+you\s+(?:find|found|like)|contributions?\s+(?:are\s+)?welcome|"
    r"欢迎(?:star|贡献|关注|转发)|持续更新|table\s+of\s+contents|↑|⬆|👉|next\s*:|previous\s*:|上一篇|下一篇|"
    r"more\s+(?:questions|answers)\s+(?:at|on|here)|subscribe|newsletter|last\s+updated|最后更新|"
    r"found\s+a\s+(?:mistake|typo)|open\s+an\s+issue|欢迎指正|made\s+with|built\s+with|powered\s+by|❤|"
    r"如果(?:对你)?有(?:帮助|用)|点个\s*star",
    re.I,
)
_STRAY_LINE = re.compile(r"^\s*(?:</?(?:center|div|p|span|font|section|article|br)\b[^>]*>\s*)+$", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_CENTER = re.compile(r"</?center>", re.I)
_DETAILS_WRAP = re.compile(
    r"^\s*<details\b[^>]*>[ \t]*(?:\n\s*)?(?:<summary\b[^>]*>.*?</summary>[ \t]*\n?)?(.*?)\s*</details>\s*$",
    re.S | re.I,
)


def is_placeholder(answer: str) -> bool:
    """An answer that only says "answer here", "TODO", "!", "待补充", "略" … (or nothing at all)."""
    if re.search(r"<img\b|!\[", answer, re.I):
        return False
    t = re.sub(r"<[^>]*>|[*_`>#]", "", answer)
    t = " ".join(t.split())
    return not t or bool(PLACEHOLDER.match(t))


def strip_answer_prefix(text: str) -> str:
    """`A：DPO 无需 RM。` → `DPO 无需 RM。` (only at the start of the answer)."""
    first, _, rest = text.partition("\n")
    if _ANSWER_LABEL_LINE.match(first) and rest.strip():  # `**Answer**` / `答案：` alone on its line
        return rest.lstrip("\n")
    m = _ANSWER_PREFIX.match(text)
    if m and text[m.end() :].strip():
        return text[m.end() :]
    return text


def unwrap_details(answer: str) -> str:
    """A single `<details>` wrapper around the whole answer is dropped (the quiz hides answers already)."""
    m = _DETAILS_WRAP.match(answer)
    if m and answer.lower().count("<details") == 1:
        lines = m.group(1).strip("\n").split("\n")
        width = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
        return "\n".join(x[width:] for x in lines)
    return answer


def clean_answer(answer: str) -> str:
    """Stray HTML out, `<br/>` to line breaks, trailing spaces off; fences, math and tables untouched."""
    out: list[str] = []
    fence = ""
    math = False
    opens = answer.lower().count("<details")
    closes = len(re.findall(r"</details\s*>", answer, re.I))
    for line in answer.split("\n"):
        s = line.strip()
        if fence:
            out.append(line)
            if s.startswith(fence) and not s.strip(fence[0]):
                fence = ""
            continue
        if s.startswith(("```", "~~~")):
            fence = s[: len(s) - len(s.lstrip(s[0]))]
            out.append(line)
            continue
        if s == "$$" or (s.startswith("$$") and not s.endswith("$$")) or (math and s.endswith("$$")):
            math = not math if not (s.startswith("$$") and s.endswith("$$") and len(s) > 2) else math
            out.append(line)
            continue
        if math:
            out.append(line)
            continue
        if closes > opens and re.fullmatch(r"\s*</details\s*>\s*", line, re.I):
            closes -= 1
            continue
        if _STRAY_LINE.match(line):
            continue
        line = _CENTER.sub("", line)
        if not s.startswith("|"):
            line = _BR.sub("\n", re.sub(r"(?:\s*<br\s*/?>)+\s*$", "", line, flags=re.I))
        out.extend(x.rstrip() for x in line.split("\n"))
    return "\n".join(out).strip("\n")


def is_boilerplate(doc_lines: list[str], unit: Any) -> bool:
    """A footer, banner or navigation unit: images / badges only, or a "star this repo", "back to top",
    license, "explore all answers" line."""
    kind = unit.kind
    text = "\n".join(doc_lines[unit.start : unit.end])
    if kind in ("fence", "code", "math", "table", "front_matter"):
        return False
    if kind == "hr":
        return True
    plain = re.sub(r"<[^>]*>", "", text)
    plain = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", plain)  # images and badges
    words = tx.NON_WORD.sub("", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", plain))
    if not words:
        return True  # images, badges, empty HTML
    return len(plain) <= 300 and bool(_FOOTER.search(plain))


def trim_trailing(doc_lines: list[str], units: list[Any], a: int, b: int) -> int:
    """The end of an answer's units [a, b) once a tail of footers, banners and separators is cut off.
    Images alone at the end stay (an answer may end with its figure) unless a separator or footer line
    comes before them."""
    k = b
    while k > a and is_boilerplate(doc_lines, units[k - 1]):
        k -= 1
    for x in range(k, b):
        if units[x].kind == "hr" or _footer_text(doc_lines, units[x]):
            return x
    if b == len(units):  # the end of the file: a short tail after the last `---` is a page footer
        hr = next((x for x in range(b - 1, a, -1) if units[x].kind == "hr"), None)
        if hr is not None and _small_tail(doc_lines, units[hr + 1 : b]):
            return hr
    return b


def _small_tail(doc_lines: list[str], tail: list[Any]) -> bool:
    if not tail or len(tail) > 3 or any(u.kind not in ("paragraph", "html", "item") for u in tail):
        return False
    return sum(len("".join(doc_lines[u.start : u.end])) for u in tail) <= 300


def _footer_text(doc_lines: list[str], unit: Any) -> bool:
    text = "\n".join(doc_lines[unit.start : unit.end])
    return bool(_FOOTER.search(re.sub(r"<[^>]*>", " ", text)))
