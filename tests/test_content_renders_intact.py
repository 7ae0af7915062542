"""Content is printed as text: every shipped statement and card goes through the real renderer, and what a
person must read exactly (code spans, indexing like dp[i][j], brackets) comes out intact."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks
from tfprep.grading.drills import all_drills
from tfprep.ui.markdown import markdown

_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
_FENCE = re.compile(r"```.*?```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")
_INDEXED = re.compile(r"\b\w+(?:\[[^\[\]\n`$]+\])+")  # dp[i][j], logp[np.arange(N), targets]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _rendered(md: str, render=markdown) -> str:  # noqa: ANN001
    console = Console(record=True, width=200, color_system=None, file=io.StringIO())
    console.print(render(md))
    return _flat(console.export_text())


def _must_survive(md: str) -> list[str]:
    outside_math = _MATH.sub(" ", _FENCE.sub(" ", md))
    spans = [m for m in _CODE.findall(outside_math) if "$" not in m]
    indexed = _INDEXED.findall(_CODE.sub(" ", outside_math))
    return [_flat(x) for x in spans + indexed if _flat(x)]


def _check(md: str, where: str, render=markdown) -> None:  # noqa: ANN001
    out = _rendered(md, render)
    lost = [x for x in _must_survive(md) if x not in out]
    assert not lost, f"{where}: lost in rendering: {lost[:5]}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_statement_renders_intact(lang):
    drills = all_drills()
    assert drills
    for drill in drills:
        _check(drill.prompt(lang), f"{drill.slug} ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_builtin_card_renders_intact(lang):
    cards = all_cards(load_banks(builtin_bank_paths(lang)))
    assert len(cards) >= 100
    checked = 0
    for card in cards:
        for part, text in (("question", card.question), ("answer", card.answer)):
            _check(text, f"{card.id} {part}")
            checked += len(_must_survive(text))
    assert checked > 50  # the check looked at something


def test_the_check_catches_a_renderer_that_eats_brackets():
    from rich.text import Text

    _check("use `dp[i][j]` here", "probe")
    with pytest.raises(AssertionError, match="lost in rendering"):
        _check("use dp[i][j] here", "probe", render=Text.from_markup)  # the bug the issue reported
