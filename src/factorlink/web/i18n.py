"""Chinese by default, English on request: the Chinese text is the key of its translation.

Templates write `{{ _("首页") }}`; a domain that adds pages adds its English with `register`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.requests import Request

from factorlink.reference import get_industries, get_region

LANG_COOKIE = "factorlink_lang"
LANGUAGES = ("zh", "en")

_EN: dict[str, str] = {}
# The English of values shown in pages (kinds, states, 是/否, cooperation modes…), beside the
# catalogue's industries and the corridor's cities, which carry their own (reference data).
_VALUES: dict[str, str] = {}
# Units after a figure ("9米", "1.6元/㎡/天", "30亩"), longest first.
UNITS: dict[str, str] = {
    "元/㎡/天": "CNY/㎡/day",
    "元/㎡/月": "CNY/㎡/month",
    "元/㎡/年": "CNY/㎡/year",
    "万元/亩": "10k CNY/mu",
    "吨/㎡": "t/㎡",
    "万元": "10k CNY",
    "米": "m",
    "亩": "mu",
    "吨": "t",
    "年": "years",
    "个月": "months",
}
_FIGURE = re.compile(r"^([≥≤]?\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?)\s*(\S+)$")
_PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2})?至(\d{4}-\d{2}-\d{2})?$")


def register(entries: Mapping[str, str]) -> None:
    """Adds English translations, keyed by their Chinese text."""
    _EN.update(entries)


def translate(text: str, lang: str) -> str:
    """The text in the language; Chinese (the key itself) when no translation is known."""
    if lang == "en":
        return _EN.get(text, text)
    return text


def register_values(entries: Mapping[str, str]) -> None:
    """Adds the English of values (a vocabulary's labels), keyed by their Chinese."""
    _VALUES.update(entries)


def translate_value(text: object, lang: str) -> object:
    """A value as the page shows it, in the language: in English, each known term of a list
    ("转让、合作开发" → "Transfer, Co-development"), an industry or city by the English name its
    reference data gives, a figure's unit ("9米" → "9 m"), a period's 至; a value with any
    term it does not know (what a user typed: titles, descriptions) stays as it is."""
    if lang != "en" or not isinstance(text, str) or not text.strip():
        return text
    known = {**_reference_names(), **_EN, **_VALUES}
    period = _PERIOD.match(text.strip())
    if period and (period[1] or period[2]):
        return f"{period[1] or ''} to {period[2] or ''}".strip()
    parts = [_term(part.strip(), known) for part in text.split("、")]
    return ", ".join(p for p in parts if p is not None) if None not in parts else text


def _term(part: str, known: Mapping[str, str]) -> str | None:
    if part in known:
        return known[part]
    head, slash, tail = part.partition("/")
    if slash and head in known:  # an industry and its sub-field: 集成电路/晶圆制造
        return f"{known[head]}/{tail}"
    figure = _FIGURE.match(part)
    if figure and figure[2] in UNITS:
        return f"{figure[1]} {UNITS[figure[2]]}"
    place = get_region().resolve(part)  # a city and its district: 湖州吴兴区, 湖州 吴兴区
    if place is not None and place.district and part.startswith(place.city.name):
        return f"{place.city.name_en} {place.district}"
    return None


def _reference_names() -> dict[str, str]:
    industries = get_industries().industries
    # A sub-field has no English name of its own: its industry's, and the sub-field as written.
    names = {s: f"{i.name_en}/{s}" for i in industries for s in i.subfields}
    names.update({i.name: i.name_en for i in industries})
    names.update({c.name: c.name_en for c in get_region().cities})
    return names


def language_of(request: Request) -> str:
    """The visitor's language: the cookie set by the toggle, else Chinese."""
    lang = request.cookies.get(LANG_COOKIE, "zh")
    return lang if lang in LANGUAGES else "zh"


def pick(lang: str, zh: str | None, en: str | None) -> str:
    """One of a pair of texts (a business error's message and message_en)."""
    if lang == "en" and en:
        return en
    return zh or en or ""


register(
    {
        "长三角G60科创走廊要素对接平台": "G60 Corridor Factor Exchange",
        "要素对接平台": "Factor Exchange",
        "首页": "Home",
        "科技成果": "Achievements",
        "技术需求": "Demands",
        "资本": "Capital",
        "载体": "Carriers",
        "专家": "Experts",
        "机构": "Organisations",
        "线索": "Lead",
        "提交需求": "Send a request",
        "工作台": "Workspace",
        "登录": "Log in",
        "退出": "Log out",
        "用户名": "Username",
        "密码": "Password",
        "跳到正文": "Skip to content",
        "主导航": "Main navigation",
        "切换语言": "Language",
        "出错了": "Something went wrong",
        "返回首页": "Back to home",
        "请先登录": "Please log in",
        "页面已过期,请刷新后重试": "This page has expired; reload it and try again",
        "要素总览": "Factors at a glance",
        "签约金额(万元)": "Signed amount (10k CNY)",
        "签约项目": "Signed deals",
        "对接总数": "Introductions",
        "跨城对接占比": "Cross-city share",
        "转化率": "Conversion",
        "线索总数": "Leads",
        "各城市签约金额": "Signed amount by city",
        "各行业签约金额": "Signed amount by industry",
        "月度签约趋势": "Monthly signed deals",
        "走廊九城": "The nine corridor cities",
        "城市": "City",
        "行业": "Industry",
        "月份": "Month",
        "数量": "Count",
        "金额(万元)": "Amount (10k CNY)",
        "要素数量": "Listings",
        "暂无数据": "No data yet",
        "数据表": "Data table",
        "万元": "10k CNY",
        "登录后可查看完整联系方式": "Log in to see full contact details",
        "当前用户": "Signed in as",
        "版权": "FactorLink",
    }
)
