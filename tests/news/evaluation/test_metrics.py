"""Bigram F1 and date scoring."""

from __future__ import annotations

from datetime import date

import pytest

from factorlink.news.dates import Partial
from factorlink.news.evaluation.metrics import (
    PageScore,
    bigram_f1,
    date_correct,
    date_stated,
    summarise,
    truth_date,
)


def test_bigram_f1_ignores_whitespace_and_counts_repeats() -> None:
    assert bigram_f1("九 城\n市", "九城市") == 1.0
    assert bigram_f1("", "") == 1.0
    assert bigram_f1("", "九城市") == 0.0
    # "ababab" has bigrams ab×3 ba×2; "abab" ab×2 ba×1: 3 in common, P=3/5, R=1.
    assert bigram_f1("ababab", "abab") == pytest.approx(2 * 0.6 / 1.6)


def test_date_truths() -> None:
    assert truth_date("UNKNOWN") is None and truth_date("UNKNWON") is None
    assert truth_date("2005-5-7 21:23:57") == Partial(2005, 5, 7)
    assert date_stated("UNKNOWN") and date_stated("1998-3")
    assert not date_stated("") and not date_stated("刘涛") and not date_stated(None)
    assert date_correct(None, None) and not date_correct(date(2005, 5, 7), None)
    assert date_correct(date(1998, 3, 1), truth_date("1998-3"))
    assert not date_correct(None, truth_date("1998-3"))


def test_summary() -> None:
    scores = [
        PageScore("a", 1.0, True, True, True),
        PageScore("b", 0.5, True, False, False),
        PageScore("c", 0.0, False, False, False),
    ]
    summary = summarise(scores)
    assert summary.pages == 3
    assert summary.f1_mean == pytest.approx(0.5) and summary.f1_median == 0.5
    assert summary.date_accuracy == 0.5  # c states no date
    assert summary.dated_accuracy == 1.0 and summary.dated_pages == 1
