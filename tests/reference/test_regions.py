"""Corridor cities and the resolution of typed place names."""

from __future__ import annotations

import pytest

from factorlink.reference import get_region


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
