"""Rendering `tfprep stats`: numbers, a 7-day forecast, topics, and a GitHub-style review heatmap."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

# GitHub's greens; level 0 is an empty day
HEAT_COLORS = ("grey23", "#0e4429", "#006d32", "#26a641", "#39d353")
CELL = "■ "
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "")


def heat_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1-4 by the share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // peak)


def heatmap(days: list[dict[str, Any]]) -> RenderableType:
    """Weeks as columns (oldest left), weekdays as rows (Monday on top); month names above the columns."""
    from rich.text import Text

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
            name = monday.strftime("%b")
            col = pad + 2 * w
            if all(c == " " for c in months[max(0, col - 1) : col + len(name)]):
                months[col : col + len(name)] = list(name)
            previous_month = monday.month
    out = Text("".join(months).rstrip() + "\n", style="dim")
    for weekday in range(7):
        out.append(f"{WEEKDAY_LABELS[weekday]:<{pad}}", style="dim")
        for w in range(weeks):
            day = first + timedelta(weeks=w, days=weekday)
            if day > last:
                break
            n = counts.get(day, 0)
            out.append(CELL, style=HEAT_COLORS[heat_level(n, peak)])
        out.append("\n")
    out.append(" " * pad + "less ", style="dim")
    for color in HEAT_COLORS:
        out.append(CELL, style=color)
    out.append("more", style="dim")
    return out


def _next(iso: str, tz: tzinfo | None) -> str:
    from tfprep.ui.quiz import when

    return when(datetime.fromisoformat(iso), datetime.now(UTC), tz)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.0f}%"


def render_stats(console: Console, s: dict[str, Any], tz: tzinfo | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text("tfprep stats", style="bold cyan"))
    days = "day" if s["streak"] == 1 else "days"
    console.print(
        f"reviews [bold]{s['reviews']}[/] ({s['reviews_today']} today) · streak [bold]{s['streak']}[/] {days}"
        f" · cards reviewed [bold]{s['cards']}[/]"
    )
    console.print(
        f"due today [bold]{s['due']}[/] ({s['due_now']} now)"
        + (f" · next due {_next(s['next_due'], tz)}" if s["next_due"] and not s["due_now"] else "")
    )
    console.print(
        f"true retention [bold]{_pct(s['retention'])}[/]"
        + (f" of {s['retention_reviews']} reviews of cards past learning" if s["retention_reviews"] else "")
    )

    forecast = Table(title="next 7 days", title_justify="left", box=None, show_header=True, pad_edge=False)
    peak = max((f["due"] for f in s["forecast"]), default=0) or 1
    for i, f in enumerate(s["forecast"]):
        day = date.fromisoformat(f["date"])
        forecast.add_column("today" if i == 0 else day.strftime("%a"), justify="right")
    forecast.add_row(*[str(f["due"]) for f in s["forecast"]])
    forecast.add_row(*["█" * max(0, round(4 * f["due"] / peak)) or "·" for f in s["forecast"]], style="green")
    console.print(forecast)

    if s["topics"]:
        table = Table(title="topics", title_justify="left", box=None, pad_edge=False)
        table.add_column("topic")
        table.add_column("cards", justify="right")
        table.add_column("reviews", justify="right")
        table.add_column("retention", justify="right")
        ranked = sorted(s["topics"].items(), key=lambda kv: (-kv[1]["reviews"], kv[0]))
        for tag, t in ranked:
            table.add_row(tag, str(t["cards"]), str(t["reviews"]), _pct(t["retention"]))
        console.print(table)

    console.print(Text(f"reviews, last {len(s['heatmap']) // 7 + 1} weeks", style="bold"))
    console.print(heatmap(s["heatmap"]))
