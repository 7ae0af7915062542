"""Measured on the corpus of realistic banks (tests/bank_corpus.py): questions found, cards that are real
questions, answers complete, no footer / stray HTML in any card."""

from __future__ import annotations

import pytest
from bank_corpus import score_corpus


@pytest.fixture(scope="module")
def scores():
    return score_corpus()


def test_corpus_is_large_and_varied(scores) -> None:
    names = [s.name for s in scores]
    assert len(names) >= 8
    assert any(n.startswith("zh_") for n in names) and any(n.startswith("en_") for n in names)
    assert sum(s.expected for s in scores) >= 60


def test_at_least_95_percent_of_questions_found_and_of_cards_real(scores) -> None:
    expected = sum(s.expected for s in scores)
    found = sum(s.found for s in scores)
    cards = sum(s.cards for s in scores)
    real = sum(s.real for s in scores)
    detail = {s.name: (s.missing, s.extra) for s in scores if s.missing or s.extra}
    assert found / expected >= 0.95, detail
    assert real / cards >= 0.95, detail


def test_answers_are_complete_and_clean(scores) -> None:
    complete = sum(s.complete for s in scores)
    found = sum(s.found for s in scores)
    assert complete / found >= 0.95, {s.name: s.incomplete for s in scores if s.incomplete}
    assert [leak for s in scores for leak in s.leaked] == []
