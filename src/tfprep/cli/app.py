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

    label = tr("error:")
    # the message is text, never markup; a full-width colon (zh) needs no space after it
    line = Text.assemble((label, "bold red"), "" if label.endswith("：") else " ", message)
    Console(stderr=True, highlight=False, soft_wrap=True).print(line)
    return typer.Exit(code)


def _plain(command) -> None:  # noqa: ANN001 - a Click command or group
    """Help as plain text, the same way in every command: no Markdown emphasis (`--help` is not rendered),
    arguments named NAME when required and [NAME] when optional (Typer writes {name} and [name])."""
    if getattr(command, "_tfprep_plain", False):
        return
    command._tfprep_plain = True
    for attr in ("help", "short_help"):
        text = getattr(command, attr, None)
        if text:
            setattr(command, attr, text.replace("**", ""))
    for param in getattr(command, "params", ()):
        if param.param_type_name == "argument":
            name = (param.metavar or param.name or "").strip("[]{}").upper()
            param.metavar = name
            usage = (name if param.required else f"[{name}]") + ("..." if param.nargs != 1 else "")
            param._usage_display_name = lambda usage=usage: usage  # Typer's hook for the usage line
    for sub in getattr(command, "commands", {}).values():
        _plain(sub)


class TfprepGroup(TyperGroup):
    """Turns every TfprepError (and Ctrl-C) into a one-line message and an exit code, never a traceback."""

    def get_command(self, ctx, cmd_name):  # noqa: ANN001 - Click's signature
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain(command)
        return command

    def format_help(self, ctx, formatter):  # noqa: ANN001 - Click's signature
        _plain(self)
        return super().format_help(ctx, formatter)

    def make_context(self, *args, **kwargs):  # noqa: ANN002, ANN003 - Click's signature
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:  # Typer would exit 130 without a word
            raise _interrupted() from None

    def invoke(self, ctx):  # noqa: ANN001 - Click's signature
        try:
            return super().invoke(ctx)
        except TfprepError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise _interrupted() from None


def _interrupted() -> typer.Exit:
    from tfprep.i18n import tr

    print("\n" + tr("interrupted"), file=sys.stderr)
    return typer.Exit(130)


app = typer.Typer(
    cls=TfprepGroup,
    name="tfprep",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    rich_markup_mode=None,  # plain Click help: rendering help with Rich costs more than the CLI itself
    context_settings={"help_option_names": ["-h", "--help"]},
)
