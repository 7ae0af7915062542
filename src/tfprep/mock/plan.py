"""Planning: which cards and drills a session of a round asks. Pure: cards, drills, schedules and the seed
are passed in; the same round, seed and history give the same questions.

- `plan_round(round, cards=…, drills=…, lang=…, seed=…)` chooses the questions: each concept slot takes the
  cards it prefers, weak and due ones first, then other cards of its tags (or of topics drawn in proportion
  to their weight); each coding slot its drill, its chain of follow-up drills, or one drill of its tags.
- `check_round(...)` lists the content problems of a round (missing cards or drills).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from tfprep.i18n import tr
from tfprep.mock.focus import StudyFocus
from tfprep.mock.health import CardHealth, need_of
from tfprep.mock.rounds import LANGS, Round, RoundError, Slot
from tfprep.mock.why import localise_why
from tfprep.topics import TOPICS

if TYPE_CHECKING:
    from tfprep.bank.model import Card

# The topic tags of the built-in banks, in the order a card's topic is chosen from its tags.
TOPIC_TAGS = TOPICS  # the tags that name a question's topic
NEED_WEAK = 1.0  # a card with at least this need is "weak or due" (asked before the others)


class DrillLike(Protocol):
    slug: str
    topic: str
    tags: tuple[str, ...]
    difficulty: int

    def title(self, lang: str) -> str: ...


# ---------------------------------------------------------------------------------------------------------
# planning


@dataclass(frozen=True)
class Question:
    number: int  # 1-based
    kind: str  # concept | coding
    ref: str  # card id or drill slug
    title: str  # the card's question, or the drill's title
    topic: str
    tags: tuple[str, ...]
    weight: float
    minutes: float | None
    label: str  # what the slot asks about ("" when the round gives no label)
    why: str  # why this card/drill was chosen
    # coding: the drills asked one after another (one for a plain drill, more for a chain of follow-ups),
    # each (slug, title, what the interviewer says when asking for it)
    stages: tuple[tuple[str, str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        out = {
            "number": self.number,
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "topic": self.topic,
            "tags": list(self.tags),
            "weight": self.weight,
            "minutes": self.minutes,
            "label": self.label,
            "why": self.why,
        }
        if self.kind == "coding":
            out["stages"] = [{"drill": d, "title": t, "say": say} for d, t, say in self.stages]
        return out


@dataclass(frozen=True)
class Plan:
    round: str
    title: str
    lang: str
    seed: int
    minutes: int
    questions: tuple[Question, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "title": self.title,
            "lang": self.lang,
            "seed": self.seed,
            "minutes": self.minutes,
            "questions": [q.to_json() for q in self.questions],
        }


def topic_of(tags: Sequence[str]) -> str:
    """The topic of a card or drill: its first tag that is a bank topic, else its first tag."""
    for t in tags:
        if t in TOPIC_TAGS:
            return t
    return tags[0] if tags else "general"


def localise_id(card_id: str, lang: str) -> str:
    """A round's card id in the session language: `attention.x`, `zh.attention.x`, `en.attention.x` → `<lang>.attention.x`."""
    bare = card_id.split(".", 1)[1] if card_id[:3] in ("zh.", "en.") else card_id
    return f"{lang}.{bare}"


def _resolve_prefer(ref: str, by_id: Mapping[str, Card], lang: str) -> str | None:
    for cand in (localise_id(ref, lang), ref):
        if cand in by_id:
            return cand
    return None


def check_round(
    round: Round, *, cards_by_lang: Mapping[str, Sequence[Card]], drills: Sequence[DrillLike]
) -> list[str]:
    """Content problems of a round (missing cards or drills, slots with nothing to draw from), one line each."""
    problems: list[str] = []
    slugs = {d.slug for d in drills}
    where = round.source or round.id
    for i, slot in enumerate(round.slots, 1):
        if slot.kind == "coding":
            for name in slot.drills():
                if name not in slugs:
                    problems.append(
                        f"{where}: slot {i} names drill {name!r}, which does not exist "
                        f"(no drills/{name}/drill.toml); write the drill or change the slot"
                    )
            if slot.tags and not _drills_for(slot, drills):
                problems.append(f"{where}: slot {i}: no drill has topic or tags {', '.join(slot.tags)}")
            continue
        for lang, cards in cards_by_lang.items():
            by_id = {c.id: c for c in cards}
            for ref in slot.prefer:
                if _resolve_prefer(ref, by_id, lang) is None:
                    problems.append(f"{where}: slot {i} prefers card {ref!r}, not in the {lang} banks")
            if slot.tags and not [c for c in cards if set(slot.tags) & set(c.tags)]:
                problems.append(f"{where}: slot {i}: no {lang} card has tags {', '.join(slot.tags)}")
            for topic, _w in slot.topics:
                if not [c for c in cards if topic in c.tags]:
                    problems.append(f"{where}: slot {i}: no {lang} card has topic {topic}")
    return problems


def _drills_for(slot: Slot, drills: Sequence[DrillLike]) -> list[DrillLike]:
    wanted = set(slot.tags)
    return [d for d in drills if d.topic in wanted or wanted & set(d.tags)]


def plan_round(
    round: Round,
    *,
    cards: Sequence[Card],
    drills: Sequence[DrillLike],
    lang: str,
    seed: int,
    health: Mapping[str, CardHealth] | None = None,
    focus: StudyFocus | None = None,
    drill_status: Mapping[str, str] | None = None,
    minutes: int | None = None,
) -> Plan:
    """The questions of one session of `round`.

    Concept slots: first the cards the slot prefers, then the other cards with one of its tags; within each
    group, weak or due cards (need ≥ NEED_WEAK: recent Again, due, low stability, a study-loop boost) before
    the rest, most needed first; equal needs are ordered by the seed. A card is asked once per round.
    Coding slots: the named drill, else among the drills of its tags: failed ones, then new ones, then solved
    ones, ties by the seed. `drill_status` maps slug → "new" | "attempted" | "solved".
    """
    if lang not in LANGS:
        raise RoundError(tr("unknown language {lang}; use zh or en", lang=repr(lang)))
    rng = random.Random(seed)
    health = health or {}
    focus = focus or StudyFocus()
    drill_status = drill_status or {}
    by_id = {c.id: c for c in cards}
    by_slug = {d.slug: d for d in drills}
    used: set[str] = set()
    questions: list[Question] = []
    where = round.source or round.id
    for i, slot in enumerate(round.slots, 1):
        draws = apportion(slot.topics, slot.count, rng) if slot.topics else [None] * slot.count
        for topic in draws:
            n = len(questions) + 1
            if slot.kind == "concept":
                card, why = _pick_card(slot, i, where, by_id, cards, lang, used, health, focus, rng, topic)
                used.add(card.id)
                questions.append(
                    Question(
                        number=n,
                        kind="concept",
                        ref=card.id,
                        title=card.question,
                        topic=topic or topic_of(card.tags),  # the topic it was drawn for, if any
                        tags=tuple(card.tags),
                        weight=slot.weight,
                        minutes=slot.minutes,
                        label=slot.label(lang),
                        why=localise_why(why, lang),
                    )
                )
            else:
                if slot.chain:
                    drill, why = _drill_named(slot.chain[0].drill, i, where, by_slug), "named by the round"
                    chain = [(_drill_named(s.drill, i, where, by_slug), s.say(lang)) for s in slot.chain]
                else:
                    drill, why = _pick_drill(slot, i, where, by_slug, drills, used, drill_status, focus, rng)
                    chain = [(drill, "")]
                used.update("drill:" + d.slug for d, _ in chain)
                questions.append(
                    Question(
                        number=n,
                        kind="coding",
                        ref=drill.slug,
                        title=" → ".join(d.title(lang) for d, _ in chain),
                        topic=drill.topic,
                        tags=tuple(drill.tags),
                        weight=slot.weight,
                        minutes=slot.minutes,
                        label=slot.label(lang),
                        why=localise_why(why, lang),
                        stages=tuple((d.slug, d.title(lang), say) for d, say in chain),
                    )
                )
    return Plan(
        round=round.id,
        title=round.title(lang),
        lang=lang,
        seed=seed,
        minutes=int(minutes or round.duration),
        questions=tuple(questions),
    )


def _pick_card(
    slot: Slot,
    index: int,
    where: str,
    by_id: Mapping[str, Card],
    cards: Sequence[Card],
    lang: str,
    used: set[str],
    health: Mapping[str, CardHealth],
    focus: StudyFocus,
    rng: random.Random,
    topic: str | None = None,
) -> tuple[Card, str]:
    preferred: list[str] = []
    for ref in slot.prefer:
        cid = _resolve_prefer(ref, by_id, lang)
        if cid is None:
            raise RoundError(
                tr(
                    "{where}: slot {index} prefers card {ref}, which is not in the {lang} banks; fix the id "
                    "(see `tfprep bank check --list`)",
                    where=where,
                    index=index,
                    ref=repr(ref),
                    lang=lang,
                )
            )
        if cid not in preferred:
            preferred.append(cid)
    wanted = {topic} if topic else set(slot.tags)
    tagged = [c.id for c in cards if wanted & set(c.tags) and c.id not in preferred]
    ranked: list[tuple[int, float, float, str, str]] = []
    for group, ids in ((0, preferred), (2, tagged)):
        for cid in ids:
            if cid in used:
                continue
            card = by_id[cid]
            boost, boost_why = focus.boost(card.tags)
            need, why = need_of(health.get(cid), boost)
            if boost_why:
                why = f"{why}; {boost_why}" if why not in ("new", "known") else boost_why
            tier = group if need >= NEED_WEAK else group + 1
            label = ("preferred · " if group == 0 else "") + why
            ranked.append((tier, -round(need, 6), rng.random(), cid, label))
    if not ranked:
        raise RoundError(
            tr(
                "{where}: slot {index} has no card left to ask (tags {tags}); add tags or preferred cards to the slot",
                where=where,
                index=index,
                tags=", ".join(sorted(wanted)) or "—",
            )
        )
    ranked.sort()
    _, _, _, cid, why = ranked[0]
    return by_id[cid], why


def _pick_drill(
    slot: Slot,
    index: int,
    where: str,
    by_slug: Mapping[str, DrillLike],
    drills: Sequence[DrillLike],
    used: set[str],
    drill_status: Mapping[str, str],
    focus: StudyFocus,
    rng: random.Random,
) -> tuple[DrillLike, str]:
    if slot.drill:
        return _drill_named(slot.drill, index, where, by_slug), "named by the round"
    order = {"attempted": 0, "new": 1, "solved": 2}
    ranked = []
    for d in _drills_for(slot, drills):
        if "drill:" + d.slug in used:
            continue
        status = drill_status.get(d.slug, "new")
        boost, _ = focus.boost(d.tags)
        why = {"attempted": "not solved yet", "new": "new", "solved": "solved before"}[status]
        ranked.append((order.get(status, 1), -boost, rng.random(), d.slug, why))
    if not ranked:
        raise RoundError(
            tr(
                "{where}: slot {index}: no drill left with topic or tags {tags}; add tags to the slot or name a drill",
                where=where,
                index=index,
                tags=", ".join(slot.tags),
            )
        )
    ranked.sort()
    return by_slug[ranked[0][3]], ranked[0][4]


def _drill_named(name: str, index: int, where: str, by_slug: Mapping[str, DrillLike]) -> DrillLike:
    drill = by_slug.get(name)
    if drill is None:
        raise RoundError(
            tr(
                "{where}: slot {index} names drill {name}, which is not installed (see `tfprep drill list`); "
                "pick another round with `tfprep mock --list`",
                where=where,
                index=index,
                name=repr(name),
            )
        )
    return drill


def apportion(topics: Sequence[tuple[str, float]], count: int, rng: random.Random) -> list[str]:
    """`count` topics in proportion to their weights: each topic gets the whole part of its share, the seats
    left go to topics drawn by the rest of their shares (seeded). Grouped in the slot's topic order, as an
    interviewer goes topic by topic."""
    total = sum(w for _, w in topics)
    shares = [(t, count * w / total) for t, w in topics]
    out = [t for t, share in shares for _ in range(int(share))]
    rest = {t: share - int(share) for t, share in shares}
    while len(out) < count and any(v > 0 for v in rest.values()):
        names = [t for t, v in rest.items() if v > 0]
        pick = rng.choices(names, weights=[rest[t] for t in names])[0]
        out.append(pick)
        rest[pick] = 0.0
    order = [t for t, _ in topics]
    return sorted(out, key=order.index)
