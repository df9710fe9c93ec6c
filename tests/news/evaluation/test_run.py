"""The extractor on the real pages of ../shared/data/news: the floors the issue sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorlink.news.evaluation.run import evaluate


@pytest.mark.shared_data
def test_magic_html_pages(shared_data: Path) -> None:
    result = evaluate(shared_data / "news" / "magic-html-zh")
    assert result.summary.pages == 27
    assert result.summary.f1_mean >= 0.92


@pytest.mark.shared_data
def test_cwced_pages(shared_data: Path) -> None:
    result = evaluate(shared_data / "news" / "cwced")
    summary = result.summary
    assert summary.pages == 69
    assert summary.f1_mean >= 0.80
    assert summary.dated_accuracy is not None and summary.dated_accuracy >= 0.85
