"""`tfprep grade --watch`: a warm judge re-grades the file every time it is saved."""

from __future__ import annotations

import sys
from pathlib import Path

from tfprep.cli.common import console


def watch_and_grade(drill, path: Path, seed: int | None, lang: str, as_json: bool) -> None:  # noqa: ANN001
    import watchfiles

    from tfprep.cli.grade import grade_once, show
    from tfprep.errors import SubmissionError
    from tfprep.grading.judges import WarmPool

    pool = WarmPool()
    out = console(stderr=True)
    target = path.resolve()
    graded: list[bytes | None] = [None]  # the bytes of the file as last graded

    def snapshot() -> bytes | None:
        try:
            return target.read_bytes()
        except OSError:
            return None

    def once() -> None:
        graded[0] = snapshot()
        try:
            result, review = grade_once(drill, path, seed, lang, runner=pool.run)
        except SubmissionError as exc:  # e.g. the editor saved an empty or half-written file
            out.print(f"[red]{exc}[/]")
            return
        show(result, drill, lang, as_json, review)

    try:
        once()
        if not as_json:
            out.print(f"[dim]watching {path} — save to grade again, Ctrl-C to stop[/]")
        # Watch the folder (editors replace files on save) for events on our file. The watcher also wakes
        # every half second, and the file's bytes decide: a save made while a grading ran (before the
        # watcher saw it) is graded too, and a save that changes nothing is not graded again.
        for _changes in watchfiles.watch(
            target.parent,
            watch_filter=lambda _c, p: Path(p).resolve() == target,
            debounce=150,
            step=50,
            rust_timeout=500,
            yield_on_timeout=True,
            raise_interrupt=True,
        ):
            current = snapshot()
            if current is not None and current != graded[0]:
                once()
    except KeyboardInterrupt:
        if not as_json:
            out.print("[dim]stopped watching[/]")
    finally:
        pool.close()
        sys.stdout.flush()
