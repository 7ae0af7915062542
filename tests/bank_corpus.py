"""The bank corpus measurement: realistic look-alike banks in tests/fixtures/banks/corpus, each with a
hand-written `<name>.expected` sidecar (one `question | words its answer must contain` line per question
counted by hand; `! text` lines name text no card may contain, such as a footer; `@ N` lines name a source
line where `bank check` must report a problem, such as a placeholder answer). Used by
tests/test_bank_corpus.py (thresholds) and bench/bench_bank.py (the figures).

tests/fixtures/banks/heldout holds a second corpus in the same format, written as look-alikes of public banks
by someone who did not write the parser, before running it on them (tests/test_bank_heldout.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "fixtures" / "banks" / "corpus"
HELDOUT = Path(__file__).parent / "fixtures" / "banks" / "heldout"


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
    unreported: list[int] = field(default_factory=list)  # `@ N` lines with no problem reported there


def read_expected(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    questions, forbidden = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("! "):
            forbidden.append(line[2:])
            continue
        if line.startswith("@ "):
            continue  # read by problem_lines
        question, _, words = line.partition(" | ")
        questions.append((question.strip(), words.strip()))
    return questions, forbidden


def problem_lines(path: Path) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [int(x[2:].split()[0]) for x in lines if x.startswith("@ ")]


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
    reported = {p.line for p in deck.problems}
    s.unreported = [n for n in problem_lines(md.with_suffix(".expected")) if n not in reported]
    return s


def score_corpus(folder: Path = CORPUS) -> list[FileScore]:
    return [score_file(md) for md in sorted(folder.glob("*.md"))]
