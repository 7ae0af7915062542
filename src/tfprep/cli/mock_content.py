"""The mock's content on disk: round files (questions/rounds/*.toml, or a path) and the key points' concept
data (questions/keypoints/*.toml), and `tfprep mock --list`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfprep.errors import NotFoundError
from tfprep.i18n import tr

if TYPE_CHECKING:
    from tfprep.mock import Round

DEFAULT_ROUND = "general-45"


def rounds_dir() -> Path:
    from tfprep.content import questions_dir

    return questions_dir() / "rounds"


def read_round(path: Path) -> Round:
    from tfprep.mock import RoundError, parse_round

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(
            tr("{path}: no such round file; check the path or see `tfprep mock --list`", path=path)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RoundError(
            tr("{path}: cannot read it ({exc}); save it as UTF-8 text", path=path, exc=exc)
        ) from None
    return parse_round(text, id=path.stem, source=str(path))


def round_files() -> list[Path]:
    d = rounds_dir()
    return sorted(d.glob("*.toml")) if d.is_dir() else []


def find_round(name: str) -> Round:
    """A built-in round by id, or a round file by path (`./my-round.toml`)."""
    if name.endswith(".toml") or os.sep in name or "/" in name:
        return read_round(Path(name).expanduser())
    files = {p.stem: p for p in round_files()}
    key = name.strip().lower()
    if key in files:
        return read_round(files[key])
    import difflib

    close = difflib.get_close_matches(key, list(files), n=2, cutoff=0.4)
    close += [k for k in files if key and key in k and k not in close]
    hint = tr("; did you mean {names}?", names=" / ".join(close[:2])) if close else ""
    raise NotFoundError(
        tr("no round named {name}{hint} (see `tfprep mock --list`)", name=repr(name), hint=hint)
    )


def concept_data() -> dict[str, Any]:
    """card id (without language) → concepts per key point, from questions/keypoints/*.toml."""
    from tfprep.content import questions_dir
    from tfprep.mock.keypoints import merge

    folder = questions_dir() / "keypoints"
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    return merge({str(f): f.read_text(encoding="utf-8") for f in files})


def show_rounds(lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from tfprep.cli.common import console
    from tfprep.cli.studyloop import all_drills
    from tfprep.mock import RoundError

    slugs = {d.slug for d in all_drills()}
    out = console()
    # a table needs room for its "about" column; below 100 columns each round is a heading and a paragraph
    table = Table(title=tr("Mock rounds"), title_justify="left") if out.width >= 100 else None
    if table is not None:
        table.add_column(tr("round"), no_wrap=True, style="bold")
        table.add_column(tr("min"), justify="right")
        table.add_column(tr("questions"), no_wrap=True)
        table.add_column(tr("about"), overflow="fold", ratio=1)
    else:
        out.print(Text(tr("Mock rounds"), style="bold"))
    rows: list[tuple[str, str, str, Text]] = []
    rounds = []
    for path in round_files():
        try:
            rounds.append(read_round(path))
        except RoundError as exc:
            rows.append((path.stem, "—", "—", Text(str(exc), style="red")))
    for r in sorted(rounds, key=lambda r: (r.order, r.id)):
        counts = r.counts()
        about = Text(r.title(lang))
        if r.description(lang):
            about.append("\n" + r.description(lang), style="dim")
        chains = [s for s in r.slots if s.chain]
        for s in chains:
            about.append("\n" + tr("follow-ups: {chain}", chain=" → ".join(s.drills())), style="magenta")
        missing = sorted({d for s in r.slots for d in s.drills() if d not in slugs})
        if missing:
            about.append(
                "\n" + tr("needs drill {names}, not installed yet", names=", ".join(missing)), style="yellow"
            )
        questions = tr("{c} concept · {k} coding", c=counts["concept"], k=counts["coding"])
        rows.append((r.id, str(r.duration), questions, about))
    for name, minutes, questions, about in rows:
        if table is not None:
            table.add_row(name, minutes, questions, about)
            continue
        from rich.padding import Padding

        head = Text.assemble((name, "bold"), "  ", tr("{n} min", n=minutes), " · ", questions)
        out.print()
        out.print(head)
        out.print(Padding(about, (0, 0, 0, 2)))
    if table is not None:
        out.print(table)
    else:
        out.print()
    out.print(
        Text(
            tr("start one: tfprep mock {name}  ·  yours: tfprep mock ./my-round.toml", name=DEFAULT_ROUND),
            style="bold",
        )
    )
