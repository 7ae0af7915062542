"""mock.py: round templates (schema, errors, the shipped rounds) and planning (fixed seed and clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tfprep import mock
from tfprep.bank.model import Card
from tfprep.mock import CardHealth, RoundError, StudyFocus, parse_round, plan_round

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
ROUNDS = Path(__file__).parent.parent / "questions" / "rounds"
FIXTURES = Path(__file__).parent / "fixtures" / "mock"


@dataclass(frozen=True)
class FakeDrill:
    slug: str
    topic: str
    tags: tuple[str, ...] = ()
    difficulty: int = 2

    def title(self, lang: str) -> str:
        return f"{self.slug} ({lang})"


def card(cid: str, *tags: str, points: tuple[str, ...] = ("a point",)) -> Card:
    return Card(id=cid, question=f"Q {cid}?", answer="A.", line=1, tags=tags, key_points=points, lang="en")


CARDS = [
    card("en.attention.formula", "attention", "softmax"),
    card("en.attention.why-sqrt-dk", "attention", "softmax", "scaling"),
    card("en.attention.multihead-how", "attention", "multihead"),
    card("en.attention.causal-mask", "attention", "mask", "decoder"),
    card("en.norm.ln-vs-bn", "normalization", "layernorm", "batchnorm"),
    card("en.norm.pre-post", "normalization", "layernorm"),
    card("en.train.ce-vs-mse", "training", "loss"),
]
DRILLS = [
    FakeDrill("softmax", "attention", ("softmax", "attention")),
    FakeDrill("attention", "attention", ("attention", "softmax", "mask")),
    FakeDrill("multihead", "attention", ("attention", "multihead")),
    FakeDrill("max-dot-product", "coding", ("coding",)),
]


def rnd(text: str, id: str = "t") -> mock.Round:
    return parse_round(text, id=id, source=f"{id}.toml")


SIMPLE = """
title = { zh = "测试", en = "Test" }
duration = 30
[[slots]]
kind = "concept"
prefer = ["attention.why-sqrt-dk"]
tags = ["attention"]
[[slots]]
kind = "concept"
tags = ["attention"]
count = 2
[[slots]]
kind = "coding"
tags = ["attention"]
"""


# -- templates ------------------------------------------------------------------------------------------


def test_parse_round_reads_every_field():
    r = rnd(
        """
        title = { zh = "字节一面", en = "ByteDance 1" }
        description = "both languages"
        duration = 60
        order = 5
        [[slots]]
        kind = "concept"
        label = { en = "Encoder" }
        prefer = ["arch.encoder-structure"]
        tags = ["Architecture", "positional_encoding"]
        count = 2
        weight = 1.5
        minutes = 4
        [[slots]]
        kind = "coding"
        drill = "Attention"
        """
    )
    assert (r.title("zh"), r.title("en"), r.duration, r.order) == ("字节一面", "ByteDance 1", 60, 5)
    assert r.description("zh") == r.description("en") == "both languages"
    concept, coding = r.slots
    assert concept.tags == ("architecture", "positional-encoding")
    assert (concept.count, concept.weight, concept.minutes) == (2, 1.5, 4.0)
    assert concept.label("zh") == concept.label("en") == "Encoder"  # falls back to the other language
    assert (coding.drill, coding.weight) == ("attention", 2.0)  # coding questions weigh 2 by default
    assert r.counts() == {"concept": 2, "coding": 1}


def test_inline_slot_tables_work_too():
    r = rnd('title = "T"\nduration = 10\nslots = [{kind="concept", tags=["attention"], prefer=["x"]}]')
    assert r.slots[0].prefer == ("x",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title = 'T'\nduration = 10\n[[slots]]\nkind = 'concept'\ntag = ['x']", "unknown field 'tag'"),
        ("title = 'T'\nduraton = 10", "unknown field 'duraton'"),
        ("title = 'T'\n[[slots]]\nkind = 'concept'\ntags = ['x']", "duration is missing"),
        ("duration = 10\n[[slots]]\nkind = 'concept'\ntags = ['x']", "title is missing"),
        (
            "title = 'T'\nduration = 0\n[[slots]]\nkind='concept'\ntags=['x']",
            "duration must be between 1 and 600",
        ),
        (
            "title = 'T'\nduration = 1.5\n[[slots]]\nkind='concept'\ntags=['x']",
            "duration must be a whole number",
        ),
        ("title = 'T'\nduration = 10", "no slots"),
        ("title = 'T'\nduration = 10\n[[slots]]\nkind = 'essay'", 'kind must be "concept" or "coding"'),
        ("title = 'T'\nduration = 10\n[[slots]]\nkind = 'concept'", "needs tags, topics or prefer"),
        ("title = 'T'\nduration = 10\n[[slots]]\nkind = 'coding'", "exactly one of drill"),
        (
            "title = 'T'\nduration = 10\n[[slots]]\nkind = 'coding'\ndrill='a'\ntags=['x']",
            "exactly one of drill",
        ),
        (
            "title = 'T'\nduration = 10\n[[slots]]\nkind = 'coding'\nprefer=['a']",
            "prefer and topics are for concept slots",
        ),
        ("title = 'T'\nduration = 10\n[[slots]]\nkind = 'concept'\ndrill='a'", "has no drill"),
        (
            "title = 'T'\nduration = 10\n[[slots]]\nkind = 'concept'\ntags='x'\ncount=0",
            "count must be between",
        ),
        ("title = { fr = 'T' }\nduration = 10", "unknown language 'fr'"),
        ("title = 'T'\nduration = = 10", "not valid TOML"),
    ],
)
def test_round_errors_name_the_file_and_the_field(text, message):
    with pytest.raises(RoundError) as exc:
        rnd(text, id="broken")
    assert message in str(exc.value)
    assert str(exc.value).startswith("broken.toml")
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("name", ["bytedance-1", "kuaishou-2", "general-45", "attention-followups"])
def test_shipped_rounds_parse(name):
    r = parse_round((ROUNDS / f"{name}.toml").read_text(encoding="utf-8"), id=name)
    assert r.title("zh") and r.title("en") and r.title("zh") != r.title("en")
    assert r.duration >= 30


# What the interview notes (字节一面, 快手star二面) asked, as the cards and drills that ask it. Each entry is
# one question of the notes; a session of the round must ask every card and drill listed, whatever the seed.
NOTES = {
    "bytedance-1": {
        "1. transformer encoder结构, 位置编码用的是什么 除了正余弦位置编码还有什么别的": [
            "arch.encoder-structure", "pe.alternatives-to-sinusoidal"],
        "2. 具体讲multi head attention怎么做的以及公式 为什么要除根号下dk": [
            "attention.multihead-how", "attention.why-sqrt-dk"],
        "3. transformer decoder和encoder有哪些不同的地方": ["arch.encoder-vs-decoder"],
        "4. Cross attention中q k v分别来自哪里": ["attention.cross-attention-qkv"],
        "5. 带mask的self attention是什么样的mask": ["attention.causal-mask"],
        "6. 为什么transformer中用的是ln不是bn": ["norm.layernorm-vs-batchnorm"],
        "7. 交叉熵损失函数公式 为什么分类问题只能用交叉熵不能用mse": ["train.ce-vs-mse"],
        "代码 1. 交叉熵损失函数公式写出来": ["drill:cross-entropy"],
        "代码 2. 求y=wx+b梯度": ["drill:linear-grad"],
        "代码 3. 两个数组的子序列求最大点积": ["drill:max-dot-product"],
    },
    "kuaishou-2": {
        "1. 写了self attention（接着追问多头）": ["drill:attention", "drill:multihead"],
        "2. 为什么要除根号下dk，能不能不是根号下dk是别的": ["attention.sqrt-dk-vs-other-factors"],
        "3. multi head attention怎么做的": ["attention.multihead-how"],
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(NOTES))
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_seed_rounds_ask_the_notes_questions(name, lang, seed):
    from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks
    from tfprep.grading.drills import all_drills

    r = parse_round((ROUNDS / f"{name}.toml").read_text(encoding="utf-8"), id=name)
    cards = all_cards(load_banks(builtin_bank_paths(lang)))
    p = plan_round(r, cards=cards, drills=all_drills(), lang=lang, seed=seed)
    asked = {q.ref for q in p.questions if q.kind == "concept"}
    asked |= {"drill:" + d for q in p.questions for d, _, _ in q.stages}
    for question, refs in NOTES[name].items():
        for ref in refs:
            wanted = ref if ref.startswith("drill:") else f"{lang}.{ref}"
            assert wanted in asked, f"{name} does not ask the notes' question {question!r} ({ref})"
    # no slot lists more cards than it asks
    for slot in r.slots:
        assert slot.count >= len(slot.prefer)


def test_kuaishou_coding_goes_from_self_attention_to_multihead():
    ks = parse_round((ROUNDS / "kuaishou-2.toml").read_text(encoding="utf-8"), id="kuaishou-2")
    assert ks.slots[0].drills() == ("attention", "multihead")
    assert "multi-head" in ks.slots[0].chain[1].say("en") and "多头" in ks.slots[0].chain[1].say("zh")


def test_general_45_samples_topics_by_interview_weight():
    from collections import Counter

    from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks
    from tfprep.grading.drills import all_drills

    r = parse_round((ROUNDS / "general-45.toml").read_text(encoding="utf-8"), id="general-45")
    weights = dict(r.slots[0].topics)
    cards = all_cards(load_banks(builtin_bank_paths("en")))
    seen: Counter[str] = Counter()
    for seed in range(60):
        p = plan_round(r, cards=cards, drills=all_drills(), lang="en", seed=seed)
        concept = [q for q in p.questions if q.kind == "concept"]
        assert len(concept) == 8
        per = Counter(q.topic for q in concept)
        assert per["attention"] >= 1 and per["attention"] >= max(per.values()) - 1  # 8 × 3/12.5 = 1.9
        seen.update(per)
    total = sum(weights.values())
    for topic, w in weights.items():  # over many sessions each topic gets about its share
        assert abs(seen[topic] / (60 * 8) - w / total) < 0.05, (topic, seen[topic])
    # efficiency, decoding and LLM are separate topics now, not one question between them
    assert {"efficiency", "decoding", "llm"} <= set(seen)


def test_apportion_is_proportional_and_seeded():
    import random

    from tfprep.mock.plan import apportion

    topics = (("a", 3.0), ("b", 1.0), ("c", 1.0))
    assert sorted(apportion(topics, 5, random.Random(1))) == ["a", "a", "a", "b", "c"]
    draws = [tuple(apportion(topics, 4, random.Random(s))) for s in range(30)]
    assert all(d.count("a") >= 2 and len(d) == 4 for d in draws)
    assert apportion(topics, 4, random.Random(7)) == apportion(topics, 4, random.Random(7))


def test_a_chain_is_one_question_with_its_stages():
    text = """title = "T"\nduration = 30\n[[slots]]\nkind = "coding"\nminutes = 20
chain = ["attention", { drill = "multihead", say = { zh = "多头", en = "now multi-head" } }]"""
    r = parse_round(text, id="t")
    assert r.counts() == {"concept": 0, "coding": 1}
    drills = [
        FakeDrill("attention", "attention", ("attention",)),
        FakeDrill("multihead", "attention", ("attention",)),
    ]
    p = plan_round(r, cards=[], drills=drills, lang="en", seed=1)
    (q,) = p.questions
    assert q.ref == "attention" and [d for d, _, _ in q.stages] == ["attention", "multihead"]
    assert q.stages[1][2] == "now multi-head"
    assert q.to_json()["stages"][1] == {
        "drill": "multihead",
        "title": "multihead (en)",
        "say": "now multi-head",
    }


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ('["attention"]', "at least two drills"),
        ('["attention", "attention"]', "names a drill twice"),
        ('["attention", { say = "x" }]', "stage 2 must be a drill name"),
        ('["attention", { drill = "m", says = "x" }]', "unknown field 'says'"),
    ],
)
def test_chain_errors_name_the_stage(chain, message):
    text = f'title = "T"\nduration = 30\n[[slots]]\nkind = "coding"\nchain = {chain}'
    with pytest.raises(RoundError) as err:
        parse_round(text, id="t", source="r.toml")
    assert message in str(err.value) and "r.toml: slot 1" in str(err.value)


# drills other engineers are writing right now; a round naming one of them is fine until it lands
IN_PROGRESS = {
    "multihead", "causal-attention", "gqa", "kv-cache", "encoder-layer", "rope", "cross-entropy", "linear-grad",
    "softmax", "layer-norm", "positional-encoding", "sampling", "max-dot-product", "beam-search", "bpe-merge",
}  # fmt: skip


@pytest.mark.parametrize("name", ["bytedance-1", "kuaishou-2", "general-45", "attention-followups"])
def test_shipped_rounds_name_real_cards_and_drills(name):
    """The content check of a round: every preferred card exists in both languages, every tag has cards,
    every drill exists. A drill still being written is reported as a clear content error (xfail)."""
    from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks
    from tfprep.grading.drills import all_drills

    r = parse_round((ROUNDS / f"{name}.toml").read_text(encoding="utf-8"), id=name, source=f"{name}.toml")
    cards = {lang: all_cards(load_banks(builtin_bank_paths(lang))) for lang in ("zh", "en")}
    problems = mock.check_round(r, cards_by_lang=cards, drills=all_drills())
    missing = [p for p in problems if "which does not exist" in p]
    others = [p for p in problems if p not in missing]
    assert others == []
    if missing:
        assert all(any(f"drill {d!r}" in p for d in IN_PROGRESS) for p in missing), missing
        pytest.xfail("; ".join(missing))
    for lang in ("zh", "en"):
        plan = plan_round(r, cards=cards[lang], drills=all_drills(), lang=lang, seed=1)
        assert len(plan.questions) == sum(r.counts().values())
        assert all(q.ref.startswith(f"{lang}.") for q in plan.questions if q.kind == "concept")


def test_a_missing_drill_is_a_clear_content_error():
    r = parse_round((FIXTURES / "missing-drill.toml").read_text(encoding="utf-8"), id="missing-drill",
                    source="missing-drill.toml")  # fmt: skip
    problems = mock.check_round(r, cards_by_lang={"en": CARDS}, drills=DRILLS)
    assert problems == [
        "missing-drill.toml: slot 2 names drill 'no-such-drill', which does not exist "
        "(no drills/no-such-drill/drill.toml); write the drill or change the slot"
    ]
    with pytest.raises(RoundError, match=r"slot 2 names drill 'no-such-drill', which is not installed"):
        plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=1)


def test_a_preferred_card_that_does_not_exist_is_a_content_error():
    r = rnd('title = "T"\nduration = 5\n[[slots]]\nkind = "concept"\nprefer = ["attention.nope"]')
    assert mock.check_round(r, cards_by_lang={"en": CARDS}, drills=DRILLS) == [
        "t.toml: slot 1 prefers card 'attention.nope', not in the en banks"
    ]
    with pytest.raises(RoundError, match=r"prefers card 'attention.nope', which is not in the en banks"):
        plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=1)


# -- planning -------------------------------------------------------------------------------------------


def test_plan_is_reproducible_with_a_seed():
    r = rnd(SIMPLE)
    a = plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=7)
    b = plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=7)
    assert a == b
    assert a.to_json() == b.to_json()
    assert [q.number for q in a.questions] == [1, 2, 3, 4]
    assert [q.kind for q in a.questions] == ["concept"] * 3 + ["coding"]
    assert a.minutes == 30 and a.title == "Test" and a.seed == 7
    # different seeds break ties differently (all new cards tie): some seed gives another order
    orders = {
        tuple(q.ref for q in plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=s).questions)
        for s in range(20)
    }
    assert len(orders) > 1


def test_preferred_cards_come_first_and_no_card_is_asked_twice():
    plan = plan_round(rnd(SIMPLE), cards=CARDS, drills=DRILLS, lang="en", seed=3)
    assert plan.questions[0].ref == "en.attention.why-sqrt-dk"
    assert plan.questions[0].why.startswith("preferred")
    refs = [q.ref for q in plan.questions if q.kind == "concept"]
    assert len(set(refs)) == len(refs)
    assert all("attention" in q.tags for q in plan.questions)


def test_language_prefixes_are_swapped_to_the_session_language():
    zh = [
        Card(id=c.id.replace("en.", "zh.", 1), question=c.question, answer="", line=1, tags=c.tags)
        for c in CARDS
    ]
    r = rnd('title = "T"\nduration = 5\n[[slots]]\nkind = "concept"\nprefer = ["en.norm.ln-vs-bn"]')
    plan = plan_round(r, cards=zh, drills=DRILLS, lang="zh", seed=1)
    assert plan.questions[0].ref == "zh.norm.ln-vs-bn"
    assert mock.localise_id("zh.a.b", "en") == "en.a.b" and mock.localise_id("a.b", "zh") == "zh.a.b"


def test_weak_and_due_cards_of_the_topic_come_first():
    r = rnd('title = "T"\nduration = 5\n[[slots]]\nkind = "concept"\ntags = ["attention"]\ncount = 3')
    health = {
        "en.attention.formula": CardHealth(new=False, due=False, stability=40.0, last_rating=3),  # known
        "en.attention.multihead-how": CardHealth(new=False, due=True, stability=10.0, last_rating=3),  # due
        "en.attention.causal-mask": CardHealth(new=False, stability=2.0, last_rating=1, again_recent=True),
    }
    plan = plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=1, health=health)
    assert [q.ref for q in plan.questions] == [
        "en.attention.causal-mask",  # recent Again + low stability
        "en.attention.multihead-how",  # due
        "en.attention.why-sqrt-dk",  # new (before the well-known card)
    ]
    assert "recent Again" in plan.questions[0].why and plan.questions[1].why == "due"


def test_a_weak_preferred_card_beats_the_other_preferred_ones():
    r = rnd(
        'title = "T"\nduration = 5\n[[slots]]\nkind = "concept"\n'
        'prefer = ["attention.formula", "attention.multihead-how"]'
    )
    health = {"en.attention.multihead-how": CardHealth(new=False, due=True, stability=3.0, last_rating=2)}
    for seed in range(10):
        plan = plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=seed, health=health)
        assert plan.questions[0].ref == "en.attention.multihead-how"


def test_a_failed_drill_brings_its_cards_forward_in_the_plan():
    r = rnd('title = "T"\nduration = 5\n[[slots]]\nkind = "concept"\ntags = ["attention", "normalization"]')
    focus = StudyFocus()
    focus.add("layernorm", 1.0, "drill layer-norm failed")
    for seed in range(10):
        plan = plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=seed, focus=focus)
        assert plan.questions[0].ref in ("en.norm.ln-vs-bn", "en.norm.pre-post")
        assert plan.questions[0].why == "drill layer-norm failed"


def test_coding_slots_prefer_failed_then_new_drills():
    r = rnd('title = "T"\nduration = 5\n[[slots]]\nkind = "coding"\ntags = ["attention"]\ncount = 3')
    status = {"softmax": "solved", "attention": "attempted"}
    plan = plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=4, drill_status=status)
    assert [q.ref for q in plan.questions] == ["attention", "multihead", "softmax"]
    assert plan.questions[0].why == "not solved yet" and plan.questions[0].title == "attention (en)"
    assert plan.questions[0].weight == 2.0


def test_a_slot_that_runs_out_of_cards_says_so():
    r = rnd('title = "T"\nduration = 5\n[[slots]]\nkind = "concept"\ntags = ["training"]\ncount = 2')
    with pytest.raises(RoundError, match="slot 1 has no card left to ask"):
        plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=1)
    r = rnd('title = "T"\nduration = 5\n[[slots]]\nkind = "coding"\ntags = ["rope"]')
    with pytest.raises(RoundError, match="no drill left with topic or tags rope"):
        plan_round(r, cards=CARDS, drills=DRILLS, lang="en", seed=1)


def test_minutes_override_the_duration():
    assert plan_round(rnd(SIMPLE), cards=CARDS, drills=DRILLS, lang="en", seed=1, minutes=12).minutes == 12


def test_card_health_from_fsrs_states_with_a_fixed_clock():
    from tfprep import srs

    sched = srs.make_scheduler(fuzz=False)
    easy = srs.review(sched, None, 4, NOW - timedelta(days=1))  # next review in about a week
    again = srs.review(sched, None, 1, NOW - timedelta(hours=1))
    states = {"a": easy, "b": again}
    ratings = {"a": (4, NOW - timedelta(days=1)), "b": (1, NOW - timedelta(hours=1))}
    health = mock.card_health(states, ratings, NOW, srs.day_end(NOW, UTC))
    assert health["b"].again_recent and health["b"].due and health["b"].stability < 1
    assert not health["a"].again_recent and not health["a"].due
    need_a, _ = mock.need_of(health["a"])
    need_b, why_b = mock.need_of(health["b"])
    assert need_b > mock.NEED_WEAK > need_a
    assert "recent Again" in why_b
    assert mock.need_of(None) == (0.3, "new")


def test_session_ids_are_readable_and_unique():
    at = datetime(2024, 5, 1, 9, 30, 12)
    assert mock.session_id(at, "bytedance-1") == "20240501-093012-bytedance-1"
    assert (
        mock.session_id(at, "bytedance-1", {"20240501-093012-bytedance-1"}) == "20240501-093012-bytedance-1-2"
    )
    assert mock.session_id(at, "My Round!") == "20240501-093012-my-round"


def test_general_45_can_draw_every_drill():
    """Issue 14: mock rounds draw the new drills by tag — every drill fits one of general-45's coding slots."""
    from tfprep.cli.mock_content import read_round, round_files
    from tfprep.grading.drills import all_drills
    from tfprep.mock.plan import _drills_for

    rnd = read_round(next(p for p in round_files() if p.stem == "general-45"))
    slots = [s for s in rnd.slots if s.kind == "coding"]
    drills = all_drills()
    reachable = {d.slug for s in slots for d in _drills_for(s, drills)}
    assert reachable == {d.slug for d in drills}, sorted({d.slug for d in drills} - reachable)
