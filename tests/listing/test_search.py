"""List search by relevance: the match index finds (its tokens, a relevance floor, typos
corrected), the listing table filters, counts and pages; organisations as before."""

from __future__ import annotations

from typing import Any

import pytest

from factorlink.achievement.service import AchievementService
from factorlink.auth.viewer import ANONYMOUS
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.kit.pagination import PageParams
from factorlink.listing.repository import ListingFilters
from factorlink.listing.search import Found, searched_by_index
from factorlink.organization.service import OrganizationService
from tests.introduction.builders import add_listing

# Added in this order, so the newest is the last.
ACHIEVEMENTS: dict[str, dict[str, str]] = {
    "储能预警": {
        "title": "储能电站电池热失控多参数早期预警系统",
        "abstract": "融合气体、温度与电压多参数监测,在电池热失控前数分钟发出预警。",
        "keywords": "热失控、储能安全、预警",
        "industry": "新能源",
        "city": "合肥",
    },
    "蔓延阻断": {
        "title": "锂离子电池热失控蔓延阻断技术",
        "abstract": "以气凝胶隔热垫与定向泄压通道阻断电芯间的热失控蔓延。",
        "keywords": "热失控、电池安全",
        "industry": "新能源汽车",
        "city": "苏州",
    },
    "散热膜": {"code": "ACH-T-0003", "city": "杭州"},  # the builders' 石墨烯 example
    "铝基": {
        "title": "石墨烯增强铝基复合材料轻量化散热构件",
        "abstract": "石墨烯均匀分散于铝基体,热导率提高40%,用于电机控制器壳体。",
        "keywords": "石墨烯、铝基复合材料",
        "industry": "新材料",
        "city": "湖州",
    },
    "地膜": {
        "title": "全生物降解地膜专用料",
        "abstract": "聚乳酸与PBAT共混改性,田间自然降解,力学性能满足覆膜机械化作业。",
        "keywords": "可降解、聚乳酸",
        "industry": "新材料",
        "city": "金华",
    },
    "视觉": {
        "title": "基于小样本学习的工业表面缺陷视觉检测系统",
        "abstract": "少量缺陷样本即可训练,适用于金属、薄膜等表面的在线检测。",
        "keywords": "机器视觉、缺陷检测",
        "industry": "人工智能",
        "city": "苏州",
    },
    "大模型": {
        "title": "工业领域大模型轻量化微调与私有化部署技术",
        "abstract": "面向设备运维知识问答,支持在单张显卡上完成微调与部署。",
        "keywords": "大模型、私有化部署",
        "industry": "人工智能",
        "city": "杭州",
    },
}


@pytest.fixture
def achievements(database: Database) -> dict[str, int]:
    """Seven achievements, each committed (the match index reads what is committed)."""
    return {name: add_listing(database, "achievement", **kw) for name, kw in ACHIEVEMENTS.items()}


def _find(database: Database, page: PageParams | None = None, **filters: Any) -> Found:
    with database.unit_of_work() as session:
        service = AchievementService(session, ANONYMOUS)
        return service.find(ListingFilters(**filters), page or PageParams(1, 50))


def _ids(found: Found) -> list[int]:
    return [int(row.id) for row in found.rows]


def test_words_of_a_query_need_not_stand_together(
    database: Database, achievements: dict[str, int]
) -> None:
    found = _find(database, q="电池包热失控预警")
    # No listing holds the phrase: the substring search found nothing.
    with database.unit_of_work() as session:
        repository = AchievementService(session, ANONYMOUS).repository
        assert repository.search(ListingFilters(q="电池包热失控预警"), PageParams())[1] == 0
    ids = _ids(found)
    assert ids[0] == achievements["储能预警"] and found.corrected is None
    # The floor keeps listings that share a character or two (热, 散热) out of the results.
    assert set(ids) <= {achievements["储能预警"], achievements["蔓延阻断"]}
    both = _ids(_find(database, q="电池热失控"))
    assert sorted(both) == [achievements["储能预警"], achievements["蔓延阻断"]]


def test_by_relevance_with_a_query_newest_first_without(
    database: Database, achievements: dict[str, int]
) -> None:
    everything = _ids(_find(database))
    assert everything == list(reversed(achievements.values()))
    ranked = _ids(_find(database, q="石墨烯散热"))
    # Both 石墨烯 listings, the one with both words in its title first, though older.
    assert ranked == [achievements["散热膜"], achievements["铝基"]]
    newest = _ids(_find(database, q="石墨烯散热", sort="newest"))
    assert newest == [achievements["铝基"], achievements["散热膜"]]


def test_filters_totals_and_pages_apply_to_the_relevant_listings(
    database: Database, achievements: dict[str, int]
) -> None:
    assert _ids(_find(database, q="热失控", city="suzhou")) == [achievements["蔓延阻断"]]
    assert _find(database, q="热失控", industry="新能源").total == 1
    first = _find(database, PageParams(1, 1), q="热失控")
    second = _find(database, PageParams(2, 1), q="热失控")
    third = _find(database, PageParams(3, 1), q="热失控")
    assert first.total == second.total == third.total == 2
    # Equally relevant (热失控 in both titles): the newest first.
    assert _ids(first) + _ids(second) == [achievements["蔓延阻断"], achievements["储能预警"]]
    assert _ids(third) == []


def test_a_code_or_a_word_found_as_typed_is_always_a_result(
    database: Database, achievements: dict[str, int]
) -> None:
    # The index does not hold codes; the listing table does.
    assert _ids(_find(database, q="ACH-T-0003")) == [achievements["散热膜"]]
    # 膜 alone weighs little against a long text, but is in these listings' words.
    single = _ids(_find(database, q="膜"))
    assert single[0] == achievements["地膜"]  # in its title
    assert set(single) == {achievements[k] for k in ("散热膜", "地膜", "视觉")}


def test_unrelated_queries_find_nothing(database: Database, achievements: dict[str, int]) -> None:
    assert _find(database, q="量子通信卫星").total == 0
    assert _find(database, q="盾构机刀盘").total == 0


def test_a_typo_is_searched_as_corrected_too(
    database: Database, achievements: dict[str, int]
) -> None:
    found = _find(database, q="石墨稀")
    assert found.corrected == "石墨烯"
    assert set(_ids(found)) == {achievements["散热膜"], achievements["铝基"]}
    assert _find(database, q="机器视绝").corrected == "机器视觉"
    assert _ids(_find(database, q="机器视绝"))[0] == achievements["视觉"]
    assert _find(database, q="大模形").corrected == "大模型"
    # Words the corpus lacks are not typos: no listing holds a one-character fix around them.
    assert _find(database, q="量子通信卫星").corrected is None
    assert _find(database, q="氢能源").corrected is None


def test_only_kinds_whose_index_holds_every_listing_are_searched_by_it(
    database: Database,
) -> None:
    searched = {kind for kind in PartyKind if searched_by_index(kind)}
    assert searched == {
        PartyKind.achievement,
        PartyKind.demand,
        PartyKind.capital,
        PartyKind.carrier,
        PartyKind.expert,
    }
    # Organisations: every word somewhere in the text, names that hold it first.
    for name in ("示例新材料研究院", "松江示例新材料有限公司", "嘉兴示例电子有限公司"):
        add_listing(database, "organization", name=name)
    with database.unit_of_work() as session:
        service = OrganizationService(session, ANONYMOUS)
        found = service.find(ListingFilters(q="新材料"), PageParams())
        assert [row.name for row in found.rows] == ["松江示例新材料有限公司", "示例新材料研究院"]
        assert found.corrected is None
