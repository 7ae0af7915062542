"""The Typer application: the UI language of each invocation, and its one error boundary."""

from __future__ import annotations

import sys

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # Typer vendors Click: never `import click`
from typer.core import TyperGroup

from tfprep.cli import fast_params
from tfprep.errors import TfprepError
from tfprep.i18n import LANGS, default_lang, get_lang, set_lang


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
    arguments named NAME when required and [NAME] when optional (Typer writes {name} and [name]), without a
    Python type beside them (`NAME <str>`)."""
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
            param.display_type_rich = lambda ctx=None: None  # "NAME", not "NAME <str>": its help says what
    for sub in getattr(command, "commands", {}).values():
        _plain(sub)


fast_params.install()


class TfprepGroup(TyperGroup):
    """Sets the UI language for the invocation, and turns every TfprepError (and Ctrl-C) into a one-line
    message and an exit code, never a traceback."""

    def main(self, args=None, *rest, **kwargs):  # noqa: ANN001, ANN002, ANN003 - Click's signature
        # Typer builds this command tree anew for every invocation (`tfprep`, or a CliRunner call), so its
        # help texts can be put in the language before anything is parsed or shown.
        lang = _invocation_lang(sys.argv[1:] if args is None else args)
        set_lang(lang)
        if lang != "zh":
            return super().main(args, *rest, **kwargs)
        from tfprep.cli import help_zh  # only in zh: it loads the zh catalog

        _plain(self)
        help_zh.localize(self)
        with help_zh.typer_words_in_chinese():
            return super().main(args, *rest, **kwargs)

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
        except UsageError as exc:
            raise _in_ui_language(exc) from None

    def invoke(self, ctx):  # noqa: ANN001 - Click's signature
        try:
            return super().invoke(ctx)
        except TfprepError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise _interrupted() from None
        except UsageError as exc:  # a subcommand's arguments
            raise _in_ui_language(exc) from None


def _invocation_lang(args: list[str]) -> str:
    """The command's own --lang when it has one (so `tfprep quiz --lang zh --help` is in zh: the help is
    shown before --lang is parsed), else $TFPREP_LANG or the locale (`tfprep --lang` sets $TFPREP_LANG)."""
    for arg, value in zip(args, [*args[1:], ""]):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            value, arg = arg.split("=", 1)[1], "--lang"
        if arg == "--lang" and value.lower() in LANGS:
            return value.lower()
    return default_lang()


def _in_ui_language(exc: UsageError) -> UsageError:
    """Click's usage error, in Chinese when the UI is (a help screen shown for missing arguments stays as is:
    it is already in the UI language)."""
    if get_lang() != "zh" or isinstance(exc, NoArgsIsHelpError):
        return exc
    from tfprep.cli.help_zh import usage_error_in_chinese

    return usage_error_in_chinese(exc)


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
