"""Small helpers shared by the commands: language choice, console, store access."""

from __future__ import annotations

from tfprep.errors import TfprepError
from tfprep.i18n import LANGS, default_lang, set_lang, tr


def pick_lang(lang: str | None) -> str:
    """--lang if given (zh or en), else $TFPREP_LANG or the locale's; it becomes the UI's language."""
    if lang is None:
        chosen = default_lang()
    elif lang.lower() in LANGS:
        chosen = lang.lower()
    else:
        raise TfprepError(tr("unknown --lang {lang}; use zh or en.", lang=repr(lang)))
    set_lang(chosen)
    return chosen


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def paths():
    from tfprep.paths import Paths

    return Paths.from_env()


YES = {"y", "yes", "是", "是的", "好"}
NO = {"n", "no", "否", "不"}


def ask_yes_no(question: str) -> bool:
    """Ask on the terminal; only an explicit yes is yes (Enter, end of input or Ctrl-C is no). In the UI's
    language, unlike Click's confirm, whose "Error: invalid input" is English only."""
    import sys

    prompt = question + " " + tr("[y/N]:") + " "
    while True:
        print(prompt, end="", flush=True)
        try:
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            line = ""
        if not sys.stdin.isatty():
            print()  # the answer was not echoed: end the prompt's line
        answer = line.strip().lower()
        if not line or not answer or answer in NO:
            return False
        if answer in YES:
            return True
        print(tr("answer y or n"))
