"""Rendering `tfprep stats`: numbers, a 7-day forecast, topics, and a GitHub-style review heatmap."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from tfprep.topics import topic_name

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

# GitHub's greens; level 0 is an empty day
HEAT_COLORS = ("grey23", "#0e4429", "#006d32", "#26a641", "#39d353")
CELL = "■ "


def heat_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1-4 by the share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // peak)


def heatmap(days: list[dict[str, Any]]) -> RenderableType:
    """Weeks as columns (oldest left), weekdays as rows (Monday on top); month names above the columns."""
    from rich.cells import cell_len
    from rich.text import Text

    from tfprep.i18n import tr

    if not days:
        return Text("")
    first = date.fromisoformat(days[0]["date"])
    counts = {date.fromisoformat(d["date"]): d["reviews"] for d in days}
    last = max(counts)
    weeks = (last - first).days // 7 + 1
    peak = max(counts.values())
    pad = 4
    months = [" "] * (pad + 2 * weeks + 2)
    previous_month = None
    for w in range(weeks):
        monday = first + timedelta(weeks=w)
        if monday.month != previous_month:
            name = _month(monday)
            col = pad + 2 * w
            if all(c == " " for c in months[max(0, col - 1) : col + len(name)]):
                months[col : col + len(name)] = list(name)
            previous_month = monday.month
    out = Text("".join(months).rstrip() + "\n", style="dim")
    for weekday in range(7):
        label = _weekday(first + timedelta(days=weekday)) if weekday in (0, 2, 4) else ""
        out.append(label + " " * max(0, pad - cell_len(label)), style="dim")
        for w in range(weeks):
            day = first + timedelta(weeks=w, days=weekday)
            if day > last:
                break
            n = counts.get(day, 0)
            out.append(CELL, style=HEAT_COLORS[heat_level(n, peak)])
        out.append("\n")
    out.append(" " * pad + tr("less") + " ", style="dim")
    for color in HEAT_COLORS:
        out.append(CELL, style=color)
    out.append(tr("more"), style="dim")
    return out


def _next(iso: str, tz: tzinfo | None) -> str:
    from tfprep.ui.quiz import when

    return when(datetime.fromisoformat(iso), datetime.now(UTC), tz)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.0f}%"


TOPICS_SHOWN = 12  # the most reviewed topics; --json has them all


def _month(day: date) -> str:
    from tfprep.i18n import tr

    names = (tr("Jan"), tr("Feb"), tr("Mar"), tr("Apr"), tr("May"), tr("Jun"))
    names += (tr("Jul"), tr("Aug"), tr("Sep"), tr("Oct"), tr("Nov"), tr("Dec"))
    return names[day.month - 1]


def _weekday(day: date) -> str:
    from tfprep.i18n import tr

    return (tr("Mon"), tr("Tue"), tr("Wed"), tr("Thu"), tr("Fri"), tr("Sat"), tr("Sun"))[day.weekday()]


def render_stats(console: Console, s: dict[str, Any], tz: tzinfo | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    from tfprep.i18n import tr

    console.print(Text("tfprep stats", style="bold cyan"))
    console.print(
        Text(
            tr(
                "reviews {n} ({today} today) · streak {streak} days · cards reviewed {cards}",
                n=s["reviews"],
                today=s["reviews_today"],
                streak=s["streak"],
                cards=s["cards"],
            )
        )
    )
    due = tr("due today {due} ({now} now)", due=s["due"], now=s["due_now"])
    if s["next_due"] and not s["due_now"]:
        due += " · " + tr("next due {when}", when=_next(s["next_due"], tz))
    console.print(Text(due))
    retention = tr("true retention {pct}", pct=_pct(s["retention"]))
    if s["retention_reviews"]:
        retention += " " + tr("of {n} reviews of cards past learning", n=s["retention_reviews"])
    console.print(Text(retention))

    console.print(Text(tr("next 7 days"), style="bold"))
    forecast = Table(box=None, show_header=True, pad_edge=False)
    peak = max((f["due"] for f in s["forecast"]), default=0) or 1
    for i, f in enumerate(s["forecast"]):
        day = date.fromisoformat(f["date"])
        forecast.add_column(tr("today") if i == 0 else _weekday(day), justify="right")
    forecast.add_row(*[str(f["due"]) for f in s["forecast"]])
    forecast.add_row(*["█" * max(0, round(4 * f["due"] / peak)) or "·" for f in s["forecast"]], style="green")
    console.print(forecast)

    if s["topics"]:
        ranked = sorted(s["topics"].items(), key=lambda kv: (-kv[1]["reviews"], kv[0]))
        console.print(Text(tr("topics"), style="bold"))
        table = Table(box=None, pad_edge=False)
        table.add_column(tr("topic"))
        table.add_column(tr("cards"), justify="right")
        table.add_column(tr("reviews"), justify="right")
        table.add_column(tr("retention"), justify="right")
        for tag, t in ranked[:TOPICS_SHOWN]:
            table.add_row(Text(topic_name(tag)), str(t["cards"]), str(t["reviews"]), _pct(t["retention"]))
        console.print(table)
        if len(ranked) > TOPICS_SHOWN:
            more = tr("… {n} more topics in `tfprep stats --json`", n=len(ranked) - TOPICS_SHOWN)
            console.print(Text(more, style="dim"))

    render_drills(console, s, tz)
    render_memory(console, s)
    console.print(Text(tr("reviews, last {n} weeks", n=-(-len(s["heatmap"]) // 7)), style="bold"))
    console.print(heatmap(s["heatmap"]))


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    """One block per value, scaled between the smallest and the largest (lower = faster)."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        return SPARK[3] * len(values)
    return "".join(SPARK[round((v - lo) / (hi - lo) * (len(SPARK) - 1))] for v in values)


def render_drills(console: Console, s: dict[str, Any], tz: tzinfo | None = None) -> None:
    """Per-drill history: attempts, first-try rate, time to solve (median, best, trend), last rating, due."""
    from rich.table import Table
    from rich.text import Text

    from tfprep.i18n import tr
    from tfprep.mock import fmt_seconds
    from tfprep.ui.today import RATING_STYLE, rating_name

    d = s.get("drills") or {}
    rows = d.get("rows") or []
    if not rows:
        return
    console.print(
        Text(
            tr(
                "drills: {reviews} reviews · {due} due today · retention {retention}",
                reviews=d.get("reviews", 0),
                due=d.get("due", 0),
                retention=_pct(d.get("retention")),
            ),
            style="bold",
        )
    )
    table = Table(box=None, pad_edge=False, padding=(0, 1))
    table.add_column(tr("drill"), no_wrap=True, max_width=20, overflow="ellipsis")
    table.add_column(tr("tries"), justify="right")
    table.add_column(tr("1st try"), justify="right")
    table.add_column(tr("solve"), justify="right", no_wrap=True)
    table.add_column(tr("best"), justify="right", no_wrap=True)
    table.add_column(tr("trend"), no_wrap=True, max_width=10, overflow="crop")
    table.add_column(tr("last"), no_wrap=True)
    table.add_column(tr("next due"), no_wrap=True)
    for r in rows:
        last = Text("—")
        if r["last_rating"]:
            last = Text(rating_name(r["last_rating"]), style=RATING_STYLE[r["last_rating"]])
        due = _next(r["due"], tz) if r["due"] else "—"
        table.add_row(
            Text(r["drill"]),
            str(r["attempts"]),
            _pct(r["first_try_rate"]),
            fmt_seconds(r["median_solve_s"]),
            fmt_seconds(r["best_solve_s"]),
            Text(sparkline(r["solve_s"][-10:]), style="cyan"),
            last,
            Text(due, style="dim"),
        )
    console.print(table)


def _curve_cell(share: float | None) -> Any:
    from rich.text import Text

    if share is None:
        return Text("—", style="dim")
    color = "green" if share >= 0.85 else "yellow" if share >= 0.7 else "red"
    return Text.assemble((SPARK[min(7, int(share * 8))], color), f" {100 * share:.0f}%")


def render_memory(console: Console, s: dict[str, Any]) -> None:
    """Cards beside drills: FSRS's predicted recall ahead, and the measured retention by interval."""
    from rich.table import Table
    from rich.text import Text

    from tfprep.i18n import tr

    curve = s.get("memory_curve") or {}
    if any(p["retrievability"] is not None for kind in ("cards", "drills") for p in curve.get(kind, [])):
        console.print(Text(tr("memory if you stopped reviewing now (FSRS predicted recall)"), style="bold"))
        table = Table(box=None, pad_edge=False)
        table.add_column("")
        for p in curve["cards"]:
            table.add_column(tr("now") if p["days"] == 0 else tr("+{n}d", n=p["days"]), justify="right")
        for kind, label in (("cards", tr("cards")), ("drills", tr("drills"))):
            table.add_row(label, *[_curve_cell(p["retrievability"]) for p in curve.get(kind, [])])
        console.print(table)
    measured = s.get("retention_by_interval") or {}
    if any(b["reviews"] for kind in ("cards", "drills") for b in measured.get(kind, [])):
        console.print(Text(tr("remembered when due, by days since the previous review"), style="bold"))
        table = Table(box=None, pad_edge=False)
        table.add_column("")
        for b in measured["cards"]:
            table.add_column(b["bucket"], justify="right")
        for kind, label in (("cards", tr("cards")), ("drills", tr("drills"))):
            cells = [
                Text(f"{_pct(b['retention'])} ({b['reviews']})") if b["reviews"] else Text("—", style="dim")
                for b in measured.get(kind, [])
            ]
            table.add_row(label, *cells)
        console.print(table)
