"""Small helpers shared by the commands: language choice, console, store access."""

from __future__ import annotations

import os

from tfprep.errors import TfprepError

LANGS = ("zh", "en")


def pick_lang(lang: str | None) -> str:
    """--lang if given, else zh for a Chinese locale, else en."""
    if lang is not None:
        if lang not in LANGS:
            raise TfprepError(f"unknown language '{lang}'; use --lang zh or --lang en")
        return lang
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "zh" if loc.lower().startswith("zh") else "en"


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def paths():
    from tfprep.paths import Paths

    return Paths.from_env()
