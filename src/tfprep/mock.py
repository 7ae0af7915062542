"""Mock interview rounds: templates, planning, key-point coverage, scoring, the study loop. Pure.

Nothing here touches files, the clock, the terminal, the database or processes: the text of a round file,
the cards, the drills, the schedules, `now` and the `seed` are passed in (see docs/mock-rounds.md).

- `parse_round(text, id=…)` reads a round template (TOML, schema in docs/mock-rounds.md) into a `Round`.
- `plan_round(round, cards=…, drills=…, lang=…, seed=…, now=…)` chooses the questions: each concept slot takes
  the cards it prefers, weak and due ones first, then other cards of its tags; each coding slot its drill, or
  one of its tags (failed and unsolved drills first). The seed breaks ties, so a round is reproducible.
- `coverage(key_points, answer)` says which key points of a card an answer covers (rapidfuzz; English words
  and Chinese characters, no word segmentation needed).
- `build_report(plan, outcomes, …)` scores the questions and the round, finds weak topics and what to
  practise next; `scorecard_markdown(report)` writes it as Markdown. The report is the `--json-report`
  contract and what the store keeps.
- `study_focus(attempts, drills, sessions, now)` turns failed or slow drills and weak mock topics into tag
  boosts; `prefer_related(cards, focus)` brings the related cards forward (the quiz uses it for new cards).
"""

from __future__ import annotations

import random
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from tfprep.errors import TfprepError

if TYPE_CHECKING:
    from tfprep.bank.model import Card

REPORT_VERSION = 1
KINDS = ("concept", "coding")
LANGS = ("zh", "en")
# The topic tags of the built-in banks, in the order a card's topic is chosen from its tags.
TOPIC_TAGS = (
    "attention",
    "positional-encoding",
    "normalization",
    "architecture",
    "training",
    "efficiency",
    "decoding",
    "llm",
    "coding",
)

# -- scoring constants (documented in docs/mock-rounds.md) ----------------------------------------------
SELF_SCORE_PCT = {1: 0.0, 2: 33.0, 3: 67.0, 4: 100.0}  # self-score 1 Again … 4 Easy → percent
SELF_WEIGHT = 0.7  # concept score = 70 % self-score + 30 % key-point coverage
COVER_AT = 0.6  # a key point is covered when its match score reaches this
WEAK_TOPIC = 60.0  # a topic scoring below this is weak
DEFAULT_WEIGHT = {"concept": 1.0, "coding": 2.0}

# -- planning constants ---------------------------------------------------------------------------------
NEED_WEAK = 1.0  # a card with at least this need is "weak or due" (asked before the others)
LOW_STABILITY_DAYS = 7.0  # stability below this adds need (1 day → +0.86, 7 days → 0)
RECENT = timedelta(days=14)  # an Again this recent counts; drills and mocks this recent feed the study loop
SLOW_PER_DIFFICULTY_S = 600.0  # a solved drill is slow when it took longer than difficulty × 10 min


class RoundError(TfprepError):
    """A round template that cannot be used; the message names the file and the field to fix."""


# ---------------------------------------------------------------------------------------------------------
# round templates


@dataclass(frozen=True)
class Slot:
    kind: str  # "concept" or "coding"
    tags: tuple[str, ...] = ()  # concept: cards with any of these tags; coding: drills whose topic/tags match
    prefer: tuple[str, ...] = ()  # concept: card ids tried first (language prefix optional)
    drill: str | None = None  # coding: one drill by name
    count: int = 1  # questions this slot asks
    weight: float = 1.0  # weight of each of its questions in the overall score
    minutes: float | None = None  # suggested time per question (a coding question over it is slow)
    label_en: str = ""
    label_zh: str = ""

    def label(self, lang: str) -> str:
        return (self.label_zh or self.label_en) if lang == "zh" else (self.label_en or self.label_zh)


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
_SLOT_KEYS = {"kind", "label", "tags", "prefer", "drill", "count", "weight", "minutes"}


def _bilingual(value: Any, where: str, required: bool = False) -> tuple[str, str]:
    """(en, zh) of a field written as one string or as `{ zh = "…", en = "…" }`."""
    if value is None:
        if required:
            raise RoundError(f'{where} is missing; write it as {{ zh = "…", en = "…" }}')
        return "", ""
    if isinstance(value, str):
        return value.strip(), value.strip()
    if isinstance(value, dict):
        unknown = set(value) - set(LANGS)
        if unknown:
            raise RoundError(f"{where} has unknown language {sorted(unknown)[0]!r}; use zh and en")
        en, zh = str(value.get("en", "")).strip(), str(value.get("zh", "")).strip()
        if not (en or zh):
            raise RoundError(f"{where} is empty; give it a zh and/or en text")
        return en or zh, zh or en
    raise RoundError(f'{where} must be a string or {{ zh = "…", en = "…" }}')


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RoundError(f"{where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _number(value: Any, where: str, lo: float, hi: float, integer: bool = False) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or (integer and not isinstance(value, int))
    ):
        raise RoundError(f"{where} must be {'a whole number' if integer else 'a number'}, got {value!r}")
    if not (lo <= value <= hi):
        raise RoundError(f"{where} must be between {lo:g} and {hi:g}, got {value!r}")
    return value


def normalise_tag(tag: str) -> str:
    return re.sub(r"[\s_]+", "-", tag.strip().lower())


def parse_round(text: str, *, id: str, source: str = "") -> Round:
    """A round from the text of its TOML file. Every problem is a RoundError naming the file and field."""
    where = source or id
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoundError(f"{where}: not valid TOML ({exc}); fix the round file") from None
    unknown = set(data) - _ROUND_KEYS
    if unknown:
        raise RoundError(
            f"{where}: unknown field {sorted(unknown)[0]!r}; fields are {', '.join(sorted(_ROUND_KEYS))}"
        )
    title_en, title_zh = _bilingual(data.get("title"), f"{where}: title", required=True)
    desc_en, desc_zh = _bilingual(data.get("description"), f"{where}: description")
    if "duration" not in data:
        raise RoundError(f"{where}: duration is missing; give the round's length in minutes (duration = 45)")
    duration = int(_number(data["duration"], f"{where}: duration", 1, 600, integer=True))
    order = int(_number(data.get("order", 100), f"{where}: order", -(10**6), 10**6, integer=True))
    raw_slots = data.get("slots")
    if not isinstance(raw_slots, list) or not raw_slots:
        raise RoundError(f'{where}: no slots; add [[slots]] tables (kind = "concept" or "coding")')
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


def _parse_slot(raw: Any, where: str) -> Slot:
    if not isinstance(raw, dict):
        raise RoundError(f'{where} must be a table ({{ kind = "concept", tags = ["attention"] }})')
    unknown = set(raw) - _SLOT_KEYS
    if unknown:
        raise RoundError(
            f"{where}: unknown field {sorted(unknown)[0]!r}; fields are {', '.join(sorted(_SLOT_KEYS))}"
        )
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RoundError(f'{where}: kind must be "concept" or "coding", got {kind!r}')
    tags = tuple(normalise_tag(t) for t in _strings(raw.get("tags"), f"{where}: tags"))
    prefer = _strings(raw.get("prefer"), f"{where}: prefer")
    drill = raw.get("drill")
    if drill is not None and (not isinstance(drill, str) or not drill.strip()):
        raise RoundError(f'{where}: drill must be a drill name such as "attention"')
    if kind == "concept":
        if drill is not None:
            raise RoundError(f'{where}: a concept slot has no drill; use kind = "coding" for drills')
        if not (tags or prefer):
            raise RoundError(f"{where}: a concept slot needs tags or prefer (card ids) to draw from")
    else:
        if prefer:
            raise RoundError(f"{where}: prefer is for concept slots; a coding slot names a drill or tags")
        if (drill is None) == (not tags):
            raise RoundError(f'{where}: a coding slot needs either drill = "name" or tags = [...], not both')
    label_en, label_zh = _bilingual(raw.get("label"), f"{where}: label")
    minutes = raw.get("minutes")
    return Slot(
        kind=kind,
        tags=tags,
        prefer=prefer,
        drill=drill.strip().lower() if drill else None,
        count=int(_number(raw.get("count", 1), f"{where}: count", 1, 50, integer=True)),
        weight=float(_number(raw.get("weight", DEFAULT_WEIGHT[kind]), f"{where}: weight", 0, 100)),
        minutes=None if minutes is None else float(_number(minutes, f"{where}: minutes", 0.5, 600)),
        label_en=label_en,
        label_zh=label_zh,
    )


# ---------------------------------------------------------------------------------------------------------
# what the planner knows about cards and drills


class DrillLike(Protocol):
    slug: str
    topic: str
    tags: tuple[str, ...]
    difficulty: int

    def title(self, lang: str) -> str: ...


@dataclass(frozen=True)
class CardHealth:
    """How well the user knows a card (from its FSRS schedule and its last rating)."""

    new: bool = True
    due: bool = False
    stability: float | None = None  # days
    last_rating: int | None = None
    again_recent: bool = False  # last rated Again within RECENT


def card_health(
    states: Mapping[str, Any],
    last_ratings: Mapping[str, tuple[int, datetime]],
    now: datetime,
    end_of_day: datetime,
) -> dict[str, CardHealth]:
    """card id → CardHealth, for the cards with a stored schedule (`states`: id → fsrs.Card)."""
    from tfprep import srs

    out: dict[str, CardHealth] = {}
    for cid, state in states.items():
        rating, at = last_ratings.get(cid, (None, None))
        out[cid] = CardHealth(
            new=False,
            due=srs.is_due(state, now, end_of_day),
            stability=getattr(state, "stability", None),
            last_rating=rating,
            again_recent=rating == 1 and at is not None and now - at <= RECENT,
        )
    return out


@dataclass
class StudyFocus:
    """Tags whose cards should come forward, with a weight (about 0.5–1.5) and the reason."""

    weights: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, tag: str, weight: float, reason: str) -> None:
        tag = normalise_tag(tag)
        if weight > self.weights.get(tag, 0.0):
            self.weights[tag] = round(weight, 3)
            self.reasons[tag] = reason

    def boost(self, tags: Iterable[str]) -> tuple[float, str]:
        """The strongest boost among `tags`, with its reason ((0, "") when none)."""
        best, why = 0.0, ""
        for t in tags:
            w = self.weights.get(normalise_tag(t), 0.0)
            if w > best:
                best, why = w, self.reasons[normalise_tag(t)]
        return best, why

    def __bool__(self) -> bool:
        return bool(self.weights)


def need_of(health: CardHealth | None, boost: float = 0.0) -> tuple[float, str]:
    """How much a card needs asking (higher first) and why."""
    if health is None or health.new:
        return 0.3 + boost, "new"
    need, why = 0.0, []
    if health.again_recent:
        need += 1.5
        why.append("recent Again")
    if health.due:
        need += 1.0
        why.append("due")
    if health.stability is not None and health.stability < LOW_STABILITY_DAYS:
        need += max(0.0, 1.0 - health.stability / LOW_STABILITY_DAYS)
        why.append(f"stability {health.stability:.1f}d")
    return need + boost, ", ".join(why) or "known"


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

    def to_json(self) -> dict[str, Any]:
        return {
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
            if slot.drill and slot.drill not in slugs:
                problems.append(
                    f"{where}: slot {i} names drill {slot.drill!r}, which does not exist "
                    f"(no drills/{slot.drill}/drill.toml); write the drill or change the slot"
                )
            elif slot.tags and not _drills_for(slot, drills):
                problems.append(f"{where}: slot {i}: no drill has topic or tags {', '.join(slot.tags)}")
            continue
        for lang, cards in cards_by_lang.items():
            by_id = {c.id: c for c in cards}
            for ref in slot.prefer:
                if _resolve_prefer(ref, by_id, lang) is None:
                    problems.append(f"{where}: slot {i} prefers card {ref!r}, not in the {lang} banks")
            if slot.tags and not [c for c in cards if set(slot.tags) & set(c.tags)]:
                problems.append(f"{where}: slot {i}: no {lang} card has tags {', '.join(slot.tags)}")
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
        raise RoundError(f"unknown language {lang!r}; use zh or en")
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
        for _ in range(slot.count):
            n = len(questions) + 1
            if slot.kind == "concept":
                card, why = _pick_card(slot, i, where, by_id, cards, lang, used, health, focus, rng)
                used.add(card.id)
                questions.append(
                    Question(
                        number=n,
                        kind="concept",
                        ref=card.id,
                        title=card.question,
                        topic=topic_of(card.tags),
                        tags=tuple(card.tags),
                        weight=slot.weight,
                        minutes=slot.minutes,
                        label=slot.label(lang),
                        why=why,
                    )
                )
            else:
                drill, why = _pick_drill(slot, i, where, by_slug, drills, used, drill_status, focus, rng)
                used.add("drill:" + drill.slug)
                questions.append(
                    Question(
                        number=n,
                        kind="coding",
                        ref=drill.slug,
                        title=drill.title(lang),
                        topic=drill.topic,
                        tags=tuple(drill.tags),
                        weight=slot.weight,
                        minutes=slot.minutes,
                        label=slot.label(lang),
                        why=why,
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
) -> tuple[Card, str]:
    preferred: list[str] = []
    for ref in slot.prefer:
        cid = _resolve_prefer(ref, by_id, lang)
        if cid is None:
            raise RoundError(
                f"{where}: slot {index} prefers card {ref!r}, which is not in the {lang} banks; "
                "fix the id (see `tfprep bank check --list`)"
            )
        if cid not in preferred:
            preferred.append(cid)
    wanted = set(slot.tags)
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
            f"{where}: slot {index} has no card left to ask (tags {', '.join(slot.tags) or '—'}); "
            "add tags or preferred cards to the slot"
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
        drill = by_slug.get(slot.drill)
        if drill is None:
            raise RoundError(
                f"{where}: slot {index} names drill {slot.drill!r}, which is not installed "
                "(see `tfprep drill list`); pick another round with `tfprep mock --list`"
            )
        return drill, "named by the round"
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
            f"{where}: slot {index}: no drill left with topic or tags {', '.join(slot.tags)}; "
            "add tags to the slot or name a drill"
        )
    ranked.sort()
    return by_slug[ranked[0][3]], ranked[0][4]


# ---------------------------------------------------------------------------------------------------------
# key-point coverage

# Each canonical word stands for the phrasings (English and Chinese) listed with it. Both the key point and
# the answer are rewritten with this table, so "层归一化" matches "LayerNorm" and "huge logits" matches
# "logits 过大". Latin phrasings match whole words only.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "layernorm": (
        "layer normalization",
        "layer normalisation",
        "layer norm",
        "layernorm",
        "层归一化",
        "层标准化",
        "ln",
    ),
    "batchnorm": (
        "batch normalization",
        "batch normalisation",
        "batch norm",
        "batchnorm",
        "批归一化",
        "批量归一化",
        "批标准化",
        "bn",
    ),
    "crossentropy": ("cross-entropy", "cross entropy", "crossentropy", "交叉熵", "ce"),
    "mse": (
        "mean squared error",
        "mean square error",
        "squared error",
        "均方误差",
        "平方误差",
        "mse",
        "l2 loss",
    ),
    "gradient": ("gradients", "gradient", "grads", "grad", "梯度"),
    "vanish": ("vanishing", "vanishes", "vanished", "vanish", "消失", "趋于0", "趋于零", "接近0", "接近零"),
    "explode": ("exploding", "explodes", "explode", "explosion", "爆炸"),
    "variance": ("variances", "variance", "var", "方差"),
    "sqrt": ("square root", "sqrt", "√", "根号", "开方", "平方根"),
    "inf": ("negative infinity", "infinity", "infty", "inf", "∞", "负无穷", "无穷大", "无穷"),
    "mask": ("masking", "masked", "masks", "mask", "掩码", "遮盖", "遮挡", "屏蔽", "掩盖"),
    "decoder": ("decoders", "decoder", "解码器", "解码端"),
    "encoder": ("encoders", "encoder", "编码器", "编码端"),
    "selfattention": ("self-attention", "self attention", "selfattention", "自注意力"),
    "crossattention": (
        "cross-attention",
        "cross attention",
        "crossattention",
        "encoder-decoder attention",
        "交叉注意力",
        "编码器-解码器注意力",
    ),
    "attention": ("attention", "注意力"),
    "multihead": ("multi-head", "multi head", "multihead", "多头"),
    "head": ("heads", "head", "头"),
    "softmax": ("soft-max", "softmax"),
    "onehot": ("one-hot", "one hot", "onehot", "独热"),
    "saturate": ("saturation", "saturates", "saturated", "saturate", "饱和"),
    "normalize": (
        "normalization",
        "normalisation",
        "normalizes",
        "normalises",
        "normalized",
        "normalised",
        "normalize",
        "normalise",
        "归一化",
        "标准化",
    ),
    "residual": (
        "residual connections",
        "residual connection",
        "skip connections",
        "skip connection",
        "residuals",
        "residual",
        "残差连接",
        "残差",
    ),
    "ffn": (
        "feed-forward network",
        "feed forward network",
        "feed-forward",
        "feedforward",
        "feed forward",
        "ffn",
        "mlp",
        "前馈网络",
        "前馈",
    ),
    "positional": (
        "positional encodings",
        "positional encoding",
        "position encoding",
        "positional embedding",
        "position embedding",
        "位置编码",
        "位置嵌入",
        "pe",
    ),
    "permutation": ("permutation", "permuted", "置换", "打乱顺序"),
    "equivariant": ("equivariance", "equivariant", "等变"),
    "logits": ("logits", "logit", "scores", "score", "分数", "打分"),
    "dotproduct": ("dot products", "dot product", "inner products", "inner product", "点积", "内积", "点乘"),
    "large": (
        "very large",
        "too large",
        "too big",
        "larger",
        "large",
        "bigger",
        "big",
        "huge",
        "过大",
        "太大",
        "很大",
        "变大",
        "较大",
        "特别大",
    ),
    "small": ("too small", "smaller", "small", "tiny", "过小", "太小", "很小", "变小", "较小"),
    "future": ("future", "subsequent", "later", "未来", "后面", "之后"),
    "lowertriangular": ("lower-triangular", "lower triangular", "tril", "下三角"),
    "weightedsum": ("weighted average", "weighted sum", "weighted mean", "加权平均", "加权求和", "加权和"),
    "concat": ("concatenate", "concatenation", "concatenated", "concat", "拼接"),
    "projection": ("projections", "projection", "projected", "投影", "线性变换", "线性映射"),
    "likelihood": ("log-likelihood", "log likelihood", "likelihood", "似然"),
    "nonconvex": ("non-convex", "nonconvex", "not convex", "非凸"),
    "query": ("queries", "query", "查询"),
    "batch": ("batches", "batch", "批次", "批量"),
    "token": ("tokens", "token", "词元"),
    "sequence": ("sequences", "sequence", "序列"),
    "parallel": ("parallelism", "parallelize", "parallelise", "parallel", "并行"),
    "dimension": ("dimensions", "dimension", "dims", "dim", "维度"),
    "kl": ("kl divergence", "kullback-leibler", "kl散度", "kl"),
}

_EN_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "by",
        "with",
        "for",
        "in",
        "on",
        "at",
        "and",
        "or",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "as",
        "so",
        "than",
        "then",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "each",
        "per",
        "both",
        "via",
        "any",
        "all",
        "not",
        "no",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "can",
        "could",
        "would",
        "should",
        "will",
        "may",
        "might",
        "must",
        "which",
        "what",
        "when",
        "where",
        "who",
        "why",
        "how",
        "also",
        "only",
        "just",
        "more",
        "most",
        "very",
        "we",
        "you",
        "they",
        "our",
        "your",
        "their",
        "there",
        "here",
        "if",
        "else",
        "i",
    ]
)
# Chinese function characters, trimmed at the ends of a run of characters (not inside: 等 in 等变 matters) …
_ZH_STOP = frozenset(
    "的了是在和与及或就也都个一把被让对而即等其之这那会能可以要有着得地所并且则它们我你他她吗呢吧啊"
    "后再做用使给从到为以于来去过"
)
# … and function words a run is split at (e.g. 拼接后经过输出投影 → 拼接 / 输出投影)
_ZH_SPLIT = re.compile(
    "经过|通过|进行|然后|最后|以后|使得|用来|因为|所以|如果|那么|就是|还是|而且|但是|可以|需要|什么|怎么|"
    "为了|这样|那样|这个|那个|一个|每个|其中|以及|并且|或者|时候|的话"
)
_TEX_DROP = frozenset(
    [
        "mathrm",
        "text",
        "textbf",
        "mathbf",
        "mathit",
        "operatorname",
        "left",
        "right",
        "big",
        "bigg",
        "quad",
        "qquad",
        "displaystyle",
        "frac",
        "dfrac",
        "tfrac",
        "mathbb",
        "mathcal",
        "boldsymbol",
    ]
)
_TEX_NAMES = {
    "cdot": " ",
    "times": " x ",
    "le": " <= ",
    "leq": " <= ",
    "ge": " >= ",
    "geq": " >= ",
    "to": " -> ",
    "rightarrow": " -> ",
    "top": "t",
    "intercal": "t",
}
_SYMBOLS = {
    "·": " ",
    "×": " x ",
    "−": "-",
    "–": "-",
    "—": " ",
    "≤": "<=",
    "≥": ">=",
    "→": "->",
    "⇒": "->",
    "、": " ",
    "…": " ",
}
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_LATIN = re.compile(r"[a-z0-9]+")


def _synonym_regexes() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    canon: dict[str, str] = {}
    for key, variants in SYNONYMS.items():
        for v in variants:
            canon.setdefault(v.lower(), key)
    latin = sorted((v for v in canon if re.fullmatch(r"[a-z0-9 \-]+", v)), key=len, reverse=True)
    other = sorted((v for v in canon if v not in set(latin)), key=len, reverse=True)
    latin_re = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, latin)) + r")(?![a-z0-9])")
    other_re = re.compile("|".join(map(re.escape, other)))
    return latin_re, other_re, canon


_LATIN_SYN, _OTHER_SYN, _CANON = _synonym_regexes()


def _plain(text: str) -> str:
    """Lower-case text with LaTeX, full-width forms and symbols rewritten (no synonyms yet)."""
    text = unicodedata.normalize("NFKC", text).lower()  # full-width → ASCII, ₖ → k, ᵀ → t
    text = text.replace("$", " ")

    def macro(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _TEX_DROP:
            return " "
        return _TEX_NAMES.get(name, f" {name} ")

    text = re.sub(r"\\([a-z]+)", macro, text)
    text = re.sub(r"\\.", " ", text)
    text = re.sub(r"[{}^_]", "", text)  # d_{model} → dmodel, qk^t → qkt
    for sym, rep in _SYMBOLS.items():
        text = text.replace(sym, rep)
    return text


def _synonyms(text: str) -> str:
    text = _OTHER_SYN.sub(lambda m: f" {_CANON[m.group(0)]} ", text)
    text = _LATIN_SYN.sub(lambda m: f" {_CANON[m.group(0)]} ", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_text(text: str) -> str:
    """Lower-case text with LaTeX, full-width forms, symbols and synonyms rewritten into plain words."""
    return _synonyms(_plain(text))


@dataclass(frozen=True)
class _Units:
    words: tuple[str, ...]  # latin words and numbers (no stop words)
    chunks: tuple[str, ...]  # runs of CJK characters, stop characters trimmed at the ends


def _units(norm: str) -> _Units:
    words = tuple(w for w in _LATIN.findall(norm) if w not in _EN_STOP)
    chunks = []
    stop = "".join(_ZH_STOP)
    for run in _CJK_RUN.findall(norm):
        for piece in _ZH_SPLIT.split(run):
            piece = piece.strip(stop)
            if piece:
                chunks.append(piece)
    return _Units(words, tuple(chunks))


def _word_found(word: str, answer_words: frozenset[str], answer_list: Sequence[str]) -> bool:
    from rapidfuzz import fuzz, process

    if word in answer_words:
        return True
    if word.isdigit():
        return False
    if len(word) < 5:
        return any(a in (word + "s", word + "es") or word in (a + "s", a + "es") for a in answer_words)
    return process.extractOne(word, answer_list, scorer=fuzz.ratio, score_cutoff=80) is not None


@dataclass(frozen=True)
class PointMatch:
    point: str
    covered: bool
    score: float  # 0–1: how much of the point the answer matches


def match_point(point: str, answer: str) -> float:
    """How much of one key point the answer covers, 0–1.

    Words (latin letters and digits) weigh 2 each (one letter, e.g. a math symbol: 0.5) and match exactly or, from 5 letters on, with a rapidfuzz
    ratio ≥ 80 (saturate ~ saturates ~ saturation). Runs of Chinese characters weigh one per character and
    match with rapidfuzz's partial_ratio against the answer (character-level alignment: no segmentation);
    a run matching less than half counts 0. Synonyms are rewritten first (see SYNONYMS)."""
    from rapidfuzz import fuzz

    p_norm = normalise_text(point)
    a_plain = _plain(answer)
    a_norm = _synonyms(a_plain)
    if not p_norm or not a_norm:
        return 0.0
    p = _units(p_norm)
    # the answer's words and characters both as written and with synonyms rewritten
    a_set = frozenset(_LATIN.findall(a_norm)) | frozenset(_LATIN.findall(a_plain))
    a_list = sorted(a_set)
    a_cjk = " ".join(_CJK_RUN.findall(a_norm) + _CJK_RUN.findall(a_plain))
    total = got = 0.0
    for w in dict.fromkeys(p.words):  # each word once; a one-letter word (a math symbol) weighs little
        weight = 0.5 if len(w) == 1 and w.isalpha() else 2.0
        total += weight
        got += weight if _word_found(w, a_set, a_list) else 0.0
    for chunk in p.chunks:
        total += len(chunk)
        if a_cjk:
            s = fuzz.partial_ratio(chunk, a_cjk) / 100
            got += len(chunk) * (s if s >= 0.5 else 0.0)
    if total == 0:  # a point made of symbols only, e.g. "h=8"
        return fuzz.partial_ratio(p_norm, a_norm) / 100 if len(p_norm) >= 3 else float(p_norm in a_norm)
    return got / total


def coverage(points: Sequence[str], answer: str) -> list[PointMatch]:
    """For each key point: covered (match ≥ COVER_AT) or missed, with the match score."""
    out = []
    for point in points:
        s = round(match_point(point, answer), 3) if answer.strip() else 0.0
        out.append(PointMatch(point, s >= COVER_AT, s))
    return out


# ---------------------------------------------------------------------------------------------------------
# scoring


def concept_score(self_score: int | None, covered: int, total: int) -> float:
    """0–100: 70 % the self-score (1→0, 2→33, 3→67, 4→100) + 30 % the share of key points covered.

    A card without key points scores by the self-score alone; a question closed by the time limit before a
    self-score scores by its coverage alone."""
    cover = 100.0 * covered / total if total else None
    if self_score is None:
        return round(cover or 0.0, 1)
    pct = SELF_SCORE_PCT[self_score]
    if cover is None:
        return round(pct, 1)
    return round(SELF_WEIGHT * pct + (1 - SELF_WEIGHT) * cover, 1)


def coding_score(verdict: str | None, passed: int, total: int) -> float | None:
    """0–100: accepted = 100, otherwise 100 × passed / total; not graded = 0; an internal error = None
    (tfprep's fault: left out of the overall score)."""
    if verdict is None:
        return 0.0
    if verdict == "accepted":
        return 100.0
    if verdict == "internal_error":
        return None
    return round(100.0 * passed / total, 1) if total else 0.0


@dataclass
class Outcome:
    """What happened to one planned question."""

    number: int
    # answered | skipped (empty answer, or a drill left without grading) | timeout (closed by the time
    # limit) | interrupted (Ctrl-C) | unanswered (never reached)
    status: str = "unanswered"
    seconds: float = 0.0
    answer: str = ""  # concept: what the user typed
    self_score: int | None = None
    points: list[PointMatch] = field(default_factory=list)
    verdict: str | None = None  # coding: the last verdict (None = never graded)
    passed: int = 0
    total: int = 0
    attempts: int = 0
    file: str = ""  # the answer file or the drill file in the session folder


def question_score(q: Question, o: Outcome) -> float | None:
    if o.status == "unanswered":
        return 0.0
    if q.kind == "concept":
        return concept_score(o.self_score, sum(p.covered for p in o.points), len(o.points))
    return coding_score(o.verdict, o.passed, o.total)


def weighted_mean(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    pairs = [(w, s) for w, s in pairs if s is not None and w > 0]
    total = sum(w for w, _ in pairs)
    return round(sum(w * s for w, s in pairs) / total, 1) if total else None


def build_report(
    plan: Plan,
    outcomes: Sequence[Outcome],
    *,
    session_id: str,
    started_at: datetime,
    ended_at: datetime | None,
    ended_by: str,  # finished | time | interrupted | quit | running
    folder: str = "",
    drills: Sequence[DrillLike] = (),
    drill_status: Mapping[str, str] | None = None,
    round_ref: str = "",
) -> dict[str, Any]:
    """The scorecard as plain JSON-able data (the `--json-report` contract, kept in the store).

    `round_ref` is what `tfprep mock` needs to play the round again (its id, or the path of its file)."""
    by_number = {o.number: o for o in outcomes}
    rows = []
    for q in plan.questions:
        o = by_number.get(q.number) or Outcome(q.number)
        score = question_score(q, o)
        row = q.to_json() | {
            "status": o.status,
            "seconds": round(o.seconds, 1),
            "score": score,
            "file": o.file,
        }
        if q.kind == "concept":
            row |= {
                "answer": o.answer,
                "self_score": o.self_score,
                "key_points": [{"point": p.point, "covered": p.covered, "match": p.score} for p in o.points],
                "covered": sum(p.covered for p in o.points),
            }
        else:
            slow = q.minutes is not None and o.seconds > q.minutes * 60
            row |= {
                "verdict": o.verdict,
                "passed": o.passed,
                "total": o.total,
                "attempts": o.attempts,
                "slow": slow,
            }
        rows.append(row)
    topics: dict[str, list[tuple[float, float | None]]] = {}
    for row in rows:
        topics.setdefault(row["topic"], []).append((row["weight"], row["score"]))
    topic_scores = {t: s for t, pairs in topics.items() if (s := weighted_mean(pairs)) is not None}
    weak = sorted((t for t, s in topic_scores.items() if s < WEAK_TOPIC), key=lambda t: (topic_scores[t], t))
    complete = ended_by in ("finished", "time")
    answered = sum(1 for r in rows if r["status"] not in ("unanswered", "skipped"))
    report = {
        "version": REPORT_VERSION,
        "id": session_id,
        "round": plan.round,
        "title": plan.title,
        "lang": plan.lang,
        "seed": plan.seed,
        "minutes": plan.minutes,
        "replay": f"tfprep mock {round_ref or plan.round} --seed {plan.seed} --lang {plan.lang}",
        "started_at": started_at.astimezone(UTC).isoformat(timespec="seconds"),
        "ended_at": None if ended_at is None else ended_at.astimezone(UTC).isoformat(timespec="seconds"),
        "seconds": round(((ended_at or started_at) - started_at).total_seconds(), 1),
        "ended_by": ended_by,
        "complete": complete,
        "folder": folder,
        "score": weighted_mean((r["weight"], r["score"]) for r in rows),
        "answered": answered,
        "questions": rows,
        "topics": topic_scores,
        "weak_topics": weak,
    }
    report["recommendations"] = recommend(report, drills=drills, drill_status=drill_status or {})
    return report


def recommend(
    report: Mapping[str, Any], *, drills: Sequence[DrillLike] = (), drill_status: Mapping[str, str]
) -> list[dict[str, str]]:
    """What to practise next: [{"command", "why"}], most useful first, at most 6."""
    zh = report.get("lang") == "zh"
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(command: str, why: str) -> None:
        if command not in seen:
            seen.add(command)
            out.append({"command": command, "why": why})

    rows = report["questions"]
    # coding questions not accepted: the drill itself, then the cards of its topic
    for r in rows:
        if r["kind"] == "coding" and r.get("verdict") != "accepted":
            if r.get("verdict") is None:
                why = "未评测" if zh else "not graded"
            else:
                why = f"{r['verdict']} {r.get('passed', 0)}/{r.get('total', 0)}"
            add(f"tfprep drill {r['ref']}", why)
    # weak topics: their cards, then an unsolved drill of the topic
    for topic in report.get("weak_topics", []):
        missed = [
            r
            for r in rows
            if r["kind"] == "concept" and r["topic"] == topic and (r["score"] or 0) < WEAK_TOPIC
        ]
        score = report["topics"][topic]
        if missed:
            names = "; ".join(r["title"] for r in missed[:2])
            why = f"{topic} {score:g} 分：{names}" if zh else f"{topic} scored {score:g}: {names}"
        else:
            why = f"{topic} {score:g} 分" if zh else f"{topic} scored {score:g}"
        add(f"tfprep quiz --topic {topic}", why)
        for d in drills:
            if (d.topic == topic or topic in d.tags) and drill_status.get(d.slug) != "solved":
                add(f"tfprep drill {d.slug}", f"练习 {topic}" if zh else f"practise {topic} in code")
                break
    # concept questions scored low outside weak topics: their topic's cards
    for r in rows:
        if r["kind"] == "concept" and r["status"] != "unanswered" and (r["score"] or 0) < WEAK_TOPIC:
            add(f"tfprep quiz --topic {r['topic']}", f"Q{r['number']} {r['score']:g}")
    if any(r["status"] == "unanswered" for r in rows):
        add(
            report.get("replay", "").split(" --seed")[0] or f"tfprep mock {report['round']}",
            "还有题目没答完，再来一轮" if zh else "some questions were left unanswered: play the round again",
        )
    if not out:
        add("tfprep mock", "表现不错，换一轮试试" if zh else "well done: try another round")
    return out[:6]


# ---------------------------------------------------------------------------------------------------------
# the Markdown scorecard


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    m, s = divmod(int(round(seconds)), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def fmt_score(score: float | None) -> str:
    return "—" if score is None else f"{score:g}"


def verdict_of(row: Mapping[str, Any]) -> str:
    """A short verdict for the scorecard: the coding verdict, or the concept's self-score and coverage."""
    if row["status"] == "unanswered":
        return "unanswered"
    if row["kind"] == "coding":
        v = row.get("verdict")
        if v is None:
            return "not graded" + (" (time)" if row["status"] == "timeout" else "")
        text = v if v == "accepted" else f"{v} {row.get('passed', 0)}/{row.get('total', 0)}"
        return text + (" · slow" if row.get("slow") else "")
    from tfprep.srs import RATING_NAMES

    parts = []
    if row.get("self_score"):
        parts.append(RATING_NAMES[row["self_score"]])
    elif row["status"] == "timeout":
        parts.append("time's up")
    if row.get("key_points"):
        parts.append(f"{row.get('covered', 0)}/{len(row['key_points'])} key points")
    return " · ".join(parts) or row["status"]


def scorecard_markdown(report: Mapping[str, Any], plain: Callable[[str], str] = str) -> str:
    """The scorecard as a Markdown document (written into the session folder). `plain` turns a key point's
    bare LaTeX into readable text (the CLI passes the terminal's converter)."""
    zh = report.get("lang") == "zh"
    state = {
        "finished": "complete",
        "time": "complete (time ran out)",
        "interrupted": "incomplete (interrupted)",
        "quit": "incomplete (ended early)",
        "running": "in progress",
    }.get(report["ended_by"], report["ended_by"])
    lines = [
        f"# {report['title']} — {fmt_score(report['score'])}/100",
        "",
        f"- round: `{report['round']}` · {report['minutes']} min · seed {report['seed']} "
        f"(replay: `{report.get('replay') or 'tfprep mock ' + report['round']}`)",
        f"- started: {report['started_at']} · took {fmt_seconds(report['seconds'])} · {state}",
        f"- answered: {report['answered']}/{len(report['questions'])}",
        "",
        "| # | question | kind | time | verdict | score |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in report["questions"]:
        title = r["title"].replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {r['number']} | {title} | {r['kind']} | {fmt_seconds(r['seconds'])} | "
            f"{verdict_of(r)} | {fmt_score(r['score'])} |"
        )
    lines.append("")
    if report["topics"]:
        lines.append("## Topics" if not zh else "## 各主题得分")
        lines.append("")
        for t, s in sorted(report["topics"].items(), key=lambda kv: kv[1]):
            weak = " — **weak**" if t in report["weak_topics"] else ""
            lines.append(f"- {t}: {fmt_score(s)}{weak}")
        lines.append("")
    if report["recommendations"]:
        lines.append("## Practise next" if not zh else "## 接下来练什么")
        lines.append("")
        for rec in report["recommendations"]:
            lines.append(f"- `{rec['command']}` — {rec['why']}")
        lines.append("")
    lines.append("## Questions" if not zh else "## 逐题")
    lines.append("")
    for r in report["questions"]:
        lines.append(f"### Q{r['number']}. {r['title']}")
        lines.append("")
        meta = [r["kind"], r["topic"], f"`{r['ref']}`", verdict_of(r), f"score {fmt_score(r['score'])}"]
        lines.append(" · ".join(meta))
        lines.append("")
        if r["kind"] == "concept":
            for p in r.get("key_points", []):
                lines.append(f"- {'✓' if p['covered'] else '✗'} {plain(p['point'])}")
            if r.get("key_points"):
                lines.append("")
            answer = r.get("answer", "").strip()
            if answer:
                lines.append("Your answer:" if not zh else "你的回答：")
                lines.append("")
                lines.extend("> " + line if line else ">" for line in answer.splitlines())
                lines.append("")
        elif r.get("file"):
            lines.append(f"File: `{r['file']}` · {r.get('attempts', 0)} grading(s)")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------------------
# the study loop


class AttemptLike(Protocol):
    drill: str
    duration_s: float | None
    created_at: datetime

    @property
    def solved(self) -> bool: ...


class SessionLike(Protocol):
    started_at: datetime
    report: dict[str, Any]


def study_focus(
    attempts: Sequence[AttemptLike],
    drills: Sequence[DrillLike],
    sessions: Sequence[SessionLike],
    now: datetime,
    *,
    recent: timedelta = RECENT,
) -> StudyFocus:
    """Tags to bring forward, from the last `recent` days:
    - a drill whose latest attempt failed: its drill.toml tags, weight 1.0;
    - a drill solved slowly (its first pass took longer than difficulty × 10 min): its tags, weight 0.5;
    - a topic that scored under WEAK_TOPIC in one of the last three mock sessions: weight 0.5–1.0 (lower
      score, more weight)."""
    focus = StudyFocus()
    by_slug = {d.slug: d for d in drills}
    latest: dict[str, AttemptLike] = {}
    first_pass: dict[str, AttemptLike] = {}
    for a in attempts:  # in the order they were made
        if now - a.created_at > recent:
            continue
        latest[a.drill] = a
        if a.solved and a.drill not in first_pass:
            first_pass[a.drill] = a
    for slug, a in latest.items():
        d = by_slug.get(slug)
        tags = list(d.tags) if d else []
        if d and d.topic not in tags:
            tags.append(d.topic)
        if not a.solved:
            for t in tags:
                focus.add(t, 1.0, f"drill {slug} failed")
        elif slug in first_pass and d is not None:
            took = first_pass[slug].duration_s
            if took is not None and took > SLOW_PER_DIFFICULTY_S * max(1, d.difficulty):
                for t in tags:
                    focus.add(t, 0.5, f"drill {slug} was slow")
    recent_sessions = sorted(
        (s for s in sessions if now - s.started_at <= recent), key=lambda s: s.started_at, reverse=True
    )[:3]
    for s in recent_sessions:
        for topic, score in (s.report.get("topics") or {}).items():
            if isinstance(score, (int, float)) and score < WEAK_TOPIC:
                focus.add(topic, 0.5 + 0.5 * (WEAK_TOPIC - score) / WEAK_TOPIC, f"mock: {topic} {score:g}")
    return focus


def prefer_related(cards: Sequence[Card], focus: StudyFocus) -> list[Card]:
    """The cards, those related to the focus tags first (strongest boost first); otherwise in bank order.

    `srs.build_queue` takes new cards in the order given, so this brings a failed drill's cards forward among
    the new cards without touching anyone's schedule."""
    if not focus:
        return list(cards)
    keyed = [(-focus.boost(c.tags)[0], i, c) for i, c in enumerate(cards)]
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in keyed]


def session_id(started_at: datetime, round_id: str, taken: Iterable[str] = ()) -> str:
    """`20240501-093012-bytedance-1` (local time given), with `-2`, `-3` … when taken."""
    base = f"{started_at:%Y%m%d-%H%M%S}-{re.sub(r'[^a-z0-9-]+', '-', round_id.lower()).strip('-') or 'round'}"
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


__all__ = [
    "RoundError",
    "Round",
    "Slot",
    "Plan",
    "Question",
    "Outcome",
    "PointMatch",
    "CardHealth",
    "StudyFocus",
    "parse_round",
    "plan_round",
    "check_round",
    "coverage",
    "match_point",
    "concept_score",
    "coding_score",
    "build_report",
    "recommend",
    "scorecard_markdown",
    "study_focus",
    "prefer_related",
    "card_health",
]
