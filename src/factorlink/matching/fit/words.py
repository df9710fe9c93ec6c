"""The words of structured fit: criterion labels and figures in Chinese and English (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from factorlink.matching.fit.profile import SQM_PER_MU, Span
from factorlink.validation.vocab import label

if TYPE_CHECKING:
    from factorlink.matching.fit.assess import FitConfig

Words = tuple[str, str]

LABELS: dict[str, Words] = {
    "industry": ("行业", "Industry"),
    "subfield": ("细分领域", "Sub-field"),
    "cities": ("城市范围", "Cities"),
    "distance": ("距离", "Distance"),
    "budget": ("预算与报价", "Budget and price"),
    "readiness": ("技术成熟度", "Readiness (TRL)"),
    "coop_modes": ("合作方式", "Cooperation modes"),
    "stage": ("投资阶段", "Investment stage"),
    "ticket": ("单笔金额", "Ticket size"),
    "capital_kind": ("资本类型", "Kind of capital"),
    "org_kind": ("机构类型", "Kind of organisation"),
    "carrier_kind": ("载体类型", "Kind of space"),
    "area": ("面积", "Area"),
    "facilities": ("设施条件", "Facilities"),
    "carrier_price": ("价格", "Price"),
    "tax_threshold": ("亩均税收", "Tax per mu"),
    "investment_threshold": ("投资强度", "Investment per mu"),
}

MODES_EN = {
    "转让": "transfer",
    "许可": "licence",
    "作价入股": "equity",
    "合作开发": "co-development",
    "技术服务": "technical service",
}
STAGES_EN = {
    "种子期": "seed",
    "天使轮": "angel",
    "A轮": "Series A",
    "B轮": "Series B",
    "C轮及以后": "Series C+",
    "Pre-IPO": "pre-IPO",
    "并购": "M&A",
}
CAPITAL_KINDS_EN = {
    "vc_pe": "VC/PE",
    "guidance_fund": "a guidance fund",
    "bank_loan": "a bank loan",
    "insurance": "technology insurance",
}
ORG_KINDS_EN = {
    "enterprise": "enterprise",
    "university": "university",
    "institute": "research institute",
    "investor": "investor",
    "park": "park",
    "service": "service body",
}
KINDS_EN = {"land": "land", "factory": "factory", "office": "office", "incubator": "incubator"}


def num(value: float) -> str:
    """A figure to three or so significant digits: 2050, 357, 21.3, 0.45."""
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{round(value, digits):g}"


def _cny(value: float) -> str:
    yuan = value * 10_000
    return f"{num(yuan / 1e6)}m" if yuan >= 1e6 else f"{num(yuan / 1e3)}k"


def wan(value: float) -> Words:
    """An amount in 万元, and in CNY for English (60万元 = CNY 600k; 2050万元 = CNY 20.5m)."""
    return f"{num(value)}万元", f"CNY {_cny(value)}"


def per_mu_en(value: float) -> str:
    """An amount per 亩 in English."""
    return f"{wan(value)[1]}/mu"


def span(value: Span) -> Words:
    """A range of 万元: 50–80万元, 不低于50万元, 不超过80万元."""
    low, high = value.low, value.high
    if low is not None and high is not None and low != high:
        return f"{num(low)}–{num(high)}万元", f"CNY {_cny(low)}–{_cny(high)}"
    if low is not None and high is None:
        return f"不低于{wan(low)[0]}", f"at least {wan(low)[1]}"
    if low is None and high is not None:
        return f"不超过{wan(high)[0]}", f"up to {wan(high)[1]}"
    return wan(low if low is not None else 0.0)


def area(sqm: float) -> Words:
    """An area in ㎡, with 亩 where land is counted in 亩 (10亩 and more)."""
    mu = sqm / SQM_PER_MU
    if mu >= 10:
        return f"{sqm:.0f}㎡(约{num(mu)}亩)", f"{sqm:,.0f} ㎡ (about {num(mu)} mu)"
    return f"{sqm:.0f}㎡", f"{sqm:,.0f} ㎡"


def _join(zh: Iterable[str], en: Iterable[str]) -> Words:
    return "、".join(zh), ", ".join(en)


def industries(codes: Iterable[str], cfg: FitConfig) -> Words:
    """Industry names, from their codes."""
    catalog = cfg.industries
    pairs = [
        (catalog.get(c).name, catalog.get(c).name_en) if catalog.has(c) else (c, c) for c in codes
    ]
    return _join((p[0] for p in pairs), (p[1] for p in pairs))


def cities(codes: Iterable[str], cfg: FitConfig) -> Words:
    """City names, from their codes (a code outside the corridor stays as it is)."""
    pairs = [
        (cfg.region.city(c).name, cfg.region.city(c).name_en) if cfg.region.has(c) else (c, c)
        for c in codes
    ]
    return _join((p[0] for p in pairs), (p[1] for p in pairs))


def place(city: str, district: str | None, cfg: FitConfig) -> Words:
    """A city and, where known, its district: 湖州长兴县, Huzhou (长兴县); a district named after
    its city is written alone (芜湖经济技术开发区, not 芜湖芜湖经济技术开发区)."""
    zh, en = cities((city,), cfg)
    if not district:
        return zh, en
    names = [zh, *(cfg.region.city(city).aliases if cfg.region.has(city) else ())]
    if any(name and district.startswith(name) for name in names):
        return district, f"{en} ({district})"
    return f"{zh}{district}", f"{en} ({district})"


def modes(values: Iterable[str]) -> Words:
    """Cooperation modes."""
    items = list(values)
    return _join(items, (MODES_EN.get(v, v) for v in items))


def stages(values: Iterable[str]) -> Words:
    """Investment stages."""
    items = list(values)
    return _join(items, (STAGES_EN.get(v, v) for v in items))


def kinds(values: Iterable[str]) -> Words:
    """Kinds of carrier."""
    items = list(values)
    return _join((label(v) for v in items), (KINDS_EN.get(v, v) for v in items))


def capital_kinds(values: Iterable[str]) -> Words:
    """Kinds of capital."""
    items = list(values)
    return _join((label(v) for v in items), (CAPITAL_KINDS_EN.get(v, v) for v in items))


def org_kind(value: str) -> Words:
    """A kind of organisation."""
    return label(value), ORG_KINDS_EN.get(value, value)
