"""`tfprep` with no arguments: what is due, today's plan (cards, then drills, with an estimated time), how the
drills and mock rounds stand, and what to do next.

Reads only: the built-in banks of the user's language, the review database (never created here) and the
drills folder. No torch, numpy or pytest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tfprep.topics import topic_name


@dataclass
class Dashboard:
    lang: str
    cards: int = 0  # cards in the built-in banks of `lang`
    due: int = 0  # of those, due today
    new: int = 0  # never reviewed
    new_today: int = 0  # new cards the daily budget still allows (default --new 20)
    drills: int = 0
    drill_summary: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_mock: Any = None  # store.MockSession | None: the last complete mock round
    bank_error: str = ""
    now: datetime | None = None
    plan: Any = None  # day_plan.DayPlan: today's suggested order

    @property
    def solved(self) -> int:
        return sum(1 for d in self.drill_summary.values() if d["status"] == "solved")

    @property
    def attempted(self) -> int:
        return sum(1 for d in self.drill_summary.values() if d["status"] == "attempted")

    @property
    def drills_due(self) -> int:
        return sum(1 for d in self.plan.drills if d.kind == "due") if self.plan is not None else 0

    def suggestion(self) -> tuple[str, str]:
        """ONE next command, with the reason."""
        from tfprep.i18n import tr
        from tfprep.ui.today import fmt_minutes

        if self.plan is not None and (self.due or self.drills_due):
            return "tfprep today", tr(
                "due: cards {cards} · drills {drills} · {time}",
                cards=self.due,
                drills=self.drills_due,
                time=fmt_minutes(self.plan.total_seconds),
            )
        if self.due:
            return "tfprep quiz", tr("{n} cards are due today", n=self.due)
        unsolved = [slug for slug, d in self.drill_summary.items() if d["status"] == "attempted"]
        if unsolved:
            return f"tfprep drill {unsolved[0]}", tr(
                "you started {drill} but have not passed it yet", drill=unsolved[0]
            )
        weak = self.weak_topics()
        if weak:
            topic, score = weak[0]
            return (
                f"tfprep quiz --topic {topic}",
                tr(
                    "your last mock round scored {score} on {topic}",
                    score=f"{score:g}",
                    topic=topic_name(topic),
                ),
            )
        if self.new_today:
            return "tfprep today", tr("{n} new cards to learn today", n=self.new_today)
        if self.drills and self.solved < self.drills:
            return "tfprep drill list", tr("pick your next coding drill")
        if self.last_mock is None:
            return "tfprep mock", tr("try a mock interview round")
        if self.now is not None and self.now - self.last_mock.started_at > timedelta(days=7):
            days = (self.now - self.last_mock.started_at).days
            return "tfprep mock", tr("your last mock round was {n} days ago", n=days)
        return "tfprep stats", tr("you are all caught up — see how your memory is doing")

    def weak_topics(self) -> list[tuple[str, float]]:
        """(topic, score) of the last mock round's weak topics, weakest first — if it is recent (14 days)."""
        m = self.last_mock
        if m is None or not isinstance(m.report, dict):
            return []
        if self.now is not None and self.now - m.started_at > timedelta(days=14):
            return []
        topics = m.report.get("topics") or {}
        weak = [t for t in m.report.get("weak_topics") or [] if isinstance(topics.get(t), (int, float))]
        return sorted(((t, float(topics[t])) for t in weak), key=lambda ts: ts[1])


def bank_ids(files: list[Path], cache: Path) -> set[str]:
    """The card ids of these bank files. Parsing is the slow part of the dashboard, so the ids of each file
    are cached (keyed by the file's size and mtime, and by the parser's own mtime) in `cache`."""
    import json
    from importlib.util import find_spec

    from tfprep.bank.load import load_bank

    spec = find_spec("tfprep.bank.parse")  # its mtime, without importing it (markdown-it is slow to import)
    parser = Path(spec.origin).stat().st_mtime_ns if spec and spec.origin else 0
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved.get("parser") != parser:
            saved = {}
    except (OSError, ValueError):
        saved = {}
    entries: dict[str, Any] = saved.get("files", {}) if isinstance(saved.get("files"), dict) else {}
    out: set[str] = set()
    fresh: dict[str, Any] = {}
    changed = False
    for f in files:
        st = f.stat()
        key = [st.st_size, st.st_mtime_ns]
        entry = entries.get(str(f))
        if not (isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("ids"), list)):
            entry = {"key": key, "ids": [c.id for c in load_bank(f).cards]}
            changed = True
        fresh[str(f)] = entry
        out.update(entry["ids"])
    if changed or len(fresh) != len(entries):
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps({"parser": parser, "files": fresh}), encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass  # a cache only: the next run parses again
    return out


def collect(now: Any = None) -> Dashboard:
    from datetime import datetime

    from tfprep import srs
    from tfprep.cli.quiz import local_tz
    from tfprep.errors import TfprepError
    from tfprep.i18n import get_lang
    from tfprep.paths import Paths
    from tfprep.store import Store

    now = now or datetime.now(UTC)
    tz = local_tz()
    board = Dashboard(lang=get_lang(), now=now)
    paths = Paths.from_env()
    ids: set[str] = set()
    try:
        from tfprep.bank.load import builtin_bank_paths

        ids = bank_ids(builtin_bank_paths(board.lang), paths.home / "cache" / "bank-ids.json")
    except TfprepError as exc:
        board.bank_error = str(exc)
    board.cards = len(ids)
    store = Store.open_existing(paths)
    states: dict[str, Any] = {}
    spent = 0
    if store is not None:
        with store:
            states = {cid: srs.state_from_json(js) for cid, js in store.card_states(ids).items()}
            spent = store.new_cards_since(srs.day_start(now, tz))
            board.drill_summary = store.drill_summary()
            board.last_mock = store.latest_mock_session(complete_only=True)
    end = srs.day_end(now, tz)
    board.due = sum(1 for s in states.values() if srs.is_due(s, now, end))
    board.new = len(ids - states.keys())
    board.new_today = min(board.new, max(0, srs.DEFAULT_NEW_PER_DAY - spent))
    from tfprep.cli.today import plan_for_today

    if store is not None:
        with Store.open_existing(paths) as again:  # the plan reads the drills' schedules and the study loop
            saved = again.day_session(srs.local_date(now, tz).isoformat())
            board.plan = plan_for_today(
                again,
                now=now,
                tz=tz,
                cards_due=board.due,
                cards_new=board.new_today,
                skipped=saved.state.get("skipped", []) if saved else (),
            )
    else:
        board.plan = plan_for_today(None, now=now, tz=tz, cards_due=board.due, cards_new=board.new_today)
    try:
        from tfprep.content import drills_dir

        folders = [p for p in drills_dir().iterdir() if (p / "drill.toml").is_file()]
        board.drills = len(folders)
        for p in folders:
            board.drill_summary.setdefault(p.name, {"status": "new", "best_time": None, "attempts": 0})
    except (TfprepError, OSError):
        pass
    return board


def show_dashboard() -> None:
    from rich.console import Console
    from rich.text import Text

    from tfprep.cli.quiz import local_tz
    from tfprep.i18n import tr
    from tfprep.ui.today import plan_lines

    board = collect()
    c = Console(highlight=False)
    c.print(Text.assemble(("tfprep", "bold cyan"), " — ", tr("Transformer / LLM interview coach")))

    def row(label: str, body: Text | str) -> None:
        from rich.table import Table

        # a grid, not padding: a line too long for the terminal wraps under its text, not under the label
        grid = Table.grid(padding=(0, 1))
        grid.add_column(min_width=7, no_wrap=True, style="bold")
        grid.add_column()
        grid.add_row(label, body if isinstance(body, Text) else Text(body))
        c.print(grid)

    if board.bank_error:
        row(tr("cards"), Text(board.bank_error, style="yellow"))
    else:
        row(
            tr("cards"),
            tr(
                "{due} due today · {new_today} new for today ({new} unseen of {cards}, {lang} banks)",
                due=board.due,
                new_today=board.new_today,
                new=board.new,
                cards=board.cards,
                lang=board.lang,
            ),
        )
    if board.drills or board.drill_summary:
        total = max(board.drills, len(board.drill_summary))
        row(
            tr("drills"),
            tr(
                "{due} due today · {solved} solved · {attempted} attempted · {total} in all",
                due=board.drills_due,
                solved=board.solved,
                attempted=board.attempted,
                total=total,
            ),
        )
    if board.last_mock is not None:
        m = board.last_mock
        weak = board.weak_topics()
        line = tr(
            "last round {round} ({date}): score {score}",
            round=m.round,
            date=f"{m.started_at:%Y-%m-%d}",
            score="—" if m.score is None else f"{m.score:g}",
        )
        if weak:
            line += " · " + tr("weak: {topics}", topics=", ".join(topic_name(t) for t, _ in weak))
        row(tr("mock"), line)
    if board.plan is not None and not board.plan.empty:
        from tfprep.ui.today import fmt_minutes

        row(
            tr("today"),
            Text(tr("suggested order, {time} in all:", time=fmt_minutes(board.plan.total_seconds))),
        )
        from rich.padding import Padding

        for line in plan_lines(board.plan, local_tz(), board.now):
            c.print(Padding(line, (0, 0, 0, 6)))
    command, why = board.suggestion()
    row(tr("next"), Text.assemble((command, "bold green"), "  ", (tr("({why})", why=why), "dim")))
    c.print(Text(tr("tfprep --help for every command"), style="dim"))
