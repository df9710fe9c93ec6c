"""Cities of a corridor and the resolution of what people type ("上海市松江区", "义乌") to them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

_SPACES = re.compile(r"\s+")
_SUFFIXES = ("省", "市", "区", "县")


@dataclass(frozen=True)
class City:
    """One city of the corridor."""

    code: str
    name: str
    name_en: str
    province: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class CityMatch:
    """A resolved location: the city and, where given, the district."""

    city: City
    district: str | None = None


def _clean(text: str) -> str:
    return _SPACES.sub("", text).replace("（", "(").replace("）", ")")


def _strip_suffix(text: str) -> str:
    return text[:-1] if len(text) > 2 and text.endswith(_SUFFIXES) else text


@dataclass
class Region:
    """A corridor: its cities, with lookups by code, name, alias and district."""

    name: str
    name_en: str
    cities: tuple[City, ...]
    _by_code: dict[str, City] = field(init=False, repr=False)
    _by_alias: dict[str, City] = field(init=False, repr=False)
    _by_district: dict[str, tuple[City, str]] = field(init=False, repr=False)
    _aliases_longest_first: list[tuple[str, City]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {c.code: c for c in self.cities}
        self._by_alias = {}
        self._by_district = {}
        for city in self.cities:
            for alias in (city.code, city.name, city.name_en, *city.aliases):
                self._by_alias[_clean(alias).lower()] = city
            for district in city.districts:
                self._by_district[district] = (city, district)
                self._by_district[_strip_suffix(district)] = (city, district)
        self._aliases_longest_first = sorted(self._by_alias.items(), key=lambda kv: -len(kv[0]))

    def city(self, code: str) -> City:
        """Returns the city with this code; raises KeyError if there is none."""
        return self._by_code[code]

    def has(self, code: str) -> bool:
        """Tells whether a city code belongs to this corridor."""
        return code in self._by_code

    def resolve(self, text: str) -> CityMatch | None:
        """Resolves a typed place name to a city (and district), or None if unknown."""
        cleaned = _clean(text)
        if not cleaned:
            return None
        exact = self._by_alias.get(cleaned.lower())
        if exact is not None:
            return CityMatch(exact)
        if cleaned in self._by_district:
            city, district = self._by_district[cleaned]
            return CityMatch(city, district)
        return self._resolve_compound(cleaned)

    def _resolve_compound(self, text: str) -> CityMatch | None:
        # "浙江省杭州市余杭区": the longest city alias that prefixes the text, then the district.
        for alias, city in self._aliases_longest_first:
            if len(alias) >= 2 and text.lower().startswith(alias):
                rest = text[len(alias) :].lstrip("市")
                if not rest:
                    return CityMatch(city)
                district = self._district_of(city, rest)
                return CityMatch(city, district) if district else None
        for prefix in ("上海市", "上海", "浙江省", "江苏省", "安徽省"):
            if text.startswith(prefix) and len(text) > len(prefix):
                return self.resolve(text[len(prefix) :])
        return None

    def _district_of(self, city: City, text: str) -> str | None:
        for district in city.districts:
            if text in (district, _strip_suffix(district)):
                return district
        return None

    def distance_km(self, a: str, b: str) -> float:
        """Great-circle distance between two cities, in kilometres."""
        ca, cb = self.city(a), self.city(b)
        lat1, lon1, lat2, lon2 = map(math.radians, (ca.lat, ca.lon, cb.lat, cb.lon))
        h = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * 6371.0 * math.asin(math.sqrt(h))
