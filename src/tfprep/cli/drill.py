"""`tfprep drill`, `tfprep hint`, `tfprep solution`: start coding drills and get unstuck."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tfprep.cli.app import app
from tfprep.cli.common import ask_yes_no, console, paths, pick_lang
from tfprep.errors import TfprepError
from tfprep.topics import topic_name


def _summary(with_due: bool = False) -> dict:
    """drill slug → its summary in the store (status, best time, attempts); `with_due` adds `due`, whether
    the drill's review comes back today (it loads the scheduler, 40 ms: only the list needs it)."""
    from tfprep.store import Store

    store = Store.open_existing(paths())
    if store is None:
        return {}
    with store:
        summary = store.drill_summary()
        if not summary or not with_due:
            return summary
        from datetime import UTC, datetime

        from tfprep import drill_schedule, srs
        from tfprep.cli.quiz import local_tz
        from tfprep.practice import drill_states

        now = datetime.now(UTC)
        due = set(drill_schedule.due_drills(drill_states(store), now, srs.day_end(now, local_tz())))
    return {slug: s | {"due": slug in due} for slug, s in summary.items()}


def drill_rows(lang: str) -> list[dict]:
    """Every drill, easy to hard: by difficulty, then by its place on the learning path."""
    from tfprep.grading.drills import all_drills

    summary = _summary(with_due=True)
    rows = []
    for d in sorted(all_drills(), key=lambda d: (d.difficulty, d.order, d.slug)):
        s = summary.get(d.slug, {})
        rows.append(
            {
                "name": d.slug,
                "title": d.title(lang),
                "topic": d.topic,
                "difficulty": d.difficulty,
                "framework": d.framework,
                "status": s.get("status", "new"),
                "due": bool(s.get("due")),  # on the review schedule, and it comes back today
                "best_time_s": s.get("best_time"),
                "attempts": s.get("attempts", 0),
            }
        )
    return rows


def show_list(lang: str, as_json: bool) -> None:
    rows = drill_rows(lang)
    if as_json:
        print(json.dumps({"drills": rows}, ensure_ascii=False, indent=1))
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from tfprep.i18n import tr
    from tfprep.mock import fmt_seconds

    out = console()
    # narrow: no level (the list is in its order) and no best time, so name, title and status fit in 60 columns
    wide, narrow = out.width >= 100, out.width < 72
    table = Table(
        title=tr("Drills, easy to hard"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        show_edge=False,
    )
    table.add_column(tr("name"), no_wrap=True, style="bold")  # what the user types: never cut
    table.add_column(tr("title"), ratio=1, min_width=12, overflow="fold")
    if wide:
        table.add_column(tr("topic"), no_wrap=True, max_width=19, overflow="ellipsis")
    if not narrow:
        table.add_column(tr("level"), no_wrap=True)
    table.add_column(tr("status"), no_wrap=True)
    if not narrow:
        table.add_column(tr("best"), no_wrap=True, justify="right")
    style = {"solved": "green", "attempted": "yellow", "new": "dim"}
    status_text = {"solved": tr("solved"), "attempted": tr("attempted"), "new": tr("not started")}
    for r in rows:
        level = Text.assemble("●" * r["difficulty"], ("○" * (5 - r["difficulty"]), "dim"))
        cells = [r["name"], Text.assemble(r["title"], (f" · {r['framework']}", "dim"))]
        if wide:
            cells.append(topic_name(r["topic"]))
        cells += [] if narrow else [level]
        if r["due"] and r["status"] == "solved":
            cells.append(Text(tr("due again"), style="bold yellow"))
        else:
            cells.append(Text(status_text[r["status"]], style=style[r["status"]]))
        if not narrow:
            cells.append(fmt_seconds(r["best_time_s"]))
        table.add_row(*cells)
    out.print(table)
    nxt = next((r for r in rows if r["status"] != "solved"), None)
    if nxt:
        out.print(Text.assemble(tr("next: "), (f"tfprep drill {nxt['name']}", "bold")))


def open_editor(path: Path) -> bool:
    """Open $VISUAL/$EDITOR on the file when we are in a terminal. Returns whether an editor ran; an editor
    that cannot be started is said in one line (the file is there all the same)."""
    import os
    import shlex
    import subprocess
    import sys

    from tfprep.i18n import tr

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor or not sys.stdin.isatty():
        return False
    try:
        subprocess.call([*shlex.split(editor), str(path)])
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        console(stderr=True).print(
            tr(
                "could not start your editor ({editor}: {why}); open the file yourself, or fix $EDITOR",
                editor=editor,
                why=why,
            ),
            style="yellow",
            markup=False,
        )
        return False
    return True


def start_drill(d, folder: Path | None = None, *, reset: bool = False, review: bool | None = None) -> Path:  # noqa: ANN001
    """Write the drill's starter where the user works and return the file. A file already there is reopened,
    unless this is a review of a due drill (or `reset`): then the file is backed up first and a blank starter
    written. Each written starter starts the clock (a `start` event in the store). `review`: force (True) or
    skip (False) the due check; None asks the schedule."""
    from datetime import UTC, datetime

    from rich.text import Text

    from tfprep.cli.quiz import local_tz
    from tfprep.i18n import get_lang, tr
    from tfprep.practice import needs_fresh_starter
    from tfprep.srs import day_end
    from tfprep.store import Store
    from tfprep.workspace import Workspace

    home = paths()
    home.ensure()  # the workspace and the drill's clock live there: a home that cannot be used says why
    if not home.writable():
        raise home.read_only_error()
    ws = Workspace(home)
    known = ws.file_of(d.slug)
    target = (
        ws.default_file(d.slug, folder.expanduser())
        if folder is not None
        else known or ws.default_file(d.slug)
    )
    out = console()
    now = datetime.now(UTC)
    with Store.open(home) as store:
        if review is None:
            review = needs_fresh_starter(store, d.slug, now, day_end(now, local_tz()))
        starter = d.starter_for(get_lang()).read_text(encoding="utf-8")
        fresh = reset or review or not target.exists()
        kept = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() and fresh:
                kept = ws.backup(target)
            if fresh:
                target.write_text(starter, encoding="utf-8")
        except OSError as exc:
            raise TfprepError(
                tr(
                    "cannot write {file}: {why}; choose another folder with --dir",
                    file=str(target),
                    why=exc.strerror or exc,
                )
            ) from None
        if fresh:
            store.record_drill_event(
                d.slug, "start", at=now, path=str(target), kept="" if kept is None else str(kept)
            )
    ws.remember(d.slug, target, restart_clock=fresh)
    if review:
        out.print(
            Text(
                tr("review of {drill}: it is due — a blank starter, the clock starts now", drill=d.slug),
                style="bold cyan",
            )
        )
    if kept is not None and not review:  # --reset
        reset_note = tr(
            "{file} (your previous file is saved as {backup})", file=str(target), backup=str(kept)
        )
        out.print(Text.assemble((tr("reset"), "yellow"), " ", reset_note))
    elif kept is not None:
        out.print(Text(tr("wrote a blank starter to {path}", path=target), style="green"))
        out.print(Text(tr("your previous file is kept, unchanged, as {path}", path=kept), style="yellow"))
    elif fresh:
        out.print(Text.assemble((tr("wrote"), "green"), " ", str(target)))
    else:
        out.print(
            Text.assemble((tr("your file is already there; it was not changed:"), "dim"), " ", str(target))
        )
    return target


def give_up_drill(slug: str) -> None:
    """`--give-up`: rate the open practice Again."""
    from datetime import UTC, datetime

    from rich.text import Text

    from tfprep.i18n import tr
    from tfprep.practice import current_practice, give_up
    from tfprep.store import Store
    from tfprep.ui.quiz import when

    now = datetime.now(UTC)
    with Store.open(paths()) as store:
        if not current_practice(store, slug).open:
            raise TfprepError(
                tr(
                    "{drill} has no practice to give up (it was rated since); start one with `tfprep drill {drill}`.",
                    drill=slug,
                )
            )
        review = give_up(store, slug, now)
    console().print(
        Text(
            tr(
                "gave up {drill}: rated Again — it comes back {when}, from a blank starter.",
                drill=slug,
                when=when(review.due, now, None),
            )
        )
    )


@app.command("drill")
def drill_command(
    name: str = typer.Argument(None, help="Drill name (see `tfprep drill list`), or `list`."),
    folder: Path = typer.Option(
        None, "--dir", metavar="PATH", help="Folder for the starter file. Default: $TFPREP_HOME/workspace."
    ),
    no_editor: bool = typer.Option(False, "--no-editor", help="Do not open $EDITOR."),
    lang: str = typer.Option(
        None, "--lang", metavar="zh|en", help="Statement language: zh or en (default from $LANG)."
    ),
    reset: bool = typer.Option(
        False, "--reset", help="Start over from the starter; your file is backed up first."
    ),
    as_json: bool = typer.Option(False, "--json", help="With `list`: print JSON."),
    give_up: bool = typer.Option(
        False, "--give-up", help="Give up this practice: the drill is rated Again and comes back tomorrow."
    ),
) -> None:
    """Start a coding drill: write the starter file, show the statement, open your editor.

    Your file is never overwritten: running it again reopens your work; `--reset` backs it up first.

    Drills come back on a schedule (FSRS), rated from what tfprep saw: solved on the first grade without a
    hint within the expected time → Good (Easy within half of it); after failed grades, a hint, or slower →
    Hard; solution shown or `--give-up` → Again. When a drill is due, this command starts the review from a
    blank starter: your previous file is kept in $TFPREP_HOME/backups (the path is printed) and the clock
    starts when the starter is written. `tfprep today` runs the day's due cards and drills.

    Examples: `tfprep drill list`, `tfprep drill attention --lang zh`, `tfprep drill softmax --dir ~/code --no-editor`
    """
    lang = pick_lang(lang)
    if name is None or name == "list":
        show_list(lang, as_json)
        return

    from tfprep.grading.drills import find_drill
    from tfprep.i18n import tr
    from tfprep.ui.markdown import markdown

    d = find_drill(name)
    if give_up:
        give_up_drill(d.slug)
        return
    target = start_drill(d, folder, reset=reset)
    out = console()
    out.print(markdown(d.prompt(lang)))
    grade_cmd = f"tfprep grade {d.slug}" if folder is None else f"tfprep grade {d.slug} --file {target}"
    out.print()
    out.print(
        tr(
            "edit {file}, then run {grade} (or {grade} --watch); stuck? {hint}",
            file=str(target),
            grade=grade_cmd,
            hint=f"tfprep hint {d.slug}",
        ),
        markup=False,
    )
    if not no_editor:
        open_editor(target)


def reveal_hint(d, lang: str, store=None):  # noqa: ANN001, ANN201 - (Drill, Store | None) -> Text
    """The next hint of a drill, as text; the hint counter advances and the store notes it (a hint makes an
    accepted practice Hard)."""
    import contextlib
    from datetime import UTC, datetime

    from rich.text import Text

    from tfprep.i18n import tr
    from tfprep.store import Store
    from tfprep.workspace import Workspace

    hints = d.hints(lang)
    if not hints:
        return Text("—")
    i = Workspace(paths()).next_hint(d.slug, len(hints))
    with contextlib.nullcontext(store) if store is not None else Store.open(paths()) as s:
        s.record_drill_event(d.slug, "hint", at=datetime.now(UTC))
    # Hint text is content: printed as text, never as markup (dp[i][j] must survive).
    out = Text.assemble((tr("hint {i}/{n}", i=i + 1, n=len(hints)), "bold yellow"), " ", hints[i])
    if i == len(hints) - 1:
        out.append("\n")
        out.append(
            tr(
                "that was the last hint; `tfprep solution {slug}` shows the reference once solved",
                slug=d.slug,
            ),
            style="dim",
        )
    return out


@app.command("hint")
def hint_command(
    name: str = typer.Argument(None, help="Drill name; default: the drill you worked on last."),
    lang: str = typer.Option(None, "--lang", metavar="zh|en", help="zh or en (default from $LANG)."),
) -> None:
    """Show the next hint of a drill (each call reveals one more, from a nudge to nearly the answer).

    Example: `tfprep hint attention`
    """
    from rich.text import Text

    from tfprep.grading.drills import find_drill
    from tfprep.i18n import tr
    from tfprep.workspace import Workspace

    lang = pick_lang(lang)
    ws = Workspace(paths())
    named = name is not None
    name = name or ws.last()
    if not name:
        raise TfprepError(tr("which drill? e.g. `tfprep hint attention` (see `tfprep drill list`)"))
    d = find_drill(name)
    out = console()
    if not named:
        out.print(Text(tr("hints for {slug} (the drill you worked on last)", slug=d.slug), style="dim"))
    out.print(reveal_hint(d, lang))


@app.command("solution")
def solution_command(
    name: str = typer.Argument(..., help="Drill name."),
    force: bool = typer.Option(False, "--force", help="Show it before solving (asks to confirm)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="With --force: do not ask."),
) -> None:
    """Show the reference solution of a drill you have solved (or, with --force, one you have not).

    Example: `tfprep solution attention`
    """
    from rich.syntax import Syntax

    from tfprep.grading.drills import find_drill
    from tfprep.i18n import tr

    d = find_drill(name)
    solved = _summary().get(d.slug, {}).get("status") == "solved"
    if not solved:
        if not force:
            raise TfprepError(
                tr("solve {slug} first (tfprep grade {slug}), or see it anyway with --force", slug=d.slug)
            )
        if not yes and not ask_yes_no(tr("Show the solution of {slug} before solving it?", slug=d.slug)):
            console(stderr=True).print(tr("not shown: solve it first, or answer y"), markup=False)
            raise typer.Exit(1)
    from datetime import UTC, datetime

    from tfprep.practice import solution_shown
    from tfprep.store import Store

    with Store.open(paths()) as store:  # before it is solved, seeing the reference rates the practice Again
        review = solution_shown(store, d.slug, datetime.now(UTC))
    console().print(
        Syntax(d.solution.read_text(encoding="utf-8"), "python", theme="monokai", line_numbers=False)
    )
    if review is not None:
        from tfprep.ui.today import review_line

        console().print(review_line(review))
