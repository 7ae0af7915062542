"""Metadata a bank carries besides questions: front matter, `<!-- id: …; tags: … -->` comments, key points,
the language. Pure string / token work."""

from __future__ import annotations

import re
from typing import Any

from tfprep.bank.text import nfkc, plain_inline

_META_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.S)
_KEY_POINTS = re.compile(r"^(?:key\s*points?|要点|关键点|得分点)\s*[:：]?\s*$", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")
_ASCII_ALPHA = re.compile(r"[A-Za-z]")


def parse_meta(body: str) -> dict[str, str] | None:
    """`id: x; tags: a, b` → {"id": "x", "tags": "a, b"}; None if this is not a metadata comment."""
    out: dict[str, str] = {}
    for part in body.split(";"):
        key, sep, value = part.partition(":")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out if ("id" in out or "tags" in out) else None


def html_meta(content: str) -> dict[str, str] | None:
    m = _META_COMMENT.match(content)
    return parse_meta(m.group(1)) if m else None


def split_tags(value: str) -> list[str]:
    v = value.strip().strip("[]")
    out = []
    for part in re.split(r"[,，]", v):
        t = part.strip().strip("\"'").strip().lower()
        if t:
            out.append(re.sub(r"\s+", "-", t))
    return out


def front_matter(content: str) -> dict[str, Any]:
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
    tags = split_tags(tags) if isinstance(tags, str) else [t for x in tags for t in split_tags(x)]
    title = meta.get("title", "")
    lang = meta.get("lang", meta.get("language", ""))
    return {
        "title": title if isinstance(title, str) else "",
        "lang": lang.lower() if isinstance(lang, str) else "",
        "tags": tags,
    }


def key_points(tokens: list[Any], i: int, j: int) -> tuple[str, ...]:
    """The items of the list right after a `Key points:` / `要点：` paragraph within tokens [i, j)."""
    k = i
    while k < j:
        t = tokens[k]
        if t.type == "paragraph_open" and k + 3 < j:
            inline = tokens[k + 1]
            if _KEY_POINTS.match(nfkc(plain_inline(inline.children))) and tokens[k + 3].type in (
                "bullet_list_open",
                "ordered_list_open",
            ):
                lst = tokens[k + 3]
                points = []
                m = k + 4
                while m < j and not (tokens[m].nesting == -1 and tokens[m].level == lst.level):
                    if tokens[m].type == "list_item_open" and tokens[m].level == lst.level + 1:
                        x = m + 1
                        while x < j and tokens[x].type != "inline":
                            x += 1
                        if x < j:
                            text = _kp_text(tokens[x].children)
                            if text:
                                points.append(text)
                    m += 1
                return tuple(points)
        k += 1
    return ()


def _kp_text(children: list[Any] | None) -> str:
    out = []
    for c in children or ():
        if c.type == "text" or c.type == "code_inline" or c.type.startswith("math_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out).strip()


def guess_lang(text: str) -> str:
    sample = text[:20000]
    cjk = len(_CJK.findall(sample))
    latin = len(_ASCII_ALPHA.findall(sample))
    if cjk == 0 and latin == 0:
        return ""
    return "zh" if cjk * 3 >= latin else "en"
