"""Markdown text → Deck. Pure: no I/O. (Work in progress: full implementation follows.)"""

from __future__ import annotations

from tfprep.bank.model import Deck


def parse_text(text: str, source: str = "", default_title: str = "") -> Deck:
    return Deck(title=default_title, lang="", tags=(), source=source)
