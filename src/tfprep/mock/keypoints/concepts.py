"""Concept data: what each key point needs an answer to say, written by content authors next to the banks.

`questions/keypoints/*.toml` maps a card id without its language prefix (one entry serves the zh and the
en card) to one list per key point, in the card's order; each string in it is one concept, its phrasings
separated by `|` (any language, mixed answers welcome):

    ["attention.why-sqrt-dk"]
    points = [
      ["variance|var|方差", "d_k|dk|dimension|维度"],
      ["logits|scores|分数|点积", "saturate|one-hot|饱和|极端"],
    ]

A phrasing starting with `!` is an opposite: an answer saying it where the concept belongs contradicts the
point (`"ln|layernorm|!bn|!batchnorm"`: "BatchNorm works per token" is not "LayerNorm works per token");
the usual opposites (before/after, >/<, 奇/偶, 前/后 …) need no `!`. A point is covered when every
concept is found in one sentence of the answer (see match.py). An empty list means "no data for this
point" (the lexical fallback, shown as "check yourself" at best). Pure: the text of the files is passed in.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping

from tfprep.errors import TfprepError
from tfprep.i18n import tr

Concept = tuple[str, ...]  # the phrasings of one concept
PointConcepts = tuple[Concept, ...]  # the concepts of one key point


class ConceptDataError(TfprepError):
    """A concept data file that cannot be used; the message names the file and the card."""


def bare_id(card_id: str) -> str:
    return card_id[3:] if card_id[:3] in ("zh.", "en.") else card_id


def parse_concepts(text: str, *, source: str) -> dict[str, tuple[PointConcepts, ...]]:
    """bare card id → one tuple of concepts per key point."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConceptDataError(
            tr("{source}: not valid TOML ({exc}); fix the file", source=source, exc=exc)
        ) from None
    out: dict[str, tuple[PointConcepts, ...]] = {}
    for card, entry in data.items():
        where = f"{source}: [{card!r}]"
        if not isinstance(entry, dict) or set(entry) != {"points"} or not isinstance(entry["points"], list):
            raise ConceptDataError(
                tr('{where} must hold one field, points = [["concept|synonym", …], …]', where=where)
            )
        points = []
        for i, point in enumerate(entry["points"], 1):
            if not isinstance(point, list) or not all(isinstance(c, str) and c.strip() for c in point):
                raise ConceptDataError(
                    tr("{where}: point {i} must be a list of strings (concepts)", where=where, i=i)
                )
            concepts = []
            for c in point:
                phrasings = tuple(p.strip() for p in c.split("|") if p.strip())
                if not phrasings:
                    raise ConceptDataError(
                        tr("{where}: point {i} has an empty concept {c}", where=where, i=i, c=repr(c))
                    )
                concepts.append(phrasings)
            points.append(tuple(concepts))
        out[bare_id(card)] = tuple(points)
    return out


def merge(files: Mapping[str, str]) -> dict[str, tuple[PointConcepts, ...]]:
    """The concept data of several files (source → text); a card given twice is an error."""
    out: dict[str, tuple[PointConcepts, ...]] = {}
    where: dict[str, str] = {}
    for source, text in files.items():
        for card, points in parse_concepts(text, source=source).items():
            if card in out:
                raise ConceptDataError(
                    tr(
                        "{source}: card {card} is already in {other}; keep one entry",
                        source=source,
                        card=repr(card),
                        other=where[card],
                    )
                )
            out[card], where[card] = points, source
    return out
