"""Command-line interface: one module per command group, all registered on `app`."""

from __future__ import annotations

import importlib

import typer

from tfprep import __version__
from tfprep.cli.app import app

# Each module registers its commands on `app`, in this order (the order of `tfprep --help`).
# Keep these modules light: heavy imports go inside the command functions.
for _module in ("today", "quiz", "stats", "drill", "grade", "mock", "history", "bank"):
    importlib.import_module(f"tfprep.cli.{_module}")


def _version(value: bool) -> None:
    if value:
        print(f"tfprep {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """A coach for Transformer / LLM interviews: flashcards with spaced repetition, graded coding drills,
    mock rounds.

    Run `tfprep` alone for a dashboard of what is due and today's plan; `tfprep today` runs it.

    Language: `tfprep --lang zh|en COMMAND` (or $TFPREP_LANG; default: your locale); a command's own
    --lang overrides it.

    Examples: `tfprep quiz --lang en --limit 20` · `tfprep drill attention` · `tfprep grade --watch` · `tfprep mock bytedance-1`
    """
    if ctx.invoked_subcommand is None:
        from tfprep.cli.dashboard import show_dashboard

        show_dashboard()
