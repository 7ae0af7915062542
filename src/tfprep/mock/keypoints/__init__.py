"""Answer matching: which key points of a card a typed answer covers, contradicts or leaves to the user.

`coverage(points, answer, concepts)` → one `PointMatch` per point (match.py); concept data in
questions/keypoints/ (concepts.py); the answer's text, sentences, negations and Chinese words (text.py);
the lexical fallback for points without concept data (lexical.py).
"""

from tfprep.mock.keypoints.concepts import ConceptDataError, bare_id, merge, parse_concepts
from tfprep.mock.keypoints.match import concepts_for, coverage, match_concepts
from tfprep.mock.keypoints.model import STATES, PointMatch

__all__ = [
    "STATES",
    "ConceptDataError",
    "PointMatch",
    "bare_id",
    "concepts_for",
    "coverage",
    "match_concepts",
    "merge",
    "parse_concepts",
]
