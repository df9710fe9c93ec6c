"""The word cutter for explanations, with the corridor's industry vocabulary as its dictionary."""

from __future__ import annotations

import threading
from pathlib import Path

from factorlink.matching.retrieval.text import WordCutter
from factorlink.reference import get_industries

_cutter: WordCutter | None = None
_lock = threading.Lock()


def domain_terms() -> list[str]:
    """Industry names, aliases and sub-fields: words jieba must keep whole."""
    terms: list[str] = []
    for industry in get_industries().industries:
        terms.extend([industry.name, *industry.aliases, *industry.subfields])
    return terms


def industry_words() -> frozenset[str]:
    """Industry names and aliases (not sub-fields): what the industry criterion explains."""
    names: set[str] = set()
    for industry in get_industries().industries:
        names.update([industry.name, *industry.aliases, *industry.name.split("/")])
    return frozenset(names)


def get_word_cutter(cache_dir: Path) -> WordCutter:
    """The process-wide word cutter; its dictionary loads once (jieba caches it in cache_dir)."""
    global _cutter
    with _lock:
        if _cutter is None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            _cutter = WordCutter(domain_terms(), cache_dir=str(cache_dir))
        return _cutter
