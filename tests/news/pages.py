"""Small real pages written by the tests: a news article as sites lay it out."""

from __future__ import annotations

ARTICLE_TEXT = (
    "长三角G60科创走廊第五届科技成果拍卖会在松江举行,累计成交额接近110亿元。",
    "本届拍卖会共有52项成果参拍,来自上海交通大学、浙江大学等高校和研究院所。",
    "合肥、芜湖、湖州等城市的企业通过线上方式参与竞拍,成交金额3.27亿元,同比增长53.6%。",
    "主办方表示,将继续完善“1+365”成果转化机制,推动科创要素在九城市之间高效流动。",
)


def news_page(
    title: str = "G60科创走廊第五届科技成果拍卖会成交近110亿元",
    published: str = "2023-11-06 10:30",
    charset_meta: bool = True,
    paragraphs: tuple[str, ...] = ARTICLE_TEXT,
) -> str:
    """A news page: navigation, a heading, a date and source line, the article, a footer."""
    meta = '<meta charset="utf-8">' if charset_meta else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    links = "".join(f'<li><a href="/n/{i}.html">其他新闻标题第{i}条</a></li>' for i in range(12))
    return (
        f"<html><head>{meta}<title>{title}_松江新闻_松江区人民政府</title></head><body>"
        f'<div class="nav"><ul>{links}</ul></div>'
        f'<div class="article"><h1>{title}</h1>'
        f'<div class="info">发布时间:{published} 来源:松江报 作者:王晓明</div>'
        f'<div class="content">{body}</div></div>'
        '<div class="footer">版权所有 松江区人民政府 沪ICP备00000000号</div>'
        "</body></html>"
    )
