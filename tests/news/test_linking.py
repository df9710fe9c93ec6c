"""Articles linked to the listings and organisations they are about; related articles."""

from __future__ import annotations

from sqlalchemy import select

from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.news.models import NewsArticle
from factorlink.news.repository import NewsRepository
from factorlink.news.service import IngestReport, NewsService
from factorlink.organization.models import Organization
from factorlink.reference.loader import industries_of, region_of
from tests.introduction.builders import add_listing
from tests.news.pages import news_page

GRAPHENE = (
    "示例大学研发的高导热石墨烯复合散热膜制备技术日前完成中试,面内导热系数超过1500。",
    "该石墨烯散热膜采用化学气相沉积与热压复合工艺,可用于手机和电池的导热散热。",
    "杭州多家企业表示,将与示例大学洽谈石墨烯散热膜技术的转让与合作开发。",
)
FUND = (
    "松江区举办科创金融对接会,二十余家投资机构与企业面对面交流。",
    "会上发布了面向集成电路和人工智能领域的天使投资计划,示例大学也参与了活动。",
)
OTHER_GRAPHENE = (
    "石墨烯散热材料市场持续升温,示例大学团队介绍了最新的散热膜量产进展。",
    "专家认为,散热膜的导热性能和成本是产业化的关键。",
)


def _ingest(database: Database, settings: Settings, title: str, paragraphs: tuple[str, ...]) -> int:
    with database.unit_of_work() as session:
        service = NewsService(session, region_of(settings), industries_of(settings))
        report = IngestReport()
        service.ingest_page(
            f"{title}.html", news_page(title, paragraphs=paragraphs).encode(), report
        )
        assert report.added, report.skipped
        return report.added[0].id


def test_an_article_links_what_it_is_about(database: Database, settings: Settings) -> None:
    achievement = add_listing(database, "achievement")
    demand = add_listing(database, "demand")
    article_id = _ingest(database, settings, "石墨烯散热膜完成中试", GRAPHENE)
    with database.unit_of_work() as session:
        article = session.get(NewsArticle, article_id)
        assert article is not None
        links = {(link.kind, link.target_id): link for link in article.links}
        university = session.scalars(
            select(Organization).where(Organization.name == "示例大学")
        ).one()
        assert links[("organization", university.id)].named
        assert ("achievement", achievement) in links
        assert not links[("achievement", achievement)].named
        assert ("demand", demand) not in links  # a battery demand: not what the article is about
        repository = NewsRepository(session)
        assert [a.id for a in repository.about("achievement", achievement, None)] == [article_id]
        # A listing of the university shows the news that names it.
        assert [a.id for a in repository.about("expert", 999, university.id)] == [article_id]
        assert repository.about("demand", demand, None) == []


def test_related_articles_are_by_content_and_never_two_copies(
    database: Database, settings: Settings
) -> None:
    add_listing(database, "achievement")
    first = _ingest(database, settings, "石墨烯散热膜完成中试", GRAPHENE)
    copy = _ingest(database, settings, "石墨烯散热膜完成中试(转载)", ("本网讯", *GRAPHENE))
    other = _ingest(database, settings, "石墨烯散热材料升温", OTHER_GRAPHENE)
    again = _ingest(database, settings, "石墨烯散热材料升温(转)", (*OTHER_GRAPHENE, "完。"))
    fund = _ingest(database, settings, "松江科创金融对接会", FUND)
    with database.unit_of_work() as session:
        repository = NewsRepository(session)
        article = session.get(NewsArticle, first)
        assert article is not None
        assert session.get(NewsArticle, copy).story_id == first  # type: ignore[union-attr]
        assert session.get(NewsArticle, again).story_id == other  # type: ignore[union-attr]
        related = [a.id for a in repository.related(article)]
        assert related[0] in (other, again) and len(set(related) & {other, again}) == 1
        assert copy not in related
        assert fund in related  # it names 示例大学 too, but shares less
        assert related.index(fund) > 0


def test_relink_finds_listings_added_after_the_article(
    database: Database, settings: Settings
) -> None:
    article_id = _ingest(database, settings, "石墨烯散热膜完成中试", GRAPHENE)
    achievement = add_listing(database, "achievement")
    with database.unit_of_work() as session:
        article = session.get(NewsArticle, article_id)
        assert article is not None and ("achievement", achievement) not in {
            (link.kind, link.target_id) for link in article.links
        }
        service = NewsService(session, region_of(settings), industries_of(settings))
        assert service.relink() == 1
        session.refresh(article)
        assert ("achievement", achievement) in {(x.kind, x.target_id) for x in article.links}
        assert len(article.links) == len({(x.kind, x.target_id) for x in article.links})
