"""Corridor files: districts as plain names or with coordinates and aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorlink.config import Settings, settings_scope
from factorlink.reference import District, city_name, get_region, load_region, region_of
from factorlink.reference.loader import DEFAULT_REGION_FILE

CORRIDOR = """
corridor: 测试走廊
cities:
  - code: a
    name: 甲城
    lat: 30.0
    lon: 120.0
    districts:
      - 老城区
      - {name: 新区, lat: 30.5, lon: 120.0, aliases: [甲城新区管委会]}
      - {name: 港区}
  - code: b
    name: 乙城
    lat: 31.0
    lon: 120.0
    districts: [东区, 西区]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "corridor.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plain_names_and_mappings_both_load(tmp_path: Path) -> None:
    region = load_region(_write(tmp_path, CORRIDOR))
    city = region.city("a")
    assert city.districts == ("老城区", "新区", "港区")
    assert city.place("新区") == District("新区", 30.5, 120.0, ("甲城新区管委会",))
    assert city.place("老城区").point is None
    assert region.city("b").districts == ("东区", "西区")
    assert region.locate("甲城新区管委会") == ("a", "新区")
    assert region.locate("甲城老城") == ("a", "老城区")
    # 新区 has its own centre, 55.6 km north of 甲城; 老城区 and 港区 have none.
    assert region.place_distance_km("a", "新区", "a", None) == pytest.approx(55.6, abs=0.1)
    assert region.place_distance_km("a", "老城区", "a", "港区") == 0
    assert region.place_distance_km("a", "新区", "b", "东区") == pytest.approx(55.6, abs=0.1)


@pytest.mark.parametrize(
    "entry", ["{lat: 30.1, lon: 120.1}", "{name: 半边, lat: 30.1}", "[新区]", "42"]
)
def test_malformed_district_is_refused(tmp_path: Path, entry: str) -> None:
    text = CORRIDOR.replace("- 老城区", f"- {entry}")
    with pytest.raises(ValueError, match=r"a district is a name|both lat and lon"):
        load_region(_write(tmp_path, text))


def test_the_region_is_the_one_the_settings_name(tmp_path: Path) -> None:
    path = _write(tmp_path, CORRIDOR)
    mine = Settings(region_file=path)
    assert region_of(mine) is load_region(path)  # read once per file
    assert region_of(Settings(region_file=None)) is load_region(DEFAULT_REGION_FILE)
    with settings_scope(mine):
        assert get_region().name == "测试走廊"
        assert city_name("a") == "甲城"
    assert get_region().name != "测试走廊"
