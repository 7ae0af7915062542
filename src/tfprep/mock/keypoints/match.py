"""Matching an answer against a card's key points: covered, check yourself, contradicted or missed.

With concept data (concepts.py) a point is a few concepts, each a set of phrasings. In the answer:
- every concept found, not negated, in one clause → **covered**;
- else a concept negated (a negation word — not/no/never/without, 不/没/非/无/未 … — just before it in its
  clause) or replaced by its opposite (a phrasing with one word swapped: before/after, larger/smaller,
  >/<, 奇/偶, 前/后, 升/降 …, or with its own negation dropped), in a sentence holding the other concepts
  → **contradicted**;
- else every concept found in one sentence → **covered**;
- else some of the concepts found → **check yourself** (the user decides); none → **missed**.
Without concept data, the lexical fallback (lexical.py) can only say **check yourself** or **missed**.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tfprep.mock.keypoints import lexical
from tfprep.mock.keypoints.concepts import Concept, PointConcepts
from tfprep.mock.keypoints.model import PointMatch
from tfprep.mock.keypoints.text import CJK, ZH_NEG, Answer, normalise

NEG_REACH = 2.5  # a negation negates a concept at most this many words before it (Chinese char = 0.5)
CHECK_AT = 0.5  # share of concepts (or lexical match) from which a point is "check yourself"
LEXICAL_CHECK_AT = 0.5

# Opposites: swapping one of them in a phrasing makes a statement that contradicts it.
_PAIRS = [
    ("before", "after"),
    ("larger", "smaller"),
    ("bigger", "smaller"),
    ("greater", "less"),
    ("more", "less"),
    ("higher", "lower"),
    ("high", "low"),
    ("large", "small"),
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("grow", "shrink"),
    ("above", "below"),
    ("upper", "lower"),
    ("max", "min"),
    ("maximum", "minimum"),
    ("sharper", "flatter"),
    ("sharpen", "flatten"),
    ("first", "last"),
    ("earlier", "later"),
    ("past", "future"),
    ("previous", "future"),
    ("left", "right"),
    ("row", "column"),
    ("rows", "columns"),
    ("encoder", "decoder"),
    ("even", "odd"),
    ("ascending", "descending"),
    ("pre", "post"),
    ("vanishing", "exploding"),
    ("vanish", "explode"),
    ("inside", "outside"),
    ("with", "without"),
    ("same", "different"),
    (">", "<"),
    (">=", "<="),
    ("≥", "≤"),
    ("之前", "之后"),
    ("前", "后"),
    ("奇", "偶"),
    ("升序", "降序"),
    ("升", "降"),
    ("从高到低", "从低到高"),
    ("增大", "减小"),
    ("增加", "减少"),
    ("变大", "变小"),
    ("过大", "过小"),
    ("最大", "最小"),
    ("大于", "小于"),
    ("大", "小"),
    ("高", "低"),
    ("上", "下"),
    ("左", "右"),
    ("行", "列"),
    ("编码器", "解码器"),
    ("encoder", "decoder"),
    ("尖", "平"),
    ("消失", "爆炸"),
    ("相同", "不同"),
    ("长", "短"),
]
_OPPOSITE: dict[str, str] = {}
for _a, _b in _PAIRS:
    _OPPOSITE.setdefault(_a, _b)
    _OPPOSITE.setdefault(_b, _a)
_LATIN_WORD = re.compile(r"[a-z]+")
_NEG_PREFIX = re.compile(r"^(?:not |no |never |without |does not |do not |doesn't |don't |is not |isn't )")


@lru_cache(maxsize=4096)
def _regex(phrase: str) -> re.Pattern[str]:
    """A normalised phrasing as a pattern: spaces optional between its parts, the usual endings allowed on a
    Latin word (saturate ~ saturates ~ saturated ~ saturating ~ saturation), whole Latin words only."""
    parts = re.findall(rf"[a-z0-9]+|[{CJK}]+|\S", phrase)
    body = r"\s*".join(_word(p) for p in parts)
    if parts and re.match(r"[a-z0-9]", parts[0]):
        body = r"(?<![a-z0-9])" + body
    if parts and re.match(r"[a-z0-9]", parts[-1][-1]):
        body += r"(?![a-z0-9])"
    return re.compile(body)


def _word(part: str) -> str:
    if not re.fullmatch(r"[a-z]{4,}", part):
        return re.escape(part) + ("(?:s|es)?" if re.fullmatch(r"[a-z]{3}", part) else "")
    if part.endswith("e"):
        return re.escape(part[:-1]) + "(?:e|es|ed|ing|ion|ions)?"
    return re.escape(part) + "(?:s|es|ed|d|ing|ion)?"


@lru_cache(maxsize=4096)
def _opposites(phrase: str) -> tuple[str, ...]:
    """The phrasing with one opposite swapped in (each possible swap), or with its leading negation dropped."""
    out: list[str] = []
    for m in re.finditer(rf"[a-z]+|[{CJK}]+|[<>]=?|[≤≥]", phrase):
        token = m.group(0)
        if token in _OPPOSITE:
            out.append(phrase[: m.start()] + _OPPOSITE[token] + phrase[m.end() :])
        elif re.fullmatch(f"[{CJK}]+", token):  # a Chinese opposite inside a run: 温度小于 → 温度大于
            for word, opposite in _OPPOSITE.items():
                if re.fullmatch(f"[{CJK}]+", word) and word in token:
                    i = m.start() + token.index(word)
                    out.append(phrase[:i] + opposite + phrase[i + len(word) :])
    # dropping a phrasing's own negation says the opposite, when enough is left to be a claim
    # ("not position" → "position" is not one; "does not depend on the batch" → "depend on the batch" is)
    stripped = _NEG_PREFIX.sub("", phrase)
    if stripped != phrase and len(stripped.split()) >= 2:
        out.append(stripped)
    for neg in sorted(ZH_NEG, key=len, reverse=True):
        if phrase.startswith(neg) and len(phrase) > len(neg) + 1:
            out.append(phrase[len(neg) :])
            break
    return tuple(dict.fromkeys(o for o in out if o and o != phrase))


@dataclass(frozen=True)
class _Occ:
    start: int
    end: int
    clause: int
    sentence: int


def _find(answer: Answer, phrasings: Sequence[str]) -> list[_Occ]:
    out = []
    for phrase in phrasings:
        if not phrase:
            continue
        single_cjk = len(phrase) == 1 and re.fullmatch(f"[{CJK}]", phrase)
        for m in _regex(phrase).finditer(answer.text):
            if single_cjk and not answer.is_word(m.start(), m.end()):
                continue  # 前 in 前馈 is not 前
            out.append(_Occ(m.start(), m.end(), answer.clause(m.start()), answer.sentence(m.start())))
    return out


def _negated(answer: Answer, occ: _Occ, consumed: Sequence[_Occ]) -> bool:
    """A negation word shortly before the occurrence, in its clause, that is not part of another concept."""
    for s, e in answer.negations:
        if e > occ.start:
            break
        if answer.clause(s) != occ.clause or answer.units_between(e, occ.start) > NEG_REACH:
            continue
        if any(c.start <= s and e <= c.end for c in consumed):
            continue
        return True
    return False


def _overlaps(occ: _Occ, others: Sequence[_Occ]) -> bool:
    return any(o.start < occ.end and occ.start < o.end for o in others)


def match_concepts(concepts: PointConcepts, answer: Answer) -> tuple[str, float, str]:
    """(state, share of concepts found, evidence) of one point described by its concepts. A phrasing
    written `!bn` is an opposite given by the author (saying it instead contradicts the point)."""
    norm: list[tuple[str, ...]] = [tuple(normalise(p) for p in c if not p.startswith("!")) for c in concepts]
    given = [tuple(normalise(p[1:]) for p in c if p.startswith("!")) for c in concepts]
    found = [_find(answer, c) for c in norm]
    consumed = [o for occs in found for o in occs]
    clean = [[o for o in occs if not _negated(answer, o, consumed)] for occs in found]
    negated = [[o for o in occs if o not in clean_i] for occs, clean_i in zip(found, clean)]
    opposite = []
    for c, g, occs in zip(norm, given, found):
        opp = _find(answer, [o for p in c for o in _opposites(p)] + list(g))
        opposite.append([o for o in opp if not _overlaps(o, occs) and not _negated(answer, o, consumed)])

    def spans(key: str, groups: Sequence[Sequence[_Occ]]) -> dict[int, int]:
        """clause or sentence → the tightest window holding one occurrence of each group there."""
        units = set.intersection(*[{getattr(o, key) for o in g} for g in groups]) if groups else set()
        out = {}
        for u in units:
            here = [[o for o in g if getattr(o, key) == u][:8] for g in groups]
            out[u] = min(
                max(o.end for o in combo) - min(o.start for o in combo) for combo in itertools.product(*here)
            )
        return out

    def snippet(o: _Occ) -> str:
        """The clause that contradicts the point (at most ~60 characters around the words that do)."""
        ends = answer._clause_ends
        i = o.clause
        start = ends[i - 1] + 1 if i > 0 else 0
        end = ends[i] if i < len(ends) else len(answer.text)
        start, end = max(start, o.start - 30), min(end, o.end + 30)
        while start < o.start and answer.text[start - 1 : start].isalnum():  # not from inside a word
            start += 1
        while end > o.end and answer.text[end : end + 1].isalnum():
            end -= 1
        text = answer.text[start:end].strip(" ,;.，；。")
        return text

    clean_clause = spans("clause", clean)
    worst: tuple[int, _Occ] | None = None  # the tightest contradicting window (span, occurrence)
    for i in range(len(norm)):
        others = found[:i] + found[i + 1 :]  # the other concepts, said or negated
        for bad in (opposite[i], negated[i]):
            if not bad:
                continue
            groups = [bad, *others]
            clause_spans = spans("clause", groups) if others else {o.clause: 0 for o in bad}
            sentence_spans = spans("sentence", groups) if others else {o.sentence: 0 for o in bad}
            candidates = [(sp, "clause", u) for u, sp in clause_spans.items()]
            candidates += [(sp, "sentence", u) for u, sp in sentence_spans.items()]
            for span, key, u in candidates:
                o = next(o for o in bad if getattr(o, key) == u)
                rivals = [sp for c, sp in clean_clause.items() if _sentence_of(answer, c) == o.sentence]
                # within a clause, the tighter of "said" and "said the other way" wins; across clauses, a
                # contradiction counts only where no clause of its sentence says it right
                beaten = rivals and (key == "sentence" or min(rivals) <= span)
                if not beaten and (worst is None or span < worst[0]):
                    worst = (span, o)
    if len(norm) == 1 and not any(_is_claim(answer.text[o.start : o.end]) for o in clean[0]):
        # one bare name ("RoPE", "0.9") shows the topic came up, not what was said about it
        return (
            ("check" if clean[0] and worst is None else "contradicted" if worst else "missed"),
            (1.0 if clean[0] else 0.0),
            snippet(worst[1]) if worst else "",
        )
    if clean_clause and worst is None:
        return "covered", 1.0, ""
    if worst is not None and not (clean_clause and _clean_elsewhere(answer, clean_clause, worst[1])):
        return "contradicted", 0.0, snippet(worst[1])
    if clean_clause or spans("sentence", clean):
        return "covered", 1.0, ""
    share = sum(bool(c) for c in clean) / len(norm)
    return ("check" if share >= CHECK_AT else "missed"), round(share, 3), ""


def _is_claim(words: str) -> bool:
    """A phrase that says something (two words or more, three Chinese characters, or a formula), not a name."""
    return (
        len(re.findall(r"[a-z0-9]+", words)) >= 2
        or len(re.findall(f"[{CJK}]", words)) >= 3
        or bool(re.search(r"[<>=≤≥/^]", words))
    )


def _sentence_of(answer: Answer, clause: int) -> int:
    """The sentence a clause is in (clause ends include the sentence ends)."""
    ends = answer._clause_ends
    pos = ends[clause - 1] + 1 if clause > 0 and clause - 1 < len(ends) else 0
    return answer.sentence(pos)


def _clean_elsewhere(answer: Answer, clean_clause: Mapping[int, int], bad: _Occ) -> bool:
    """A clean clause in another sentence than the contradiction: the answer says it right somewhere else."""
    return any(_sentence_of(answer, c) != bad.sentence for c in clean_clause)


def coverage(
    points: Sequence[str], answer: str, concepts: Sequence[PointConcepts] | None = None
) -> list[PointMatch]:
    """For each key point of a card: what the answer does with it. `concepts` is the card's concept data
    (one entry per point; an empty or missing entry falls back to the lexical match)."""
    if not answer.strip():
        return [PointMatch(p) for p in points]
    ans = Answer(answer)
    out = []
    for i, point in enumerate(points):
        data = concepts[i] if concepts is not None and i < len(concepts) else ()
        if data:
            state, score, evidence = match_concepts(data, ans)
            out.append(PointMatch(point, state, score, evidence=evidence))
        else:
            score = round(lexical.match_point(point, answer), 3)
            out.append(PointMatch(point, "check" if score >= LEXICAL_CHECK_AT else "missed", score))
    return out


def concepts_for(card_id: str, data: Mapping[str, Sequence[PointConcepts]]) -> Sequence[PointConcepts] | None:
    from tfprep.mock.keypoints.concepts import bare_id

    return data.get(bare_id(card_id))


__all__ = ["Concept", "coverage", "match_concepts", "concepts_for"]
