"""`tfprep mock`: a timed mock interview round, played in the terminal, ending with a scorecard.

Heavy imports (the banks' parser, fsrs, the grader, the Chinese segmenter) stay inside the command:
`tfprep --help` stays quick. Round files and concept data: cli/mock_content.py; history: cli/history.py.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tfprep.cli.app import app
from tfprep.cli.mock_content import DEFAULT_ROUND, find_round, rounds_dir, show_rounds
from tfprep.cli.studyloop import all_drills, related_first, study_focus  # noqa: F401 - cli.today, cli.stats use them here
from tfprep.errors import TfprepError
from tfprep.i18n import tr

if TYPE_CHECKING:
    from tfprep.mock import Round


def _check_report_path(path: Path | None) -> Path | None:
    if path is None:
        return None
    path = path.expanduser()
    if path.is_dir():
        raise TfprepError(
            tr(
                "--json-report {path} is a folder; give a file name, e.g. {file}",
                path=path,
                file=path / "report.json",
            )
        )
    if not path.parent.is_dir():
        raise TfprepError(
            tr(
                "--json-report: folder {folder} does not exist; create it or choose another path",
                folder=path.parent,
            )
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
    reference answer with the card's key points: covered ✓, **check yourself** ? (press **y** or **n** for
    each), contradicted ✗!, missed ✗; then score yourself **1**-**4** (this also schedules the card, as in
    `tfprep quiz`). An empty answer scores 0. Coding question: the drill's starter is written into the session
    folder (path shown); edit it, **Enter** grades it (the last verdict counts), **h** gives a hint (counted on
    the scorecard), **s** moves on, **e** opens $EDITOR. A coding question may be a chain of follow-ups ("now
    add a mask"): an accepted stage leads to the next. A live clock shows the time left; when it runs out the
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
    if list_rounds or round_name in ("list", "ls"):  # `tfprep mock list` is what people type (no such round)
        show_rounds(lang)
        return
    if minutes is not None and not (1 <= minutes <= 600):
        raise TfprepError(tr("--minutes must be between 1 and 600 (got {n})", n=minutes))
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
    from tfprep.cli.history import process_info, reconcile
    from tfprep.cli.mock_content import concept_data
    from tfprep.cli.quiz import load_cards, local_tz
    from tfprep.store import Store
    from tfprep.ui.mock import Hooks, RoundRunner, input_for, plain_math, render_scorecard

    out = console()
    cards, _warnings = load_cards(None, lang)
    drills = all_drills()
    concepts = concept_data()
    seed = random.SystemRandom().randrange(1, 1_000_000) if seed is None else seed
    tz = local_tz()
    now = datetime.now(UTC)
    p = paths()
    with Store.open(p) as store:
        reconcile(store, now)
        ids = [c.id for c in cards]
        states = {cid: srs.state_from_json(js) for cid, js in store.card_states(ids).items()}
        health = mock.card_health(states, store.last_ratings(), now, srs.day_end(now, tz))
        drill_status = {slug: s["status"] for slug, s in store.drill_summary().items()}
        plan = mock.plan_round(
            round,
            cards=cards,
            drills=drills,
            lang=lang,
            seed=seed,
            health=health,
            focus=study_focus(store, now, drills),
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
        by_slug = {d.slug: d for d in drills}
        process = process_info()

        def report_of(
            outcomes: list[mock.Outcome], ended_by: str, ended_at: datetime | None
        ) -> dict[str, Any]:
            report = mock.build_report(
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
            # who is playing it: a later tfprep that finds this process gone marks the session interrupted
            report["process"] = process | {"saved_at": datetime.now(UTC).isoformat(timespec="seconds")}
            return report

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
                plain = lambda text: plain_math(text, delimited=False)  # noqa: E731 - a one-line adapter
                _write_atomic(folder / "scorecard.md", mock.scorecard_markdown(report, plain))
                if report_path is not None:
                    try:
                        _write_atomic(report_path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
                    except OSError as exc:
                        out.print(
                            tr("could not write {path}: {why}", path=report_path, why=exc.strerror or exc)
                        )

        pool = None
        if any(q.kind == "coding" for q in plan.questions):
            pool = _warm_pool({by_slug[d].framework for q in plan.questions for d, _, _ in q.stages})

        def grade(drill: Any, source: str) -> Any:
            from tfprep.grading.service import grade_source

            return grade_source(drill, source, seed=None, lang=lang, runner=pool.run if pool else None)

        def record(drill: Any, path: Path, source: str, result: Any, seconds: float) -> None:
            from tfprep.cli.grade import record as record_attempt

            record_attempt(drill, path, source, result, duration_s=seconds)

        def editor(path: Path) -> bool:
            from tfprep.cli.drill import open_editor

            return open_editor(path)

        rate, labels = _rating_hooks(store, states, out, tz, lang)
        runner = RoundRunner(
            plan,
            cards={c.id: c for c in cards},
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
            concepts=concepts,
        )
        intro(out, plan, round, folder)
        try:
            report = runner.run()
        except (KeyboardInterrupt, SystemExit):
            if runner.report is not None:
                out.print()
                render_scorecard(out, runner.report, saved=folder / "scorecard.md")
                out.print(
                    tr("saved as an incomplete session: tfprep history show {id}", id=sid), style="yellow"
                )
            raise
        finally:
            if pool is not None:
                pool.close()
    out.print()
    render_scorecard(out, report, saved=folder / "scorecard.md")
    if report_path is not None:
        out.print(tr("JSON report: {path}", path=report_path), style="dim", soft_wrap=True)
    return report


def _rating_hooks(store: Any, states: dict, out: Any, tz: Any, lang: str) -> tuple[Any, Any]:
    """rate(card, rating, ms) → feedback, and labels(card): the quiz's own rating path (FSRS + one store
    transaction), so a self-score in a round schedules the card exactly like a quiz rating."""
    from tfprep import srs
    from tfprep.mock.scorecard import rating_name
    from tfprep.ui.quiz import RATING_STYLE, QuizSession, when

    scheduler = srs.make_scheduler()
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
        quiz.rate(item, rating, duration_ms)
        quiz.items = []
        due = quiz.states[card.id].due
        name = f"[{RATING_STYLE[rating]}]{rating_name(lang, rating)}[/]"
        return f"{name} — {tr('next review')} {when(due, datetime.now(UTC), tz)}"

    def labels(card: Any) -> str:
        return srs.rating_labels(srs.preview(scheduler, quiz.states.get(card.id), datetime.now(UTC)))

    return rate, labels


def intro(out: Any, plan: Any, round: Round, folder: Path) -> None:
    from rich.text import Text

    counts = round.counts()
    out.print(Text(f"{plan.title}", style="bold cyan"))
    desc = round.description(plan.lang)
    if desc:
        out.print(Text(desc, style="dim"))
    out.print(
        Text(
            tr(
                "{n} questions ({c} concept, {k} coding) · {m} min · seed {seed} · Ctrl-C saves and stops",
                n=len(plan.questions),
                c=counts["concept"],
                k=counts["coding"],
                m=plan.minutes,
                seed=plan.seed,
            ),
            style="dim",
        )
    )
    out.print(Text(tr("session folder: {path}", path=folder), style="dim"), soft_wrap=True)


def _warm_pool(frameworks: set[str]) -> Any:
    """A warm grading pool, its judges started now (they import torch while you answer the first questions)."""
    import contextlib

    from tfprep.grading.judges import WarmJudge, WarmPool

    pool = WarmPool()
    for fw in sorted(frameworks):
        with contextlib.suppress(OSError):  # not started: WarmPool starts it on first use
            pool.judges[fw] = WarmJudge(fw)
    return pool
