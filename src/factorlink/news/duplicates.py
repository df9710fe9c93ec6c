"""Near-duplicate articles grouped into stories: MinHash LSH over character shingles. Pure.

The same release re-posted with another header, cut short or lightly edited shares most of its
5-character shingles; LSH finds the candidates in sub-linear time and the estimated Jaccard
similarity of the two signatures decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

SHINGLE = 5
PERMUTATIONS = 128
THRESHOLD = 0.5
_DROP = re.compile(r"[\s\W_]+")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The text's character shingles, with spaces and punctuation removed."""
    squeezed = _DROP.sub("", text)
    if len(squeezed) <= size:
        return {squeezed} if squeezed else set()
    return {squeezed[i : i + size] for i in range(len(squeezed) - size + 1)}


def signature(text: str) -> MinHash:
    """The MinHash of a text's shingles."""
    minhash = MinHash(num_perm=PERMUTATIONS, seed=17)
    minhash.update_batch([s.encode("utf-8") for s in shingles(text)])
    return minhash


class StoryIndex:
    """Articles by story: `add` returns the story an article joins (its own id when new)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
        self._signatures: dict[int, MinHash] = {}
        self._story: dict[int, int] = {}

    def story_of(self, article_id: int) -> int:
        return self._story[article_id]

    def add(self, article_id: int, text: str, story: int | None = None) -> int:
        """Indexes an article; its story is the given one, else that of its closest copy."""
        minhash = signature(text)
        if story is None:
            best, best_similarity = None, self.threshold
            for other in self._lsh.query(minhash):
                similarity = minhash.jaccard(self._signatures[other])
                if similarity >= best_similarity:
                    best, best_similarity = other, similarity
            story = self._story[best] if best is not None else article_id
        self._lsh.insert(article_id, minhash)
        self._signatures[article_id] = minhash
        self._story[article_id] = story
        return story


def group(texts: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> dict[int, int]:
    """Each article's story for a batch of (id, text), in order."""
    index = StoryIndex(threshold)
    return {article_id: index.add(article_id, text) for article_id, text in texts}
