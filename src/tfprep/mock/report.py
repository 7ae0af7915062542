"""The report of a session: every question's score, the overall score, the weak topics and what to practise
next, as plain JSON-able data (the `--json-report` contract, kept in the store). Pure.

One rule decides what needs work (`needs_work`): a question the candidate *attempted* (answered, skipped,
or closed by the clock or Ctrl-C with something typed or graded) that scored under WEAK_TOPIC. A topic is
weak when its attempted questions average under WEAK_TOPIC; the recommendations are drawn from the weak
topics only, so the scorecard never says "weak: none" and then sends you to practise a question. A question
never reached (time out, Ctrl-C) is *unanswered*: it costs in the overall score but says nothing about a
topic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tfprep.mock.plan import DrillLike, Plan
from tfprep.mock.score import Outcome, chain_score, question_score, weighted_mean
from tfprep.topics import topic_name

REPORT_VERSION = 2
WEAK_TOPIC = 60.0  # a topic whose attempted questions average below this is weak


def attempted(row: Mapping[str, Any]) -> bool:
    return row.get("status") != "unanswered"


def needs_work(row: Mapping[str, Any]) -> bool:
    """The one rule: an attempted question scoring under WEAK_TOPIC."""
    score = row.get("score")
    return attempted(row) and score is not None and score < WEAK_TOPIC


def _concept_row(o: Outcome) -> dict[str, Any]:
    return {
        "answer": o.answer,
        "self_score": o.self_score,
        "key_points": [p.to_json() for p in o.points],
        "covered": o.confirmed,
        "contradicted": sum(p.state == "contradicted" for p in o.points),
        "unconfirmed": sum(p.state == "check" and p.confirmed is None for p in o.points),
    }


def _coding_row(q: Any, o: Outcome) -> dict[str, Any]:
    by_drill = {s.drill: s for s in o.stages}
    stages = []
    for drill, title, say in q.stages or ((q.ref, q.title, ""),):
        s = by_drill.get(drill)
        stages.append(
            {
                "drill": drill,
                "title": title,
                "say": say,
                "reached": s is not None,
                "verdict": s.verdict if s else None,
                "passed": s.passed if s else 0,
                "total": s.total if s else 0,
                "attempts": s.attempts if s else 0,
                "hints": s.hints if s else 0,
                "seconds": round(s.seconds, 1) if s else 0.0,
                "score": s.score() if s else 0.0,
            }
        )
    last = next((st for st in reversed(stages) if st["reached"]), stages[0])
    slow = q.minutes is not None and o.seconds > q.minutes * 60
    return {
        "verdict": last["verdict"],  # of the last stage reached
        "passed": last["passed"],
        "total": last["total"],
        "attempts": sum(st["attempts"] for st in stages),
        "hints": o.hints,
        "slow": slow,
        "stages": stages,
        "reached": sum(st["reached"] for st in stages),
        "accepted": sum(st["verdict"] == "accepted" for st in stages),
        "chain_score": chain_score(q, o),
    }


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
    """The scorecard as plain JSON-able data.

    `round_ref` is what `tfprep mock` needs to play the round again (its id, or the path of its file)."""
    by_number = {o.number: o for o in outcomes}
    rows = []
    for q in plan.questions:
        o = by_number.get(q.number) or Outcome(q.number)
        row = q.to_json() | {
            "status": o.status,
            "seconds": round(o.seconds, 1),
            "score": question_score(q, o),
            "file": o.file,
        }
        row |= _concept_row(o) if q.kind == "concept" else _coding_row(q, o)
        rows.append(row)
    topics: dict[str, list[tuple[float, float | None]]] = {}
    for row in rows:
        if attempted(row):
            topics.setdefault(row["topic"], []).append((row["weight"], row["score"]))
    topic_scores = {t: s for t, pairs in topics.items() if (s := weighted_mean(pairs)) is not None}
    weak = sorted((t for t, s in topic_scores.items() if s < WEAK_TOPIC), key=lambda t: (topic_scores[t], t))
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
        "complete": ended_by in ("finished", "time"),
        "folder": folder,
        "score": weighted_mean((r["weight"], r["score"]) for r in rows),
        "answered": answered,
        "unanswered": sum(1 for r in rows if r["status"] == "unanswered"),
        "hints": sum(r.get("hints", 0) for r in rows),
        "questions": rows,
        "topics": topic_scores,
        "weak_topics": weak,
    }
    report["recommendations"] = recommend(report, drills=drills, drill_status=drill_status or {})
    return report


def recommend(
    report: Mapping[str, Any], *, drills: Sequence[DrillLike] = (), drill_status: Mapping[str, str]
) -> list[dict[str, str]]:
    """What to practise next: [{"command", "why", "topic"}], weakest topic first, at most 6. Every
    recommendation comes from a weak topic (the rule of `needs_work`), or replays a round left unfinished."""
    from tfprep.mock.scorecard import tr_for

    tr = tr_for(report.get("lang", "en"))  # in the session's language

    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(command: str, why: str, topic: str = "") -> None:
        if command not in seen:
            seen.add(command)
            out.append({"command": command, "why": why, "topic": topic})

    rows = report["questions"]
    for topic in report.get("weak_topics", []):
        score = report["topics"][topic]
        missed = [r for r in rows if r["topic"] == topic and needs_work(r)]
        for r in missed:
            if r["kind"] == "coding":
                for st in r.get("stages") or []:
                    if st["reached"] and st["verdict"] != "accepted":
                        why = st["verdict"] or tr("not graded")
                        if st["verdict"]:
                            why = f"{why} {st['passed']}/{st['total']}"
                        add(f"tfprep drill {st['drill']}", f"Q{r['number']} · {why}", topic)
        concept = [r for r in missed if r["kind"] == "concept"]
        names = "; ".join(r["title"] for r in concept[:2])
        why = tr("{topic} scored {score}", topic=topic_name(topic), score=f"{score:g}")
        add(f"tfprep quiz --topic {topic}", f"{why}: {names}" if names else why, topic)
        for d in drills:
            if (d.topic == topic or topic in d.tags) and drill_status.get(d.slug) != "solved":
                add(f"tfprep drill {d.slug}", tr("practise {topic} in code", topic=topic_name(topic)), topic)
                break
    if any(r["status"] == "unanswered" for r in rows):
        add(
            report.get("replay", "").split(" --seed")[0] or f"tfprep mock {report['round']}",
            tr("some questions were left unanswered: play the round again"),
        )
    if not out:
        add("tfprep mock", tr("well done: try another round"))
    return out[:6]
