"""Key points and titles on one line: their LaTeX as Unicode."""

from __future__ import annotations


def plain_math(text: str, *, delimited: bool = True) -> str:
    """Text with its LaTeX as Unicode, for one-line display: `$...$` spans (delimited), or a key point whose
    math lost its delimiters in the bank parser (`d_k=d_{model}/h`)."""
    import re

    from tfprep.ui.markdown import latex_to_unicode

    if delimited:
        return re.sub(r"\$\$?([^$]+)\$?\$", lambda m: latex_to_unicode(m.group(1)), text)
    if not re.search(r"[\\^_]", text):
        return text
    return latex_to_unicode(text.replace("%", r"\%")) or text
