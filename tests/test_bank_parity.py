"""The built-in zh and en banks stay card-for-card: same files, same ids (modulo the language prefix), same
tags, and a Key points list of similar length on both sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks


def _cards(lang: str) -> dict[str, object]:
    paths = builtin_bank_paths(lang)
    if not paths:
        pytest.skip(f"questions/{lang} has no banks yet")
    return {c.id.removeprefix(f"{lang}."): c for c in all_cards(load_banks(paths))}


@pytest.fixture(scope="module")
def pairs():
    return _cards("zh"), _cards("en")


def test_same_card_ids_in_both_languages(pairs) -> None:
    zh, en = pairs
    assert sorted(set(zh) - set(en)) == []
    assert sorted(set(en) - set(zh)) == []


def test_each_card_sits_in_the_same_file_with_the_same_tags(pairs) -> None:
    zh, en = pairs
    assert [k for k in en if Path(zh[k].source).name != Path(en[k].source).name] == []
    assert [(k, zh[k].tags, en[k].tags) for k in en if zh[k].tags != en[k].tags] == []


def test_key_points_have_similar_length(pairs) -> None:
    zh, en = pairs
    off = [(k, len(zh[k].key_points), len(en[k].key_points)) for k in en]
    assert [o for o in off if abs(o[1] - o[2]) > 1] == []
