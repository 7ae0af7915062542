"""`tfprep mock` (a timed mock interview round) and `tfprep history` (past rounds and their scorecards).

Heavy imports (the banks' parser, fsrs, the grader) stay inside the commands: `tfprep --help` stays quick.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tfprep.cli.app import app
from tfprep.errors import NotFoundError, TfprepError

if TYPE_CHECKING:
    from tfprep.mock import Round, StudyFocus
    from tfprep.store import Store

DEFAULT_ROUND = "general-45"


# ---------------------------------------------------------------------------------------------------------
# rounds on disk


def rounds_dir() -> Path:
    from tfprep.content import questions_dir

    return questions_dir() / "rounds"


def read_round(path: Path) -> Round:
    from tfprep.mock import RoundError, parse_round

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(
            f"{path}: no such round file; check the path or see `tfprep mock --list`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RoundError(f"{path}: cannot read it ({exc}); save it as UTF-8 text") from None
    return parse_round(text, id=path.stem, source=str(path))


def round_files() -> list[Path]:
    d = rounds_dir()
    return sorted(d.glob("*.toml")) if d.is_dir() else []


def find_round(name: str) -> Round:
    """A built-in round by id, or a round file by path (`./my-round.toml`)."""
    if name.endswith(".toml") or os.sep in name or "/" in name:
        return read_round(Path(name).expanduser())
    files = {p.stem: p for p in round_files()}
    key = name.strip().lower()
    if key in files:
        return read_round(files[key])
    import difflib

    close = difflib.get_close_matches(key, list(files), n=2, cutoff=0.4)
    close += [k for k in files if key and key in k and k not in close]
    hint = f"; did you mean {' or '.join(close[:2])}?" if close else ""
    raise NotFoundError(f"no round named {name!r}{hint} (see `tfprep mock --list`)")


def all_drills() -> tuple:
    from tfprep.grading.drills import all_drills as _all

    try:
        return _all()
    except (TfprepError, KeyError, TypeError, ValueError):  # a broken drill.toml: `tfprep check` reports it
        return ()


# ---------------------------------------------------------------------------------------------------------
# the study loop: what the store says about the user


def study_focus(store: Store, now: datetime, drills: tuple | None = None) -> StudyFocus:
    """Tags to bring forward: failed or slow drills (by their drill.toml tags) and weak topics of recent mock
    rounds (see `tfprep.mock.study_focus`). Reads only; cheap enough for every quiz."""
    from tfprep import mock

    drills = all_drills() if drills is None else drills
    since = now - mock.RECENT
    attempts = [a for a in store.attempts() if a.created_at >= since]
    sessions = store.mock_sessions_since(since)
    focus = mock.study_focus(attempts, drills, sessions, now)
    from tfprep.drill_schedule import focus_on_lapses  # drills given up feed the loop too

    return focus_on_lapses(focus, store.drill_reviews(since=since), drills, now, mock.RECENT)


def related_first(cards: list, store: Store, now: datetime) -> list:
    """The cards with those related to failed/slow drills and weak mock topics first (for the quiz's new cards)."""
    from tfprep.mock import prefer_related

    return prefer_related(cards, study_focus(store, now))


# ---------------------------------------------------------------------------------------------------------
# tfprep mock


def show_rounds(lang: str) -> None:
    from rich.table import Table

    from tfprep.cli.common import console
    from tfprep.mock import RoundError

    slugs = {d.slug for d in all_drills()}
    table = Table(title="Mock rounds" if lang == "en" else "模拟面试", title_justify="left")
    table.add_column("round", no_wrap=True, style="bold")
    table.add_column("min", justify="right")
    table.add_column("questions", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    rounds = []
    for path in round_files():
        try:
            rounds.append(read_round(path))
        except RoundError as exc:
            table.add_row(path.stem, "—", "—", f"[red]{exc}[/]")
    for r in sorted(rounds, key=lambda r: (r.order, r.id)):
        counts = r.counts()
        missing = sorted({s.drill for s in r.slots if s.drill and s.drill not in slugs})
        about = f"{r.title(lang)}\n[dim]{r.description(lang)}[/]" if r.description(lang) else r.title(lang)
        if missing:
            about += f"\n[yellow]needs drill {', '.join(missing)}, not installed yet[/]"
        table.add_row(
            r.id, str(r.duration), f"{counts['concept']} concept · {counts['coding']} coding", about
        )
    out = console()
    out.print(table)
    out.print(
        f"start one: [bold]tfprep mock {DEFAULT_ROUND}[/]  ·  yours: [bold]tfprep mock ./my-round.toml[/]"
    )


def _check_report_path(path: Path | None) -> Path | None:
    if path is None:
        return None
    path = path.expanduser()
    if path.is_dir():
        raise TfprepError(f"--json-report {path} is a folder; give a file name, e.g. {path / 'report.json'}")
    if not path.parent.is_dir():
        raise TfprepError(
            f"--json-report: folder {path.parent} does not exist; create it or choose another path"
        )
    return path


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@app.command("mock")
def mock_command(
    round_name: str = typer.Argument(
        None,
        metavar="[ROUND]",
        help=f"A round (see --list) or a round .toml file. Default: {DEFAULT_ROUND}.",
        show_default=False,
    ),
    list_rounds: bool = typer.Option(False, "--list", "-l", help="List the rounds and exit."),
    minutes: int = typer.Option(
        None, "--minutes", "-m", metavar="N", help="Time limit in minutes. Default: the round's duration."
    ),
    lang: str = typer.Option(
        None, "--lang", metavar="zh|en", help="Questions in zh or en. Default: from $LANG."
    ),
    seed: int = typer.Option(
        None,
        "--seed",
        metavar="N",
        help="Replay a round: the same seed (and history) asks the same questions.",
    ),
    json_report: Path = typer.Option(
        None, "--json-report", metavar="PATH", help="Also write the scorecard as JSON to this file."
    ),
) -> None:
    """Play a timed mock interview round: concept questions, then coding drills, then a scorecard.

    Concept question: type your answer (several lines; an **empty line** or Ctrl-D ends it), then read the
    reference answer with the card's key points you covered ✓ and missed ✗, then score yourself **1**-**4**
    (this also schedules the card, as in `tfprep quiz`). Coding question: the drill's starter is written into
    the session folder (path shown); edit it in your editor, **Enter** grades it (again and again — the last
    verdict counts), **s** moves on, **e** opens $EDITOR. The header shows the time left; when it runs out the
    current question closes and the rest are unanswered. **Ctrl-C** saves what you did as an incomplete
    session. Answers are saved to the session folder as you type them.

    Concept questions prefer your weak cards (recent Again, low stability), due cards and the topics of your
    failed drills. Scorecard: per question score, time and verdict; the overall score; weak topics; what to
    practise next — saved in `tfprep history`, as scorecard.md in the session folder, and with
    `--json-report` as JSON. When stdin is not a terminal, each line is one action.

    Examples: `tfprep mock --list`, `tfprep mock bytedance-1 --lang zh`, `tfprep mock kuaishou-2 --minutes 30 --seed 7`
    """
    from tfprep.cli.common import pick_lang

    lang = pick_lang(lang.lower() if lang else None)
    if list_rounds:
        show_rounds(lang)
        return
    if minutes is not None and not (1 <= minutes <= 600):
        raise TfprepError(f"--minutes must be between 1 and 600 (got {minutes})")
    report_path = _check_report_path(json_report)
    play(
        find_round(round_name or DEFAULT_ROUND),
        lang=lang,
        minutes=minutes,
        seed=seed,
        report_path=report_path,
    )


def play(
    round: Round, *, lang: str, minutes: int | None, seed: int | None, report_path: Path | None
) -> dict[str, Any]:
    import random
    import sys

    from tfprep import mock, srs
    from tfprep.cli.common import console, paths
    from tfprep.cli.quiz import load_cards, local_tz
    from tfprep.store import Store
    from tfprep.ui.mock import Hooks, RoundRunner, input_for, plain_math, render_scorecard

    def plain_point(text: str) -> str:
        return plain_math(text, delimited=False)

    out = console()
    cards, _warnings = load_cards(None, lang)
    drills = all_drills()
    seed = random.SystemRandom().randrange(1, 1_000_000) if seed is None else seed
    tz = local_tz()
    now = datetime.now(UTC)
    p = paths()
    with Store.open(p) as store:
        ids = [c.id for c in cards]
        states = {cid: srs.state_from_json(js) for cid, js in store.card_states(ids).items()}
        health = mock.card_health(states, store.last_ratings(), now, srs.day_end(now, tz))
        summary = store.drill_summary()
        drill_status = {slug: s["status"] for slug, s in summary.items()}
        focus = study_focus(store, now, drills)
        plan = mock.plan_round(
            round,
            cards=cards,
            drills=drills,
            lang=lang,
            seed=seed,
            health=health,
            focus=focus,
            drill_status=drill_status,
            minutes=minutes,
        )
        started = datetime.now(UTC)
        taken = {s.id for s in store.mock_sessions()}
        p.sessions.mkdir(parents=True, exist_ok=True)
        taken |= {d.name for d in p.sessions.iterdir()}
        sid = mock.session_id(started.astimezone(tz), round.id, taken)
        folder = p.sessions / sid
        folder.mkdir(parents=True)
        _write_atomic(folder / "plan.json", json.dumps(plan.to_json(), ensure_ascii=False, indent=1))

        builtin = Path(round.source).parent.resolve() == rounds_dir().resolve() if round.source else True
        round_ref = round.id if builtin else str(Path(round.source).resolve())
        by_id = {c.id: c for c in cards}
        by_slug = {d.slug: d for d in drills}
        scheduler = srs.make_scheduler()

        def report_of(
            outcomes: list[mock.Outcome], ended_by: str, ended_at: datetime | None
        ) -> dict[str, Any]:
            return mock.build_report(
                plan,
                outcomes,
                session_id=sid,
                started_at=started,
                ended_at=ended_at,
                ended_by=ended_by,
                folder=str(folder),
                drills=drills,
                drill_status=drill_status,
                round_ref=round_ref,
            )

        def save(report: dict[str, Any], final: bool) -> None:
            store.save_mock_session(
                sid,
                round=round.id,
                lang=lang,
                started_at=started,
                ended_at=datetime.fromisoformat(report["ended_at"]) if report["ended_at"] else None,
                complete=bool(report["complete"]),
                score=report["score"],
                report=report,
            )
            _write_atomic(folder / "session.json", json.dumps(report, ensure_ascii=False, indent=1))
            if final:
                _write_atomic(folder / "scorecard.md", mock.scorecard_markdown(report, plain_point))
                if report_path is not None:
                    try:
                        _write_atomic(report_path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
                    except OSError as exc:
                        out.print(f"[red]could not write {report_path}: {exc.strerror or exc}[/]")

        from tfprep.ui.quiz import RATING_STYLE, QuizSession, when

        quiz = QuizSession(
            queue=srs.Queue(),
            states=states,
            scheduler=scheduler,
            store=store,
            console=out,
            reader=None,  # type: ignore[arg-type] - only rate() is used
            tz=tz,
        )

        def rate(card: Any, rating: int, duration_ms: int | None) -> str:
            item = srs.QueueItem(card, "mock")
            quiz.items = [item]
            quiz.rate(item, rating, duration_ms)  # the quiz's own path: FSRS + one store transaction
            quiz.items = []
            due = quiz.states[card.id].due
            name = f"[{RATING_STYLE[rating]}]{srs.RATING_NAMES[rating]}[/]"
            return f"{name} — next review {when(due, datetime.now(UTC), tz)}"

        def labels(card: Any) -> str:
            return srs.rating_labels(srs.preview(scheduler, quiz.states.get(card.id), datetime.now(UTC)))

        pool = None
        if any(q.kind == "coding" for q in plan.questions):
            pool = _warm_pool({by_slug[q.ref].framework for q in plan.questions if q.kind == "coding"})

        def grade(drill: Any, source: str) -> Any:
            from tfprep.grading.service import grade_source

            return grade_source(drill, source, seed=None, lang=lang, runner=pool.run if pool else None)

        def record(drill: Any, path: Path, source: str, result: Any, seconds: float) -> None:
            from tfprep.cli.grade import record as record_attempt

            record_attempt(drill, path, source, result, duration_s=seconds)

        def editor(path: Path) -> bool:
            from tfprep.cli.drill import open_editor

            return open_editor(path)

        runner = RoundRunner(
            plan,
            cards=by_id,
            drills=by_slug,
            console=out,
            input=input_for(sys.stdin),
            folder=folder,
            clock=lambda: datetime.now(UTC),
            started_at=started,
            hooks=Hooks(
                grade=grade,
                record=record,
                rate=rate,
                labels=labels,
                save=save,
                report=report_of,
                open_editor=editor,
            ),
        )
        intro(out, plan, round, folder)
        try:
            report = runner.run()
        except (KeyboardInterrupt, SystemExit):
            if runner.report is not None:
                out.print()
                render_scorecard(out, runner.report, saved=folder / "scorecard.md")
                out.print(f"[yellow]saved as an incomplete session:[/] tfprep history show {sid}")
            raise
        finally:
            if pool is not None:
                pool.close()
    out.print()
    render_scorecard(out, report, saved=folder / "scorecard.md")
    if report_path is not None:
        out.print(f"[dim]JSON report: {report_path}[/]", soft_wrap=True)
    return report


def intro(out: Any, plan: Any, round: Round, folder: Path) -> None:
    from rich.text import Text

    counts = round.counts()
    out.print(Text(f"{plan.title}", style="bold cyan"))
    desc = round.description(plan.lang)
    if desc:
        out.print(Text(desc, style="dim"))
    out.print(
        Text(
            f"{len(plan.questions)} questions ({counts['concept']} concept, {counts['coding']} coding) · "
            f"{plan.minutes} min · seed {plan.seed} · Ctrl-C saves and stops",
            style="dim",
        )
    )
    out.print(Text(f"session folder: {folder}", style="dim"), soft_wrap=True)


def _warm_pool(frameworks: set[str]) -> Any:
    """A warm grading pool, its judges started now (they import torch while you answer the first questions)."""
    import contextlib

    from tfprep.grading.judges import WarmJudge, WarmPool

    pool = WarmPool()
    for fw in sorted(frameworks):
        with contextlib.suppress(OSError):  # not started: WarmPool starts it on first use
            pool.judges[fw] = WarmJudge(fw)
    return pool


# ---------------------------------------------------------------------------------------------------------
# tfprep history

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
        "answered": report.get("answered", sum(1 for q in questions if q.get("status") != "unanswered")),
        "questions": len(questions),
        "weak_topics": report.get("weak_topics", []),
        "folder": report.get("folder", ""),
    }


def _sessions() -> list:
    from tfprep.cli.common import paths
    from tfprep.store import Store

    store = Store.open_existing(paths())
    if store is None:
        return []
    with store:
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
        raise NotFoundError(f"no mock session {key!r}: there are none yet; play one with `tfprep mock`")
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
            f"{key!r} matches {len(prefix)} sessions ({', '.join(m.id for m in prefix[:3])}, …); give more of the id"
        )
    raise NotFoundError(f"no mock session {key!r}; `tfprep history` lists the ids")


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
