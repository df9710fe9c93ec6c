"""A plain keyword match: Chinese bigrams and ASCII words, weighted by rarity (pure).

No database, web or file access: the caller hands in the query and the candidate texts, and
gets back the candidates that share terms with the query, best first, with the shared terms
that explain each score. The matching-engine issue replaces this with a proper engine.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Words that say nothing about what is wanted; the text is cut at them before bigramming.
STOPWORDS: tuple[str, ...] = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "需要",
    "我们",
    "公司",
    "希望",
    "寻找",
    "进行",
    "相关",
    "可以",
    "提供",
    "用于",
    "目前",
    "帮助",
    "对接",
    "资源",
    "请问",
    "以便",
    "快速",
    "您的",
    "一个",
    "一家",
    "的",
    "和",
    "与",
    "及",
    "等",
    "或",
    "了",
)
ASCII_STOPWORDS = frozenset({"the", "and", "for", "of", "to", "in", "with", "on", "an"})

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
_STOP_PATTERN = re.compile("|".join(re.escape(w) for w in sorted(STOPWORDS, key=len, reverse=True)))


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _han_runs(text: str) -> list[str]:
    return _HAN_RUN.findall(_STOP_PATTERN.sub(" ", normalise(text)))


def _ascii_words(text: str) -> list[str]:
    words = _ASCII_WORD.findall(normalise(text))
    return [
        w
        for w in words
        if len(w) >= 2 and any(ch.isalpha() for ch in w) and w not in ASCII_STOPWORDS
    ]


def terms(text: str) -> list[str]:
    """The terms of a text in order: bigrams of each run of Chinese characters, ASCII words."""
    found: list[str] = []
    for run in _han_runs(text):
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
    found.extend(_ascii_words(text))
    return found


@dataclass(frozen=True)
class Candidate:
    """Something that may match: its kind, its id, and the text it is known by."""

    kind: str
    id: int
    text: str


@dataclass(frozen=True)
class Scored:
    """A candidate that shares terms with the query, its score and the shared phrases."""

    kind: str
    id: int
    score: float
    terms: tuple[str, ...]


def idf(document_frequency: int, documents: int) -> float:
    """Inverse document frequency (the BM25 form, always positive)."""
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def rank(query: str, candidates: Sequence[Candidate], limit: int = 10) -> list[Scored]:
    """Scores candidates by the rarity-weighted terms they share with the query, best first.

    Ties are broken by the number of shared terms, then by kind and id, so the order is
    the same on every run.
    """
    query_terms = set(terms(query))
    if not query_terms or not candidates:
        return []
    bags = [set(terms(c.text)) & query_terms for c in candidates]
    frequency: dict[str, int] = {}
    for bag in bags:
        for term in bag:
            frequency[term] = frequency.get(term, 0) + 1
    weights = {t: idf(n, len(candidates)) for t, n in frequency.items()}
    scored = [
        Scored(c.kind, c.id, round(sum(weights[t] for t in bag), 4), explain(query, bag))
        for c, bag in zip(candidates, bags, strict=True)
        if bag
    ]
    scored.sort(key=lambda s: (-s.score, -len(s.terms), s.kind, s.id))
    return scored[:limit]


def explain(query: str, shared: Iterable[str]) -> tuple[str, ...]:
    """The shared terms as readable phrases: adjacent shared bigrams of the query are joined.

    "石墨" and "墨烯" both shared within the query "石墨烯散热" read as "石墨烯".
    """
    shared_set = set(shared)
    phrases: list[str] = []
    for run in _han_runs(query):
        phrase = ""
        for i in range(len(run) - 1):
            if run[i : i + 2] in shared_set:
                phrase = phrase + run[i + 1] if phrase else run[i : i + 2]
            elif phrase:
                phrases.append(phrase)
                phrase = ""
        if phrase:
            phrases.append(phrase)
    phrases.extend(w for w in _ascii_words(query) if w in shared_set)
    return tuple(dict.fromkeys(phrases))
