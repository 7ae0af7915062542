"""The `tfprep` command (and `python -m tfprep`).

Tiny on purpose: a cold `tfprep grade` starts its judge here, before Typer and the commands load, so the
judge's own imports (numpy, pytest, torch) run while the CLI starts up on the other core.
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:] = _take_root_lang(sys.argv[1:])
    if args[:1] == ["grade"] and not {"--watch", "-w", "--help", "-h"} & set(args):
        from tfprep.grading import prestart

        prestart.fork_judge()  # first: the judge imports numpy/pytest while the rest of this loads
        from tfprep.grading.judges import prestart_judge

        prestart_judge()
    try:
        import tfprep.cli  # noqa: F401 - registers every command
        from tfprep.cli.app import app

        app()
        code = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:  # Ctrl-C before the CLI's own boundary is in place (still importing)
        from tfprep.i18n import default_lang, tr_in

        # the CLI sets the language when it starts (TfprepGroup.main); this may come before
        print("\n" + tr_in(default_lang(), "interrupted"), file=sys.stderr)
        code = 130
    _exit(code)


def _take_root_lang(args: list[str]) -> list[str]:
    """`tfprep --lang zh …` (before the command) sets the language of everything, as $TFPREP_LANG does.
    Taken here rather than as a Typer option: a str option on the root would load pydantic for every
    command (~0.17 s)."""
    import os

    if args[:1] == ["--lang"] and len(args) >= 2:
        lang, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--lang="):
        lang, args = args[0].split("=", 1)[1], args[1:]
    else:
        return args
    if lang.lower() not in ("zh", "en"):
        print(
            f"error: unknown --lang {lang!r}; use zh or en. / 错误：未知的 --lang {lang!r}；请用 zh 或 en。",
            file=sys.stderr,
        )
        _exit(2)
    os.environ["TFPREP_LANG"] = lang.lower()
    return args


def _exit(code: object) -> None:
    """Exit without the interpreter's teardown of every loaded module, which costs 25-50 ms a command
    here. Everything tfprep writes is closed by then (files and the store use `with`); the atexit
    handlers still run and the output is flushed."""
    import atexit
    import contextlib
    import os

    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # e.g. `tfprep … | head` closed the pipe
            stream.flush()
    os._exit(code)
