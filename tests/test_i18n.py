"""Every UI string passed to tr() / tr_in() has a zh entry with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from tfprep import i18n

SRC = Path(i18n.__file__).parent


def _tr_literals() -> list[tuple[str, str]]:
    found = []
    for file in sorted(SRC.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "tr"
            ):
                if not node.args:
                    continue
                first = node.args[0]
                where = f"{file.relative_to(SRC)}:{node.lineno}"
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((where, first.value))
                else:
                    found.append((where, None))
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_tr_call_has_a_literal_with_a_zh_entry():
    catalog = i18n.zh_catalog()
    literals = _tr_literals()
    assert literals, "no tr() call found: the scan is broken"
    dynamic = [where for where, text in literals if text is None]
    assert not dynamic, f"tr() needs a string literal (a test cannot check the rest): {dynamic}"
    missing = [f"{where}: {text!r}" for where, text in literals if text not in catalog]
    assert not missing, "untranslated UI strings:\n" + "\n".join(missing)
    wrong = [text for _, text in literals if _fields(text) != _fields(catalog[text])]
    assert not wrong, f"zh entries whose placeholders differ: {wrong}"


def test_tr_switches_language_and_fills_fields(monkeypatch):
    monkeypatch.setitem(i18n.zh_catalog(), "{n} cards due", "{n} 张卡片到期")
    assert i18n.tr_in("en", "{n} cards due", n=3) == "3 cards due"
    assert i18n.tr_in("zh", "{n} cards due", n=3) == "3 张卡片到期"
    i18n.set_lang("zh")
    try:
        assert i18n.tr("error:") == "错误："
    finally:
        i18n.set_lang("en")
    assert i18n.tr("error:") == "error:"


@pytest.mark.parametrize(
    "env, expected", [({"TFPREP_LANG": "zh"}, "zh"), ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "C"}, "en")]
)
def test_default_lang(monkeypatch, env, expected):
    for name in ("TFPREP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.default_lang() == expected


def test_an_english_text_has_one_translation_across_areas():
    """Area catalogs are merged into one: the same English text translated two ways would be a coin toss."""
    import tomllib
    from collections import defaultdict

    seen: dict[str, dict[str, str]] = defaultdict(dict)
    for file in sorted((SRC / "locale" / "zh").glob("*.toml")):
        for english, chinese in tomllib.loads(file.read_text(encoding="utf-8")).items():
            seen[english][file.name] = chinese
    clashes = {k: v for k, v in seen.items() if len(set(v.values())) > 1}
    assert not clashes, clashes
