"""Combining lexical and semantic evidence into one relevance in 0..1 (pure).

Both scores are first put on an absolute scale, so a relevance means the same thing whatever
else was found, and matches of different kinds can be compared:

- lexical: BM25 of the document divided by BM25 of the query scored as if it were a document
  (the most a document can share with it), capped at 1;
- semantic: the cosine of the sentence embeddings, stretched from the encoder's floor (what
  unrelated texts score) to its ceiling, clipped to 0..1.

Relevance is 0.4 × lexical + 0.6 × semantic. On the CSL dev sets this beat z-score and min-max
mixes and reciprocal-rank fusion, which discards how far apart scores are (README, "Matching");
weights from 0.5 to 0.65 scored within 0.002 of each other.
A document without a vector yet is judged by its words alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DENSE_WEIGHT = 0.6


@dataclass(frozen=True)
class Calibration:
    """Where an encoder's cosines lie: unrelated texts near `floor`, near-duplicates `ceiling`."""

    floor: float = 0.75
    ceiling: float = 0.95

    def scale(self, cosine: float) -> float:
        """The cosine stretched to 0..1."""
        return min(1.0, max(0.0, (cosine - self.floor) / (self.ceiling - self.floor)))


@dataclass(frozen=True)
class Fused:
    """One candidate's relevance and the evidence behind it."""

    id: int
    relevance: float
    lexical: float
    semantic: float | None
    bm25: float
    cosine: float | None


def fuse(
    bm25: Mapping[int, float],
    cosine: Mapping[int, float],
    best_bm25: float,
    dense_weight: float = DENSE_WEIGHT,
    calibration: Calibration | None = None,
) -> list[Fused]:
    """Candidates (the union of both maps), best first.

    `best_bm25` is the query's BM25 against itself; `dense_weight` 0 ranks by words only and 1
    by meaning only.
    """
    calibration = calibration or Calibration()
    out = []
    for factor_id in dict.fromkeys([*bm25, *cosine]):
        raw = bm25.get(factor_id, 0.0)
        lexical = min(1.0, raw / best_bm25) if best_bm25 > 0 else 0.0
        sim = cosine.get(factor_id)
        semantic = calibration.scale(sim) if sim is not None else None
        if semantic is None or dense_weight <= 0:
            relevance = lexical if dense_weight < 1 else 0.0
        else:
            relevance = (1 - dense_weight) * lexical + dense_weight * semantic
        out.append(Fused(factor_id, relevance, lexical, semantic, raw, sim))
    out.sort(key=lambda f: (-f.relevance, -f.lexical, f.id))
    return out
