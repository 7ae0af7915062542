"""Reading the text of one question line: labels (`Q3:`, `1、`, `第3题`), question words, inline rendering,
the normalised key behind derived ids. Pure string work on one line; no document structure here."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# A label in front of a question: `Q3:`, `Q:`, `问：`, `问题2：`, `第3题`, `(1)`, `2.1`, `1.`, `1、`, `1)`.
_LABEL = re.compile(
    r"""^(?:
        (?P<q>(?:Q|Question|问题|问|题目|面试官)\s*(?P<qn>\d{1,4}(?:\.\d{1,3})*)?\s*[:：.．、)）]\s*
            | (?:Q|Question|问题|题目)\s*(?P<qn2>\d{1,4}(?:\.\d{1,3})*)(?:\s+|$)
            | (?P<qbare>Question|问题|题目)$)
      | 第\s*(?P<tn>[0-9一二三四五六七八九十百零〇两]{1,6})\s*[题道問问]\s*[:：.．、]?\s*
      | [(（\[【]\s*(?P<pn>\d{1,3})\s*[)）\]】]\s*
      | (?P<nn>\d{1,4}(?:\.\d{1,3})+)(?![\d%])\.?\s*
      | (?P<n>\d{1,4})(?:\s*[.．、)）:：]\s*|\s+(?=[A-Za-z*_`$]))(?=\S)
    )""",
    re.X | re.I,
)
_EN_QWORD = re.compile(
    r"^(?:what|what's|why|how|how's|when|where|which|who|whom|whose|is|are|was|were|does|do|did|can|"
    r"could|should|would|will|explain|describe|compare|contrast|define|derive|list|name|give|implement|"
    r"write|walk|state|prove|calculate|compute|estimate|discuss|summari[sz]e|outline|sketch|show|"
    r"differentiate|distinguish|tell|talk|elaborate|illustrate|design|identify|suppose|imagine|in what|"
    r"difference|differences|pros|advantages|disadvantages|given|suppose|consider|assume)\b",
    re.I,
)
_ZH_QWORD = re.compile(
    r"为什么|为何|什么|怎么|怎样|如何|哪些|哪个|哪种|哪几|是否|吗|呢|多少|几种|区别|异同|优缺点|优劣|"
    r"对比|比较|简述|简要|介绍|讲讲|讲一下|讲下|说说|说一下|说下|聊聊|谈谈|解释|推导|手写|手撕|写出|写一下|能否|可否|有何|有没有|"
    r"的(?:作用|意义|原理|含义|好处|目的|区别|实现|优势|缺点|局限)"
)
# Topics read as questions in a bank ("Precision-recall trade-off", "X vs Y", "X和Y")
_TOPIC = re.compile(r"\b(?:vs\.?|versus|and|or|trade-?off)\b|和|与|跟|及|对比", re.I)
_STOP = {
    "参考", "参考资料", "参考文献", "参考链接", "参考文档", "引用", "references", "reference", "目录", "toc",
    "contents", "tableofcontents", "总结", "小结", "summary", "前言", "引言", "说明", "概述", "overview",
    "introduction", "intro", "附录", "appendix", "更新日志", "changelog", "furtherreading", "seealso", "致谢",
    "acknowledgements", "acknowledgments", "license", "相关链接", "links", "resources", "资源", "todo",
    "contributing", "contributors", "贡献", "贡献者", "starhistory", "about", "关于", "installation", "usage",
    "disclaimer", "免责声明", "联系", "联系我", "contact", "support", "sponsors", "赞助", "交流群", "readme",
    "conclusion", "conclusions", "结语", "后记", "写在最后", "原始论文", "相关论文", "论文", "papers", "延伸阅读",
    "扩展阅读", "推荐阅读", "学习资料", "readinglist", "延伸阅读与视频",
}  # fmt: skip
_ANSWER_HEAD = re.compile(
    r"^(?:a|answer|answers|solution|答案|解答|参考答案|回答|答|解析|查看答案|点击查看答案|查看解析|展开|展开答案|显示答案|"
    r"reveal(?:\s+answer)?|show\s+solution|"
    r"show\s+answer|click\s+to\s+(?:expand|see|show)(?:\s+answer)?|see\s+answer)\s*\d*\s*[:：.]?$",
    re.I,
)
NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Label:
    kind: str  # "q" (Q3:, 问：), "ti" (第3题), "num" (1. / 2.1 / (1)), "" (none)
    number: tuple[str, ...]
    rest: str  # the text after the label


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def lead_symbols(text: str) -> int:
    """How many leading characters are emoji / symbols (and the spaces after them): decoration."""
    n = 0
    seen = False
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("So", "Sk", "Cs", "Co") or ch in "\ufe0f\u200d":
            seen = True
        elif not (seen and ch.isspace()):
            break
        n += 1
    return n if seen else 0


def read_label(text: str) -> Label:
    """Split a leading label off an (NFKC-normalised, plain) text."""
    s = text[lead_symbols(text) :].lstrip()
    m = _LABEL.match(s)
    if not m:
        return Label("", (), s)
    rest = s[m.end() :]
    g = m.groupdict()
    if g["q"] is not None or g["qn2"] is not None or g["qbare"] is not None:
        num = g["qn"] or g["qn2"] or ""
        return Label("q", tuple(num.split(".")) if num else (), rest)
    if g["tn"] is not None:
        return Label("ti", (g["tn"],), rest)
    num = g["pn"] or g["nn"] or g["n"] or ""
    return Label("num", tuple(num.split(".")), rest)


def reads_as_question(text: str) -> bool:
    """Carries a question mark, starts with an English question word / imperative, or has a Chinese one."""
    t = text.strip()
    if "?" in t or "？" in t:
        return True
    return bool(_EN_QWORD.match(t) or _ZH_QWORD.search(t))


def reads_as_topic(text: str) -> bool:
    """A comparison or trade-off topic ("Transformer and RNN", "X vs Y", "LN和BN"): asked as a question."""
    t = text.strip()
    return 0 < len(t) <= 80 and bool(_TOPIC.search(t)) and not t.endswith((":", "：", "。", "."))


def is_stop(text: str) -> bool:
    """Headings that are never questions: references, contents, summary, license, …"""
    key = NON_WORD.sub("", nfkc(text).casefold())
    return key in _STOP and "?" not in text and "？" not in text


def is_answer_label(text: str) -> bool:
    """`Answer`, `答案`, `Show answer`: labels of an answer, never a question."""
    return bool(_ANSWER_HEAD.match(nfkc(text).strip()))


def successor(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Is number b the next one after a (`1.1` → `1.2`, `3` → `4`)?"""
    if not a or not b or len(a) != len(b) or a[:-1] != b[:-1]:
        return False
    try:
        return int(b[-1]) == int(a[-1]) + 1
    except ValueError:
        return False


def render_inline(children: list[Any] | None, first_line_only: bool = False) -> str:
    """A question as shown: text, `code` and $math$ kept; links as their text; emphasis, images, HTML
    and entities gone (markdown-it has already decoded entities in text tokens)."""
    out: list[str] = []
    for c in children or ():
        ty = c.type
        if ty == "text":
            out.append(c.content)
        elif ty == "code_inline":
            out.append(f"{c.markup}{c.content}{c.markup}")
        elif ty == "math_inline":
            out.append(f"${c.content}$")
        elif ty == "math_inline_double":
            out.append(f"$${c.content}$$")
        elif ty in ("softbreak", "hardbreak"):
            if first_line_only:
                break
            out.append(" ")
        elif ty == "html_inline" and re.match(r"<br\s*/?>", c.content, re.I):
            if first_line_only:
                break  # `**Q:** What is X?<br>**A:** …`: a <br> ends the line as a newline would
            out.append(" ")
    return re.sub(r"[ \t]+", " ", "".join(out)).strip()


def plain_inline(children: list[Any] | None, first_line_only: bool = False) -> str:
    """The visible text of inline tokens (math and code as their source), NFKC-normalised."""
    out: list[str] = []
    for c in children or ():
        ty = c.type
        if ty == "text" or ty == "code_inline" or ty.startswith("math_inline"):
            out.append(c.content)
        elif ty in ("softbreak", "hardbreak"):
            if first_line_only:
                break
            out.append("\n")
    return nfkc("".join(out)).strip()


def _nfkc_prefix_len(s: str, n: int) -> int:
    total = 0
    for i, ch in enumerate(s):
        if total >= n:
            return i
        total += len(nfkc(ch))
    return len(s)


def strip_label(shown: str) -> str:
    """`Q3: What…` → `What…`, `1、什么…` → `什么…`, `🔥 Q：…` → `…`; a bare label is kept as is."""
    s = shown.strip()
    s = s[lead_symbols(s) :].lstrip()
    for _ in range(2):  # "1. Q3: …"
        m = _LABEL.match(nfkc(s))
        if not m:
            break
        rest = s[_nfkc_prefix_len(s, m.end()) :].strip()
        if not NON_WORD.sub("", rest):
            break
        s = rest
    s = s.rstrip(" \t:：")
    return s or shown.strip()


def normalise_question(text: str) -> str:
    """The key used for derived ids and duplicate detection: no numbering, markup, punctuation, case."""
    t = re.sub(r"[*_`~]+", "", nfkc(text)).strip()
    first = read_label(t)
    if first.kind:
        t = first.rest
        second = read_label(t)
        if second.kind in ("q", "ti"):  # "1. Q3: …" → "…"
            t = second.rest
    return NON_WORD.sub("", t.casefold())


def derived_id(question: str) -> str:
    key = normalise_question(question) or question.strip()
    return "q-" + hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest()
