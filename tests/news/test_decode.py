"""Decoding saved pages: declared charsets, none at all, a lying one, a stray byte."""

from __future__ import annotations

import codecs

from factorlink.news.decode import declared_charset, decode_page
from tests.news.pages import news_page


def test_gbk_page_without_a_charset_is_read_as_chinese() -> None:
    raw = news_page(charset_meta=False).encode("gbk")
    assert declared_charset(raw) is None
    assert "科技成果拍卖会" in decode_page(raw)


def test_declared_gb2312_is_read_as_gb18030_so_gbk_only_characters_survive() -> None:
    # 镕 is in GBK but not in GB2312: a page that says gb2312 and uses it still reads.
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    raw = (html + "<body>朱镕基</body></html>").encode("gbk")
    assert declared_charset(raw) == "gb18030"
    assert "朱镕基" in decode_page(raw)


def test_a_page_that_declares_utf8_but_is_gbk_is_detected() -> None:
    raw = news_page().encode("gbk")  # says utf-8 in its <meta>, is GBK
    assert "科技成果拍卖会" in decode_page(raw)


def test_header_charset_wins_over_detection_and_bom_over_both() -> None:
    raw = "<p>九城市</p>".encode("big5")
    assert "九城市" in decode_page(raw, "text/html; charset=big5")
    assert decode_page(codecs.BOM_UTF8 + "芜湖".encode()) == "芜湖"


def test_one_broken_byte_does_not_throw_the_page_to_another_encoding() -> None:
    raw = news_page(charset_meta=False).encode("gbk")
    raw = raw[:200] + b"\xc7" + raw[200:]  # a lone lead byte, as in a page cut mid-character
    assert "科技成果拍卖会" in decode_page(raw)
