"""A stored recommendation's counterparts as bytes and back (pure).

Each counterpart keeps what a page shows besides the counterpart's own row: its id, the raw
scores, the shared words and every criterion as the fit judged it, before any viewer's
rewording, and the fingerprint of what it was ranked on. The JSON is positional (criterion
fields named once, in a header) and zlib-compressed: about a tenth of the plain JSON, which
matters at tens of millions of rows.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, fields

from factorlink.matching.fit.assess import Criterion

VERSION = 1
CRITERION_FIELDS = tuple(f.name for f in fields(Criterion))


@dataclass(frozen=True)
class Item:
    """One stored counterpart: which, how well, and why."""

    id: int
    # The fingerprint of the counterpart's text, facts and owner when ranked.
    digest: int
    score: float
    relevance: float
    lexical: float
    semantic: float | None
    fit: float | None
    terms: tuple[str, ...]
    criteria: tuple[Criterion, ...]


def encode(items: Sequence[Item]) -> bytes:
    """The counterparts, best first, as compressed JSON."""
    rows = [
        [
            i.id,
            i.digest,
            i.score,
            i.relevance,
            i.lexical,
            i.semantic,
            i.fit,
            list(i.terms),
            [[getattr(c, name) for name in CRITERION_FIELDS] for c in i.criteria],
        ]
        for i in items
    ]
    raw = json.dumps(
        {"v": VERSION, "criterion": CRITERION_FIELDS, "items": rows},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return zlib.compress(raw.encode(), 6)


def decode(blob: bytes) -> list[Item]:
    """The counterparts as `encode` stored them; ValueError for bytes it did not write."""
    try:
        data = json.loads(zlib.decompress(blob))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a stored recommendation: {exc}") from None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise ValueError("not a stored recommendation of this version")
    names = data["criterion"]
    out = []
    for id_, digest, score, relevance, lexical, semantic, fit, terms, criteria in data["items"]:
        out.append(
            Item(
                id=id_,
                digest=digest,
                score=score,
                relevance=relevance,
                lexical=lexical,
                semantic=semantic,
                fit=fit,
                terms=tuple(terms),
                criteria=tuple(
                    Criterion(**dict(zip(names, values, strict=True))) for values in criteria
                ),
            )
        )
    return out
