"""Command-line interface: one module per command group, all registered on `app`."""

from __future__ import annotations

import typer

from tfprep import __version__

# Each import registers its commands on `app`. Keep these modules light: heavy imports go inside functions.
from tfprep.cli import bank as _bank  # noqa: F401,E402
from tfprep.cli import drill as _drill  # noqa: F401,E402
from tfprep.cli import grade as _grade  # noqa: F401,E402
from tfprep.cli import mock as _mock  # noqa: F401,E402
from tfprep.cli import quiz as _quiz  # noqa: F401,E402
from tfprep.cli import stats as _stats  # noqa: F401,E402
from tfprep.cli.app import app


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
    """A coach for Transformer / LLM interviews.

    Run `tfprep` alone for a dashboard of what is due and what to do next.

    Example: `tfprep quiz --lang en --limit 20`
    """
    if ctx.invoked_subcommand is None:
        from tfprep.cli.dashboard import show_dashboard

        show_dashboard()


def main() -> None:
    app()
