"""Parsers for the details of a listing's page (pure): a building's height, floor load, power and
crane, yes/no cells, dates as people write them ("2027年6月底"), periods, years of tenure,
patent numbers, loan rates and terms.

Each takes what a person typed and returns a clean value, or raises FieldError saying in
Chinese and English what is wrong and what would be right.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from factorlink.validation import patents
from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import drop_controls, normalize, parse_date, split_multi

_NUM = r"(\d+(?:\.\d+)?)"


def as_typed(value: object) -> str:
    """The text as the person typed it: control and invisible characters dropped, trimmed,
    but not folded (全角 punctuation stays)."""
    return drop_controls("" if value is None else str(value)).strip()


def _figure(
    value: object,
    pattern: re.Pattern[str],
    what: str,
    what_en: str,
    example: str,
    bounds: tuple[float, float],
) -> tuple[float, re.Match[str]]:
    text = normalize(value).replace(" ", "")
    match = pattern.match(text)
    if match is None:
        raise FieldError(
            f"{what}“{text}”无效:应如“{example}”",
            f"invalid {what_en} {text!r}: expected e.g. {example}",
        )
    number = float(match.group(1))
    low, high = bounds
    if not low <= number <= high:
        raise FieldError(
            f"{what}“{text}”超出合理范围({low:g}–{high:g})",
            f"{what_en} {text!r} is outside {low:g}-{high:g}",
        )
    return number, match


_HEIGHT = re.compile(rf"^(?:首层|一层|底层|层高|净高|檐高|檐口高度)?{_NUM}(?:米|m|M)?$")


def parse_height(value: object) -> float:
    """A ceiling height in metres from "8米", "8m", "8.5" or "首层8米"; 2–60 m."""
    return _figure(value, _HEIGHT, "层高", "ceiling height", "8米", (2, 60))[0]


_LOAD = re.compile(
    rf"^(?:承重|荷载)?{_NUM}(吨|t|T|kg|KG|公斤|千克|kN|KN)?(?:/(?:㎡|m2|m²|平方米|平米|平))?$"
)


def parse_floor_load(value: object) -> float:
    """A floor load in tonnes per ㎡ from "3吨/㎡", "3t/m2", "800kg/㎡" or "3"; 0.1–100."""
    text = normalize(value).replace(" ", "").replace("每平方米", "/㎡").replace("每平米", "/㎡")
    number, match = _figure(text, _LOAD, "承重", "floor load", "3吨/㎡", (0.1, 100_000))
    unit = (match.group(2) or "吨").lower()
    tonnes = number / 1000 if unit in ("kg", "公斤", "千克") else number
    if unit == "kn":
        tonnes = number / 9.80665
    if not 0.1 <= tonnes <= 100:
        raise FieldError(
            f"承重“{text}”超出合理范围(0.1–100吨/㎡)",
            f"floor load {text!r} is outside 0.1-100 t/m²",
        )
    return round(tonnes, 3)


_POWER = re.compile(
    rf"^(?:电力|供电|电力容量|变压器)?{_NUM}(kVA|KVA|kva|KVa|千伏安|MVA|mva|兆伏安)?$"
)


def parse_power(value: object) -> float:
    """The power supply in kVA from "500kVA", "500千伏安", "2MVA" or "500"; up to 1,000,000."""
    text = normalize(value).replace(" ", "")
    if re.search(r"(kW|KW|kw|千瓦)$", text):
        raise FieldError(
            f"电力“{text}”请以变压器容量kVA(千伏安)填写,如“1250kVA”",
            f"power {text!r}: give the transformer capacity in kVA, e.g. 1250kVA",
        )
    number, match = _figure(text, _POWER, "电力", "power", "500kVA", (1, 1_000_000))
    unit = (match.group(2) or "kva").lower()
    kva = number * 1000 if unit in ("mva", "兆伏安") else number
    if kva > 1_000_000:
        raise FieldError(
            f"电力“{text}”超出合理范围(不超过1000MVA)", f"power {text!r} is above 1000 MVA"
        )
    return kva


YES = ("是", "有", "可", "可以", "能", "支持", "配备", "已配", "yes", "y", "true", "1", "√", "✓")
NO = (
    *("否", "无", "不", "不可", "不可以", "不能", "不支持", "没有", "未配"),
    *("no", "n", "false", "0", "×", "✗"),
)


def parse_yes_no(value: object, what: str, what_en: str) -> bool:
    """是/否 and the other ways of saying yes or no (有/无, 可/不可, yes/no, √/×)."""
    text = normalize(value).replace(" ", "").lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise FieldError(f"{what}“{text}”无效:应为是或否", f"invalid {what_en} {text!r}: yes or no")


@dataclass(frozen=True)
class Crane:
    """Whether a building has a crane (行车), and its largest lifting capacity in tonnes."""

    present: bool
    tonnes: float | None = None


_TONNES = re.compile(rf"{_NUM}(?:/{_NUM})?\s*(?:吨|t|T)")


def parse_crane(value: object) -> Crane:
    """A crane from "10吨", "10t", "2台10吨", "16/5吨", "有" or "无"; up to 1000 t."""
    text = normalize(value).replace(" ", "")
    if text.lower() in NO or text.startswith(("无", "没有", "不")):
        return Crane(False)
    if text.lower() in YES:
        return Crane(True)
    found = [float(m.group(1)) for m in _TONNES.finditer(re.sub(r"\d+台", "", text))]
    if not found:
        raise FieldError(
            f"行车“{text}”无效:应为起重吨位(如“10吨”)或有/无",
            f"invalid crane {text!r}: a capacity such as 10吨, or 有/无",
        )
    tonnes = max(found)
    if not 0 < tonnes <= 1000:
        raise FieldError(
            f"行车“{text}”超出合理范围(不超过1000吨)", f"crane {text!r} is above 1000 t"
        )
    return Crane(True, tonnes)


@dataclass(frozen=True)
class LooseDate:
    """A date as people write it: the day it stands for (the end of the period named: "6月底"
    is the 30th, "三季度" the 30 September), or None for "现房"; and the text as typed."""

    day: date | None
    text: str


NOW_WORDS = ("现房", "现货", "即时", "随时", "立即", "已交付", "已竣工", "可即入驻", "即租即用")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"(\d{4})\s*(?:年|-|/|\.)?\s*"
_MONTH = re.compile(rf"^{_YEAR}(\d{{1,2}})\s*月?\s*(初|上旬|中旬|中|下旬|底|末|份)?$")
_QUARTER = re.compile(rf"^{_YEAR}(?:第)?([一二三四1-4])\s*季度?(?:末|底)?$|^{_YEAR}Q([1-4])$")
_HALF = re.compile(rf"^{_YEAR}(上半年|下半年|年中|年底|年末|底|末|内|年内)?$")


def _month_day(year: int, month: int, part: str | None) -> date:
    if not 1 <= month <= 12:
        raise ValueError(month)
    last = calendar.monthrange(year, month)[1]
    day = {"初": 10, "上旬": 10, "中": 20, "中旬": 20}.get(part or "", last)
    return date(year, month, day)


def _loose_day(text: str) -> date | None:
    compact = text.replace(" ", "").upper()
    match = _MONTH.match(compact)
    if match:
        return _month_day(int(match.group(1)), int(match.group(2)), match.group(3))
    match = _QUARTER.match(compact)
    if match:
        year = int(match.group(1) or match.group(3))
        quarter = _CN_DIGITS[match.group(2) or match.group(4)]
        return _month_day(year, quarter * 3, None)
    match = _HALF.match(compact)
    if match:
        month = 6 if match.group(2) in ("上半年", "年中") else 12
        return _month_day(int(match.group(1)), month, None)
    return None


def parse_loose_date(value: object, what: str = "日期", what_en: str = "date") -> LooseDate:
    """A date from 2027-06-30, 2027/6/30, 2027年6月30日, "2027年6月底" (the 30th), "2027年6月"
    (its last day), "2027年6月中旬", "2027年三季度" / "2027Q3", "2027年上半年", "2027年底", or
    现房/随时 (no date: now); the text is kept as typed."""
    if isinstance(value, date):
        return LooseDate(value, value.isoformat()[:10])
    typed = as_typed(value)
    text = normalize(value)
    if any(text.startswith(w) for w in NOW_WORDS):
        return LooseDate(None, typed)
    try:
        day = _loose_day(text)
    except ValueError:
        day = None
    else:
        if day is not None:
            return LooseDate(day, typed)
    try:
        return LooseDate(parse_date(text), typed)
    except FieldError:
        raise FieldError(
            f"{what}“{text}”无效:应如“2027-06-30”“2027年6月底”“2027年三季度”或“现房”",
            f"invalid {what_en} {text!r}: expected e.g. 2027-06-30, 2027年6月底, 2027年三季度",
        ) from None


_PERIOD_SPLIT = re.compile(r"\s*(?:至|到|~|～|—|–|－)\s*")
_ISO_PAIR = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*-\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})$")


def parse_period(value: object, what: str, what_en: str) -> tuple[date | None, date | None]:
    """A period from "2026-01-01至2026-12-31", "2026.1.1-2026.12.31", "2026年1月1日~2026年底",
    "至2026-12-31" (open start) or "2026-01-01起" (open end); the start not after the end."""
    text = normalize(value).replace("截至", "至").replace("截止", "至")
    if text.endswith("起"):
        start_text, end_text = text[:-1], ""
    elif pair := _ISO_PAIR.match(text):
        start_text, end_text = pair.group(1), pair.group(2)
    else:
        parts = _PERIOD_SPLIT.split(text, maxsplit=1)
        start_text, end_text = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])

    def one(part: str) -> date | None:
        if not part:
            return None
        day = parse_loose_date(part, what, what_en).day
        if day is None:
            raise FieldError(
                f"{what}“{text}”应为起止日期,如“2026-01-01至2026-12-31”",
                f"{what_en} {text!r}: expected dates, e.g. 2026-01-01至2026-12-31",
            )
        return day

    start, end = one(start_text), one(end_text)
    if start is None and end is None:
        raise FieldError(
            f"{what}“{text}”应为起止日期,如“2026-01-01至2026-12-31”",
            f"{what_en} {text!r}: expected dates, e.g. 2026-01-01至2026-12-31",
        )
    if start is not None and end is not None and start > end:
        raise FieldError(
            f"{what}“{text}”的开始日期晚于结束日期", f"{what_en} {text!r} starts after it ends"
        )
    return start, end


_YEARS = re.compile(rf"^(?:剩余|尚余|产权|出让年限)?{_NUM}年?(?:产权)?$")


def parse_years(value: object, what: str = "产权年限", what_en: str = "tenure") -> int:
    """A number of years from "50年", "50" or "剩余42年"; 1–70 (the longest land grant)."""
    number, _ = _figure(value, _YEARS, what, what_en, "50年", (1, 70))
    if not number.is_integer():
        raise FieldError(f"{what}应为整数年", f"{what_en} must be a whole number of years")
    return int(number)


def parse_patent_number(value: object) -> str:
    """A Chinese patent or application number, checked by its check character, written as on a
    certificate: ZL202310123456.6 (from "ZL 202310123456.6", "CN202310123456.6", …)."""
    text = normalize(value)
    parts = patents.split(text)
    if parts is None:
        raise FieldError(
            f"专利号“{text}”格式错误:应为ZL加12位数字、小数点和校验位,如ZL202310123456.6",
            f"malformed patent number {text!r}: expected ZL, 12 digits, a dot and the check "
            "character, e.g. ZL202310123456.6",
        )
    digits, check = parts
    kind = digits[4] if len(digits) == 12 else digits[2]
    year = int(digits[:4]) if len(digits) == 12 else int(digits[:2])
    if kind not in patents.KINDS:
        raise FieldError(
            f"专利号“{text}”的专利类型位“{kind}”无效(应为1、2、3、8或9)",
            f"patent number {text!r}: kind digit {kind!r} is not 1, 2, 3, 8 or 9",
        )
    if (len(digits) == 12 and not 2003 <= year <= 2099) or (
        len(digits) == 8 and not (year >= 85 or year <= 3)
    ):
        raise FieldError(
            f"专利号“{text}”的申请年份无效", f"patent number {text!r}: impossible filing year"
        )
    expected = patents.check_char(digits)
    if check is None:
        raise FieldError(
            f"专利号“{text}”缺少校验位(应为{patents.canonical(digits, expected)})",
            f"patent number {text!r} lacks its check character "
            f"({patents.canonical(digits, expected)})",
        )
    if check != expected:
        raise FieldError(
            f"专利号“{text}”校验位错误(应为{expected})",
            f"patent number {text!r} fails its check character (expected {expected})",
        )
    return patents.canonical(digits, check)


def parse_patent_numbers(value: object, *, max_items: int = 50) -> list[str]:
    """Several patent numbers separated by 、，; or spaces (one per patent), each checked."""
    numbers = [parse_patent_number(part) for part in split_multi(_join_spaced(value))]
    if len(numbers) > max_items:
        raise FieldError(f"专利号最多{max_items}个", f"at most {max_items} patent numbers")
    return list(dict.fromkeys(numbers))


def _join_spaced(value: object) -> object:
    # "ZL 202310123456.6" is one number with a space, not two cells.
    if isinstance(value, list | tuple):
        return value
    return re.sub(r"(ZL|CN)\s+(?=\d)", r"\1", normalize(value), flags=re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    """A loan's yearly rate: a range in percent where it is a figure, and the text as typed
    (it may be "LPR+50BP" or 面议)."""

    low: float | None
    high: float | None
    text: str


_PCT_RANGE = re.compile(rf"^{_NUM}%?(?:-|~|至|到|—|–){_NUM}%$|^{_NUM}%$")
_LPR = re.compile(r"^(?:[一二三四五1-5]年期)?LPR(?:(?:[+\-]|加|减)\d+(?:\.\d+)?(?:BP|个基点))?$")
MAX_RATE = 36.0  # percent a year: the most a court upholds is far below; higher is a typo


def parse_rate(value: object) -> Rate:
    """A yearly rate from "3.45%", "3.2%-4.5%", "年化3.5%", "LPR", "一年期LPR+50BP" or 面议."""
    typed = as_typed(value)
    text = normalize(value).replace(" ", "").upper()
    for prefix in ("年化利率", "年利率", "年化", "利率", "约", "低至"):
        text = text.removeprefix(prefix)
    if text in ("面议", "协商", "议价") or _LPR.match(text):
        return Rate(None, None, typed)
    match = _PCT_RANGE.match(text)
    if match is None:
        raise FieldError(
            f"利率“{typed}”无效:应如“3.45%”“3.2%-4.5%”“LPR+50BP”或“面议”",
            f"invalid rate {typed!r}: expected e.g. 3.45%, 3.2%-4.5%, LPR+50BP or 面议",
        )
    low = float(match.group(1) or match.group(3))
    high = float(match.group(2) or match.group(3))
    if low > high:
        raise FieldError(f"利率“{typed}”下限大于上限", f"rate {typed!r} has min above max")
    if high > MAX_RATE:
        raise FieldError(
            f"利率“{typed}”超出合理范围(年化不超过{MAX_RATE:g}%)",
            f"rate {typed!r} is above {MAX_RATE:g}% a year",
        )
    return Rate(low, high, typed)


_TERM = re.compile(
    rf"^(最长|期限|不超过|最高)?{_NUM}(?:(?:-|~|至|到){_NUM})?(个月|月|年)(期|以内|以下|内)?$"
)
MAX_TERM_MONTHS = 360


def parse_term(value: object) -> tuple[int | None, int]:
    """A loan's term in months from "12个月", "1年" (12, 12), "1-3年", "6-36个月" (a range),
    "最长3年" or "3年以内" (None, 36): (shortest or None, longest); at most 30 years."""
    text = normalize(value).replace(" ", "")
    match = _TERM.match(text)
    if match is None:
        raise FieldError(
            f"期限“{text}”无效:应如“12个月”“1-3年”“最长3年”",
            f"invalid term {text!r}: expected e.g. 12个月, 1-3年, 最长3年",
        )
    factor = 12 if match.group(4) == "年" else 1
    first = float(match.group(2)) * factor
    second = float(match.group(3)) * factor if match.group(3) else None
    if not first.is_integer() or (second is not None and not second.is_integer()):
        raise FieldError(
            f"期限“{text}”应为整月数", f"term {text!r} is not a whole number of months"
        )
    longest = int(second if second is not None else first)
    at_most = match.group(1) in ("最长", "不超过", "最高") or match.group(5) in (
        "以内",
        "以下",
        "内",
    )
    shortest = None if at_most and second is None else int(first)
    if shortest is not None and shortest > longest:
        raise FieldError(f"期限“{text}”下限大于上限", f"term {text!r} has min above max")
    if not 1 <= longest <= MAX_TERM_MONTHS:
        raise FieldError(
            f"期限“{text}”超出合理范围(1个月至30年)", f"term {text!r} is outside 1 month-30 years"
        )
    return shortest, longest
