"""The structured facts of a factor that structured fit compares (pure).

Amounts are in 万元, areas in ㎡. A fact the listing does not state is None (or empty): fit
treats it as unknown, never as a miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A closed range of amounts in 万元; either end may be open (None)."""

    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, low: float | None, high: float | None) -> Span | None:
        """A span, or None when neither end is known."""
        return None if low is None and high is None else cls(low, high)


@dataclass(frozen=True)
class UnitPrice:
    """A price with its unit, as carriers quote it ("1.2元/㎡/天", "45万元/亩")."""

    value: float
    unit: str


@dataclass(frozen=True)
class Profile:
    """What fit needs to know about one factor of any kind."""

    kind: str
    # Industry codes: one for most kinds, several for capital and carriers (投资/欢迎行业).
    industries: tuple[str, ...] = ()
    subfield: str | None = None
    # An expert's research fields, where a sub-field may be named in other words.
    topics: tuple[str, ...] = ()
    city: str | None = None
    # Cities a capital product covers, or a lead's preferred cities.
    cities: tuple[str, ...] = ()
    budget: Span | None = None
    budget_negotiable: bool = False
    price: Span | None = None
    price_negotiable: bool = False
    trl: int | None = None
    trl_needed: int | None = None
    coop_modes: tuple[str, ...] = ()
    # Capital: the stages it invests in; a lead: the round it is raising.
    stages: tuple[str, ...] = ()
    ticket: Span | None = None
    # What a lead asks to raise or borrow, or an achievement's asking price.
    funding_wan: float | None = None
    capital_kind: str | None = None
    capital_kinds_wanted: tuple[str, ...] = ()
    org_kind: str | None = None
    annual_tax_wan: float | None = None
    carrier_kind: str | None = None
    carrier_kinds_wanted: tuple[str, ...] = ()
    area_sqm: float | None = None
    area_needed_sqm: float | None = None
    unit_price: UnitPrice | None = None
    unit_price_cap: UnitPrice | None = None
    tax_threshold_wan_per_mu: float | None = None
    investment_threshold_wan_per_mu: float | None = None
    investment_wan: float | None = None
    lead_type: str | None = None
    purpose: str | None = None


@dataclass(frozen=True)
class StatedNeeds:
    """What a lead's own words ask for: area, money, round, kind of space, price ceiling."""

    area_sqm: float | None = None
    budget: Span | None = None
    funding_wan: float | None = None
    investment_wan: float | None = None
    stages: tuple[str, ...] = ()
    carrier_kinds: tuple[str, ...] = ()
    capital_kinds: tuple[str, ...] = ()
    price_cap: UnitPrice | None = None


SQM_PER_MU = 10000 / 15
_NUM = r"(\d+(?:\.\d+)?)"
_AREA = re.compile(_NUM + r"\s*(万)?\s*(㎡|亩)")
_FUNDING = re.compile(
    r"(?:融资|申请|贷款|借款|资金需求|缺口)[^,，。;；\d]{0,8}?" + _NUM + r"\s*(亿|万)元?"
)
_BUDGET = re.compile(
    r"预算[^,，。;；\d]{0,6}?"
    + _NUM
    + r"\s*万?\s*(?:(?:-|~|至|到|—|–)\s*"
    + _NUM
    + r")?\s*(亿|万)元?"
)
# "投资强度 400万元/亩" is a threshold, not a sum; "融资" is funding, matched above.
_INVESTMENT = re.compile(
    r"(?<!融)(?:总投资|投资额|投资)[^,，。;；\d]{0,6}?" + _NUM + r"\s*(亿|万)元(?!/)"
)
_ROUND = re.compile(r"(种子轮|种子期|天使轮|Pre-A|Pre-IPO|[A-D]\+?轮)", re.IGNORECASE)
_ROUNDS = {
    "种子轮": "种子期",
    "种子期": "种子期",
    "天使轮": "天使轮",
    "pre-a": "A轮",
    "pre-ipo": "Pre-IPO",
}
_LATE_ROUNDS = ("C", "D")
_PRICE = re.compile(_NUM + r"\s*(元/㎡/天|元/㎡/月|元/㎡/年|万元/亩)")
_NOT_A_PRICE = ("税收", "强度", "产值")
_SPACE_WORDS = {
    "land": ("工业用地", "土地", "用地", "地块", "拿地"),
    "factory": ("厂房", "车间"),
    "office": ("写字楼", "办公", "研发楼"),
    "incubator": ("孵化", "众创空间", "加速器"),
}

# A loan is asked for as 贷款/信用贷; an equity round as 融资 with 股权 given up.
_CAPITAL_WORDS = {
    ("bank_loan",): ("贷款", "信用贷", "科技贷", "研发贷", "技改贷", "授信", "信贷"),
    ("vc_pe", "guidance_fund"): ("股权", "轮融资", "天使轮", "投资机构", "基金"),
    ("insurance",): ("保险",),
}


def _wan(number: str, unit: str) -> float:
    return float(number) * (10000 if unit == "亿" else 1)


def _area(text: str) -> float | None:
    match = _AREA.search(text)
    if match is None:
        return None
    value = float(match.group(1)) * (10000 if match.group(2) else 1)
    return round(value * SQM_PER_MU if match.group(3) == "亩" else value, 2)


def _budget(text: str) -> Span | None:
    # One figure is a ceiling (预算100万左右, 预算200万元以内); two are a range.
    match = _BUDGET.search(text)
    if match is None:
        return None
    first, second, unit = match.groups()
    if second is None:
        return Span(None, _wan(first, unit))
    return Span(_wan(first, unit), _wan(second, unit))


def _round(token: str) -> str:
    key = token.lower()
    if key in _ROUNDS:
        return _ROUNDS[key]
    return "C轮及以后" if key[0].upper() in _LATE_ROUNDS else f"{key[0].upper()}轮"


def _price_cap(text: str) -> UnitPrice | None:
    for match in _PRICE.finditer(text):
        if not any(
            word in text[max(0, match.start() - 6) : match.start()] for word in _NOT_A_PRICE
        ):
            return UnitPrice(float(match.group(1)), match.group(2))
    return None


def read_needs(text: str) -> StatedNeeds:
    """Reads the figures a message states ("需要14200㎡厂房", "A轮融资2050万元", "90亩")."""
    # Stored text is NFKC-normalised, which spells ㎡ as "m2".
    for spelling in ("平方米", "平米", "m²", "m2"):
        text = text.replace(spelling, "㎡")
    text = text.replace("/平/", "/㎡/")
    funding = _FUNDING.search(text)
    investment = _INVESTMENT.search(text)
    kinds = [k for k, words in _SPACE_WORDS.items() if any(w in text for w in words)]
    capital = [
        k for ks, words in _CAPITAL_WORDS.items() if any(w in text for w in words) for k in ks
    ]
    return StatedNeeds(
        area_sqm=_area(text),
        budget=_budget(text),
        funding_wan=_wan(funding.group(1), funding.group(2)) if funding else None,
        investment_wan=_wan(investment.group(1), investment.group(2)) if investment else None,
        stages=tuple(dict.fromkeys(_round(m) for m in _ROUND.findall(text))),
        carrier_kinds=tuple(kinds),
        capital_kinds=tuple(capital),
        price_cap=_price_cap(text),
    )
