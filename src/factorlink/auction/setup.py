"""A session's and a lot's terms from what the operator typed: checked, in 元 (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import assert_never

from factorlink.auction import rules
from factorlink.auction.models import AuctionSession
from factorlink.auction.money import to_yuan
from factorlink.auction.schemas import LotIn, SessionIn
from factorlink.auth.viewer import Viewer
from factorlink.errors import InvalidInput, PermissionDenied
from factorlink.reference import get_region


@dataclass(frozen=True)
class LotTerms:
    """The checked terms of a new lot."""

    start_yuan: int
    reserve_yuan: int | None
    appraised_yuan: int | None
    deposit_yuan: int
    opens_at: datetime
    closes_at: datetime


def invalid(field: str, reason: str, reason_en: str) -> InvalidInput:
    """An InvalidInput naming one field."""
    return InvalidInput(
        reason,
        message_en=reason_en,
        errors=[{"field": field, "reason": reason, "reason_en": reason_en}],
    )


def band_reason(problem: rules.BandProblem) -> tuple[str, str]:
    """What is wrong with an increment table, in Chinese and in English."""
    match problem:
        case rules.BandProblem.empty:
            return "至少需要一档", "empty"
        case rules.BandProblem.first_floor_not_zero:
            return "第一档须从0开始", "first band must start at 0"
        case rules.BandProblem.step_not_positive:
            return "加价幅度须大于0", "steps must be above 0"
        case rules.BandProblem.floors_not_increasing:
            return "各档起点须严格递增", "band floors must strictly increase"
        case _:
            assert_never(problem)


def session_terms(body: SessionIn) -> tuple[rules.Band, ...]:
    """Checks a new session's schedule and returns its increment bands (the default table)."""
    if body.ends_at <= body.starts_at:
        raise invalid("ends_at", "结束时间须晚于开始时间", "ends_at must be after starts_at")
    if body.bands is None:
        return rules.DEFAULT_BANDS
    bands = tuple(
        rules.Band(to_yuan(b.from_wan, "bands.from_wan"), to_yuan(b.step_wan, "bands.step_wan"))
        for b in body.bands
    )
    problem = rules.check_bands(bands)
    if problem is not None:
        reason, reason_en = band_reason(problem)
        raise invalid("bands", f"加价幅度表无效:{reason}", f"bands: {reason_en}")
    return bands


def lot_terms(body: LotIn, auction: AuctionSession) -> LotTerms:
    """Checks a new lot's prices and window; the window defaults to the session's schedule."""
    start = to_yuan(body.start_price_wan, "start_price_wan")
    reserve = None
    if body.reserve_price_wan is not None:
        reserve = to_yuan(body.reserve_price_wan, "reserve_price_wan")
    if body.single_offer and reserve is not None:
        raise invalid(
            "reserve_price_wan",
            "挂牌(单次报价)拍品按起拍价成交,不设保留价",
            "single-offer lots sell at the start price and take no reserve",
        )
    appraised = None
    if body.appraised_price_wan is not None:
        appraised = to_yuan(body.appraised_price_wan, "appraised_price_wan")
    opens_at = body.opens_at or auction.starts_at
    closes_at = body.closes_at or auction.ends_at
    if closes_at <= opens_at:
        raise invalid("closes_at", "竞价结束时间须晚于开始时间", "closes_at must be after opens_at")
    deposit = auction.deposit_yuan
    if body.deposit_wan is not None:
        deposit = to_yuan(body.deposit_wan, "deposit_wan")
    return LotTerms(start, reserve, appraised, deposit, opens_at, closes_at)


def session_city(text: str | None, viewer: Viewer) -> str | None:
    """The city code a new session is run in: the one given, or an operator's only city; the
    viewer must operate there (None, the whole region: admins and unscoped operators)."""
    city = None
    if text and text.strip():
        match = get_region().resolve(text.strip())
        if match is None:
            raise invalid("city", f"未知城市“{text}”", f"unknown city {text!r}")
        city = match.city.code
    elif viewer.is_operator and len(viewer.city_scope) == 1:
        city = viewer.city_scope[0]
    elif viewer.is_operator and viewer.city_scope:
        raise invalid(
            "city",
            "您的运营范围有多个城市,请指定拍卖会所在城市",
            "you operate in several cities: name the session's city",
        )
    if not viewer.operates_in(city):
        raise PermissionDenied(
            "该城市不在您的运营范围内", message_en="the city is outside your operator scope"
        )
    return city
