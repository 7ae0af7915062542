"""Scoring one question: what happened to it (`Outcome`) and its score 0–100. Pure.

- A concept question: 70 % the self-score + 30 % the share of key points *confirmed* (covered by the
  matcher, or marked "check yourself" and confirmed by the user). An empty answer scores 0 whatever the
  self-score: an interviewer gives nothing for silence.
- A coding question is one drill or a chain of follow-up drills; each stage scores like a lone drill
  (accepted 100, else the share of tests passed) and the question scores the mean over all its stages, a
  stage never reached counting 0 — so how far the candidate got is what it scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tfprep.mock.keypoints.model import PointMatch
from tfprep.mock.plan import Question

SELF_SCORE_PCT = {1: 0.0, 2: 33.0, 3: 67.0, 4: 100.0}  # self-score 1 Again … 4 Easy → percent
SELF_WEIGHT = 0.7  # concept score = 70 % self-score + 30 % key points confirmed

# What happened to a question:
#   answered — a typed answer, or at least one grading
#   skipped — moved on with an empty answer, or left a drill without grading it
#   timeout — closed by the clock with something typed or graded
#   interrupted — Ctrl-C with something typed or graded
#   unanswered — never reached, or closed by the clock or Ctrl-C before anything was typed or graded
STATUSES = ("answered", "skipped", "timeout", "interrupted", "unanswered")


def concept_score(self_score: int | None, confirmed: int, total: int, *, empty: bool = False) -> float:
    """0–100: 70 % the self-score (1→0, 2→33, 3→67, 4→100) + 30 % the share of key points confirmed.

    An empty answer scores 0. A card without key points scores by the self-score alone; a question closed
    by the time limit before a self-score scores by its confirmed points alone."""
    if empty:
        return 0.0
    cover = 100.0 * confirmed / total if total else None
    if self_score is None:
        return round(cover or 0.0, 1)
    pct = SELF_SCORE_PCT[self_score]
    if cover is None:
        return round(pct, 1)
    return round(SELF_WEIGHT * pct + (1 - SELF_WEIGHT) * cover, 1)


def coding_score(verdict: str | None, passed: int, total: int) -> float | None:
    """0–100 of one drill: accepted = 100, otherwise 100 × passed / total; not graded = 0; an internal error
    = None (tfprep's fault: left out of the overall score)."""
    if verdict is None:
        return 0.0
    if verdict == "accepted":
        return 100.0
    if verdict == "internal_error":
        return None
    return round(100.0 * passed / total, 1) if total else 0.0


@dataclass
class StageResult:
    """One stage of a coding question (a lone drill is a one-stage chain)."""

    drill: str
    verdict: str | None = None  # the last verdict (None = never graded)
    passed: int = 0
    total: int = 0
    attempts: int = 0
    hints: int = 0  # hints the candidate asked for on this stage
    seconds: float = 0.0

    def score(self) -> float | None:
        return coding_score(self.verdict, self.passed, self.total)


@dataclass
class Outcome:
    """What happened to one planned question."""

    number: int
    status: str = "unanswered"  # one of STATUSES
    seconds: float = 0.0
    answer: str = ""  # concept: what the user typed
    self_score: int | None = None
    points: list[PointMatch] = field(default_factory=list)
    stages: list[StageResult] = field(default_factory=list)  # coding: the stages reached, in order
    file: str = ""  # the answer file or the (last) drill file in the session folder

    @property
    def confirmed(self) -> int:
        return sum(p.confirmed_covered for p in self.points)

    @property
    def hints(self) -> int:
        return sum(s.hints for s in self.stages)

    def stage(self, drill: str) -> StageResult:
        """The result of a stage, added when first reached."""
        for s in self.stages:
            if s.drill == drill:
                return s
        self.stages.append(StageResult(drill))
        return self.stages[-1]


def chain_score(q: Question, o: Outcome) -> float | None:
    """The mean stage score over all the question's stages (never reached = 0); None when every graded stage
    was tfprep's internal error."""
    by_drill = {s.drill: s for s in o.stages}
    scores = [by_drill[d].score() if d in by_drill else 0.0 for d, _, _ in q.stages or ((q.ref, "", ""),)]
    known = [s for s in scores if s is not None]
    if not known:
        return None
    return round(sum(known) / len(known), 1)


def question_score(q: Question, o: Outcome) -> float | None:
    if o.status == "unanswered":
        return 0.0
    if q.kind == "concept":
        return concept_score(o.self_score, o.confirmed, len(o.points), empty=not o.answer.strip())
    return chain_score(q, o)


def weighted_mean(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    pairs = [(w, s) for w, s in pairs if s is not None and w > 0]
    total = sum(w for w, _ in pairs)
    return round(sum(w * s for w, s in pairs) / total, 1) if total else None
