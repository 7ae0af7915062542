"""Markdown question banks → cards. Pure: no files are opened here except by `load`."""

from tfprep.bank.model import Card, Deck, Problem

__all__ = ["Card", "Deck", "Problem"]
