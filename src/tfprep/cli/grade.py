"""`tfprep grade`: run the hidden suite against your file and explain the verdict."""

from __future__ import annotations

import contextlib
import importlib
import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import typer

from tfprep.cli.app import app
from tfprep.cli.common import console, paths, pick_lang
from tfprep.errors import SubmissionError, TfprepError
from tfprep.i18n import tr


def resolve(name: str | None, file: Path | None):  # noqa: ANN201 - (Drill, Path)
    """Which drill and which file: NAME and --file if given; else the file's name; else the last drill."""
    from tfprep.grading.drills import all_drills, find_drill
    from tfprep.workspace import Workspace

    ws = Workspace(paths())
    if name is None and file is not None:
        stem = file.stem.replace("_", "-")
        slugs = {d.slug for d in all_drills()}
        name = stem if stem in slugs else None
        if name is None:
            raise TfprepError(
                tr(
                    "which drill is {name} for? e.g. `tfprep grade attention --file {file}`",
                    name=file.name,
                    file=file,
                )
            )
    name = name or ws.last()
    if name is None:
        raise TfprepError(
            tr("which drill? start one with `tfprep drill NAME`, or run `tfprep grade NAME --file F`")
        )
    d = find_drill(name)
    path = file or ws.file_of(d.slug) or ws.default_file(d.slug)
    if not path.exists():
        if file is not None:  # the path the user typed: no advice to pass what they passed
            raise SubmissionError(tr("{path} does not exist; check the --file path", path=path))
        raise SubmissionError(
            tr(
                "{path} does not exist; run `tfprep drill {slug}` first, or pass --file",
                path=path,
                slug=d.slug,
            )
        )
    ws.touch_last(d.slug)
    return d, path.expanduser()


def record(drill, path: Path, source: str, result, duration_s: float | None = None, store=None):  # noqa: ANN001, ANN201
    """Every attempt is saved with its code, so nothing the user wrote is lost. `duration_s`: time spent on
    the drill (default: since `tfprep drill` started it; a mock round passes the time on its question).
    `store`: an open store to write to (default: open one for this). Returns the drill review saved, if any."""
    from tfprep.store import Store
    from tfprep.workspace import Workspace

    if duration_s is None:
        started = Workspace(paths()).started_at(drill.slug)
        elapsed = (time.time() - started) if started else None
    else:
        elapsed = duration_s
    from tfprep.practice import record_grade

    with contextlib.nullcontext(store) if store is not None else Store.open(paths()) as store:
        return record_grade(  # an accepted grade that ends a practice also rates the drill (same transaction)
            store,
            drill,
            verdict=result.verdict,
            accepted=result.accepted,
            passed=result.passed,
            total=result.total,
            duration_s=elapsed,
            seed=result.seed,
            now=datetime.now(UTC),
            path=str(path),
            code=source,
        )


def grade_once(drill, path: Path, seed: int | None, lang: str, runner=None):  # noqa: ANN001, ANN201
    """Grade the file and save the attempt. Returns (result, the drill review it caused or None)."""
    from tfprep.grading.service import grade_source, read_submission
    from tfprep.store import Store

    source = read_submission(path)
    with Store.open(paths()) as store:  # opened first, so it is ready when the judge answers
        result = grade_source(drill, source, seed=seed, lang=lang, runner=runner, filename=path.name)
        review = record(drill, path, source, result, store=store)
    return result, review


def show(result, drill, lang: str, as_json: bool, review=None, again: str | None = None) -> None:  # noqa: ANN001
    """The verdict, then what to do next. `again`: the command that grades this same file again (None in
    --watch mode, where saving the file does)."""
    if as_json:  # before importing Rich (15 ms): this line is all a --json grade waits for
        print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
        return
    from rich.text import Text

    from tfprep.i18n import tr
    from tfprep.ui.grade import render_result

    render_result(console(), result, lang, title=drill.title(lang))
    if review is not None:  # the drill's schedule changed: say how it was rated and when it comes back
        from tfprep.ui.today import review_line

        console().print(review_line(review))
    if result.accepted:
        console().print(
            Text.assemble(
                (tr("solved."), "green"),
                " ",
                tr(
                    "see the reference: {solution} · next: {next}",
                    solution=f"tfprep solution {drill.slug}",
                    next="tfprep drill list",
                ),
            )
        )
    elif again is None:
        console().print(
            Text(tr("fix it and save; stuck? {hint}", hint=f"tfprep hint {drill.slug}"), style="dim")
        )
    else:
        console().print(
            Text(
                tr("fix it and run {again}; stuck? {hint}", again=again, hint=f"tfprep hint {drill.slug}"),
                style="dim",
            )
        )


@app.command("grade")
def grade_command(
    name: str = typer.Argument(
        None, help="Drill name; default: from --file's name, else the drill you started last."
    ),
    file: Path = typer.Option(
        None, "--file", "-f", metavar="PATH", help="The file to grade. Default: the drill's workspace file."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (one per line with --watch)."),
    seed: int = typer.Option(None, "--seed", metavar="N", help="Replay the inputs of an earlier run."),
    watch: bool = typer.Option(
        False, "--watch", "-w", help="Grade again every time the file is saved (Ctrl-C to stop)."
    ),
    lang: str = typer.Option(None, "--lang", metavar="zh|en", help="zh or en (default from $LANG)."),
) -> None:
    """Grade your solution of a drill against its hidden tests.

    Verdicts: accepted, wrong_answer, runtime_error, time_limit_exceeded, memory_limit_exceeded,
    compile_error, rule_violation, internal_error. Exit code 0 when accepted, 1 when not.

    Examples: `tfprep grade attention`, `tfprep grade --file attention.py --json`, `tfprep grade softmax --watch`
    """
    lang = pick_lang(lang)
    drill, path = resolve(name, file)
    if watch:
        from tfprep.cli.watch import watch_and_grade

        watch_and_grade(drill, path, seed, lang, as_json)
        return
    if not as_json:
        # load the verdict's renderer while the judge works (this thread only waits for it meanwhile)
        threading.Thread(target=importlib.import_module, args=("tfprep.ui.grade",), daemon=True).start()
    result, review = grade_once(drill, path, seed, lang)
    again = f"tfprep grade {drill.slug}" + (f" --file {file}" if file is not None else "")
    show(result, drill, lang, as_json, review, again=again)
    raise typer.Exit(0 if result.accepted else 1)
