"""One saved page to an article: title, publication date, source (来源), author and main text.

Pure: takes the page's bytes (and its name and address), reads no file and no network. The body
is readability-lxml's, with trafilatura's where readability finds too little; the date, source
and author come from the lines around the title (see `dates.py`), then the address, the meta
tags and htmldate.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import lxml.html
from lxml import etree

from factorlink.news import dates, spider
from factorlink.news.decode import decode_page
from factorlink.news.mhtml import read_mhtml

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
MHTML_SUFFIXES = (".mhtml", ".mht")
TEXT_SUFFIXES = (".txt",)
SUFFIXES = HTML_SUFFIXES + MHTML_SUFFIXES + TEXT_SUFFIXES


class ExtractError(ValueError):
    """A page from which nothing can be read (not HTML, empty, unknown kind)."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class Extracted:
    """What was read from one page."""

    title: str
    date: date | None
    source: str | None
    author: str | None
    body: str
    url: str | None = None
    related: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        """The shape `factorlink news extract --json` prints."""
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "author": self.author,
            "body": self.body,
        }


_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "blockquote", "pre", "dd", "dt", "dl", "header", "footer", "td",
    "figcaption", "figure", "center", "form", "hr", "nav", "aside", "main", "address",
}  # fmt: skip
_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "button", "select", "textarea")
_SPACE = re.compile(r"[ \t\u00a0\u200b\u3000\ufeff]+")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--|—+|\s-\s|\s–\s)\s*")
_SOURCE = re.compile(
    r"(?:来源|来自|稿源|出处|Source)\s*[:\uff1a]\s*([^\s|/,，]{2,30})", re.IGNORECASE
)
_AUTHOR = re.compile(
    r"(?:作者|文\s*/|撰文|记者|通讯员|Author|发帖人|楼主|发表者)\s*[:\uff1a]?\s*"
    r"([\u4e00-\u9fa5A-Za-z·][\u4e00-\u9fa5A-Za-z0-9·_\-]{0,15}"
    r"(?:[ 、,，][\u4e00-\u9fa5·]{2,4}){0,4})",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def clean_text(text: str) -> str:
    """Runs of spaces to one, lines trimmed, empty lines dropped."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def tree_text(element: Any) -> str:
    """An element's visible text, a line per block."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _DROP:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    return clean_text("".join(parts))


def _parse(html: str) -> Any:
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html><body></body></html>")
    return root


def _meta(root: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = (meta.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _title(root: Any, meta: dict[str, str], lines: list[str]) -> tuple[str, bool]:
    """The article's title, and whether the page states it clearly (a heading that the <title>
    holds, or og:title) rather than it being the best guess from the <title> alone."""
    page_title = clean_text(root.findtext(".//title") or "").replace("\n", " ")
    candidates = [meta.get("og:title", ""), meta.get("title", "")]
    headings = [
        clean_text(h.text_content()).replace("\n", " ")
        for tag in ("h1", "h2")
        for h in root.iter(tag)
    ]
    # A heading that the <title> starts with (or contains) is the article's title.
    for heading in headings:
        if 4 <= len(heading) <= 80 and page_title and heading in page_title:
            return heading, True
    for candidate in candidates:
        if candidate and 4 <= len(candidate) <= 100:
            return (_TITLE_SPLIT.split(candidate)[0] if len(candidate) > 30 else candidate), True
    if page_title:
        pieces = [p for p in _TITLE_SPLIT.split(page_title) if p]
        if pieces:
            return (max(pieces[:2], key=len) if len(pieces[0]) < 6 else pieces[0]), False
    return next((h for h in headings if len(h) >= 4), lines[0] if lines else ""), False


def _body_readability(html: str) -> str:
    from readability import Document  # a heavy import, only when a page is read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            summary = Document(html).summary(html_partial=True)
        except Exception:  # readability raises bare errors on odd markup
            return ""
    return tree_text(lxml.html.fragment_fromstring(summary, create_parent="div"))


def _body_trafilatura(html: str) -> str:
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = trafilatura.extract(
            html, include_comments=False, include_tables=True, favor_precision=True
        )
    return clean_text(text or "")


_INLINE = {
    "p",
    "br",
    "font",
    "span",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "img",
    "center",
    "small",
    "big",
}


def _densest_block(root: Any) -> str:
    """The text of the element holding the most Chinese text of its own (its text, its inline
    children's and its paragraphs'), outside links: the last resort when both libraries fail."""
    best, best_count = None, 0
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in _DROP or element.tag == "a":
            continue
        own = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and child.tag.lower() in _INLINE:
                own.append(child.text_content() if child.tag.lower() != "a" else "")
            own.append(child.tail or "")
        count = _cjk_count("".join(own))
        if count > best_count:
            best, best_count = element, count
    return tree_text(best) if best is not None else ""


def _cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def title_overlap(title: str, text: str) -> float:
    """The share of the title's character bigrams found in the text's first 1,000 characters."""
    squeezed = re.sub(r"\s+", "", title)
    pairs = {squeezed[i : i + 2] for i in range(len(squeezed) - 1)}
    if not pairs:
        return 0.0
    head = re.sub(r"\s+", "", text[:1000])
    return sum(1 for pair in pairs if pair in head) / len(pairs)


# readability's text is taken unless it is nearly empty, or - when the page has a clear title -
# shares almost nothing with it while trafilatura's text is about the title.
MIN_BODY_CJK = 20
OFF_TITLE = 0.1
ON_TITLE = 0.5


def choose_body(readability: str, fallback: Callable[[], str], title: str, trusted: bool) -> str:
    """The main text: readability's, or trafilatura's where readability missed the article."""
    if _cjk_count(readability) < MIN_BODY_CJK:
        other = fallback()
        return other if _cjk_count(other) > _cjk_count(readability) else readability
    if trusted and title_overlap(title, readability) < OFF_TITLE:
        other = fallback()
        if title_overlap(title, other) >= ON_TITLE:
            return other
    return readability


_INFO_LINE = re.compile(
    r"(发布时间|发布日期|发表时间|来源|作者|责任编辑|编辑|浏览|阅读|字号)\s*[:\uff1a]"
)


def strip_header(body: str, title: str) -> str:
    """The body without the title and the date/source line a small page's article block
    starts with (readability keeps them when the block is the page's best)."""
    lines = body.splitlines()
    squeezed = re.sub(r"\s+", "", title)
    start, info = 0, False
    while start < min(len(lines), 3):
        line = lines[start]
        is_title = bool(squeezed) and re.sub(r"\s+", "", line) == squeezed
        is_info = len(line) <= 80 and len(_INFO_LINE.findall(line)) >= 2
        if not (is_title or is_info):
            break
        info = info or is_info
        start += 1
    # A title alone is kept: a short page's text may begin with it.
    return "\n".join(lines[start:]) if info and start < len(lines) else body


def _header(lines: list[str], title: str, body: str) -> str:
    """The lines between the title and the first line of the body: where date, source sit."""
    start = next((i for i, line in enumerate(lines) if title and title in line), None)
    first = body.splitlines()[0][:20] if body else ""
    if start is None:
        return ""
    end = start + 1
    while end < len(lines) and end < start + 12 and not (first and first in lines[end]):
        end += 1
    return "\n".join(lines[start : end + 1])


def _edges(lines: list[str], body: str) -> list[str]:
    """The body's first and last lines and the few lines after it: where a report, a notice or
    a forum post writes its date when it has no header."""
    body_lines = body.splitlines()
    edges = body_lines[:3] + body_lines[-3:]
    if body_lines:
        last = body_lines[-1][:20]
        after = next((i for i, line in enumerate(lines) if last and last in line), None)
        if after is not None:
            edges += lines[after + 1 : after + 4]
    return edges


META_DATES = (
    "article:published_time", "og:article:published_time", "pubdate", "publishdate",
    "publish_date", "og:release_date", "dc.date", "dc.date.issued", "date", "datepublished",
    "weibo: article:create_at", "og:published_time",
)  # fmt: skip
# A date alone on a short line at the body's edge: a report's or a notice's own date.
STANDALONE = 20


def _date(
    header: str,
    lines: list[str],
    body: str,
    meta: dict[str, str],
    url: str | None,
    html: str,
    latest: date,
) -> date | None:
    """The publication date; none later than `latest` (a page does not appear before it is
    written: a later date in it is a plan or a deadline)."""
    found = dates.dates_in(header, latest)
    labelled = [f for f in found if f.labelled]
    if labelled:
        return labelled[0].day
    if found:
        return found[0].day
    if day := dates.date_in_url(url, latest):
        return day
    for key in META_DATES:
        if key in meta and (day := dates.parse_day(meta[key], latest)):
            return day
    labelled_page = [f for f in dates.dates_in("\n".join(lines), latest) if f.labelled]
    if labelled_page:
        return labelled_page[0].day
    edges = _edges(lines, body)
    for line in edges:
        on_line = dates.dates_in(line, latest)
        if on_line and len(line) <= STANDALONE:
            return on_line[0].day
    for line in edges:
        if day := dates.month_in(line, latest):
            return day
    found_by_htmldate = _htmldate(html)
    return found_by_htmldate if found_by_htmldate and found_by_htmldate <= latest else None


def _htmldate(html: str) -> date | None:
    from htmldate import find_date

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = find_date(html, original_date=True, extensive_search=False)
        except Exception:  # htmldate gives up on odd markup with assorted errors
            return None
    return date.fromisoformat(found) if found else None


def _source(header: str, meta: dict[str, str]) -> str | None:
    if match := _SOURCE.search(header):
        return match.group(1).strip()
    for key in ("source", "og:site_name", "sitename"):
        if meta.get(key):
            return meta[key][:40]
    return None


def _author(header: str, body: str, meta: dict[str, str]) -> str | None:
    if match := _AUTHOR.search(header):
        return match.group(1).strip()
    if meta.get("author") and len(meta["author"]) <= 30:
        return meta["author"]
    if match := _AUTHOR.search(body[:200]):
        return match.group(1).strip()
    return None


def extract_html(html: str, url: str | None = None, today: date | None = None) -> Extracted:
    """An article from an HTML page's text."""
    if not html.strip():
        raise ExtractError("页面为空", "the page is empty")
    root = _parse(html)
    meta = _meta(root)
    url = url or meta.get("og:url")
    body_root = root.find("body")
    lines = tree_text(body_root if body_root is not None else root).splitlines()
    title, trusted = _title(root, meta, lines)
    body = choose_body(_body_readability(html), lambda: _body_trafilatura(html), title, trusted)
    if _cjk_count(body) < MIN_BODY_CJK:
        body = choose_body(body, lambda: _densest_block(root), title, False)
    body = strip_header(body, title)
    header = _header(lines, title, body)
    return Extracted(
        title=title,
        date=_date(
            header, lines, body, meta, url, html, (today or date.today()) + timedelta(days=1)
        ),
        source=_source(header, meta),
        author=_author(header, body, meta),
        body=body,
        url=url,
    )


def _from_spider(text: str) -> Extracted:
    page = spider.read_spider_text(text)
    if not page.title or not page.body:
        raise ExtractError(
            "文本文件不是爬虫保存的页面格式(应有标题和缩进的正文段落)",
            "the text file is not in the spider's page format (a title and indented paragraphs)",
        )
    tail = page.body[-200:]
    author = match.group(1).strip() if (match := _AUTHOR.search(tail)) else page.user
    source = match.group(1) if (match := _SOURCE.search(page.body[:300])) else page.category
    return Extracted(page.title, page.date, source, author, page.body, None, page.related)


def extract_page(
    name: str,
    raw: bytes,
    url: str | None = None,
    header: str | None = None,
    today: date | None = None,
) -> Extracted:
    """An article from a saved page's bytes; `name` (a file name or path) gives its kind and
    `header` the HTTP Content-Type it came with. No date after `today` (default: the clock's)."""
    lowered = name.lower()
    if lowered.endswith(MHTML_SUFFIXES):
        page = read_mhtml(raw)
        return extract_html(
            decode_page(page.html, f"charset={page.charset}" if page.charset else None),
            url or page.url,
            today,
        )
    text = decode_page(raw, header)
    if lowered.endswith(TEXT_SUFFIXES):
        return _from_spider(text)
    if lowered.endswith(HTML_SUFFIXES) or "<html" in text[:2000].lower():
        return extract_html(text, url, today)
    raise ExtractError(
        f"{name}: 不支持的文件类型(支持 .html .htm .mhtml .txt)",
        f"{name}: unsupported kind of file (use .html, .htm, .mhtml or the spider's .txt)",
    )
