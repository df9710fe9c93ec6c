"""Corridor cities and the resolution of typed place names."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from factorlink.reference import get_region
from factorlink.reference.regions import simplified


@pytest.mark.parametrize(
    ("typed", "city", "district"),
    [
        ("上海市松江区", "songjiang", None),
        ("松江", "songjiang", None),
        ("上海松江", "songjiang", None),
        ("嘉兴", "jiaxing", None),
        ("嘉兴市", "jiaxing", None),
        ("浙江省杭州市余杭区", "hangzhou", "余杭区"),
        ("杭州市滨江区", "hangzhou", "滨江区"),
        ("余杭", "hangzhou", "余杭区"),
        ("义乌", "jinhua", "义乌市"),
        ("义乌市", "jinhua", "义乌市"),
        ("苏州工业园区", "suzhou", "苏州工业园区"),
        ("江苏省苏州市昆山市", "suzhou", "昆山市"),
        ("湖州德清", "huzhou", "德清县"),
        ("宣城", "xuancheng", None),
        ("芜湖市鸠江区", "wuhu", "鸠江区"),
        ("合肥", "hefei", None),
        ("Hefei", "hefei", None),
        ("hangzhou", "hangzhou", None),
        ("上海市松江区九亭镇", "songjiang", "九亭镇"),
    ],
)
def test_resolves(typed: str, city: str, district: str | None) -> None:
    match = get_region().resolve(typed)
    assert match is not None
    assert (match.city.code, match.district) == (city, district)


@pytest.mark.parametrize("typed", ["北京", "上海", "上海市浦东新区", "杭州市不存在区", "", "  "])
def test_unknown_places(typed: str) -> None:
    assert get_region().resolve(typed) is None


def test_nine_cities_with_coordinates() -> None:
    region = get_region()
    assert len(region.cities) == 9
    assert all(c.districts and 29 < c.lat < 33 and 117 < c.lon < 122 for c in region.cities)


def test_distances_along_the_corridor() -> None:
    region = get_region()
    assert region.distance_km("songjiang", "songjiang") == 0
    assert 45 < region.distance_km("songjiang", "jiaxing") < 65
    assert 370 < region.distance_km("songjiang", "hefei") < 410


@pytest.mark.parametrize(
    ("typed", "city", "district"),
    [
        ("湖州市长兴县", "huzhou", "长兴县"),
        ("浙江省湖州市长兴县", "huzhou", "长兴县"),
        ("长兴", "huzhou", "长兴县"),
        ("永康", "jinhua", "永康市"),
        ("东阳", "jinhua", "东阳市"),
        ("宁国", "xuancheng", "宁国市"),
        ("合肥经开区", "hefei", "合肥经济技术开发区"),
        ("合肥市经开区", "hefei", "合肥经济技术开发区"),
        ("合肥市高新区", "hefei", "合肥高新区"),
        ("新站区", "hefei", "合肥新站高新区"),
        ("芜湖县", "wuhu", "湾沚区"),
        ("松江经开区", "songjiang", "松江经济技术开发区"),
        ("杭州市未来科技城", "hangzhou", "未来科技城"),
        ("松江", "songjiang", None),
    ],
)
def test_locates_districts_and_parks(typed: str, city: str, district: str | None) -> None:
    assert get_region().locate(typed) == (city, district)


@pytest.mark.parametrize("typed", ["高新区", "经开区", "工业园区", "北京市朝阳区"])
def test_a_zone_named_without_its_city_is_unknown(typed: str) -> None:
    # Several cities have a 高新区: without the city it names none of them.
    assert get_region().locate(typed) is None


@pytest.mark.parametrize(
    ("city", "typed", "canonical"),
    [
        ("huzhou", "长兴", "长兴县"),
        ("huzhou", "湖州市长兴县", "长兴县"),
        ("huzhou", "长兴县", "长兴县"),
        ("hefei", "经开区", "合肥经济技术开发区"),
        ("hefei", " 合肥 经开区 ", "合肥经济技术开发区"),
        ("hangzhou", "长兴", None),
        ("hefei", "滨湖国际会展中心片区", None),
        ("hefei", "", None),
        ("hefei", None, None),
        ("nowhere", "长兴", None),
    ],
)
def test_canonical_district_within_its_city(city: str, typed: str | None, canonical: str) -> None:
    assert get_region().canonical_district(city, typed) == canonical


def test_every_district_of_the_packaged_corridor_has_coordinates() -> None:
    region = get_region()
    for city in region.cities:
        assert {p.name for p in city.places} == set(city.districts)
        for district in city.districts:
            point = city.place(district).point
            assert point is not None, (city.name, district)
            # Within the corridor, and within 140 km of its own city's centre.
            assert 28.5 < point[0] < 33 and 117 < point[1] < 122, (city.name, district)
            assert region.place_distance_km(city.code, district, city.code, None) < 140


def test_district_names_are_unique_within_the_corridor() -> None:
    region = get_region()
    for city in region.cities:
        for district in city.districts:
            assert region.locate(district) == (city.code, district)


def test_districts_of_one_city_are_not_equally_close() -> None:
    region = get_region()
    yongkang_dongyang = region.place_distance_km("jinhua", "永康市", "jinhua", "东阳市")
    yongkang_huzhou = region.place_distance_km("jinhua", "永康市", "huzhou", None)
    yongkang_yiwu = region.place_distance_km("jinhua", "永康市", "jinhua", "义乌市")
    assert 35 < yongkang_dongyang < 60
    assert yongkang_dongyang < yongkang_huzhou
    assert 200 < yongkang_huzhou < 240
    assert yongkang_yiwu != yongkang_dongyang
    assert region.place_distance_km("huzhou", "长兴县", "xuancheng", "宁国市") < 120


def test_same_district_is_zero_and_symmetric() -> None:
    region = get_region()
    assert region.place_distance_km("jinhua", "东阳市", "jinhua", "东阳市") == 0
    assert region.place_distance_km("jinhua", "东阳", "jinhua", "东阳市") == 0
    assert region.place_distance_km("hefei", "合肥经开区", "wuhu", "芜湖经开区") == pytest.approx(
        region.place_distance_km("wuhu", "芜湖经济技术开发区", "hefei", "合肥经济技术开发区")
    )


@pytest.mark.parametrize("district", [None, "", "滨湖国际会展中心片区", "长兴县"])
def test_unknown_district_falls_back_to_the_city_centre(district: str | None) -> None:
    # No district, one the file does not know, or another city's: the city centre counts.
    region = get_region()
    assert region.point("hefei", district) == (region.city("hefei").lat, region.city("hefei").lon)
    assert region.place_distance_km("hefei", district, "songjiang", None) == pytest.approx(
        region.distance_km("hefei", "songjiang")
    )


def test_unknown_city_code_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        get_region().place_distance_km("beijing", None, "hefei", None)


def test_the_places_of_the_judged_scenarios_resolve(shared_data: Path) -> None:
    # ../shared/data/g60-match: every carrier's 区县 is a district of its city, with coordinates;
    # every lead's city resolves (湖州市长兴县, 永康, 宁国, 东阳 with their district).
    region = get_region()
    folder = shared_data / "g60-match"
    with (folder / "pool" / "carriers.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            located = region.locate(row["所在城市"])
            assert located is not None and located[1] is None, row["所在城市"]
            assert region.canonical_district(located[0], row["区县"]) == row["区县"]
            assert region.city(located[0]).place(row["区县"]).point is not None
    leads = (folder / "leads" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    located_leads = {
        json.loads(line)["city"]: region.locate(json.loads(line)["city"]) for line in leads
    }
    assert None not in located_leads.values()
    assert located_leads["湖州市长兴县"] == ("huzhou", "长兴县")
    assert located_leads["永康"] == ("jinhua", "永康市")
    assert located_leads["宁国"] == ("xuancheng", "宁国市")
    assert located_leads["东阳"] == ("jinhua", "东阳市")


@pytest.mark.parametrize(
    ("typed", "city", "district"),
    [
        ("嘉興", "jiaxing", None),
        ("蘇州", "suzhou", None),
        ("湖州", "huzhou", None),
        ("蕪湖", "wuhu", None),
        ("宣城", "xuancheng", None),
        ("杭州", "hangzhou", None),
        ("金華", "jinhua", None),
        ("合肥", "hefei", None),
        ("上海松江", "songjiang", None),
        ("嘉興市", "jiaxing", None),
        ("上海市松江區", "songjiang", None),
        ("浙江省湖州市長興縣", "huzhou", "长兴县"),
        ("義烏", "jinhua", "义乌市"),
        ("蕪湖市鳩江區", "wuhu", "鸠江区"),
        ("合肥經開區", "hefei", "合肥经济技术开发区"),
        ("蘇州工業園區", "suzhou", "苏州工业园区"),
    ],
)
def test_traditional_characters_resolve_as_simplified(
    typed: str, city: str, district: str | None
) -> None:
    match = get_region().resolve(typed)
    assert match is not None, typed
    assert (match.city.code, match.district) == (city, district)


def test_traditional_district_within_its_city() -> None:
    region = get_region()
    assert region.canonical_district("huzhou", "長興") == "长兴县"
    assert region.canonical_district(
        "songjiang", "松江經濟技術開發區"
    ) == region.canonical_district("songjiang", "松江经济技术开发区")


def test_the_conversion_leaves_every_simplified_name_of_the_corridor_alone() -> None:
    # So trying t2s on what did not resolve can never turn a known name into another.
    region = get_region()
    names = {
        name
        for city in region.cities
        for name in (
            city.name,
            *city.aliases,
            *city.districts,
            *(alias for place in city.places for alias in place.aliases),
        )
    }
    assert {n for n in names if simplified(n) != n} == set()
