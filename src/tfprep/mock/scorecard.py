"""The scorecard as text: the short verdict of a question and the Markdown document written into the session
folder. Pure; every label through tfprep.i18n in the session's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tfprep.i18n import tr_in
from tfprep.topics import topic_name

POINT_MARK = {"covered": "✓", "check": "?", "contradicted": "✗!", "missed": "✗"}


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    m, s = divmod(int(round(seconds)), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def fmt_score(score: float | None) -> str:
    return "—" if score is None else f"{score:g}"


def point_mark(p: Mapping[str, Any]) -> str:
    """✓ covered (or confirmed), ? check yourself, ✗! contradicted, ✗ missed (or rejected)."""
    state = p.get("state") or ("covered" if p.get("covered") else "missed")
    if state == "check" and p.get("confirmed") is not None:
        return "✓" if p["confirmed"] else "✗"
    return POINT_MARK.get(state, "✗")


def tr_for(lang: str) -> Callable[..., str]:
    def tr(text: str, **fields: Any) -> str:  # in the session's language, whatever the UI's
        return tr_in(lang, text, **fields)

    return tr


def ended_text(lang: str, ended_by: str) -> str:
    tr = tr_for(lang)
    texts = {
        "finished": tr("complete"),
        "time": tr("complete — time ran out"),
        "interrupted": tr("incomplete — interrupted"),
        "quit": tr("incomplete — ended early"),
        "running": tr("incomplete — not finished"),
    }
    return texts.get(ended_by, ended_by)


def kind_name(lang: str, kind: str) -> str:
    tr = tr_for(lang)
    return tr("concept") if kind == "concept" else tr("coding")


def rating_name(lang: str, rating: int) -> str:
    tr = tr_for(lang)
    return {1: tr("Again"), 2: tr("Hard"), 3: tr("Good"), 4: tr("Easy")}[rating]


def verdict_of(row: Mapping[str, Any], lang: str = "en") -> str:
    """A short verdict: the coding verdict (and how far a chain got), or the concept's self-score and points."""
    tr = tr_for(lang)
    if row["status"] == "unanswered":
        return tr("unanswered")
    if row["kind"] == "coding":
        stages = row.get("stages") or []
        v = row.get("verdict")
        if v is None:
            text = tr("not graded") + (f" ({tr('time')})" if row["status"] == "timeout" else "")
        else:
            text = v if v == "accepted" else f"{v} {row.get('passed', 0)}/{row.get('total', 0)}"
        if len(stages) > 1:
            text = tr("stage {n}/{total}", n=row.get("reached", 0), total=len(stages)) + " · " + text
        if row.get("hints"):
            text += " · " + tr("{n} hint(s)", n=row["hints"])
        return text + (" · " + tr("slow") if row.get("slow") else "")
    parts = []
    if not (row.get("answer") or "").strip():
        parts.append(tr("empty answer"))
    if row.get("self_score"):
        parts.append(rating_name(lang, row["self_score"]))
    elif row["status"] == "timeout":
        parts.append(tr("time's up"))
    if row.get("key_points"):
        parts.append(tr("{c}/{t} key points", c=row.get("covered", 0), t=len(row["key_points"])))
    if row.get("contradicted"):
        parts.append(tr("{n} contradicted", n=row["contradicted"]))
    statuses = {"answered": tr("answered"), "skipped": tr("skipped"), "timeout": tr("time's up"),
                "interrupted": tr("interrupted")}  # fmt: skip
    return " · ".join(parts) or statuses.get(row["status"], row["status"])


def scorecard_markdown(report: Mapping[str, Any], plain: Callable[[str], str] = str) -> str:
    """The scorecard as a Markdown document (written into the session folder). `plain` turns a key point's
    bare LaTeX into readable text (the CLI passes the terminal's converter)."""
    lang = report.get("lang", "en")

    tr = tr_for(lang)

    replay = report.get("replay") or "tfprep mock " + report["round"]
    lines = [
        f"# {report['title']} — {fmt_score(report['score'])}/100",
        "",
        f"- {tr('round')}: `{report['round']}` · {report['minutes']} min · seed {report['seed']} "
        f"({tr('replay')}: `{replay}`)",
        f"- {tr('started at')}: {report['started_at']} · {tr('took')} {fmt_seconds(report['seconds'])} · "
        f"{ended_text(lang, report['ended_by'])}",
        f"- {tr('answered')}: {report['answered']}/{len(report['questions'])}",
        "",
        f"| # | {tr('question')} | {tr('kind')} | {tr('time')} | {tr('verdict')} | {tr('score')} |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in report["questions"]:
        title = r["title"].replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {r['number']} | {title} | {kind_name(lang, r['kind'])} | {fmt_seconds(r['seconds'])} | "
            f"{verdict_of(r, lang)} | {fmt_score(r['score'])} |"
        )
    lines.append("")
    if report["topics"]:
        lines += [f"## {tr('Topics')}", ""]
        for topic, s in sorted(report["topics"].items(), key=lambda kv: kv[1]):
            weak = f" — **{tr('weak')}**" if topic in report["weak_topics"] else ""
            lines.append(f"- {topic_name(topic, lang)}: {fmt_score(s)}{weak}")
        lines.append("")
    if report["recommendations"]:
        lines += [f"## {tr('Practise next')}", ""]
        lines += [f"- `{rec['command']}` — {rec['why']}" for rec in report["recommendations"]]
        lines.append("")
    lines += [f"## {tr('Questions')}", ""]
    for r in report["questions"]:
        lines += [f"### Q{r['number']}. {r['title']}", ""]
        meta = [kind_name(lang, r["kind"]), r["topic"], f"`{r['ref']}`", verdict_of(r, lang)]
        lines += [" · ".join(meta) + f" · {tr('score')} {fmt_score(r['score'])}", ""]
        if r["kind"] == "concept":
            for p in r.get("key_points", []):
                lines.append(f"- {point_mark(p)} {plain(p['point'])}")
            if r.get("key_points"):
                lines.append("")
            answer = r.get("answer", "").strip()
            if answer:
                lines += [tr("Your answer:"), ""]
                lines.extend("> " + line if line else ">" for line in answer.splitlines())
                lines.append("")
        else:
            for i, st in enumerate(r.get("stages") or [], 1):
                state = st["verdict"] or tr("not graded") if st["reached"] else tr("not reached")
                lines.append(f"{i}. {st['title']} (`{st['drill']}`) — {state}")
            if r.get("stages"):
                lines.append("")
            if r.get("file"):
                lines += [f"{tr('File')}: `{r['file']}` · {tr('{n} grading(s)', n=r.get('attempts', 0))}", ""]
    return "\n".join(lines).rstrip() + "\n"
