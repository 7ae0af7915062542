"""Reading bank files from disk. The only module in `bank/` that does I/O.

A path argument is a bank file, a folder of banks (every `*.md` under it, hidden files and folders such as
`.git/` skipped), or `builtin:en` / `builtin:zh` / `builtin` for the banks that ship with tfprep. A file named
directly that cannot be read is an error; a file found inside a folder that cannot be read is a problem of
that file, and the others still load.
"""

from __future__ import annotations

from pathlib import Path

from tfprep.bank.model import Card, Deck, Problem
from tfprep.errors import BankError
from tfprep.i18n import tr

BUILTIN = "builtin"


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BankError(tr("{path}: no such file; check the path.", path=path)) from None
    except IsADirectoryError:
        raise BankError(
            tr("{path} is a directory; pass a .md file or a folder of them.", path=path)
        ) from None
    except PermissionError:
        raise BankError(tr("{path}: permission denied; make the file readable.", path=path)) from None
    except OSError as exc:
        raise BankError(
            tr("{path}: cannot read ({reason}); check the file.", path=path, reason=exc.strerror or exc)
        ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BankError(
            tr(
                "{path}: not UTF-8 (bad byte at offset {offset}); re-save the file as UTF-8.",
                path=path,
                offset=exc.start,
            )
        ) from None


def load_bank(path: Path) -> Deck:
    """Read and parse one markdown bank file (UTF-8, with or without a BOM)."""
    from tfprep.bank.parse import parse_text

    path = Path(path)
    if path.is_dir():
        raise BankError(tr("{path} is a directory; pass a .md file or a folder of them.", path=path))
    text = _read_text(path)
    return parse_text(text, source=str(path), default_title=path.stem)


def _load_in_folder(path: Path) -> Deck:
    """Like load_bank, but a file that cannot be read becomes a deck with one problem and no cards."""
    try:
        return load_bank(path)
    except BankError as exc:
        problem = Problem(1, tr("skipped: {reason}", reason=str(exc)), str(path))
        return Deck(title=path.stem, lang="", tags=(), source=str(path), problems=[problem])


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _folder_files(folder: Path) -> list[Path]:
    found = sorted(q for q in folder.rglob("*.md") if not _hidden(q, folder) and q.is_file())
    if not found:
        raise BankError(
            tr("{path} has no .md files; pass a bank file or a folder of .md banks.", path=folder)
        )
    return found


def is_builtin(arg: Path | str) -> bool:
    text = str(arg)
    return text == BUILTIN or text.startswith(BUILTIN + ":")


def builtin_lang(arg: Path | str) -> str | None:
    """`builtin:en` → "en", `builtin` → None (both languages); other languages are an error."""
    lang = str(arg).partition(":")[2].strip().lower() or None
    if lang not in (None, "zh", "en"):
        raise BankError(tr("unknown built-in bank {name}; use builtin:zh or builtin:en.", name=str(arg)))
    return lang


def load_banks(paths: list[Path]) -> list[Deck]:
    """Load every bank named (see the module docstring): files in folders that cannot be read are problems."""
    decks: list[Deck] = []
    for p in paths:
        if is_builtin(p):
            decks.extend(load_bank(q) for q in builtin_bank_paths(builtin_lang(p)))
            continue
        p = Path(p)
        if p.is_dir():
            decks.extend(_load_in_folder(q) for q in _folder_files(p))
        elif not p.exists():
            raise BankError(tr("{path}: no such file or directory; check the path.", path=p))
        else:
            decks.append(load_bank(p))
    return decks


def builtin_bank_paths(lang: str | None = None) -> list[Path]:
    """The built-in bank files: questions/zh and/or questions/en (lang None = both), sorted."""
    from tfprep.content import questions_dir

    if lang not in (None, "zh", "en"):
        raise BankError(tr("unknown language {lang}; use zh or en.", lang=repr(lang)))
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
