"""Markdown text → `Deck`. Pure: no I/O, no clock.

Structure comes only from markdown-it-py's token stream (CommonMark + tables + front matter + `$…$` math),
never from line regexes, so a `#` line inside a code fence is never a heading and math, tables, HTML and
`<details>` blocks survive. Regexes are used only on the *text* of one heading / first line (to read a
label such as `Q3:` or `第3题`) and on the answer string (to unwrap a `<details>` wrapper).

The steps of `parse_text`:

1. tokens → top-level blocks (heading, paragraph, list, blockquote, fence, html, hr, …) with their lines;
2. headings with text form a tree; a heading numbered `2.1` under a heading that reads as a question is a
   *sub-part* and stays inside that question's answer;
3. "body questions" are found outside headings: bold list items (`- **Q3:** …`), bold lines with `?`,
   blockquoted questions (`> Q: …`), `<details><summary>Q?</summary>` blocks;
4. per file, a heading is a question when it is a leaf of the tree (no question below it) and it reads as a
   question (ends in `?`, is numbered, starts with a question word) or sits at a level where most leaves
   do; a heading with questions below it is a section;
5. answers are the original source lines of what follows, duplicates are merged, problems are collected.
See docs/bank-format.md for the user-facing rules.
"""

from __future__ import annotations

import gc
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tfprep.bank.model import Card, Deck, Problem

_MD: Any = None


def markdown_parser() -> Any:
    """The one markdown-it configuration banks are read with (CommonMark + table + front matter + math)."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin
        from mdit_py_plugins.front_matter import front_matter_plugin

        _MD = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(dollarmath_plugin)
    return _MD


# --------------------------------------------------------------------------------------------------------
# Reading the text of one heading / first line


# A label in front of a question: `Q3:`, `Q:`, `问：`, `问题2：`, `第3题`, `(1)`, `2.1`, `1.`, `1、`, `1)`.
_LABEL = re.compile(
    r"""^(?:
        (?P<q>(?:Q|Question|问题|问|题目)\s*(?P<qn>\d{1,4}(?:\.\d{1,3})*)?\s*[:：.．、)）]\s*
            | (?:Q|Question|问题|题目)\s*(?P<qn2>\d{1,4}(?:\.\d{1,3})*)(?:\s+|$)
            | (?P<qbare>Question|问题|题目)$)
      | 第\s*(?P<tn>[0-9一二三四五六七八九十百零〇两]{1,6})\s*[题道問问]\s*[:：.．、]?\s*
      | [(（\[【]\s*(?P<pn>\d{1,3})\s*[)）\]】]\s*
      | (?P<nn>\d{1,4}(?:\.\d{1,3})+)(?![\d%])\.?\s*
      | (?P<n>\d{1,4})(?:\s*[.．、)）:：]\s*|\s+(?=[A-Za-z*_`$]))(?=\S)
    )""",
    re.X | re.I,
)


# Leading emoji / symbols ("🔹 ", "📌 ", "✅ ") are decoration: skipped when reading a label, not shown.
def _lead_symbols(text: str) -> int:
    """How many leading characters are emoji / symbols (and the spaces after them)."""
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


_EN_QWORD = re.compile(
    r"^(?:what|what's|why|how|how's|when|where|which|who|whom|whose|is|are|was|were|does|do|did|can|"
    r"could|should|would|will|explain|describe|compare|contrast|define|derive|list|name|give|implement|"
    r"write|walk|state|prove|calculate|compute|estimate|discuss|summari[sz]e|outline|sketch|show)\b",
    re.I,
)
_ZH_QWORD = re.compile(
    r"为什么|为何|什么|怎么|怎样|如何|哪些|哪个|哪种|哪几|是否|吗|呢|多少|几种|区别|异同|优缺点|优劣|"
    r"对比|比较|简述|简要|介绍一下|讲讲|讲一下|说说|说一下|谈谈|解释|推导|手写|写出|写一下|能否|可否|有何|有没有"
)
# Headings that are never questions (unless they carry a `?`).
_STOP = {
    "参考", "参考资料", "参考文献", "参考链接", "参考文档", "引用", "references", "reference", "目录", "toc",
    "contents", "tableofcontents", "总结", "小结", "summary", "前言", "引言", "说明", "概述", "overview",
    "introduction", "intro", "附录", "appendix", "更新日志", "changelog", "furtherreading", "seealso", "致谢",
    "acknowledgements", "acknowledgments", "license", "相关链接", "links", "resources", "资源", "todo",
}  # fmt: skip
_ANSWER_HEAD = re.compile(r"^(?:a|answer|answers|答案|解答|参考答案|回答|答|解析)\s*\d*\s*[:：.]?$", re.I)
_KEY_POINTS = re.compile(r"^(?:key\s*points?|要点|关键点|得分点)\s*[:：]?\s*$", re.I)
_META_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>")
_BOLD_WRAP = re.compile(r"^(\*\*|__)(.+)\1$", re.S)
_BOLD_HEAD = re.compile(r"^(\*\*|__)(.+?)\1\s*")
_DETAILS = re.compile(
    r"^\s*<details\b[^>]*>\s*(?:<summary\b[^>]*>.*?</summary>)?\s*(.*?)\s*</details>\s*$", re.S | re.I
)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.S | re.I)
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ASCII_ALPHA = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class _Label:
    kind: str  # "q" (Q3:, 问：), "ti" (第3题), "num" (1. / 2.1 / (1)), "" (none)
    number: tuple[str, ...]
    rest: str  # the text after the label


def _read_label(text: str) -> _Label:
    """Split a leading label off an (NFKC-normalised, plain) text."""
    s = text[_lead_symbols(text) :].lstrip()
    m = _LABEL.match(s)
    if not m:
        return _Label("", (), s)
    rest = s[m.end() :]
    g = m.groupdict()
    if g["q"] is not None or g["qn2"] is not None or g["qbare"] is not None:
        num = g["qn"] or g["qn2"] or ""
        return _Label("q", tuple(num.split(".")) if num else (), rest)
    if g["tn"] is not None:
        return _Label("ti", (g["tn"],), rest)
    num = g["pn"] or g["nn"] or g["n"] or ""
    return _Label("num", tuple(num.split(".")), rest)


def _reads_as_question(text: str) -> bool:
    """Ends in / carries a question mark, starts with an English question word, or has a Chinese one."""
    t = text.strip()
    if "?" in t or "？" in t:
        return True
    return bool(_EN_QWORD.match(t) or _ZH_QWORD.search(t))


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def normalise_question(text: str) -> str:
    """The key used for derived ids and duplicate detection: no numbering, markup, punctuation, case."""
    t = re.sub(r"[*_`~]+", "", _nfkc(text)).strip()  # emphasis markup, if given markdown
    first = _read_label(t)
    if first.kind:
        t = first.rest
        second = _read_label(t)
        if second.kind in ("q", "ti"):  # "1. Q3: …" → "…"
            t = second.rest
    return _NON_WORD.sub("", t.casefold())


def derived_id(question: str) -> str:
    key = normalise_question(question) or question.strip()
    return "q-" + hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest()


def _plain(children: list[Any] | None, first_line_only: bool = False) -> str:
    """The visible text of inline tokens (math and code kept as their source, images and HTML dropped)."""
    out: list[str] = []
    for c in children or ():
        ty = c.type
        if ty == "text" or ty == "code_inline" or ty.startswith("math_inline"):
            out.append(c.content)
        elif ty == "softbreak" or ty == "hardbreak":
            if first_line_only:
                break
            out.append("\n")
    return "".join(out)


def _nfkc_prefix_len(s: str, n: int) -> int:
    """The length of the prefix of `s` whose NFKC form is `n` characters long (full-width labels)."""
    total = 0
    for i, ch in enumerate(s):
        if total >= n:
            return i
        total += len(_nfkc(ch))
    return len(s)


def _strip_label_raw(raw: str) -> str:
    """Drop leading emoji and a leading label from markdown source: `1. **Q?**` → `**Q?**`,
    `**Q3:** text` → `text`, `Ｑ２：text` → `text`."""
    s = raw.strip()
    s = s[_lead_symbols(s) :].lstrip()
    m = _LABEL.match(_nfkc(s))
    if m:
        return s[_nfkc_prefix_len(s, m.end()) :]
    m = _BOLD_HEAD.match(s)
    if m:
        inner = _nfkc(m.group(2)).strip()
        lm = _LABEL.match(inner + " ")
        if lm and not inner[lm.end() :].strip():  # the bold is only a label
            return s[m.end() :]
    return s


def _unwrap_bold(s: str) -> str:
    m = _BOLD_WRAP.match(s)
    if m and m.group(1) not in m.group(2):
        return m.group(2).strip()
    return s


def clean_question(raw: str) -> str:
    """The question as shown: markdown kept, but no numbering, no wrapping bold, no trailing colon."""
    s = _COMMENT.sub("", raw).strip()
    s = _unwrap_bold(s)
    s2 = _unwrap_bold(_strip_label_raw(s).strip())
    if s2 and _NON_WORD.sub("", s2):
        s = s2
    s = s.rstrip(" \t:：")
    s = _unwrap_bold(s).rstrip(" \t:：")
    return s or raw.strip()


# --------------------------------------------------------------------------------------------------------
# Blocks and questions


_KIND = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "blockquote",
    "table_open": "table",
    "fence": "fence",
    "code_block": "code",
    "hr": "hr",
    "html_block": "html",
    "math_block": "math",
    "math_block_label": "math",
    "front_matter": "front_matter",
}


@dataclass
class _Block:
    kind: str
    i: int  # first token
    j: int  # one past the last token
    start: int  # first line (0-based)
    end: int  # line after the block (0-based)
    level: int = 0  # heading level


@dataclass
class _Head:
    b: int  # block index
    level: int
    line: int
    raw: str
    plain: str  # NFKC plain text
    label: _Label
    strong: bool  # reads as a question
    qlike: bool  # reads as a question or is numbered
    stop: bool
    children: list[_Head] = field(default_factory=list)
    body: list[int] = field(default_factory=list)  # block indices of body questions in its direct content
    is_question: bool = False
    answer_head: bool = False  # `## Answer` / `## 答案`: never a question, joins the question before it
    parent: _Head | None = None
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class _Occ:
    """One occurrence of a question in the file, before duplicates are merged."""

    line: int  # 0-based
    question: str  # as shown
    plain: str  # for the id / duplicate key
    number: tuple[str, ...]
    head: str = ""  # answer text inside the question's own block
    head_substance: bool = False
    head_tokens: tuple[int, int] = (0, 0)
    follow: tuple[int, int] = (0, 0)  # following blocks [bi, bj) that are part of the answer
    meta: dict[str, str] = field(default_factory=dict)
    answer: str = ""
    has_answer: bool = False
    key_points: tuple[str, ...] = ()
    run_on: bool = False  # the answer continues in the following blocks (to the next boundary)
    labelled: bool = False  # carries a `Q3:` / `第3题` label (strong evidence of a question)
    done: bool = False


def _split_blocks(tokens: list[Any]) -> list[_Block]:
    blocks: list[_Block] = []
    n = len(tokens)
    i = 0
    last_end = 0
    while i < n:
        t = tokens[i]
        if t.nesting == 1:
            j = i + 1
            while j < n and not (tokens[j].nesting == -1 and tokens[j].level == 0):
                j += 1
            j += 1
        else:
            j = i + 1
        m = t.map
        start, end = (m[0], m[1]) if m else (last_end, last_end)
        kind = _KIND.get(t.type, "other")
        blocks.append(_Block(kind, i, j, start, end, int(t.tag[1:]) if kind == "heading" else 0))
        last_end = end
        i = j
    return blocks


def _parse_meta(body: str) -> dict[str, str] | None:
    """`id: x; tags: a, b` → {"id": "x", "tags": "a, b"}; None if this is not a metadata comment."""
    out: dict[str, str] = {}
    for part in body.split(";"):
        key, sep, value = part.partition(":")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out if ("id" in out or "tags" in out) else None


def _html_meta(content: str) -> dict[str, str] | None:
    m = _META_COMMENT.match(content)
    return _parse_meta(m.group(1)) if m else None


def _split_tags(value: str) -> list[str]:
    v = value.strip().strip("[]")
    out = []
    for part in re.split(r"[,，]", v):
        t = part.strip().strip("\"'").strip().lower()
        if t:
            out.append(re.sub(r"\s+", "-", t))
    return out


def _front_matter(content: str) -> dict[str, Any]:
    """The few keys tfprep reads (title, lang, tags) from YAML-ish front matter, without a YAML library."""
    meta: dict[str, Any] = {}
    key = ""
    for line in content.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s+-\s+(.*)$", line)
        if item and key:
            meta.setdefault(key, [])
            if isinstance(meta[key], list):
                meta[key].append(re.split(r"\s+#", item.group(1))[0].strip().strip("\"'"))
            continue
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not m:
            continue
        key = m.group(1).lower()
        value = re.split(r"\s+#", m.group(2))[0].strip()
        meta[key] = value.strip("\"'") if value else []
    tags = meta.get("tags", [])
    tags = _split_tags(tags) if isinstance(tags, str) else [t for x in tags for t in _split_tags(x)]
    title = meta.get("title", "")
    lang = meta.get("lang", meta.get("language", ""))
    return {
        "title": title if isinstance(title, str) else "",
        "lang": lang.lower() if isinstance(lang, str) else "",
        "tags": tags,
    }


class _Parser:
    def __init__(self, text: str, source: str, default_title: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.lines = text.split("\n")
        self.source = source
        self.default_title = default_title
        self.problems: list[Problem] = []
        self.tokens = markdown_parser().parse(text)
        self.blocks = _split_blocks(self.tokens)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line=line, message=message, source=self.source))

    # ---- body questions (outside headings) ------------------------------------------------------------

    def _first_line_question(self, inline: Any, loose: bool) -> tuple[str, str, _Label, str] | None:
        """A question on the first line of a paragraph: (shown, plain, number, same-line remainder).

        Recognised: a bold line with `?` or a label (`**Q3: …?**`, `**为什么…？**`), a bold label then text
        (`**Q3:** text`), a plain label (`Q: text`, `问：text`); with `loose` (inside a blockquote) also a
        plain first line carrying a `?`.
        """
        children = [c for c in inline.children or () if c.type != "text" or c.content]
        if not children:
            return None
        raw_first = inline.content.split("\n", 1)[0]
        first = children[0]
        if first.type == "strong_open":
            depth = 0
            k = 0
            while k < len(children):
                c = children[k]
                if c.type == "strong_open":
                    depth += 1
                elif c.type == "strong_close":
                    depth -= 1
                    if depth == 0:
                        break
                elif c.type in ("softbreak", "hardbreak"):
                    return None  # bold spans lines: not a question line
                k += 1
            bold = _nfkc(_plain(children[1:k])).strip()
            after = _nfkc(_plain(children[k + 1 :], first_line_only=True)).strip()
            delim = first.markup or "**"
            close = raw_first.find(delim, len(delim))
            bold_raw = raw_first[len(delim) : close] if close > 0 else raw_first
            after_raw = raw_first[close + len(delim) :].strip() if close > 0 else ""
            label = _read_label(bold)
            if label.kind and not label.rest.strip(" :："):  # `**Q3:** question text`
                if not after or (label.kind == "num" and not _reads_as_question(after)):
                    return None
                return after_raw, after, label, ""
            if not after.strip(" :：。.!！"):
                if "?" in bold or label.kind in ("q", "ti"):
                    return bold_raw, bold, label, ""
                return None
            if bold.rstrip(" :：").endswith("?"):  # `**Why?** Because …`
                return bold_raw, bold, label, after_raw
            return None
        plain = _nfkc(_plain(children, first_line_only=True)).strip()
        label = _read_label(plain)
        if label.kind == "q" and label.rest.strip():  # a plain `Q:` / `问题：` prefix is weak evidence
            return _strip_label_raw(raw_first), plain, _Label("plain", label.number, label.rest), ""
        if loose and "?" in plain and not re.match(r"^[^:：?]{1,12}[:：]", plain):
            return raw_first.strip(), plain, label, ""
        return None

    def _details_follow(self, bi: int) -> bool:
        """Whether the block after `bi` is a `<details>` block whose summary is not itself a question."""
        if bi + 1 >= len(self.blocks) or self.blocks[bi + 1].kind != "html":
            return False
        content = self.tokens[self.blocks[bi + 1].i].content
        if not content.lstrip().lower().startswith("<details"):
            return False
        m = _SUMMARY.search(content)
        summary = _nfkc(_TAG.sub("", m.group(1))).strip() if m else ""
        return "?" not in summary and _read_label(summary).kind not in ("q", "ti")

    def _rest_of_paragraph(self, para_start: int, para_end: int) -> str:
        return "\n".join(self.lines[para_start + 1 : para_end])

    def body_questions(self, bi: int) -> list[_Occ]:
        """Questions that a top-level paragraph / list / blockquote / html block holds."""
        b = self.blocks[bi]
        toks = self.tokens
        if b.kind == "paragraph":
            inline = toks[b.i + 1]
            q = self._first_line_question(inline, loose=False)
            if q is None:
                return []
            shown, plain, label, same = q
            head = "\n".join(x for x in (same, self._rest_of_paragraph(b.start, b.end)) if x)
            occ = _Occ(b.start, clean_question(shown), plain, label.number, head=head)
            occ.head_substance = bool(head.strip())
            occ.follow = (bi + 1, bi + 1)
            occ.run_on = True
            occ.labelled = label.kind in ("q", "ti")
            return [occ]
        if b.kind == "blockquote":
            # blockquote_open, paragraph_open, inline, …
            if b.i + 2 >= b.j or toks[b.i + 1].type != "paragraph_open":
                return []
            inline = toks[b.i + 2]
            q = self._first_line_question(inline, loose=True)
            if q is None and self._details_follow(bi):
                # `> 1、Transformer为什么除以根号d_k` then `<details><summary>答案</summary> …`: the
                # blockquote is the question whatever its punctuation; the <details> is its answer
                raw_first = inline.content.split("\n", 1)[0]
                plain = _nfkc(_plain(inline.children, first_line_only=True)).strip()
                if plain:
                    q = (_strip_label_raw(raw_first), plain, _read_label(plain), "")
            if q is None:
                return []
            shown, plain, label, same = q
            inner = [re.sub(r"^ {0,3}> ?", "", line) for line in self.lines[b.start + 1 : b.end]]
            head = "\n".join(x for x in (same, "\n".join(inner).strip("\n")) if x)
            occ = _Occ(b.start, clean_question(shown), plain, label.number, head=head)
            occ.head_substance = bool(re.sub(r"[\s>]", "", head))
            occ.follow = (bi + 1, bi + 1)
            occ.run_on = True
            occ.labelled = label.kind in ("q", "ti")
            return [occ]
        if b.kind == "html":
            content = toks[b.i].content
            m = _SUMMARY.search(content)
            if not m or not content.lstrip().lower().startswith("<details"):
                return []
            summary = _nfkc(_TAG.sub("", m.group(1))).strip()
            label = _read_label(summary)
            if not ("?" in summary or label.kind in ("q", "ti")):
                return []
            occ = _Occ(b.start, clean_question(_TAG.sub("", m.group(1))), summary, label.number)
            occ.labelled = label.kind in ("q", "ti")
            occ.follow = (bi, bi)  # the answer is the rest of the <details>, found below
            occ.meta["details"] = "1"
            return [occ]
        if b.kind == "list":
            return self._list_questions(b, bi)
        return []

    def _list_questions(self, b: _Block, bi: int) -> list[_Occ]:
        toks = self.tokens
        out: list[_Occ] = []
        items: list[tuple[int, int]] = []
        k = b.i + 1
        while k < b.j - 1:
            t = toks[k]
            if t.type == "list_item_open" and t.level == 1:
                e = k + 1
                while not (toks[e].type == "list_item_close" and toks[e].level == 1):
                    e += 1
                items.append((k, e))
                k = e + 1
            else:
                k += 1
        for n, (s, e) in enumerate(items):
            item = toks[s]
            if s + 2 >= e or toks[s + 1].type != "paragraph_open":
                continue
            inline = toks[s + 2]
            q = self._first_line_question(inline, loose=False)
            if q is None:
                continue
            shown, plain, label, same = q
            para_close = s + 3
            start, end = item.map if item.map else (b.start, b.end)
            body_lines = self.lines[start + 1 : end]
            # the metadata comment, if the first block after the question is one
            meta: dict[str, str] = {}
            nxt = para_close + 1
            if nxt < e and toks[nxt].type == "html_block":
                parsed = _html_meta(toks[nxt].content)
                if parsed is not None and toks[nxt].map:
                    meta = parsed
                    m0, m1 = toks[nxt].map
                    body_lines = self.lines[start + 1 : m0] + self.lines[m1:end]
                    nxt += 1
            body = _dedent(body_lines)
            head = "\n".join(x for x in (same, body) if x).strip("\n")
            occ = _Occ(start, clean_question(shown), plain, label.number, head=head, meta=meta)
            occ.labelled = label.kind in ("q", "ti")
            occ.head_tokens = (nxt, e)
            occ.head_substance = bool(same.strip()) or self._substance(nxt, e)
            if (inline.map and inline.map[1] - inline.map[0] > 1) and not occ.head_substance:
                occ.head_substance = bool(self._rest_of_paragraph(start, inline.map[1]).strip())
            occ.follow = (bi + 1, bi + 1)
            occ.run_on = n == len(items) - 1 and not occ.head_substance  # only an empty last item runs on
            out.append(occ)
        return out

    def _question_from_first_paragraph(self, occ: _Occ, h: _Head) -> None:
        """`## Question 3` / `## 第3题` with the question in the first paragraph below it."""
        bi, bj = occ.follow
        b = self.blocks[bi]
        if b.kind != "paragraph":
            return
        inline = self.tokens[b.i + 1]
        first = inline.content.split("\n", 1)[0]
        text = clean_question(first)
        if not _NON_WORD.sub("", text):
            return
        occ.question = text
        occ.plain = _nfkc(_plain(inline.children, first_line_only=True)).strip()
        occ.head = self._rest_of_paragraph(b.start, b.end)
        occ.head_substance = bool(occ.head.strip())
        occ.follow = (bi + 1, bj)

    # ---- answers -------------------------------------------------------------------------------------

    def _substance(self, i: int, j: int) -> bool:
        """Do tokens [i, j) hold any visible content (text, code, math, image, non-empty HTML)?"""
        for t in self.tokens[i:j]:
            ty = t.type
            if ty == "inline":
                for c in t.children or ():
                    if c.type in ("text", "code_inline") or c.type.startswith("math"):
                        if c.content.strip():
                            return True
                    elif c.type == "image":
                        return True
            elif ty in ("fence", "code_block") or ty.startswith("math_block"):
                if t.content.strip():
                    return True
            elif ty == "html_block":
                c = t.content
                if "<img" in c.lower() or _TAG.sub("", _COMMENT.sub("", c)).strip():
                    return True
        return False

    def _key_points(self, i: int, j: int) -> tuple[str, ...]:
        toks = self.tokens
        k = i
        while k < j:
            t = toks[k]
            if t.type == "paragraph_open" and k + 3 < j:
                inline = toks[k + 1]
                if _KEY_POINTS.match(_nfkc(_plain(inline.children)).strip()) and toks[k + 3].type in (
                    "bullet_list_open",
                    "ordered_list_open",
                ):
                    lst = toks[k + 3]
                    points = []
                    m = k + 4
                    while m < j and not (toks[m].nesting == -1 and toks[m].level == lst.level):
                        if toks[m].type == "list_item_open" and toks[m].level == lst.level + 1:
                            # the item's first inline
                            x = m + 1
                            while x < j and toks[x].type != "inline":
                                x += 1
                            if x < j:
                                text = _plain(toks[x].children).replace("\n", " ").strip()
                                if text:
                                    points.append(text)
                        m += 1
                    return tuple(points)
            k += 1
        return ()

    def finish(self, occ: _Occ) -> None:
        """Fill in the answer text, whether it has substance, key points and metadata."""
        if occ.done:
            return
        occ.done = True
        bi, bj = occ.follow
        blocks = self.blocks
        if "details" in occ.meta:  # <details><summary>Q?</summary> … </details>
            occ.meta.pop("details")
            b = blocks[bi]
            content = self.tokens[b.i].content
            if re.search(r"</details>\s*$", content, re.I):
                inner = content[_SUMMARY.search(content).end() :]
                inner = re.sub(r"</details>\s*$", "", inner, flags=re.I).strip("\n")
                occ.head = inner
                occ.head_substance = bool(_TAG.sub("", _COMMENT.sub("", inner)).strip()) or "<img" in inner
                occ.follow = (bi + 1, bi + 1)
            else:  # the answer is markdown between this block and a later </details>
                end = bi + 1
                while end < len(blocks):
                    eb = blocks[end]
                    if eb.kind == "html" and "</details>" in self.tokens[eb.i].content.lower():
                        break
                    if eb.kind == "heading":
                        break
                    end += 1
                inner = content[_SUMMARY.search(content).end() :].strip("\n")
                occ.head = inner
                occ.head_substance = bool(_TAG.sub("", inner).strip())
                occ.follow = (bi + 1, end)
                if end < len(blocks) and blocks[end].kind == "html":
                    # the closing </details> belongs to this answer; drop it from the text below
                    occ.meta["_close"] = str(end)
            bi, bj = occ.follow
        # a leading `### Answer` / `## 答案` heading is only a label
        if (
            bi < bj
            and blocks[bi].kind == "heading"
            and _ANSWER_HEAD.match(_nfkc(_plain(self.tokens[blocks[bi].i + 1].children)).strip())
        ):
            bi += 1
        # metadata comment right under the question
        if bi < bj and blocks[bi].kind == "html" and not occ.meta:
            parsed = _html_meta(self.tokens[blocks[bi].i].content)
            if parsed is not None:
                occ.meta = parsed
                bi += 1
        parts = []
        if occ.head:
            parts.append(occ.head)
        if bi < bj:
            parts.append("\n".join(self.lines[blocks[bi].start : blocks[bj - 1].end]))
        answer = "\n".join(parts)
        answer = "\n".join(line.rstrip() for line in answer.strip("\n").split("\n")).strip("\n")
        m = _DETAILS.match(answer)
        if m and answer.lower().count("<details") == 1:
            answer = m.group(1).strip("\n")
        close = occ.meta.pop("_close", None)
        if close is not None:
            answer = re.sub(r"\s*</details>\s*$", "", answer, flags=re.I)
        occ.answer = answer
        sub = occ.head_substance
        if not sub and bi < bj:
            sub = self._substance(blocks[bi].i, blocks[bj - 1].j)
        occ.has_answer = sub and bool(answer.strip())
        kp = ()
        if occ.head_tokens[1] > occ.head_tokens[0]:
            kp = self._key_points(*occ.head_tokens)
        if not kp and bi < bj:
            kp = self._key_points(blocks[bi].i, blocks[bj - 1].j)
        occ.key_points = kp

    # ---- the whole file -----------------------------------------------------------------------------

    def run(self) -> Deck:
        blocks = self.blocks
        toks = self.tokens
        fm: dict[str, Any] = {"title": "", "lang": "", "tags": []}
        if blocks and blocks[0].kind == "front_matter":
            fm = _front_matter(toks[blocks[0].i].content)
        self._check_fences()

        # 1. headings with text
        heads: list[_Head] = []
        head_at: dict[int, _Head] = {}
        for bi, b in enumerate(blocks):
            if b.kind != "heading":
                continue
            inline = toks[b.i + 1]
            plain = _nfkc(_plain(inline.children)).strip()
            if not _NON_WORD.sub("", plain):
                b.kind = "heading-empty"  # an image-only or empty heading is content
                continue
            label = _read_label(plain)
            strong = _reads_as_question(label.rest)
            key = _NON_WORD.sub("", plain.casefold())
            answer_head = bool(_ANSWER_HEAD.match(plain))
            stop = answer_head or (not strong and key in _STOP)
            qlike = not stop and (strong or bool(label.kind))
            h = _Head(bi, b.level, b.start, inline.content, plain, label, strong, qlike, stop)
            h.answer_head = answer_head
            for c in inline.children or ():  # a metadata comment inside the heading line
                if c.type == "html_inline" and _html_meta(c.content) is not None:
                    h.raw = h.raw.replace(c.content, "")
                    h.meta = _html_meta(c.content) or {}
            heads.append(h)
            head_at[bi] = h

        # 2. sub-parts: `2.1`, `3.1` after question `2.` stay in its answer (unless they read as questions
        #    under a heading that does not)
        anchor: _Head | None = None
        for h in heads:
            a = anchor
            if (
                a is not None
                and h.level >= a.level
                and h.label.kind == "num"
                and len(h.label.number) >= 2
                and a.label.kind
                and len(a.label.number) < len(h.label.number)
                and (a.strong or not h.strong)
            ):
                blocks[h.b].kind = "heading-sub"
                continue
            anchor = h
        heads = [h for h in heads if blocks[h.b].kind == "heading"]

        # 3. the heading tree, and which heading directly holds each body question
        root = _Head(-1, 0, 0, "", "", _Label("", (), ""), False, False, False)
        stack = [root]
        body: dict[int, list[_Occ]] = {}
        for bi, b in enumerate(blocks):
            if b.kind == "heading":
                h = head_at[bi]
                while stack[-1].level >= h.level:
                    stack.pop()
                h.parent = stack[-1]
                stack[-1].children.append(h)
                stack.append(h)
            elif b.kind in ("paragraph", "list", "blockquote", "html"):
                found = self.body_questions(bi)
                if found:
                    body[bi] = found
                    stack[-1].body.append(bi)

        # 4. which headings are questions, top-down: a heading that reads as a question is one, and
        #    everything under it is its answer; a heading holding questions is a section.
        def reads_as_question(h: _Head) -> bool:
            if h.stop:
                return False
            if h.body:
                # Under a heading that reads as a question, bold / quoted "questions" are parts of its
                # answer, unless they carry labels (`**Q1:**`) and the heading has no text of its own.
                if not h.strong:
                    return False
                if self._substance(blocks[h.b].j, blocks[h.body[0]].i):
                    return True
                return not any(o.labelled for bi in h.body for o in body[bi])
            if h.children:
                if h.strong:
                    return not any(c.label.kind in ("q", "ti") for c in h.children)
                return h.qlike and not any(c.qlike or c.body for c in h.children)
            return h.qlike

        # non-question-like headings count as questions at a level where nearly all candidates read as
        # questions (a canonical bank with a few topic-style headings)
        stats: dict[int, list[int]] = {}
        for h in heads:
            if not h.stop and not h.body and not any(c.qlike for c in h.children):
                s = stats.setdefault(h.level, [0, 0])
                s[0] += h.qlike
                s[1] += 1
        dense = {lv for lv, (q, n) in stats.items() if q >= 2 and q * 4 >= n * 3}

        question_heads: list[_Head] = []
        section_cards: list[_Head] = []

        def visit(node: _Head) -> None:
            for c in node.children:
                if reads_as_question(c) or (
                    c.level in dense and not c.stop and not c.body and not any(x.qlike for x in c.children)
                ):
                    c.is_question = True
                    question_heads.append(c)
                    for d in _descendants(c):  # body questions under a question are its answer
                        for bi in d.body:
                            body.pop(bi, None)
                    for bi in c.body:
                        body.pop(bi, None)
                else:
                    if c.strong and not c.stop:
                        section_cards.append(c)  # a section that reads as a question: a card of its own text
                    visit(c)

        visit(root)
        if not question_heads and not body:
            # no heading reads as a question: the deepest level with several leaves holds the questions
            leaves = [h for h in heads if not h.children and not h.stop]
            counts: dict[int, int] = {}
            for h in leaves:
                counts[h.level] = counts.get(h.level, 0) + 1
            many = [lv for lv, n in counts.items() if n >= 2]
            if many:
                question_heads = [h for h in leaves if h.level == max(many)]
                for h in question_heads:
                    h.is_question = True

        # 5. occurrences of questions, in file order
        occs: list[_Occ] = []
        for h in sorted(question_heads + section_cards, key=lambda x: x.b):
            start = h.b + 1
            end = start
            while end < len(blocks):
                b = blocks[end]
                if b.kind == "heading":
                    nxt = head_at[end]
                    if h.is_question and (nxt.level > h.level or (nxt.answer_head and nxt.level == h.level)):
                        end += 1  # deeper headings, and a sibling `## Answer`, are part of the answer
                        continue
                    break
                if not h.is_question and (b.kind == "hr" or end in body):
                    break
                end += 1
            while end > start and blocks[end - 1].kind in ("hr", "heading-empty"):
                end -= 1  # a trailing `---` separator is not part of the answer
            occ = _Occ(
                h.line, clean_question(h.raw), h.plain, h.label.number, follow=(start, end), meta=dict(h.meta)
            )
            if h.label.kind and not _NON_WORD.sub("", h.label.rest) and start < end:
                self._question_from_first_paragraph(occ, h)  # `## Question 3` then the question text
            if not h.is_question:
                self.finish(occ)
                if occ.has_answer:
                    occs.append(occ)
                continue
            occs.append(occ)
        for bi, found in body.items():
            last = found[-1]
            if last.run_on:
                end = bi + 1
                while end < len(blocks):
                    b = blocks[end]
                    if b.kind in ("heading", "hr") or end in body:
                        break
                    end += 1
                last.follow = (bi + 1, end)
            occs.extend(found)
        occs.sort(key=lambda o: o.line)
        for occ in occs:
            self.finish(occ)

        cards = self._cards(occs, fm)
        title = fm["title"] or self._first_title(heads) or self.default_title
        lang = fm["lang"] if fm["lang"] in ("zh", "en") else _guess_lang(self.text)
        tags = tuple(dict.fromkeys(fm["tags"]))
        cards = [
            Card(
                id=c.id,
                question=c.question,
                answer=c.answer,
                line=c.line,
                tags=c.tags,
                key_points=c.key_points,
                source=self.source,
                deck=title,
                lang=lang,
            )
            for c in cards
        ]
        if not cards and not any("no answer" in p.message for p in self.problems):
            if not self.text.strip():
                self.problem(1, "empty file: no questions; write `## Question?` headings with answers below")
            else:
                self.problem(1, "no questions found; write `## Question?` headings (see docs/bank-format.md)")
        self.problems.sort(key=lambda p: p.line)
        return Deck(
            title=title, lang=lang, tags=tags, source=self.source, cards=cards, problems=self.problems
        )

    def _first_title(self, heads: list[_Head]) -> str:
        for h in heads:
            if h.level == 1 and not h.is_question:
                return clean_question(h.raw)
        return ""

    def _check_fences(self) -> None:
        for t in self.tokens:
            if t.type != "fence" or not t.map:
                continue
            start, end = t.map
            last = self.lines[end - 1].lstrip(" \t>") if end - 1 < len(self.lines) else ""
            ch = t.markup[:1]
            closed = end - start >= 2 and last.startswith(t.markup) and not last.strip().strip(ch)
            if not closed:
                self.problem(start + 1, f"code fence opened here is never closed; add a closing {t.markup}")

    def _cards(self, occs: list[_Occ], fm: dict[str, Any]) -> list[Card]:
        answered = [o for o in occs if o.has_answer]
        empty = [o for o in occs if not o.has_answer]
        keys = {id(o): normalise_question(o.plain) for o in occs}
        kept: list[_Occ] = []
        first_by_key: dict[str, _Occ] = {}
        for o in answered:
            k = keys[id(o)]
            if k and k in first_by_key:
                f = first_by_key[k]
                self.problem(
                    o.line + 1, f"duplicate question (first at line {f.line + 1}); only the first is kept"
                )
                continue
            first_by_key[k] = o
            kept.append(o)
        for o in empty:
            match = first_by_key.get(keys[id(o)]) or _similar_answered(o, keys, kept)
            if match is not None:
                self.problem(
                    o.line + 1,
                    f"duplicate question without an answer; merged into the answered copy at line {match.line + 1}",
                )
            else:
                self.problem(o.line + 1, f"question has no answer: {_short(o.question)}; write one below it")
        base_tags = list(fm["tags"])
        out: list[Card] = []
        seen_ids: dict[str, int] = {}
        for o in kept:
            explicit = o.meta.get("id", "").strip()
            cid = explicit or derived_id(o.plain or o.question)
            if cid in seen_ids:
                what = "id" if explicit else "derived id"
                self.problem(
                    o.line + 1,
                    f"duplicate {what} {cid!r} (first at line {seen_ids[cid]}); give this card a unique id",
                )
                continue
            seen_ids[cid] = o.line + 1
            tags = tuple(dict.fromkeys(base_tags + _split_tags(o.meta.get("tags", ""))))
            out.append(Card(cid, o.question, o.answer, o.line + 1, tags, o.key_points))
        return out


def _descendants(h: _Head) -> list[_Head]:
    out = []
    todo = list(h.children)
    while todo:
        x = todo.pop()
        out.append(x)
        todo.extend(x.children)
    return out


def _dedent(lines: list[str]) -> str:
    width = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
    return "\n".join(x[width:] for x in lines).strip("\n")


def _short(text: str, n: int = 60) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _similar_answered(o: _Occ, keys: dict[int, str], answered: list[_Occ]) -> _Occ | None:
    """The answered question an empty one is a copy of: same text up to a typo, a shortening, or a renaming
    under the same number. None if nothing is close enough."""
    a = keys[id(o)]
    if len(a) < 2 or not answered:
        return None
    from difflib import SequenceMatcher

    best: tuple[float, _Occ] | None = None
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
        same_number = bool(o.number) and o.number == c.number
        if score >= (0.6 if same_number else 0.75) and (best is None or score > best[0]):
            best = (score, c)
    return best[1] if best else None


def _guess_lang(text: str) -> str:
    sample = text[:20000]
    cjk = len(_CJK.findall(sample))
    latin = len(_ASCII_ALPHA.findall(sample))
    if cjk == 0 and latin == 0:
        return ""
    return "zh" if cjk * 3 >= latin else "en"


def parse_text(text: str, source: str = "", default_title: str = "") -> Deck:
    """Parse one bank's markdown into a Deck (cards + problems). Pure: no files, no clock."""
    # markdown-it allocates a few hundred thousand tokens for a big bank and none of them form cycles;
    # pausing the cyclic GC meanwhile saves ~20% of the time (bench/bench_bank.py). State is restored.
    from tfprep.bank import admonitions

    if admonitions.has_admonitions(text):
        text = admonitions.flatten(text)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Parser(text, source, default_title).run()
    finally:
        if was_enabled:
            gc.enable()
