"""The values a bank parses into."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Card:
    id: str  # stable: explicit `<!-- id: … -->`, else derived from the deck and the question text
    question: str  # plain text of the question (markdown inline markup kept)
    answer: str  # markdown source of the answer, as written
    line: int  # 1-based source line of the question
    tags: tuple[str, ...] = ()  # front-matter tags + per-card tags, lower-case
    key_points: tuple[str, ...] = ()  # short phrases a good answer covers (see docs/bank-format.md)
    source: str = ""  # path of the bank file, or "" for text parsed from memory
    deck: str = ""  # deck title
    lang: str = ""  # "zh", "en" or ""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    source: str = ""


@dataclass
class Deck:
    title: str
    lang: str
    tags: tuple[str, ...]
    source: str
    cards: list[Card] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
