"""The topics that drills, cards and mock rounds share, as people read them.

A topic is an id (`positional-encoding`) in content, filters and the store; the UI shows its name in the
current language. A tag outside this set (a user's bank may have any) is shown as it is.
"""

from __future__ import annotations

from tfprep.i18n import tr_in

TOPICS = (
    "attention",
    "positional-encoding",
    "normalization",
    "architecture",
    "training",
    "efficiency",
    "decoding",
    "llm",
    "coding",
)


def topic_name(topic: str, lang: str | None = None) -> str:
    """`topic` as the UI shows it, in `lang` (default: the UI's language)."""
    from tfprep.i18n import get_lang

    lang = lang or get_lang()
    names = {
        "attention": tr_in(lang, "attention"),
        "positional-encoding": tr_in(lang, "positional encoding"),
        "normalization": tr_in(lang, "normalization"),
        "architecture": tr_in(lang, "architecture"),
        "training": tr_in(lang, "training"),
        "efficiency": tr_in(lang, "efficiency"),
        "decoding": tr_in(lang, "decoding"),
        "llm": tr_in(lang, "LLMs"),
        "coding": tr_in(lang, "coding"),
        "general": tr_in(lang, "general"),
    }
    return names.get(topic, topic)
