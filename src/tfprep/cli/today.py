"""`tfprep today`: the day's session — due cards through the quiz, then due drills graded warm — resumable.

The plan (`plan_for_today`) is also what the dashboard shows. Where the session is lives in the store
(`day_sessions`): stop with `q` (or end of input) and `tfprep today` resumes — the reviews already made are
saved as they happen, skipped drills stay skipped for the day.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tfprep.cli.app import app
from tfprep.cli.common import console, paths, pick_lang

if TYPE_CHECKING:
    from datetime import tzinfo

    from tfprep.day_plan import DayPlan, DrillStep
    from tfprep.store import Store

POLL_S = 0.3  # how often an interactive drill step looks at the file
CARD_TIMES_WINDOW = timedelta(days=60)  # card reviews whose durations estimate the time per card


def drill_facts(store: Store, now: datetime, drills: tuple) -> dict[str, Any]:
    """What the drill plan needs from the store: schedules, the study loop's focus, solve times, practices
    under way."""
    from tfprep import drill_schedule as ds
    from tfprep.cli.studyloop import study_focus
    from tfprep.practice import drill_states

    attempts = store.attempts()
    events = store.drill_events()
    reviews = store.drill_reviews()
    solve_times: dict[str, list[float]] = {}  # the time to each accepted attempt (since its starter)
    for a in attempts:
        if a.solved and a.duration_s:
            solve_times.setdefault(a.drill, []).append(a.duration_s)
    started = {
        d.slug
        for d in drills
        if (p := ds.practice_of(d.slug, attempts, events, reviews)).open and p.started_at is not None
    }
    latest: dict[str, Any] = {}
    for a in attempts:
        latest[a.drill] = a
    return {
        "failed": {slug for slug, a in latest.items() if not a.solved},
        "states": drill_states(store),
        "focus": study_focus(store, now, drills),
        "solve_times": solve_times,
        "started": started,
    }


def plan_for_today(
    store: Store | None,
    *,
    now: datetime,
    tz: tzinfo | None,
    cards_due: int,
    cards_new: int,
    skipped: list[str] | tuple = (),
) -> DayPlan:
    """The plan of the day from the store (None: no database yet) and the card counts."""
    from tfprep import day_plan, srs
    from tfprep.cli.studyloop import all_drills

    drills = all_drills()
    if store is None:
        return day_plan.plan_day(cards_due=cards_due, cards_new=cards_new, card_durations_ms=(), drills=[])
    facts = drill_facts(store, now, drills)
    steps = day_plan.plan_drills(
        drills,
        facts["states"],
        now,
        srs.day_end(now, tz),
        focus=facts["focus"],
        solve_times=facts["solve_times"],
        started=facts["started"],
        skipped=skipped,
        failed=facts["failed"],
    )
    durations = [r.duration_ms for r in store.reviews(since=now - CARD_TIMES_WINDOW)]  # the recent pace
    return day_plan.plan_day(
        cards_due=cards_due, cards_new=cards_new, card_durations_ms=durations, drills=steps
    )


def focus_first(items: list, focus: Any) -> list:
    """The study loop on due cards too: among the due cards, those of the focus tags (failed or given-up
    drills, weak mock topics) first, the most overdue first otherwise; new cards stay after them (their
    order is already `related_first`)."""
    due = [i for i in items if i.kind == "due"]
    rest = [i for i in items if i.kind != "due"]
    if focus:
        due.sort(key=lambda i: -focus.boost(i.card.tags)[0])  # stable: keeps the overdue order within a boost
    return due + rest


@app.command("today")
def today_command(
    lang: str = typer.Option(
        None, "--lang", metavar="zh|en", help="Cards and UI in zh or en (default from $LANG)."
    ),
    new: int = typer.Option(
        20, "--new", metavar="N", help="New cards allowed per day (as in `tfprep quiz`)."
    ),
    plan_only: bool = typer.Option(False, "--plan", help="Show today's plan and exit."),
    as_json: bool = typer.Option(False, "--json", help="With --plan: print the plan as JSON."),
) -> None:
    """Today's session: due cards (the quiz), then due drills graded warm each time you save, then a summary.

    The plan comes first: cards due and new, drills due (most overdue first, those the study loop points at
    — failed drills, weak mock topics — before them), each with an estimated time. A due drill starts from
    a blank starter (your previous file is kept in $TFPREP_HOME/backups) and is rated from what tfprep sees:
    first grade, no hint, within the expected time → Good (Easy within half), else Hard; `x` gives up → Again.

    Keys during a drill: save the file to grade · Enter grade now · h hint · s skip for today · x give up ·
    q stop. `q` (or end of input) stops the session; `tfprep today` resumes it. When stdin is not a terminal
    each line is one action (`g`, `h`, `s`, `x`, `q`; the quiz's keys during the cards).

    `--plan --json` keys: day, cards_due, cards_new, card_minutes, drills [{drill, kind (due | focus), due,
    minutes, reason, started}], total_minutes.

    Examples: `tfprep today`, `tfprep today --plan --json`, `tfprep today --lang zh --new 10`
    """
    from tfprep import srs
    from tfprep.cli.quiz import load_cards, local_tz
    from tfprep.cli.studyloop import related_first, study_focus
    from tfprep.errors import TfprepError
    from tfprep.i18n import tr
    from tfprep.store import Store

    lang = pick_lang(lang)
    if new < 0:
        raise TfprepError(tr("--new must be 0 or more (got {n}).", n=new))
    if as_json and not plan_only:
        raise TfprepError(tr("--json goes with --plan: `tfprep today --plan --json`."))
    now = datetime.now(UTC)
    tz = local_tz()
    day = srs.local_date(now, tz).isoformat()
    cards, _warnings = load_cards(None, lang)
    if plan_only and not paths().db.exists():  # a plan reads only: no database is created for it
        queue = srs.build_queue(cards, {}, now, end_of_day=srs.day_end(now, tz), new_left=new)
        plan = plan_for_today(None, now=now, tz=tz, cards_due=0, cards_new=queue.new)
        _show_plan(plan, day, as_json, tz)
        return
    with Store.open(paths()) as store:
        saved = store.day_session(day)
        state: dict[str, Any] = dict(saved.state) if saved else {}
        state.setdefault("skipped", [])
        started_at = saved.started_at if saved else now
        cards = related_first(cards, store, now)  # the study loop: related new cards first
        states = {cid: srs.state_from_json(js) for cid, js in store.card_states(c.id for c in cards).items()}
        new_left = max(0, new - store.new_cards_since(srs.day_start(now, tz)))
        queue = srs.build_queue(cards, states, now, end_of_day=srs.day_end(now, tz), new_left=new_left)
        queue.items = focus_first(queue.items, study_focus(store, now))
        plan = plan_for_today(
            store, now=now, tz=tz, cards_due=queue.due, cards_new=queue.new, skipped=state["skipped"]
        )
        out = console()
        if plan_only:
            _show_plan(plan, day, as_json, tz)
            return
        if saved is not None and saved.ended_at is not None and plan.empty:  # done for today: say so again
            from tfprep.ui.today import print_plan

            print_plan(out, plan, tz)
            _summary(store, out, started_at, state, tz, left=0)
            return
        _run(store, out, day, started_at, saved is not None, state, queue, states, plan, lang, tz)


def _show_plan(plan: DayPlan, day: str, as_json: bool, tz: tzinfo | None) -> None:
    if as_json:
        import json

        typer.echo(json.dumps({"day": day, **plan.to_json()}, ensure_ascii=False, indent=2))
        return
    from tfprep.ui.today import print_plan

    print_plan(console(), plan, tz)


def _run(store, out, day, started_at, resumed, state, queue, states, plan, lang, tz) -> None:  # noqa: ANN001
    from rich.text import Text

    from tfprep import srs
    from tfprep.i18n import tr
    from tfprep.ui.today import input_for, print_plan

    if resumed:
        local = started_at.astimezone(tz or UTC)
        out.print(
            Text(tr("resuming today's session (started at {start})", start=f"{local:%H:%M}"), style="cyan")
        )
    print_plan(out, plan, tz)

    def save(ended: bool = False) -> None:
        now = datetime.now(UTC)
        store.save_day_session(
            day, started_at=started_at, updated_at=now, state=state, ended_at=now if ended else None
        )

    save()
    if queue.items:
        from tfprep.ui import keys
        from tfprep.ui.quiz import QuizSession

        state["phase"] = "cards"
        session = QuizSession(
            queue=queue,
            states=states,
            scheduler=srs.make_scheduler(),
            store=store,
            console=out,
            reader=keys.reader_for(sys.stdin),
            tz=tz,
            title=tr("today"),
        )
        result = session.run()
        if not result.finished:
            save()
            _summary(store, out, started_at, state, tz, left=result.left + len(plan.drills))
            return
    state["phase"] = "drills"
    save()
    if plan.drills:
        from tfprep.grading.judges import WarmPool

        pool = WarmPool()
        try:
            with input_for(sys.stdin) as keys_in:
                for i, step in enumerate(plan.drills):
                    outcome = _drill_step(store, out, step, i, len(plan.drills), keys_in, pool, lang, tz)
                    if outcome == "skip":
                        state["skipped"] = sorted({*state["skipped"], step.slug})
                        save()
                    elif outcome == "quit":
                        save()
                        _summary(store, out, started_at, state, tz, left=len(plan.drills) - i)
                        return
        finally:
            pool.close()
    state["phase"] = "done"
    save(ended=True)
    _summary(store, out, started_at, state, tz, left=0)


def _drill_step(store, out, step: DrillStep, index: int, total: int, keys_in, pool, lang: str, tz) -> str:  # noqa: ANN001
    """One drill: a starter (blank when due), the statement, then grade on save / on a key until it is rated,
    skipped, given up or the session stops. Returns "rated", "skip" or "quit"."""
    from rich.rule import Rule
    from rich.text import Text

    from tfprep.cli.drill import reveal_hint, start_drill
    from tfprep.cli.grade import grade_once
    from tfprep.errors import SubmissionError
    from tfprep.grading.drills import find_drill
    from tfprep.i18n import tr
    from tfprep.practice import give_up
    from tfprep.ui.grade import render_result
    from tfprep.ui.markdown import markdown
    from tfprep.ui.quiz import when
    from tfprep.ui.today import GIVE_UP, GRADE, HINT, QUIT, SKIP, drill_keys, review_line

    d = find_drill(step.slug)
    out.print(
        Rule(
            Text(f" {tr('drill')} {index + 1}/{total} · {d.slug} · {d.title(lang)} ", style="bold"),
            style="magenta",
        )
    )
    target = start_drill(d)

    def snapshot() -> bytes | None:
        try:
            return Path(target).read_bytes()
        except OSError:
            return None

    graded = snapshot()  # taken before anything is shown: the starter is graded once it changes (or on a key)
    out.print(markdown(d.prompt(lang)))
    out.print(Text(tr("edit {path}", path=target), style="bold"))
    out.print(Text(drill_keys(keys_in.interactive), style="dim"))

    while True:
        action = keys_in.read(POLL_S)
        if action is None:  # interactive timeout: grade when the file's bytes changed
            current = snapshot()
            if current is None or current == graded:
                continue
            action = GRADE
        if action == QUIT:
            return "quit"
        if action == SKIP:
            out.print(Text(tr("skipped {drill} for today", drill=d.slug), style="yellow"))
            return "skip"
        if action == GIVE_UP:
            review = give_up(store, d.slug, datetime.now(UTC))
            out.print(
                Text(
                    tr(
                        "gave up {drill}: rated Again — it comes back {when}, from a blank starter.",
                        drill=d.slug,
                        when=when(review.due, datetime.now(UTC), tz),
                    ),
                    style="red",
                )
            )
            return "rated"
        if action == HINT:
            out.print(reveal_hint(d, lang, store))
            continue
        if action != GRADE:
            out.print(Text(drill_keys(keys_in.interactive), style="dim"))
            continue
        graded = snapshot()
        try:
            result, review = grade_once(d, Path(target), None, lang, runner=pool.run)
        except SubmissionError as exc:
            out.print(Text(str(exc), style="red"))
            continue
        render_result(out, result, lang, title=d.title(lang))
        if not result.accepted:
            out.print(Text(tr("fix it and save again"), style="dim"))
            continue
        if review is not None:
            out.print(review_line(review))
        return "rated"


def srs_due(state_json: str) -> datetime:
    from tfprep import srs

    return srs.state_from_json(state_json).due


def _summary(store, out, started_at: datetime, state: dict, tz, left: int) -> None:  # noqa: ANN001
    from tfprep import srs
    from tfprep.practice import drill_states
    from tfprep.ui.today import DaySummary, print_summary

    now = datetime.now(UTC)
    reviews = store.reviews(since=started_at)
    s = DaySummary(
        started_at=started_at,
        card_reviews=len(reviews),
        card_again=sum(1 for r in reviews if r.rating == srs.AGAIN),
        cards=len({r.card_id for r in reviews}),
        drills=[
            {
                "drill": r.drill,
                "rating": r.rating,
                "reason": r.reason,
                "solve_s": r.solve_s,
                "due": srs_due(r.state_after),
            }
            for r in store.drill_reviews(since=started_at)
        ],
        skipped=list(state.get("skipped", [])),
        finished=left == 0,
        left=left,
    )
    card_dues = [c.due for c in store.cards() if c.due > now]
    drill_dues = [st.due for st in drill_states(store).values() if st.due > now]
    s.next_card = min(card_dues) if card_dues else None
    s.next_drill = min(drill_dues) if drill_dues else None
    print_summary(out, s, now, tz)
