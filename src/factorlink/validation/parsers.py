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
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff"
# Invisible format characters (Unicode category Cf) that change how text looks or hide in it:
# the bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which can
# make "gpj.exe" read "exe.jpg"; the zero-width ones (U+200B-U+200D, U+2060-U+2064, U+FEFF, the
# byte-order mark), which make two names that look the same compare unequal; the soft hyphen,
# U+180E, the deprecated U+206A-U+206F, the interlinear annotations U+FFF9-U+FFFB and the tag
# characters U+E0001, U+E0020-U+E007F (invisible "ASCII smuggling"). They arrive mostly by copy
# and paste (a BOM from Excel, a zero-width space from a chat) and nobody can see or fix them
# in a cell, so they are dropped rather than refused: what is stored is what can be seen.
INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
_CONTROL = re.compile(f"[{_CONTROLS}{INVISIBLE}]")


def drop_controls(text: str) -> str:
    """Removes control characters, lone surrogates and invisible format characters (bidi
    controls, zero-width characters, the byte-order mark); keeps tabs and line breaks."""
    return _CONTROL.sub("", text)


def clean(text: object) -> str:
    """Text as the person typed it, with what nobody can see dropped (control and invisible
    characters) and trimmed; None becomes ''. Full-width punctuation (，：（）), ㎡ and the like
    stay: what is stored and shown is what was typed. Comparisons, searches and matching fold it
    themselves (`normalize`, matching.retrieval.text)."""
    if text is None:
        return ""
    # A whole float from a spreadsheet or JSON (13812345678.0) reads as the integer it is; a
    # huge one (1e308) stays in exponent form rather than become 309 digits.
    if isinstance(text, float) and text.is_integer() and abs(text) < 1e16:
        text = int(text)
    return drop_controls(str(text)).strip()


def normalize(text: object) -> str:
    """`clean` text folded for reading and comparing: full-width to half-width (NFKC), so ，
    reads as "," and ㎡ as "m2". For parsers of figures and codes, never for text that is kept."""
    return clean(unicodedata.normalize("NFKC", text) if isinstance(text, str) else text)


def parse_text(value: object, *, max_length: int = 200) -> str:
    """Returns the text as typed (`clean`: trimmed, invisible characters dropped); rejects text
    longer than max_length characters."""
    text = clean(value)
    if len(text) > max_length:
        raise FieldError(f"长度不能超过{max_length}个字", f"longer than {max_length} characters")
    return text


def split_multi(value: object) -> list[str]:
    """Splits a multi-valued cell on the separators people type: 、，,;； and spaces; each part
    as typed, the first of those that read the same (石墨烯、石墨烯 once; ＡＩ and AI once)."""
    if isinstance(value, list | tuple):
        parts = [clean(v) for v in value]
    else:
        parts = [clean(part) for part in _MULTI_SPLIT.split(clean(value))]
    seen: dict[str, str] = {}
    for part in parts:
        if part:
            seen.setdefault(normalize(part), part)
    return list(seen.values())


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


# Upper bounds of the figures people type: far above any real one, far below what breaks a
# float or a report. A larger figure is a typo (an extra 0 or two) or an attack (1e308), and is
# refused with the bound in the message, never stored.
MAX_WAN = 10_000_000  # 万元 = 1000亿元: prices, budgets, tickets, annual tax
MAX_WAN_PER_MU = 100_000  # 万元/亩 = 10亿元/亩: tax and investment thresholds per mu
MAX_AREA_SQM = 1_000_000_000  # ㎡ = 1000 km² (150万亩): a carrier, a park, a zone


def _shown(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,}"


def _quoted(text: str) -> str:
    # What a message repeats of a bad figure: enough to find it, never a page of digits.
    return text if len(text) <= 30 else text[:30] + "…"


def _number(
    text: str, what: str, what_en: str, *, maximum: float = MAX_WAN, unit: str = "万元"
) -> float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise FieldError(
            f"{what}“{_quoted(text)}”不是数字", f"{what_en} {_quoted(text)!r} is not a number"
        ) from None
    if not math.isfinite(number):
        raise FieldError(
            f"{what}“{text}”不是有效数字", f"{what_en} {text!r} is not a finite number"
        )
    if number < 0:
        raise FieldError(f"{what}不能为负数", f"{what_en} cannot be negative")
    if number > maximum:
        raise FieldError(
            f"{what}“{_quoted(text)}”超出上限:不能超过{_shown(maximum)}{unit}",
            f"{what_en} {_quoted(text)!r} is above the maximum of {_shown(maximum)} {unit}",
        )
    return number


def parse_money(
    value: object, what: str = "金额", what_en: str = "amount", *, maximum: float = MAX_WAN
) -> float | None:
    """Returns an amount in 万元 (at most `maximum`), or None for 面议; accepts "120", "120万",
    "120万元"."""
    text = normalize(value).replace(" ", "")
    if text in NEGOTIABLE:
        return None
    return _number(_WAN.sub("", text), what, what_en, maximum=maximum)


def parse_money_range(
    value: object, what: str = "金额", what_en: str = "amount", *, maximum: float = MAX_WAN
) -> tuple[float | None, float | None]:
    """Returns (min, max) in 万元 from "100-300", "100万~300万", "200", or (None, None) for 面议;
    neither end above `maximum`."""
    text = normalize(value).replace(" ", "").replace("万元", "").replace("万", "")
    if text in NEGOTIABLE:
        return None, None

    def number(part: str) -> float:
        return _number(part, what, what_en, maximum=maximum)

    match = _RANGE.match(text)
    if match:
        low = number(match.group(1))
        high = number(match.group(2))
        if low > high:
            raise FieldError(f"{what}区间下限大于上限", f"{what_en} range has min above max")
        return low, high
    for prefix in ("≤", "<=", "不超过", "以下"):
        if text.startswith(prefix) or text.endswith(prefix):
            return None, number(text.replace(prefix, ""))
    for prefix in ("≥", ">=", "不低于", "以上"):
        if text.startswith(prefix) or text.endswith(prefix):
            return number(text.replace(prefix, "")), None
    value_ = number(text)
    return value_, value_


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
    """Returns the area as given and in ㎡, from "5000㎡", "5000平方米" or "30亩"; at most
    MAX_AREA_SQM (1000 km², 150万亩)."""
    text = normalize(value).replace(" ", "").replace(",", "")
    for suffix, unit in sorted(_AREA_UNITS.items(), key=lambda kv: -len(kv[0])):
        if text.endswith(suffix):
            maximum = MAX_AREA_SQM / SQM_PER_MU if unit == "亩" else MAX_AREA_SQM
            number = _number(
                text[: -len(suffix)], "面积", "area", maximum=round(maximum), unit=unit
            )
            sqm = number * SQM_PER_MU if unit == "亩" else number
            return Quantity(number, unit), round(sqm, 2)
    raise FieldError(
        f"面积“{normalize(value)}”需带单位(㎡或亩),如“5000㎡”“30亩”",
        f"area {normalize(value)!r} needs a unit (㎡ or 亩), e.g. 5000㎡ or 30亩",
    )


# Each price unit with its upper bound: a rent of 1,000元/㎡/天 is ten times the dearest office
# in the corridor; 1,000,000元/㎡ a sale price no building fetches.
_PRICE_UNITS = {
    "元/㎡/天": 1_000,
    "元/㎡/月": 30_000,
    "元/㎡/年": 365_000,
    "元/㎡": 1_000_000,
    "万元/亩": MAX_WAN_PER_MU,
    "万元/年": MAX_WAN,
    "万元/月": MAX_WAN,
    "万元": MAX_WAN,
    "元/天": 100_000_000,
    "元/月": 1_000_000_000,
}


def parse_price(value: object) -> Quantity | None:
    """Returns a price with its unit ("1.2元/㎡/天", "45万元/亩"), or None for 面议; each unit has
    its upper bound (_PRICE_UNITS)."""
    text = normalize(value).replace(" ", "").replace("平方米", "㎡").replace("平米", "㎡")
    text = text.replace("m2", "㎡").replace("m²", "㎡").replace("/平", "/㎡")
    if text in NEGOTIABLE:
        return None
    for unit, maximum in _PRICE_UNITS.items():
        if text.endswith(unit):
            number = _number(text[: -len(unit)], "价格", "price", maximum=maximum, unit=unit)
            return Quantity(number, unit)
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
