"""An answer read for matching: normalised text, its sentences and clauses, the words that negate, and
Chinese words (segmented by rjieba, the Rust port of jieba, imported on first use: ~0.15 s, so neither
`tfprep --help` nor `tfprep quiz` pays for it).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from tfprep.mock.keypoints.lexical import _plain

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
# sentence ends: Chinese and English terminators, a period not inside a number, a new line that starts a
# bullet or a numbered item (other line breaks are where a long answer was wrapped: they end a clause)
_SENTENCE_END = re.compile(r"[。！？；;!?]|\.(?![0-9a-z])|\n(?=\s*(?:[-*•·]|\d+[.)、]))")
# clause ends: commas and colons, brackets, and the words that join two statements ("Q comes from the
# encoder and K from the decoder" is two claims)
_CLAUSE_END = re.compile(
    r"[，,、:：()（）\n]|\s-\s|(?<![a-z])(?:and|but|while|whereas|because|so|then)(?![a-z])|而|但是|但|因为|所以|然后"
)
_GLUED = re.compile(f"[{CJK}][a-z0-9]+( )(?=[{CJK}])")
_EN_NEG = re.compile(
    r"(?<![a-z])(?:not(?! only)|no(?! matter)|never|without|cannot|neither|nor|none|[a-z]+n't)(?![a-z])"
)
# Chinese negations, as whole words of the segmentation (so 未来, 非常, 不同, 无论, 无穷 are not negations)
ZH_NEG = frozenset(
    [
        "不",
        "没",
        "没有",
        "不是",
        "非",
        "无",
        "未",
        "并非",
        "并不",
        "并没有",
        "不会",
        "不能",
        "无法",
        "不用",
        "不需",
        "不需要",
        "无需",
        "不必",
        "别",
        "不要",
        "从不",
        "从未",
        "不再",
        "毫无",
        "不可",
        "不可以",
        "不应",
        "不应该",
        "绝不",
        "不必要",
        "不存在",
        "不含",
        "不包含",
        "不带",
        "不依赖",
        "不看",
        "不做",
        "不改变",
        "没法",
    ]
)


def normalise(text: str) -> str:
    """Lower case, full-width forms, LaTeX and symbols as plain text; a hyphen between letters becomes a
    space (pre-norm = pre norm); no space around operators (T < 1 = t<1)."""
    text = _plain(text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = re.sub(r"\s*([<>=≤≥≠+*/^])\s*", r"\1", text)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return text.strip()


def segment(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of the Chinese segmentation of `text` (other characters come through as words)."""
    try:
        import rjieba
    except ImportError:  # pragma: no cover - rjieba is a dependency; without it, one word per character
        return [(ch, i, i + 1) for i, ch in enumerate(text)]
    return [(w, s, e) for w, s, e in rjieba.tokenize(text) if w.strip()]


_warming: list[object] = []


def warm_up() -> None:
    """Load the segmenter in the background, once. Its import holds the interpreter for a moment (~0.15 s
    on an idle machine), so call it while the user is typing, not while the screen is being drawn."""
    if _warming:
        return
    import threading

    def load() -> None:
        try:
            import rjieba

            rjieba.cut("预热")
        except ImportError:  # pragma: no cover - a dependency; segment() degrades without it
            pass

    thread = threading.Thread(target=load, name="tfprep-warm-rjieba", daemon=True)
    _warming.append(thread)
    thread.start()


@dataclass
class Answer:
    """An answer, normalised, with where its sentences and clauses end and where it negates."""

    raw: str

    @cached_property
    def text(self) -> str:
        return normalise(self.raw)

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [m.start() for m in _SENTENCE_END.finditer(self.text)]

    @cached_property
    def _clause_ends(self) -> list[int]:
        ends = [m.start() for m in _CLAUSE_END.finditer(self.text)]
        # "偶数位置sin 奇数位置cos": a Latin word glued to the Chinese before it, then a space, ends a clause
        ends += [m.start(1) for m in _GLUED.finditer(self.text)]
        return sorted(set(ends) | set(self._sentence_ends))

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self._sentence_ends, pos)

    def clause(self, pos: int) -> int:
        return bisect.bisect_right(self._clause_ends, pos)

    @cached_property
    def words(self) -> list[tuple[str, int, int]]:
        """The segmentation (only computed when the answer has Chinese)."""
        return segment(self.text) if _CJK_CHAR.search(self.text) else []

    @cached_property
    def negations(self) -> list[tuple[int, int]]:
        """(start, end) of each negating word."""
        spans = [(m.start(), m.end()) for m in _EN_NEG.finditer(self.text)]
        spans += [(s, e) for w, s, e in self.words if w in ZH_NEG]
        return sorted(spans)

    def is_word(self, start: int, end: int) -> bool:
        """Whether text[start:end] is one whole word of the Chinese segmentation."""
        return any(s == start and e == end for _, s, e in self.words)

    def units_between(self, start: int, end: int) -> float:
        """How many words lie between two positions (a Latin word 1, a Chinese character 0.5)."""
        gap = self.text[start:end]
        return len(re.findall(r"[a-z0-9]+", gap)) + 0.5 * len(_CJK_CHAR.findall(gap))
