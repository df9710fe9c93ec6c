"""Publication dates in Chinese pages: the written forms, their labels and the address.

Pure. The rules, in the order `extract.py` tries them: a date the page labels as its publication
time (发布时间, 发表于, 日期, 时间…) in the lines around the title; the first date in those lines; a
date in the address (/2024-05/13/, /20240520/, t20240520_); the page's meta tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# 2005-5-7, 2005/05/07, 2005.5.7, 2005年5月7日 (spaces allowed around the parts).
_FULL = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?:\s*日)?(?![\d])"
)
# 9/17/2004 5:54:13 AM (month first, as English-language software prints it with a 12-hour time).
_US = re.compile(
    r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?=\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M)",
    re.IGNORECASE,
)
_MONTH = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})(?:\s*月)?(?![\d])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*年)?(?!\d)")
# Words that label a date as the page's own: publication, posting, release.
_LABELS = re.compile(
    r"(发布时间|发布日期|发表时间|发表日期|发表于|发布于|更新时间|时间|日期|发布|发表|出版|上传|Posted|Published|Date)"
    r"\s*[:\uff1a]?\s*$",
    re.IGNORECASE,
)
_URL_FORMS = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?!\d)"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
)


@dataclass(frozen=True)
class Found:
    """A date written in a text: where it starts, the day, and whether a label precedes it."""

    start: int
    day: date
    labelled: bool


def _day(year: str, month: str, day: str, latest: date | None = None) -> date | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if found.year < 1990 or (latest is not None and found > latest):
        return None
    return found


def dates_in(text: str, latest: date | None = None) -> list[Found]:
    """Every full date written in a text, in order, each marked when a label comes before it."""
    found = []
    for pattern in (_FULL, _US):
        for match in pattern.finditer(text):
            first, second, third = match.groups()
            if pattern is _US:
                first, second, third = third, first, second
            day = _day(first, second, third, latest)
            if day is None:
                continue
            before = text[max(0, match.start() - 12) : match.start()]
            found.append(Found(match.start(), day, bool(_LABELS.search(before))))
    return sorted(found, key=lambda f: f.start)


def month_in(line: str, latest: date | None = None) -> date | None:
    """A month written alone on a short line (2003年5月, 《北京之春》1998年3月号) as its first day:
    the date of an issue or a report that names no day."""
    if len(line) > 30 or _FULL.search(line):
        return None
    match = _MONTH.search(line)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return _day(match.group(1), match.group(2), "1", latest)


def date_in_url(url: str | None, latest: date | None = None) -> date | None:
    """A date written in a page's address, as news sites lay out their paths."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url.split("?")[0].split("#")[0])
    for pattern in _URL_FORMS:
        for match in pattern.finditer(path):
            if day := _day(match.group(1), match.group(2), match.group(3), latest):
                return day
    return None


def parse_day(text: str, latest: date | None = None) -> date | None:
    """The first full date in a text (e.g. a meta tag's value), else None."""
    found = dates_in(text, latest)
    return found[0].day if found else None


@dataclass(frozen=True)
class Partial:
    """A date as a ground truth writes it, to the precision it has: 1998-3 is a month."""

    year: int
    month: int | None
    day: int | None

    def matches(self, other: date | None) -> bool:
        if other is None:
            return False
        return (
            other.year == self.year
            and (self.month is None or other.month == self.month)
            and (self.day is None or other.day == self.day)
        )


def parse_partial(text: str) -> Partial | None:
    """A written date to its precision (day, month or year), or None when it holds none."""
    if (match := _FULL.search(text)) and _day(match.group(1), match.group(2), match.group(3)):
        return Partial(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if (match := _MONTH.search(text)) and 1 <= int(match.group(2)) <= 12:
        return Partial(int(match.group(1)), int(match.group(2)), None)
    if match := _YEAR.search(text):
        return Partial(int(match.group(1)), None, None)
    return None
