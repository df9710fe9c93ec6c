"""Typos in a search query, corrected towards the terms a corpus uses (pure).

BM25 tokens are character unigrams and bigrams (text.py), so one mistyped character — 石墨稀 for
石墨烯, a homophone the input method offered — leaves the query with bigrams no document has:
they match nothing and weigh as much as the rarest term. The correction works on those unknown
terms only; a query whose terms the corpus knows is never changed.

- A run of three or more Chinese characters whose unknown bigrams all touch one position is read
  as one wrong character there. Every character that makes each bigram around that position a
  known one is a candidate (石墨稀: 墨烯, 墨化…; 锂点池: 电, known in 锂电 and 电池), ranked by the
  document frequency of the rarer of those bigrams.
- A Latin word of four letters or more that the corpus lacks is matched to the known words one
  edit away (a letter substituted, inserted, dropped, or two swapped).

Bigrams say little about a character at the end of a run (石墨稀 → 石墨化 is as plausible to them
as 石墨烯) and would also "correct" a real word the corpus happens to lack (氢能源 → 智能源: 智能
and 能源 are both common). So each candidate carries the phrase around its change (the new
character with up to two neighbours on each side; the word itself for Latin), and the caller keeps
the candidate whose phrase the most documents hold — none when no document holds any.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from factorlink.matching.retrieval.text import normalise

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"(?<![a-z0-9])[a-z]{4,}(?![a-z0-9])")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class Vocabulary(Protocol):
    """The terms of an index and how many documents hold each."""

    def document_frequency(self, term: str) -> int: ...

    def terms(self) -> Iterable[str]: ...


@dataclass(frozen=True)
class Correction:
    """A query with one mistyped stretch replaced by a form the corpus uses."""

    query: str  # the whole (normalised) query with the change
    typed: str  # the run or word as typed (石墨稀)
    corrected: str  # the same run or word corrected (石墨烯)
    phrase: str  # the stretch around the change, which some document must hold
    support: int  # documents holding the rarest term the change relies on


def corrections(query: str, vocabulary: Vocabulary, limit: int = 8) -> list[Correction]:
    """Candidate single corrections of a query's unknown terms, likeliest first (none when every
    term is known)."""
    text = normalise(query)
    found: list[Correction] = []
    bigrams: list[str] | None = None
    for match in _HAN_RUN.finditer(text):
        run = match.group()
        if len(run) < 3:
            continue  # one bigram alone does not tell which character is wrong
        unknown = [
            j for j in range(len(run) - 1) if not vocabulary.document_frequency(run[j : j + 2])
        ]
        if not unknown:
            continue
        if bigrams is None:
            bigrams = [t for t in vocabulary.terms() if len(t) == 2 and _is_han(t)]
        for position in _positions(run, unknown):
            for char, support in _characters(run, position, bigrams, vocabulary):
                fixed = run[:position] + char + run[position + 1 :]
                found.append(
                    Correction(
                        query=text[: match.start()] + fixed + text[match.end() :],
                        typed=run,
                        corrected=fixed,
                        phrase=_phrase(fixed, position),
                        support=support,
                    )
                )
    known: set[str] | None = None
    for match in _LATIN_WORD.finditer(text):
        word = match.group()
        if vocabulary.document_frequency(word):
            continue
        if known is None:
            known = {t for t in vocabulary.terms() if t.isascii() and t.isalpha()}
        for near in sorted(_one_edit(word) & known):
            found.append(
                Correction(
                    query=text[: match.start()] + near + text[match.end() :],
                    typed=word,
                    corrected=near,
                    phrase=near,
                    support=vocabulary.document_frequency(near),
                )
            )
    found.sort(key=lambda c: (-c.support, c.query))
    return found[:limit]


def _positions(run: str, unknown: list[int]) -> list[int]:
    """Positions whose one change could make every unknown bigram known (in a run of three or
    more, the bigrams left around such a position are the context the change is read in)."""
    return [p for p in range(len(run)) if set(unknown) <= {p - 1, p}]


def _characters(
    run: str, position: int, bigrams: list[str], vocabulary: Vocabulary
) -> list[tuple[str, int]]:
    """Characters that make every bigram around the position known, with their support."""
    left = run[position - 1] if position > 0 else None
    right = run[position + 1] if position + 1 < len(run) else None
    if left is not None:
        pool = {b[1] for b in bigrams if b[0] == left}
    else:
        pool = {b[0] for b in bigrams if b[1] == right}
    pool.discard(run[position])
    out = []
    for char in sorted(pool):
        around = [p for p in ((left or "") + char, char + (right or "")) if len(p) == 2]
        counts = [vocabulary.document_frequency(p) for p in around]
        if all(counts):
            out.append((char, min(counts)))
    return out


def _phrase(run: str, position: int) -> str:
    """The stretch of a run around a changed position: up to two characters on each side.

    Three characters are too few inside a run: 量子计算机 → 量表计算机 found 量表计 in 电能计量表计.
    """
    return run[max(position - 2, 0) : position + 3]


def _one_edit(word: str) -> set[str]:
    """Every word one substitution, insertion, deletion or swap of neighbours away."""
    splits = [(word[:n], word[n:]) for n in range(len(word) + 1)]
    deleted = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaced = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserted = {a + c + b for a, b in splits for c in _LETTERS}
    return (deleted | swapped | replaced | inserted) - {word}


def _is_han(text: str) -> bool:
    return all(_HAN_RUN.fullmatch(ch) for ch in text)
