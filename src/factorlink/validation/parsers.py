"""Parsers for the values operators type into spreadsheets and forms."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from factorlink.reference import CityMatch, IndustryCatalog, IndustryMatch, Region
from factorlink.validation import credit_code
from factorlink.validation.errors import FieldError

NEGOTIABLE = {"面议", "议价", "待议", "协商", "面谈", "negotiable"}
_MULTI_SPLIT = re.compile(r"[、，,;；\s]+")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_NUMBER = r"(\d+(?:\.\d+)?)"
_RANGE = re.compile(rf"^{_NUMBER}\s*(?:-|~|至|到|—|–)\s*{_NUMBER}$")
_WAN = re.compile(r"(万元|万|w|W)$")
SQM_PER_MU = 10000 / 15  # 1 亩 = 666.67 ㎡

TRL_STAGES = {"实验室": 4, "小试": 5, "中试": 6, "量产": 9, "产业化": 9}


# Control characters (NUL and friends) are never meant in a cell, and PostgreSQL refuses NUL.
# Lone surrogates (a JSON string may carry one) cannot be encoded as UTF-8: dropped too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def drop_controls(text: str) -> str:
    """Removes control characters and lone surrogates (keeps tabs and line breaks)."""
    return _CONTROL.sub("", text)


def normalize(text: object) -> str:
    """Full-width to half-width (NFKC), control characters dropped, trimmed; None becomes ''."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return drop_controls(unicodedata.normalize("NFKC", str(text))).strip()


def parse_text(value: object, *, max_length: int = 200) -> str:
    """Returns trimmed text; rejects text longer than max_length characters."""
    text = normalize(value)
    if len(text) > max_length:
        raise FieldError(f"长度不能超过{max_length}个字", f"longer than {max_length} characters")
    return text


def split_multi(value: object) -> list[str]:
    """Splits a multi-valued cell on the separators people type: 、，,;； and spaces."""
    if isinstance(value, list | tuple):
        parts = [normalize(v) for v in value]
    else:
        parts = _MULTI_SPLIT.split(normalize(value))
    seen: dict[str, None] = {}
    for part in parts:
        if part:
            seen.setdefault(part, None)
    return list(seen)


def parse_mobile(value: object) -> str:
    """Returns an 11-digit mainland mobile number; accepts spaces, dashes and +86."""
    text = re.sub(r"[\s\-()]", "", normalize(value))
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not _MOBILE.match(text):
        # The rejected number is not repeated: error messages may end up in logs.
        raise FieldError(
            "手机号无效:应为1开头的11位数字",
            "invalid mobile number: expected 11 digits starting with 1",
        )
    return text


def parse_credit_code(value: object) -> str:
    """Returns a valid 统一社会信用代码, upper-cased; checks the GB 32100-2015 check digit."""
    text = normalize(value).upper()
    if len(text) != 18 or any(ch not in credit_code.ALPHABET for ch in text):
        raise FieldError(
            f"统一社会信用代码“{text}”格式错误:应为18位数字或大写字母(不含I、O、S、V、Z)",
            f"malformed credit code {text!r}: expected 18 digits or capitals (no I, O, S, V, Z)",
        )
    if not credit_code.is_valid(text):
        expected = credit_code.check_char(text[:17])
        raise FieldError(
            f"统一社会信用代码“{text}”校验位错误(应为{expected})",
            f"credit code {text!r} fails its check digit (expected {expected})",
        )
    return text


def parse_city(value: object, region: Region) -> CityMatch:
    """Resolves a place name to a corridor city (and district)."""
    text = normalize(value)
    match = region.resolve(text)
    if match is None:
        names = "、".join(c.name for c in region.cities)
        raise FieldError(
            f"城市“{text}”不在{region.name}范围内(可选:{names})",
            f"unknown city {text!r}: not one of the corridor's cities",
        )
    return match


def parse_industry(value: object, catalog: IndustryCatalog) -> IndustryMatch:
    """Resolves an industry or sub-field name."""
    text = normalize(value)
    match = catalog.resolve(text)
    if match is None:
        names = "、".join(i.name for i in catalog.industries)
        raise FieldError(
            f"行业“{text}”无法识别(可选:{names},或其细分领域)",
            f"unknown industry {text!r}",
        )
    return match


def parse_trl(value: object) -> int:
    """Returns a TRL 1–9 from a number, "TRL6", or 实验室/小试/中试/量产."""
    text = normalize(value).upper().removeprefix("TRL").strip()
    for stage, level in TRL_STAGES.items():
        if stage in text:
            return level
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 9:
        return int(text)
    raise FieldError(
        f"技术成熟度“{normalize(value)}”无效:应为1–9或实验室/小试/中试/量产",
        f"invalid readiness {normalize(value)!r}: expected TRL 1-9 or 实验室/小试/中试/量产",
    )


def _number(text: str, what: str, what_en: str) -> float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise FieldError(f"{what}“{text}”不是数字", f"{what_en} {text!r} is not a number") from None
    if not math.isfinite(number):
        raise FieldError(
            f"{what}“{text}”不是有效数字", f"{what_en} {text!r} is not a finite number"
        )
    if number < 0:
        raise FieldError(f"{what}不能为负数", f"{what_en} cannot be negative")
    return number


def parse_money(value: object, what: str = "金额", what_en: str = "amount") -> float | None:
    """Returns an amount in 万元, or None for 面议; accepts "120", "120万", "120万元"."""
    text = normalize(value).replace(" ", "")
    if text in NEGOTIABLE:
        return None
    return _number(_WAN.sub("", text), what, what_en)


def parse_money_range(
    value: object, what: str = "金额", what_en: str = "amount"
) -> tuple[float | None, float | None]:
    """Returns (min, max) in 万元 from "100-300", "100万~300万", "200", or (None, None) for 面议."""
    text = normalize(value).replace(" ", "").replace("万元", "").replace("万", "")
    if text in NEGOTIABLE:
        return None, None
    match = _RANGE.match(text)
    if match:
        low = _number(match.group(1), what, what_en)
        high = _number(match.group(2), what, what_en)
        if low > high:
            raise FieldError(f"{what}区间下限大于上限", f"{what_en} range has min above max")
        return low, high
    for prefix in ("≤", "<=", "不超过", "以下"):
        if text.startswith(prefix) or text.endswith(prefix):
            return None, _number(text.replace(prefix, ""), what, what_en)
    for prefix in ("≥", ">=", "不低于", "以上"):
        if text.startswith(prefix) or text.endswith(prefix):
            return _number(text.replace(prefix, ""), what, what_en), None
    number = _number(text, what, what_en)
    return number, number


@dataclass(frozen=True)
class Quantity:
    """A number with the unit it was given in."""

    value: float
    unit: str


_AREA_UNITS = {
    "㎡": "㎡",
    "m2": "㎡",
    "m²": "㎡",
    "平方米": "㎡",
    "平米": "㎡",
    "平": "㎡",
    "亩": "亩",
}


def parse_area(value: object) -> tuple[Quantity, float]:
    """Returns the area as given and in ㎡, from "5000㎡", "5000平方米" or "30亩"."""
    text = normalize(value).replace(" ", "").replace(",", "")
    for suffix, unit in sorted(_AREA_UNITS.items(), key=lambda kv: -len(kv[0])):
        if text.endswith(suffix):
            number = _number(text[: -len(suffix)], "面积", "area")
            sqm = number * SQM_PER_MU if unit == "亩" else number
            return Quantity(number, unit), round(sqm, 2)
    raise FieldError(
        f"面积“{normalize(value)}”需带单位(㎡或亩),如“5000㎡”“30亩”",
        f"area {normalize(value)!r} needs a unit (㎡ or 亩), e.g. 5000㎡ or 30亩",
    )


_PRICE_UNITS = (
    "元/㎡/天",
    "元/㎡/月",
    "元/㎡/年",
    "元/㎡",
    "万元/亩",
    "万元/年",
    "万元/月",
    "万元",
    "元/天",
    "元/月",
)


def parse_price(value: object) -> Quantity | None:
    """Returns a price with its unit ("1.2元/㎡/天", "45万元/亩"), or None for 面议."""
    text = normalize(value).replace(" ", "").replace("平方米", "㎡").replace("平米", "㎡")
    text = text.replace("m2", "㎡").replace("m²", "㎡").replace("/平", "/㎡")
    if text in NEGOTIABLE:
        return None
    for unit in _PRICE_UNITS:
        if text.endswith(unit):
            return Quantity(_number(text[: -len(unit)], "价格", "price"), unit)
    raise FieldError(
        f"价格“{normalize(value)}”需带单位,如“1.2元/㎡/天”“45万元/亩”或“面议”",
        f"price {normalize(value)!r} needs a unit, e.g. 1.2元/㎡/天, 45万元/亩, or 面议",
    )


def parse_date(value: object) -> date:
    """Returns a date from 2026-12-31, 2026/12/31, 2026年12月31日, or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normalize(value)
    cleaned = re.sub(r"[年月/.]", "-", text).rstrip("日").rstrip("-")
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in cleaned.split("-")))
    except ValueError:
        raise FieldError(
            f"日期“{text}”无效,应为如2026-12-31", f"invalid date {text!r}, expected e.g. 2026-12-31"
        ) from None
