"""`tfprep history`: past mock rounds and their scorecards. A session whose process died (its terminal was
closed, the machine slept and the process was killed…) is marked *interrupted* the next time tfprep looks
(`reconcile`), instead of staying "running" forever."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer

from tfprep.cli.app import app
from tfprep.errors import NotFoundError
from tfprep.i18n import tr

STALE_AFTER = timedelta(hours=6)  # past its time limit by this much, a session no process answers for is over


def process_info() -> dict[str, Any]:
    import socket

    return {"pid": os.getpid(), "host": socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: alive
    return True


def is_dead(report: dict[str, Any], started_at: datetime, now: datetime) -> bool:
    """A session saved as running whose process is gone (same machine), or long past its time limit."""
    if report.get("ended_by", "running") != "running":
        return False
    proc = report.get("process") or {}
    if proc.get("host") and proc.get("pid"):
        import socket

        if proc["host"] == socket.gethostname():
            return not _alive(int(proc["pid"]))
    limit = timedelta(minutes=float(report.get("minutes") or 0))
    return now - started_at > limit + STALE_AFTER


def reconcile(store: Any, now: datetime) -> int:
    """Mark the sessions whose process died as interrupted; how many were marked."""
    marked = 0
    for m in store.mock_sessions():
        report = m.report or {}
        if m.complete or not is_dead(report | {"minutes": report.get("minutes", 0)}, m.started_at, now):
            continue
        saved = (report.get("process") or {}).get("saved_at")
        ended = datetime.fromisoformat(saved) if saved else m.started_at
        report = report | {
            "ended_by": "interrupted",
            "ended_at": ended.astimezone(UTC).isoformat(timespec="seconds"),
            "complete": False,
        }
        store.save_mock_session(
            m.id,
            round=m.round,
            lang=m.lang,
            started_at=m.started_at,
            ended_at=ended,
            complete=False,
            score=m.score,
            report=report,
        )
        marked += 1
    return marked


history_app = typer.Typer(
    name="history",
    invoke_without_command=True,
    rich_markup_mode="markdown",
)
app.add_typer(history_app, name="history")


def _row(m: Any) -> dict[str, Any]:
    report = m.report or {}
    questions = report.get("questions", [])
    return {
        "id": m.id,
        "round": m.round,
        "title": report.get("title", m.round),
        "lang": m.lang,
        "started_at": m.started_at.isoformat(),
        "ended_at": None if m.ended_at is None else m.ended_at.isoformat(),
        "score": m.score,
        "complete": m.complete,
        "ended_by": report.get("ended_by", "finished" if m.complete else "running"),
        "status": _status(m.complete, report.get("ended_by", "finished" if m.complete else "running")),
        "answered": report.get("answered", sum(1 for q in questions if q.get("status") != "unanswered")),
        "questions": len(questions),
        "weak_topics": report.get("weak_topics", []),
        "folder": report.get("folder", ""),
    }


def _status(complete: bool, ended_by: str) -> str:
    """complete | interrupted (Ctrl-C, or its process died) | incomplete (ended early) | running."""
    if complete:
        return "complete"
    return {"interrupted": "interrupted", "running": "running"}.get(ended_by, "incomplete")


def _sessions() -> list:
    from tfprep.cli.common import paths
    from tfprep.store import Store

    store = Store.open_existing(paths())
    if store is None:
        return []
    with store:
        reconcile(store, datetime.now(UTC))
        return store.mock_sessions()


@history_app.callback(invoke_without_command=True)
def history_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help='Print one JSON object: {"sessions": [...]}.'),
) -> None:
    """List past mock sessions, most recent first: date, round, score, complete or not.

    Examples: `tfprep history`, `tfprep history --json`, `tfprep history show 20240501-093012-bytedance-1`
    """
    if ctx.invoked_subcommand is not None:
        return
    rows = [_row(m) for m in _sessions()]
    if as_json:
        print(json.dumps({"sessions": rows}, ensure_ascii=False, indent=1))
        return
    from tfprep.cli.common import console
    from tfprep.cli.quiz import local_tz
    from tfprep.ui.mock import render_history

    render_history(console(), rows, local_tz())


def find_session(key: str, sessions: list) -> Any:
    """A session by id, by a unique id prefix, or `last`."""
    if not sessions:
        raise NotFoundError(
            tr("no mock session {key}: there are none yet; play one with `tfprep mock`", key=repr(key))
        )
    if key in ("last", "latest"):
        return sessions[0]
    exact = [m for m in sessions if m.id == key]
    if exact:
        return exact[0]
    prefix = [m for m in sessions if m.id.startswith(key)] if key else []
    if len(prefix) == 1:
        return prefix[0]
    if len(prefix) > 1:
        raise NotFoundError(
            tr(
                "{key} matches {n} sessions ({ids}, …); give more of the id",
                key=repr(key),
                n=len(prefix),
                ids=", ".join(m.id for m in prefix[:3]),
            )
        )
    raise NotFoundError(tr("no mock session {key}; `tfprep history` lists the ids", key=repr(key)))


@history_app.command("show")
def history_show(
    session: str = typer.Argument(
        ..., metavar="ID", help="A session id (or a unique prefix of it, or `last`)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the stored report as JSON."),
) -> None:
    """Show the scorecard of a past mock session.

    Examples: `tfprep history show last`, `tfprep history show 20240501-093012-bytedance-1 --json`
    """
    m = find_session(session, _sessions())
    from tfprep.ui.mock import complete_report

    stored = {
        "id": m.id,
        "round": m.round,
        "lang": m.lang or "en",
        "score": m.score,
        "ended_by": "finished" if m.complete else "running",
        "complete": m.complete,
        "started_at": m.started_at.isoformat(),
    }
    report = complete_report(stored | (m.report or {}))
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    from tfprep.cli.common import console
    from tfprep.ui.mock import render_scorecard

    folder = report.get("folder")
    card = Path(folder) / "scorecard.md" if folder else None
    render_scorecard(console(), report, saved=card if card and card.exists() else None)
