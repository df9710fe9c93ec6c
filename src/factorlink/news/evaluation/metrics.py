"""Scores of one extracted page against its truth. Pure.

Body: F1 of character bigrams (as multisets) with all whitespace removed, the usual measure for
Chinese main-text extraction. Date: to the day, at the precision the truth is written in; a truth
of UNKNOWN is met when nothing was extracted.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from factorlink.news.dates import Partial, parse_partial

_WHITESPACE = re.compile(r"\s+")
UNKNOWN = "UNKNOWN"


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of a text with its whitespace removed."""
    squeezed = _WHITESPACE.sub("", text)
    return Counter(squeezed[i : i + 2] for i in range(len(squeezed) - 1))


def bigram_f1(extracted: str, truth: str) -> float:
    """F1 of the extracted body's bigrams against the truth's (1.0 when both are empty)."""
    got, want = bigrams(extracted), bigrams(truth)
    if not got and not want:
        return 1.0
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def date_stated(text: str | None) -> bool:
    """Whether a truth states the date: as a date or as UNKNOWN (a blank or stray text does not)."""
    if text is None:
        return False
    cleaned = text.strip()
    return cleaned.upper().startswith("UNK") or parse_partial(cleaned) is not None


def truth_date(text: str | None) -> Partial | None:
    """A date truth as written (None for UNKNOWN, its misspellings, or no date at all)."""
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned or cleaned.upper().startswith("UNK"):
        return None
    return parse_partial(cleaned)


def date_correct(extracted: date | None, truth: Partial | None) -> bool:
    """Right to the truth's precision; with no truth, right when nothing was extracted."""
    if truth is None:
        return extracted is None
    return truth.matches(extracted)


@dataclass(frozen=True)
class PageScore:
    page: str
    f1: float
    date_known: bool  # whether the set states this page's date (a date or UNKNOWN)
    date_dated: bool  # whether the truth holds a date
    date_ok: bool


@dataclass(frozen=True)
class Summary:
    pages: int
    f1_mean: float
    f1_median: float
    date_accuracy: float | None
    dated_accuracy: float | None
    dated_pages: int


def summarise(scores: Sequence[PageScore]) -> Summary:
    """Mean and median F1 and the date accuracies over a set of page scores."""
    f1s = [s.f1 for s in scores]
    known = [s for s in scores if s.date_known]
    dated = [s for s in scores if s.date_dated]
    return Summary(
        pages=len(scores),
        f1_mean=statistics.fmean(f1s) if f1s else 0.0,
        f1_median=statistics.median(f1s) if f1s else 0.0,
        date_accuracy=(sum(s.date_ok for s in known) / len(known)) if known else None,
        dated_accuracy=(sum(s.date_ok for s in dated) / len(dated)) if dated else None,
        dated_pages=len(dated),
    )
