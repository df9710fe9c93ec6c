"""Bytes of a saved page to text: byte-order mark, declared charset (checked), then detection.

Pure: no file or network access. Old Chinese pages often carry no charset at all, or declare
gb2312 while using characters only GBK/GB18030 has, so the GB family always decodes as GB18030.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECLARED = re.compile(
    rb"""<[?a-z][^>]*\sencoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings a wider one contains: decode with the wider one.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
          "hz-gb-2312": "gb18030", "big5": "big5hkscs", "ascii": "utf-8",
          "iso-8859-1": "cp1252", "latin-1": "cp1252"}  # fmt: skip


def _canonical(name: str) -> str | None:
    try:
        found = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _WIDER.get(found, _WIDER.get(name.strip().lower(), found))


def declared_charset(raw: bytes, header: str | None = None) -> str | None:
    """The charset named by an HTTP Content-Type header, else by the page's first <meta>."""
    if header:
        found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", header, re.IGNORECASE)
        if found and (name := _canonical(found.group(1))):
            return name
    head = raw[:4096]
    for pattern in (_DECLARED, _XML_DECLARED):
        match = pattern.search(head)
        if match and (name := _canonical(match.group(1).decode("ascii", "replace"))):
            return name
    return None


def _lenient(raw: bytes, encoding: str) -> str | None:
    """The text when at most a few bytes (a page cut mid-character, a stray byte) do not fit."""
    try:
        text = raw.decode(encoding, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    return text if bad <= max(2, len(text) // 2000) else None


def decode_page(raw: bytes, header: str | None = None) -> str:
    """The page as text, whatever its encoding; bytes that fit no encoding become U+FFFD."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    declared = declared_charset(raw, header)
    if declared and (text := _lenient(raw, declared)) is not None:
        return text
    if (text := _lenient(raw, "utf-8")) is not None:
        return text
    # Neither the declared charset nor UTF-8 fits: detect. A Chinese page's GB bytes fit
    # GB18030 nearly always, which detection can miss on pages that are mostly markup.
    if (text := _lenient(raw, "gb18030")) is not None and _mostly_cjk(text):
        return text
    best = from_bytes(raw).best()
    if best is not None:
        encoding = _canonical(best.encoding) or best.encoding
        return raw.decode(encoding, errors="replace")
    return raw.decode(declared or "gb18030", errors="replace")


def _mostly_cjk(text: str) -> bool:
    """Whether the non-ASCII letters of a text are mostly common Chinese characters."""
    wide = [c for c in text if ord(c) > 0x7F and c != "\ufffd"]
    if not wide:
        return True
    common = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
                 or "\uff00" <= c <= "\uffef")  # fmt: skip
    return common >= 0.9 * len(wide)
