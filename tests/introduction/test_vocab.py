"""The words of introductions: a request's purpose heading its note."""

from __future__ import annotations

from factorlink.introduction.vocab import note_parts


def test_a_requests_note_splits_into_its_purpose_and_what_was_typed() -> None:
    assert note_parts("预约考察:下周二上午,3人") == ("预约考察", "下周二上午,3人")
    assert note_parts("我能解决") == ("我能解决", "")
    assert note_parts("想了解中试数据:能否到现场") == (None, "想了解中试数据:能否到现场")
    assert note_parts(None) == (None, "")
