"""Mock interview rounds, pure (no files, clock, terminal, database or processes), one job per module:

- `rounds`     the round format: a round file (TOML) → `Round` (slots, chains of follow-up drills)
- `plan`       which cards and drills a session asks (`plan_round`), `check_round`
- `keypoints`  answer matching: covered / check yourself / contradicted / missed per key point
- `score`      one question's outcome and score; `report` the session's report, weak topics, what next
- `scorecard`  the scorecard as Markdown and short verdicts
- `study`      the study loop (failed drills and weak topics bring cards forward); `focus` its weights

The terminal session lives in tfprep.ui.mock_*, the commands in tfprep.cli.mock / cli.history.
"""

from tfprep.mock.focus import StudyFocus
from tfprep.mock.health import RECENT, CardHealth, card_health, need_of
from tfprep.mock.keypoints import PointMatch, coverage
from tfprep.mock.plan import (
    NEED_WEAK,
    TOPIC_TAGS,
    DrillLike,
    Plan,
    Question,
    check_round,
    localise_id,
    plan_round,
    topic_of,
)
from tfprep.mock.report import WEAK_TOPIC, build_report, needs_work, recommend
from tfprep.mock.rounds import DEFAULT_WEIGHT, KINDS, LANGS, Round, RoundError, Slot, Stage, parse_round
from tfprep.mock.score import Outcome, StageResult, coding_score, concept_score, question_score
from tfprep.mock.scorecard import fmt_score, fmt_seconds, scorecard_markdown, verdict_of
from tfprep.mock.study import prefer_related, session_id, study_focus

__all__ = [
    "DEFAULT_WEIGHT",
    "KINDS",
    "LANGS",
    "NEED_WEAK",
    "RECENT",
    "TOPIC_TAGS",
    "WEAK_TOPIC",
    "CardHealth",
    "DrillLike",
    "Outcome",
    "Plan",
    "PointMatch",
    "Question",
    "Round",
    "RoundError",
    "Slot",
    "Stage",
    "StageResult",
    "StudyFocus",
    "build_report",
    "card_health",
    "check_round",
    "coding_score",
    "concept_score",
    "coverage",
    "fmt_score",
    "fmt_seconds",
    "localise_id",
    "need_of",
    "needs_work",
    "parse_round",
    "plan_round",
    "prefer_related",
    "question_score",
    "recommend",
    "scorecard_markdown",
    "session_id",
    "study_focus",
    "topic_of",
    "verdict_of",
]
