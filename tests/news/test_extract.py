"""Extraction from saved pages: HTML in any encoding, MHTML, the spider's text format."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from factorlink.news.extract import ExtractError, extract_page, strip_header
from factorlink.news.mhtml import MhtmlError
from tests.news.pages import ARTICLE_TEXT, news_page

SEED = (
    Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "000_5c765e1651f253c4.txt"
)


def seed_text() -> bytes:
    if not SEED.is_file():
        pytest.skip(f"seed fixture not found at {SEED} (present in CI)")
    return SEED.read_bytes()


def test_a_news_page_gives_title_date_source_author_and_only_the_article() -> None:
    article = extract_page("a.html", news_page().encode())
    assert article.title == "G60科创走廊第五届科技成果拍卖会成交近110亿元"
    assert article.date == date(2023, 11, 6)
    assert article.source == "松江报"
    assert article.author == "王晓明"
    assert article.body.splitlines() == list(ARTICLE_TEXT)
    assert article.as_json()["date"] == "2023-11-06"
    assert set(article.as_json()) == {"title", "date", "source", "author", "body"}


def test_a_gbk_page_without_a_charset_reads_the_same() -> None:
    article = extract_page("old.htm", news_page(charset_meta=False).encode("gbk"))
    assert article.title == "G60科创走廊第五届科技成果拍卖会成交近110亿元"
    assert article.body.splitlines() == list(ARTICLE_TEXT)


def test_a_page_without_a_date_has_none() -> None:
    article = extract_page("a.html", news_page(published="").encode())
    assert article.date is None


def test_mhtml_is_read_through_its_html_part() -> None:
    message = EmailMessage()
    message["Snapshot-Content-Location"] = "https://www.songjiang.gov.cn/news/20231106/1.html"
    message["Subject"] = "saved"
    message.make_mixed()
    part = EmailMessage()
    part.set_content(news_page(published="").encode("gb18030"), "text", "html",
                     cte="quoted-printable")  # fmt: skip
    part.set_param("charset", "gb18030")
    part["Content-Location"] = "https://www.songjiang.gov.cn/news/20231106/1.html"
    message.attach(part)
    article = extract_page("saved.mhtml", message.as_bytes())
    assert article.body.splitlines() == list(ARTICLE_TEXT)
    assert article.url == "https://www.songjiang.gov.cn/news/20231106/1.html"
    assert article.date == date(2023, 11, 6)  # from the address: the page itself gives none


def test_mhtml_without_html_is_an_error() -> None:
    message = EmailMessage()
    message.set_content("just text")
    with pytest.raises(MhtmlError):
        extract_page("x.mht", message.as_bytes())


def test_unknown_kinds_and_empty_pages_are_errors_in_both_languages() -> None:
    with pytest.raises(ExtractError) as unknown:
        extract_page("report.pdf", b"%PDF-1.7")
    assert "不支持" in unknown.value.message and "unsupported" in unknown.value.message_en
    with pytest.raises(ExtractError):
        extract_page("empty.html", b"   ")
    with pytest.raises(ExtractError) as text:
        extract_page("notes.txt", "随手记下的一行字".encode())
    assert "spider" in text.value.message_en


def test_the_seed_fixture() -> None:
    article = extract_page(SEED.name, seed_text())
    assert article.title == "9城赴进博之约G60科创走廊高质量发展要素对接"
    assert article.date == date(2023, 9, 27)  # (09-27), the year the article names
    assert article.source == "芜湖产业信息"
    assert article.author == "李成东"
    body = article.body
    assert body.startswith("G60科创走廊高质量发展要素对接")
    assert body.endswith("(记者 李成东)")
    assert "110亿元" in body and "53.6%" in body
    for noise in ("葛毅明", "版权声明", "人 民 网", "上海警方", "相关文章"):
        assert noise not in body
    assert article.related[:2] == (
        "24位院士聚首芜湖共话长三角“硬核”科创力量",
        "“一带多”盘活资源为企增值神州数码园打造工作、居住、休闲一体化科创园区",
    )
    assert "东旭光电:旗下芜湖东旭入选长三角G60科创走廊第二批工业互联网标杆工厂" in article.related
    assert len(article.related) == 8


def test_a_short_article_block_loses_its_title_and_info_line_but_keeps_a_lone_title() -> None:
    short = ("石墨烯散热材料市场持续升温,团队介绍了最新进展。", "专家认为成本是关键。")
    article = extract_page("s.html", news_page("石墨烯散热材料升温", paragraphs=short).encode())
    assert article.body.splitlines() == list(short)
    assert strip_header("标题一\n正文第一段", "标题一") == "标题一\n正文第一段"


def test_no_date_after_today() -> None:
    plan = news_page(published="2035-12-31")
    assert extract_page("p.html", plan.encode(), today=date(2026, 12, 4)).date is None
    assert extract_page("p.html", plan.encode(), today=date(2036, 1, 1)).date == date(2035, 12, 31)
