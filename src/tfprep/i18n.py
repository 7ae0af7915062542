"""One language at a time: every string the UI shows, in English (the source text) and Chinese.

The mechanism is gettext's convention without its build step: the English text is the key. `tr("…")` returns
it as is in en, and its entry from the zh catalog in zh. The catalog is split by area into TOML files under
`tfprep/locale/zh/` (grade.toml, quiz.toml, …) so each part of the UI keeps its own, and it is read once, on
the first lookup in zh (tomllib, a few ms). `tests/test_i18n.py` scans src/ for `tr("…")` literals and fails
when one has no zh entry, so an untranslated string cannot ship.

Placeholders use str.format fields: `tr("{n} cards due", n=3)`; the zh entry must use the same fields.

The commands' `--help` texts are the one exception to tr() calls: Typer reads them when the commands are
declared, before the language of the invocation is known, so they stay English in the source and
cli/help_zh.py looks each paragraph up in the same catalog (locale/zh/help.toml) when the help is shown in
zh; tests/test_help_zh.py walks the command tree and fails on a paragraph without an entry.
"""

from __future__ import annotations

import os

LANGS = ("zh", "en")
_state = {"lang": "en"}
_catalog: dict[str, str] | None = None


def default_lang() -> str:
    """$TFPREP_LANG if set to zh or en; else zh for a Chinese locale ($LC_ALL, $LC_MESSAGES, $LANG), else en."""
    chosen = os.environ.get("TFPREP_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    if chosen:
        import sys

        print(f"tfprep: TFPREP_LANG={chosen!r} is not zh or en; using your locale", file=sys.stderr)
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "zh" if loc.lower().startswith("zh") else "en"


def set_lang(lang: str) -> None:
    _state["lang"] = lang if lang in LANGS else "en"


def get_lang() -> str:
    return _state["lang"]


def zh_catalog() -> dict[str, str]:
    """Every zh entry of every area file, English text → Chinese text."""
    global _catalog
    if _catalog is None:
        import tomllib
        from pathlib import Path

        merged: dict[str, str] = {}
        for file in sorted((Path(__file__).parent / "locale" / "zh").glob("*.toml")):
            merged.update(tomllib.loads(file.read_text(encoding="utf-8")))
        _catalog = merged
    return _catalog


def tr(text: str, /, **fields: object) -> str:
    """`text` in the current language, with its {fields} filled in."""
    return tr_in(_state["lang"], text, **fields)


def tr_in(lang: str, text: str, /, **fields: object) -> str:
    """`text` in `lang` (zh or en), with its {fields} filled in."""
    if lang == "zh":
        text = zh_catalog().get(text, text)
    return text.format(**fields) if fields else text
