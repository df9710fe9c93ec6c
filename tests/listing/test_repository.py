"""Listing search: filters by city, industry (also inside lists) and text, with pagination."""

from __future__ import annotations

from typing import TypedDict, Unpack

from sqlalchemy.orm import Session

from factorlink.achievement.models import Achievement
from factorlink.achievement.repository import AchievementRepository
from factorlink.capital.models import Capital
from factorlink.capital.repository import CapitalRepository
from factorlink.kit.pagination import PageParams
from factorlink.listing.repository import ListingFilters


class _TextFilters(TypedDict, total=False):
    """The ListingFilters these tests set: each a word."""

    q: str
    city: str
    industry: str
    sort: str


def _achievement(
    code: str, title: str, city: str, industry: str, keywords: list[str]
) -> Achievement:
    return Achievement(
        code=code,
        title=title,
        abstract=f"{title}的技术简介",
        keywords=keywords,
        industry=industry,
        city=city,
    )


def test_text_search_covers_title_abstract_and_keywords(session: Session) -> None:
    session.add_all(
        [
            _achievement("A1", "石墨烯散热膜", "hangzhou", "materials", ["导热"]),
            _achievement("A2", "机器视觉缺陷检测", "suzhou", "ai", ["工业质检", "深度学习"]),
            _achievement("A3", "100%可降解材料", "hefei", "materials", ["生物基"]),
        ]
    )
    session.flush()
    repo = AchievementRepository(session)
    page = PageParams(page=1, page_size=10)

    def codes(**filters: Unpack[_TextFilters]) -> set[str]:
        rows, total = repo.search(ListingFilters(**filters), page)
        assert total == len(rows)
        return {r.code for r in rows}

    assert codes(q="工业质检") == {"A2"}
    assert codes(q="散热") == {"A1"}
    assert codes(q="技术简介 石墨烯") == {"A1"}
    assert codes(q="100%") == {"A3"}
    assert codes(q="%") == {"A3"}
    assert codes(q="_") == set()
    assert codes(industry="materials") == {"A1", "A3"}
    assert codes(industry="materials", city="hefei") == {"A3"}


def test_capital_matches_cities_and_industries_inside_lists(session: Session) -> None:
    session.add_all(
        [
            Capital(
                code="C1",
                name="硬科技天使基金",
                kind="vc_pe",
                industries=["ai", "ic"],
                cities=["songjiang", "hangzhou"],
                city="songjiang",
            ),
            Capital(
                code="C2",
                name="科技贷",
                kind="bank_loan",
                industries=["materials"],
                cities=["hefei"],
                city="hefei",
            ),
        ]
    )
    session.flush()
    repo = CapitalRepository(session)
    page = PageParams()

    def codes(**filters: Unpack[_TextFilters]) -> set[str]:
        rows, _ = repo.search(ListingFilters(**filters), page)
        return {r.code for r in rows}

    assert codes(industry="ic") == {"C1"}
    assert codes(industry="i") == set()
    assert codes(city="hangzhou") == {"C1"}
    assert codes(city="hefei") == {"C2"}


def test_pagination(session: Session) -> None:
    session.add_all([_achievement(f"P{i:02d}", f"成果{i}", "wuhu", "green", []) for i in range(25)])
    session.flush()
    repo = AchievementRepository(session)
    first, total = repo.search(ListingFilters(), PageParams(page=1, page_size=10))
    third, _ = repo.search(ListingFilters(), PageParams(page=3, page_size=10))
    assert total == 25 and len(first) == 10 and len(third) == 5
    assert not {r.code for r in first} & {r.code for r in third}


def test_relevance_orders_filters_and_keeps_literal_matches(session: Session) -> None:
    session.add_all(
        [
            _achievement("R1", "锂电池热失控预警", "hefei", "new_energy", ["储能"]),
            _achievement("R2", "电芯隔热垫", "suzhou", "new_energy", ["热失控"]),
            _achievement("R3", "石墨烯散热膜", "hangzhou", "materials", []),
            _achievement("R4", "储能系统管理", "hefei", "new_energy", []),
        ]
    )
    session.flush()
    repo = AchievementRepository(session)
    ids = {r.code: r.id for r in repo.all()}
    relevance = {ids["R1"]: 0.7, ids["R2"]: 0.9, ids["R3"]: 0.6}

    def codes(
        params: PageParams = PageParams(), **filters: Unpack[_TextFilters]
    ) -> tuple[list[str], int]:
        stmt = repo.ranked_statement(ListingFilters(**filters), relevance)
        rows, total = repo.page(stmt, params)
        return [r.code for r in rows], total

    # The words in the title first (R4, which the index did not find), then by relevance.
    assert codes(q="储能") == (["R4", "R2", "R1", "R3"], 4)
    assert codes(q="热失控") == (["R1", "R2", "R3"], 3)
    assert codes(q="热失控", city="hefei") == (["R1"], 1)
    assert codes(PageParams(2, 2), q="储能") == (["R1", "R3"], 4)
    assert codes(q="热失控", sort="newest")[0] == ["R3", "R2", "R1"]
    nothing = repo.ranked_statement(ListingFilters(), {})
    assert repo.page(nothing, PageParams()) == ([], 0)


def test_phrase_counts(session: Session) -> None:
    session.add_all(
        [
            _achievement("S1", "石墨烯散热膜", "hangzhou", "materials", []),
            _achievement("S2", "石墨烯导热垫", "hangzhou", "materials", ["IGBT"]),
            _achievement("S3", "石墨化炉", "hangzhou", "materials", []),
        ]
    )
    session.flush()
    counts = AchievementRepository(session).phrase_counts(["石墨烯", "石墨化", "墨稀", "igbt"])
    assert counts == {"石墨烯": 2, "石墨化": 1, "墨稀": 0, "igbt": 1}
    assert AchievementRepository(session).phrase_counts([]) == {}
