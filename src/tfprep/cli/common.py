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
