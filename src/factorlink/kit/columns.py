"""Column constructors for the common kinds of cell (pure, apart from reading reference data)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from factorlink.kit.table import Column
from factorlink.reference import get_industries, get_region
from factorlink.validation import details as d
from factorlink.validation import parsers as p
from factorlink.validation.errors import FieldError
from factorlink.validation.vocab import Vocabulary, label, parse_choice, parse_choices


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


number_text = _num


def text(
    key: str,
    header: str,
    header_en: str,
    *,
    field: str | None = None,
    required: bool = False,
    max_length: int = 200,
    example: str = "",
    aliases: tuple[str, ...] = (),
) -> Column:
    """Free text stored in one field."""
    name = field or key
    return Column(
        key,
        header,
        header_en,
        parse=lambda v: {name: p.parse_text(v, max_length=max_length) or None},
        format=lambda r: getattr(r, name) or "",
        required=required,
        example=example,
        aliases=aliases,
        empty={name: None},
    )


def multi(
    key: str, header: str, header_en: str, *, example: str = "", max_items: int = 30
) -> Column:
    """A multi-valued free-text cell (关键词)."""

    def parse(value: Any) -> dict[str, Any]:
        items = [p.parse_text(item, max_length=50) for item in p.split_multi(value)]
        if len(items) > max_items:
            raise FieldError(f"最多{max_items}项", f"at most {max_items} items")
        return {key: items}

    return Column(
        key,
        header,
        header_en,
        parse=parse,
        format=lambda r: "、".join(getattr(r, key)),
        example=example,
        empty={key: []},
    )


def spellings(vocab: Vocabulary) -> tuple[str, ...]:
    """Every spelling a vocabulary accepts: its canonical values, then their synonyms."""
    return tuple(dict.fromkeys([*vocab, *(s for synonyms in vocab.values() for s in synonyms)]))


def choice(
    key: str,
    header: str,
    header_en: str,
    vocab: Vocabulary,
    *,
    required: bool = False,
    example: str = "",
    aliases: tuple[str, ...] = (),
) -> Column:
    """One value from a controlled vocabulary."""
    return Column(
        key,
        header,
        header_en,
        parse=lambda v: {key: parse_choice(v, vocab, header, header_en)},
        format=lambda r: label(getattr(r, key)) if getattr(r, key) is not None else "",
        required=required,
        example=example,
        aliases=aliases,
        choices=spellings(vocab),
    )


def choices(
    key: str, header: str, header_en: str, vocab: Vocabulary, *, example: str = ""
) -> Column:
    """Several values from a controlled vocabulary."""
    return Column(
        key,
        header,
        header_en,
        parse=lambda v: {key: parse_choices(v, vocab, header, header_en)},
        format=lambda r: "、".join(label(x) for x in getattr(r, key)),
        example=example,
        empty={key: []},
    )


def city(
    *,
    required: bool = True,
    example: str = "上海市松江区",
    header: str = "所在城市",
    writes_district: bool = True,
) -> Column:
    """A corridor city, optionally with its district ("杭州市余杭区").

    Where the sheet has its own district column, pass writes_district=False so exports write
    the district there and not twice.
    """

    def parse(value: Any) -> dict[str, Any]:
        match = p.parse_city(value, get_region())
        # A city without a district clears a stale one (the city may have changed).
        return {"city": match.city.code, "district": match.district}

    def fmt(record: Any) -> str:
        if not record.city:
            return ""
        region = get_region()
        name = region.city(record.city).name
        district: str = (getattr(record, "district", None) or "") if writes_district else ""
        if not district:
            return name
        # A district named after its city (芜湖经济技术开发区) is written alone, not after the
        # city again ("芜湖芜湖…"), when it reads back as the same city and district.
        alone = region.resolve(district)
        names = (name, *region.city(record.city).aliases)
        same = alone is not None and (alone.city.code, alone.district) == (record.city, district)
        if same and any(district.startswith(n) for n in names):
            return district
        # Write the district back when it reads back the same, so a round trip keeps it.
        match = region.resolve(name + district)
        return name + district if match and match.district == district else name

    return Column(
        "city",
        header,
        "City",
        parse=parse,
        format=fmt,
        required=required,
        example=example,
        empty={"city": None, "district": None},
    )


def district() -> Column:
    """A district, county or zone within the city (see canonical_district)."""
    return text("district", "区县", "District", max_length=50, example="松江经济技术开发区")


def canonical_district(values: dict[str, Any]) -> None:
    """Names a district the corridor knows within the row's city as the corridor does ("长兴" →
    长兴县, "合肥经开区" → 合肥经济技术开发区); a park it does not know stays as written."""
    city, written = values.get("city"), values.get("district")
    if city and written:
        values["district"] = get_region().canonical_district(city, written) or written


def industry(*, required: bool = True, example: str = "新材料/石墨烯") -> Column:
    """An industry with an optional sub-field."""

    def parse(value: Any) -> dict[str, Any]:
        match = p.parse_industry(value, get_industries())
        industry = match.industry
        named = f"{industry.name}/{match.subfield}" if match.subfield else industry.name
        typed = p.clean(value)
        # What the author typed is kept where the catalogue names it otherwise ("汽车零部件" is
        # filed under 新能源汽车/智能网联汽车); a code or English name is no wording of theirs.
        own = typed not in (named, industry.code) and typed.lower() != industry.name_en.lower()
        return {
            "industry": industry.code,
            "subfield": match.subfield,
            "industry_text": typed if own else None,
        }

    def fmt(record: Any) -> str:
        if not record.industry:
            return ""
        typed: str | None = getattr(record, "industry_text", None)
        if typed:
            return typed
        name = get_industries().get(record.industry).name
        return f"{name}/{record.subfield}" if record.subfield else name

    return Column(
        "industry",
        "所属行业",
        "Industry",
        parse=parse,
        format=fmt,
        required=required,
        example=example,
        aliases=("行业", "产业领域"),
        empty={"industry": None, "subfield": None, "industry_text": None},
    )


# The longest industries as typed that a row keeps (its column).
INDUSTRIES_TEXT = 300


def industries(key: str, header: str, header_en: str, *, example: str = "") -> Column:
    """Several industries (投资行业, 欢迎行业), stored as codes for search and matching, and as
    typed (`<key>_text`) where the catalogue names any of them otherwise ("汽车零部件、新材料":
    汽车零部件 is filed under 新能源汽车/智能网联汽车); shown and written back as typed."""
    typed_key = f"{key}_text"

    def parse(value: Any) -> dict[str, Any]:
        catalog = get_industries()
        parts = p.split_multi(value)
        found = [catalog.get(p.parse_industry(v, catalog).industry.code) for v in parts]
        codes = list(dict.fromkeys(i.code for i in found))
        # A code or English name is no wording of the author's; a catalogue name is its own.
        own = any(
            typed not in (i.name, i.code) and typed.lower() != i.name_en.lower()
            for typed, i in zip(parts, found, strict=True)
        )
        typed = "、".join(parts) if isinstance(value, list | tuple) else p.clean(value)
        if own and len(typed) > INDUSTRIES_TEXT:
            raise FieldError(
                f"长度不能超过{INDUSTRIES_TEXT}个字", f"longer than {INDUSTRIES_TEXT} characters"
            )
        return {key: codes, typed_key: typed if own else None}

    def fmt(record: Any) -> str:
        typed: str | None = getattr(record, typed_key, None)
        if typed:
            return typed
        return "、".join(get_industries().get(c).name for c in getattr(record, key))

    empty: dict[str, Any] = {key: [], typed_key: None}
    return Column(key, header, header_en, parse=parse, format=fmt, example=example, empty=empty)


def cities(key: str, header: str, header_en: str, *, example: str = "") -> Column:
    """Several corridor cities (覆盖城市), stored as codes."""

    def parse(value: Any) -> dict[str, Any]:
        region = get_region()
        if p.normalize(value) in ("全部", "全走廊", "不限", "all"):
            return {key: [c.code for c in region.cities]}
        codes = [p.parse_city(v, region).city.code for v in p.split_multi(value)]
        return {key: list(dict.fromkeys(codes))}

    def fmt(record: Any) -> str:
        return "、".join(get_region().city(c).name for c in getattr(record, key))

    return Column(key, header, header_en, parse=parse, format=fmt, example=example, empty={key: []})


def contact_name() -> Column:
    """The contact person (personal data)."""
    return text(
        "contact_name", "联系人", "Contact", max_length=50, example="张三", aliases=("联系人姓名",)
    )


def mobile() -> Column:
    """The contact's mobile number (personal data)."""
    return Column(
        "contact_mobile",
        "手机号",
        "Mobile",
        parse=lambda v: {"contact_mobile": p.parse_mobile(v)},
        format=lambda r: r.contact_mobile or "",
        example="13812345678",
        aliases=("手机", "手机号码", "联系电话", "联系方式"),
    )


def code() -> Column:
    """The record's own code (编号), the key that makes re-imports idempotent: an identifier,
    so folded to half-width (ＡＣＨ－００１ is ACH-001), unlike text that is kept as typed."""
    column = text("code", "编号", "Code", max_length=64, example="", aliases=("序号编码", "id"))
    return replace(column, parse=lambda v: {"code": p.normalize(column.parse(v)["code"]) or None})


def money(
    key: str, header: str, header_en: str, *, example: str = "面议", maximum: float = p.MAX_WAN
) -> Column:
    """An amount in 万元 (at most `maximum`) or 面议 (stored as None plus a negotiable flag)."""
    negotiable = key.replace("_wan", "") + "_negotiable"

    def parse(value: Any) -> dict[str, Any]:
        amount = p.parse_money(value, header, header_en, maximum=maximum)
        return {key: amount, negotiable: amount is None}

    def fmt(record: Any) -> str:
        return "面议" if getattr(record, negotiable) else _num(getattr(record, key))

    empty = {key: None, negotiable: False}
    return Column(key, header, header_en, parse=parse, format=fmt, example=example, empty=empty)


def money_range(
    prefix: str,
    header: str,
    header_en: str,
    *,
    negotiable: str | None = None,
    example: str = "",
    required: bool = False,
    maximum: float = p.MAX_WAN,
) -> Column:
    """A range in 万元 ("100-300", "200", "面议"), neither end above `maximum`."""
    low_key, high_key = f"{prefix}_min_wan", f"{prefix}_max_wan"

    def parse(value: Any) -> dict[str, Any]:
        low, high = p.parse_money_range(value, header, header_en, maximum=maximum)
        out: dict[str, Any] = {low_key: low, high_key: high}
        if negotiable:
            out[negotiable] = low is None and high is None
        return out

    def fmt(record: Any) -> str:
        if negotiable and getattr(record, negotiable):
            return "面议"
        low, high = getattr(record, low_key), getattr(record, high_key)
        if low is not None and high is not None:
            return _num(low) if low == high else f"{_num(low)}-{_num(high)}"
        if low is not None:
            return f"≥{_num(low)}"
        return f"≤{_num(high)}" if high is not None else ""

    return Column(
        prefix,
        header,
        header_en,
        parse=parse,
        format=fmt,
        example=example,
        required=required,
        empty={low_key: None, high_key: None, **({negotiable: False} if negotiable else {})},
    )


def number(
    key: str, header: str, header_en: str, *, example: str = "", maximum: float = p.MAX_WAN
) -> Column:
    """A plain non-negative number, at most `maximum` (万元/亩 thresholds, tax)."""
    return Column(
        key,
        header,
        header_en,
        parse=lambda v: {key: p.parse_money(v, header, header_en, maximum=maximum)},
        format=lambda r: _num(getattr(r, key)),
        example=example,
    )


def trl() -> Column:
    """Technology readiness: TRL 1–9 or 实验室/小试/中试/量产."""
    return Column(
        "trl",
        "技术成熟度",
        "Readiness",
        parse=lambda v: {"trl": p.parse_trl(v)},
        format=lambda r: str(r.trl) if r.trl else "",
        example="中试",
        aliases=("成熟度", "TRL"),
    )


def date(key: str, header: str, header_en: str, *, example: str = "") -> Column:
    """A calendar date."""
    return Column(
        key,
        header,
        header_en,
        parse=lambda v: {key: p.parse_date(v)},
        format=lambda r: getattr(r, key).isoformat() if getattr(r, key) else "",
        example=example,
    )


def organization(header: str, *, required: bool) -> Column:
    """The owning organisation by name; the service links or creates it."""
    return Column(
        "organization",
        header,
        "Organization",
        parse=lambda v: {"organization_name": p.parse_text(v, max_length=200)},
        format=lambda r: r.organization.name if r.organization else "",
        required=required,
        example="上海松江示例科技有限公司",
        aliases=("所属机构", "机构名称", "单位"),
        empty={"organization_name": None},
    )


def area() -> Column:
    """An area with its unit (㎡ or 亩), also stored in ㎡."""

    def parse(value: Any) -> dict[str, Any]:
        quantity, sqm = p.parse_area(value)
        return {"area_value": quantity.value, "area_unit": quantity.unit, "area_sqm": sqm}

    def fmt(record: Any) -> str:
        return (
            f"{_num(record.area_value)}{record.area_unit}" if record.area_value is not None else ""
        )

    empty = {"area_value": None, "area_unit": None, "area_sqm": None}
    return Column("area", "面积", "Area", parse=parse, format=fmt, example="5000㎡", empty=empty)


def price_with_unit() -> Column:
    """A rent or price with its unit, or 面议."""

    def parse(value: Any) -> dict[str, Any]:
        quantity = p.parse_price(value)
        if quantity is None:
            return {"price_value": None, "price_unit": "面议"}
        return {"price_value": quantity.value, "price_unit": quantity.unit}

    def fmt(record: Any) -> str:
        if record.price_unit == "面议":
            return "面议"
        return (
            f"{_num(record.price_value)}{record.price_unit}"
            if record.price_value is not None
            else ""
        )

    return Column(
        "price",
        "价格",
        "Price",
        parse=parse,
        format=fmt,
        example="1.2元/㎡/天",
        aliases=("租金", "租金/价格", "价格/租金"),
        empty={"price_value": None, "price_unit": None},
    )


def figure(
    key: str,
    header: str,
    header_en: str,
    parse: Callable[[Any], float],
    unit: str,
    *,
    example: str = "",
    aliases: tuple[str, ...] = (),
) -> Column:
    """A figure in a fixed unit (层高 in 米, 承重 in 吨/㎡, 电力 in kVA), written back with it."""
    return Column(
        key,
        header,
        header_en,
        parse=lambda v: {key: parse(v)},
        format=lambda r: f"{_num(getattr(r, key))}{unit}" if getattr(r, key) is not None else "",
        example=example,
        aliases=aliases,
    )


def yes_no(key: str, header: str, header_en: str, *, example: str = "是") -> Column:
    """A yes-or-no cell (是/否, 有/无, 可/不可), stored as a boolean; blank is unknown."""
    return Column(
        key,
        header,
        header_en,
        parse=lambda v: {key: d.parse_yes_no(v, header, header_en)},
        format=lambda r: {True: "是", False: "否"}.get(getattr(r, key), ""),
        example=example,
    )


def loose_date(
    key: str,
    header: str,
    header_en: str,
    *,
    text_key: str,
    example: str = "",
    aliases: tuple[str, ...] = (),
) -> Column:
    """A date as people write it ("2027年6月底", "2027年三季度", 现房): the day it stands for in
    `key` and, where it was not a plain date, the text as typed in `text_key`."""

    def parse(value: Any) -> dict[str, Any]:
        found = d.parse_loose_date(value, header, header_en)
        if len(found.text) > 50:
            raise FieldError(f"{header}长度不能超过50个字", f"{header_en} is over 50 characters")
        plain = found.day is not None and found.text == found.day.isoformat()
        return {key: found.day, text_key: None if plain else found.text}

    def fmt(record: Any) -> str:
        day = getattr(record, key)
        return getattr(record, text_key) or (day.isoformat() if day else "")

    return Column(
        key,
        header,
        header_en,
        parse=parse,
        format=fmt,
        example=example,
        aliases=aliases,
        empty={key: None, text_key: None},
    )


def period(
    start: str,
    end: str,
    key: str,
    header: str,
    header_en: str,
    *,
    example: str = "",
    aliases: tuple[str, ...] = (),
) -> Column:
    """A period ("2026-01-01至2026-12-31"; either end may be open) in two date fields."""

    def parse(value: Any) -> dict[str, Any]:
        first, last = d.parse_period(value, header, header_en)
        return {start: first, end: last}

    def fmt(record: Any) -> str:
        first, last = getattr(record, start), getattr(record, end)
        if first is None and last is None:
            return ""
        if first is None:
            return f"至{last.isoformat()}"
        if last is None:
            return f"{first.isoformat()}起"
        return f"{first.isoformat()}至{last.isoformat()}"

    return Column(
        key,
        header,
        header_en,
        parse=parse,
        format=fmt,
        example=example,
        aliases=aliases,
        empty={start: None, end: None},
    )
