"""A hidden suite's own words in the user's language.

Each suite writes in English: the first line of each test's docstring (what it checks), the messages of its
asserts, `message=` of `judge.expect`, and `judge.tr("… {x} …", x=…)` for a message with values in it. Its
Chinese is in `zh.toml` next to the suite, keyed by that English text as `tfprep.i18n`'s catalogs are (same
{placeholders}). `tests/test_suite_text.py` fails on a suite string without its zh entry.
"""

from __future__ import annotations

from pathlib import Path

CATALOG = "zh.toml"


class SuiteText:
    def __init__(self, suite_dir: Path, lang: str):
        self.catalog: dict[str, str] = {}
        if lang == "zh" and (suite_dir / CATALOG).is_file():
            import tomllib

            self.catalog = tomllib.loads((suite_dir / CATALOG).read_text(encoding="utf-8"))

    def __call__(self, text: str, /, **fields: object) -> str:
        """`judge.tr("… {x} …", x=…)` in a suite: the text in the user's language, its fields filled in."""
        text = self.lookup(text)
        return text.format(**fields) if fields else text

    def lookup(self, text: str) -> str:
        """A finished English text (a docstring, an assert's message) in the user's language."""
        return self.catalog.get(text, text)
