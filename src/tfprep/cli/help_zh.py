"""`--help` and usage errors in Chinese: loaded only when the UI language is zh.

The English help texts (command help, option help) stay in the source as they are and are the catalog keys
(`locale/zh/help.toml`), one key per paragraph with its whitespace collapsed, as Click rewraps a paragraph
anyway. They are translated when the command tree is built for an invocation (Typer builds it anew on every
call), not when the modules are imported, so one process can show either language (CliRunner tests, or
`tfprep quiz --lang zh --help`, whose language is only known from the arguments).

Typer's own words come from three places, each handled here:
- typer.core looks its section names and "[default: …]" / "[required]" up through a module-level gettext
  `_`: `typer_words_in_chinese()` points it at the zh catalog for the invocation, and puts it back after;
- the vendored Click writes "Usage:" and wraps text itself, counting characters, not terminal cells (a CJK
  character takes two): `ZhHelpFormatter` writes "用法：" and wraps by cells, breaking between CJK
  characters but never before closing punctuation;
- usage errors are English sentences built by Click and Typer ("No such option: --foo"):
  `usage_error_in_chinese()` recognises the known forms and rebuilds them from zh templates; an unknown
  form keeps its English text inside the Chinese frame.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator

import typer.core
from typer._click.exceptions import UsageError  # Typer vendors Click (typer._click): never `import click`
from typer._click.formatting import HelpFormatter
from typer._click.utils import echo

from tfprep.i18n import tr, tr_in

# ---------------------------------------------------------------------------------------------------------
# help texts


def zh_text(english: str) -> str:
    """The zh version of a help text, paragraph by paragraph; a paragraph without an entry stays English
    (tests/test_help_zh.py fails on it)."""
    return "\n\n".join(tr_in("zh", key) for key in help_keys(english))


def help_keys(english: str) -> list[str]:
    """The catalog keys of a help text: its paragraphs, whitespace collapsed."""
    return [" ".join(par.split()) for par in re.split(r"\n\s*\n", english.strip()) if par.strip()]


def localize(command) -> None:  # noqa: ANN001 - a Click command or group of the tree Typer just built
    """Chinese help texts, metavars and formatting for `command` and everything under it."""
    if getattr(command, "_tfprep_zh", False):
        return
    command._tfprep_zh = True
    command.context_class = ZhContext
    if command.short_help:
        command.short_help = zh_text(command.short_help)
    if command.help:
        command.help = zh_text(command.help)
        first = command.help.split("\n\n", 1)[0]
        # The commands list shows the first sentence: Click's own shortening counts words split on spaces,
        # which Chinese does not have.
        command.short_help = command.short_help or (
            first.split("。", 1)[0] + "。" if "。" in first else first
        )
    if command.epilog:
        command.epilog = zh_text(command.epilog)
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = tr("[OPTIONS]")
    if getattr(command, "subcommand_metavar", None) == "COMMAND [ARGS]...":
        command.subcommand_metavar = tr("COMMAND [ARGS]...")
    for param in command.params:
        if param.help:
            param.help = zh_text(param.help)
    for sub in getattr(command, "commands", {}).values():
        localize(sub)


class ZhHelpFormatter(HelpFormatter):
    """Click's help layout, measured in terminal cells and with Chinese punctuation."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = tr("Usage: ")
        usage_prefix = f"{prefix:>{self.current_indent}}{prog} "
        text_width = self.width - self.current_indent
        if text_width >= cells(usage_prefix) + 20:
            self.write(wrap(args, text_width, usage_prefix, " " * cells(usage_prefix)))
        else:  # the prefix is too long: the arguments go on the next line
            indent = " " * (max(self.current_indent, cells(prefix)) + 4)
            self.write(f"{usage_prefix}\n{wrap(args, text_width, indent, indent)}")
        self.write("\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [par for par in re.split(r"\n\s*\n", text) if par.strip()]
        self.write("\n\n".join(wrap(par, self.width, indent, indent) for par in paragraphs) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # noqa: ANN001 - Click's
        rows = [(first, second) for first, second, *_ in (tuple(row) + ("",) for row in rows)]
        first_col = min(max(cells(first) for first, _ in rows), col_max) + col_spacing
        text_width = max(self.width - first_col - 2, 10)  # as Click: the indent fits in the 2
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = "\n\n".join(wrap(par, text_width) for par in re.split(r"\n\s*\n", second)).splitlines()
            pad = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(pad + line if line else "" for line in lines[1:])]) + "\n")


class ZhContext(typer.Context):
    """The context of a command in zh: the Chinese formatter, and the help option's own text in Chinese
    (Click creates that option per command, with an English literal)."""

    formatter_class = ZhHelpFormatter

    def __init__(self, command, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003 - Click's
        super().__init__(command, *args, **kwargs)
        option = command.get_help_option(self)
        if option is not None and option.help == "Show this message and exit.":
            option.help = tr("Show this message and exit.")


# ---------------------------------------------------------------------------------------------------------
# line wrapping by terminal cells

# A run of spaces, a bracketed note without spaces ("[默认：20]"), a run of narrow non-space characters (an
# English word, an option, a path), or one wide character.
_TOKEN = re.compile(
    r"\s+|\[[^\s\]]+\]|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]+|."
)
_NO_LINE_START = set("，。、；：！？）」』》〉】…—,.;:!?)]")
_NO_LINE_END = set("（「『《〈【([")


def cells(text: str) -> int:
    """Terminal columns `text` takes: 2 for a wide (CJK) character, 1 for the rest. (Not rich.cells: importing
    it costs 14 ms, and `--help` loads no Rich.)"""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _units(text: str) -> list[tuple[bool, str]]:
    """(space before?, unit) pairs: the pieces a line may break between. Closing punctuation sticks to what
    comes before it, opening punctuation to what follows, and a full-width colon to the word or value right
    after it ("默认：0.9")."""
    units: list[tuple[bool, str]] = []
    space = glue = False
    for token in _TOKEN.findall(text):
        if token.isspace():
            space = True
            continue
        narrow_after_colon = not space and units and units[-1][1][-1] == "：" and cells(token[0]) == 1
        if units and (glue or narrow_after_colon or (not space and token[0] in _NO_LINE_START)):
            units[-1] = (units[-1][0], units[-1][1] + (" " if space else "") + token)
        else:
            units.append((space, token))
        glue, space = token[-1] in _NO_LINE_END, False
    return units


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """`text` (one paragraph) filled into lines of at most `width` cells, indents included."""
    lines: list[str] = []
    line, used, empty = initial_indent, cells(initial_indent), True
    for space, unit in _units(text):
        gap = " " if space and not empty else ""
        if not empty and used + cells(gap + unit) > width:
            lines.append(line)
            line, used, empty, gap = subsequent_indent, cells(subsequent_indent), True, ""
        while empty and used + cells(unit) > width and len(unit) > 1:  # longer than a line: cut it
            cut = _fitting(unit, width - used)
            lines.append(line + unit[:cut])
            line, used, unit = subsequent_indent, cells(subsequent_indent), unit[cut:]
        line, used, empty = line + gap + unit, used + cells(gap + unit), False
    lines.append(line)
    return "\n".join(lines)


def _fitting(unit: str, room: int) -> int:
    """How many leading characters of `unit` fit in `room` cells (at least one)."""
    used = 0
    for count, ch in enumerate(unit):
        used += cells(ch)
        if used > room:
            return max(count, 1)
    return len(unit)


# ---------------------------------------------------------------------------------------------------------
# Typer's words and usage errors


@contextlib.contextmanager
def typer_words_in_chinese() -> Iterator[None]:
    """Typer's gettext hook (section names, "default", "required") answered from the zh catalog."""
    english = typer.core._
    typer.core._ = lambda text: tr_in("zh", text)
    try:
        yield
    finally:
        typer.core._ = english


class ZhUsageError(UsageError):
    """A usage error shown in Chinese: usage line, where to get help, the message."""

    def show(self, file=None) -> None:  # noqa: ANN001 - Click's signature
        import sys

        file = file or sys.stderr
        ctx = self.ctx
        if ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                option = ctx.help_option_names[0]
                hint = (
                    tr("Try '{command} {option}' for help.", command=ctx.command_path, option=option) + "\n"
                )
            echo(f"{ctx.get_usage()}\n{hint}", file=file, color=ctx.color)
        echo(
            tr("Error: {message}", message=self.format_message()), file=file, color=ctx.color if ctx else None
        )


def usage_error_in_chinese(exc: UsageError) -> ZhUsageError:
    error = ZhUsageError(_message_in_chinese(exc.format_message()), exc.ctx)
    error.exit_code = exc.exit_code
    return error


def _message_in_chinese(message: str) -> str:
    m = re.fullmatch(r"No such command (?P<name>'.*?')\.(?: Did you mean (?P<close>.+)\?)?", message)
    if m:
        text = tr("No such command {name}.", name=m["name"])
        return text + (tr(" Did you mean {names}?", names=m["close"]) if m["close"] else "")
    m = re.fullmatch(r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<close>.+)\))?", message)
    if m:
        text = tr("No such option: {name}", name=m["name"])
        return text + (tr(" (Possible options: {names})", names=m["close"]) if m["close"] else "")
    m = re.fullmatch(
        r"Missing (?P<kind>argument|option) (?P<name>.+?)\.(?: Choose from:(?P<choices>.*))?", message, re.S
    )
    if m:
        choices = ", ".join(part.strip(" \t\n,") for part in (m["choices"] or "").split(",\n"))
        if m["kind"] == "argument":
            text = tr("Missing argument {name}.", name=m["name"])
        else:
            text = tr("Missing option {name}.", name=m["name"])
        return text + (tr(" Choose from: {choices}.", choices=choices) if m["choices"] else "")
    m = re.fullmatch(r"Invalid value for (?P<name>.+?): (?P<reason>.+)", message, re.S)
    if m:
        return tr(
            "Invalid value for {name}: {reason}", name=m["name"], reason=_reason_in_chinese(m["reason"])
        )
    m = re.fullmatch(r"Option (?P<name>'.+?') requires an argument\.", message)
    if m:
        return tr("Option {name} requires a value.", name=m["name"])
    m = re.fullmatch(r"Option (?P<name>'.+?') does not take a value\.", message)
    if m:
        return tr("Option {name} does not take a value.", name=m["name"])
    m = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", message, re.S)
    if m:
        return tr("Unexpected extra arguments: {args}", args=m["args"])
    if message == "Missing command.":
        return tr("Missing command.")
    return message


def _reason_in_chinese(reason: str) -> str:
    """Why a value was refused (Typer's parsers, through pydantic): the common forms in Chinese."""
    if reason.startswith("Input should be a valid integer"):
        return tr("not a whole number.")
    if reason.startswith("Input should be a valid number"):
        return tr("not a number.")
    m = re.fullmatch(r"(?:Value error, )?(?P<value>'.*?') is not one of (?P<choices>.+)\.", reason, re.S)
    if m:
        return tr("{value} is not one of {choices}.", value=m["value"], choices=m["choices"])
    return reason
