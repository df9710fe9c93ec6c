"""Checking what an operator typed: increment tables refused with a reason in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factorlink.auction import rules, setup
from factorlink.auction.rules import BandProblem
from factorlink.auction.schemas import BandIn, SessionIn
from factorlink.errors import InvalidInput

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def session_in(bands: list[BandIn] | None) -> SessionIn:
    return SessionIn(title="G60科拍会", starts_at=T0, ends_at=T0 + timedelta(hours=2), bands=bands)


@pytest.mark.parametrize("problem", list(BandProblem))
def test_every_band_problem_reads_in_chinese_and_english(problem: BandProblem) -> None:
    reason, reason_en = setup.band_reason(problem)
    assert reason and reason_en and reason != reason_en
    assert not reason.isascii() and reason_en.isascii()


@pytest.mark.parametrize(
    ("bands", "reason", "reason_en"),
    [
        ([], "至少需要一档", "empty"),
        ([BandIn(from_wan=10, step_wan=1)], "第一档须从0开始", "first band must start at 0"),
        (
            # The schema refuses a zero step first; the terms check it all the same.
            [BandIn(from_wan=0, step_wan=1), BandIn.model_construct(from_wan=50, step_wan=0)],
            "加价幅度须大于0",
            "steps must be above 0",
        ),
        (
            [BandIn(from_wan=0, step_wan=1), BandIn(from_wan=0, step_wan=2)],
            "各档起点须严格递增",
            "band floors must strictly increase",
        ),
    ],
)
def test_a_bad_table_is_refused_with_its_reason(
    bands: list[BandIn], reason: str, reason_en: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        setup.session_terms(session_in(bands))
    error = refused.value
    assert (error.message, error.message_en) == (f"加价幅度表无效:{reason}", f"bands: {reason_en}")
    assert error.errors == [
        {"field": "bands", "reason": error.message, "reason_en": error.message_en}
    ]


def test_a_usable_table_is_kept_and_none_gives_the_default() -> None:
    bands = [BandIn(from_wan=0, step_wan=1), BandIn(from_wan=50, step_wan=2)]
    assert setup.session_terms(session_in(bands)) == (
        rules.Band(0, 10_000),
        rules.Band(500_000, 20_000),
    )
    assert setup.session_terms(session_in(None)) == rules.DEFAULT_BANDS
