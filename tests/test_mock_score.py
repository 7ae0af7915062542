"""mock.py: question and round scores, the report (the --json-report contract), recommendations, the
Markdown scorecard, and the study loop (failed/slow drills, weak mock topics)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tfprep import mock
from tfprep.bank.model import Card
from tfprep.mock import Outcome, PointMatch, Question, StageResult, build_report, coding_score, concept_score

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class FakeDrill:
    slug: str
    topic: str
    tags: tuple[str, ...] = ()
    difficulty: int = 2

    def title(self, lang: str) -> str:
        return self.slug


@dataclass
class FakeAttempt:
    drill: str
    verdict: str
    created_at: datetime
    duration_s: float | None = None

    @property
    def solved(self) -> bool:
        return self.verdict == "accepted"


@dataclass
class FakeSession:
    started_at: datetime
    report: dict[str, Any] = field(default_factory=dict)


DRILLS = [
    FakeDrill("attention", "attention", ("attention", "softmax", "mask")),
    FakeDrill("layer-norm", "normalization", ("normalization", "layernorm"), difficulty=1),
    FakeDrill("max-dot-product", "coding", ("coding",)),
]


def q(
    n: int, kind: str, ref: str, topic: str, weight: float | None = None, minutes: float | None = None
) -> Question:
    return Question(
        number=n, kind=kind, ref=ref, title=f"title {ref}", topic=topic, tags=(topic,),
        weight=weight if weight is not None else mock.DEFAULT_WEIGHT[kind], minutes=minutes, label="", why="",
    )  # fmt: skip


def plan(*questions: Question) -> mock.Plan:
    return mock.Plan(round="r1", title="Round one", lang="en", seed=5, minutes=30, questions=questions)


def points(*covered: bool) -> list[PointMatch]:
    return [
        PointMatch(f"point {i}", "covered" if c else "missed", 1.0 if c else 0.0)
        for i, c in enumerate(covered)
    ]


def coding(n: int, status: str, seconds: float, drill: str, verdict: str | None, passed: int = 0, total: int = 0,
           attempts: int = 1, file: str = "", hints: int = 0) -> Outcome:  # fmt: skip
    stage = StageResult(drill, verdict, passed, total, attempts, hints, seconds)
    return Outcome(n, status, seconds, stages=[stage], file=file)


# -- question scores ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("self_score", "covered", "total", "expected"),
    [
        (4, 4, 4, 100.0),
        (1, 0, 4, 0.0),
        (3, 2, 4, 0.7 * 67 + 0.3 * 50),  # 61.9
        (2, 4, 4, round(0.7 * 33 + 30, 1)),
        (3, 0, 0, 67.0),  # no key points: the self-score alone
        (None, 3, 4, 75.0),  # closed by the time limit before a self-score: coverage alone
        (None, 0, 0, 0.0),
    ],
)
def test_concept_score(self_score, covered, total, expected):
    assert concept_score(self_score, covered, total) == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize(
    ("verdict", "passed", "total", "expected"),
    [
        ("accepted", 10, 10, 100.0),
        ("wrong_answer", 7, 10, 70.0),
        ("time_limit_exceeded", 0, 10, 0.0),
        ("compile_error", 0, 0, 0.0),
        (None, 0, 0, 0.0),  # never graded
        ("internal_error", 0, 0, None),  # tfprep's fault: left out of the overall score
    ],
)
def test_coding_score(verdict, passed, total, expected):
    assert coding_score(verdict, passed, total) == expected


# -- the report -----------------------------------------------------------------------------------------


def sample_report(ended_by: str = "finished") -> dict[str, Any]:
    p = plan(
        q(1, "concept", "en.attention.why-sqrt-dk", "attention"),
        q(2, "concept", "en.norm.ln-vs-bn", "normalization"),
        q(3, "concept", "en.train.ce-vs-mse", "training"),
        q(4, "coding", "attention", "attention", minutes=10),
        q(5, "coding", "max-dot-product", "coding"),
    )
    outcomes = [
        Outcome(1, "answered", 95.0, "var grows", 4, points(True, True, True, True)),  # 100
        Outcome(2, "answered", 80.0, "no idea", 1, points(False, False, False, False)),  # 0
        Outcome(3, "answered", 60.0, "ce", 3, points(True, False)),  # 0.7*67 + 15 = 61.9
        coding(4, "answered", 900.0, "attention", "wrong_answer", 6, 10, 3, "/s/a.py"),
        Outcome(5),  # unanswered
    ]
    return build_report(
        p, outcomes, session_id="20240501-093000-r1", started_at=NOW, ended_at=NOW + timedelta(minutes=25),
        ended_by=ended_by, folder="/s", drills=DRILLS, drill_status={"attention": "attempted"},
    )  # fmt: skip


def test_report_scores_each_question_and_the_round():
    report = sample_report()
    scores = [r["score"] for r in report["questions"]]
    assert scores == [100.0, 0.0, 61.9, 60.0, 0.0]
    # weights: concept 1, coding 2 → (100 + 0 + 61.9 + 2*60 + 2*0) / 7
    assert report["score"] == round((100 + 0 + 61.9 + 120) / 7, 1)
    assert report["answered"] == 4 and report["complete"] is True and report["ended_by"] == "finished"
    assert report["seconds"] == 1500.0
    assert report["replay"] == "tfprep mock r1 --seed 5 --lang en"
    q4 = report["questions"][3]
    assert (q4["verdict"], q4["passed"], q4["total"], q4["attempts"], q4["slow"]) == (
        "wrong_answer",
        6,
        10,
        3,
        True,
    )
    q1 = report["questions"][0]
    assert q1["self_score"] == 4 and q1["covered"] == 4 and q1["answer"] == "var grows"
    assert q1["key_points"][0] == {
        "point": "point 0", "state": "covered", "covered": True, "confirmed": None, "match": 1.0, "evidence": ""
    }  # fmt: skip
    assert report["questions"][4]["status"] == "unanswered"


def test_report_json_contract_keys():
    report = sample_report()
    assert set(report) == {
        "version", "id", "round", "title", "lang", "seed", "minutes", "replay", "started_at", "ended_at",
        "seconds", "ended_by", "complete", "folder", "score", "answered", "unanswered", "hints", "questions",
        "topics", "weak_topics", "recommendations",
    }  # fmt: skip
    common = {"number", "kind", "ref", "title", "topic", "tags", "weight", "minutes", "label", "why", "status",
              "seconds", "score", "file"}  # fmt: skip
    concept = common | {"answer", "self_score", "key_points", "covered", "contradicted", "unconfirmed"}
    code = common | {"verdict", "passed", "total", "attempts", "slow", "stages", "reached", "accepted", "hints",
                     "chain_score"}  # fmt: skip
    for row in report["questions"]:
        assert set(row) == (concept if row["kind"] == "concept" else code)
    import json

    assert json.loads(json.dumps(report)) == report  # plain JSON


def test_weak_topics_and_recommendations_follow_one_rule():
    report = sample_report()
    # Q5 was never reached: unanswered, not a weak topic (it still costs in the overall score)
    assert report["topics"] == {
        "attention": round((100 + 2 * 60) / 3, 1),
        "normalization": 0.0,
        "training": 61.9,
    }
    assert report["weak_topics"] == ["normalization"]
    assert report["unanswered"] == 1
    commands = [r["command"] for r in report["recommendations"]]
    assert commands == ["tfprep quiz --topic normalization", "tfprep drill layer-norm", "tfprep mock r1"]
    why = {r["command"]: r["why"] for r in report["recommendations"]}
    assert "title en.norm.ln-vs-bn" in why["tfprep quiz --topic normalization"]
    # every recommendation but the replay names a weak topic: the scorecard never contradicts itself
    assert all(r["topic"] in report["weak_topics"] for r in report["recommendations"][:-1])


def test_a_failed_drill_in_a_weak_topic_is_recommended_first():
    p = plan(q(1, "coding", "attention", "attention"), q(2, "concept", "c", "attention"))
    outcomes = [
        coding(1, "answered", 60, "attention", "wrong_answer", 2, 10),
        Outcome(2, "answered", 1, "x", 1, points(False)),
    ]
    report = build_report(p, outcomes, session_id="s", started_at=NOW, ended_at=NOW, ended_by="finished")
    assert report["weak_topics"] == ["attention"]
    assert [r["command"] for r in report["recommendations"]][:2] == [
        "tfprep drill attention",
        "tfprep quiz --topic attention",
    ]


def test_ctrl_c_at_once_marks_nothing_weak():
    p = plan(q(1, "concept", "c", "attention"), q(2, "coding", "attention", "attention"))
    report = build_report(p, [Outcome(1), Outcome(2)], session_id="s", started_at=NOW, ended_at=NOW,
                          ended_by="interrupted")  # fmt: skip
    assert report["weak_topics"] == [] and report["topics"] == {} and report["score"] == 0.0
    assert [r["command"] for r in report["recommendations"]] == ["tfprep mock r1"]


def test_an_empty_answer_scores_zero_whatever_the_self_score():
    p = plan(q(1, "concept", "c", "attention"))
    report = build_report(p, [Outcome(1, "skipped", 3, "  ", 4, points(False))], session_id="s",
                          started_at=NOW, ended_at=NOW, ended_by="finished")  # fmt: skip
    assert report["questions"][0]["score"] == 0.0 and report["weak_topics"] == ["attention"]


def test_a_chain_scores_how_far_the_candidate_got():
    chain = Question(1, "coding", "attention", "t", "attention", ("attention",), 2.0, 20.0, "", "",
                     stages=(("attention", "A", ""), ("causal-attention", "C", "now a mask"),
                             ("multihead", "M", "now multi-head")))  # fmt: skip
    o = Outcome(1, "timeout", 1200, stages=[StageResult("attention", "accepted", 5, 5, 1),
                                            StageResult("causal-attention", "wrong_answer", 3, 6, 2, hints=1)])  # fmt: skip
    report = build_report(plan(chain), [o], session_id="s", started_at=NOW, ended_at=NOW, ended_by="time")
    row = report["questions"][0]
    assert row["score"] == round((100 + 50 + 0) / 3, 1)
    assert (row["reached"], row["accepted"], row["hints"]) == (2, 1, 1)
    assert [s["reached"] for s in row["stages"]] == [True, True, False]
    assert mock.verdict_of(row) == "stage 2/3 · wrong_answer 3/6 · 1 hint(s)"
    assert report["hints"] == 1


def test_confirmed_points_count_and_unconfirmed_do_not():
    pts = [PointMatch("a", "covered"), PointMatch("b", "check", confirmed=True), PointMatch("c", "check"),
           PointMatch("d", "contradicted")]  # fmt: skip
    report = build_report(plan(q(1, "concept", "c", "attention")), [Outcome(1, "answered", 5, "x", 3, pts)],
                          session_id="s", started_at=NOW, ended_at=NOW, ended_by="finished")  # fmt: skip
    row = report["questions"][0]
    assert (row["covered"], row["contradicted"], row["unconfirmed"]) == (2, 1, 1)
    assert row["score"] == concept_score(3, 2, 4)


def test_a_perfect_round_recommends_another_round():
    p = plan(q(1, "concept", "c", "attention"), q(2, "coding", "attention", "attention"))
    outcomes = [
        Outcome(1, "answered", 1, "x", 4, points(True)),
        coding(2, "answered", 1, "attention", "accepted", 5, 5),
    ]
    report = build_report(p, outcomes, session_id="s", started_at=NOW, ended_at=NOW, ended_by="finished")
    assert report["score"] == 100.0 and report["weak_topics"] == []
    assert report["recommendations"] == [
        {"command": "tfprep mock", "why": "well done: try another round", "topic": ""}
    ]


def test_internal_errors_are_left_out_and_interrupted_rounds_are_incomplete():
    p = plan(q(1, "concept", "c", "attention"), q(2, "coding", "attention", "attention"))
    outcomes = [
        Outcome(1, "answered", 1, "x", 3, points(True)),
        coding(2, "answered", 0, "attention", "internal_error"),
    ]
    report = build_report(p, outcomes, session_id="s", started_at=NOW, ended_at=None, ended_by="interrupted")
    assert report["questions"][1]["score"] is None
    assert report["score"] == concept_score(3, 1, 1)
    assert report["complete"] is False and report["ended_at"] is None
    assert (
        build_report(p, [], session_id="s", started_at=NOW, ended_at=NOW, ended_by="time")["complete"] is True
    )
    assert (
        build_report(p, [], session_id="s", started_at=NOW, ended_at=NOW, ended_by="quit")["complete"]
        is False
    )


def test_scorecard_markdown():
    md = mock.scorecard_markdown(sample_report(), plain=lambda s: s.upper())
    assert md.startswith("# Round one — ")
    assert "| # | question | kind | time | verdict | score |" in md
    assert "| 1 | title en.attention.why-sqrt-dk | concept | 1:35 | Easy · 4/4 key points | 100 |" in md
    assert "| 4 | title attention | coding | 15:00 | wrong_answer 6/10 · slow | 60 |" in md
    assert "| 5 | title max-dot-product | coding | 0:00 | unanswered | 0 |" in md
    assert "- normalization: 0 — **weak**" in md
    assert "- `tfprep quiz --topic normalization` — normalization scored 0: title en.norm.ln-vs-bn" in md
    assert "- ✓ POINT 0" in md and "- ✗ POINT 0" in md
    assert "> var grows" in md
    assert "replay: `tfprep mock r1 --seed 5 --lang en`" in md


def test_fmt_helpers():
    assert (
        mock.fmt_seconds(59.6) == "1:00"
        and mock.fmt_seconds(3725) == "1:02:05"
        and mock.fmt_seconds(None) == "—"
    )
    assert mock.fmt_score(None) == "—" and mock.fmt_score(61.9) == "61.9" and mock.fmt_score(100.0) == "100"


# -- the study loop -------------------------------------------------------------------------------------


def test_a_failed_drill_focuses_its_tags():
    attempts = [
        FakeAttempt("attention", "accepted", NOW - timedelta(days=3), 300),
        FakeAttempt("attention", "wrong_answer", NOW - timedelta(days=1)),  # the latest attempt failed
    ]
    focus = mock.study_focus(attempts, DRILLS, [], NOW)
    assert focus.weights == {"attention": 1.0, "softmax": 1.0, "mask": 1.0}
    assert focus.boost(["mask", "decoder"]) == (1.0, "drill attention failed")
    assert focus.boost(["training"]) == (0.0, "")


def test_a_slow_drill_focuses_its_tags_less_and_old_attempts_are_ignored():
    attempts = [
        FakeAttempt("layer-norm", "wrong_answer", NOW - timedelta(days=2), 100),
        FakeAttempt(
            "layer-norm", "accepted", NOW - timedelta(days=2), 1200
        ),  # difficulty 1: slow after 10 min
        FakeAttempt("attention", "wrong_answer", NOW - timedelta(days=30)),  # too old
        FakeAttempt("max-dot-product", "accepted", NOW - timedelta(days=1), 60),  # fast: nothing
    ]
    focus = mock.study_focus(attempts, DRILLS, [], NOW)
    assert focus.weights == {"normalization": 0.5, "layernorm": 0.5}
    assert focus.reasons["layernorm"] == "drill layer-norm was slow"


def test_weak_mock_topics_focus_their_cards():
    sessions = [
        FakeSession(NOW - timedelta(days=1), {"topics": {"attention": 30.0, "training": 90.0}}),
        FakeSession(NOW - timedelta(days=40), {"topics": {"decoding": 0.0}}),  # too old
        FakeSession(NOW - timedelta(days=2), {}),  # an old-style report without topics
    ]
    focus = mock.study_focus([], DRILLS, sessions, NOW)
    assert focus.weights == {"attention": 0.75}
    assert focus.reasons["attention"] == "mock: attention 30"


def test_prefer_related_brings_focused_cards_forward_stably():
    cards = [Card(id=str(i), question="?", answer="", line=i, tags=tags) for i, tags in
             enumerate([("training",), ("attention",), ("normalization",), ("attention", "mask"), ("llm",)])]  # fmt: skip
    assert mock.prefer_related(cards, mock.StudyFocus()) == cards
    focus = mock.StudyFocus()
    focus.add("mask", 1.0, "drill attention failed")
    focus.add("attention", 0.5, "mock: attention 40")
    assert [c.id for c in mock.prefer_related(cards, focus)] == ["3", "1", "0", "2", "4"]
