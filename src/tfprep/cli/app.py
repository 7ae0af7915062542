"""The Typer application and its one error boundary."""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from tfprep.errors import TfprepError


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one red line on stderr and return the Exit to raise."""
    from rich.console import Console
    from rich.text import Text

    from tfprep.i18n import tr

    line = Text.assemble((tr("error:"), "bold red"), " ", message)  # the message is text, never markup
    Console(stderr=True, highlight=False, soft_wrap=True).print(line)
    return typer.Exit(code)


class TfprepGroup(TyperGroup):
    """Turns every TfprepError (and Ctrl-C) into a one-line message and an exit code, never a traceback."""

    def invoke(self, ctx):  # noqa: ANN001 - Click's signature
        try:
            return super().invoke(ctx)
        except TfprepError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            from tfprep.i18n import tr

            print("\n" + tr("interrupted"), file=sys.stderr)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=TfprepGroup,
    name="tfprep",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    rich_markup_mode=None,  # plain Click help: rendering help with Rich costs more than the CLI itself
    context_settings={"help_option_names": ["-h", "--help"]},
)
