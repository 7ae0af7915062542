"""The scorecard of a session (at the end of a round and for `tfprep history show`) and the history table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfprep import mock
from tfprep.mock.scorecard import ended_text, kind_name, point_mark, tr_for
from tfprep.topics import topic_name
from tfprep.ui.mock.mathtext import plain_math

if TYPE_CHECKING:
    from rich.console import Console


def _score_style(score: float | None) -> str:
    if score is None:
        return "dim"
    return "bold green" if score >= 80 else "bold yellow" if score >= mock.WEAK_TOPIC else "bold red"


def _verdict_style(row: Mapping[str, Any]) -> str:
    if row["status"] == "unanswered":
        return "dim"
    if row["kind"] == "coding":
        return "green" if row.get("verdict") == "accepted" else "yellow"
    return ""


def render_scorecard(console: Console, report: Mapping[str, Any], *, saved: Path | None = None) -> None:
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    report = complete_report(report)
    lang = report["lang"]

    tr = tr_for(lang)

    console.print(Rule(Text(f" {report['title']} — {tr('scorecard')} ", style="bold"), style="cyan"))
    table = Table(box=None, padding=(0, 1), header_style="dim")
    for col, kw in (
        ("#", {"justify": "right"}),
        (tr("question"), {"overflow": "fold", "ratio": 1}),
        (tr("kind"), {}),
        (tr("time"), {"justify": "right"}),
        (tr("verdict"), {"overflow": "fold"}),
        (tr("score"), {"justify": "right"}),
    ):
        table.add_column(col, **kw)
    for r in report["questions"]:
        title = plain_math(r["title"])
        title = title if len(title) <= 70 else title[:69] + "…"
        table.add_row(
            str(r["number"]),
            title,
            kind_name(lang, r["kind"]),
            mock.fmt_seconds(r["seconds"]) if r["status"] != "unanswered" else "—",
            Text(mock.verdict_of(r, lang), style=_verdict_style(r)),
            Text(mock.fmt_score(r["score"]), style=_score_style(r["score"])),
        )
    console.print(table)
    _render_details(console, report, tr)
    line = Text(tr("overall") + " ", style="bold")
    line.append(f"{mock.fmt_score(report['score'])}/100", style=_score_style(report["score"]))
    line.append(
        "   "
        + tr("{a}/{n} answered", a=report["answered"], n=len(report["questions"]))
        + " · "
        + tr("{took} of {m} min", took=mock.fmt_seconds(report["seconds"]), m=report["minutes"])
        + " · "
        + ended_text(lang, report["ended_by"]),
        style="dim",
    )
    console.print(line)
    if report.get("hints"):
        console.print(Text(tr("hints taken: {n}", n=report["hints"]), style="yellow"))
    if report["topics"]:
        topics = Text(tr("topics") + "  ", style="bold")
        for i, (topic, score) in enumerate(sorted(report["topics"].items(), key=lambda kv: kv[1])):
            if i:
                topics.append(" · ", style="dim")
            topics.append(f"{topic_name(topic)} ")
            topics.append(mock.fmt_score(score), style=_score_style(score))
        console.print(topics)
    unanswered = report.get("unanswered", sum(1 for q in report["questions"] if q["status"] == "unanswered"))
    weak = report["weak_topics"]
    console.print(
        Text.assemble(
            (tr("weak") + "    ", "bold"),
            (", ".join(topic_name(t) for t in weak), "bold red") if weak else (tr("none"), "green"),
            (("   " + tr("{n} unanswered (not counted as weak)", n=unanswered)) if unanswered else "", "dim"),
        )
    )
    if report["recommendations"]:
        console.print(Text(tr("practise next"), style="bold"))
        for rec in report["recommendations"]:
            why = "  — " + plain_math(rec["why"])
            console.print(Text.assemble("  ", (rec["command"], "bold green"), (why, "dim")))
    if report.get("replay"):
        console.print(
            Text(tr("same questions again: {cmd}", cmd=report["replay"]), style="dim"), soft_wrap=True
        )
    if saved is not None:
        console.print(Text(tr("scorecard: {path}", path=str(saved)), style="dim"), soft_wrap=True)


def _render_details(console: Console, report: Mapping[str, Any], tr: Any) -> None:
    """Under the table: how far each chain got, and the key points left to check or contradicted."""
    from rich.text import Text

    for r in report["questions"]:
        stages = r.get("stages") or []
        if r["kind"] == "coding" and len(stages) > 1 and r["status"] != "unanswered":
            line = Text(f"  Q{r['number']} ", style="bold")
            for i, st in enumerate(stages):
                if i:
                    line.append(" → ", style="dim")
                mark = "✓" if st["verdict"] == "accepted" else ("·" if not st["reached"] else "✗")
                style = "green" if mark == "✓" else ("dim" if mark == "·" else "yellow")
                line.append(f"{mark} {st['drill']}", style=style)
            console.print(line, soft_wrap=True)
        if r["kind"] == "concept":
            flagged = [p for p in r.get("key_points", []) if point_mark(p) in ("?", "✗!")]
            for p in flagged:
                mark = point_mark(p)
                label = tr("check yourself") if mark == "?" else tr("contradicted")
                console.print(
                    Text.assemble(
                        f"  Q{r['number']} ",
                        (f"{mark} {label}: ", "yellow" if mark == "?" else "red"),
                        plain_math(p["point"], delimited=False),
                    ),
                    soft_wrap=True,
                )


def complete_report(report: Mapping[str, Any]) -> dict[str, Any]:
    """A stored report with every key the renderers read (older or partial reports get defaults)."""
    out = dict(report)
    out.setdefault("title", out.get("round", "mock round"))
    out.setdefault("round", "?")
    out.setdefault("lang", "en")
    out.setdefault("seed", 0)
    out.setdefault("minutes", 0)
    out.setdefault("seconds", 0.0)
    out.setdefault("ended_by", "running")
    out.setdefault("score", None)
    out.setdefault("questions", [])
    out.setdefault("answered", sum(1 for q in out["questions"] if q.get("status") != "unanswered"))
    out.setdefault("topics", {})
    out.setdefault("weak_topics", [])
    out.setdefault("recommendations", [])
    out.setdefault("started_at", "")
    return out


def render_history(console: Console, rows: list[dict[str, Any]], tz: Any = None) -> None:
    from rich.table import Table
    from rich.text import Text

    from tfprep.i18n import tr

    if not rows:
        console.print(tr("No mock sessions yet — start one with tfprep mock (see tfprep mock --list)."))
        return
    table = Table(box=None, padding=(0, 1), header_style="dim")
    id_width = max(len(r["id"]) for r in rows)
    # the id already says when and which round (20240501-093012-bytedance-1): a narrow terminal drops the
    # date and round columns rather than cut the status
    wide = console.width >= id_width + 60
    columns = [
        ("id", tr("id")),
        ("date", tr("date")),
        ("round", tr("round")),
        ("score", tr("score")),
        ("answered", tr("answered")),
        ("status", tr("status")),
    ]
    if not wide:
        columns = [c for c in columns if c[0] not in ("date", "round")]
    for key, col in columns:
        table.add_column(
            col,
            justify="right" if key in ("score", "answered") else "left",
            min_width=id_width if key == "id" else None,  # the id is what `history show` needs: never cut
            no_wrap=key in ("date", "status"),
            overflow="fold",
        )
    status_style = {"complete": "green", "interrupted": "red", "running": "cyan"}
    status_text = {
        "complete": tr("complete"),
        "interrupted": tr("interrupted"),
        "running": tr("running"),
        "incomplete": tr("incomplete"),
    }
    for r in rows:
        started = datetime.fromisoformat(r["started_at"]).astimezone(tz)
        status = r.get("status") or ("complete" if r["complete"] else "incomplete")
        cells = [r["id"], f"{started:%Y-%m-%d %H:%M}", r["round"]] if wide else [r["id"]]
        table.add_row(
            *cells,
            Text(mock.fmt_score(r["score"]), style=_score_style(r["score"])),
            f"{r['answered']}/{r['questions']}",
            Text(status_text.get(status, status), style=status_style.get(status, "yellow")),
        )
    console.print(table)
    console.print(Text(tr("tfprep history show ID — a session's scorecard"), style="dim"))
