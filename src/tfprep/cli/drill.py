"""`tfprep drill`, `tfprep hint`, `tfprep solution`: start coding drills and get unstuck."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tfprep.cli.app import app
from tfprep.cli.common import console, paths, pick_lang
from tfprep.errors import TfprepError


def _summary() -> dict:
    from tfprep.store import Store

    store = Store.open_existing(paths())
    if store is None:
        return {}
    with store:
        return store.drill_summary()


def drill_rows(lang: str) -> list[dict]:
    """Every drill, easy to hard: by difficulty, then by its place on the learning path."""
    from tfprep.grading.drills import all_drills

    summary = _summary()
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
    wide, narrow = out.width >= 100, out.width < 72  # narrow: no best time, level as a digit
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
        table.add_column(tr("topic"), no_wrap=True, max_width=16, overflow="ellipsis")
    table.add_column(tr("level"), no_wrap=True)
    table.add_column(tr("status"), no_wrap=True)
    if not narrow:
        table.add_column(tr("best"), no_wrap=True, justify="right")
    style = {"solved": "green", "attempted": "yellow", "new": "dim"}
    status_text = {"solved": tr("solved"), "attempted": tr("attempted"), "new": tr("not started")}
    for r in rows:
        level = (
            Text(f"{r['difficulty']}/5")
            if narrow
            else Text.assemble("●" * r["difficulty"], ("○" * (5 - r["difficulty"]), "dim"))
        )
        cells = [r["name"], Text.assemble(r["title"], (f" · {r['framework']}", "dim"))]
        if wide:
            cells.append(r["topic"])
        cells += [level, Text(status_text[r["status"]], style=style[r["status"]])]
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


@app.command("drill")
def drill_command(
    name: str = typer.Argument(None, help="Drill name (see `tfprep drill list`), or `list`."),
    folder: Path = typer.Option(
        None, "--dir", help="Folder for the starter file. Default: $TFPREP_HOME/workspace."
    ),
    no_editor: bool = typer.Option(False, "--no-editor", help="Do not open $EDITOR."),
    lang: str = typer.Option(None, "--lang", help="Statement language: zh or en (default from $LANG)."),
    reset: bool = typer.Option(
        False, "--reset", help="Start over from the starter; your file is backed up first."
    ),
    as_json: bool = typer.Option(False, "--json", help="With `list`: print JSON."),
) -> None:
    """Start a coding drill: write the starter file, show the statement, open your editor.

    Your file is never overwritten: running it again reopens your work; `--reset` backs it up first.

    Examples: `tfprep drill list`, `tfprep drill attention --lang zh`, `tfprep drill softmax --dir ~/code --no-editor`
    """
    lang = pick_lang(lang)
    if name is None or name == "list":
        show_list(lang, as_json)
        return
    from rich.text import Text

    from tfprep.grading.drills import find_drill
    from tfprep.i18n import tr
    from tfprep.ui.markdown import markdown
    from tfprep.workspace import Workspace

    d = find_drill(name)
    home = paths()
    home.ensure()  # the workspace and the drill's clock live there: a home that cannot be used says why
    if not home.writable():
        raise home.read_only_error()
    ws = Workspace(home)
    known = ws.file_of(d.slug)
    if folder is not None:
        target = ws.default_file(d.slug, folder.expanduser())
    else:
        target = known or ws.default_file(d.slug)
    out = console()
    starter = d.starter.read_text(encoding="utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and reset:
            backup = ws.backup(target)
            target.write_text(starter, encoding="utf-8")
            out.print(
                Text.assemble(
                    (tr("reset"), "yellow"),
                    " ",
                    tr(
                        "{file} (your previous file is saved as {backup})",
                        file=str(target),
                        backup=str(backup),
                    ),
                )
            )
        elif target.exists():
            out.print(
                Text.assemble(
                    (tr("your file is already there; it was not changed:"), "dim"), " ", str(target)
                )
            )
        else:
            target.write_text(starter, encoding="utf-8")
            out.print(Text.assemble((tr("wrote"), "green"), " ", str(target)))
    except OSError as exc:
        raise TfprepError(
            tr(
                "cannot write {file}: {why}; choose another folder with --dir",
                file=str(target),
                why=exc.strerror or exc,
            )
        ) from None
    ws.remember(d.slug, target, restart_clock=reset)
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


@app.command("hint")
def hint_command(
    name: str = typer.Argument(None, help="Drill name; default: the drill you worked on last."),
    lang: str = typer.Option(None, "--lang", help="zh or en (default from $LANG)."),
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
    hints = d.hints(lang)
    i = ws.next_hint(d.slug, len(hints))
    out = console()
    if not named:
        out.print(Text(tr("hints for {slug} (the drill you worked on last)", slug=d.slug), style="dim"))
    # Hint text is content: printed as text, never as markup (dp[i][j] must survive).
    out.print(Text.assemble((tr("hint {i}/{n}", i=i + 1, n=len(hints)), "bold yellow"), " ", hints[i]))
    if i == len(hints) - 1:
        out.print(
            Text(
                tr(
                    "that was the last hint; `tfprep solution {slug}` shows the reference once solved",
                    slug=d.slug,
                ),
                style="dim",
            )
        )


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
        if not yes and not typer.confirm(
            tr("Show the solution of {slug} before solving it?", slug=d.slug), default=False
        ):
            console(stderr=True).print(tr("not shown: solve it first, or answer y"), markup=False)
            raise typer.Exit(1)
    console().print(
        Syntax(d.solution.read_text(encoding="utf-8"), "python", theme="monokai", line_numbers=False)
    )
