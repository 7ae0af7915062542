"""Small helpers shared by the commands: language choice, console, store access."""

from __future__ import annotations

import os

from tfprep.errors import TfprepError

LANGS = ("zh", "en")


def default_lang() -> str:
    """zh for a Chinese locale ($LC_ALL, $LC_MESSAGES or $LANG starting with zh), else en."""
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "zh" if loc.lower().startswith("zh") else "en"


def pick_lang(lang: str | None) -> str:
    """--lang if given (zh or en), else the locale's."""
    if lang is None:
        return default_lang()
    if lang.lower() not in LANGS:
        raise TfprepError(f"unknown --lang {lang!r}; use zh or en.")
    return lang.lower()


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def paths():
    from tfprep.paths import Paths

    return Paths.from_env()
