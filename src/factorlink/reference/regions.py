"""Cities of a corridor and the resolution of what people type ("上海市松江区", "义乌") to them.

Place names written in traditional characters ("嘉興", "蘇州市", "上海市松江區") resolve as their
simplified forms do: what cannot be resolved as typed is tried once more through OpenCC's
traditional-to-simplified conversion (t2s, the converter the matching text already uses).

A city has a centre and districts (counties, county-level cities, towns, development zones and
parks), each with its own centre where the corridor file gives one. Distances are great-circle
distances between those points: two parks of one county are close, two counties of one city
need not be.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_SPACES = re.compile(r"\s+")
_SUFFIXES = ("省", "市", "区", "县")
_PROVINCES = ("上海市", "上海", "浙江省", "江苏省", "安徽省")
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class District:
    """A district, county, town or zone of a city, with its centre where known (WGS84)."""

    name: str
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()

    @property
    def point(self) -> tuple[float, float] | None:
        """(lat, lon) of the district's centre, or None when the corridor file gives none."""
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None


@dataclass(frozen=True)
class City:
    """One city of the corridor.

    `districts` names the districts (canonical names); `places` describes them (coordinates,
    aliases) and may leave some out: a district without a place has no coordinates of its own.
    """

    code: str
    name: str
    name_en: str
    province: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    places: tuple[District, ...] = ()
    # The office that calls back the leads of this city (市科技局); the corridor's operator
    # where None.
    office: str | None = None
    office_en: str | None = None

    def place(self, district: str) -> District:
        """The description of one of the city's districts (a bare name where none is given)."""
        return next((p for p in self.places if p.name == district), District(district))


@dataclass(frozen=True)
class CityMatch:
    """A resolved location: the city and, where given, the district (its canonical name)."""

    city: City
    district: str | None = None


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text with traditional Chinese characters in their simplified forms (嘉興 → 嘉兴)."""
    return str(_t2s().convert(text))


def _clean(text: str) -> str:
    return _SPACES.sub("", text).replace("（", "(").replace("）", ")")


def _strip_suffix(text: str) -> str:
    return text[:-1] if len(text) > 2 and text.endswith(_SUFFIXES) else text


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in degrees, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _spellings(city: City, district: str) -> tuple[set[str], set[str]]:
    """How people write one district: in full anywhere ("长兴", "合肥经开区"), and within
    its city only, once the city is said ("合肥市高新区" → "高新区")."""
    place = city.place(district)
    full = {district, _strip_suffix(district), *(_clean(a) for a in place.aliases)}
    prefixes = {_clean(n) for n in (city.name, *city.aliases)}
    prefixes |= {_strip_suffix(p) for p in prefixes}
    relative = {
        spelling[len(prefix) :]
        for spelling in full
        for prefix in prefixes
        if spelling.startswith(prefix) and len(spelling) - len(prefix) >= 2
    }
    return {s for s in full if len(s) >= 2}, relative - full


@dataclass
class Region:
    """A corridor: its cities, with lookups by code, name, alias and district."""

    name: str
    name_en: str
    cities: tuple[City, ...]
    # Who runs the platform and keeps leads' data (联席办), and the short name a lead's
    # 受理编号 starts with ("G60-20261205-7K3Q").
    operator: str | None = None
    operator_en: str | None = None
    short: str = "REF"
    _by_code: dict[str, City] = field(init=False, repr=False)
    _by_alias: dict[str, City] = field(init=False, repr=False)
    _by_district: dict[str, tuple[City, str]] = field(init=False, repr=False)
    _in_city: dict[str, dict[str, str]] = field(init=False, repr=False)
    _points: dict[tuple[str, str], tuple[float, float]] = field(init=False, repr=False)
    _aliases_longest_first: list[tuple[str, City]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {c.code: c for c in self.cities}
        self._by_alias = {}
        self._in_city = {}
        self._points = {}
        # A spelling two cities share ("高新区") names no district on its own.
        everywhere: dict[str, set[tuple[str, str]]] = {}
        for city in self.cities:
            for alias in (city.code, city.name, city.name_en, *city.aliases):
                self._by_alias[_clean(alias).lower()] = city
            spellings = {d: _spellings(city, d) for d in city.districts}
            keys: dict[str, str] = {}
            # Full spellings first: a shortened one never hides another district's name.
            for district, (full, _) in spellings.items():
                for key in full:
                    keys.setdefault(key, district)
                    everywhere.setdefault(key, set()).add((city.code, district))
            for district, (_, relative) in spellings.items():
                for key in relative:
                    keys.setdefault(key, district)
            self._in_city[city.code] = keys
            for district in city.districts:
                point = city.place(district).point
                if point is not None:
                    self._points[(city.code, district)] = point
        self._by_district = {
            key: (self._by_code[code], district)
            for key, owners in everywhere.items()
            if len(owners) == 1
            for code, district in owners
        }
        self._aliases_longest_first = sorted(self._by_alias.items(), key=lambda kv: -len(kv[0]))

    def city(self, code: str) -> City:
        """Returns the city with this code; raises KeyError if there is none."""
        return self._by_code[code]

    def has(self, code: str) -> bool:
        """Tells whether a city code belongs to this corridor."""
        return code in self._by_code

    def resolve(self, text: str) -> CityMatch | None:
        """Resolves a typed place name to a city (and district), or None if unknown.

        "湖州市长兴县", "长兴", "永康", "义乌市", "合肥经开区" → the city and the district's
        canonical name; "松江", "嘉兴市", "嘉興" → the city alone.
        """
        cleaned = _clean(text)
        if not cleaned:
            return None
        found = self._resolve_clean(cleaned)
        if found is None and (plain := simplified(cleaned)) != cleaned:
            found = self._resolve_clean(plain)
        return found

    def _resolve_clean(self, cleaned: str) -> CityMatch | None:
        exact = self._by_alias.get(cleaned.lower())
        if exact is not None:
            return CityMatch(exact)
        if cleaned in self._by_district:
            city, district = self._by_district[cleaned]
            return CityMatch(city, district)
        return self._resolve_compound(cleaned)

    def locate(self, text: str) -> tuple[str, str | None] | None:
        """(city code, canonical district or None) for a typed place name, or None if unknown."""
        match = self.resolve(text)
        return (match.city.code, match.district) if match else None

    def _resolve_compound(self, text: str) -> CityMatch | None:
        # "浙江省杭州市余杭区": the longest city alias that prefixes the text, then the district.
        for alias, city in self._aliases_longest_first:
            if len(alias) >= 2 and text.lower().startswith(alias):
                rest = text[len(alias) :].lstrip("市")
                if not rest:
                    return CityMatch(city)
                district = self._in_city[city.code].get(rest)
                return CityMatch(city, district) if district else None
        for prefix in _PROVINCES:
            if text.startswith(prefix) and len(text) > len(prefix):
                return self.resolve(text[len(prefix) :])
        return None

    def canonical_district(self, city: str, text: str | None) -> str | None:
        """The canonical name of one of this city's districts as typed ("长兴", "湖州市长兴县",
        "合肥经开区"), or None when the text names none of them (or names another city's)."""
        cleaned = _clean(text or "")
        if not cleaned or not self.has(city):
            return None
        known = self._in_city[city].get(cleaned) or self._in_city[city].get(simplified(cleaned))
        if known is not None:
            return known
        match = self.resolve(cleaned)
        return match.district if match and match.city.code == city else None

    def point(self, city: str, district: str | None = None) -> tuple[float, float]:
        """(lat, lon) of a district's centre where the corridor file gives it, else the city's
        centre. Raises KeyError for an unknown city code; an unknown district is the city."""
        found = self.city(city)
        if district:
            exact = self._points.get((city, district))
            if exact is not None:
                return exact
            name = self.canonical_district(city, district)
            if name is not None and (city, name) in self._points:
                return self._points[(city, name)]
        return (found.lat, found.lon)

    def distance_km(self, a: str, b: str) -> float:
        """Great-circle distance between two city centres, in kilometres."""
        return self.place_distance_km(a, None, b, None)

    def place_distance_km(
        self, city_a: str, district_a: str | None, city_b: str, district_b: str | None
    ) -> float:
        """Great-circle distance between two places, in kilometres: each a district's centre
        where known, its city's centre otherwise (no district, an unknown one, or one without
        coordinates). Raises KeyError for an unknown city code."""
        return haversine_km(self.point(city_a, district_a), self.point(city_b, district_b))
