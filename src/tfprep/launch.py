"""The `tfprep` command (and `python -m tfprep`).

Tiny on purpose: a cold `tfprep grade` starts its judge here, before Typer and the commands load, so the
judge's own imports (numpy, pytest, torch) run while the CLI starts up on the other core.
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["grade"] and not {"--watch", "-w", "--help", "-h"} & set(args):
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
        from tfprep.i18n import tr

        print("\n" + tr("interrupted"), file=sys.stderr)
        code = 130
    _exit(code)


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
