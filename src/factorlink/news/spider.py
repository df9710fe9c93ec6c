"""The spider's text format (the seed fixture): breadcrumb, title, a meta line, the article as
indented paragraphs, the site's footer, then 相关文章 — related titles, each with a snippet.

Pure. A month and day without a year (``8个月前 (09-27)``) take the latest year the article
itself names, the nearest guess a saved text allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from factorlink.news import dates

_CRUMB = re.compile(r"^\s*(?:当前位置|您的位置|你的位置|位置)\s*[:\uff1a]")
_MONTH_DAY = re.compile(r"[(（]\s*(\d{1,2})-(\d{1,2})\s*[)）]")
_NOISE = re.compile(
    r"(版\s*权\s*所\s*有|举报电话|举报邮箱|广告服务|联系我们|免责声明|[…]$|\.\.\.$)"
)
_YEARS = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|长三角|-|/|\.)")
_META_USER = re.compile(
    r"^([A-Za-z0-9_\u4e00-\u9fa5]{1,20}?)(?:\d+\s*(?:分钟|小时|天|个月|年)前|\s*\d{4}-)"
)


@dataclass(frozen=True)
class SpiderPage:
    title: str
    date: date | None
    category: str | None
    user: str | None
    body: str
    related: tuple[str, ...]


def _indented(line: str) -> bool:
    return line.startswith(("  ", "\u3000", "\t"))


def looks_like_spider_text(text: str) -> bool:
    """Whether a text file is in the spider's format (starts with a breadcrumb line)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return bool(_CRUMB.match(first))


def read_spider_text(text: str) -> SpiderPage:
    """The parts of a page the spider saved as text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    category = None
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and _CRUMB.match(lines[i]):
        crumbs = [c.strip() for c in re.split(r"[>›»]", _CRUMB.sub("", lines[i])) if c.strip()]
        named = [c for c in crumbs if c not in ("首页", "正文", "正文内容", "主页")]
        category = named[-1] if named else None
        i += 1
    title = ""
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.strip():
            title = line.strip()
            break
    meta = ""
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines) and not _indented(lines[j]):
        meta = lines[j].strip()
        i = j + 1
    body_lines: list[str] = []
    related: list[str] = []
    in_related = ended = False
    for line in lines[i:]:
        stripped = line.strip()
        if not stripped:
            continue
        if in_related:
            if not _indented(line) and (not related or related[-1] != stripped):
                related.append(stripped)
        elif stripped.startswith("相关文章"):
            in_related = True
        elif _indented(line) and not _NOISE.search(stripped) and not ended:
            body_lines.append(stripped)
        elif body_lines:
            ended = True  # the article ended: the site's footer follows
    body = "\n".join(body_lines)
    return SpiderPage(
        title=title,
        date=_meta_date(meta, body),
        category=category,
        user=(m.group(1) if (m := _META_USER.match(meta)) else None),
        body=body,
        related=tuple(related),
    )


def _meta_date(meta: str, body: str) -> date | None:
    if found := dates.dates_in(meta):
        return found[0].day
    match = _MONTH_DAY.search(meta)
    if not match:
        return None
    years = [int(y) for y in _YEARS.findall(body) if 1990 <= int(y) <= 2100]
    if not years:
        return None
    try:
        return date(max(years), int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None
