"""The built-in banks (questions/zh, questions/en) are sound: they parse cleanly and carry what quiz/mock need."""

from __future__ import annotations

from collections import Counter

import pytest

from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks

LANGS = ["zh", "en"]


@pytest.fixture(scope="module", params=LANGS)
def lang_cards(request):
    paths = builtin_bank_paths(request.param)
    if not paths:
        pytest.skip(f"questions/{request.param} has no banks yet")
    decks = load_banks(paths)
    return request.param, decks, all_cards(decks)


def test_builtin_banks_parse_without_problems(lang_cards) -> None:
    _, decks, _ = lang_cards
    problems = [f"{p.source}:{p.line}: {p.message}" for d in decks for p in d.problems]
    assert problems == []


def test_builtin_banks_have_enough_cards_with_tags_and_key_points(lang_cards) -> None:
    lang, decks, cards = lang_cards
    assert len(cards) >= 80
    assert all(d.lang == lang for d in decks)
    assert [f"{c.source}:{c.line}" for c in cards if not c.tags] == []
    assert [f"{c.source}:{c.line}" for c in cards if not c.key_points] == []
    assert [f"{c.source}:{c.line}" for c in cards if not c.answer.strip()] == []


def test_builtin_ids_are_unique_and_prefixed() -> None:
    cards = all_cards(load_banks(builtin_bank_paths(None)))
    if not cards:
        pytest.skip("no built-in banks yet")
    dup = [i for i, n in Counter(c.id for c in cards).items() if n > 1]
    assert dup == []
    assert [c.id for c in cards if not c.id.startswith(f"{c.lang}.")] == []


def test_builtin_cards_are_exactly_those_of_the_old_parser() -> None:
    """The parser rewrite (issue 11) changes nothing in the built-in banks: every card the old parser gave
    (fixtures/banks/builtin_cards_before_rewrite.json: id → question, answer hash, tags, key points) comes
    out the same, with the same id. Cards added to the banks since are free to exist."""
    import hashlib
    import json
    from pathlib import Path

    before = json.loads(
        (Path(__file__).parent / "fixtures" / "banks" / "builtin_cards_before_rewrite.json").read_text(
            "utf-8"
        )
    )
    now = {c.id: c for c in all_cards(load_banks(builtin_bank_paths(None)))}
    changed = []
    for cid, old in before.items():
        card = now.get(cid)
        got = None
        if card is not None:
            got = {
                "question": card.question,
                "answer_sha256": hashlib.sha256(card.answer.encode()).hexdigest(),
                "tags": list(card.tags),
                "key_points": list(card.key_points),
                "file": old["file"],
            }
        if got != old:
            changed.append(cid)
    assert len(before) >= 200 and changed == []
