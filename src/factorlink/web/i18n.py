"""Chinese by default, English on request: the Chinese text is the key of its translation.

Templates write `{{ _("首页") }}`; a domain that adds pages adds its English with `register`.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request

LANG_COOKIE = "factorlink_lang"
LANGUAGES = ("zh", "en")

_EN: dict[str, str] = {}


def register(entries: Mapping[str, str]) -> None:
    """Adds English translations, keyed by their Chinese text."""
    _EN.update(entries)


def translate(text: str, lang: str) -> str:
    """The text in the language; Chinese (the key itself) when no translation is known."""
    if lang == "en":
        return _EN.get(text, text)
    return text


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
