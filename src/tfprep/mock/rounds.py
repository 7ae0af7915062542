"""The round format: a round file (TOML, schema in docs/mock-rounds.md) read into a `Round`. Pure.

A round is a list of slots. A concept slot asks cards (by id, by tags, or by topics drawn in proportion to
their weight); a coding slot asks one drill, a drill chosen by tags, or a chain of drills asked one after
another as follow-ups ("now add a mask", "now multi-head").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tfprep.errors import TfprepError
from tfprep.i18n import tr

KINDS = ("concept", "coding")
LANGS = ("zh", "en")
DEFAULT_WEIGHT = {"concept": 1.0, "coding": 2.0}


class RoundError(TfprepError):
    """A round template that cannot be used; the message names the file and the field to fix."""


@dataclass(frozen=True)
class Stage:
    """One follow-up of a coding chain: a drill, and what the interviewer says when asking for it."""

    drill: str
    say_en: str = ""
    say_zh: str = ""

    def say(self, lang: str) -> str:
        return (self.say_zh or self.say_en) if lang == "zh" else (self.say_en or self.say_zh)


@dataclass(frozen=True)
class Slot:
    kind: str  # "concept" or "coding"
    tags: tuple[str, ...] = ()  # concept: cards with any of these tags; coding: drills whose topic/tags match
    prefer: tuple[str, ...] = ()  # concept: card ids tried first (language prefix optional)
    drill: str | None = None  # coding: one drill by name
    chain: tuple[Stage, ...] = ()  # coding: drills asked one after another, the clock running across them
    topics: tuple[tuple[str, float], ...] = ()  # concept: (topic tag, weight): questions drawn ∝ weight
    count: int = 1  # questions this slot asks (default: as many as `prefer` lists, else 1)
    weight: float = 1.0  # weight of each of its questions in the overall score
    minutes: float | None = None  # suggested time per question (a coding question over it is slow)
    label_en: str = ""
    label_zh: str = ""

    def label(self, lang: str) -> str:
        return (self.label_zh or self.label_en) if lang == "zh" else (self.label_en or self.label_zh)

    def drills(self) -> tuple[str, ...]:
        """The drills this slot names (its drill, or its chain's)."""
        return tuple(s.drill for s in self.chain) or ((self.drill,) if self.drill else ())


@dataclass(frozen=True)
class Round:
    id: str
    title_en: str
    title_zh: str
    duration: int  # minutes
    slots: tuple[Slot, ...]
    description_en: str = ""
    description_zh: str = ""
    order: int = 100
    source: str = ""

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def description(self, lang: str) -> str:
        return (
            (self.description_zh or self.description_en)
            if lang == "zh"
            else (self.description_en or self.description_zh)
        )

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in KINDS}
        for s in self.slots:
            out[s.kind] += s.count
        return out


_ROUND_KEYS = {"title", "description", "duration", "order", "slots"}
_SLOT_KEYS = {"kind", "label", "tags", "prefer", "drill", "chain", "topics", "count", "weight", "minutes"}


def _bilingual(value: Any, where: str, required: bool = False) -> tuple[str, str]:
    """(en, zh) of a field written as one string or as `{ zh = "…", en = "…" }`."""
    if value is None:
        if required:
            raise RoundError(tr('{where} is missing; write it as {{ zh = "…", en = "…" }}', where=where))
        return "", ""
    if isinstance(value, str):
        return value.strip(), value.strip()
    if isinstance(value, dict):
        unknown = set(value) - set(LANGS)
        if unknown:
            raise RoundError(
                tr(
                    "{where} has unknown language {name}; use zh and en",
                    where=where,
                    name=repr(sorted(unknown)[0]),
                )
            )
        en, zh = str(value.get("en", "")).strip(), str(value.get("zh", "")).strip()
        if not (en or zh):
            raise RoundError(tr("{where} is empty; give it a zh and/or en text", where=where))
        return en or zh, zh or en
    raise RoundError(tr('{where} must be a string or {{ zh = "…", en = "…" }}', where=where))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RoundError(tr("{where} must be a list of non-empty strings", where=where))
    return tuple(v.strip() for v in value)


def _number(value: Any, where: str, lo: float, hi: float, integer: bool = False) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or (integer and not isinstance(value, int))
    ):
        what = tr("a whole number") if integer else tr("a number")
        raise RoundError(tr("{where} must be {what}, got {value}", where=where, what=what, value=repr(value)))
    if not (lo <= value <= hi):
        raise RoundError(
            tr(
                "{where} must be between {lo} and {hi}, got {value}",
                where=where,
                lo=f"{lo:g}",
                hi=f"{hi:g}",
                value=repr(value),
            )
        )
    return value


def normalise_tag(tag: str) -> str:
    return re.sub(r"[\s_]+", "-", tag.strip().lower())


def parse_round(text: str, *, id: str, source: str = "") -> Round:
    """A round from the text of its TOML file. Every problem is a RoundError naming the file and field."""
    where = source or id
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoundError(
            tr("{where}: not valid TOML ({exc}); fix the round file", where=where, exc=exc)
        ) from None
    _known_fields(data, _ROUND_KEYS, where)
    title_en, title_zh = _bilingual(data.get("title"), f"{where}: title", required=True)
    desc_en, desc_zh = _bilingual(data.get("description"), f"{where}: description")
    if "duration" not in data:
        raise RoundError(
            tr(
                "{where}: duration is missing; give the round's length in minutes (duration = 45)",
                where=where,
            )
        )
    duration = int(_number(data["duration"], f"{where}: duration", 1, 600, integer=True))
    order = int(_number(data.get("order", 100), f"{where}: order", -(10**6), 10**6, integer=True))
    raw_slots = data.get("slots")
    if not isinstance(raw_slots, list) or not raw_slots:
        raise RoundError(
            tr('{where}: no slots; add [[slots]] tables (kind = "concept" or "coding")', where=where)
        )
    slots = [_parse_slot(s, f"{where}: slot {i}") for i, s in enumerate(raw_slots, 1)]
    return Round(
        id=id,
        title_en=title_en,
        title_zh=title_zh,
        duration=duration,
        slots=tuple(slots),
        description_en=desc_en,
        description_zh=desc_zh,
        order=order,
        source=source,
    )


def _parse_chain(value: Any, where: str) -> tuple[Stage, ...]:
    """`chain = ["attention", { drill = "multihead", say = { zh = "…", en = "…" } }, …]`."""
    if not isinstance(value, list) or len(value) < 2:
        raise RoundError(
            tr('{where}: chain must list at least two drills, e.g. ["attention", "multihead"]', where=where)
        )
    stages = []
    for j, raw in enumerate(value, 1):
        if isinstance(raw, str) and raw.strip():
            stages.append(Stage(raw.strip().lower()))
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("drill"), str) or not raw["drill"].strip():
            raise RoundError(
                tr(
                    '{where}: chain stage {j} must be a drill name or {{ drill = "…", say = … }}',
                    where=where,
                    j=j,
                )
            )
        extra = set(raw) - {"drill", "say"}
        if extra:
            raise RoundError(
                tr(
                    "{where}: chain stage {j}: unknown field {name}; use drill, say",
                    where=where,
                    j=j,
                    name=repr(sorted(extra)[0]),
                )
            )
        en, zh = _bilingual(raw.get("say"), f"{where}: chain stage {j}: say")
        stages.append(Stage(raw["drill"].strip().lower(), en, zh))
    if len({s.drill for s in stages}) != len(stages):
        raise RoundError(
            tr("{where}: chain names a drill twice; each stage is a different drill", where=where)
        )
    return tuple(stages)


def _parse_topics(value: Any, where: str) -> tuple[tuple[str, float], ...]:
    """`topics = { attention = 3, llm = 2 }`: topic tag → weight (> 0)."""
    if not isinstance(value, dict) or not value:
        raise RoundError(
            tr(
                "{where}: topics must be a table of topic = weight, e.g. {{ attention = 3, llm = 2 }}",
                where=where,
            )
        )
    out = []
    for tag, w in value.items():
        weight = _number(w, f"{where}: topics.{tag}", 0, 1000)
        if weight > 0:
            out.append((normalise_tag(tag), float(weight)))
    if not out:
        raise RoundError(
            tr("{where}: topics gives every topic weight 0; give at least one a positive weight", where=where)
        )
    return tuple(out)


def _parse_slot(raw: Any, where: str) -> Slot:
    if not isinstance(raw, dict):
        raise RoundError(
            tr('{where} must be a table ({{ kind = "concept", tags = ["attention"] }})', where=where)
        )
    _known_fields(raw, _SLOT_KEYS, where)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RoundError(
            tr('{where}: kind must be "concept" or "coding", got {kind}', where=where, kind=repr(kind))
        )
    tags = tuple(normalise_tag(t) for t in _strings(raw.get("tags"), f"{where}: tags"))
    prefer = _strings(raw.get("prefer"), f"{where}: prefer")
    drill = raw.get("drill")
    if drill is not None and (not isinstance(drill, str) or not drill.strip()):
        raise RoundError(tr('{where}: drill must be a drill name such as "attention"', where=where))
    chain = _parse_chain(raw["chain"], where) if "chain" in raw else ()
    topics = _parse_topics(raw["topics"], where) if "topics" in raw else ()
    if kind == "concept":
        if drill is not None or chain:
            raise RoundError(
                tr(
                    '{where}: a concept slot has no drill or chain; use kind = "coding" for drills',
                    where=where,
                )
            )
        if not (tags or prefer or topics):
            raise RoundError(
                tr(
                    "{where}: a concept slot needs tags, topics or prefer (card ids) to draw from",
                    where=where,
                )
            )
    else:
        if prefer or topics:
            raise RoundError(
                tr(
                    "{where}: prefer and topics are for concept slots; a coding slot names drills",
                    where=where,
                )
            )
        if sum(map(bool, (drill is not None, tags, chain))) != 1:
            raise RoundError(
                tr(
                    '{where}: a coding slot needs exactly one of drill = "name", chain = [...] or tags = [...]',
                    where=where,
                )
            )
    label_en, label_zh = _bilingual(raw.get("label"), f"{where}: label")
    minutes = raw.get("minutes")
    default_count = max(1, len(prefer))  # a slot asks every card it lists
    return Slot(
        kind=kind,
        tags=tags,
        prefer=prefer,
        drill=drill.strip().lower() if drill else None,
        chain=chain,
        topics=topics,
        count=int(_number(raw.get("count", default_count), f"{where}: count", 1, 50, integer=True)),
        weight=float(_number(raw.get("weight", DEFAULT_WEIGHT[kind]), f"{where}: weight", 0, 100)),
        minutes=None if minutes is None else float(_number(minutes, f"{where}: minutes", 0.5, 600)),
        label_en=label_en,
        label_zh=label_zh,
    )


def _known_fields(table: Mapping[str, Any], known: Iterable[str], where: str) -> None:
    """A round file's table may hold only the fields the format knows (a typo is an error, not ignored)."""
    unknown = set(table) - set(known)
    if unknown:
        raise RoundError(
            tr(
                "{where}: unknown field {name}; fields are {fields}",
                where=where,
                name=repr(sorted(unknown)[0]),
                fields=", ".join(sorted(known)),
            )
        )
