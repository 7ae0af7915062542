"""Reading bank files from disk. The only module in `bank/` that does I/O."""

from __future__ import annotations

from pathlib import Path

from tfprep.bank.model import Card, Deck
from tfprep.errors import BankError


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BankError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise BankError(f"{path} is a directory; pass a .md file or a folder of them.") from None
    except PermissionError:
        raise BankError(f"{path}: permission denied; make the file readable.") from None
    except OSError as exc:
        raise BankError(f"{path}: cannot read ({exc.strerror or exc}); check the file.") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BankError(
            f"{path}: not UTF-8 (bad byte at offset {exc.start}); re-save the file as UTF-8."
        ) from None


def load_bank(path: Path) -> Deck:
    """Read and parse one markdown bank file (UTF-8, with or without a BOM)."""
    from tfprep.bank.parse import parse_text

    path = Path(path)
    if path.is_dir():
        raise BankError(f"{path} is a directory; pass a .md file or a folder of them.")
    text = _read_text(path)
    return parse_text(text, source=str(path), default_title=path.stem)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files to load: a file as is, a directory as every *.md under it (recursive, sorted)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.md") if q.is_file())
            if not found:
                raise BankError(f"{p} has no .md files; pass a bank file or a folder of .md banks.")
            out.extend(found)
        elif not p.exists():
            raise BankError(f"{p}: no such file or directory; check the path.")
        else:
            out.append(p)
    return out


def load_banks(paths: list[Path]) -> list[Deck]:
    """Load every bank named: files as is, directories as all *.md files under them, sorted."""
    return [load_bank(p) for p in expand_paths(paths)]


def builtin_bank_paths(lang: str | None = None) -> list[Path]:
    """The built-in bank files: questions/zh and/or questions/en (lang None = both), sorted."""
    from tfprep.content import questions_dir

    if lang not in (None, "zh", "en"):
        raise BankError(f"unknown language {lang!r}; use zh or en.")
    root = questions_dir()
    langs = ["zh", "en"] if lang is None else [lang]
    out: list[Path] = []
    for code in langs:
        d = root / code
        if d.is_dir():
            out.extend(sorted(q for q in d.rglob("*.md") if q.is_file()))
    return out


def all_cards(decks: list[Deck]) -> list[Card]:
    """Every card of every deck, in order."""
    return [card for deck in decks for card in deck.cards]
