"""Dates as Chinese pages write them."""

from __future__ import annotations

from datetime import date

from factorlink.news.dates import date_in_url, dates_in, month_in, parse_day, parse_partial


def test_the_written_forms() -> None:
    assert parse_day("2005-5-7 21:23:57") == date(2005, 5, 7)
    assert parse_day("发布时间:2024年05月20日 09:41") == date(2024, 5, 20)
    assert parse_day("2022/02/13") == date(2022, 2, 13)
    assert parse_day("发布日期: 9/17/2004 5:54:13 AM") == date(2004, 9, 17)
    # Day-first slashes without a 12-hour clock are not read as month-first.
    assert parse_day("06/02/2022 - 13:48") is None


def test_impossible_and_future_dates_are_not_dates() -> None:
    assert parse_day("2005-13-40") is None
    assert parse_day("2030-01-01", latest=date(2026, 1, 1)) is None
    assert parse_day("电话 0571-8888-1234") is None


def test_a_label_before_a_date_marks_it() -> None:
    found = dates_in("相关:2020-01-01 发表于 2005-08-22 19:13")
    assert [f.day for f in found] == [date(2020, 1, 1), date(2005, 8, 22)]
    assert [f.labelled for f in found] == [False, True]


def test_dates_in_addresses() -> None:
    assert date_in_url("http://economy.caijing.com.cn/20240520/5012641.shtml") == date(2024, 5, 20)
    assert date_in_url("https://news.gmw.cn/2024-05/20/content_37330990.htm") == date(2024, 5, 20)
    assert date_in_url("http://health.people.com.cn/n1/2024/0517/c14739.html") == date(2024, 5, 17)
    assert date_in_url("https://news.youth.cn/gj/202405/t20240520_15263156.htm") == date(
        2024, 5, 20
    )
    assert date_in_url("https://www.sohu.com/a/778336904_120702") is None
    assert date_in_url(None) is None


def test_a_month_alone_on_a_short_line_is_its_first_day() -> None:
    assert month_in("——《北京之春》1998年3月号") == date(1998, 3, 1)
    assert month_in("2003年5月") == date(2003, 5, 1)
    assert month_in("2003年5月8日") is None
    assert (
        month_in("这是一段很长的正文,其中提到2003年5月的事情,但它不是文章自己的日期,而是叙述。")
        is None
    )


def test_truths_keep_their_precision() -> None:
    month = parse_partial("1998-3")
    assert month is not None and month.matches(date(1998, 3, 17))
    assert not month.matches(date(1998, 4, 1))
    year = parse_partial("2018")
    assert year is not None and year.matches(date(2018, 12, 1))
    assert parse_partial("刘涛") is None
