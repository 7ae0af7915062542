"""The bank corpus measurement: realistic look-alike banks in tests/fixtures/banks/corpus, each with a
hand-written `<name>.expected` sidecar (one `question | words its answer must contain` line per question
counted by hand; `! text` lines name text no card may contain, such as a footer). Used by
tests/test_bank_corpus.py (thresholds) and bench/bench_bank.py (the figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "fixtures" / "banks" / "corpus"


@dataclass
class FileScore:
    name: str
    expected: int = 0
    found: int = 0  # expected questions that became a card
    cards: int = 0
    real: int = 0  # cards that are expected questions
    complete: int = 0  # found questions whose answer holds the expected words
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)  # forbidden text found in a card


def read_expected(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    questions, forbidden = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("! "):
            forbidden.append(line[2:])
            continue
        question, _, words = line.partition(" | ")
        questions.append((question.strip(), words.strip()))
    return questions, forbidden


def score_file(md: Path) -> FileScore:
    from tfprep.bank.load import load_bank
    from tfprep.bank.text import normalise_question as key

    expected, forbidden = read_expected(md.with_suffix(".expected"))
    deck = load_bank(md)
    by_key = {key(c.question): c for c in deck.cards}
    wanted = {key(q) for q, _ in expected}
    s = FileScore(md.name, expected=len(expected), cards=len(deck.cards))
    for question, words in expected:
        card = by_key.get(key(question))
        if card is None:
            s.missing.append(question)
            continue
        s.found += 1
        if words in card.answer:
            s.complete += 1
        else:
            s.incomplete.append(question)
    for card in deck.cards:
        if key(card.question) in wanted:
            s.real += 1
        else:
            s.extra.append(card.question)
        s.leaked += [
            f"{card.question}: {bad}" for bad in forbidden if bad in card.answer or bad in card.question
        ]
    return s


def score_corpus() -> list[FileScore]:
    return [score_file(md) for md in sorted(CORPUS.glob("*.md"))]
