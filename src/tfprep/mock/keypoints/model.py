"""What the matcher says about one key point of a card, for one answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# covered — every concept of the point is in the answer, together, not negated or reversed (a claim the
# matcher stands by); check — part of it is there, or the point has no concept data: the user confirms or
# rejects it; contradicted — the answer says the opposite (negates it, or swaps a relation: before/after,
# >/<, 奇/偶 …); missed — not there.
STATES = ("covered", "check", "contradicted", "missed")


@dataclass
class PointMatch:
    point: str
    state: str = "missed"
    score: float = 0.0  # 0–1: the share of the point's concepts found (or the lexical match)
    confirmed: bool | None = None  # the user's answer to "check yourself" (None = not asked or no answer)
    evidence: str = ""  # the words of the answer that decided it (for contradicted: what contradicts it)

    @property
    def covered(self) -> bool:
        """Covered by the matcher (the user's confirmations are not counted here)."""
        return self.state == "covered"

    @property
    def confirmed_covered(self) -> bool:
        """Counts for the score: covered, or checked and confirmed by the user."""
        return self.state == "covered" or (self.state == "check" and self.confirmed is True)

    def to_json(self) -> dict[str, Any]:
        return {
            "point": self.point,
            "state": self.state,
            "covered": self.confirmed_covered,
            "confirmed": self.confirmed,
            "match": self.score,
            "evidence": self.evidence,
        }
