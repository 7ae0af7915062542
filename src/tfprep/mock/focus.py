"""What the study loop brings forward: tags with a weight and a reason. Pure; shared by planning and the quiz."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tfprep.mock.rounds import normalise_tag


@dataclass
class StudyFocus:
    """Tags whose cards should come forward, with a weight (about 0.5–1.5) and the reason."""

    weights: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, tag: str, weight: float, reason: str) -> None:
        tag = normalise_tag(tag)
        if weight > self.weights.get(tag, 0.0):
            self.weights[tag] = round(weight, 3)
            self.reasons[tag] = reason

    def boost(self, tags: Iterable[str]) -> tuple[float, str]:
        """The strongest boost among `tags`, with its reason ((0, "") when none)."""
        best, why = 0.0, ""
        for t in tags:
            w = self.weights.get(normalise_tag(t), 0.0)
            if w > best:
                best, why = w, self.reasons[normalise_tag(t)]
        return best, why

    def __bool__(self) -> bool:
        return bool(self.weights)
