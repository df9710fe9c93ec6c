"""Capital products and carriers, from their vocabulary files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factorlink.validation import parse_area, parse_price, split_multi
from factorlink.validation.vocab import CAPITAL_KINDS, CARRIER_KINDS, parse_choice
from sample import details, vocab
from sample.orgs import Org
from sample.rand import People, Rand

# 亩均税收 and 投资强度 thresholds (万元/亩) by city: Songjiang asks most, Xuancheng least.
_THRESHOLDS = {
    "songjiang": ((60, 80), (500, 600)),
    "hangzhou": ((50, 80), (450, 600)),
    "suzhou": ((50, 80), (450, 600)),
    "jiaxing": ((40, 60), (350, 500)),
    "hefei": ((40, 60), (350, 500)),
    "jinhua": ((30, 50), (300, 450)),
    "huzhou": ((30, 50), (300, 450)),
    "wuhu": ((30, 50), (300, 450)),
    "xuancheng": ((30, 40), (300, 350)),
}


@dataclass(frozen=True)
class Capital:
    """One capital product, with what introductions need to pair it."""

    code: str
    kind: str
    industries: tuple[str, ...]
    cities: tuple[str, ...]
    ticket: tuple[float, float]
    row: dict[str, Any]


@dataclass(frozen=True)
class Carrier:
    """One carrier, with what leads and introductions need to pair it."""

    code: str
    kind: str
    city: str
    industries: tuple[str, ...]
    area_sqm: float
    area_text: str
    price: tuple[float, str] | None
    row: dict[str, Any]


def _industry_codes(cell: str) -> tuple[str, ...]:
    catalog = vocab.industries()
    return tuple(
        dict.fromkeys(m.industry.code for v in split_multi(cell) if (m := catalog.resolve(v)))
    )


def _city_codes(cell: str) -> tuple[str, ...]:
    region = vocab.region()
    if cell == "全走廊":
        return tuple(c.code for c in region.cities)
    return tuple(m.city.code for v in split_multi(cell) if (m := region.resolve(v)))


def capital_rows(orgs: Sequence[Org], people: People) -> list[Capital]:
    """Every capital product, in file order."""
    rand = Rand("capital")
    more = Rand("capital-details")
    by_name = {o.name: o for o in orgs}
    out = []
    for number, entry in enumerate(vocab.read("capital.yaml"), start=1):
        name, kind, org, stages, industries, ticket, cities = entry
        contact = by_name[org].contact if rand.chance(0.4) else people.contact()
        low, high = (float(x) for x in ticket.split("-"))
        code = f"G60-CAP-2026-{number:04d}"
        row = {
            "编号": code,
            "名称": name,
            "类型": kind,
            "投资阶段": stages,
            "投资行业": industries,
            "单笔金额(万元)": ticket,
            "覆盖城市": cities,
            **details.capital(kind, industries, more),
            "所属机构": org,
            "联系人": contact.name,
            "手机号": contact.mobile,
        }
        kind_code = parse_choice(kind, CAPITAL_KINDS, "类型", "kind")
        industry_codes, city_codes = _industry_codes(industries), _city_codes(cities)
        out.append(Capital(code, kind_code, industry_codes, city_codes, (low, high), row))
    return out


def _thresholds(kind: str, city: str, rand: Rand) -> tuple[int | str, int | str]:
    (tax_lo, tax_hi), (inv_lo, inv_hi) = _THRESHOLDS[city]
    tax: int | str = rand.rounded(tax_lo, tax_hi, 5)
    invest: int | str = rand.rounded(inv_lo, inv_hi, 50)
    if kind == "厂房":
        tax = tax if rand.chance(0.85) else ""
        invest = invest if rand.chance(0.6) else ""
    elif kind != "土地":
        tax, invest = "", ""
    return tax, invest


def carrier_rows(people: People) -> list[Carrier]:
    """Every carrier, in file order."""
    rand = Rand("carriers")
    more = Rand("carrier-details")
    out = []
    for number, entry in enumerate(vocab.read("carriers.yaml"), start=1):
        name, kind, city_cell, district, area, price, industries = entry
        match = vocab.region().resolve(city_cell)
        if match is None:
            raise ValueError(f"unknown city {city_cell!r}")
        tax, invest = _thresholds(kind, match.city.code, rand)
        contact = people.contact()
        code = f"G60-CAR-2026-{number:04d}"
        row = {
            "编号": code,
            "名称": name,
            "类型": kind,
            "所在城市": city_cell,
            "区县": district,
            "面积": area,
            "价格": price,
            "欢迎行业": industries,
            "亩均税收门槛(万元/亩)": tax,
            "投资强度门槛(万元/亩)": invest,
            **details.carrier(kind, district, parse_area(area)[1], more),
            "联系人": contact.name,
            "手机号": contact.mobile,
        }
        _, sqm = parse_area(area)
        quantity = parse_price(price)
        out.append(
            Carrier(
                code,
                parse_choice(kind, CARRIER_KINDS, "类型", "kind"),
                match.city.code,
                _industry_codes(industries),
                sqm,
                area,
                (quantity.value, quantity.unit) if quantity else None,
                row,
            )
        )
    return out
