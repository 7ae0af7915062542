"""`tfprep grade --watch`: a warm judge re-grades the file every time it is saved."""

from __future__ import annotations

import sys
from pathlib import Path

from tfprep.cli.common import console


def watch_and_grade(drill, path: Path, seed: int | None, lang: str, as_json: bool) -> None:  # noqa: ANN001
    import watchfiles

    from tfprep.cli.grade import grade_once, show
    from tfprep.errors import SubmissionError
    from tfprep.grading.sandbox import WarmPool

    pool = WarmPool()
    out = console(stderr=True)
    target = path.resolve()

    def once() -> None:
        try:
            result = grade_once(drill, path, seed, lang, runner=pool.run)
        except SubmissionError as exc:  # e.g. the editor saved an empty or half-written file
            out.print(f"[red]{exc}[/]")
            return
        show(result, drill, lang, as_json)

    try:
        once()
        if not as_json:
            out.print(f"[dim]watching {path} — save to grade again, Ctrl-C to stop[/]")
        # watch the folder (editors replace files on save), keep only events on our file
        for _changes in watchfiles.watch(
            target.parent,
            watch_filter=lambda _c, p: Path(p).resolve() == target,
            debounce=150,
            step=50,
            rust_timeout=0,
            yield_on_timeout=False,
            raise_interrupt=True,
        ):
            if target.exists():
                once()
    except KeyboardInterrupt:
        if not as_json:
            out.print("[dim]stopped watching[/]")
    finally:
        pool.close()
        sys.stdout.flush()
