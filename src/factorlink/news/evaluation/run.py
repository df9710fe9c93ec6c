"""Runs the extractor over a data set and scores every page (`factorlink news eval`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from factorlink.news.evaluation.datasets import TruthPage, truth_pages
from factorlink.news.evaluation.metrics import (
    PageScore,
    Summary,
    bigram_f1,
    date_correct,
    date_stated,
    summarise,
    truth_date,
)
from factorlink.news.extract import Extracted, ExtractError, extract_page


@dataclass(frozen=True)
class Evaluation:
    summary: Summary
    scores: list[PageScore]
    seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.summary.pages / self.seconds if self.seconds > 0 else 0.0


def score_page(page: TruthPage, extracted: Extracted | None) -> PageScore:
    body = extracted.body if extracted else ""
    day = extracted.date if extracted else None
    truth = truth_date(page.date)
    return PageScore(
        page=page.name,
        f1=bigram_f1(body, page.body),
        date_known=date_stated(page.date),
        date_dated=truth is not None,
        date_ok=date_correct(day, truth),
    )


def evaluate(folder: Path) -> Evaluation:
    """Extracts every page of the data set in `folder` and scores it against the truth."""
    pages = truth_pages(folder)
    scores = []
    started = time.perf_counter()
    for page in pages:
        try:
            extracted: Extracted | None = extract_page(
                page.path.name, page.path.read_bytes(), page.url
            )
        except ExtractError:
            extracted = None
        scores.append(score_page(page, extracted))
    seconds = time.perf_counter() - started
    return Evaluation(summarise(scores), scores, seconds)
